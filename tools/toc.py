"""目次（_toc.yml）に並んだページの docname を、本の順に返します。

PDF 版（tools/build_pdf.py）とテスト（tests/conftest.py）が同じ順番を使うために、ここに一度だけ書きます。
"""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


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
