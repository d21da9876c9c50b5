"""第7章の練習問題（自己チェック用）。

練習 7-1〜7-3 は「も」の文脈を使います。本文の 7.2 節と 7.9 節は「いい」の文脈と文章全体の値を表示するので、
答えが本文に出ていない文脈を選んでいます。
"""

import numpy as np

from .. import losses
from ..corpus import japanese_text
from .kinds import Choice, Mistake, Numeric

#: 練習 7-1〜7-3 の文脈（前の単語）。
CONTEXT = "も"
#: 練習 7-2 のモデルが「も」の次に与える確率。
EX72_MODEL = {"いい": 0.7, "寒い": 0.2, "雨": 0.1}


def _true():
    """「も」の次の単語の本当の分布。"""
    return japanese_text().next_word_distribution(CONTEXT)


def _model():
    """練習 7-2 のモデルの分布（EX72_MODEL にない単語は 0）。"""
    text = japanese_text()
    q = np.zeros(len(text.outputs))
    for word, prob in EX72_MODEL.items():
        q[text.outputs.index(word)] = prob
    return q


def _floor():
    return float(losses.entropy(_true()))


def _true_nonzero():
    p = _true()
    return p[p > 0]


#: 問題の番号 → 問題。番号は「章-番号」です。
EXERCISES = {
    "7-1": Numeric(
        "「も」の次の単語を、本当の分布そのもので予測するモデルがこの文脈で払う平均ロス（nat）はいくつですか。",
        _floor,
        "平均ロスの最小値はエントロピー H(P) = −Σ P log P です。確率が 0 でない単語の項を足してください。",
        mistakes=(
            Mistake(lambda: _floor() / np.log(2), "底が 2 の対数（bit）になっていませんか。nat は自然対数 np.log で測ります。"),
            Mistake(lambda: float(-np.sum(np.log(_true_nonzero()))),
                    "各単語のロス −log P を、確率で重みを付けずに足していませんか。平均なので P を掛けてから足します。"),
            Mistake(lambda: -_floor(), "符号を確かめてください。エントロピーは 0 以上です。"),
        )),
    "7-2": Numeric(
        "「も」の次に いい 0.7、寒い 0.2、雨 0.1 を与えるモデルが、この文脈で払う平均ロス（nat）はいくつですか。",
        lambda: float(losses.cross_entropy(_true(), _model())),
        "平均ロスはクロスエントロピー H(P, Q) = −Σ P log Q です。重みは本当の確率 P、対数の中はモデルの Q です。",
        mistakes=(
            Mistake(lambda: float(losses.cross_entropy(_model(), _true())),
                    "重みと対数の中が入れ替わっています。重みは本当の確率 P、対数の中はモデルの Q です。"),
            Mistake(lambda: float(-np.log(EX72_MODEL["いい"])),
                    "それは「いい」が来たときだけのロスです。平均ロスは、来る単語の本当の確率で重みを付けて足します。"),
            Mistake(_floor, "それは本当の分布で予測したときの値（練習 7-1）です。このモデルの確率を対数に入れます。"),
        )),
    "7-3": Numeric(
        "「も」の文脈で、本当の分布で予測するモデルのパープレキシティはいくつですか（何語の中で迷っているのに当たりますか）。",
        lambda: float(losses.perplexity(_floor())),
        "パープレキシティは平均ロスの指数 e^L です。L には練習 7-1 の値を入れます。",
        mistakes=(
            Mistake(lambda: float(2 ** _floor()), "nat のロスに 2 の累乗を使っていませんか。nat の平均ロスの指数は e^L です。"),
            Mistake(lambda: float(np.exp(-_floor())), "指数の符号を確かめてください。パープレキシティは 1 以上です。"),
            Mistake(lambda: float(np.count_nonzero(_true())),
                    "候補の単語の数そのものではありません。確率が偏っていると、迷い方は候補の数より小さくなります。"),
        )),
    "7-4": Choice(
        "学習済みのモデルで温度を T = 0.01 にし、シードを 0 から 9 まで変えながら 10 文を作ります。どうなりますか。",
        "a",
        {"a": "10 文とも同じ文になり、貪欲法で作った文と一致する",
         "b": "シードごとに違う、でたらめな 10 文になる",
         "c": "文を作るたびにモデルのロスが下がり、学習が進む",
         "d": "文末の印が選ばれなくなり、文が終わらない"},
        "softmax(z / T) で T を小さくすると、いちばん大きいロジットの単語の確率はどこへ近づきますか（7.7 節）。",
        why_not={"b": "それは T を大きくしたときの様子です。",
                 "c": "文を作るときの温度は、学習した W を変えません。ロスと学習には関係しません。",
                 "d": "学習したモデルでも、「。」の次でいちばん確率が大きいのは文末の印 <EOS> です。T を小さくすると、その単語がより確実に選ばれます。"}),
}
