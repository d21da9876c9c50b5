"""ビルドした本の全ページのスクリーンショットを _build/screenshots/ に保存します（make screenshots）。

目で見比べるためのもので、テストではありません（コミットしません）。ページ全体を撮るのは 1 ページ 2 秒ほど
かかるので、make test では撮りません。見た目を変えたときに、変える前と後で撮って見比べます。

* ``<ページ>.png``: 幅 1200 px のページ全体
* ``phone_<ページ>.png``: スマートフォンの幅（390 px）のページ全体
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).parent))
import chromium  # noqa: E402
from toc import toc_pages  # noqa: E402

HTML = ROOT / "_build" / "html"
SHOTS = ROOT / "_build" / "screenshots"
SIZES = {"": {"width": 1200, "height": 900}, "phone_": {"width": 390, "height": 844}}


def main() -> int:
    problem = chromium.cannot_read_book(HTML)
    if problem:
        print(problem, file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with chromium.serve(HTML) as base, sync_playwright() as p:
        browser = chromium.launch(p)
        for prefix, viewport in SIZES.items():
            context = browser.new_context(viewport=viewport, locale="ja-JP", device_scale_factor=1)
            chromium.stay_on_loopback(context)
            page = context.new_page()
            for doc in toc_pages():
                page.goto(f"{base}/{doc}.html", wait_until="networkidle")
                path = SHOTS / f"{prefix}{doc.replace('/', '_')}.png"
                page.screenshot(path=str(path), full_page=True, animations="disabled")
                print(f"{path.relative_to(ROOT)}")
            context.close()
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
