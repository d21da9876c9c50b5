"""ヘッドレス Chromium でブックを読む道具の共通部分（テスト、make test-live、make pdf が使います）。

* ``CHROMIUM``: Debian の Chromium の場所（.ci/run が ``apt-get install chromium`` で入れます）。
* ``CHROMIUM_ARGS``: 閉じたネットワークでも外へ問い合わせないためのフラグ。指定しないと Chromium は
  起動のときに更新や同期のサーバーへ問い合わせ、ネットワークのない機械では待たされます。
* ``serve(directory)``: フォルダを 127.0.0.1 の空いているポートで配信し、その URL を返します（``with`` で使います）。
* ``launch(playwright)``: 上の二つで Chromium を起動します。
* ``stay_on_loopback(context, offsite)``: ループバック（127.0.0.1）の外へのリクエストを拒み、その URL を記録します。
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import shutil
import threading
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
MISSING = ("Chromium がありません。有効にするには `apt-get install chromium fonts-noto-cjk` を実行してください"
           "（CI の .ci/run は自動で入れます）。")


def have_chromium() -> bool:
    return Path(CHROMIUM).exists()


def cannot_read_book(html: Path | str) -> str | None:
    """ビルドした本（``html``）か Chromium がなければ、その理由と直し方を日本語で返します（そろっていれば None）。"""
    if not (Path(html) / "book" / "intro.html").exists():
        return "HTML のブックがありません。先に `make book` を実行してください。"
    if not have_chromium():
        return MISSING
    return None


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # テストや表の出力を汚さない
        pass


@contextlib.contextmanager
def serve(directory: Path | str) -> Iterator[str]:
    """``directory`` を配信し、``http://127.0.0.1:ポート`` を返します。``with`` を抜けると止めます。"""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def stay_on_loopback(context, offsite: list | None = None) -> None:
    """ブラウザのコンテキストのリクエストのうち、ループバックの外へ行くものを拒み、``offsite`` に記録します。

    本はネットワークなしで読めなければならないので、検査は外へ出ようとしたことも失敗として扱えます。
    """
    def route(r):
        if urllib.parse.urlparse(r.request.url).hostname in ("127.0.0.1", "localhost"):
            r.continue_()
        else:
            if offsite is not None:
                offsite.append(r.request.url)
            r.abort("blockedbyclient")

    context.route("**/*", route)


def launch(playwright, **kwargs):
    """本書の検査と同じフラグでヘッドレス Chromium を起動します。"""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True, **kwargs)
