r"""数値微分（中心差分）。解析的な勾配の答え合わせに使います。"""

import numpy as np

from ._validation import as_float_array, check_finite, check_nonempty, check_positive_float


def _scalar_value(f, x):
    """f(x) を呼び、有限のスカラー（np.float64）であることを確かめて返します。"""
    value = f(x)
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        arr = None
    if arr is None or arr.size != 1 or not np.isfinite(arr).all():
        found = f"形 {np.shape(value)} の配列" if isinstance(value, np.ndarray) and value.ndim else repr(value)
        raise ValueError(
            f"f の戻り値は有限のスカラーでなければなりません（{found} が返りました）。"
            "f が 1 つの数（ロスの値）を返すようにしてください。"
        )
    return np.float64(arr.reshape(()))


def numerical_gradient(f, x, h=1e-5):
    r"""スカラー関数 $f$ の $x$ での勾配を中心差分で近似します。

    .. math::

        \frac{\partial f}{\partial x_i} \approx \frac{f(x + h e_i) - f(x - h e_i)}{2h}

    ここで $e_i$ は $i$ 番目の成分だけが 1 のベクトルです。

    Parameters
    ----------
    f : callable
        配列を受け取り、有限のスカラー（ロスの値）を返す関数。
    x : array_like
        勾配を求める点。任意の形の数値配列。
    h : float, default 1e-5
        差分の幅。正の有限の数。

    Returns
    -------
    numpy.ndarray
        x と同じ形の float64 配列。

    Raises
    ------
    TypeError
        f が呼び出せないとき、x や h が数値でないとき。
    ValueError
        x が空・NaN や inf を含むとき、h が正の有限の数でないとき、
        f が有限のスカラーを返さないとき。

    Notes
    -----
    f には x の float64 のコピーを渡すので、呼び出し側の x は書き換わりません。
    誤差は $O(h^2)$ で、2 次関数なら丸め誤差を除いて正確です。

    Examples
    --------
    >>> import lossbook as lb
    >>> g = lb.numerical_gradient(lambda v: (v ** 2).sum(), [1.0, -2.0])
    >>> g.round(6).tolist()
    [2.0, -4.0]
    """
    if not callable(f):
        raise TypeError(f"f には関数を渡してください（{type(f).__name__} が渡されました）。")
    h = check_positive_float(h, "h", advice="1e-5 くらいが目安です。")
    xc = as_float_array(x, "x")  # コピーなので元の x は変わりません
    check_nonempty(xc, "x")
    check_finite(xc, "x")
    grad = np.zeros_like(xc)
    for idx in np.ndindex(xc.shape):
        original = xc[idx]
        xc[idx] = original + h
        f_plus = _scalar_value(f, xc)
        xc[idx] = original - h
        f_minus = _scalar_value(f, xc)
        xc[idx] = original  # 元に戻してから次の成分へ
        grad[idx] = (f_plus - f_minus) / (2 * h)
    return grad
