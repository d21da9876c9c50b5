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

import ipywidgets as w
import numpy as np

from ..plotting import COLORS, new_figure
from ..chapters.regression import (SEED, TRUE_INTERCEPT, TRUE_SLOPE, fit_three, loss_of_line, rent_data,
                                  with_outlier)
from ..twin import frame_twin
from ._base import Explorer

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


def _caption(outlier_y: float, x, y, fits, delta: float) -> str:
    """説明文: 外れ値の家賃、3 本の直線の傾き、それぞれのロスの値。"""
    slopes = "、".join(f"{LABELS[n]} {a:.2f}" for n, (a, _) in fits.items())
    values = "、".join(f"{LABELS[n]} {loss_of_line(x, y, n, a, b, delta):.3f}"
                       for n, (a, b) in fits.items())
    return (f"外れ値の家賃 {outlier_y:.1f} 万円 → 傾き a: {slopes}"
            f"（真の傾き {TRUE_SLOPE:.2f}）。ロス: {values}")


class OutlierRegressionExplorer(Explorer):
    """第4章: 外れ値の家賃を動かすと、MSE・MAE・Huber の直線がどう動くかを見ます。

    注目点: 外れ値を遠ざけると MSE の直線は動き続けますが、MAE と Huber の直線は
    ある所から先はほとんど動きません（勾配の大きさに上限があるため）。

    Parameters
    ----------
    outlier_y : float
        最初のスライダーの値（外れ値の物件の家賃、万円）。
    seed : int
        :func:`rent_data` のシード。
    """

    #: スライダーの範囲と刻み（万円）。静的ツインも同じ 8 フレームです。
    Y_MIN, Y_MAX, Y_STEP = 4.0, 18.0, 2.0
    DELTA = 1.0
    FIGSIZE = (5.4, 3.4)
    #: 軸の位置（図に対する割合: 左, 下, 幅, 高さ）。
    AXES_POSITION = (0.11, 0.15, 0.86, 0.76)
    HINT = "外れ値を上へ動かして、MSE の直線だけが引っぱられ続けることに注目してください。"
    TEXT = "（対話型の図: 外れ値の家賃のスライダーと 3 本の回帰直線。JupyterLab で動かせます）"

    def __init__(self, outlier_y: float = 14.0, seed: int = SEED):
        self.x, self.y = rent_data(seed)
        self.slider = w.FloatSlider(
            value=outlier_y, min=self.Y_MIN, max=self.Y_MAX, step=self.Y_STEP,
            description="外れ値の y", readout_format=".1f", continuous_update=False,
            style={"description_width": "initial"}, layout=w.Layout(width="420px"))
        width = int(self.FIGSIZE[0] * 90)
        self._build([self.slider], image_width=width)
        self.update(outlier_y)

    def _frame(self, outlier_y: float):
        """外れ値の家賃 outlier_y のときの図と説明文を作ります。"""
        x, y = with_outlier(self.x, self.y, outlier_y)
        fits = fit_three(x, y, delta=self.DELTA)
        fig, ax = new_figure(figsize=self.FIGSIZE)
        # 軸の位置を固定します。constrained layout の計算を省くと描画が約 2 倍速くなり、
        # フレームごとに軸が動かないので、静的ツインで図を切り替えても枠がずれません
        fig.set_layout_engine("none")
        ax.set_position(self.AXES_POSITION)
        plot_outlier_fits(ax, x, y, fits, title=f"外れ値の家賃 y = {outlier_y:.0f} 万円")
        return fig, _caption(outlier_y, x, y, fits, self.DELTA)

    def update(self, outlier_y: float) -> None:
        """スライダーが動いたときのコールバック: 3 本の直線を当てはめ直して描き直します。"""
        fig, caption = self._frame(outlier_y)
        self._show(fig, caption)

    def frame_values(self):
        """スライダーの各位置（外れ値の家賃、万円）。静的ツインのフレームと同じです。"""
        n = int(round((self.Y_MAX - self.Y_MIN) / self.Y_STEP)) + 1
        return np.round(np.linspace(self.Y_MIN, self.Y_MAX, n), 10)

    def static_twin(self):
        """HTML 用の静的ツイン（フレームごとに図を差し替える版）を作ります。"""
        values = self.frame_values()
        frames = [self._frame(v) for v in values]
        initial = int(np.argmin(np.abs(values - self.slider.value)))
        return frame_twin(
            [fig for fig, _ in frames], [cap for _, cap in frames],
            [f"{v:.0f} 万円" for v in values],
            slider_label="外れ値の家賃 y",
            alt="駅からの距離（横軸）と家賃（縦軸）の散布図に、MSE・MAE・Huber で当てはめた"
                " 3 本の直線と真の直線を重ねた図です。右端近くの外れ値の家賃を上げると MSE の直線だけが"
                "大きく傾き、MAE と Huber の直線は真の直線の近くにとどまります。",
            initial=initial, hint=self.HINT)
