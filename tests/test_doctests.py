"""lossbook の docstring の例（>>> の行）を、すべて実行して確かめます。

例は読者がそのまま写して使うので、書いてある出力と実際の出力が一致しなければいけません。
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import lossbook

MODULES = sorted(name for _, name, _ in pkgutil.walk_packages(lossbook.__path__, "lossbook."))


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run_as_written(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, verbose=False)
    assert result.failed == 0, f"{name}: docstring の例 {result.attempted} 個のうち {result.failed} 個が合いません"


def test_the_examples_are_many():
    # 例が 1 つも実行されなかったら（モジュールの見つけ方が壊れたら）気づけるように、合計を確かめます
    finder = doctest.DocTestFinder()
    total = sum(len(test.examples) for name in MODULES for test in finder.find(importlib.import_module(name)))
    assert total >= 80, total
