"""HTML のブックを -W（警告はエラー）でビルドし、読者に届くものを検査します。

* ビルドが警告なしで通ること（図のグリフ欠落などの stderr も警告になり失敗します）。
* _toc.yml のすべてのページができていること。
* オフラインで読めること: スクリプト・CSS・画像・数式（KaTeX の CSS とフォント）をネットワークから読み込まない。
* 静的ツインがページに入り、ウィジェットの CDN 用 JavaScript が入っていないこと。
* 日本語の複合語で検索できること（ブラウザと同じ splitQuery を Node.js で動かします）。

ブラウザで実際に開く検査（表示・操作・検索画面）は別のテストで行います。
"""

from __future__ import annotations

import gc
import html
import json
import re
import shutil
import subprocess
import sys
import warnings

import pytest

from conftest import ROOT, alt_text_problem, toc_pages
from search_queries import QUERIES

pytestmark = pytest.mark.build


def _page(book, docname):
    return (book / f"{docname}.html").read_text(encoding="utf-8")


def test_every_toc_page_is_built(book):
    for doc in toc_pages():
        assert (book / f"{doc}.html").is_file(), doc
    assert (book / "index.html").is_file()
    assert (book / "search.html").is_file()


REMOTE = re.compile(r"""<(script|link|img|iframe|source|video|audio)\b[^>]*\b(src|href)=["'](https?:)?//""", re.I)


def test_pages_load_nothing_from_the_network(book):
    for doc in toc_pages() + ["search", "genindex"]:
        html = (book / f"{doc}.html").read_text(encoding="utf-8")
        assert not REMOTE.search(html), f"{doc}: ネットワークから読み込む要素があります: {REMOTE.search(html).group(0)}"
        # ウィジェットの埋め込み（require.js と html-manager を CDN から読む）は使いません
        assert "widget-state+json" not in html and "require.min.js" not in html, doc


def test_math_is_rendered_at_build_time_with_local_css_and_fonts(book):
    """数式はビルドのときに KaTeX で組んであり、ページは MathJax も KaTeX の JavaScript も読み込みません。"""
    for doc in toc_pages():
        html = _page(book, doc)
        assert "mathjax" not in html.lower().replace("mathjax_ignore", ""), f"{doc}: MathJax を読み込んでいます"
        assert "katex.min.js" not in html and "auto-render" not in html, f"{doc}: KaTeX の JavaScript を読み込んでいます"
        if 'class="math' in html:
            # 組んだ数式は、見た目（HTML）と読み上げ用（MathML）の両方を持ちます
            assert html.count('class="katex"') >= html.count('class="math') and "<math" in html, doc
            css = re.search(r'<link[^>]+href="([^"]*katex\.min\.css)[^"]*"', html)
            assert css and not css.group(1).startswith(("http:", "https:", "//")), doc
            assert (book / doc).parent.joinpath(css.group(1)).resolve().is_file(), doc
    fonts = list((book / "_static" / "katex" / "fonts").glob("*.woff2"))
    assert len(fonts) >= 10, "KaTeX のフォントがビルド出力にありません"
    css = (book / "_static" / "katex" / "katex.min.css").read_text(encoding="utf-8")
    for name in re.findall(r"url\((fonts/[^)]+\.woff2)\)", css):
        assert (book / "_static" / "katex" / name).is_file(), name


def test_chapter1_has_static_twin_and_exercises(book):
    html = _page(book, "book/01_what_is_loss")
    assert html.count('<figure class="lb-twin">') == 1
    assert "lossbook-twin.js" in html and (book / "_static" / "lossbook-twin.js").is_file()
    assert "jupyter-widgets" not in html
    # 練習問題の解答は折りたたまれている
    assert html.count("solution") >= 4 and "dropdown" in html
    for heading in ["学習目標", "まとめ", "練習問題", "自己チェック"]:
        assert heading in html, heading


def test_every_image_has_alt_text(book):
    for doc in toc_pages():
        for tag in re.findall(r"<img\b[^>]*>", _page(book, doc)):
            alt = re.search(r'\balt="([^"]*)"', tag)
            problem = alt_text_problem(html.unescape(alt.group(1)) if alt else "")
            assert problem is None, f"{doc}: {problem}: {tag[:120]}"


