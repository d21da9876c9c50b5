"""第7章の練習問題（自己チェック用）。"""

import numpy as np

from .. import losses
from ..corpus import japanese_text
from ..selfcheck import Choice, Numeric


def _after_ii():
    """「いい」の次の単語の本当の分布。"""
    return japanese_text().next_word_distribution("いい")


def _overconfident():
    """「いい」の次に 天気 0.9、気分 0.05、日 0.05 を与えるモデルの分布（練習 7-2）。"""
    text = japanese_text()
    q = np.zeros(len(text.outputs))
    for word, prob in (("天気", 0.9), ("気分", 0.05), ("日", 0.05)):
        q[text.outputs.index(word)] = prob
    return q


#: 問題の番号 → 問題。番号は「章-番号」です。
EXERCISES = {
    "7-1": Numeric(
        "「いい」の次の単語を、本当の分布そのもので予測するモデルがこの文脈で払う平均ロス（nat）はいくつですか。",
        lambda: float(losses.entropy(_after_ii())),
        "平均ロスの最小値はエントロピー H(P) = −Σ P log P です。天気・気分・日の 3 項を足してください。"),
    "7-2": Numeric(
        "「いい」の次に 天気 0.9、気分 0.05、日 0.05 を与えるモデルが、この文脈で払う平均ロス（nat）はいくつですか。",
        lambda: float(losses.cross_entropy(_after_ii(), _overconfident())),
        "平均ロスはクロスエントロピー H(P, Q) = −Σ P log Q です。重みは本当の確率 P、対数の中はモデルの Q です。"),
    "7-3": Numeric(
        "この章の文章で、次の単語が本当の分布どおりに来るとき、どんなモデルも下回れないパープレキシティはいくつですか。",
        lambda: float(losses.perplexity(japanese_text().entropy_floor())),
        "パープレキシティは平均ロスの指数 e^L です。L にはエントロピーの床 text.entropy_floor() を入れます。"),
    "7-4": Choice(
        "学習済みのモデルで、温度 T を 0 に近づけて文を作ると、どうなりますか。",
        "a",
        {"a": "シードを変えても、貪欲法と同じ 1 つの文になる",
         "b": "どの単語も同じ確率で選ばれ、でたらめな文になる",
         "c": "モデルのロスが下がり、学習が進む",
         "d": "文末の印が選ばれなくなり、文が終わらない"},
        "softmax(z / T) で T を小さくすると、いちばん大きいロジットの単語の確率はどこへ近づきますか（7.7 節）。"),
}
