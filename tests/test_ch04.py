"""第4章: MAE・Huber ロスとその勾配、回帰直線の当てはめ、外れ値のエクスプローラーのテスト。"""

import itertools
import json
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy.special import huber as scipy_huber

import lossbook as lb
from lossbook.selfcheck import check
from lossbook.chapters.regression import (
    N_POINTS,
    NOISE_SD,
    OUTLIER_X,
    TRUE_INTERCEPT,
    TRUE_SLOPE,
    fit_line,
    fit_three,
    loss_of_line,
    rent_data,
    with_outlier,
)
from lossbook.widgets.regression import OutlierRegressionExplorer

RNG = np.random.default_rng(4)
REDUCTIONS = ("mean", "sum", "none")
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
KANA = re.compile(r"[\u3040-\u30ff]")



def _away_from_kinks(shape, kinks=(0.0,), gap=0.05):
    """誤差 e = ŷ − y が折れ目（|e| = 0 や δ）から gap 以上離れた (y, ŷ) を作ります。"""
    y = RNG.normal(size=shape)
    e = RNG.normal(scale=2.0, size=shape)
    for k in kinks:
        for sign in (1.0, -1.0):
            near = np.abs(e - sign * k) < gap
            e = np.where(near, e + 2 * gap, e)
    return y, y + e


def _numeric(loss, y, y_hat, reduction, **kw):
    # "none" は合計の勾配と比べる約束です
    summed = "sum" if reduction == "none" else reduction
    return lb.numerical_gradient(lambda v: loss(y, v, reduction=summed, **kw), y_hat)


# ------------------------------------------------------------------ mae

def test_mae_known_values():
    assert lb.mae([1.0, 2.0], [1.5, 4.0]) == pytest.approx(1.25)
    assert lb.mae([1.0, 2.0], [1.5, 4.0], reduction="sum") == pytest.approx(2.5)
    np.testing.assert_array_equal(lb.mae([1.0, 2.0], [1.5, 4.0], reduction="none"), [0.5, 2.0])
    assert lb.mae(3.0, 3.0) == 0.0
    assert isinstance(lb.mae([1.0], [2.0]), np.float64)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_mae_every_reduction_matches_numpy(reduction):
    y, y_hat = RNG.normal(size=(4, 3)), RNG.normal(size=(4, 3))
    ref = np.abs(y - y_hat)
    expected = {"mean": ref.mean(), "sum": ref.sum(), "none": ref}[reduction]
    out = lb.mae(y, y_hat, reduction=reduction)
    np.testing.assert_allclose(out, expected, rtol=1e-12)
    assert np.shape(out) == np.shape(expected)


def test_mae_float32_is_computed_in_float64_and_inputs_unchanged():
    y = np.array([1.0, 2.0], dtype=np.float32)
    y_hat = [1.1, 2.3]
    out = lb.mae(y, y_hat, reduction="none")
    assert out.dtype == np.float64
    assert y_hat == [1.1, 2.3] and y.dtype == np.float32


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_mae_grad_matches_numerical_gradient_away_from_zero(reduction):
    y, y_hat = _away_from_kinks((3, 4))
    g = lb.grad.mae(y, y_hat, reduction=reduction)
    assert g.shape == y_hat.shape and g.dtype == np.float64
    np.testing.assert_allclose(g, _numeric(lb.mae, y, y_hat, reduction), atol=1e-8)


def test_mae_subgradient_is_zero_at_zero_error():
    g = lb.grad.mae([1.0, 2.0, 3.0, 4.0], [0.0, 2.0, 5.0, 4.5])
    np.testing.assert_array_equal(g, [-0.25, 0.0, 0.25, 0.25])
    np.testing.assert_array_equal(lb.grad.mae([2.0], [2.0], reduction="sum"), [0.0])


# ---------------------------------------------------------------- huber

def test_huber_known_values():
    np.testing.assert_allclose(lb.huber([0.0, 0.0], [0.5, 3.0], reduction="none"), [0.125, 2.5])
    assert lb.huber([0.0], [3.0], delta=2.0) == pytest.approx(4.0)
    assert lb.huber([0.0], [-1.0]) == pytest.approx(0.5)   # 境目 |e| = δ では二つの式が同じ値
    assert lb.huber([1.0, 1.0], [1.0, 1.0]) == 0.0


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("delta", [0.3, 1.0, 2.5])
def test_huber_every_reduction_matches_scipy(reduction, delta):
    y, y_hat = RNG.normal(size=(5, 2)), RNG.normal(scale=3.0, size=(5, 2))
    ref = scipy_huber(delta, y_hat - y)
    expected = {"mean": ref.mean(), "sum": ref.sum(), "none": ref}[reduction]
    np.testing.assert_allclose(lb.huber(y, y_hat, delta=delta, reduction=reduction),
                               expected, rtol=1e-12)


