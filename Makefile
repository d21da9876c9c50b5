# lossbook — 最初に使うのは二つだけ: `make book` と `make test`（README 参照）。
# Everything is set up inside .venv on first use; nothing is installed outside the repo
# except by .ci/run (Debian packages for the browser tests, CI only).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.lossbook-installed
JB     := $(BIN)/jupyter-book
# -p tools.pytest_light_imports: nbval が読み込む jsonschema の、テストで使わない IRI 文法の組み立て（約 0.9 秒）を
# 省きます（理由はそのファイルに）。python -m で走らせるので、リポジトリのフォルダから tools を読み込めます。
PYTEST := $(BIN)/python -m pytest -p tools.pytest_light_imports
# 2 コアのマシン向け: ノートブック単位で 2 プロセスに分けます（--dist loadfile が必須）。
PYTEST_XDIST ?= -n 2 --dist loadfile
# 日本語の検査（textlint）の道具。Node.js（node と npm）があるときだけ make test / make lint の前に入れます。
NODE_STAMP := node_modules/.lossbook-installed
HAVE_NODE  := $(and $(shell command -v node 2>/dev/null),$(shell command -v npm 2>/dev/null))

.PHONY: help venv book pdf test test-fast test-live lint nbval run lab serve screenshots timings bench lock clean clean-all

help:
	@echo "make book   — HTML のブックを作ります（初回は .venv を作って必要なものを入れます）"
	@echo "make test   — すべてのテスト（単体・性質・nbval・-W ビルドと HTML の検査・日本語の検査）"
	@echo "make lint   — 本文の日本語を textlint と用語の辞書（prh.yml）で検査します（数秒）"
	@echo "make lab    — JupyterLab で book/ を開きます（127.0.0.1、トークン認証あり）"
	@echo "make pdf    — PDF 版（_build/pdf/lossbook.pdf）を作ります（先に HTML をビルドし、Chromium で印刷）"
	@echo "make serve  — ビルド済みのブックを http://127.0.0.1:8000/ で読みます（ページのコードをブラウザで動かすときも）"
	@echo "make test-live — すべての章のセルをブラウザの中の Python（Pyodide）で実行して表にします"
	@echo "make screenshots — 全ページのスクリーンショットを _build/screenshots/ に保存します（見た目の見比べ用）"
	@echo "make timings — ビルド・再ビルド・nbval の秒数を測って表示します"
	@echo "make bench  — LLM 規模のクロスエントロピーの速さとメモリを測って表を表示します"

# --- 環境づくり -----------------------------------------------------------------
# requirements.txt か pyproject.toml が変わったときだけ入れ直します。
# 入れるのは uv です（pip と同じ requirements.txt を、ハッシュを確かめながら、並列に 20 秒ほどで入れます。pip では
# 1 分ほどかかりました）。uv 自体は pip が tools/bootstrap-requirements.txt の sha256 で確かめて入れます。
# --compile-bytecode: pip と同じく、入れるときに .pyc を作ります。作らないと、PYTHONDONTWRITEBYTECODE=1 の機械
# （CI など）では import のたびにソースをコンパイルし直し、pytest とノートブックの起動が 2 倍以上遅くなりました。
$(STAMP): requirements.txt pyproject.toml tools/bootstrap-requirements.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo ">> .venv に固定バージョンのパッケージを入れています（初回は 30 秒ほど）…"
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r tools/bootstrap-requirements.txt
	$(BIN)/python -m uv pip install --quiet --python $(BIN)/python --compile-bytecode --require-hashes -r requirements.txt
	$(BIN)/python -m uv pip install --quiet --python $(BIN)/python --no-deps -e .
	@# matplotlib のフォントキャッシュを先に作ります。ノートブックの実行中に作ると
	@# 「building the font cache」が stderr に出て、nbval とビルドが失敗するためです。
	$(BIN)/python -c "import lossbook.plotting"
	@touch $(STAMP)

venv: $(STAMP)

# package-lock.json（完全な固定リスト）のとおりに node_modules/ へ入れます。変わったときだけ入れ直します。
# 入れるパッケージはインストールスクリプトを持たないので、--ignore-scripts で何も実行させません。
$(NODE_STAMP): package.json package-lock.json
	@echo ">> 日本語の検査（textlint）の道具を node_modules/ に入れています（package-lock.json のとおり、初回は 1 分ほど）…"
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $(NODE_STAMP)

# --- 読者向け ---------------------------------------------------------------------
# tools/build_book.py は `jupyter-book build . -W -n --keep-going` を走らせます。lossbook のコードが
# 変わっていたら、先に実行のキャッシュを消します（HTML に古い出力を残さないため）。
book: $(STAMP) $(if $(HAVE_NODE),$(NODE_STAMP))
	$(BIN)/python tools/build_book.py
	@echo ""
	@echo ">> 完成しました。ブラウザで開いてください: file://$(CURDIR)/_build/html/index.html"
	@echo ">> （ローカルサーバーで読むなら: make serve）"

