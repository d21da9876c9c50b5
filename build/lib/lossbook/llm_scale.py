r"""LLM の大きさでロスを計算するときの道具: ロジットのメモリ、ピークメモリの測定、低い精度での計算。

付録A（``book/appendix_llm_scale.ipynb``）が使います。numpy だけに依存し、``import lossbook`` では
読み込まれません（``from lossbook import llm_scale`` と書いて使います）。

共通の約束:

* 型の名前は ``"float16"``・``"bfloat16"``・``"float32"``・``"float64"`` の 4 つです。
* numpy には bfloat16 がないので、値は float32 の配列に入れ、**演算のたびに** 最も近い bfloat16 の値に
  丸めて再現します（:func:`round_to_bfloat16`）。演算そのものは float32 で行います。
* 低い精度の計算は、わざと inf や NaN になるところを見せるためのものです。
  そのときの numpy の警告は出しません（結果の inf と NaN で見せます）。
* 対数は自然対数（単位 nat）です。
"""

import tracemalloc

import numpy as np

from ._validation import (
    as_float_array,
    check_finite,
    check_int_at_least,
    check_labels,
    check_ndim,
    check_nonempty,
)

__all__ = [
    "DTYPES",
    "BYTES_PER_ELEMENT",
    "logits_nbytes",
    "peak_memory",
    "round_to_bfloat16",
    "naive_cross_entropy",
    "stable_cross_entropy",
]

#: 使える型の名前（bfloat16 は float32 の中での再現です）。
DTYPES = ("float16", "bfloat16", "float32", "float64")

#: 1 要素のバイト数。bfloat16 は再現に float32 を使いますが、本物は 2 バイトです。
BYTES_PER_ELEMENT = {"float16": 2, "bfloat16": 2, "float32": 4, "float64": 8}


def _dtype_name(dtype):
    """dtype を DTYPES の名前にします。np.float32 や np.dtype("float16") も受け付けます。"""
    if isinstance(dtype, str) and dtype in DTYPES:
        return dtype
    # 文字列の別名（"f4" など）や None は受け付けず、numpy の型そのものだけを名前に直します
    if isinstance(dtype, (type, np.dtype)) and np.dtype(dtype).name in DTYPES:
        return np.dtype(dtype).name
    allowed = "、".join(f'"{d}"' for d in DTYPES)
    raise ValueError(f"dtype に {dtype!r} は使えません。{allowed} のどれかを指定してください。")


def logits_nbytes(batch, seq_len, vocab, dtype):
    r"""ロジットの配列（形 (batch, seq_len, vocab)）が占めるバイト数を返します。

    .. math::

        \text{バイト数} = B \times T \times V \times (\text{1 要素のバイト数})

    Parameters
    ----------
    batch : int
        バッチの大きさ $B$（一度に計算する文の数）。1 以上。
    seq_len : int
        系列の長さ $T$（1 つの文のトークンの数）。1 以上。
    vocab : int
        語彙の大きさ $V$。1 以上。
    dtype : str
        ``"float16"``、``"bfloat16"``、``"float32"``、``"float64"`` のどれか。

    Returns
    -------
    int
        バイト数（Python の int なので、どれほど大きくてもあふれません）。

    Raises
    ------
    ValueError
        大きさが 1 以上の整数でない、または dtype が使えない名前のとき。

    Examples
    --------
    >>> from lossbook.llm_scale import logits_nbytes
    >>> logits_nbytes(1, 1024, 50257, "float32")
    205852672
    """
    sizes = [check_int_at_least(v, name) for v, name in
             [(batch, "batch"), (seq_len, "seq_len"), (vocab, "vocab")]]
    return sizes[0] * sizes[1] * sizes[2] * BYTES_PER_ELEMENT[_dtype_name(dtype)]


