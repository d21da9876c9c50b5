"""第2章のテスト: ソフトマックス回帰の小さな分類器、対話型の図、練習問題。"""

import re
from unittest import mock

import numpy as np
import pytest

import lossbook as lb
from lossbook import softmax_regression as sr
from lossbook.exercises.ch02 import EXERCISES
from lossbook.selfcheck import check
from lossbook.widgets.training import STEPS, TrainingExplorer

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def data():
    return sr.make_toy_data()


@pytest.fixture(scope="module")
def explorer():
    return TrainingExplorer()


def _numbers(caption):
    """説明文「20 歩目: 学習データでのロス L = 0.494 nat、正解率 82.0%」から
    (歩数, ロス, 正解率) を取り出します。"""
    step = int(re.match(r"(\d+) 歩目", caption).group(1))
    loss = float(re.search(r"L = (\d+\.\d+) nat", caption).group(1))
    acc = float(re.search(r"正解率 (\d+\.\d+)%", caption).group(1)) / 100
    return step, loss, acc


# --- データとモデル ---------------------------------------------------------------

def test_toy_data_shape_labels_and_determinism(data):
    X, y = data
    assert X.shape == (150, 2) and y.shape == (150,)
    assert np.bincount(y).tolist() == [50, 50, 50]
    X2, y2 = sr.make_toy_data()
    assert np.array_equal(X, X2) and np.array_equal(y, y2)
    X3, _ = sr.make_toy_data(seed=1)
    assert not np.allclose(X, X3)
    # 各クラスの点の平均は、そのクラスの中心の近く
    for k, center in enumerate(sr.CENTERS):
        assert np.linalg.norm(X[y == k].mean(axis=0) - center) < 0.4


def test_zero_params_give_log_k(data):
    X, y = data
    W, b = sr.init_params(scale=0.0)
    assert np.all(W == 0) and np.all(b == 0)
    assert sr.loss(X, y, W, b) == pytest.approx(np.log(3))
    assert np.allclose(sr.predict_proba(X, W, b), 1 / 3)


def test_logits_and_known_values():
    z = sr.logits([[1.0, 2.0]], [[1.0, 0.0], [0.0, 1.0]], [0.5, 0.0])
    assert z.tolist() == [[1.5, 2.0]]
    assert sr.predict([[0.0, 3.0], [3.0, 0.0]], np.eye(2), [0.0, 0.0]).tolist() == [1, 0]
    assert sr.accuracy([0, 1, 2, 2], [0, 1, 1, 2]) == 0.75


def test_loss_matches_cross_entropy(data):
    X, y = data
    W, b = sr.init_params(seed=sr.INIT_SEED)
    probs = lb.softmax(X @ W + b, axis=1)
    assert sr.loss(X, y, W, b) == pytest.approx(lb.cross_entropy(y, probs))


def test_gradients_match_numerical_gradient(data):
    X, y = data
    W, b = sr.init_params(seed=sr.INIT_SEED)
    dW, db = sr.gradients(X, y, W, b)
    num_dW = lb.numerical_gradient(lambda W_: sr.loss(X, y, W_, b), W)
    num_db = lb.numerical_gradient(lambda b_: sr.loss(X, y, W, b_), b)
    assert np.allclose(dW, num_dW, atol=1e-8)
    assert np.allclose(db, num_db, atol=1e-8)
    assert db.sum() == pytest.approx(0.0, abs=1e-12)


def test_fit_first_step_is_one_gradient_step_and_loss_decreases(data):
    X, y = data
    W0, b0 = sr.init_params(seed=sr.INIT_SEED)
    W0_copy = W0.copy()
    h = sr.fit(X, y, W0, b0, eta=0.1, steps=200)
    assert np.array_equal(W0, W0_copy)                 # 渡した W は書き換えない
    dW, db = sr.gradients(X, y, W0, b0)
    W1, b1 = h.params[1]
    assert np.allclose(W1, W0 - 0.1 * dW) and np.allclose(b1, b0 - 0.1 * db)
    assert len(h.params) == len(h.loss) == len(h.accuracy) == 201
    assert np.all(np.diff(h.loss) < 0)                 # この学習率ではロスは毎歩下がる
    assert h.loss[-1] == pytest.approx(sr.loss(X, y, h.W, h.b))
    assert h.accuracy[-1] == pytest.approx(sr.accuracy(y, sr.predict(X, h.W, h.b)))
    assert h.accuracy[-1] > 0.9 > h.accuracy[0]
    assert sr.fit(X, y, W0, b0, steps=0).loss.tolist() == [sr.loss(X, y, W0, b0)]


