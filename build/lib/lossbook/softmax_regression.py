r"""第2章の小さな分類器: ソフトマックス回帰と、2 次元のおもちゃのデータ。

numpy と lossbook のコアだけを使います（matplotlib は読み込みません）。

モデルは、入力 $x$（2 次元の点）から $K$ 個のクラスのロジットを

.. math::

    z = x W + b

で計算し、ソフトマックス関数で確率 $\hat{y}$ に変えます。パラメータは
重み $W$（形 (D, K)）とバイアス $b$（形 (K,)）で、まとめて $\theta$ と書きます。

* 学習（:func:`fit`）はロス（クロスエントロピー）とその勾配を毎歩計算します。
* 推論（:func:`predict`）はロジットを計算して、いちばん大きいクラスを選ぶだけです。
  正解のラベルもロス関数も使いません。

ロスとその勾配は ``losses.cross_entropy_with_logits`` と
``grad.cross_entropy_with_logits`` をモジュール経由で呼びます（呼び出しの回数を
数えたいときに、テストやノートブックから差し替えられるようにするためです）。

A tiny numpy-only softmax-regression classifier (chapter 2) and a 2-D toy data generator.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from . import grad, losses
from .activations import softmax
from ._validation import (
    as_float_array,
    check_finite,
    check_int_at_least,
    check_positive_float,
    check_labels,
    check_ndim,
    check_nonempty,
)

__all__ = [
    "CENTERS", "INIT_SEED", "make_toy_data", "init_params", "logits", "loss", "gradients",
    "fit", "History", "predict", "predict_proba", "accuracy", "grid_predictions",
]

#: おもちゃのデータの 3 つのクラスの中心（正三角形の頂点、原点からの距離 2）。
CENTERS = np.array([[0.0, 2.0], [-np.sqrt(3.0), -1.0], [np.sqrt(3.0), -1.0]])

#: 第2章で学習を始めるパラメータの乱数のシード（``init_params(seed=INIT_SEED)``）。
INIT_SEED = 3


def _check_inputs(X):
    """入力 X を (N, D) の float64 配列として確かめて返します。"""
    arr = as_float_array(X, "X")
    check_ndim(arr, "X", (2,), "2 次元 (N, D)（N 個のサンプル、各サンプル D 個の数）")
    check_nonempty(arr, "X")
    check_finite(arr, "X")
    return arr


def _check_params(W, b, n_features):
    """W (D, K) と b (K,) を確かめ、float64 の配列にして返します。"""
    W = as_float_array(W, "W")
    b = as_float_array(b, "b")
    check_ndim(W, "W", (2,), "2 次元 (D, K)")
    check_ndim(b, "b", (1,), "1 次元 (K,)")
    check_nonempty(W, "W")
    check_finite(W, "W")
    check_finite(b, "b")
    if W.shape[0] != n_features:
        raise ValueError(
            f"W の行数 {W.shape[0]} と X の列数 {n_features} が合いません。"
            f"W は形 ({n_features}, K) にしてください。")
    if b.shape != (W.shape[1],):
        raise ValueError(
            f"b の形 {b.shape} と W の形 {W.shape} が合いません。"
            f"b は形 ({W.shape[1]},)（クラスの数 K）にしてください。")
    return W, b


def _check_labels_for(y, X, n_classes):
    """正解のクラス番号 y を X の行数と K に照らして確かめ、整数配列で返します。"""
    labels = as_float_array(y, "y")
    check_finite(labels, "y")
    if labels.shape != (X.shape[0],):
        raise ValueError(
            f"y の形 {labels.shape} と X の形 {X.shape} が合いません。"
            f"y はサンプルごとのクラス番号を並べた形 ({X.shape[0]},) の配列にしてください。")
    return check_labels(labels, n_classes, "y")


def make_toy_data(n_per_class=50, spread=1.0, seed=0):
    """3 つのクラスのサンプルが 2 次元に散らばった、おもちゃのデータを作ります。

    クラス $k$ のサンプルは、中心 ``CENTERS[k]`` のまわりに標準偏差 ``spread`` の
    正規分布で散らばります。クラスは 0, 1, 2 の順に並びます。

    Parameters
    ----------
    n_per_class : int, default 50
        クラスごとのサンプルの数（1 以上）。
    spread : float, default 1.0
        散らばりの大きさ（正の数）。大きいほどクラスが重なります。
    seed : int, default 0
        乱数のシード。同じシードなら同じデータになります。

    Returns
    -------
    X : numpy.ndarray, shape (3 * n_per_class, 2)
        サンプルの座標。
    y : numpy.ndarray, shape (3 * n_per_class,)
        各サンプルのクラス番号（0, 1, 2 の整数）。

    Raises
    ------
    ValueError
        n_per_class が 1 以上の整数でない、spread が正の数でない、seed が 0 以上の整数でないとき。

    Examples
    --------
    >>> X, y = make_toy_data(n_per_class=4)
    >>> X.shape, y.tolist()
    ((12, 2), [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2])
    """
    n = check_int_at_least(n_per_class, "n_per_class")
    spread = check_positive_float(spread, "spread")
    rng = np.random.default_rng(check_int_at_least(seed, "seed", minimum=0))
    X = np.concatenate([c + spread * rng.standard_normal((n, 2)) for c in CENTERS])
    y = np.repeat(np.arange(len(CENTERS)), n)
    return X, y


def init_params(n_features=2, n_classes=3, scale=1.0, seed=0):
    r"""学習前のパラメータ $W$（形 (D, K)）と $b$（形 (K,)）を作ります。

    $W$ の各成分は標準偏差 ``scale`` の正規分布の乱数、$b$ は 0 です。
    ``scale=0`` ならすべて 0 で、どの点にも全クラス同じ確率 $1/K$ を与えます。

    Raises
    ------
    ValueError
        n_features か n_classes が 1 以上の整数でない、scale が 0 以上の数でない、
        seed が 0 以上の整数でないとき。

    Examples
    --------
    >>> W, b = init_params(scale=0.0)
    >>> W.shape, b.tolist()
    ((2, 3), [0.0, 0.0, 0.0])
    """
    d = check_int_at_least(n_features, "n_features")
    k = check_int_at_least(n_classes, "n_classes")
    if scale != 0:
        scale = check_positive_float(scale, "scale")
    rng = np.random.default_rng(check_int_at_least(seed, "seed", minimum=0))
    return scale * rng.standard_normal((d, k)), np.zeros(k)


def logits(X, W, b):
    r"""ロジット $z = X W + b$（形 (N, K)）を返します。学習でも推論でも使う計算です。

    Examples
    --------
    >>> logits([[1.0, 2.0]], [[1.0, 0.0], [0.0, 1.0]], [0.5, 0.0]).tolist()
    [[1.5, 2.0]]
    """
    X = _check_inputs(X)
    W, b = _check_params(W, b, X.shape[1])
    return X @ W + b


def loss(X, y, W, b):
    r"""データ全体の平均クロスエントロピー $L(\theta)$ を返します（学習で使います）。

    .. math::

        L = -\frac{1}{N} \sum_{n=1}^{N} \log \hat{y}_{n, y_n}

    ``losses.cross_entropy_with_logits`` をロジットから直接呼びます。

    Examples
    --------
    >>> X, y = make_toy_data(n_per_class=2)
    >>> W, b = init_params(scale=0.0)
    >>> round(float(loss(X, y, W, b)), 6)   # どのクラスも 1/3 なので log 3
    1.098612
    """
    X = _check_inputs(X)
    W, b = _check_params(W, b, X.shape[1])
    labels = _check_labels_for(y, X, W.shape[1])
    return losses.cross_entropy_with_logits(labels, X @ W + b)


def gradients(X, y, W, b):
    r"""平均クロスエントロピーの $W$ と $b$ についての勾配を返します（連鎖律）。

    ロジットについての勾配 $G = \partial L / \partial z$（形 (N, K)、
    ``grad.cross_entropy_with_logits`` が $1/N$ まで含めて計算します）から、

    .. math::

        \frac{\partial L}{\partial W} = X^\top G, \qquad
        \frac{\partial L}{\partial b} = \sum_{n=1}^{N} G_n

    Returns
    -------
    dW : numpy.ndarray, shape (D, K)
    db : numpy.ndarray, shape (K,)

    Examples
    --------
    >>> X, y = make_toy_data(n_per_class=2)
    >>> dW, db = gradients(X, y, *init_params(scale=0.0))
    >>> dW.shape, db.shape
    ((2, 3), (3,))
    """
    X = _check_inputs(X)
    W, b = _check_params(W, b, X.shape[1])
    labels = _check_labels_for(y, X, W.shape[1])
    G = grad.cross_entropy_with_logits(labels, X @ W + b)
    return X.T @ G, G.sum(axis=0)


@dataclass
class History:
    """:func:`fit` の記録。歩数 0（学習前）から ``steps`` までの各時点の値です。

    Attributes
    ----------
    W, b : numpy.ndarray
        学習後（最後の歩）のパラメータ。
    params : list of (W, b)
        各歩のパラメータ（``params[t]`` は t 歩進んだあと）。長さ steps + 1。
    loss : numpy.ndarray
        各歩の学習データでの平均ロス（nat）。長さ steps + 1。
    accuracy : numpy.ndarray
        各歩の学習データでの正解率（0〜1）。長さ steps + 1。
    eta : float
        学習率。
    """

    W: np.ndarray
    b: np.ndarray
    params: list = field(repr=False)
    loss: np.ndarray = field(repr=False)
    accuracy: np.ndarray = field(repr=False)
    eta: float = 0.0


def fit(X, y, W, b, eta=0.5, steps=200):
    r"""勾配降下法 $\theta \leftarrow \theta - \eta \nabla L$ で ``steps`` 歩学習します。

    毎歩、ロス（記録用）と勾配（更新用）を計算します。渡した W と b は書き換えません。

    Parameters
    ----------
    X : array_like, shape (N, D)
        学習データの点。
    y : array_like, shape (N,)
        正解のクラス番号。
    W, b : array_like
        学習を始めるパラメータ（形 (D, K) と (K,)）。
    eta : float, default 0.5
        学習率（正の数）。
    steps : int, default 200
        勾配降下法の歩数（0 以上の整数）。

    Returns
    -------
    History
        最後のパラメータと、各歩のパラメータ・ロス・正解率。

    Raises
    ------
    ValueError
        形が合わない、NaN や inf を含む、クラス番号が範囲外、eta が正の数でない、
        steps が 0 以上の整数でないとき。

    Examples
    --------
    >>> X, y = make_toy_data()
    >>> h = fit(X, y, *init_params(), eta=0.5, steps=10)
    >>> len(h.loss), bool(h.loss[-1] < h.loss[0])
    (11, True)
    """
    X = _check_inputs(X)
    W, b = _check_params(W, b, X.shape[1])
    labels = _check_labels_for(y, X, W.shape[1])
    eta = check_positive_float(eta, "eta")
    steps = check_int_at_least(steps, "steps", minimum=0)
    params, loss_values, acc_values = [], [], []
    for t in range(steps + 1):
        params.append((W.copy(), b.copy()))
        z = X @ W + b
        loss_values.append(losses.cross_entropy_with_logits(labels, z))
        acc_values.append(np.mean(np.argmax(z, axis=1) == labels))
        if t == steps:
            break
        G = grad.cross_entropy_with_logits(labels, z)   # ∂L/∂z（1/N 込み）
        W = W - eta * (X.T @ G)                         # 連鎖律で ∂L/∂W = Xᵀ G
        b = b - eta * G.sum(axis=0)                     # ∂L/∂b = Σ_n G_n
    return History(W=W, b=b, params=params, loss=np.array(loss_values),
                   accuracy=np.array(acc_values), eta=eta)


def predict_proba(X, W, b):
    r"""各サンプルの各クラスの確率 $\hat{y}$（形 (N, K)）を返します。正解もロスも使いません。"""
    return softmax(logits(X, W, b), axis=1)


def predict(X, W, b):
    """推論: 各サンプルで、ロジットがいちばん大きいクラスの番号を返します。

    正解のラベルは受け取らず、ロス関数も呼びません。ソフトマックス関数は
    大小の順を変えないので、確率に変えなくても答えは同じです。

    Examples
    --------
    >>> predict([[0.0, 3.0]], [[1.0, 0.0], [0.0, 1.0]], [0.0, 0.0]).tolist()
    [1]
    """
    z = logits(X, W, b)
    return np.argmax(z, axis=1)


def accuracy(y_true, y_pred):
    """正解率（予測したクラスが正解と一致した割合、0〜1）を返します。

    Raises
    ------
    ValueError
        y_true と y_pred の形が合わない、空であるとき。

    Examples
    --------
    >>> accuracy([0, 1, 2, 2], [0, 1, 1, 2])
    0.75
    """
    t = as_float_array(y_true, "y_true")
    p = as_float_array(y_pred, "y_pred")
    if t.shape != p.shape or t.ndim != 1:
        raise ValueError(
            f"y_true の形 {t.shape} と y_pred の形 {p.shape} が合いません。"
            "どちらも同じ長さの 1 次元のクラス番号の配列にしてください。")
    check_nonempty(t, "y_true")
    return float(np.mean(t == p))


def grid_predictions(W, b, xlim=(-5.0, 5.0), ylim=(-5.0, 5.0), n=200):
    """平面を n × n の格子に区切り、各格子点で :func:`predict` したクラスを返します。

    決定領域（どの場所の点がどのクラスと予測されるか）の図に使います。

    Returns
    -------
    xs : numpy.ndarray, shape (n,)
    ys : numpy.ndarray, shape (n,)
    classes : numpy.ndarray, shape (n, n)
        ``classes[i, j]`` は点 ``(xs[j], ys[i])`` の予測クラス。

    Raises
    ------
    ValueError
        n が 2 以上の整数でない、xlim や ylim が (小さい値, 大きい値) でないとき。
    """
    n = check_int_at_least(n, "n", minimum=2)
    for name, lim in (("xlim", xlim), ("ylim", ylim)):
        arr = as_float_array(lim, name)
        if arr.shape != (2,) or not np.all(np.isfinite(arr)) or not arr[0] < arr[1]:
            raise ValueError(
                f"{name} には (小さい値, 大きい値) の 2 つの有限の数を渡してください"
                f"（{lim!r} が渡されました）。")
    xs = np.linspace(xlim[0], xlim[1], n)
    ys = np.linspace(ylim[0], ylim[1], n)
    gx, gy = np.meshgrid(xs, ys)
    points = np.column_stack([gx.ravel(), gy.ravel()])
    return xs, ys, predict(points, W, b).reshape(n, n)
