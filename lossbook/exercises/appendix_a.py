"""付録A（LLM 規模のロス計算）の練習問題（自己チェック用）。番号は「A-番号」です。"""

import numpy as np

from .. import llm_scale
from ..selfcheck import Choice, Mistake, Numeric


def _smallest_nan_logit():
    """ロジット (z, 0) の float16 の素朴な計算が NaN になる最小の整数 z を探します。"""
    return next(z for z in range(1, 100)
                if np.isnan(llm_scale.naive_cross_entropy(0, [float(z), 0.0], "float16")))


#: 練習 A-3 の計算の結果（丸める前）。
EXA3_SUM = 512.0 + 6.0


#: 問題の番号 → 問題。整数や丸めた値を答える問題は、隣の値を誤りにするため許容誤差を小さくします。
EXERCISES = {
    "A-1": Numeric(
        "バッチ 4、系列の長さ 2048、語彙 50257 の bfloat16 のロジットは何 GB ですか（1 GB = 10^9 バイト）。",
        lambda: llm_scale.logits_nbytes(4, 2048, 50257, "bfloat16") / 1e9,
        "要素の数（バッチ × 系列の長さ × 語彙）に、bfloat16 の 1 要素のバイト数を掛けて、10^9 で割ります。",
        mistakes=(
            Mistake(lambda: llm_scale.logits_nbytes(4, 2048, 50257, "bfloat16") / 2 ** 30,
                    "2^30 で割った GiB になっていませんか。問題の GB は 10^9 バイトです。"),
            Mistake(lambda: llm_scale.logits_nbytes(4, 2048, 50257, "float32") / 1e9,
                    "1 要素 4 バイト（float32）で数えていませんか。bfloat16 は 16 ビットです。"),
        )),
    "A-2": Numeric(
        "語彙 128256 の float32 のロジットを 16 行ずつ処理するとき、使い回すバッファは何 MB ですか"
        "（1 MB = 10^6 バイト）。",
        lambda: llm_scale.logits_nbytes(1, 16, 128256, "float32") / 1e6,
        "バッファは 16 行 × 語彙の大きさの float32 で、バッチや系列の長さにはよりません。",
        mistakes=(
            Mistake(lambda: llm_scale.logits_nbytes(1, 16, 128256, "float32") / 2 ** 20,
                    "2^20 で割った MiB になっていませんか。問題の MB は 10^6 バイトです。"),
            Mistake(lambda: llm_scale.logits_nbytes(1, 16, 128256, "bfloat16") / 1e6,
                    "1 要素 2 バイトで数えていませんか。float32 は 4 バイトです。"),
        )),
    "A-3": Numeric(
        "512 + 6 を計算した結果を bfloat16 に丸めると、いくつになりますか。",
        lambda: float(llm_scale.round_to_bfloat16(EXA3_SUM)),
        "512 の近くの bfloat16 の刻みを求め、518 がどの 2 つの値の間にあるかを見ます。"
        "ちょうど中間なら、仮数部の最下位のビットが 0 になる側（偶数への丸め）に丸めます。",
        rel_tol=1e-9,
        mistakes=(
            Mistake(lambda: EXA3_SUM, "丸める前の値です。518 は bfloat16 で表せるでしょうか。512 の近くの刻みを考えます。"),
            Mistake(lambda: EXA3_SUM - 2.0, "中間の値を小さいほうへ切り捨てていませんか。偶数への丸めでは、最下位のビットが 0 の側に丸めます。"),
            Mistake(lambda: 512.0, "512 の近くの刻みは、6 より小さいです。518 の両隣の bfloat16 の値を求めてください。"),
        )),
    "A-4": Numeric(
        "ロジット (z, 0) で正解が 0 番のとき、float16 の素朴な計算が NaN になる最小の整数 z はいくつですか。",
        lambda: float(_smallest_nan_logit()),
        "float16 の最大値は 65504 です。e^z がこれを超えると inf になり、inf / inf は NaN です。",
        rel_tol=1e-9,
        mistakes=(
            Mistake(lambda: float(_smallest_nan_logit() - 1), "その z では、e^z はまだ float16 で表せます（65504 以下）。"),
            Mistake(lambda: 710.0, "それは float64 であふれる境目です。float16 の最大値 65504 で考えます。"),
        )),
    "A-5": Choice(
        "8 行のロジットを 2 行ずつのブロックで計算した平均ロスが、8 行を一度に計算した平均ロスとビット単位で一致しました。"
        "その理由はどれですか。",
        "b",
        {"a": "ブロックに分けると、exp を float64 で計算するから",
         "b": "1 行のロスの計算に、ほかの行の値がまったく入らないから",
         "c": "ブロックの行の数を、語彙の大きさの約数にしているから",
         "d": "ソフトマックス関数の分母を、すべての行で共有しているから"},
        "1 行のロスを計算するとき、どの値を使うかを A.3 節の式で確かめてください。",
        why_not={"a": "計算の精度を上げても、分け方によって値が変わらない理由にはなりません。1 行のロスが何で決まるかを考えてください。",
                 "c": "ブロックの大きさは、語彙の大きさと関係なく選べます。",
                 "d": "分母をすべての行で共有していたら、ブロックに分けたときに何が起きるかを考えてください。"}),
    "A-6": Choice(
        "ロジットに 70000 を超える値が出ることのあるモデルを、16 ビットの型で動かします。どちらの型を選び、何に気をつけますか。",
        "c",
        {"a": "float16 を選ぶ。有効数字の桁数が多いので、何も気をつけなくてよい",
         "b": "float16 を選ぶ。表せる数の範囲が bfloat16 より広い",
         "c": "bfloat16 を選ぶ。70000 も表せるが、刻みが粗いので丸めの誤差に気をつける",
         "d": "どちらでもよい。どちらも 4 バイトで、丸め方だけが違う"},
        "float16 の最大値はいくつでしたか。bfloat16 の形式は float32 の上位 16 ビットと同じで、指数部が 8 ビット、仮数部が 7 ビットです。",
        why_not={"a": "float16 の最大値は 65504 です。70000 はどうなりますか。",
                 "b": "指数部は float16 が 5 ビット、bfloat16 が 8 ビットです。範囲はどちらが広いですか。",
                 "d": "どちらも 16 ビット、つまり 2 バイトです。"}),
}
