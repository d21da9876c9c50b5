"""第5章（KL ダイバージェンス）の練習問題（自己チェック用）。"""

import numpy as np

from .. import activations, losses
from ..chapters.kl import BUMP_WEIGHT, GRID_X, grid_bump, two_bumps
from .kinds import Choice, Mistake, Numeric

#: 第5章の教師モデルのロジット（天気・気分・日・電車）。
TEACHER_LOGITS = (2.5, 1.6, 0.7, 0.0)
#: 練習 5-2 の 2 つの分布。
EX52_P = np.array([0.8, 0.2])
EX52_Q = np.array([0.3, 0.7])


def _teacher():
    """教師の分布 P = softmax(z)（温度 1）です。"""
    return activations.softmax(np.array(TEACHER_LOGITS))


def _entropy_gap(T):
    """温度 T の教師の分布のエントロピーと、一様分布のエントロピー log 4 との差（nat）。"""
    return float(np.log(4) - losses.entropy(activations.softmax(np.array(TEACHER_LOGITS) / T)))


def _smallest_temperature(gap):
    """エントロピーが log 4 との差 gap 未満になる最小の整数の温度。"""
    return float(next(T for T in range(1, 10_000) if _entropy_gap(T) < gap))


def _right_bump():
    """右の山だけに重なる Q（中心 2、幅 0.6）。"""
    return grid_bump(GRID_X, 2.0, 0.6)


#: 問題の番号 → 問題。番号は「章-番号」です。
EXERCISES = {
    "5-1": Numeric(
        "教師の分布 P = softmax(2.5, 1.6, 0.7, 0.0) と、4 語の一様分布 U との "
        "KL ダイバージェンス D_KL(P‖U) はいくつですか（nat）。",
        lambda: float(losses.kl_divergence(_teacher(), np.full(4, 0.25))),
        "KL = クロスエントロピー − エントロピーです。一様分布 U とのクロスエントロピー H(P, U) は、P によらない値です。",
        mistakes=(
            Mistake(lambda: float(losses.kl_divergence(np.full(4, 0.25), _teacher())),
                    "向きが逆の D_KL(U‖P) になっていませんか。D_KL(P‖U) は P の確率で重みを付けます。"),
            Mistake(lambda: float(losses.kl_divergence(_teacher(), np.full(4, 0.25))) / np.log(2),
                    "底が 2 の対数（bit）になっていませんか。nat は自然対数 np.log で測ります。"),
            Mistake(lambda: float(losses.entropy(_teacher())), "それはエントロピー H(P) です。KL はクロスエントロピーとの差です。"),
            Mistake(lambda: -float(losses.kl_divergence(_teacher(), np.full(4, 0.25))),
                    "符号を確かめてください。KL ダイバージェンスは 0 以上です。"),
        )),
    "5-2": Numeric(
        "P = (0.8, 0.2)、Q = (0.3, 0.7) のとき、逆向きの D_KL(Q‖P) はいくつですか（nat）。",
        lambda: float(losses.kl_divergence(EX52_Q, EX52_P)),
        "D_KL(Q‖P) は Q の確率で重みを付けた和 Σ Q(i) log(Q(i)/P(i)) です。",
        mistakes=(
            Mistake(lambda: float(losses.kl_divergence(EX52_P, EX52_Q)),
                    "それは前向きの D_KL(P‖Q) です。逆向きでは、重みも分子も Q になります。"),
            Mistake(lambda: float(losses.kl_divergence(EX52_Q, EX52_P)) / np.log(2),
                    "底が 2 の対数（bit）になっていませんか。nat は自然対数 np.log で測ります。"),
            Mistake(lambda: float(losses.kl_divergence(EX52_Q, EX52_P)) / np.log(10),
                    "常用対数（log10）になっていませんか。nat は自然対数 np.log で測ります。"),
        )),
    "5-3": Choice(
        "P = (1, 0, 0)（one-hot 表現）、Q = (0.7, 0.2, 0.1) のとき、値が +∞ になるのはどれですか。",
        "b",
        {"a": "D_KL(P‖Q)", "b": "D_KL(Q‖P)", "c": "エントロピー H(P)",
         "d": "クロスエントロピー H(P, Q)"},
        "左側の分布が正で、右側の分布が 0 になる成分があるのはどれかを探してください。",
        why_not={"a": "P が 0 の成分は 0·log 0 = 0 で消えます。残る項は −log 0.7 で有限です。",
                 "c": "one-hot 表現のエントロピーは 1·log 1 だけが残り、有限です。",
                 "d": "P が 0 の成分は重みが 0 なので消えます。残る項は −log 0.7 です。"}),
    "5-4": Numeric(
        "5.6 節の 2 つの山の分布 P に対して、右の山と同じ形の Q（中心 2、幅 0.6）の"
        "逆向きの KL ダイバージェンス D_KL(Q‖P) はいくつですか（nat）。",
        lambda: float(losses.kl_divergence(_right_bump(), two_bumps(GRID_X))),
        "grid_bump で Q を作り、lb.kl_divergence(Q, P) を計算します。引数の順番が向きを決めます。",
        mistakes=(
            Mistake(lambda: float(np.log(1 / (1 - BUMP_WEIGHT))),
                    "それは 5.6 節の近似 log(1/0.4) です。Q の裾は左の山とも少し重なるので、本当の値は少し違います。"
                    "grid_bump と lb.kl_divergence で計算してください。"),
            Mistake(lambda: float(losses.kl_divergence(two_bumps(GRID_X), _right_bump())),
                    "それは前向きの D_KL(P‖Q) です。逆向きは Q の確率で重みを付けます。"),
        )),
    "5-5": Numeric(
        "教師のロジット (2.5, 1.6, 0.7, 0.0) を温度 T = 1, 2, 3, … で割っていくとき、教師の分布のエントロピーが "
        "log 4 との差 0.01 nat 未満になる最小の整数 T はいくつですか。",
        lambda: _smallest_temperature(0.01),
        "T を 1 ずつ増やしながら、lb.entropy(lb.softmax(z / T)) を np.log(4) と比べます。",
        rel_tol=1e-9,
        mistakes=(
            Mistake(lambda: _smallest_temperature(0.1), "それは差が 0.1 nat 未満になる温度です。問題は 0.01 nat です。"),
            Mistake(lambda: _smallest_temperature(0.01) - 1, "その温度では、差はまだ 0.01 nat 以上です。"),
            Mistake(lambda: _smallest_temperature(0.01 * np.log(2)),
                    "差を bit で測っていませんか。エントロピーも log 4 も自然対数（nat）で比べます。"),
        )),
}
