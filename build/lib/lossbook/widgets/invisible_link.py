r"""第7章（推論とロス関数の「見えないつながり」）の対話型の図。

* :class:`TrainingStepExplorer`: 学習の歩数を動かし、ロスの曲線の上の位置と、
  「今日はいい____」の次の単語の予測、その時点のモデルが作る文を見ます。
* :class:`TemperatureExplorer`: 温度 $T$ を動かし、次の単語の分布と、作られる文の
  変わり方を見ます。

どちらも図の形がフレームごとに変わるので、静的ツインは :func:`lossbook.twin.frame_twin`
（フレームごとの小さな図）で作ります。数値はすべて lossbook（``lossbook.lm`` と
``lossbook.corpus`` とコア）が計算します。

Chapter 7 explorers: a training-step slider and a temperature slider, each with a
frame-by-frame static twin.
"""

from __future__ import annotations

import numpy as np

from .. import losses
from ..chapters.next_word import OTHERS, PROMPT, candidate_words, grouped_probabilities  # noqa: F401（PROMPT は既定値）
from ..lm import sentence_text
from ..plotting import COLORS, new_figure
from ._base import Control, Explorer

__all__ = ["SAMPLE_WORDS", "plot_next_word", "TrainingStepExplorer", "TemperatureExplorer"]

#: 説明文に載せる生成例の単語数の上限（学習前のモデルは文をなかなか終えないため）。
SAMPLE_WORDS = 12


def plot_next_word(ax, words, model_probs, ref_probs, title, model_label="モデル",
                   ref_label="本当の確率", ref_color=None):
    """次の単語の候補ごとに、モデルの確率（棒）と比べる確率（横線、既定は緑の本当の確率）を描きます。

    Parameters
    ----------
    ax : matplotlib の Axes
    words : list of str
        候補の単語（最後に「その他」を足して描きます）。
    model_probs, ref_probs : array_like
        ``words`` と「その他」の確率（:func:`grouped_probabilities` の結果）。
    title : str
        図の題。
    model_label, ref_label : str
        凡例の名前。
    ref_color : str, optional
        横線の色（既定は正解の緑）。
    """
    labels = [*words, OTHERS]
    x = np.arange(len(labels))
    ax.bar(x, model_probs, width=0.6, color=COLORS["curve"], label=model_label)
    ax.hlines(ref_probs, x - 0.38, x + 0.38, color=ref_color or COLORS["correct"], lw=3,
              label=ref_label)
    for xi, q in zip(x, model_probs):
        ax.text(xi, q + 0.03, f"{q:.2f}", ha="center", fontsize=9)
    ax.set_xticks(x, labels)
    # 目盛りの補助線は棒の下に描きます（棒の上を線が横切らないように）
    ax.set_axisbelow(True)
    # 上に凡例の場所を空けます（棒が 1 に届いても重ならないように）
    ax.set_ylim(0, 1.32)
    ax.set_yticks(np.linspace(0, 1, 6))
    ax.set_ylabel("次の単語の確率")
    ax.set_title(title)
    ax.legend(loc="upper center", ncol=2)


def _sample_text(model, seed, temperature=1.0):
    """モデルが作った文（上限で途切れたら「…」付き）を返します。"""
    words = model.generate(seed=seed, temperature=temperature, max_words=SAMPLE_WORDS)
    return sentence_text(words, max_words=SAMPLE_WORDS)


class _NextWordBars(Explorer):
    """第 7 章の 2 つのエクスプローラーに共通の図: 次の単語の候補ごとの確率の棒と、比べる確率の横線。

    サブクラスは、比べる確率（``self.reference``）と凡例の名前を決め、``probabilities(**値)`` と
    ``title_for(**値)`` を書きます。動くのは棒・棒の数値・題です（横線と凡例は棒より上の層なので一緒に描き直します）。
    """

    FIGSIZE = (5.4, 3.0)
    MODEL_LABEL, REF_LABEL, REF_COLOR = "モデル", "本当の確率", None

    def make_figure(self):
        fig, ax = new_figure(figsize=self.FIGSIZE)
        # 位置を手で決めます（図の大きさと文字の量が決まっているので、自動の配置は要りません）
        fig.set_layout_engine("none")
        ax.set_position([0.13, 0.11, 0.85, 0.79])
        plot_next_word(ax, self.words, np.zeros(len(self.words) + 1), self.reference, " ",
                       model_label=self.MODEL_LABEL, ref_label=self.REF_LABEL, ref_color=self.REF_COLOR)
        self.bars = list(ax.patches)
        self.bar_labels = list(ax.texts)
        self.moving = [*self.bars, *self.bar_labels, *ax.collections, ax.get_legend(), ax.title]
        return fig

    def draw(self, **values) -> None:
        for i, (bar, label, q) in enumerate(zip(self.bars, self.bar_labels, self.probabilities(**values))):
            bar.set_height(q)
            label.set_position((i, q + 0.03))
            label.set_text(f"{q:.2f}")
        self.fig.axes[0].set_title(self.title_for(**values))


