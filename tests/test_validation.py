"""不正な入力には、引数名を含む日本語のメッセージで ValueError / TypeError を出すこと。"""

import re
import warnings

import numpy as np
import pytest

import lossbook as lb

KANA = re.compile(r"[\u3040-\u30ff]")

P2 = [[0.5, 0.5], [0.2, 0.8]]
Z2 = [[1.0, 2.0], [0.0, 3.0]]

# (名前, 呼び出し, 例外, メッセージに含まれるべき文字列)
CASES = [
    # 形・バッチサイズの不一致
    ("ce batch", lambda: lb.cross_entropy([0, 1, 1], np.full((2, 4), 0.25)), ValueError, ["y_true", "(3,)", "(2, 4)"]),
    ("ce label shape 1d", lambda: lb.cross_entropy([0], [0.5, 0.25, 0.25]), ValueError, ["y_true", "(1,)"]),
    ("ce 2d target wrong K", lambda: lb.cross_entropy([[1.0, 0.0, 0.0]], [[0.5, 0.5]]), ValueError, ["y_true"]),
    ("cel batch", lambda: lb.cross_entropy_with_logits([0, 1, 0], Z2), ValueError, ["y_true", "logits"]),
    ("mse shape", lambda: lb.mse([1.0, 2.0], [1.0, 2.0, 3.0]), ValueError, ["y_true", "y_pred"]),
    ("bce shape", lambda: lb.binary_cross_entropy([1.0, 0.0], [[0.5, 0.5]]), ValueError, ["y_true", "p"]),
    ("kl shape", lambda: lb.kl_divergence([0.5, 0.5], [0.2, 0.3, 0.5]), ValueError, ["p", "q"]),
    # 確率でない y_pred（ロジットを渡した）
    ("ce logits passed", lambda: lb.cross_entropy([0, 1], [[2.0, 1.2], [0.1, 0.3]]), ValueError,
     ["y_pred", "行 0", "3.2", "cross_entropy_with_logits"]),
    ("ce negative prob", lambda: lb.cross_entropy(0, [1.5, -0.5]), ValueError, ["y_pred", "-0.5", "cross_entropy_with_logits"]),
    ("ce sum 1d", lambda: lb.cross_entropy(0, [0.3, 0.3]), ValueError, ["y_pred", "0.6"]),
    ("ce soft target bad", lambda: lb.cross_entropy([[0.5, 0.4], [0.5, 0.5]], P2), ValueError, ["y_true", "0.9"]),
    ("ce soft target negative", lambda: lb.cross_entropy([1.5, -0.5], [0.5, 0.5]), ValueError, ["y_true"]),
    # クラス番号
    ("label out of range", lambda: lb.cross_entropy([0, 2], P2), ValueError, ["y_true", "2", "0 から 1"]),
    ("label negative", lambda: lb.cross_entropy([0, -1], P2), ValueError, ["y_true", "-1"]),
    ("label fractional", lambda: lb.cross_entropy([0, 0.5], P2), ValueError, ["y_true", "0.5"]),
    ("label fractional 1d", lambda: lb.cross_entropy(2.5, [0.2, 0.3, 0.5]), ValueError, ["y_true", "2.5"]),
    ("label logits range", lambda: lb.cross_entropy_with_logits(3, [0.0, 1.0, 2.0]), ValueError, ["y_true", "3"]),
    # NaN / inf
    ("nan y_pred", lambda: lb.cross_entropy(0, [np.nan, 1.0]), ValueError, ["y_pred", "NaN"]),
    ("nan label", lambda: lb.cross_entropy([0, np.nan], P2), ValueError, ["y_true"]),
    ("inf logits", lambda: lb.cross_entropy_with_logits(0, [np.inf, 0.0]), ValueError, ["logits", "inf"]),
    ("all -inf logits softmax", lambda: lb.softmax([-np.inf, -np.inf]), ValueError, ["logits", "-inf"]),
    ("all -inf row log_softmax", lambda: lb.log_softmax([[0.0, 1.0], [-np.inf, -np.inf]]), ValueError,
     ["logits[1, :]", "すべて -inf"]),
    ("all -inf row ce soft", lambda: lb.cross_entropy_with_logits([[1.0, 0.0]], [[-np.inf, -np.inf]]), ValueError,
     ["logits[0, :]", "すべて -inf"]),
    ("nan logits 1d labels", lambda: lb.cross_entropy_with_logits(0, [0.0, np.nan]), ValueError,
     ["logits[1] の値は nan", "マスク"]),
    ("all -inf 1d labels grad", lambda: lb.grad.cross_entropy_with_logits(0, [-np.inf, -np.inf]), ValueError,
     ["logits の値がすべて -inf"]),
    ("+inf logits softmax", lambda: lb.softmax([np.inf, 0.0]), ValueError, ["logits[0]", "+inf", "マスク"]),
    ("nan log_softmax", lambda: lb.log_softmax([[0.0, np.nan]]), ValueError, ["logits", "logits[0, 1]"]),
    ("nan logsumexp", lambda: lb.logsumexp([np.nan]), ValueError, ["x"]),
    ("nan mse", lambda: lb.mse([np.nan], [1.0]), ValueError, ["y_true"]),
    ("inf mse pred", lambda: lb.mse([1.0], [np.inf]), ValueError, ["y_pred"]),
    ("nan bce", lambda: lb.binary_cross_entropy([1.0], [np.nan]), ValueError, ["p"]),
    ("nan kl", lambda: lb.kl_divergence([0.5, 0.5], [np.nan, 0.5]), ValueError, ["q"]),
    ("nan entropy", lambda: lb.entropy([np.nan, 1.0]), ValueError, ["p"]),
    ("inf perplexity", lambda: lb.perplexity(np.inf), ValueError, ["mean_cross_entropy"]),
    ("nan perplexity", lambda: lb.perplexity([1.0, np.nan]), ValueError, ["mean_cross_entropy"]),
    ("nan numerical x", lambda: lb.numerical_gradient(np.sum, [np.nan]), ValueError, ["x"]),
    # 空の入力
    ("empty y_pred", lambda: lb.cross_entropy([], np.zeros((0, 3))), ValueError, ["y_pred", "(0, 3)"]),
    ("K = 0", lambda: lb.cross_entropy([], np.zeros((2, 0))), ValueError, ["y_pred"]),
    ("empty 1d", lambda: lb.cross_entropy(0, []), ValueError, ["y_pred"]),
    ("empty logits", lambda: lb.cross_entropy_with_logits([], np.zeros((0, 3))), ValueError, ["logits"]),
    ("empty softmax", lambda: lb.softmax([]), ValueError, ["logits"]),
    ("empty logsumexp", lambda: lb.logsumexp(np.zeros((2, 0))), ValueError, ["x"]),
    ("empty mse", lambda: lb.mse([], []), ValueError, ["y_pred"]),
    ("empty bce", lambda: lb.binary_cross_entropy([], []), ValueError, ["p"]),
    ("empty kl", lambda: lb.kl_divergence([], []), ValueError, ["p"]),
    ("empty entropy", lambda: lb.entropy(np.zeros((0, 2))), ValueError, ["p"]),
    ("empty perplexity", lambda: lb.perplexity([]), ValueError, ["mean_cross_entropy"]),
    ("empty numerical", lambda: lb.numerical_gradient(np.sum, []), ValueError, ["x"]),
    # reduction
    ("reduction ce", lambda: lb.cross_entropy(0, [1.0, 0.0], reduction="avg"), ValueError, ["reduction", "avg", '"mean"', '"sum"', '"none"']),
    ("reduction None", lambda: lb.mse([1.0], [1.0], reduction=None), ValueError, ["reduction", "None"]),
    ("reduction upper", lambda: lb.cross_entropy_with_logits(0, [1.0, 0.0], reduction="Mean"), ValueError, ["reduction"]),
    ("reduction bce", lambda: lb.binary_cross_entropy([1.0], [0.5], reduction="max"), ValueError, ["reduction"]),
    ("reduction kl", lambda: lb.kl_divergence([1.0], [1.0], reduction=""), ValueError, ["reduction"]),
    ("reduction entropy", lambda: lb.entropy([1.0], reduction=["mean"]), ValueError, ["reduction"]),
    ("reduction grad", lambda: lb.grad.cross_entropy_with_logits(0, [1.0, 0.0], reduction="avg"), ValueError, ["reduction"]),
    # KL・エントロピーの入力が分布でない
    ("kl p not dist", lambda: lb.kl_divergence([2.0, 1.0], [0.5, 0.5]), ValueError, ["p", "lb.softmax"]),
    ("kl q negative", lambda: lb.kl_divergence([0.5, 0.5], [1.5, -0.5]), ValueError, ["q", "-0.5"]),
    ("kl q rows", lambda: lb.kl_divergence(P2, [[0.5, 0.5], [0.5, 0.6]]), ValueError, ["q", "行 1", "1.1"]),
    ("entropy not dist", lambda: lb.entropy([0.2, 0.2]), ValueError, ["p", "0.4"]),
    # 2 値のラベル・確率が [0, 1] の外
    ("bce label 2", lambda: lb.binary_cross_entropy([2.0, 0.0], [0.5, 0.5]), ValueError, ["y_true", "2"]),
    ("bce label negative", lambda: lb.binary_cross_entropy([-1.0], [0.5]), ValueError, ["y_true"]),
    ("bce p above 1", lambda: lb.binary_cross_entropy([1.0, 0.0], [0.5, 3.0]), ValueError, ["p", "3", "ロジット"]),
    ("bce p negative", lambda: lb.binary_cross_entropy([1.0], [-0.1]), ValueError, ["p", "-0.1"]),
    # axis
    ("axis 2 on 2d", lambda: lb.softmax(Z2, axis=2), ValueError, ["axis", "-2", "1"]),
    ("axis -3 on 2d", lambda: lb.log_softmax(Z2, axis=-3), ValueError, ["axis"]),
    ("axis logsumexp", lambda: lb.logsumexp([1.0, 2.0], axis=1), ValueError, ["axis"]),
    ("axis float", lambda: lb.softmax(Z2, axis=1.0), TypeError, ["axis"]),
    ("axis None", lambda: lb.logsumexp(Z2, axis=None), TypeError, ["axis"]),
    ("0-d softmax", lambda: lb.softmax(3.0), ValueError, ["logits"]),
    # 次元数
    ("3-d y_pred", lambda: lb.cross_entropy(np.zeros((2, 3)), np.full((2, 3, 2), 0.5)), ValueError, ["y_pred", "3 次元"]),
    ("0-d y_pred", lambda: lb.cross_entropy(0, 1.0), ValueError, ["y_pred", "0 次元"]),
    ("3-d logits", lambda: lb.cross_entropy_with_logits(0, np.zeros((1, 1, 2))), ValueError, ["logits"]),
    ("0-d kl", lambda: lb.kl_divergence(1.0, 1.0), ValueError, ["p"]),
    ("3-d entropy", lambda: lb.entropy(np.full((1, 1, 2), 0.5)), ValueError, ["p"]),
    # 数値でない入力
    ("string y_pred", lambda: lb.cross_entropy(0, "abc"), TypeError, ["y_pred"]),
    ("None logits", lambda: lb.cross_entropy_with_logits(0, None), TypeError, ["logits"]),
    ("None y_true", lambda: lb.cross_entropy(None, [0.5, 0.5]), TypeError, ["y_true"]),
    ("object dtype", lambda: lb.mse(np.array([1, 2], dtype=object), [1.0, 2.0]), TypeError, ["y_true"]),
    ("strings in list", lambda: lb.softmax(["1", "2"]), TypeError, ["logits"]),
    ("None in list", lambda: lb.entropy([0.5, None]), TypeError, ["p"]),
    ("complex", lambda: lb.logsumexp([1 + 1j]), TypeError, ["x"]),
    ("string perplexity", lambda: lb.perplexity("2.0"), TypeError, ["mean_cross_entropy"]),
    ("ragged", lambda: lb.softmax([[1.0, 2.0], [3.0]]), ValueError, ["logits"]),
    # perplexity
    ("negative perplexity", lambda: lb.perplexity(-0.5), ValueError, ["mean_cross_entropy", "-0.5"]),
    ("negative perplexity array", lambda: lb.perplexity([1.0, -2.0]), ValueError, ["mean_cross_entropy"]),
    # numerical_gradient
    ("h zero", lambda: lb.numerical_gradient(np.sum, [1.0], h=0.0), ValueError, ["h"]),
    ("h negative", lambda: lb.numerical_gradient(np.sum, [1.0], h=-1e-5), ValueError, ["h"]),
    ("h nan", lambda: lb.numerical_gradient(np.sum, [1.0], h=float("nan")), ValueError, ["h"]),
    ("h string", lambda: lb.numerical_gradient(np.sum, [1.0], h="0.1"), TypeError, ["h"]),
    ("f not callable", lambda: lb.numerical_gradient(3.0, [1.0]), TypeError, ["f"]),
    ("f returns vector", lambda: lb.numerical_gradient(lambda v: v * 2, [1.0, 2.0]), ValueError, ["f"]),
    ("f returns nan", lambda: lb.numerical_gradient(lambda v: float("nan"), [1.0]), ValueError, ["f"]),
    ("f returns inf", lambda: lb.numerical_gradient(lambda v: float("inf"), [1.0]), ValueError, ["f"]),
    ("f returns None", lambda: lb.numerical_gradient(lambda v: None, [1.0]), ValueError, ["f"]),
    ("f returns string", lambda: lb.numerical_gradient(lambda v: "x", [1.0]), ValueError, ["f"]),
]


