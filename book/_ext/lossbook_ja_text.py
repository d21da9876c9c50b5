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


class JoinJapaneseLines(SphinxTransform):
    default_priority = 700

    def apply(self, **kwargs) -> None:
        for text in list(self.document.findall(nodes.Text)):
            parent = text.parent
            if isinstance(parent, (nodes.literal_block, nodes.literal, nodes.math, nodes.math_block,
                                   nodes.raw, nodes.comment)):
                continue
            if "\n" in text and _BREAK.search(text):
                parent.replace(text, nodes.Text(_BREAK.sub("", str(text))))


def setup(app):
    app.add_transform(JoinJapaneseLines)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
