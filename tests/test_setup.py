"""make の環境づくりが、版と sha256 を固定したファイルだけを入れること（requirements.txt、tools/bootstrap-requirements.txt）。"""

from __future__ import annotations

import re

import pytest

from conftest import ROOT

LOCKS = ["requirements.txt", "tools/bootstrap-requirements.txt"]


def _problems(text: str) -> list[str]:
    """ロックファイルの文字列から、== で固定していない要求と sha256 のない要求を返します（コメントは除きます）。"""
    text = re.sub(r"\\\n", " ", text)                   # 行の続き（\）を 1 つの要求につなぎます
    problems = []
    for line in text.splitlines():
        req = line.split("#", 1)[0].strip()
        if not req:
            continue
        if not re.match(r"^[A-Za-z0-9_.\-]+==\S+(\s|$)", req):
            problems.append(f"版が == で固定されていません: {req[:80]}")
        if not re.search(r"--hash=sha256:[0-9a-f]{64}", req):
            problems.append(f"sha256 がありません: {req[:80]}")
    return problems


@pytest.mark.parametrize("lock", LOCKS)
def test_every_package_is_pinned_with_hashes(lock):
    text = (ROOT / lock).read_text(encoding="utf-8")
    assert "==" in text, f"{lock} に要求がありません"
    assert _problems(text) == []


def test_the_check_finds_an_unpinned_line_and_a_missing_hash():
    good = "uv==0.1 \\\n    --hash=sha256:" + "0" * 64 + "\n"
    assert _problems(good) == []
    assert len(_problems(good + "numpy>=2 --hash=sha256:" + "1" * 64 + "\n")) == 1
    assert len(_problems(good + "numpy==2.0\n")) == 1


def test_makefile_installs_with_hashes_required():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "--require-hashes -r tools/bootstrap-requirements.txt" in makefile
    # --compile-bytecode がないと .pyc ができず、.pyc を書かない機械では import のたびにコンパイルし直します
    assert ("uv pip install --quiet --python $(BIN)/python --compile-bytecode --require-hashes -r requirements.txt"
            in makefile)
    # uv の版は bootstrap の固定だけが持ちます（requirements.txt に別の版を持たない）
    assert "uv==" not in (ROOT / "requirements.txt").read_text(encoding="utf-8")
