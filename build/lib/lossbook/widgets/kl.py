r"""第 5 章（KL ダイバージェンス）の対話型の図 :class:`KLDirectionExplorer`（1 つの山 $Q$ の中心を動かして、
2 つの向きの KL ダイバージェンスを比べる図）。

格子（グリッド）の上の「山」の分布と、1 つの山を 2 つの山に合わせるグリッドサーチ（``fit_one_bump``）は
:mod:`lossbook.chapters.kl` にあり、このモジュールはそれを描くだけです。

KL ダイバージェンスは lossbook のコア（``kl_divergence``）で計算します。

Chapter 5 explorer: move one bump Q across a two-bump P and compare forward and reverse KL
(the bumps and the grid search live in :mod:`lossbook.chapters.kl`).
"""

from __future__ import annotations

import numpy as np
from matplotlib.ticker import MaxNLocator

from .._validation import check_positive_float
from ..plotting import COLORS, new_figure
from ..chapters.kl import GRID_X, bumps, grid_bump, kl_rows, two_bumps
from ._base import Control, Explorer


__all__ = ["KLDirectionExplorer"]


def _kl_both(p, x, means, width):
    """中心 means（複数）・幅 width の山 Q それぞれについて、2 つの向きの KL を返します。"""
    qs = bumps(x, means, np.full(len(means), width))
    return kl_rows(p, qs, "forward"), kl_rows(p, qs, "reverse")


class KLDirectionExplorer(Explorer):
    """第 5 章: 1 つの山 Q の中心を動かし、2 つの向きの KL ダイバージェンスを比べます。

    上の図は 2 つの山の分布 P（塗りつぶし）と 1 つの山 Q（線）、下の図は Q の中心を
    横軸にした D_KL(P‖Q) と D_KL(Q‖P) の曲線と、いまの位置の点です。

    注目点: D_KL(P‖Q) は Q が 2 つの山の間にあるとき、D_KL(Q‖P) は Q が
    どちらかの山に重なるときに小さくなります。

    Parameters
    ----------
    mean : float
        最初の Q の中心 μ（スライダーの値、-2.5 から 2.5 までの 0.5 刻み）。
    width : float
        Q の幅 σ（この図では固定。別の幅を見たいときは引数を変えて作り直します）。
    """

    #: スライダーの範囲（下の図の横軸も同じです）。
    MEAN_MIN, MEAN_MAX = -2.5, 2.5
    HINT = "Q の中心を動かし、2 つの向きの KL ダイバージェンスが小さくなる場所の違いに注目してください。"
    TEXT = "（対話型の図: Q の中心のスライダーと、2 つの向きの KL ダイバージェンス。JupyterLab で動かせます）"
    ALT = ("上の段は、左右に 2 つの山がある分布 P と、1 つの山の分布 Q。"
           "下の段は、Q の中心を横軸にした 2 つの向きの KL ダイバージェンスの曲線。"
           "D_KL(P‖Q) は 2 つの山の間で最小になり、D_KL(Q‖P) は Q が山に重なると小さくなります。")
    FIGSIZE = (6.0, 4.4)

    def __init__(self, mean: float = 1.0, width: float = 1.0):
        self.width = check_positive_float(width, "width")
        self.x = GRID_X
        self.p = two_bumps(self.x)
        # 下の図の曲線（スライダーで変わらない部分）は一度だけ計算します
        self.curve_means = np.linspace(self.MEAN_MIN, self.MEAN_MAX, 101)
        self.curve_forward, self.curve_reverse = _kl_both(
            self.p, self.x, self.curve_means, self.width)
        super().__init__(mean=mean)

    def make_controls(self):
        return [Control.steps("mean", "Q の中心 μ", self.MEAN_MIN, self.MEAN_MAX, 0.5, "{:+.1f}")]

    def kl_pair(self, mean: float):
        """中心 mean の Q について (D_KL(P‖Q), D_KL(Q‖P)) を返します。"""
        forward, reverse = _kl_both(self.p, self.x, [mean], self.width)
        return float(forward[0]), float(reverse[0])

    def make_figure(self):
        """上: P と Q、下: KL と中心の関係。動くのは Q の線と下の 2 つの点だけです。"""
        fig, (top, bottom) = new_figure(2, 1, figsize=self.FIGSIZE)
        fig.set_layout_engine("none")
        top.set_position([0.11, 0.63, 0.86, 0.35])
        bottom.set_position([0.11, 0.11, 0.86, 0.38])
        top.fill_between(self.x, self.p, color=COLORS["correct"], alpha=0.35,
                         label="P（2 つの山）")
        self.q_line, = top.plot(self.x, np.zeros_like(self.x), color=COLORS["curve"], lw=2,
                                label="Q（1 つの山）")
        top.set_xlim(self.x[0], self.x[-1])
        # 上の図の縦軸: P と Q の高いほうに少し余白を足します（どの位置でも同じ）
        top.set_ylim(0.0, 1.25 * max(self.p.max(), grid_bump(self.x, 0.0, self.width).max()))
        # 目盛りの文字は描くのに時間がかかるので、読むのに要る分だけにします
        top.set_xticks([-6, -4, -2, 0, 2, 4, 6])
        top.yaxis.set_major_locator(MaxNLocator(3))
        top.set_xlabel("x")
        top.set_ylabel("確率")
        top.legend(loc="upper right")
        bottom.plot(self.curve_means, self.curve_forward, color=COLORS["accent"], lw=2,
                    label="前向き D_KL(P‖Q)")
        bottom.plot(self.curve_means, self.curve_reverse, color=COLORS["curve"], lw=2,
                    ls="--", label="逆向き D_KL(Q‖P)")
        # 端の位置でも点が軸で切れないように clip_on=False にします
        self.forward_point, = bottom.plot([], [], "o", color=COLORS["accent"], ms=8, clip_on=False)
        self.reverse_point, = bottom.plot([], [], "o", color=COLORS["curve"], ms=8, clip_on=False)
        bottom.set_xlim(self.MEAN_MIN, self.MEAN_MAX)
        bottom.set_xticks([-2, -1, 0, 1, 2])
        # 凡例が曲線に重ならないよう、上に余白を残します
        bottom.set_ylim(0.0, 1.4 * max(self.curve_forward.max(), self.curve_reverse.max()))
        bottom.yaxis.set_major_locator(MaxNLocator(4))
        bottom.set_xlabel("Q の中心 μ")
        bottom.set_ylabel("KL（nat）")
        bottom.legend(loc="upper center", ncol=2)
        # 上の凡例は Q の線より上の層なので、線と一緒に描き直します
        self.moving = [self.q_line, top.get_legend(), self.forward_point, self.reverse_point]
        return fig

    def draw(self, mean: float) -> None:
        forward, reverse = self.kl_pair(mean)
        self.q_line.set_ydata(grid_bump(self.x, mean, self.width))
        self.forward_point.set_data([mean], [forward])
        self.reverse_point.set_data([mean], [reverse])

    def caption_for(self, mean: float) -> str:
        """説明文: Q の中心と、2 つの向きの KL ダイバージェンス。"""
        forward, reverse = self.kl_pair(mean)
        return (f"Q の中心 μ = {mean:+.1f}（幅 σ = {self.width:.1f}）: "
                f"D_KL(P‖Q) = {forward:.3f} nat、D_KL(Q‖P) = {reverse:.3f} nat")
