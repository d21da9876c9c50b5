"""第7章の道具: 本当の確率がわかっている文章（lossbook.corpus）と、バイグラムの言語モデル（lossbook.lm）。

許容誤差はテストごとに書いてあります。乱数はすべてシードで固定しているので、結果は毎回同じです。
"""

from unittest import mock

import numpy as np
import pytest
from scipy.stats import chi2

import lossbook as lb
from lossbook.corpus import BOS, EOS, TRANSITIONS, MarkovText, japanese_text
from lossbook.lm import BigramLM, History, sentence_text



@pytest.fixture(scope="module")
def text():
    return japanese_text()


@pytest.fixture(scope="module")
def trained(text):
    """本文 7.4 節と同じ学習: 2000 文（シード 3）、η = 40、500 歩。"""
    train = text.sample(2000, seed=3)
    model = BigramLM.from_text(text, seed=0)
    history = model.fit(train, eta=40.0, steps=500)
    return model, history, train


def _tiny():
    """3 語の小さな文章の源（勾配の数値微分などに使います）。"""
    return MarkovText({BOS: {"a": 0.7, "b": 0.3}, "a": {"b": 0.5, "c": 0.2, EOS: 0.3},
                       "b": {"a": 0.4, EOS: 0.6}, "c": {EOS: 1.0}})


# ------------------------------------------------------------------ corpus: 確率の表

def test_distributions_sum_to_one(text):
    assert text.P.shape == (len(text.contexts), len(text.outputs)) == (29, 29)
    np.testing.assert_allclose(text.P.sum(axis=1), 1.0, atol=1e-12)
    assert np.all(text.P >= 0)
    for word in text.contexts:
        q = text.next_word_distribution(word)
        assert q.sum() == pytest.approx(1.0, abs=1e-12)
    for prev, row in TRANSITIONS.items():
        assert sum(row.values()) == pytest.approx(1.0, abs=1e-12), prev


def test_vocabulary_layout(text):
    assert text.contexts[0] == BOS and BOS not in text.outputs
    assert text.outputs[-1] == EOS and EOS not in text.contexts
    assert text.contexts[1:] == text.outputs[:-1] == text.words
    assert 20 <= len(text.words) <= 60


def test_known_distribution_after_ii(text):
    q = text.next_word_distribution("いい")
    got = {text.outputs[j]: q[j] for j in np.flatnonzero(q)}
    assert got == pytest.approx({"天気": 0.6, "気分": 0.25, "日": 0.15})
    # 返すのはコピー: 書き換えても表は変わりません
    q[:] = 0
    assert text.next_word_distribution("いい").sum() == pytest.approx(1.0)


# ------------------------------------------------------------------ corpus: 期待訪問回数と床

def test_expected_visits_solve_the_equation(text):
    v = text.expected_visits()
    A = np.zeros((len(v), len(v)))
    A[:, 1:] = text.P[:, :-1]
    e = np.zeros(len(v))
    e[0] = 1.0
    np.testing.assert_allclose(v, e + v @ A, atol=1e-12)
    assert v[0] == pytest.approx(1.0)
    assert v[text.contexts.index("。")] == pytest.approx(1.0)   # どの文も「。」で終わる
    assert text.context_weights().sum() == pytest.approx(1.0)
    assert text.expected_length() == pytest.approx(v.sum())


def test_entropy_floor_tiny_chain_closed_form():
    # 文頭 → a（確率 1）、a → a か文末（0.5 ずつ）。v = (1, 2)、床 = 2 log 2 / 3
    chain = MarkovText({BOS: {"a": 1.0}, "a": {"a": 0.5, EOS: 0.5}})
    assert chain.expected_visits().tolist() == pytest.approx([1.0, 2.0])
    assert chain.entropy_floor() == pytest.approx(2 * np.log(2) / 3, abs=1e-12)


