"""用語集（book/glossary.md）の表から、用語を定義したページに索引項目を付ける Sphinx 拡張。

用語集の各行は「日本語 | 英語 | 記号 | 意味 | 定義した場所」です。「定義した場所」の列に
リンクされたページに、その用語（日本語と英語、括弧の中の別名も）の索引項目を加えます。

* 検索: Sphinx の検索は、検索語が索引項目と一致するページをいちばん上に出します。
  本文のどこにでも出てくる用語（勾配降下法、ロジット …）でも、定義したページが先に見つかります。
* 索引（genindex）: 用語から定義したページへ飛べます。

用語集が唯一の情報源なので、章のノートブックに索引用の記法（JupyterLab では読めない）を書かずに済みます。
"""

from __future__ import annotations

import re
from pathlib import Path

from docutils import nodes
from sphinx import addnodes

_LINK = re.compile(r"\[[^\]]*\]\(([^)#]+?)(?:\.ipynb|\.md)\)")
_PAREN = re.compile(r"[（(]([^）)]*)[）)]")


def _names(cell: str) -> list[str]:
    """「平均二乗誤差（MSE）」→ [平均二乗誤差, MSE]、「mean squared error, MSE」→ 2 つ。"""
    cell = cell.strip().replace("`", "")
    if not cell or "$" in cell:
        return []
    inner = _PAREN.findall(cell)
    outer = _PAREN.sub("", cell)
    out = []
    for part in [outer, *inner]:
        out += [p.strip() for p in re.split(r"[,、／/]", part) if p.strip()]
    return out


def read_glossary(path: Path) -> dict[str, list[str]]:
    """docname（例 "book/04_mse"）→ そのページで定義した用語の一覧。"""
    terms: dict[str, list[str]] = {}
    symbol_docs: dict[str, list[str]] = {}     # "$\theta$" → その記号を定義したページ
    readings: list[tuple[str, str]] = []       # 記号表の（記号, 読み）
    for line in path.read_text(encoding="utf-8").splitlines():
        cols = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cols) == 3 and cols[0].startswith("$") and cols[1]:
            readings.append((cols[0], cols[1]))   # 記号表: | 記号 | 読み | 意味 |
            continue
        if len(cols) < 5 or cols[0] in ("日本語", "") or set(cols[0]) <= set("-: "):
            continue
        if cols[2].startswith("$") and cols[2].endswith("$"):
            symbol_docs.setdefault(cols[2], []).extend(
                str(Path("book") / t) for t in _LINK.findall(cols[-1]))
        names = _names(cols[0]) + _names(cols[1])
        # 「KL ダイバージェンス」は「KLダイバージェンス」とも打たれるので、空白を詰めた形も加えます
        names += [re.sub(r"(?<=[A-Za-z-]) (?=[^A-Za-z])", "", n) for n in names]
        names = list(dict.fromkeys(names))
        for target in _LINK.findall(cols[-1]):
            docname = str(Path("book") / target)
            terms.setdefault(docname, [])
            terms[docname] += [n for n in names if n not in terms[docname]]
    # 記号の読み（シータ、イータ …）は、その記号を定義したページの項目にします
    for symbol, reading in readings:
        for docname in symbol_docs.get(symbol, []):
            terms.setdefault(docname, [])
            if reading not in terms[docname]:
                terms[docname].append(reading)
    return terms


def _add_index(app, doctree) -> None:
    docname = app.env.docname
    terms = app.env.lossbook_glossary_terms.get(docname, [])
    if not terms:
        return
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is None or not section["ids"]:
        return
    entries = [("single", term, section["ids"][0], "main", None) for term in terms]
    section.insert(0, addnodes.index(entries=entries))


def _load(app) -> None:
    env = app.env
    env.lossbook_glossary_terms_old = getattr(env, "lossbook_glossary_terms", {})
    env.lossbook_glossary_terms = read_glossary(Path(app.srcdir) / "book" / "glossary.md")


def _outdated(app, env, added, changed, removed):
    """項目を付けるページを、ビルドのたびに読み直させます（ページ自体は変わっていなくても）。

    Sphinx 7.4 の検索索引は、差分ビルドで読み直さなかったページの索引項目（indexentries）を
    searchindex.js に残しません（1 章だけ直して `make book` すると、ほかの章の用語が検索で上位に
    出なくなりました）。そこで、用語集が項目を付けるページは毎回読み直します。ノートブックの実行は
    キャッシュから読むので、読み直しは数秒です。
    """
    new = env.lossbook_glossary_terms
    return [doc for doc in new if doc in env.found_docs]


def setup(app):
    app.connect("builder-inited", _load)
    app.connect("env-get-outdated", _outdated)
    app.connect("doctree-read", _add_index)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
