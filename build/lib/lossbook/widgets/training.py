"""第2章の対話型の図: 学習の歩数を動かすと、決定領域とロスがどう変わるかを見ます。

* JupyterLab では ipywidgets のスライダー（歩数）で図を描き直します。
* HTML のブックでは、同じ歩数の図をフレームとして持つ静的ツイン
  （:func:`lossbook.twin.frame_twin`）になります。決定領域の形がフレームごとに
  変わるので、印を動かす :func:`~lossbook.twin.marker_twin` ではなくこちらを使います。

学習は最初に一度だけ :func:`lossbook.softmax_regression.fit` で行い、スライダーは
その記録（各歩のパラメータとロス）を読むだけです。

Chapter 2 explorer: decision regions and the loss at a chosen training step.
"""

from __future__ import annotations

import numpy as np
from matplotlib.colors import ListedColormap

from .. import softmax_regression as sr
from ..plotting import new_figure
from ._base import Control, Explorer

__all__ = ["TrainingExplorer", "plot_decision_regions", "CLASS_COLORS", "CLASS_MARKERS", "STEPS"]

#: クラス 0, 1, 2 の色（点）と、決定領域の薄い色。
CLASS_COLORS = ("#1f77b4", "#d62728", "#9467bd")
REGION_COLORS = ("#c6dbef", "#f7c6c6", "#dcd0ea")
#: クラスごとの点の形（色が見分けにくい読者のため、形でも区別します）。
CLASS_MARKERS = ("o", "s", "^")

#: スライダーで選べる歩数。最初の数十歩で大きく変わるので、前半を細かくします。
STEPS = (0, 2, 5, 10, 15, 20, 30, 40, 60, 80, 100, 150, 200)

#: 決定領域を描く範囲（データの点がすべて入る広さ）。
LIMITS = (-5.0, 5.0)


def plot_decision_regions(ax, W, b, X, y, title="", n=150):
    """パラメータ (W, b) の決定領域を塗り、その上にデータの点を描きます。

    各場所の色は、その場所の点を :func:`lossbook.softmax_regression.predict` で
    推論したクラスです。点の色と形は正解のクラスです。

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        描く先。
    W, b : array_like
        モデルのパラメータ（形 (2, 3) と (3,)）。
    X, y : array_like
        点の座標（形 (N, 2)）と正解のクラス番号（形 (N,)）。
    title : str
        図の題。
    n : int
        格子の細かさ（n × n 点で推論します）。
    """
    xs, ys, classes = sr.grid_predictions(W, b, LIMITS, LIMITS, n=n)
    ax.imshow(classes, origin="lower", extent=(*LIMITS, *LIMITS),
              cmap=ListedColormap(REGION_COLORS), vmin=-0.5, vmax=2.5,
              interpolation="nearest", aspect="equal")
    X = np.asarray(X)
    y = np.asarray(y)
    for k, (color, marker) in enumerate(zip(CLASS_COLORS, CLASS_MARKERS)):
        pts = X[y == k]
        ax.scatter(pts[:, 0], pts[:, 1], s=18, color=color, marker=marker,
                   edgecolors="white", linewidths=0.4, label=f"クラス {k}")
    ax.set_xlim(*LIMITS)
    ax.set_ylim(*LIMITS)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.grid(False)
    if title:
        ax.set_title(title)
    return ax


class TrainingExplorer(Explorer):
    """第 2 章: 学習の歩数を選ぶと、その時点の決定領域とロスを表示します。

    注目点: ロスが下がるにつれて、色の境界が点の集まりの間へ動いていきます。

    Parameters
    ----------
    step : int
        最初に表示する歩数（:data:`STEPS` のどれか）。
    eta : float
        学習率。
    init_seed : int
        学習前のパラメータを作る乱数のシード（:func:`~lossbook.softmax_regression.init_params`）。
    """

    HINT = "歩数を右へ動かし、ロスが下がるにつれて色の境界がどう動くかに注目してください。"
    TEXT = "（対話型の図: 学習の歩数のスライダーと決定領域。JupyterLab で動かせます）"
    ALT = ("平面を 3 つのクラスの予測で塗り分けた決定領域と、3 色の学習データの点。"
           "題に選んだ歩数とそのときのロスがあります。歩数が増えるとロスが下がり、"
           "色の境界が点の集まりの間へ動きます。")
    FIGSIZE = (4.0, 3.6)
    #: 軸の位置（図に対する割合: 左, 下, 幅, 高さ）。
    AXES_POSITION = (0.15, 0.13, 0.82, 0.79)
    #: 決定領域を塗る格子の細かさ（GRID × GRID 点で推論します）
    GRID = 150

    def __init__(self, step: int = 0, eta: float = 0.1, init_seed: int = sr.INIT_SEED):
        self.X, self.y = sr.make_toy_data()
        W0, b0 = sr.init_params(seed=init_seed)
        self.history = sr.fit(self.X, self.y, W0, b0, eta=eta, steps=max(STEPS))
        super().__init__(step=step)

    def make_controls(self):
        return [Control("step", "歩数", STEPS, "{}")]

    def make_figure(self):
        fig, ax = new_figure(figsize=self.FIGSIZE)
        fig.set_layout_engine("none")
        ax.set_position(self.AXES_POSITION)
        W, b = self.history.params[0]
        plot_decision_regions(ax, W, b, self.X, self.y, title=" ", n=self.GRID)
        self.regions = ax.images[0]
        # 塗り分けの上に点を描き直すので、点も「動く部品」に入れます（点は塗り分けより上の層です）
        # 枠線（spine）も塗り分けより上の層なので、一緒に描き直します
        self.moving = [self.regions, *ax.collections, *ax.spines.values(), ax.title]
        return fig

    def draw(self, step: int) -> None:
        W, b = self.history.params[step]
        _, _, classes = sr.grid_predictions(W, b, LIMITS, LIMITS, n=self.GRID)
        self.regions.set_data(classes)
        self.fig.axes[0].set_title(f"{step} 歩目（ロス {float(self.history.loss[step]):.3f} nat）")

    def caption_for(self, step: int) -> str:
        """説明文: 歩数 step の学習データでのロスと正解率。"""
        loss = float(self.history.loss[step])
        acc = float(self.history.accuracy[step])
        return (f"{step} 歩目: 学習データでのロス L = {loss:.3f} nat、"
                f"正解率 {100 * acc:.1f}%")
