r"""第7章の小さな日本語の文章の源（コーパス）: 次の単語の本当の確率がわかっている文章。

文は ``<BOS>``（文頭）から始まり、前の単語だけで次の単語の確率が決まる
**1 次のマルコフ連鎖**（Markov chain）で一語ずつ作られ、``<EOS>``（文末）で終わります。
確率はすべてこのモジュールに書いてあるので、次の単語が本当の分布どおりに来るとき、どんなモデルも
下回れない平均ロス（期待値）の下限（エントロピーの床）を、標本を使わずに正確に計算できます。

たとえば前の単語が「いい」なら、次の単語は 天気 0.6、気分 0.25、日 0.15 です。
1 次の連鎖なので、「今日はいい」の後でも「明日もいい」の後でも同じ分布です。

numpy と lossbook のコアだけを使います（matplotlib は読み込みません）。

A small Japanese word-level text source defined by explicit first-order Markov
probabilities, with exact next-word distributions, seeded sampling and the exact
entropy floor (the lowest average cross entropy per word any model can reach).
"""

from __future__ import annotations

import numpy as np

from . import losses
from ._validation import as_float_array, check_finite, check_int_at_least, check_ndim, check_nonempty

__all__ = ["BOS", "EOS", "TRANSITIONS", "MarkovText", "japanese_text"]

#: 文頭の印（文脈としてだけ使い、次の単語としては出てきません）。
BOS = "<BOS>"
#: 文末の印（次の単語としてだけ出てきて、その後は続きません）。
EOS = "<EOS>"

#: 本書の文章の源。前の単語 → {次の単語: 確率}。各行の確率の和は 1 です。
#: 「いい」の行が「今日はいい____」の本当の分布です。
TRANSITIONS = {
    BOS: {"今日": 0.4, "明日": 0.2, "私": 0.25, "猫": 0.15},
    "今日": {"は": 0.8, "も": 0.2},
    "明日": {"は": 0.6, "も": 0.4},
    "私": {"は": 0.7, "も": 0.3},
    "猫": {"は": 0.4, "が": 0.6},
    "は": {"いい": 0.4, "寒い": 0.2, "雨": 0.15, "猫": 0.1, "公園": 0.15},
    "も": {"いい": 0.5, "寒い": 0.3, "雨": 0.2},
    "が": {"好き": 0.7, "寝て": 0.3},
    "いい": {"天気": 0.6, "気分": 0.25, "日": 0.15},
    "寒い": {"です": 0.6, "日": 0.4},
    "雨": {"です": 0.7, "が": 0.3},
    "天気": {"です": 0.75, "ね": 0.25},
    "気分": {"です": 1.0},
    "日": {"です": 0.7, "ね": 0.3},
    "公園": {"へ": 0.6, "で": 0.4},
    "へ": {"行き": 1.0},
    "行き": {"ます": 0.7, "ました": 0.3},
    "で": {"遊び": 0.6, "寝て": 0.4},
    "遊び": {"ます": 0.7, "ました": 0.3},
    "寝て": {"います": 0.8, "いました": 0.2},
    "好き": {"です": 0.8, "だ": 0.2},
    "です": {"。": 0.8, "ね": 0.2},
    "ね": {"。": 1.0},
    "だ": {"。": 1.0},
    "ます": {"。": 1.0},
    "ました": {"。": 1.0},
    "います": {"。": 1.0},
    "いました": {"。": 1.0},
    "。": {EOS: 1.0},
}

# 一つの文がこれより長くなったら、連鎖の定義がおかしいとみなします（本書の連鎖では起きません）。
_MAX_SENTENCE_TOKENS = 10_000


