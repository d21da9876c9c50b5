r"""第7章のいちばん小さな言語モデル: ソフトマックス・バイグラム。

モデルは、前の単語 $s$ ごとに次の単語のロジットを一行ずつ持つ表 $W$ です。

.. math::

    z = W_{s,:}, \qquad
    \hat{y} = \mathrm{softmax}(z), \qquad
    L = -\frac{1}{N} \sum_{t=1}^{N} \log \hat{y}_{t}[\text{正解の次の単語}]

$W$ の形は (文脈の数, 次の単語の数) で、これがパラメータ $\theta$ のすべてです。
前の単語を one-hot 表現のベクトル $x$ にすると $z = x W$ なので、第2章の
ソフトマックス回帰と同じ形です。勾配も同じく $\partial L / \partial W = X^\top G$
（$G = \partial L / \partial z$）で、$X^\top G$ は「同じ前の単語の行の $G$ を足したもの」です。

* 学習（:meth:`BigramLM.fit`、:meth:`BigramLM.step`）は、lossbook の
  ``losses.cross_entropy_with_logits`` でロスを、``grad.cross_entropy_with_logits`` で
  解析的な勾配を計算します（自動微分の道具は使いません）。
* 推論（:meth:`BigramLM.next_word_distribution`、:meth:`BigramLM.generate`）は
  $W$ とソフトマックス関数だけを使い、ロスを計算しません。

ロスと勾配はモジュール経由（``losses.…``、``grad.…``）で呼ぶので、ノートブックや
テストから呼び出しの回数を数えられます。numpy と lossbook のコアだけを使います。

A tiny numpy softmax-bigram language model trained by full-batch gradient descent with
lossbook's cross entropy and its analytic gradient; seeded generation with a temperature.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from . import grad, losses
from .activations import softmax, tempered_softmax
from ._validation import (as_float_array, check_finite, check_int_at_least, check_ndim, check_number,
                          check_positive_float)
from .corpus import BOS, EOS

__all__ = ["BigramLM", "History", "sentence_text"]


def sentence_text(words, max_words=None) -> str:
    """単語の並びを一つの文字列にします。上限 ``max_words`` で途切れた文には「…」を付けます。

    Examples
    --------
    >>> sentence_text(["今日", "は", "いい", "天気", "です", "。"])
    '今日はいい天気です。'
    >>> sentence_text(["猫", "猫"], max_words=2)
    '猫猫…'
    """
    text = "".join(words)
    return text + "…" if max_words is not None and len(words) >= max_words else text


@dataclass
class History:
    """:meth:`BigramLM.fit` の記録。歩数 0（学習前）から ``steps`` までの各時点の値です。

    Attributes
    ----------
    loss : numpy.ndarray, shape (steps + 1,)
        各歩の学習データでの一語あたりの平均ロス（nat）。``loss[t]`` は t 歩進んだ時点の値。
    weights : numpy.ndarray, shape (steps + 1, C, O)
        各歩のロジットの表 $W$。
    eta : float
        学習率。
    contexts, outputs : tuple of str
        モデルの文脈と次の単語。
    """

    loss: np.ndarray = field(repr=False)
    weights: np.ndarray = field(repr=False)
    eta: float
    contexts: tuple = field(repr=False)
    outputs: tuple = field(repr=False)

    @property
    def steps(self) -> int:
        """学習した歩数。"""
        return len(self.loss) - 1

    def model_at(self, step) -> "BigramLM":
        """``step`` 歩進んだ時点のモデル（コピー）を返します。"""
        step = check_number(step, "step", minimum=0, maximum=self.steps, integer=True)
        return BigramLM(self.contexts, self.outputs, W=self.weights[step])

    def loss_on(self, sentences) -> np.ndarray:
        """各歩のモデルの、文の並び sentences での一語あたりの平均ロス（形 (steps + 1,)、nat）を返します。

        ``[self.model_at(t).loss(sentences) for t in range(self.steps + 1)]`` と同じ値ですが、文を番号にして
        前の単語ごとにまとめる仕事を一度だけ行うので、ずっと速く計算できます（評価用の文章での学習曲線に使います）。
        """
        model = self.model_at(0)
        rows, targets, weights = model._grouped(*model.encode(sentences))
        out = np.empty(self.steps + 1)
        for step, W in enumerate(self.weights):
            per_row = losses.cross_entropy_with_logits(targets, W[rows], reduction="none")
            out[step] = float(weights @ per_row)
        return out

    def probabilities(self) -> np.ndarray:
        """各歩の次の単語の分布の表（形 (steps + 1, C, O)）を返します。"""
        return softmax(self.weights, axis=-1)


class BigramLM:
    r"""前の単語だけを見て次の単語を予測する、ソフトマックス・バイグラムの言語モデル。

    Parameters
    ----------
    contexts : sequence of str
        文脈（前の単語）になりうるもの。最初は文頭 ``BOS`` にしてください。
    outputs : sequence of str
        次の単語になりうるもの。最後は文末 ``EOS`` にしてください。
    W : array_like, optional
        ロジットの表（形 (len(contexts), len(outputs))）。省略すると、
        標準偏差 ``init_scale`` の正規分布の乱数で作ります。
    init_scale : float, default 1.0
        W を省略したときの乱数の大きさ（0 ならすべて 0 = どの単語も同じ確率）。
    seed : int, default 0
        W を省略したときの乱数のシード。

    Raises
    ------
    ValueError
        contexts や outputs の形が正しくないとき、W の形が合わないとき、NaN を含むとき。

    Examples
    --------
    >>> from lossbook.lm import BigramLM
    >>> m = BigramLM(["<BOS>", "a"], ["a", "<EOS>"], init_scale=0.0)
    >>> m.next_word_distribution("a").tolist()
    [0.5, 0.5]
    """

    def __init__(self, contexts, outputs, W=None, *, init_scale=1.0, seed=0):
        contexts, outputs = tuple(contexts), tuple(outputs)
        if not contexts or contexts[0] != BOS:
            raise ValueError(f"contexts の最初は文頭 {BOS!r} にしてください（{contexts[:1]!r} が渡されました）。")
        if not outputs or outputs[-1] != EOS:
            raise ValueError(f"outputs の最後は文末 {EOS!r} にしてください（{outputs[-1:]!r} が渡されました）。")
        for seq, name in ((contexts, "contexts"), (outputs, "outputs")):
            if len(set(seq)) != len(seq) or not all(isinstance(w, str) for w in seq):
                raise ValueError(f"{name} は重複のない単語（文字列）の並びにしてください。")
        missing = [w for w in outputs[:-1] if w not in contexts]
        if missing:
            raise ValueError(
                f"outputs の単語 {missing[0]!r} が contexts にありません。文を続けられるように、"
                f"文末 {EOS!r} 以外の次の単語はすべて contexts にも入れてください。")
        self.contexts = contexts
        self.outputs = outputs
        self._context_index = {w: i for i, w in enumerate(contexts)}
        self._output_index = {w: i for i, w in enumerate(outputs)}
        shape = (len(contexts), len(outputs))
        if W is None:
            scale = float(init_scale)
            if not (np.isfinite(scale) and scale >= 0):
                raise ValueError(f"init_scale は 0 以上の有限の数にしてください（{init_scale!r} が渡されました）。")
            W = scale * np.random.default_rng(seed).normal(size=shape)
        W = as_float_array(W, "W")
        check_ndim(W, "W", (2,), f"2 次元 {shape}（文脈 × 次の単語）")
        if W.shape != shape:
            raise ValueError(f"W の形 {W.shape} が、文脈 × 次の単語の形 {shape} と合いません。")
        check_finite(W, "W")
        self.W = W

    @classmethod
    def from_text(cls, text, *, init_scale=1.0, seed=0) -> "BigramLM":
        """文章の源（:class:`lossbook.corpus.MarkovText`）と同じ単語を持つモデルを作ります。"""
        return cls(text.contexts, text.outputs, init_scale=init_scale, seed=seed)

    def copy(self) -> "BigramLM":
        """同じ表を持つ別のモデルを返します（学習しても元は変わりません）。"""
        return BigramLM(self.contexts, self.outputs, W=self.W)

    # --- 単語と番号 ---------------------------------------------------------------------

    @staticmethod
    def _word_id(word, index, name, hint):
        """単語の番号を index（単語 → 番号）から引きます。知らない単語は ValueError です。"""
        if not isinstance(word, str) or word not in index:
            raise ValueError(
                f"{name} に知らない単語 {word!r} が含まれています{hint}。"
                f"使える単語: {'、'.join(index)}")
        return index[word]

    def _context_id(self, word, name):
        hint = f"（{EOS} の後には何も続きません）" if word == EOS else ""
        return self._word_id(word, self._context_index, name, hint)

    def _output_id(self, word, name):
        hint = f"（{BOS} は次の単語にはなりません）" if word == BOS else ""
        return self._word_id(word, self._output_index, name, hint)

    def _context_of(self, context, name="context"):
        """文脈（単語一つ、または単語の並び）から、最後の単語の番号を返します。"""
        if isinstance(context, str):
            return self._context_id(context, name)
        if not isinstance(context, (list, tuple)):
            raise ValueError(
                f"{name} には単語（文字列）か単語の並び（リスト）を渡してください"
                f"（{type(context).__name__} が渡されました）。")
        for word in context:
            self._context_id(word, name)
        # バイグラムは最後の単語だけを見ます（空の並びは文頭）
        return self._context_id(context[-1], name) if context else 0

    def encode(self, sentences):
        """文の並びを、予測の組（前の単語の番号, 次の単語の番号）の配列にします。

        各文は ``BOS`` で始まり ``EOS`` で終わるものとして扱います（文の中に書く必要はありません）。

        Parameters
        ----------
        sentences : list of list of str
            文ごとの単語の並び（例 ``[["今日", "は", "いい", "天気", "です", "。"]]``）。

        Returns
        -------
        prev_ids, next_ids : numpy.ndarray of int
            長さ N（予測の回数 = 単語の数 + 文の数）。

        Raises
        ------
        ValueError
            sentences が空のとき、知らない単語を含むとき。
        """
        if isinstance(sentences, str) or not isinstance(sentences, (list, tuple)) or not sentences:
            raise ValueError("sentences には、文（単語のリスト）を 1 つ以上並べたリストを渡してください。")
        prev, nxt = [], []
        for k, sentence in enumerate(sentences):
            if isinstance(sentence, str) or not isinstance(sentence, (list, tuple)):
                raise ValueError(
                    f"sentences[{k}] は単語のリストにしてください（{type(sentence).__name__} が渡されました）。"
                    "文字列は text.tokenize で単語に切り分けられます。")
            prev.append(0)
            for word in sentence:
                j = self._output_id(word, f"sentences[{k}]")
                if word == EOS:
                    raise ValueError(f"sentences[{k}] の途中に {EOS!r} があります。文末の印は書かないでください。")
                nxt.append(j)
                prev.append(self._context_id(word, f"sentences[{k}]"))
            nxt.append(len(self.outputs) - 1)     # 文末 EOS を予測する
        return np.array(prev, dtype=np.intp), np.array(nxt, dtype=np.intp)

    # --- ロスと勾配（学習で使う） --------------------------------------------------------

    def _check_ids(self, prev_ids, targets):
        prev = np.asarray(prev_ids)
        if prev.ndim != 1 or prev.size == 0 or prev.dtype.kind not in "iu":
            raise ValueError("prev_ids には前の単語の番号（整数）を 1 つ以上並べた 1 次元の配列を渡してください。")
        if prev.min() < 0 or prev.max() >= len(self.contexts):
            raise ValueError(f"prev_ids の番号は 0 以上 {len(self.contexts) - 1} 以下にしてください。")
        t = np.asarray(targets)
        if t.shape not in ((prev.size,), (prev.size, len(self.outputs))):
            raise ValueError(
                f"targets の形 {t.shape} が合いません。次の単語の番号なら ({prev.size},)、"
                f"次の単語の分布なら ({prev.size}, {len(self.outputs)}) にしてください。")
        return prev, t

    def _grouped(self, prev_ids, targets):
        """予測の組を前の単語ごとにまとめます（内部用）。

        同じ前の単語の予測はロジット（$W$ の同じ行）を共有するので、正解を平均した
        分布 $E_s$ と、その単語が前に来た割合 $n_s / N$ にまとめても、平均ロスも
        勾配も変わりません（クロスエントロピーは正解について一次式だからです）。
        """
        prev, t = self._check_ids(prev_ids, targets)
        n_ctx, n_out = self.W.shape
        counts = np.bincount(prev, minlength=n_ctx).astype(np.float64)
        if t.ndim == 1:
            t = np.asarray(t)
            if t.dtype.kind not in "iu" or t.min() < 0 or t.max() >= n_out:
                raise ValueError(f"targets の番号は 0 以上 {n_out - 1} 以下の整数にしてください。")
            # 前の単語 × 次の単語の回数（np.add.at と同じ値で、ずっと速い）
            sums = np.bincount(prev * n_out + t, minlength=n_ctx * n_out).reshape(n_ctx, n_out).astype(np.float64)
        else:
            t = as_float_array(t, "targets")
            check_finite(t, "targets")
            # 前の単語ごとに正解の分布を足します。前の単語の順に並べ、区切りごとに足します
            # （np.add.at(sums, prev, t) と同じ和で、足す順だけが違うので、最後の桁が違うことがあります。ずっと速い）
            order = np.argsort(prev, kind="stable")
            rows_present = np.flatnonzero(counts)
            starts = np.concatenate(([0], np.cumsum(counts[rows_present])[:-1])).astype(np.intp)
            sums = np.zeros((n_ctx, n_out))
            sums[rows_present] = np.add.reduceat(t[order], starts, axis=0)
        rows = np.flatnonzero(counts)
        return rows, sums[rows] / counts[rows, None], counts[rows] / prev.size

    def _loss_grouped(self, rows, targets, weights):
        """まとめた形で、平均ロスだけを計算します（内部用）。"""
        per_row = losses.cross_entropy_with_logits(targets, self.W[rows], reduction="none")
        return float(weights @ per_row)

    def _loss_and_gradient_grouped(self, rows, targets, weights):
        """まとめた形で、平均ロスと W についての勾配を計算します（内部用）。"""
        z = self.W[rows]
        # 行ごとのロス・勾配（"none"）に、その前の単語が出てきた割合 n_s / N を掛けて足します
        per_row = losses.cross_entropy_with_logits(targets, z, reduction="none")
        G = grad.cross_entropy_with_logits(targets, z, reduction="none")
        dW = np.zeros_like(self.W)
        dW[rows] = weights[:, None] * G
        return float(weights @ per_row), dW

    def loss_and_gradient(self, prev_ids, targets):
        r"""予測の組の平均ロスと、$W$ についての勾配を返します。

        予測 $t$ のロジットは $z_t = W_{s_t,:}$（$s_t$ は前の単語）なので、

        .. math::

            L = \frac{1}{N}\sum_{t=1}^{N} H(y_t, \mathrm{softmax}(W_{s_t,:})), \qquad
            \frac{\partial L}{\partial W_{s,:}} = \frac{1}{N}\sum_{t:\, s_t = s}
                \bigl(\mathrm{softmax}(W_{s,:}) - y_t\bigr)

        です（$y_t$ は one-hot 表現の正解か教師の分布）。同じ前の単語の予測をまとめ、
        ``losses.cross_entropy_with_logits`` と ``grad.cross_entropy_with_logits`` で
        前の単語ごとに計算します（N 行を一つずつ計算するのと同じ値で、ずっと速い）。

        Parameters
        ----------
        prev_ids : array_like of int, shape (N,)
            前の単語の番号（``contexts`` の番号）。
        targets : array_like, shape (N,) or (N, O)
            次の単語の番号（one-hot 表現の正解）か、次の単語の分布（教師の分布）。

        Returns
        -------
        loss : float
            平均クロスエントロピー（nat）。
        dW : numpy.ndarray, shape (C, O)
            $\partial L / \partial W$。

        Raises
        ------
        ValueError
            番号が範囲外のとき、targets の形が合わないとき。
        """
        return self._loss_and_gradient_grouped(*self._grouped(prev_ids, targets))

    def step(self, prev_ids, targets, eta) -> float:
        r"""勾配降下法を一歩進めます: $W \leftarrow W - \eta\, \partial L / \partial W$。

        Returns
        -------
        float
            更新する前のロス（nat）。
        """
        eta = check_positive_float(eta, "eta")
        loss, dW = self.loss_and_gradient(prev_ids, targets)
        self.W = self.W - eta * dW
        return loss

    def fit(self, sentences, eta=1.0, steps=100) -> History:
        """文の並び全体で（フルバッチの）勾配降下法を ``steps`` 歩行い、表 W を更新します。

        Parameters
        ----------
        sentences : list of list of str
            学習データの文。
        eta : float, default 1.0
            学習率（正の数）。
        steps : int, default 100
            歩数（0 以上）。

        Returns
        -------
        History
            各歩のロスと表（歩数 0 は学習前）。

        Raises
        ------
        ValueError
            sentences に知らない単語があるとき、eta が正の数でないとき、steps が 0 以上の整数でないとき。
        """
        eta = check_positive_float(eta, "eta")
        steps = check_int_at_least(steps, "steps", minimum=0)
        grouped = self._grouped(*self.encode(sentences))   # 学習データは毎歩同じなので一度だけ
        loss_values, weights = [], [self.W.copy()]
        for _ in range(steps):
            loss, dW = self._loss_and_gradient_grouped(*grouped)
            loss_values.append(loss)
            self.W = self.W - eta * dW                       # 勾配降下法の一歩
            weights.append(self.W.copy())
        loss_values.append(self._loss_grouped(*grouped))     # 最後の歩のロス（勾配は要りません）
        return History(loss=np.array(loss_values), weights=np.array(weights), eta=eta,
                       contexts=self.contexts, outputs=self.outputs)

    def loss(self, sentences) -> float:
        """文の並びでの一語あたりの平均クロスエントロピー（nat）を返します（評価用）。"""
        return self._loss_grouped(*self._grouped(*self.encode(sentences)))

    def perplexity(self, sentences) -> float:
        """文の並びでのパープレキシティ $e^{L}$ を返します。"""
        return float(losses.perplexity(self.loss(sentences)))

    # --- 推論（ロスは使いません） --------------------------------------------------------

    def probabilities(self, temperature=1.0) -> np.ndarray:
        """すべての文脈の次の単語の分布の表（形 (C, O)）を返します。"""
        temperature = check_positive_float(temperature, "temperature")
        return tempered_softmax(self.W, temperature)

    def next_word_distribution(self, context, temperature=1.0) -> np.ndarray:
        r"""文脈の次の単語の分布 $\mathrm{softmax}(z / T)$（``outputs`` の順）を返します。

        Parameters
        ----------
        context : str or sequence of str
            前の単語一つ、または単語の並び（バイグラムは最後の単語だけを見ます。
            空の並びは文頭です）。
        temperature : float, default 1.0
            温度 $T$（正の数）。小さいほど、いちばん確率の高い単語に集中します。

        Returns
        -------
        numpy.ndarray, shape (len(outputs),)

        Raises
        ------
        ValueError
            知らない単語を含むとき、temperature が 0 以下のとき。
        """
        temperature = check_positive_float(temperature, "temperature")
        return tempered_softmax(self.W[self._context_of(context)], temperature)

    def greedy_next(self, context) -> str:
        """文脈の次に、確率がいちばん高い単語を返します（貪欲法）。"""
        return self.outputs[int(np.argmax(self.W[self._context_of(context)]))]

    def generate(self, seed=0, temperature=1.0, greedy=False, max_words=20) -> list:
        """文頭から一語ずつ次の単語を選び、文を作ります。ロスは計算しません。

        Parameters
        ----------
        seed : int or numpy.random.Generator, default 0
            乱数のシード（同じシードなら同じ文）。
        temperature : float, default 1.0
            温度 $T$（正の数）。$T \\to 0$ で貪欲法と同じ単語を選びます。
        greedy : bool, default False
            True なら、いつも確率がいちばん高い単語を選びます（乱数も温度も使いません）。
        max_words : int, default 20
            作る単語の数の上限。文末 ``EOS`` が選ばれる前に上限に達したら、そこで止めます。

        Returns
        -------
        list of str
            作った文の単語（``BOS`` と ``EOS`` は含みません）。文末が選ばれる前に上限に
            達したときだけ、長さがちょうど ``max_words`` になります。

        Raises
        ------
        ValueError
            temperature が 0 以下のとき、max_words が 1 以上の整数でないとき。
        """
        temperature = check_positive_float(temperature, "temperature")
        max_words = check_int_at_least(max_words, "max_words")
        rng = np.random.default_rng(seed)
        words, s = [], 0
        for _ in range(max_words):
            if greedy:
                j = int(np.argmax(self.W[s]))
            else:
                q = tempered_softmax(self.W[s], temperature)
                j = int(rng.choice(len(self.outputs), p=q))
            if self.outputs[j] == EOS:
                break
            words.append(self.outputs[j])
            s = self._context_index[self.outputs[j]]
        return words
