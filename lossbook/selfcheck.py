"""練習問題の自己チェック: 答えを渡すと日本語で正誤とヒントを返します。

ノートブックでは次のように使います::

    from lossbook.selfcheck import check
    check("1-1", 1.39)      # 自分で計算した値を入れて実行

正解の値はここで lossbook を使って計算します（数値を書き写しません）。
numpy と lossbook のコアだけを使うので、軽く読み込めます。
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass
from typing import Callable

import numpy as np

from . import losses
from .examples import PARIS_ANSWER, paris_distribution

__all__ = ["check", "Result", "EXERCISES"]


@dataclass(frozen=True)
class _Numeric:
    """数値で答える問題。"""

    question: str
    expected: Callable[[], float]
    hint: str
    rel_tol: float = 1e-2


@dataclass(frozen=True)
class _Choice:
    """記号で選ぶ問題。"""

    question: str
    answer: str
    choices: dict
    hint: str


#: 問題の番号 → 問題。番号は「章-番号」です。
EXERCISES: dict = {
    "1-1": _Numeric(
        "「首都」に確率 0.25 を与えたモデルのロス（自然対数）はいくつですか。",
        lambda: float(losses.cross_entropy(PARIS_ANSWER, paris_distribution(0.25))),
        "ロスは正解に与えた確率 p だけで決まり、L = −log p です。np.log は自然対数です。"),
    "1-2": _Numeric(
        "「首都」の確率を 0.5 から 0.25 に下げると、ロスは何倍になりますか。",
        lambda: float(losses.cross_entropy(PARIS_ANSWER, paris_distribution(0.25))
                      / losses.cross_entropy(PARIS_ANSWER, paris_distribution(0.5))),
        "0.25 = 0.5 × 0.5 です。log(ab) = log a + log b を思い出してください。"),
    "1-3": _Choice(
        "ロス L = −log p が取りうる値の範囲はどれですか。",
        "c",
        {"a": "−∞ < L ≤ 0", "b": "0 ≤ L ≤ 1", "c": "0 ≤ L（上限なし）", "d": "−1 ≤ L ≤ 1"},
        "確率 p は 0 ≤ p ≤ 1 です。p > 0 のとき log p の符号はどうなりますか。p = 0 では？（1.5 節）"),
}


@dataclass(frozen=True)
class Result:
    """チェックの結果。``correct`` が True なら正解です。表示すると日本語で説明します。

    ``answered`` が False なのは、まだ答えを入れていない（None を渡した）ときです。
    """

    key: str
    correct: bool
    message: str
    answered: bool = True

    def __repr__(self) -> str:
        return self.message

    def _repr_html_(self) -> str:
        # 正解は緑、不正解は赤、まだ答えていないときは色を付けません。
        color = "#2ca02c" if self.correct else "#d62728" if self.answered else "inherit"
        return f'<p style="color:{color}">{html.escape(self.message)}</p>'


def check(key: str, answer) -> Result:
    """練習問題 ``key`` に対する答え ``answer`` をチェックします。

    Parameters
    ----------
    key : str
        問題の番号（例 ``"1-1"``）。
    answer : float, str または None
        自分の答え。None のときは問題文と答え方を表示します。

    Returns
    -------
    Result
        正誤と日本語の説明。ノートブックでは最後の行に書くと表示されます。
    """
    if key not in EXERCISES:
        known = "、".join(EXERCISES)
        raise ValueError(f"key に {key!r} という問題はありません。使える番号: {known}")
    ex = EXERCISES[key]
    if answer is None:
        if isinstance(ex, _Numeric):
            how = "None を自分の答え（数値）に書き換えて実行してください。"
        else:
            options = "、".join(f"{k}: {v}" for k, v in ex.choices.items())
            how = f'None を記号に書き換えて実行してください。記号は "c" のように引用符で囲みます。選択肢: {options}'
        return Result(key, False, f"練習 {key}: {ex.question} {how}", answered=False)
    if isinstance(ex, _Numeric):
        if isinstance(answer, (str, bytes)) or not np.isscalar(answer) or isinstance(answer, bool):
            raise TypeError(f"answer には数値を渡してください（渡されたもの: {answer!r}）。")
        value = float(answer)
        expected = ex.expected()
        ok = math.isclose(value, expected, rel_tol=ex.rel_tol)
    else:
        if not isinstance(answer, str):
            raise TypeError(f"answer には記号を文字列で渡してください（例: \"a\"）。渡されたもの: {answer!r}")
        ok = answer.strip().lower() == ex.answer
    if ok:
        return Result(key, True, f"練習 {key}: 正解です！")
    return Result(key, False, f"練習 {key}: まだ違います。ヒント: {ex.hint}")
