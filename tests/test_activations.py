"""softmax / log_softmax / logsumexp の単体テストと SciPy との一致。"""


import numpy as np
import pytest
from scipy import special

import lossbook as lb

RNG = np.random.default_rng(0)



def test_softmax_known_values():
    out = lb.softmax([1.0, 2.0, 3.0])
    expected = np.exp([1.0, 2.0, 3.0]) / np.exp([1.0, 2.0, 3.0]).sum()
    np.testing.assert_allclose(out, expected, rtol=1e-15)
    assert out.dtype == np.float64
    assert np.isclose(out.sum(), 1.0)


def test_softmax_uniform_and_lists():
    assert lb.softmax([0, 0, 0, 0]).tolist() == [0.25, 0.25, 0.25, 0.25]
    assert lb.softmax([[1000.0, 1000.0]]).tolist() == [[0.5, 0.5]]


@pytest.mark.parametrize("shape", [(5,), (3, 4), (2, 3, 4)])
def test_against_scipy_every_axis(shape):
    x = RNG.normal(scale=5.0, size=shape)
    for axis in range(-len(shape), len(shape)):
        np.testing.assert_allclose(lb.softmax(x, axis=axis), special.softmax(x, axis=axis), rtol=1e-12)
        # scipy の log_softmax は 1 に近い確率の成分で相対誤差 1e-8 ほどになることがあります
        # （lossbook は log1p を使うので 1e-15 ほど。tests/test_numerics_reference.py が mpmath で確かめます）。
        # そこで絶対誤差 1e-15 も許します
        np.testing.assert_allclose(lb.log_softmax(x, axis=axis), special.log_softmax(x, axis=axis),
                                   rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(lb.logsumexp(x, axis=axis), special.logsumexp(x, axis=axis), rtol=1e-12)


def test_axis_selects_the_right_direction():
    x = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 7.0]])
    np.testing.assert_allclose(lb.softmax(x, axis=0).sum(axis=0), np.ones(3))
    np.testing.assert_allclose(lb.softmax(x, axis=1).sum(axis=1), np.ones(2))
    np.testing.assert_allclose(lb.softmax(x, axis=-2), lb.softmax(x, axis=0))
    assert lb.logsumexp(x, axis=0).shape == (3,)
    assert lb.logsumexp(x, axis=1).shape == (2,)
    x3 = RNG.normal(size=(2, 3, 4))
    assert lb.logsumexp(x3, axis=1).shape == (2, 4)
    np.testing.assert_allclose(lb.softmax(x3, axis=1).sum(axis=1), np.ones((2, 4)))


def test_logsumexp_scalar_result_is_float64():
    out = lb.logsumexp([0.0, 0.0])
    assert isinstance(out, np.float64)
    assert out == pytest.approx(np.log(2.0), rel=1e-15)


def test_log_softmax_matches_log_of_softmax():
    x = RNG.normal(size=(4, 6))
    np.testing.assert_allclose(lb.log_softmax(x), np.log(lb.softmax(x)), rtol=1e-12)


def test_huge_logits_stay_finite_float64_and_float32():
    for dtype in (np.float64, np.float32):
        z = np.array([1e6, -1e6, 0.0], dtype=dtype)
        ls = lb.log_softmax(z)
        assert np.all(np.isfinite(ls))
        np.testing.assert_allclose(ls, [0.0, -2e6, -1e6], rtol=1e-12)
        np.testing.assert_allclose(lb.softmax(z), [1.0, 0.0, 0.0], atol=1e-300)
        assert lb.logsumexp(z) == pytest.approx(1e6, rel=1e-15)
        assert ls.dtype == np.float64


def test_shift_invariance():
    z = RNG.normal(size=(3, 5))
    np.testing.assert_allclose(lb.softmax(z + 123.0), lb.softmax(z), rtol=1e-12)


def test_inputs_not_modified():
    z = np.array([[1.0, 2.0, 3.0], [0.0, -1.0, 5.0]])
    copy = z.copy()
    lb.softmax(z)
    lb.log_softmax(z, axis=0)
    lb.logsumexp(z)
    np.testing.assert_array_equal(z, copy)
