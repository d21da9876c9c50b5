"""日本語検索の改善: 本文と検索語を同じ規則（文字 2-gram）で区切る Sphinx 拡張。

Sphinx の日本語検索は、索引を作るとき本文を TinySegmenter で単語に区切りますが、
ブラウザ側では検索語を区切りません。そのため「損失関数」「平均二乗誤差」のような
複合語で検索すると、索引の区切り方（「損失」「関数」など）と食い違って何も見つかりません。
区切り方は前後の文脈でも変わるので、検索語だけを TinySegmenter で区切っても一致しない
場合が残ります。

そこで、日本語（漢字・ひらがな・カタカナ）の連なりは **2 文字ずつ重ねて区切った組
（2-gram）** で索引に入れ、検索語も同じ規則で区切ります。本文に「損失関数」があれば、
検索語「損失関数」の 2-gram（損失・失関・関数）はすべて索引にあるので必ず見つかります。
英字と数字の並び（KL, cross, entropy, MSE など）は一語として扱います。

The JavaScript ``splitQuery`` below must follow exactly the same rule as ``split``;
``tests/test_book.py::test_browser_and_index_split_text_the_same_way`` runs both on the same strings
with Node.js.
"""

from __future__ import annotations

import re

from sphinx.search import languages
from sphinx.search.ja import SearchJapanese

# 日本語の文字（漢字・ひらがな・カタカナ・長音記号など）の連なり、または英数字の連なり。
_CJK = "\u3041-\u3096\u30a1-\u30fa\u30fc\u30fd\u30fe\u4e00-\u9fff\u3005\u3006\u30f5\u30f6\uff66-\uff9f"
_TOKEN = re.compile(f"[{_CJK}]+|[A-Za-z0-9_\u00c0-\u024f\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]+")

JS_SPLITTER = r"""
var splitQuery = (query) => {
  // lossbook: 日本語は 2-gram、英数字は一語として区切ります（book/_ext/lossbook_search_ja.py と同じ規則）。
  const cjk = "%(cjk)s";
  const re = new RegExp("[" + cjk + "]+|[A-Za-z0-9_\\u00c0-\\u024f\\uff10-\\uff19\\uff21-\\uff3a\\uff41-\\uff5a]+", "g");
  const isCjk = new RegExp("^[" + cjk + "]");
  const out = [];
  for (const m of query.matchAll(re)) {
    const run = m[0];
    if (isCjk.test(run) && run.length >= 2) {
      for (let i = 0; i + 2 <= run.length; i++) out.push(run.slice(i, i + 2));
    } else {
      out.push(run);
    }
  }
  const uniq = [...new Set(out)];
  // 索引には 2 文字以上の語しか入らないので、1 文字の語は検索条件から外します。
  const kept = uniq.filter((t) => t.length >= 2);
  return kept.length ? kept : uniq;
};
""" % {"cjk": "".join(f"\\\\u{ord(c):04x}" if ord(c) > 127 else c for c in _CJK)}


def split_bigrams(text: str) -> list[str]:
    """本文（または検索語）を、日本語は 2-gram、英数字は一語に区切ります。"""
    out = []
    for run in _TOKEN.findall(text):
        if re.match(f"[{_CJK}]", run) and len(run) >= 2:
            out.extend(run[i:i + 2] for i in range(len(run) - 1))
        else:
            out.append(run)
    return out


class SearchJapaneseBigram(SearchJapanese):
    """索引も検索語も 2-gram で区切る日本語検索。"""

    js_splitter_code = JS_SPLITTER

    def init(self, options):  # TinySegmenter は使わないので読み込みません
        pass

    def split(self, input: str) -> list[str]:
        return split_bigrams(input)


def setup(app):
    languages["ja"] = SearchJapaneseBigram
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
