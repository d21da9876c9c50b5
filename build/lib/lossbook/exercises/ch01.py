"""第1章の練習問題（自己チェック用）。"""

import numpy as np

from .. import losses
from ..examples import PARIS_ANSWER, paris_distribution
from .kinds import Choice, Mistake, Numeric


def _loss(p):
    """「首都」に確率 p を与えたモデルのロス（nat）。"""
    return float(losses.cross_entropy(PARIS_ANSWER, paris_distribution(p)))


#: 問題の番号 → 問題。番号は「章-番号」です。
EXERCISES = {
    "1-1": Numeric(
        "「首都」に確率 0.25 を与えたモデルのロス（自然対数）はいくつですか。",
        lambda: _loss(0.25),
        "ロスは予測確率 p だけで決まり、L = −log p です。np.log は自然対数です。",
        mistakes=(
            Mistake(lambda: float(-np.log2(0.25)), "底が 2 の対数（bit）になっていませんか。この本のロスは自然対数 np.log で測ります。"),
            Mistake(lambda: float(-np.log10(0.25)), "常用対数（log10）になっていませんか。np.log は自然対数です。"),
            Mistake(lambda: -_loss(0.25), "符号を確かめてください。確率は 1 以下なので log p は 0 以下、ロス −log p は 0 以上です。"),
            Mistake(lambda: 0.25, "確率そのものを答えていませんか。ロスは確率の対数にマイナスを付けたものです。"),
        )),
    "1-2": Numeric(
        "「首都」の確率を 0.5 から 0.25 に下げると、ロスは何倍になりますか。",
        lambda: _loss(0.25) / _loss(0.5),
        "0.25 = 0.5 × 0.5 です。log(ab) = log a + log b を思い出してください。",
        mistakes=(
            Mistake(lambda: _loss(0.5) / _loss(0.25), "割り算が逆です。新しいロス（確率 0.25）を、元のロス（確率 0.5）で割ります。"),
            Mistake(lambda: _loss(0.25) - _loss(0.5), "それはロスの差です。問題は何倍か（比）を聞いています。"),
        )),
    "1-3": Choice(
        "ロス L = −log p が取りうる値の範囲はどれですか。",
        "c",
        {"a": "−∞ < L ≤ 0", "b": "0 ≤ L ≤ 1", "c": "0 ≤ L（上限なし）", "d": "−1 ≤ L ≤ 1"},
        "確率 p は 0 ≤ p ≤ 1 です。p > 0 のとき log p の符号はどうなりますか。p = 0 では？（1.5 節）",
        why_not={"a": "p = 0.5 のロス −log 0.5 を計算して、この範囲に入るかを確かめてください。",
                 "b": "上限が 1 ではありません。p = 0.1 のロス −log 0.1 を計算してみてください。",
                 "d": "ロスが負になる確率 p はありますか。p ≤ 1 なら log p ≤ 0 です。"}),
}