def peak_memory(fn, *args, **kwargs):
    """``fn(*args, **kwargs)`` を呼び、その結果と、呼んでいるあいだに増えたメモリの最大値を返します。

    Python の標準ライブラリ tracemalloc で測ります。numpy の配列のデータも数えられます。

    Parameters
    ----------
    fn : callable
        測る関数。
    *args, **kwargs
        fn に渡す引数。

    Returns
    -------
    result : object
        ``fn(*args, **kwargs)`` の戻り値。
    peak : int
        呼ぶ前より増えたメモリ（バイト）の最大値（ピークメモリ）。戻り値の分も含みます。

    Raises
    ------
    TypeError
        fn が関数でない（呼び出せない）とき。

    Notes
    -----
    tracemalloc は Python と numpy が確保したメモリだけを数えます（GPU のメモリなどは数えません）。
    測っているあいだは確保のたびに記録するので、遅くなります。時間は別に測ってください。
    すでに tracemalloc が動いていれば、止めずにそのまま使います。

    Examples
    --------
    >>> import numpy as np
    >>> from lossbook.llm_scale import peak_memory
    >>> _, peak = peak_memory(np.ones, 1_000_000)
    >>> peak >= 8_000_000
    True
    """
    if not callable(fn):
        raise TypeError(
            f"fn には関数を渡してください（{type(fn).__name__} の {fn!r} が渡されました）。"
            "関数を呼んだ結果ではなく、関数そのもの（括弧なし）を渡します。")
    started_here = not tracemalloc.is_tracing()
    if started_here:
        tracemalloc.start()
    try:
        # 呼ぶ前に確保されていた分を引き、この呼び出しで増えた分だけを数えます
        before = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        result = fn(*args, **kwargs)
        peak = tracemalloc.get_traced_memory()[1] - before
    finally:
        if started_here:
            tracemalloc.stop()
    return result, max(0, peak)


def round_to_bfloat16(x):
    r"""x を最も近い bfloat16 の値に丸め、float32 に入れて返します（最近接偶数への丸め）。

    bfloat16 は float32 の上位 16 ビット（符号 1、指数 8、仮数 7）です。範囲は float32 と同じで、
    精度（有効数字）は 2 進で 8 桁しかありません。下位 16 ビットを、ちょうど中間なら仮数の最下位ビットが
    偶数（0）になる向きに丸めて落とします。

    Parameters
    ----------
    x : array_like
        数値（スカラーか配列）。inf と NaN も受け付けます。

    Returns
    -------
    numpy.float32 or numpy.ndarray
        丸めた値。x と同じ形の float32 の配列（x がスカラーなら np.float32）。

    Raises
    ------
    TypeError
        x が数値でないとき。

    Notes
    -----
    * x はまず float32 にします。float64 の値は、float32 への丸めと bfloat16 への丸めの 2 回に
      なります（ごくまれに、float64 から直接丸めた値と最後の 1 桁が違います）。この付録では、
      float32 で計算した結果を丸めて使います。
    * ±0、±inf はそのまま、NaN は NaN のままです（符号は残します）。
    * bfloat16 の最大値（約 3.39e38）の先は、float32 で有限でも丸めると inf になります。

    Examples
    --------
    >>> from lossbook.llm_scale import round_to_bfloat16
    >>> float(round_to_bfloat16(257.0))   # 256 と 258 のちょうど中間 → 偶数の 256
    256.0
    >>> float(round_to_bfloat16(259.0))   # 258 と 260 の中間 → 偶数の 260
    260.0
    """
    if getattr(x, "dtype", None) == np.float32:
        x32 = np.asarray(x)   # float32 はビット列をそのまま使います（NaN の印も変えないため）
    else:
        # float32 に入らない大きな数が inf になるのは意図どおりなので、その警告は出しません
        with np.errstate(over="ignore", invalid="ignore"):
            x32 = as_float_array(x, "x").astype(np.float32)
    # 足し算があふれないよう、ビット列を 64 ビットの整数で扱います
    bits = x32.view(np.uint32).astype(np.uint64)
    # 落とす下位 16 ビットに 0x7FFF と「残る最下位ビット」を足すと、繰り上がりが最近接偶数への丸めになります
    # （0x8000 より大きければ繰り上がり、ちょうど 0x8000 なら残る最下位ビットが 1 のときだけ繰り上がる）
    lsb = (bits >> 16) & 1
    rounded = (bits + 0x7FFF + lsb) & 0xFFFF0000
    # NaN は下位ビットだけに印があることがあり、丸めると inf に化けるので、符号つきの NaN に置き換えます
    quiet_nan = (bits & 0x80000000) | 0x7FC00000
    rounded = np.where(np.isnan(x32), quiet_nan, rounded)
    out = rounded.astype(np.uint32).view(np.float32)
    return out if out.ndim else np.float32(out[()])


