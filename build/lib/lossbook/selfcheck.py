"""練習問題の自己チェック: 答えを渡すと日本語で正誤とヒントを返します。

ノートブックでは次のように使います::

    from lossbook.selfcheck import check
    check("1-1", 0.123)     # None のところに、自分で計算した値を入れて実行

問題は章ごとに ``lossbook/exercises/chNN.py`` の ``EXERCISES`` に書きます。
正解の値はそこで lossbook を使って計算します（数値を書き写しません）。
答え合わせの中身は ``lossbook/exercises/grading.py`` にあります。numpy と lossbook のコアと章のモデルだけを
使うので、図やウィジェットを読み込まずに軽く読み込めます。
"""

from .exercises.grading import EXAMPLE_LETTER, Result, check, exercises
from .exercises.kinds import Choice, Mistake, Numeric

__all__ = ["check", "Result", "Numeric", "Choice", "Mistake", "exercises", "EXAMPLE_LETTER"]
