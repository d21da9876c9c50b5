"""make の環境づくりが、版と sha256 を固定したファイルだけを入れること（requirements.txt、tools/bootstrap-requirements.txt）。"""

from __future__ import annotations

import re

import pytest

from conftest import ROOT

LOCKS = ["requirements.txt", "tools/bootstrap-requirements.txt"]


def _requirements(path):
    """ロックファイルを「行の続き（\\）」でつないだ要求ごとに分けます（コメントは除きます）。"""
    text = re.sub(r"\\\n", " ", path.read_text(encoding="utf-8"))
    return [line.split("#", 1)[0].strip() for line in text.splitlines() if line.split("#", 1)[0].strip()]


@pytest.mark.parametrize("lock", LOCKS)
def test_every_package_is_pinned_with_hashes(lock):
    reqs = _requirements(ROOT / lock)
    assert reqs, f"{lock} に要求がありません"
    for req in reqs:
        assert re.match(r"^[A-Za-z0-9_.\-]+==[^\s]+ ", req), f"{lock}: 版が == で固定されていません: {req[:80]}"
        assert re.search(r"--hash=sha256:[0-9a-f]{64}", req), f"{lock}: sha256 がありません: {req[:80]}"


def test_the_checks_see_an_unpinned_line():
    # 上の検査が、固定していない行を見つけられること（常に通る検査ではないこと）
    reqs = _requirements_text("numpy>=2\nuv==0.1 \\\n    --hash=sha256:" + "0" * 64 + "\n")
    assert reqs == ["numpy>=2", "uv==0.1      --hash=sha256:" + "0" * 64]
    assert not re.match(r"^[A-Za-z0-9_.\-]+==[^\s]+ ", reqs[0])


def _requirements_text(text):
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "r.txt"
        path.write_text(text, encoding="utf-8")
        return _requirements(path)


def test_makefile_installs_with_hashes_required():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "--require-hashes -r tools/bootstrap-requirements.txt" in makefile
    # --compile-bytecode がないと .pyc ができず、.pyc を書かない機械では import のたびにコンパイルし直します
    assert ("uv pip install --quiet --python $(BIN)/python --compile-bytecode --require-hashes -r requirements.txt"
            in makefile)
    # uv の版は bootstrap の固定と requirements.txt に入れないこと（二つの場所で違う版を持たない）
    assert "uv==" not in (ROOT / "requirements.txt").read_text(encoding="utf-8")
