"""第3章（クロスエントロピー）の道具のテスト。

* ``paris_logits`` と ``tempered_softmax``: 既知の値と、悪い入力の日本語のエラー。
* ``CrossEntropyExplorer``: コールバックを既定値と両端で動かし、図（PNG）と説明文が
  変わること、説明文の数値が lossbook の計算と一致すること。
* 静的ツイン（ロジット用と温度用）: フレームの数値が lossbook と一致すること。
* 練習問題 3-1〜3-5 の正解が lossbook の計算と一致すること。
"""

import json
import re

import numpy as np
import pytest

import lossbook as lb
from lossbook.examples import PARIS_ANSWER, PARIS_CANDIDATES, paris_distribution
from lossbook.selfcheck import check
from lossbook.activations import tempered_softmax
from lossbook.examples import PARIS_OTHER_LOGITS, paris_logits
from lossbook.widgets.cross_entropy import CrossEntropyExplorer

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
PNG = b"\x89PNG\r\n\x1a\n"
CAPTION = re.compile(
    r"z\(首都\) = ([-+]\d+\.\d)、T = (\d+\.\d\d) → 予測: (.*) → ロス L = −log (\d\.\d{3}) = (\d+\.\d{3}) nat$")


def _expected_loss(z_answer, temperature):
    return float(lb.cross_entropy_with_logits(PARIS_ANSWER, paris_logits(z_answer) / temperature))


def _parse(caption):
    """説明文から z、T、候補ごとの確率、p(首都)、ロスを取り出します。"""
    m = CAPTION.fullmatch(caption)
    assert m, caption
    probs = [float(part.split()[1]) for part in m.group(3).split("、")]
    return float(m.group(1)), float(m.group(2)), probs, float(m.group(4)), float(m.group(5))


def _check_caption(caption, z_answer, temperature):
    z, t, probs, p, loss = _parse(caption)
    assert z == pytest.approx(z_answer, abs=0.051)
    assert t == pytest.approx(temperature, abs=0.0051)
    expected_probs = tempered_softmax(paris_logits(z_answer), temperature)
    assert probs == pytest.approx(expected_probs, abs=0.0051)
    assert p == pytest.approx(expected_probs[PARIS_ANSWER], abs=5e-4)
    assert loss == pytest.approx(_expected_loss(z_answer, temperature), abs=5e-4)


# --- paris_logits ------------------------------------------------------------------

def test_paris_logits_known_values():
    assert paris_logits(-0.5).tolist() == [-0.5, *PARIS_OTHER_LOGITS]
    assert paris_logits(3).dtype == np.float64
    assert paris_logits(np.float32(2.0))[0] == 2.0
    # 第1章 1.3 節と同じモデル: θ = -0.5 で p(首都) は約 0.119、ロスは約 2.129
    assert lb.cross_entropy_with_logits(PARIS_ANSWER, paris_logits(-0.5)) == pytest.approx(
        2.1293000384, abs=1e-9)


@pytest.mark.parametrize("bad, exc", [
    (float("nan"), ValueError), (float("inf"), ValueError), ([1.0, 2.0], TypeError),
    ("1.0", TypeError), (None, TypeError), (True, TypeError)])
def test_paris_logits_bad_input_names_the_argument(bad, exc):
    with pytest.raises(exc, match="z_answer"):
        paris_logits(bad)


# --- tempered_softmax --------------------------------------------------------------

def test_tempered_softmax_known_values():
    z = np.array([2.0, 1.0, 0.0])
    assert tempered_softmax(z, 1.0) == pytest.approx(lb.softmax(z))
    assert tempered_softmax(z, 0.5) == pytest.approx(lb.softmax(2 * z))
    assert tempered_softmax([2.0, 0.0], 2.0) == pytest.approx(
        [1 / (1 + np.exp(-1.0)), 1 / (1 + np.exp(1.0))])
    # 温度を上げると一様分布に、下げると最大の候補に集まる
    assert tempered_softmax(z, 1e6) == pytest.approx(np.full(3, 1 / 3), abs=1e-5)
    assert tempered_softmax(z, 1e-3) == pytest.approx([1.0, 0.0, 0.0], abs=1e-12)
    # 2 次元（N, K）にも使え、各行の和は 1
    rows = tempered_softmax([[0.0, 1000.0], [3.0, 3.0]], 0.1)
    assert rows.sum(axis=1) == pytest.approx([1.0, 1.0])
    assert np.isfinite(rows).all()