class TrainingStepExplorer(_NextWordBars):
    """第 7 章: 学習の歩数を動かし、ロスが床へ下がるにつれて予測と文がどう育つかを見ます。

    図は「今日はいい____」の次の単語の予測（棒）と本当の確率（緑の横線）です。
    説明文には、その歩数の学習データでのロスとエントロピーの床、天気の確率とロス、
    その歩数のモデルが作った文（温度 1、シード固定）を載せます。

    Parameters
    ----------
    history : lossbook.lm.History
        :meth:`lossbook.lm.BigramLM.fit` の記録。
    text : lossbook.corpus.MarkovText
        学習データの源（本当の確率とエントロピーの床のため）。
    step : int
        最初に表示する歩数（:attr:`FRAME_STEPS` のどれか）。
    seed : int
        生成例のシード。
    """

    #: スライダーの目盛り（歩数）。最初は細かく、後は粗く並べます。
    FRAME_STEPS = (0, 1, 2, 5, 10, 20, 100, 500)
    HINT = "歩数を右へ動かし、棒が緑の線に重なっていく様子に注目してください。"
    TEXT = "（対話型の図: 学習の歩数のスライダーと、次の単語の予測・生成例。JupyterLab で動かせます）"

    def __init__(self, history, text, step=0, seed=0):
        self.history = history
        self.text = text
        self.seed = seed
        self.steps = tuple(s for s in self.FRAME_STEPS if s <= history.steps)
        self.floor = text.entropy_floor()
        self.words = candidate_words(text)
        self.context = text.tokenize(PROMPT)
        self.answer = self.words[0]                   # 本当にいちばんありそうな単語（天気）
        self.reference = grouped_probabilities(
            text.next_word_distribution(self.context[-1]), text.outputs, self.words)
        super().__init__(step=step)

    def make_controls(self):
        return [Control("step", "学習の歩数", self.steps, "{}", width="480px")]

    def probabilities(self, step):
        model = self.history.model_at(step)
        return grouped_probabilities(model.next_word_distribution(self.context), model.outputs, self.words)

    def title_for(self, step):
        return f"「{PROMPT}____」の予測（{step} 歩）"

    def caption_for(self, step):
        """説明文: 歩数、学習データのロスと床、天気の確率とそのロス、生成例。"""
        model = self.history.model_at(step)
        q = model.next_word_distribution(self.context)
        answer = self.text.outputs.index(self.answer)
        p = float(q[answer])
        loss_answer = losses.cross_entropy(answer, q)          # −log p(天気)
        return (f"{step} 歩: 学習データのロス {self.history.loss[step]:.3f} nat"
                f"（床 {self.floor:.3f} nat）、p({self.answer}) = {p:.3f}"
                f"（{self.answer}のロス {loss_answer:.3f}）、"
                f"生成例「{_sample_text(model, self.seed)}」")

    def alt_text(self):
        truth = "、".join(f"{word} {p:.2f}" for word, p in zip(self.words, self.reference))
        return ("「今日はいい」の次の単語の予測の棒グラフ。学習の歩数が進むと、棒が"
                f"本当の確率を表す緑の横線（{truth}）に近づきます。")


class TemperatureExplorer(_NextWordBars):
    """第 7 章: 温度 T を動かし、次の単語の分布と作られる文の変わり方を見ます。

    図は「今日はいい____」の次の単語の分布 softmax(z / T)（棒）と、同じモデルの
    $T = 1$ の分布（灰色の横線）です。説明文には、その温度で作った文を
    シードを変えて 2 つ載せます。

    Parameters
    ----------
    model : lossbook.lm.BigramLM
        学習済みのモデル。
    text : lossbook.corpus.MarkovText
        単語の切り分けと候補の単語のため。
    temperature : float
        最初に表示する温度（:attr:`FRAME_TEMPERATURES` のどれか）。
    seeds : tuple of int
        生成例のシード。
    """

    #: スライダーの目盛り（温度）。
    FRAME_TEMPERATURES = (0.1, 0.3, 0.5, 1.0, 1.5, 2.0, 3.0, 5.0)
    HINT = "温度を左右に動かし、棒の高さと作られる文の「冒険ぐあい」がどう変わるかに注目してください。"
    TEXT = "（対話型の図: 温度のスライダーと、次の単語の分布・生成例。JupyterLab で動かせます）"
    ALT = ("「今日はいい」の次の単語の確率の棒グラフ。温度が低いと天気の棒だけが高くなり、"
           "温度が高いと、その他を含むすべての棒が低くそろっていきます。灰色の横線は温度 1 の予測です。")
    MODEL_LABEL, REF_LABEL, REF_COLOR = "この温度", "T = 1（基準）", COLORS["muted"]

    def __init__(self, model, text, temperature=1.0, seeds=(0, 1)):
        self.model = model
        self.text = text
        self.seeds = tuple(seeds)
        self.words = candidate_words(text)
        self.context = text.tokenize(PROMPT)
        self.reference = grouped_probabilities(model.next_word_distribution(self.context),
                                               model.outputs, self.words)
        super().__init__(temperature=temperature)

    def make_controls(self):
        return [Control("temperature", "温度 T", self.FRAME_TEMPERATURES, "{:g}")]

    def distribution(self, temperature):
        """温度 T の「今日はいい」の次の単語の分布（``outputs`` の順）。"""
        return self.model.next_word_distribution(self.context, temperature=temperature)

    def probabilities(self, temperature):
        return grouped_probabilities(self.distribution(temperature), self.model.outputs, self.words)

    def title_for(self, temperature):
        return f"温度 T = {temperature:g} の予測"

    def caption_for(self, temperature):
        """説明文: 温度、最有力語の確率、分布のエントロピーとパープレキシティ、生成例。"""
        q = self.distribution(temperature)
        top = self.words[0]
        h = losses.entropy(q)
        samples = "」「".join(_sample_text(self.model, s, temperature) for s in self.seeds)
        return (f"T = {temperature:g}: p({top}) = {q[self.model.outputs.index(top)]:.3f}、"
                f"エントロピー {h:.3f} nat（約 {losses.perplexity(h):.2f} 語の中で迷う）、"
                f"生成例「{samples}」")
