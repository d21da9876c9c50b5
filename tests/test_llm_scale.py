"""lossbook.llm_scale（付録A の道具）のテスト: ロジットのバイト数、ピークメモリ、bfloat16 の丸め、低い精度のロス。"""

import os
import re
import subprocess
import sys
import tracemalloc
import warnings

import numpy as np
import pytest

import lossbook as lb
from lossbook.llm_scale import (
    BYTES_PER_ELEMENT,
    DTYPES,
    logits_nbytes,
    naive_cross_entropy,
    peak_memory,
    round_to_bfloat16,
    stable_cross_entropy,
)

from conftest import ROOT

JA = re.compile(r"[ぁ-んァ-ン一-龥]")

# この付録の 2 つの実験のロジット（付録の表と同じもの）
THREE = np.array([2.0, 1.0, 0.0])          # 正解は 0 番。正しいロスは log(1 + e^-1 + e^-2)
TRUE_LOSS = float(lb.cross_entropy_with_logits(0, THREE))


def _shifted(c):
    """すべてのロジットに c を足した (c + 2, c + 1, c)。正しいロスは c によりません。"""
    return THREE + c


def _far_below(d):
    """正解のロジットだけがほかより d 小さい (-d, 0, 0)。正しいロスは d + log(2 + e^-d)。"""
    return np.array([-d, 0.0, 0.0])


def _bits(x):
    return int(np.float32(x).view(np.uint32))


def _from_bits(b):
    return np.uint32(b).view(np.float32)


# ---------------------------------------------------------------- logits_nbytes

def test_logits_nbytes_known_values():
    assert logits_nbytes(1, 1024, 50257, "float32") == 205_852_672
    assert logits_nbytes(8, 4096, 128256, "bfloat16") == 8 * 4096 * 128256 * 2
    assert logits_nbytes(2, 3, 5, "float64") == 240
    assert logits_nbytes(2, 3, 5, "float16") == logits_nbytes(2, 3, 5, "bfloat16") == 60
    # numpy の型も受け付け、int は大きくてもあふれない
    assert logits_nbytes(1, 1, 7, np.float32) == 28
    assert logits_nbytes(1, 1, 7, np.dtype("float16")) == 14
    assert logits_nbytes(np.int64(10**6), 10**6, 10**6, "float64") == 8 * 10**18
    assert isinstance(logits_nbytes(1, 1, 1, "float32"), int)
    assert set(BYTES_PER_ELEMENT) == set(DTYPES)


@pytest.mark.parametrize("args, name, exc", [
    ((0, 1024, 100, "float32"), "batch", ValueError),
    ((1, -5, 100, "float32"), "seq_len", ValueError),
    ((1, 1024, 2.5, "float32"), "vocab", TypeError),       # 整数でない型は TypeError
    ((True, 1024, 100, "float32"), "batch", TypeError),
    ((1, "1024", 100, "float32"), "seq_len", TypeError),
])
def test_logits_nbytes_rejects_bad_sizes(args, name, exc):
    with pytest.raises(exc, match=name) as err:
        logits_nbytes(*args)
    assert JA.search(str(err.value))


@pytest.mark.parametrize("dtype", ["bf16", "int8", "float128", None, np.int32, "Float32"])
def test_logits_nbytes_rejects_unknown_dtypes(dtype):
    with pytest.raises(ValueError, match="dtype") as err:
        logits_nbytes(1, 1, 1, dtype)
    assert "bfloat16" in str(err.value) and JA.search(str(err.value))


# ---------------------------------------------------------------- peak_memory

def test_peak_memory_counts_numpy_arrays_and_returns_the_result():
    result, peak = peak_memory(np.ones, 1_000_000)
    assert result.shape == (1_000_000,)
    assert 8_000_000 <= peak < 8_000_000 + 200_000
    # 一時配列は、すぐ捨てても最大値に数えられる
    _, peak_tmp = peak_memory(lambda: float(np.ones(2_000_000).sum()))
    assert 16_000_000 <= peak_tmp < 16_000_000 + 200_000
    # キーワード引数も渡せる
    arr, _ = peak_memory(np.full, 3, fill_value=7.0)
    assert arr.tolist() == [7.0, 7.0, 7.0]
    assert not tracemalloc.is_tracing()


def test_peak_memory_inside_an_existing_trace_keeps_it_running():
    tracemalloc.start()
    try:
        keep = np.ones(500_000)                 # 測る前からあるものは数えない
        _, peak = peak_memory(np.zeros, 250_000)
        assert 2_000_000 <= peak < 2_000_000 + 200_000
        assert tracemalloc.is_tracing()
        del keep
    finally:
        tracemalloc.stop()


def test_peak_memory_stops_tracing_even_when_fn_raises():
    def boom():
        raise RuntimeError("わざと")
    with pytest.raises(RuntimeError):
        peak_memory(boom)
    assert not tracemalloc.is_tracing()


