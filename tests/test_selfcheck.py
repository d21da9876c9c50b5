"""練習問題の自己チェック（lossbook.selfcheck.check）のテスト。

数値の問題ごとに、正確な答え・正しく丸めた 2 桁の答え・知られた間違い（対数の底、符号、引数の入れ替え、
平均の取り忘れなど）・おかしな入力を確かめます。選択問題は、すべての書き方と、すべての間違った記号への説明を
確かめます。
"""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys

import numpy as np
import pytest

import lossbook as lb
from conftest import ROOT
from lossbook.examples import paris_distribution
from lossbook.selfcheck import EXAMPLE_LETTER, Choice, Numeric, check, exercises

JA = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
ALL = exercises()
NUMERIC = sorted(k for k, ex in ALL.items() if isinstance(ex, Numeric))
CHOICE = sorted(k for k, ex in ALL.items() if isinstance(ex, Choice))
BAD_INPUTS = ["1.39", [1.39], 1 + 2j, float("nan"), True, None.__class__, {"a": 1}]


def _two_digits(value: float) -> float:
    return float(f"{value:.2g}")


def test_every_chapter_has_exercises_and_keys_are_well_formed():
    assert {k.split("-")[0] for k in ALL} == {"1", "2", "3", "4", "5", "6", "7", "8", "A"}
    for key, ex in ALL.items():
        assert re.fullmatch(r"(\d+|[A-Z])-\d+", key), key
        assert JA.search(ex.question) and JA.search(ex.hint), key


@pytest.mark.parametrize("key", NUMERIC)
def test_numeric_exact_and_two_digit_answers_are_right(key):
    ex = ALL[key]
    value = ex.expected()
    assert math.isfinite(value), key
    assert check(key, value).correct, key
    if ex.rel_tol is None:
        # 有効数字 2 桁に正しく丸めた答えは正解で、粗い答えには「もう 1 桁」を添えます
        two = check(key, _two_digits(value))
        assert two.correct, (key, _two_digits(value), two)
        if not math.isclose(_two_digits(value), value, rel_tol=1e-9):
            assert "くわしく書くと" in repr(two), key
            shown = repr(two).split("書くと ")[1].rstrip("）")
            assert float(shown) != _two_digits(value), (key, repr(two))   # 学習者が書いた値をそのまま返さない
        # 2 桁目を 1 つずらした答えは不正解です
        step = 10.0 ** (math.floor(math.log10(abs(value))) - 1)
        assert not check(key, _two_digits(value) + 2 * step).correct, key
    else:
        assert not check(key, value * (1 + 10 * ex.rel_tol) + 1).correct, key


@pytest.mark.parametrize("key", NUMERIC)
def test_numeric_known_mistakes_are_named(key):
    ex = ALL[key]
    expected = ex.expected()
    assert ex.mistakes, f"{key} には知られた間違いが 1 つもありません"
    for mistake in ex.mistakes:
        wrong = mistake.value()
        assert JA.search(mistake.message), key
        if math.isinf(wrong):
            r = check(key, wrong)
        else:
            # 間違いの値は、正解と 3 桁で区別できること（でないと学習者の答えを誤って間違いと言ってしまう）
            assert not check(key, float(f"{wrong:.3g}")).correct, (key, wrong)
            r = check(key, float(f"{wrong:.3g}"))
        assert not r.correct and r.answered, (key, wrong)
        assert mistake.message in repr(r) and "ヒント" not in repr(r), (key, wrong, r)
        assert not math.isclose(wrong, expected, rel_tol=1e-3), key


@pytest.mark.parametrize("key", NUMERIC)
def test_numeric_other_wrong_answers_get_the_hint(key):
    ex = ALL[key]
    r = check(key, ex.expected() * 1.7 + 1.3)
    assert not r.correct and r.answered
    assert "ヒント" in repr(r) or any(m.message in repr(r) for m in ex.mistakes), key


@pytest.mark.parametrize("key", NUMERIC)
@pytest.mark.parametrize("bad", BAD_INPUTS, ids=repr)
def test_numeric_bad_input_gets_one_japanese_line(key, bad):
    r = check(key, bad)
    assert not r.correct and not r.answered
    assert "answer" in repr(r) and JA.search(repr(r)) and "\n" not in repr(r)


def test_named_mistakes_cover_log_base_sign_swapped_arguments_and_missing_mean():
    # 課題が名指しした間違いが、それぞれの問題で名指しされること
    cases = [
        ("1-1", -np.log2(0.25), "底が 2"), ("1-1", -np.log10(0.25), "常用対数"), ("1-1", np.log(0.25), "符号"),
        ("2-1", np.log2(3), "底が 2"), ("2-1", np.log10(3), "常用対数"),
        ("5-2", lb.kl_divergence([0.8, 0.2], [0.3, 0.7]), "前向き"),
        ("5-2", lb.kl_divergence([0.3, 0.7], [0.8, 0.2]) / np.log(2), "底が 2"),
        ("8-1", float("inf"), "向きが逆"),
        ("7-2", lb.cross_entropy([0.7, 0.2, 0.1], [0.5, 0.3, 0.2]), "入れ替わって"),
        ("4-1", 5.25, "4 で割ります"), ("8-2", 0.695, "3 で割ります"),
        ("4-3", -1.5, "符号"), ("3-2", 0.371, "符号"), ("6-3", np.exp(3), "bit"),
    ]
    for key, answer, word in cases:
        r = check(key, float(answer))
        assert not r.correct and word in repr(r), (key, answer, r)


