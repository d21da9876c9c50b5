// ブラウザの中の Python（Pyodide）を、ページとは別のスレッド（Web Worker）で動かします。
// ページ（lossbook-live-runtime.js）からのメッセージ { id, type, ... } に、{ id, result } か { id, error } で答えます。
// Python が長く動いているあいだも、ページはスクロールやボタン（「止める」を含む）に反応します。
// 止めるときは、ページがこの Worker を終了させ、新しい Worker を起動します（Python の変数は消えます）。
"use strict";

let py = null;
let live = null;

const handlers = {
  // Python を起動し、numpy と lossbook を読み込みます（base は _live/pyodide/ の URL）
  async boot({ base }) {
    importScripts(base + "pyodide.js");
    py = await self.loadPyodide({ indexURL: base, lockFileURL: base + "pyodide-lock.json",
                                  stdout: () => {}, stderr: () => {} });
    await py.loadPackage(["lossbook"], { messageCallback: () => {} });
    py.runPython("import lossbook.live\nlossbook.live.setup()");
    live = py.pyimport("lossbook.live");
    return "ok";
  },
  // 名前で指定したパッケージを読み込みます（matplotlib のときは、フォントの一覧も先に作ります）
  async load({ names }) {
    await py.loadPackage(names, { messageCallback: () => {} });
    if (names.includes("matplotlib")) {
      // 作るときの「building the font cache」を、セルの出力に出さないため
      py.runPython("import contextlib, io\nwith contextlib.redirect_stderr(io.StringIO()):\n"
                   + "    import matplotlib.font_manager");
    }
    return "ok";
  },
  // コードの import 文が使うパッケージを読み込みます
  async imports({ code }) {
    await py.loadPackagesFromImports(code, { messageCallback: () => {} });
    return "ok";
  },
  // セルを実行し、出力の並び（JSON の文字列）を返します
  run({ code }) {
    return live.run_cell(code);
  },
  // スライダーが動いたことを Python のウィジェットに伝え、描き直した部品（JSON の文字列）を返します
  widget({ model, value }) {
    return live.widget_event(model, value);
  },
};

self.onmessage = async ({ data }) => {
  const { id, type } = data;
  try {
    const result = await handlers[type](data);
    self.postMessage({ id, result });
  } catch (err) {
    self.postMessage({ id, error: String(err && err.message ? err.message : err) });
  }
};
