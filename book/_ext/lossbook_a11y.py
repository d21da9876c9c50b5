"""テーマと myst-nb が出す HTML の、アクセシビリティの問題を直す Sphinx 拡張（WCAG 2.1 AA、axe-core で検査）。

どちらも「見えている文字」と「読み上げる名前（aria-label）」が食い違う問題（axe の
label-content-name-mismatch、WCAG 2.5.3）です。音声で操作する読者が、画面の文字を言っても押せません。

1. **検索のボタン**（pydata-sphinx-theme）: 画面には「検索 Ctrl+K」と出ますが、aria-label は「検索」です。
2. **折りたたんだセルを開くボタン**（myst-nb の ``<summary>``）: 画面には「折りたたんだセルを開く」と
   出ますが、aria-label は英語の「Toggle hidden content」です。

どちらも aria-label を取り除き、読み上げる名前を見えている文字にします。テンプレートを上書きすると
テーマの更新に追いつけなくなるので、ビルドの最後に出来上がった HTML を直します（何度実行しても同じ結果）。
"""

from __future__ import annotations

import re
from pathlib import Path

_FIXES = [
    (re.compile(r'(<button class="btn search-button-field[^"]*"[^>]*?) aria-label="[^"]*"'), r"\1"),
    (re.compile(r'<summary aria-label="Toggle hidden content">'), "<summary>"),
]


def fix_html(text: str) -> str:
    for pattern, replacement in _FIXES:
        text = pattern.sub(replacement, text)
    return text


def _fix_pages(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    for page in Path(app.outdir).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        new = fix_html(text)
        if new != text:
            page.write_text(new, encoding="utf-8")


def setup(app):
    app.connect("build-finished", _fix_pages)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
