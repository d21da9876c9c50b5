r"""第 5 章（KL ダイバージェンス）の対話型の図 :class:`KLDirectionExplorer`（1 つの山 $Q$ の中心を動かして、
2 つの向きの KL ダイバージェンスを比べる図）。

格子（グリッド）の上の「山」の分布と、1 つの山を 2 つの山に合わせるグリッドサーチ（``fit_one_bump``）は
:mod:`lossbook.chapters.kl` にあり、このモジュールはそれを描くだけです。

KL ダイバージェンスは lossbook のコア（``kl_divergence``）で計算します。

Chapter 5 explorer: move one bump Q across a two-bump P and compare forward and reverse KL
(the bumps and the grid search live in :mod:`lossbook.chapters.kl`).
"""

from __future__ import annotations

import ipywidgets as w
import numpy as np
from matplotlib.ticker import MaxNLocator

from .._validation import check_number, check_positive_float
from ..plotting import COLORS, new_figure
from ..chapters.kl import GRID_X, bumps, grid_bump, kl_rows, two_bumps
from ..twin import frame_twin
from ._base import Explorer


__all__ = ["KLDirectionExplorer"]


def _kl_both(p, x, means, width):
    """中心 means（複数）・幅 width の山 Q それぞれについて、2 つの向きの KL を返します。"""
    qs = bumps(x, means, np.full(len(means), width))
    return kl_rows(p, qs, "forward"), kl_rows(p, qs, "reverse")


def _kl_caption(mean, width, forward, reverse):
    """説明文: Q の中心と、2 つの向きの KL ダイバージェンス。"""
    return (f"Q の中心 μ = {mean:+.1f}（幅 σ = {width:.1f}）: "
            f"D_KL(P‖Q) = {forward:.3f} nat、D_KL(Q‖P) = {reverse:.3f} nat")


