"""本文の日本語の検査（textlint と用語の辞書 prh.yml、tools/textlint_book.py）。

* 本（_toc.yml の全ページ）が検査を通ること。通らなければ、検査の報告をそのまま見せて失敗します。
* 検査が本当に落ちること: 文体の誤りと、辞書にない書き方の用語をわざと入れたノートブックと .md を検査し、
  それぞれが正しいファイル・セル・行で報告されることを確かめます。
* 数式・コード・ディレクティブのオプションを文章として読まないことと、行の対応が保たれることも確かめます。

Node.js（node と npm）がなければ、理由を表示して飛ばします。textlint 本体は package-lock.json のとおりに
`make test` / `make lint` が node_modules/ に入れます（pytest を直接動かしたときは、ここで同じ規則を呼びます）。
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys

import nbformat
import pytest

from conftest import ROOT

pytestmark = pytest.mark.lint

TOOL = ROOT / "tools" / "textlint_book.py"
REPORT = re.compile(r"^(?P<path>.+?): (?:cell (?P<cell>\d+), )?line (?P<line>\d+): (?P<message>.+) \((?P<rule>[^()]+)\)$")


def _load_tool():
    spec = importlib.util.spec_from_file_location("textlint_book", TOOL)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module      # dataclass が自分のモジュールを引けるように
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def textlint():
    missing = [cmd for cmd in ("node", "npm") if shutil.which(cmd) is None]
    if missing:
        pytest.skip(f"Node.js（{'・'.join(missing)}）がないので、日本語の検査（textlint）を飛ばしました。"
                    "Node.js 20 以上を入れる（Debian: apt-get install nodejs npm）と、make test がこの検査も行います。")
    # make test / make lint は先に入れ終えています。pytest を直接動かしたときのために同じ規則を呼びます
    # （package-lock.json が変わっていなければ何もしません）。
    result = subprocess.run(["make", "--no-print-directory", "node_modules/.lossbook-installed"],
                            cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, "textlint を入れられませんでした（npm ci）:\n" + result.stdout + result.stderr
    return TOOL


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(TOOL), *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=600, check=False)


def _reports(stdout: str) -> list[dict]:
    found = []
    for line in stdout.splitlines():
        m = REPORT.match(line)
        if m:
            found.append({"path": m["path"], "cell": int(m["cell"]) if m["cell"] else None,
                          "line": int(m["line"]), "message": m["message"], "rule": m["rule"]})
    return found


def test_the_book_passes(textlint):
    result = _run()
    assert result.returncode == 0, (
        "本文の日本語の検査で問題が見つかりました（直し方は AUTHORS.md の「日本語の検査」）:\n"
        + result.stdout + result.stderr)
    assert "問題はありません" in result.stdout


def _bad_notebook(path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        # cell 1: 問題のない文（報告されない）
        nbformat.v4.new_markdown_cell("(ch-test)=\n# 第9章 テスト\n\n問題のない文です。"),
        # cell 2: コードセルは検査しない（数えるだけ）
        nbformat.v4.new_code_cell("# 交差エントロピーすることができます。\nx = 1"),
        # cell 3: 読点が 5 つある文（3 行目）
        nbformat.v4.new_markdown_cell(
            "一行目は問題のない文です。\n\nこの文は、読点が、とても、多くて、長くて、読みにくいです。"),
        # cell 4: 数式のブロックのあとの冗長な表現（7 行目）。数式の中は検査しない
        nbformat.v4.new_markdown_cell(
            "確率 $p$ を使います。\n\n$$\n\\text{交差エントロピー}\n$$\n\n"
            "この式で計算することができます。"),
        # cell 5: です・ます調の中に である調（3 行目）
        nbformat.v4.new_markdown_cell("本文はです・ます調で書きます。\n\nここだけはである調で書いたのである。"),
        # cell 6: 辞書にない書き方の用語（1, 3, 5 行目）と、許される「損失関数とも呼びます」（7 行目）
        nbformat.v4.new_markdown_cell(
            "`x` の交差エントロピーを求めます。\n\n損失関数を最小化します。\n\n"
            "モデルのパラメーターを動かします。\n\nロス関数は損失関数とも呼びます。"),
        # cell 7: ディレクティブの中身は文章として検査し、オプション行は検査しない（5 行目）
        nbformat.v4.new_markdown_cell(
            "```{exercise} 練習 9-1: ロス\n:label: ex9-1\n:nonumber:\n\n"
            "最急降下法で $\\theta$ を動かしてください。\n```"),
        # cell 8: 第2版で決めた書き方（1〜15 行目の奇数行）。見出しの「学習目標」（17 行目）はそのまま
        nbformat.v4.new_markdown_cell(
            "予測と目標の差です。\n\nロスは 0.5 nats です。\n\n縦軸は対数目盛です。\n\n二段の図です。\n\n"
            "重みづけした平均です。\n\n二つの値です。\n\n20 件のデータです。\n\n確率、 ロスです。\n\n学習目標を読みます。"),
    ]
    nbformat.write(nb, path)


BAD_MD = """\
# 題

