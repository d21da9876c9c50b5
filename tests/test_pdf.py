"""PDF 版（make pdf、tools/build_pdf.py）の検査: フォントの埋め込み、章の題と本文の数、数式、しおり、ページ数。"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import chromium
from conftest import ROOT, toc_pages, write_report

pytestmark = pytest.mark.browser
for tool in ("pdffonts", "pdftotext", "pdfinfo"):
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} がないので PDF 版の検査を飛ばしました。`apt-get install poppler-utils` で入れてください"
                    "（CI の .ci/run は自動で入れます）。", allow_module_level=True)
if not chromium.have_chromium():
    pytest.skip("PDF 版の検査を飛ばしました。" + chromium.MISSING, allow_module_level=True)

PDF = ROOT / "_build" / "pdf" / "lossbook.pdf"


@pytest.fixture(scope="module")
def pdf(book) -> Path:
    # 印刷が止まってもテスト全体が止まらないよう、時間の上限を付けます（ふだんは 15 秒ほど）
    out = subprocess.run([sys.executable, str(ROOT / "tools" / "build_pdf.py")], cwd=ROOT,
                         capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stdout + out.stderr
    assert not (book / "book" / "_lossbook_print.html").exists(), "印刷用にまとめた文書が HTML のブックに残っています"
    return PDF


def _text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def test_every_font_is_embedded(pdf):
    rows = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert rows, "フォントがありません"
    not_embedded = [r for r in rows if r.split()[-5] != "yes"]
    assert not_embedded == [], "埋め込まれていないフォント:\n" + "\n".join(not_embedded)


def test_every_chapter_title_and_the_worked_example_are_in_the_text(pdf, book):
    text = re.sub(r"\s+", "", _text(pdf))
    for doc in toc_pages():
        html = (book / f"{doc}.html").read_text(encoding="utf-8")
        title = re.search(r"<h1>([^<]+)<a class=\"headerlink\"", html).group(1)
        assert re.sub(r"\s+", "", title) in text, f"章の題がありません: {title}"
    assert "0.51" in text                          # 第6章の「今日はいい____」の −log 0.6
    # 静的ツインは最初の場面を印刷し、動かせる場所を 1 行で伝えます
    twins = sum((book / f"{doc}.html").read_text(encoding="utf-8").count('<figure class="lb-twin">') for doc in toc_pages())
    assert text.count("HTML版とノートブック（JupyterLab）ではスライダーで動かせます") == twins > 0


def test_formulas_are_rendered_not_raw_tex(pdf):
    text = _text(pdf)
    for raw in ["$$", "\\frac", "\\log", "\\sum", "\\begin{"]:
        assert raw not in text, f"組版されていない TeX が PDF に残っています: {raw}"


def test_bookmarks_page_numbers_and_page_count(pdf):
    data = pdf.read_bytes()
    assert b"/Outlines" in data, "しおり（章と節）がありません"
    # しおりには、少なくとも目次の各ページ（章）が入ります
    assert len(re.findall(rb"/Title\s*[(<]", data)) >= len(toc_pages())
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    text = _text(pdf)
    assert f"1 / {pages}" in text and f"{pages} / {pages}" in text, "ページ番号がありません"
    write_report("PDF 版", f"{PDF.relative_to(ROOT)}: {pages} ページ、{pdf.stat().st_size / 1e6:.1f} MB")