def test_entropy_floor_matches_large_sample(text):
    """大きな標本での一語あたりの平均 −log P と、床の式が一致すること。

    許容誤差 0.005 nat: 20000 文の推定の標準誤差は約 0.0009 nat（文ごとの比の推定量の
    デルタ法で計算）なので、5 標準誤差以上の余裕があります。
    """
    sentences = text.sample(20000, seed=0)
    log_p = np.array([text.sentence_log_probability(s) for s in sentences])
    n = np.array([len(s) + 1 for s in sentences])      # 文末の予測も数える
    estimate = -log_p.sum() / n.sum()
    assert estimate == pytest.approx(text.entropy_floor(), abs=0.005)
    # 一文の予測の回数の平均も、期待訪問回数の和と合う（許容誤差 0.05 回）
    assert n.mean() == pytest.approx(text.expected_length(), abs=0.05)


def test_expected_cross_entropy_and_kl(text):
    floor = text.entropy_floor()
    assert text.expected_cross_entropy(text.P) == pytest.approx(floor, abs=1e-12)
    assert text.expected_kl(text.P) == pytest.approx(0.0, abs=1e-12)
    Q = lb.softmax(np.random.default_rng(0).normal(size=text.P.shape), axis=1)
    gap = text.expected_kl(Q)
    assert gap > 0
    assert text.expected_cross_entropy(Q) == pytest.approx(floor + gap, abs=1e-10)
    with pytest.raises(ValueError, match="Q の形"):
        text.expected_kl(Q[:, :5])


# ------------------------------------------------------------------ corpus: 文を作る

def test_sample_is_reproducible_and_ends_with_period(text):
    a = text.sample(50, seed=7)
    assert a == text.sample(50, seed=7)
    assert a != text.sample(50, seed=8)
    assert all(s[-1] == "。" and EOS not in s and BOS not in s for s in a)
    rng = np.random.default_rng(1)
    first, second = text.sample(5, seed=rng), text.sample(5, seed=rng)
    assert first != second          # 生成器を渡すと状態が進む


def test_sample_first_word_frequencies(text):
    # 文頭の次の単語の頻度が P(・|<BOS>) と合う（許容誤差 0.02、標準誤差は約 0.005）
    sentences = text.sample(10000, seed=2)
    first = [s[0] for s in sentences]
    for word, prob in TRANSITIONS[BOS].items():
        assert first.count(word) / len(first) == pytest.approx(prob, abs=0.02)


def test_sentence_log_probability(text):
    words = text.tokenize("今日はいい天気です。")
    assert words == ["今日", "は", "いい", "天気", "です", "。"]
    expected = np.log(0.4 * 0.8 * 0.4 * 0.6 * 0.75 * 0.8 * 1.0 * 1.0)
    assert text.sentence_log_probability(words) == pytest.approx(expected)
    assert text.sentence_log_probability(["猫", "猫"]) == -np.inf
    with pytest.raises(TypeError, match="words"):
        text.sentence_log_probability("今日は")
    with pytest.raises(ValueError, match="words に知らない単語"):
        text.sentence_log_probability(["今日", EOS])


def test_tokenize(text):
    assert text.tokenize("今日はいい") == ["今日", "は", "いい"]
    assert text.tokenize("猫が寝ていました。") == ["猫", "が", "寝て", "いました", "。"]
    with pytest.raises(ValueError, match="text"):
        text.tokenize("今日は晴れ")
    with pytest.raises(TypeError, match="text には文字列"):
        text.tokenize(["今日"])


@pytest.mark.parametrize("transitions, message", [
    ({"a": {EOS: 1.0}}, "<BOS>"),
    ({BOS: {EOS: 1.0}, EOS: {EOS: 1.0}}, "<EOS>"),
    ({BOS: {"a": 0.5}, "a": {EOS: 1.0}}, "和"),
    ({BOS: {"a": 1.2, EOS: -0.2}, "a": {EOS: 1.0}}, "負の値"),
    ({BOS: {"x": 1.0}}, "'x'"),
    ({BOS: {"a": 1.0}, "a": {"a": 1.0}}, "抜け出せない"),
    ({}, "空の辞書"),
])
def test_markov_text_rejects_bad_transitions(transitions, message):
    with pytest.raises(ValueError, match="transitions") as err:
        MarkovText(transitions)
    assert message in str(err.value)


def test_transitions_that_are_not_a_dict_are_a_type_error():
    with pytest.raises(TypeError, match="transitions には、前の単語 → {次の単語: 確率} の辞書"):
        MarkovText([("a", 1.0)])


