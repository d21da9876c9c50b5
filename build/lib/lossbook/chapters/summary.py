"""第8章の例: 「今日はいい____」の予測を 3 つのものさしで測ります。numpy と lossbook のコアだけを使います。

「天気」に与える確率 p を動かし、残りを「電車」と「気分」に半分ずつ分けた予測 Q の、
クロスエントロピー・平均二乗誤差・教師の分布 P との KL ダイバージェンスを計算します。
図と対話型の図は :mod:`lossbook.widgets.summary` にあります。
"""

from __future__ import annotations

import numpy as np

from .. import losses
from .._validation import check_number
from ..examples import TODAY_CANDIDATES, weather_distribution

__all__ = ["WORDS", "TEACHER", "three_losses"]

#: 候補の単語（正解は 0 番の「天気」）。第6章と同じ例です（lossbook.examples）。
WORDS = TODAY_CANDIDATES


#: 教師モデルの分布 P（KL ダイバージェンスの比べる相手）。[0.7, 0.15, 0.15] を予測と同じ式で作ります。
#: 0.15 と書くと (1 - 0.7) / 2 = 0.15000000000000002 と最後のビットが違い、p = 0.7 の予測との KL が
#: 0 ではなく -5.6e-17 になるためです（その浮動小数点数どうしでは、それが正しい値です）。
TEACHER = weather_distribution(0.7)


def three_losses(p: float) -> tuple[float, float, float]:
    """予測 ``weather_distribution(p)``（「天気」に p、残りを「電車」と「気分」に半分ずつ）の、
    クロスエントロピー・平均二乗誤差・KL ダイバージェンスを返します。p は 0 より大きい確率です。"""
    p = check_number(p, "p", minimum=0, exclusive_minimum=True, maximum=1, advice="「天気」に与える確率です。")
    q = weather_distribution(p)
    onehot = np.eye(len(WORDS))[0]
    return (float(losses.cross_entropy(0, q)), float(losses.mse(onehot, q)),
            float(losses.kl_divergence(TEACHER, q)))
