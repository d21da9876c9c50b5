"""第4章の練習問題（自己チェック用）。"""

from itertools import combinations

import numpy as np

from .. import grad, losses
from ..selfcheck import Choice, Mistake, Numeric

#: 練習 4-1 のデータ（家賃、万円）。
EX41_Y = [3.0, 5.0, 2.0, 6.0]
EX41_Y_HAT = [2.5, 5.0, 4.0, 7.0]
#: 練習 4-5 の小さなデータ: 駅からの距離（km）と家賃（万円）。最後の物件が外れ値です。
EX45_X = np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
EX45_Y = np.array([18.0, 16.0, 17.0, 14.0, 14.0, 3.0])


def _ex45_mae_slope() -> float:
    """練習 4-5 のデータで、MAE を最小にする直線の傾き（正確な値）。

    MAE を最小にする直線の中には、どれか 2 つのサンプルを通るものがあります。そこで、2 つのサンプルを通る
    直線をすべて作り、MAE がいちばん小さいものを選びます（このデータでは最小の直線は 1 本だけです。テストで確かめます）。
    """
    best = None
    for i, j in combinations(range(len(EX45_X)), 2):
        a = (EX45_Y[j] - EX45_Y[i]) / (EX45_X[j] - EX45_X[i])
        value = losses.mae(EX45_Y, a * EX45_X + (EX45_Y[i] - a * EX45_X[i]))
        if best is None or value < best[0]:
            best = (value, float(a))
    return best[1]


def _ex45_mse_slope() -> float:
    """同じデータで MSE を最小にする直線（最小二乗法）の傾き。"""
    x, y = EX45_X, EX45_Y
    return float(np.sum((x - x.mean()) * (y - y.mean())) / np.sum((x - x.mean()) ** 2))


#: 問題の番号 → 問題。番号は「章-番号」です。
EXERCISES = {
    "4-1": Numeric(
        "y = [3, 5, 2, 6]、ŷ = [2.5, 5, 4, 7] のときの MSE はいくつですか。",
        lambda: float(losses.mse(EX41_Y, EX41_Y_HAT)),
        "誤差 ŷ − y を 4 つ求め、それぞれを 2 乗してから平均します。",
        mistakes=(
            Mistake(lambda: 4 * float(losses.mse(EX41_Y, EX41_Y_HAT)), "2 乗の和のままではありませんか。MSE は平均なので、サンプルの数 4 で割ります。"),
            Mistake(lambda: float(losses.mae(EX41_Y, EX41_Y_HAT)), "それは絶対誤差の平均（MAE）です。MSE は誤差を 2 乗してから平均します。"),
            Mistake(lambda: float(np.sqrt(losses.mse(EX41_Y, EX41_Y_HAT))), "それは MSE の平方根（RMSE）です。平方根を取る前の値を答えます。"),
        )),
    "4-2": Numeric(
        "δ = 1.5 の Huber ロスで、誤差 e = 2.5 のサンプル 1 つのロスはいくつですか。",
        lambda: float(losses.huber([0.0], [2.5], delta=1.5)),
        "|e| と δ を比べ、Huber ロスの 2 つの式のどちらを使うかを決めます。",
        mistakes=(
            Mistake(lambda: 2.5 ** 2 / 2, "それは |e| ≤ δ のときの式 e²/2 です。|e| = 2.5 は δ = 1.5 より大きいので、もう一方の式を使います。"),
            Mistake(lambda: 2.5, "それは絶対誤差 |e| です。Huber ロスの |e| > δ の式には、δ を使った補正が入ります。"),
            Mistake(lambda: 1.5 * (2.5 - 1.5), "δ(|e| − δ) になっていませんか。引くのは δ/2 です。"),
        )),
    "4-3": Numeric(
        "N = 4 のデータで、ŷ_1 − y_1 = 3、ほかの誤差は 0 です。予測 ŷ_1 だけを動かしたときの MSE のロスの傾きはいくつですか。",
        lambda: float(grad.mse([0.0, 0.0, 0.0, 0.0], [3.0, 0.0, 0.0, 0.0])[0]),
        "MSE = (1/N) Σ (ŷ_i − y_i)² を ŷ_1 で微分します。",
        mistakes=(
            Mistake(lambda: 6.0, "N で割り忘れていませんか。MSE は平均なので、傾きにも 1/N が付きます。"),
            Mistake(lambda: 0.75, "2 乗を微分したときの係数 2 を忘れていませんか。"),
            Mistake(lambda: -1.5, "符号を確かめてください。ŷ_1 を増やすと誤差 3 はさらに大きくなり、ロスは増えます。"),
            Mistake(lambda: 2.25, "それは MSE の値です。問題は、ŷ_1 を動かしたときのロスの傾きを聞いています。"),
        )),
    "4-4": Choice(
        "雑音の標準偏差 σ を知らずに σ = 1 と仮定して負の対数尤度を最小にしました（本当は σ = 0.3）。求めた直線について正しいのはどれですか。",
        "b",
        {"a": "傾きが本当の直線の 0.3 倍になる", "b": "本当の σ を使ったときと同じ直線になる",
         "c": "本当の σ を使ったときより、外れ値に引っぱられにくくなる", "d": "直線が 1 つに決まらなくなる"},
        "負の対数尤度は N/(2σ²)·MSE + 定数 です。σ が変えるのは何ですか（4.5 節）。",
        why_not={"a": "負の対数尤度の式で、σ がどこに入っているかを確かめてください。傾き a を含む項に、σ はどう効きますか。",
                 "c": "外れ値への強さは、誤差を 2 乗するという形で決まります。σ はその形を変えるでしょうか。",
                 "d": "σ = 0.3 のとき、負の対数尤度を最小にする直線はいくつありましたか。σ はその数を変えるでしょうか。"}),
    "4-5": Numeric(
        "距離 x = 1, 2, 3, 4, 5, 6 km、家賃 y = 18, 16, 17, 14, 14, 3 万円のデータで、"
        "MAE を最小にする直線の傾き a はいくつですか。",
        _ex45_mae_slope,
        "2 つのサンプルを通る直線をすべて作り、lb.mae がいちばん小さいものを選びます。",
        mistakes=(
            Mistake(_ex45_mse_slope, "それは MSE を最小にする直線（最小二乗法）の傾きです。MAE の直線を探してください。"),
            Mistake(lambda: -1.0, "外れ値を除いた 5 個のサンプルの直線の傾きと同じです。外れ値も含めた 6 個で、"
                                  "2 つのサンプルの組をすべて MAE で比べてください。"),
            Mistake(lambda: float((EX45_Y[-1] - EX45_Y[0]) / (EX45_X[-1] - EX45_X[0])),
                    "両端の 2 点を通る直線の傾きです。2 つのサンプルの組をすべて試し、MAE で比べてください。"),
        )),
}
