"""PDF 版: 出来上がった HTML のブックを目次の順に 1 つの文書にまとめ、Chromium で印刷します。

使い方: ``make pdf``（先に ``make book`` を実行します）。``_build/pdf/lossbook.pdf`` ができます。

* 印刷には、テストと同じ Debian の Chromium を使います（ブラウザをダウンロードしません）。
* 各ページの本文（``<article>``）を目次の順に並べ、先頭に書名と目次を付けます。章ごとに改ページします。
* 数式はビルドのときに KaTeX で組んであるので、そのまま印刷されます。図は HTML に埋め込んだ画像です。
* 折りたたんだもの（練習問題の解答、発展の枠、折りたたんだセル）は開いて印刷します。
* 対話型の図（静的ツイン）は最初の場面を印刷し、「HTML 版とノートブックでは動かせます」と 1 行添えます。
* PDF のしおり（章と節）は見出しから、ページ番号は各ページの下に Chromium が付けます。
"""

from __future__ import annotations

import html
import re
import sys
from pathlib import Path

import chromium              # ヘッドレス Chromium の起動（テストと共有。tools/chromium.py）
from toc import toc_pages   # 目次の順番（テストと共有。tools/toc.py）

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"
OUT = ROOT / "_build" / "pdf" / "lossbook.pdf"
# まとめた文書は book/ に置きます（各ページと同じ場所なので、画像や CSS への相対パスがそのまま使えます）
PRINT_PAGE = HTML / "book" / "_lossbook_print.html"

TWIN_NOTE = ("この図は、HTML 版とノートブック（JupyterLab）ではスライダーで動かせます。"
             "印刷では最初の場面を載せています。")

PRINT_CSS = """
@page { size: A4; margin: 16mm 15mm 18mm 15mm; }
html { font-size: 10.5pt; }
body { margin: 0; background: #fff; color: #000; }
.lb-print-cover { text-align: center; margin-top: 30%; }
.lb-print-cover h1 { font-size: 2.4rem; margin-bottom: 1rem; }
.lb-print-toc { break-before: page; }
.lb-print-toc ol { list-style: none; padding-left: 0; }
.lb-print-toc ol ol { padding-left: 1.5em; }
.lb-print-toc li { margin: 0.15em 0; }
.lb-print-toc a { color: inherit; text-decoration: none; }
.lb-print-page { break-before: page; }
.headerlink, .copybtn, .toggle-button, button, .lb-twin-controls, .lb-twin-hint { display: none !important; }
.lb-twin-print-note { font-size: 0.9em; color: #333; margin: 0.3em 0 0; }
details > summary { list-style: none; }
pre, .highlight pre { white-space: pre-wrap; word-break: break-all; }
img { max-width: 100% !important; break-inside: avoid; }
figure, .math, table { break-inside: avoid; }
h1, h2, h3 { break-after: avoid; }
a { color: inherit; }
"""


def _article(doc: str) -> tuple[str, str]:
    """ページの本文（article の中身）と題を返します。"""
    text = (HTML / f"{doc}.html").read_text(encoding="utf-8")
    start = text.index('<article class="bd-article">') + len('<article class="bd-article">')
    end = text.index("</article>", start)
    body = text[start:end]
    title = html.unescape(re.sub(r"<[^>]+>", "", re.search(r"<h1>(.*?)</h1>", body, re.S).group(1))).rstrip("#").strip()
    return body, title


def _prefix_ids(body: str, n: int, page_of: dict[str, int]) -> str:
    """ページごとに id に接頭辞を付け、ページ間のリンクを文書の中のリンクにします（id の重複を避けるため）。"""
    body = re.sub(r'\bid="([^"]+)"', lambda m: f'id="p{n}-{m.group(1)}"', body)

    def link(m):
        target = m.group(1)
        if target.startswith("#"):
            return f'href="#p{n}-{target[1:]}"'
        page, _, anchor = target.partition("#")
        name = page.removesuffix(".html").lstrip("./")
        doc = f"book/{name}" if not name.startswith("book/") else name
        if doc in page_of:
            return f'href="#p{page_of[doc]}-{anchor}"' if anchor else f'href="#p{page_of[doc]}-top"'
        return m.group(0)
    return re.sub(r'href="([^"]*)"', link, body)


