"""章ごとの練習問題の登録簿。

``ch01.py``、``ch02.py`` … と付録の ``appendix_a.py`` … がそれぞれ ``EXERCISES``（番号 → 問題）を持ちます。
番号は章なら ``"1-1"``、付録なら ``"A-1"`` の形です。
新しい章や付録のファイルを置けば、:func:`lossbook.selfcheck.check` から自動で使えます。
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache


@lru_cache(maxsize=1)
def collect() -> dict:
    """``ch*.py`` と ``appendix_*.py`` のすべての ``EXERCISES`` を一つの辞書にまとめます（番号の重複はエラー）。

    章を番号の順に並べ、付録はその後に並べます。
    """
    merged: dict = {}
    modules = sorted(pkgutil.iter_modules(__path__), key=lambda m: (m.name.startswith("appendix"), m.name))
    for info in modules:
        if not info.name.startswith(("ch", "appendix")):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        for key, exercise in module.EXERCISES.items():
            if key in merged:
                raise ValueError(f"練習問題の番号 {key!r} が二つの章で使われています（{info.name}）。")
            merged[key] = exercise
    return merged
