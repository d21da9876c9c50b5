"""ビルドした HTML のブックを、本物のブラウザ（ヘッドレス Chromium）で読む検査。

読者は HTML をブラウザで、しばしばオフラインで読みます。ここでは _build/html を
127.0.0.1 の空いているポートで配信し、ループバックの外へ出るリクエストはすべて拒否したうえで、
_toc.yml のすべてのページについて次を確かめます。

* HTTP 200 で読み込め、コンソールのエラー・失敗したリクエスト・外部へのリクエストがない。
* 数式がビルドのときに KaTeX で組版され、生の ``$$`` や ``\\[`` ``\\(`` が本文に残っていない。
* 日本語の本文が日本語のフォントで描かれ、すべての画像に代替テキストがある。
* ページ内外のリンクとアンカーがすべて解決できる。
* 静的ツイン（対話型の図）がスライダーの操作に応じて変わる。
* 初回の読み込みで転送したバイト数（ページごとに報告し、1.2 MB 以下）。
* テーマの CSS から取り除いた規則が、どのページのどの要素にも当たらない。

加えて、検索画面で読者が打ちそうな語を検索し、定義したページが上位 3 件に入ることを確かめます。
Chromium がなければ、理由と有効にする方法を示してスキップします。
"""

from __future__ import annotations

import json
import re
import sys
import urllib.parse
import urllib.request

import pytest

import chromium
from conftest import alt_text_problem, ROOT, toc_pages, write_report
from search_queries import ALIASES, ALL_QUERIES, QUERIES, READER_PHRASES

