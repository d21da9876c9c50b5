"""第 3 章の対話型の図: 正解のロジットと温度を動かし、各候補の確率とクロスエントロピーを見ます。

図は 2 枚の枠からなります。左は 4 つの候補に与えた確率（棒グラフ）、右は「首都」の
ロジット z(首都) を横軸にとったロスの曲線と、いまの点です。温度 T を変えると
棒の高さも曲線の形も変わるので、静的ツインは図ごと差し替える
:func:`lossbook.twin.frame_twin` で作ります（ツインのスライダーは一つだけなので、
ロジット用と温度用の二つのツインを ``twin=`` で選びます）。

Chapter 3 explorer: the logit of the correct word and the softmax temperature drive
the predicted probabilities (bars) and the cross-entropy loss (curve + point).
"""

from __future__ import annotations

import numpy as np

from .. import losses
from .._validation import check_positive_float
from ..activations import tempered_softmax
from ..examples import PARIS_ANSWER, PARIS_CANDIDATES, paris_logits
from ..plotting import COLORS, new_figure
from ._base import Control, Explorer

__all__ = ["CrossEntropyExplorer"]


def _loss(z_answer, temperature):
    """z(首都) と温度 T のときのクロスエントロピー（nat）を lossbook で計算します。"""
    z = paris_logits(z_answer) / check_positive_float(temperature, "temperature")
    return float(losses.cross_entropy_with_logits(PARIS_ANSWER, z))


