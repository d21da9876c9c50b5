r"""大きなロジット（トークン数 × 語彙数）のクロスエントロピーとその勾配を、行のブロックごとに計算します。

``lb.cross_entropy_with_logits`` と ``lb.grad.cross_entropy_with_logits`` が、正解がクラス番号のときに使う
内部の実装です。LLM の学習では、ロジットが (1024, 50257) の float32 でも 206 MB あります。
「最大値を引く → exp → 和 → log → 正解の値を取り出す」をそのまま numpy で書くと、同じ大きさの
一時配列がいくつもできて、メモリが何倍にもなります。ここでは次のようにして、一時配列を
スレッドごとにブロック 1 つ分（1 MiB ほど、合わせてもロジットの 1/8 以下）に抑えます。

* 行を数行ずつのブロックに分け、使い回すバッファに ``np.exp(z, out=buf)`` と書き込みます。
  ブロックは CPU のキャッシュに収まる大きさなので、和や最小値はキャッシュから読めます。
* ブロックを CPU のコア数のスレッドに分けます（numpy の ufunc は計算中に GIL を手放すので並列に動きます）。
* 最大値を引く代わりに、exp をそのまま計算し、信じてよくない行だけを、あとで最大値を引く式で
  計算し直します（_rows_to_redo）。最大値を求めて引く 2 回の走査が要らなくなります。
* 正解クラスの項 $e_t = e^{z_t}$ をほかの項の和 $r = \sum_{j \ne t} e^{z_j}$ と分けて持ち、

  .. math::

      L = \log \frac{e_t + r}{e_t} = \operatorname{log1p}(r / e_t), \qquad
      \frac{\partial L}{\partial z_t} = -\frac{r}{e_t + r}

  と計算します。$L$ がとても小さい（自信のある正解の）行でも桁落ちせず、$L \ge 0$ が保たれます。
* 入力の NaN と +inf は exp と和を通って、その行の和 $e_t + r$ を NaN か inf にします。そういう行は
  計算し直す行に入り、そこで ValueError にします。-inf は $e^{-\infty} = 0$ なので、そのまま
  「確率 0 の候補」（マスク）として計算されます（行全体が -inf なら ValueError）。入力を調べるための
  走査は要りません。

精度の約束: float64 のロジットは float64 で計算します。float32 のロジットは exp と和を float32 で、
割り算と log1p を float64 で計算します。各行のロスの相対誤差は float64 で計算した値に対して
おおよそ 1e-7、勾配の成分ごとの相対誤差は 1e-7 から 5e-7 ほどです（テストとベンチマークは 1e-6 以内を確かめます）。
結果はスレッドの数やブロックの大きさによらず、ビット単位で同じです（各行は独立に計算し、
行をまとめる和と平均は最後に 1 回だけ行うため）。
"""

import os
import sys

import numpy as np

from ._validation import raise_all_masked, raise_if_nan_or_posinf

# 1 ブロックの大きさの目安です。1 コアの L2 キャッシュ（このマシンでは 2 MiB）に
# ロジットのブロックとバッファが両方収まる大きさにします。小さすぎると、numpy の関数を呼ぶ
# 回数（1 回あたり数マイクロ秒）が増えて遅くなります。
BLOCK_BYTES = 1 << 20

# これより小さい配列はスレッドに分けません（スレッドを起こす時間のほうが長いため）。
MIN_PARALLEL_ELEMENTS = 1 << 18

# 最大値を引かない exp を信じてよい行の条件のひとつ: 正解の項 e_t がこれ以上であること
# （e_t が非正規化数のような精度の落ちた小さな数だと、L = log1p(r / e_t) も不正確になるため）。
# 条件の全体は _rows_to_redo を見てください。
_MIN_TARGET_TERM = {np.dtype(np.float32): 1e-20, np.dtype(np.float64): 1e-250}

# 行の和を取るときの「列の幅」。_row_sums を見てください。
_LANES = 1024

_pool = None
_pool_size = 0


def can_use_threads() -> bool:
    """スレッドを起こせる環境か（ブラウザの中の Python、Pyodide にはスレッドがありません）。"""
    return sys.platform != "emscripten"


