"""第4章の練習問題（自己チェック用）。"""

from .. import grad, losses
from ..selfcheck import Choice, Numeric

#: 練習 4-1 のデータ（家賃、万円）。
EX41_Y = [3.0, 5.0, 2.0, 6.0]
EX41_Y_HAT = [2.5, 5.0, 4.0, 7.0]
#: 練習 4-5 の外れ値の家賃（万円）。
EX45_OUTLIER_Y = 14.0


def _ex45_mae_slope() -> float:
    """外れ値つきのデータで、MAE を最小にする直線の傾き（正確な値）。

    MAE を最小にする直線は、どれか 2 つのサンプルを通ります。そこで、ヒントと同じく 2 つのサンプルを通る
    直線をすべて作り、MAE がいちばん小さいものを選びます（勾配降下法の近似値ではなく、書いた桁まで比べられる値）。
    """
    # ウィジェットのモジュールは重い（ipywidgets）ので、答え合わせのときだけ読み込みます
    from itertools import combinations

    from ..losses import mae
    from ..widgets.regression import rent_data, with_outlier

    x, y = with_outlier(*rent_data(), EX45_OUTLIER_Y)
    best = None
    for i, j in combinations(range(len(x)), 2):
        if x[j] == x[i]:
            continue
        a = (y[j] - y[i]) / (x[j] - x[i])
        value = mae(y, a * x + (y[i] - a * x[i]))
        if best is None or value < best[0]:
            best = (value, float(a))
    return best[1]


#: 問題の番号 → 問題。番号は「章-番号」です。
EXERCISES = {
    "4-1": Numeric(
        "y = [3, 5, 2, 6]、ŷ = [2.5, 5, 4, 7] のときの MSE はいくつですか。",
        lambda: float(losses.mse(EX41_Y, EX41_Y_HAT)),
        "誤差は 0.5、0、2、1 です。それぞれを 2 乗してから 4 で割ります。"),
    "4-2": Numeric(
        "δ = 1 の Huber ロスで、誤差 e = 3 のサンプル 1 つのロスはいくつですか。",
        lambda: float(losses.huber([0.0], [3.0], delta=1.0)),
        "|e| > δ なので、δ(|e| − δ/2) の式を使います。"),
    "4-3": Numeric(
        "N = 4 のデータで、ŷ_1 − y_1 = 3、ほかの誤差は 0 です。予測 ŷ_1 だけを動かしたときの MSE のロスの傾きはいくつですか。",
        lambda: float(grad.mse([0.0, 0.0, 0.0, 0.0], [3.0, 0.0, 0.0, 0.0])[0]),
        "MSE のロスの傾きは 2(ŷ_i − y_i)/N です。"),
    "4-4": Choice(
        "ガウス雑音の標準偏差 σ を 2 倍にすると、負の対数尤度を最小にする直線はどうなりますか。",
        "b",
        {"a": "直線の傾きが半分になる", "b": "変わらない",
         "c": "外れ値に引っぱられにくくなる", "d": "1 つに決まらなくなる"},
        "負の対数尤度は N/(2σ²)·MSE + 定数 です。σ が変えるのは何ですか（4.5 節）。"),
    "4-5": Numeric(
        "外れ値の家賃が 14 万円のとき、MAE を最小にする直線の傾き a はいくつですか。",
        _ex45_mae_slope,
        "2 つのサンプルを通る直線をすべて作り、lb.mae がいちばん小さいものを選びます。"),
}
