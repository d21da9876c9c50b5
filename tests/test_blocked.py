"""行のブロックごとのクロスエントロピー（lossbook/_blocked.py）のテスト。

比べる相手は 2 つです。
* 単純な経路: 同じロジットに one-hot の正解の分布を渡すと、lossbook は昔ながらの
  「float64 にコピー → log-softmax → 正解の分布との積の和」で計算します。
* float64 の基準: scipy.special.logsumexp と scipy.special.softmax。
"""

import warnings

import numpy as np
import pytest
from scipy.special import logsumexp, softmax

import lossbook as lb
from lossbook import _blocked
from lossbook.llm_scale import peak_memory

REDUCTIONS = ["mean", "sum", "none"]


def reference_losses(labels, z):
    """float64 で計算した各行のロス（基準）。"""
    z64 = np.asarray(z, dtype=np.float64)
    return logsumexp(z64, axis=-1) - np.take_along_axis(z64, labels[..., None], axis=-1)[..., 0]


def reference_grad(labels, z, scale):
    z64 = np.asarray(z, dtype=np.float64)
    g = softmax(z64, axis=-1)
    np.put_along_axis(g, labels[..., None], np.take_along_axis(g, labels[..., None], axis=-1) - 1.0, axis=-1)
    return scale * g


def one_hot(labels, n_classes):
    return np.eye(n_classes)[labels]


def random_case(n_rows, n_classes, dtype, seed=0, scale=3.0):
    rng = np.random.default_rng(seed)
    z = (scale * rng.standard_normal((n_rows, n_classes))).astype(dtype)
    labels = rng.integers(0, n_classes, n_rows)
    return z, labels


# float32 のロジットは exp と和を float32 で計算する約束（lossbook/_blocked.py の docstring）
RTOL = {np.float32: 1e-6, np.float64: 1e-12}


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape", [(1, 1), (1, 2), (3, 5), (7, 1023), (5, 2049), (33, 3001), (2, 5000)])
def test_row_losses_match_float64_reference_at_odd_sizes(dtype, shape):
    z, labels = random_case(*shape, dtype, seed=shape[0] * shape[1])
    got = _blocked.row_losses(z, labels)
    assert got.dtype == np.float64 and got.shape == (shape[0],)
    np.testing.assert_allclose(got, reference_losses(labels, z), rtol=RTOL[dtype], atol=1e-12)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_results_do_not_depend_on_blocks_or_threads(dtype):
    # 各行は独立に計算するので、ブロックの大きさやスレッドの数を変えてもビット単位で同じです
    z, labels = random_case(37, 4099, dtype, seed=1)
    base = _blocked.row_losses(z, labels, block_rows=37, threads=1)
    base_grad = _blocked.row_gradients(z, labels, 0.5, block_rows=37, threads=1)
    for block_rows in (1, 2, 5, 16):
        for threads in (1, 2, 3):
            # 小さな配列でもスレッドに分けて試すため、並列にする下限を一時的に 0 にします
            old = _blocked.MIN_PARALLEL_ELEMENTS
            _blocked.MIN_PARALLEL_ELEMENTS = 0
            try:
                losses = _blocked.row_losses(z, labels, block_rows=block_rows, threads=threads)
                grad = _blocked.row_gradients(z, labels, 0.5, block_rows=block_rows, threads=threads)
            finally:
                _blocked.MIN_PARALLEL_ELEMENTS = old
            np.testing.assert_array_equal(losses, base)
            np.testing.assert_array_equal(grad, base_grad)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_public_loss_agrees_with_simple_one_hot_path(dtype, reduction):
    # 64 × 20000 = 128 万要素なので、既定の設定でもスレッドに分けて計算されます
    z, labels = random_case(64, 20000, dtype, seed=2)
    assert z.size >= _blocked.MIN_PARALLEL_ELEMENTS
    blocked = lb.cross_entropy_with_logits(labels, z, reduction=reduction)
    simple = lb.cross_entropy_with_logits(one_hot(labels, z.shape[1]), z, reduction=reduction)
    np.testing.assert_allclose(blocked, simple, rtol=RTOL[dtype])
    if reduction == "none":
        assert blocked.shape == (64,) and blocked.dtype == np.float64
    else:
        assert isinstance(blocked, np.float64)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_public_grad_agrees_with_simple_one_hot_path(dtype, reduction):
    z, labels = random_case(64, 20000, dtype, seed=3)
    blocked = lb.grad.cross_entropy_with_logits(labels, z, reduction=reduction)
    simple = lb.grad.cross_entropy_with_logits(one_hot(labels, z.shape[1]), z, reduction=reduction)
    # 勾配の dtype はロジットにそろえます
    assert blocked.dtype == dtype and simple.dtype == dtype and blocked.shape == z.shape
    scale = 1 / 64 if reduction == "mean" else 1.0
    expected = reference_grad(labels, z, scale)
    np.testing.assert_allclose(blocked, expected, rtol=RTOL[dtype], atol=1e-12 * scale)
    np.testing.assert_allclose(simple, expected, rtol=RTOL[dtype], atol=1e-12 * scale)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_one_dimensional_logits_and_scalar_label(dtype):
    z = np.array([2.0, 1.0, 0.1], dtype=dtype)
    for reduction in REDUCTIONS:
        value = lb.cross_entropy_with_logits(0, z, reduction=reduction)
        assert isinstance(value, np.float64)
        assert value == pytest.approx(reference_losses(np.array(0), z), rel=RTOL[dtype])
    g = lb.grad.cross_entropy_with_logits(2, z)
    assert g.shape == (3,) and g.dtype == dtype
    np.testing.assert_allclose(g, reference_grad(np.array(2), z, 1.0), rtol=RTOL[dtype])


