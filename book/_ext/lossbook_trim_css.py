"""テーマの CSS から、本書のページとスクリプトが一度も使わないクラスの規則を取り除く Sphinx 拡張。

pydata-sphinx-theme の CSS（0.31 MB）は Bootstrap の大半を抱えていて、本書が使うのはその一部です。
ほかにも myst-nb・Sphinx・sphinx-book-theme の CSS がすべてのページで読み込まれます。1 ページの
最初の読み込みを 1.2 MB 以下にするため、ビルドの最後に、次の規則だけを残した CSS に書き換えます。

* セレクターの中のクラスが、**すべて**本書の HTML か JavaScript に現れる規則。
  JavaScript があとから付けるクラス（Bootstrap の ``show``、テーマの明暗の切り替え …）も残すよう、
  クラス属性だけでなく、``_static`` のすべての .js とページ内の script の中の語も「使う」に数えます。
* ``:not()`` ``:is()`` ``:where()`` ``:has()`` の中のクラスは数えません（使わなくても規則は効くので、残す側に倒します）。
* クラスを含まないセレクター（要素・属性・ID）、``@font-face``・``@keyframes`` などは、そのまま残します。
  ``@media`` と ``@supports`` は中を同じ規則で削り、空になったら取り除きます。

削る前の CSS は ``_build/css-full/`` に写しておき、ブラウザの検査
（tests/test_browser.py の ``test_trimmed_css_changes_no_computed_style``）が、削る前と後で
すべてのページのすべての要素の計算済みスタイルが同じであることを確かめます。
"""

from __future__ import annotations

import re
from pathlib import Path

# 削る CSS（_static からの相対パスの glob）。KaTeX の CSS は、本書の数式が使わない記法（\\boxed、色、
# 大きさの指定 …）の規則を落とします（lossbook_katex が build-finished でそのたびに写し直します）
TRIMMED = ["styles/pydata-sphinx-theme.css", "styles/sphinx-book-theme.css", "mystnb.*.css", "basic.css",
           "katex/katex.min.css"]
MARK = "/* lossbook_trim_css: 使わないクラスの規則を取り除いた版 */\n"
FULL_COPY_DIR = "css-full"          # _build/ の下。削る前の CSS（検査が比べるため。ブックには入れません）

_FUNCTIONAL = re.compile(r":(?:not|is|where|has|matches|-webkit-any)\(")
_CLASS = re.compile(r"\.(-?[A-Za-z_][A-Za-z0-9_-]*)")
_WORD = re.compile(r"[A-Za-z0-9_-]+")


def split_top_level(text: str, sep: str = ",") -> list[str]:
    """括弧と引用符の外にある区切りで分けます（``a:is(.b, .c), d`` → 2 つ）。"""
    parts, depth, current, quote = [], 0, [], None
    for ch in text:
        if quote:
            current.append(ch)
            if ch == quote:
                quote = None
            continue
        if ch in "\"'":
            quote = ch
        elif ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        if ch == sep and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return parts


def _without_functional(selector: str) -> str:
    """``:not(...)`` などを、入れ子の括弧ごと取り除きます。"""
    while (m := _FUNCTIONAL.search(selector)):
        depth, i = 1, m.end()
        while i < len(selector) and depth:
            depth += {"(": 1, ")": -1}.get(selector[i], 0)
            i += 1
        selector = selector[:m.start()] + selector[i:]
    return selector


def classes_in(selector: str) -> set[str]:
    """規則が効くために要素が持っていなければならないクラス（属性セレクターの中の「.」は数えません）。"""
    plain = re.sub(r"\[[^\]]*\]", "", _without_functional(selector))
    return set(_CLASS.findall(plain))


def parse(css: str, i: int = 0) -> tuple[list, int]:
    """CSS を (前置き, 本体) の並びにします。本体は、文字列（宣言）か、@media などの中身の並びか、None（; で終わる文）。"""
    items, n = [], len(css)
    while i < n:
        while i < n and css[i] in " \n\t\r":
            i += 1
        if i >= n:
            break
        if css[i] == "}":
            return items, i + 1
        if css.startswith("/*", i):
            i = css.index("*/", i) + 2
            continue
        j, quote = i, None
        while j < n:
            ch = css[j]
            if quote:
                if ch == quote:
                    quote = None
            elif ch in "\"'":
                quote = ch
            elif ch in "{;":
                break
            j += 1
        prelude = css[i:j].strip()
        if j >= n:
            break
        if css[j] == ";":
            items.append((prelude, None))
            i = j + 1
            continue
        if prelude.startswith(("@media", "@supports", "@layer", "@container")):
            children, i = parse(css, j + 1)
            items.append((prelude, children))
            continue
        depth, k, quote = 0, j, None
        while k < n:
            ch = css[k]
            if quote:
                if ch == quote and css[k - 1] != "\\":
                    quote = None
            elif ch in "\"'":
                quote = ch
            elif ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
                if depth == 0:
                    break
            k += 1
        items.append((prelude, css[j + 1:k]))
        i = k + 1
    return items, i


def _emit(items: list, used: set[str]) -> str:
    out = []
    for prelude, body in items:
        if body is None:
            out.append(prelude + ";")
        elif isinstance(body, list):
            inner = _emit(body, used)
            if inner:
                out.append(prelude + "{" + inner + "}")
        elif prelude.startswith("@") or prelude.endswith("%") or prelude in ("from", "to"):
            out.append(prelude + "{" + body + "}")          # @font-face、@keyframes の中身 …
        else:
            kept = [s for s in split_top_level(prelude) if classes_in(s) <= used]
            if kept:
                out.append(",".join(s.strip() for s in kept) + "{" + body + "}")
    return "".join(out)


def trim(css: str, used: set[str]) -> str:
    """``used`` にないクラスを要る規則を取り除いた CSS を返します。"""
    items, _ = parse(css)
    return _emit(items, used)


def used_words(outdir: Path) -> set[str]:
    """本書の HTML のクラス名と、スクリプト（_static の .js とページ内の script）に現れる語。"""
    words: set[str] = set()
    for page in outdir.rglob("*.html"):
        text = page.read_text(encoding="utf-8", errors="ignore")
        for value in re.findall(r'class="([^"]*)"', text):
            words |= set(value.split())
        for script in re.findall(r"<script[^>]*>(.*?)</script>", text, re.S):
            words |= set(_WORD.findall(script))
    for js in (outdir / "_static").rglob("*.js"):
        words |= set(_WORD.findall(js.read_text(encoding="utf-8", errors="ignore")))
    return words


def _trim_theme_css(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    out = Path(app.outdir)
    static = out / "_static"
    full_dir = out.parent / FULL_COPY_DIR
    used = used_words(out)
    for pattern in TRIMMED:
        for path in static.glob(pattern):
            copy = full_dir / path.relative_to(static)
            css = path.read_text(encoding="utf-8")
            if css.startswith(MARK):
                # Sphinx が写し直さなかった（前のビルドで削ったまま）: 写しておいた削る前の CSS から削り直します
                css = copy.read_text(encoding="utf-8")
            else:
                copy.parent.mkdir(parents=True, exist_ok=True)
                copy.write_text(css, encoding="utf-8")
            path.write_text(MARK + trim(css, used), encoding="utf-8")


def setup(app):
    # ほかの拡張が build-finished で HTML と CSS を書き換え終えたあと（既定の優先度 500 より後）に削ります
    app.connect("build-finished", _trim_theme_css, priority=900)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