def test_predict_uses_no_loss_and_no_labels(data):
    X, y = data
    h = sr.fit(X, y, *sr.init_params(seed=sr.INIT_SEED), eta=0.1, steps=20)
    boom = mock.Mock(side_effect=AssertionError("推論でロス関数が呼ばれました"))
    with mock.patch.object(lb.losses, "cross_entropy_with_logits", boom), \
            mock.patch.object(lb.grad, "cross_entropy_with_logits", boom):
        answers = sr.predict(X, h.W, h.b)
        probs = sr.predict_proba(X, h.W, h.b)
        with pytest.raises(AssertionError):
            sr.fit(X, y, h.W, h.b, steps=1)            # 学習は使う
    assert np.array_equal(answers, np.argmax(probs, axis=1))


def test_predict_far_point_is_finite(data):
    X, y = data
    h = sr.fit(X, y, *sr.init_params(seed=sr.INIT_SEED), eta=0.1, steps=200)
    far = np.array([[0.0, 1000.0]])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        p = sr.predict_proba(far, h.W, h.b)
        assert sr.predict(far, h.W, h.b).tolist() == [int(np.argmax(p))]
    assert np.all(np.isfinite(p)) and p.sum() == pytest.approx(1.0)


def test_grid_predictions_shape(data):
    X, y = data
    W, b = sr.init_params(seed=sr.INIT_SEED)
    xs, ys, classes = sr.grid_predictions(W, b, (-1, 1), (-2, 2), n=5)
    assert xs.tolist() == [-1.0, -0.5, 0.0, 0.5, 1.0]
    assert classes.shape == (5, 5)
    assert classes[4, 0] == sr.predict([[xs[0], ys[4]]], W, b)[0]


# --- 悪い入力: 引数名を含む日本語の ValueError ----------------------------------

@pytest.mark.parametrize("call, name, exc", [
    (lambda X, y, W, b: sr.make_toy_data(n_per_class=0), "n_per_class", ValueError),
    (lambda X, y, W, b: sr.make_toy_data(n_per_class=2.5), "n_per_class", TypeError),
    (lambda X, y, W, b: sr.make_toy_data(spread=-1.0), "spread", ValueError),
    (lambda X, y, W, b: sr.init_params(n_classes=0), "n_classes", ValueError),
    (lambda X, y, W, b: sr.make_toy_data(seed=-1), "seed", ValueError),
    (lambda X, y, W, b: sr.init_params(seed=1.5), "seed", TypeError),
    (lambda X, y, W, b: sr.init_params(scale=-1.0), "scale", ValueError),
    (lambda X, y, W, b: sr.logits(X[:, 0], W, b), "X", ValueError),
    (lambda X, y, W, b: sr.logits(X, W[:1], b), "W", ValueError),
    (lambda X, y, W, b: sr.logits(X, W, b[:2]), "b", ValueError),
    (lambda X, y, W, b: sr.logits(np.full((2, 2), np.nan), W, b), "X", ValueError),
    (lambda X, y, W, b: sr.loss(X, y[:-1], W, b), "y", ValueError),
    (lambda X, y, W, b: sr.loss(X, np.full(len(y), 3), W, b), "y", ValueError),
    (lambda X, y, W, b: sr.fit(X, y, W, b, eta=0.0), "eta", ValueError),
    (lambda X, y, W, b: sr.fit(X, y, W, b, eta=float("inf")), "eta", ValueError),
    (lambda X, y, W, b: sr.fit(X, y, W, b, steps=-1), "steps", ValueError),
    (lambda X, y, W, b: sr.fit(X, y, W, b, steps=1.5), "steps", TypeError),
    (lambda X, y, W, b: sr.accuracy([0, 1], [0, 1, 2]), "y_true", ValueError),
    (lambda X, y, W, b: sr.grid_predictions(W, b, xlim=(1, -1)), "xlim", ValueError),
    (lambda X, y, W, b: sr.grid_predictions(W, b, n=1), "n", ValueError),
])
def test_bad_input_gives_japanese_value_error(data, call, name, exc):
    # 整数の引数に小数を渡したときは TypeError（型の間違い）、ほかは ValueError（値の間違い）です
    X, y = data
    W, b = sr.init_params(seed=sr.INIT_SEED)
    with pytest.raises(exc) as err:
        call(X, y, W, b)
    message = str(err.value)
    assert name in message
    assert re.search(r"[ぁ-んァ-ン]", message)   # 日本語の説明


