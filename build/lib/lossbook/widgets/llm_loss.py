"""第6章: LLM が次の単語を予測するときのロス（「今日はいい____」の例）。

* 予測の分布（``weather_distribution``、正解「天気」に確率 ``p_weather`` を与え、残りを「電車」と「気分」に
  等しく分けたもの）は :mod:`lossbook.examples` にあります。
* :class:`NextWordLossExplorer` は「天気」に与える確率のスライダーでロスを動かし、
  元の例（p = 0.6、ロス約 0.51）の印と比べる対話型の図です。

Chapter 6: the next-word loss for the prompt 「今日はいい____」, with a slider over the
probability given to the correct word 「天気」 and the article's point p = 0.6 marked.
"""

from __future__ import annotations

from .. import losses
from ..examples import TODAY_ANSWER, TODAY_CANDIDATES, TODAY_P, weather_distribution
from ..figures import plot_loss_vs_probability
from ..plotting import COLORS, new_figure
from ._base import Control, Explorer

__all__ = ["NextWordLossExplorer"]


def _loss(p: float) -> float:
    """「天気」に確率 p を与えたときのロス（nat）を lossbook で計算します。"""
    return float(losses.cross_entropy(TODAY_ANSWER, weather_distribution(p)))


class NextWordLossExplorer(Explorer):
    """第6章: 「天気」に与える確率を動かし、ロスを元の例（0.6 → 約 0.51）と比べます。

    注目点: 0.6 から右へ動かしてもロスは少ししか下がらず、左へ動かすと急に増えます。

    Parameters
    ----------
    p : float
        最初のスライダーの値（「天気」に与える確率、0.01 から 1 までの 0.01 刻み）。
    """

    HINT = (f"緑の四角（p = {TODAY_P}）から左右に動かし、"
            "ロスの増え方と減り方の違いに注目してください。")
    TEXT = "（対話型の図: p(天気) のスライダーとロスの曲線。JupyterLab で動かせます）"
    TWIN_KIND = "markers"

    def __init__(self, p: float = TODAY_P):
        super().__init__(p=p)

    def make_controls(self):
        # p = 0 ではロスが無限大になるので 0.01 から始めます
        return [Control.steps("p", "p(天気)", 0.01, 1.0, 0.01, "{:.2f}")]

    def make_figure(self):
        fig, ax = new_figure()
        plot_loss_vs_probability(ax)
        ref = _loss(TODAY_P)
        # 印が重なっても元の例の位置がわかるよう、軸まで点線を引きます
        ax.plot([TODAY_P, TODAY_P, 0.0], [0.0, ref, ref], ls=":", lw=1.5, color=COLORS["correct"])
        ax.plot([TODAY_P], [ref], "s", color=COLORS["correct"], ms=8, zorder=3,
                label=f"元の例 p = {TODAY_P}")
        ax.annotate(f"L = {ref:.2f}", (TODAY_P, ref), textcoords="offset points",
                    xytext=(8, 10), color=COLORS["correct"])
        ax.set_title("「天気」に与えた確率とロス")
        ax.legend(loc="upper right")
        self.point, = ax.plot([], [], "o", color=COLORS["accent"], ms=10, zorder=4)
        self.moving = [self.point]
        return fig

    def draw(self, p: float) -> None:
        self.point.set_data([p], [_loss(p)])

    def caption_for(self, p: float) -> str:
        """説明文: 候補の確率、ロス、p = 0.6 のときとの差。"""
        loss = _loss(p)
        dist = "、".join(f"{word} {q:.2f}" for word, q in zip(TODAY_CANDIDATES, weather_distribution(p)))
        return (f"予測: {dist} → ロス L = −log {p:.2f} = {loss:.3f} nat"
                f"（p = {TODAY_P} のときとの差 {loss - _loss(TODAY_P):+.3f}）")

    def alt_text(self) -> str:
        return ("横軸が「天気」に与えた確率 p、縦軸がロス L（nat）の曲線。"
                f"p = {TODAY_P} の点に緑の四角とロス {_loss(TODAY_P):.2f} の表示があります。"
                "p が 1 に近いとロスは 0 に近く、p が 0 に近づくとロスは急に大きくなります。")
