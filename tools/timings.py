"""ビルドとテストにかかる秒数を測って表示します（make timings）。

時間の目標はテストでは確かめません（マシンの混み具合で揺れるため）。
このスクリプトが数字を表に出し、著者はそれを見て判断します。

* クリーンビルド: _build を消してから make book と同じビルド（.venv はある前提）。
  ノートブックはビルド時に実行されます。
* 変更なしの再ビルド: もう一度同じビルド。
* nbval: ノートブックごとに 1 プロセスで厳密モードを実行した秒数（``--nbval-only`` でこれだけ）。
  1 プロセスごとに pytest と nbformat を読み込む時間（この機械で約 0.4 秒。tools/pytest_light_imports.py が約 0.9 秒を省いた後）を含みます。
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def timed(cmd: list[str], env: dict | None = None) -> float:
    start = time.perf_counter()
    result = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False,
                            env={**os.environ, **(env or {})})
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        print((result.stdout + result.stderr)[-3000:])
        raise SystemExit(f"失敗しました: {' '.join(cmd)}")
    return seconds


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="ビルドと nbval の秒数を測ります。")
    parser.add_argument("--nbval-only", action="store_true", help="ビルドを測らず、nbval の秒数だけを測ります")
    args = parser.parse_args(argv)
    rows = []
    if not args.nbval_only:
        build = [str(BIN / "jupyter-book"), "build", ".", "-W", "-n", "--keep-going"]
        shutil.rmtree(ROOT / "_build", ignore_errors=True)
        rows.append(("クリーンビルド（ノートブック実行を含む）", timed(build)))
        rows.append(("変更なしの再ビルド", timed(build)))
    total = 0.0
    for nb in sorted((ROOT / "book").glob("*.ipynb")):
        # make nbval と同じコマンド: pytest のプラグインは nbval だけを読み込みます（xdist や hypothesis は
        # ノートブックの検査に使わないので、読み込む時間を測りに入れません）
        seconds = timed([str(BIN / "python"), "-m", "pytest", "-q", "-p", "tools.pytest_light_imports", "-p", "nbval", "--nbval",
                         "--nbval-current-env", "--nbval-sanitize-with",
                         "tests/nbval_sanitize.cfg", str(nb.relative_to(ROOT))],
                        env={"PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"})
        total += seconds
        rows.append((f"nbval {nb.name}", seconds))
    rows.append(("nbval 合計（1 プロセスずつ）", total))
    for name, seconds in rows:
        print(f"{seconds:6.1f} 秒  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
