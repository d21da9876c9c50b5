"""第8章（まとめ）の対話型の図と補助関数のテスト。"""

import re

import numpy as np
import pytest

import lossbook as lb
from lossbook.chapters.summary import TEACHER, three_losses
from lossbook.examples import weather_distribution
from lossbook.widgets.summary import ThreeRulersExplorer


def _numbers(text):
    return [float(x) for x in re.findall(r"\d+\.\d+", text)]


def test_prediction_is_a_distribution_and_validates():
    # 第8章の予測は、第6章と同じ「今日はいい____」の例（lossbook.examples.weather_distribution）です
    for p in [0.05, 0.6, 1.0]:
        q = weather_distribution(p)
        assert q.sum() == pytest.approx(1.0) and q[0] == p
    for bad in [-0.1, 1.2, float("nan")]:
        with pytest.raises(ValueError, match="p_weather"):
            weather_distribution(bad)
    # 3 つのものさしは p = 0 では測れません（クロスエントロピーが無限大）
    for bad in [0.0, -0.1, 1.2]:
        with pytest.raises(ValueError, match="p "):
            three_losses(bad)


def test_three_losses_match_lossbook_and_their_minima():
    ce, mse, kl = three_losses(0.6)
    q = np.array([0.6, 0.2, 0.2])
    assert ce == pytest.approx(-np.log(0.6))
    assert mse == pytest.approx(np.mean((np.array([1.0, 0, 0]) - q) ** 2))
    assert kl == pytest.approx(lb.kl_divergence(TEACHER, q))
    assert three_losses(TEACHER[0])[2] == pytest.approx(0.0, abs=1e-12)  # 教師と同じなら KL = 0
    assert three_losses(1.0)[2] == np.inf                                 # 教師が置く確率に 0 → 無限大


@pytest.mark.parametrize("p", [0.05, 0.6, 0.95])
def test_callback_at_defaults_and_extremes(p):
    ex = ThreeRulersExplorer(p=0.3)
    before = (ex.image.value, ex.caption.value)
    ex.slider.value = p
    assert _numbers(ex.caption.value)[1:] == pytest.approx(three_losses(p), abs=5e-4)
    assert ex.image.value != before[0] and ex.caption.value != before[1]


def test_static_twin_has_three_markers_per_frame_matching_lossbook():
    twin = ThreeRulersExplorer().static_twin()
    assert len(twin.frames) == 19
    for frame in twin.frames:
        p = float(frame["value"])
        assert len(frame["markers"]) == 3
        assert _numbers(frame["caption"])[1:] == pytest.approx(three_losses(p), abs=5e-4)
