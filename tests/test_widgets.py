"""対話型の図（ipywidgets）と静的ツインのテスト。

コールバックを既定値と両端で実際に動かし、図（PNG）と説明文が変わること、
説明文の数値が lossbook の計算と一致することを確かめます。
"""

import json
import re

import numpy as np
import pytest

import lossbook as lb
from lossbook.examples import PARIS_ANSWER, paris_distribution
from lossbook.widgets import ProbabilityLossExplorer

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def _loss_in(caption: str) -> float:
    """説明文「… ロス L = −log 0.20 = 1.609」から最後の数値を取り出します。"""
    return float(re.findall(r"[-+]?\d+\.\d+", caption)[-1])


def test_default_values_render():
    ex = ProbabilityLossExplorer()
    assert ex.slider.value == pytest.approx(0.2)
    assert ex.image.value[:8] == b"\x89PNG\r\n\x1a\n"
    expected = lb.cross_entropy(PARIS_ANSWER, paris_distribution(0.2))
    assert _loss_in(ex.caption.value) == pytest.approx(expected, abs=5e-4)


@pytest.mark.parametrize("p", [ProbabilityLossExplorer.P_MIN, 0.2, ProbabilityLossExplorer.P_MAX])
def test_callback_at_defaults_and_extremes(p):
    ex = ProbabilityLossExplorer(p=0.5)
    before_img, before_cap = ex.image.value, ex.caption.value
    ex.slider.value = p           # スライダーを動かす = observe 経由でコールバックが呼ばれる
    expected = lb.cross_entropy(PARIS_ANSWER, paris_distribution(p))
    assert np.isfinite(expected)
    assert _loss_in(ex.caption.value) == pytest.approx(expected, abs=5e-4)
    assert ex.image.value != before_img        # どの p も最初の 0.5 とは違うので、図も説明文も変わります
    assert ex.caption.value != before_cap


def test_slider_range_never_reaches_infinite_loss():
    # 学習者がスライダーを左端まで動かしても、p = 0 にはならず、ロスは有限のままです
    ex = ProbabilityLossExplorer()
    ex.slider.value = 0.0
    assert 0 < ex.slider.value < 0.05
    assert np.isfinite(_loss_in(ex.caption.value))
    ex.slider.value = 1.0                      # 右端は p = 1（ロス 0）
    assert _loss_in(ex.caption.value) == pytest.approx(0.0, abs=5e-4)


def test_mimebundle_has_widget_and_static_twin():
    bundle = ProbabilityLossExplorer()._repr_mimebundle_()
    assert WIDGET_VIEW in bundle
    assert "lb-twin" in bundle["text/html"]
    # text/plain は実行ごとに変わらない（nbval が比較する）
    assert bundle["text/plain"] == ProbabilityLossExplorer()._repr_mimebundle_()["text/plain"]


def test_static_twin_frames_match_lossbook():
    ex = ProbabilityLossExplorer(p=0.2)
    twin = ex.static_twin()
    assert len(twin.frames) == 100   # ウィジェットと同じ 0.01 刻みで 0.01〜1.00
    # 最初に表示するフレームはスライダーの値 0.2 に合わせる
    assert twin.frames[twin.initial]["value"] == "0.20"
    for frame in twin.frames:
        p = float(frame["value"])
        assert _loss_in(frame["caption"]) == pytest.approx(
            lb.cross_entropy(PARIS_ANSWER, paris_distribution(p)), abs=5e-4)
        (left, top), = frame["markers"]
        assert 0 <= left <= 100 and 0 <= top <= 100
    # 確率が上がるほどロスは下がる = 印は下（top が大きい方）へ、右へ動く
    tops = [f["markers"][0][1] for f in twin.frames]
    lefts = [f["markers"][0][0] for f in twin.frames]
    assert all(np.diff(lefts) > 0) and all(np.diff(tops) > 0)


def test_static_twin_html_is_self_contained():
    html = ProbabilityLossExplorer().static_twin().to_html()
    assert "http://" not in html and "https://" not in html
    data = re.search(r'<script type="application/json" class="lb-twin-data">(.*?)</script>', html, re.S)
    frames = json.loads(data.group(1))["frames"]
    assert len(frames) == 100
    assert re.search(r'<img src="data:image/png;base64,[^"]+" alt="[^"]+">', html)
    assert 'type="range"' in html
