"""第7章: 学習の歩数と温度のエクスプローラー（ウィジェットと静的ツイン）、図の道具、練習問題のテスト。

コールバックを既定値と両端で動かし、図（PNG）と説明文が変わること、説明文とツインの
フレームの数値が lossbook の計算と一致することを確かめます。
"""

import json
import re

import numpy as np
import pytest

import lossbook as lb
from lossbook.corpus import japanese_text
from lossbook.lm import BigramLM
from lossbook.selfcheck import check
from lossbook.chapters.next_word import PROMPT, candidate_words, grouped_probabilities
from lossbook.widgets.invisible_link import TemperatureExplorer, TrainingStepExplorer

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
NUMBER = r"[-+]?\d+(?:\.\d+)?"



@pytest.fixture(scope="module")
def text():
    return japanese_text()


@pytest.fixture(scope="module")
def history(text):
    """本文 7.4 節と同じ学習（2000 文、シード 3、η = 40、500 歩）の記録。"""
    model = BigramLM.from_text(text, seed=0)
    return model.fit(text.sample(2000, seed=3), eta=40.0, steps=500)


@pytest.fixture(scope="module")
def model(history):
    return history.model_at(history.steps)


def _step_numbers(caption):
    """「N 歩: 学習データのロス X nat（床 Y nat）、p(天気) = Z（天気のロス W）、生成例「…」」を読みます。"""
    m = re.match(rf"(\d+) 歩: 学習データのロス ({NUMBER}) nat（床 ({NUMBER}) nat）、"
                 rf"p\(天気\) = ({NUMBER})（天気のロス ({NUMBER})）、生成例「(.*)」$", caption)
    assert m, caption
    step, loss, floor, p, loss_answer = (float(g) for g in m.groups()[:5])
    return int(step), loss, floor, p, loss_answer, m.group(6)


def _temperature_numbers(caption):
    """「T = t: p(天気) = Z、エントロピー H nat（約 K 語の中で迷う）、生成例「…」「…」」を読みます。"""
    m = re.match(rf"T = ({NUMBER}): p\(天気\) = ({NUMBER})、エントロピー ({NUMBER}) nat"
                 rf"（約 ({NUMBER}) 語の中で迷う）、生成例「(.*)」$", caption)
    assert m, caption
    return tuple(float(g) for g in m.groups()[:4]) + (m.group(5),)


def _expected_step(history, text, step):
    q = history.model_at(step).next_word_distribution(text.tokenize(PROMPT))
    j = text.outputs.index("天気")
    return history.loss[step], text.entropy_floor(), q[j], lb.cross_entropy(j, q)


# ------------------------------------------------------------------ 図の道具

def test_candidate_words_and_grouping(text):
    words = candidate_words(text)
    assert words == ["天気", "気分", "日"]
    g = grouped_probabilities(text.next_word_distribution("いい"), text.outputs, words)
    np.testing.assert_allclose(g, [0.6, 0.25, 0.15, 0.0], atol=1e-12)
    u = np.full(len(text.outputs), 1 / len(text.outputs))
    g = grouped_probabilities(u, text.outputs, words)
    assert g.sum() == pytest.approx(1.0) and g[-1] == pytest.approx(26 / 29)


# ------------------------------------------------------------------ 学習の歩数のエクスプローラー

def test_training_explorer_defaults(history, text):
    ex = TrainingStepExplorer(history, text)
    assert ex.slider.value == 0
    assert ex.image.value[:8] == b"\x89PNG\r\n\x1a\n"
    step, loss, floor, p, loss_answer, _ = _step_numbers(ex.caption.value)
    assert step == 0
    exp = _expected_step(history, text, 0)
    assert (loss, floor, p, loss_answer) == pytest.approx(exp, abs=5e-4)


@pytest.mark.parametrize("target", ["first", "middle", "last"])
def test_training_explorer_callback_at_defaults_and_extremes(history, text, target):
    ex = TrainingStepExplorer(history, text, step=10)
    before_img, before_cap = ex.image.value, ex.caption.value
    step = {"first": ex.steps[0], "middle": 10, "last": ex.steps[-1]}[target]
    ex.slider.value = step        # スライダーを動かす = observe 経由でコールバック
    got = _step_numbers(ex.caption.value)
    assert got[0] == step
    assert got[1:5] == pytest.approx(_expected_step(history, text, step), abs=5e-4)
    if step != 10:
        assert ex.image.value != before_img
        assert ex.caption.value != before_cap


def test_training_explorer_loss_falls_to_the_floor(history, text):
    ex = TrainingStepExplorer(history, text)
    last = _step_numbers(ex.caption_for(ex.steps[-1]))
    first = _step_numbers(ex.caption_for(0))
    assert first[1] > 3.0 and abs(last[1] - last[2]) < 0.02
    assert last[3] == pytest.approx(0.6, abs=0.05)
    assert last[5].endswith("。")              # 学習後の生成例は文末まで届く


def test_training_twin_frames_match_lossbook(history, text):
    ex = TrainingStepExplorer(history, text, step=5)
    twin = ex.static_twin()
    assert [int(f["value"]) for f in twin.frames] == list(ex.steps)
    assert len(twin.frames) <= 20
    assert twin.frames[twin.initial]["value"] == "5"
    for frame in twin.frames:
        step = int(frame["value"])
        got = _step_numbers(frame["caption"])
        assert got[0] == step
        assert got[1:5] == pytest.approx(_expected_step(history, text, step), abs=5e-4)
        assert frame["markers"] == [] and frame["src"].startswith("data:image/png;base64,")
    assert len({f["src"] for f in twin.frames}) == len(twin.frames)
    assert "天気 0.60" in twin.alt