def test_huber_limits_mse_and_mae():
    y, y_hat = RNG.normal(size=6), RNG.normal(size=6)
    # δ が誤差より大きければ MSE の半分、δ がとても小さければ MAE の δ 倍に近い
    assert lb.huber(y, y_hat, delta=100.0) == pytest.approx(0.5 * lb.mse(y, y_hat), rel=1e-12)
    small = 1e-6
    assert lb.huber(y, y_hat, delta=small) / small == pytest.approx(lb.mae(y, y_hat), rel=1e-5)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("delta", [0.5, 1.0])
def test_huber_grad_matches_numerical_gradient(reduction, delta):
    y, y_hat = _away_from_kinks((4, 3), kinks=(delta,))
    g = lb.grad.huber(y, y_hat, delta=delta, reduction=reduction)
    assert g.shape == y_hat.shape and g.dtype == np.float64
    np.testing.assert_allclose(
        g, _numeric(lb.huber, y, y_hat, reduction, delta=delta), atol=1e-7)


def test_huber_grad_is_clipped_error():
    g = lb.grad.huber([0.0, 0.0, 0.0], [0.5, 3.0, -2.0], reduction="sum")
    np.testing.assert_array_equal(g, [0.5, 1.0, -1.0])
    np.testing.assert_allclose(lb.grad.huber([0.0, 0.0], [0.5, 3.0]), [0.25, 0.5])


FINITE = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False)


@settings(max_examples=60, deadline=None)
@given(arrays(np.float64, st.integers(1, 8), elements=FINITE),
       st.floats(1e-3, 1e3, allow_nan=False, allow_infinity=False),
       st.data())
def test_huber_lies_between_its_limits(y_hat, delta, data):
    y = data.draw(arrays(np.float64, y_hat.shape, elements=FINITE))
    h = lb.huber(y, y_hat, delta=delta, reduction="none")
    # 0 ≤ Huber ≤ min(e²/2, δ|e|)、勾配の大きさは δ 以下、MAE の勾配は −1, 0, 1 のどれか
    assert np.all(h >= 0)
    assert np.all(h <= 0.5 * lb.mse(y, y_hat, reduction="none") * (1 + 1e-12) + 1e-12)
    assert np.all(h <= delta * lb.mae(y, y_hat, reduction="none") * (1 + 1e-12) + 1e-12)
    assert np.all(np.abs(lb.grad.huber(y, y_hat, delta=delta, reduction="sum")) <= delta)
    assert set(lb.grad.mae(y, y_hat, reduction="sum").tolist()) <= {-1.0, 0.0, 1.0}


def test_exported_in_all():
    assert "mae" in lb.__all__ and "huber" in lb.__all__
    assert callable(lb.grad.mae) and callable(lb.grad.huber)


# ------------------------------------------------------------ bad input

@pytest.mark.parametrize("func", [lb.mae, lb.huber, lb.grad.mae, lb.grad.huber])
@pytest.mark.parametrize("args, kwargs, exc, words", [
    (([1.0, 2.0], [1.0]), {}, ValueError, ["y_true", "y_pred"]),
    (([np.nan], [1.0]), {}, ValueError, ["y_true", "NaN"]),
    (([1.0], [np.inf]), {}, ValueError, ["y_pred"]),
    (([], []), {}, ValueError, ["y_pred", "空"]),
    (([1.0], [1.0]), {"reduction": "avg"}, ValueError, ["reduction"]),
    ((["a"], [1.0]), {}, TypeError, ["y_true"]),
    (([1.0], None), {}, TypeError, ["y_pred"]),
])
def test_bad_input_is_explained_in_japanese(func, args, kwargs, exc, words):
    with pytest.raises(exc) as info:
        func(*args, **kwargs)
    message = str(info.value)
    assert KANA.search(message)
    for word in words:
        assert word in message


@pytest.mark.parametrize("func", [lb.huber, lb.grad.huber])
@pytest.mark.parametrize("delta, exc", [
    (0.0, ValueError), (-1.0, ValueError), (np.inf, ValueError), (np.nan, ValueError),
    ("1", TypeError), (None, TypeError), (True, TypeError), ([1.0], TypeError),
])
def test_bad_delta_is_explained_in_japanese(func, delta, exc):
    with pytest.raises(exc, match="delta") as info:
        func([1.0], [2.0], delta=delta)
    assert KANA.search(str(info.value))


def test_delta_accepts_numpy_and_int():
    assert lb.huber([0.0], [3.0], delta=np.float32(2.0)) == pytest.approx(4.0)
    assert lb.huber([0.0], [3.0], delta=2) == pytest.approx(4.0)