def test_unknown_words_and_bad_counts(text):
    with pytest.raises(ValueError, match="word に知らない単語"):
        text.next_word_distribution("晴れ")
    with pytest.raises(ValueError, match="n_sentences"):
        text.sample(0)


# ------------------------------------------------------------------ lm: ロスと勾配

def _per_token(model, prev, targets):
    """予測を 1 つずつ並べた素直な計算（まとめない版）。"""
    z = model.W[prev]
    loss = lb.cross_entropy_with_logits(targets, z)
    G = lb.grad.cross_entropy_with_logits(targets, z)
    dW = np.zeros_like(model.W)
    np.add.at(dW, prev, G)
    return loss, dW


def test_grouped_loss_and_gradient_equal_per_token(text, trained):
    model, _, train = trained
    untrained = BigramLM.from_text(text, seed=0)
    for m in (untrained, model):
        prev, nxt = m.encode(train[:200])
        loss, dW = m.loss_and_gradient(prev, nxt)
        loss_pt, dW_pt = _per_token(m, prev, nxt)
        assert loss == pytest.approx(loss_pt, rel=1e-12)
        np.testing.assert_allclose(dW, dW_pt, atol=1e-14)
        soft = text.P[prev]                       # 教師の分布を目標にしても同じ
        loss_s, dW_s = m.loss_and_gradient(prev, soft)
        loss_spt, dW_spt = _per_token(m, prev, soft)
        assert loss_s == pytest.approx(loss_spt, rel=1e-12)
        np.testing.assert_allclose(dW_s, dW_spt, atol=1e-14)


@pytest.mark.parametrize("soft", [False, True])
def test_gradient_matches_numerical_gradient_small_vocab(soft):
    tiny = _tiny()
    model = BigramLM.from_text(tiny, init_scale=1.0, seed=3)
    prev, nxt = model.encode(tiny.sample(30, seed=0))
    targets = tiny.P[prev] if soft else nxt

    def loss_of(W):
        return BigramLM(tiny.contexts, tiny.outputs, W=W).loss_and_gradient(prev, targets)[0]

    _, analytic = model.loss_and_gradient(prev, targets)
    numeric = lb.numerical_gradient(loss_of, model.W)
    np.testing.assert_allclose(analytic, numeric, atol=1e-8)


def test_loss_methods_agree(text, trained):
    model, _, train = trained
    test = text.sample(300, seed=4)
    prev, nxt = model.encode(test)
    assert model.loss(test) == pytest.approx(float(lb.cross_entropy_with_logits(nxt, model.W[prev])))
    assert model.perplexity(test) == pytest.approx(np.exp(model.loss(test)))


# ------------------------------------------------------------------ lm: 学習

def test_training_lowers_the_loss(text):
    train = text.sample(300, seed=11)
    model = BigramLM.from_text(text, seed=1)
    before = model.W.copy()
    history = model.fit(train, eta=5.0, steps=60)
    assert isinstance(history, History) and history.steps == 60
    assert len(history.loss) == 61 and history.weights.shape == (61, 29, 29)
    # 小さな学習率では、ロスは一歩ごとに下がります
    assert np.all(np.diff(history.loss) < 0)
    np.testing.assert_array_equal(history.weights[0], before)
    np.testing.assert_array_equal(history.weights[-1], model.W)
    assert history.loss[-1] == pytest.approx(model.loss(train))
    assert history.model_at(0).loss(train) == pytest.approx(history.loss[0])


def test_chapter_training_reaches_the_floor(text, trained):
    """本文の主張: 500 歩で学習データのロスは床から 0.02 nat 以内、床との差（KL の平均）は縮み続ける。"""
    model, history, _ = trained
    floor = text.entropy_floor()
    assert abs(history.loss[-1] - floor) < 0.02
    gaps = [text.expected_kl(Q) for Q in history.probabilities()[[0, 10, 50, 100, 500]]]
    assert all(np.diff(gaps) < 0) and gaps[-1] < 0.01


def test_learned_distribution_after_ii_matches_truth(text, trained):
    """学習後の「いい」の次の分布が本当の分布と合うこと。

    許容誤差 0.05: 学習データの中の「いい」は約 800 回なので、頻度の標準誤差は
    天気で約 0.017 です（モデルが覚えるのは頻度）。3 標準誤差にあたります。
    """
    model, _, _ = trained
    q = model.next_word_distribution(["今日", "は", "いい"])
    p = text.next_word_distribution("いい")
    np.testing.assert_allclose(q, p, atol=0.05)