@pytest.mark.parametrize("bad, exc", [(0.0, ValueError), (-1.0, ValueError), (float("nan"), ValueError),
                                      (float("inf"), ValueError), ([1.0, 2.0], TypeError)])
def test_tempered_softmax_bad_temperature(bad, exc):
    with pytest.raises(exc, match="temperature"):
        tempered_softmax([1.0, 2.0], bad)


def test_tempered_softmax_bad_types_and_logits():
    with pytest.raises(TypeError, match="temperature"):
        tempered_softmax([1.0, 2.0], "hot")
    with pytest.raises(TypeError, match="temperature"):
        tempered_softmax([1.0, 2.0], True)
    with pytest.raises(ValueError, match="logits"):
        tempered_softmax([1.0, float("nan")], 1.0)


# --- ウィジェット ------------------------------------------------------------------

def test_default_values_render():
    ex = CrossEntropyExplorer()
    assert ex.sliders["z_answer"].value == pytest.approx(-0.5)
    assert ex.sliders["temperature"].value == pytest.approx(1.0)
    assert ex.image.value[:8] == PNG
    _check_caption(ex.caption.value, -0.5, 1.0)


def test_bad_twin_argument():
    with pytest.raises(ValueError, match="twin"):
        CrossEntropyExplorer(twin="both")


@pytest.mark.parametrize("z_answer", [-4.5, -0.5, 4.5])
def test_logit_slider_at_default_and_extremes(z_answer):
    ex = CrossEntropyExplorer(z_answer=0.5)
    before_img, before_cap = ex.image.value, ex.caption.value
    ex.sliders["z_answer"].value = z_answer     # observe 経由でコールバックが呼ばれる
    _check_caption(ex.caption.value, z_answer, 1.0)
    assert ex.image.value[:8] == PNG
    assert ex.image.value != before_img
    assert ex.caption.value != before_cap


@pytest.mark.parametrize("exponent", [-2.0, 0.0, 2.0])
def test_temperature_slider_at_default_and_extremes(exponent):
    ex = CrossEntropyExplorer(temperature=2.0)
    before_img, before_cap = ex.image.value, ex.caption.value
    temperature = 2.0 ** exponent
    ex.sliders["temperature"].value = temperature
    _check_caption(ex.caption.value, -0.5, temperature)
    assert ex.image.value != before_img
    assert ex.caption.value != before_cap


def test_update_is_the_callback_and_handles_off_chart_losses():
    ex = CrossEntropyExplorer()
    # いちばん厳しい組: z(首都) 最小、温度最小。ロスは縦軸の既定の上限を超える
    z, t = -4.5, 0.25
    assert _expected_loss(z, t) > CrossEntropyExplorer.Y_MAX
    ex.update(z_answer=z, temperature=t)
    assert ex.sliders["z_answer"].value == z and ex.sliders["temperature"].value == t
    _check_caption(ex.caption.value, z, t)
    assert ex.image.value[:8] == PNG
    # 縦軸は、その温度の曲線全体（と点）が入る高さに広がります
    low, high = ex.ax_loss.get_ylim()
    assert low == 0 and high >= _expected_loss(z, t)


def test_mimebundle_has_widget_and_static_twin():
    for twin in ("logit", "temperature"):
        bundle = CrossEntropyExplorer(twin=twin)._repr_mimebundle_()
        assert WIDGET_VIEW in bundle
        assert bundle["text/html"].count('<figure class="lb-twin">') == 1
        assert "JupyterLab" in bundle["text/plain"]