if not chromium.have_chromium():
    pytest.skip("ブラウザでの検査を飛ばしました。" + chromium.MISSING, allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")

pytestmark = [pytest.mark.build, pytest.mark.browser]

# 1 ページの最初の読み込みの上限。数式をビルドのときに組み、索引・アイコン・ツインの絵・テーマの CSS を
# 軽くして 2.9 MB → 1.19 MB（いちばん重い第 4 章。残りの半分以上は、組んだ数式の HTML です）
PAGE_LIMIT = 1_200_000
REPORT = ROOT / "_build" / "browser-report.json"


MATH_CLOCK_JS = """
(() => {
  const seen = () => document.querySelector('.katex');
  const mark = () => { if (window.__lbMathReady === undefined && seen()) window.__lbMathReady = performance.now(); };
  new MutationObserver(mark).observe(document, {childList: true, subtree: true});
  document.addEventListener('DOMContentLoaded', mark);
})();
"""


class PageVisit:
    """一つのページを開いて、読者に見えたこと・起きたことを記録します。"""

    def __init__(self, browser, url: str):
        self.context = browser.new_context(viewport={"width": 1200, "height": 900}, locale="ja-JP")
        self.page = self.context.new_page()
        self.console_errors, self.failed, self.offsite = [], [], []
        self.bytes, self.first_load_done = 0, False
        self._urls, self.bytes_by_url = {}, {}
        self.page.on("console", lambda m: m.type == "error" and self.console_errors.append(m.text))
        self.page.on("pageerror", lambda e: self.console_errors.append(str(e)))
        self.page.on("requestfailed", lambda r: self.failed.append(f"{r.url} ({r.failure})"))
        chromium.stay_on_loopback(self.context, self.offsite)
        # 数式が読めるようになった時刻（ページの読み込み開始から、最初の数式の組版が DOM に現れるまで）を記録します
        self.context.add_init_script(MATH_CLOCK_JS)
        # 転送バイト数は DevTools プロトコルのネットワークイベントで数えます（キャッシュなしの初回読み込み）
        self.cdp = self.context.new_cdp_session(self.page)
        self.cdp.send("Network.enable")
        self.cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        self.cdp.on("Network.requestWillBeSent", self._remember_url)
        self.cdp.on("Network.loadingFinished", self._count)
        self.response = self.page.goto(url, wait_until="networkidle")
        # 数えるのは最初の読み込みだけです。あとでほかの検査がスライダーを動かすと、ツインの絵を読み込むからです
        self.first_load_done = True

    def _remember_url(self, event):
        self._urls[event["requestId"]] = event["request"]["url"]

    def _count(self, event):
        # URL ごとに 1 回だけ数えます。ふつうのブラウザでは、同じファイルの 2 回目はキャッシュから来るからです。
        # （CI で一度ずつ、ch6 が 4.1 MB、付録のテーマの CSS が削る前の大きさで数えられました。どちらも、
        #   ほかのワーカーのビルドが _static を書き直している最中に読んだためで、conftest の book が
        #   1 回のテストの実行につき 1 回だけビルドするようにして直しました）
        if self.first_load_done:
            return
        url = self._urls.get(event["requestId"], event["requestId"])
        self.bytes_by_url[url] = max(self.bytes_by_url.get(url, 0), int(event.get("encodedDataLength", 0)))
        self.bytes = sum(self.bytes_by_url.values())

    def close(self):
        self.context.close()


@pytest.fixture(scope="module")
def visits(browser, server):
    """すべてのページを一度ずつ開き、結果を保存します（各テストはそれを読むだけ）。"""
    out = {doc: PageVisit(browser, f"{server}/{doc}.html") for doc in toc_pages()}
    report = {doc: v.bytes for doc, v in out.items()}
    REPORT.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    yield out
    for v in out.values():
        v.close()


@pytest.mark.parametrize("doc", toc_pages())
def test_page_loads_cleanly_and_offline(visits, doc):
    v = visits[doc]
    assert v.response is not None and v.response.status == 200
    assert v.offsite == [], f"{doc}: ループバックの外へのリクエスト: {v.offsite}"
    assert v.failed == [], f"{doc}: 失敗したリクエスト: {v.failed}"
    assert v.console_errors == [], f"{doc}: コンソールのエラー: {v.console_errors}"


PROSE_TEXT_JS = """() => {
  const root = document.querySelector('main') || document.body;
  const clone = root.cloneNode(true);
  clone.querySelectorAll('pre, code, script, style, .katex, textarea')
       .forEach((n) => n.remove());
  return clone.innerText;
}"""


@pytest.mark.parametrize("doc", toc_pages())
def test_math_is_typeset(visits, doc):
    page = visits[doc].page
    n_math = page.locator(".math").count()
    if n_math:
        # 数式はビルドのときに組んであるので、スクリプトを待たずに最初から組版されています
        assert page.locator(".math .katex").count() >= n_math
        assert page.locator(".katex-error").count() == 0, f"{doc}: KaTeX が組めなかった数式があります"
    text = page.evaluate(PROSE_TEXT_JS)
    for raw in ["$$", "\\[", "\\(", "\\frac", "\\log"]:
        assert raw not in text, f"{doc}: 組版されていない TeX が本文に残っています: {raw}"


JAPANESE_FONTS = ("Noto Sans CJK", "Noto Serif CJK", "IPAex", "IPA", "Noto Sans JP", "TakaoGothic", "VL Gothic")


@pytest.mark.parametrize("doc", toc_pages())
def test_japanese_text_uses_a_japanese_font(visits, doc):
    v = visits[doc]
    cdp = v.cdp
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": "main p"})["nodeId"]
    assert node, f"{doc}: 本文の段落が見つかりません"
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    names = [f["familyName"] for f in fonts if f["glyphCount"] > 0]
    assert any(any(j in n for j in JAPANESE_FONTS) for n in names), f"{doc}: 日本語のフォントで描かれていません: {names}"


@pytest.mark.parametrize("doc", toc_pages())
def test_every_image_has_alt_text(visits, doc):
    imgs = visits[doc].page.evaluate(
        "() => [...document.querySelectorAll('main img')].map(i => [i.getAttribute('alt') || '', i.naturalWidth])")
    for alt, width in imgs:
        problem = alt_text_problem(alt)
        assert problem is None, f"{doc}: {problem}"
        assert width > 0, f"{doc}: 表示されない画像があります"


def _ids(url: str, cache: dict) -> set:
    if url not in cache:
        with urllib.request.urlopen(url) as res:
            assert res.status == 200, url
            html = res.read().decode("utf-8")
        cache[url] = set(re.findall(r'\bid="([^"]+)"', html))
    return cache[url]


@pytest.mark.parametrize("doc", toc_pages())
def test_every_internal_link_and_anchor_resolves(visits, server, doc):
    hrefs = visits[doc].page.evaluate("() => [...document.querySelectorAll('a[href]')].map(a => a.href)")
    cache: dict = {}
    checked = 0
    for href in sorted(set(hrefs)):
        if not href.startswith(server):
            continue                    # 外部リンク（読み込みはしない）は対象外
        target, _, anchor = href.partition("#")
        ids = _ids(target, cache)
        if anchor:
            assert urllib.parse.unquote(anchor) in ids, f"{doc}: アンカーが見つかりません: {href}"
        checked += 1
    assert checked > 0


@pytest.mark.parametrize("doc", toc_pages())
def test_static_twins_respond_to_their_controls(visits, doc):
    page = visits[doc].page
    twins = page.locator("figure.lb-twin")
    for i in range(twins.count()):
        twin = twins.nth(i)
        twin.scroll_into_view_if_needed()
        slider = twin.locator("input[type=range]")
        state = ("(f) => { const m = f.querySelector('.lb-twin-marker');"
                 " const src = f.querySelector('.lb-twin-stage img').getAttribute('src');"
                 " return [f.querySelector('.lb-twin-caption').textContent,"
                 " f.querySelector('.lb-twin-value').textContent,"
                 " m ? m.style.left + ',' + m.style.top : '', src.length + ':' + src.slice(-64)]; }")
        before = twin.evaluate(state)
        slider.focus()
        page.keyboard.press("End")        # 読者がキーボードで右端まで動かす
        after_end = twin.evaluate(state)
        page.keyboard.press("Home")       # 左端まで
        after_home = twin.evaluate(state)
        assert after_end != before or after_home != before, f"{doc}: ツイン {i} が動きません"
        caption_end, value_end, marker_end, img_end = after_end
        caption_home, value_home, marker_home, img_home = after_home
        assert caption_end != caption_home and value_end != value_home, f"{doc}: ツイン {i} の説明文が変わりません"
        assert marker_end != marker_home or img_end != img_home, f"{doc}: ツイン {i} の図が変わりません"
        # 読み上げでは、スライダーの位置の番号ではなく、表示している値を伝えます（aria-valuetext）
        assert slider.get_attribute("aria-valuetext") == value_home, f"{doc}: ツイン {i} の aria-valuetext"
        page.keyboard.press("End")
        assert slider.get_attribute("aria-valuetext") == value_end, f"{doc}: ツイン {i} の aria-valuetext"
        assert twin.locator(".lb-twin-caption").get_attribute("aria-live") == "polite"


AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _axe_violations(page) -> list[str]:
    """axe-core（package-lock.json で固定）をページに入れ、WCAG 2.1 A/AA の違反を日本語の 1 行ずつで返します。"""
    if not AXE.exists():
        pytest.skip("axe-core がないので、アクセシビリティの検査を飛ばしました（make test が npm ci で入れます）")
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        """async (tags) => {
             const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
             return r.violations.map((v) => [v.id, v.impact, v.nodes.length,
                                             v.nodes.slice(0, 3).map((n) => n.target.join(' '))]);
           }""", AXE_TAGS)
    return [f"{rule}（{impact}、{n} 個）: {targets}" for rule, impact, n, targets in found]


