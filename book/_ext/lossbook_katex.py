"""数式をビルドのときに KaTeX で組み、ページは CSS とフォントだけで数式を表示する Sphinx 拡張。

sphinxcontrib-katex の ``katex_prerender`` を使います。ビルドのときに Node.js で KaTeX を動かし、数式を HTML に
変えておくので、読者のブラウザでは JavaScript を動かさずに数式が読めます（MathJax の 1.16 MB を読み込みません）。

* KaTeX は npm の package-lock.json で固定した ``node_modules/katex`` のものを使います（make book が npm ci で入れます）。
  sphinxcontrib-katex に同梱された版や CDN は使いません。
* CSS とフォントは ``_static/katex/`` に置きます（オフラインで読めるように。CDN は使いません）。
"""

from __future__ import annotations

import shutil
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


def setup(app):
    app.setup_extension("sphinxcontrib.katex")
    app.connect("config-inited", _configure)
    app.connect("build-finished", _copy_css_and_fonts)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
