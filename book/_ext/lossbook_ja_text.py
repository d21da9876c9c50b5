"""日本語の段落の途中にある改行を、HTML で余計な空白にしない Sphinx 拡張。

Markdown では段落の途中で改行でき、改行は HTML で空白として表示されます。
英語ならそれで自然ですが、日本語では「その まま」のように不自然な空白が入ります。
そこで、改行の前後が両方とも日本語の文字（かな・漢字・全角の記号）なら改行を取り除きます。
片側が英字や数字なら、空白のまま残します（「ロス L」のような区切りは残したいため）。
"""

from __future__ import annotations

import re

from docutils import nodes
from sphinx.transforms import SphinxTransform

_JA = r"[\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff01-\uff60]"
_BREAK = re.compile(rf"(?<={_JA})\n(?={_JA})")
_IS_JA = re.compile(_JA)
_SKIP = (nodes.literal_block, nodes.literal, nodes.math, nodes.math_block, nodes.raw, nodes.comment)


def _edge_char(node, last: bool) -> str:
    """隣の要素の、改行に接する側の 1 文字（なければ空文字）。"""
    text = node.astext() if node is not None else ""
    return (text[-1:] if last else text[:1]) if text else ""


class JoinJapaneseLines(SphinxTransform):
    default_priority = 700

    def apply(self, **kwargs) -> None:
        for text in list(self.document.findall(nodes.Text)):
            parent = text.parent
            if parent is None or isinstance(parent, _SKIP) or "\n" not in text:
                continue
            value = str(text)
            # MyST は段落内の改行を、前後と別の "\n" だけの Text として出力します。
            if value == "\n":
                index = parent.index(text)
                before = parent[index - 1] if index > 0 else None
                after = parent[index + 1] if index + 1 < len(parent) else None
                if _IS_JA.match(_edge_char(before, True)) and _IS_JA.match(_edge_char(after, False)):
                    parent.replace(text, nodes.Text(""))
                continue
            if _BREAK.search(value):
                parent.replace(text, nodes.Text(_BREAK.sub("", value)))


def setup(app):
    app.add_transform(JoinJapaneseLines)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
