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
