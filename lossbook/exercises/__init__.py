"""章ごとの練習問題の登録簿。

``ch01.py``、``ch02.py`` … がそれぞれ ``EXERCISES``（番号 → 問題）を持ちます。
新しい章のファイルを置けば、:func:`lossbook.selfcheck.check` から自動で使えます。
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache


@lru_cache(maxsize=1)
def collect() -> dict:
    """``ch*.py`` のすべての ``EXERCISES`` を一つの辞書にまとめます（番号の重複はエラー）。"""
    merged: dict = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if not info.name.startswith("ch"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        for key, exercise in module.EXERCISES.items():
            if key in merged:
                raise ValueError(f"練習問題の番号 {key!r} が二つの章で使われています（{info.name}）。")
            merged[key] = exercise
    return merged
