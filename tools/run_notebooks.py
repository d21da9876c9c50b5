"""ノートブックを新しいカーネルで上から順に実行し、出力ごと保存し直します。

使い方: ``make run``（全部）または ``make run NB=book/01_what_is_loss.ipynb``。

* 実行は毎回まっさらなカーネルで行い、実行番号が 1, 2, 3, … と並ぶようにします。
* ウィジェットの状態（widget state）はノートブックに保存しません。HTML のブックでは
  静的ツインを表示するので不要で、保存すると大きくなるうえ、CDN の読み込みを誘うためです。
* stderr への出力やエラーが一つでもあれば、保存せずに失敗します（読者に見せないため）。
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]


def _coalesce_streams(outputs: list) -> list:
    merged: list = []
    for out in outputs:
        if (out.get("output_type") == "stream" and merged
                and merged[-1].get("output_type") == "stream" and merged[-1].get("name") == out.get("name")):
            merged[-1]["text"] += out["text"]
        else:
            merged.append(out)
    return merged


def run(path: Path) -> float:
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    client = NotebookClient(
        nb, timeout=300, kernel_name="python3", allow_errors=False,
        store_widget_state=False, resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    seconds = time.perf_counter() - start
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        for out in cell.get("outputs", []):
            if out.get("name") == "stderr" or out.get("output_type") == "error":
                text = out.get("text", "") or "\n".join(out.get("traceback", []))
                raise SystemExit(f"{path}: セル {i} が stderr に出力しました。直してから保存してください:\n{text}")
    # 続けて出た同じ種類のストリーム出力は一つにまとめます。マシンが混んでいると print の出力が
    # 複数の塊に分かれて届くことがあり、そのままだと保存される出力が実行のたびに変わるためです。
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = _coalesce_streams(cell.get("outputs", []))
    # 実行環境によって変わるメタデータは保存しません（差分を小さく保つため）。
    nb.metadata.pop("widgets", None)
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    nbformat.write(nb, path)
    return seconds


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or sorted((ROOT / "book").glob("*.ipynb"))
    for p in paths:
        seconds = run(p.resolve())
        print(f"{p}: {seconds:.1f} 秒で実行し、出力を保存しました")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
