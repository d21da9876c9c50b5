"""静的ツインの部品と、例の分布（paris_distribution）のテスト。練習問題の自己チェックは test_selfcheck.py です。"""

import json
import re

import pytest

from lossbook.examples import PARIS_CANDIDATES, paris_distribution
from lossbook.plotting import figure_to_png, new_figure
from lossbook.twin import StaticTwin, frame_twin, marker_twin

JA = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def _twin(**kw):
    fig, ax = new_figure()
    ax.plot([0, 1], [0, 1])
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    args = dict(points=[[(0.0, 0.0)], [(1.0, 1.0)]], captions=["左下", "右上"], values=["0", "1"],
                slider_label="テスト", alt="対角線の図")
    args.update(kw)
    return marker_twin(fig, ax, **args)


def test_marker_positions_follow_data_coordinates():
    twin = _twin()
    (x0, y0), = twin.frames[0]["markers"]
    (x1, y1), = twin.frames[1]["markers"]
    assert x1 > x0 and y1 < y0           # 右上のデータ点は画像の右・上（top% が小さい）
    assert all(0 <= v <= 100 for v in (x0, y0, x1, y1))


def test_twin_escapes_script_end_in_captions():
    twin = _twin(captions=["</script><b>", "ok"])
    html = twin.to_html()
    assert html.count("</script>") == 1


@pytest.mark.parametrize("kw, word", [
    (dict(alt="  "), "alt"),
    (dict(values=["0"]), "values"),
])
def test_twin_bad_arguments_are_explained(kw, word):
    with pytest.raises(ValueError, match=word) as err:
        _twin(**kw)
    assert JA.search(str(err.value))


def test_twin_initial_out_of_range():
    with pytest.raises(ValueError, match="initial"):
        StaticTwin(png=b"", frames=[{"markers": [], "caption": "", "value": ""}],
                   slider_label="x", alt="y", initial=3)


def test_paris_distribution_sums_to_one_and_validates():
    for p in [0.0, 0.2, 0.9, 1.0]:
        q = paris_distribution(p)
        assert q.shape == (len(PARIS_CANDIDATES),)
        assert q.sum() == pytest.approx(1.0, abs=1e-12)
        assert q[0] == p
    for bad in [-0.1, 1.5, float("nan")]:
        with pytest.raises(ValueError, match="p_answer"):
            paris_distribution(bad)


def test_frame_twin_swaps_whole_images():
    figs = []
    for k in range(3):
        fig, ax = new_figure(figsize=(2, 2))
        ax.plot([0, 1], [0, k])
        figs.append(figure_to_png(fig))
    twin = frame_twin(figs, ["a", "b", "c"], ["0", "1", "2"], slider_label="k", alt="直線の図", initial=1)
    srcs = [f["src"] for f in twin.frames]
    assert len(set(srcs)) == 3 and all(s.startswith("data:image/png;base64,") for s in srcs)
    assert all(f["markers"] == [] for f in twin.frames)
    html = twin.to_html()
    assert html.count('class="lb-twin-marker"') == 0
    assert srcs[1] in html            # 最初に表示する図は initial のフレーム
    # 最初の図は <img> に 1 回だけ書き、JSON では null（ツインの JS が <img> の最初の図に戻します）
    assert html.count(srcs[1]) == 1 and html.count(srcs[0]) == 1 and html.count(srcs[2]) == 1
    payload = json.loads(re.search(r'class="lb-twin-data">(.*?)</script>', html).group(1).replace("<\\/", "</"))
    assert [f["src"] for f in payload["frames"]] == [srcs[0], None, srcs[2]]
    with pytest.raises(ValueError, match="pngs"):
        frame_twin(figs, ["a"], ["0"], slider_label="k", alt="x")