# --- 対話型の図 -------------------------------------------------------------------

def test_explorer_default_renders_and_matches_lossbook(explorer, data):
    X, y = data
    assert explorer.slider.value == 0
    assert explorer.image.value[:8] == PNG
    step, loss, acc = _numbers(explorer.caption.value)
    W0, b0 = sr.init_params(seed=sr.INIT_SEED)
    assert step == 0
    assert loss == pytest.approx(sr.loss(X, y, W0, b0), abs=5e-4)
    assert acc == pytest.approx(sr.accuracy(y, sr.predict(X, W0, b0)), abs=5e-4)


@pytest.mark.parametrize("step", [STEPS[0], 20, STEPS[-1]])
def test_callback_at_default_and_extremes(step, data):
    X, y = data
    ex = TrainingExplorer(step=30)
    before_img, before_cap = ex.image.value, ex.caption.value
    ex.slider.value = step        # スライダーを動かす = observe 経由でコールバックが呼ばれる
    assert ex.image.value[:8] == PNG
    assert ex.image.value != before_img
    assert ex.caption.value != before_cap
    shown_step, loss, acc = _numbers(ex.caption.value)
    assert shown_step == step
    # 説明文の数値は、lossbook で独立に学習し直した値と一致する
    h = sr.fit(X, y, *sr.init_params(seed=sr.INIT_SEED), eta=0.1, steps=step)
    assert loss == pytest.approx(sr.loss(X, y, h.W, h.b), abs=5e-4)
    assert acc == pytest.approx(sr.accuracy(y, sr.predict(X, h.W, h.b)), abs=5e-4)


def test_explorer_rejects_unknown_step():
    with pytest.raises(ValueError, match="step"):
        TrainingExplorer(step=7)


def test_mimebundle_has_widget_and_static_twin(explorer):
    bundle = explorer._repr_mimebundle_()
    assert WIDGET_VIEW in bundle
    assert "lb-twin" in bundle["text/html"]
    assert "http://" not in bundle["text/html"] and "https://" not in bundle["text/html"]
    assert bundle["text/plain"].startswith("（対話型の図")


def test_static_twin_frames_match_lossbook(explorer, data):
    X, y = data
    twin = explorer.static_twin()
    assert len(twin.frames) == len(STEPS) <= 20
    assert twin.initial == 0 and twin.alt.strip()
    srcs = [f["src"] for f in twin.frames]
    assert len(set(srcs)) == len(srcs)                  # フレームごとに違う図
    W, b = sr.init_params(seed=sr.INIT_SEED)
    done = 0
    losses_seen = []
    for s, frame in zip(STEPS, twin.frames):
        assert frame["value"] == str(s)
        assert frame["src"].startswith("data:image/png;base64,")
        h = sr.fit(X, y, W, b, eta=0.1, steps=s - done) if s > done else None
        if h is not None:
            W, b, done = h.W, h.b, s
        shown_step, loss, acc = _numbers(frame["caption"])
        assert shown_step == s
        assert loss == pytest.approx(sr.loss(X, y, W, b), abs=5e-4)
        assert acc == pytest.approx(sr.accuracy(y, sr.predict(X, W, b)), abs=5e-4)
        assert frame["caption"] == explorer.caption_for(step=s)
        losses_seen.append(loss)
    assert all(np.diff(losses_seen) < 0)


# --- 練習問題 ---------------------------------------------------------------------

def test_exercises_are_registered_and_checkable(data):
    X, y = data
    assert set(EXERCISES) == {"2-1", "2-2", "2-3", "2-4"}
    assert check("2-1", float(np.log(3))).correct
    assert not check("2-1", 1.8).correct
    W0, b0 = sr.init_params(seed=sr.INIT_SEED)
    expected = sr.fit(X, y, W0, b0, eta=0.03, steps=200).loss[-1]
    assert check("2-2", float(expected)).correct
    assert not check("2-2", 0.227).correct       # η = 0.1 の値ではない
    assert check("2-3", "b").correct and not check("2-3", "a").correct
    assert check("2-4", "a").correct
    assert not check("2-4", None).answered
