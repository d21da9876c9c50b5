"""練習問題の答え合わせ（:func:`lossbook.selfcheck.check` の中身）。

学習者は ``from lossbook.selfcheck import check`` で使います。このモジュールは問題の種類（kinds.py）と
登録簿（このパッケージの ``collect``）だけを使い、図やウィジェットを読み込みません。
"""

from __future__ import annotations

import html
import math
import numbers
import unicodedata
from dataclasses import dataclass

import numpy as np


from .kinds import Choice, Numeric

__all__ = ["check", "Result", "exercises", "EXAMPLE_LETTER"]

#: 答え方の説明で使う記号の見本。どの問題の選択肢にもない文字にして、答えの手がかりにならないようにします。
EXAMPLE_LETTER = "x"


def _registry() -> dict:
    """すべての章の問題（``lossbook/exercises/ch*.py`` の ``EXERCISES``）を集めます。"""
    from . import collect
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
        # 学習者が打ち間違えたときは、例外ではなく 1 行の説明を返します
        known = "、".join(registry)
        return Result(str(key), False, f"key に {key!r} という問題はありません（自己チェックのある番号: {known}）。",
                      answered=False)
    ex = registry[key]
    if answer is None:
        if isinstance(ex, Numeric):
            how = "None を自分の答え（数値）に書き換えて実行してください。"
        else:
            options = "、".join(f"{k}: {v}" for k, v in ex.choices.items())
            how = (f'None を記号に書き換えて実行してください。記号は "{EXAMPLE_LETTER}" の形で、'
                   f"{EXAMPLE_LETTER} のところに選んだ記号を書きます。選択肢: {options}")
        return Result(key, False, f"練習 {key}: {ex.question} {how}", answered=False)
    if isinstance(ex, Numeric):
        return _check_numeric(key, ex, answer)
    return _check_choice(key, ex, answer)


def _is_real(answer) -> bool:
    """bool でない実数（int・float・numpy の数）か。"""
    return isinstance(answer, numbers.Real) and not isinstance(answer, bool)


def _check_numeric(key: str, ex: Numeric, answer) -> Result:
    if isinstance(answer, str):
        try:
            as_number = float(answer)
        except ValueError:
            as_number = None
        if as_number is not None:
            return Result(key, False, f"練習 {key}: 答え（answer）は数なので、引用符を付けずに書いてください"
                                      f"（渡されたもの: 文字列 {answer!r}。check(\"{key}\", {answer}) のように書きます）。",
                          answered=False)
    if not _is_real(answer):
        return Result(key, False, f"練習 {key}: 答え（check の 2 つ目の引数 answer）には数を 1 つ渡してください"
                                  f"（渡されたもの: {answer!r}）。", answered=False)
    value = float(answer)
    if not math.isfinite(value):
        # 無限大は、それが知られた間違い（KL の向きを逆にしたなど）のときだけ名指しします
        for mistake in ex.mistakes:
            if mistake.value() == value:
                return Result(key, False, f"練習 {key}: まだ違います。{mistake.message}")
        return Result(key, False, f"練習 {key}: 答え（answer）が {value} になっています。対数に 0 を入れていないか、"
                                  "引数の順番が逆でないか、exp があふれていないかを見直してください。", answered=False)
    expected = ex.expected()
    if _agrees(value, expected, ex.rel_tol):
        more = "" if ex.rel_tol is not None else _more_digits(value, expected)
        return Result(key, True, f"練習 {key}: 正解です！{more}")
    for mistake in ex.mistakes:
        wrong = mistake.value()
        if math.isfinite(wrong) and _agrees(value, wrong, ex.rel_tol):
            return Result(key, False, f"練習 {key}: まだ違います。{mistake.message}")
    if ex.rel_tol is None and _too_coarse(value, expected):
        return Result(key, False, f"練習 {key}: 1 桁目までは合っていますが、桁が足りません。"
                                  "有効数字 2 桁以上で書いてください（8.0 のように 0 で終わる数は 8 と同じになるので、"
                                  "その次の桁まで書きます）。")
    return Result(key, False, f"練習 {key}: まだ違います。ヒント: {ex.hint}")


def _agrees(value: float, target: float, rel_tol: float | None) -> bool:
    """value が target と、書いた桁まで（rel_tol があれば相対誤差 rel_tol 以内で）一致するか。"""
    if rel_tol is not None:
        return math.isclose(value, target, rel_tol=rel_tol)
    return abs(value - target) <= _tolerance(value)


