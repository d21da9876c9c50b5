"""第8章: 1 つの予測を 3 つのものさし（クロスエントロピー・MSE・KL ダイバージェンス）で測ります。

「今日はいい____」の予測で、「天気」に与える確率 p を動かし、残りを「電車」と「気分」に
半分ずつ分けます。そのときの

* クロスエントロピー（正解は one-hot 表現の「天気」）、
* 平均二乗誤差（one-hot 表現と予測確率の 3 成分の平均）、
* KL ダイバージェンス :math:`D_{\\mathrm{KL}}(P \\Vert Q)`（P は教師モデルの分布 ``TEACHER``）

を同じ図に描き、3 つの曲線の上を印が動きます。
"""

from __future__ import annotations

import numpy as np

from .. import losses
from ..plotting import COLORS, new_figure
from ..chapters.summary import TEACHER, WORDS, three_losses
from ._base import Control, Explorer

__all__ = ["plot_three_losses", "ThreeRulersExplorer"]

_CURVES = (("クロスエントロピー", COLORS["curve"]), ("平均二乗誤差", COLORS["correct"]),
           ("教師の分布 P との KL ダイバージェンス", COLORS["accent"]))


def plot_three_losses(ax, p_min: float = 0.05, p_max: float = 0.95, n: int = 300):
    """3 つのロスを p（「天気」に与えた確率）の関数として描きます。

    p = 1 では「電車」と「気分」の確率が 0 になり、教師の分布との KL ダイバージェンスは
    無限大になるので、少し手前（p_max）で止めます。
    """
    ps = np.linspace(p_min, p_max, n)
    # 曲線の点はまとめて（行ごとのロスを reduction="none" で）計算します
    qs = np.stack([ps, (1.0 - ps) / 2, (1.0 - ps) / 2], axis=1)
    onehots = np.tile(np.eye(len(WORDS))[0], (n, 1))
    values = np.stack([
        losses.cross_entropy(np.zeros(n, dtype=int), qs, reduction="none"),
        losses.mse(onehots, qs, reduction="none").mean(axis=1),
        losses.kl_divergence(np.tile(TEACHER, (n, 1)), qs, reduction="none"),
    ], axis=1)
    for k, (label, color) in enumerate(_CURVES):
        ax.plot(ps, values[:, k], color=color, lw=2, label=label)
    ax.axvline(TEACHER[0], color=COLORS["muted"], ls="--", lw=1)
    ax.set_xlim(0.0, 1.02)
    ax.set_ylim(0.0, float(values.max()) * 1.05)
    ax.set_xlabel("「天気」に与えた確率 p")
    ax.set_ylabel("ロス（nat、MSE は確率の 2 乗）")
    ax.set_title("1 つの予測を 3 つのものさしで測る")
    ax.legend(loc="upper right")
    return ax


class ThreeRulersExplorer(Explorer):
    """「天気」に与える確率を動かし、3 つのロスがそれぞれどこで最小になるかを見ます。

    注目点: クロスエントロピーと平均二乗誤差は p を 1 に近づけるほど下がりますが、
    教師の分布との KL ダイバージェンスは p = 0.7（教師と同じ確率）で 0 になります。

    Parameters
    ----------
    p : float
        最初のスライダーの値（「天気」に与える確率、0.05 から 0.95 までの 0.05 刻み）。
    """

    HINT = "スライダーを動かして、3 つの曲線がそれぞれどの p で最小になるかに注目してください。"
    TEXT = "（対話型の図: p(天気) のスライダーと 3 つのロスの曲線。JupyterLab で動かせます）"
    ALT = ("横軸が「天気」に与えた確率 p、縦軸がロスの図。クロスエントロピーと平均二乗誤差は "
           "p が大きいほど下がり、教師の分布との KL ダイバージェンスは p = 0.7 で 0 になります。")
    TWIN_KIND = "markers"

    def __init__(self, p: float = 0.6):
        super().__init__(p=p)

    def make_controls(self):
        # p = 1 では KL ダイバージェンスが無限大になるので 0.95 までにします
        return [Control.steps("p", "p(天気)", 0.05, 0.95, 0.05, "{:.2f}")]

    def make_figure(self):
        fig, ax = new_figure()
        plot_three_losses(ax)
        # 3 つの曲線の上の印（曲線と同じ色）
        self.moving = [ax.plot([], [], "o", color=color, ms=9, zorder=3, mec="white")[0]
                       for _, color in _CURVES]
        return fig

    def draw(self, p: float) -> None:
        for point, value in zip(self.moving, three_losses(p)):
            point.set_data([p], [value])

    def caption_for(self, p: float) -> str:
        """説明文: 3 つのロスの値。"""
        ce, mse, kl = three_losses(p)
        return (f"p(天気) = {p:.2f}: クロスエントロピー {ce:.3f}、平均二乗誤差 {mse:.3f}、"
                f"KL ダイバージェンス {kl:.3f}")
