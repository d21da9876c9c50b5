"""練習問題の種類: 数値で答える問題（Numeric）、記号で選ぶ問題（Choice）、よくある間違い（Mistake）。

章ごとの ``chNN.py`` と付録の ``appendix_*.py`` が、これを使って ``EXERCISES`` を書きます。
答え合わせ（:func:`lossbook.selfcheck.check`）は ``grading.py`` にあります。
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

__all__ = ["Mistake", "Numeric", "Choice"]


@dataclass(frozen=True)
class Mistake:
    """よくある間違い: その間違い方で出る値と、それを指摘する一言（ヒントと同じく答えは書きません）。

    ``value`` は lossbook で計算します（例: 自然対数の代わりに log2 を使った値）。
    """

    value: Callable[[], float]
    message: str


@dataclass(frozen=True)
class Numeric:
    """数値で答える問題。"""

    question: str
    expected: Callable[[], float]
    hint: str
    # None なら「書いた桁まで合っていれば正解」（:func:`_tolerance`）。整数で答える問題などは小さな値を渡します
    rel_tol: float | None = None
    #: 間違った答えがこのどれかと（書いた桁まで）一致したら、ヒントの代わりにその間違いを名指しします
    mistakes: tuple = ()


@dataclass(frozen=True)
class Choice:
    """記号で選ぶ問題。"""

    question: str
    answer: str
    choices: dict
    hint: str
    #: 間違った記号 → なぜ違うか（選んだ記号にだけ答えます）。ない記号にはヒントを返します
    why_not: dict = field(default_factory=dict)
