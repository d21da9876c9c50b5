r"""第5章の分布: 格子の上の「山」（離散化した正規分布）と、2 つの山を混ぜた分布、1 つの山を KL ダイバージェンスが
最小になるように合わせるグリッドサーチ（:func:`fit_one_bump`）。numpy と lossbook のコアだけを使います。

山の形は、正規分布の対数密度 $-(x-\mu)^2 / (2\sigma^2)$ をソフトマックス関数で
格子の上の確率分布にしたものです（和は 1。定数の係数は正規化で消えます）。
図と対話型の図は :mod:`lossbook.widgets.kl` にあります。
"""

from __future__ import annotations

import numpy as np

from .. import activations, losses
from .._validation import as_float_array, check_finite, check_nonempty, check_number, check_positive_float

__all__ = ["GRID_X", "BUMP_CENTERS", "BUMP_WEIGHT", "BUMP_WIDTH", "grid_bump", "two_bumps", "fit_one_bump"]

#: 本章で使う格子: -6 から 6 まで 0.05 刻みの 241 点。
GRID_X = np.linspace(-6.0, 6.0, 241)

#: 2 つの山の正解の分布 P の既定値（左の山が重い）。
BUMP_CENTERS = (-2.0, 2.0)
BUMP_WEIGHT = 0.6
BUMP_WIDTH = 0.6



def grid(x):
    """格子 x を確かめて float64 の 1 次元配列で返します。"""
    arr = as_float_array(x, "x")
    if arr.ndim != 1:
        raise ValueError(
            f"x は 1 次元の格子にしてください（形 {arr.shape} が渡されました）。"
            "np.linspace などで作った点の並びを渡してください。")
    check_nonempty(arr, "x")
    check_finite(arr, "x")
    return arr


def bumps(x, means, widths):
    """検査済みの格子 x に、中心 means・幅 widths の山を行ごとに並べます（内部用）。"""
    means = np.asarray(means, dtype=float).reshape(-1, 1)
    widths = np.asarray(widths, dtype=float).reshape(-1, 1)
    # 正規分布の対数密度をソフトマックス関数で格子の上の分布にします（和は 1）
    return activations.softmax(-((x[None, :] - means) ** 2) / (2.0 * widths ** 2))


def grid_bump(x, mean, width):
    r"""格子 x の上の、中心 ``mean``・幅 ``width`` の山（離散化した正規分布）を返します。

    .. math::

        Q(x_i) = \frac{\exp\bigl(-(x_i - \mu)^2 / (2\sigma^2)\bigr)}
                      {\sum_j \exp\bigl(-(x_j - \mu)^2 / (2\sigma^2)\bigr)}

    Parameters
    ----------
    x : array_like
        格子の点 $x_i$。1 次元。
    mean : float
        山の中心 $\mu$。
    width : float
        山の幅 $\sigma$（標準偏差）。正の数。

    Returns
    -------
    numpy.ndarray
        x と同じ長さの確率分布（0 以上、和は 1）。

    Raises
    ------
    ValueError
        x が 1 次元でない・空・NaN を含むとき、mean が有限でないとき、width が正でないとき。

    Examples
    --------
    >>> from lossbook.chapters.kl import grid_bump
    >>> grid_bump([-1.0, 0.0, 1.0], 0.0, 1.0).round(4).tolist()
    [0.2741, 0.4519, 0.2741]
    """
    x = grid(x)
    mean = check_number(mean, "mean")
    width = check_positive_float(width, "width")
    return bumps(x, [mean], [width])[0]


