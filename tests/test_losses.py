"""ロス関数の単体テスト（既知の値、reduction、形、SciPy との一致）。"""

import math

import numpy as np
import pytest
from scipy import special, stats

import lossbook as lb

RNG = np.random.default_rng(1)



def random_distributions(n, k, rng=RNG):
    return special.softmax(rng.normal(scale=2.0, size=(n, k)), axis=1)


# ---------------------------------------------------------------- cross_entropy

def test_cross_entropy_known_value():
    out = lb.cross_entropy(0, [0.6, 0.2, 0.2])
    assert isinstance(out, np.float64)
    assert out == pytest.approx(0.5108256237659907, rel=1e-15)
    assert out == pytest.approx(-math.log(0.6), rel=1e-15)


def test_cross_entropy_onehot_equals_index():
    p = random_distributions(5, 4)
    labels = np.array([0, 3, 1, 1, 2])
    onehot = np.eye(4)[labels]
    for reduction in ("mean", "sum", "none"):
        np.testing.assert_allclose(
            lb.cross_entropy(onehot, p, reduction=reduction),
            lb.cross_entropy(labels, p, reduction=reduction),
            rtol=1e-15,
        )


def test_cross_entropy_reductions():
    p = np.array([[0.5, 0.5], [0.1, 0.9]])
    none = lb.cross_entropy([0, 1], p, reduction="none")
    np.testing.assert_allclose(none, [-math.log(0.5), -math.log(0.9)], rtol=1e-15)
    assert none.shape == (2,)
    assert lb.cross_entropy([0, 1], p, reduction="sum") == pytest.approx(none.sum(), rel=1e-15)
    assert lb.cross_entropy([0, 1], p) == pytest.approx(none.mean(), rel=1e-15)


def test_cross_entropy_1d_reductions_agree():
    p = [0.7, 0.2, 0.1]
    values = [lb.cross_entropy(1, p, reduction=r) for r in ("mean", "sum", "none")]
    assert all(v == pytest.approx(-math.log(0.2), rel=1e-15) for v in values)


def test_cross_entropy_soft_targets():
    t = random_distributions(4, 3)
    p = random_distributions(4, 3)
    expected = -(t * np.log(p)).sum(axis=1)
    np.testing.assert_allclose(lb.cross_entropy(t, p, reduction="none"), expected, rtol=1e-12)


def test_cross_entropy_float_labels_and_0d_label():
    p = np.array([[0.2, 0.8], [0.6, 0.4]])
    assert lb.cross_entropy([1.0, 0.0], p) == lb.cross_entropy([1, 0], p)
    assert lb.cross_entropy(np.array(1), [0.2, 0.8]) == pytest.approx(-math.log(0.8))


def test_cross_entropy_zero_prob_on_correct_class_is_inf():
    assert lb.cross_entropy(0, [0.0, 1.0]) == math.inf
    out = lb.cross_entropy([0, 1], [[0.0, 1.0], [0.5, 0.5]], reduction="none")
    assert out[0] == math.inf and np.isfinite(out[1])
    assert lb.cross_entropy([0, 1], [[0.0, 1.0], [0.5, 0.5]]) == math.inf


def test_cross_entropy_zero_log_zero_is_zero():
    # 正解でないクラスの確率 0 は損失に何も足しません
    assert lb.cross_entropy(1, [0.0, 1.0]) == 0.0
    assert lb.cross_entropy([0.0, 1.0], [0.0, 1.0]) == 0.0


def test_cross_entropy_with_logits_matches_softmax_path():
    z = RNG.normal(scale=3.0, size=(6, 5))
    labels = RNG.integers(0, 5, size=6)
    for reduction in ("mean", "sum", "none"):
        np.testing.assert_allclose(
            lb.cross_entropy_with_logits(labels, z, reduction=reduction),
            lb.cross_entropy(labels, special.softmax(z, axis=1), reduction=reduction),
            rtol=1e-12,
        )
    t = random_distributions(6, 5)
    np.testing.assert_allclose(
        lb.cross_entropy_with_logits(t, z, reduction="none"),
        -(t * special.log_softmax(z, axis=1)).sum(axis=1),
        rtol=1e-12,
    )


