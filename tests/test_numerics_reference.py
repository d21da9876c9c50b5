"""公開のロス関数と勾配を、テストの中で書いた独立な基準と比べる性質テスト（hypothesis）。

基準は 2 つです。

* **float64 の素朴な式**: $L = m + \\log\\sum_j e^{z_j - m} - z_t$ をそのまま書いたもの（全行）。
  この式自身の誤差は絶対値で $\\varepsilon \\cdot \\max(|m|, |z_t|)$ ほどなので、その分を許します。
* **mpmath の高精度（50 桁）**: 入力の float をそのまま正確な数として計算した値（1 例につき数行）。
  こちらとは相対誤差で比べます。

許す誤差（どれも「float64 の精度」の意味をこの数で約束します）:

* float64 のロジット: 相対誤差 1e-12。最大値を引く式では $z_j - m$ の丸め（$|z_j - m| \\le 745$ の項だけが
  効くので、相対 $745\\,\\varepsilon \\approx 1.7 \\times 10^{-13}$）が残るためです。
* float32 のロジット（目標がクラス番号）: 相対誤差 1e-6。exp と和を float32 で計算する約束です
  （lossbook/_blocked.py。ロスの値は float64 で返し、あふれる行は float64 で計算し直します）。
* 値が float64 の非正規化数の範囲（1e-300 より小さい）では、相対誤差に意味がないので絶対誤差 1e-300 を許します。

入力は、行数 1〜64、クラス数 2〜500、ロジットの大きさ 1e-3〜1e4 で、正解がほかより
ずっと低い・ずっと高い・最大値と同点・全部負（和が 1 より小さい）・-inf のマスクのある行を混ぜます。
hypothesis は例ごとに numpy の乱数の種を選び、行ごとの混ぜ方も選びます。
"""

import fractions
import os
import warnings

import mpmath
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import lossbook as lb

