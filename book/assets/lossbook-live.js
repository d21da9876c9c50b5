// 「このページのコードをブラウザで動かす」のボタンだけを置く、小さなスクリプトです（全ページで読み込みます）。
// ボタンを押すまで、Python（Pyodide）もパッケージも何も読み込みません。押したら _live/ のランタイム
// （lossbook-live-runtime.js）を読み込み、このページのコードセルを編集・実行できるセルに変えます。
(function () {
  "use strict";
  const script = document.currentScript;
  // このスクリプトは <サイトの根>/_static/lossbook-live.js にあります
  const root = new URL("../", script.src);

  function insertBar() {
    const article = document.querySelector("article.bd-article") || document.querySelector("main");
    if (!article || !article.querySelector("div.cell div.cell_input pre")) return;   // コードのないページ
    const bar = document.createElement("section");
    bar.className = "lb-live-bar";
    bar.setAttribute("aria-label", "ブラウザでのコード実行");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "lb-live-start";
    button.textContent = "このページのコードをブラウザで動かす";
    const note = document.createElement("p");
    note.className = "lb-live-note";
    note.textContent = "ボタンを押すと、このページのコードを書き換えて、その場で実行できます（インストールは不要です）。"
      + "Python・numpy と、図を描くときは matplotlib などを、このブックと同じサーバーから読み込みます"
      + "（合わせて約 34 MB。モバイル回線では通信量に気をつけてください）。"
      + "JupyterLite はブラウザで動く JupyterLab で、画面は英語です（Run → Run All Cells ですべて実行）。";
    const status = document.createElement("p");
    status.className = "lb-live-status";
    status.setAttribute("role", "status");
    // 同じ章を、JupyterLab の画面（JupyterLite）でノートブックとして開くリンク（カーネルは同じ Pyodide）
    const notebook = location.pathname.split("/").pop().replace(/\.html$/, ".ipynb");
    const lite = document.createElement("a");
    lite.className = "lb-live-lite";
    lite.href = new URL("_lite/notebooks/index.html?path=" + encodeURIComponent(notebook), root).href;
    lite.textContent = "この章をノートブックで開く（JupyterLite・新しいタブ）";
    lite.target = "_blank";
    lite.rel = "noopener";
    lite.addEventListener("click", (event) => {
      if (location.protocol === "file:") { event.preventDefault(); fileMessage(status); }
    });
    bar.append(button, " ", lite, note, status);
    const heading = article.querySelector("h1");
    if (heading) heading.insertAdjacentElement("afterend", bar);
    else article.prepend(bar);
    button.addEventListener("click", () => start(bar, button, status));
  }

  // file:// からは、ブラウザが Python を動かすための Worker や WebAssembly の読み込みを止めます
  function fileMessage(status) {
    status.replaceChildren("ブラウザでコードを動かすには、このブックをローカルサーバーから開いてください。"
      + "リポジトリのフォルダで ");
    const code = document.createElement("code");
    code.textContent = "make serve";
    status.append(code, " を実行し、表示された http://127.0.0.1:8000/ を開きます。");
  }

  function start(bar, button, status) {
    if (location.protocol === "file:") { fileMessage(status); return; }
    button.disabled = true;
    if (window.LossbookLive) { window.LossbookLive.start({ root, bar, status }); return; }
    const runtime = document.createElement("script");
    runtime.src = new URL("_live/lossbook-live-runtime.js", root).href;
    runtime.onload = () => window.LossbookLive.start({ root, bar, status });
    runtime.onerror = () => {
      status.textContent = "ブラウザで動かすためのファイルを読み込めませんでした。ページを再読み込みしてください"
        + "（手元でブックを作ったときは、make book で作り直してください）。";
      button.disabled = false;
    };
    document.head.append(runtime);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", insertBar);
  else insertBar();
})();
