"""エクスプローラー（対話型の図）が、スライダーの 1 回の操作に答えるまでの時間を測って表にします。

測るのはカーネルの側の時間です。スライダーの値を Python で変えると、``observe`` を通って
``update`` が呼ばれ、図を描き直して PNG にし、説明文を書き換えます。その全体を 1 回として、
スライダーの範囲の端から端までの値を順に、いくつかの往復で測ります（ブラウザとの通信の時間は含みません）。

使い方: ``make bench``（または ``.venv/bin/python benchmarks/widgets.py [--moves N]``）。
目標（issue の条件）は、どのエクスプローラーも中央値 30 ms 以下・最大 60 ms 以下です。時間は機械と
混み具合で変わるので、ほかの重い処理がないときに測ってください。テストでは時間を測りません。
"""

from __future__ import annotations

import argparse
import statistics
import time

import ipywidgets as w
import matplotlib

matplotlib.use("Agg")

from lossbook import plotting  # noqa: E402,F401（日本語フォントの設定）
from lossbook.corpus import japanese_text  # noqa: E402
from lossbook.lm import BigramLM  # noqa: E402
from lossbook.widgets import ProbabilityLossExplorer  # noqa: E402
from lossbook.widgets.cross_entropy import CrossEntropyExplorer  # noqa: E402
from lossbook.widgets.invisible_link import TemperatureExplorer, TrainingStepExplorer  # noqa: E402
from lossbook.widgets.kl import KLDirectionExplorer  # noqa: E402
from lossbook.widgets.llm_loss import NextWordLossExplorer  # noqa: E402
from lossbook.widgets.regression import OutlierRegressionExplorer  # noqa: E402
from lossbook.widgets.summary import ThreeRulersExplorer  # noqa: E402
from lossbook.widgets.training import TrainingExplorer  # noqa: E402

MEDIAN_TARGET_MS = 30.0
MAX_TARGET_MS = 60.0


def _explorers():
    """本で使うのと同じ引数で、すべてのエクスプローラーを作ります（第7章の 2 つは学習したモデルが要ります）。"""
    text = japanese_text()
    train = text.sample(2000, seed=3)
    model = BigramLM.from_text(text, seed=0)
    history = model.fit(train, eta=40.0, steps=500)
    return [
        ("ProbabilityLoss（第1章）", ProbabilityLossExplorer(p=0.2)),
        ("Training（第2章）", TrainingExplorer(step=0, eta=0.1, init_seed=3)),
        ("CrossEntropy（第3章）", CrossEntropyExplorer(z_answer=-0.5, temperature=1.0)),
        ("OutlierRegression（第4章）", OutlierRegressionExplorer(outlier_y=14.0)),
        ("KLDirection（第5章）", KLDirectionExplorer(mean=1.0, width=1.0)),
        ("NextWordLoss（第6章）", NextWordLossExplorer(p=0.6)),
        ("TrainingStep（第7章）", TrainingStepExplorer(history, text, step=0)),
        ("Temperature（第7章）", TemperatureExplorer(model, text, temperature=1.0)),
        ("ThreeRulers（第8章）", ThreeRulersExplorer(p=0.6)),
    ]


def _controls(widget):
    """ウィジェットの木から、スライダーなどの値を持つ操作部品を順に集めます。"""
    found = []
    stack = [widget]
    while stack:
        node = stack.pop(0)
        if isinstance(node, (w.FloatSlider, w.IntSlider, w.SelectionSlider, w.FloatLogSlider)):
            found.append(node)
        stack.extend(getattr(node, "children", ()))
    return found


def _values(control, moves: int):
    """操作部品の範囲を端から端まで、moves 個の値にします（選ぶ型のスライダーは選択肢を順に）。"""
    if isinstance(control, w.SelectionSlider):
        options = [value for _, value in control._options_full] if hasattr(control, "_options_full") \
            else list(control.options)
        return [options[i % len(options)] for i in range(moves)]
    lo, hi = control.min, control.max
    values = [lo + (hi - lo) * i / max(moves - 1, 1) for i in range(moves)]
    if isinstance(control, w.IntSlider):
        values = [int(round(v)) for v in values]
    return values


def measure(explorer, moves: int) -> list[float]:
    """すべての操作部品を moves 回ずつ動かし、1 回ごとの時間（ミリ秒）を返します。"""
    times = []
    for control in _controls(explorer.widget):
        start_value = control.value
        for value in _values(control, moves):
            if value == control.value:
                continue                      # 値が変わらないと update は呼ばれません
            t0 = time.perf_counter()
            control.value = value
            times.append((time.perf_counter() - t0) * 1e3)
        control.value = start_value
    return times


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=15, help="操作部品ごとに動かす回数（既定 15）")
    args = parser.parse_args(argv)
    print("エクスプローラーの 1 回の更新（カーネルの側の時間、ミリ秒）")
    print(f"目標: 中央値 ≤ {MEDIAN_TARGET_MS:g} ms、最大 ≤ {MAX_TARGET_MS:g} ms\n")
    print("| エクスプローラー | 操作部品 | 回数 | 中央値 | 最大 | 目標 |")
    print("|---|---|---|---|---|---|")
    all_ok = True
    for name, explorer in _explorers():
        measure(explorer, 3)                  # 1 回目はフォントの読み込みなどを含むので捨てます
        times = measure(explorer, args.moves)
        median, worst = statistics.median(times), max(times)
        ok = median <= MEDIAN_TARGET_MS and worst <= MAX_TARGET_MS
        all_ok &= ok
        print(f"| {name} | {len(_controls(explorer.widget))} | {len(times)} | {median:.1f} | {worst:.1f} | "
              f"{'OK' if ok else '未達'} |")
    print()
    print("すべて目標を満たしました。" if all_ok else "目標を満たしていないエクスプローラーがあります。")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
