r"""ロス関数: クロスエントロピー、2 値クロスエントロピー、MSE、MAE、Huber、KL ダイバージェンス、エントロピー、パープレキシティ。

共通の約束:

* 対数は自然対数（単位 nat）です。
* $0 \log 0 = 0$ とします（one-hot の正解の 0 の成分は何も足しません）。
* 正解クラスの確率が 0 なら損失は $+\infty$ です（NaN にも警告にもなりません）。
* ロジットの $-\infty$ は確率 0 のマスクとして受け付けます（PyTorch と同じ）。NaN と $+\infty$ は ValueError です。
* 値が float64 の範囲（約 1.8e308）を超えるときは $+\infty$ を返します（警告なし）。途中の計算だけが
  あふれるとき（二乗や和）は、あふれない順番で計算し直して、収まる結果は有限の正しい値で返します。
* 0 のロスは $+0.0$ で返します（$-0.0$ と表示されないように）。
* 値を変えるような小さな数（1e-7 など）の足し込みやクリッピングはしません。
* 入力は float64 にコピーしてから計算します（float32 の入力も float64 で返します）。
  例外は ``cross_entropy_with_logits`` にクラス番号の正解を渡すときです。LLM の大きなロジットのために、
  float32 / float64 の配列をコピーせず行のブロックごとに計算し、float32 のロジットは exp と和を
  float32 のまま計算します（相対誤差はおおよそ 1e-7。lossbook/_blocked.py）。ロスの値は常に float64 です。
"""

import numpy as np

from ._validation import (
    as_float_array,
    check_distribution,
    check_finite,
    check_ndim,
    check_nonempty,
    check_probabilities,
    check_reduction,
    check_same_shape,
    reduce,
    ROWS,
    check_delta,
    elementwise_pair,
    logits_and_targets,
    targets,
)
from ._blocked import row_losses
from ._error_math import errors, half_errors
from .activations import log_softmax_of_checked



def _log(p):
    """log p を計算します。log 0 = -inf は意図した値なので警告を出しません。"""
    with np.errstate(divide="ignore"):
        return np.log(p)


def _xlogy(x, log_y):
    """x * log y を、x = 0 の成分は 0 として計算します（0 log 0 = 0 の約束）。"""
    # 先に x = 0 の所の log y を 0 に置き換えるので、0 * (-inf) = NaN になりません
    return x * np.where(x > 0, log_y, 0.0)


def _negate(x):
    r"""-x を返します。ただし 0 は -0.0 ではなく +0.0 にします。

    ロス $-\sum_i y_i \log p_i$ は、確率 1 の項では $-(1 \cdot 0) = -0.0$ になり、``-0.`` と表示されます。
    0.0 - x なら 0.0 - 0.0 = +0.0 で、ほかの値は -x と 1 ビットも変わりません。
    """
    return 0.0 - x


def _log_ratio(p, q):
    """log(p / q) を成分ごとに正確に計算します（p > 0 の成分だけが使われます）。

    * p と q が近い（比が 1/2 から 2）とき: p - q は丸めなしで引けるので、log1p((p - q) / q) にします。
      log(p / q) では、p / q を丸めた誤差 1e-16 がそのまま残り、小さな KL ダイバージェンスが不正確になります。
    * p / q が float64 に収まらない（q がとても小さい）とき: log p - log q にします。
    * q = 0 < p のときは +inf です（p / q = +inf）。
    """
    with np.errstate(divide="ignore", over="ignore", under="ignore", invalid="ignore"):
        ratio = p / q
        near = (ratio >= 0.5) & (ratio <= 2.0)
        out_of_range = (q > 0) & (p > 0) & ((ratio == np.inf) | (ratio < np.finfo(np.float64).tiny))
        return np.where(near, np.log1p((p - q) / q),
                        np.where(out_of_range, np.log(p) - np.log(q), np.log(ratio)))






# 途中の値があふれるときに使う 2 のべき乗の倍率（2 進数では、掛けても丸めが起きません）
_DOWN = 2.0**-256
_UP = 2.0**256


