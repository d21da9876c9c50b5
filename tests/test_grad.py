"""解析的な勾配と数値微分の一致、numerical_gradient 自身のテスト。"""


import numpy as np
import pytest

import lossbook as lb

RNG = np.random.default_rng(2)
REDUCTIONS = ("mean", "sum", "none")



def numeric(loss, y_true, x, reduction):
    # "none" は合計の勾配と比べる約束です
    if reduction == "none":
        return lb.numerical_gradient(lambda v: loss(y_true, v, reduction="sum"), x)
    return lb.numerical_gradient(lambda v: loss(y_true, v, reduction=reduction), x)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_ce_grad_index_targets(reduction):
    z = RNG.normal(scale=2.0, size=(4, 3))
    y = np.array([0, 2, 1, 2])
    g = lb.grad.cross_entropy_with_logits(y, z, reduction=reduction)
    assert g.shape == z.shape
    np.testing.assert_allclose(g, numeric(lb.cross_entropy_with_logits, y, z, reduction), atol=1e-7)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_ce_grad_soft_targets(reduction):
    z = RNG.normal(scale=2.0, size=(3, 5))
    t = lb.softmax(RNG.normal(size=(3, 5)))
    g = lb.grad.cross_entropy_with_logits(t, z, reduction=reduction)
    np.testing.assert_allclose(g, numeric(lb.cross_entropy_with_logits, t, z, reduction), atol=1e-7)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_ce_grad_1d(reduction):
    z = np.array([0.5, -1.0, 2.0])
    g = lb.grad.cross_entropy_with_logits(1, z, reduction=reduction)
    np.testing.assert_allclose(g, lb.softmax(z) - [0.0, 1.0, 0.0], rtol=1e-15)
    np.testing.assert_allclose(g, numeric(lb.cross_entropy_with_logits, 1, z, reduction), atol=1e-7)


def test_ce_grad_mean_is_sum_over_n():
    z = RNG.normal(size=(5, 3))
    y = RNG.integers(0, 3, size=5)
    np.testing.assert_allclose(
        lb.grad.cross_entropy_with_logits(y, z) * 5,
        lb.grad.cross_entropy_with_logits(y, z, reduction="sum"),
        rtol=1e-15,
    )


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_mse_grad(reduction):
    y = RNG.normal(size=(3, 2))
    y_hat = RNG.normal(size=(3, 2))
    g = lb.grad.mse(y, y_hat, reduction=reduction)
    assert g.shape == y_hat.shape and g.dtype == np.float64
    np.testing.assert_allclose(g, numeric(lb.mse, y, y_hat, reduction), atol=1e-8)


def test_grad_inputs_not_modified_and_lists():
    z = [[1.0, 2.0], [0.0, 0.0]]
    g = lb.grad.cross_entropy_with_logits([0, 1], z)
    assert z == [[1.0, 2.0], [0.0, 0.0]]
    np.testing.assert_allclose(g.sum(axis=1), [0.0, 0.0], atol=1e-15)


def test_grad_validates_like_the_loss():
    with pytest.raises(ValueError, match="reduction"):
        lb.grad.mse([1.0], [1.0], reduction="avg")
    with pytest.raises(ValueError, match="y_true"):
        lb.grad.cross_entropy_with_logits([0, 5], [[0.0, 1.0], [1.0, 0.0]])


# ------------------------------------------------------- numerical_gradient

def test_numerical_gradient_exact_on_quadratic():
    a = np.array([[2.0, 0.5], [0.5, 1.0]])
    b = np.array([1.0, -3.0])

    def f(v):
        return 0.5 * v @ a @ v + b @ v

    x = np.array([0.3, -0.7])
    np.testing.assert_allclose(lb.numerical_gradient(f, x), a @ x + b, atol=1e-9)


def test_numerical_gradient_shape_dtype_and_no_modification():
    x = np.arange(6, dtype=np.float32).reshape(2, 3)
    copy = x.copy()
    g = lb.numerical_gradient(lambda v: float((v ** 2).sum()), x)
    assert g.shape == (2, 3) and g.dtype == np.float64
    np.testing.assert_array_equal(x, copy)
    np.testing.assert_allclose(g, 2 * copy, atol=1e-6)


def test_numerical_gradient_accepts_lists_and_0d():
    assert lb.numerical_gradient(lambda v: float(v.sum() ** 3), [2.0]).tolist() == pytest.approx([12.0])
    g = lb.numerical_gradient(lambda v: float(v) ** 2, 3.0)
    assert g.shape == () and g == pytest.approx(6.0)
