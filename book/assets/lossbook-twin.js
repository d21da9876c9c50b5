/* lossbook の静的ツイン: カーネルなしで動く対話型の図（lossbook/twin.py が HTML を作ります）。
 * 各 <figure class="lb-twin"> の JSON（フレームごとの印の位置と説明文）を読み、
 * スライダーの動きに合わせて印と説明文を入れ替えるだけです。計算はしません。 */
(function () {
  "use strict";
  function setup(fig) {
    if (fig.dataset.lbReady) return;
    var dataEl = fig.querySelector("script.lb-twin-data");
    var input = fig.querySelector("input[type=range]");
    if (!dataEl || !input) return;
    var data = JSON.parse(dataEl.textContent);
    var stage = fig.querySelector(".lb-twin-stage");
    var value = fig.querySelector(".lb-twin-value");
    var caption = fig.querySelector(".lb-twin-caption");
    var img = stage.querySelector("img");
    var initialSrc = img.getAttribute("src");
    function show(i) {
      var frame = data.frames[i];
      // src が null のフレームは、<img> に最初から入っている図です（同じ PNG を JSON に二度書かないため）
      var src = frame.src === null ? initialSrc : frame.src;
      if (src && img.getAttribute("src") !== src) img.setAttribute("src", src);
      var markers = stage.querySelectorAll(".lb-twin-marker");
      frame.markers.forEach(function (xy, k) {
        var m = markers[k];
        if (!m) {
          m = document.createElement("span");
          m.className = "lb-twin-marker";
          m.style.background = data.colors[k % data.colors.length];
          stage.appendChild(m);
        }
        m.style.left = xy[0] + "%";
        m.style.top = xy[1] + "%";
      });
      for (var k = frame.markers.length; k < markers.length; k++) markers[k].remove();
      value.textContent = frame.value;
      // 読み上げでは、スライダーの位置の番号ではなく、画面に出ている値を伝えます
      input.setAttribute("aria-valuetext", frame.value);
      caption.textContent = frame.caption;
    }
    input.addEventListener("input", function () { show(parseInt(input.value, 10)); });
    show(parseInt(input.value, 10));
    fig.dataset.lbReady = "1";
  }
  function init() { document.querySelectorAll("figure.lb-twin").forEach(setup); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
