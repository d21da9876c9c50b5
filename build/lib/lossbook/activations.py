r"""活性化関数: softmax、log_softmax、logsumexp。

どれも「最大値を引いてから exp する」ことでオーバーフローを防ぎます。

ロジットの -inf は「その候補の確率を 0 にする」マスクとして受け付けます（LLM で、答えの形式に合わない語や
出してはいけない語を候補から外すのに使う書き方で、PyTorch も同じです）。NaN と +inf は ValueError です。
"""

import numpy as np

from ._validation import as_float_array, check_axis, check_logits, check_nonempty, check_positive_float


def _prepare(x, axis, name, allow_all_masked=False):
    """共通の入力チェックです。float64 の配列と 0 以上の軸番号を返します。"""
    arr = as_float_array(x, name)
    axis = check_axis(axis, arr.ndim, name)
    check_nonempty(arr, name)
    check_logits(arr, name, axis, allow_all_masked=allow_all_masked)
    return arr, axis


def _shift_and_rest(z, axis):
    r"""最大値 m、z - m、最大の項を除いた和 s = Σ_{j≠argmax} e^{z_j - m} を返します。

    $\sum_j e^{z_j - m} = 1 + s$ なので、$\log \sum_j e^{z_j} = m + \operatorname{log1p}(s)$ です。
    1 + s を先に足すと、s が 1e-16 より小さいとき s が丸めで消えます（log1p ならそのまま残ります）。
    すべてが -inf の並びでは m = -inf、s = 0 を返します（そのとき z - m は使いません）。
    """
    m = np.max(z, axis=axis, keepdims=True)
    # すべてが -inf の並びは -inf - (-inf) = NaN にならないよう、0 を引きます
    shifted = z - np.where(np.isfinite(m), m, 0.0)
    e = np.exp(shifted)
    # 最大の項（exp(0) = 1）を 1 つだけ除きます（同じ最大値が複数あっても除くのは 1 つ）
    np.put_along_axis(e, np.argmax(z, axis=axis, keepdims=True), 0.0, axis=axis)
    return m, shifted, np.sum(e, axis=axis, keepdims=True)


def log_softmax_of_checked(z, axis=-1):
    """チェック済みの float64 配列 z の log-softmax（検査なしの内部版）です。

    z - m - log1p(s) の形なので、±1e6 のロジットでも有限で、確率が 1 に近い成分も桁落ちしません。
    -inf の成分は -inf（確率 0）になります。
    """
    m, shifted, rest = _shift_and_rest(z, axis)
    return shifted - np.log1p(rest)


