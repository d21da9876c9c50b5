"""本書の対話型の図（ipywidgets）と、その静的ツイン。

各エクスプローラーは

* JupyterLab では ipywidgets のスライダーで動き（Python が図を描き直します）、
* ビルドした HTML ではカーネルなしで動く静的ツイン（:mod:`lossbook.twin`）になります。

どちらも同じ描画関数（:mod:`lossbook.figures`）と同じ計算（lossbook のコア）を使います。
コールバックは ``update`` メソッドとして外から呼べるので、テストでも動かせます。

Interactive explorations: ipywidgets in JupyterLab, a static twin in the HTML book.
Figures are drawn on pyplot-free ``Figure`` objects and shown through ``ipywidgets.Image``,
so nothing leaks into cell outputs and re-running a notebook reproduces its outputs.
"""

from __future__ import annotations

from .. import losses
from ..examples import PARIS_ANSWER, PARIS_CANDIDATES, paris_distribution
from ..figures import plot_loss_vs_probability
from ..plotting import COLORS, new_figure
from ._base import Control, Explorer

__all__ = ["ProbabilityLossExplorer"]


class ProbabilityLossExplorer(Explorer):
    """第 1 章: 「首都」に与える確率を動かすと、ロスが曲線の上をどう動くかを見ます。

    注目点: 確率が 1 に近いところではロスはほとんど変わらず、0 に近づくと急に大きくなります。

    Parameters
    ----------
    p : float
        最初のスライダーの値（「首都」に与える確率、0.01 から 1 までの 0.01 刻み）。
    """

    HINT = "スライダーを左へ動かして、ロスがどこから急に増えるかに注目してください。"
    TEXT = "（対話型の図: p(首都) のスライダーとロスの曲線。JupyterLab で動かせます）"
    ALT = ("横軸が予測確率 p（正解の「首都」に与えた確率）、縦軸がロス L の曲線。p が 1 に近いとロスは 0 に近く、"
           "p が 0 に近づくとロスは急に大きくなります。")
    TWIN_KIND = "markers"

    def __init__(self, p: float = 0.2):
        super().__init__(p=p)

    def make_controls(self):
        # p = 0 ではロスが無限大になるので、0.01 から始めます
        return [Control.steps("p", "p(首都)", 0.01, 1.0, 0.01, "{:.2f}")]

    def make_figure(self):
        fig, ax = new_figure()
        plot_loss_vs_probability(ax)
        ax.set_title("「首都」の予測確率とロス")
        self.point, = ax.plot([], [], "o", color=COLORS["accent"], ms=10, zorder=3)
        self.moving = [self.point]
        return fig

    @staticmethod
    def loss(p: float) -> float:
        """「首都」に確率 p を与えたときのロス（nat）を lossbook で計算します。"""
        return float(losses.cross_entropy(PARIS_ANSWER, paris_distribution(p)))

    def draw(self, p: float) -> None:
        self.point.set_data([p], [self.loss(p)])

    def caption_for(self, p: float) -> str:
        """説明文: 候補の確率とロス。"""
        dist = "、".join(f"{word} {q:.2f}" for word, q in zip(PARIS_CANDIDATES, paris_distribution(p)))
        return f"予測: {dist} → ロス L = −log {p:.2f} = {self.loss(p):.3f}"