def test_grading_follows_the_digits_the_learner_wrote():
    # 3-1 の正解は 1.2272…: 有効数字 2 桁の 1.2 は正解、1.3 は不正解、1（1 桁）は粗すぎるので不正解
    assert ALL["3-1"].expected() == pytest.approx(1.2272, abs=1e-4)
    assert check("3-1", 1.2).correct and check("3-1", 1.227).correct and check("3-1", 1.2272).correct
    assert not check("3-1", 1.3).correct and not check("3-1", 1.0).correct and not check("3-1", 1.228).correct
    # 有効数字 1 桁で 1 桁目まで合っている答えには、方法の間違いではなく桁が足りないと言います
    coarse = check("3-2", -0.4)
    assert not coarse.correct and "有効数字 2 桁" in repr(coarse) and "ヒント" not in repr(coarse)
    assert "ヒント" in repr(check("3-2", -0.5))
    # 粗い正解には、もう 1 桁くわしい値を添えます（3 桁以上で書いた正解には添えません）
    assert "もう 1 桁くわしく書くと 1.39" in repr(check("1-1", 1.4))
    assert "もう 1 桁" not in repr(check("1-1", 1.3863))
    # 末尾の 0 も書いて、書いた値と同じ数を返しません。ちょうどの答え（6-2 の 4）には添えません
    assert "くわしく書くと 1.099）" in repr(check("2-1", 1.1)) and "くわしく" not in repr(check("6-2", 4))
    # 近似で求めた値（5-4 の log(1/0.4)）は、近似だと言います
    assert "近似" in repr(check("5-4", 0.92)) and check("5-4", 0.91).correct
    # 「0」は、正解が 0 のときだけ正解です（-0.33 に 0 と答えても正解にしません）
    assert not check("3-2", 0).correct and check("3-3", 0).answered and not check("3-3", 0).correct
    # 整数で答える問題は、隣の整数を誤りにします
    assert check("A-3", 520).correct and not check("A-3", 519).correct and not check("A-3", 524).correct


def test_expected_values_come_from_lossbook():
    assert ALL["1-1"].expected() == pytest.approx(lb.cross_entropy(0, paris_distribution(0.25)))
    assert ALL["7-1"].expected() == pytest.approx(lb.entropy([0.5, 0.3, 0.2]))
    assert ALL["6-1"].expected() == pytest.approx(np.exp(-0.5))


def test_ex45_mae_line_is_unique_and_differs_from_the_mse_line():
    from itertools import combinations

    from lossbook.exercises.ch04 import EX45_X, EX45_Y
    values = sorted({round(float(lb.mae(EX45_Y, a * EX45_X + (EX45_Y[i] - a * EX45_X[i]))), 9)
                     for i, j in combinations(range(6), 2)
                     for a in [(EX45_Y[j] - EX45_Y[i]) / (EX45_X[j] - EX45_X[i])]})
    assert values[1] - values[0] > 0.1      # 最小の直線は 1 本だけ（ほかの組とはっきり差がある）
    assert ALL["4-5"].expected() == pytest.approx(-4 / 3)
    assert np.polyfit(EX45_X, EX45_Y, 1)[0] == pytest.approx(ALL["4-5"].mistakes[0].value())


@pytest.mark.parametrize("key", CHOICE)
def test_choices_accept_every_way_of_writing_the_letter(key):
    ex = ALL[key]
    c = ex.answer
    for written in [c, c.upper(), f"({c})", f"（{c}）", chr(ord(c) + 0xFEE0), f" {c} "]:
        assert check(key, written).correct, (key, written)


@pytest.mark.parametrize("key", CHOICE)
def test_every_wrong_choice_is_explained_without_naming_the_answer(key):
    ex = ALL[key]
    assert set(ex.why_not) == set(ex.choices) - {ex.answer}, key
    for letter, why in ex.why_not.items():
        r = check(key, f"({letter})")
        assert not r.correct and r.answered and why in repr(r), (key, letter)
        assert f"({ex.answer})" not in why and f"（{ex.answer}）" not in why, (key, letter)


@pytest.mark.parametrize("key", CHOICE)
def test_choice_bad_input_and_unknown_letters(key):
    for bad in [3, 1.5, ["a"], None.__class__]:
        r = check(key, bad)
        assert not r.answered and not r.correct and "\n" not in repr(r) and JA.search(repr(r)), (key, bad)
    r = check(key, "z")
    assert not r.answered and "選択肢にありません" in repr(r)