class KLDirectionExplorer(Explorer):
    """第 5 章: 1 つの山 Q の中心を動かし、2 つの向きの KL ダイバージェンスを比べます。

    上の図は 2 つの山の分布 P（塗りつぶし）と 1 つの山 Q（線）、下の図は Q の中心を
    横軸にした D_KL(P‖Q) と D_KL(Q‖P) の曲線と、いまの位置の点です。

    注目点: D_KL(P‖Q) は Q が 2 つの山の間にあるとき、D_KL(Q‖P) は Q が
    どちらかの山に重なるときに小さくなります。

    Parameters
    ----------
    mean : float
        最初の Q の中心 μ（スライダーの値）。
    width : float
        Q の幅 σ（この図では固定。別の幅を見たいときは引数を変えて作り直します）。
    """

    #: スライダーの範囲と刻み（静的ツインのフレームと同じ 11 点）。
    MEAN_MIN, MEAN_MAX, MEAN_STEP = -2.5, 2.5, 0.5
    HINT = "Q の中心を動かし、2 つの向きの KL ダイバージェンスが小さくなる場所の違いに注目してください。"
    FIGSIZE = (6.0, 4.4)

    TEXT = "（対話型の図: Q の中心のスライダーと、2 つの向きの KL ダイバージェンス。JupyterLab で動かせます）"

    def __init__(self, mean: float = 1.0, width: float = 1.0):
        self.width = check_positive_float(width, "width")
        mean = check_number(mean, "mean")
        if not self.MEAN_MIN <= mean <= self.MEAN_MAX:
            raise ValueError(
                f"mean は {self.MEAN_MIN} 以上 {self.MEAN_MAX} 以下にしてください"
                f"（渡された値: {mean!r}）。")
        self.x = GRID_X
        self.p = two_bumps(self.x)
        # 上の図の縦軸: P と Q の高いほうに少し余白を足します（どのフレームでも同じ）
        self.p_top = 1.25 * max(self.p.max(), grid_bump(self.x, 0.0, self.width).max())
        # 下の図の曲線（スライダーで変わらない部分）は一度だけ計算します
        self.curve_means = np.linspace(self.MEAN_MIN, self.MEAN_MAX, 101)
        self.curve_forward, self.curve_reverse = _kl_both(
            self.p, self.x, self.curve_means, self.width)
        self.slider = w.FloatSlider(
            value=mean, min=self.MEAN_MIN, max=self.MEAN_MAX, step=self.MEAN_STEP,
            description="Q の中心 μ", readout_format="+.1f", continuous_update=True,
            style={"description_width": "initial"}, layout=w.Layout(width="420px"))
        self._build([self.slider])
        self.update(mean)

    def kl_pair(self, mean: float):
        """中心 mean の Q について (D_KL(P‖Q), D_KL(Q‖P)) を返します。"""
        forward, reverse = _kl_both(self.p, self.x, [mean], self.width)
        return float(forward[0]), float(reverse[0])

    def _figure(self, mean: float):
        """中心 mean の Q の図（上: P と Q、下: KL と中心の関係）を描きます。"""
        q = grid_bump(self.x, mean, self.width)
        forward, reverse = self.kl_pair(mean)
        fig, (top, bottom) = new_figure(2, 1, figsize=self.FIGSIZE)
        # 11 枚描くので、時間のかかる自動レイアウトを切り、位置を手で決めます
        fig.set_layout_engine("none")
        top.set_position([0.11, 0.63, 0.86, 0.35])
        bottom.set_position([0.11, 0.11, 0.86, 0.38])
        top.fill_between(self.x, self.p, color=COLORS["correct"], alpha=0.35,
                         label="P（2 つの山）")
        top.plot(self.x, q, color=COLORS["curve"], lw=2, label="Q（1 つの山）")
        top.set_xlim(self.x[0], self.x[-1])
        top.set_ylim(0.0, self.p_top)
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
        bottom.plot([mean], [forward], "o", color=COLORS["accent"], ms=8, clip_on=False)
        bottom.plot([mean], [reverse], "o", color=COLORS["curve"], ms=8, clip_on=False)
        bottom.set_xlim(self.MEAN_MIN, self.MEAN_MAX)
        bottom.set_xticks([-2, -1, 0, 1, 2])
        # 凡例が曲線に重ならないよう、上に余白を残します
        kl_top = 1.4 * max(self.curve_forward.max(), self.curve_reverse.max())
        bottom.set_ylim(0.0, kl_top)
        bottom.yaxis.set_major_locator(MaxNLocator(4))
        bottom.set_xlabel("Q の中心 μ")
        bottom.set_ylabel("KL（nat）")
        bottom.legend(loc="upper center", ncol=2)
        return fig

    def update(self, mean: float) -> None:
        """スライダーが動いたときのコールバック: 図と説明文を描き直します。"""
        self._show(self._figure(mean), _kl_caption(mean, self.width, *self.kl_pair(mean)))

    def frame_means(self):
        """静的ツインのフレームの中心（スライダーと同じ範囲・刻み）を返します。"""
        n = int(round((self.MEAN_MAX - self.MEAN_MIN) / self.MEAN_STEP)) + 1
        return np.round(np.linspace(self.MEAN_MIN, self.MEAN_MAX, n), 10)

    def static_twin(self):
        """HTML 用の静的ツインを作ります（中心を 0.5 刻みで動かす 11 枚の図）。"""
        means = self.frame_means()
        figures = [self._figure(m) for m in means]
        captions = [_kl_caption(m, self.width, *self.kl_pair(m)) for m in means]
        initial = int(np.argmin(np.abs(means - self.slider.value)))
        return frame_twin(
            figures, captions, [f"{m:+.1f}" for m in means],
            slider_label="Q の中心 μ",
            alt="上の段は、左右に 2 つの山がある分布 P と、1 つの山の分布 Q。"
                "下の段は、Q の中心を横軸にした 2 つの向きの KL ダイバージェンスの曲線。"
                "D_KL(P‖Q) は 2 つの山の間で最小になり、D_KL(Q‖P) は Q が山に重なると小さくなります。",
            initial=initial, hint=self.HINT)
