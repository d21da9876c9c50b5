/* Sphinx 7.4 の日本語の翻訳には、検索が終わったときの文の訳が空文字のものがあり、
 * 日本語の読者には検索結果の件数が表示されません。空の訳だけを補います。 */
(function () {
  "use strict";
  if (typeof Documentation === "undefined" || !Documentation.TRANSLATIONS) return;
  var fixes = {
    "Search finished, found ${resultCount} page(s) matching the search query.":
      "検索が終わりました。${resultCount} ページが見つかりました。"
  };
  Object.keys(fixes).forEach(function (key) {
    if (!Documentation.TRANSLATIONS[key]) Documentation.TRANSLATIONS[key] = fixes[key];
  });
})();

/* 検索語の全体がページの題に入っているページを上に出します。
 * Sphinx の順位は「一致した語のうち最も高い点」で決まるため、日本語の句（2 文字ずつの組に分けて
 * 検索します）では、組の 1 つが題に入っているだけのページも同じ点になり、名前の順に並んでしまいます。
 * 例: 「見えないつながり」で、題にその句を持つ第7章より先に、題に「ない」を含むページが出ました。 */
(function () {
  "use strict";
  var TITLE_BONUS = 20;
  var normalise = function (text) {
    return (text || "").normalize("NFKC").toLowerCase().replace(/\s+/g, "");
  };
  var install = function () {
    if (typeof Search === "undefined" || typeof Search._performSearch !== "function") return;
    if (Search._performSearch.lossbookTitleBonus) return;
    var original = Search._performSearch;
    Search._performSearch = function (query) {
      var results = original.apply(this, arguments);
      var q = normalise(query);
      if (q.length < 2) return results;
      // 結果は点の低い順（最後がいちばん上）。同じ点の中の順番は保ちます
      var scored = results.map(function (r, i) {
        return { r: r, i: i, s: r[4] + (normalise(r[1]).indexOf(q) !== -1 ? TITLE_BONUS : 0) };
      });
      scored.sort(function (a, b) { return a.s - b.s || a.i - b.i; });
      return scored.map(function (x) { return x.r; });
    };
    Search._performSearch.lossbookTitleBonus = true;
  };
  // このファイルは searchtools.js より先に読まれます。DOMContentLoaded の時点では Search があり、
  // 先に登録したこの処理は、Sphinx が検索を始める処理（Search.init）より前に動きます。
  install();
  document.addEventListener("DOMContentLoaded", install);
})();
