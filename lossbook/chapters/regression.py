"""第4章の回帰の例のデータ: 駅からの距離（km）と家賃（万円）。numpy だけを使います。

図と対話型の図は :mod:`lossbook.widgets.regression` にあります。練習問題の答え合わせ
（:mod:`lossbook.exercises.ch04`）も、このデータを使います。
"""

from __future__ import annotations

import numpy as np

__all__ = ["TRUE_SLOPE", "TRUE_INTERCEPT", "NOISE_SD", "N_POINTS", "X_RANGE", "OUTLIER_X", "SEED",
           "rent_data", "with_outlier"]

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