def _rescaled_mean(y, y_hat, loss_of_error, degree):
    """平均 mean(ℓ(ŷ - y)) を、要素のロスや途中の和があふれないように計算し直します。

    ℓ は誤差の degree 次の斉次関数（MSE は 2 次、MAE は 1 次、Huber は δ も一緒に縮めれば 2 次）なので、
    誤差を 2^-256 倍してから計算し、最後に 2^256 を degree 回掛けて戻します。
    loss_of_error(e, c) は、倍率 c で縮めた誤差 e の要素ごとのロスを返す関数です。
    最後の掛け算が inf になるのは、平均そのものが float64 に収まらないときだけです。
    """
    with np.errstate(over="ignore"):
        m = np.mean(loss_of_error(y_hat * _DOWN - y * _DOWN, _DOWN))
        for _ in range(degree):
            m = m * _UP
    return np.float64(m)


def _reduce_elementwise(values, reduction, y, y_hat, loss_of_error, degree):
    """要素ごとのロスを reduction でまとめます。"mean" の途中があふれたら _rescaled_mean で計算し直します。

    "sum" と "none" では、あふれた値 +inf はそのまま正しい答えです（本当の値が float64 の範囲を超えるため）。
    """
    with np.errstate(over="ignore"):
        result = reduce(values, reduction)
    if reduction == "mean" and not np.isfinite(result):
        return _rescaled_mean(y, y_hat, loss_of_error, degree)
    return result


def _distribution_input(x, name, fix="lb.softmax で確率に変換してください"):
    """(K,) か (N, K) の確率分布の入力を確かめて float64 で返します。"""
    arr = as_float_array(x, name)
    check_ndim(arr, name, (1, 2), ROWS)
    check_nonempty(arr, name)
    check_finite(arr, name)
    check_distribution(arr, name, hint_logits=True, fix=fix)
    return arr




def _target_distribution(y_true, pred_shape, pred_name):
    """y_true を y_pred と同じ形の正解の分布にして返します（クラス番号は one-hot に直します）。"""
    t, labels = targets(y_true, pred_shape, pred_name)
    if labels is None:
        return t
    # クラス番号を one-hot に直して、正解の分布と同じ式で計算します
    n_classes = pred_shape[-1]
    one_hot = np.zeros((labels.size, n_classes))
    one_hot[np.arange(labels.size), labels.ravel()] = 1.0
    return one_hot.reshape(pred_shape)








def cross_entropy(y_true, y_pred, reduction="mean"):
    r"""確率 $\hat{y}$ と正解 $y$ のクロスエントロピーを計算します。

    .. math::

        L = -\sum_{i=1}^{K} y_i \log \hat{y}_i

    クラス番号 $c$ が正解のときは $L = -\log \hat{y}_c$ です。

    Parameters
    ----------
    y_true : array_like
        正解。y_pred と同じ形なら正解の分布（one-hot やソフトラベル。各行は 0 以上で
        和が 1）。そうでなければクラス番号: y_pred が (K,) ならスカラーの整数、
        (N, K) なら形 (N,) の整数配列（2.0 のような float の整数も可）。
    y_pred : array_like
        softmax 後の確率 $\hat{y}$。形 (K,) または (N, K)。各行は 0 以上で和が 1 です。
    reduction : {"mean", "sum", "none"}, default "mean"
        "mean" は $N$ 個のサンプルの平均、"sum" は合計、"none" はサンプルごとの値です。

    Returns
    -------
    numpy.float64 or numpy.ndarray
        "mean" / "sum" なら np.float64 のスカラー、"none" なら形 (N,) の配列
        （y_pred が (K,) のときはスカラー）。

    Raises
    ------
    TypeError
        入力が数値でないとき。
    ValueError
        形が合わない、y_pred が確率分布でない（ロジットを渡したなど）、クラス番号が
        範囲外・負・整数でない、NaN や inf を含む、空、reduction が不明なとき。

    Notes
    -----
    自然対数（nat）です。$0 \log 0 = 0$ とします。正解クラスの確率が 0 なら
    $+\infty$ を返します（警告なし、NaN なし）。値を変える epsilon は足しません。
    ロジットから計算するときは :func:`cross_entropy_with_logits` を使ってください。

    Examples
    --------
    >>> import lossbook as lb
    >>> print(round(float(lb.cross_entropy(0, [0.6, 0.2, 0.2])), 6))
    0.510826
    >>> print(round(float(lb.cross_entropy([0, 1], [[0.5, 0.5], [0.1, 0.9]])), 6))
    0.399254
    >>> lb.cross_entropy([0, 1], [[0.5, 0.5], [0.1, 0.9]], reduction="none").round(4).tolist()
    [0.6931, 0.1054]
    """
    check_reduction(reduction)
    p = _distribution_input(y_pred, "y_pred", fix="lb.cross_entropy_with_logits を使ってください")
    t = _target_distribution(y_true, p.shape, "y_pred")
    losses = _negate(np.sum(_xlogy(t, _log(p)), axis=-1))
    return reduce(losses, reduction)


