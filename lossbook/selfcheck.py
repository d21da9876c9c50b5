"""練習問題の自己チェック: 答えを渡すと日本語で正誤とヒントを返します。

ノートブックでは次のように使います::

    from lossbook.selfcheck import check
    check("1-1", 1.39)      # 自分で計算した値を入れて実行

問題は章ごとに ``lossbook/exercises/chNN.py`` の ``EXERCISES`` に書きます。
正解の値はそこで lossbook を使って計算します（数値を書き写しません）。
numpy と lossbook のコアだけを使うので、軽く読み込めます。
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass
from typing import Callable

import numpy as np


__all__ = ["check", "Result", "Numeric", "Choice", "exercises"]


@dataclass(frozen=True)
class Numeric:
    """数値で答える問題。"""

    question: str
    expected: Callable[[], float]
    hint: str
    rel_tol: float = 1e-2


@dataclass(frozen=True)
class Choice:
    """記号で選ぶ問題。"""

    question: str
    answer: str
    choices: dict
    hint: str


def _registry() -> dict:
    """すべての章の問題（``lossbook/exercises/ch*.py`` の ``EXERCISES``）を集めます。"""
    from .exercises import collect
    return collect()


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
    registry = _registry()
    if key not in registry:
        known = "、".join(registry)
        raise ValueError(f"key に {key!r} という問題はありません。使える番号: {known}")
    ex = registry[key]
    if answer is None:
        if isinstance(ex, Numeric):
            how = "None を自分の答え（数値）に書き換えて実行してください。"
        else:
            options = "、".join(f"{k}: {v}" for k, v in ex.choices.items())
            how = f'None を記号に書き換えて実行してください。記号は "c" のように引用符で囲みます。選択肢: {options}'
        return Result(key, False, f"練習 {key}: {ex.question} {how}", answered=False)
    if isinstance(ex, Numeric):
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


def exercises() -> dict:
    """登録されているすべての問題（番号 → 問題）を返します。"""
    return dict(_registry())
