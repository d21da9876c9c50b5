r"""解析的な勾配（2 番目の引数についての微分）。

``lb.grad.cross_entropy_with_logits`` と ``lb.grad.mse`` は、同じ名前のロス関数と
同じ引数・同じ reduction を受け取り、2 番目の引数（logits / y_pred）と同じ形の勾配を返します。
reduction="none" のときは「合計の勾配」を返します。各行（各要素）はその行自身の
ロスの勾配です（行ごとのロスはほかの行に依存しないため）。
"""

import numpy as np

from .activations import _softmax
from .losses import _elementwise_pair, _logits_and_targets


def cross_entropy_with_logits(y_true, logits, reduction="mean"):
    r"""クロスエントロピーのロジット $z$ についての勾配を返します。

    .. math::

        \frac{\partial L}{\partial z_i} = \mathrm{softmax}(z)_i - y_i

    "mean" のときはさらに $1/N$ 倍します。

    Parameters
    ----------
    y_true : array_like
        目標。logits と同じ形なら目標分布、そうでなければクラス番号
        （logits が (K,) ならスカラー、(N, K) なら形 (N,)）。
    logits : array_like
        ソフトマックス関数を通す前の値 $z$。形 (K,) または (N, K)。
    reduction : {"mean", "sum", "none"}, default "mean"
        ロス側の reduction。"mean" は $N$ で割った勾配、"sum" と "none" は
        合計の勾配（各行はその行のロスの勾配）です。

    Returns
    -------
    numpy.ndarray
        logits と同じ形の float64 配列。

    Raises
    ------
    TypeError
        入力が数値でないとき。
    ValueError
        :func:`lossbook.cross_entropy_with_logits` と同じ条件のとき。

    Notes
    -----
    自然対数のクロスエントロピーの勾配です。(K,) の入力では $N = 1$ です。
    "none" の勾配は、ベクトルのロスの勾配というものはないので、合計の勾配と約束します。

    Examples
    --------
    >>> import lossbook as lb
    >>> lb.grad.cross_entropy_with_logits(0, [0.0, 0.0]).tolist()
    [-0.5, 0.5]
    >>> lb.grad.cross_entropy_with_logits([0, 1], [[0.0, 0.0], [0.0, 0.0]]).tolist()
    [[-0.25, 0.25], [0.25, -0.25]]
    """
    t, z = _logits_and_targets(y_true, logits, reduction)
    g = _softmax(z) - t
    if reduction == "mean":
        # 平均なので、サンプル数 N（(K,) なら 1）で割ります
        n_samples = z.shape[0] if z.ndim == 2 else 1
        g = g / n_samples
    return g


def mse(y_true, y_pred, reduction="mean"):
    r"""平均二乗誤差の予測 $\hat{y}$ についての勾配を返します。

    .. math::

        \frac{\partial L}{\partial \hat{y}_i} = \frac{2}{N} (\hat{y}_i - y_i)

    $N$ は全要素数です（"sum" と "none" では $1/N$ を掛けません）。

    Parameters
    ----------
    y_true : array_like
        目標 $y_i$。
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
    "none" の勾配は合計の勾配と約束します。

    Examples
    --------
    >>> import lossbook as lb
    >>> lb.grad.mse([1.0, 2.0], [1.5, 2.0]).tolist()
    [0.5, 0.0]
    """
    y, y_hat = _elementwise_pair(y_true, y_pred, reduction)
    g = 2.0 * (y_hat - y)
    if reduction == "mean":
        # 全要素の平均なので、要素数で割ります
        g = g / y_hat.size
    return np.asarray(g)