def test_history_model_at_bounds(trained):
    _, history, _ = trained
    with pytest.raises(ValueError, match="step"):
        history.model_at(501)
    with pytest.raises(ValueError, match="step"):
        history.model_at(-1)


def test_history_loss_on_equals_each_model_loss(text, trained):
    """loss_on（まとめる仕事を一度だけ）は、各歩のモデルの loss と同じ値（ビット単位で同じ）。"""
    _, history, _ = trained
    test = text.sample(300, seed=9)
    curve = history.loss_on(test)
    assert curve.shape == (history.steps + 1,)
    for step in (0, 1, 7, 250, history.steps):
        assert curve[step] == history.model_at(step).loss(test)
    with pytest.raises(ValueError, match="sentences"):
        history.loss_on([])


def test_grouping_with_distributions_matches_add_at(text):
    """前の単語ごとに教師の分布を足す計算（reduceat）が、素直な np.add.at と同じ和になること。"""
    model = BigramLM.from_text(text, seed=0)
    rng = np.random.default_rng(4)
    prev = rng.integers(0, 5, 400)               # 一部の前の単語だけが出てくる場合も含めます
    soft = rng.dirichlet(np.ones(len(model.outputs)), size=prev.size)
    rows, means, weights = model._grouped(prev, soft)
    sums = np.zeros(model.W.shape)
    np.add.at(sums, prev, soft)
    counts = np.bincount(prev, minlength=model.W.shape[0])
    np.testing.assert_array_equal(rows, np.flatnonzero(counts))
    np.testing.assert_allclose(means, sums[rows] / counts[rows, None], rtol=1e-14, atol=1e-16)
    np.testing.assert_allclose(weights, counts[rows] / prev.size, rtol=0)


# ------------------------------------------------------------------ lm: 推論と温度

def test_generate_is_reproducible_and_uses_no_loss(trained):
    model, _, _ = trained
    with (mock.patch.object(lb.losses, "cross_entropy_with_logits",
                            wraps=lb.losses.cross_entropy_with_logits) as loss_fn,
          mock.patch.object(lb.grad, "cross_entropy_with_logits",
                            wraps=lb.grad.cross_entropy_with_logits) as grad_fn):
        a = [model.generate(seed=s) for s in range(20)]
        model.generate(greedy=True)
    assert loss_fn.call_count == 0 and grad_fn.call_count == 0
    assert a == [model.generate(seed=s) for s in range(20)]
    assert model.generate(greedy=True) == ["今日", "は", "いい", "天気", "です", "。"]


def test_temperature_to_zero_gives_the_greedy_word(text, trained):
    model, _, _ = trained
    untrained = BigramLM.from_text(text, seed=0)
    for m in (model, untrained):
        for word in m.contexts:
            q = m.next_word_distribution(word, temperature=1e-8)
            assert m.outputs[int(np.argmax(q))] == m.greedy_next(word)
            assert q.max() == pytest.approx(1.0)
        # 極端に小さい温度でも NaN や警告になりません
        assert np.isfinite(m.next_word_distribution("いい", temperature=1e-300)).all()
        greedy = m.generate(greedy=True)
        assert all(m.generate(seed=s, temperature=1e-6) == greedy for s in range(5))


def test_temperature_changes_the_spread(trained):
    model, _, _ = trained
    entropies = [lb.entropy(model.next_word_distribution("いい", temperature=t))
                 for t in (0.3, 1.0, 3.0)]
    assert entropies[0] < entropies[1] < entropies[2]
    np.testing.assert_allclose(model.next_word_distribution("いい", 1.0),
                               lb.softmax(model.W[model.contexts.index("いい")]))


def test_sampled_frequencies_match_model_probabilities(text):
    """温度 1 で選ばれた最初の単語の頻度が、モデルの P(・|<BOS>) と合うこと（カイ二乗検定）。

    5000 文（シード固定）の最初の単語を数え、カイ二乗統計量が自由度 28 の
    0.999 分位点（約 56.9）を超えないことを確かめます。
    """
    model = BigramLM.from_text(text, init_scale=1.0, seed=5)
    q = model.next_word_distribution(BOS)
    n = 5000
    counts = np.zeros(len(model.outputs))
    for s in range(n):
        words = model.generate(seed=s, max_words=1)
        counts[model.outputs.index(words[0]) if words else -1] += 1
    expected = n * q
    stat = np.sum((counts - expected) ** 2 / expected)
    assert stat < chi2.ppf(0.999, df=len(q) - 1)


