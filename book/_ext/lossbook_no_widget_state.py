"""HTML にウィジェットの状態を埋め込まない Sphinx 拡張。

ビルド時の実行（jupyter-cache → nbclient）は、作られたウィジェットの状態を
ノートブックのメタデータに保存します。myst-nb はそれを見つけると、状態の JSON
（スライダーの画像まで含む大きなもの）をページに埋め込みます。本書の HTML では
ウィジェットの代わりに静的ツインを表示するので、この状態は使われず、ページを重くするだけです。
そこで、描画の直前にメタデータから ``widgets`` を取り除きます。

(myst-nb has no option for this and nbclient's ``store_widget_state`` is not reachable
through jupyter-cache, so the renderer's finalise hook is wrapped.)
"""

from __future__ import annotations

from myst_nb.core.render import NbElementRenderer

_original_finalise = NbElementRenderer.render_nb_finalise


def _finalise_without_widget_state(self, metadata: dict) -> None:
    metadata = {key: value for key, value in metadata.items() if key != "widgets"}
    return _original_finalise(self, metadata)


def setup(app):
    NbElementRenderer.render_nb_finalise = _finalise_without_widget_state
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