def test_a_number_that_is_an_option_is_read_as_that_option():
    # 2-4 は「いくつ」になるかを問うので、0 と数で答えても (a) として受け取ります
    assert check("2-4", 0).correct and check("2-4", 0.0).correct
    assert not check("2-4", 1).correct and "正解の和" in repr(check("2-4", 1))
    # 学習者が実際に計算する和（丸めの誤差で 8e-17 など）や、文字列の "0" も (a) として受け取ります
    assert check("2-4", 8.3e-17).correct and check("2-4", "0").correct


def test_numbers_in_quotes_and_infinities_get_a_specific_message():
    r = check("5-1", "0.358")
    assert not r.answered and "引用符を付けずに" in repr(r)
    r = check("3-1", float("inf"))
    assert not r.answered and "引数の順番" in repr(r)
    assert "1.39" not in repr(check("1-1", "abc")) and "1.39" not in repr(check("1-1", [1]))


def test_unknown_key_gets_one_line():
    r = check("9-9", 1.0)
    assert not r.answered and "key" in repr(r) and "1-1" in repr(r) and "\n" not in repr(r)


def test_blank_answer_shows_the_question_and_how_to_answer():
    for key, ex in ALL.items():
        r = check(key, None)
        assert not r.correct and not r.answered and ex.question in repr(r) and "None" in repr(r), key
        if isinstance(ex, Choice):
            assert f'"{EXAMPLE_LETTER}" の形' in repr(r), key


def test_example_letter_is_not_an_option_anywhere():
    # 答え方の見本の記号は、どの問題の選択肢にもない文字です（答えの手がかりにならないように）
    for key, ex in ALL.items():
        if isinstance(ex, Choice):
            assert EXAMPLE_LETTER not in ex.choices, key


def _notebook(chapter: str):
    name = "appendix_llm_scale.ipynb" if chapter == "A" else None
    if name is None:
        name = next(p.name for p in (ROOT / "book").glob(f"{int(chapter):02d}_*.ipynb"))
    return json.loads((ROOT / "book" / name).read_text(encoding="utf-8"))


def test_each_chapter_explains_answers_with_the_placeholder_letter():
    chapters = sorted({k.split("-")[0] for k in CHOICE})
    for chapter in chapters:
        nb = _notebook(chapter)
        text = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
        found = re.findall(r'記号は `"(\w)"` の形', text)
        assert found == [EXAMPLE_LETTER], (chapter, found)
        assert not re.search(r'記号は `"[a-d]"`', text), chapter


def test_hints_and_mistake_messages_do_not_contain_the_answer():
    # ヒントの中の数を答えとして渡しても、正解にならないこと（5-4 の「log(1/0.4) に近い」のような渡し方を防ぎます）
    number = re.compile(r"(?<![\w.^])-?\d+(?:\.\d+)?(?![\w.^/])")
    for key in NUMERIC:
        ex = ALL[key]
        texts = [ex.hint] + [m.message for m in ex.mistakes]
        for text in texts:
            for token in number.findall(text):
                assert not check(key, float(token)).correct, (key, token, text)


def test_check_loads_only_numpy_and_the_core():
    # 自己チェックは numpy と lossbook のコア（と章のデータ）だけで動きます。新しいインタープリタで確かめます
    code = (
        "import sys\n"
        "from lossbook.selfcheck import check, exercises\n"
        "for key, ex in exercises().items():\n"
        "    check(key, None)\n"
        "    if hasattr(ex, 'expected'):\n"
        "        check(key, ex.expected())\n"
        "        [m.value() for m in ex.mistakes]\n"
        "    else:\n"
        "        check(key, ex.answer)\n"
        "heavy = [m for m in sys.modules if m.split('.')[0] in ('matplotlib', 'ipywidgets', 'IPython')\n"
        "         or m.startswith(('lossbook.widgets', 'lossbook.plotting', 'lossbook.figures', 'lossbook.twin'))]\n"
        "print(heavy)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]", out.stdout


def test_solutions_are_folded_for_jupyterlab_too():
    # tools/fold_solutions.py の見出しが、すべての問題と解答の前にあること（入れ忘れ・古いままを見つけます）
    out = subprocess.run([sys.executable, str(ROOT / "tools" / "fold_solutions.py"), "--check",
                          *map(str, sorted((ROOT / "book").glob("*.ipynb")))], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    for path in sorted((ROOT / "book").glob("*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        for before, cell in zip(cells, cells[1:]):
            text = "".join(cell["source"])
            if cell["cell_type"] == "markdown" and text.startswith(("```{solution}", "```{solution-start}")):
                assert before["metadata"].get("jp-MarkdownHeadingCollapsed") is True, (path.name, text[:40])
                assert "remove-cell" in before["metadata"].get("tags", []), (path.name, text[:40])
            opens = [m for m in ("```{solution}", "```{solution-start}") if m in text]
            if opens and not text.startswith(tuple(opens)):
                raise AssertionError(f"{path.name}: 解答が別の内容と同じセルにあります: {text[:60]!r}")
