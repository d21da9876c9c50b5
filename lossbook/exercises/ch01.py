"""第1章の練習問題（自己チェック用）。"""

from .. import losses
from ..examples import PARIS_ANSWER, paris_distribution
from ..selfcheck import Choice, Numeric

#: 問題の番号 → 問題。番号は「章-番号」です。
EXERCISES = {
    "1-1": Numeric(
        "「首都」に確率 0.25 を与えたモデルのロス（自然対数）はいくつですか。",
        lambda: float(losses.cross_entropy(PARIS_ANSWER, paris_distribution(0.25))),
        "ロスは予測確率 p だけで決まり、L = −log p です。np.log は自然対数です。"),
    "1-2": Numeric(
        "「首都」の確率を 0.5 から 0.25 に下げると、ロスは何倍になりますか。",
        lambda: float(losses.cross_entropy(PARIS_ANSWER, paris_distribution(0.25))
                      / losses.cross_entropy(PARIS_ANSWER, paris_distribution(0.5))),
        "0.25 = 0.5 × 0.5 です。log(ab) = log a + log b を思い出してください。"),
    "1-3": Choice(
        "ロス L = −log p が取りうる値の範囲はどれですか。",
        "c",
        {"a": "−∞ < L ≤ 0", "b": "0 ≤ L ≤ 1", "c": "0 ≤ L（上限なし）", "d": "−1 ≤ L ≤ 1"},
        "確率 p は 0 ≤ p ≤ 1 です。p > 0 のとき log p の符号はどうなりますか。p = 0 では？（1.5 節）"),
}
