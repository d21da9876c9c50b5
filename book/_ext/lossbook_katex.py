"""数式をビルドのときに KaTeX で組み、ページは CSS とフォントだけで数式を表示する Sphinx 拡張。

sphinxcontrib-katex の ``katex_prerender`` を使います。ビルドのときに Node.js で KaTeX を動かし、数式を HTML に
変えておくので、読者のブラウザでは JavaScript を動かさずに数式が読めます（MathJax の 1.16 MB を読み込みません）。

* KaTeX は npm の package-lock.json で固定した ``node_modules/katex`` のものを使います（make book が npm ci で入れます）。
  sphinxcontrib-katex に同梱された版や CDN は使いません。
* CSS とフォントは ``_static/katex/`` に置きます（オフラインで読めるように。CDN は使いません）。
* sphinxcontrib-katex は数式を組むために Node.js のサーバーを起動し、終了の処理を atexit に任せます。
  そのサーバーがビルドの stderr を受け継ぐと、ビルドが終わっても残ったサーバーが stderr を開いたままにし、
  ビルドの出力を読むテスト（``subprocess.run(capture_output=True)``）が終わりを待ち続けました
  （make test が 85〜98 % で止まり、残ったサーバーを止めると進みました）。そこで、サーバーの stderr を
  受け継がせず、ビルドの最後にサーバーを止めます。
"""

from __future__ import annotations

import functools
import shutil
import subprocess
from pathlib import Path

from sphinx.errors import ExtensionError

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
    for font in (KATEX_DIST / "fonts").glob("*.woff2"):
        shutil.copy2(font, target / "fonts" / font.name)


def _stop_server(app, exception) -> None:
    """数式を組む Node.js のサーバーを、ビルドの最後に止めます（atexit を待たずに）。"""
    from sphinxcontrib import katex

    server = katex.KaTeXServer.katex_server
    if server is not None:
        katex.KaTeXServer.katex_server = None
        server.terminate()


def setup(app):
    app.setup_extension("sphinxcontrib.katex")
    from sphinxcontrib import katex

    # サーバーにビルドの stderr を受け継がせません（上の説明）。KaTeX の組版の誤りはソケットで返ります
    if not isinstance(katex.Popen, functools.partial):
        katex.Popen = functools.partial(subprocess.Popen, stderr=subprocess.DEVNULL)
    app.connect("build-finished", _stop_server)
    app.connect("config-inited", _configure)
    app.connect("build-finished", _copy_css_and_fonts)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
