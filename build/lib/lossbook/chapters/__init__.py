"""章ごとの例のデータとモデル（numpy と lossbook のコアだけを使います）。

図（matplotlib）や対話型の図（ipywidgets）は読み込みません。練習問題の答え合わせ
（:mod:`lossbook.exercises`）は、ここと lossbook のコアだけを使います。
"""
