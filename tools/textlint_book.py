"""本文の日本語を textlint で検査します（`make lint`、`make test` の tests/test_textlint.py）。

textlint にはノートブックを読むプラグインがないので、このスクリプトが

1. `_toc.yml` に並んだページ（.md と .ipynb）を読み、.md は全体を、ノートブックは Markdown のセルを
   一つずつ取り出します（コードセルは検査しません）。
2. 文章でないもの（コードブロック、数式 `$…$` `$$…$$` と amsmath の環境、インラインコード、
   MyST のロール `{ref}` や置換 `{{ … }}`、ディレクティブの囲みとオプション行 `:label:` …、
   参照ラベル `(label)=`、HTML のタグ）を、行の対応を記録しながら短い印に置き換えます。
   インラインの数式は「X」、インラインコードは「C」、ロールは「R」になります。
   ディレクティブの中身（練習問題の問題文など）は文章として検査します。
   文の途中に置かれた別行立ての数式（「小さな数 $h$ を使って」＋式＋「と近似する」）は、
   前の文が句点で終わっていなければ、印「X」で前後をつないで一つの文として検査します。
3. 取り出した文章をページごとに一時ファイル（.md）にします。ノートブックの Markdown セルは順につないで
   一つの文書にします（です・ます調の統一などを章全体で数えるため）。textlint を一度だけ
   `--format json` で動かし、見つかった問題の行番号を元のファイル・セル・行に戻して、次の形で表示します。

       book/01_what_is_loss.ipynb: cell 5, line 3: <メッセージ> (<規則>)
       book/intro.md: line 12: <メッセージ> (<規則>)

   セルの番号は、コードセルも含めて上から 1, 2, 3, … と数えます。行はセルの中の行（1 から）です。

使い方:
    python tools/textlint_book.py                 # _toc.yml の全ページ（make lint と同じ）
    python tools/textlint_book.py book/intro.md   # 指定したファイルだけ（_toc.yml になくてもよい）
    python tools/textlint_book.py --masked book/01_what_is_loss.ipynb
                                                  # textlint に渡す文章（印に置き換えたあと）を見る

問題がなければ終了コード 0、問題があれば 1、textlint が入っていない・動かないときは 2 です。
textlint 本体と規則は package-lock.json で固定し、`make lint` が `npm ci` で node_modules/ に入れます。
規則の設定は .textlintrc.yml、用語の辞書は prh.yml です（理由と使い方は AUTHORS.md）。
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEXTLINT = ROOT / "node_modules" / ".bin" / "textlint"
CONFIG = ROOT / ".textlintrc.yml"

MATH = "X"   # インラインの数式・別行立ての数式の印
CODE = "C"   # インラインコードの印
ROLE = "R"   # MyST のロール（{ref}`…` など）と置換（{{ … }}）の印

# 中身がコード・数式・設定で、文章として読まないディレクティブ。
# ここにないディレクティブ（exercise, solution, note, admonition …）の中身は文章として検査します。
CODE_DIRECTIVES = {
    "code", "code-block", "sourcecode", "code-cell", "literalinclude", "math", "raw", "eval-rst",
    "toctree", "tableofcontents", "bibliography", "glue", "glue:any", "glue:figure", "glue:math",
    "mermaid", "graphviz", "csv-table", "include", "image",
}
# 引数（``` {exercise} 練習 1-1: … ``` の「練習 1-1: …」）が題で、文章として検査するディレクティブ。
# ほかのディレクティブの引数はラベルやパス（{solution} ex1-1、{figure} a.png）なので検査しません。
TITLED_DIRECTIVES = {"exercise", "admonition", "dropdown", "topic", "sidebar", "card", "tab-item"}

FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,}|:{3,})\s*(?P<info>.*?)\s*$")
DIRECTIVE = re.compile(r"^\{(?P<name>[^}\s]+)\}\s*(?P<arg>.*)$")
OPTION = re.compile(r"^\s*:[\w.-]+:")
TARGET = re.compile(r"^\s*\([^()\s]+\)=\s*$")          # (ch-what-is-loss)=
MYST_COMMENT = re.compile(r"^\s*%")                      # % コメント
BLOCK_BREAK = re.compile(r"^\s*\+\+\+")                  # +++
AMSMATH_BEGIN = re.compile(r"^\s*\\begin\{(?P<env>[A-Za-z*]+)\}")
SENTENCE_END = ("。", "．", ".", "！", "？", "!", "?", "：", ":", "」", "）")

# 段落の中の、文章でないもの（左にあるものほど先に試します）。空行はまたぎません。
_NOT_BLANK = r"(?:[^\n]|\n(?![ \t]*\n))"
INLINE = re.compile(
    r"(?P<role>\{[\w:+.-]+\}(?P<rt>`+)" + _NOT_BLANK + r"*?(?P=rt))"
    r"|(?P<code>(?P<ct>`+)" + _NOT_BLANK + r"+?(?P=ct))"
    r"|(?P<dmath>\$\$" + _NOT_BLANK + r"+?\$\$)"
    r"|(?P<math>(?<![\\$])\$(?![\s$])(?:\\.|[^$\\\n]|\n(?![ \t]*\n))+?(?<![\s\\])\$(?!\d))"
    r"|(?P<subst>\{\{" + _NOT_BLANK + r"+?\}\})"
    r"|(?P<tag></?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>\n]*)?/?>)"
)
INLINE_MARK = {"role": ROLE, "code": CODE, "dmath": MATH, "math": MATH, "subst": ROLE, "tag": ""}


@dataclass
class Part:
    """検査する文章（ページ一つ分）。ノートブックは Markdown セルを順につないで一つの文書にします
    （です・ます調の統一などを、章全体で数えるため）。"""

    path: str                          # 表示する名前（例 book/intro.md）
    lines: list[str]                   # 文章でないものを印に置き換えた行
    origin: list[tuple[int | None, int]]  # 各行が元のどのセル（1 から。.md なら None）の何行目（1 から）か


@dataclass
class Problem:
    path: str
    cell: int | None
    line: int
    message: str
    rule: str

    def __str__(self) -> str:
        where = f"cell {self.cell}, line {self.line}" if self.cell is not None else f"line {self.line}"
        return f"{self.path}: {where}: {self.message} ({self.rule})"


# --- 文章でないものを取り除く -------------------------------------------------------------

def _closing(lines: list[str], start: int, char: str, length: int) -> int:
    """start 行目以降で、囲み（char を length 個以上）を閉じる行の番号。なければ len(lines)。"""
    close = re.compile(r"^\s*" + re.escape(char) + "{" + str(length) + r",}\s*$")
    for i in range(start, len(lines)):
        if close.match(lines[i]):
            return i
    return len(lines)


def _blocks(lines: list[str], first: int) -> list[tuple[str, int]]:
    """ブロックの単位で、文章でないものを除いた (行, 元の行番号) の並びを返します。"""
    out: list[tuple[str, int]] = []
    join_next = False   # 直前に文の途中の数式を「X」でつないだ: 続く空行を飛ばす

    def last_text() -> str | None:
        for text, _ in reversed(out):
            if text.strip():
                return text.strip()
        return None

    def display_math(at: int) -> None:
        # 前の文が句点で終わっていなければ、数式を「X」にして後ろの文とつなぎます。
        nonlocal join_next
        prev = last_text()
        if prev is not None and not prev.startswith(("#", "|")) and not prev.endswith(SENTENCE_END):
            while out and not out[-1][0].strip():
                out.pop()
            out.append((MATH, at))
            join_next = True

    i = 0
    while i < len(lines):
        line, no = lines[i], first + i
        stripped = line.strip()
        if join_next and not stripped:
            i += 1
            continue
        join_next = False

        fence = FENCE.match(line)
        if fence:
            char, length = fence["fence"][0], len(fence["fence"])
            info = fence["info"]
            directive = DIRECTIVE.match(info)
            if char == ":" and not directive:
                directive = DIRECTIVE.match("{div} " + info) if info else None
            end = _closing(lines, i + 1, char, length)
            if directive is None:
                # ふつうのコードブロック: まるごと検査しません
                out.extend(("", first + k) for k in range(i, min(end + 1, len(lines))))
                i = end + 1
                continue
            name, arg = directive["name"], directive["arg"].strip()
            if name == "math":           # 別行立ての数式と同じ扱い
                display_math(no)
                i = end + 1
                continue
            if name in CODE_DIRECTIVES:
                out.extend(("", first + k) for k in range(i, min(end + 1, len(lines))))
                i = end + 1
                continue
            # 囲みの行: 題になる引数だけを見出しとして検査します
            titled = arg and (name in TITLED_DIRECTIVES or name.startswith("prf:"))
            out.append(("#### " + arg if titled else "", no))
            # オプション（--- で囲んだ YAML、または :key: value の行）
            j = i + 1
            if j < end and lines[j].strip() == "---":
                k = j + 1
                while k < end and lines[k].strip() != "---":
                    k += 1
                out.extend(("", first + m) for m in range(j, min(k + 1, end)))
                j = k + 1
            while j < end and OPTION.match(lines[j]):
                out.append(("", first + j))
                j += 1
            out.extend(_blocks(lines[j:end], first + j))
            if end < len(lines):
                out.append(("", first + end))
            i = end + 1
            continue

        if stripped.startswith("$$"):
            # 別行立ての数式 $$ … $$（一行でも、複数行でも）
            end = i
            if not re.search(r"\$\$", stripped[2:]):
                end = i + 1
                while end < len(lines) and "$$" not in lines[end]:
                    end += 1
            display_math(no)
            i = end + 1
            continue

        begin = AMSMATH_BEGIN.match(line)
        if begin and (i == 0 or not lines[i - 1].strip()):
            env_end = re.compile(r"\\end\{" + re.escape(begin["env"]) + r"\}")
            end = i
            while end < len(lines) and not env_end.search(lines[end]):
                end += 1
            display_math(no)
            i = end + 1
            continue

        if TARGET.match(line) or MYST_COMMENT.match(line) or BLOCK_BREAK.match(line):
            out.append(("", no))
        else:
            out.append((line, no))
        i += 1
    return out


def mask(text: str) -> tuple[list[str], list[int]]:
    """Markdown（MyST）の文字列から、検査する行と、その元の行番号（1 から）を返します。"""
    lines = text.split("\n")
    first = 1
    if lines and lines[0].strip() == "---":     # .md の先頭の YAML（front matter）
        end = _closing(lines, 1, "-", 3)
        lines, first = lines[end + 1:], end + 2
    entries = _blocks(lines, first)
    joined = "\n".join(text for text, _ in entries)
    origin_of_line = [no for _, no in entries]

    # 段落の中の数式・コード・ロールを印に置き換えます。印は一行なので、またいでいた改行は消え、
    # そのあとの行は元の行番号の対応を保ったまま繰り上がります。
    pieces: list[str] = []
    new_origin = [origin_of_line[0]] if origin_of_line else []
    old_line = 0
    pos = 0
    for m in INLINE.finditer(joined):
        before = joined[pos:m.start()]
        for ch in before:
            if ch == "\n":
                old_line += 1
                new_origin.append(origin_of_line[old_line])
        pieces.append(before)
        kind = next(k for k in INLINE_MARK if m.group(k) is not None)
        pieces.append(INLINE_MARK[kind])
        old_line += m.group(0).count("\n")
        pos = m.end()
    for ch in joined[pos:]:
        if ch == "\n":
            old_line += 1
            new_origin.append(origin_of_line[old_line])
    pieces.append(joined[pos:])
    return "".join(pieces).split("\n"), new_origin


# --- ページを読む ---------------------------------------------------------------------------

def toc_files() -> list[Path]:
    """_toc.yml に並んだページのファイルを順に返します（順番は tools/toc.py。PDF 版とテストと同じ）。"""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from toc import toc_pages

    docs = toc_pages()
    files = []
    for doc in docs:
        found = [ROOT / f"{doc}{ext}" for ext in (".md", ".ipynb") if (ROOT / f"{doc}{ext}").is_file()]
        if not found:
            raise SystemExit(f"_toc.yml の {doc} のファイル（.md か .ipynb）が見つかりません")
        files.append(found[0])
    return files


def display_name(path: Path) -> str:
    path = path.resolve()
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


CELL_BREAK = "<!-- lossbook: next cell -->"   # セルの境目（HTML のコメントは文章として読まれない）


def part_of(path: Path) -> Part:
    name = display_name(path)
    if path.suffix != ".ipynb":
        lines, origin = mask(path.read_text(encoding="utf-8"))
        return Part(name, lines, [(None, no) for no in origin])
    nb = json.loads(path.read_text(encoding="utf-8"))
    part = Part(name, [], [])
    for n, cell in enumerate(nb.get("cells", []), start=1):
        if cell.get("cell_type") != "markdown":
            continue
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else source
        lines, origin = mask(source)
        if part.lines:
            last = part.origin[-1]
            part.lines += ["", CELL_BREAK, ""]
            part.origin += [last, (n, 1), (n, 1)]
        part.lines += lines
        part.origin += [(n, no) for no in origin]
    return part


# --- textlint を動かす ----------------------------------------------------------------------

def _one_line(message: str) -> str:
    """規則の長い説明を、一行（はじめの 2 行分）にまとめます。

    sentence-length は一時ファイルの行番号（"Line 156 sentence length…"）を書くので、それは消します
    （正しいセルと行は報告の先頭にあります）。
    """
    message = re.sub(r"^Line \d+ ", "", message.strip())
    lines = []
    for line in message.splitlines():
        line = line.strip()
        if line.startswith("Total:"):
            break
        if line:
            lines.append(line)
    return " ".join(lines[:2])


def run_textlint(parts: list[Part]) -> list[Problem]:
    if not TEXTLINT.exists():
        raise RuntimeError("textlint が入っていません。リポジトリの直下で `make lint` を実行してください"
                           "（package-lock.json のとおりに npm ci で node_modules/ に入れます）。")
    problems: list[Problem] = []
    with tempfile.TemporaryDirectory(prefix="lossbook-textlint-") as tmp:
        by_file: dict[str, Part] = {}
        for k, part in enumerate(parts):
            if not any(line.strip() for line in part.lines):
                continue
            f = Path(tmp) / f"{k:04d}.md"
            f.write_text("\n".join(part.lines), encoding="utf-8")
            by_file[str(f.resolve())] = part
        if not by_file:
            return []
        env = dict(os.environ, NO_COLOR="1")
        result = subprocess.run(
            [str(TEXTLINT), "--config", str(CONFIG), "--format", "json", "--no-color", *by_file],
            cwd=ROOT, capture_output=True, text=True, env=env, check=False)
        try:
            report = json.loads(result.stdout)
        except json.JSONDecodeError:
            raise RuntimeError(f"textlint が動きませんでした（終了コード {result.returncode}）:\n"
                               + (result.stderr or result.stdout)[-3000:]) from None
    for entry in report:
        part = by_file[str(Path(entry["filePath"]).resolve())]
        for msg in entry["messages"]:
            line = msg.get("line") or msg.get("loc", {}).get("start", {}).get("line", 1)
            cell, origin = part.origin[min(max(line, 1), len(part.origin)) - 1]
            problems.append(Problem(part.path, cell, origin, _one_line(msg["message"]), msg["ruleId"]))
    problems.sort(key=lambda p: (p.path, p.cell or 0, p.line, p.rule))
    return problems


def lint(paths: list[Path]) -> list[Problem]:
    return run_textlint([part_of(path) for path in paths])


def show_masked(path: Path) -> None:
    """textlint が読む文章を、元のセル・行の番号つきで表示します（なぜ報告されたかを調べるとき）。"""
    part = part_of(path)
    for text, (cell, line) in zip(part.lines, part.origin):
        where = f"cell {cell:>3}, line {line:>3}" if cell is not None else f"line {line:>4}"
        print(f"{where} | {text}")


def main(argv: list[str]) -> int:
    start = time.perf_counter()
    if argv[:1] == ["--masked"]:
        for arg in argv[1:]:
            show_masked(Path(arg))
        return 0
    paths = [Path(a) for a in argv] if argv else toc_files()
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        print("ファイルがありません: " + ", ".join(missing), file=sys.stderr)
        return 2
    try:
        problems = lint(paths)
    except RuntimeError as err:
        print(err, file=sys.stderr)
        return 2
    for problem in problems:
        print(problem)
    seconds = time.perf_counter() - start
    if problems:
        print(f"\n日本語の検査: {len(problems)} 件の問題があります（{len(paths)} ファイル、{seconds:.1f} 秒）。"
              "直し方は AUTHORS.md の「日本語の検査」を見てください。")
        return 1
    print(f"日本語の検査: 問題はありません（{len(paths)} ファイル、{seconds:.1f} 秒）。")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
