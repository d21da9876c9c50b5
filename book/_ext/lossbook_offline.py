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
5. **アイコンのフォントと CSS を、本書が使うアイコンだけにする。** テーマの CSS は Font Awesome の
   約 1800 個のアイコンの規則（85 KB）を持ち、フォント fa-solid-900.woff2 は 0.16 MB あります。本書の
   ページとスクリプトが使うアイコン（検索、目次、明暗の切り替え …）と、CSS の中で文字として使う
   アイコン（注意書きの印など）だけを残し、フォントはその字形だけの小さな WOFF にします（fontTools）。
6. **使わない sphinx-design の CSS と JavaScript（62 KB）を読み込まない。** Jupyter Book はすべてのページに
   入れますが、本書はタブやカードを使いません。sd- のクラスがないページからは取り除きます。
7. **静的ツインの 2 枚目以降の絵は、スライダーを動かしたときに読み込む。** ノートブックの出力では、
   フレームごとの PNG が HTML の中に埋め込まれています（章によっては 0.2 MB）。ビルドの最後に、
   JSON の中の PNG を ``_images/lbtwin-*.png`` のファイルに出し、JSON にはその相対パスを書きます。
   最初に見える絵は ``<img>`` に埋め込んだままなので、最初の表示は変わりません（file:// でも読めます）。
"""

from __future__ import annotations

import re
from pathlib import Path

import base64
import hashlib
import json

from fontTools import subset as ft_subset
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


_ICON_RULE = re.compile(r'((?:\.fa-[a-z0-9-]+:(?:before|after),?)+)\{content:"\\([0-9a-f]+)"\}')
_ICON_NAME = re.compile(r"\bfa-([a-z0-9-]+)")
_PUA = re.compile("[\ue000-\uf8ff]")
_ESCAPE = re.compile(r'"\\([ef][0-9a-f]{3})"')
_FONTS = {"fa-solid-900": 900, "fa-regular-400": 400}


_SD_TAGS = re.compile(
    r'[ \t]*<(?:link rel="stylesheet" type="text/css" href="[^"]*sphinx-design\.min\.css[^"]*" /|'
    r'script[^>]*src="[^"]*design-tabs\.js[^"]*"></script)>\n?')
_TWIN_DATA = re.compile(r'(<script type="application/json" class="lb-twin-data">)(.*?)(</script>)', re.S)


def _lighten_pages(app, exception) -> None:
    """sphinx-design を使わないページからその CSS と JS を外し、ツインの絵をファイルに出します。"""
    if exception is not None or app.builder.format != "html":
        return
    out = Path(app.outdir)
    images = out / "_images"
    for page in out.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        new = text
        if 'class="sd-' not in new:
            new = _SD_TAGS.sub("", new)
        prefix = "../" * (len(page.relative_to(out).parts) - 1)

        def to_files(m):
            data = json.loads(m.group(2).replace("<\\/", "</"))
            for frame in data.get("frames", []):
                src = frame.get("src") or ""          # null は <img> の最初の図（lossbook/twin.py）
                if src.startswith("data:image/png;base64,"):
                    png = base64.b64decode(src.split(",", 1)[1])
                    name = f"lbtwin-{hashlib.sha1(png).hexdigest()[:16]}.png"
                    images.mkdir(exist_ok=True)
                    if not (images / name).exists():
                        (images / name).write_bytes(png)
                    frame["src"] = f"{prefix}_images/{name}"
            payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
            return m.group(1) + payload + m.group(3)

        new = _TWIN_DATA.sub(to_files, new)
        if new != text:
            page.write_text(new, encoding="utf-8")


def _subset_icons(app, exception) -> None:
    """使うアイコンだけの CSS の規則とフォントにします（ページに出すアイコンは変わりません）。"""
    if exception is not None or app.builder.format != "html":
        return
    out = Path(app.outdir)
    static = out / "_static"
    theme_css = static / "styles" / "pydata-sphinx-theme.css"
    webfonts = static / "vendor" / "fontawesome" / "webfonts"
    if not theme_css.exists() or not (webfonts / "fa-solid-900.ttf").exists():
        return
    used = set()
    for path in [*out.rglob("*.html"), *static.rglob("*.js")]:
        used |= set(_ICON_NAME.findall(path.read_text(encoding="utf-8", errors="ignore")))
    css = theme_css.read_text(encoding="utf-8")
    codepoints = set()

    def keep_used(match):
        names = {n for n in re.findall(r"\.fa-([a-z0-9-]+):", match.group(1))}
        if names & used:
            codepoints.add(int(match.group(2), 16))
            return match.group(0)
        return ""

    css = _ICON_RULE.sub(keep_used, css)
    # CSS の中で文字として使うアイコン（注意書きの印、折りたたみの矢印 …）も残します
    for path in static.rglob("*.css"):
        text = css if path == theme_css else path.read_text(encoding="utf-8", errors="ignore")
        codepoints |= {ord(c) for c in _PUA.findall(text)}
        codepoints |= {int(h, 16) for h in _ESCAPE.findall(text)}
    for name in _FONTS:
        source = webfonts / f"{name}.ttf"
        options = ft_subset.Options()
        options.flavor = "woff"            # woff2 は brotli が要るので、標準の zlib で圧縮する WOFF にします
        options.layout_features = ["*"]
        font = ft_subset.load_font(str(source), options)
        subsetter = ft_subset.Subsetter(options)
        subsetter.populate(unicodes=sorted(codepoints))
        subsetter.subset(font)
        ft_subset.save_font(font, str(webfonts / f"{name}-lossbook.woff"), options)
        # @font-face の読み込み先を、小さな WOFF だけにします
        css = re.sub(rf'url\(\.\./vendor/fontawesome/webfonts/{name}\.woff2\) format\("woff2"\),'
                     rf'url\(\.\./vendor/fontawesome/webfonts/{name}\.ttf\) format\("truetype"\)',
                     f'url(../vendor/fontawesome/webfonts/{name}-lossbook.woff) format("woff")', css)
    theme_css.write_text(css, encoding="utf-8")


def setup(app):
    NbElementRenderer.render_nb_finalise = _finalise_without_widget_state
    _remove_thebe(app)
    app.connect("build-finished", _drop_fontawesome_js)
    app.connect("build-finished", _subset_icons)
    app.connect("build-finished", _lighten_pages)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
