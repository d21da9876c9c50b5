"""HTML を「静的なファイルだけで動く」ように保つ Sphinx 拡張。

1. **ウィジェットの状態を埋め込まない。** ビルド時の実行（jupyter-cache → nbclient）は、
   作られたウィジェットの状態をノートブックのメタデータに保存し、myst-nb はそれを
   （スライダーの画像まで含めて）ページに埋め込みます。本書の HTML ではウィジェットの代わりに
   静的ツインを表示するので、この状態は使われず、ページを重くするだけです。
   myst-nb にも jupyter-cache にもこれを止める設定がないので、描画の直前にメタデータから
   ``widgets`` を取り除きます。
2. **Thebe（Binder でコードを動かす機能）を読み込まない。** Jupyter Book は sphinx_thebe を
   必ず有効にし、その設定スクリプトがページに二重に入ってコンソールにエラーを出します。
   本書はネットワークなしで読む前提で、Thebe は外部のサーバーが必要なので使いません。
   sphinx_thebe のイベントの受け取り手を外して、スクリプトを入れないようにします。
3. **アイコン用の fontawesome.js（1.5 MB）を読み込まない。** pydata-sphinx-theme は、アイコンを
   SVG に置き換える JavaScript をすべてのページで読み込みます。同じアイコンは CSS と
   Web フォント（fa-solid-900.woff2）でも表示されるので、この JavaScript はページを重くする
   だけです（本書は 1 ページ 3 MB 未満を守ります）。ビルドの最後に script タグとファイルを取り除きます。
4. **検索の索引（searchindex.js、0.3 MB）を検索のページだけで読み込む。** pydata-sphinx-theme は、入力中に
   結果を出す検索のために、すべてのページで searchtools.js・language_data.js・searchindex.js を読み込みます。
   本書はその機能を切っており（検索語を入れて Enter で検索のページへ移ります）、索引を使うのは検索のページ
   だけです。ほかのページからは、この 3 つの script タグを取り除きます。
"""

from __future__ import annotations

import re
from pathlib import Path

from myst_nb.core.render import NbElementRenderer

_original_finalise = NbElementRenderer.render_nb_finalise


def _finalise_without_widget_state(self, metadata: dict) -> None:
    metadata = {key: value for key, value in metadata.items() if key != "widgets"}
    return _original_finalise(self, metadata)


def _remove_thebe(app) -> None:
    """sphinx_thebe のイベントの受け取り手と、setup で登録された CSS を取り除きます。"""
    for event, listeners in app.events.listeners.items():
        listeners[:] = [lst for lst in listeners
                        if not getattr(lst.handler, "__module__", "").startswith("sphinx_thebe")]
    # CSS は静的ファイルの置き場所（これも受け取り手が登録する）と対なので、残すと 404 になります
    app.registry.css_files[:] = [(name, attrs) for name, attrs in app.registry.css_files
                                 if name != "sphinx-thebe.css"]


_FONTAWESOME_TAG = re.compile(r'<script[^>]*src="[^"]*_static/scripts/fontawesome\.js[^"]*"[^>]*></script>\s*')


_SEARCH_TAGS = re.compile(
    r'[ \t]*<script src="[^"]*(?:_static/searchtools\.js|_static/language_data\.js|searchindex\.js)"></script>\n?')


def _drop_fontawesome_js(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    out = Path(app.outdir)
    for page in out.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        new = _FONTAWESOME_TAG.sub("", text)
        if page != out / "search.html":
            new = _SEARCH_TAGS.sub("", new)
        if new != text:
            page.write_text(new, encoding="utf-8")
    for leftover in (out / "_static" / "scripts").glob("fontawesome.js*"):
        leftover.unlink()


def setup(app):
    NbElementRenderer.render_nb_finalise = _finalise_without_widget_state
    _remove_thebe(app)
    app.connect("build-finished", _drop_fontawesome_js)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
