"""HTML のブックを作ります（make book とテストが使います）。

ビルドの実行モードは `cache` です（_config.yml）。jupyter-cache は「ノートブックのソースが
変わったか」だけを見るので、lossbook のコードだけを直したときは実行し直さず、HTML に古い出力が
残ってしまいます。そこで lossbook/ と book/_ext/ の中身のハッシュを _build/.lossbook-hash に覚えておき、
変わっていたら実行のキャッシュを消してから `jupyter-book build . -W -n --keep-going` を走らせます。

``--stored-outputs`` を付けると（テストの book フィクスチャ）、ノートブックを実行せず、保存された出力を
そのまま載せます（book/_ext/lossbook_stored_outputs.py）。保存された出力は、同じ make test の中で nbval が
今のコードと一致することを確かめます。
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "_build"


def code_hash() -> str:
    digest = hashlib.sha256()
    for folder in ("lossbook", "book/_ext"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            digest.update(str(path.relative_to(ROOT)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def main(argv: list[str]) -> int:
    BUILD.mkdir(exist_ok=True)
    stored = "--stored-outputs" in argv
    env = dict(os.environ, LOSSBOOK_STORED_OUTPUTS="1" if stored else "0")
    stamp = BUILD / ".lossbook-hash"
    code, mode = code_hash(), ("stored" if stored else "cache")
    before = stamp.read_text().split() if stamp.exists() else []
    if before[:1] != [code]:
        # lossbook か Sphinx 拡張が変わった（または初回）: どのノートブックも実行し直させ、
        # Sphinx にも全ページを読み直させます（拡張の変更は Sphinx 自身では検出されないため）
        shutil.rmtree(BUILD / ".jupyter_cache", ignore_errors=True)
        shutil.rmtree(BUILD / ".doctrees", ignore_errors=True)
    elif before[1:] != [mode]:
        # 出力の出どころ（実行か、保存された出力か）が変わった: 全ページを読み直させます
        shutil.rmtree(BUILD / ".doctrees", ignore_errors=True)
    jb = Path(sys.executable).with_name("jupyter-book")
    # 新しいセッションで走らせ、終わったらそのセッションに残ったプロセスを止めます。sphinxcontrib-katex が
    # 数式を組むために起動した Node.js のサーバーが、ビルドのあとも残ることがあるためです。
    proc = subprocess.Popen([str(jb), "build", ".", "-W", "-n", "--keep-going"], cwd=ROOT, env=env,
                            start_new_session=True)
    try:
        proc.wait()
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    result = proc
    if result.returncode == 0:
        stamp.write_text(f"{code} {mode}")
        # ブラウザでコードを動かすための Pyodide とパッケージ（_build/html/_live/）。sha256 を確かめながらそろえます
        sys.path.insert(0, str(ROOT / "tools"))
        import live_assets

        live_assets.main([str(BUILD / "html" / "_live")])
    return result.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