def test_sentence_text():
    assert sentence_text(["今日", "は", "いい", "天気", "です", "。"]) == "今日はいい天気です。"
    assert sentence_text(["猫", "猫"], max_words=2) == "猫猫…"
    assert sentence_text(["猫"], max_words=2) == "猫"


# ------------------------------------------------------------------ lm: 悪い入力

@pytest.mark.parametrize("temperature", [0, 0.0, -1.0, float("nan"), float("inf"), "1"])
def test_bad_temperature_is_a_japanese_value_error(trained, temperature):
    model, _, _ = trained
    # 数でないもの（文字列）は TypeError、数だが使えない値は ValueError です
    exc = TypeError if isinstance(temperature, str) else ValueError
    with pytest.raises(exc, match="temperature"):
        model.next_word_distribution("いい", temperature=temperature)
    with pytest.raises(exc, match="temperature"):
        model.generate(temperature=temperature)


def test_unknown_words_name_the_argument(trained):
    model, _, _ = trained
    with pytest.raises(ValueError, match="context に知らない単語 '晴れ'"):
        model.next_word_distribution("晴れ")
    with pytest.raises(ValueError, match="context"):
        model.next_word_distribution(["今日", "晴れ"])
    with pytest.raises(ValueError, match="context"):
        model.next_word_distribution(3)
    with pytest.raises(ValueError, match=r"sentences\[1\] に知らない単語"):
        model.encode([["今日", "は"], ["晴れ"]])
    with pytest.raises(ValueError, match=r"sentences\[0\]"):
        model.encode(["今日は"])
    with pytest.raises(ValueError, match=r"sentences\[0\] の途中に"):
        model.encode([["今日", EOS, "は"]])
    with pytest.raises(ValueError, match="sentences"):
        model.encode([])


def test_bad_training_arguments(text, trained):
    model, _, train = trained
    m = model.copy()
    with pytest.raises(ValueError, match="eta"):
        m.fit(train[:5], eta=0.0, steps=1)
    with pytest.raises(ValueError, match="steps"):
        m.fit(train[:5], eta=1.0, steps=-1)
    with pytest.raises(TypeError, match="steps"):
        m.fit(train[:5], eta=1.0, steps=1.5)
    with pytest.raises(ValueError, match="targets"):
        m.loss_and_gradient(np.array([0, 1]), np.array([0]))
    with pytest.raises(ValueError, match="prev_ids"):
        m.loss_and_gradient(np.array([0, 99]), np.array([0, 1]))
    with pytest.raises(ValueError, match="max_words"):
        m.generate(max_words=0)
    np.testing.assert_array_equal(m.W, model.W)     # 失敗した呼び出しは W を変えません


def test_bad_model_construction(text):
    with pytest.raises(ValueError, match="contexts の最初"):
        BigramLM(["a", BOS], text.outputs)
    with pytest.raises(ValueError, match="outputs の最後"):
        BigramLM(text.contexts, text.outputs[:-1])
    with pytest.raises(ValueError, match="W の形"):
        BigramLM(text.contexts, text.outputs, W=np.zeros((3, 3)))
    with pytest.raises(ValueError, match="W に NaN"):
        BigramLM(text.contexts, text.outputs, W=np.full((29, 29), np.nan))
    with pytest.raises(ValueError, match="contexts にありません"):
        BigramLM([BOS, "a"], ["a", "b", EOS])
    with pytest.raises(ValueError, match="init_scale"):
        BigramLM.from_text(text, init_scale=-1.0)


def test_copy_is_independent(text):
    m = BigramLM.from_text(text, seed=0)
    c = m.copy()
    c.fit(text.sample(5, seed=0), eta=1.0, steps=2)
    assert not np.array_equal(c.W, m.W)
    np.testing.assert_array_equal(m.W, BigramLM.from_text(text, seed=0).W)