def _rounder(dtype):
    """dtype の値に丸める関数を返します。bfloat16 は float32 に入れた再現です。"""
    name = _dtype_name(dtype)
    if name == "bfloat16":
        return lambda a: round_to_bfloat16(np.asarray(a, dtype=np.float32))
    return lambda a: np.asarray(a, dtype=name)


def _labels_and_logits(labels, logits):
    """(K,) か (N, K) のロジットと、それに合うクラス番号を確かめて返します。"""
    z = as_float_array(logits, "logits")
    check_ndim(z, "logits", (1, 2), "1 次元 (K,) か 2 次元 (N, K)")
    check_nonempty(z, "logits")
    check_finite(z, "logits")
    t = as_float_array(labels, "labels")
    if t.shape != z.shape[:-1]:
        expected = "スカラー" if z.ndim == 1 else f"形 {z.shape[:-1]} の配列"
        raise ValueError(
            f"labels の形 {t.shape} と logits の形 {z.shape} が合いません。"
            f"logits の行ごとに 1 つのクラス番号（{expected}）を渡してください。")
    check_finite(t, "labels")
    return check_labels(t, z.shape[-1], "labels"), z


def _pick(values, labels):
    """各行から正解の位置の値を取り出します（1 次元ならその 1 つ）。"""
    if values.ndim == 1:
        return values[labels]
    return values[np.arange(values.shape[0]), labels]


def _as_result(losses):
    """行ごとのロスを float64 で返します（1 行ならスカラー）。"""
    losses = np.asarray(losses, dtype=np.float64)
    return losses if losses.ndim else np.float64(losses)


def naive_cross_entropy(labels, logits, dtype="float32"):
    r"""式どおりの順番（exp → 和で割る → log）で、行ごとのクロスエントロピーを dtype で計算します。

    .. math::

        L = -\log \frac{e^{z_c}}{\sum_j e^{z_j}}

    ロジットをまず dtype に丸め、各演算の結果も dtype に丸めます（和は numpy の np.sum で足した結果を丸めます）。

    Parameters
    ----------
    labels : int or array_like
        正解のクラス番号 $c$。logits が (K,) ならスカラー、(N, K) なら形 (N,)。
    logits : array_like
        ロジット $z$。形 (K,) または (N, K)。有限の数。
    dtype : str, default "float32"
        計算に使う型（``"float16"``、``"bfloat16"``、``"float32"``、``"float64"``）。

    Returns
    -------
    numpy.float64 or numpy.ndarray
        行ごとのロス（dtype で計算した値を float64 で表したもの）。logits が (K,) ならスカラー、
        (N, K) なら形 (N,)。**失敗を見せるための関数なので、inf や NaN も返します。**

    Raises
    ------
    TypeError
        入力が数値でないとき。
    ValueError
        形が合わない、クラス番号が不正、logits に NaN や inf がある、dtype が使えない名前のとき。

    Notes
    -----
    壊れ方は 3 通りです。$e^{z}$ が dtype の最大値を超えると inf になり、inf / inf = NaN になります
    （float16 は $z > 11.09$、bfloat16 と float32 は $z > 88.72$、float64 は $z > 709.78$）。
    正解の確率が dtype で表せないほど小さいと 0 になり、$-\log 0 = \infty$ になります。
    ロジットの差が dtype の刻みより小さいと、丸めで差が消えます。

    Examples
    --------
    >>> from lossbook.llm_scale import naive_cross_entropy
    >>> print(round(float(naive_cross_entropy(0, [2.0, 1.0, 0.0], "float64")), 4))
    0.4076
    >>> float(naive_cross_entropy(0, [102.0, 101.0, 100.0], "float32"))   # exp があふれる
    nan
    """
    labels, z64 = _labels_and_logits(labels, logits)
    r = _rounder(dtype)
    # 壊れるところを inf と NaN で見せる関数なので、あふれ・0 での割り算・log 0 の警告は出しません
    with np.errstate(over="ignore", under="ignore", divide="ignore", invalid="ignore"):
        z = r(z64)
        e = r(np.exp(z))
        total = r(np.sum(e, axis=-1, keepdims=True))
        p = r(e / total)
        # -log 1 は -0.0 になるので、0.0 を足して +0.0 にそろえます（表示で -0.0 と出さないため）
        losses = r(-np.log(_pick(p, labels)) + 0.0)
    return _as_result(losses)


