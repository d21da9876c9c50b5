"""第6章の練習問題（自己チェック用）。"""

import numpy as np

from .. import losses
from .kinds import Choice, Mistake, Numeric

#: 練習 6-1 のロス（nat）。
EX61_LOSS = 0.5
#: 練習 6-2 の、各位置の正解の確率。
EX62_PROBS = (0.5, 0.25, 0.125)
#: 練習 6-3 の平均ロス（bit）。
EX63_BITS = 3.0
#: 練習 6-4 のロジット（天気・電車・気分）。
EX64_LOGITS = (2.0, 0.5, 0.0)


def _ex62_perplexity():
    p = np.array(EX62_PROBS)
    # 正解の確率 p を、2 語の分布 (p, 1 − p) の 0 番として渡します
    return float(losses.perplexity(losses.cross_entropy([0, 0, 0], np.stack([p, 1 - p], axis=1))))


#: 問題の番号 → 問題。番号は「章-番号」です。
EXERCISES = {
    "6-1": Numeric(
        "「今日はいい____」で、モデルのロスが 0.5 nat でした。モデルが天気に与えた確率はいくつですか。",
        lambda: float(np.exp(-EX61_LOSS)),
        "L = −log p を p について解きます。log の逆は指数関数です。",
        mistakes=(
            Mistake(lambda: float(np.exp(EX61_LOSS)), "符号を確かめてください。確率は 1 以下です。L = −log p なので log p = −L です。"),
            Mistake(lambda: float(10 ** -EX61_LOSS), "常用対数の逆（10 の累乗）になっていませんか。nat のロスの逆は e の累乗（np.exp）です。"),
            Mistake(lambda: float(2 ** -EX61_LOSS), "底が 2（bit）になっていませんか。nat のロスの逆は e の累乗（np.exp）です。"),
            Mistake(lambda: EX61_LOSS, "ロスと確率は同じ値ではありません。L = −log p を p について解いてください。"),
        )),
    "6-2": Numeric(
        "各位置の正解の確率が 0.5、0.25、0.125 の 3 語の文のパープレキシティはいくつですか。",
        _ex62_perplexity,
        "パープレキシティは正解の確率の幾何平均の逆数です。3 つの確率の積はいくつですか。",
        mistakes=(
            Mistake(lambda: float(1 / np.prod(EX62_PROBS)), "それは文全体の確率の逆数です。1 語あたりにするには、3 語ぶんの 3 乗根を取ります。"),
            Mistake(lambda: float(1 / np.mean(EX62_PROBS)), "算術平均の逆数になっていませんか。パープレキシティは確率の幾何平均（積の 3 乗根）の逆数です。"),
            Mistake(lambda: 1 / _ex62_perplexity(), "それは確率の幾何平均そのものです。パープレキシティはその逆数です。"),
        )),
    "6-3": Numeric(
        "平均ロスが 1 単語あたり 3 bit のモデルのパープレキシティはいくつですか。",
        lambda: float(losses.perplexity(EX63_BITS * np.log(2))),
        "パープレキシティは平均ロスの指数です。指数の底は、ロスを測った対数の底と同じものを使います。",
        mistakes=(
            Mistake(lambda: float(np.exp(EX63_BITS)), "bit で測ったロスに e の累乗を使っていませんか。bit は底が 2 の対数です。"),
            Mistake(lambda: EX63_BITS, "それは平均ロスそのものです。パープレキシティは平均ロスの指数です。"),
            Mistake(lambda: float(EX63_BITS * np.log(2)), "それは 3 bit を nat に直した平均ロスです。パープレキシティにするには指数を取ります。"),
        )),
    "6-4": Numeric(
        "ロジット z = (2, 0.5, 0)（天気・電車・気分）で正解が天気のとき、ロス（nat）はいくつですか。",
        lambda: float(losses.cross_entropy_with_logits(0, list(EX64_LOGITS))),
        "ロジットからのロスは L = −z_正解 + log Σ_j e^(z_j) です。np.log と np.exp で計算できます。",
        mistakes=(
            Mistake(lambda: float(np.exp(2) / np.sum(np.exp(EX64_LOGITS))), "それは天気の確率です。ロスは −log p です。"),
            Mistake(lambda: float(losses.cross_entropy_with_logits(0, list(EX64_LOGITS)) / np.log(2)),
                    "底が 2 の対数（bit）になっていませんか。nat は自然対数 np.log で測ります。"),
            Mistake(lambda: -float(losses.cross_entropy_with_logits(0, list(EX64_LOGITS))),
                    "符号を確かめてください。ロスは 0 以上です。"),
        )),
    "6-5": Choice(
        "同じ文章でモデル A のパープレキシティは 12、モデル B は 30 でした。正しいものはどれですか。",
        "a",
        {"a": "A の平均ロスのほうが小さく、A が正解に与えた確率の幾何平均のほうが高い",
         "b": "B の平均ロスのほうが小さい",
         "c": "A は毎回、ちょうど 12 語に等しい確率を配っている",
         "d": "bit で測り直せば、A と B の優劣は逆転しうる"},
        "パープレキシティは e の L 乗なので、平均ロス L が小さいほど小さくなります。",
        why_not={"b": "パープレキシティは平均ロスが大きいほど大きくなります。30 と 12 では、どちらのロスが大きいですか。",
                 "c": "12 は平均の迷い方を表す数です。毎回の分布が 12 語に等しいとは限りません。",
                 "d": "bit と nat の違いは定数倍（log 2）だけです。順番は変わりません。"}),
}
