"""第8章の練習問題（自己チェック用）。"""

import numpy as np

from .. import losses
from ..selfcheck import Choice, Numeric
from ..widgets.summary import TEACHER

_Q = np.array([0.6, 0.2, 0.2])
_ONEHOT = np.array([1.0, 0.0, 0.0])

#: 問題の番号 → 問題。
EXERCISES = {
    "8-1": Numeric(
        "予測 Q = (0.6, 0.2, 0.2) と one-hot 表現の正解 y = (1, 0, 0)（天気だけが 1）の KL ダイバージェンス D_KL(y‖Q) はいくつですか。",
        lambda: float(losses.kl_divergence(_ONEHOT, _Q)),
        "正解が one-hot 表現のとき、エントロピー H(y) は 0 です。KL = クロスエントロピー − エントロピー を使います。"),
    "8-2": Numeric(
        "同じ予測 Q = (0.6, 0.2, 0.2) と one-hot 表現の正解の平均二乗誤差（3 成分の平均）はいくつですか。",
        lambda: float(losses.mse(_ONEHOT, _Q)),
        "成分ごとの差は (0.4, −0.2, −0.2) です。2 乗して足し、3 で割ります。"),
    "8-3": Numeric(
        "教師の分布 P = (0.7, 0.15, 0.15) について、クロスエントロピー H(P, Q) − KL ダイバージェンス D_KL(P‖Q) はいくつですか（Q は練習 8-1 と同じ）。",
        lambda: float(losses.cross_entropy(TEACHER, _Q) - losses.kl_divergence(TEACHER, _Q)),
        "H(P, Q) = H(P) + D_KL(P‖Q) なので、差は Q によらないエントロピー H(P) です。"),
    "8-4": Choice(
        "明日の最高気温（℃）を予測するモデルに、まず使うロス関数はどれですか。",
        "b",
        {"a": "クロスエントロピー", "b": "平均二乗誤差", "c": "KL ダイバージェンス"},
        "予測するのは確率の分布ではなく、連続した 1 つの数（回帰）です。"),
}