class MarkovText:
    r"""前の単語だけで次の単語の確率が決まる文章の源（1 次のマルコフ連鎖）。

    Parameters
    ----------
    transitions : dict
        前の単語 → {次の単語: 確率} の辞書。``BOS`` の行が必要で、``EOS`` の行は
        あってはいけません。次の単語は、行を持つ単語か ``EOS`` です。各行の確率は
        0 以上で和が 1（誤差 1e-9 まで）です。どの単語からも、いつかは ``EOS`` に
        たどり着かなければなりません。

    Attributes
    ----------
    words : tuple of str
        本物の単語（``BOS`` と ``EOS`` を除く）。辞書に出てきた順です。
    contexts : tuple of str
        文脈（前の単語）になりうるもの: ``(BOS, *words)``。
    outputs : tuple of str
        次の単語になりうるもの: ``(*words, EOS)``。
    P : numpy.ndarray, shape (len(contexts), len(outputs))
        本当の次の単語の分布。``P[s, j]`` は文脈 ``contexts[s]`` の次が ``outputs[j]`` の確率。

    Raises
    ------
    TypeError
        transitions が辞書でないとき。
    ValueError
        上の条件のどれかが満たされないとき（引数名 transitions と、どの行かを示します）。

    Examples
    --------
    >>> from lossbook.corpus import BOS, EOS, MarkovText
    >>> text = MarkovText({BOS: {"a": 1.0}, "a": {"a": 0.5, EOS: 0.5}})
    >>> text.next_word_distribution("a").tolist()
    [0.5, 0.5]
    >>> text.expected_visits().tolist()   # 文頭 1 回、「a」の後は平均 2 回
    [1.0, 2.0]
    >>> round(text.entropy_floor(), 6)   # 3 回の予測のうち 2 回が log 2 の迷い
    0.462098
    """

    def __init__(self, transitions):
        if not isinstance(transitions, dict):
            raise TypeError(
                "transitions には、前の単語 → {次の単語: 確率} の辞書を渡してください"
                f"（{type(transitions).__name__} が渡されました）。")
        if not transitions:
            raise ValueError("transitions が空の辞書です。前の単語 → {次の単語: 確率} の行を書いてください。")
        if BOS not in transitions:
            raise ValueError(f"transitions に文頭 {BOS!r} の行がありません。文の最初の単語の確率を書いてください。")
        if EOS in transitions:
            raise ValueError(f"transitions に文末 {EOS!r} の行があります。文末の後には何も続かないので、消してください。")
        words = tuple(k for k in transitions if k != BOS)
        self.words = words
        self.contexts = (BOS, *words)
        self.outputs = (*words, EOS)
        self._context_index = {w: i for i, w in enumerate(self.contexts)}
        self._output_index = {w: i for i, w in enumerate(self.outputs)}
        P = np.zeros((len(self.contexts), len(self.outputs)))
        for prev, row in transitions.items():
            if not isinstance(row, dict) or not row:
                raise ValueError(f"transitions[{prev!r}] は {{次の単語: 確率}} の空でない辞書にしてください。")
            for nxt, prob in row.items():
                if nxt not in self._output_index:
                    raise ValueError(
                        f"transitions[{prev!r}] の次の単語 {nxt!r} には、自分の行がありません。"
                        f"{nxt!r} の行を足すか、文末なら {EOS!r} と書いてください。")
                P[self._context_index[prev], self._output_index[nxt]] = prob
        check_finite(P, "transitions の確率")
        if np.any(P < 0):
            s, j = np.argwhere(P < 0)[0]
            raise ValueError(
                f"transitions[{self.contexts[s]!r}][{self.outputs[j]!r}] が負の値 {P[s, j]} です。"
                "確率は 0 以上にしてください。")
        sums = P.sum(axis=1)
        off = np.abs(sums - 1.0) > 1e-9
        if np.any(off):
            s = int(np.argmax(off))
            raise ValueError(
                f"transitions[{self.contexts[s]!r}] の確率の和が {sums[s]:.10g} です。和が 1 になるようにしてください。")
        self.P = P
        visits = self._solve_visits()
        if visits is None:
            raise ValueError(
                "transitions の連鎖から抜け出せない単語があります（文末 <EOS> にたどり着けません）。"
                "どの単語からも、いつかは文末へ進めるように確率を決めてください。")
        self._visits = visits

    # --- 本当の確率 -------------------------------------------------------------------

    def _context_id(self, word, name="word"):
        """文脈の単語の番号を返します（知らない単語なら日本語の ValueError）。"""
        if not isinstance(word, str) or word not in self._context_index:
            known = "、".join(self.contexts)
            hint = f"（{EOS} の後には何も続きません）" if word == EOS else ""
            raise ValueError(f"{name} に知らない単語 {word!r} が渡されました{hint}。使える単語: {known}")
        return self._context_index[word]

    def next_word_distribution(self, word) -> np.ndarray:
        """前の単語 ``word`` の後に来る単語の本当の分布（``outputs`` の順）を返します。

        Parameters
        ----------
        word : str
            前の単語（``contexts`` のどれか。文頭なら ``BOS``）。

        Returns
        -------
        numpy.ndarray, shape (len(outputs),)
            確率の分布（和は 1）。書き換えても元の表は変わりません。

        Raises
        ------
        ValueError
            word が知らない単語のとき。
        """
        return self.P[self._context_id(word)].copy()

    def transition_matrix(self) -> np.ndarray:
        """本当の分布の表 ``P``（形 (len(contexts), len(outputs))）のコピーを返します。"""
        return self.P.copy()

    # --- 期待訪問回数とエントロピーの床 -------------------------------------------------

    def _solve_visits(self):
        r"""期待訪問回数 $v$ を $(I - A)^\top v = e_{\mathrm{BOS}}$ から解きます（解けなければ None）。"""
        n = len(self.contexts)
        # A[s, s'] = 文脈 s の次が文脈 s' になる確率（EOS への列は落とします）
        A = np.zeros((n, n))
        A[:, 1:] = self.P[:, :-1]      # outputs[j]（j < 最後）は contexts[j + 1] と同じ単語
        e = np.zeros(n)
        e[0] = 1.0
        try:
            v = np.linalg.solve((np.eye(n) - A).T, e)
        except np.linalg.LinAlgError:
            return None
        if not np.all(np.isfinite(v)) or np.any(v < -1e-9):
            return None
        return np.maximum(v, 0.0)

    def expected_visits(self) -> np.ndarray:
        r"""一つの文の中で、各文脈から次の単語を予測する回数の期待値 $v_s$ を返します。

        .. math::

            v_s = [s = \mathrm{BOS}] + \sum_{s'} v_{s'}\, P(s \mid s')

        を連立一次方程式 $(I - A)^\top v = e_{\mathrm{BOS}}$ として解きます。$A$ は
        文脈から文脈への確率の表（``EOS`` へ進む確率を除いたもの）です。
        $v_{\mathrm{BOS}} = 1$ で、$\sum_s v_s$ は一文で予測する単語の数（``EOS`` を含む）の期待値です。

        Returns
        -------
        numpy.ndarray, shape (len(contexts),)
        """
        return self._visits.copy()

    def context_weights(self) -> np.ndarray:
        r"""文章の中で各文脈が現れる割合 $w_s = v_s / \sum_{s'} v_{s'}$ を返します（和は 1）。"""
        return self._visits / self._visits.sum()

    def expected_length(self) -> float:
        """一つの文で予測する単語の数（文末 ``EOS`` を含む）の期待値 $\\sum_s v_s$ を返します。"""
        return float(self._visits.sum())

    def entropy_floor(self) -> float:
        r"""次の単語が本当の分布どおりに来るとき、どんなモデルも下回れない 1 語あたりの平均クロスエントロピー
        （期待値、nat）を返します。限られた文で測ったロス（学習データのロスなど）は、たまたま下回ることがあります。

        文を ``BOS`` から ``EOS`` まで繰り返し作った文章で、一語あたりの平均ロスを考えます。
        文脈 $s$ の次の単語の本当の分布を $P(\cdot \mid s)$、モデルの分布を
        $Q(\cdot \mid s)$ とすると、文が十分に多いときの平均ロスは

        .. math::

            \bar{L}(Q) = \sum_s w_s\, H\bigl(P(\cdot \mid s), Q(\cdot \mid s)\bigr),
            \qquad w_s = \frac{v_s}{\sum_{s'} v_{s'}}

        です（$v_s$ は :meth:`expected_visits`）。$H(P, Q) = H(P) + D_{\mathrm{KL}}(P \| Q)$
        で KL ダイバージェンスは 0 以上なので、いちばん小さいのは $Q = P$ のときの

        .. math::

            L_{\min} = \frac{\sum_s v_s\, H\bigl(P(\cdot \mid s)\bigr)}{\sum_s v_s},
            \qquad H(P) = -\sum_j P(j) \log P(j)

        です。文章は 1 次の連鎖なので、もっと前の単語を見るモデルでも、これより下がりません。

        Returns
        -------
        float
            エントロピーの床 $L_{\min}$（nat）。
        """
        per_context = losses.entropy(self.P, reduction="none")
        return float(self.context_weights() @ per_context)

    def _model_matrix(self, Q, name="Q"):
        """モデルの分布の表 Q を確かめて float64 で返します。"""
        arr = as_float_array(Q, name)
        check_ndim(arr, name, (2,), f"2 次元 ({len(self.contexts)}, {len(self.outputs)})（文脈 × 次の単語）")
        if arr.shape != self.P.shape:
            raise ValueError(
                f"{name} の形 {arr.shape} が、文脈 × 次の単語の形 {self.P.shape} と合いません。")
        check_nonempty(arr, name)
        return arr

    def expected_cross_entropy(self, Q) -> float:
        r"""モデルの表 ``Q`` が、この文章で一語あたりに払う平均ロス $\bar{L}(Q)$（nat）を返します。

        標本を使わず、本当の分布から正確に計算します（:meth:`entropy_floor` の式）。

        Parameters
        ----------
        Q : array_like, shape (len(contexts), len(outputs))
            各文脈でのモデルの次の単語の分布（各行の和は 1）。

        Returns
        -------
        float
        """
        Q = self._model_matrix(Q)
        per_context = losses.cross_entropy(self.P, Q, reduction="none")
        return float(self.context_weights() @ per_context)

    def expected_kl(self, Q) -> float:
        r"""床からの差 $\bar{L}(Q) - L_{\min} = \sum_s w_s D_{\mathrm{KL}}(P(\cdot\mid s) \| Q(\cdot\mid s))$ を返します。

        文脈が文章に現れる割合 $w_s$ で重みを付けた KL ダイバージェンスの平均で、0 以上です。
        $Q = P$ のときだけ 0 になります。

        Parameters
        ----------
        Q : array_like, shape (len(contexts), len(outputs))
            各文脈でのモデルの次の単語の分布。

        Returns
        -------
        float
        """
        Q = self._model_matrix(Q)
        per_context = losses.kl_divergence(self.P, Q, reduction="none")
        return float(self.context_weights() @ per_context)

    def sentence_log_probability(self, words) -> float:
        r"""文 ``words``（``BOS`` と ``EOS`` は書かない）を、この源が作る確率の対数を返します。

        .. math::

            \log P(\text{文}) = \sum_{t} \log P(x_t \mid x_{t-1})

        の和で計算します（積をとってから対数をとると、長い文でアンダーフローするため）。
        この源が決して作らない文（確率 0 の並びを含む）では $-\infty$ を返します。

        Parameters
        ----------
        words : list of str
            文の単語の並び。

        Returns
        -------
        float
            対数確率（nat、0 以下）。

        Raises
        ------
        TypeError
            words が単語のリストでないとき。
        ValueError
            知らない単語を含むとき。
        """
        if isinstance(words, str) or not isinstance(words, (list, tuple)):
            raise TypeError(
                f"words には単語のリストを渡してください（{type(words).__name__} が渡されました）。"
                "文字列は tokenize で単語に切り分けられます。")
        for word in words:
            if not isinstance(word, str) or word not in self.words:
                raise ValueError(
                    f"words に知らない単語 {word!r} が含まれています（{BOS} と {EOS} は書きません）。"
                    f"使える単語: {'、'.join(self.words)}")
        s, total = 0, 0.0
        for word in [*words, EOS]:
            prob = self.P[s, self._output_index[word]]
            if prob == 0.0:
                return float("-inf")      # この源が決して作らない並び
            total += float(np.log(prob))
            s = self._context_index.get(word, 0)
        return total

    # --- 文を作る -----------------------------------------------------------------------

    def sample(self, n_sentences, seed=0) -> list:
        """本当の確率どおりに文を ``n_sentences`` 個作ります。

        Parameters
        ----------
        n_sentences : int
            作る文の数（1 以上）。
        seed : int or numpy.random.Generator, default 0
            乱数のシード、または ``np.random.default_rng`` で作った乱数生成器
            （生成器を渡すと、その状態を進めます）。

        Returns
        -------
        list of list of str
            文ごとの単語の並び。``BOS`` と ``EOS`` は含みません（どの文も「。」で終わります）。

        Examples
        --------
        >>> from lossbook.corpus import japanese_text
        >>> text = japanese_text()
        >>> text.sample(2, seed=0) == text.sample(2, seed=0)
        True
        """
        n_sentences = check_int_at_least(n_sentences, "n_sentences")
        rng = np.random.default_rng(seed)
        cumulative = np.cumsum(self.P, axis=1)
        cumulative[:, -1] = np.inf       # 丸め誤差で最後が 1 を少し下回っても必ず選べるように
        eos = len(self.outputs) - 1
        # すべての文を並べて一語ずつ進めます（文ごとに Python で回すより速い）
        state = np.zeros(n_sentences, dtype=np.intp)        # いまの文脈（最初は BOS）
        active = np.ones(n_sentences, dtype=bool)
        columns = []
        for _ in range(_MAX_SENTENCE_TOKENS):
            u = rng.random(n_sentences)
            # 累積確率が u 以下の個数 = 選ばれた次の単語の番号
            nxt = np.sum(cumulative[state] <= u[:, None], axis=1)
            nxt[~active] = eos
            columns.append(nxt)
            active &= nxt != eos
            if not active.any():
                break
            state = np.where(active, nxt + 1, 0)            # outputs[j] は contexts[j + 1]
        else:
            raise RuntimeError("文が長くなりすぎました。連鎖の確率を見直してください。")
        ids = np.stack(columns, axis=1)
        lengths = np.argmax(ids == eos, axis=1)
        return [[self.outputs[j] for j in row[:n]] for row, n in zip(ids.tolist(), lengths)]

    def tokenize(self, text) -> list:
        """文字列 ``text`` を、知っている単語の並びに切り分けます（長い単語を優先）。

        Parameters
        ----------
        text : str
            例 ``"今日はいい"``。

        Returns
        -------
        list of str
            例 ``["今日", "は", "いい"]``。

        Raises
        ------
        TypeError
            text が文字列でないとき。
        ValueError
            知っている単語に切り分けられないとき。
        """
        if not isinstance(text, str):
            raise TypeError(f"text には文字列を渡してください（{type(text).__name__} が渡されました）。")
        by_length = sorted(self.words, key=len, reverse=True)
        tokens, i = [], 0
        while i < len(text):
            word = next((w for w in by_length if text.startswith(w, i)), None)
            if word is None:
                raise ValueError(
                    f"text の {i} 文字目から先（{text[i:]!r}）を、知っている単語に切り分けられません。"
                    f"使える単語: {'、'.join(self.words)}")
            tokens.append(word)
            i += len(word)
        return tokens


def japanese_text() -> MarkovText:
    """本書の文章の源（:data:`TRANSITIONS`）を返します。

    Examples
    --------
    >>> text = japanese_text()
    >>> len(text.words), float(text.next_word_distribution("いい")[text.outputs.index("天気")])
    (28, 0.6)
    """
    return MarkovText(TRANSITIONS)
