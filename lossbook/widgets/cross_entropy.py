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

import ipywidgets as w
import numpy as np

from .. import losses
from .._validation import check_positive_float
from ..activations import tempered_softmax
from ..examples import PARIS_ANSWER, PARIS_CANDIDATES, paris_logits
from ..plotting import COLORS, new_figure
from ..twin import frame_twin
from ._base import Explorer

__all__ = ["CrossEntropyExplorer"]


def _loss(z_answer, temperature):
    """z(首都) と温度 T のときのクロスエントロピー（nat）を lossbook で計算します。"""
    z = paris_logits(z_answer) / check_positive_float(temperature, "temperature")
    return float(losses.cross_entropy_with_logits(PARIS_ANSWER, z))


def _caption(z_answer, temperature):
    """説明文: 各候補の確率とロス（数値はすべて lossbook が計算します）。"""
    probs = tempered_softmax(paris_logits(z_answer), temperature)
    dist = "、".join(f"{word} {q:.2f}" for word, q in zip(PARIS_CANDIDATES, probs))
    loss = _loss(z_answer, temperature)
    return (f"z(首都) = {z_answer:+.1f}、T = {temperature:.2f} → 予測: {dist}"
            f" → ロス L = −log {probs[PARIS_ANSWER]:.3f} = {loss:.3f} nat")