def test_confident_rows_keep_relative_accuracy_in_float32():
    # 正解のロジットがほかより 15〜25 大きい行: ロスは 1e-7〜1e-3 と小さく、1 - p の形では桁が落ちます。
    # log1p(r / e_t) の形なので、float32 でも相対誤差 1e-6 以内です。
    rng = np.random.default_rng(4)
    z = rng.standard_normal((40, 3000)).astype(np.float32)
    labels = rng.integers(0, 3000, 40)
    z[np.arange(40), labels] += np.linspace(15, 25, 40).astype(np.float32)
    expected = reference_losses(labels, z)
    assert expected.min() < 1e-6 and expected.max() < 1e-2
    got = lb.cross_entropy_with_logits(labels, z, reduction="none")
    np.testing.assert_allclose(got, expected, rtol=1e-6)
    assert np.all(got > 0)
    g = lb.grad.cross_entropy_with_logits(labels, z, reduction="sum")
    np.testing.assert_allclose(g, reference_grad(labels, z, 1.0), rtol=1e-6, atol=1e-30)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_rows_that_overflow_or_underflow_are_recomputed_exactly(dtype):
    # exp があふれる行（1e4）、正解の項が小さすぎる行（-1e4）、正解だけ極端に小さい行を、
    # ふつうの行と同じ配列に混ぜます
    z, labels = random_case(6, 300, dtype, seed=5)
    z[0] += dtype(1e4)              # 全体が大きい: exp(z) が inf になる
    z[1] -= dtype(1e4)              # 全体が小さい: exp(z) が 0 になる
    z[2, labels[2]] = dtype(-900)   # 正解だけが最大より 900 以上小さい: L ≈ 900
    z[3, :] = dtype(0)
    z[3, labels[3]] = dtype(200)    # 正解が最大: float32 では exp(200) があふれる
    expected = reference_losses(labels, z)
    got = lb.cross_entropy_with_logits(labels, z, reduction="none")
    np.testing.assert_allclose(got, expected, rtol=RTOL[dtype], atol=1e-12)
    assert np.all(np.isfinite(got))
    g = lb.grad.cross_entropy_with_logits(labels, z, reduction="sum")
    assert np.all(np.isfinite(g))
    np.testing.assert_allclose(g, reference_grad(labels, z, 1.0), rtol=RTOL[dtype], atol=1e-12)


