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
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

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

#: 「前」の列に測る版: エクスプローラーをひな形（図を 1 枚使い回す）にする前の最後の commit
BASELINE_COMMIT = "6e3921a"

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


def measure_all(moves: int) -> dict:
    """すべてのエクスプローラーを測り、{名前: (回数, 中央値, 最大)} を返します（ミリ秒）。"""
    results = {}
    for name, explorer in _explorers():
        measure(explorer, 3)                  # 1 回目はフォントの読み込みなどを含むので捨てます
        times = measure(explorer, moves)
        results[name] = (len(times), statistics.median(times), max(times))
    return results


def measure_baseline(commit: str, moves: int) -> dict | None:
    """commit の lossbook（git worktree に取り出したもの）を、このスクリプトと同じ方法で別のプロセスで測ります。

    「前」の列の数字も、いまの機械・いまの混み具合で測り直すためです（古い数字を書き写しません）。
    git がない、commit がないなど、測れないときは None を返します。
    """
    root = Path(__file__).resolve().parents[1]
    with tempfile.TemporaryDirectory(prefix="lossbook-bench-") as tmp:
        tree = Path(tmp) / "tree"
        made = subprocess.run(["git", "-C", str(root), "worktree", "add", "--detach", str(tree), commit],
                              capture_output=True, text=True)
        if made.returncode != 0:
            print(f"（前の版 {commit} を取り出せませんでした: {made.stderr.strip()}）")
            return None
        try:
            env = {**os.environ, "PYTHONPATH": str(tree)}
            run = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--moves", str(moves), "--json"],
                                 capture_output=True, text=True, env=env, cwd=tmp)
            if run.returncode != 0:
                print(f"（前の版 {commit} を測れませんでした: {run.stderr.strip()[-300:]}）")
                return None
            data = json.loads(run.stdout)
            if not data["lossbook"].startswith(str(tree)):     # 本当に前の版を読み込んだこと
                print(f"（前の版ではなく {data['lossbook']} を読み込んだので、前の列は出しません）")
                return None
            return {name: tuple(row) for name, row in data["results"].items()}
        finally:
            subprocess.run(["git", "-C", str(root), "worktree", "remove", "--force", str(tree)],
                           capture_output=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=15, help="操作部品ごとに動かす回数（既定 15）")
    parser.add_argument("--baseline", default=BASELINE_COMMIT,
                        help=f"「前」として測る版（git の commit。既定 {BASELINE_COMMIT}、ひな形にする前の最後の版）")
    parser.add_argument("--no-baseline", action="store_true", help="前の版を測りません")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)   # measure_baseline が使います
    args = parser.parse_args(argv)
    if args.json:
        import lossbook
        print(json.dumps({"lossbook": str(Path(lossbook.__file__).resolve()), "results": measure_all(args.moves)}))
        return 0
    after = measure_all(args.moves)
    before = None if args.no_baseline else measure_baseline(args.baseline, args.moves)
    print("エクスプローラーの 1 回の更新（カーネルの側の時間、ミリ秒）")
    print(f"目標: 中央値 ≤ {MEDIAN_TARGET_MS:g} ms、最大 ≤ {MAX_TARGET_MS:g} ms")
    if before:
        print(f"「前」は {args.baseline}（図を毎回作り直していた版）を、同じ方法で続けて測った値です。")
    print()
    print("| エクスプローラー | 回数 | 前: 中央値 | 前: 最大 | 中央値 | 最大 | 目標 |")
    print("|---|---|---|---|---|---|---|")
    all_ok = True
    for name, (count, median, worst) in after.items():
        ok = median <= MEDIAN_TARGET_MS and worst <= MAX_TARGET_MS
        all_ok &= ok
        old = before.get(name) if before else None
        old_cells = f"{old[1]:.1f} | {old[2]:.1f}" if old else "– | –"
        print(f"| {name} | {count} | {old_cells} | {median:.1f} | {worst:.1f} | {'OK' if ok else '未達'} |")
    print()
    print("すべて目標を満たしました。" if all_ok else "目標を満たしていないエクスプローラーがあります。")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
