"""クロスエントロピー（ロジットから、クラス番号が目標）の速さとメモリを測って表を表示します。

    make bench                     # 既定: N = 1024 行、V = 1000, 10000, 50257
    .venv/bin/python benchmarks/cross_entropy.py --vocab 50257 --repeat 15

比べるもの（どれも float32 のロジット、2 コアを使える条件）:

* lossbook: ``lb.cross_entropy_with_logits`` と ``lb.grad.cross_entropy_with_logits``
  （行のブロックごと、スレッドで並列、lossbook/_blocked.py）
* naive: numpy でそのまま書いた手順（最大値 → 引く → exp → 和 → log → 正解を取り出す）
* torch: ``torch.nn.functional.cross_entropy`` とその backward（PyTorch が入っているときだけ。
  この本の必須パッケージではないので、なければその旨を表示して飛ばします）
* floor: ロジット全体に ``np.exp`` を 1 回かけるだけの時間（行をコアの数のスレッドに分けて）。
  exp を 1 回は計算しなければならないので、これが下限の目安です。2 通り測ります。
  ``floor`` は ``np.exp(z)`` がふつうどおり結果の配列を新しく確保する場合で、速さの目標（floor の 1.6 倍以内）は
  これに対する比です（確保を含むので、確保しない下の値の 2 倍ほどあります）。
  ``floor_out`` は確保ずみの配列に ``out=`` で書く、より厳しい下限です。比は両方表示します。

時間は、候補を 1 回ずつ順番に走らせることを --repeat 回くり返した中央値です（同じ時間帯の揺れが
どの候補にも同じようにかかるように）。ピークメモリは tracemalloc で測った「呼び出しの間に増えた分の最大」
で、ロジットの大きさに対する割合も表示します（torch のメモリは tracemalloc では測れないので「—」）。
最後に、速さとメモリの目標（check_targets の一覧。V = 50257 の行）を満たしたかを表示します。速さは機械と混み具合で変わるので、
この表は目安です。テストでは時間を測りません。
"""

import argparse
import os
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import lossbook as lb  # noqa: E402
from lossbook._blocked import default_threads  # noqa: E402
from lossbook.llm_scale import peak_memory  # noqa: E402

try:
    import torch
except ImportError:  # torch はこの本の必須パッケージではありません
    torch = None


def naive_loss(labels, z):
    """そのまま書いた手順。(N, V) の一時配列が 3 つ（z - m、exp、そして和の前の作業領域）できます。"""
    m = z.max(axis=1, keepdims=True)
    shifted = z - m
    e = np.exp(shifted)
    lse = np.log(e.sum(axis=1, dtype=np.float64))
    return float(np.mean(lse - shifted[np.arange(len(labels)), labels]))


def naive_grad(labels, z):
    """softmax を作って正解の位置から 1 を引き、N で割る手順。"""
    e = np.exp(z - z.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    p[np.arange(len(labels)), labels] -= 1.0
    p /= len(labels)
    return p


def float64_reference(labels, z):
    """精度の基準: float64 で計算した平均のロスと勾配（行ごとに変換して、メモリを抑えます）。"""
    losses = np.empty(len(labels))
    grad = np.empty(z.shape)
    for i, row in enumerate(z):
        row = row.astype(np.float64)
        m = row.max()
        e = np.exp(row - m)
        s = e.sum()
        losses[i] = m + np.log(s) - row[labels[i]]
        grad[i] = e / s
        grad[i, labels[i]] -= 1.0
    return losses.mean(), grad / len(labels)


def make_floors(z, threads):
    """ロジット全体に np.exp を 1 回かける（threads 個のスレッドに行を分けて）関数を 2 つ返します。

    1 つ目は np.exp が結果の配列を確保する場合、2 つ目は確保ずみの配列に out= で書く場合です。
    """
    out = np.empty_like(z)
    pool = ThreadPoolExecutor(max_workers=threads)
    bounds = np.linspace(0, z.shape[0], threads + 1).astype(int)
    parts = [slice(a, b) for a, b in zip(bounds[:-1], bounds[1:])]

    def floor():
        return list(pool.map(lambda s: np.exp(z[s]), parts))

    def floor_out():
        list(pool.map(lambda s: np.exp(z[s], out=out[s]), parts))

    return floor, floor_out


def time_interleaved(candidates, repeat):
    """各候補を 1 回ずつ順に走らせることを repeat 回くり返し、候補ごとの中央値（秒）を返します。"""
    for fn in candidates.values():  # 1 回目（ページの割り当てなど）は数えません
        fn()
    times = {name: [] for name in candidates}
    for _ in range(repeat):
        for name, fn in candidates.items():
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(ts) for name, ts in times.items()}


