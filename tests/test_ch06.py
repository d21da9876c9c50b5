"""第6章（LLM におけるロス）のウィジェット・静的ツイン・例の分布・練習問題のテスト。"""

import json
import re

import numpy as np
import pytest

import lossbook as lb
from lossbook.exercises.ch06 import EXERCISES
from lossbook.selfcheck import check
from lossbook.examples import TODAY_ANSWER, TODAY_CANDIDATES, TODAY_P, weather_distribution
from lossbook.widgets.llm_loss import NextWordLossExplorer

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _numbers(caption: str) -> list[float]:
    """説明文に出てくる小数（符号つきも）を順に取り出します。"""
    return [float(x) for x in re.findall(r"[-+−]?\d+\.\d+", caption.replace("−", "-"))]


def _loss_and_diff(caption: str) -> tuple[float, float]:
    """説明文「… = 0.511 nat（p = 0.6 のときとの差 +0.000）」からロスと差を取り出します。"""
    loss = float(re.search(r"= (\d+\.\d+) nat", caption).group(1))
    diff = float(re.search(r"差 ([-+]\d+\.\d+)", caption).group(1))
    return loss, diff


def _expected(p: float) -> float:
    return float(lb.cross_entropy(TODAY_ANSWER, weather_distribution(p)))


# ---------------------------------------------------------------- 例の分布

def test_weather_distribution_known_values():
    assert weather_distribution(0.6) == pytest.approx([0.6, 0.2, 0.2])
    assert weather_distribution(1.0) == pytest.approx([1.0, 0.0, 0.0])
    assert weather_distribution(0) == pytest.approx([0.0, 0.5, 0.5])
    assert weather_distribution(np.float64(0.9)).sum() == pytest.approx(1.0)
    assert len(weather_distribution(0.3)) == len(TODAY_CANDIDATES)
    # 元の例のロスは記事の値 −log 0.6 ≈ 0.51
    assert _expected(TODAY_P) == pytest.approx(0.5108256, abs=1e-7)


@pytest.mark.parametrize("bad", [-0.1, 1.5, float("nan"), float("inf")])
def test_weather_distribution_rejects_out_of_range(bad):
    with pytest.raises(ValueError, match="p_weather"):
        weather_distribution(bad)


@pytest.mark.parametrize("bad", ["0.6", None, [0.6], True])
def test_weather_distribution_rejects_non_numbers(bad):
    with pytest.raises(TypeError, match="p_weather"):
        weather_distribution(bad)


# ---------------------------------------------------------------- ウィジェット

def test_default_values_render():
    ex = NextWordLossExplorer()
    assert ex.slider.value == pytest.approx(TODAY_P)
    assert ex.image.value[:8] == PNG_MAGIC
    loss, diff = _loss_and_diff(ex.caption.value)
    assert loss == pytest.approx(_expected(TODAY_P), abs=5e-4)
    assert diff == pytest.approx(0.0, abs=5e-4)


@pytest.mark.parametrize("p", [0.01, TODAY_P, 1.0])
def test_callback_at_defaults_and_extremes(p):
    ex = NextWordLossExplorer(p=0.3)
    before_img, before_cap = ex.image.value, ex.caption.value
    ex.slider.value = p           # observe 経由で update が呼ばれる
    loss, diff = _loss_and_diff(ex.caption.value)
    assert np.isfinite(_expected(p))
    assert loss == pytest.approx(_expected(p), abs=5e-4)
    assert diff == pytest.approx(_expected(p) - _expected(TODAY_P), abs=5e-4)
    assert ex.image.value[:8] == PNG_MAGIC
    assert ex.image.value != before_img
    assert ex.caption.value != before_cap


def test_update_can_be_called_directly():
    ex = NextWordLossExplorer()
    ex.update(p=0.9)
    assert ex.slider.value == 0.9
    assert _loss_and_diff(ex.caption.value)[0] == pytest.approx(_expected(0.9), abs=5e-4)
    # 説明文の候補の確率も weather_distribution と一致する
    assert _numbers(ex.caption.value)[:3] == pytest.approx(weather_distribution(0.9), abs=5e-3)


def test_slider_range_never_reaches_infinite_loss():
    positions = NextWordLossExplorer().controls[0].positions
    assert positions[0] == 0.01 and positions[-1] == 1.0
    assert NextWordLossExplorer.HINT.strip()


def test_mimebundle_has_widget_and_static_twin():
    bundle = NextWordLossExplorer()._repr_mimebundle_()
    assert WIDGET_VIEW in bundle
    assert "lb-twin" in bundle["text/html"]
    assert bundle["text/plain"] == NextWordLossExplorer(p=0.2)._repr_mimebundle_()["text/plain"]


# ---------------------------------------------------------------- 静的ツイン

def test_static_twin_frames_match_lossbook():
    twin = NextWordLossExplorer(p=TODAY_P).static_twin()
    assert len(twin.frames) == 100        # 0.01 刻みで 0.01〜1.00
    assert twin.frames[twin.initial]["value"] == "0.60"
    for frame in twin.frames:
        p = float(frame["value"])
        loss, diff = _loss_and_diff(frame["caption"])
        assert loss == pytest.approx(_expected(p), abs=5e-4)
        assert diff == pytest.approx(_expected(p) - _expected(TODAY_P), abs=5e-4)
        (left, top), = frame["markers"]
        assert 0 <= left <= 100 and 0 <= top <= 100
    # 確率が上がるほどロスは下がる = 印は右へ、下へ動く
    lefts = [f["markers"][0][0] for f in twin.frames]
    tops = [f["markers"][0][1] for f in twin.frames]
    assert all(np.diff(lefts) > 0) and all(np.diff(tops) > 0)


def test_static_twin_alt_and_html():
    twin = NextWordLossExplorer().static_twin()
    assert f"{_expected(TODAY_P):.2f}" in twin.alt
    html = twin.to_html()
    assert "http://" not in html and "https://" not in html
    data = re.search(r'<script type="application/json" class="lb-twin-data">(.*?)</script>',
                     html, re.S)
    assert len(json.loads(data.group(1))["frames"]) == 100
    assert 'type="range"' in html


# ---------------------------------------------------------------- 練習問題

def test_exercises_are_registered_and_checkable():
    assert set(EXERCISES) == {"6-1", "6-2", "6-3", "6-4", "6-5"}
    assert check("6-1", np.exp(-0.5)).correct          # ロス 0.5 nat から求めた確率
    assert check("6-2", 4).correct
    assert check("6-3", 8).correct
    assert check("6-4", -2 + np.log(np.exp(2) + np.exp(0.5) + 1)).correct
    assert not check("6-4", -2 + np.log(np.exp(2) + np.exp(1) + 1)).correct   # 第3章の z = (2, 1, 0) の値ではない
    assert check("6-5", "a").correct
    assert not check("6-5", "d").correct
    assert not check("6-1", 0.5).correct and not check("6-1", -np.log(0.8)).correct
    assert not check("6-3", 3).correct