def cross_entropy_with_logits(y_true, logits, reduction="mean"):
    r"""ロジット $z$ から直接、クロスエントロピーを計算します（log-softmax 経由）。

    .. math::

        L = -\sum_{i=1}^{K} y_i \log \mathrm{softmax}(z)_i
          = -\sum_{i=1}^{K} y_i \Bigl(z_i - \log \sum_{j=1}^{K} e^{z_j}\Bigr)

    Parameters
    ----------
    y_true : array_like
        正解。logits と同じ形なら正解の分布、そうでなければクラス番号
        （logits が (K,) ならスカラー、(N, K) なら形 (N,)）。
    logits : array_like
        ソフトマックス関数を通す前の値 $z$。形 (K,) または (N, K)。
    reduction : {"mean", "sum", "none"}, default "mean"
        "mean" は $N$ 個のサンプルの平均、"sum" は合計、"none" はサンプルごとの値です。

    Returns
    -------
    numpy.float64 or numpy.ndarray
        "mean" / "sum" なら np.float64、"none" なら形 (N,) の配列
        （logits が (K,) のときはスカラー）。

    Raises
    ------
    TypeError
        入力が数値でないとき。
    ValueError
        形が合わない、クラス番号が不正、NaN や +inf を含む、すべてが -inf の行がある、空、
        reduction が不明なとき。

    Notes
    -----
    自然対数（nat）で、$0 \log 0 = 0$ とします。有限のロジットなら、±1e6 でも有限の正しい値になります。

    $z_i = -\infty$ は「候補 $i$ を消す」マスク（確率 0）として受け付けます。LLM で、答えの形式に合わない語や
    出してはいけない語を候補から外すときの書き方で、PyTorch と同じふるまいです: 消した候補が正解でなければ、
    その候補は最初からなかったのと同じ値、正解の候補を消していればロスは $+\infty$ です。

    * 正解がクラス番号 $t$ のとき（LLM の学習と同じ形）: 行を数行ずつのブロックに分け、
      CPU のコアの数のスレッドで計算します（lossbook/_blocked.py）。(N, K) と同じ大きさの一時配列は
      作らず、float32 / float64 のロジットはコピーもしません。各行は
      $L = \operatorname{log1p}\bigl(\sum_{j \ne t} e^{z_j} / e^{z_t}\bigr)$ の形で計算し、
      この形では精度が保てない行（exp があふれる、和が 1 より小さい、比があふれる、など）だけを
      最大値 $m$ を引く式で計算し直します。
      float32 のロジットは exp と和を float32 で、割り算と log1p を float64 で計算するので、
      float64 で計算した値との相対誤差はおおよそ 1e-7 です。ほかの dtype は float64 で計算します。
    * 正解が分布（one-hot やソフトラベル）のとき: ロジットを float64 にコピーし、log-softmax を
      $z - m - \log\sum_j e^{z_j - m}$ で計算します（:func:`lossbook.log_softmax` と同じ）。

    Examples
    --------
    >>> import lossbook as lb
    >>> print(round(float(lb.cross_entropy_with_logits(0, [0.0, 0.0])), 4))
    0.6931
    >>> float(lb.cross_entropy_with_logits(1, [1e6, -1e6]))
    2000000.0
    >>> import numpy as np
    >>> float(lb.cross_entropy_with_logits(0, [0.0, -np.inf]))   # 消した候補は確率 0
    0.0
    >>> float(lb.cross_entropy_with_logits(1, [0.0, -np.inf]))   # 正解を消せばロスは +inf
    inf
    """
    t, labels, z = logits_and_targets(y_true, logits, reduction)
    if labels is None:
        # マスク（-inf）の成分は log softmax = -inf。正解が 0 なら 0 log 0 = 0、正なら +inf です
        losses = _negate(np.sum(_xlogy(t, log_softmax_of_checked(z)), axis=-1))
    else:
        # クラス番号のときは、行のブロックごとに計算します（一時配列はブロック 1 つ分だけ）
        rows = z.reshape(-1, z.shape[-1])
        losses = row_losses(rows, labels.reshape(-1), shape=z.shape).reshape(z.shape[:-1])
    return reduce(losses, reduction)