def test_alt_text_check_rejects_file_names():
    # 検査そのもののテスト: ファイル名やパスは拒み、図の説明は通します
    assert alt_text_problem("../_images/df00a1b2c3.png")
    assert alt_text_problem("figure.png")
    assert alt_text_problem("")
    assert alt_text_problem("plot")
    assert alt_text_problem("予測確率 p とロス −log p の曲線。p が 0 に近づくとロスが急に大きくなります。") is None




def test_pages_stay_small(book):
    for doc in toc_pages():
        size = (book / f"{doc}.html").stat().st_size
        assert size < 3_000_000, f"{doc}.html が {size} バイトあります"


def _search_index(book):
    text = (book / "searchindex.js").read_text(encoding="utf-8")
    return json.loads(text[text.index("(") + 1:text.rindex(")")])


NODE_SEARCH = r"""
const fs = require("fs");
const lang = fs.readFileSync(process.argv[1], "utf8");
eval(lang.replace(/^const /gm, "var ").replace(/^let /gm, "var "));
const index = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const queries = JSON.parse(process.argv[3]);
const out = {};
for (const q of queries) {
  const terms = splitQuery(q.toLowerCase().trim()).map((t) => t.toLowerCase());
  let docs = null;
  for (const t of terms) {
    const hit = new Set([].concat(index.terms[t] ?? [], index.titleterms[t] ?? []));
    docs = docs === null ? hit : new Set([...docs].filter((d) => hit.has(d)));
  }
  out[q] = { terms, docs: [...(docs ?? [])].map((d) => index.docnames[d]) };
}
console.log(JSON.stringify(out));
"""

@pytest.fixture(scope="module")
def node_search(book, tmp_path_factory):
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js がないので、ブラウザ側の検索語の区切り方を試せません")
    index_file = tmp_path_factory.mktemp("search") / "index.json"
    index_file.write_text(json.dumps(_search_index(book)), encoding="utf-8")

    def run(queries):
        res = subprocess.run([node, "-e", NODE_SEARCH, str(book / "_static" / "language_data.js"),
                              str(index_file), json.dumps(queries, ensure_ascii=False)],
                             capture_output=True, text=True, check=True)
        return json.loads(res.stdout)
    return run


def test_japanese_compound_queries_find_their_pages(node_search):
    results = node_search(list(QUERIES))
    for query, doc in QUERIES.items():
        docs = doc if isinstance(doc, tuple) else (doc,)
        assert all(d in results[query]["docs"] for d in docs), f"「{query}」で {docs} が見つかりません: {results[query]}"


def test_browser_and_index_split_text_the_same_way(node_search):
    sys.path.insert(0, str(ROOT / "book" / "_ext"))
    from lossbook_search_ja import split_bigrams

    samples = ["損失関数", "KLダイバージェンス", "cross entropy", "平均二乗誤差（MSE）",
               "ロス L = −log p", "ｐ（首都）と ＡＢＣ", "ソフトマックス関数ー々"]
    results = node_search(samples)
    for s in samples:
        expected = [t for t in dict.fromkeys(t.lower() for t in split_bigrams(s.lower())) if len(t) >= 2]
        assert results[s]["terms"] == expected, s


def test_glossary_index_points_terms_at_their_defining_pages():
    sys.path.insert(0, str(ROOT / "book" / "_ext"))
    from lossbook_glossary_index import read_glossary

    terms = read_glossary(ROOT / "book" / "glossary.md")
    assert "勾配降下法" in terms["book/01_what_is_loss"]
    assert "シータ" in terms["book/01_what_is_loss"]          # 記号表の読み → 記号を定義したページ
    assert "KLダイバージェンス" in terms["book/05_kl_divergence"]  # 空白を詰めた形も
    assert "MSE" in terms["book/04_mse"]
    # 用語集の「定義した場所」はすべて目次にあるページ
    assert set(terms) <= set(toc_pages())