def softmax_of_checked(z, axis=-1):
    """チェック済みの float64 配列 z の softmax（検査なしの内部版）です。-inf の成分は 0 です。"""
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
        logits が空・0 次元のとき、NaN や +inf を含むとき、axis に沿ってすべてが -inf の
        ところがあるとき、axis が範囲外のとき。

    Notes
    -----
    計算の前に axis に沿った最大値 $m$ を引きます（$e^{z_i - m}$ は 1 以下なので
    オーバーフローしません。結果は数学的に同じです）。float32 の入力も内部で
    float64 にして計算し、float64 で返します。入力は書き換えません。
    $z_i = -\infty$ の成分は確率 0 になります（マスク。PyTorch と同じです）。

    Examples
    --------
    >>> import lossbook as lb
    >>> lb.softmax([1.0, 2.0, 3.0]).round(4).tolist()
    [0.09, 0.2447, 0.6652]
    >>> lb.softmax([[1000.0, 1000.0]]).tolist()
    [[0.5, 0.5]]
    >>> import numpy as np
    >>> lb.softmax([0.0, -np.inf, 0.0]).tolist()   # -inf はマスク（確率 0）
    [0.5, 0.0, 0.5]
    """
    z, axis = _prepare(logits, axis, "logits")
    return softmax_of_checked(z, axis)


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
        logits が空・0 次元のとき、NaN や +inf を含むとき、axis に沿ってすべてが -inf の
        ところがあるとき、axis が範囲外のとき。

    Notes
    -----
    ``np.log(softmax(z))`` と書くと、softmax が 0 にアンダーフローしたとき
    $\log 0 = -\infty$ になります。上の式ならロジットが ±1e6 でも有限の正しい値です。
    和は、最大の項 $e^{0} = 1$ を除いた残り $s$ を使って $\log(1 + s) = \operatorname{log1p}(s)$
    と計算するので、確率が 1 に近い成分（$s < 10^{-16}$）も 0 に丸められません。
    対数は自然対数（単位 nat）です。float32 の入力も float64 で計算して返します。
    $z_i = -\infty$（マスク）の成分は $-\infty$ です。

    Examples
    --------
    >>> import lossbook as lb
    >>> lb.log_softmax([0.0, 0.0]).round(4).tolist()
    [-0.6931, -0.6931]
    >>> lb.log_softmax([1e6, -1e6]).tolist()
    [0.0, -2000000.0]
    """
    z, axis = _prepare(logits, axis, "logits")
    return log_softmax_of_checked(z, axis)


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
        x が空・0 次元のとき、NaN や +inf を含むとき、axis が範囲外のとき。

    Notes
    -----
    最大値 $m$ を外に出すので、$e^{x_i - m} \le 1$ となりオーバーフローしません。
    最大の項を除いた残り $s$ を $\operatorname{log1p}(s)$ で足します（``scipy.special.logsumexp`` と同じ工夫）。
    自然対数です。float32 の入力も float64 で計算して返します。
    $-\infty$ の成分は $e^{-\infty} = 0$ として足します。すべてが $-\infty$ なら結果は $-\infty$ です。

    Examples
    --------
    >>> import lossbook as lb
    >>> print(round(float(lb.logsumexp([0.0, 0.0])), 4))
    0.6931
    >>> float(lb.logsumexp([1000.0, 1000.0])) > 1000.0
    True
    >>> import numpy as np
    >>> float(lb.logsumexp([-np.inf, -np.inf]))
    -inf
    """
    arr, axis = _prepare(x, axis, "x", allow_all_masked=True)
    # オーバーフロー対策: 最大値 m を外に出し、残りを log1p で足します
    m, _, rest = _shift_and_rest(arr, axis)
    out = np.squeeze(m + np.log1p(rest), axis=axis)
    # 0 次元になったら配列ではなくスカラー (np.float64) で返します
    return out if out.ndim else np.float64(out)


def tempered_softmax(logits, temperature=1.0):
    r"""温度 $T$ 付きのソフトマックス関数 $\mathrm{softmax}(z / T)$ を計算します。

    .. math::

        \hat{y}_i = \frac{e^{z_i / T}}{\sum_{j=1}^{K} e^{z_j / T}}

    Parameters
    ----------
    logits : array_like
        ロジット $z$。形 (K,) または (N, K)。
    temperature : float, default 1.0
        温度 $T$。正の有限の数。$T < 1$ で分布は尖り、$T > 1$ で平らになります。

    Returns
    -------
    numpy.ndarray
        logits と同じ形の確率（最後の軸の和が 1）。

    Raises
    ------
    TypeError
        入力が数でないとき。
    ValueError
        temperature が 0 以下・NaN・inf・配列のとき、logits が不正なとき。

    Examples
    --------
    >>> tempered_softmax([0.0, 0.0], 0.5).tolist()
    [0.5, 0.5]
    >>> tempered_softmax([2.0, 0.0], 2.0).round(4).tolist()
    [0.7311, 0.2689]
    """
    t = check_positive_float(temperature, "temperature",
                             advice="温度 T は 0 より大きく、T = 1 がふつうのソフトマックス関数です。")
    z, axis = _prepare(logits, -1, "logits")
    # 先に最大値を引いてから T で割るので、値は 0 以下で、T がとても小さくてもあふれません。
    # -inf になる成分は -1000 で止めます（e^-1000 は float64 ではちょうど 0 なので、結果は変わりません）
    shifted = z - np.max(z, axis=-1, keepdims=True)
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        scaled = np.maximum(shifted / t, -1000.0)
    return softmax_of_checked(scaled, axis=-1)