def test_rows_whose_exp_total_is_subnormal_give_no_warning():
    # exp の和が非正規化数（9.6e-319）になる行では、倍率 1 / 和 があふれます。
    # hypothesis が見つけた例です。警告を出さずに、最大値を引く式で計算し直すことを確かめます
    z = np.array([[-1245.9, -732.3], [-2325.0, -218.8], [125.7, -132.1]])
    for labels in (np.array([0, 0, 1]), np.array([1, 1, 0])):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            g = lb.grad.cross_entropy_with_logits(labels, z, reduction="sum")
            losses = lb.cross_entropy_with_logits(labels, z, reduction="none")
        # SciPy の基準は 1 - 8.8e-224 を 1 に丸めて 0 を返すので、絶対誤差で比べます
        np.testing.assert_allclose(g, reference_grad(labels, z, 1.0), rtol=1e-12, atol=1e-15)
        # 2 クラスなので L = log(1 + exp(z_他 - z_正解)) を np.logaddexp で正確に計算できます（SciPy の基準は 8.8e-224 を 0 に丸めます）
        other = np.take_along_axis(z, 1 - labels[:, None], axis=1)[:, 0]
        target = np.take_along_axis(z, labels[:, None], axis=1)[:, 0]
        np.testing.assert_allclose(losses, np.logaddexp(0.0, other - target), rtol=1e-12)


def test_ties_single_class_and_equal_logits():
    assert lb.cross_entropy_with_logits([0], [[5.0]]) == 0.0
    np.testing.assert_array_equal(lb.grad.cross_entropy_with_logits([0], np.array([[5.0]], np.float32)), [[0.0]])
    z = np.zeros((2, 4), dtype=np.float32)
    assert lb.cross_entropy_with_logits([1, 3], z) == pytest.approx(np.log(4), rel=1e-7)
    z = np.array([[3.0, 3.0, 1.0]])
    assert lb.cross_entropy_with_logits([0], z) == pytest.approx(reference_losses(np.array([0]), z)[0], rel=1e-14)


def _place(z, labels, where, dtype):
    """where（ふつうの行・正解の位置・exp があふれる行）に対応する (行, 列) を返します。"""
    n_classes = z.shape[1]
    if where == "ordinary row":
        return 40, (labels[40] + 1) % n_classes
    if where == "target":
        return 41, labels[41]
    z[42] += dtype(1e4)  # この行は exp があふれるので、最大値を引く式で計算し直されます
    return 42, (labels[42] + 1) % n_classes


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("bad", [np.nan, np.inf])
@pytest.mark.parametrize("where", ["ordinary row", "target", "overflowing row"])
def test_nan_and_posinf_anywhere_give_a_japanese_error(dtype, bad, where):
    z, labels = random_case(64, 20000, dtype, seed=6)
    row, col = _place(z, labels, where, dtype)
    z[row, col] = bad
    for fn in (lb.cross_entropy_with_logits, lb.grad.cross_entropy_with_logits):
        with pytest.raises(ValueError, match=rf"logits に NaN か \+inf が含まれています（logits\[{row}, {col}\]"):
            fn(labels, z)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("where", ["ordinary row", "target", "overflowing row"])
