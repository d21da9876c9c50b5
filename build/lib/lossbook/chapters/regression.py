"""第4章の回帰の例: 駅からの距離（km）と家賃（万円）のデータと、MSE・MAE・Huber ロスで直線を当てはめる
計算（:func:`fit_line`、:func:`fit_three`）。numpy と lossbook のコアだけを使います。

図と対話型の図は :mod:`lossbook.widgets.regression` にあります。練習問題の答え合わせ
（:mod:`lossbook.exercises.ch04`）も、このデータを使います。
"""

from __future__ import annotations

import numpy as np

from .. import grad, losses
from .._validation import (as_float_array, check_delta, check_finite, check_int_at_least, check_ndim,
                           check_same_shape)

__all__ = ["TRUE_SLOPE", "TRUE_INTERCEPT", "NOISE_SD", "N_POINTS", "X_RANGE", "OUTLIER_X", "SEED",
           "rent_data", "with_outlier", "LOSSES", "fit_line", "fit_three", "loss_of_line"]

#: データを作る「真の直線」y = 9 − 2x（家賃 万円、距離 km）と、雑音の標準偏差（万円）。
TRUE_SLOPE = -2.0
TRUE_INTERCEPT = 9.0
NOISE_SD = 0.3
#: 物件の数と、駅からの距離の範囲（km）。
N_POINTS = 20
X_RANGE = (0.2, 2.0)
#: 外れ値の物件の、駅からの距離（km）。右端近くに置くと直線を強く傾けます。
OUTLIER_X = 1.9
#: データの乱数のシード（本書の図と数値はこのシードのデータで計算しています）。
SEED = 9


def rent_data(seed: int = SEED):
    """駅からの距離 x（km）と家賃 y（万円）の小さなデータを作ります。

    x は 0.2〜2.0 km の一様乱数を小さい順に並べたもの、y は真の直線
    $y = 9 - 2x$ に標準偏差 0.3 万円のガウス雑音を足したものです。

    Parameters
    ----------
    seed : int, default SEED (9)
        ``np.random.default_rng`` のシード。同じシードなら毎回同じデータです。

    Returns
    -------
    x, y : numpy.ndarray
        形 (20,) の float64 配列。
    """
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(*X_RANGE, size=N_POINTS))
    y = TRUE_INTERCEPT + TRUE_SLOPE * x + rng.normal(0.0, NOISE_SD, size=N_POINTS)
    return x, y


def with_outlier(x, y, outlier_y: float):
    """データの最後に、距離 :data:`OUTLIER_X` km・家賃 ``outlier_y`` 万円の物件を足します。"""
    return np.append(x, OUTLIER_X), np.append(y, float(outlier_y))


#: fit_line で使えるロスの名前。
LOSSES = ("mse", "mae", "huber")



def _line_input(x, y):
    """fit_line の x, y を確かめて float64 の 1 次元配列で返します。"""
    xa = as_float_array(x, "x")
    ya = as_float_array(y, "y")
    check_ndim(xa, "x", (1,), "1 次元 (N,)")
    check_same_shape(xa, ya, "x", "y")
    check_finite(xa, "x")
    check_finite(ya, "y")
    if xa.size < 2:
        raise ValueError(
            f"x の点が {xa.size} 個しかありません。直線を決めるには 2 個以上の点を渡してください。")
    if np.ptp(xa) == 0:
        raise ValueError(
            f"x の値がすべて同じ（{xa[0]:.10g}）です。傾きが決まらないので、"
            "違う x の点を 2 個以上含めてください。")
    return xa, ya



