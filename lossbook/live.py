"""HTML のブックの「このページのコードをブラウザで動かす」の Python 側です（ブラウザの中の Pyodide で動きます）。

ページの JavaScript（``book/live/lossbook-live-runtime.js``）は、セルのコードを Web Worker
（``book/live/lossbook-live-worker.js``）の中の :func:`run_cell` に渡し、返ってきた JSON（出力の並び）を表示します。出力の種類は次のとおりです。

* ``{"type": "stream", "name": "stdout" | "stderr", "text": ...}``: print と警告。
* ``{"type": "image", "png": base64, "alt": ...}``: セルが pyplot で描いた図（インライン表示と同じ切り抜き）。
* ``{"type": "html", "html": ...}`` と ``{"type": "text", "text": ...}``: 最後の式の値の表示。
* ``{"type": "widget", "tree": ...}``: エクスプローラーや ipywidgets のウィジェット。ウィジェットは本物の
  ipywidgets の部品のままで、ページの JavaScript は、スライダー・画像・HTML を最小限に描くだけです。
  スライダーが動くと :func:`widget_event` を呼び、Python のコールバック（``observe``）が図と説明文を
  描き直します。変わった部品の新しい状態を JSON で返します。
* ``{"type": "error", "ename": ..., "evalue": ..., "traceback": ...}``: 例外（lossbook のエラーは日本語です）。

セルは一つの名前空間（ノートブックのカーネルと同じ）で上から順に実行します。CPython でも動くので、
テスト（``tests/test_live.py``）はここをそのまま確かめます。
"""

from __future__ import annotations

import ast
import base64
import html
import io
import json
import os
import sys
import traceback

__all__ = ["setup", "run_cell", "widget_event", "reset"]

#: セルが共有する名前空間（ノートブックのカーネルの名前空間にあたります）
NAMESPACE: dict = {"__name__": "__main__"}
#: 表示したウィジェットの部品（model_id → 部品）と、JavaScript にまだ知らせていない状態の変化
_WIDGETS: dict = {}
_CHANGED: dict = {}
_OBSERVED: set = set()


def setup() -> None:
    """最初に一度だけ呼びます。図は画面のないバックエンド（Agg）で描き、セルのあとで PNG にして返します。

    バックエンドは :mod:`lossbook.plotting_browser` です。Agg と同じように描き、``plt.show()`` は何もしません
    （ただの Agg だと、``plt.show()`` のたびに「non-interactive」の警告が stderr に出ます）。
    """
    os.environ.setdefault("MPLBACKEND", "module://lossbook.plotting_browser")


def reset() -> None:
    """名前空間とウィジェットを空にします（テストと「最初から実行し直す」ため）。"""
    NAMESPACE.clear()
    NAMESPACE["__name__"] = "__main__"
    _WIDGETS.clear()
    _CHANGED.clear()
    _OBSERVED.clear()


class _Stream(io.TextIOBase):
    """print の出力を、出力の並びに順に足していく書き込み先です（続けて書いた分は一つにまとめます）。"""

    def __init__(self, outputs: list, name: str):
        self.outputs, self.name = outputs, name

    def write(self, text: str) -> int:
        if text:
            last = self.outputs[-1] if self.outputs else None
            if last and last["type"] == "stream" and last["name"] == self.name:
                last["text"] += text
            else:
                self.outputs.append({"type": "stream", "name": self.name, "text": text})
        return len(text)


def run_cell(code: str) -> str:
    """セルのコードを実行し、出力の並びを JSON の文字列で返します。"""
    outputs: list = []
    out, err = _Stream(outputs, "stdout"), _Stream(outputs, "stderr")
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    try:
        value = _execute(code)
        _collect_figures(outputs)
        if value is not None:
            outputs.append(_display(value))
    except BaseException as exc:  # noqa: BLE001（学習者のコードの例外は、出力として見せます）
        _close_figures()
        outputs.append(_error(exc))
    finally:
        sys.stdout, sys.stderr = saved
    return json.dumps(outputs, ensure_ascii=False)


def _execute(code: str):
    """コードを実行し、最後の文が式ならその値を返します（ノートブックと同じ）。"""
    tree = ast.parse(code, filename="<セル>", mode="exec")
    last = None
    if tree.body and isinstance(tree.body[-1], ast.Expr):
        last = ast.Expression(tree.body.pop().value)
    exec(compile(tree, "<セル>", "exec"), NAMESPACE)  # noqa: S102（読者が書いたセルを実行するための関数です）
    if last is None:
        return None
    value = eval(compile(last, "<セル>", "eval"), NAMESPACE)  # noqa: S307
    # ノートブックと同じく、セミコロンで終わる行は表示しません
    return None if code.rstrip().endswith(";") else value