def _check_choice(key: str, ex: Choice, answer) -> Result:
    # 選択肢の中身が数のとき（2-4 の「0」など）、その数で書いた答えはその選択肢として受け取ります
    number = answer if _is_real(answer) else _as_float(answer) if isinstance(answer, str) else None
    if number is not None and math.isfinite(number):
        for letter, text in ex.choices.items():
            option = _as_float(text)
            if option is not None and abs(number - option) <= 1e-8 * max(1.0, abs(option)):
                answer = letter
                break
    if not isinstance(answer, str):
        return Result(key, False, f"練習 {key}: 答え（check の 2 つ目の引数 answer）には記号を文字列で渡してください"
                                  f'（"{EXAMPLE_LETTER}" の形で、{EXAMPLE_LETTER} のところに選んだ記号を書きます。'
                                  f"渡されたもの: {answer!r}）。", answered=False)
    letter = _normalise_choice(answer)
    if letter == ex.answer:
        return Result(key, True, f"練習 {key}: 正解です！")
    if letter not in ex.choices:
        letters = "・".join(ex.choices)
        return Result(key, False, f"練習 {key}: {answer!r} は選択肢にありません。{letters} から 1 つ選んでください。",
                      answered=False)
    if letter in ex.why_not:
        return Result(key, False, f"練習 {key}: まだ違います。（{letter}）について: {ex.why_not[letter]}")
    return Result(key, False, f"練習 {key}: まだ違います。ヒント: {ex.hint}")


def _as_float(text: str):
    """数として読める文字列なら float、読めなければ None。"""
    try:
        return float(text)
    except ValueError:
        return None


def _decimals(value: float) -> int:
    """学習者が書いた小数点以下の桁数（1.2 → 1、0.05 → 2、120 → 0）。float の最短表記から数えます。"""
    text = np.format_float_positional(value, trim="-")
    return len(text.split(".")[1]) if "." in text else 0


def _exponent(value: float) -> int:
    """最上位の桁の位（0.34 → -1、1.2 → 0、120 → 2）。value は 0 でないこと。"""
    return math.floor(math.log10(abs(value)))


def _significant_digits(value: float) -> int:
    """学習者が書いた有効数字の桁数（1.2 → 2、0.05 → 1、1.3863 → 5）。value は 0 でないこと。"""
    return _decimals(value) + _exponent(value) + 1


def _tolerance(value: float) -> float:
    """書いた桁まで合っているかの許容幅: 最後の桁の半分。ただし有効数字 2 桁より粗くはしません。

    1.2 なら ±0.05（1.2272 は正解、1.3 は不正解）、2 なら有効数字 2 桁の 2.0 とみて ±0.05 です。
    0 は、正解が（丸めの誤差を除いて）0 のときだけ正解です。
    """
    if value == 0:
        # 「0」は桁の数がわからないので、本当に 0 のとき（計算の丸めの分 1e-9 まで）だけ正解にします
        return 1e-9
    tol = min(0.5 * 10.0 ** (-_decimals(value)), 0.5 * 10.0 ** (_exponent(value) - 1))
    # 10 進の値を float で表した丸めの分と、全桁を書いたときの計算順序による違い（相対 1e-9）は認めます
    return max(tol * (1 + 1e-9), 1e-9 * abs(value))


def _too_coarse(value: float, expected: float) -> bool:
    """有効数字 1 桁で書いた答えが、その 1 桁までは正しいか（-0.3 と -0.3347 など）。"""
    if value == 0 or _significant_digits(value) > 1:
        return False
    return abs(value - expected) <= 0.5 * 10.0 ** _exponent(value) * (1 + 1e-9)


def _more_digits(value: float, expected: float) -> str:
    """有効数字 3 桁より粗い正解には、くわしい値を添えます（答えがちょうどその値なら添えません）。

    1.1 と書いた学習者に 1.10 と返さないよう、学習者の値と違って見える桁数まで書きます（1.0986 なら 1.099）。
    """
    if expected == 0 or value == 0 or math.isclose(value, expected, rel_tol=1e-9):
        return ""
    shown = _significant_digits(value)
    if shown >= 3:
        return ""
    # 学習者の値と同じに見える桁数（1.1 に対する 1.10 など）は飛ばして、違いが見える桁まで書きます
    first = digits = max(shown + 1, 3)
    while digits < 17 and float(f"{expected:.{digits}g}") == value:
        digits += 1
    words = "もう 1 桁くわしく書くと" if digits == first else "くわしく書くと"
    return f"（{words} {expected:#.{digits}g}）"


def _normalise_choice(answer: str) -> str:
    """「(c)」「（ｃ）」「C」を "c" にそろえます（全角は NFKC で半角に）。"""
    text = unicodedata.normalize("NFKC", answer).strip().lower()
    return text.strip("()[] ").strip()


def exercises() -> dict:
    """登録されているすべての問題（番号 → 問題）を返します。"""
    return dict(_registry())