# PDF 版: HTML のブックを目次の順にまとめ、テストと同じ Debian の Chromium で印刷します（tools/build_pdf.py）。
pdf: book
	$(BIN)/python tools/build_pdf.py

serve: $(STAMP)
	@test -f _build/html/index.html || $(MAKE) book
	@echo ">> http://127.0.0.1:8000/ で配信中（Ctrl-C で終了）"
	$(BIN)/python -m http.server 8000 --bind 127.0.0.1 --directory _build/html

# root で動かすとき（コンテナなど）だけ --allow-root を付けます。トークン認証は切りません。
lab: $(STAMP)
	$(BIN)/jupyter lab --ServerApp.ip=127.0.0.1 --ServerApp.root_dir=book \
	  $(if $(filter 0,$(shell id -u)),--allow-root)

# --- テスト -----------------------------------------------------------------------
# 単体テスト・性質テスト・厳密な nbval・-W ビルドと HTML 検査・ブラウザでの検査
# （Chromium があるとき）をひとつの pytest で走らせます。
test: $(STAMP) $(if $(HAVE_NODE),$(NODE_STAMP))
	$(PYTEST) $(PYTEST_XDIST) --nbval --nbval-current-env \
	  --nbval-sanitize-with tests/nbval_sanitize.cfg tests book

# ノートブックを使わない速いテストだけ（著者が手元で回す用）
test-fast: $(STAMP)
	$(PYTEST) tests -m "not build and not browser and not lint"

# 本文の日本語の検査だけ（tools/textlint_book.py。規則は .textlintrc.yml、用語は prh.yml）。
# Node.js がなければ、.venv を作る前にそう言って止まります。
lint: $(if $(HAVE_NODE),$(STAMP) $(NODE_STAMP))
	@$(if $(HAVE_NODE),,echo "Node.js（node と npm）がありません。日本語の検査には Node.js 20 以上が必要です（Debian: apt-get install nodejs npm）。"; exit 1)
	$(BIN)/python tools/textlint_book.py

# すべての章のセルを、ブラウザの中の Python（Pyodide）で上から順に実行し、章ごとに結果と秒数を表にします
# （tools/live_check.py。make test は第1章の検査だけ）。先に make book が要ります。
test-live: $(STAMP)
	@test -f _build/html/_live/pyodide/pyodide-lock.json || $(MAKE) book
	$(BIN)/python tools/live_check.py

nbval: $(STAMP)
	PYTEST_DISABLE_PLUGIN_AUTOLOAD=1 $(PYTEST) -p nbval --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg book

# ノートブックを新しいカーネルで上から順に実行し、出力を保存し直します。
# 例: make run NB=book/01_what_is_loss.ipynb（NB を省くと全部）
run: $(STAMP)
	$(BIN)/python tools/run_notebooks.py $(NB)

# 全ページをページ全体で撮ります（幅 1200 px と 390 px）。見た目を変える前と後で撮って見比べます。
screenshots: $(STAMP)
	@test -f _build/html/index.html || $(MAKE) book
	$(BIN)/python tools/screenshots.py

timings: $(STAMP)
	$(BIN)/python tools/timings.py

# LLM 規模（1024 × 50257 など）のクロスエントロピーの速さとメモリの表（benchmarks/cross_entropy.py）。
# PyTorch があれば比べます（この本には要らないので入れません。入れるなら .venv/bin/pip install torch）。
# 例: make bench BENCH_ARGS="--vocab 50257 --repeat 21"
# 続けて、エクスプローラー（対話型の図）の 1 回の更新の時間の表（benchmarks/widgets.py）を表示します。
bench: $(STAMP)
	$(BIN)/python benchmarks/cross_entropy.py $(BENCH_ARGS)
	$(BIN)/python benchmarks/widgets.py

# requirements.in から requirements.txt（完全な固定リストと、各ファイルの sha256）を作り直します（pip-tools の
# pip-compile）。すでにある固定のバージョンはそのまま使います（上げるときは、そのパッケージの行を消してから）。
# requirements.txt にハッシュがあるので、uv（--require-hashes）はハッシュの合わないファイルを入れません。
# 同じように tools/bootstrap-requirements.in から tools/bootstrap-requirements.txt（uv 自体）も作ります。
lock:
	rm -rf /tmp/lossbook-lock-venv
	$(PYTHON) -m venv /tmp/lossbook-lock-venv
	/tmp/lossbook-lock-venv/bin/pip install --quiet pip-tools==7.6.2
	for name in requirements tools/bootstrap-requirements; do \
	  CUSTOM_COMPILE_COMMAND="make lock" /tmp/lossbook-lock-venv/bin/pip-compile --quiet --generate-hashes \
	    --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links --output-file $$name.txt $$name.in || exit 1; \
	done

clean:
	rm -rf _build

clean-all: clean
	rm -rf $(VENV) node_modules .pytest_cache .hypothesis
