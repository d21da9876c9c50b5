"""第7章の例: 「今日はいい」の次の単語の候補と、分布を「上位の語 + その他」にまとめる計算（numpy だけ）。

図と対話型の図は :mod:`lossbook.widgets.invisible_link` にあります。
"""

from __future__ import annotations

import numpy as np

__all__ = ["PROMPT", "OTHERS", "candidate_words", "grouped_probabilities"]
#: 本章の穴埋めの文脈。
PROMPT = "今日はいい"


#: 「その他」の棒の名前。
OTHERS = "その他"



def candidate_words(text, prompt=PROMPT, k=3):
    """文脈 ``prompt`` の次に来る確率が高い順に、本当の分布の上位 ``k`` 語を返します。"""
    last = text.tokenize(prompt)[-1]
    p = text.next_word_distribution(last)
    order = np.argsort(-p, kind="stable")[:k]
    return [text.outputs[j] for j in order]



def grouped_probabilities(probs, outputs, words):
    """分布 ``probs``（``outputs`` の順）を、``words`` の各語と「その他」の確率にまとめます。"""
    probs = np.asarray(probs, dtype=float)
    picked = np.array([probs[outputs.index(word)] for word in words])
    return np.append(picked, max(0.0, 1.0 - picked.sum()))
