// ページのコードセルを、ブラウザの中の Python（Pyodide）で編集・実行できるセルに変えるランタイムです。
// 「このページのコードをブラウザで動かす」を押したときにだけ読み込まれます（_static/lossbook-live.js）。
//
// * Python とパッケージは、このブックと同じサーバーの _live/pyodide/ から読み込みます（外へは出ません）。
// * セルのコードは Python 側の lossbook.live.run_cell が実行し、出力の並び（JSON）を返します。
// * エクスプローラーは本物の ipywidgets の部品のまま Python にあり、ここではスライダー・画像・HTML を描くだけです。
//   スライダーが動くと lossbook.live.widget_event を呼び、Python のコールバックが描き直した部品を受け取ります。
(function () {
  "use strict";

  const state = { py: null, live: null, loaded: new Set(), queue: Promise.resolve(), cells: [],
                  timings: {}, ready: null };

  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    Object.assign(node, props || {});
    for (const child of children) node.append(child);
    return node;
  }

  function loadScript(src) {
    return new Promise((resolve, reject) => {
      const s = el("script", { src });
      s.onload = resolve;
      s.onerror = () => reject(new Error(src + " を読み込めませんでした"));
      document.head.append(s);
    });
  }

  function loadCss(href) {
    document.head.append(el("link", { rel: "stylesheet", href }));
  }

  // --- Python の起動とパッケージ -----------------------------------------------------------
  async function boot(root, status) {
    const base = new URL("_live/pyodide/", root).href;
    status.textContent = "Python（Pyodide）を読み込んでいます…";
    await loadScript(base + "pyodide.js");
    const py = await window.loadPyodide({ indexURL: base, lockFileURL: base + "pyodide-lock.json",
                                          stdout: () => {}, stderr: () => {} });
    status.textContent = "numpy と lossbook を読み込んでいます…";
    await py.loadPackage(["lossbook"], { messageCallback: () => {} });
    py.runPython("import lossbook.live\nlossbook.live.setup()");
    state.py = py;
    state.live = py.pyimport("lossbook.live");
  }

  // セルのコードが使うものだけを、初めて要るときに読み込みます（最初のセルを早く動かすため）
  async function ensurePackages(code) {
    const need = [];
    if (/matplotlib|plotting|figures|widgets|twin|pyplot/.test(code)) need.push("matplotlib", "matplotlib-fontja");
    if (/widgets|IPython|selfcheck/.test(code)) need.push("ipywidgets", "ipython");
    const todo = need.filter((name) => !state.loaded.has(name));
    if (todo.length) {
      await state.py.loadPackage(todo, { messageCallback: () => {} });
      todo.forEach((name) => state.loaded.add(name));
      if (todo.includes("matplotlib")) {
        // フォントの一覧を先に作ります（作るときの「building the font cache」をセルの出力に出さないため）
        state.py.runPython("import contextlib, io\nwith contextlib.redirect_stderr(io.StringIO()):\n"
                           + "    import matplotlib.font_manager");
      }
    }
    await state.py.loadPackagesFromImports(code, { messageCallback: () => {} });
  }

  // --- 出力の表示 -------------------------------------------------------------------------
  function renderOutputs(cell, outputs) {
    const box = cell.out;
    box.replaceChildren();
    const staticAlts = [...cell.node.querySelectorAll(".cell_output img")].map((img) => img.alt);
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
        box.append(el("pre", { className: "lb-live-error", role: "alert",
                               textContent: out.traceback || (out.ename + ": " + out.evalue) }));
      } else if (out.type === "widget") {
        box.append(renderWidget(out.tree));
      }
    }
    // 静的な出力（ビルドのときの出力）は、このセルを動かしたあとは隠します
    const staticOut = cell.node.querySelector(".cell_output");
    if (staticOut) staticOut.hidden = true;
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
      input.setAttribute("aria-valuetext", shown());
      const label = el("label", { className: "lb-live-slider" },
                       el("span", { className: "lb-live-label", textContent: node.label }), input, output);
      let busy = false, pending = null;
      const send = async (value) => {
        if (busy) { pending = value; return; }          // 動かしている途中の値は、最後のものだけを送ります
        busy = true;
        try {
          const updates = JSON.parse(state.live.widget_event(node.id, isChoice ? Number(value) : Number(value)));
          for (const u of updates) {
            if (u.error) label.after(el("pre", { className: "lb-live-error", role: "alert", textContent: u.error }));
            else if (views.has(u.id)) views.get(u.id)(u.state);
          }
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
      const area = el("textarea", { className: "lb-live-code", value: source, spellcheck: false,
                                    rows: Math.min(30, source.split("\n").length + 1) });
      area.setAttribute("aria-label", `セル ${i + 1} のコード（書き換えられます。Shift + Enter で実行）`);
      const run = el("button", { type: "button", className: "lb-live-run", textContent: "実行" });
      run.setAttribute("aria-label", `セル ${i + 1} を実行`);
      const out = el("div", { className: "lb-live-out" });
      out.setAttribute("aria-live", "polite");
      const wrap = el("div", { className: "lb-live-cell" }, area, el("div", { className: "lb-live-tools" }, run), out);
      const input = node.querySelector(".cell_input");
      input.hidden = true;
      input.after(wrap);
      addSmallerSize(area, wrap);
      const cell = { node, area, run, out, index: i };
      run.addEventListener("click", () => runCell(cell));
      area.addEventListener("keydown", (event) => {
        if (event.key === "Enter" && event.shiftKey) { event.preventDefault(); runCell(cell); }
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
      textContent: `このセルは手元の機械に合わせた大きさ（${match[2].trim()}）です。ブラウザの中では遅く、使えるメモリも限られます。` });
    const button = el("button", { type: "button", className: "lb-live-run",
                                  textContent: `小さい大きさにする（${match[3].trim()}）` });
    button.addEventListener("click", () => {
      area.value = area.value.replace(SMALLER, (all, indent, code, small) => `${indent}${small.trim()}   # 元は ${code.trim()}`);
      button.disabled = true;
    });
    note.append(" ", button);
    wrap.prepend(note);
  }

  function runCell(cell) {
    const job = async () => {
      cell.run.disabled = true;
      cell.out.replaceChildren(el("p", { className: "lb-live-running", textContent: "実行しています…" }));
      const t0 = performance.now();
      try {
        await ensurePackages(cell.area.value);
        renderOutputs(cell, JSON.parse(state.live.run_cell(cell.area.value)));
      } catch (err) {
        cell.out.replaceChildren(el("pre", { className: "lb-live-error", role: "alert", textContent: String(err) }));
      } finally {
        cell.run.disabled = false;
        cell.node.dataset.liveSeconds = ((performance.now() - t0) / 1000).toFixed(2);
        cell.node.dataset.liveRan = "1";
        cell.node.dataset.liveRuns = String(Number(cell.node.dataset.liveRuns || 0) + 1);
      }
      return cell;
    };
    state.queue = state.queue.then(job, job);
    return state.queue;
  }

  async function runAll() {
    for (const cell of state.cells) await runCell(cell);
  }

  async function start({ root, bar, status }) {
    if (state.ready) return state.ready;
    const t0 = performance.now();
    loadCss(new URL("_live/lossbook-live.css", root).href);
    state.ready = (async () => {
      try {
        await boot(root, status);
      } catch (err) {
        status.textContent = "Python を起動できませんでした: " + err;
        bar.querySelector(".lb-live-start").disabled = false;
        state.ready = null;
        throw err;
      }
      const article = document.querySelector("article.bd-article") || document.querySelector("main");
      makeCells(article);
      const all = el("button", { type: "button", className: "lb-live-all", textContent: "上から順にすべて実行" });
      all.addEventListener("click", () => runAll());
      bar.querySelector(".lb-live-start").replaceWith(all);
      state.timings.ready = (performance.now() - t0) / 1000;
      status.textContent = `準備ができました（${state.timings.ready.toFixed(1)} 秒）。セルを書き換えて「実行」を押してください。`
        + "上のセルから順に実行すると、ノートブックと同じ結果になります。ただし、ブラウザの中の numpy は 0 での割り算や"
        + "あふれを検出できないので警告（divide by zero など）を出さず、スレッドも使えません。";
      document.documentElement.dataset.liveReady = "1";
    })();
    return state.ready;
  }

  window.LossbookLive = { start, runAll, runCell, state };
})();