def default_threads():
    """使えるコアの数（スレッドの数の既定値）を返します。スレッドのない環境では 1 です。"""
    if not can_use_threads():
        return 1
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS や Windows には sched_getaffinity がありません
        return max(1, os.cpu_count() or 1)


def _executor(threads):
    """スレッドプールを（最初に要るときに 1 度だけ）作って返します。"""
    global _pool, _pool_size
    # concurrent.futures は、スレッドを使うときだけ読み込みます（import lossbook を軽く保つため）
    from concurrent.futures import ThreadPoolExecutor

    if _pool is None or _pool_size < threads:
        _pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="lossbook")
        _pool_size = threads
    return _pool


def _plan(n_rows, n_classes, itemsize, block_rows, threads):
    """スレッドの数と 1 ブロックの行の数を決めます。

    スレッドはそれぞれバッファを 1 つ持つので、バッファの合計がロジットの 1/8 を超えないようにします:
    スレッド 1 つに少なくとも 8 行を渡し、1 ブロックはスレッドが受け持つ行の 1/8 以下にします
    （ただし 1 ブロックは少なくとも 1 行なので、8 行未満の小さな入力ではバッファが 1 行分になります）。
    そのうえで、1 ブロックは BLOCK_BYTES 以下にします。
    """
    if threads is None:
        threads = default_threads()
    if n_rows * n_classes < MIN_PARALLEL_ELEMENTS or not can_use_threads():
        # 小さな入力と、スレッドのない環境（Pyodide）では 1 スレッドで計算します（結果はビット単位で同じです）
        threads = 1
    threads = max(1, min(threads, n_rows // 8))
    if block_rows is None:
        block_rows = max(1, min(BLOCK_BYTES // (n_classes * itemsize), n_rows // (8 * threads)))
    return threads, block_rows


def _run(worker, n_rows, threads):
    """worker(start, stop) を、行 [0, n_rows) を threads 個に分けた範囲ごとに呼びます。"""
    if threads <= 1:
        worker(0, n_rows)
        return
    # 連続した行の範囲を 1 スレッドに 1 つ渡します。各スレッドはバッファを 1 度だけ作ります。
    bounds = np.linspace(0, n_rows, threads + 1).astype(int)
    futures = [_executor(threads).submit(worker, int(a), int(b)) for a, b in zip(bounds[:-1], bounds[1:])]
    for f in futures:
        f.result()  # スレッドの中で起きた例外はここで出ます


class _RowSums:
    """(R, K) のブロックの行ごとの和を計算する道具です（スレッドごとに 1 つ作り、作業領域を使い回します）。

    ``np.add.reduce(block, axis=1)`` は 1 行を 1 要素ずつ足すので遅めです。そこで行を幅 _LANES の
    段に折りたたみ、まず段どうしを縦に足します（連続した _LANES 個を一度に足す SIMD の足し算になります）。
    最後に _LANES 個の部分和と、折りたためなかった端を足します。どちらの段階も和の誤差は小さく、
    float32 で 5 万項の和の相対誤差はおおよそ 1e-7 です（tests/test_blocked.py が確かめます）。
    """

    def __init__(self, max_rows, n_cols, dtype):
        self.folded = n_cols // _LANES * _LANES if n_cols >= 2 * _LANES else 0
        self.partial = np.empty((max_rows, _LANES), dtype=dtype) if self.folded else None

    def __call__(self, block, out):
        """block の行ごとの和を out（float64 の (R,) 配列）に書きます。"""
        if not self.folded:
            out[...] = np.add.reduce(block, axis=1)
            return
        n_rows = block.shape[0]
        partial = self.partial[:n_rows]
        np.add.reduce(block[:, : self.folded].reshape(n_rows, -1, _LANES), axis=1, out=partial)
        out[...] = np.add.reduce(partial, axis=1)
        out += np.add.reduce(block[:, self.folded :], axis=1)


def _direct_pass(z, labels, grad_out, scale, block_rows, threads):
    """全行について e_t = exp(z_t) と、ほかの項の和 r を計算します。

    grad_out が None なら、exp は使い回すバッファに書きます（ロスだけ要るとき）。
    grad_out が配列なら、そこに exp を書き、同じブロックがキャッシュにあるうちに
    勾配 scale * (softmax(z) - onehot) に直します（勾配が要るとき。計算し直す行の値は使いません）。
    返すのは (e_t, r) で、どちらも float64 の (N,) の配列です。
    """
    n_rows, n_classes = z.shape
    target_term = np.empty(n_rows)
    rest = np.empty(n_rows)
    threads, block_rows = _plan(n_rows, n_classes, z.itemsize, block_rows, threads)

    # 各行の正解の位置を、ブロックを平らにした配列の番号で持っておきます（ブロックごとの計算を減らすため）
    flat_target = labels + np.arange(n_rows) * n_classes

    def worker(start, stop):
        rows = min(block_rows, stop - start)
        buf = None if grad_out is not None else np.empty((rows, n_classes), dtype=z.dtype)
        row_sums = _RowSums(rows, n_classes, z.dtype)
        # exp のあふれ（inf）と 0 への丸め、NaN は、あとで行ごとに見つけて計算し直すので警告を出しません。
        # errstate はスレッドごとの設定なので、スレッドの中で指定します。
        with np.errstate(over="ignore", under="ignore", invalid="ignore", divide="ignore"):
            for a in range(start, stop, block_rows):
                b = min(a + block_rows, stop)
                zb = z[a:b]
                eb = buf[: b - a] if grad_out is None else grad_out[a:b]
                np.exp(zb, out=eb)
                flat = eb.reshape(-1)  # eb は連続した配列なので、これはコピーではなくビューです
                k = flat_target[a:b] - a * n_classes
                target_term[a:b] = flat[k]
                flat[k] = 0.0  # 正解の項を除いた和 r を取るため
                row_sums(eb, out=rest[a:b])
                if grad_out is not None:
                    r = rest[a:b]
                    total = target_term[a:b] + r
                    # 正解でない成分: scale * e_j / (e_t + r)。倍率は出力の dtype にそろえます。
                    eb *= (scale / total).astype(z.dtype)[:, None]
                    # 正解の成分: scale * (p_t - 1) = -scale * r / (e_t + r)（1 から引かないので桁落ちしません）。
                    # 0.0 - … としておくと、r = 0 のとき -0.0 ではなく +0.0 になります
                    flat[k] = 0.0 - scale * r / total

    _run(worker, n_rows, threads)
    return target_term, rest


def _rows_to_redo(z, target_term, rest, losses=None, scale=None):
    r"""最大値を引く式で計算し直す行の番号を返します。

    最大値を引かない exp の結果を信じてよいのは、次の条件がそろう行だけです。

    * 和 $e_t + r$ が有限（exp があふれた行、NaN や +inf を含む行はここで外れます）。
    * 和 $e_t + r \ge 1$。最大値を引く式では最大の項が $e^0 = 1$ なので、和は必ず 1 以上です。
      和が 1 より小さいと、非正規化数になった小さな項の丸め誤差が、割り算で大きく見えてしまいます
      （すべてのロジットが負の行など）。1 以上なら、最大値を引く式より精度が落ちることはありません。
    * 正解の項 $e_t$ が _MIN_TARGET_TERM 以上。
    * （ロスのとき）$\operatorname{log1p}(r / e_t)$ が有限（float64 では $r / e_t$ があふれることがあります）。
    * （勾配のとき）倍率 scale / (e_t + r) が z の dtype の正規化数（float32 なら 1.2e-38 以上）。
      和がとても大きい行（float32 でロジットが 85 を超えるなど）では倍率が非正規化数になり、
      精度が落ちるためです。
    """
    total = target_term + rest
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        ok = np.isfinite(total) & (total >= 1.0) & (target_term >= _MIN_TARGET_TERM[z.dtype])
        if losses is not None:
            ok &= np.isfinite(losses)
        if scale is not None:
            ok &= scale / total >= np.finfo(z.dtype).tiny
    return np.flatnonzero(~ok)


def _redo_chunks(z, redo, block_rows=None):
    """計算し直す行を、float64 のコピーが BLOCK_BYTES ほどに収まる数ずつに分けます。"""
    if block_rows is None:
        block_rows = max(1, BLOCK_BYTES // (z.shape[1] * 8))
    return [redo[i: i + block_rows] for i in range(0, redo.size, block_rows)]


def _shifted_rows(z, rows, labels, shape):
    """rows の行を float64 にし、行の最大値 m を引いてから exp します（まとめて計算します）。

    返すのは (e, e_t, r, m - z_t) です。e は exp(z - m) で、正解の位置は 0 にしてあります。
    NaN や +inf を含む行、すべてが -inf の行があれば、ここで ValueError にします。メッセージの位置は、
    呼び出し側のロジットの形 shape（(K,) なら logits[j]、(N, K) なら logits[i, j]）で書きます。
    """
    zr = z[rows].astype(np.float64)
    if not np.all(np.isfinite(zr) | (zr == -np.inf)):
        # 配列全体で最初の NaN / +inf の位置を書いた ValueError を出します
        raise_if_nan_or_posinf(z.reshape(shape), "logits")
    m = np.max(zr, axis=1)
    if np.any(m == -np.inf):
        raise_all_masked("logits", len(shape), len(shape) - 1, [rows[np.argmax(m == -np.inf)]])
    t = labels[rows]
    gap = m - zr[np.arange(rows.size), t]  # 正解のロジットが -inf（マスク）なら +inf
    zr -= m[:, None]
    e = np.exp(zr, out=zr)
    index = np.arange(rows.size)
    target_term = e[index, t].copy()
    e[index, t] = 0.0
    return e, target_term, np.sum(e, axis=1), gap


def row_losses(z, labels, block_rows=None, threads=None, shape=None):
    """各行のクロスエントロピー -log softmax(z)_t を float64 の (N,) 配列で返します。

    z は 2 次元の float32 か float64 の配列（コピーも書き換えもしません）、labels は検査済みの
    (N,) の整数配列です。z の NaN、+inf、すべてが -inf の行は、ここで見つけて ValueError にします
    （メッセージの位置は、呼び出し側のロジットの形 shape で書きます。省けば z の形）。
    正解のロジットが -inf（マスク）の行のロスは +inf です。
    """
    target_term, rest = _direct_pass(z, labels, None, None, block_rows, threads)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        losses = np.log1p(rest / target_term)
    for rows in _redo_chunks(z, _rows_to_redo(z, target_term, rest, losses)):
        _, e_t, r, gap = _shifted_rows(z, rows, labels, shape or z.shape)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            # 正解の項が最大の項（= 1）に近ければ log1p(r / e_t)（r / e_t ≤ K / 1e-250 はあふれません）。
            # ずっと小さければ L = (m - z_t) + log(e_t + r)。このとき r ≥ 1 なので log の中で桁落ちはありません。
            losses[rows] = np.where(e_t >= _MIN_TARGET_TERM[np.dtype(np.float64)],
                                    np.log1p(r / e_t), gap + np.log(e_t + r))
    return losses


def row_gradients(z, labels, scale, block_rows=None, threads=None, shape=None):
    """scale * (softmax(z) - onehot(labels)) を、z と同じ形・同じ dtype の新しい配列で返します。

    出力の配列 1 つのほかには、ブロック 1 つ分と (N,) の配列数本しか使いません。
    -inf（マスク）の成分の勾配は 0 です。正解のロジットが -inf の行では、正解の成分は -scale です
    （softmax(z)_t - 1 = 0 - 1。PyTorch と同じです）。
    """
    g = np.empty(z.shape, dtype=z.dtype)
    target_term, rest = _direct_pass(z, labels, g, scale, block_rows, threads)
    for rows in _redo_chunks(z, _rows_to_redo(z, target_term, rest, scale=scale)):
        e, e_t, r, _ = _shifted_rows(z, rows, labels, shape or z.shape)
        total = (e_t + r)[:, None]
        e /= total
        e[np.arange(rows.size), labels[rows]] = 0.0 - r / total[:, 0]
        g[rows] = scale * e
    return g