@pytest.mark.parametrize("bad", [None, 3, "np.ones"])
def test_peak_memory_rejects_non_callables(bad):
    with pytest.raises(TypeError, match="fn") as err:
        peak_memory(bad)
    assert JA.search(str(err.value))


# ---------------------------------------------------------------- round_to_bfloat16

@pytest.mark.parametrize("bits_in, bits_out", [
    (0x3F800000, 0x3F800000),   # 1.0 はそのまま
    (0x3F808000, 0x3F800000),   # 1 + 2^-8: ちょうど中間、残る最下位ビットが 0 → 切り捨て（偶数）
    (0x3F818000, 0x3F820000),   # 1 + 3·2^-8: ちょうど中間、残る最下位ビットが 1 → 切り上げ（偶数）
    (0x3F808001, 0x3F810000),   # 中間より少し上 → 切り上げ
    (0x3F807FFF, 0x3F800000),   # 中間より少し下 → 切り捨て
    (0xBF808000, 0xBF800000),   # 負の数の中間も偶数へ（-1 + ... → -1）
    (0x3FFFFFFF, 0x40000000),   # 仮数の繰り上がりが指数に伝わる（2 未満の最大の float32 → 2.0）
    (0x7F7F7FFF, 0x7F7F0000),   # bfloat16 の最大値に丸まる
    (0x7F7FFFFF, 0x7F800000),   # float32 の最大値は bfloat16 では inf
    (0x00000000, 0x00000000),   # +0
    (0x80000000, 0x80000000),   # -0 の符号は残る
    (0x7F800000, 0x7F800000),   # +inf
    (0xFF800000, 0xFF800000),   # -inf
    (0x00008000, 0x00000000),   # 非正規化数の中間 → 偶数の 0
    (0x00018000, 0x00020000),   # 非正規化数の中間 → 偶数
    (0x00000001, 0x00000000),   # float32 の最小の正の数は 0 に
])
def test_round_to_bfloat16_bit_patterns(bits_in, bits_out):
    out = round_to_bfloat16(_from_bits(bits_in))
    assert isinstance(out, np.float32)
    assert _bits(out) == bits_out, f"{bits_in:#010x} → {_bits(out):#010x}（期待 {bits_out:#010x}）"


def test_round_to_bfloat16_known_values_and_ties_to_even():
    assert float(round_to_bfloat16(257.0)) == 256.0     # 256 と 258 の中間 → 256（仮数が偶数）
    assert float(round_to_bfloat16(259.0)) == 260.0     # 258 と 260 の中間 → 260
    assert float(round_to_bfloat16(1000.0)) == 1000.0
    assert float(round_to_bfloat16(1001.0)) == 1000.0   # 1000 の近くの刻みは 4
    assert float(round_to_bfloat16(1002.0)) == 1000.0   # 1000 と 1004 の中間 → 1000
    assert float(round_to_bfloat16(1006.0)) == 1008.0   # 1004 と 1008 の中間 → 1008
    assert float(round_to_bfloat16(np.pi)) == 3.140625
    assert float(round_to_bfloat16(1e39)) == np.inf     # float32 でもあふれる値


def test_round_to_bfloat16_nan_stays_nan_with_its_sign():
    # 下位ビットだけに印がある NaN をそのまま丸めると inf に化ける（0x7F800001 → 0x7F800000）
    out = round_to_bfloat16(np.array([0x7F800001, 0xFF800001, 0x7FC00000], dtype=np.uint32).view(np.float32))
    assert np.all(np.isnan(out))
    assert _bits(out[0]) & 0xFFFF == 0 and _bits(out[1]) >> 31 == 1 and _bits(out[0]) >> 31 == 0


def test_round_to_bfloat16_matches_an_independent_nearest_search():
    rng = np.random.default_rng(0)
    bits = rng.integers(0, 2**32, size=20_000, dtype=np.uint64).astype(np.uint32)
    x = bits.view(np.float32)
    x = x[np.isfinite(x)]
    out = round_to_bfloat16(x)
    # 候補は「下位 16 ビットを落とした値」と「その次の bfloat16」の 2 つ。近いほう、同じなら偶数のほう
    lo_bits = (x.view(np.uint32) & 0xFFFF0000).astype(np.uint64)
    lo = lo_bits.astype(np.uint32).view(np.float32).astype(np.float64)
    with np.errstate(over="ignore"):
        hi = (lo_bits + 0x10000).astype(np.uint32).view(np.float32).astype(np.float64)
    d_lo, d_hi = np.abs(x - lo), np.abs(hi - x)
    lo_even = ((lo_bits >> 16) & 1) == 0
    expected = np.where((d_lo < d_hi) | ((d_lo == d_hi) & lo_even), lo, hi)
    # 絶対値が bfloat16 の最大値の先まで行く値は inf（上の式では inf の次のビット列になる）
    big = np.abs(x) > 3.3961e38
    np.testing.assert_array_equal(out[~big], expected[~big].astype(np.float32))
    assert np.all(np.isinf(out[big]))
    # 丸めた値は bfloat16（下位 16 ビットが 0）で、もう一度丸めても変わらない
    assert np.all(out.view(np.uint32) & 0xFFFF == 0)
    np.testing.assert_array_equal(round_to_bfloat16(out), out)


