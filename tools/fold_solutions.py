"""練習問題の解答を JupyterLab でも折りたたむための、JupyterLab だけの見出しを入れます（何度実行しても同じ結果）。

使い方: ``python tools/fold_solutions.py book/*.ipynb``（ノートブックを書き換えます）。
``--check`` を付けると書き換えず、直す必要があれば終了コード 1 で知らせます（テストで使います）。

HTML のブックでは、解答は sphinx-exercise の ``:class: dropdown`` で折りたたまれます。JupyterLab は
このディレクティブを知らないので、何もしなければ解答の文章もコードの出力も問題のすぐ下に見えてしまいます。
そこで JupyterLab の「見出しの折りたたみ」を使います。

* 各問題の前に ``### 練習 1-1: …`` の見出しのセルを入れます。
* 各解答（``{solution}`` か ``{solution-start}`` で始まるセル）の前に ``#### 練習 1-1 の解答`` の見出しの
  セルを入れ、折りたたんだ状態（``jp-MarkdownHeadingCollapsed``）で保存します。JupyterLab は、
  この見出しから次の同じか上の階層の見出し（次の問題の見出しか「自己チェック」）までのセルを、
  コードのセルとその出力も含めて隠し、「N cells hidden」のボタンを出します。
* 入れた見出しのセルには ``remove-cell`` のタグを付けます。MyST-NB はこのセルを HTML に出さないので、
  HTML のブックは変わりません。目印として ``lossbook-fold`` のタグも付けます（入れ直すときに使います）。
* 問題と解答が 1 つのセルに書いてあれば、ディレクティブの境目でセルを分けます。

jupyterlab-myst を使わない理由: jupyterlab-myst はマークダウンのセルを 1 つずつ描くので、
``{solution-start}`` と ``{solution-end}`` にはさまれたコードのセル（と出力）を折りたためません。
"""

from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path

import nbformat

TAG = "lossbook-fold"
_DIRECTIVE = re.compile(r"^```\{(exercise|solution|solution-start)\}\s*(.*)$")


def _cell_id(*parts: str) -> str:
    """内容から決まるセルの id（実行するたびに変わらないように）。"""
    return hashlib.sha1("\0".join(parts).encode()).hexdigest()[:12]


def _split_markdown(source: str) -> list[str]:
    """問題・解答のディレクティブの始まりの行の前でセルを分けます（コードの囲みの中は分けません）。"""
    pieces: list[list[str]] = [[]]
    depth = 0
    for line in source.split("\n"):
        if line.startswith("```"):
            opening = line.strip() != "```"
            if opening and depth == 0 and _DIRECTIVE.match(line) and any(x.strip() for x in pieces[-1]):
                pieces.append([])
            depth = depth + 1 if opening else max(depth - 1, 0)
        pieces[-1].append(line)
    return ["\n".join(p).strip("\n") for p in pieces if "\n".join(p).strip()]


def _heading(text: str, collapsed: bool, key: str) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_markdown_cell(text)
    cell.id = _cell_id("fold", key, text)
    cell.metadata["tags"] = ["remove-cell", TAG]
    if collapsed:
        cell.metadata["jp-MarkdownHeadingCollapsed"] = True
    return cell


def fold(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    cells = [c for c in nb.cells if TAG not in c.metadata.get("tags", [])]
    out: list = []
    for cell in cells:
        pieces = _split_markdown(cell.source) if cell.cell_type == "markdown" else [cell.source]
        for i, piece in enumerate(pieces):
            if i == 0:
                part = cell
                part.source = piece
            else:
                part = nbformat.v4.new_markdown_cell(piece)
                part.id = _cell_id(cell.id, str(i), piece[:80])
            m = _DIRECTIVE.match(piece.split("\n", 1)[0]) if part.cell_type == "markdown" else None
            if m and m.group(1) == "exercise":
                out.append(_heading(f"### {m.group(2).strip()}", False, m.group(2)))
            elif m:
                label = m.group(2).strip()
                number = label.removeprefix("ex").lstrip("-").upper()
                out.append(_heading(f"#### 練習 {number} の解答", True, label))
            out.append(part)
    nb.cells = out
    return nb


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    for name in [a for a in argv if a != "--check"]:
        path = Path(name)
        before = path.read_text(encoding="utf-8")
        nb = fold(nbformat.reads(before, as_version=4))
        after = nbformat.writes(nb) + "\n"
        if after != before:
            stale.append(name)
            if not check:
                path.write_text(after, encoding="utf-8")
    if check and stale:
        print("解答の折りたたみの見出しを入れ直す必要があります: python tools/fold_solutions.py " + " ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
