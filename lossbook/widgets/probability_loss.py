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

import ipywidgets as w
import numpy as np

from .. import losses
from ..examples import PARIS_ANSWER, PARIS_CANDIDATES, paris_distribution
from ..figures import plot_loss_vs_probability
from ..plotting import COLORS, new_figure
from ..twin import marker_twin
from ._base import Explorer

__all__ = ["ProbabilityLossExplorer"]


def _paris_caption(p: float) -> str:
    """スライダーの値 p に対する説明文（候補の確率とロス）を作ります。"""
    probs = paris_distribution(p)
    loss = losses.cross_entropy(PARIS_ANSWER, probs)
    dist = "、".join(f"{word} {q:.2f}" for word, q in zip(PARIS_CANDIDATES, probs))
    return f"予測: {dist} → ロス L = −log {p:.2f} = {loss:.3f}"


class ProbabilityLossExplorer(Explorer):
    """第 1 章: 「首都」に与える確率を動かすと、ロスが曲線の上をどう動くかを見ます。

    注目点: 確率が 1 に近いところではロスはほとんど変わらず、0 に近づくと急に大きくなります。

    Parameters
    ----------
    p : float
        最初のスライダーの値（「首都」に与える確率）。
    """

    #: スライダーの範囲。p = 0 ではロスが無限大になるので、0.01 から始めます。
    P_MIN, P_MAX, P_STEP = 0.01, 1.0, 0.01
    HINT = "スライダーを左へ動かして、ロスがどこから急に増えるかに注目してください。"
    TEXT = "（対話型の図: p(首都) のスライダーとロスの曲線。JupyterLab で動かせます）"

    def __init__(self, p: float = 0.2):
        self.slider = w.FloatSlider(
            value=p, min=self.P_MIN, max=self.P_MAX, step=self.P_STEP,
            description="p(首都)", readout_format=".2f", continuous_update=True,
            layout=w.Layout(width="420px"))
        # 図は PNG の実寸（540 px）で表示します（幅いっぱいに引き伸ばさない）
        self._build([self.slider])
        self.update(p)

    def update(self, p: float) -> None:
        """スライダーが動いたときのコールバック: 図と説明文を描き直します。"""
        fig, ax = new_figure()
        plot_loss_vs_probability(ax)
        loss = losses.cross_entropy(PARIS_ANSWER, paris_distribution(p))
        ax.plot([p], [loss], "o", color=COLORS["accent"], ms=10, zorder=3)
        ax.set_title("「首都」の予測確率とロス")
        self._show(fig, _paris_caption(p))

    def static_twin(self):
        """HTML 用の静的ツインを作ります（ウィジェットと同じ範囲・刻みのフレーム）。"""
        n = int(round((self.P_MAX - self.P_MIN) / self.P_STEP)) + 1
        ps = np.round(np.linspace(self.P_MIN, self.P_MAX, n), 10)
        fig, ax = new_figure()
        plot_loss_vs_probability(ax)
        ax.set_title("「首都」の予測確率とロス")
        points = [[(p, losses.cross_entropy(PARIS_ANSWER, paris_distribution(p)))] for p in ps]
        initial = int(np.argmin(np.abs(ps - self.slider.value)))
        return marker_twin(
            fig, ax, points,
            captions=[_paris_caption(p) for p in ps],
            values=[f"{p:.2f}" for p in ps],
            slider_label="p(首都)",
            alt="横軸が予測確率 p（正解の「首都」に与えた確率）、縦軸がロス L の曲線。p が 1 に近いとロスは 0 に近く、"
                "p が 0 に近づくとロスは急に大きくなります。",
            initial=initial, hint=self.HINT, marker_colors=[COLORS["accent"]])
