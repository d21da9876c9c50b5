"""ビルドした HTML のブックの見た目を、ヘッドレス Chromium で確かめる検査（tests/test_browser.py の続き）。

* 字形を減らした KaTeX のフォントで、数式が元のフォントと画素まで同じに描けること。
* スマートフォンの幅（390 px）で、ページ全体が横にはみ出さないこと。

目で見比べるためのスクリーンショットは、テストでは撮りません（make screenshots。tools/screenshots.py）。

test_browser.py と別のファイルにしているのは、make test の 2 つのワーカー（--dist loadfile はファイル単位で
分けます）が、ブラウザの検査を半分ずつ受け持てるようにするためです。
"""

from __future__ import annotations


import pytest

import chromium
from conftest import ROOT, toc_pages

if not chromium.have_chromium():
    pytest.skip("ブラウザでの検査を飛ばしました。" + chromium.MISSING, allow_module_level=True)
pytest.importorskip("playwright.sync_api")

pytestmark = [pytest.mark.build, pytest.mark.browser]


# 数式だけを見えるようにします（ほかの要素は場所を取ったまま消えるので、数式の位置は変わりません）。
# 画像やウィジェットが写らないので、遅れて読み込まれるものでページ全体の絵が揺れることもありません。
ONLY_FORMULAS_CSS = "body * {visibility: hidden !important} .katex, .katex * {visibility: visible !important}"


class FormulaPage:
    """第 4 章を開き、数式だけを写したページ全体の絵を撮ります（元のフォントか、字形を減らしたフォントで）。"""

    def __init__(self, browser, url: str, original_fonts: bool):
        self.context = browser.new_context(viewport={"width": 1200, "height": 900}, locale="ja-JP")
        self.fonts_from_katex = []
        if original_fonts:
            fonts = ROOT / "node_modules" / "katex" / "dist" / "fonts"

            def original(route):
                name = route.request.url.split("?")[0].rsplit("/", 1)[1]
                self.fonts_from_katex.append(name)
                route.fulfill(path=str(fonts / name), content_type="font/woff2")

            self.context.route("**/_static/katex/fonts/*.woff2", original)
        self.page = self.context.new_page()
        self.page.goto(url, wait_until="networkidle")
        # フォントは、画面の外の文字でも、文書の組版に使われた時点で読み込まれます。すべて届くまで待ちます
        self.page.evaluate("document.fonts.ready")
        self.page.add_style_tag(content=ONLY_FORMULAS_CSS)
        self.formulas = self.page.locator(".math .katex")
        self.count = self.formulas.count()
        self.shot = self.page.screenshot(full_page=True, animations="disabled")

    def formula_shot(self, i: int) -> bytes | None:
        formula = self.formulas.nth(i)
        return formula.screenshot(animations="disabled") if formula.is_visible() else None


def test_trimmed_katex_fonts_draw_formulas_pixel_for_pixel(browser, server):
    """字形を減らした KaTeX のフォントで、第 4 章のすべての数式が元のフォントと画素まで同じに描けること。

    数式だけを写したページ全体の絵を 2 枚撮って比べます（1 つずつ撮るより 5 倍ほど速い）。違ったときだけ、
    どの数式が違うのかを 1 つずつ撮って調べます。
    """
    url = f"{server}/book/04_mse.html"
    trimmed = FormulaPage(browser, url, original_fonts=False)
    original = FormulaPage(browser, url, original_fonts=True)
    try:
        # 元のフォントのほうは、本当に node_modules の KaTeX のフォントで描いたこと
        assert original.fonts_from_katex, "元のフォントへの差し替えが一度も起きていません"
        assert trimmed.count == original.count >= 60
        if trimmed.shot != original.shot:
            differing = [i for i in range(trimmed.count) if trimmed.formula_shot(i) != original.formula_shot(i)]
            raise AssertionError(f"元のフォントと描き方が違う数式（ページの順の番号）: {differing or '一つずつでは同じ'}")
    finally:
        trimmed.context.close()
        original.context.close()


PHONE = {"width": 390, "height": 844}
# 横に広いものは、自分の箱の中で横にスクロールします（コード、表、数式の箱）。ページ全体は横に動きません
OWN_SCROLL_BOXES = "pre, .highlight, table, .table-wrapper, .pst-scrollable-table-container, .math"
# 狭い画面では、目次の 2 つのサイドバーは画面の外に隠した引き出しになります（ボタンで開きます）
OFF_CANVAS = ".bd-sidebar-primary, .bd-sidebar-secondary"


@pytest.mark.parametrize("doc", toc_pages())
def test_phone_width_has_no_page_level_horizontal_scroll(browser, server, doc):
    context = browser.new_context(viewport=PHONE, locale="ja-JP", device_scale_factor=1)
    chromium.stay_on_loopback(context)
    page = context.new_page()
    try:
        # 幅を決めるもの（HTML・CSS・画像・フォント）は load までに届きます（ネットワークが 0.5 秒静かになるのは待ちません）
        page.goto(f"{server}/{doc}.html", wait_until="load")
        page.evaluate("document.fonts.ready")
        widths = page.evaluate("() => [document.scrollingElement.scrollWidth, window.innerWidth]")
        wide = page.evaluate(
            """(boxes) => [...document.querySelectorAll('main *')]
                 .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest(boxes))
                 .filter((e) => getComputedStyle(e).position !== 'fixed' && e.getClientRects().length)
                 .slice(0, 5).map((e) => e.tagName.toLowerCase() + '.' + [...e.classList].join('.') +
                                   ' ' + Math.round(e.getBoundingClientRect().right) + 'px')""",
            OWN_SCROLL_BOXES + ", " + OFF_CANVAS)
    finally:
        context.close()
    assert widths[0] <= widths[1], f"{doc}: 幅 390 px でページ全体が横に {widths[0] - widths[1]} px はみ出します: {wide}"
    assert wide == [], f"{doc}: 幅 390 px で、自分の箱で横に動かないものがはみ出します: {wide}"
