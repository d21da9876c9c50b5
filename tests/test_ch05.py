"""第5章（KL ダイバージェンス）の道具・対話型の図・練習問題のテスト。"""

import re
import warnings

import numpy as np
import pytest

import lossbook as lb
from lossbook.selfcheck import check, exercises
from lossbook.chapters.kl import (
    BUMP_CENTERS,
    BUMP_WEIGHT,
    BUMP_WIDTH,
    GRID_X,
    fit_one_bump,
    grid_bump,
    two_bumps,
)
from lossbook.widgets.kl import KLDirectionExplorer

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
JA = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def _numbers(caption: str):
    """説明文「Q の中心 μ = +1.0（幅 σ = 1.0）: D_KL(P‖Q) = 2.419 nat、…」の数値を返します。"""
    return [float(v) for v in re.findall(r"[-+]?\d+\.\d+", caption)]


def _expected_pair(mean, width=1.0):
    p = two_bumps(GRID_X)
    q = grid_bump(GRID_X, mean, width)
    return float(lb.kl_divergence(p, q)), float(lb.kl_divergence(q, p))


# --- 格子の上の山 -------------------------------------------------------------------

def test_grid_bump_known_values():
    q = grid_bump([-1.0, 0.0, 1.0], 0.0, 1.0)
    e = np.exp(-0.5)
    np.testing.assert_allclose(q, [e, 1.0, e] / (1.0 + 2.0 * e))
    assert q.sum() == pytest.approx(1.0, abs=1e-12)


def test_grid_bump_peak_and_spread_on_the_book_grid():
    q = grid_bump(GRID_X, 1.0, 0.8)
    assert q.sum() == pytest.approx(1.0, abs=1e-12)
    assert GRID_X[np.argmax(q)] == pytest.approx(1.0)
    mean = np.sum(GRID_X * q)
    std = np.sqrt(np.sum((GRID_X - mean) ** 2 * q))
    assert mean == pytest.approx(1.0, abs=1e-9)
    assert std == pytest.approx(0.8, abs=1e-3)


def test_grid_bump_does_not_warn_when_far_points_underflow():
    with warnings.catch_warnings():
        warnings.simplefilter("error")          # 警告が出たら失敗にします
        q = grid_bump(GRID_X, -4.0, 0.2)
    assert q[-1] == 0.0 and q.sum() == pytest.approx(1.0)


def test_two_bumps_is_the_weighted_mixture():
    p = two_bumps(GRID_X)
    left = grid_bump(GRID_X, BUMP_CENTERS[0], BUMP_WIDTH)
    right = grid_bump(GRID_X, BUMP_CENTERS[1], BUMP_WIDTH)
    np.testing.assert_allclose(p, BUMP_WEIGHT * left + (1 - BUMP_WEIGHT) * right)
    assert p.sum() == pytest.approx(1.0, abs=1e-12)
    assert np.all(p > 0)


@pytest.mark.parametrize("call, word", [
    (lambda: grid_bump([[0.0, 1.0]], 0.0, 1.0), "x"),
    (lambda: grid_bump([], 0.0, 1.0), "x"),
    (lambda: grid_bump([0.0, np.nan], 0.0, 1.0), "x"),
    (lambda: grid_bump(GRID_X, np.inf, 1.0), "mean"),
    (lambda: grid_bump(GRID_X, 0.0, 0.0), "width"),
    (lambda: grid_bump(GRID_X, 0.0, -1.0), "width"),
    (lambda: grid_bump(GRID_X, 0.0, [1.0, 2.0]), "width"),
    (lambda: two_bumps(GRID_X, weight=1.5), "weight"),
    (lambda: two_bumps(GRID_X, centers=(0.0, 1.0, 2.0)), "centers"),
    (lambda: two_bumps(GRID_X, width=0.0), "width"),
    (lambda: fit_one_bump(two_bumps(GRID_X), GRID_X, [0.0], [1.0], direction="both"), "direction"),
    (lambda: fit_one_bump(two_bumps(GRID_X)[:10], GRID_X, [0.0], [1.0]), "p"),
    (lambda: fit_one_bump(two_bumps(GRID_X), GRID_X, [], [1.0]), "means"),
    (lambda: fit_one_bump(two_bumps(GRID_X), GRID_X, [0.0], [0.5, -1.0]), "widths"),
    (lambda: KLDirectionExplorer(mean=9.0), "mean"),
    (lambda: KLDirectionExplorer(width=0.0), "width"),
])
def test_bad_input_gives_japanese_value_error_naming_the_argument(call, word):
    # 数を渡すところに配列を渡したとき（width=[1.0, 2.0]）だけは、型の間違いなので TypeError です
    with pytest.raises((ValueError, TypeError), match=word) as err:
        call()
    assert err.type is ValueError or word == "width"
    assert JA.search(str(err.value))


