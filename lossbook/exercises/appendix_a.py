"""付録A（LLM 規模のロス計算）の練習問題（自己チェック用）。番号は「A-番号」です。"""

import numpy as np

from .. import llm_scale
from ..selfcheck import Choice, Numeric


def _smallest_nan_logit():
    """ロジット (z, 0) の float16 の素朴な計算が NaN になる最小の整数 z を探します。"""
    return next(z for z in range(1, 100)
                if np.isnan(llm_scale.naive_cross_entropy(0, [float(z), 0.0], "float16")))


#: 問題の番号 → 問題。整数や丸めた値を答える問題は、隣の値を誤りにするため許容誤差を小さくします。
EXERCISES = {
    "A-1": Numeric(
        "バッチ 4、系列の長さ 2048、語彙 50257 の bfloat16 のロジットは何 GB ですか（1 GB = 10^9 バイト）。",
        lambda: llm_scale.logits_nbytes(4, 2048, 50257, "bfloat16") / 1e9,
        "バッチ × 系列の長さ × 語彙 × 2 バイトを 10^9 で割ります。bfloat16 は 1 要素 2 バイトです。"),
    "A-2": Numeric(
        "語彙 128256 の float32 のロジットを 16 行ずつ処理するとき、使い回すバッファは何 MB ですか"
        "（1 MB = 10^6 バイト）。",
        lambda: llm_scale.logits_nbytes(1, 16, 128256, "float32") / 1e6,
        "バッファは 16 行 × 語彙の大きさの float32 で、バッチや系列の長さにはよりません。"),
    "A-3": Numeric(
        "256 + 1 を計算した結果を bfloat16 に丸めると、いくつになりますか。",
        lambda: float(llm_scale.round_to_bfloat16(256.0 + 1.0)),
        "256 の近くの bfloat16 の刻みは 2 です。257 は 256 と 258 のちょうど中間なので、最下位のビットが 0 になる側（偶数への丸め）に丸めます。",
        rel_tol=1e-9),
    "A-4": Numeric(
        "ロジット (z, 0) で正解が 0 番のとき、float16 の素朴な計算が NaN になる最小の整数 z はいくつですか。",
        lambda: float(_smallest_nan_logit()),
        "float16 の最大値は 65504 です。e^z がこれを超えると inf になり、inf / inf は NaN です。",
        rel_tol=1e-9),
    "A-5": Choice(
        "ロジットの行をブロックに分けて計算しても、ロスの値が変わらないのはなぜですか。",
        "b",
        {"a": "ブロックに分けると、exp を float64 で計算するから",
         "b": "各行のロスはその行のロジットだけで決まり、行をまとめるのは最後の平均だけだから",
         "c": "ブロックの行の数を、語彙の大きさの約数にしているから",
         "d": "ソフトマックス関数の分母を、すべての行で共有しているから"},
        "ソフトマックス関数の和は、1 つの行の中だけでとります。ほかの行の値は使いません。"),
    "A-6": Choice(
        "float16 と bfloat16 の違いとして正しいものはどれですか。",
        "c",
        {"a": "bfloat16 のほうが有効数字の桁数が多い",
         "b": "float16 のほうが表せる数の範囲が広い",
         "c": "bfloat16 は float32 とほぼ同じ範囲を持つが、刻みは float16 より粗い",
         "d": "どちらも 4 バイトで、丸め方だけが違う"},
        "bfloat16 の形式は float32 の上位 16 ビットと同じで、指数部が 8 ビット、仮数部が 7 ビットです。"),
}
