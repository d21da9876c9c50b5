"""テスト全体で共有するもの: HTML のブックのビルド（一度だけ、ロックつき）。"""

from __future__ import annotations

import fcntl
import os
import re
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
from toc import toc_pages  # noqa: E402,F401（目次の順番。tools/build_pdf.py と共有します）
import chromium  # noqa: E402（ヘッドレス Chromium の起動と配信。tools/live_check.py・tools/build_pdf.py と共有します）
HTML = ROOT / "_build" / "html"


@pytest.fixture(scope="session")
def book() -> Path:
    """`make book` と同じコマンドでビルドし、_build/html を返します。

    pytest-xdist の複数のワーカーが同時にビルドしないよう、ファイルロックで順番にします。
    ビルドは一回のテスト実行につき一度だけです。二つめのワーカーが「変更なし」でもう一度ビルドすると、
    Sphinx が _static を書き直し、lossbook_offline がテーマの CSS を削り直すあいだに、一つめのワーカーの
    ブラウザがそれを読んでしまいます（CI で、削る前の 0.40 MB の CSS と色の対比の違反が一度出ました）。
    """
    (ROOT / "_build").mkdir(exist_ok=True)
    run_id = os.environ.get("PYTEST_XDIST_TESTRUNUID")      # xdist のワーカーで共通の、この実行の ID
    stamp = ROOT / "_build" / ".built-for-run"
    with open(ROOT / "_build" / ".build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if run_id and stamp.exists() and stamp.read_text() == run_id:
            fcntl.flock(lock, fcntl.LOCK_UN)
            return HTML                                     # ほかのワーカーがこの実行でビルドを済ませました
        stamp.unlink(missing_ok=True)
        # make book と同じ入口（lossbook が変わっていれば実行のキャッシュを消してからビルド）
        # 出力はパイプではなくファイルに受けます。ビルドが起動した子プロセス（数式を組む KaTeX の Node.js の
        # サーバー）が残ってパイプを開いたままにすると、パイプの終わりを待つ run() が止まるためです（make test が
        # 85〜98 % で止まりました）。ビルドは新しいセッションで走らせ、終わったらそのセッションに残ったものを止めます。
        with tempfile.TemporaryFile(mode="w+", encoding="utf-8") as out:
            # 保存された出力でビルドします（同じ make test の nbval が、出力が今のコードと一致することを確かめます）
            proc = subprocess.Popen([sys.executable, str(ROOT / "tools" / "build_book.py"), "--stored-outputs"], cwd=ROOT,
                                    stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
            returncode = proc.wait(timeout=1800)
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            out.seek(0)
            log = out.read()
        if returncode == 0 and "build succeeded" in log and run_id:
            stamp.write_text(run_id)
        fcntl.flock(lock, fcntl.LOCK_UN)
    assert returncode == 0, "ビルドが失敗しました（警告もエラーです）:\n" + log[-4000:]
    assert "build succeeded" in log
    return HTML


@pytest.fixture(scope="module")
def server(book):
    """ビルドした HTML を 127.0.0.1 の空いているポートで配信し、その URL を返します。"""
    with chromium.serve(book) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    """本書の検査と同じフラグで起動したヘッドレス Chromium（テストのファイルごとに 1 つ）。"""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = chromium.launch(p)
        yield b
        b.close()


# 代替テキストが「画像のファイル名やパスだけ」なら、何を示す図なのかを伝えていません
# （myst-nb は、セルのメタデータに alt がないと画像のパスを alt にします）。
_FILE_NAME_ALT = re.compile(r"^\S*\.(?:png|jpe?g|gif|svg|webp)$|_images/|^data:", re.IGNORECASE)
_JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def alt_text_problem(alt: str) -> str | None:
    """代替テキストの問題を日本語で返します（問題がなければ None）。"""
    text = alt.strip()
    if not text:
        return "代替テキストがありません"
    if _FILE_NAME_ALT.search(text):
        return f"代替テキストがファイル名だけです（{text[:60]}）"
    if not _JAPANESE.search(text) or len(text) < 10:
        return f"代替テキストが図の内容を日本語で説明していません（{text[:60]}）"
    return None


# --- テストが表示する表（検索の命中率、ページの重さ …） --------------------------------------------
# pytest-xdist のワーカーの print は表示されないので、表は _build/reports/ に書き、最後に親のプロセスが
# まとめて表示します（make test の出力の最後に出ます）。
REPORTS = ROOT / "_build" / "reports"


def write_report(name: str, text: str) -> None:
    """表 ``text`` を、make test の最後に表示するよう保存します（name は表の名前）。"""
    REPORTS.mkdir(parents=True, exist_ok=True)
    (REPORTS / f"{name}.txt").write_text(text.rstrip() + "\n", encoding="utf-8")


def pytest_sessionstart(session):
    if not hasattr(session.config, "workerinput"):       # 親のプロセスだけが、前回の表を消します
        for old in REPORTS.glob("*.txt"):
            old.unlink()


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if hasattr(config, "workerinput"):
        return
    for path in sorted(REPORTS.glob("*.txt")):
        terminalreporter.write_sep("-", path.stem)
        terminalreporter.write(path.read_text(encoding="utf-8"))