def fit_line(x, y, loss: str = "mse", delta: float = 1.0, steps: int = 300):
    r"""直線 $\hat{y} = a x + b$ を、選んだロスの勾配降下法で当てはめます。

    勾配は連鎖律で
    $\partial L / \partial a = \sum_i (\partial L / \partial \hat{y}_i)\, u_i$、
    $\partial L / \partial c = \sum_i \partial L / \partial \hat{y}_i$ と計算します
    （$\partial L / \partial \hat{y}_i$ は ``lossbook.grad`` の同名の関数）。

    Parameters
    ----------
    x, y : array_like
        形 (N,) の入力と正解（N ≥ 2、x は 2 種類以上の値）。
    loss : {"mse", "mae", "huber"}, default "mse"
        当てはめに使うロス。
    delta : float, default 1.0
        Huber ロスのしきい値 $\delta$（正の有限の数。loss="huber" のときだけ使います）。
    steps : int, default 300
        勾配降下法の最大の歩数（1 以上の整数）。

    Returns
    -------
    a, b : float
        傾きと切片。

    Raises
    ------
    TypeError
        入力が数値でない、steps が整数でないとき。
    ValueError
        形が合わない、点が 2 個未満、x がすべて同じ、NaN や inf を含む、loss が不明、
        delta が正の有限の数でない、steps が 1 未満のとき。

    Notes
    -----
    速く確実に収束させるため、x を標準化した $u = (x - \bar{x}) / s$ で
    $\hat{y} = a' u + c$ を学習し、最後に $a = a'/s$、$b = c - a \bar{x}$ に戻します。
    標準化すると MSE の谷がどの向きにも同じ曲がり方になり、学習率 0.5 で数歩で収束します。
    出発点は 0 です（MAE と Huber は MSE の解から出発します）。MAE の勾配は大きさが
    変わらないので、学習率を $\eta_t = \eta_0 / \sqrt{t + 1}$ と小さくしていき、
    途中でいちばんロスが小さかった点を返します（劣勾配法の標準的なやり方）。
    """
    if not isinstance(loss, str) or loss not in LOSSES:
        allowed = "、".join(f'"{name}"' for name in LOSSES)
        raise ValueError(f"loss に {loss!r} は使えません。{allowed} のどれかを指定してください。")
    steps = check_int_at_least(steps, "steps", minimum=1)
    d = check_delta(delta)
    xa, ya = _line_input(x, y)
    x_mean, x_sd = xa.mean(), xa.std()
    u = (xa - x_mean) / x_sd

    # まず MSE で当てはめます（標準化したので谷は 2I の形で、学習率 0.5 なら 1 歩で谷底です）
    a_u, c = _descend(u, ya, grad.mse, 0.0, 0.0, eta=0.5, steps=steps)
    if loss == "huber":
        # Huber ロスの曲がり具合は MSE の半分以下なので、学習率 1 でも発散しません
        a_u, c = _descend(u, ya, lambda t, p: grad.huber(t, p, delta=d), a_u, c,
                          eta=1.0, steps=steps)
    elif loss == "mae":
        a_u, c = _descend_mae(u, ya, a_u, c, steps=steps)
    a = a_u / x_sd
    return float(a), float(c - a * x_mean)



def _descend(u, y, grad_fn, a, c, eta, steps):
    """固定の学習率で勾配降下法を回します（勾配がほぼ 0 になったら止めます）。"""
    for _ in range(steps):
        g = grad_fn(y, a * u + c)      # ∂L/∂ŷ_i
        grad_a, grad_c = g @ u, g.sum()   # 連鎖律
        if max(abs(grad_a), abs(grad_c)) < 1e-12:
            break
        a, c = a - eta * grad_a, c - eta * grad_c
    return a, c



def _descend_mae(u, y, a, c, steps):
    """MAE の劣勾配法: 学習率を 1/√(t+1) で小さくし、いちばんよかった点を返します。"""
    # 最初の一歩の大きさは、出発点での誤差の大きさ（MAE）にそろえます（y の単位）
    eta0 = float(losses.mae(y, a * u + c))
    best = (float(losses.mae(y, a * u + c)), a, c)
    for t in range(steps):
        g = grad.mae(y, a * u + c)
        eta = eta0 / np.sqrt(t + 1.0)
        a, c = a - eta * (g @ u), c - eta * g.sum()
        value = float(losses.mae(y, a * u + c))
        if value < best[0]:
            best = (value, a, c)
    return best[1], best[2]



def fit_three(x, y, delta: float = 1.0):
    """MSE・MAE・Huber の 3 つのロスで当てはめた直線 {名前: (a, b)} を返します。"""
    return {name: fit_line(x, y, loss=name, delta=delta) for name in LOSSES}



def loss_of_line(x, y, loss: str, a: float, b: float, delta: float = 1.0):
    """直線 (a, b) の予測に対する、名前 ``loss`` のロスの値（lossbook で計算）です。"""
    if not isinstance(loss, str) or loss not in LOSSES:
        allowed = "、".join(f'"{name}"' for name in LOSSES)
        raise ValueError(f"loss に {loss!r} は使えません。{allowed} のどれかを指定してください。")
    y_hat = a * as_float_array(x, "x") + b
    if loss == "huber":
        return float(losses.huber(y, y_hat, delta=delta))
    return float(getattr(losses, loss)(y, y_hat))