def binary_cross_entropy(y_true, p, reduction="mean"):
    r"""2 値分類のクロスエントロピー（要素ごと）を計算します。

    .. math::

        L_i = -\bigl[y_i \log \hat{y}_i + (1 - y_i) \log (1 - \hat{y}_i)\bigr]

    Parameters
    ----------
    y_true : array_like
        正解 $y_i$。0 以上 1 以下（0/1 のラベルでも確率でも可）。
    p : array_like
        予測確率 $\hat{y}_i$（シグモイド後）。y_true と同じ形で、0 以上 1 以下。
    reduction : {"mean", "sum", "none"}, default "mean"
        "mean" は全要素の平均、"sum" は合計、"none" は要素ごとの値です。

    Returns
    -------
    numpy.float64 or numpy.ndarray
        "mean" / "sum" なら np.float64、"none" なら p と同じ形の配列。

    Raises
    ------
    TypeError
        入力が数値でないとき。
    ValueError
        形が合わない、値が [0, 1] の外、NaN や inf を含む、空、reduction が不明なとき。

    Notes
    -----
    自然対数（nat）で、$0 \log 0 = 0$ とします。$y_i = 1$ で $\hat{y}_i = 0$ のように
    正解側の確率が 0 なら $+\infty$ です（警告なし）。クリッピングはしません。

    Examples
    --------
    >>> import lossbook as lb
    >>> print(round(float(lb.binary_cross_entropy([1, 0], [0.9, 0.2])), 6))
    0.164252
    """
    y, p_arr = elementwise_pair(y_true, p, reduction, pred_name="p")
    check_probabilities(y, "y_true", hint_logits=False, fix="0/1 のラベルか 0 以上 1 以下の確率を渡してください")
    check_probabilities(p_arr, "p")
    # p が小さいとき 1 - p の丸め誤差を避けるため log1p(-p) = log(1 - p) を使います
    with np.errstate(divide="ignore"):
        log_1mp = np.log1p(-p_arr)
    losses = _negate(_xlogy(y, _log(p_arr)) + _xlogy(1.0 - y, log_1mp))
    return reduce(losses, reduction)


def mse(y_true, y_pred, reduction="mean"):
    r"""平均二乗誤差（MSE）を計算します。

    .. math::

        L = \frac{1}{N} \sum_{i=1}^{N} (y_i - \hat{y}_i)^2

    ここで $N$ は全要素数です。

    Parameters
    ----------
    y_true : array_like
        正解 $y_i$。
    y_pred : array_like
        予測 $\hat{y}_i$。y_true と同じ形。
    reduction : {"mean", "sum", "none"}, default "mean"
        "mean" は全要素の平均、"sum" は合計、"none" は要素ごとの二乗誤差です。

    Returns
    -------
    numpy.float64 or numpy.ndarray
        "mean" / "sum" なら np.float64、"none" なら y_pred と同じ形の配列。

    Raises
    ------
    TypeError
        入力が数値でないとき。
    ValueError
        形が合わない、NaN や inf を含む、空、reduction が不明なとき。

    Notes
    -----
    "mean" は（サンプルごとではなく）全要素の平均です。float32 の入力も float64 で計算します。
    誤差が 1.3e154 を超えると二乗が float64 の範囲を超えます。そういう要素の "none" と "sum" は
    $+\infty$ です（本当の値が範囲を超えるため。警告は出しません）。"mean" は、平均が範囲に収まるなら、
    誤差を $2^{-256}$ 倍してから計算し直して有限の正しい値を返します。

    Examples
    --------
    >>> import lossbook as lb
    >>> print(float(lb.mse([1.0, 2.0], [1.5, 2.0])))
    0.125
    """
    y, y_hat = elementwise_pair(y_true, y_pred, reduction)
    e = errors(y, y_hat)
    with np.errstate(over="ignore"):
        squared = e * e  # |e| > 1.3e154 なら +inf（本当の値が float64 に収まりません）
    # 二乗があふれても平均は収まることがあります。そのときは誤差を縮めて計算し直します
    return _reduce_elementwise(squared, reduction, y, y_hat, lambda err, c: err * err, degree=2)