@pytest.mark.parametrize("doc", toc_pages())
def test_no_wcag_21_aa_violations(visits, doc):
    problems = _axe_violations(visits[doc].page)
    assert problems == [], f"{doc}: " + "\n".join(problems)


def test_search_page_has_no_wcag_21_aa_violations(search_page):
    assert _axe_violations(search_page.page) == []


def _selectors(items) -> set[str]:
    from lossbook_trim_css import split_top_level
    found = set()
    for prelude, body in items:
        if isinstance(body, list):
            found |= _selectors(body)
        elif isinstance(body, str) and not prelude.startswith("@") and not prelude.endswith("%") \
                and prelude not in ("from", "to"):
            found |= {sel.strip() for sel in split_top_level(prelude)}
    return found


_PSEUDO = re.compile(r"::?[a-zA-Z-]+(?:\((?:[^()]|\([^()]*\))*\))?")


def _broadened(selector: str) -> str:
    """状態（:hover、:focus …）・擬似要素・属性の条件を外した、より広いセレクター。"""
    sel = _PSEUDO.sub("", re.sub(r"\[[^\]]*\]", "", selector))
    # 条件を外して空になった複合セレクター（「> :hover」など）は * にします
    sel = re.sub(r"(^|[\s>+~])(?=\s*(?:[>+~]|$))", r"\1*", sel.strip())
    return sel or "*"


