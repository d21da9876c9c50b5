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


@pytest.mark.parametrize("p", [0.01, 0.2, 1.0])
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
    ex.slider.index = 0                        # 左端
    assert ex.slider.value == pytest.approx(0.01)
    assert np.isfinite(_loss_in(ex.caption.value))
    ex.slider.index = len(ex.slider.options) - 1   # 右端は p = 1（ロス 0）
    assert ex.slider.value == 1.0
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


# --- ひな形（Explorer）: どのエクスプローラーにも同じ約束 -------------------------------

def _all_explorers():
    """本で使うのと同じ引数で、すべてのエクスプローラーを作ります（名前, エクスプローラー）。"""
    from lossbook.corpus import japanese_text
    from lossbook.lm import BigramLM
    from lossbook.widgets.cross_entropy import CrossEntropyExplorer
    from lossbook.widgets.invisible_link import TemperatureExplorer, TrainingStepExplorer
    from lossbook.widgets.kl import KLDirectionExplorer
    from lossbook.widgets.llm_loss import NextWordLossExplorer
    from lossbook.widgets.regression import OutlierRegressionExplorer
    from lossbook.widgets.summary import ThreeRulersExplorer
    from lossbook.widgets.training import TrainingExplorer

    text = japanese_text()
    model = BigramLM.from_text(text, seed=0)
    history = model.fit(text.sample(2000, seed=3), eta=40.0, steps=500)
    return {
        "ch1": ProbabilityLossExplorer(p=0.2),
        "ch2": TrainingExplorer(step=0, eta=0.1, init_seed=3),
        "ch3-logit": CrossEntropyExplorer(z_answer=-0.5, temperature=1.0),
        "ch3-temperature": CrossEntropyExplorer(z_answer=-0.5, temperature=1.0, twin="temperature"),
        "ch4": OutlierRegressionExplorer(outlier_y=14.0),
        "ch5": KLDirectionExplorer(mean=1.0, width=1.0),
        "ch6": NextWordLossExplorer(p=0.6),
        "ch7-step": TrainingStepExplorer(history, text, step=0),
        "ch7-temperature": TemperatureExplorer(model, text, temperature=1.0),
        "ch8": ThreeRulersExplorer(p=0.6),
    }


@pytest.fixture(scope="module")
def explorers():
    return _all_explorers()


def _pixels(png: bytes):
    from PIL import Image
    import io
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)


def _sample_values(explorer):
    """各スライダーの両端と中ほどの値の組（多すぎないように、スライダーごとに 3 点）。"""
    for control in explorer.controls:
        ps = control.positions
        for value in (ps[0], ps[len(ps) // 2], ps[-1]):
            yield {control.name: value}


def test_every_explorer_fills_the_template(explorers):
    from lossbook.widgets._base import Control, Explorer

    for name, ex in explorers.items():
        assert isinstance(ex, Explorer), name
        for role in ("make_controls", "make_figure", "draw", "caption_for"):
            assert getattr(type(ex), role) is not getattr(Explorer, role), f"{name}: {role} を書いていません"
        # 役割が同じなら名前も同じ: 古い名前（figure / _figure / _frame / step_caption など）は残っていません
        for old in ("figure", "_figure", "_frame", "step_caption", "z_slider", "t_slider", "frame_values",
                    "frame_means", "z_values", "t_values"):
            assert not hasattr(ex, old), f"{name}: 古い名前 {old} が残っています"
        assert all(isinstance(c, Control) for c in ex.controls)
        assert ex.hint.strip() and ex.alt_text().strip() and ex.plain_text().startswith("（対話型の図")


def test_fast_render_matches_a_full_redraw(explorers):
    """背景を貼って動く部品だけ描いた絵（ウィジェット）が、図全体を描き直した絵と同じであること。

    ``self.moving`` に入れ忘れた部品や、``background_key`` に入れ忘れた値があると、古い絵が残って失敗します。
    """
    from lossbook.plotting import figure_to_png

    for name, ex in explorers.items():
        start = ex.values
        try:
            for values in _sample_values(ex):
                ex.update(**values)
                fast, full = _pixels(ex.image.value), _pixels(figure_to_png(ex.fig))
                assert fast.shape == full.shape, name
                differ = (np.abs(fast - full).max(axis=2) > 32).mean()
                assert differ < 1e-3, f"{name} {values}: 画素の {differ:.2%} が図全体の描き直しと違います"
        finally:
            ex.update(**start)


def test_twin_frames_are_the_slider_positions(explorers):
    for name, ex in explorers.items():
        twin = ex.static_twin()
        control = next(c for c in ex.controls if c.name == (ex.TWIN_CONTROL or ex.controls[0].name))
        assert [f["value"] for f in twin.frames] == [control.text(p) for p in control.positions], name
        assert [label for label, _ in ex.sliders[control.name].options] == [f["value"] for f in twin.frames]
        assert twin.initial == control.index_of(ex.values[control.name]), name
        assert twin.slider_label == control.label and twin.hint == ex.hint
        for frame, p in zip(twin.frames, control.positions):
            assert frame["caption"] == ex.caption_for(**{**ex.values, control.name: p}), f"{name} {p}"
        kind_is_markers = ex.TWIN_KIND == "markers"
        assert all(bool(f["markers"]) == kind_is_markers for f in twin.frames), name
        # 隠してある部品（上と右の枠線）は、描き足しやツインで一時的に隠したあとも隠れたまま
        for ax in ex.fig.axes:
            assert not ax.spines["top"].get_visible() and not ax.spines["right"].get_visible(), name
        # ツインを作ってもウィジェットの図は元の値のまま（作るときに描き換えた部品を戻しています）
        before = ex.image.value
        ex.update(**ex.values)
        assert (_pixels(ex.image.value) == _pixels(before)).all(), name


def test_update_moves_the_sliders_and_rejects_bad_values():
    ex = ProbabilityLossExplorer(p=0.2)
    ex.update(p=0.75)
    assert ex.slider.value == 0.75 and "−log 0.75" in ex.caption.value
    with pytest.raises(TypeError, match="q"):
        ex.update(q=0.5)
    with pytest.raises(ValueError, match=r"p には 0\.01 から 1\.00 まで"):
        ex.update(p=0.333)
    with pytest.raises(TypeError, match="p"):
        ex.update(p="0.5")
    with pytest.raises(ValueError, match="p"):
        ProbabilityLossExplorer(p=0.0)
    assert ex.slider.value == 0.75                 # 失敗した呼び出しはスライダーを動かしません