def test_glossary_other_names_point_at_the_term_and_are_unambiguous(tmp_path):
    sys.path.insert(0, str(ROOT / "book" / "_ext"))
    from lossbook_glossary_index import read_aliases, read_glossary

    aliases = read_aliases(ROOT / "book" / "glossary.md")
    assert aliases["交差エントロピー"] == ["book/03_cross_entropy", "book/01_what_is_loss"] or \
        set(aliases["交差エントロピー"]) == {"book/03_cross_entropy", "book/01_what_is_loss"}
    assert "交差エントロピー" in read_glossary(ROOT / "book" / "glossary.md")["book/03_cross_entropy"]
    # 別名は、ほかの用語の名前と同じであってはいけません（どちらの意味か決まらないため）
    rows = [line.split("|")[1:3] for line in (ROOT / "book" / "glossary.md").read_text(encoding="utf-8").splitlines()
            if line.startswith("| ") and line.count("|") >= 6]
    own_names = {cell.strip() for row in rows for cell in row}
    clash = {a for a in aliases if a in own_names}
    assert not clash, clash
    # 用語の表にない用語の別名は、ビルドの前に日本語で止まります
    bad = tmp_path / "glossary.md"
    bad.write_text("| 本書の用語 | ほかの呼び方 |\n|---|---|\n| ないもの | 別名 |\n", encoding="utf-8")
    with pytest.raises(ValueError, match="ないもの"):
        read_aliases(bad)


def test_glossary_pages_are_reread_on_every_build():
    # Sphinx 7.4 の差分ビルドは、読み直さなかったページの索引項目を searchindex.js から落とします。
    # そこで拡張は、用語集が項目を付けるページを毎回読み直させます（lossbook_glossary_index._outdated）。
    sys.path.insert(0, str(ROOT / "book" / "_ext"))
    from lossbook_glossary_index import _outdated

    class Env:
        lossbook_glossary_terms = {"book/a": ["x"], "book/b": ["y"], "book/gone": ["z"]}
        found_docs = {"book/a", "book/b"}

    assert sorted(_outdated(None, Env(), set(), set(), set())) == ["book/a", "book/b"]


def test_search_index_has_the_glossary_entries_of_every_defining_page(book):
    sys.path.insert(0, str(ROOT / "book" / "_ext"))
    from lossbook_glossary_index import read_glossary

    index = _search_index(book)
    pages_with_entries = {index["docnames"][f] for entries in index["indexentries"].values() for f, _, _ in entries}
    assert set(read_glossary(ROOT / "book" / "glossary.md")) <= pages_with_entries


def test_icon_font_and_css_keep_only_the_icons_the_book_uses(book):
    """アイコンのフォントは使うアイコンの字形だけの小さな WOFF で、ページとスクリプトが使うアイコンはすべて表示できること。"""
    from fontTools.ttLib import TTFont

    css = (book / "_static" / "styles" / "pydata-sphinx-theme.css").read_text(encoding="utf-8")
    webfonts = book / "_static" / "vendor" / "fontawesome" / "webfonts"
    solid = webfonts / "fa-solid-900-lossbook.woff"
    assert solid.stat().st_size < 20_000, solid.stat().st_size
    assert "fa-solid-900-lossbook.woff" in css and "fa-solid-900.woff2" not in css
    cmap = TTFont(str(solid)).getBestCmap()
    used = set()
    for path in [*book.rglob("*.html"), *(book / "_static").rglob("*.js")]:
        used |= set(re.findall(r"\bfa-([a-z0-9-]+)", path.read_text(encoding="utf-8", errors="ignore")))
    rules = dict()
    for selectors, code in re.findall(r'((?:\.fa-[a-z0-9-]+:(?:before|after),?)+)\{content:"\\([0-9a-f]+)"\}', css):
        for name in re.findall(r"\.fa-([a-z0-9-]+):", selectors):
            rules[name] = int(code, 16)
    icons = {"magnifying-glass", "bars", "list", "sun", "moon", "circle-half-stroke", "download", "expand"}
    assert icons <= used
    for name in icons:
        assert name in rules and rules[name] in cmap, f"アイコン fa-{name} の字形がありません"
    assert len(rules) < 100      # 約 1800 個の規則から、使うものだけに減らしています