def test_round_to_bfloat16_agrees_with_torch_if_installed():
    torch = pytest.importorskip("torch", reason="torch がないので、torch の bfloat16 との照合を飛ばしました")
    rng = np.random.default_rng(1)
    x = np.concatenate([rng.standard_normal(5000) * 10.0 ** rng.integers(-40, 38, 5000),
                        [257.0, 259.0, 1001.0, 1002.0, 0.0, -0.0]]).astype(np.float32)
    ours = round_to_bfloat16(x)
    theirs = torch.from_numpy(x).to(torch.bfloat16).to(torch.float32).numpy()
    np.testing.assert_array_equal(ours, theirs)


def test_round_to_bfloat16_keeps_shape_and_does_not_touch_the_input():
    x = np.array([[1.0, 257.0], [1e-3, -2.5]], dtype=np.float32)
    before = x.copy()
    out = round_to_bfloat16(x)
    assert out.shape == (2, 2) and out.dtype == np.float32
    np.testing.assert_array_equal(x, before)
    assert round_to_bfloat16([1, 2, 3]).tolist() == [1.0, 2.0, 3.0]


@pytest.mark.parametrize("bad", [None, "1.0", ["a", "b"]])
def test_round_to_bfloat16_rejects_non_numbers(bad):
    with pytest.raises(TypeError, match="x") as err:
        round_to_bfloat16(bad)
    assert JA.search(str(err.value))


# ---------------------------------------------------------------- 低い精度のロス: 正しい場所

@pytest.mark.parametrize("dtype", DTYPES)
def test_both_recipes_are_close_to_float64_on_ordinary_logits(dtype):
    # ふつうの大きさのロジットなら、どちらの式もその型の精度の範囲で正しい
    tol = {"float16": 2e-3, "bfloat16": 1e-2, "float32": 1e-6, "float64": 1e-12}[dtype]
    for recipe in (naive_cross_entropy, stable_cross_entropy):
        assert float(recipe(0, THREE, dtype)) == pytest.approx(TRUE_LOSS, rel=tol)


def test_stable_float64_matches_lossbook_on_many_rows():
    rng = np.random.default_rng(2)
    z = rng.standard_normal((50, 1000)) * 5
    y = rng.integers(0, 1000, 50)
    expected = lb.cross_entropy_with_logits(y, z, reduction="none")
    np.testing.assert_allclose(stable_cross_entropy(y, z, "float64"), expected, rtol=1e-12)
    np.testing.assert_allclose(naive_cross_entropy(y, z, "float64"), expected, rtol=1e-10)
    np.testing.assert_allclose(stable_cross_entropy(y, z, "float32"), expected, rtol=1e-5)
    out = stable_cross_entropy(y, z, "bfloat16")
    assert out.shape == (50,) and out.dtype == np.float64
    np.testing.assert_allclose(out, expected, rtol=3e-2)


def test_bfloat16_results_are_bfloat16_values():
    out = stable_cross_entropy([0, 1], [[2.0, 1.0, 0.0], [0.3, 0.2, 0.1]], "bfloat16")
    assert np.all(np.float32(out).view(np.uint32) & 0xFFFF == 0)
    assert float(naive_cross_entropy(0, THREE, "float16")) == float(np.float16(
        naive_cross_entropy(0, THREE, "float16")))


# ---------------------------------------------------------------- 壊れる場所（付録の表のとおり）

@pytest.mark.parametrize("c, broken", [
    (0, []),
    (10, ["float16"]),                                 # e^12 > 65504
    (100, ["float16", "bfloat16", "float32"]),         # e^102 > 3.4e38
    (1000, ["float16", "bfloat16", "float32", "float64"]),   # e^1002 > 1.8e308
])
def test_naive_overflows_where_the_appendix_says(c, broken):
    for dtype in DTYPES:
        value = float(naive_cross_entropy(0, _shifted(c), dtype))
        if dtype in broken:
            assert np.isnan(value), (c, dtype, value)
        else:
            assert value == pytest.approx(TRUE_LOSS, rel=1e-2), (c, dtype, value)


