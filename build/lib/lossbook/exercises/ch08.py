"""第8章の練習問題（自己チェック用）。

練習 8-1〜8-3 の予測 Q は、本文（8.3 節と 8.4 節の表）が値を表示する予測とは別のものにしています。
"""

import numpy as np

from .. import losses
from ..chapters.summary import TEACHER
from .kinds import Choice, Mistake, Numeric

#: 練習 8-1〜8-3 の予測 Q（天気・電車・気分）。正解の天気より電車に高い確率を与えています。
EX8_Q = np.array([0.35, 0.5, 0.15])
#: 正解「天気」の one-hot 表現。
ONEHOT = np.array([1.0, 0.0, 0.0])


def _mse():
    return float(losses.mse(ONEHOT, EX8_Q))


#: 問題の番号 → 問題。
EXERCISES = {
    "8-1": Numeric(
        "予測 Q = (0.35, 0.5, 0.15) と one-hot 表現の正解 y = (1, 0, 0)（天気だけが 1）の "
        "KL ダイバージェンス D_KL(y‖Q) はいくつですか。",
        lambda: float(losses.kl_divergence(ONEHOT, EX8_Q)),
        "正解が one-hot 表現のとき、エントロピー H(y) はいくつですか。KL = クロスエントロピー − エントロピー を使います。",
        mistakes=(
            Mistake(lambda: float(losses.kl_divergence(EX8_Q, ONEHOT)),
                    "向きが逆の D_KL(Q‖y) になっていませんか。y が 0 の成分で Q が正なので無限大になります。"
                    "問題は D_KL(y‖Q) で、重みは正解 y です。"),
            Mistake(lambda: float(losses.kl_divergence(ONEHOT, EX8_Q)) / np.log(2),
                    "底が 2 の対数（bit）になっていませんか。nat は自然対数 np.log で測ります。"),
            Mistake(lambda: float(losses.kl_divergence(ONEHOT, EX8_Q)) / np.log(10),
                    "常用対数（log10）になっていませんか。nat は自然対数 np.log で測ります。"),
            Mistake(lambda: -float(losses.kl_divergence(ONEHOT, EX8_Q)), "符号を確かめてください。KL ダイバージェンスは 0 以上です。"),
            Mistake(lambda: float(-np.log(EX8_Q[1])), "確率がいちばん高い電車の項を使っていませんか。正解は天気です。"),
        )),
    "8-2": Numeric(
        "同じ予測 Q = (0.35, 0.5, 0.15) と one-hot 表現の正解の平均二乗誤差（3 成分の平均）はいくつですか。",
        _mse,
        "成分ごとに（正解 − 予測）を計算し、2 乗して足し、成分の数で割ります。",
        mistakes=(
            Mistake(lambda: 3 * _mse(), "2 乗の和のままではありませんか。3 つの成分の平均なので 3 で割ります。"),
            Mistake(lambda: float(np.sqrt(_mse())), "それは平均二乗誤差の平方根です。平方根を取る前の値を答えます。"),
            Mistake(lambda: float(np.mean(np.abs(ONEHOT - EX8_Q))), "差を 2 乗せずに、絶対値の平均を取っていませんか。"),
            Mistake(lambda: float((1 - EX8_Q[0]) ** 2), "天気の成分だけになっていませんか。電車と気分の成分の差も 2 乗して足します。"),
        )),
    "8-3": Numeric(
        "教師の分布 P = (0.7, 0.15, 0.15) について、クロスエントロピー H(P, Q) − KL ダイバージェンス D_KL(P‖Q) "
        "はいくつですか（Q は練習 8-1 と同じ）。",
        lambda: float(losses.cross_entropy(TEACHER, EX8_Q) - losses.kl_divergence(TEACHER, EX8_Q)),
        "H(P, Q) = H(P) + D_KL(P‖Q) です。差は Q によるでしょうか。",
        mistakes=(
            Mistake(lambda: float(losses.entropy(TEACHER)) / np.log(2),
                    "底が 2 の対数（bit）になっていませんか。nat は自然対数 np.log で測ります。"),
            Mistake(lambda: float(losses.cross_entropy(TEACHER, EX8_Q) + losses.kl_divergence(TEACHER, EX8_Q)),
                    "足し算になっていませんか。問題はクロスエントロピーから KL ダイバージェンスを引いた値です。"),
        )),
    "8-4": Choice(
        "明日の最高気温（℃）を予測するモデルに、まず使うロス関数はどれですか。",
        "b",
        {"a": "クロスエントロピー", "b": "平均二乗誤差", "c": "KL ダイバージェンス"},
        "予測するのは確率の分布ではなく、連続した 1 つの数（回帰）です。",
        why_not={"a": "クロスエントロピーは、いくつかの候補に確率を配る分類で使います。気温は候補から選ぶものですか。",
                 "c": "KL ダイバージェンスは 2 つの確率分布を比べます。気温の予測は 1 つの数です。"}),
}