def test_cross_entropy_with_logits_huge_float32_logits():
    for dtype in (np.float32, np.float64):
        z = np.array([[1e6, -1e6, 0.0]] * 3, dtype=dtype)
        out = lb.cross_entropy_with_logits([0, 1, 2], z, reduction="none")
        assert out.dtype == np.float64
        np.testing.assert_allclose(out, [0.0, 2e6, 1e6], rtol=1e-12)


def test_cross_entropy_with_logits_1d():
    assert lb.cross_entropy_with_logits(0, [0.0, 0.0]) == pytest.approx(math.log(2.0), rel=1e-15)


# ------------------------------------------------------- binary_cross_entropy

def bce_reference(y, p):
    y = np.asarray(y, dtype=np.float64)
    p = np.asarray(p, dtype=np.float64)
    return -(y * np.log(p) + (1 - y) * np.log(1 - p))


def test_bce_against_reference():
    y = RNG.uniform(size=(4, 3))
    p = RNG.uniform(0.01, 0.99, size=(4, 3))
    ref = bce_reference(y, p)
    np.testing.assert_allclose(lb.binary_cross_entropy(y, p, reduction="none"), ref, rtol=1e-12)
    assert lb.binary_cross_entropy(y, p) == pytest.approx(ref.mean(), rel=1e-12)
    assert lb.binary_cross_entropy(y, p, reduction="sum") == pytest.approx(ref.sum(), rel=1e-12)


def test_bce_known_value_and_lists():
    assert lb.binary_cross_entropy([1, 0], [0.9, 0.2]) == pytest.approx(
        (-math.log(0.9) - math.log(0.8)) / 2, rel=1e-14
    )


def test_bce_edges():
    # 0 log 0 = 0: 完全に正しい予測は損失 0
    assert lb.binary_cross_entropy([1.0, 0.0], [1.0, 0.0]) == 0.0
    # 正解側の確率が 0 なら +inf（警告なし）
    assert lb.binary_cross_entropy([1.0], [0.0]) == math.inf
    assert lb.binary_cross_entropy([0.0], [1.0]) == math.inf


# ------------------------------------------------------------------------ mse

def test_mse_against_reference():
    y = RNG.normal(size=(5, 2))
    y_hat = RNG.normal(size=(5, 2))
    ref = (y - y_hat) ** 2
    np.testing.assert_allclose(lb.mse(y, y_hat, reduction="none"), ref, rtol=1e-12)
    assert lb.mse(y, y_hat) == pytest.approx(ref.mean(), rel=1e-12)
    assert lb.mse(y, y_hat, reduction="sum") == pytest.approx(ref.sum(), rel=1e-12)
    assert lb.mse(y, y_hat, reduction="none").shape == (5, 2)


def test_mse_known_value():
    out = lb.mse([1.0, 2.0], [1.5, 2.0])
    assert isinstance(out, np.float64)
    assert out == 0.125


# ------------------------------------------------------------ kl / entropy

def test_kl_against_scipy_rel_entr():
    p = random_distributions(5, 4)
    q = random_distributions(5, 4)
    ref = special.rel_entr(p, q).sum(axis=1)
    np.testing.assert_allclose(lb.kl_divergence(p, q, reduction="none"), ref, rtol=1e-12)
    assert lb.kl_divergence(p, q) == pytest.approx(ref.mean(), rel=1e-12)
    assert lb.kl_divergence(p, q, reduction="sum") == pytest.approx(ref.sum(), rel=1e-12)
    np.testing.assert_allclose(lb.kl_divergence(p[0], q[0]), stats.entropy(p[0], q[0]), rtol=1e-12)