#: よくある間違いに添える、日本語の一言（lossbook のエラーは、はじめから日本語で直し方まで書いてあります）
HINTS = {
    "NameError": "この名前はまだ作られていません。上のセルを先に実行しましたか？（「上から順にすべて実行」で"
                 "まとめて実行できます）",
    "SyntaxError": "書き方の誤りです。かっこや引用符の閉じ忘れ、コロン（:）の付け忘れ、字下げの誤り、"
                   "全角の文字（（）：＝ や全角の空白）が混じっていないかを確かめてください。",
    "IndentationError": "字下げ（行の先頭の空白）がそろっていません。同じかたまりの行は、同じ数の空白で始めます。"
                        "全角の空白が混じっていないかも確かめてください。",
    "ModuleNotFoundError": "ブラウザで実行するときに使えるのは、numpy・matplotlib・ipywidgets・lossbook と Python の"
                           "標準ライブラリだけです。ほかのライブラリを使うコードは、手元の JupyterLab で実行してください。",
}


def _error(exc: BaseException) -> dict:
    """例外を、読者のセルの行とメッセージ（traceback）と、ライブラリの中までの全部（detail）に分けて返します。"""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename != __file__]   # _execute 自身は見せません
    user = [f for f in frames if f.filename == "<セル>"]
    message = "".join(traceback.format_exception_only(type(exc), exc))
    hint = HINTS.get(type(exc).__name__, "")
    return {"type": "error", "ename": type(exc).__name__, "evalue": str(exc), "hint": hint,
            "traceback": "".join(traceback.format_list(user)) + message,
            "detail": "".join(traceback.format_list(frames)) + message if len(frames) > len(user) else ""}


# --- 図 ------------------------------------------------------------------------------------

def _figure_alt(fig) -> str:
    """図の題と軸の名前から代替テキストを作ります（ページの JavaScript は、静的な版の同じ図の alt を優先します）。"""
    parts = []
    for ax in fig.axes:
        title = ax.get_title()
        xlabel, ylabel = ax.get_xlabel(), ax.get_ylabel()
        words = [f"「{title}」" if title else "図"]
        if xlabel or ylabel:
            words.append(f"（横軸 {xlabel or 'なし'}、縦軸 {ylabel or 'なし'}）")
        parts.append("".join(words))
    return "セルが描いた図: " + "、".join(parts) if parts else "セルが描いた図"


def _collect_figures(outputs: list) -> None:
    """セルが pyplot で作った図を、インライン表示と同じ PNG にして出力に足し、閉じます。"""
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is None:
        return
    from .plotting import inline_png  # 図を描いたセルのあとでだけ読み込みます（matplotlib は重いため）

    for number in pyplot.get_fignums():
        fig = pyplot.figure(number)
        outputs.append({"type": "image", "png": base64.b64encode(inline_png(fig)).decode("ascii"),
                        "alt": _figure_alt(fig)})
    pyplot.close("all")


def _close_figures() -> None:
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        pyplot.close("all")


# --- 値の表示 ---------------------------------------------------------------------------------

def _display(value) -> dict:
    widget = _as_widget(value)
    if widget is not None:
        return {"type": "widget", "tree": _serialize(widget, alt=_widget_alt(value))}
    if hasattr(value, "_repr_html_"):
        rendered = value._repr_html_()
        if rendered is not None:
            return {"type": "html", "html": rendered}
    if hasattr(value, "_repr_markdown_"):
        rendered = value._repr_markdown_()
        if rendered is not None:
            return {"type": "html", "html": markdown_table_html(rendered)}
    return {"type": "text", "text": repr(value)}


def _as_widget(value):
    """値が ipywidgets の部品か、部品を持つエクスプローラーなら、その部品を返します。"""
    widgets = sys.modules.get("ipywidgets")
    if widgets is None:
        return None
    if isinstance(value, widgets.Widget):
        return value
    inner = getattr(value, "widget", None)
    return inner if isinstance(inner, widgets.Widget) else None


def _widget_alt(value) -> str:
    alt = getattr(value, "alt_text", None)
    return alt() if callable(alt) else "スライダーを動かすと描き直される図"