# --- グリッドサーチ ------------------------------------------------------------------

MEANS = np.round(np.arange(-40, 41) * 0.1, 10)
WIDTHS = np.round(np.arange(2, 41) * 0.1, 10)


def test_reverse_kl_picks_the_heavier_bump():
    p = two_bumps(GRID_X)
    mu, sigma, best, table = fit_one_bump(p, GRID_X, MEANS, WIDTHS, direction="reverse")
    assert (mu, sigma) == (BUMP_CENTERS[0], BUMP_WIDTH)
    assert best == pytest.approx(lb.kl_divergence(grid_bump(GRID_X, mu, sigma), p))
    # 左の山にぴったり重なると、KL は log(1 / 左の重み) にほぼ等しい
    assert best == pytest.approx(np.log(1 / BUMP_WEIGHT), abs=2e-3)
    assert table.shape == (len(MEANS), len(WIDTHS)) and np.all(np.isfinite(table))


def test_forward_kl_covers_both_bumps_and_matches_moments():
    p = two_bumps(GRID_X)
    mu, sigma, best, table = fit_one_bump(p, GRID_X, MEANS, WIDTHS, direction="forward")
    mean = np.sum(GRID_X * p)
    std = np.sqrt(np.sum((GRID_X - mean) ** 2 * p))
    assert mu == pytest.approx(mean, abs=0.051)
    assert sigma == pytest.approx(std, abs=0.051)
    assert best == pytest.approx(lb.kl_divergence(p, grid_bump(GRID_X, mu, sigma)))
    # 細すぎる Q は遠い点で 0 に丸められ、前向きの KL は +inf（警告なし）
    assert np.isinf(table).any() and not np.isnan(table).any()


# --- 対話型の図と静的ツイン --------------------------------------------------------

def test_default_values_render():
    ex = KLDirectionExplorer()
    assert ex.slider.value == pytest.approx(1.0)
    assert ex.image.value[:8] == b"\x89PNG\r\n\x1a\n"
    nums = _numbers(ex.caption.value)
    assert nums[0] == pytest.approx(1.0) and nums[1] == pytest.approx(1.0)
    assert nums[2:] == pytest.approx(_expected_pair(1.0), abs=5e-4)


@pytest.mark.parametrize("mean", [-2.5, 1.0, 2.5])
def test_callback_at_defaults_and_extremes(mean):
    ex = KLDirectionExplorer(mean=0.0)
    before_img, before_cap = ex.image.value, ex.caption.value
    ex.slider.value = mean          # observe 経由でコールバック update が呼ばれる
    forward, reverse = _expected_pair(mean)
    assert np.isfinite(forward) and np.isfinite(reverse)
    nums = _numbers(ex.caption.value)
    assert nums[0] == pytest.approx(mean)
    assert nums[2:] == pytest.approx([forward, reverse], abs=5e-4)
    assert ex.kl_pair(mean) == pytest.approx((forward, reverse))
    assert ex.image.value != before_img
    assert ex.caption.value != before_cap


