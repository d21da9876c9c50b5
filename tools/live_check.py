"""どの章のセルも、ブラウザの中の Python（Pyodide）で上から順に動くことを確かめます（make test-live）。

_build/html を 127.0.0.1 で配信し、ヘッドレス Chromium で各章を開いて「このページのコードをブラウザで動かす」を
押し、「上から順にすべて実行」を押します。ループバックの外へのリクエストはすべて拒否して数えます。章ごとに次を
表にします。

* セルの数と、例外で止まったセル・stderr に何か出したセルの数（1 つでもあれば失敗。図の日本語の文字が
  フォントになければ matplotlib が「missing from font」と警告するので、ここで見つかります）と、描いた図の数。
* 出力した文字（print）が、ノートブックに保存した出力と同じセルの数。違うのは、時間を測るセルや、ブラウザでは
  事情が違うセル（スレッドがない、numpy が 0 での割り算を検出できない）です。違うセルは番号を出します。
* 押してから準備ができるまでの秒数と、すべてのセルを実行した秒数。

使い方: ``make test-live``（先に ``make book``）。``python tools/live_check.py 01_what_is_loss`` のように章を選べます。
make test は第1章の検査（tests/test_browser_live.py）だけを走らせます。
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).parent))
import chromium  # noqa: E402
from toc import toc_pages  # noqa: E402

HTML = ROOT / "_build" / "html"


def stored_text(notebook: Path) -> list[str]:
    """ノートブックのコードセルごとの、保存した print の出力（stdout）。"""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    texts = []
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        texts.append("".join("".join(o.get("text", "")) for o in cell.get("outputs", [])
                             if o.get("output_type") == "stream" and o.get("name") == "stdout"))
    return texts


def _first_difference(stored: str, live: str) -> str:
    """最初に違う行を「ノートブック → ブラウザ」の形で返します。"""
    for a, b in zip(stored.splitlines() + [""] * 999, live.splitlines() + [""] * 999):
        if a.rstrip() != b.rstrip():
            return f"{a.strip()[:70]!r} → {b.strip()[:70]!r}"
    return ""


def check_chapter(browser, base: str, doc: str) -> dict:
    context = browser.new_context(viewport={"width": 1200, "height": 900}, locale="ja-JP")
    offsite, page_errors = [], []

    chromium.stay_on_loopback(context, offsite)
    page = context.new_page()
    page.on("pageerror", lambda e: page_errors.append(str(e)))
    page.goto(f"{base}/{doc}.html", wait_until="networkidle")
    t0 = time.perf_counter()
    page.get_by_role("button", name="このページのコードをブラウザで動かす").click()
    page.wait_for_selector("html[data-live-ready='1']", timeout=180_000)
    ready = time.perf_counter() - t0
    cells = page.locator("div.cell").count()
    t1 = time.perf_counter()
    page.get_by_role("button", name="上から順にすべて実行").click()
    # 終わると「すべてのセルを実行しました」、エラーで止まると「…中断しました」と表示します
    page.wait_for_function("() => /すべてのセルを実行しました|中断しました/.test("
                           "document.querySelector('.lb-live-status').textContent)", timeout=600_000)
    run_all = time.perf_counter() - t1
    results = page.evaluate("""() => [...document.querySelectorAll('div.cell')].map((c) => ({
        error: [...c.querySelectorAll('.lb-live-out .lb-live-error')].map((e) => e.textContent).join('\\n'),
        stdout: [...c.querySelectorAll('.lb-live-out > pre.lb-live-stream:not(.lb-live-stderr)')]
                  .map((e) => e.textContent).join(''),
        stderr: [...c.querySelectorAll('.lb-live-out > pre.lb-live-stderr')].map((e) => e.textContent).join(''),
        images: c.querySelectorAll('.lb-live-out img').length,
        seconds: Number(c.dataset.liveSeconds || 0)}))""")
    context.close()
    stored = stored_text(ROOT / f"{doc}.ipynb")
    same = [i for i, r in enumerate(results) if i < len(stored) and r["stdout"].rstrip() == stored[i].rstrip()]
    printed = [i for i in range(len(stored)) if stored[i].strip()]
    return {"doc": doc, "cells": cells, "stored_cells": len(stored),
            "errors": {i + 1: r["error"] for i, r in enumerate(results) if r["error"]},
            # 警告などの stderr（日本語の文字が欠けた「missing from font」もここに出ます）
            "stderr": {i + 1: r["stderr"] for i, r in enumerate(results) if r["stderr"].strip()},
            "images": sum(r["images"] for r in results),
            "same": len([i for i in same if i in printed]), "printed": len(printed),
            "different": [i + 1 for i in printed if i not in same],
            "first_difference": {i + 1: _first_difference(stored[i], results[i]["stdout"] if i < len(results) else "")
                                 for i in printed if i not in same},
            "ready": ready, "run_all": run_all, "offsite": offsite, "page_errors": page_errors}


def startup_times(browser, base: str, doc: str = "book/01_what_is_loss") -> tuple[float, float]:
    """押してから最初のセルの結果までの秒数を、初回（キャッシュなし）と 2 回目（同じブラウザのキャッシュ）で測ります。"""
    context = browser.new_context(viewport={"width": 1200, "height": 900}, locale="ja-JP")
    chromium.stay_on_loopback(context)
    times = []
    for _ in range(2):
        page = context.new_page()
        page.goto(f"{base}/{doc}.html", wait_until="networkidle")
        t0 = time.perf_counter()
        page.get_by_role("button", name="このページのコードをブラウザで動かす").click()
        page.wait_for_selector("html[data-live-ready='1']", timeout=180_000)
        page.get_by_role("button", name="セル 1 を実行").click()
        page.locator("div.cell").nth(0).locator(".lb-live-out pre").first.wait_for(timeout=60_000)
        times.append(time.perf_counter() - t0)
        page.close()
    context.close()
    return times[0], times[1]


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    from playwright.sync_api import sync_playwright

    if not (HTML / "_live" / "pyodide" / "pyodide-lock.json").exists():
        print("_build/html/_live がありません。先に make book を実行してください。")
        return 2
    docs = [d for d in toc_pages() if (ROOT / f"{d}.ipynb").exists()]
    if argv:
        docs = [d for d in docs if any(a in d for a in argv)]
    rows, failed = [], False
    with chromium.serve(HTML) as base, sync_playwright() as p:
        browser = chromium.launch(p)
        cold, warm = startup_times(browser, base)
        for doc in docs:
            r = check_chapter(browser, base, doc)
            ok = (not r["errors"] and not r["stderr"] and not r["offsite"] and not r["page_errors"]
                  and r["cells"] == r["stored_cells"])
            failed |= not ok
            rows.append((r, ok))
            print(f"{doc}: {'OK' if ok else '失敗'}（{r['cells']} セル、{r['run_all']:.1f} 秒）", flush=True)
        browser.close()
    print()
    print("| 章 | 結果 | セル | 例外 | stderr | 図 | print がノートブックと同じ | 準備（秒） | すべて実行（秒） |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r, ok in rows:
        print(f"| {Path(r['doc']).name} | {'OK' if ok else '失敗'} | {r['cells']} | {len(r['errors'])} | "
              f"{len(r['stderr'])} | {r['images']} | {r['same']} / {r['printed']} | {r['ready']:.1f} | {r['run_all']:.1f} |")
    print()
    for r, _ in rows:
        for number, diff in r["first_difference"].items():
            print(f"{Path(r['doc']).name}: セル {number} の print がノートブックと違います: {diff}")
        for number, text in r["stderr"].items():
            print(f"{Path(r['doc']).name}: セル {number} が stderr に出しました: {text.strip()[:300]}")
        for number, error in r["errors"].items():
            print(f"{Path(r['doc']).name}: セル {number} が例外で止まりました:\n{error.strip()[-600:]}")
        if r["offsite"]:
            print(f"{Path(r['doc']).name}: ループバックの外へのリクエスト {r['offsite'][:3]}")
        if r["page_errors"]:
            print(f"{Path(r['doc']).name}: ページのエラー {r['page_errors'][:3]}")
        if r["cells"] != r["stored_cells"]:
            print(f"{Path(r['doc']).name}: ページのセル {r['cells']} とノートブックのコードセル {r['stored_cells']} の数が違います")
    print()
    print("押してから第1章の最初のセルの結果まで（目標: 初回 15 秒以内、2 回目 3 秒以内）:"
          f" 初回 {cold:.1f} 秒、2 回目（ブラウザのキャッシュ）{warm:.1f} 秒")
    print("すべての章のセルがブラウザで動きました。" if not failed else "ブラウザで動かないセルがあります。")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