def test_twin_frames_load_on_demand_and_unused_design_assets_are_gone(book):
    """静的ツインの JSON は絵を埋め込まずファイルを指し（最初の絵だけ <img> に埋め込み）、sphinx-design は読み込まない。"""
    frames = 0
    for doc in toc_pages():
        html = _page(book, doc)
        assert "sphinx-design.min.css" not in html and "design-tabs.js" not in html, doc
        for payload in re.findall(r'<script type="application/json" class="lb-twin-data">(.*?)</script>', html, re.S):
            srcs = [frame["src"] for frame in json.loads(payload)["frames"] if "src" in frame]
            if not srcs:
                continue                                   # 印だけを動かすツイン
            # 最初の図は <img> にだけあり、JSON では null です（同じ PNG を二度書かない）
            assert srcs.count(None) == 1, (doc, srcs.count(None))
            for src in srcs:
                if src is not None:
                    frames += 1
                    assert not src.startswith("data:"), doc
                    assert (book / doc).parent.joinpath(src).resolve().is_file(), (doc, src)
    assert frames > 20        # フレームを入れ替える図がいくつもあります


def test_css_trimming_keeps_every_rule_a_used_class_needs():
    sys.path.insert(0, str(ROOT / "book" / "_ext"))
    from lossbook_trim_css import classes_in, trim

    used = {"bd-header", "show", "katex"}
    css = ("/* c */.bd-header .navbar{color:red}"                  # navbar は使わない → 落とす
           ".bd-header,.modal{margin:0}"                           # 一覧の中の使うほうだけ残す
           "a:not(.unused){color:blue}"                            # :not() の中のクラスは数えない
           ".show:is(.x,.y)>p::before{content:\"a,{b}\"}"          # :is() の中も数えない。文字列の中の { , も壊さない
           "html[data-theme=dark] .katex{color:#fff}"              # 属性の中の「.」はクラスではない
           "@media (min-width:960px){.navbar{top:0}.show{top:1px}}"
           "@media print{.navbar{display:none}}"                   # 中が空になった @media は消す
           "@font-face{font-family:X;src:url(x.woff)}"
           "@keyframes spin{from{opacity:0}to{opacity:1}}")
    out = trim(css, used)
    assert ".navbar{color" not in out and ".modal" not in out and "@media print" not in out
    assert ".bd-header{margin:0}" in out
    assert "a:not(.unused){color:blue}" in out
    assert '.show:is(.x,.y)>p::before{content:"a,{b}"}' in out
    assert "html[data-theme=dark] .katex{color:#fff}" in out
    assert "@media (min-width:960px){.show{top:1px}}" in out
    assert "@font-face{font-family:X;src:url(x.woff)}" in out
    assert "@keyframes spin{from{opacity:0}to{opacity:1}}" in out
    assert classes_in("a.b:not(.c:has(.d)) > .e[data-x='.f']::after") == {"b", "e"}


def test_katex_fonts_keep_every_glyph_the_formulas_use(book):
    """KaTeX のフォントは数式に現れる文字だけに減らします。減らしたフォントに、必要な字形が欠けていないこと。"""
    sys.path.insert(0, str(ROOT / "book" / "_ext"))
    from fontTools.ttLib import TTFont
    from lossbook_katex import KATEX_DIST, math_characters

    used = {ord(c) for c in math_characters(book)}
    assert {ord(c) for c in "=()+∑logθσ"} <= used                    # 数式の文字を集められている
    fonts = sorted((KATEX_DIST / "fonts").glob("*.woff2"))
    assert fonts
    for original in fonts:
        before = set(TTFont(original).getBestCmap())
        after = set(TTFont(book / "_static" / "katex" / "fonts" / original.name).getBestCmap())
        missing = (used & before) - after
        assert not missing, f"{original.name} に、数式が使う文字がありません: {sorted(map(chr, missing))[:20]}"
        assert after <= before
        assert (book / "_static" / "katex" / "fonts" / original.name).stat().st_size <= original.stat().st_size