def _inline_markdown(text: str) -> str:
    """表のセルの中の **太字** と `コード` を HTML にします（ほかの文字はエスケープします）。"""
    import re

    escaped = html.escape(text)
    escaped = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", escaped)
    return re.sub(r"`(.+?)`", r"<code>\1</code>", escaped)


def markdown_table_html(text: str) -> str:
    """Markdown の表（``| a | b |`` の行）を HTML の表にします。表でない行は段落にします。"""
    rows = [line.strip() for line in text.strip().splitlines()]
    if len(rows) >= 2 and all(r.startswith("|") for r in rows) and set(rows[1]) <= set("|-: "):
        cells = [[_inline_markdown(c.strip()) for c in r.strip("|").split("|")] for r in rows]
        head = "".join(f"<th>{c}</th>" for c in cells[0])
        body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in cells[2:])
        return f'<table class="lb-live-table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
    return "".join(f"<p>{html.escape(r)}</p>" for r in rows if r)


# --- ウィジェット ------------------------------------------------------------------------------

def _serialize(widget, alt: str = "") -> dict:
    """ipywidgets の部品を、ページの JavaScript が描ける形（入れ子の辞書）にします。知らない部品は文字で示します。"""
    import ipywidgets as w

    _WIDGETS[widget.model_id] = widget
    node = {"id": widget.model_id}
    if isinstance(widget, w.Box):
        node.update(kind="box", children=[_serialize(child, alt) for child in widget.children])
    elif isinstance(widget, (w.SelectionSlider, w.SelectionRangeSlider)):
        node.update(kind="slider", label=widget.description, options=list(widget._options_labels),
                    index=widget.index)
    elif isinstance(widget, (w.IntSlider, w.FloatSlider)):
        node.update(kind="number", label=widget.description, min=widget.min, max=widget.max,
                    step=widget.step, value=widget.value)
    elif isinstance(widget, w.Image):
        node.update(kind="image", alt=alt, width=widget.layout.width or "", **_image_state(widget))
    elif isinstance(widget, (w.HTML, w.HTMLMath, w.Label)):
        node.update(kind="html", html=widget.value if not isinstance(widget, w.Label)
                    else html.escape(widget.value))
    else:
        node.update(kind="html", html=html.escape(f"（このウィジェット {type(widget).__name__} はブラウザでは表示できません）"))
    if node["kind"] in ("slider", "number", "image", "html") and widget.model_id not in _OBSERVED:
        widget.observe(_remember_change, names="value")
        _OBSERVED.add(widget.model_id)
    return node


def _image_state(widget) -> dict:
    return {"src": f"data:image/{widget.format};base64," + base64.b64encode(widget.value).decode("ascii")}


def _remember_change(change) -> None:
    _CHANGED[change["owner"].model_id] = change["owner"]


def _state(widget) -> dict:
    import ipywidgets as w

    if isinstance(widget, w.Image):
        return _image_state(widget)
    if isinstance(widget, (w.SelectionSlider, w.SelectionRangeSlider)):
        return {"index": widget.index}
    if isinstance(widget, (w.IntSlider, w.FloatSlider)):
        return {"value": widget.value}
    if isinstance(widget, w.Label):
        return {"html": html.escape(widget.value)}
    return {"html": widget.value}


def widget_event(model_id: str, value) -> str:
    """ページのスライダーが動いたときに呼ばれます。部品の値を変え（コールバックが走ります）、変わった部品の状態を返します。

    Returns
    -------
    str
        ``[{"id": ..., "state": {...}}, ...]`` の JSON。コールバックが例外を出したら ``{"error": ...}`` を足します。
    """
    import ipywidgets as w

    widget = _WIDGETS.get(model_id)
    if widget is None:
        return json.dumps([{"error": "このスライダーはもう使えません（Python を起動し直したためです）。図を作ったセルをもう一度実行してください。"}],
                          ensure_ascii=False)
    _CHANGED.clear()
    updates = []
    try:
        if isinstance(widget, (w.SelectionSlider, w.SelectionRangeSlider)):
            widget.index = int(value)
        else:
            widget.value = value
    except Exception as exc:  # noqa: BLE001（コールバックの例外も、読者に見せます）
        updates.append({"error": "".join(traceback.format_exception_only(type(exc), exc))})
    updates[:0] = [{"id": mid, "state": _state(wid)} for mid, wid in _CHANGED.items()]
    _CHANGED.clear()
    return json.dumps(updates, ensure_ascii=False)