def test_callback_with_another_width():
    ex = KLDirectionExplorer(mean=-2.0, width=0.6)
    nums = _numbers(ex.caption.value)
    assert nums[1] == pytest.approx(0.6)
    assert nums[2:] == pytest.approx(_expected_pair(-2.0, 0.6), abs=5e-4)


def test_static_twin_frames_match_lossbook():
    ex = KLDirectionExplorer(mean=1.0)
    twin = ex.static_twin()
    assert len(twin.frames) == 11 <= 15
    values = [float(f["value"]) for f in twin.frames]
    assert values == pytest.approx(list(np.arange(-2.5, 2.51, 0.5)))
    assert twin.frames[twin.initial]["value"] == "+1.0"
    srcs = {f["src"] for f in twin.frames}
    assert len(srcs) == len(twin.frames)        # 図はフレームごとに違う
    for frame in twin.frames:
        mean = float(frame["value"])
        nums = _numbers(frame["caption"])
        assert nums[0] == pytest.approx(mean)
        assert nums[2:] == pytest.approx(_expected_pair(mean), abs=5e-4)
        assert frame["markers"] == []
        assert frame["src"].startswith("data:image/png;base64,")
    assert JA.search(twin.alt) and twin.hint == KLDirectionExplorer.HINT


def test_slider_matches_twin_range():
    ex = KLDirectionExplorer()
    assert [label for label, _ in ex.slider.options] == [f"{m:+.1f}" for m in np.arange(-2.5, 2.51, 0.5)]
    assert list(ex.controls[0].positions) == pytest.approx(list(np.arange(-2.5, 2.51, 0.5)))
    # 下の図の横軸（Q の中心）はスライダーの範囲と同じです
    assert ex.fig.axes[1].get_xlim() == (-2.5, 2.5)


def test_mimebundle_has_widget_and_static_twin():
    bundle = KLDirectionExplorer()._repr_mimebundle_()
    assert WIDGET_VIEW in bundle
    assert "lb-twin" in bundle["text/html"]
    assert "http://" not in bundle["text/html"] and "https://" not in bundle["text/html"]
    assert JA.search(bundle["text/plain"]) and "0x" not in bundle["text/plain"]


# --- 練習問題 ----------------------------------------------------------------------

def test_chapter5_exercises_are_registered_and_self_checkable():
    ex = exercises()
    assert {"5-1", "5-2", "5-3", "5-4", "5-5"} <= set(ex)
    teacher = lb.softmax([2.5, 1.6, 0.7, 0.0])
    assert ex["5-1"].expected() == pytest.approx(np.log(4) - lb.entropy(teacher))
    assert ex["5-2"].expected() == pytest.approx(
        0.3 * np.log(0.3 / 0.8) + 0.7 * np.log(0.7 / 0.2))
    # 5-5: 差 log 4 − H が 0.01 未満になる最小の整数の温度（T = 6 では 0.01 以上、T = 7 で未満）
    gap = [np.log(4) - lb.entropy(lb.softmax(np.array([2.5, 1.6, 0.7, 0.0]) / T)) for T in (6, 7)]
    assert gap[0] >= 0.01 > gap[1] and ex["5-5"].expected() == 7
    assert check("5-5", 7).correct and not check("5-5", 6).correct and not check("5-5", 8).correct
    assert np.isinf(lb.kl_divergence([0.7, 0.2, 0.1], [1.0, 0.0, 0.0]))   # 5-3 の (b)
    assert check("5-3", "b").correct and not check("5-3", "a").correct
    assert ex["5-4"].expected() == pytest.approx(np.log(1 / 0.4), abs=2e-3)
    for key in ["5-1", "5-2", "5-4"]:
        assert check(key, ex[key].expected()).correct
        assert not check(key, ex[key].expected() * 2 + 0.1).correct