def bench(n_rows, vocab, repeat, threads, seed=0):
    rng = np.random.default_rng(seed)
    # LLM の出力に近い大きさ（標準偏差 3）のロジットと、ランダムな正解
    z = (3.0 * rng.standard_normal((n_rows, vocab), dtype=np.float32)).astype(np.float32)
    labels = rng.integers(0, vocab, n_rows)
    floor, floor_out = make_floors(z, threads)
    cands = {
        "floor": floor,
        "floor_out": floor_out,
        "lossbook": lambda: lb.cross_entropy_with_logits(labels, z),
        "naive": lambda: naive_loss(labels, z),
        "lossbook_grad": lambda: lb.grad.cross_entropy_with_logits(labels, z),
        "naive_grad": lambda: naive_grad(labels, z),
    }
    if torch is not None:
        zt, yt = torch.from_numpy(z), torch.from_numpy(labels)

        def torch_fwd_bwd():
            leaf = zt.detach().requires_grad_(True)
            torch.nn.functional.cross_entropy(leaf, yt).backward()
            return leaf.grad

        cands["torch"] = lambda: torch.nn.functional.cross_entropy(zt, yt)
        cands["torch_fwd_bwd"] = torch_fwd_bwd
    t = time_interleaved(cands, repeat)
    mem = {
        "lossbook": peak_memory(lambda: lb.cross_entropy_with_logits(labels, z))[1],
        "naive": peak_memory(lambda: naive_loss(labels, z))[1],
        "lossbook_grad": peak_memory(lambda: lb.grad.cross_entropy_with_logits(labels, z))[1],
        "naive_grad": peak_memory(lambda: naive_grad(labels, z))[1],
    }
    ref_loss, ref_grad = float64_reference(labels, z)
    loss = lb.cross_entropy_with_logits(labels, z)
    grad = lb.grad.cross_entropy_with_logits(labels, z)
    err = {
        "loss": abs(loss - ref_loss) / abs(ref_loss),
        # 成分ごとの相対誤差の最大（softmax の成分はどれも 0 より大きいので割り算できます）
        "grad": float(np.max(np.abs(grad - ref_grad) / np.abs(ref_grad))),
    }
    return {"N": n_rows, "V": vocab, "nbytes": z.nbytes, "t": t, "mem": mem, "err": err,
            "grad_nbytes": grad.nbytes}


def fmt_ms(seconds):
    return f"{seconds * 1e3:8.1f}"


