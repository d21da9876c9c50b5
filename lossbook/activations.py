r"""活性化関数: softmax、log_softmax、logsumexp。

どれも「最大値を引いてから exp する」ことでオーバーフローを防ぎます。
"""

import numpy as np

from ._validation import as_float_array, check_axis, check_finite, check_nonempty


def _prepare(x, axis, name):
    """共通の入力チェックです。float64 の配列と 0 以上の軸番号を返します。"""
    arr = as_float_array(x, name)
    axis = check_axis(axis, arr.ndim, name)
    check_nonempty(arr, name)
    check_finite(arr, name)
    return arr, axis


def _log_softmax(z, axis=-1):
    """チェック済みの float64 配列 z の log-softmax（検査なしの内部版）です。"""
    # オーバーフロー対策: 最大値を引いてから exp します
    shifted = z - np.max(z, axis=axis, keepdims=True)
    # z - max - log(sum(exp(z - max))) の形なので ±1e6 のロジットでも有限です
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


def _softmax(z, axis=-1):
    """チェック済みの float64 配列 z の softmax（検査なしの内部版）です。"""
    # オーバーフロー対策: 最大値を引いてから exp します
    e = np.exp(z - np.max(z, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def softmax(logits, axis=-1):
    r"""ロジット $z$ を確率分布に変換します（softmax 関数）。

    .. math::

        \mathrm{softmax}(z)_i = \frac{e^{z_i}}{\sum_{j=1}^{K} e^{z_j}}

    Parameters
    ----------
    logits : array_like
        ロジット $z$。1 次元以上の数値配列（リスト可）。
    axis : int, default -1
        $K$ 個のクラスが並ぶ軸。負の値も使えます。

    Returns
    -------
    numpy.ndarray
        logits と同じ形の float64 配列。axis に沿った和は 1 です。

    Raises
    ------
    TypeError
        logits が数値でないとき、axis が整数でないとき。
    ValueError
        logits が空・0 次元のとき、NaN や inf を含むとき、axis が範囲外のとき。

    Notes
    -----
    計算の前に axis に沿った最大値 $m$ を引きます（$e^{z_i - m}$ は 1 以下なので
    オーバーフローしません。結果は数学的に同じです）。float32 の入力も内部で
    float64 にして計算し、float64 で返します。入力は書き換えません。

    Examples
    --------
    >>> import lossbook as lb
    >>> lb.softmax([1.0, 2.0, 3.0]).round(4).tolist()
    [0.09, 0.2447, 0.6652]
    >>> lb.softmax([[1000.0, 1000.0]]).tolist()
    [[0.5, 0.5]]
    """
    z, axis = _prepare(logits, axis, "logits")
    return _softmax(z, axis)


def log_softmax(logits, axis=-1):
    r"""softmax の自然対数を、安定な式で直接計算します。

    .. math::

        \log \mathrm{softmax}(z)_i = z_i - m - \log \sum_{j=1}^{K} e^{z_j - m},
        \qquad m = \max_j z_j

    Parameters
    ----------
    logits : array_like
        ロジット $z$。1 次元以上の数値配列（リスト可）。
    axis : int, default -1
        $K$ 個のクラスが並ぶ軸。負の値も使えます。

    Returns
    -------
    numpy.ndarray
        logits と同じ形の float64 配列（値はすべて 0 以下）。

    Raises
    ------
    TypeError
        logits が数値でないとき、axis が整数でないとき。
    ValueError
        logits が空・0 次元のとき、NaN や inf を含むとき、axis が範囲外のとき。

    Notes
    -----
    ``np.log(softmax(z))`` と書くと、softmax が 0 にアンダーフローしたとき
    $\log 0 = -\infty$ になります。上の式ならロジットが ±1e6 でも有限の正しい値です。
    対数は自然対数（単位 nat）です。float32 の入力も float64 で計算して返します。

    Examples
    --------
    >>> import lossbook as lb
    >>> lb.log_softmax([0.0, 0.0]).round(4).tolist()
    [-0.6931, -0.6931]
    >>> lb.log_softmax([1e6, -1e6]).tolist()
    [0.0, -2000000.0]
    """
    z, axis = _prepare(logits, axis, "logits")
    return _log_softmax(z, axis)


def logsumexp(x, axis=-1):
    r"""$\log \sum_i e^{x_i}$ をオーバーフローせずに計算します。

    .. math::

        \mathrm{LSE}(x) = \log \sum_{i=1}^{K} e^{x_i} = m + \log \sum_{i=1}^{K} e^{x_i - m},
        \qquad m = \max_i x_i

    Parameters
    ----------
    x : array_like
        1 次元以上の数値配列（リスト可）。
    axis : int, default -1
        和をとる軸。負の値も使えます。

    Returns
    -------
    numpy.float64 or numpy.ndarray
        axis を取り除いた形の float64。1 次元の入力なら np.float64 のスカラーです。

    Raises
    ------
    TypeError
        x が数値でないとき、axis が整数でないとき。
    ValueError
        x が空・0 次元のとき、NaN や inf を含むとき、axis が範囲外のとき。

    Notes
    -----
    最大値 $m$ を外に出すので、$e^{x_i - m} \le 1$ となりオーバーフローしません。
    自然対数です。float32 の入力も float64 で計算して返します。

    Examples
    --------
    >>> import lossbook as lb
    >>> print(round(float(lb.logsumexp([0.0, 0.0])), 4))
    0.6931
    >>> float(lb.logsumexp([1000.0, 1000.0])) > 1000.0
    True
    """
    arr, axis = _prepare(x, axis, "x")
    m = np.max(arr, axis=axis, keepdims=True)
    # オーバーフロー対策: 最大値を引いてから exp します
    out = m + np.log(np.sum(np.exp(arr - m), axis=axis, keepdims=True))
    out = np.squeeze(out, axis=axis)
    # 0 次元になったら配列ではなくスカラー (np.float64) で返します
    return out if out.ndim else np.float64(out)