NumPy で計算します。

```python
# コードブロックの中の 交差エントロピー と Numpy は検査しません
```

{ref}`交差エントロピー <ch-test>` のロールも検査しません。$\\text{損失関数}$ の数式も検査しません。
"""


def test_style_and_term_errors_are_reported_at_the_right_place(textlint, tmp_path):
    nb_path = tmp_path / "09_bad.ipynb"
    md_path = tmp_path / "bad.md"
    _bad_notebook(nb_path)
    md_path.write_text(BAD_MD, encoding="utf-8")
    result = _run(str(nb_path), str(md_path))
    assert result.returncode == 1, result.stdout + result.stderr
    reports = _reports(result.stdout)
    where = {(r["path"], r["cell"], r["line"], r["rule"]) for r in reports}
    nb, md = str(nb_path), str(md_path)
    tw = "ja-technical-writing/"
    expected = {
        (nb, 3, 3, tw + "max-ten"),
        (nb, 4, 7, tw + "ja-no-redundant-expression"),
        (nb, 5, 3, tw + "no-mix-dearu-desumasu"),
        (nb, 6, 1, "prh"),
        (nb, 6, 3, "prh"),
        (nb, 6, 5, "prh"),
        (nb, 7, 5, "prh"),
        *((nb, 8, line, "prh") for line in (1, 3, 5, 7, 9, 11, 13, 15)),
        (nb, 8, 11, tw + "arabic-kanji-numbers"),   # 「二つ」はプリセットの規則も見つけます
        (md, None, 3, "prh"),
    }
    assert expected <= where, "報告されるべき問題が見つかりません:\n" + result.stdout
    # これ以外は報告されない（問題のない文、コード、数式、ロール、許される「損失関数とも」）
    assert where == expected, "余計な報告があります:\n" + result.stdout
    messages = {(r["cell"], r["line"]): r["message"] for r in reports if r["rule"] == "prh"}
    assert messages[(6, 1)] == "交差エントロピー => クロスエントロピー"
    assert messages[(6, 3)] == "損失関数 => ロス関数"
    assert messages[(6, 5)] == "パラメーター => パラメータ"
    assert messages[(7, 5)] == "最急降下法 => 勾配降下法"
    assert messages[(None, 3)] == "NumPy => numpy"
    assert messages[(8, 1)] == "目標 => 正解"
    assert messages[(8, 3)] == "nats => nat"
    assert messages[(8, 5)] == "対数目盛 => 対数目盛り"
    assert messages[(8, 7)] == "二段 => 2 段"
    assert messages[(8, 9)] == "重みづけ => 重み付け"
    assert messages[(8, 11)] == "二つ => 2 つ"
    assert messages[(8, 13)] == "20 件 => 20 個"
    # 表示の形: 「ファイル: cell N, line L: メッセージ (規則)」
    assert f"{nb}: cell 6, line 3: 損失関数 => ロス関数 (prh)" in result.stdout.splitlines()
    assert "件の問題があります" in result.stdout


def test_masking_keeps_line_numbers():
    """数式・コード・ロール・オプション行を印に置き換えても、元の行番号に戻せること（Node.js は不要）。"""
    tool = _load_tool()
    source = ("(label)=\n# 題\n\n```{note}\n:class: tip\n\nです。`a`\nと $x\ny$ の\n話です。\n```\n\n"
              "小さな数 $h$ を使って\n\n$$\nL\n$$\n\nと近似します。\n\n```python\nx = 1\n```\n最後の文です。")
    lines, origin = tool.mask(source)
    assert len(lines) == len(origin)
    seen = {text: no for text, no in zip(lines, origin) if text.strip()}
    assert seen["# 題"] == 2
    assert seen["です。C"] == 7
    assert seen["と X の"] == 8        # 二行にまたがる数式は一つの印になる
    assert seen["話です。"] == 10
    assert seen["小さな数 X を使って"] == 13
    assert seen["X"] == 15           # 文の途中の別行立ての数式は、前後の文をつなぐ印になる
    assert seen["と近似します。"] == 19
    assert seen["最後の文です。"] == 24
    text = "\n".join(lines)
    for not_prose in ("label", ":class:", "{note}", "x = 1", "$", "`"):
        assert not_prose not in text
    # 文の途中の数式では、前後が空行をはさまない一つの段落になる
    joined = text.split("小さな数 X を使って\n", 1)[1]
    assert joined.startswith("X\nと近似します。")