# --- 静的ツイン ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def logit_twin():
    return CrossEntropyExplorer(z_answer=-0.5, temperature=1.0).static_twin()


@pytest.fixture(scope="module")
def temperature_twin():
    return CrossEntropyExplorer(z_answer=-0.5, temperature=1.0, twin="temperature").static_twin()


def test_logit_twin_frames_match_lossbook(logit_twin):
    zs = np.arange(-4.5, 4.51, 1.0)
    assert len(logit_twin.frames) == len(zs) == 10 <= 20
    assert logit_twin.frames[logit_twin.initial]["value"] == "-0.5"
    losses = []
    for frame, z in zip(logit_twin.frames, zs):
        assert float(frame["value"]) == pytest.approx(z)
        _check_caption(frame["caption"], z, 1.0)
        assert frame["markers"] == [] and frame["src"].startswith("data:image/png;base64,")
        losses.append(_parse(frame["caption"])[4])
    # 首都のロジットを上げるほどロスは下がる
    assert all(np.diff(losses) < 0)
    assert len({f["src"] for f in logit_twin.frames}) == len(zs)
    assert logit_twin.slider_label == "z(首都)"
    assert "ロジット" in logit_twin.alt


def test_temperature_twin_frames_match_lossbook(temperature_twin):
    ts = 2.0 ** np.arange(-2.0, 2.01, 0.5)
    assert len(temperature_twin.frames) == len(ts) == 9 <= 20
    assert ts[0] == pytest.approx(0.25) and ts[-1] == pytest.approx(4.0)
    assert temperature_twin.frames[temperature_twin.initial]["value"] == "1.00"
    losses = []
    for frame, t in zip(temperature_twin.frames, ts):
        assert float(frame["value"]) == pytest.approx(t, abs=0.005)
        _check_caption(frame["caption"], -0.5, t)
        losses.append(_parse(frame["caption"])[4])
    # 首都を外している（1 位は都市）ので、温度を上げるほどロスは log 4 に向かって下がる
    assert all(np.diff(losses) < 0)
    assert losses[-1] > np.log(len(PARIS_CANDIDATES))
    assert temperature_twin.slider_label == "温度 T"


def test_twin_html_is_self_contained(logit_twin):
    html = logit_twin.to_html()
    assert "http://" not in html and "https://" not in html
    data = re.search(r'<script type="application/json" class="lb-twin-data">(.*?)</script>', html, re.S)
    frames = json.loads(data.group(1))["frames"]
    assert len(frames) == 10
    assert re.search(r'<img src="data:image/png;base64,[^"]+" alt="[^"]+">', html)
    # ページを軽く保つ: ツイン 1 つで 1 MB 未満
    assert len(html) < 1_000_000


# --- 練習問題 ------------------------------------------------------------------------

def test_chapter3_exercises_match_lossbook():
    from lossbook.exercises.ch03 import EXERCISES

    assert set(EXERCISES) == {"3-1", "3-2", "3-3", "3-4", "3-5"}
    soft = -0.6 * np.log(0.2) - 0.4 * np.log(0.52)
    assert EXERCISES["3-1"].expected() == pytest.approx(soft)
    assert EXERCISES["3-1"].expected() == pytest.approx(
        lb.cross_entropy([0.6, 0.4, 0.0, 0.0], paris_distribution(0.2)))
    assert EXERCISES["3-2"].expected() == pytest.approx(lb.softmax([1.5, 0.5, 0.0])[0] - 1)
    assert EXERCISES["3-3"].expected() == pytest.approx(np.log(2 + np.exp(-1)))
    assert EXERCISES["3-4"].expected() == pytest.approx(-lb.log_softmax([4.0, 2.0, 0.0])[0])
    assert check("3-3", float(np.log(2 + np.exp(-1)))).correct
    assert not check("3-3", float(np.log(3))).correct      # 3 つとも 1000 のときの値
    assert not check("3-3", 1000.0).correct
    assert check("3-5", "a").correct and not check("3-5", "b").correct