def test_japanese_line_breaks_inside_a_paragraph_do_not_become_spaces():
    """lossbook_ja_text: 改行の両側が日本語なら改行を取り除き、片側が英数字なら空白として残します。"""
    sys.path.insert(0, str(ROOT / "book" / "_ext"))
    from docutils import nodes
    from docutils.frontend import get_default_settings
    from docutils.parsers.rst import Parser
    from docutils.utils import new_document
    from lossbook_ja_text import JoinJapaneseLines

    document = new_document("test", get_default_settings(Parser))
    # MyST は段落内の改行を、前後と別の "\n" だけの Text として出すことも、1 つの Text の中に入れることもあります
    para = nodes.paragraph("", "", nodes.Text("ロスは"), nodes.Text("\n"), nodes.Text("小さいほど"),
                           nodes.Text("\n"), nodes.emphasis("", "よい"), nodes.Text("\n"), nodes.Text("L です。"),
                           nodes.Text("その\nまま、ロス\nL、全角（\n括弧）"))
    code = nodes.literal_block("", "a = 1  # 日本\n語")
    inline = nodes.paragraph("", "", nodes.literal("", "日本\n語"))
    document += [para, code, inline]
    JoinJapaneseLines(document).apply()
    assert para.astext() == "ロスは小さいほどよい\nL です。そのまま、ロス\nL、全角（括弧）"
    assert code.astext() == "a = 1  # 日本\n語"          # コードの中は変えません
    assert inline.astext() == "日本\n語"


def test_katex_server_start_waits_until_the_socket_listens(tmp_path):
    """KaTeX のサーバーがソケットのファイルを作ってから待ち受けるまでの間に接続しても、ビルドは失敗しません。"""
    sys.path.insert(0, str(ROOT / "book" / "_ext"))
    import lossbook_katex
    from sphinxcontrib import katex as sphinx_katex

    # ファイルを作って（bind）から 0.5 秒待ち、それから待ち受ける（listen）サーバーの代わり
    slow_server = ("import socket, sys, time\n"
                   "s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); s.bind(sys.argv[1])\n"
                   "time.sleep(0.5); s.listen(1); s.settimeout(3)\n"
                   "try:\n    c, _ = s.accept(); c.recv(1)\nexcept socket.timeout:\n    sys.exit(1)\n")

    class Server(sphinx_katex.KaTeXServer):
        @classmethod
        def build_command(cls, socket=None, port=None):
            return [sys.executable, "-c", slow_server, str(socket)]

    # sphinxcontrib-katex の元の起動は、ここで失敗します（起動したままのプロセスは 3 秒で終わります。
    # 元の関数はそれを返さないので、閉じられないパイプの ResourceWarning はここでだけ無視します）
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        with pytest.raises(ConnectionRefusedError):
            sphinx_katex.KaTeXServer.start_server_process.__func__(Server, tmp_path, 5.0)
        gc.collect()
    (tmp_path / "katex.sock").unlink()
    process, sock = lossbook_katex._start_server_process(Server, tmp_path, 5.0)
    sock.sendall(b"x")
    assert process.wait(timeout=5) == 0
    sock.close()
    process.stdin.close()
    process.stdout.close()


def test_live_code_files_are_complete_and_match_the_trimmed_lock(book):
    """_live/pyodide/ のファイルは、絞った pyodide-lock.json のとおりにそろい、sha256 も一致すること。

    公式のパッケージのファイルは、公式の pyodide-lock.json（npm の pyodide）の sha256 とも一致すること。"""
    import hashlib

    folder = book / "_live" / "pyodide"
    lock = json.loads((folder / "pyodide-lock.json").read_text())
    official = json.loads((ROOT / "node_modules" / "pyodide" / "pyodide-lock.json").read_text())
    assert lock["info"]["version"] == official["info"]["version"] == "0.27.7"
    for name in ("numpy", "matplotlib", "ipython", "ipywidgets", "matplotlib-fontja", "lossbook"):
        assert name in lock["packages"], name
    for name, entry in lock["packages"].items():
        data = (folder / entry["file_name"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], name
        if name in official["packages"]:
            assert entry == official["packages"][name], f"{name} が公式の lock と違います"
        for dep in entry["depends"]:
            assert dep in lock["packages"] or dep.replace("_", "-") in lock["packages"], f"{name} の依存 {dep}"
    for core in ("pyodide.js", "pyodide.asm.js", "pyodide.asm.wasm", "python_stdlib.zip"):
        assert (folder / core).read_bytes() == (ROOT / "node_modules" / "pyodide" / core).read_bytes()
    # ボタンの小さなスクリプトは全ページに、ランタイムは _live/ にだけあります
    assert (book / "_static" / "lossbook-live.js").stat().st_size < 6000
    assert (book / "_live" / "lossbook-live-runtime.js").exists()
    assert not (book / "_static" / "lossbook-live-runtime.js").exists()