class CrossEntropyExplorer(Explorer):
    """第 3 章: 正解のロジット z(首都) と温度 T を動かし、各候補の確率とロスを見ます。

    Parameters
    ----------
    z_answer : float
        最初の z(首都)（-4.5 以上 4.5 以下、1 刻み）。
    temperature : float
        最初の温度 T（0.25 以上 4 以下）。
    twin : {"logit", "temperature"}
        HTML の静的ツインでスライダーにする量。ツインのスライダーは一つなので、
        もう一方はここで渡した値に固定されます。
    """

    #: z(首都) のスライダーの範囲と刻み（静的ツインも同じ 10 フレーム）。
    #: 本文の例 z(首都) = -0.5 を含むように、半端な位置から 1 刻みにします。
    Z_MIN, Z_MAX, Z_STEP = -4.5, 4.5, 1.0
    #: 温度は 2 を底にした対数目盛りで、2^-2 = 0.25 から 2^2 = 4 まで（9 フレーム）。
    T_EXP_MIN, T_EXP_MAX, T_EXP_STEP = -2.0, 2.0, 0.5
    #: 右の枠の縦軸の上限（いまの点がこれより上なら広げます）。
    Y_MAX = 7.0
    #: 図の大きさ（インチ）。静的ツインは図を何枚も持つので小さめにします。
    FIGSIZE = (6.4, 2.7)
    #: 左右の枠の位置 [左, 下, 幅, 高さ]（図の幅・高さに対する割合）。
    AXES_RECTS = ([0.09, 0.19, 0.38, 0.69], [0.60, 0.19, 0.38, 0.69])
    HINT = "z(首都) を右へ動かし、首都の棒が伸びるほどロスが下がることに注目してください。"
    TEMPERATURE_HINT = "温度 T を下げると、首都を外しているときのロスが急に増えることに注目してください。"

    def __init__(self, z_answer: float = -0.5, temperature: float = 1.0, twin: str = "logit"):
        if twin not in ("logit", "temperature"):
            raise ValueError(
                f"twin は \"logit\" か \"temperature\" にしてください（{twin!r} が渡されました）。")
        self.twin = twin
        self.z_slider = w.FloatSlider(
            value=z_answer, min=self.Z_MIN, max=self.Z_MAX, step=self.Z_STEP,
            description="z(首都)", readout_format="+.1f", continuous_update=True,
            layout=w.Layout(width="420px"))
        self.t_slider = w.FloatLogSlider(
            value=temperature, base=2, min=self.T_EXP_MIN, max=self.T_EXP_MAX,
            step=self.T_EXP_STEP, description="温度 T", readout_format=".2f",
            continuous_update=True, layout=w.Layout(width="420px"))
        hint = self.HINT if twin == "logit" else self.TEMPERATURE_HINT
        # 図は PNG の実寸で表示します（幅いっぱいに引き伸ばさない）
        self._build([self.z_slider, self.t_slider], hint=hint, image_width=int(self.FIGSIZE[0] * 90))
        self.update(self.z_slider.value, self.t_slider.value)

    # --- 描画 ------------------------------------------------------------------
    @classmethod
    def z_values(cls):
        """z(首都) のスライダーの全位置（静的ツインのフレーム）。"""
        n = int(round((cls.Z_MAX - cls.Z_MIN) / cls.Z_STEP)) + 1
        return np.round(np.linspace(cls.Z_MIN, cls.Z_MAX, n), 10)

    @classmethod
    def t_values(cls):
        """温度 T のスライダーの全位置（静的ツインのフレーム）。"""
        n = int(round((cls.T_EXP_MAX - cls.T_EXP_MIN) / cls.T_EXP_STEP)) + 1
        return 2.0 ** np.linspace(cls.T_EXP_MIN, cls.T_EXP_MAX, n)

    def draw(self, z_answer, temperature):
        """z(首都) と温度 T の図（左: 各候補の確率の棒、右: ロスの曲線といまの点）を描きます。"""
        fig, (ax_bar, ax_loss) = new_figure(1, 2, figsize=self.FIGSIZE)
        # 静的ツインでは何枚も描くので、時間のかかる constrained layout を切り、
        # 枠の位置を固定します（図 1 枚あたりの描画時間がおよそ半分になります）
        fig.set_layout_engine("none")
        for ax, rect in zip((ax_bar, ax_loss), self.AXES_RECTS):
            ax.set_position(rect)
        probs = tempered_softmax(paris_logits(z_answer), temperature)
        colors = [COLORS["correct"] if i == PARIS_ANSWER else COLORS["curve"]
                  for i in range(len(PARIS_CANDIDATES))]
        ax_bar.bar(PARIS_CANDIDATES, probs, color=colors)
        for i, q in enumerate(probs):
            ax_bar.text(i, q + 0.03, f"{q:.2f}", ha="center", fontsize=9)
        ax_bar.set_ylim(0, 1.15)
        ax_bar.set_ylabel("確率")
        ax_bar.set_title(f"候補に与えた確率（T = {temperature:.2f}）")

        # 右: z(首都) を動かしたときのロスの曲線（温度 T は固定）
        grid = np.linspace(self.Z_MIN, self.Z_MAX, 181)
        logits = np.stack([paris_logits(z) for z in grid]) / temperature
        curve = losses.cross_entropy_with_logits(
            np.full(grid.size, PARIS_ANSWER), logits, reduction="none")
        loss = _loss(z_answer, temperature)
        ax_loss.plot(grid, curve, color=COLORS["curve"], lw=2)
        ax_loss.plot([z_answer], [loss], "o", color=COLORS["accent"], ms=9, zorder=3,
                     clip_on=False)
        ax_loss.set_xlim(self.Z_MIN - 0.2, self.Z_MAX + 0.2)
        ax_loss.set_ylim(0, max(self.Y_MAX, loss * 1.1))
        ax_loss.set_xlabel("z(首都)（ロジット）")
        ax_loss.set_ylabel("ロス L（nat）")
        ax_loss.set_title(f"ロス L = {loss:.3f} nat")
        return fig

    def update(self, z_answer: float, temperature: float) -> None:
        """スライダーが動いたときのコールバック: 図と説明文を描き直します。"""
        self._show(self.draw(z_answer, temperature), _caption(z_answer, temperature))

    # --- 静的ツイン --------------------------------------------------------------
    def static_twin(self):
        """HTML 用の静的ツイン（frame_twin）を作ります。

        ``twin="logit"`` なら z(首都) の 10 フレーム（温度はいまの値に固定）、
        ``twin="temperature"`` なら温度 T の 9 フレーム（z(首都) はいまの値に固定）です。
        """
        z_now, t_now = self.z_slider.value, self.t_slider.value
        if self.twin == "logit":
            zs = self.z_values()
            pairs = [(z, t_now) for z in zs]
            values = [f"{z:+.1f}" for z in zs]
            initial = int(np.argmin(np.abs(zs - z_now)))
            label, hint = "z(首都)", self.HINT
            alt = ("左は首都・都市・観光地・町に与えた確率の棒グラフ、右は横軸が首都のロジット、"
                   "縦軸がロスの曲線です。ロジットを上げると首都の棒が伸び、ロスは 0 に近づきます。")
        else:
            ts = self.t_values()
            pairs = [(z_now, t) for t in ts]
            values = [f"{t:.2f}" for t in ts]
            initial = int(np.argmin(np.abs(np.log2(ts) - np.log2(t_now))))
            label, hint = "温度 T", self.TEMPERATURE_HINT
            alt = ("左は 4 つの候補に与えた確率の棒グラフ、右は首都のロジットとロスの曲線です。"
                   "温度を上げると棒の高さがそろい、温度を下げると曲線の傾きが急になります。")
        figures = [self.draw(z, t) for z, t in pairs]
        captions = [_caption(z, t) for z, t in pairs]
        return frame_twin(figures, captions, values, slider_label=label, alt=alt,
                          initial=initial, hint=hint)

    def plain_text(self) -> str:
        """テキストだけの表示に出す説明です（静的ツインで動かすスライダーの名前を入れます）。"""
        what = "z(首都)" if self.twin == "logit" else "温度 T"
        return f"（対話型の図: {what} のスライダーで各候補の確率とロスが変わります。JupyterLab で動かせます）"
