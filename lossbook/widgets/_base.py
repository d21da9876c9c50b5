"""エクスプローラー（対話型の図）のひな形です。

どのエクスプローラーも、上から「何に注目して動かすかの一文 → スライダー → 図 → 説明文」と並び、
スライダーが動くたびに図と説明文を描き直します。表示するときは、JupyterLab にはウィジェットを、
HTML のブックには静的ツイン（:mod:`lossbook.twin`）を出します。

サブクラスが書くのは、次の 4 つだけです（役割ごとに、どのエクスプローラーでも同じ名前です）。

* ``make_controls()``: スライダーを :class:`Control` の並びで宣言します（名前・表示名・取りうる位置）。
* ``make_figure()``: 図（:func:`lossbook.plotting.new_figure`）を一度だけ作り、線や棒などの部品を
  ``self`` に覚えておきます。
* ``draw(**値)``: スライダーの値（``Control.name`` をキーワードにして渡ります）に合わせて、
  覚えておいた部品を書き換えます。図を作り直しません。
* ``caption_for(**値)``: その値の説明文を返します。

あとは基底クラスが受け持ちます。

* 組み立て（注目点・スライダー・図・説明文）と、スライダーが動いたときの描き直し（:meth:`Explorer.update`）。
* 最初の位置（渡された値に一致するスライダーの位置）。
* 静的ツイン（:meth:`Explorer.static_twin`）: ``TWIN_CONTROL`` のスライダーの全位置をフレームにします。
  ``self.moving`` の部品がどれも 1 点の印（``Line2D``）で ``TWIN_KIND = "markers"`` なら、背景の図 1 枚と
  印の位置だけを持つ軽いツイン、そうでなければフレームごとに図を持つツインです。

**速さのための決まり。** 図は 1 枚を使い回し、最初の配置（constrained layout）を一度計算したら固定します。
``self.moving`` に「値で変わる部品」を並べると、それ以外（背景）は一度だけ描いて覚え、動くたびに背景を
貼ってから動く部品だけを描きます（ブリッティング）。背景の一部が値で変わる図（軸の範囲や題など）は、
それを決める値を ``background_key(**値)`` で返すと、背景をその値ごとに覚えます。
``self.moving`` が空なら、毎回図全体を描き直します。静的ツインのフレームも、ウィジェットと同じこの描き方で描きます。
"""

from __future__ import annotations

import html
import io
from contextlib import contextmanager
from dataclasses import dataclass

import ipywidgets as w
import numpy as np
from matplotlib.colors import to_hex
from matplotlib.text import Text

from .._validation import check_number
from ..plotting import DPI, canvas_image, compact_png, figure_image
from ..twin import StaticTwin, WithStaticTwin, data_to_percent, frame_twin

__all__ = ["Control", "Explorer"]


@dataclass(frozen=True)
class Control:
    """エクスプローラーのスライダー一つの宣言です。

    Attributes
    ----------
    name : str
        値を ``draw`` と ``caption_for`` に渡すときのキーワード（例 ``"p"``）。
    label : str
        スライダーの表示名（例「p(首都)」）。
    positions : tuple
        スライダーの取りうる値を小さい順に全部。静的ツインのフレームも同じ値です。
    value_format : str
        値の表示の書式（例 ``"{:.2f}"``）。スライダーの読み取り表示とツインの両方に使います。
    continuous : bool
        ドラッグ中も描き直すか（重い図は False にして、離したときだけ描き直します）。
    width : str
        スライダーの幅（CSS の長さ）。
    """

    name: str
    label: str
    positions: tuple
    value_format: str = "{}"
    continuous: bool = True
    width: str = "420px"

    def __post_init__(self):
        if len(self.positions) == 0:
            raise ValueError(f"Control {self.name!r} の positions が空です。スライダーの位置を 1 つ以上並べてください。")

    @classmethod
    def steps(cls, name, label, start, stop, step, value_format="{}", **options):
        """start から stop まで step 刻みの位置を持つスライダーです（端を含みます）。

        刻みの誤差で 0.30000000000000004 のような値にならないよう、10 桁で丸めます。
        """
        n = int(round((stop - start) / step)) + 1
        positions = tuple(float(v) for v in np.round(np.linspace(start, stop, n), 10))
        return cls(name, label, positions, value_format, **options)

    def text(self, value) -> str:
        """値の表示（例「0.20」）。"""
        return self.value_format.format(value)

    def index_of(self, value) -> int:
        """値に一致する位置の番号を返します。どの位置とも一致しなければ ValueError です。"""
        value = check_number(value, self.name)
        index = int(np.argmin([abs(float(p) - value) for p in self.positions]))
        if abs(float(self.positions[index]) - value) > 1e-9 * max(1.0, abs(value)):
            if len(self.positions) <= 20:
                wanted = "、".join(self.text(p) for p in self.positions) + " のどれか"
            else:
                step = float(self.positions[1]) - float(self.positions[0])
                wanted = (f"{self.text(self.positions[0])} から {self.text(self.positions[-1])} まで"
                          f"の {step:g} 刻みの値")
            raise ValueError(f"{self.name} には {wanted}を渡してください（{self.name} = {value!r} が渡されました）。"
                             "スライダーの位置と静的ツインのフレームを同じにするためです。")
        return index


