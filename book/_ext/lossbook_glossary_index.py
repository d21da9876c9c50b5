"""用語集（book/glossary.md）の表から、用語を定義したページに索引項目を付ける Sphinx 拡張。

用語集の各行は「日本語 | 英語 | 記号 | 意味 | 定義した場所」です。「定義した場所」の列に
リンクされたページに、その用語（日本語と英語、括弧の中の別名も）の索引項目を加えます。
「ほかの呼び方」の表（「本書の用語 | ほかの呼び方」）の名前も、同じページの索引項目にします。
ほかの本の呼び方（交差エントロピー など）で検索しても、本書の用語を定義したページが先に見つかります。

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


def read_aliases(path: Path) -> dict[str, list[str]]:
    """「ほかの呼び方」の名前 → 本書の用語を定義したページ（検索のテストが使います）。"""
    return _read(path)[1]


def read_glossary(path: Path) -> dict[str, list[str]]:
    """docname（例 "book/04_mse"）→ そのページで定義した用語の一覧。"""
    return _read(path)[0]


def _read(path: Path) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """用語集を読み、（docname → 用語の一覧, ほかの呼び方 → docname の一覧）を返します。"""
    terms: dict[str, list[str]] = {}
    symbol_docs: dict[str, list[str]] = {}     # "$\theta$" → その記号を定義したページ
    readings: list[tuple[str, str]] = []       # 記号表の（記号, 読み）
    aliases: list[tuple[str, list[str]]] = []  # ほかの呼び方の表の（本書の用語, 別名の一覧）
    docs_of: dict[str, list[str]] = {}         # 用語の名前 → 定義したページ
    for line in path.read_text(encoding="utf-8").splitlines():
        cols = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cols) == 3 and cols[0].startswith("$") and cols[1]:
            readings.append((cols[0], cols[1]))   # 記号表: | 記号 | 読み | 意味 |
            continue
        if len(cols) == 2 and line.lstrip().startswith("|") and cols[0] not in ("本書の用語", "") \
                and not set(cols[0]) <= set("-: "):
            aliases.append((cols[0], [a.strip() for a in cols[1].split("、") if a.strip()]))
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
            for n in [*names, cols[0].strip()]:      # 表の日本語の欄そのもの（「前向き／逆向きの …」）でも引けます
                docs_of.setdefault(n, [])
                if docname not in docs_of[n]:
                    docs_of[n].append(docname)
    # ほかの呼び方は、本書の用語を定義したページの項目にします（用語が表にない行は誤りです）
    alias_docs: dict[str, list[str]] = {}
    for term, others in aliases:
        # 「KL 情報量」「順方向 KL」は空白なしでも打たれるので、英字と日本語の間の空白を詰めた形も加えます
        others = list(dict.fromkeys(others + [re.sub(r"(?<=[A-Za-z0-9-]) (?=[^A-Za-z0-9 ])|(?<=[^A-Za-z0-9 ]) (?=[A-Za-z0-9])", "", o)
                                              for o in others]))
        if term not in docs_of:
            raise ValueError(f"用語集の「ほかの呼び方」の {term!r} が、用語の表にありません。")
        for docname in docs_of[term]:
            terms[docname] += [a for a in others if a not in terms[docname]]
        for a in others:
            alias_docs.setdefault(a, [])
            alias_docs[a] += [d for d in docs_of[term] if d not in alias_docs[a]]
    # 記号の読み（シータ、イータ …）は、その記号を定義したページの項目にします
    for symbol, reading in readings:
        for docname in symbol_docs.get(symbol, []):
            terms.setdefault(docname, [])
            if reading not in terms[docname]:
                terms[docname].append(reading)
    return terms, alias_docs


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