def _open_folded(body: str) -> str:
    """折りたたんだものを開き、静的ツインに印刷用の 1 行を添えます。"""
    body = re.sub(r"<details(?![^>]*\bopen\b)", "<details open", body)
    return body.replace('<figcaption class="lb-twin-caption"',
                        f'<p class="lb-twin-print-note">{html.escape(TWIN_NOTE)}</p><figcaption class="lb-twin-caption"')


def assemble() -> Path:
    pages = toc_pages()
    page_of = {doc: i for i, doc in enumerate(pages)}
    first = (HTML / f"{pages[0]}.html").read_text(encoding="utf-8")
    # ページと同じ CSS（テーマ、KaTeX、本書の CSS）を使います。スクリプトは使いません
    styles = "\n".join(re.findall(r'<link rel="stylesheet"[^>]*>', first))
    toc, parts = [], []
    for i, doc in enumerate(pages):
        body, title = _article(doc)
        body = _open_folded(_prefix_ids(body, i, page_of))
        sections = re.findall(r'<section[^>]*id="(p%d-[^"]+)"[^>]*>\s*(?:<span[^>]*></span>)?<h2>(.*?)</h2>' % i, body, re.S)
        items = "".join(f'<li><a href="#{sid}">{re.sub(r"<[^>]+>", "", h).rstrip("#").strip()}</a></li>'
                        for sid, h in sections)
        toc.append(f'<li><a href="#p{i}-top">{html.escape(title)}</a>{f"<ol>{items}</ol>" if items else ""}</li>')
        parts.append(f'<div class="lb-print-page" id="p{i}-top"><article class="bd-article">{body}</article></div>')
    document = f"""<!DOCTYPE html>
<html lang="ja"><head><meta charset="utf-8"><title>ロス関数入門 — lossbook</title>
{styles}
<style>{PRINT_CSS}</style></head>
<body><main class="bd-main"><div class="bd-content"><div class="bd-article-container">
<div class="lb-print-cover"><h1>ロス関数入門 — lossbook</h1>
<p>予測のずれを測る「ものさし」から、LLM が次の単語を選ぶまで</p></div>
<nav class="lb-print-toc"><h2>目次</h2><ol>{''.join(toc)}</ol></nav>
{''.join(parts)}
</div></div></main></body></html>
"""
    PRINT_PAGE.write_text(document, encoding="utf-8")
    return PRINT_PAGE


def print_pdf(source: Path, out: Path) -> int:
    """Chromium で印刷し、ページ数を返します（しおり・ページ番号・タグ付き PDF）。"""
    import base64

    from playwright.sync_api import sync_playwright

    out.parent.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = chromium.launch(p)
        context = browser.new_context(locale="ja-JP")
        # ネットワークには出ません（まとめた文書はローカルのファイルだけを読みます）
        context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort())
        page = context.new_page()
        page.set_default_timeout(120_000)
        page.goto(source.as_uri(), wait_until="load")
        page.emulate_media(media="print")
        page.evaluate("document.fonts.ready")
        cdp = context.new_cdp_session(page)
        result = cdp.send("Page.printToPDF", {
            "printBackground": True,
            "preferCSSPageSize": True,
            "displayHeaderFooter": True,
            "headerTemplate": "<span></span>",
            "footerTemplate": ('<div style="width:100%;text-align:center;font-size:9px;color:#444;">'
                               '<span class="pageNumber"></span> / <span class="totalPages"></span></div>'),
            "generateDocumentOutline": True,
            "generateTaggedPDF": True,
        })
        browser.close()
    data = base64.b64decode(result["data"])
    out.write_bytes(data)
    return len(re.findall(rb"/Type\s*/Page[^s]", data))


def main() -> int:
    problem = chromium.cannot_read_book(HTML)
    if problem:
        print(problem, file=sys.stderr)
        return 1
    source = assemble()
    try:
        pages = print_pdf(source, OUT)
    finally:
        source.unlink(missing_ok=True)     # まとめた文書は HTML のブックに残しません
    print(f">> PDF 版を作りました: {OUT}（{pages} ページ）")
    return 0


if __name__ == "__main__":
    sys.exit(main())
