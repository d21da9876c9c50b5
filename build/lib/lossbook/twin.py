"""対話型の図の「静的ツイン」: カーネルもネットワークもない HTML の中で動く版。

JupyterLab では ipywidgets のスライダーが Python を呼び出して図を描き直します。
ところが、ビルドした HTML のブックにはカーネルがありません。そこで、同じ図を
**データ + 少しの JavaScript** で再現します。

* 背景の図（曲線など、スライダーで変わらない部分）を一枚の小さな PNG にします。
* スライダーの各位置（フレーム）で、印（マーカー）をどこに置くか、どんな説明文を
  出すかを Python で前もって計算し、JSON として HTML に埋め込みます。
* ``book/assets/lossbook-twin.js`` がスライダーの動きに合わせてマーカーと説明文を
  入れ替えます。数値の計算はすべて Python 側（lossbook）で済んでいます。

A static twin is a background PNG plus per-frame marker positions and captions computed
in Python, driven by a range input and a few dozen lines of JavaScript (``book/assets/lossbook-twin.js``). No kernel, no network.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field

from .plotting import compact_png, figure_image, png_data_uri


def _compact_png(png: bytes, colors: int = 64) -> bytes:
    """静的ツインの画像を 64 色のパレット画像にします（1 ページに何十枚もの図を持つことがあるため）。"""
    return compact_png(png, colors=colors)

__all__ = ["StaticTwin", "marker_twin", "frame_twin", "data_to_percent", "WithStaticTwin"]


@dataclass
class StaticTwin:
    """HTML の中で動く静的ツイン。``_repr_html_`` で表示できます。

    Attributes
    ----------
    png : bytes
        背景の図（PNG）。
    frames : list of dict
        各フレームの ``{"markers": [[left%, top%], ...], "caption": str, "value": str}``。
        ``left%``/``top%`` は画像の左上を原点とした百分率です（画像の大きさが変わっても
        位置がずれないように）。図そのものがフレームごとに変わるときは、``"src"`` に
        そのフレームの画像（data URI）を入れ、``markers`` は空にします（:func:`frame_twin`）。
    slider_label : str
        スライダーの名前（例「首都に与える確率」）。
    alt : str
        背景画像の代替テキスト（画像が見えない読者のため。空にはできません）。
    initial : int
        最初に表示するフレームの番号。
    hint : str
        「何に注目して動かすか」を一文で。
    """

    png: bytes
    frames: list
    slider_label: str
    alt: str
    initial: int = 0
    hint: str = ""
    marker_colors: list = field(default_factory=lambda: ["#ff7f0e"])

    def __post_init__(self):
        if not self.frames:
            raise ValueError("frames が空です。スライダーの位置を 1 つ以上渡してください。")
        if not self.alt.strip():
            raise ValueError("alt が空です。画像の内容を説明する代替テキストを渡してください。")
        if not 0 <= self.initial < len(self.frames):
            raise ValueError(
                f"initial が {self.initial} ですが、フレームは 0〜{len(self.frames) - 1} "
                "番しかありません。範囲内の番号を渡してください。")

    def to_html(self) -> str:
        """自己完結した HTML 片を返します（外部への読み込みはありません）。"""
        first = self.frames[self.initial]
        frames = [dict(frame) for frame in self.frames]
        if first.get("src"):
            # 最初の図は <img> にすでに入っているので、JSON には二度書きません（null = <img> の最初の図）
            frames[self.initial]["src"] = None
        data = {"frames": frames, "colors": self.marker_colors}
        # </script> で JSON が途切れないように "</" をエスケープします。
        payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
        markers = "".join(
            f'<span class="lb-twin-marker" style="left:{x:.2f}%;top:{y:.2f}%;'
            f'background:{self.marker_colors[i % len(self.marker_colors)]}"></span>'
            for i, (x, y) in enumerate(first["markers"]))
        hint = f'<p class="lb-twin-hint">{html.escape(self.hint)}</p>' if self.hint else ""
        return (
            '<figure class="lb-twin">'
            f"{hint}"
            '<div class="lb-twin-stage">'
            f'<img src="{png_data_uri(self.png)}" alt="{html.escape(self.alt)}">'
            f"{markers}</div>"
            '<div class="lb-twin-controls"><label>'
            f'<span class="lb-twin-label">{html.escape(self.slider_label)}</span> '
            f'<input type="range" min="0" max="{len(self.frames) - 1}" step="1" '
            f'value="{self.initial}" aria-valuetext="{html.escape(first["value"])}">'
            f'<output class="lb-twin-value">{html.escape(first["value"])}</output></label></div>'
            # 説明文は、スライダーを動かすたびに読み上げます（aria-live）
            f'<figcaption class="lb-twin-caption" aria-live="polite">{html.escape(first["caption"])}</figcaption>'
            f'<script type="application/json" class="lb-twin-data">{payload}</script>'
            "</figure>"
        )

    def _repr_html_(self) -> str:
        return self.to_html()


def frame_twin(pngs, captions, values, *, slider_label, alt, initial=0, hint="") -> StaticTwin:
    """フレームごとに図そのものを差し替える静的ツインを作ります。

    曲線や棒の形がスライダーで変わる図（外れ値を動かすと回帰直線が動く、など）に使います。
    フレームごとに PNG を一枚ずつ持つので、:func:`marker_twin` より重くなります。
    フレームは 10〜20 枚程度、図は小さめ（``new_figure(figsize=(5, 3))`` など）にしてください。

    Parameters
    ----------
    pngs : list of bytes or PIL.Image.Image
        フレームごとの図の PNG（:func:`lossbook.plotting.figure_to_png`）か画像
        （:func:`lossbook.plotting.figure_image`）。ここで 64 色に減らします。
        エクスプローラーは図を 1 枚だけ持って描き換えるので、図ではなく描いた結果を受け取ります。
    captions, values : list of str
        フレームごとの説明文と、スライダーの値の表示。
    """
    if not (len(pngs) == len(captions) == len(values)):
        raise ValueError(
            f"pngs（{len(pngs)} 個）・captions（{len(captions)} 個）・values（{len(values)} 個）"
            "の数がそろっていません。フレームごとに一つずつ渡してください。")
    pngs = [_compact_png(png) for png in pngs]
    frames = [{"markers": [], "src": png_data_uri(png), "caption": str(cap), "value": str(val)}
              for png, cap, val in zip(pngs, captions, values)]
    return StaticTwin(png=pngs[initial] if 0 <= initial < len(pngs) else b"", frames=frames,
                      slider_label=slider_label, alt=alt, initial=initial, hint=hint)


def data_to_percent(fig, ax, x, y):
    """データ座標 (x, y) を、画像の左上を原点とする百分率 (left%, top%) に直します。"""
    px, py = ax.transData.transform((x, y))
    width, height = fig.canvas.get_width_height()
    return [round(100.0 * px / width, 2), round(100.0 * (1.0 - py / height), 2)]


def marker_twin(fig, ax, points, captions, values, *, slider_label, alt, initial=0,
                hint="", marker_colors=None) -> StaticTwin:
    """背景の図の上を印が動く静的ツインを作ります。

    Parameters
    ----------
    fig, ax : matplotlib の Figure と Axes
        背景の図。印（マーカー）はここには描かず、座標だけを渡します。
    points : list
        フレームごとの印の位置（データ座標）。1 フレームにつき ``[(x, y), ...]``。
    captions : list of str
        フレームごとの説明文（図の下に出ます）。
    values : list of str
        フレームごとのスライダーの値の表示（例「0.60」）。

    Returns
    -------
    StaticTwin
    """
    if not (len(points) == len(captions) == len(values)):
        raise ValueError(
            f"points（{len(points)} 個）・captions（{len(captions)} 個）・values（{len(values)} 個）"
            "の数がそろっていません。フレームごとに一つずつ渡してください。")
    # 座標変換は描画後のレイアウトで決まるので、先に一度描画してから変換します。
    png = _compact_png(figure_image(fig))
    frames = [
        {"markers": [data_to_percent(fig, ax, x, y) for (x, y) in pts],
         "caption": str(cap), "value": str(val)}
        for pts, cap, val in zip(points, captions, values)
    ]
    return StaticTwin(png=png, frames=frames, slider_label=slider_label, alt=alt,
                      initial=initial, hint=hint,
                      marker_colors=marker_colors or ["#ff7f0e"])


class WithStaticTwin:
    """ipywidgets のウィジェットと、その静的ツインを一つの出力にまとめます。

    JupyterLab はウィジェット（``application/vnd.jupyter.widget-view+json``）を表示し、
    HTML のブックはウィジェットを表示しない設定（``_config.yml`` の
    ``nb_mime_priority_overrides``）なので、同じ出力の ``text/html``（静的ツイン）を
    表示します。こうして一つのセルで両方の読者に動く図を届けます。
    """

    def __init__(self, widget, twin: StaticTwin, text: str):
        self.widget = widget
        self.twin = twin
        self.text = text

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = {}
        widget_bundle = self.widget._repr_mimebundle_()
        if widget_bundle:
            bundle.update(widget_bundle)
        bundle["text/html"] = self.twin.to_html()
        # text/plain は実行のたびに変わらない説明にします（nbval が比較するため）。
        bundle["text/plain"] = self.text
        return bundle