def mae(y_true, y_pred, reduction="mean"):
    r"""平均絶対誤差（MAE）を計算します。

    .. math::

        L = \frac{1}{N} \sum_{i=1}^{N} |y_i - \hat{y}_i|

    ここで $N$ は全要素数です。

    Parameters
    ----------
    y_true : array_like
        正解 $y_i$。
    y_pred : array_like
        予測 $\hat{y}_i$。y_true と同じ形。
    reduction : {"mean", "sum", "none"}, default "mean"
        "mean" は全要素の平均、"sum" は合計、"none" は要素ごとの絶対誤差です。

    Returns
    -------
    numpy.float64 or numpy.ndarray
        "mean" / "sum" なら np.float64、"none" なら y_pred と同じ形の配列。

    Raises
    ------
    TypeError
        入力が数値でないとき。
    ValueError
        形が合わない、NaN や inf を含む、空、reduction が不明なとき。

    Notes
    -----
    誤差 $e_i = \hat{y}_i - y_i$ に比例して増えるので、:func:`mse` より外れ値の影響を
    受けにくいロスです。$e_i = 0$ で微分できません（勾配は :func:`lossbook.grad.mae`）。
    "mean" は全要素の平均です。float32 の入力も float64 で計算します。
    $1\mathrm{e}308 - (-1\mathrm{e}308)$ のように誤差そのものが float64 の範囲を超える要素の "none" と "sum" は
    $+\infty$ です（警告なし）。"mean" は、平均が範囲に収まるなら有限の正しい値を返します。

    Examples
    --------
    >>> import lossbook as lb
    >>> print(float(lb.mae([1.0, 2.0], [1.5, 4.0])))
    1.25
    """
    y, y_hat = elementwise_pair(y_true, y_pred, reduction)
    abs_err = np.abs(errors(y, y_hat))
    # 誤差そのものがあふれても（1e308 - (-1e308)）平均は収まることがあります
    return _reduce_elementwise(abs_err, reduction, y, y_hat, lambda err, c: np.abs(err), degree=1)


def _huber_of_errors(e, d):
    """誤差 e の要素ごとの Huber ロスです。値が float64 に収まらない要素は +inf です（警告なし）。"""
    abs_err = np.abs(e)
    # 二乗するのは δ で切り詰めた誤差だけです（大きな誤差を二乗してあふれさせないため）
    clipped = np.minimum(abs_err, d)
    with np.errstate(over="ignore"):
        # 小さな誤差は二乗の半分、大きな誤差は傾き δ の直線（|e| = δ で値と傾きがつながる）
        # (0.5 q) q は 0.5 (q q) と同じ値ですが、q q があふれても 0.5 q² が収まるときは有限です
        return np.where(abs_err <= d, (0.5 * clipped) * clipped, d * (abs_err - 0.5 * d))


