"""回帰のロス（MSE、MAE、Huber）とその勾配が共有する、誤差 e = ŷ − y の計算。

有限の入力でも、1e308 − (−1e308) は float64 の最大値（約 1.8e308）を超えます。そのような成分を使う
関数は、half_errors の半分の大きさの誤差から計算し直します。
"""

import numpy as np


def errors(y, y_hat):
    """誤差 e = ŷ - y を返します。float64 に収まらない成分は ±inf です（警告なし）。

    有限の入力でも、1e308 - (-1e308) は float64 の最大値（約 1.8e308）を超えます。その成分を
    使う関数は、half_errors の半分の大きさの誤差から計算し直します。
    """
    with np.errstate(over="ignore"):
        return y_hat - y


def half_errors(y, y_hat):
    """(ŷ - y) / 2 を、あふれずに計算します（2 で割るのは、2 進数では丸めのない操作です）。"""
    return 0.5 * y_hat - 0.5 * y