def test_minus_inf_is_a_mask_with_probability_zero(dtype, where):
    # -inf のロジットは「その候補を消す」マスク: 確率 0、勾配 0。正解が消されていればロスは +inf、
    # 正解の成分の勾配は softmax - 1 = -1（PyTorch と同じ）
    z, labels = random_case(64, 20000, dtype, seed=6)
    row, col = _place(z, labels, where, dtype)
    z[row, col] = -np.inf
    z[5, :100] = -np.inf  # 正解以外のたくさんの候補を消した行
    z[5, labels[5]] = dtype(1.5)
    losses = lb.cross_entropy_with_logits(labels, z, reduction="none")
    g = lb.grad.cross_entropy_with_logits(labels, z, reduction="sum")
    finite = np.isfinite(z)
    # 基準: マスクした候補を取り除いた行で計算したロスと勾配（マスクしていない成分）
    for i in (5, row, 0):
        keep = finite[i]
        if not keep[labels[i]]:
            assert losses[i] == np.inf
            assert g[i, labels[i]] == -1.0
            ref_g = softmax(z[i, keep].astype(np.float64))
        else:
            t = int(np.sum(keep[: labels[i]]))
            ref = reference_losses(np.array([t]), z[i, keep][None, :])[0]
            np.testing.assert_allclose(losses[i], ref, rtol=RTOL[dtype])
            ref_g = reference_grad(np.array([t]), z[i, keep][None, :], 1.0)[0]
        np.testing.assert_allclose(g[i, keep], ref_g, rtol=RTOL[dtype] * 5, atol=1e-30)
        assert np.all(g[i, ~keep][np.arange(z.shape[1])[~keep] != labels[i]] == 0.0)
    assert np.isfinite(losses[np.arange(64) != row]).all()


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_a_row_of_only_minus_inf_is_refused(dtype):
    z, labels = random_case(20, 50, dtype, seed=3)
    z[11] = -np.inf
    for fn in (lb.cross_entropy_with_logits, lb.grad.cross_entropy_with_logits):
        with pytest.raises(ValueError, match=r"logits\[11, :\] の値がすべて -inf です"):
            fn(labels, z)


def test_inputs_are_not_modified_and_any_layout_works():
    z, labels = random_case(9, 4000, np.float32, seed=7)
    copy = z.copy()
    expected = lb.cross_entropy_with_logits(labels, z, reduction="none")
    np.testing.assert_array_equal(z, copy)
    lb.grad.cross_entropy_with_logits(labels, z)
    np.testing.assert_array_equal(z, copy)
    fortran = np.asfortranarray(z)
    np.testing.assert_array_equal(lb.cross_entropy_with_logits(labels, fortran, reduction="none"), expected)
    wide = np.repeat(z, 2, axis=1)[:, ::2]  # 連続していないビュー
    np.testing.assert_array_equal(lb.cross_entropy_with_logits(labels, wide, reduction="none"), expected)
    np.testing.assert_array_equal(lb.grad.cross_entropy_with_logits(labels, wide),
                                  lb.grad.cross_entropy_with_logits(labels, z))


def test_other_dtypes_and_lists_are_computed_in_float64():
    z16 = np.array([[2.0, 1.0, 0.1]], dtype=np.float16)
    g = lb.grad.cross_entropy_with_logits([0], z16)
    assert g.dtype == np.float64
    assert lb.grad.cross_entropy_with_logits([0], [[2.0, 1.0, 0.1]]).dtype == np.float64
    assert lb.grad.cross_entropy_with_logits([0], np.array([[2, 1, 0]])).dtype == np.float64
    expected = reference_losses(np.array([0]), z16.astype(np.float64))[0]
    assert lb.cross_entropy_with_logits([0], z16) == pytest.approx(expected, rel=1e-14)


def peak_extra_bytes(fn):
    """fn() の間に増えたメモリの最大（バイト）と fn() の結果を返します（lossbook.llm_scale.peak_memory）。"""
    result, peak = peak_memory(fn)
    return peak, result