@pytest.mark.parametrize("label, call, exc, fragments", CASES, ids=[c[0] for c in CASES])
def test_bad_input(label, call, exc, fragments):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(exc) as info:
            call()
    # numpy の AxisError（ValueError かつ IndexError）ではなく、素の例外であること
    assert not isinstance(info.value, IndexError)
    message = str(info.value)
    assert KANA.search(message), f"日本語のメッセージではありません: {message}"
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} がメッセージにありません: {message}"


def test_logits_hint_message_in_full():
    with pytest.raises(ValueError) as info:
        lb.cross_entropy([0, 1], [[2.0, 1.2], [0.1, 0.3]])
    assert str(info.value) == (
        "y_pred の行の和が 1 になっていません（行 0 の和は 3.2）。"
        "確率ではなくロジット（ソフトマックス関数を通す前の値）を渡していませんか？ "
        "その場合は lb.cross_entropy_with_logits を使ってください。"
    )


def test_shape_mismatch_message_starts_as_documented():
    with pytest.raises(ValueError) as info:
        lb.cross_entropy([0, 1, 1], np.full((2, 4), 0.25))
    assert str(info.value).startswith("y_true の形 (3,) と y_pred の形 (2, 4) が合いません。")


def test_tolerance_of_row_sums():
    # 1e-6 までのずれは許し、それを超えたらエラー
    assert np.isfinite(lb.cross_entropy(0, [0.5 + 5e-7, 0.5]))
    with pytest.raises(ValueError):
        lb.cross_entropy(0, [0.5 + 5e-6, 0.5])


def test_kl_zero_q_is_not_an_error():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert lb.kl_divergence([0.3, 0.7], [0.0, 1.0]) == np.inf


def test_accepted_edge_inputs():
    # float で保存された整数ラベル、bool の 2 値ラベル、0 次元配列のラベル
    assert lb.cross_entropy(np.array([1.0, 0.0]), [[0.2, 0.8], [0.6, 0.4]]) > 0
    assert lb.binary_cross_entropy(np.array([True, False]), [0.9, 0.1]) > 0
    assert lb.cross_entropy(np.array(0), [0.5, 0.5]) > 0
    assert lb.cross_entropy(np.int64(0), [0.5, 0.5]) > 0
    assert lb.softmax([1, 2], axis=np.int64(0)).shape == (2,)
