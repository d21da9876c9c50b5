"""import lossbook は軽いこと（matplotlib などを読み込まない）と、lossbook の層の向き。"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ["matplotlib", "IPython", "ipywidgets", "scipy"]


def test_import_is_light():
    code = (
        "import sys, lossbook\n"
        f"heavy = [m for m in {HEAVY!r} if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=str(ROOT), check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"import lossbook が重いモジュールを読み込みました: {result.stdout}"


def test_public_api():
    import lossbook as lb

    assert lb.__version__ == "0.1.0"
    functions = ["softmax", "log_softmax", "logsumexp", "cross_entropy", "cross_entropy_with_logits",
                 "binary_cross_entropy", "mse", "mae", "huber", "kl_divergence", "entropy", "perplexity",
                 "numerical_gradient"]
    for name in functions:
        assert callable(getattr(lb, name)), name
    # 本で使う名前と __all__ が食い違わないこと（足した関数を __all__ に書き忘れると、ここで気づきます）
    assert set(lb.__all__) == {"__version__", "grad", *functions}
    for name in ["cross_entropy_with_logits", "mse", "mae", "huber"]:
        assert callable(getattr(lb.grad, name)), f"grad.{name}"


def test_no_module_imports_another_modules_private_names():
    """lossbook のモジュールどうしは、相手の公開の名前だけを使います（_ で始まる名前を取り込みません）。

    共有する入力の検査は _validation、誤差の計算は _error_math に、公開の名前で置いてあります。
    """
    import ast

    root = ROOT / "lossbook"
    found = []
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        modules = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level > 0:
                for alias in node.names:
                    if alias.name.startswith("_"):
                        found.append(f"{path.relative_to(ROOT)}: from {'.' * node.level}{node.module or ''} "
                                     f"import {alias.name}")
                    modules.add(alias.asname or alias.name)
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in modules
                    and node.attr.startswith("_") and not node.attr.startswith("__")):
                found.append(f"{path.relative_to(ROOT)}: {node.value.id}.{node.attr}")
    assert found == [], "\n".join(found)


# 図とウィジェットの層（matplotlib と ipywidgets を使ってよいモジュール）
DRAWING = ("lossbook.widgets", "lossbook.twin", "lossbook.figures", "lossbook.plotting")


def _modules_outside_drawing() -> list[str]:
    import pkgutil

    import lossbook

    names = ["lossbook"] + [name for _, name, _ in pkgutil.walk_packages(lossbook.__path__, "lossbook.")]
    return sorted(n for n in names if not n.startswith(DRAWING))


def test_every_module_outside_figures_and_widgets_loads_without_them():
    """図とウィジェットの層の外のすべてのモジュールを新しいインタープリターで読み込み、matplotlib も
    ipywidgets も読み込まれていないこと（自己チェックの check を呼んだあとも）。"""
    modules = _modules_outside_drawing()
    assert "lossbook.exercises.grading" in modules and "lossbook.chapters.kl" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "from lossbook.selfcheck import check, exercises\n"
        "for key in exercises():\n"
        "    check(key, None)\n"
        "print(','.join(m for m in ('matplotlib', 'ipywidgets', 'IPython') if m in sys.modules))\n"
    )
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=str(ROOT),
                            check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"図やウィジェットの層の外で読み込まれました: {result.stdout}"


def test_layers_point_one_way():
    """pyproject.toml の import-linter の契約（層の向きと、計算の層が図を読み込まないこと）が守られていること。"""
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint), "--config", str(ROOT / "pyproject.toml")], capture_output=True, text=True,
                            cwd=str(ROOT), check=False)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "Contracts: 2 kept, 0 broken." in result.stdout


def _format_keywords(node) -> list:
    """JSON スキーマの中の ``"format"`` キーワードの値を、入れ子の奥まですべて集めます。"""
    found = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "format" and isinstance(value, str):
                found.append(value)
            found.extend(_format_keywords(value))
    elif isinstance(node, list):
        for value in node:
            found.extend(_format_keywords(value))
    return found


def test_light_pytest_plugin_cannot_change_notebook_validation():
    """tools/pytest_light_imports.py が止める rfc3987_syntax は、スキーマの iri 形式の検査にだけ使われます。

    nbformat のノートブックのスキーマに ``format`` が一つでも入ったら、止めると検証が変わりうるので、
    このテストが落ちます（そのときはプラグインを外します）。
    """
    import json

    import nbformat

    schema_dir = Path(nbformat.__file__).parent / "v4"
    schemas = sorted(schema_dir.glob("nbformat.v4*.schema.json"))
    assert schemas, "nbformat の v4 スキーマが見つかりません"
    for path in schemas:
        assert _format_keywords(json.loads(path.read_text(encoding="utf-8"))) == [], path.name
    # 検査が働いていることも確かめます（"format" を探す関数が、入れ子の中の format を見つけられること）
    assert _format_keywords({"a": [{"format": "iri"}]}) == ["iri"]


def test_light_pytest_plugin_blocks_only_the_iri_grammar():
    code = (
        "import sys; import tools.pytest_light_imports; import nbformat, jsonschema\n"
        "assert sys.modules['rfc3987_syntax'] is None\n"
        "checker = jsonschema.FormatChecker()\n"
        "assert 'iri' not in checker.checkers and 'email' in checker.checkers\n"
        "nb = nbformat.read('book/01_what_is_loss.ipynb', as_version=4)\n"
        "nbformat.validate(nb)\n"
        "nb.cells[0]['cell_type'] = 'not-a-cell-type'\n"
        "try:\n"
        "    nbformat.validate(nb)\n"
        "except nbformat.ValidationError:\n"
        "    print('invalid notebook rejected')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "invalid notebook rejected"
    # Makefile のすべての pytest がこのプラグインを最初に読み込みます（make nbval の -p nbval より前）
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "PYTEST := $(BIN)/python -m pytest -p tools.pytest_light_imports\n" in makefile