def test_peak_memory_stays_a_small_fraction_of_the_logits():
    # メモリの量は時間と違って機械によらないので、テストで確かめます（時間はベンチマークで表示）
    z, labels = random_case(256, 20000, np.float32, seed=8)  # 20 MB
    peak, _ = peak_extra_bytes(lambda: lb.cross_entropy_with_logits(labels, z))
    assert peak <= 0.25 * z.nbytes, f"{peak / z.nbytes:.1%}"
    peak, g = peak_extra_bytes(lambda: lb.grad.cross_entropy_with_logits(labels, z))
    assert peak - g.nbytes <= 0.25 * z.nbytes, f"{(peak - g.nbytes) / z.nbytes:.1%}"
    # 比べる相手: 単純な経路（one-hot の正解の分布）は float64 のコピーなどで何倍も使います
    target = one_hot(labels[:16], 20000)
    peak_simple, _ = peak_extra_bytes(lambda: lb.cross_entropy_with_logits(target, z[:16]))
    assert peak_simple >= 2 * z[:16].nbytes


def test_buffers_stay_small_with_many_threads():
    # スレッドはそれぞれバッファを持ちます。コアが多いマシン（ここでは 32 スレッドを指定）でも、
    # バッファの合計はロジットの 1/8 までです
    z, labels = random_case(256, 20000, np.float32, seed=11)
    expected = _blocked.row_losses(z, labels, threads=1)
    peak, losses = peak_extra_bytes(lambda: _blocked.row_losses(z, labels, threads=32))
    np.testing.assert_array_equal(losses, expected)
    assert peak <= 0.15 * z.nbytes, f"{peak / z.nbytes:.1%}"
    assert _blocked._plan(256, 20000, 4, None, 32) == (32, 1)
    assert _blocked._plan(1024, 50257, 4, None, 2) == (2, 5)
    assert _blocked._plan(12, 100000, 4, None, 8) == (1, 1)  # 8 行未満ずつには分けません


def test_gradient_rows_sum_to_zero_and_match_numerical_gradient():
    z, labels = random_case(3, 7, np.float64, seed=9)
    g = lb.grad.cross_entropy_with_logits(labels, z, reduction="sum")
    np.testing.assert_allclose(g.sum(axis=1), 0.0, atol=1e-15)
    numeric = lb.numerical_gradient(lambda v: lb.cross_entropy_with_logits(labels, v, reduction="sum"), z)
    np.testing.assert_allclose(g, numeric, atol=1e-7)


def test_row_sums_of_fifty_thousand_float32_terms():
    # 折りたたんだ和（_row_sums）の相対誤差は float32 でもおおよそ 1e-7 です
    rng = np.random.default_rng(10)
    block = np.exp(3 * rng.standard_normal((4, 50257))).astype(np.float32)
    got = np.empty(4)
    _blocked._RowSums(4, 50257, np.float32)(block, out=got)
    np.testing.assert_allclose(got, block.astype(np.float64).sum(axis=1), rtol=1e-6)
    # 2 × 1024 列より狭いブロックは、そのまま numpy の和です
    small = block[:, :100]
    _blocked._RowSums(4, 100, np.float32)(small, out=got)
    np.testing.assert_array_equal(got, np.add.reduce(small, axis=1))


def test_without_threads_everything_runs_on_one_thread(monkeypatch):
    """Pyodide（sys.platform == "emscripten"）にはスレッドがないので、threads を渡されても 1 スレッドで計算し、
    結果はスレッドを使ったときとビット単位で同じです。"""
    z, labels = random_case(64, 20000, np.float32, seed=5)
    with_threads = _blocked.row_losses(z, labels, threads=2)
    monkeypatch.setattr(_blocked.sys, "platform", "emscripten")
    assert not _blocked.can_use_threads() and _blocked.default_threads() == 1
    assert _blocked._plan(64, 20000, 4, None, 8)[0] == 1

    def no_threads(threads):
        raise AssertionError("スレッドプールを作ろうとしました")

    monkeypatch.setattr(_blocked, "_executor", no_threads)
    np.testing.assert_array_equal(_blocked.row_losses(z, labels, threads=8), with_threads)