# -------------------------------------------------------- data and fits

def test_rent_data_is_deterministic_and_follows_the_true_line():
    x, y = rent_data()
    x2, y2 = rent_data()
    np.testing.assert_array_equal(x, x2)
    np.testing.assert_array_equal(y, y2)
    assert x.shape == y.shape == (N_POINTS,)
    assert np.all(np.diff(x) >= 0) and 0.2 <= x.min() and x.max() <= 2.0
    residual = y - (TRUE_INTERCEPT + TRUE_SLOPE * x)
    assert 0.5 * NOISE_SD < residual.std() < 2 * NOISE_SD
    assert not np.array_equal(rent_data(seed=1)[1], y)


def test_with_outlier_appends_one_point():
    x, y = rent_data()
    xo, yo = with_outlier(x, y, 14.0)
    assert xo.shape == (N_POINTS + 1,) and xo[-1] == OUTLIER_X and yo[-1] == 14.0
    np.testing.assert_array_equal(xo[:-1], x)


def test_fit_line_recovers_an_exact_line_with_every_loss():
    x = np.linspace(-3.0, 5.0, 9)
    for loss in ("mse", "mae", "huber"):
        a, b = fit_line(x, 1.5 * x - 4.0, loss=loss)
        assert a == pytest.approx(1.5, abs=1e-6) and b == pytest.approx(-4.0, abs=1e-6)


def test_fit_line_mse_is_least_squares():
    x, y = with_outlier(*rent_data(), 14.0)
    np.testing.assert_allclose(fit_line(x, y, loss="mse"), np.polyfit(x, y, 1), atol=1e-10)


def _best_mae_line_through_pairs(x, y):
    best = None
    for i, j in itertools.combinations(range(len(x)), 2):
        a = (y[j] - y[i]) / (x[j] - x[i])
        b = y[i] - a * x[i]
        value = lb.mae(y, a * x + b)
        if best is None or value < best[0]:
            best = (value, a, b)
    return best


@pytest.mark.parametrize("outlier_y", [4.0, 14.0])
def test_fit_line_mae_matches_the_exact_pair_search(outlier_y):
    x, y = with_outlier(*rent_data(), outlier_y)
    value, a_exact, b_exact = _best_mae_line_through_pairs(x, y)
    a, b = fit_line(x, y, loss="mae")
    assert lb.mae(y, a * x + b) == pytest.approx(value, abs=1e-4)
    assert a == pytest.approx(a_exact, abs=5e-3) and b == pytest.approx(b_exact, abs=5e-3)


def test_fit_line_huber_gradient_vanishes_at_the_solution():
    x, y = with_outlier(*rent_data(), 14.0)
    a, b = fit_line(x, y, loss="huber")
    g = lb.grad.huber(y, a * x + b)
    assert abs(g @ x) < 1e-8 and abs(g.sum()) < 1e-8


def test_outlier_moves_mse_much_more_than_mae_and_huber():
    clean = fit_three(*rent_data())
    far = fit_three(*with_outlier(*rent_data(), 18.0))
    shift = {name: abs(far[name][0] - clean[name][0]) for name in clean}
    assert shift["mse"] > 5 * shift["huber"] and shift["mse"] > 5 * shift["mae"]


@pytest.mark.parametrize("kwargs, exc, word", [
    ({"x": [1.0, 2.0], "y": [1.0]}, ValueError, "y"),
    ({"x": [1.0], "y": [1.0]}, ValueError, "x"),
    ({"x": [2.0, 2.0], "y": [1.0, 3.0]}, ValueError, "x"),
    ({"x": [[1.0, 2.0]], "y": [[1.0, 2.0]]}, ValueError, "x"),
    ({"x": [1.0, np.nan], "y": [1.0, 2.0]}, ValueError, "x"),
    ({"x": [1.0, 2.0], "y": [1.0, 2.0], "loss": "l1"}, ValueError, "loss"),
    ({"x": [1.0, 2.0], "y": [1.0, 2.0], "loss": "huber", "delta": -1.0}, ValueError, "delta"),
    ({"x": [1.0, 2.0], "y": [1.0, 2.0], "steps": 0}, ValueError, "steps"),
    ({"x": [1.0, 2.0], "y": [1.0, 2.0], "steps": 2.5}, TypeError, "steps"),
    ({"x": "abc", "y": [1.0, 2.0]}, TypeError, "x"),
])
def test_fit_line_bad_input_is_explained_in_japanese(kwargs, exc, word):
    with pytest.raises(exc) as info:
        fit_line(**kwargs)
    message = str(info.value)
    assert word in message and KANA.search(message)