def huber(y_true, y_pred, delta=1.0, reduction="mean"):
    r"""Huber ロスを計算します（小さな誤差は二乗、大きな誤差は絶対値で数えます）。

    誤差を $e_i = \hat{y}_i - y_i$、しきい値を $\delta > 0$ として

    .. math::

        \ell_\delta(e) =
        \begin{cases}
            \frac{1}{2} e^2 & (|e| \le \delta) \\
            \delta \bigl(|e| - \frac{1}{2}\delta\bigr) & (|e| > \delta)
        \end{cases}
        \qquad
        L = \frac{1}{N} \sum_{i=1}^{N} \ell_\delta(e_i)

    ここで $N$ は全要素数です。

    Parameters
    ----------
    y_true : array_like
        正解 $y_i$。
    y_pred : array_like
        予測 $\hat{y}_i$。y_true と同じ形。
    delta : float, default 1.0
        二乗から絶対値に切り替わる誤差の大きさ $\delta$。正の有限の数（y と同じ単位）。
    reduction : {"mean", "sum", "none"}, default "mean"
        "mean" は全要素の平均、"sum" は合計、"none" は要素ごとの値です。

    Returns
    -------
    numpy.float64 or numpy.ndarray
        "mean" / "sum" なら np.float64、"none" なら y_pred と同じ形の配列。

    Raises
    ------
    TypeError
        入力や delta が数値でないとき。
    ValueError
        形が合わない、NaN や inf を含む、空、reduction が不明なとき、
        delta が正の有限の数でないとき。

    Notes
    -----
    $|e| = \delta$ で二つの式の値も傾きもつながるので、どこでも微分できます。
    $\frac{1}{2}$ を掛ける定義（``scipy.special.huber``、PyTorch の ``HuberLoss`` と同じ）です。
    $\delta \to \infty$ で MSE の半分、小さな $\delta$ では MAE の $\delta$ 倍に近づきます。
    二乗するのは $\delta$ で切り詰めた誤差だけなので、大きな誤差でもあふれません。値が float64 の範囲を
    超える要素は $+\infty$ です（警告なし）。"mean" は、平均が範囲に収まるなら有限の正しい値を返します。

    Examples
    --------
    >>> import lossbook as lb
    >>> lb.huber([0.0, 0.0], [0.5, 3.0], reduction="none").tolist()
    [0.125, 2.5]
    >>> print(float(lb.huber([0.0], [3.0], delta=2.0)))
    4.0
    """
    d = check_delta(delta)
    y, y_hat = elementwise_pair(y_true, y_pred, reduction)
    e = errors(y, y_hat)
    losses = _huber_of_errors(e, d)
    overflowed = ~np.isfinite(e)
    if np.any(overflowed):
        # 誤差そのものがあふれた成分（|e| > 1.8e308 > δ なので直線の側）も、δ が小さければロスは
        # 収まります: δ(|e| - δ/2) = 2δ(|e|/2 - δ/4)
        with np.errstate(over="ignore"):
            half = np.abs(half_errors(y, y_hat))[overflowed]
            losses[overflowed] = 2.0 * (d * (half - 0.25 * d))
    # δ も一緒に縮めれば Huber ロスは 2 次の斉次関数です: ℓ(ce; cδ) = c² ℓ(e; δ)
    return _reduce_elementwise(losses, reduction, y, y_hat, lambda err, c: _huber_of_errors(err, d * c), degree=2)


def kl_divergence(p, q, reduction="mean"):
    r"""KL ダイバージェンス $D_{\mathrm{KL}}(P \| Q)$ を最後の軸に沿って計算します。

    .. math::

        D_{\mathrm{KL}}(P \| Q) = \sum_{i=1}^{K} P(i) \log \frac{P(i)}{Q(i)}

    Parameters
    ----------
    p : array_like
        分布 $P$。形 (K,) または (N, K)。各行は 0 以上で和が 1。
    q : array_like
        分布 $Q$。p と同じ形、同じ条件。
    reduction : {"mean", "sum", "none"}, default "mean"
        "mean" は $N$ 行の平均、"sum" は合計、"none" は行ごとの値です。

    Returns
    -------
    numpy.float64 or numpy.ndarray
        "mean" / "sum" なら np.float64、"none" なら形 (N,) の配列
        （1 次元の入力ならスカラー）。

    Raises
    ------
    TypeError
        入力が数値でないとき。
    ValueError
        形が合わない、分布でない、NaN や inf を含む、空、reduction が不明なとき。

    Notes
    -----
    自然対数（nat）で、$P(i) = 0$ の項は 0 とします（$0 \log 0 = 0$）。
    $P(i) > 0$ なのに $Q(i) = 0$ の成分があると、数学的に正しく $+\infty$ を返します
    （エラーではありません）。$D_{\mathrm{KL}}(P \| P) = 0$ です。
    $P$ と $Q$ が近い成分は $P(i) \operatorname{log1p}((P(i) - Q(i)) / Q(i))$ と計算するので、小さな
    KL ダイバージェンスも正確です。そのため、浮動小数点数として和がちょうど 1 でない入力
    （たとえば 0.15 と (1 - 0.7) / 2 = 0.15000000000000002）では、結果が -5e-17 のような小さな負の値に
    なることがあります。その入力どうしでは、それが正しい値です。

    Examples
    --------
    >>> import lossbook as lb
    >>> print(round(float(lb.kl_divergence([0.5, 0.5], [0.9, 0.1])), 6))
    0.510826
    >>> float(lb.kl_divergence([0.5, 0.5], [1.0, 0.0]))
    inf
    """
    check_reduction(reduction)
    p_arr = _distribution_input(p, "p")
    q_arr = _distribution_input(q, "q")
    check_same_shape(p_arr, q_arr, "p", "q")
    # p log(p / q)（p = 0 の項は 0、p > 0 で q = 0 なら +inf）
    losses = np.sum(_xlogy(p_arr, _log_ratio(p_arr, q_arr)), axis=-1)
    return reduce(losses, reduction)