def stable_cross_entropy(labels, logits, dtype="float32"):
    r"""最大値を引く log-sum-exp の式で、行ごとのクロスエントロピーを dtype で計算します。

    .. math::

        L = \log \sum_j e^{z_j - m} - (z_c - m), \qquad m = \max_j z_j

    ロジットをまず dtype に丸め、各演算の結果も dtype に丸めます（和は numpy の np.sum で足した結果を丸めます）。

    Parameters
    ----------
    labels : int or array_like
        正解のクラス番号 $c$。logits が (K,) ならスカラー、(N, K) なら形 (N,)。
    logits : array_like
        ロジット $z$。形 (K,) または (N, K)。有限の数。
    dtype : str, default "float32"
        計算に使う型（``"float16"``、``"bfloat16"``、``"float32"``、``"float64"``）。

    Returns
    -------
    numpy.float64 or numpy.ndarray
        行ごとのロス（dtype で計算した値を float64 で表したもの）。logits が (K,) ならスカラー、
        (N, K) なら形 (N,)。

    Raises
    ------
    TypeError
        入力が数値でないとき。
    ValueError
        形が合わない、クラス番号が不正、logits に NaN や inf がある、dtype が使えない名前のとき。

    Notes
    -----
    $z_j - m \le 0$ なので exp はあふれず、和は 1 以上なので log 0 も起きません。それでも、ロジットを
    dtype に丸めた時点で刻みより小さな差は消えます（bfloat16 は有効数字が 2 進 8 桁なので、1000 の近くの
    刻みは 4）。また float16 では、絶対値が 65504 を超えるロジットが丸めで inf になり、結果は NaN です。

    Examples
    --------
    >>> from lossbook.llm_scale import stable_cross_entropy
    >>> print(round(float(stable_cross_entropy(0, [102.0, 101.0, 100.0], "float32")), 4))
    0.4076
    >>> # bfloat16 では 3 つとも 1000 に丸まり、ロスは log 3 を bfloat16 に丸めた値になる
    >>> print(float(stable_cross_entropy(0, [1002.0, 1001.0, 1000.0], "bfloat16")))
    1.1015625
    """
    labels, z64 = _labels_and_logits(labels, logits)
    r = _rounder(dtype)
    # float16 ではロジットが丸めで inf になり、inf - inf = NaN になることがあるので、その警告は出しません
    with np.errstate(over="ignore", under="ignore", divide="ignore", invalid="ignore"):
        z = r(z64)
        m = np.max(z, axis=-1, keepdims=True)     # 最大値を取るだけなので丸めは要りません
        shifted = r(z - m)                          # すべて 0 以下: exp は 1 を超えない
        total = r(np.sum(r(np.exp(shifted)), axis=-1))
        losses = r(r(np.log(total)) - _pick(shifted, labels))
    return _as_result(losses)