@pytest.fixture(scope="module")
def removed_selectors(book):
    """lossbook_trim_css が取り除いた規則のセレクター（削る前の CSS にあって、後の CSS にないもの）。"""
    sys.path.insert(0, str(ROOT / "book" / "_ext"))
    from lossbook_trim_css import FULL_COPY_DIR, parse

    full_dir = book.parent / FULL_COPY_DIR
    removed = {}
    for full in sorted(full_dir.rglob("*.css")):
        rel = full.relative_to(full_dir)
        before = _selectors(parse(full.read_text(encoding="utf-8"))[0])
        after = _selectors(parse((book / "_static" / rel).read_text(encoding="utf-8"))[0])
        removed[str(rel)] = sorted(before - after)
    assert removed and sum(map(len, removed.values())) > 1000, "CSS が削られていません"
    return sorted({_broadened(sel) for sels in removed.values() for sel in sels})


MATCHING_JS = """(selectors) => {
  const matched = [], invalid = [];
  for (const sel of selectors) {
    try { if (document.querySelector(sel) !== null) matched.push(sel); } catch (e) { invalid.push(sel); }
  }
  return [matched, invalid];
}"""


@pytest.mark.parametrize("doc", toc_pages() + ["search"])
def test_trimmed_css_rules_match_no_element(visits, search_page, removed_selectors, doc):
    """取り除いた CSS の規則は、どのページのどの要素にも当たりません（当たるなら見た目が変わります）。

    :hover などの状態と擬似要素と属性の条件を外した広いセレクターで調べるので、どの状態でも当たりません。
    （ページが読み込まれたときの DOM で調べます。あとで付くクラスは、スクリプトの語として残してあります）
    """
    page = search_page.page if doc == "search" else visits[doc].page
    matched, invalid = page.evaluate(MATCHING_JS, removed_selectors)
    assert invalid == [], f"調べられなかったセレクター: {invalid[:10]}"
    assert matched == [], f"{doc}: 取り除いた規則が当たる要素があります: {matched[:10]}"


def test_page_weight_and_math_table(visits):
    """各ページの最初の読み込みの大きさと、数式が読めるようになるまでの時間を表にします（make test の最後に表示）。"""
    lines = [f"{'ページ':<30} {'バイト':>10} {'数式が読めるまで':>14}  大きいファイル"]
    for doc, v in visits.items():
        math_ms = v.page.evaluate("() => window.__lbMathReady")
        big = sorted(v.bytes_by_url.items(), key=lambda kv: -kv[1])[:2]
        names = "、".join(f"{urllib.parse.urlparse(u).path.rsplit('/', 1)[-1]} {b / 1e6:.2f} MB" for u, b in big)
        when = "数式なし" if math_ms is None else f"{math_ms:,.0f} ms"
        lines.append(f"{doc:<30} {v.bytes / 1e6:>8.2f} MB {when:>14}  {names}")
    write_report("ページの重さ", "\n".join(lines))


@pytest.mark.parametrize("doc", toc_pages())
def test_first_load_stays_under_the_page_limit(visits, doc):
    v = visits[doc]
    largest = sorted(v.bytes_by_url.items(), key=lambda kv: -kv[1])[:5]
    assert 0 < v.bytes <= PAGE_LIMIT, f"{doc}: {v.bytes} バイト。大きいもの: {largest}"


def test_search_box_on_a_chapter_leads_to_results(browser, server):
    """章のページでは検索の索引を読み込みません。検索の入力欄から検索のページへ移り、結果が出ること。"""
    visit = PageVisit(browser, f"{server}/book/03_cross_entropy.html")
    page = visit.page
    try:
        assert not any("searchindex.js" in u for u in visit.bytes_by_url), "章のページが検索の索引を読み込んでいます"
        page.locator("button.search-button__button:visible").first.click()   # 読者が検索のボタンを押す
        box = page.locator("input[name=q]:visible").first
        box.wait_for()
        box.fill("交差エントロピー")
        box.press("Enter")
        page.wait_for_url("**/search.html?q=*")
        page.wait_for_function(
            "() => (document.querySelector('#search-results .search-summary')?.textContent || '').trim()", timeout=60000)
        assert page.locator("#search-results ul.search > li").count() > 0
        assert visit.console_errors == [] and visit.offsite == []
    finally:
        visit.close()


