"""付録A（LLM 規模のロス計算）のノートブックの形、目次・用語集への組み込み、練習問題のテスト。"""

import re

import nbformat
import numpy as np
import pytest
import yaml

from conftest import ROOT
from lossbook.exercises import collect
from lossbook.exercises.appendix_a import EXERCISES
from lossbook.selfcheck import check

NOTEBOOK = ROOT / "book" / "appendix_llm_scale.ipynb"
IGNORE_TAG = "nbval-ignore-output"


@pytest.fixture(scope="module")
def nb():
    return nbformat.read(NOTEBOOK, as_version=4)


def _markdown(nb):
    return "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


# ---------------------------------------------------------------- ノートブックの形

def test_title_label_and_chapter_structure(nb):
    first = nb.cells[0].source.splitlines()
    assert first[0] == "(app-llm-scale)="
    assert first[1].startswith("# 付録A ")
    text = _markdown(nb)
    headings = re.findall(r"^##+ (.+)$", text, re.M)
    order = ["学習目標", "A.1 ", "A.2 ", "A.3 ", "A.4 ", "A.5 ", "A.6 まとめ", "練習問題", "自己チェック"]
    positions = [next(i for i, h in enumerate(headings) if h.startswith(o)) for o in order]
    assert positions == sorted(positions), headings


def test_exercises_fold_their_solutions_and_selfcheck_covers_them(nb):
    text = _markdown(nb)
    labels = re.findall(r"^:label: (ex-a-\d+)$", text, re.M)
    assert labels == [f"ex-a-{i}" for i in range(1, 8)]
    for label in labels:
        # 解答はコードつき（solution-start）か、文だけ（solution）で、どちらも折りたたむ
        pattern = rf"```\{{solution(?:-start)?\}} {label}\n:class: dropdown"
        assert re.search(pattern, text), label
    titles = re.findall(r"^```\{exercise\} (練習 A-\d+): ", text, re.M)
    assert titles == [f"練習 A-{i}" for i in range(1, 8)]
    checks = [c.source for c in nb.cells if c.cell_type == "code" and "check(" in c.source]
    asked = [re.search(r'check\("(A-\d+)", None\)', s).group(1) for s in checks]
    assert asked == sorted(EXERCISES) == [f"A-{i}" for i in range(1, 7)]


def test_only_machine_dependent_outputs_are_ignored_by_nbval(nb):
    code = [c for c in nb.cells if c.cell_type == "code"]
    tagged = [c for c in code if IGNORE_TAG in c.metadata.get("tags", [])]
    # 時間を測るセルは 1 つだけで、nbval はその出力を比べない
    timing = [c for c in code if "perf_counter" in c.source or "best_time(" in c.source]
    assert tagged == timing and len(tagged) == 1


def test_outputs_are_saved_without_errors_stderr_or_torch(nb):
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        assert "torch" not in cell.source
        assert cell.outputs, f"出力がありません: {cell.source[:60]}"
        for out in cell.outputs:
            assert out.output_type != "error"
            assert out.get("name") != "stderr", cell.source[:60]


def test_tables_render_as_markdown_in_the_book(nb):
    assert nb.metadata["mystnb"] == {"render_markdown_format": "gfm"}
    tables = [out for c in nb.cells if c.cell_type == "code" for out in c.outputs
              if "text/markdown" in out.get("data", {})]
    assert len(tables) >= 6
    for out in tables:
        lines = out["data"]["text/markdown"].splitlines()
        assert lines[0].startswith("| ") and set(lines[1]) <= set("|-")


def test_at_most_two_small_figures(nb):
    pngs = [out["data"]["image/png"] for c in nb.cells if c.cell_type == "code"
            for out in c.outputs if "image/png" in out.get("data", {})]
    assert 1 <= len(pngs) <= 2
    assert all(len(p) < 100_000 for p in pngs)


# ---------------------------------------------------------------- 本への組み込み

def test_toc_places_the_appendix_after_chapter_8_and_before_the_glossary():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = [c["file"] for c in toc["chapters"]]
    i = files.index("book/appendix_llm_scale")
    assert files[i - 1] == "book/08_summary" and files[i + 1] == "book/glossary"


def test_intro_and_glossary_link_the_appendix():
    intro = (ROOT / "book" / "intro.md").read_text(encoding="utf-8")
    assert "| [付録A](appendix_llm_scale.ipynb) |" in intro
    glossary = (ROOT / "book" / "glossary.md").read_text(encoding="utf-8")
    for term in ["bfloat16", "半精度（float16）", "ブロック処理", "ピークメモリ", "最近接偶数への丸め"]:
        row = next(line for line in glossary.splitlines() if line.startswith(f"| {term} |"))
        assert row.rstrip().endswith("[付録A](appendix_llm_scale.ipynb) |"), row


# ---------------------------------------------------------------- 練習問題

def test_appendix_exercises_accept_right_answers_and_reject_near_misses():
    assert check("A-1", 4 * 2048 * 50257 * 2 / 1e9).correct
    assert check("A-2", 16 * 128256 * 4 / 1e6).correct
    assert check("A-3", 520).correct                   # 518 は 516 と 520 の中間で、偶数側の 520 へ
    assert not check("A-3", 516).correct and not check("A-3", 518).correct and not check("A-3", 256).correct
    assert check("A-4", 12).correct
    assert not check("A-4", 11).correct and not check("A-4", 13).correct
    assert check("A-5", "b").correct and not check("A-5", "d").correct
    assert check("A-6", "c").correct and not check("A-6", "a").correct
    assert not check("A-1", 4 * 2048 * 50257 * 4 / 1e9).correct   # float32 と取り違えた答え


def test_registry_lists_chapters_first_and_the_appendix_last():
    keys = list(collect())
    assert keys[0] == "1-1"
    assert keys[-6:] == [f"A-{i}" for i in range(1, 7)]
    assert all(re.fullmatch(r"\d+-\d+", k) for k in keys[:-6])


def test_expected_values_come_from_llm_scale():
    from lossbook import llm_scale

    assert EXERCISES["A-1"].expected() == pytest.approx(0.823410688)
    assert EXERCISES["A-3"].expected() == float(llm_scale.round_to_bfloat16(518.0)) == 520.0
    assert np.isnan(llm_scale.naive_cross_entropy(0, [EXERCISES["A-4"].expected(), 0.0], "float16"))