def entropy(p, reduction="mean"):
    r"""分布 $P$ のエントロピー $H(P)$ を最後の軸に沿って計算します。

    .. math::

        H(P) = -\sum_{i=1}^{K} P(i) \log P(i)

    Parameters
    ----------
    p : array_like
        分布 $P$。形 (K,) または (N, K)。各行は 0 以上で和が 1。
    reduction : {"mean", "sum", "none"}, default "mean"
        "mean" は $N$ 行の平均、"sum" は合計、"none" は行ごとの値です。

    Returns
    -------
    numpy.float64 or numpy.ndarray
        "mean" / "sum" なら np.float64、"none" なら形 (N,) の配列
        （1 次元の入力ならスカラー）。

    Raises
    ------
    TypeError
        入力が数値でないとき。
    ValueError
        分布でない、NaN や inf を含む、空、reduction が不明なとき。

    Notes
    -----
    自然対数（nat）で、$0 \log 0 = 0$ とします。one-hot 分布のエントロピーは 0 です。

    Examples
    --------
    >>> import lossbook as lb
    >>> print(round(float(lb.entropy([0.5, 0.5])), 6))
    0.693147
    >>> float(lb.entropy([1.0, 0.0]))
    0.0
    """
    check_reduction(reduction)
    p_arr = _distribution_input(p, "p")
    losses = _negate(np.sum(_xlogy(p_arr, _log(p_arr)), axis=-1))
    return reduce(losses, reduction)


def perplexity(mean_cross_entropy):
    r"""平均クロスエントロピー $L$（nat）からパープレキシティ $\exp(L)$ を計算します。

    .. math::

        \mathrm{PPL} = \exp(L)

    Parameters
    ----------
    mean_cross_entropy : float or array_like
        平均のクロスエントロピー（自然対数、nat）。0 以上の有限の値（スカラーでも配列でも可）。

    Returns
    -------
    numpy.float64 or numpy.ndarray
        スカラーの入力なら np.float64、配列なら同じ形の配列。

    Raises
    ------
    TypeError
        入力が数値でないとき。
    ValueError
        負の値、NaN や inf を含むとき、空の配列のとき。

    Notes
    -----
    自然対数で測った損失を前提にします（底 2 のビットなら $2^L$ です）。
    非常に大きな $L$（約 710 超）では結果が float64 の範囲を超えて inf になります。

    Examples
    --------
    >>> import lossbook as lb
    >>> import numpy as np
    >>> print(round(float(lb.perplexity(np.log(4.0))), 6))
    4.0
    """
    name = "mean_cross_entropy"
    value = as_float_array(mean_cross_entropy, name)
    check_nonempty(value, name)
    check_finite(value, name)
    negative = value < 0
    if np.any(negative):
        raise ValueError(
            f"{name} に負の値があります（値 {float(value[negative][0]):.10g}）。"
            "クロスエントロピーは 0 以上です。平均のクロスエントロピー（nat）を渡してください。"
        )
    # L が 710 を超えると exp(L) は float64 に収まりません。そのときは inf で正しいとします
    with np.errstate(over="ignore"):
        result = np.exp(value)
    return result if result.ndim else np.float64(result)
