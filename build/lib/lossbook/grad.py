r"""解析的な勾配（2 番目の引数についての微分）。

``lb.grad.cross_entropy_with_logits``、``lb.grad.mse``、``lb.grad.mae``、``lb.grad.huber`` は、
同じ名前のロス関数と同じ引数・同じ reduction を受け取り、2 番目の引数（logits / y_pred）と同じ形の勾配を返します。
reduction="none" のときは「合計の勾配」を返します。各行（各要素）はその行自身の
ロスの勾配です（行ごとのロスはほかの行に依存しないため）。
"""

import numpy as np

from ._blocked import row_gradients
from ._error_math import errors, half_errors
from ._validation import check_delta, elementwise_pair, logits_and_targets
from .activations import softmax_of_checked


def cross_entropy_with_logits(y_true, logits, reduction="mean"):
    r"""クロスエントロピーのロジット $z$ についての勾配を返します。

    .. math::

        \frac{\partial L}{\partial z_i} = \mathrm{softmax}(z)_i - y_i

    "mean" のときはさらに $1/N$ 倍します。

    Parameters
    ----------
    y_true : array_like
        正解。logits と同じ形なら正解の分布、そうでなければクラス番号
        （logits が (K,) ならスカラー、(N, K) なら形 (N,)）。
    logits : array_like
        ソフトマックス関数を通す前の値 $z$。形 (K,) または (N, K)。
    reduction : {"mean", "sum", "none"}, default "mean"
        ロス側の reduction。"mean" は $N$ で割った勾配、"sum" と "none" は
        合計の勾配（各行はその行のロスの勾配）です。

    Returns
    -------
    numpy.ndarray
        logits と同じ形の新しい配列。logits が float32 の配列なら float32、それ以外は float64 です
        （PyTorch などと同じく、勾配はパラメータと同じ dtype にします）。

    Raises
    ------
    TypeError
        入力が数値でないとき。
    ValueError
        :func:`lossbook.cross_entropy_with_logits` と同じ条件のとき。

    Notes
    -----
    自然対数のクロスエントロピーの勾配です。(K,) の入力では $N = 1$ です。
    正解がクラス番号のときは、ロスと同じく行のブロックごとにスレッドで計算し、出力の配列のほかに
    大きな一時配列を作りません（lossbook/_blocked.py）。正解の成分は
    $\mathrm{softmax}(z)_t - 1 = -\sum_{j \ne t} e^{z_j} / \sum_j e^{z_j}$ の形で計算するので、
    $1$ からの引き算による桁落ちがありません。float32 のロジットでは、各成分の相対誤差は float64 で計算した値に対して 1e-7 から 5e-7 ほどです。
    "none" の勾配は、ベクトルのロスの勾配というものはないので、合計の勾配と約束します。
    $z_i = -\infty$（マスク）の成分の勾配は 0 です。正解の候補が消されていれば、正解の成分は
    $\mathrm{softmax}(z)_t - 1 = -1$（"mean" では $-1/N$）です（PyTorch と同じ）。

    Examples
    --------
    >>> import lossbook as lb
    >>> lb.grad.cross_entropy_with_logits(0, [0.0, 0.0]).tolist()
    [-0.5, 0.5]
    >>> lb.grad.cross_entropy_with_logits([0, 1], [[0.0, 0.0], [0.0, 0.0]]).tolist()
    [[-0.25, 0.25], [0.25, -0.25]]
    """
    t, labels, z = logits_and_targets(y_true, logits, reduction)
    # 平均なら、サンプル数 N（(K,) なら 1）で割ります
    n_samples = z.shape[0] if z.ndim == 2 else 1
    if labels is None:
        g = softmax_of_checked(z) - t
        if reduction == "mean":
            g = g / n_samples
        # 勾配の dtype はロジットにそろえます（float32 のロジットには float32）
        is_float32 = isinstance(logits, np.ndarray) and logits.dtype == np.float32
        return g.astype(np.float32) if is_float32 else g
    scale = 1.0 / n_samples if reduction == "mean" else 1.0
    # クラス番号のときは、行のブロックごとに計算します（出力のほかの一時配列はブロック 1 つ分だけ）
    rows = z.reshape(-1, z.shape[-1])
    return row_gradients(rows, labels.reshape(-1), scale, shape=z.shape).reshape(z.shape)


def mse(y_true, y_pred, reduction="mean"):
    r"""平均二乗誤差の予測 $\hat{y}$ についての勾配を返します。

    .. math::

        \frac{\partial L}{\partial \hat{y}_i} = \frac{2}{N} (\hat{y}_i - y_i)

    $N$ は全要素数です（"sum" と "none" では $1/N$ を掛けません）。

    Parameters
    ----------
    y_true : array_like
        正解 $y_i$。
    y_pred : array_like
        予測 $\hat{y}_i$。y_true と同じ形。
    reduction : {"mean", "sum", "none"}, default "mean"
        ロス側の reduction。"mean" は全要素数 $N$ で割った勾配、"sum" と "none" は
        合計の勾配（各要素はその要素の二乗誤差の勾配）です。

    Returns
    -------
    numpy.ndarray
        y_pred と同じ形の float64 配列。

    Raises
    ------
    TypeError
        入力が数値でないとき。
    ValueError
        :func:`lossbook.mse` と同じ条件のとき。

    Notes
    -----
    "none" の勾配は合計の勾配と約束します。誤差 $\hat{y}_i - y_i$ が float64 の範囲を超える要素でも、
    "mean" の勾配 $2(\hat{y}_i - y_i)/N$ が範囲に収まるなら有限の正しい値を返します（警告なし）。

    Examples
    --------
    >>> import lossbook as lb
    >>> lb.grad.mse([1.0, 2.0], [1.5, 2.0]).tolist()
    [0.5, 0.0]
    """
    y, y_hat = elementwise_pair(y_true, y_pred, reduction)
    with np.errstate(over="ignore"):
        g = 2.0 * errors(y, y_hat)
        if reduction == "mean":
            # 全要素の平均なので、要素数で割ります
            g = g / y_hat.size
            overflowed = ~np.isfinite(g)
            if np.any(overflowed):
                # 2(ŷ - y) があふれても N で割れば収まることがあるので、半分の誤差から計算し直します
                g[overflowed] = (half_errors(y, y_hat)[overflowed] / y_hat.size) * 4.0
    return np.asarray(g)


