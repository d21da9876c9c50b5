"""本書の図を描く関数（ノートブック・ウィジェット・静的ツインで共通）。

同じ図をノートブックの本文と対話版の両方で使うので、描き方はここに一度だけ書きます。
matplotlib を使うので ``import lossbook`` では読み込まれません。
"""

from __future__ import annotations

import numpy as np

from . import losses
from .plotting import COLORS

__all__ = ["plot_loss_vs_probability"]


def plot_loss_vs_probability(ax, p_min: float = 0.01, n: int = 400):
    """正解に与えた確率 p と、そのときのクロスエントロピー（ロス）の曲線を描きます。

    正解がひとつ（one-hot）のとき、ロスは :math:`L = -\\log p` になります。
    曲線の値は ``lossbook.cross_entropy`` で計算します（式を書き直しません）。

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        描く先。
    p_min : float
        横軸の左端。p → 0 でロスは無限大に発散するので、少し手前で止めます。
    n : int
        曲線を描く点の数。
    """
    p = np.linspace(p_min, 1.0, n)
    # 2 クラスの分布 [p, 1-p] で正解が 0 番、としてロスを計算します。
    probs = np.stack([p, 1.0 - p], axis=1)
    loss = losses.cross_entropy(np.zeros(n, dtype=int), probs, reduction="none")
    ax.plot(p, loss, color=COLORS["curve"], lw=2, label=r"$L = -\log p$")
    ax.set_xlim(0.0, 1.02)
    ax.set_ylim(0.0, float(loss.max()) * 1.05)
    ax.set_xlabel("予測確率 p")
    ax.set_ylabel("ロス L（nat）")
    return ax