def test_kl_known_values_and_inf():
    assert lb.kl_divergence([0.5, 0.5], [0.9, 0.1]) == pytest.approx(
        0.5 * math.log(0.5 / 0.9) + 0.5 * math.log(0.5 / 0.1), rel=1e-14
    )
    assert lb.kl_divergence([0.5, 0.5], [0.5, 0.5]) == 0.0
    # q が 0 で p > 0 なら +inf（エラーではない）
    assert lb.kl_divergence([0.5, 0.5], [1.0, 0.0]) == math.inf
    # p が 0 の成分は q が 0 でも何も足さない
    assert lb.kl_divergence([1.0, 0.0], [1.0, 0.0]) == 0.0


def test_entropy_against_scipy():
    p = random_distributions(4, 6)
    ref = special.entr(p).sum(axis=1)
    np.testing.assert_allclose(lb.entropy(p, reduction="none"), ref, rtol=1e-12)
    np.testing.assert_allclose(lb.entropy(p, reduction="none"), stats.entropy(p, axis=1), rtol=1e-12)
    assert lb.entropy(p) == pytest.approx(ref.mean(), rel=1e-12)
    assert lb.entropy(p, reduction="sum") == pytest.approx(ref.sum(), rel=1e-12)


def test_entropy_known_values():
    assert lb.entropy([0.25] * 4) == pytest.approx(math.log(4), rel=1e-15)
    assert lb.entropy([1.0, 0.0, 0.0]) == 0.0
    assert isinstance(lb.entropy([0.5, 0.5]), np.float64)


# -------------------------------------------------------------- perplexity

def test_perplexity():
    assert lb.perplexity(math.log(4.0)) == pytest.approx(4.0, rel=1e-15)
    assert lb.perplexity(0.0) == 1.0
    assert isinstance(lb.perplexity(1.0), np.float64)
    np.testing.assert_allclose(lb.perplexity([0.0, math.log(2.0)]), [1.0, 2.0], rtol=1e-15)
    assert lb.perplexity(1000.0) == math.inf
    labels = [0, 1]
    p = [[0.5, 0.5], [0.25, 0.75]]
    assert lb.perplexity(lb.cross_entropy(labels, p)) == pytest.approx(
        math.exp((-math.log(0.5) - math.log(0.75)) / 2)
    )


# ------------------------------------------------------------ 共通の約束

def test_inputs_not_modified():
    p = np.array([[0.5, 0.5], [0.1, 0.9]])
    z = np.array([[1.0, 2.0], [3.0, -1.0]])
    y = np.array([0, 1])
    copies = [a.copy() for a in (p, z, y)]
    lb.cross_entropy(y, p)
    lb.cross_entropy(p, p)
    lb.cross_entropy_with_logits(y, z)
    lb.binary_cross_entropy(p, p)
    lb.mse(z, p)
    lb.kl_divergence(p, p)
    lb.entropy(p)
    for a, c in zip((p, z, y), copies):
        np.testing.assert_array_equal(a, c)


@pytest.mark.parametrize(
    "call",
    [
        lambda r: lb.cross_entropy([0, 1], [[0.5, 0.5], [0.2, 0.8]], reduction=r),
        lambda r: lb.cross_entropy_with_logits([0, 1], [[1.0, 0.5], [0.2, 0.8]], reduction=r),
        lambda r: lb.binary_cross_entropy([0, 1], [0.3, 0.8], reduction=r),
        lambda r: lb.mse([0, 1], [0.3, 0.8], reduction=r),
        lambda r: lb.kl_divergence([[0.5, 0.5]], [[0.2, 0.8]], reduction=r),
        lambda r: lb.entropy([[0.5, 0.5], [0.2, 0.8]], reduction=r),
    ],
)
def test_return_types_by_reduction(call):
    assert isinstance(call("mean"), np.float64)
    assert isinstance(call("sum"), np.float64)
    none = call("none")
    assert isinstance(none, np.ndarray) and none.dtype == np.float64
    assert call("sum") == pytest.approx(none.sum(), rel=1e-15)
    assert call("mean") == pytest.approx(none.mean(), rel=1e-15)
