"""図のハウススタイル（日本語フォント・大きさ・色）を一か所で決めるモジュール。

ノートブックは最初に ``from lossbook import plotting`` と書くだけで、
日本語のラベルが文字化け（□）せずに描けるようになります。
``import lossbook`` だけでは matplotlib を読み込みません（コアを軽く保つため）。

House style for every figure in the book: the Japanese font (IPAexGothic from
matplotlib-fontja, falling back to DejaVu Sans for symbols it lacks), a modest size
and DPI so stored outputs stay small, and the book's colours.
"""

from __future__ import annotations

import base64
import io

import matplotlib

# pyplot を先に読み込みます。Jupyter ではここでインライン表示が有効になり、
# その後で設定する rcParams が上書きされずに残ります。
import matplotlib.pyplot as plt  # noqa: E402
import matplotlib_fontja  # noqa: E402,F401  IPAexGothic を matplotlib に登録します
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

__all__ = ["COLORS", "FONT_FAMILY", "use_house_style", "new_figure", "figure_to_png",
           "canvas_image", "figure_image", "compact_png", "inline_png", "png_data_uri"]

#: 日本語は IPAexGothic、IPAexGothic にない記号（∑ など）は DejaVu Sans で描きます。
FONT_FAMILY = ["IPAexGothic", "DejaVu Sans"]

#: 本書で使う色。正解は緑、予測は青、強調はオレンジ、と意味をそろえます。
COLORS = {
    "curve": "#1f77b4",     # 曲線・予測
    "correct": "#2ca02c",   # 正解
    "accent": "#ff7f0e",    # いま注目している点
    "muted": "#7f7f7f",     # 補助線
}

#: 図の大きさ（インチ）と解像度。保存される出力を小さく保つため控えめにします。
FIGSIZE = (6.0, 3.6)
DPI = 90


def use_house_style() -> None:
    """本書の図の設定を matplotlib に適用します（import 時に一度呼ばれます）。"""
    matplotlib.rcParams.update({
        "font.family": FONT_FAMILY,
        "mathtext.fontset": "dejavusans",
        "figure.figsize": FIGSIZE,
        "figure.dpi": DPI,
        "savefig.dpi": DPI,
        "figure.constrained_layout.use": True,
        "axes.grid": True,
        "grid.alpha": 0.3,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.titlesize": 12,
        "axes.labelsize": 11,
        "legend.fontsize": 10,
        "legend.frameon": False,
        # 保存する PNG にタイムスタンプなどを入れず、実行のたびに同じバイト列にします。
        "savefig.bbox": None,
    })


def new_figure(nrows: int = 1, ncols: int = 1, figsize=None):
    """pyplot を通さない Figure と Axes を作ります。

    ウィジェットや静的ツインの画像は、セルの出力に勝手に表示されては困るので、
    pyplot の「今の図」を使わずに Figure を直接作ります。

    Returns
    -------
    fig : matplotlib.figure.Figure
    ax : Axes または Axes の配列（``plt.subplots`` と同じ形）
    """
    fig = Figure(figsize=figsize or FIGSIZE, dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.subplots(nrows, ncols)
    return fig, axes


def figure_to_png(fig) -> bytes:
    """Figure を PNG のバイト列にします（メタデータなしで、毎回同じバイト列）。"""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=fig.dpi, metadata={"Software": None})
    return buf.getvalue()


def canvas_image(fig, mode: str = "RGB"):
    """描画ずみのキャンバスの画素を、描き直さずに PIL の画像にします（mode は "RGB" か "RGBA"）。"""
    from PIL import Image  # matplotlib が依存しているので、いつも入っています

    width, height = fig.canvas.get_width_height()
    image = Image.frombuffer("RGBA", (width, height), fig.canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    return image if mode == "RGBA" else image.convert(mode)


def figure_image(fig):
    """Figure を一度だけ描いて、PIL の RGB 画像にします（:func:`figure_to_png` と同じ画素）。

    静的ツインのフレームのように、描いてすぐ :func:`compact_png` で色を減らす図に使います。
    PNG に書いて読み直す手間（と ``savefig`` の 2 回目の描画）を省けるので、2 倍ほど速くなります。
    """
    fig.canvas.draw()
    return canvas_image(fig)


def compact_png(png, colors: int = 64) -> bytes:
    """PNG（バイト列、または PIL の画像）をパレット画像（colors 色）にして小さくします。

    線と文字の図なら見た目はほぼ同じです。ノートブックに保存する出力と HTML のページを軽く保つため
    （1 ページ 3 MB 未満）に使います。同じ入力からは同じバイト列ができます。
    """
    from PIL import Image  # matplotlib が依存しているので、いつも入っています

    image = png.convert("RGB") if isinstance(png, Image.Image) else Image.open(io.BytesIO(png)).convert("RGB")
    small = image.quantize(colors=colors, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    out = io.BytesIO()
    small.save(out, format="PNG", optimize=True)
    return out.getvalue()


def inline_png(fig) -> bytes:
    """ノートブックのセルに表示する図の PNG です（インライン表示と同じ切り抜きで、128 色に減らします）。"""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, bbox_inches="tight", metadata={"Software": None})
    return compact_png(buf.getvalue(), colors=128)


def _use_compact_inline_png() -> None:
    """IPython の中なら、セルに表示する matplotlib の図を小さな PNG にします。

    何もしなければ、インライン表示は 24 ビットの PNG を保存します。図の多い章では、画像だけで
    ページが数百 KB 増えるので、パレット画像にして半分ほどにします（見た目はほとんど変わりません）。
    IPython の外（スクリプトやテスト）では何もしません。
    """
    try:
        from IPython import get_ipython
    except ImportError:  # IPython のない環境
        return
    shell = get_ipython()
    if shell is None:
        return
    if "inline" in str(matplotlib.rcParams._get("backend")):
        # インライン表示の設定は、最初の図を作るときに「PNG は print_figure で」と登録し直します。
        # 先にそのモジュールを読み込んで登録をすませ、そのあとで自分の関数に差し替えます。
        import matplotlib_inline.backend_inline  # noqa: F401
    # base64 の文字列で返します。ふつうの Jupyter のカーネルはバイト列も base64 にしますが、JupyterLite の
    # Pyodide のカーネルはしないので、バイト列のままだと図が壊れます（どちらのカーネルでも保存される出力は同じです）
    shell.display_formatter.formatters["image/png"].for_type(
        Figure, lambda fig: base64.b64encode(inline_png(fig)).decode("ascii"))


def png_data_uri(png: bytes) -> str:
    """PNG のバイト列を HTML の ``<img src=...>`` に直接書ける data URI にします。"""
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


use_house_style()
_use_compact_inline_png()