@pytest.fixture(scope="module")
def search_page(browser, server):
    visit = PageVisit(browser, f"{server}/search.html")
    yield visit
    visit.close()


# 検索の画面を本当に操作して確かめる検索語（種類ごとに数個ずつ）。すべての検索語の順位は、下の
# test_every_query_ranks_a_defining_page_in_top_three が同じ検索の関数で一度に確かめます。
UI_SAMPLE = ["損失関数", "平均二乗誤差", "KLダイバージェンス", "cross entropy", "シータ", "パープレキシティ",
             "交差エントロピー", "最急降下法", "カルバック・ライブラー情報量", "過剰適合", "首都", "見えないつながり"]


def _expected(query):
    want = ALL_QUERIES[query]
    return want if isinstance(want, tuple) else (want,)


def test_every_query_ranks_a_defining_page_in_top_three(search_page):
    """すべての検索語（用語・読者の言葉・ほかの本の呼び方）で、定義したページが上位 3 件に入ること。

    検索の画面と同じ関数（Sphinx の searchtools.js と book/assets/lossbook-search-ja.js の並べ替え）を、
    ページの中で検索語ごとに呼びます。命中率は make test の最後に表として表示します。
    """
    page = search_page.page
    page.wait_for_function("() => typeof Search !== 'undefined' && Search.hasIndex()", timeout=60000)
    ranked = page.evaluate(
        """(queries) => queries.map((q) => {
             const [query, terms, excluded, highlight, objects] = Search._parseQuery(q);
             return Search._performSearch(query, terms, excluded, highlight, objects)
               .slice().reverse().slice(0, 3).map((r) => r[0]);
           })""", list(ALL_QUERIES))
    misses, lines = [], []
    groups = {"用語・英語名・記号の読み": QUERIES, "記事の読者の言葉": READER_PHRASES, "ほかの本の呼び方": ALIASES}
    for name, group in groups.items():
        top3 = top1 = 0
        for query in group:
            top = ranked[list(ALL_QUERIES).index(query)]
            ok = any(d in top for d in _expected(query))
            top3 += ok
            top1 += bool(top) and top[0] in _expected(query)
            if not ok:
                misses.append(f"「{query}」の上位 3 件: {top}（定義したページ: {_expected(query)}）")
        lines.append(f"{name:<16} {len(group):4d} 語  上位 3 件に定義したページ {top3:4d} 語（{top3 / len(group):6.1%}）"
                     f"  1 位 {top1:4d} 語（{top1 / len(group):6.1%}）")
    total = len(ALL_QUERIES)
    hits = total - len(misses)
    lines.append(f"{'合計':<16} {total:4d} 語  上位 3 件に定義したページ {hits:4d} 語（{hits / total:6.1%}）")
    write_report("検索の命中率", "\n".join(lines + misses))
    assert total >= 100
    assert not misses, "\n".join(misses)
    assert search_page.console_errors == []


@pytest.mark.parametrize("query", UI_SAMPLE)
def test_search_finds_the_defining_page_in_top_three(search_page, server, query):
    page = search_page.page
    # 検索の結果は下の wait_for_function で待つので、ネットワークが 0.5 秒静かになるのは待ちません
    page.goto(f"{server}/search.html?q={urllib.parse.quote(query)}", wait_until="load")
    # 検索が終わると、件数の文（book/assets/lossbook-search-ja.js が訳を補った日本語）が出ます。
    # 2 コアのマシンでノートブックの実行と並んで走ると 15 秒を超えたことがあるので、60 秒まで待ちます
    # （出たらすぐ次へ進むので、ふだんの時間は変わりません）
    page.wait_for_function(
        "() => (document.querySelector('#search-results .search-summary')?.textContent || '').trim()",
        timeout=60000)
    summary = page.locator("#search-results .search-summary").inner_text()
    assert "見つかりました" in summary or "見つかりませんでした" in summary, summary
    links = page.evaluate(
        "() => [...document.querySelectorAll('#search-results ul.search > li > a')].map(a => a.getAttribute('href'))")
    top = [urllib.parse.urlparse(h).path.removesuffix(".html").lstrip("./") for h in links[:3]]
    assert any(page in top for page in _expected(query)), f"「{query}」の上位 3 件: {top}（全 {len(links)} 件）"
    assert search_page.offsite == [] and search_page.console_errors == []
