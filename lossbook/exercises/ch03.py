"""第3章の練習問題（自己チェック用）。正解の値はすべて lossbook で計算します。"""

import numpy as np

from .. import grad, losses
from ..examples import paris_distribution
from ..selfcheck import Choice, Numeric

#: 練習 3-1 のソフトラベル（首都 0.6、都市 0.4）。
SOFT_LABEL = np.array([0.6, 0.4, 0.0, 0.0])
#: 練習 3-2 と 3-4 のロジット（正解は 0 番）。
SMALL_LOGITS = np.array([2.0, 1.0, 0.0])
#: 練習 3-3 のロジット（正解は 0 番）。
BIG_LOGITS = np.array([1000.0, 1000.0, 1000.0])

#: 問題の番号 → 問題。番号は「章-番号」です。
EXERCISES = {
    "3-1": Numeric(
        "予測 paris_distribution(0.2) に対する、ソフトラベル (0.6, 0.4, 0, 0) のクロスエントロピーは"
        "いくつですか（nat）。",
        lambda: float(losses.cross_entropy(SOFT_LABEL, paris_distribution(0.2))),
        "L = −Σ y_i log ŷ_i です。y_i = 0 の項は 0 なので、首都と都市の 2 項だけを足します。"),
    "3-2": Numeric(
        "ロジット z = (2, 1, 0)、正解 0 番のとき、勾配の 0 番の成分（コードの z[0] を少し動かしたときのロスの傾き）はいくつですか。",
        lambda: float(grad.cross_entropy_with_logits(0, SMALL_LOGITS)[0]),
        "勾配は「ソフトマックス関数の出力 − one-hot 表現」です。正解の成分は p − 1 です。"),
    "3-3": Numeric(
        "ロジット z = (1000, 1000, 1000)、正解 0 番のクロスエントロピーはいくつですか（nat）。",
        lambda: float(losses.cross_entropy_with_logits(0, BIG_LOGITS)),
        "最大値 1000 を引くと z = (0, 0, 0) です。ソフトマックス関数の値は変わりません。"),
    "3-4": Numeric(
        "ロジット z = (2, 1, 0)、正解 0 番、温度 T = 0.5 のクロスエントロピーはいくつですか（nat）。",
        lambda: float(losses.cross_entropy_with_logits(0, SMALL_LOGITS / 0.5)),
        "温度はロジットを T で割るだけです。z / T = (4, 2, 0) のソフトマックス関数を考えます。"),
    "3-5": Choice(
        "予測確率 p（モデルが正解に与えた確率）がほぼ 0 のとき、正解のロジットについての勾配に近いのはどれですか。",
        "a",
        {"a": "クロスエントロピーは −1、MSE は 0",
         "b": "クロスエントロピーは 0、MSE は −1",
         "c": "どちらも 0",
         "d": "どちらも −1"},
        "クロスエントロピーの勾配は p − 1、MSE の勾配には p が掛かっています（3.7 節）。"),
}
