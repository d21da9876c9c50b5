"""第4章: 外れ値で動く 3 本の回帰直線の図と対話型の図。

データ（``rent_data``）と直線の当てはめ（``fit_line``、``fit_three``）は :mod:`lossbook.chapters.regression`
にあり、このモジュールはそれを描くだけです。

* :func:`plot_outlier_fits` — 3 本の直線とデータを描きます。
* :class:`OutlierRegressionExplorer` — 外れ値の家賃をスライダーで動かし、3 本の直線と
  それぞれのロスがどう変わるかを見ます（HTML では :func:`lossbook.twin.frame_twin`）。

説明文のロスは ``lossbook`` の ``mse`` / ``mae`` / ``huber`` で
計算します（式を書き直しません）。
"""

from __future__ import annotations

import numpy as np

from ..plotting import COLORS, new_figure
from ..chapters.regression import (SEED, TRUE_INTERCEPT, TRUE_SLOPE, fit_three, loss_of_line, rent_data,
                                  with_outlier)
from ._base import Control, Explorer

__all__ = ["LABELS", "LINE_STYLES", "plot_outlier_fits", "OutlierRegressionExplorer"]

#: 図と説明文で使う名前・色・線の種類。
LABELS = {"mse": "MSE", "mae": "MAE", "huber": "Huber"}
LINE_STYLES = {"mse": (COLORS["curve"], "-"), "mae": ("#9467bd", "--"),
               "huber": ("#8c564b", "-.")}


def plot_outlier_fits(ax, x, y, fits, *, title=None, y_lim=(3.0, 19.0)):
    """データ（最後の点が外れ値）と、3 本の直線・真の直線を描きます。"""
    grid = np.array([0.0, 2.1])
    ax.plot(grid, TRUE_INTERCEPT + TRUE_SLOPE * grid, ":", color=COLORS["correct"], lw=1.5,
            label="真の直線")
    ax.plot(x[:-1], y[:-1], "o", color=COLORS["muted"], ms=4)
    ax.plot(x[-1:], y[-1:], "o", color=COLORS["accent"], ms=8, label="外れ値")
    for name, (a, b) in fits.items():
        color, style = LINE_STYLES[name]
        ax.plot(grid, a * grid + b, style, color=color, lw=2, label=LABELS[name])
    ax.set_xlim(*grid)
    ax.set_ylim(*y_lim)
    # 目盛りの数を絞ると、文字の配置の計算が減って描画が速くなります（静的ツインは何枚も描くため）
    ax.set_xticks([0.0, 0.5, 1.0, 1.5, 2.0])
    ax.set_yticks(np.arange(4.0, y_lim[1], 4.0))
    ax.set_xlabel("駅からの距離 x（km）")
    ax.set_ylabel("家賃 y（万円）")
    if title:
        ax.set_title(title)
    ax.legend(loc="upper left", ncol=3, fontsize=8, handlelength=2.2)
    return ax


class OutlierRegressionExplorer(Explorer):
    """第4章: 外れ値の家賃を動かすと、MSE・MAE・Huber の直線がどう動くかを見ます。

    注目点: 外れ値を遠ざけると MSE の直線は動き続けますが、MAE と Huber の直線は
    ある所から先はほとんど動きません（勾配の大きさに上限があるため）。

    Parameters
    ----------
    outlier_y : float
        最初のスライダーの値（外れ値の物件の家賃、4 から 18 万円までの 2 万円刻み）。
    seed : int
        :func:`rent_data` のシード。
    """

    DELTA = 1.0
    FIGSIZE = (5.4, 3.4)
    #: 軸の位置（図に対する割合: 左, 下, 幅, 高さ）。
    AXES_POSITION = (0.11, 0.15, 0.86, 0.76)
    HINT = "外れ値を上へ動かして、MSE の直線だけが引っぱられ続けることに注目してください。"
    TEXT = "（対話型の図: 外れ値の家賃のスライダーと 3 本の回帰直線。JupyterLab で動かせます）"
    ALT = ("駅からの距離（横軸）と家賃（縦軸）の散布図に、MSE・MAE・Huber で当てはめた"
           " 3 本の直線と真の直線を重ねた図です。右端近くの外れ値の家賃を上げると MSE の直線だけが"
           "大きく傾き、MAE と Huber の直線は真の直線の近くにとどまります。")

    def __init__(self, outlier_y: float = 14.0, seed: int = SEED):
        self.x, self.y = rent_data(seed)
        self._fit_cache = {}
        super().__init__(outlier_y=outlier_y)

    def make_controls(self):
        return [Control.steps("outlier_y", "外れ値の家賃 y", 4.0, 18.0, 2.0, "{:.0f} 万円")]

    def _fits(self, outlier_y: float):
        """外れ値の家賃を outlier_y にしたデータと、3 つのロスで当てはめた直線。

        当てはめ（MAE と Huber は反復計算）は 1 回 数 ms かかり、図と説明文の両方が使うので、
        スライダーの位置ごとに一度だけ計算して覚えます（位置は 8 つだけです）。
        """
        if outlier_y not in self._fit_cache:
            x, y = with_outlier(self.x, self.y, outlier_y)
            self._fit_cache[outlier_y] = (x, y, fit_three(x, y, delta=self.DELTA))
        return self._fit_cache[outlier_y]

    def make_figure(self):
        fig, ax = new_figure(figsize=self.FIGSIZE)
        fig.set_layout_engine("none")
        ax.set_position(self.AXES_POSITION)
        x, y, fits = self._fits(self.values["outlier_y"])
        plot_outlier_fits(ax, x, y, fits, title=" ")
        # 動くのは外れ値の点・3 本の直線・題です。凡例は直線の上に重なるので、一緒に描き直します
        self.outlier = ax.lines[2]
        self.fit_lines = dict(zip(fits, ax.lines[3:6]))
        self.moving = [self.outlier, *self.fit_lines.values(), ax.title, ax.get_legend()]
        return fig

    def draw(self, outlier_y: float) -> None:
        x, y, fits = self._fits(outlier_y)
        self.outlier.set_data(x[-1:], y[-1:])
        grid = self.outlier.axes.get_xlim()
        for name, (a, b) in fits.items():
            self.fit_lines[name].set_data(grid, [a * grid[0] + b, a * grid[1] + b])
        self.outlier.axes.set_title(f"外れ値の家賃 y = {outlier_y:.0f} 万円")

    def caption_for(self, outlier_y: float) -> str:
        """説明文: 外れ値の家賃、3 本の直線の傾き、それぞれのロスの値。"""
        x, y, fits = self._fits(outlier_y)
        slopes = "、".join(f"{LABELS[n]} {a:.2f}" for n, (a, _) in fits.items())
        values = "、".join(f"{LABELS[n]} {loss_of_line(x, y, n, a, b, self.DELTA):.3f}"
                           for n, (a, b) in fits.items())
        return (f"外れ値の家賃 {outlier_y:.1f} 万円 → 傾き a: {slopes}"
                f"（真の傾き {TRUE_SLOPE:.2f}）。ロス: {values}")
