"""benchmarks/cross_entropy.py が動き、表を表示すること（小さな大きさで。時間の値は確かめません）。"""

import importlib.util
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def load_benchmark():
    spec = importlib.util.spec_from_file_location("bench_ce", ROOT / "benchmarks" / "cross_entropy.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_benchmark_prints_its_tables(capsys):
    bench = load_benchmark()
    bench.main(["--rows", "16", "--vocab", "300", "2100", "--repeat", "1"])
    out = capsys.readouterr().out
    for heading in ["## 時間", "## 勾配の時間", "## ピークメモリ", "## 目標"]:
        assert heading in out
    assert "| 16 × 300 |" in out and "| 16 × 2100 |" in out
    assert "lossbook ≤ 1.6 × floor" in out


def test_benchmark_reference_and_naive_recipes_agree_with_lossbook():
    import lossbook as lb

    bench = load_benchmark()
    rng = np.random.default_rng(0)
    z = rng.standard_normal((5, 300)).astype(np.float32)
    labels = rng.integers(0, 300, 5)
    ref_loss, ref_grad = bench.float64_reference(labels, z)
    assert abs(bench.naive_loss(labels, z) - ref_loss) < 1e-5 * ref_loss
    assert abs(lb.cross_entropy_with_logits(labels, z) - ref_loss) < 1e-6 * ref_loss
    np.testing.assert_allclose(bench.naive_grad(labels, z), ref_grad, rtol=1e-5, atol=1e-9)


def test_widget_benchmark_moves_every_explorer_and_prints_a_row_for_each(capsys):
    spec = importlib.util.spec_from_file_location("bench_widgets", ROOT / "benchmarks" / "widgets.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    # 「前」の列は、ひな形にする前の版を git worktree に取り出し、別のプロセスで同じ方法で測ります
    assert bench.main(["--moves", "2"]) == 0
    out = capsys.readouterr().out
    assert f"「前」は {bench.BASELINE_COMMIT}" in out, out
    rows = [line for line in out.splitlines() if line.startswith("| ") and "（第" in line]
    assert len(rows) == 9, out
    for row in rows:
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert int(cells[1]) >= 1                              # 少なくとも 1 回動かした
        assert 0 < float(cells[2]) <= float(cells[3])          # 前: 中央値 ≤ 最大
        assert 0 < float(cells[4]) <= float(cells[5])          # いま: 中央値 ≤ 最大
        assert cells[6] in ("OK", "未達")
