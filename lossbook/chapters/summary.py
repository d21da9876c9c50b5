"""第8章の例: 「今日はいい____」の予測を 3 つのものさしで測ります。numpy と lossbook のコアだけを使います。

「天気」に与える確率 p を動かし、残りを「電車」と「気分」に半分ずつ分けた予測 Q の、
クロスエントロピー・平均二乗誤差・教師の分布 P との KL ダイバージェンスを計算します。
図と対話型の図は :mod:`lossbook.widgets.summary` にあります。
"""

from __future__ import annotations

import numpy as np

from .. import losses
from .._validation import check_number

__all__ = ["WORDS", "TEACHER", "prediction", "three_losses"]

#: 候補の単語（正解は 0 番の「天気」）。
WORDS = ("天気", "電車", "気分")


def prediction(p: float) -> np.ndarray:
    """「天気」に確率 p を与え、残りを「電車」と「気分」に半分ずつ分けた予測 Q を返します。"""
    p = check_number(p, "p", minimum=0, exclusive_minimum=True, maximum=1, advice="「天気」に与える確率です。")
    return np.array([p, (1.0 - p) / 2, (1.0 - p) / 2])


#: 教師モデルの分布 P（KL ダイバージェンスの比べる相手）。[0.7, 0.15, 0.15] を prediction と同じ式で作ります。
#: 0.15 と書くと (1 - 0.7) / 2 = 0.15000000000000002 と最後のビットが違い、p = 0.7 の予測との KL が
#: 0 ではなく -5.6e-17 になるためです（その浮動小数点数どうしでは、それが正しい値です）。
TEACHER = prediction(0.7)


def three_losses(p: float) -> tuple[float, float, float]:
    """予測 ``prediction(p)`` のクロスエントロピー・平均二乗誤差・KL ダイバージェンスを返します。"""
    q = prediction(p)
    onehot = np.eye(len(WORDS))[0]
    return (float(losses.cross_entropy(0, q)), float(losses.mse(onehot, q)),
            float(losses.kl_divergence(TEACHER, q)))
