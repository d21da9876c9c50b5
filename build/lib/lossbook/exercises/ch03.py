"""第3章の練習問題（自己チェック用）。正解の値はすべて lossbook で計算します。"""

import numpy as np

from .. import activations, grad, losses
from ..examples import paris_distribution
from .kinds import Choice, Mistake, Numeric

#: 練習 3-1 のソフトラベル（首都 0.6、都市 0.4）。
SOFT_LABEL = np.array([0.6, 0.4, 0.0, 0.0])
#: 練習 3-2 のロジット（正解は 0 番）。本文が表示するソフトマックス関数の値と重ならない数にしています。
EX32_LOGITS = np.array([1.5, 0.5, 0.0])
#: 練習 3-4 のロジット（正解は 0 番）。
SMALL_LOGITS = np.array([2.0, 1.0, 0.0])
#: 練習 3-3 のロジット（正解は 0 番）。
BIG_LOGITS = np.array([1000.0, 999.0, 1000.0])
#: 練習 3-4 の温度。
TEMPERATURE = 0.5


def _soft_ce():
    return float(losses.cross_entropy(SOFT_LABEL, paris_distribution(0.2)))


#: 問題の番号 → 問題。番号は「章-番号」です。
EXERCISES = {
    "3-1": Numeric(
        "予測 paris_distribution(0.2) に対する、ソフトラベル (0.6, 0.4, 0, 0) のクロスエントロピーは"
        "いくつですか（nat）。",
        _soft_ce,
        "L = −Σ y_i log ŷ_i です。y_i = 0 の項は 0 なので、首都と都市の 2 項だけを足します。",
        mistakes=(
            Mistake(lambda: _soft_ce() / np.log(2), "底が 2 の対数（bit）になっていませんか。nat は自然対数 np.log で測ります。"),
            Mistake(lambda: _soft_ce() / np.log(10), "常用対数（log10）になっていませんか。nat は自然対数 np.log で測ります。"),
            Mistake(lambda: float(losses.cross_entropy(0, paris_distribution(0.2))),
                    "首都の項だけになっていませんか。ソフトラベルでは、都市の 0.4 の項も足します。"),
        )),
    "3-2": Numeric(
        "ロジット z = (1.5, 0.5, 0)、正解 0 番のとき、勾配の 0 番の成分（コードの z[0] を少し動かしたときのロスの傾き）はいくつですか。",
        lambda: float(grad.cross_entropy_with_logits(0, EX32_LOGITS)[0]),
        "勾配は「ソフトマックス関数の出力 − one-hot 表現」です。正解の成分は p − 1 です。",
        mistakes=(
            Mistake(lambda: -float(grad.cross_entropy_with_logits(0, EX32_LOGITS)[0]),
                    "符号が逆です。z[0] を増やすと正解の確率が上がり、ロスは下がります。傾きの符号はどちらですか。"),
            Mistake(lambda: float(activations.softmax(EX32_LOGITS)[0]),
                    "それは正解の確率 p です。勾配は、そこから one-hot 表現の正解の成分を引いたものです。"),
        )),
    "3-3": Numeric(
        "ロジット z = (1000, 999, 1000)、正解 0 番のクロスエントロピーはいくつですか（nat）。",
        lambda: float(losses.cross_entropy_with_logits(0, BIG_LOGITS)),
        "最大値 1000 を引いてから計算します。ソフトマックス関数の値は変わりません。",
        mistakes=(
            Mistake(lambda: float(losses.cross_entropy_with_logits(0, BIG_LOGITS)) / np.log(2),
                    "底が 2 の対数（bit）になっていませんか。nat は自然対数 np.log で測ります。"),
            Mistake(lambda: -float(losses.cross_entropy_with_logits(0, BIG_LOGITS)), "符号を確かめてください。ロスは 0 以上です。"),
            Mistake(lambda: float(np.log(3)), "3 つのロジットがすべて 1000 のときの値です。2 番目は 999 です。"),
            Mistake(lambda: 0.0, "最大値を引くとロジットは 0 になりますが、ロスは 0 になりません。3 つの確率はいくつですか。"),
        )),
    "3-4": Numeric(
        "ロジット z = (2, 1, 0)、正解 0 番、温度 T = 0.5 のクロスエントロピーはいくつですか（nat）。",
        lambda: float(losses.cross_entropy_with_logits(0, SMALL_LOGITS / TEMPERATURE)),
        "温度はロジットを T で割るだけです。z / T のソフトマックス関数を考えます。",
        mistakes=(
            Mistake(lambda: float(losses.cross_entropy_with_logits(0, SMALL_LOGITS * TEMPERATURE)),
                    "ロジットに T を掛けていませんか。温度はロジットを T で割ります。"),
            Mistake(lambda: float(losses.cross_entropy_with_logits(0, SMALL_LOGITS)),
                    "温度 T = 1 のときの値です。ロジットを T = 0.5 で割ってから計算します。"),
        )),
    "3-5": Choice(
        "モデルが正解に確率 0.001 しか与えていないサンプルが、正解のロジットを動かす力（勾配の大きさ）について正しいのはどれですか。",
        "a",
        {"a": "クロスエントロピーで学習すると大きく動かし、MSE で学習するとほとんど動かさない",
         "b": "MSE で学習すると大きく動かし、クロスエントロピーで学習するとほとんど動かさない",
         "c": "どちらで学習しても、ほとんど動かさない",
         "d": "どちらで学習しても、同じ大きさで動かす"},
        "クロスエントロピーの勾配は p − 1、MSE の勾配には p が掛かっています（3.7 節）。p = 0.001 を入れてみてください。",
        why_not={"b": "クロスエントロピーの勾配 p − 1 に p = 0.001 を入れると、0 に近くなりますか。",
                 "c": "クロスエントロピーの勾配 p − 1 に p = 0.001 を入れてみてください。",
                 "d": "MSE の勾配には p が掛かっています。p = 0.001 ならどうなりますか。"}),
}
