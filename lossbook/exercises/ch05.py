"""第5章（KL ダイバージェンス）の練習問題（自己チェック用）。"""

import numpy as np

from .. import activations, losses
from ..selfcheck import Choice, Numeric

#: 第5章の教師モデルのロジット（天気・気分・日・電車）。
TEACHER_LOGITS = (2.5, 1.6, 0.7, 0.0)


def _teacher():
    """教師の分布 P = softmax(z)（温度 1）です。"""
    return activations.softmax(np.array(TEACHER_LOGITS))


def _right_bump_reverse_kl():
    """右の山だけに重なる Q（中心 2、幅 0.6）の逆向き KL D_KL(Q‖P) です。"""
    # ウィジェットのモジュールは ipywidgets を読み込むので、使うときだけ import します
    from ..widgets.kl import GRID_X, grid_bump, two_bumps

    return float(losses.kl_divergence(grid_bump(GRID_X, 2.0, 0.6), two_bumps(GRID_X)))


#: 問題の番号 → 問題。番号は「章-番号」です。
EXERCISES = {
    "5-1": Numeric(
        "教師の分布 P = softmax(2.5, 1.6, 0.7, 0.0) と、4 語の一様分布 U との "
        "KL ダイバージェンス D_KL(P‖U) はいくつですか（nat）。",
        lambda: float(losses.kl_divergence(_teacher(), np.full(4, 0.25))),
        "KL = クロスエントロピー − エントロピーです。一様分布とのクロスエントロピーは log 4 です。"),
    "5-2": Numeric(
        "P = (0.8, 0.2)、Q = (0.5, 0.5) のとき、逆向きの D_KL(Q‖P) はいくつですか（nat）。",
        lambda: float(losses.kl_divergence([0.5, 0.5], [0.8, 0.2])),
        "D_KL(Q‖P) は Q の確率で重みを付けた和 Σ Q(i) log(Q(i)/P(i)) です。"),
    "5-3": Choice(
        "P = (1, 0, 0)（one-hot 表現）、Q = (0.7, 0.2, 0.1) のとき、値が +∞ になるのはどれですか。",
        "b",
        {"a": "D_KL(P‖Q)", "b": "D_KL(Q‖P)", "c": "エントロピー H(P)",
         "d": "クロスエントロピー H(P, Q)"},
        "左側の分布が正で、右側の分布が 0 になる成分があるのはどれかを探してください。"),
    "5-4": Numeric(
        "5.6 節の 2 つの山の分布 P に対して、右の山と同じ形の Q（中心 2、幅 0.6）の"
        "逆向きの KL ダイバージェンス D_KL(Q‖P) はいくつですか（nat）。",
        _right_bump_reverse_kl,
        "Q が重なる場所では、P は右の山の重み 0.4 を掛けた形です。log(1/0.4) に近い値になります。"),
}
