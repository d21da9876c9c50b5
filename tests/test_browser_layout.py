"""ビルドした HTML のブックの見た目を、ヘッドレス Chromium で確かめる検査（tests/test_browser.py の続き）。

* 字形を減らした KaTeX のフォントで、数式が元のフォントと画素まで同じに描けること。
* スマートフォンの幅（390 px）で、ページ全体が横にはみ出さないこと（スクリーンショットを
  _build/screenshots/ に保存します。コミットしません）。

test_browser.py と別のファイルにしているのは、make test の 2 つのワーカー（--dist loadfile はファイル単位で
分けます）が、ブラウザの検査を半分ずつ受け持てるようにするためです。
"""

from __future__ import annotations

import urllib.parse

import pytest

from chromium import MISSING, have_chromium
from conftest import ROOT, toc_pages

if not have_chromium():
    pytest.skip("ブラウザでの検査を飛ばしました。" + MISSING, allow_module_level=True)
pytest.importorskip("playwright.sync_api")

pytestmark = [pytest.mark.build, pytest.mark.browser]
SHOTS = ROOT / "_build" / "screenshots"


def _formula_shots(browser, url: str, original_fonts: bool, count: int = 60) -> list[bytes]:
    context = browser.new_context(viewport={"width": 1200, "height": 900}, locale="ja-JP")
    if original_fonts:
        fonts = ROOT / "node_modules" / "katex" / "dist" / "fonts"
        context.route("**/_static/katex/fonts/*.woff2", lambda route: route.fulfill(
            path=str(fonts / route.request.url.split("?")[0].rsplit("/", 1)[1]), content_type="font/woff2"))
    page = context.new_page()
    page.goto(url, wait_until="networkidle")
    page.evaluate("document.fonts.ready")
    formulas = page.locator(".math .katex")
    shots = []
    for i in range(formulas.count()):
        if len(shots) == count:
            break
        if formulas.nth(i).is_visible():
            shots.append(formulas.nth(i).screenshot(animations="disabled"))
    context.close()
    return shots


def test_trimmed_katex_fonts_draw_formulas_pixel_for_pixel(browser, server):
    """字形を減らした KaTeX のフォントで、第 4 章の数式 60 個が元のフォントと画素まで同じに描けること。"""
    url = f"{server}/book/04_mse.html"
    trimmed = _formula_shots(browser, url, original_fonts=False)
    original = _formula_shots(browser, url, original_fonts=True)
    assert len(trimmed) == len(original) == 60
    differing = [i for i, (a, b) in enumerate(zip(trimmed, original)) if a != b]
    assert differing == [], f"元のフォントと描き方が違う数式（見えている順の番号）: {differing}"


PHONE = {"width": 390, "height": 844}
# 横に広いものは、自分の箱の中で横にスクロールします（コード、表、数式の箱）。ページ全体は横に動きません
OWN_SCROLL_BOXES = "pre, .highlight, table, .table-wrapper, .pst-scrollable-table-container, .math"
# 狭い画面では、目次の 2 つのサイドバーは画面の外に隠した引き出しになります（ボタンで開きます）
OFF_CANVAS = ".bd-sidebar-primary, .bd-sidebar-secondary"


@pytest.mark.parametrize("doc", toc_pages())
def test_phone_width_has_no_page_level_horizontal_scroll(browser, server, doc):
    context = browser.new_context(viewport=PHONE, locale="ja-JP", device_scale_factor=1)
    context.route("**/*", lambda route: route.continue_()
                  if urllib.parse.urlparse(route.request.url).hostname in ("127.0.0.1", "localhost")
                  else route.abort())
    page = context.new_page()
    try:
        page.goto(f"{server}/{doc}.html", wait_until="networkidle")
        widths = page.evaluate("() => [document.scrollingElement.scrollWidth, window.innerWidth]")
        wide = page.evaluate(
            """(boxes) => [...document.querySelectorAll('main *')]
                 .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest(boxes))
                 .filter((e) => getComputedStyle(e).position !== 'fixed' && e.getClientRects().length)
                 .slice(0, 5).map((e) => e.tagName.toLowerCase() + '.' + [...e.classList].join('.') +
                                   ' ' + Math.round(e.getBoundingClientRect().right) + 'px')""",
            OWN_SCROLL_BOXES + ", " + OFF_CANVAS)
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"phone_{doc.replace('/', '_')}.png"), full_page=True)
    finally:
        context.close()
    assert widths[0] <= widths[1], f"{doc}: 幅 390 px でページ全体が横に {widths[0] - widths[1]} px はみ出します: {wide}"
    assert wide == [], f"{doc}: 幅 390 px で、自分の箱で横に動かないものがはみ出します: {wide}"