class CrossEntropyExplorer(Explorer):
    """第 3 章: 正解のロジット z(首都) と温度 T を動かし、各候補の確率とロスを見ます。

    Parameters
    ----------
    z_answer : float
        最初の z(首都)（-4.5 から 4.5 までの 1 刻み）。
    temperature : float
        最初の温度 T（0.25 から 4 まで、2 倍の間を 2 段に分けた 9 段）。
    twin : {"logit", "temperature"}
        HTML の静的ツインでスライダーにする量。ツインのスライダーは一つなので、
        もう一方はここで渡した値に固定されます。
    """

    #: 右の枠の縦軸の上限（その温度の曲線がこれより上へ出るなら広げます）。
    Y_MAX = 7.0
    #: 図の大きさ（インチ）。静的ツインは図を何枚も持つので小さめにします。
    FIGSIZE = (6.4, 2.7)
    #: 左右の枠の位置 [左, 下, 幅, 高さ]（図の幅・高さに対する割合）。
    AXES_RECTS = ([0.09, 0.19, 0.38, 0.69], [0.60, 0.19, 0.38, 0.69])
    LOGIT_HINT = "z(首都) を右へ動かし、首都の棒が伸びるほどロスが下がることに注目してください。"
    TEMPERATURE_HINT = "温度 T を下げると、首都を外しているときのロスが急に増えることに注目してください。"

    def __init__(self, z_answer: float = -0.5, temperature: float = 1.0, twin: str = "logit"):
        if twin not in ("logit", "temperature"):
            raise ValueError(
                f"twin は \"logit\" か \"temperature\" にしてください（{twin!r} が渡されました）。")
        self.twin = twin
        self.TWIN_CONTROL = "z_answer" if twin == "logit" else "temperature"
        check_positive_float(temperature, "temperature")
        super().__init__(z_answer=z_answer, temperature=temperature)

    @property
    def hint(self) -> str:
        return self.LOGIT_HINT if self.twin == "logit" else self.TEMPERATURE_HINT

    def make_controls(self):
        # z(首都) は本文の例 -0.5 を含むように、半端な位置から 1 刻みにします（10 段）。
        # 温度は 2 を底にした対数目盛りで 2^-2 = 0.25 から 2^2 = 4 まで（9 段）。
        temperatures = tuple(float(t) for t in 2.0 ** np.linspace(-2.0, 2.0, 9))
        return [Control.steps("z_answer", "z(首都)", -4.5, 4.5, 1.0, "{:+.1f}"),
                Control("temperature", "温度 T", temperatures, "{:.2f}")]

    def make_figure(self):
        fig, (ax_bar, ax_loss) = new_figure(1, 2, figsize=self.FIGSIZE)
        for ax, rect in zip((ax_bar, ax_loss), self.AXES_RECTS):
            ax.set_position(rect)
        fig.set_layout_engine("none")
        colors = [COLORS["correct"] if i == PARIS_ANSWER else COLORS["curve"]
                  for i in range(len(PARIS_CANDIDATES))]
        self.bars = ax_bar.bar(PARIS_CANDIDATES, np.zeros(len(PARIS_CANDIDATES)), color=colors)
        self.bar_labels = [ax_bar.text(i, 0.0, "", ha="center", fontsize=9)
                           for i in range(len(PARIS_CANDIDATES))]
        ax_bar.set_ylim(0, 1.15)
        # 目盛りの補助線は棒の下に描きます（棒の上を線が横切らないように）
        ax_bar.set_axisbelow(True)
        ax_bar.set_ylabel("確率")
        # 右: z(首都) を動かしたときのロスの曲線（温度 T ごとに描き換えます）
        self.grid = np.linspace(-4.5, 4.5, 181)
        self.grid_logits = np.stack([paris_logits(z) for z in self.grid])
        self.curve, = ax_loss.plot(self.grid, np.zeros_like(self.grid), color=COLORS["curve"], lw=2)
        self.point, = ax_loss.plot([], [], "o", color=COLORS["accent"], ms=9, zorder=3, clip_on=False)
        ax_loss.set_xlim(-4.5 - 0.2, 4.5 + 0.2)
        ax_loss.set_xlabel("z(首都)（ロジット）")
        ax_loss.set_ylabel("ロス L（nat）")
        self.ax_bar, self.ax_loss = ax_bar, ax_loss
        # 値で変わるのは棒・棒の数値・いまの点・右の題です。曲線・縦軸の範囲・左の題は温度だけで決まります
        self.moving = [*self.bars, *self.bar_labels, self.point, ax_loss.title]
        return fig

    def background_key(self, z_answer: float, temperature: float):
        return temperature

    def draw(self, z_answer: float, temperature: float) -> None:
        """左: 各候補の確率の棒、右: 温度 T でのロスの曲線といまの点。"""
        probs = tempered_softmax(paris_logits(z_answer), temperature)
        for i, (bar, label, q) in enumerate(zip(self.bars, self.bar_labels, probs)):
            bar.set_height(q)
            label.set_position((i, q + 0.03))
            label.set_text(f"{q:.2f}")
        self.ax_bar.set_title(f"候補に与えた確率（T = {temperature:.2f}）")
        curve = losses.cross_entropy_with_logits(
            np.full(self.grid.size, PARIS_ANSWER), self.grid_logits / temperature, reduction="none")
        self.curve.set_ydata(curve)
        # 縦軸は温度ごとに曲線全体が入る高さにします（z(首都) を動かしても軸が跳ねません）
        self.ax_loss.set_ylim(0, max(self.Y_MAX, float(curve.max()) * 1.05))
        loss = _loss(z_answer, temperature)
        self.point.set_data([z_answer], [loss])
        self.ax_loss.set_title(f"ロス L = {loss:.3f} nat")

    def caption_for(self, z_answer: float, temperature: float) -> str:
        """説明文: 各候補の確率とロス（数値はすべて lossbook が計算します）。"""
        probs = tempered_softmax(paris_logits(z_answer), temperature)
        dist = "、".join(f"{word} {q:.2f}" for word, q in zip(PARIS_CANDIDATES, probs))
        return (f"z(首都) = {z_answer:+.1f}、T = {temperature:.2f} → 予測: {dist}"
                f" → ロス L = −log {probs[PARIS_ANSWER]:.3f} = {_loss(z_answer, temperature):.3f} nat")

    def alt_text(self) -> str:
        if self.twin == "logit":
            return ("左は首都・都市・観光地・町に与えた確率の棒グラフ、右は横軸が首都のロジット、"
                    "縦軸がロスの曲線です。ロジットを上げると首都の棒が伸び、ロスは 0 に近づきます。")
        return ("左は 4 つの候補に与えた確率の棒グラフ、右は首都のロジットとロスの曲線です。"
                "温度を上げると棒の高さがそろい、温度を下げると曲線の傾きが急になります。")

    def plain_text(self) -> str:
        """テキストだけの表示に出す説明です（静的ツインで動かすスライダーの名前を入れます）。"""
        what = "z(首都)" if self.twin == "logit" else "温度 T"
        return f"（対話型の図: {what} のスライダーで各候補の確率とロスが変わります。JupyterLab で動かせます）"