def _png_of_canvas(fig) -> bytes:
    """描画ずみのキャンバスを、そのまま PNG にします（ウィジェット用。速さを優先して圧縮は軽くします）。"""
    buf = io.BytesIO()
    canvas_image(fig, "RGBA").save(buf, format="PNG", compress_level=1)
    return buf.getvalue()


class Explorer:
    """エクスプローラーの基底クラスです（このクラスだけでは何も描きません）。

    サブクラスは ``__init__`` でデータを用意してから、``super().__init__(名前=最初の値, …)`` を呼びます。
    """

    #: スライダーの上に斜体で出す「何に注目して動かすか」の一文
    HINT = ""
    #: ウィジェットも静的ツインも表示できないところ（テキストだけの表示）に出す説明
    TEXT = ""
    #: 静的ツインの画像の代替テキスト（図が何を示すか）
    ALT = ""
    #: 静的ツインで動かすスライダーの名前（``None`` なら最初のスライダー）
    TWIN_CONTROL = None
    #: 静的ツインの種類: ``"frames"``（フレームごとに図）か ``"markers"``（背景 1 枚と印の位置）
    TWIN_KIND = "frames"

    # --- サブクラスが書くもの --------------------------------------------------------
    def make_controls(self):  # pragma: no cover - サブクラスが書きます
        """スライダーを :class:`Control` の並びで返します。"""
        raise NotImplementedError

    def make_figure(self):  # pragma: no cover - サブクラスが書きます
        """図を一度だけ作り、書き換える部品を ``self`` に覚えて、Figure を返します。"""
        raise NotImplementedError

    def draw(self, **values) -> None:  # pragma: no cover - サブクラスが書きます
        """値に合わせて図の部品を書き換えます。"""
        raise NotImplementedError

    def caption_for(self, **values) -> str:  # pragma: no cover - サブクラスが書きます
        """値の説明文を返します。"""
        raise NotImplementedError

    # --- 組み立て -------------------------------------------------------------------
    def __init__(self, **values):
        self.controls = tuple(self.make_controls())
        names = [c.name for c in self.controls]
        if sorted(values) != sorted(names):
            raise TypeError(f"最初の値は {', '.join(names)} を一つずつ渡してください（渡されたもの: {', '.join(values)}）。")
        self.sliders = {}
        for c in self.controls:
            index = c.index_of(values[c.name])
            self.sliders[c.name] = w.SelectionSlider(
                options=[(c.text(p), p) for p in c.positions], index=index, description=c.label,
                continuous_update=c.continuous, style={"description_width": "initial"},
                layout=w.Layout(width=c.width))
        #: 最初のスライダー（スライダーが一つのエクスプローラーではこれだけです）
        self.slider = self.sliders[names[0]]
        self.moving = []
        self.fig = self.make_figure()
        # 最初の配置を一度だけ計算して固定します（動かすたびの配置の計算を省き、枠も動かなくなります）
        self.fig.canvas.draw()
        self.fig.set_layout_engine("none")
        self._backgrounds = {}
        width = int(round(self.fig.get_size_inches()[0] * DPI))
        self.image = w.Image(format="png", layout=w.Layout(width=f"{width}px", height="auto"))
        self.caption = w.HTML()
        self.widget = w.VBox([w.HTML(f"<i>{html.escape(self.hint)}</i>"), *self.sliders.values(),
                              self.image, self.caption])
        for slider in self.sliders.values():
            slider.observe(lambda change: self._refresh(), names="value")
        self._refresh()

    @property
    def hint(self) -> str:
        """注目点の一文（既定はクラス属性 HINT）。"""
        return self.HINT

    @property
    def values(self) -> dict:
        """いまのスライダーの値（``Control.name`` をキーにした辞書）。"""
        return {name: slider.value for name, slider in self.sliders.items()}

    def update(self, **values) -> None:
        """スライダーを値の位置へ動かし、図と説明文を描き直します（手で動かしたのと同じです）。"""
        unknown = set(values) - set(self.sliders)
        if unknown:
            raise TypeError(f"{', '.join(sorted(unknown))} というスライダーはありません"
                            f"（あるのは {', '.join(self.sliders)} です）。")
        controls = {c.name: c for c in self.controls}
        self._holding = True
        try:
            for name, value in values.items():
                self.sliders[name].index = controls[name].index_of(value)
        finally:
            self._holding = False
        self._refresh()

    def _refresh(self) -> None:
        if getattr(self, "_holding", False):
            return
        values = self.values
        self.draw(**values)
        self.image.value = self.render()
        self.caption.value = html.escape(self.caption_for(**values))

    @contextmanager
    def _hidden_moving(self):
        """動く部品を一時的に隠します（もともと見えない部品、たとえば上と右の枠線は、見えないまま戻します）。"""
        visible = [artist.get_visible() for artist in self.moving]
        for artist in self.moving:
            artist.set_visible(False)
        try:
            yield
        finally:
            for artist, was_visible in zip(self.moving, visible):
                artist.set_visible(was_visible)

    def background_key(self, **values):
        """背景（``self.moving`` 以外の部品）を決める値です。既定は ``None``（背景はいつも同じ）。

        軸の範囲や題など、背景の一部が値で変わる図は、それを決める値（例: 温度）を返します。
        背景はこのキーごとに一度だけ描いて覚えます。
        """
        return None

    def render(self) -> bytes:
        """いまの図を PNG にします（ウィジェットに出す絵）。"""
        self._draw_canvas(self.values)
        return _png_of_canvas(self.fig)

    def _draw_canvas(self, values) -> None:
        """値 values のために ``draw`` ずみの図を、キャンバスに描きます。

        ``self.moving`` が空なら図全体を描きます。そうでなければ、``background_key`` ごとに覚えた背景を
        貼って、動く部品だけを描き足します（図全体を描くよりずっと速く、見た目は同じです）。
        """
        canvas = self.fig.canvas
        if not self.moving:
            canvas.draw()
            return
        key = self.background_key(**values)
        if key not in self._backgrounds:
            if len(self._backgrounds) >= 64:           # 覚える背景の数に上限を設けます（メモリのため）
                self._backgrounds.clear()
            # 隠した題は、matplotlib が描画のときに位置を計算し直して枠の外へ動かすことがあるので、位置を戻します
            positions = {artist: artist.get_position() for artist in self.moving if isinstance(artist, Text)}
            with self._hidden_moving():
                canvas.draw()
            for artist, position in positions.items():
                artist.set_position(position)
            self._backgrounds[key] = canvas.copy_from_bbox(self.fig.bbox)
        canvas.restore_region(self._backgrounds[key])
        for artist in sorted(self.moving, key=lambda a: a.get_zorder()):
            self.fig.draw_artist(artist)

    # --- 静的ツイン ------------------------------------------------------------------
    def alt_text(self) -> str:
        """静的ツインの画像の代替テキスト（既定はクラス属性 ALT）。"""
        return self.ALT

    def plain_text(self) -> str:
        """テキストだけの表示に出す説明です（既定はクラス属性 TEXT）。"""
        return self.TEXT

    def static_twin(self) -> StaticTwin:
        """HTML 用の静的ツインを作ります。

        ``TWIN_CONTROL`` のスライダーの全位置がフレームです（ほかのスライダーはいまの値のまま）。
        最初のフレームは、いまのスライダーの位置です。
        """
        name = self.TWIN_CONTROL or self.controls[0].name
        control = next(c for c in self.controls if c.name == name)
        now = self.values
        frames = [{**now, name: p} for p in control.positions]
        common = dict(captions=[self.caption_for(**v) for v in frames],
                      values=[control.text(p) for p in control.positions],
                      slider_label=control.label, alt=self.alt_text(),
                      initial=control.index_of(now[name]), hint=self.hint)
        try:
            if self.TWIN_KIND == "markers":
                return self._marker_twin(frames, **common)
            images = []
            for v in frames:
                self.draw(**v)
                self._draw_canvas(v)              # ウィジェットと同じ描き方（同じ絵）で、速く描きます
                images.append(canvas_image(self.fig))
            return frame_twin(images, **common)
        finally:
            self.draw(**now)

    def _marker_twin(self, frames, **common) -> StaticTwin:
        """背景の図（動く印を隠したもの）と、フレームごとの印の位置からツインを作ります。"""
        with self._hidden_moving():
            png = compact_png(figure_image(self.fig))
        markers = []
        for v in frames:
            self.draw(**v)
            markers.append([data_to_percent(self.fig, line.axes, *line.get_xydata()[0])
                            for line in self.moving])
        return StaticTwin(png=png, frames=[{"markers": m, "caption": c, "value": t}
                                           for m, c, t in zip(markers, common["captions"], common["values"])],
                          slider_label=common["slider_label"], alt=common["alt"],
                          initial=common["initial"], hint=common["hint"],
                          marker_colors=[to_hex(line.get_color()) for line in self.moving])

    def _repr_mimebundle_(self, include=None, exclude=None):
        return WithStaticTwin(self.widget, self.static_twin(), self.plain_text())._repr_mimebundle_()
