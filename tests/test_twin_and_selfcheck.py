"""静的ツインの部品と、練習問題の自己チェックのテスト。"""

import re

import numpy as np
import pytest

import lossbook as lb
from lossbook.examples import PARIS_CANDIDATES, paris_distribution
from lossbook.plotting import new_figure
from lossbook.selfcheck import check, exercises
from lossbook.twin import StaticTwin, frame_twin, marker_twin

JA = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def _twin(**kw):
    fig, ax = new_figure()
    ax.plot([0, 1], [0, 1])
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    args = dict(points=[[(0.0, 0.0)], [(1.0, 1.0)]], captions=["左下", "右上"], values=["0", "1"],
                slider_label="テスト", alt="対角線の図")
    args.update(kw)
    return marker_twin(fig, ax, **args)


def test_marker_positions_follow_data_coordinates():
    twin = _twin()
    (x0, y0), = twin.frames[0]["markers"]
    (x1, y1), = twin.frames[1]["markers"]
    assert x1 > x0 and y1 < y0           # 右上のデータ点は画像の右・上（top% が小さい）
    assert all(0 <= v <= 100 for v in (x0, y0, x1, y1))


def test_twin_escapes_script_end_in_captions():
    twin = _twin(captions=["</script><b>", "ok"])
    html = twin.to_html()
    assert html.count("</script>") == 1


@pytest.mark.parametrize("kw, word", [
    (dict(alt="  "), "alt"),
    (dict(values=["0"]), "values"),
])
def test_twin_bad_arguments_are_explained(kw, word):
    with pytest.raises(ValueError, match=word) as err:
        _twin(**kw)
    assert JA.search(str(err.value))


def test_twin_initial_out_of_range():
    with pytest.raises(ValueError, match="initial"):
        StaticTwin(png=b"", frames=[{"markers": [], "caption": "", "value": ""}],
                   slider_label="x", alt="y", initial=3)


def test_paris_distribution_sums_to_one_and_validates():
    for p in [0.0, 0.2, 0.9, 1.0]:
        q = paris_distribution(p)
        assert q.shape == (len(PARIS_CANDIDATES),)
        assert q.sum() == pytest.approx(1.0, abs=1e-12)
        assert q[0] == p
    for bad in [-0.1, 1.5, float("nan")]:
        with pytest.raises(ValueError, match="p_answer"):
            paris_distribution(bad)


def test_selfcheck_accepts_right_answers_and_rejects_wrong_ones():
    right = {"1-1": -np.log(0.25), "1-2": 2.0, "1-3": "c"}
    wrong = {"1-1": 0.25, "1-2": 0.5, "1-3": "a"}
    EXERCISES = exercises()
    assert set(right) <= set(EXERCISES)
    for key in right:
        ok = check(key, right[key])
        ng = check(key, wrong[key])
        assert ok.correct and "正解" in repr(ok)
        assert not ng.correct and "ヒント" in repr(ng)
        blank = check(key, None)
    assert not blank.correct and not blank.answered and "None" in repr(blank)


def test_selfcheck_expected_values_come_from_lossbook():
    assert exercises()["1-1"].expected() == pytest.approx(lb.cross_entropy(0, paris_distribution(0.25)))


def test_selfcheck_mistakes_get_one_japanese_line_not_a_traceback():
    for key, answer, word in [("9-9", 1.0, "key"), ("1-1", "1.39", "answer"), ("1-1", 1j, "answer"),
                              ("1-1", [1.39], "answer"), ("1-1", float("nan"), "answer"), ("1-3", 3, "answer")]:
        r = check(key, answer)
        assert not r.correct and not r.answered, (key, answer)
        assert word in repr(r) and JA.search(repr(r)) and "\n" not in repr(r), (key, answer)


def test_selfcheck_grades_to_the_digits_the_learner_wrote():
    # 3-1 の正解は 1.2272…: 有効数字 2 桁の 1.2 は正解、1.3 は不正解、1（1 桁）は粗すぎるので不正解
    assert exercises()["3-1"].expected() == pytest.approx(1.2272, abs=1e-4)
    assert check("3-1", 1.2).correct and check("3-1", 1.227).correct and check("3-1", 1.2272).correct
    assert not check("3-1", 1.3).correct and not check("3-1", 1.0).correct and not check("3-1", 1.228).correct
    # 正しく丸めた 2 桁の答えを受け付けます（固定 1% の許容では落ちていた例）
    for key in ["3-2", "3-4", "4-5", "5-2", "6-1", "7-2"]:
        value = exercises()[key].expected()
        assert check(key, float(f"{value:.2g}")).correct, key
        assert not check(key, float(f"{value:.2g}") + 0.1).correct, key
    # 有効数字 1 桁で 1 桁目まで合っている答えには、方法の間違いではなく桁が足りないと言います
    coarse = check("3-2", -0.3)
    assert not coarse.correct and "有効数字 2 桁" in repr(coarse) and "ヒント" not in repr(coarse)
    assert "ヒント" in repr(check("3-2", -0.5))
    # 粗い正解には、もう 1 桁くわしい値を添えます
    assert "もう 1 桁くわしく書くと 1.39" in repr(check("1-1", 1.4))
    assert "もう 1 桁" not in repr(check("1-1", 1.3863))


def test_selfcheck_choices_accept_the_ways_learners_write_them():
    for written in ["c", "C", "(c)", "（c）", "ｃ", " c "]:
        assert check("1-3", written).correct, written
    assert not check("1-3", "(a)").correct


def test_frame_twin_swaps_whole_images():
    figs = []
    for k in range(3):
        fig, ax = new_figure(figsize=(2, 2))
        ax.plot([0, 1], [0, k])
        figs.append(fig)
    twin = frame_twin(figs, ["a", "b", "c"], ["0", "1", "2"], slider_label="k", alt="直線の図", initial=1)
    srcs = [f["src"] for f in twin.frames]
    assert len(set(srcs)) == 3 and all(s.startswith("data:image/png;base64,") for s in srcs)
    assert all(f["markers"] == [] for f in twin.frames)
    html = twin.to_html()
    assert html.count('class="lb-twin-marker"') == 0
    assert srcs[1] in html            # 最初に表示する図は initial のフレーム
    with pytest.raises(ValueError, match="figures"):
        frame_twin(figs, ["a"], ["0"], slider_label="k", alt="x")


def test_every_registered_exercise_accepts_its_own_answer():
    from lossbook.selfcheck import Choice, Numeric

    for key, ex in exercises().items():
        assert re.fullmatch(r"(\d+|[A-Z])-\d+", key), key
        assert JA.search(ex.question) and JA.search(ex.hint), key
        if isinstance(ex, Numeric):
            value = ex.expected()
            assert np.isfinite(value), key
            assert check(key, value).correct, key
            assert not check(key, value * 1.5 + 1.0).correct, key
        else:
            assert isinstance(ex, Choice) and ex.answer in ex.choices, key
            assert check(key, ex.answer).correct, key
