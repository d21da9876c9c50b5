"""図の日本語が文字化けしないこと（グリフ欠落の警告が出ないこと）を確かめます。"""

import warnings

from matplotlib import font_manager

from lossbook import plotting
from lossbook.figures import plot_loss_vs_probability
from lossbook.plotting import figure_to_png, new_figure


def test_japanese_font_is_ipaexgothic():
    path = font_manager.findfont(font_manager.FontProperties(family=plotting.FONT_FAMILY))
    assert path.endswith("ipaexg.ttf"), path


def test_figures_render_japanese_and_math_without_missing_glyphs():
    fig, ax = new_figure()
    with warnings.catch_warnings():
        warnings.simplefilter("error")        # "Glyph ... missing from font(s)" は UserWarning
        plot_loss_vs_probability(ax)
        ax.set_title("正解に与えた確率とロス ∑ −log p（首都）")
        ax.legend()
        png = figure_to_png(fig)
    assert png.startswith(b"\x89PNG")


def test_png_bytes_are_reproducible():
    def draw():
        fig, ax = new_figure()
        plot_loss_vs_probability(ax)
        return figure_to_png(fig)
    assert draw() == draw()


def test_inline_png_is_a_small_palette_image():
    # セルに表示する図は 128 色のパレット画像にして、保存する出力とページを軽く保ちます
    import io

    import numpy as np
    from PIL import Image

    from lossbook import plotting

    fig, ax = plotting.new_figure(figsize=(8, 3.4))
    x = np.linspace(0, 1, 200)
    ax.contour(np.outer(x, x) * 10, levels=20)
    small = plotting.inline_png(fig)
    full = plotting.figure_to_png(fig)
    image = Image.open(io.BytesIO(small))
    assert image.mode == "P" and len(image.getcolors()) <= 128
    assert len(small) < len(full) / 2
    assert plotting.inline_png(fig) == small  # 同じ図からは同じバイト列


def test_notebook_png_formatter_returns_base64_text():
    """ノートブックに出す図の PNG は base64 の文字列で返します（JupyterLite の Pyodide のカーネルは、
    バイト列を base64 にしないので、バイト列だと図が壊れます）。"""
    import base64

    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    try:
        plotting._use_compact_inline_png()
        fig, ax = plotting.new_figure(figsize=(2, 2))
        ax.plot([0, 1], [0, 1])
        data, _ = shell.display_formatter.format(fig)
        assert isinstance(data["image/png"], str)
        assert base64.b64decode(data["image/png"])[:8] == b"\x89PNG\r\n\x1a\n"
    finally:
        InteractiveShell.clear_instance()