def test_loss_of_line_uses_lossbook_and_rejects_unknown_names():
    x, y = np.array([0.0, 1.0, 2.0]), np.array([1.0, 2.0, 5.0])
    assert loss_of_line(x, y, "mse", 2.0, 1.0) == pytest.approx(lb.mse(y, 2.0 * x + 1.0))
    assert loss_of_line(x, y, "mae", 2.0, 1.0) == pytest.approx(lb.mae(y, 2.0 * x + 1.0))
    assert loss_of_line(x, y, "huber", 0.0, 0.0, delta=2.0) == pytest.approx(
        lb.huber(y, np.zeros(3), delta=2.0))
    with pytest.raises(ValueError, match="loss") as info:
        loss_of_line(x, y, "rmse", 1.0, 0.0)
    assert KANA.search(str(info.value))


# --------------------------------------------------------------- widget

def _numbers(caption):
    """説明文の「MSE -0.98」のような組を {名前: [傾き, ロス]} にします。"""
    pairs = re.findall(r"(MSE|MAE|Huber) (-?\d+\.\d+)", caption)
    out = {}
    for name, value in pairs:
        out.setdefault(name.lower(), []).append(float(value))
    return out


def _expected(outlier_y):
    x, y = with_outlier(*rent_data(), outlier_y)
    fits = fit_three(x, y)
    return {n: (a, loss_of_line(x, y, n, a, b)) for n, (a, b) in fits.items()}


def _assert_caption_matches(caption, outlier_y):
    assert f"{outlier_y:.1f} 万円" in caption
    found = _numbers(caption)
    for name, (slope, value) in _expected(outlier_y).items():
        assert found[name][0] == pytest.approx(slope, abs=5e-3)
        assert found[name][1] == pytest.approx(value, abs=5e-4)


def test_default_values_render():
    ex = OutlierRegressionExplorer()
    assert ex.slider.value == 14.0
    assert ex.image.value[:8] == b"\x89PNG\r\n\x1a\n"
    _assert_caption_matches(ex.caption.value, 14.0)


@pytest.mark.parametrize("outlier_y", [4.0, 18.0])
def test_callback_at_extremes_changes_figure_and_caption(outlier_y):
    ex = OutlierRegressionExplorer()
    before_img, before_cap = ex.image.value, ex.caption.value
    ex.slider.value = outlier_y        # observe 経由でコールバックが呼ばれる
    assert ex.image.value != before_img and ex.caption.value != before_cap
    _assert_caption_matches(ex.caption.value, outlier_y)


def test_mimebundle_has_widget_and_static_twin():
    bundle = OutlierRegressionExplorer()._repr_mimebundle_()
    assert WIDGET_VIEW in bundle
    assert "lb-twin" in bundle["text/html"]
    assert "http://" not in bundle["text/html"] and "https://" not in bundle["text/html"]
    assert bundle["text/plain"].startswith("（対話型の図")


def test_static_twin_frames_match_lossbook():
    ex = OutlierRegressionExplorer()
    twin = ex.static_twin()
    values = np.arange(4.0, 18.1, 2.0)
    assert ex.controls[0].positions == tuple(values)
    assert len(twin.frames) == len(values) <= 15
    assert twin.frames[twin.initial]["value"] == "14 万円"
    sources = set()
    for frame, v in zip(twin.frames, values):
        assert frame["markers"] == [] and frame["src"].startswith("data:image/png;base64,")
        sources.add(frame["src"])
        _assert_caption_matches(frame["caption"], v)
    assert len(sources) == len(values)     # フレームごとに違う図
    html = twin.to_html()
    data = re.search(r'<script type="application/json" class="lb-twin-data">(.*?)</script>',
                     html, re.S)
    assert len(json.loads(data.group(1))["frames"]) == len(values)
    assert re.search(r'alt="[^"]*外れ値[^"]*"', html)


# ------------------------------------------------------------ exercises

@pytest.mark.parametrize("key, answer", [
    ("4-1", lb.mse([3.0, 5.0, 2.0, 6.0], [2.5, 5.0, 4.0, 7.0])),
    ("4-2", 2.625),
    ("4-3", 1.5),
    ("4-4", "b"),
])
def test_exercises_accept_right_answers(key, answer):
    assert check(key, answer).correct
    assert not check(key, None).answered


def test_exercise_4_5_is_the_exact_mae_slope():
    from lossbook.exercises.ch04 import EX45_X, EX45_Y
    _, a_exact, _ = _best_mae_line_through_pairs(EX45_X, EX45_Y)
    assert check("4-5", a_exact).correct
    assert not check("4-5", float(np.polyfit(EX45_X, EX45_Y, 1)[0])).correct   # MSE の直線の傾きは不正解