mpmath.mp.dps = 50
EPS = np.finfo(np.float64).eps
TINY = 1e-300
RTOL = {np.dtype(np.float32): 1e-6, np.dtype(np.float64): 1e-12}
# 例の数は make test で数秒に収まる数です。探すときは増やします:
# LOSSBOOK_EXAMPLES=2000 .venv/bin/python -m pytest tests/test_numerics_reference.py
SETTINGS = settings(deadline=None, max_examples=int(os.environ.get("LOSSBOOK_EXAMPLES", "60")), database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

MIXTURES = ["random", "target far below", "target far above", "tie with max", "all negative", "masked"]
GAPS = [5.0, 50.0, 700.0, 745.0, 760.0, 1e3, 1e4]


def no_warnings(func, *args, **kwargs):
    """numpy の RuntimeWarning を含め、警告が 1 つでも出たら失敗にして呼びます。"""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return func(*args, **kwargs)


@st.composite
def logit_cases(draw, masks=True):
    """(ロジット, クラス番号) を作ります。行ごとに MIXTURES のどれかを選んで形を変えます。"""
    n = draw(st.integers(1, 64))
    k = draw(st.integers(2, 500))
    dtype = draw(st.sampled_from([np.float32, np.float64]))
    scale = draw(st.sampled_from([1e-3, 1.0, 10.0, 100.0, 1e3, 1e4]))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    z = scale * rng.standard_normal((n, k))
    labels = rng.integers(0, k, n)
    kinds = draw(st.lists(st.sampled_from(MIXTURES if masks else MIXTURES[:-1]), min_size=n, max_size=n))
    for i, kind in enumerate(kinds):
        t = labels[i]
        others = np.delete(z[i], t)
        if kind == "target far below":
            z[i, t] = others.max() - draw(st.sampled_from(GAPS))
        elif kind == "target far above":
            z[i, t] = others.max() + draw(st.sampled_from(GAPS))
        elif kind == "tie with max":
            top = z[i].max()
            z[i, rng.integers(0, k, 1 + k // 4)] = top
            z[i, t] = top
        elif kind == "all negative":
            z[i] -= z[i].max() + draw(st.sampled_from([0.5, 30.0, 700.0]))
        elif kind == "masked":
            mask = rng.random(k) < draw(st.sampled_from([0.1, 0.5, 0.9]))
            mask[rng.integers(0, k)] = False  # 少なくとも 1 つは残します
            z[i, mask] = -np.inf
    # float32 に入らない大きさは float32 の最大値の手前に丸めます（有限の入力だけを作るため）
    z = np.clip(z, -3e38, 3e38) if dtype == np.float32 else z
    return z.astype(dtype), labels


def mp_logsumexp(row):
    """mpmath で log Σ exp(z_j) を計算します（-inf の成分は 0 として足します）。"""
    finite = [mpmath.mpf(float(v)) for v in row if np.isfinite(v)]
    return mpmath.log(mpmath.fsum(mpmath.exp(v) for v in finite)) if finite else mpmath.mpf("-inf")


def mp_log_softmax(row):
    """log softmax(z) を mpmath で成分ごとに計算します（-inf の成分は -inf）。

    log Σ e^{z_k} から z_j を引くと、値が 1e-100 のように小さいとき 50 桁でも足りません。そこで
    最大の成分 m では log p_max = -log1p(Σ_{k≠argmax} e^{z_k - m}) と計算し、ほかの成分は
    log p_j = (z_j - m) + log p_max とします（同じ符号の和なので桁落ちしません）。
    """
    values = [mpmath.mpf(float(v)) if np.isfinite(v) else None for v in row]
    top = int(np.argmax(row))
    m = values[top]
    rest = mpmath.fsum(mpmath.exp(v - m) for k, v in enumerate(values) if k != top and v is not None)
    log_p_max = -mpmath.log1p(rest)
    return [(v - m) + log_p_max if v is not None else mpmath.mpf("-inf") for v in values]


def mp_row_loss(row, t):
    return float(-mp_log_softmax(row)[t])


def mp_softmax(row):
    return np.array([float(mpmath.exp(v)) for v in mp_log_softmax(row)])


def plain_row_losses(z, labels):
    """素朴な float64 の式で、全行のロスと、その式自身の誤差の目安を返します。"""
    z = z.astype(np.float64)
    m = np.max(z, axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        lse = m + np.log(np.sum(np.exp(z - m[:, None]), axis=1))
        zt = z[np.arange(len(z)), labels]
        slack = 8 * EPS * np.maximum(np.abs(m), np.where(np.isfinite(zt), np.abs(zt), 0.0))
    return lse - zt, slack


def some_rows(z, count=3):
    """mpmath で確かめる行: 先頭・末尾と、ロジットの幅がいちばん大きい行。"""
    with np.errstate(invalid="ignore"):
        spread = np.nanmax(np.where(np.isfinite(z), z, np.nan), axis=1) - np.nanmin(
            np.where(np.isfinite(z), z, np.nan), axis=1)
    return sorted({0, len(z) - 1, int(np.argmax(spread))})[:count]


def assert_close(got, ref, rtol, atol=TINY, what=""):
    got, ref = np.asarray(got, dtype=np.float64), np.asarray(ref, dtype=np.float64)
    both_inf = np.isinf(got) & np.isinf(ref) & (np.sign(got) == np.sign(ref))
    with np.errstate(invalid="ignore"):
        err = np.where(both_inf, 0.0, np.abs(got - ref))
    bound = rtol * np.where(np.isinf(ref), 0.0, np.abs(ref)) + atol
    bad = ~(err <= bound)
    assert not bad.any(), f"{what}: got {got[bad][:3]} ref {ref[bad][:3]} (rtol {rtol})"


# --- ロジットから ------------------------------------------------------------------


@SETTINGS
@given(logit_cases())
def test_cross_entropy_with_logits_labels_against_references(case):
    z, labels = case
    rtol = RTOL[z.dtype]
    losses = no_warnings(lb.cross_entropy_with_logits, labels, z, reduction="none")
    assert losses.dtype == np.float64 and losses.shape == labels.shape
    masked_target = z[np.arange(len(z)), labels] == -np.inf
    assert np.all(np.isfinite(losses[~masked_target])), "有限の入力でロスが inf になりました"
    assert np.all(losses[masked_target] == np.inf)
    assert np.all(losses >= 0) and not np.any(np.signbit(losses))
    plain, slack = plain_row_losses(z, labels)
    assert_close(losses, plain, rtol, atol=slack + TINY, what="素朴な式")
    for i in some_rows(z):
        assert_close(losses[i], mp_row_loss(z[i], labels[i]), rtol, what=f"mpmath 行 {i}")
    # 平均と合計も同じ行ごとの値から
    finite = np.isfinite(losses).all()
    mean = no_warnings(lb.cross_entropy_with_logits, labels, z)
    total = no_warnings(lb.cross_entropy_with_logits, labels, z, reduction="sum")
    if finite:
        assert_close(mean, np.mean(losses), 1e-14)
        assert_close(total, np.sum(losses), 1e-14)
    else:
        assert mean == np.inf and total == np.inf


@SETTINGS
@given(logit_cases())
def test_gradient_with_labels_against_references(case):
    z, labels = case
    g = no_warnings(lb.grad.cross_entropy_with_logits, labels, z, reduction="sum")
    assert g.dtype == z.dtype and g.shape == z.shape
    assert np.all(np.isfinite(g)), "勾配に inf や NaN があります"
    # -inf（マスク）の成分の勾配は 0（正解でなければ）
    masked = z == -np.inf
    masked[np.arange(len(z)), labels] = False
    assert np.all(g[masked] == 0.0)
    # 成分ごとの比較: 値が float32 / float64 で表せる最小の正規化数より小さい成分は、絶対誤差で見ます
    atol = 1e-37 if z.dtype == np.float32 else TINY
    rtol = 5 * RTOL[z.dtype]
    for i in some_rows(z):
        ref = mp_softmax(z[i])
        t = labels[i]
        if z[i, t] == -np.inf:
            ref[t] = -1.0  # 正解がマスクされていれば softmax_t - 1 = -1
        else:
            # 正解の成分 p_t - 1 は、1 から引かずに -Σ_{j≠t} p_j として正確に作ります
            log_p = mp_log_softmax(z[i])
            ref[t] = -float(mpmath.fsum(mpmath.exp(v) for j, v in enumerate(log_p) if j != t))
        assert_close(g[i], ref, rtol, atol=atol, what=f"勾配 mpmath 行 {i}")
    # 行の和は 0（softmax の和 1 から one-hot の 1 を引くので）
    assert_close(g.astype(np.float64).sum(axis=1), 0.0, 0.0, atol=1e-5 if z.dtype == np.float32 else 1e-12)
    # "mean" は "sum" の 1/N
    mean = no_warnings(lb.grad.cross_entropy_with_logits, labels, z)
    np.testing.assert_allclose(mean, g / len(z), rtol=1e-6 if z.dtype == np.float32 else 1e-15, atol=1e-37)


@SETTINGS
@given(logit_cases(), st.integers(0, 2**32 - 1))
def test_soft_targets_and_log_softmax_against_mpmath(case, seed):
    z, _ = case
    z64 = z.astype(np.float64)  # 目標分布の経路は float64 で計算する約束です
    rng = np.random.default_rng(seed)
    # 目標分布: マスクされていない候補のどれかに重みを置きます（マスクされた候補は 0）
    y = rng.random(z.shape) * (rng.random(z.shape) < 0.3)
    y[np.arange(len(z)), np.argmax(z, axis=1)] += 0.5
    y = np.where(np.isfinite(z), y, 0.0)
    y /= y.sum(axis=1, keepdims=True)
    losses = no_warnings(lb.cross_entropy_with_logits, y, z, reduction="none")
    grad = no_warnings(lb.grad.cross_entropy_with_logits, y, z, reduction="sum")
    log_p = no_warnings(lb.log_softmax, z)
    p = no_warnings(lb.softmax, z)
    lse = no_warnings(lb.logsumexp, z)
    assert np.all(np.isfinite(losses)) and np.all(losses >= 0)
    assert np.all(p[~np.isfinite(z)] == 0.0) and np.all(log_p[~np.isfinite(z)] == -np.inf)
    for i in some_rows(z):
        ref_lse = mp_logsumexp(z64[i])
        mp_logp = mp_log_softmax(z64[i])
        ref_logp = np.array([float(v) for v in mp_logp])
        assert_close(lse[i], float(ref_lse), 1e-14, what="logsumexp")
        assert_close(log_p[i], ref_logp, 1e-12, what="log_softmax")
        assert_close(p[i], mp_softmax(z64[i]), 1e-12, what="softmax")
        ref_loss = -mpmath.fsum(mpmath.mpf(w) * mp_logp[j] for j, w in enumerate(y[i]) if w > 0)
        assert_close(losses[i], float(ref_loss), 1e-12, what="ソフトラベルのロス")
        # 勾配はロジットと同じ dtype で返す約束なので、float32 のロジットなら float32 の精度で比べます
        assert_close(grad[i], mp_softmax(z64[i]) - y[i], RTOL[z.dtype], atol=1e-15, what="ソフトラベルの勾配")


def test_the_reported_inputs():
    # issue で報告された入力: 真のロスは 750（float64 でも float32 でも）
    for dtype in (np.float64, np.float32):
        z = np.array([[-100.0, 650.0]], dtype=dtype)
        assert no_warnings(lb.cross_entropy_with_logits, [0], z) == 750.0
        np.testing.assert_array_equal(lb.grad.cross_entropy_with_logits([0], z), [[-1.0, 1.0]])
    assert lb.log_softmax(np.array([-100.0, 650.0])).tolist() == [-750.0, 0.0]
    # scale 1000 の乱数のロジット: 以前は多くの行が inf でした
    rng = np.random.default_rng(0)
    z = 1000 * rng.standard_normal((200, 50))
    labels = rng.integers(0, 50, 200)
    losses = lb.cross_entropy_with_logits(labels, z, reduction="none")
    plain, slack = plain_row_losses(z, labels)
    assert_close(losses, plain, 1e-12, atol=slack, what="scale 1000")


def test_masks_behave_as_pytorch_does():
    """-inf のマスク: PyTorch の F.cross_entropy / softmax と同じふるまい（torch がなくても確かめます）。"""
    ninf = -np.inf
    assert lb.cross_entropy_with_logits(0, [0.0, ninf]) == 0.0
    assert lb.cross_entropy_with_logits(1, [0.0, ninf]) == np.inf
    assert lb.softmax([0.0, ninf, 1.0])[1] == 0.0
    assert lb.log_softmax([0.0, ninf, 1.0])[1] == ninf
    assert lb.logsumexp([ninf, ninf]) == ninf
    assert lb.logsumexp([[ninf, ninf], [0.0, 0.0]]).tolist() == [ninf, np.log(2.0)]
    # 勾配: マスクの成分は 0、正解がマスクされていれば正解の成分は softmax - 1 = -1
    assert lb.grad.cross_entropy_with_logits(0, [0.0, ninf]).tolist() == [0.0, 0.0]
    assert lb.grad.cross_entropy_with_logits(1, [0.0, ninf]).tolist() == [1.0, -1.0]
    assert lb.grad.cross_entropy_with_logits([[0.0, 1.0]], [[0.0, ninf]]).tolist() == [[1.0, -1.0]]
    # 目標分布で、マスクした候補の重みが 0 なら 0 log 0 = 0（PyTorch は 0 * -inf = NaN を返します）
    assert lb.cross_entropy_with_logits([1.0, 0.0], [0.0, ninf]) == 0.0
    # マスクのない行とまったく同じ値（消した候補は最初からなかったのと同じ）
    z = np.array([2.0, ninf, 0.5, ninf, -1.0])
    assert lb.cross_entropy_with_logits(2, z) == pytest.approx(
        lb.cross_entropy_with_logits(1, [2.0, 0.5, -1.0]), rel=1e-15)
    np.testing.assert_allclose(lb.softmax(z)[[0, 2, 4]], lb.softmax([2.0, 0.5, -1.0]), rtol=1e-15)


def test_masks_against_torch_when_installed():
    torch = pytest.importorskip("torch", reason="torch がないので、マスクの PyTorch との照合を飛ばしました")
    rng = np.random.default_rng(5)
    z = rng.standard_normal((6, 7))
    z[rng.random(z.shape) < 0.4] = -np.inf
    z[:, 3] = 0.25  # どの行にも有限の値を 1 つ残します
    labels = np.array([3, 3, 0, 1, 3, 6])
    zt = torch.tensor(z, requires_grad=True)
    loss_t = torch.nn.functional.cross_entropy(zt, torch.tensor(labels), reduction="none")
    loss_t.sum().backward()
    np.testing.assert_allclose(lb.cross_entropy_with_logits(labels, z, reduction="none"), loss_t.detach().numpy(),
                               rtol=1e-12)
    np.testing.assert_allclose(lb.grad.cross_entropy_with_logits(labels, z, reduction="sum"), zt.grad.numpy(),
                               rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(lb.softmax(z), torch.softmax(torch.tensor(z), dim=-1).numpy(), rtol=1e-12)
    np.testing.assert_array_equal(np.isinf(lb.log_softmax(z)),
                                  np.isinf(torch.log_softmax(torch.tensor(z), dim=-1).numpy()))


# --- 確率から -------------------------------------------------------------------------


def random_distributions(rng, n, k, scale, zero_share):
    """(N, K) の確率分布。ちょうど 0 の成分、1 に近い成分、非正規化数の成分を混ぜます。"""
    z = scale * rng.standard_normal((n, k))
    z[rng.random((n, k)) < zero_share] = -np.inf
    z[:, 0] = np.maximum(z[:, 0], 0.0)
    return lb.softmax(z)


@st.composite
def distribution_pairs(draw):
    """同じ形の分布 P, Q。Q は P に近いもの（小さな KL）と、別に作ったものを選びます。"""
    n, k = draw(st.integers(1, 64)), draw(st.integers(2, 500))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    scale = draw(st.sampled_from([0.1, 1.0, 10.0, 100.0, 700.0]))
    zero_share = draw(st.sampled_from([0.0, 0.2]))
    p = random_distributions(rng, n, k, scale, zero_share)
    if draw(st.booleans()):
        q = random_distributions(rng, n, k, scale, zero_share)
    else:
        q = p * (1 + 1e-9 * rng.standard_normal(p.shape))
        q /= q.sum(axis=1, keepdims=True)
    return p, q


def mp_sum(values):
    return mpmath.fsum(values)


def mp_xlogy(x, y):
    return mpmath.mpf(0) if x == 0 else mpmath.mpf(x) * mpmath.log(mpmath.mpf(y))


@SETTINGS
@given(distribution_pairs(), st.integers(0, 2**32 - 1))
def test_probability_losses_against_mpmath(pq, seed):
    p, q = pq
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, p.shape[1], len(p))
    ce_labels = no_warnings(lb.cross_entropy, labels, q, reduction="none")
    ce_dist = no_warnings(lb.cross_entropy, p, q, reduction="none")
    kl = no_warnings(lb.kl_divergence, p, q, reduction="none")
    h = no_warnings(lb.entropy, p, reduction="none")
    for values in (ce_labels, ce_dist, kl, h):
        assert not np.any(np.isnan(values)) and not np.any(np.signbit(values) & (values == 0))
    for i in some_rows(p):
        ref_label = -mpmath.log(mpmath.mpf(q[i, labels[i]])) if q[i, labels[i]] > 0 else mpmath.inf
        assert_close(ce_labels[i], float(ref_label), 1e-14, what="CE（クラス番号）")
        if np.any((p[i] > 0) & (q[i] == 0)):
            assert ce_dist[i] == np.inf and kl[i] == np.inf
        else:
            ref_ce = -mp_sum(mp_xlogy(a, b) for a, b in zip(p[i], q[i]))
            assert_close(ce_dist[i], float(ref_ce), 1e-13, what="CE（目標分布）")
            terms = [mpmath.mpf(a) * mpmath.log(mpmath.mpf(a) / mpmath.mpf(b)) if a > 0 else mpmath.mpf(0)
                     for a, b in zip(p[i], q[i])]
            ref_kl = mp_sum(terms)
            # KL は正負の項の和なので、項の絶対値の和に対する誤差で見ます（和の桁落ちは避けられません）
            bound = 1e-13 * float(mp_sum(abs(t) for t in terms)) + TINY
            assert abs(kl[i] - float(ref_kl)) <= bound, ("KL", kl[i], float(ref_kl))
        ref_h = -mp_sum(mp_xlogy(a, a) for a in p[i])
        assert_close(h[i], float(ref_h), 1e-13, what="エントロピー")


@SETTINGS
@given(st.integers(1, 300), st.integers(0, 2**32 - 1), st.sampled_from(["labels", "soft", "extreme"]))
def test_binary_cross_entropy_against_mpmath(n, seed, kind):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n).astype(float) if kind != "soft" else rng.random(n)
    if kind == "extreme":
        p = np.where(rng.random(n) < 0.5, 10.0 ** -rng.uniform(1, 300, n), 1 - 10.0 ** -rng.uniform(1, 16, n))
        p[rng.random(n) < 0.1] = rng.choice([0.0, 1.0])
    else:
        p = rng.random(n)
    losses = no_warnings(lb.binary_cross_entropy, y, p, reduction="none")
    assert not np.any(np.isnan(losses)) and not np.any(np.signbit(losses))
    for i in range(min(n, 8)):
        yi, pi = mpmath.mpf(y[i]), mpmath.mpf(p[i])
        if (y[i] > 0 and p[i] == 0) or (y[i] < 1 and p[i] == 1):
            assert losses[i] == np.inf
            continue
        # log(1 - p) は mpmath でも log1p(-p) で計算します（50 桁では 1 - 1e-229 が 1 になるため）
        ref = -(mp_xlogy(y[i], p[i]) + ((1 - yi) * mpmath.log1p(-pi) if y[i] < 1 else 0))
        assert_close(losses[i], float(ref), 1e-13, atol=1e-300, what="BCE")


# --- 回帰のロス（誤差から） -------------------------------------------------------------


def exact_mean(values):
    """有理数で正確に平均し、float に丸めます（float64 の範囲を超えれば inf）。"""
    total = sum(values, fractions.Fraction(0)) / len(values)
    try:
        return float(total)
    except OverflowError:
        return np.inf


def exact_huber(e, d):
    a = abs(e)
    return a * a / 2 if a <= d else d * (a - d / 2)


@SETTINGS
@given(st.integers(1, 200), st.integers(0, 2**32 - 1),
       st.sampled_from([1e-3, 1.0, 1e3, 1e150, 1e154, 1e200, 1e307, 1.7e308]),
       st.sampled_from([1e-3, 0.5, 1.0, 1e3, 1e300]))
def test_regression_losses_and_gradients_exactly(n, seed, scale, delta):
    rng = np.random.default_rng(seed)
    with np.errstate(over="ignore"):
        y = np.clip(scale * rng.standard_normal(n), -1.7e308, 1.7e308)
        y_hat = np.clip(scale * rng.standard_normal(n), -1.7e308, 1.7e308)
    same = rng.random(n) < 0.1
    y_hat[same] = y[same]  # 誤差がちょうど 0 の成分（MAE の劣勾配は 0 と約束）
    errors = [fractions.Fraction(b) - fractions.Fraction(a) for a, b in zip(y, y_hat)]
    d = fractions.Fraction(delta)

    def check(got, ref, what):
        # float64 の最大値のすぐ近くでは、丸めの向きで inf になってもよいとします
        if np.isinf(ref) or (np.isinf(got) and abs(ref) > 1.79e308 * (1 - 1e-14)):
            assert np.isinf(got), (what, got, ref)
        else:
            assert_close(got, ref, 1e-14, what=what)

    for reduction in ("mean", "sum", "none"):
        mse = no_warnings(lb.mse, y, y_hat, reduction=reduction)
        mae = no_warnings(lb.mae, y, y_hat, reduction=reduction)
        hub = no_warnings(lb.huber, y, y_hat, delta=delta, reduction=reduction)
        squares = [e * e for e in errors]
        absolutes = [abs(e) for e in errors]
        hubers = [exact_huber(e, d) for e in errors]
        for got, values, what in ((mse, squares, "mse"), (mae, absolutes, "mae"), (hub, hubers, "huber")):
            if reduction == "mean":
                check(got, exact_mean(values), f"{what} mean")
            elif reduction == "sum":
                check(got, _exact_float(sum(values)), f"{what} sum")
            else:
                for i in range(min(n, 10)):
                    check(got[i], _exact_float(values[i]), f"{what} none")
    # 勾配（"mean" は全要素の平均）
    g_mse = no_warnings(lb.grad.mse, y, y_hat)
    g_mae = no_warnings(lb.grad.mae, y, y_hat)
    g_hub = no_warnings(lb.grad.huber, y, y_hat, delta=delta)
    for i in range(min(n, 10)):
        e = errors[i]
        check(g_mse[i], _exact_float(2 * e / n), "grad mse")
        check(g_mae[i], _exact_float(fractions.Fraction((e > 0) - (e < 0), n)), "grad mae")
        check(g_hub[i], _exact_float(max(-d, min(d, e)) / n), "grad huber")


def _exact_float(value):
    try:
        return float(value)
    except OverflowError:
        return np.inf if value > 0 else -np.inf


def test_overflow_cases_from_the_issue_have_no_warning():
    assert no_warnings(lb.mse, [0.0], [1e200]) == np.inf
    assert no_warnings(lb.huber, [0.0], [1e200]) == 1e200 - 0.5
    # 二乗はあふれても平均は float64 に収まる: ((2e154)^2 + 0) / 4 = 1e308
    assert no_warnings(lb.mse, [0.0, 0.0, 0.0, 0.0], [2e154, 0.0, 0.0, 0.0]) == pytest.approx(1e308, rel=1e-15)
    # 誤差そのものがあふれても平均絶対誤差は収まる
    assert no_warnings(lb.mae, [-1.5e308, 0.0], [1.5e308, 0.0]) == pytest.approx(1.5e308, rel=1e-15)
    assert no_warnings(lb.grad.mse, [-1.5e308, 0.0, 0.0, 0.0], [1.5e308, 0.0, 0.0, 0.0])[0] == pytest.approx(1.5e308)


def test_no_negative_zero():
    assert not np.signbit(lb.entropy([[0.5, 0.5], [1.0, 0.0]], reduction="none")).any()
    assert repr(lb.entropy([[0.5, 0.5], [1.0, 0.0]], reduction="none")[1]) == "np.float64(0.0)"
    assert not np.signbit(lb.cross_entropy(0, [1.0, 0.0]))
    assert not np.signbit(lb.cross_entropy([1.0, 0.0], [1.0, 0.0]))
    assert not np.signbit(lb.binary_cross_entropy([1.0, 0.0], [1.0, 0.0], reduction="none")).any()
    assert not np.signbit(lb.cross_entropy_with_logits([1.0, 0.0], [0.0, -np.inf]))
    assert not np.signbit(lb.grad.cross_entropy_with_logits(0, [0.0, -np.inf])).any()
    assert not np.signbit(lb.kl_divergence([1.0, 0.0], [1.0, 0.0]))