def mae(y_true, y_pred, reduction="mean"):
    r"""平均絶対誤差（MAE）の予測 $\hat{y}$ についての勾配（劣勾配）を返します。

    .. math::

        \frac{\partial L}{\partial \hat{y}_i} = \frac{1}{N} \operatorname{sign}(\hat{y}_i - y_i)

    $N$ は全要素数です（"sum" と "none" では $1/N$ を掛けません）。

    Parameters
    ----------
    y_true : array_like
        正解 $y_i$。
    y_pred : array_like
        予測 $\hat{y}_i$。y_true と同じ形。
    reduction : {"mean", "sum", "none"}, default "mean"
        ロス側の reduction。"mean" は全要素数 $N$ で割った勾配、"sum" と "none" は
        合計の勾配（各要素はその要素の絶対誤差の勾配）です。

    Returns
    -------
    numpy.ndarray
        y_pred と同じ形の float64 配列。各要素は $-1/N$、$0$、$1/N$ のどれか
        （"sum" / "none" では $-1$、$0$、$1$）。

    Raises
    ------
    TypeError
        入力が数値でないとき。
    ValueError
        :func:`lossbook.mae` と同じ条件のとき。

    Notes
    -----
    $|e|$ は $e = 0$ で折れ曲がっていて微分できません。そこでは $-1$ から $1$ までの
    どの値も「劣勾配」として使えますが、本書は **0** を返すと約束します
    （``np.sign(0) = 0``。予測が正解にぴったり合った要素は動かさない、という意味です）。
    勾配の大きさは誤差の大きさによらず一定なので、勾配降下法では学習率を少しずつ
    小さくしないと、最適な点のまわりで行ったり来たりします。

    Examples
    --------
    >>> import lossbook as lb
    >>> lb.grad.mae([1.0, 2.0, 3.0, 4.0], [0.0, 2.0, 5.0, 4.5]).tolist()
    [-0.25, 0.0, 0.25, 0.25]
    """
    y, y_hat = elementwise_pair(y_true, y_pred, reduction)
    g = np.sign(errors(y, y_hat))  # 誤差があふれて ±inf でも符号は正しいままです
    if reduction == "mean":
        # 全要素の平均なので、要素数で割ります
        g = g / y_hat.size
    return np.asarray(g, dtype=np.float64)


def huber(y_true, y_pred, delta=1.0, reduction="mean"):
    r"""Huber ロスの予測 $\hat{y}$ についての勾配を返します。

    誤差 $e_i = \hat{y}_i - y_i$ を $[-\delta, \delta]$ に切り詰めたものです。

    .. math::

        \frac{\partial L}{\partial \hat{y}_i} =
        \frac{1}{N}
        \begin{cases}
            e_i & (|e_i| \le \delta) \\
            \delta \operatorname{sign}(e_i) & (|e_i| > \delta)
        \end{cases}

    $N$ は全要素数です（"sum" と "none" では $1/N$ を掛けません）。

    Parameters
    ----------
    y_true : array_like
        正解 $y_i$。
    y_pred : array_like
        予測 $\hat{y}_i$。y_true と同じ形。
    delta : float, default 1.0
        二乗から絶対値に切り替わる誤差の大きさ $\delta$。正の有限の数。
    reduction : {"mean", "sum", "none"}, default "mean"
        ロス側の reduction。"mean" は全要素数 $N$ で割った勾配、"sum" と "none" は
        合計の勾配です。

    Returns
    -------
    numpy.ndarray
        y_pred と同じ形の float64 配列。

    Raises
    ------
    TypeError
        入力や delta が数値でないとき。
    ValueError
        :func:`lossbook.huber` と同じ条件のとき。

    Notes
    -----
    Huber ロスはどこでも微分できるので、これは普通の勾配です。大きさは $\delta$
    （"mean" では $\delta / N$）を超えないので、外れ値一つがパラメータを強く引っぱることはありません。

    Examples
    --------
    >>> import lossbook as lb
    >>> lb.grad.huber([0.0, 0.0, 0.0], [0.5, 3.0, -2.0], reduction="sum").tolist()
    [0.5, 1.0, -1.0]
    """
    d = check_delta(delta)
    y, y_hat = elementwise_pair(y_true, y_pred, reduction)
    g = np.clip(errors(y, y_hat), -d, d)  # 誤差があふれて ±inf でも ±δ に切り詰められます
    if reduction == "mean":
        # 全要素の平均なので、要素数で割ります
        g = g / y_hat.size
    return np.asarray(g, dtype=np.float64)
