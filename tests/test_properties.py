"""hypothesis による性質のテスト（非負性、分解の恒等式、シフト不変性、勾配、オーバーフローなし）。"""

import warnings

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import lossbook as lb

SETTINGS = settings(deadline=None, max_examples=60, database=None)


@st.composite
def logits(draw, bound=20.0, dtype=np.float64, min_k=2, max_k=6):
    n = draw(st.integers(1, 5))
    k = draw(st.integers(min_k, max_k))
    width = 32 if dtype == np.float32 else 64
    elements = st.floats(-bound, bound, allow_nan=False, allow_infinity=False, width=width)
    return draw(hnp.arrays(dtype, (n, k), elements=elements))


@st.composite
def two_distributions(draw):
    """同じ形の分布 P, Q（有界なロジットの softmax）。"""
    z1 = draw(logits())
    elements = st.floats(-20.0, 20.0, allow_nan=False, allow_infinity=False)
    z2 = draw(hnp.arrays(np.float64, z1.shape, elements=elements))
    return lb.softmax(z1), lb.softmax(z2)


@st.composite
def normalised_distribution(draw):
    """正の数を正規化して作る分布（softmax とは別の作り方）。"""
    k = draw(st.integers(1, 6))
    w = draw(hnp.arrays(np.float64, (k,), elements=st.floats(1e-3, 1e3)))
    return w / w.sum()


def no_warnings(func, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return func(*args, **kwargs)


@SETTINGS
@given(two_distributions())
def test_cross_entropy_nonnegative_and_decomposes(pq):
    p, q = pq
    ce = no_warnings(lb.cross_entropy, p, q, reduction="none")
    assert np.all(ce >= 0)
    h = lb.entropy(p, reduction="none")
    kl = lb.kl_divergence(p, q, reduction="none")
    # CE(P, Q) = H(P) + KL(P || Q)
    np.testing.assert_allclose(ce, h + kl, rtol=1e-9, atol=1e-9)


@SETTINGS
@given(two_distributions())
def test_kl_nonnegative_and_zero_on_itself(pq):
    p, q = pq
    assert np.all(no_warnings(lb.kl_divergence, p, q, reduction="none") >= -1e-12)
    np.testing.assert_allclose(lb.kl_divergence(p, p, reduction="none"), 0.0, atol=1e-12)


@SETTINGS
@given(normalised_distribution(), normalised_distribution())
def test_entropy_and_kl_on_normalised_weights(p, q):
    h = no_warnings(lb.entropy, p)
    assert -1e-12 <= h <= np.log(p.size) + 1e-12
    if p.size == q.size:
        assert no_warnings(lb.kl_divergence, p, q) >= -1e-12


@SETTINGS
@given(logits(), st.floats(-1e3, 1e3, allow_nan=False))
def test_softmax_shift_invariance(z, c):
    np.testing.assert_allclose(lb.softmax(z + c), lb.softmax(z), rtol=1e-9, atol=1e-15)
    np.testing.assert_allclose(lb.log_softmax(z + c), lb.log_softmax(z), rtol=1e-9, atol=1e-9)


@SETTINGS
@given(logits(bound=10.0), st.data())
def test_ce_gradient_matches_numerical(z, data):
    labels = data.draw(hnp.arrays(np.int64, (z.shape[0],), elements=st.integers(0, z.shape[1] - 1)))
    reduction = data.draw(st.sampled_from(["mean", "sum", "none"]))
    analytic = lb.grad.cross_entropy_with_logits(labels, z, reduction=reduction)
    summed = "sum" if reduction == "none" else reduction
    numeric = lb.numerical_gradient(lambda v: lb.cross_entropy_with_logits(labels, v, reduction=summed), z)
    np.testing.assert_allclose(analytic, numeric, atol=1e-6)


@SETTINGS
@given(logits(bound=10.0), st.data())
def test_mse_gradient_matches_numerical(y_hat, data):
    y = data.draw(hnp.arrays(np.float64, y_hat.shape, elements=st.floats(-10, 10)))
    reduction = data.draw(st.sampled_from(["mean", "sum", "none"]))
    analytic = lb.grad.mse(y, y_hat, reduction=reduction)
    summed = "sum" if reduction == "none" else reduction
    numeric = lb.numerical_gradient(lambda v: lb.mse(y, v, reduction=summed), y_hat)
    np.testing.assert_allclose(analytic, numeric, atol=1e-6)


@SETTINGS
@given(st.sampled_from([np.float64, np.float32]).flatmap(lambda dt: logits(bound=1e6, dtype=dt)), st.data())
def test_no_overflow_up_to_1e6(z, data):
    labels = data.draw(hnp.arrays(np.int64, (z.shape[0],), elements=st.integers(0, z.shape[1] - 1)))
    z64 = z.astype(np.float64)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ce = lb.cross_entropy_with_logits(labels, z, reduction="none")
        p = lb.softmax(z)
        ls = lb.log_softmax(z)
        lse = lb.logsumexp(z)
        g = lb.grad.cross_entropy_with_logits(labels, z)
    for out in (ce, p, ls, lse, g):
        assert np.all(np.isfinite(out))
    assert np.all(ce >= 0)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-12)
    # float64 で計算した値と一致します。float32 のロジットは exp と和を float32 で計算する約束なので、
    # 相対誤差 1e-6 まで（lossbook/_blocked.py の精度の約束）。
    expected = lse - z64[np.arange(z.shape[0]), labels]
    rtol = 1e-6 if z.dtype == np.float32 else 1e-12
    np.testing.assert_allclose(ce, expected, rtol=rtol, atol=1e-9)