@pytest.mark.parametrize("c, wrong, nan", [
    (100, [], []),
    (1000, ["bfloat16"], []),               # 1000 の近くの刻みは 4: 差が消えて log 3
    (1e4, ["float16", "bfloat16"], []),     # float16 の 1 万の近くの刻みは 8
    (1e5, ["bfloat16"], ["float16"]),       # float16 ではロジットそのものが inf
    (1e8, ["bfloat16", "float32"], ["float16"]),   # float32 の 1 億の近くの刻みは 8
])
def test_stable_loses_small_differences_where_the_appendix_says(c, wrong, nan):
    for dtype in DTYPES:
        value = float(stable_cross_entropy(0, _shifted(c), dtype))
        if dtype in nan:
            assert np.isnan(value), (c, dtype, value)
        elif dtype in wrong:
            # 3 つのロジットが同じ値に丸まり、ロスは log 3（をその型に丸めた値）になる
            assert value == pytest.approx(np.log(3), rel=1e-2), (c, dtype, value)
        else:
            assert value == pytest.approx(TRUE_LOSS, rel=1e-2), (c, dtype, value)


@pytest.mark.parametrize("d, infinite", [
    (10, []),
    (20, ["float16"]),                                  # e^-20 は float16 では 0
    (100, ["float16", "bfloat16"]),                     # e^-100 は bfloat16 では 0
    (200, ["float16", "bfloat16", "float32"]),
    (1000, ["float16", "bfloat16", "float32", "float64"]),
])
def test_naive_hits_log_zero_where_the_appendix_says(d, infinite):
    true = d + np.log(2 + np.exp(-d))
    for dtype in DTYPES:
        naive = float(naive_cross_entropy(0, _far_below(d), dtype))
        stable = float(stable_cross_entropy(0, _far_below(d), dtype))
        if dtype in infinite:
            assert naive == np.inf, (d, dtype, naive)
        else:
            assert np.isfinite(naive), (d, dtype, naive)
        # log-sum-exp の式は、どの型でも有限で、その型の刻みの範囲で正しい
        assert stable == pytest.approx(true, rel=5e-3), (d, dtype, stable)


def test_confident_correct_answer_rounds_the_loss_to_zero_in_float32():
    # 本当のロスは 2e^-20 ≈ 4.1e-9。float32 では 1 + 4.1e-9 が 1 になり、どちらの式でも 0
    z = [20.0, 0.0, 0.0]
    true = float(np.log1p(2 * np.exp(-20.0)))
    assert float(naive_cross_entropy(0, z, "float32")) == 0.0
    assert float(stable_cross_entropy(0, z, "float32")) == 0.0
    assert float(stable_cross_entropy(0, z, "float64")) == pytest.approx(true, rel=1e-6)


def test_low_precision_recipes_emit_no_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for dtype in DTYPES:
            for z in (_shifted(1e5), _far_below(1000), _shifted(1e8)):
                naive_cross_entropy(0, z, dtype)
                stable_cross_entropy(0, z, dtype)
        round_to_bfloat16([1e39, -1e39, np.nan])


# ---------------------------------------------------------------- 悪い入力

@pytest.mark.parametrize("recipe", [naive_cross_entropy, stable_cross_entropy])
def test_recipes_reject_bad_inputs_in_japanese(recipe):
    cases = [
        ((3, THREE), ValueError, "labels"),                    # 範囲外のクラス番号
        ((0.5, THREE), ValueError, "labels"),                  # 整数でない
        (([0, 1], THREE), ValueError, "labels"),               # 形が合わない
        ((0, [1.0, np.nan]), ValueError, "logits"),
        ((0, [1.0, np.inf]), ValueError, "logits"),
        ((0, []), ValueError, "logits"),
        ((0, np.zeros((2, 2, 2))), ValueError, "logits"),
        ((0, "abc"), TypeError, "logits"),
        ((None, THREE), TypeError, "labels"),
    ]
    for args, error, name in cases:
        with pytest.raises(error, match=name) as err:
            recipe(*args)
        assert JA.search(str(err.value)), args
    with pytest.raises(ValueError, match="dtype"):
        recipe(0, THREE, "half")


def test_recipes_do_not_change_their_inputs():
    z = np.array([[1000.0, 1.0, 2.0]], dtype=np.float32)
    before = z.copy()
    naive_cross_entropy([0], z, "bfloat16")
    stable_cross_entropy([0], z, "float16")
    np.testing.assert_array_equal(z, before)


# ---------------------------------------------------------------- 読み込み

def test_llm_scale_is_numpy_only_and_not_imported_by_lossbook():
    code = ("import sys, lossbook\n"
            "print('lossbook.llm_scale' in sys.modules)\n"
            "import lossbook.llm_scale\n"
            "print(','.join(m for m in ['matplotlib', 'IPython', 'ipywidgets', 'scipy', 'torch']"
            " if m in sys.modules))\n")
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                            cwd=str(ROOT), check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["False", ""]
