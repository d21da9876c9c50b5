"""テスト全体で共有するもの: HTML のブックのビルド（一度だけ、ロックつき）。"""

from __future__ import annotations

import fcntl
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"


def toc_pages() -> list[str]:
    """_toc.yml に並んだページの docname（例 "book/intro"）を順に返します。"""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    pages = [toc["root"]]
    stack = list(toc.get("chapters", [])) + [c for p in toc.get("parts", []) for c in p["chapters"]]
    while stack:
        entry = stack.pop(0)
        pages.append(entry["file"])
        stack.extend(entry.get("sections", []))
    return pages


@pytest.fixture(scope="session")
def book() -> Path:
    """`make book` と同じコマンドでビルドし、_build/html を返します。

    pytest-xdist の複数のワーカーが同時にビルドしないよう、ファイルロックで順番にします
    （二つめのワーカーのビルドは「変更なし」で数秒です）。
    """
    (ROOT / "_build").mkdir(exist_ok=True)
    with open(ROOT / "_build" / ".build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        # make book と同じ入口（lossbook が変わっていれば実行のキャッシュを消してからビルド）
        result = subprocess.run([sys.executable, str(ROOT / "tools" / "build_book.py")], cwd=ROOT,
                                capture_output=True, text=True, check=False)
        fcntl.flock(lock, fcntl.LOCK_UN)
    log = result.stdout + result.stderr
    assert result.returncode == 0, "ビルドが失敗しました（警告もエラーです）:\n" + log[-4000:]
    assert "build succeeded" in log
    return HTML