def report(results, threads):
    print(f"# クロスエントロピーのベンチマーク（float32、スレッド {threads}、"
          f"torch {'あり ' + torch.__version__ if torch else 'なし'}、numpy {np.__version__}）")
    print()
    print("## 時間（ミリ秒、中央値）")
    print()
    print("| N × V | MB | floor | floor_out | lossbook | naive | torch "
          "| lossbook/floor | lossbook/floor_out | lossbook/naive | lossbook/torch |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        t = r["t"]
        torch_t = t.get("torch")
        cells = [f"{r['N']} × {r['V']}", f"{r['nbytes'] / 1e6:.0f}", fmt_ms(t["floor"]), fmt_ms(t["floor_out"]),
                 fmt_ms(t["lossbook"]), fmt_ms(t["naive"]), fmt_ms(torch_t) if torch_t else "—",
                 f"{t['lossbook'] / t['floor']:.2f}", f"{t['lossbook'] / t['floor_out']:.2f}",
                 f"{t['lossbook'] / t['naive']:.2f}",
                 f"{t['lossbook'] / torch_t:.2f}" if torch_t else "—"]
        print("| " + " | ".join(cells) + " |")
    print()
    print("## 勾配の時間（ミリ秒、中央値。torch は forward + backward）")
    print()
    print("| N × V | lossbook grad | naive grad | torch fwd+bwd | lossbook grad / torch fwd+bwd |")
    print("|---|---:|---:|---:|---:|")
    for r in results:
        t = r["t"]
        tb = t.get("torch_fwd_bwd")
        ratio = f"{t['lossbook_grad'] / tb:.2f}" if tb else "—"
        print(f"| {r['N']} × {r['V']} | {fmt_ms(t['lossbook_grad'])} | {fmt_ms(t['naive_grad'])} | "
              f"{fmt_ms(tb) if tb else '—'} | {ratio} |")
    print()
    print("## ピークメモリ（tracemalloc、ロジットの大きさに対する割合）と精度（float64 の計算との相対誤差）")
    print()
    print("| N × V | lossbook | naive | lossbook grad（出力を除く） | naive grad（出力を除く） | ロスの相対誤差 | 勾配の成分ごとの相対誤差の最大 |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for r in results:
        m, nb, out = r["mem"], r["nbytes"], r["grad_nbytes"]
        print(f"| {r['N']} × {r['V']} | {m['lossbook'] / nb:.1%} | {m['naive'] / nb:.1%} | "
              f"{(m['lossbook_grad'] - out) / nb:.1%} | {(m['naive_grad'] - out) / nb:.1%} | "
              f"{r['err']['loss']:.1e} | {r['err']['grad']:.1e} |")


def check_targets(r):
    """速さとメモリの目標を、表と同じ測定値で確かめて表示します。満たしたかどうかの真偽値の一覧を返します。"""
    t, m, nb = r["t"], r["mem"], r["nbytes"]
    checks = [
        ("lossbook ≤ 0.5 × naive", t["lossbook"] / t["naive"], 0.5),
        ("lossbook ≤ 1.6 × floor", t["lossbook"] / t["floor"], 1.6),
        ("lossbook のピークメモリ ≤ 25% × ロジット", m["lossbook"] / nb, 0.25),
        ("lossbook grad のピークメモリ ≤ 出力 + 25% × ロジット", (m["lossbook_grad"] - r["grad_nbytes"]) / nb, 0.25),
        ("ロスの相対誤差 ≤ 1e-6", r["err"]["loss"], 1e-6),
        ("勾配の成分ごとの相対誤差 ≤ 1e-6", r["err"]["grad"], 1e-6),
    ]
    if "torch" in t:
        checks[0:0] = [
            ("lossbook ≤ 0.9 × torch", t["lossbook"] / t["torch"], 0.9),
            ("lossbook grad ≤ 0.4 × torch fwd+bwd", t["lossbook_grad"] / t["torch_fwd_bwd"], 0.4),
        ]
    print()
    print(f"## 目標（{r['N']} × {r['V']}）")
    print()
    print("| 目標 | 測定値 | 上限 | 判定 |")
    print("|---|---:|---:|---|")
    oks = []
    for name, value, limit in checks:
        ok = value <= limit
        oks.append(ok)
        shown = f"{value:.2e}" if limit < 0.01 else f"{value:.2f}"
        print(f"| {name} | {shown} | {limit:g} | {'OK' if ok else '未達'} |")
    print()
    print(f"参考: lossbook は、確保ずみの配列に書く厳しい下限 floor_out の {t['lossbook'] / t['floor_out']:.2f} 倍です"
          "（目標の判定には使いません）。")
    if "torch" in t:
        print(f"参考: floor は torch の {t['floor'] / t['torch']:.2f} 倍、floor_out は {t['floor_out'] / t['torch']:.2f} 倍です。")
    return oks


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1024, help="行（トークン）の数 N")
    parser.add_argument("--vocab", type=int, nargs="+", default=[1000, 10000, 50257], help="語彙数 V（複数可）")
    parser.add_argument("--repeat", type=int, default=11, help="くり返しの回数（中央値を取ります）")
    args = parser.parse_args(argv)
    threads = default_threads()
    if torch is not None:
        torch.set_num_threads(threads)
    else:
        print("PyTorch が入っていないので、torch との比較は飛ばします"
              "（入れるなら: .venv/bin/pip install torch。この本には必要ありません）。")
    results = [bench(args.rows, v, args.repeat, threads) for v in args.vocab]
    report(results, threads)
    target = next((r for r in results if r["V"] == 50257), results[-1])
    oks = check_targets(target)
    print()
    print(f"目標 {sum(oks)}/{len(oks)} を満たしました（{os.cpu_count()} コアのマシン）。")


if __name__ == "__main__":
    main()
