"""学習者と同じように JupyterLab で第1章を動かす、端から端までのテスト。

プロジェクトの .venv から JupyterLab を 127.0.0.1 の空いているポートで起動し（トークン認証は
切りません。テストは起動時のログからトークンを読みます）、ヘッドレス Chromium で第1章を開いて
すべてのセルを実行し、対話型の図のスライダーを動かして、図と表示されたロスが変わることを確かめます。
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

import chromium
from conftest import ROOT

if not chromium.have_chromium():
    pytest.skip("JupyterLab のテストを飛ばしました。" + chromium.MISSING, allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")

pytestmark = pytest.mark.browser


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    port = _free_port()
    home = tmp_path_factory.mktemp("jupyter")
    # JupyterLab の設定: 画面外のセルも描画し（仮想スクロールを切る）、ニュースの問い合わせをしない
    settings = home / "settings"
    (settings / "@jupyterlab" / "notebook-extension").mkdir(parents=True)
    (settings / "@jupyterlab" / "notebook-extension" / "tracker.jupyterlab-settings").write_text(
        json.dumps({"windowingMode": "none"}))
    (settings / "@jupyterlab" / "apputils-extension").mkdir(parents=True)
    (settings / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False}))
    env = dict(os.environ)
    env.update({
        "JUPYTER_CONFIG_DIR": str(home / "config"),     # 利用者の設定に左右されないように
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(settings),
        "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"),
        "PATH": str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", ""),
    })
    cmd = [str(Path(sys.executable).with_name("jupyter")), "lab", "--no-browser",
           "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
           f"--ServerApp.root_dir={ROOT / 'book'}"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    log = open(home / "lab.log", "w+")
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    token = None
    deadline = time.time() + 60
    while time.time() < deadline and token is None:
        time.sleep(0.5)
        log.seek(0)
        found = re.search(rf"http://127\.0\.0\.1:{port}/lab\?token=([0-9a-f]+)", log.read())
        token = found.group(1) if found else None
        assert proc.poll() is None, "JupyterLab が終了しました:\n" + (home / "lab.log").read_text()
    assert token, "JupyterLab のトークンが見つかりません:\n" + (home / "lab.log").read_text()
    # URL がログに出てから接続を受け付けるまでに少し間があることがあるので、応答を待ちます
    import urllib.request
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status?token={token}", timeout=5)
            break
        except OSError:
            time.sleep(0.5)
    yield f"http://127.0.0.1:{port}", token
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
    log.close()


def test_lab_refuses_requests_without_the_token(lab):
    import urllib.error
    import urllib.request

    base, _ = lab
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(f"{base}/api/contents/01_what_is_loss.ipynb")
    assert err.value.code == 403


@contextlib.contextmanager
def _chapter1(lab):
    """ヘッドレス Chromium で、JupyterLab の第1章を開いたページを返します（終わるとブラウザを閉じます）。"""
    base, token = lab
    with sync_api.sync_playwright() as p:
        browser = chromium.launch(p)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(90_000)
            page.goto(f"{base}/lab/tree/01_what_is_loss.ipynb?token={token}")
            page.wait_for_selector(".jp-Notebook .jp-Cell")
            yield page
        finally:
            browser.close()


def test_chapter1_runs_and_its_slider_changes_the_loss(lab):
    with _chapter1(lab) as page:
        # カーネルが起動し終わるのを待ってから、メニューの Run → Run All Cells を押します
        # （読み込み直後の表示は接続前でも idle なので、ステータスバーの「カーネル名 | Idle」を待ちます）
        page.get_by_text(re.compile(r"Python 3 \(ipykernel\) \| Idle")).wait_for()
        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.get_by_role("menuitem", name="Run All Cells", exact=True).click()

        caption = page.locator(".widget-html-content", has_text="ロス L =")
        try:
            caption.wait_for()
        except Exception:
            page.screenshot(path="/tmp/labfail.png")
            raise
        page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']")
        # 最後のセル（自己チェック）まで実行され、エラーも stderr もないこと
        outputs = page.locator(".jp-OutputArea-output")
        assert page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").count() == 0
        assert page.locator("text=None を自分の答え").count() >= 1
        assert outputs.count() > 10

        image = page.locator(".widget-image").first
        before = (caption.inner_text(), image.get_attribute("src"))
        handle = page.locator(".widget-slider .noUi-handle").first
        handle.scroll_into_view_if_needed()
        handle.focus()
        for _ in range(30):                       # 学習者が矢印キーでスライダーを右へ動かす
            page.keyboard.press("ArrowRight")
        page.wait_for_function(
            "(old) => { const c = [...document.querySelectorAll('.widget-html-content')]"
            ".find(e => e.textContent.includes('ロス L =')); return c && c.textContent !== old; }",
            arg=before[0], timeout=30_000)
        after = (caption.inner_text(), image.get_attribute("src"))
        assert after[0] != before[0] and after[1] != before[1]
        loss_before = float(re.findall(r"\d+\.\d+", before[0])[-1])
        loss_after = float(re.findall(r"\d+\.\d+", after[0])[-1])
        assert loss_after < loss_before, "確率を上げたのにロスが下がっていません"
        shots = ROOT / "_build" / "screenshots"
        shots.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(shots / "jupyterlab_chapter1.png"))


def test_solutions_are_folded_until_the_learner_opens_them(lab):
    """解答の文章とコードの出力は、開くまで見えないこと（tools/fold_solutions.py の見出しの折りたたみ）。"""
    solution_text = "ロスは予測確率だけで決まるので"          # 練習 1-1 の解答の文章
    with _chapter1(lab) as page:
        heading = page.locator(".jp-MarkdownCell", has_text="練習 1-1 の解答").first
        heading.wait_for()
        # JupyterLab は、描画のあとで保存された折りたたみを当てます。開くボタンが出るまで待ちます
        # （負荷の高いときに、当てる前の一瞬を見て失敗したことがあります）
        button = heading.locator(".jp-showHiddenCellsButton")
        button.wait_for()
        exercise = page.locator(".jp-MarkdownCell", has_text="「首都」に確率 0.25 を与えたモデル").first
        assert exercise.is_visible(), "問題の文章が見えません"
        hidden = page.locator(".jp-Cell", has_text=solution_text)
        assert hidden.count() == 0 or not hidden.first.is_visible(), "解答の文章が開く前から見えています"
        # 解答のコードの出力（1.3863 1.3863）も見えないこと
        output = page.locator(".jp-OutputArea-output", has_text="1.3863 1.3863")
        assert output.count() == 0 or not output.first.is_visible(), "解答のコードの出力が見えています"
        # 学習者は見出しの下の「… cells hidden」ボタンで開きます
        button.scroll_into_view_if_needed()
        button.click()
        page.locator(".jp-Cell", has_text=solution_text).first.wait_for(state="visible")
        shots = ROOT / "_build" / "screenshots"
        shots.mkdir(parents=True, exist_ok=True)
        page.locator(".jp-Cell", has_text=solution_text).first.scroll_into_view_if_needed()
        page.screenshot(path=str(shots / "jupyterlab_solution_opened.png"))
