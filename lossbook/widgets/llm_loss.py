"""第6章: LLM が次の単語を予測するときのロス（「今日はいい____」の例）。

* 予測の分布（``weather_distribution``、正解「天気」に確率 ``p_weather`` を与え、残りを「電車」と「気分」に
  等しく分けたもの）は :mod:`lossbook.examples` にあります。
* :class:`NextWordLossExplorer` は「天気」に与える確率のスライダーでロスを動かし、
  元の例（p = 0.6、ロス約 0.51）の印と比べる対話型の図です。

Chapter 6: the next-word loss for the prompt 「今日はいい____」, with a slider over the
probability given to the correct word 「天気」 and the article's point p = 0.6 marked.
"""

from __future__ import annotations

import ipywidgets as w
import numpy as np

from .. import losses
from ..examples import TODAY_ANSWER, TODAY_CANDIDATES, TODAY_P, weather_distribution
from ..figures import plot_loss_vs_probability
from ..plotting import COLORS, new_figure
from ..twin import marker_twin
from ._base import Explorer

__all__ = ["NextWordLossExplorer"]


def _loss(p: float) -> float:
    """「天気」に確率 p を与えたときのロス（nat）を lossbook で計算します。"""
    return float(losses.cross_entropy(TODAY_ANSWER, weather_distribution(p)))


def _caption(p: float) -> str:
    """スライダーの値 p に対する説明文（候補の確率、ロス、p = 0.6 との差）を作ります。"""
    probs = weather_distribution(p)
    loss = _loss(p)
    diff = loss - _loss(TODAY_P)
    dist = "、".join(f"{word} {q:.2f}" for word, q in zip(TODAY_CANDIDATES, probs))
    return (f"予測: {dist} → ロス L = −log {p:.2f} = {loss:.3f} nat"
            f"（p = {TODAY_P} のときとの差 {diff:+.3f}）")


def _draw_background(ax) -> None:
    """ロスの曲線と、元の例（p = 0.6）の印を描きます（スライダーで変わらない部分）。"""
    plot_loss_vs_probability(ax)
    ref = _loss(TODAY_P)
    # 印が重なっても元の例の位置がわかるよう、軸まで点線を引きます
    ax.plot([TODAY_P, TODAY_P, 0.0], [0.0, ref, ref], ls=":", lw=1.5,
            color=COLORS["correct"])
    ax.plot([TODAY_P], [ref], "s", color=COLORS["correct"], ms=8, zorder=3,
            label=f"元の例 p = {TODAY_P}")
    ax.annotate(f"L = {ref:.2f}", (TODAY_P, ref), textcoords="offset points",
                xytext=(8, 10), color=COLORS["correct"])
    ax.set_title("「天気」に与えた確率とロス")
    ax.legend(loc="upper right")


class NextWordLossExplorer(Explorer):
    """第6章: 「天気」に与える確率を動かし、ロスを元の例（0.6 → 約 0.51）と比べます。

    注目点: 0.6 から右へ動かしてもロスは少ししか下がらず、左へ動かすと急に増えます。

    Parameters
    ----------
    p : float
        最初のスライダーの値（「天気」に与える確率）。
    """

    #: スライダーの範囲。p = 0 ではロスが無限大になるので 0.01 から始めます。
    P_MIN, P_MAX, P_STEP = 0.01, 1.0, 0.01
    HINT = (f"緑の四角（p = {TODAY_P}）から左右に動かし、"
            "ロスの増え方と減り方の違いに注目してください。")

    TEXT = "（対話型の図: p(天気) のスライダーとロスの曲線。JupyterLab で動かせます）"

    def __init__(self, p: float = TODAY_P):
        self.slider = w.FloatSlider(
            value=p, min=self.P_MIN, max=self.P_MAX, step=self.P_STEP,
            description="p(天気)", readout_format=".2f", continuous_update=True,
            layout=w.Layout(width="420px"))
        self._build([self.slider])
        self.update(p)

    def update(self, p: float) -> None:
        """スライダーが動いたときのコールバック: 図と説明文を描き直します。"""
        fig, ax = new_figure()
        _draw_background(ax)
        ax.plot([p], [_loss(p)], "o", color=COLORS["accent"], ms=10, zorder=4)
        self._show(fig, _caption(p))

    def static_twin(self):
        """HTML 用の静的ツインを作ります（ウィジェットと同じ範囲・刻みのフレーム）。"""
        n = int(round((self.P_MAX - self.P_MIN) / self.P_STEP)) + 1
        ps = np.round(np.linspace(self.P_MIN, self.P_MAX, n), 10)
        fig, ax = new_figure()
        _draw_background(ax)
        points = [[(p, _loss(p))] for p in ps]
        initial = int(np.argmin(np.abs(ps - self.slider.value)))
        return marker_twin(
            fig, ax, points,
            captions=[_caption(p) for p in ps],
            values=[f"{p:.2f}" for p in ps],
            slider_label="p(天気)",
            alt="横軸が「天気」に与えた確率 p、縦軸がロス L（nat）の曲線。"
                f"p = {TODAY_P} の点に緑の四角とロス {_loss(TODAY_P):.2f} の表示があります。"
                "p が 1 に近いとロスは 0 に近く、p が 0 に近づくとロスは急に大きくなります。",
            initial=initial, hint=self.HINT, marker_colors=[COLORS["accent"]])