def two_bumps(x, weight=BUMP_WEIGHT, centers=BUMP_CENTERS, width=BUMP_WIDTH):
    r"""2 つの山を重み ``weight`` と ``1 - weight`` で混ぜた分布 $P$ を返します。

    .. math::

        P = w \, \mathrm{bump}(c_1, s) + (1 - w) \, \mathrm{bump}(c_2, s)

    Parameters
    ----------
    x : array_like
        格子の点。1 次元。
    weight : float
        左の山（``centers[0]``）の重み $w$。0 以上 1 以下。
    centers : tuple of float
        2 つの山の中心 $(c_1, c_2)$。
    width : float
        2 つの山に共通の幅 $s$。正の数。

    Returns
    -------
    numpy.ndarray
        x と同じ長さの確率分布。

    Examples
    --------
    >>> from lossbook.chapters.kl import two_bumps
    >>> p = two_bumps([-2.0, 0.0, 2.0], weight=0.5, width=1.0)
    >>> bool(abs(p.sum() - 1.0) < 1e-12), bool(p[0] == p[2])
    (True, True)
    """
    x = grid(x)
    weight = check_number(weight, "weight", minimum=0, maximum=1)
    c = as_float_array(centers, "centers")
    if c.shape != (2,) or not np.all(np.isfinite(c)):
        raise ValueError(
            f"centers は 2 つの有限の数 (c1, c2) にしてください（渡された値: {centers!r}）。")
    width = check_positive_float(width, "width")
    left, right = bumps(x, c, [width, width])
    return weight * left + (1.0 - weight) * right


_DIRECTIONS = ("forward", "reverse")



def kl_rows(p, qs, direction):
    """一つの分布 p と、行ごとの分布 qs の KL ダイバージェンスを行ごとに返します（内部用）。"""
    ps = np.broadcast_to(p, qs.shape)
    if direction == "forward":
        return losses.kl_divergence(ps, qs, reduction="none")   # D_KL(P || Q)
    return losses.kl_divergence(qs, ps, reduction="none")       # D_KL(Q || P)



def fit_one_bump(p, x, means, widths, direction="forward"):
    r"""1 つの山 $Q$ を分布 p に、KL ダイバージェンスが最小になるように合わせます。

    中心の候補 ``means`` と幅の候補 ``widths`` のすべての組を試すグリッドサーチです。

    * ``direction="forward"``: 前向き KL $D_{\mathrm{KL}}(P \| Q)$ を最小にします。
    * ``direction="reverse"``: 逆向き KL $D_{\mathrm{KL}}(Q \| P)$ を最小にします。

    Parameters
    ----------
    p : array_like
        合わせる相手の分布 $P$（x と同じ長さ、和は 1）。
    x : array_like
        格子の点。1 次元。
    means, widths : array_like
        中心 $\mu$ と幅 $\sigma$ の候補（1 次元。幅は正）。
    direction : {"forward", "reverse"}
        どちらの向きの KL を最小にするか。

    Returns
    -------
    best_mean : float
    best_width : float
    best_kl : float
        最小になった KL ダイバージェンス（nat）。
    table : numpy.ndarray
        形 (len(means), len(widths)) の KL の表。$Q$ が 0 に丸められた点で $P > 0$ なら
        $+\infty$ です。

    Raises
    ------
    ValueError
        direction が不明、p が x と同じ長さの分布でない、候補が空や正でない幅を含むとき。
    """
    if direction not in _DIRECTIONS:
        raise ValueError(
            f"direction は \"forward\"（D_KL(P‖Q)）か \"reverse\"（D_KL(Q‖P)）にしてください"
            f"（渡された値: {direction!r}）。")
    x = grid(x)
    p_arr = as_float_array(p, "p")
    if p_arr.shape != x.shape:
        raise ValueError(
            f"p の形 {p_arr.shape} と x の形 {x.shape} が合いません。格子の各点に確率を一つずつ"
            "与えてください。")
    m = as_float_array(means, "means")
    s = as_float_array(widths, "widths")
    for arr, name in ((m, "means"), (s, "widths")):
        if arr.ndim != 1:
            raise ValueError(f"{name} は 1 次元の候補の並びにしてください（形 {arr.shape}）。")
        check_nonempty(arr, name)
        check_finite(arr, name)
    if np.any(s <= 0):
        raise ValueError(f"widths に正でない幅があります（{float(s[s <= 0][0])}）。幅は正の数にしてください。")
    mm, ss = np.meshgrid(m, s, indexing="ij")
    table = kl_rows(p_arr, bumps(x, mm.ravel(), ss.ravel()), direction).reshape(mm.shape)
    i, j = np.unravel_index(np.argmin(table), table.shape)
    return float(m[i]), float(s[j]), float(table[i, j]), table
