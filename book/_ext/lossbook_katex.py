"""数式をビルドのときに KaTeX で組み、ページは CSS とフォントだけで数式を表示する Sphinx 拡張。

sphinxcontrib-katex の ``katex_prerender`` を使います。ビルドのときに Node.js で KaTeX を動かし、数式を HTML に
変えておくので、読者のブラウザでは JavaScript を動かさずに数式が読めます（MathJax の 1.16 MB を読み込みません）。

* KaTeX は npm の package-lock.json で固定した ``node_modules/katex`` のものを使います（make book が npm ci で入れます）。
  sphinxcontrib-katex に同梱された版や CDN は使いません。
* CSS とフォントは ``_static/katex/`` に置きます（オフラインで読めるように。CDN は使いません）。
* フォントは、本書の数式に現れる文字（と、画面での描き方を保つためのラテン文字・数字・ギリシャ文字）だけの
  小さな woff2 にします（fontTools、woff2 の圧縮に brotli）。KaTeX は文字の幅や高さをビルドのときに自分の表から
  決めるので、使わない字形を除いても組版は変わりません。どの数式の文字も、その文字を持っていたフォントに
  残っていることを tests/test_book.py が、元のフォントと画素まで同じに描けることを tests/test_browser.py が
  確かめます。
"""

from __future__ import annotations

import shutil
import socket
import string
import time
from html.parser import HTMLParser
from pathlib import Path
from subprocess import PIPE, Popen

from fontTools import subset as ft_subset

from sphinx.errors import ExtensionError
from sphinxcontrib import katex as sphinx_katex

ROOT = Path(__file__).resolve().parents[2]
KATEX_DIST = ROOT / "node_modules" / "katex" / "dist"


def _configure(app, config) -> None:
    if not (KATEX_DIST / "katex.min.js").exists():
        raise ExtensionError(
            f"KaTeX が見つかりません（{KATEX_DIST}）。数式をビルドのときに組むのに使います。"
            "`make book` を使うか、リポジトリで `npm ci --ignore-scripts` を実行してください（Node.js が必要です）。")
    config.katex_prerender = True
    config.katex_js_path = str(KATEX_DIST / "katex.min.js")
    config.katex_css_path = "katex/katex.min.css"
    config.html_math_renderer = "katex"


def _copy_css_and_fonts(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    target = Path(app.outdir) / "_static" / "katex"
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy2(KATEX_DIST / "katex.min.css", target / "katex.min.css")
    # katex.min.css は url(fonts/KaTeX_*.woff2) でフォントを読みます（woff2 だけで足ります）
    (target / "fonts").mkdir(exist_ok=True)
    chars = math_characters(Path(app.outdir))
    for font in (KATEX_DIST / "fonts").glob("*.woff2"):
        subset_font(font, target / "fonts" / font.name, chars)


class _MathText(HTMLParser):
    """``katex-html``（目に見える組版）の中の文字を集めます。MathML の側は読み上げ用で、フォントを使いません。"""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth, self.chars = 0, set()

    def handle_starttag(self, tag, attrs):
        if self.depth:
            self.depth += tag != "br"
        elif "katex-html" in (dict(attrs).get("class") or "").split():
            self.depth = 1

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.chars |= set(data)


def math_characters(outdir: Path) -> set[str]:
    """ビルドしたすべてのページの数式に現れる文字。"""
    parser = _MathText()
    for page in outdir.rglob("*.html"):
        parser.feed(page.read_text(encoding="utf-8"))
        parser.depth = 0
    return parser.chars


# 数式に現れなくても残す文字: ラテン文字・数字・ギリシャ文字。FreeType の自動ヒンティング（Linux の Chromium が
# 画面に描くときに使う）は、フォントのこれらの文字の形から高さのそろえ方を決めます。除くと、残した字形の
# 画面での描き方が少し変わりました（第 4 章の η で、画素の値が最大 216 違う）。残すと画素まで一致します。
HINTING_REFERENCE = {ord(c) for c in string.ascii_letters + string.digits} | set(range(0x370, 0x400))


def subset_font(source: Path, target: Path, chars: set[str]) -> None:
    """``chars`` と HINTING_REFERENCE の字形だけを残した woff2 を書きます（字形・幅・カーニングは元のまま）。"""
    options = ft_subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    font = ft_subset.load_font(str(source), options)
    subsetter = ft_subset.Subsetter(options)
    subsetter.populate(unicodes=sorted({ord(c) for c in chars} | HINTING_REFERENCE))
    subsetter.subset(font)
    ft_subset.save_font(font, str(target), options)


def _start_server_process(cls, rundir: Path, timeout: float):
    """sphinxcontrib-katex 0.9.11 の KaTeX サーバーの起動を、接続を断られたら待ってやり直すようにした版。

    元の版は、Node.js がソケットのファイルを作った時点で一度だけ接続します。Node.js はファイルを作ってから
    待ち受けを始めるので、機械が混んでいるとその間に接続して ConnectionRefusedError になり、ビルドが
    失敗しました（make test で、nbval がノートブックを実行しているのと同時にビルドしたとき）。
    """
    socket_path = rundir / "katex.sock"
    process = Popen(cls.build_command(socket=socket_path), stdin=PIPE, stdout=PIPE, cwd=rundir)
    start = time.monotonic()
    while True:
        remaining = start + timeout - time.monotonic()
        if remaining <= 0:
            process.kill()
            raise cls.timeout_error(timeout)
        if socket_path.is_socket():
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                with sphinx_katex.socket_timeout(sock, remaining):
                    sock.connect(str(socket_path))
                return process, sock
            except ConnectionRefusedError:
                sock.close()            # ファイルはあるが、まだ待ち受けていない: 少し待ってやり直します
            except socket.timeout:
                sock.close()
                process.kill()
                raise cls.timeout_error(timeout)
        time.sleep(0.005)


def setup(app):
    sphinx_katex.KaTeXServer.start_server_process = classmethod(_start_server_process)
    # 起動を待つ時間も 5 秒から延ばします（2 コアの機械で、ノートブックの実行と同時にビルドしても足りるように）
    sphinx_katex.STARTUP_TIMEOUT = 30.0
    app.setup_extension("sphinxcontrib.katex")
    app.connect("config-inited", _configure)
    app.connect("build-finished", _copy_css_and_fonts)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
