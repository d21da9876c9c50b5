"""エクスプローラー（対話型の図）の共通の骨組みです。

どのエクスプローラーも、上から「何に注目して動かすかの一文 → 操作部品（スライダー）→ 図 → 説明文」と
並べ、操作部品が動くたびに ``update`` を呼んで図と説明文を描き直します。表示するときは、JupyterLab には
ウィジェットを、HTML のブックには ``static_twin`` が作る静的ツインを出します
（:class:`lossbook.twin.WithStaticTwin`）。

サブクラスが書くのは次の 3 つだけです。

* ``__init__``: 操作部品を作り、``self._build([部品, …])`` を呼び、最初の値で ``self.update(…)`` を呼びます。
* ``update(値, …)``: 操作部品の値（部品の順）を受け取り、``self._show(図, 説明文)`` を呼びます。
* ``static_twin()``: 同じ範囲・刻みのフレームの静的ツインを返します。

クラス属性 ``HINT``（注目点の一文）と ``TEXT``（テキストしか出せないところに出す説明）も書きます。
"""

from __future__ import annotations

import html

import ipywidgets as w

from ..plotting import figure_to_png
from ..twin import WithStaticTwin

__all__ = ["Explorer"]


class Explorer:
    """エクスプローラーの基底クラスです（このクラスだけでは何も描きません）。"""

    #: 操作部品の上に斜体で出す「何に注目して動かすか」の一文
    HINT = ""
    #: ウィジェットも静的ツインも表示できないところ（テキストだけの表示）に出す説明
    TEXT = ""
    #: 図の表示幅（px）。図は PNG の実寸で出します（幅いっぱいに引き伸ばしません）
    IMAGE_WIDTH = 540

    def _build(self, controls, hint: str | None = None, image_width: int | None = None) -> None:
        """図と説明文の部品を作り、注目点・操作部品・図・説明文を縦に並べたウィジェットを組み立てます。

        操作部品のどれかが動くと、全部の部品の値を部品の順に ``update`` へ渡します。
        """
        width = image_width or self.IMAGE_WIDTH
        self.image = w.Image(format="png", layout=w.Layout(width=f"{width}px", height="auto"))
        self.caption = w.HTML()
        self.widget = w.VBox([w.HTML(f"<i>{html.escape(hint or self.HINT)}</i>"),
                              *controls, self.image, self.caption])
        for control in controls:
            control.observe(lambda change: self.update(*(c.value for c in controls)), names="value")

    def _show(self, fig, caption: str) -> None:
        """図（matplotlib の Figure）と説明文を表示し直します。"""
        self.image.value = figure_to_png(fig)
        self.caption.value = html.escape(caption)

    def update(self, *values) -> None:  # pragma: no cover - サブクラスが書きます
        raise NotImplementedError

    def static_twin(self):  # pragma: no cover - サブクラスが書きます
        raise NotImplementedError

    def plain_text(self) -> str:
        """テキストだけの表示に出す説明です（既定はクラス属性 TEXT）。"""
        return self.TEXT

    def _repr_mimebundle_(self, include=None, exclude=None):
        return WithStaticTwin(self.widget, self.static_twin(), self.plain_text())._repr_mimebundle_()