def test_training_explorer_rejects_unknown_step(history, text):
    with pytest.raises(ValueError, match="step"):
        TrainingStepExplorer(history, text, step=7)


# ------------------------------------------------------------------ 温度のエクスプローラー

def _expected_temperature(model, text, t):
    q = model.next_word_distribution(text.tokenize(PROMPT), temperature=t)
    h = lb.entropy(q)
    return t, q[text.outputs.index("天気")], h, lb.perplexity(h)


def test_temperature_explorer_defaults(model, text):
    ex = TemperatureExplorer(model, text)
    assert ex.slider.value == 1.0
    assert ex.image.value[:8] == b"\x89PNG\r\n\x1a\n"
    got = _temperature_numbers(ex.caption.value)
    assert got[:4] == pytest.approx(_expected_temperature(model, text, 1.0), abs=5e-3)


@pytest.mark.parametrize("t", [TemperatureExplorer.FRAME_TEMPERATURES[0], 1.0,
                               TemperatureExplorer.FRAME_TEMPERATURES[-1]])
def test_temperature_explorer_callback_at_defaults_and_extremes(model, text, t):
    ex = TemperatureExplorer(model, text, temperature=1.0)
    before_img, before_cap = ex.image.value, ex.caption.value
    ex.slider.value = t
    got = _temperature_numbers(ex.caption.value)
    assert got[:4] == pytest.approx(_expected_temperature(model, text, t), abs=5e-3)
    if t != 1.0:
        assert ex.image.value != before_img
        assert ex.caption.value != before_cap


def test_temperature_extremes_behave(model, text):
    ex = TemperatureExplorer(model, text)
    cold = _temperature_numbers(ex.caption_for(0.1))
    hot = _temperature_numbers(ex.caption_for(5.0))
    assert cold[1] > 0.99 and cold[3] < 1.01          # ほぼ天気だけ、約 1 語
    assert hot[2] > 2.5                                # 平らに近い分布
    greedy = "".join(model.generate(greedy=True))
    assert cold[4] == f"{greedy}」「{greedy}"           # 温度 0.1 の生成例は貪欲法と同じ


def test_temperature_twin_frames_match_lossbook(model, text):
    ex = TemperatureExplorer(model, text, temperature=2.0)
    twin = ex.static_twin()
    temps = TemperatureExplorer.FRAME_TEMPERATURES
    assert [float(f["value"]) for f in twin.frames] == list(temps)
    assert len(twin.frames) <= 20
    assert twin.frames[twin.initial]["value"] == "2"
    for frame in twin.frames:
        t = float(frame["value"])
        got = _temperature_numbers(frame["caption"])
        assert got[:4] == pytest.approx(_expected_temperature(model, text, t), abs=5e-3)
    assert len({f["src"] for f in twin.frames}) == len(twin.frames)


def test_temperature_explorer_rejects_unknown_temperature(model, text):
    with pytest.raises(ValueError, match="temperature"):
        TemperatureExplorer(model, text, temperature=0.25)


# ------------------------------------------------------------------ 出力（ウィジェット + 静的ツイン）

@pytest.mark.parametrize("make", ["training", "temperature"])
def test_mimebundle_has_widget_and_static_twin(history, model, text, make):
    def build():
        if make == "training":
            return TrainingStepExplorer(history, text)
        return TemperatureExplorer(model, text)

    bundle = build()._repr_mimebundle_()
    assert WIDGET_VIEW in bundle
    html = bundle["text/html"]
    assert "lb-twin" in html and 'type="range"' in html
    assert "http://" not in html and "https://" not in html
    data = re.search(r'<script type="application/json" class="lb-twin-data">(.*?)</script>', html, re.S)
    assert json.loads(data.group(1))["frames"]
    assert re.search(r'<img src="data:image/png;base64,[^"]+" alt="[^"]+">', html)
    # text/plain は実行ごとに変わらない固定の説明文（nbval が比較する）。数値も番地も含みません
    assert bundle["text/plain"].startswith("（対話型の図: ")
    assert not re.search(r"\d|0x", bundle["text/plain"])


# ------------------------------------------------------------------ 練習問題

def test_exercises_have_correct_answers(text):
    # 練習 7-1〜7-3 は「も」の文脈（いい 0.5、寒い 0.3、雨 0.2）。本文が表示する「いい」の文脈の値は不正解です
    p = np.array([0.5, 0.3, 0.2])
    h = -np.sum(p * np.log(p))
    assert check("7-1", float(h)).correct
    assert not check("7-1", float(-np.sum([0.6, 0.25, 0.15] * np.log([0.6, 0.25, 0.15])))).correct
    cross = -np.sum(p * np.log([0.7, 0.2, 0.1]))
    assert check("7-2", float(cross)).correct
    assert not check("7-2", float(h)).correct
    assert check("7-3", float(np.exp(h))).correct
    assert not check("7-3", float(np.exp(text.entropy_floor()))).correct
    assert check("7-4", "a").correct and not check("7-4", "b").correct
    for key in ("7-1", "7-2", "7-3", "7-4"):
        result = check(key, None)
        assert not result.answered and "練習" in result.message
