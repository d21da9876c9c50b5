// ページのコードセルを、ブラウザの中の Python（Pyodide）で編集・実行できるセルに変えるランタイムです。
// 「このページのコードをブラウザで動かす」を押したときにだけ読み込まれます（_static/lossbook-live.js）。
//
// * Python とパッケージは、このブックと同じサーバーの _live/pyodide/ から読み込みます（外へは出ません）。
// * Python はページとは別のスレッド（Web Worker、lossbook-live-worker.js）で動きます。実行中もページは反応し、
//   終わらないセルは「止める」で止められます（Worker を終了させて起動し直すので、Python の変数は消えます）。
// * セルのコードは Python 側の lossbook.live.run_cell が実行し、出力の並び（JSON）を返します。
// * エクスプローラーは本物の ipywidgets の部品のまま Python にあり、ここではスライダー・画像・HTML を描くだけです。
//   スライダーが動くと lossbook.live.widget_event を呼び、Python のコールバックが描き直した部品を受け取ります。
(function () {
  "use strict";

  const state = { root: null, worker: null, booted: null, calls: new Map(), nextId: 1, loaded: new Set(),
                  queue: Promise.resolve(), cells: [], timings: {}, ready: null, status: null, runningAll: false };

  // 「止める」で中断した呼び出しの失敗（ふつうのエラーと分けて表示します）
  class Stopped extends Error {}

  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    Object.assign(node, props || {});
    for (const child of children) node.append(child);
    return node;
  }

  function loadCss(href) {
    document.head.append(el("link", { rel: "stylesheet", href }));
  }

  // --- Python の起動とパッケージ（Worker とのやりとり） ----------------------------------------
  function newWorker() {
    const worker = new Worker(new URL("_live/lossbook-live-worker.js", state.root).href);
    worker.onmessage = ({ data }) => {
      const pending = state.calls.get(data.id);
      if (!pending) return;
      state.calls.delete(data.id);
      if (data.error !== undefined) pending.reject(new Error(data.error));
      else pending.resolve(data.result);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      const message = "ブラウザの中の Python が異常終了しました（" + (event.message || "原因はわかりません")
        + "）。ページを再読み込みして、上のセルから順に実行し直してください。";
      for (const pending of state.calls.values()) pending.reject(new Error(message));
      state.calls.clear();
    };
    state.worker = worker;
  }

  // Worker に仕事を頼み、答え（文字列）を待ちます
  function call(type, payload) {
    return new Promise((resolve, reject) => {
      const id = state.nextId++;
      state.calls.set(id, { resolve, reject });
      state.worker.postMessage(Object.assign({ id, type }, payload));
    });
  }

  function boot(status) {
    status.textContent = "ブラウザで動く Python（Pyodide）と numpy・lossbook を読み込んでいます…";
    newWorker();
    state.booted = call("boot", { base: new URL("_live/pyodide/", state.root).href });
    return state.booted;
  }

  // 動いている Python を止めます。Worker を終了させて新しい Worker を起動するので、変数は消えます
  function stop() {
    state.worker.terminate();
    for (const pending of state.calls.values()) pending.reject(new Stopped("止めました"));
    state.calls.clear();
    state.loaded.clear();
    views.clear();
    // 止める前に作ったエクスプローラーは、もう Python の側にありません
    document.querySelectorAll(".lb-live-slider input").forEach((input) => { input.disabled = true; });
    state.booted = boot(state.status).then(() => announce("Python を起動し直しました。上のセルから順に実行してください。"));
    state.booted.catch(() => {});
  }

  // セルのコードが使うものだけを、初めて要るときに読み込みます（最初のセルを早く動かすため）
  async function ensurePackages(code, cell) {
    const need = [];
    if (/matplotlib|plotting|figures|widgets|twin|pyplot/.test(code)) need.push("matplotlib", "matplotlib-fontja");
    if (/widgets|IPython|selfcheck/.test(code)) need.push("ipywidgets", "ipython");
    const todo = need.filter((name) => !state.loaded.has(name));
    if (todo.length) {
      if (todo.includes("matplotlib")) {
        cell.out.replaceChildren(el("p", { className: "lb-live-running",
          textContent: "図を描くライブラリ（matplotlib など、約 17 MB）を読み込んでいます…" }));
        await nextFrame();
      }
      await call("load", { names: todo });      // matplotlib のときは、フォントの一覧も Worker が先に作ります
      todo.forEach((name) => state.loaded.add(name));
    }
    await call("imports", { code });
  }

  // --- 出力の表示 -------------------------------------------------------------------------
  function nextFrame() {
    // 画面を描き直す機会をブラウザに渡します
    return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  }

  function renderError(out) {
    // 読み上げは、バーの status が短く知らせます（トレースバックの全文は読み上げません）
    const box = el("div", { className: "lb-live-errorbox" });
    box.dataset.ename = out.ename || "";
    if (out.hint) box.append(el("p", { className: "lb-live-hint", textContent: out.hint }));
    box.append(el("pre", { className: "lb-live-error", textContent: out.traceback || (out.ename + ": " + out.evalue) }));
    if (out.detail) {
      const details = el("details", { className: "lb-live-detail" },
                         el("summary", { textContent: "詳しい情報（ライブラリの中までのトレースバック）" }),
                         el("pre", { className: "lb-live-error", textContent: out.detail }));
      box.append(details);
    }
    return box;
  }

  function renderOutputs(cell, outputs) {
    const box = cell.out;
    box.replaceChildren();
    // 書き換えていないセルの図は、静的な版の同じ図と同じものなので、その代替テキストを使います
    const edited = cell.area.value !== cell.source;
    const staticAlts = edited ? [] : [...cell.node.querySelectorAll(".cell_output img")].map((img) => img.alt);
    let images = 0;
    for (const out of outputs) {
      if (out.type === "stream") {
        box.append(el("pre", { className: "lb-live-stream" + (out.name === "stderr" ? " lb-live-stderr" : ""),
                               textContent: out.text }));
      } else if (out.type === "image") {
        const alt = staticAlts[images] || out.alt;
        images += 1;
        box.append(el("img", { src: "data:image/png;base64," + out.png, alt, className: "lb-live-image" }));
      } else if (out.type === "html") {
        const div = el("div", { className: "lb-live-html" });
        div.innerHTML = out.html;
        box.append(div);
      } else if (out.type === "text") {
        box.append(el("pre", { className: "lb-live-stream", textContent: out.text }));
      } else if (out.type === "error") {
        box.append(renderError(out));
      } else if (out.type === "widget") {
        box.append(renderWidget(out.tree));
      }
    }
    // 静的な出力（ビルドのときの出力）は、このセルを動かしたあとは隠します。図の説明（figcaption）だけは、
    // 図の読み方を伝えるので、描き直した図の下に残します
    const staticOut = cell.node.querySelector(".cell_output");
    if (staticOut) {
      staticOut.hidden = true;
      if (images) staticOut.querySelectorAll("figcaption").forEach((cap) => box.append(cap.cloneNode(true)));
    }
    return outputs.some((o) => o.type === "error") ? "error" : images;
  }

  // --- ウィジェット -----------------------------------------------------------------------
  const views = new Map();     // model_id → 状態を当てる関数

  function renderWidget(node) {
    if (node.kind === "box") {
      const div = el("div", { className: "lb-live-box" });
      node.children.forEach((child) => div.append(renderWidget(child)));
      return div;
    }
    if (node.kind === "html") {
      const div = el("div", { className: "lb-live-whtml" });
      div.innerHTML = node.html;
      views.set(node.id, (s) => { div.innerHTML = s.html; });
      return div;
    }
    if (node.kind === "image") {
      const img = el("img", { src: node.src, alt: node.alt, className: "lb-live-wimage" });
      if (node.width) img.style.width = node.width;
      views.set(node.id, (s) => { img.src = s.src; });
      return img;
    }
    if (node.kind === "slider" || node.kind === "number") {
      const isChoice = node.kind === "slider";
      const input = el("input", { type: "range" });
      if (isChoice) Object.assign(input, { min: 0, max: node.options.length - 1, step: 1, value: node.index });
      else Object.assign(input, { min: node.min, max: node.max, step: node.step, value: node.value });
      const shown = () => (isChoice ? node.options[Number(input.value)] : String(input.value));
      const output = el("output", { className: "lb-live-value", textContent: shown() });
      output.setAttribute("aria-hidden", "true");      // 値は aria-valuetext で読み上げます（二重に読まないため）
      input.setAttribute("aria-valuetext", shown());
      const label = el("label", { className: "lb-live-slider" },
                       el("span", { className: "lb-live-label", textContent: node.label }), input, output);
      let busy = false, pending = null;
      const send = async (value) => {
        if (busy) { pending = value; return; }          // 動かしている途中の値は、最後のものだけを送ります
        busy = true;
        try {
          const updates = JSON.parse(await call("widget", { model: node.id, value: Number(value) }));
          for (const u of updates) {
            // このスライダー自身の古い値は当てません（その間に読者がもっと動かしていたら、その値を送る途中です。
            // 当てると、つまみが古い位置に戻り、続けて押した矢印キーの分が失われます）
            if (u.id === node.id && pending !== null) continue;
            if (u.error) label.after(el("pre", { className: "lb-live-error", role: "alert", textContent: u.error }));
            else if (views.has(u.id)) views.get(u.id)(u.state);
          }
        } catch (err) {
          if (!(err instanceof Stopped)) label.after(el("pre", { className: "lb-live-error", role: "alert", textContent: String(err) }));
        } finally {
          busy = false;
          if (pending !== null && pending !== value) { const next = pending; pending = null; send(next); }
          else pending = null;
        }
      };
      input.addEventListener("input", () => {
        output.textContent = shown();
        input.setAttribute("aria-valuetext", shown());
        send(input.value);
      });
      views.set(node.id, (s) => {
        const value = isChoice ? s.index : s.value;
        if (String(input.value) !== String(value)) input.value = value;
        output.textContent = shown();
        input.setAttribute("aria-valuetext", shown());
      });
      return label;
    }
    return el("div", { textContent: "（表示できない部品です）" });
  }

  // --- セル ----------------------------------------------------------------------------------
  function makeCells(article) {
    const cells = [...article.querySelectorAll("div.cell")].filter((n) => n.querySelector(".cell_input pre"));
    cells.forEach((node, i) => {
      const pre = node.querySelector(".cell_input pre");
      const source = pre.textContent.replace(/\n$/, "");
      const area = el("textarea", { className: "lb-live-code", value: source, spellcheck: false });
      // 折り返すと、続きの行が字下げなしで左端に出て、Python の誤りに見えるので、折り返さずに横へスクロールします
      area.setAttribute("wrap", "off");
      area.setAttribute("aria-label", `セル ${i + 1} のコード（編集できます。Shift + Enter で実行）`);
      const fit = () => { area.style.height = "auto"; area.style.height = (area.scrollHeight + 4) + "px"; };
      area.addEventListener("input", fit);
      const run = el("button", { type: "button", className: "lb-live-run", textContent: "実行" });
      run.setAttribute("aria-label", `セル ${i + 1} を実行`);
      const reset = el("button", { type: "button", className: "lb-live-reset", textContent: "元のコードに戻す" });
      reset.setAttribute("aria-label", `セル ${i + 1} を元のコードに戻す`);
      reset.addEventListener("click", () => { area.value = source; fit(); area.focus(); });
      const stopButton = el("button", { type: "button", className: "lb-live-stop", textContent: "止める", hidden: true });
      stopButton.setAttribute("aria-label", `セル ${i + 1} の実行を止める`);
      stopButton.addEventListener("click", () => { stopButton.disabled = true; stop(); });
      const keys = el("span", { className: "lb-live-keys", textContent: "Shift + Enter でも実行できます" });
      const out = el("div", { className: "lb-live-out" });
      const wrap = el("div", { className: "lb-live-cell" }, area,
                      el("div", { className: "lb-live-tools" }, run, stopButton, reset, keys), out);
      const input = node.querySelector(".cell_input");
      input.hidden = true;
      input.after(wrap);
      requestAnimationFrame(fit);
      addSmallerSize(area, wrap);
      const cell = { node, area, run, stop: stopButton, out, index: i, source };
      // まだ実行していないセルの出力は、ビルドのときのものだと示します（「実行」で置き換わります）
      const staticOut = node.querySelector(".cell_output");
      if (staticOut) {
        staticOut.prepend(el("p", { className: "lb-live-static-label",
                                    textContent: "本に載っている出力です（「実行」を押すと、ここで実行した結果に置き換わります）" }));
      }
      run.addEventListener("click", () => runCell(cell));
      area.addEventListener("keydown", (event) => {
        // Shift + Enter（Jupyter と同じ）と Ctrl + Enter で実行します
        if (event.key === "Enter" && (event.shiftKey || event.ctrlKey)) { event.preventDefault(); runCell(cell); }
      });
      state.cells.push(cell);
    });
  }

  // 「# ブラウザで小さく試すなら: N, V = 64, 8_000」のような注のある行は、手元の機械に合わせた大きさです。
  // ブラウザでは遅く、使えるメモリも限られるので、その旨を書き、注のとおりに小さくするボタンを置きます。
  const SMALLER = /^(\s*)([^#\n]*?)\s*#\s*ブラウザで小さく試すなら:\s*(.+)$/m;
  function addSmallerSize(area, wrap) {
    const match = area.value.match(SMALLER);
    if (!match) return;
    const note = el("p", { className: "lb-live-sized",
      textContent: `このセルのデータの大きさ（${match[2].trim()}）は、手元のパソコンの JupyterLab などで実行するときの値です。`
        + "ブラウザの中の Python は遅く、使えるメモリも限られるので、小さくして試せます。"
        + "小さくすると、本文の数値とは少し違う結果になります。" });
    const button = el("button", { type: "button", className: "lb-live-run",
                                  textContent: `小さくする（${match[3].trim()}）` });
    button.setAttribute("aria-label", `このセルのデータを小さくする（${match[3].trim()}）`);
    button.addEventListener("click", () => {
      area.value = area.value.replace(SMALLER, (all, indent, code, small) => `${indent}${small.trim()}   # 元は ${code.trim()}`);
      button.disabled = true;
      button.textContent = `小さくしました（${match[3].trim()}。元に戻すには「元のコードに戻す」を押します）`;
      area.focus();
    });
    note.append(" ", button);
    wrap.prepend(note);
  }

  // ページに一つの読み上げ欄（バーの status）で、セルごとに短く知らせます（出力の全文は読み上げません）
  function announce(text) {
    if (state.status) state.status.textContent = text;
  }

  function runCell(cell) {
    const job = async () => {
      cell.run.disabled = true;
      cell.out.replaceChildren(el("p", { className: "lb-live-running",
        textContent: "実行しています…（終わらないときは「止める」を押してください。Python が起動し直し、変数は消えます）" }));
      Object.assign(cell.stop, { hidden: false, disabled: false });
      const t0 = performance.now();
      let result = 0;
      try {
        await state.booted;
        await ensurePackages(cell.area.value, cell);
        result = renderOutputs(cell, JSON.parse(await call("run", { code: cell.area.value })));
      } catch (err) {
        if (err instanceof Stopped) {
          cell.out.replaceChildren(el("p", { className: "lb-live-stopped",
            textContent: "実行を止めました。Python を起動し直したため、これまでに作った変数はすべて消えました。"
              + "上のセルから順に実行し直してください。" }));
          result = "stopped";
        } else {
          cell.out.replaceChildren(el("pre", { className: "lb-live-error",
            textContent: "実行できませんでした。もう一度「実行」を押してください。（詳細: " + (err && err.message ? err.message : err) + "）" }));
          result = "error";
        }
      } finally {
        cell.run.disabled = false;
        cell.stop.hidden = true;
        cell.node.dataset.liveSeconds = ((performance.now() - t0) / 1000).toFixed(2);
        cell.node.dataset.liveRan = "1";
        cell.node.dataset.liveRuns = String(Number(cell.node.dataset.liveRuns || 0) + 1);
      }
      cell.stopped = result === "stopped";
      cell.failed = result === "error" || cell.stopped;
      if (result === "stopped") {
        if (!state.runningAll) announce(`セル ${cell.index + 1} を止めました。Python を起動し直しています…`);
      } else if (!state.runningAll) {
        const error = cell.out.querySelector(".lb-live-errorbox");
        const name = error && error.dataset.ename ? `（${error.dataset.ename}）` : "";
        announce(cell.failed ? `セル ${cell.index + 1} でエラーが出ました${name}。セルの下のメッセージを確かめてください。`
          : `セル ${cell.index + 1} の実行が終わりました${result ? `（図 ${result} 枚）` : ""}。`);
      }
      return cell;
    };
    state.queue = state.queue.then(job, job);
    return state.queue;
  }

  async function runAll(button) {
    const t0 = performance.now();
    state.runningAll = true;
    if (button) button.disabled = true;
    try {
      for (const cell of state.cells) {
        announce(`セル ${cell.index + 1} / ${state.cells.length} を実行しています…`);
        await runCell(cell);
        if (cell.failed) {
          // 後ろのセルは、このセルの結果を使うことが多いので、ここで止めます
          announce(cell.stopped
            ? `「すべて実行」をセル ${cell.index + 1} で中断しました（実行を止めたため）。上のセルから順に実行し直してください。`
            : `セル ${cell.index + 1} でエラーが出たので、「すべて実行」を中断しました。直してから、もう一度実行してください。`);
          cell.node.scrollIntoView({ block: "center" });
          cell.area.focus();
          return;
        }
      }
      announce(`すべてのセルを実行しました（${((performance.now() - t0) / 1000).toFixed(1)} 秒）。`);
    } finally {
      state.runningAll = false;
      if (button) button.disabled = false;
    }
  }

  async function start({ root, bar, status }) {
    if (state.ready) return state.ready;
    const t0 = performance.now();
    state.status = status;
    state.root = root;
    loadCss(new URL("_live/lossbook-live.css", root).href);
    state.ready = (async () => {
      try {
        await boot(status);
      } catch (err) {
        status.textContent = "Python を起動できませんでした。回線を確かめて、もう一度ボタンを押してください。（詳細: "
          + (err && err.message ? err.message : err) + "）";
        bar.querySelector(".lb-live-start").disabled = false;
        state.ready = null;
        throw err;
      }
      const article = document.querySelector("article.bd-article") || document.querySelector("main");
      makeCells(article);
      const all = el("button", { type: "button", className: "lb-live-all", textContent: "上から順にすべて実行" });
      all.addEventListener("click", () => runAll(all));
      bar.querySelector(".lb-live-start").replaceWith(all);
      const note = bar.querySelector(".lb-live-note");
      if (note) note.hidden = true;           // 押す前の説明は、もう要りません
      state.timings.ready = (performance.now() - t0) / 1000;
      // 読み上げる status は短くし、使い方は読み上げない説明の段落に書きます
      status.textContent = `準備ができました（${state.timings.ready.toFixed(1)} 秒）。上のセルから順に「実行」を押してください。`;
      const help = el("p", { className: "lb-live-help", textContent: "コードは書き換えてから実行できます（Shift + Enter でも"
        + "実行できます）。後ろのセルは前のセルで作った変数を使うので、上のセルから順に実行します。Python はページとは別に"
        + "動くので、実行中もページを読めます。終わらないセルは「止める」で止められます。" });
      const differences = el("details", { className: "lb-live-differences" },
        el("summary", { textContent: "ブラウザで実行するときの注意（手元の Python との違い）" }),
        el("p", { textContent: "ブラウザの中の numpy は、0 での割り算やオーバーフローを検出できないので、numpy の警告"
          + "（divide by zero など）は表示されません。スレッドも使えないので、lossbook は 1 つのスレッドで計算します。"
          + "時間を測るセルの値は、お使いの端末で測った値になり、本文の数値とは違います。" }));
      status.after(help, differences);
      document.documentElement.dataset.liveReady = "1";
      all.focus();                            // 押したボタンは消えるので、フォーカスを新しいボタンへ移します
    })();
    return state.ready;
  }

  window.LossbookLive = { start, runAll, runCell, state };
})();
