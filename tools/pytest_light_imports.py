"""pytest の起動を約 0.9 秒速くするプラグインです（Makefile の PYTEST が ``-p`` で最初に読み込みます）。

nbval は読み込まれるとすぐに nbformat を読み込み、nbformat は jsonschema を読み込みます。jsonschema は、
rfc3987_syntax が入っていればそれを読み込み、IRI（国際化された URI）の文法から Lark の Earley パーサーを
その場で組み立てます。この機械で約 0.9 秒かかり、nbval をノートブックごとに 1 プロセスで走らせると
9 回払うことになります（tools/timings.py の表）。

この文法は、JSON スキーマの ``"format": "iri"`` と ``"iri-reference"`` を検査するためだけのものです。
nbformat のノートブックのスキーマは ``format`` を一つも使わないので、テストの中では使われません
（tests/test_import.py が、nbformat のスキーマに ``format`` がないことと、読み込みを止めても
ノートブックの検証が同じように働くことを確かめます）。rfc3987_syntax 自体は JupyterLab（jupyter-events）
のために入ったままで、学習者の環境は変わりません。止めるのは、このプラグインを読み込んだ pytest の
プロセスの中だけです。
"""

import sys

# sys.modules に None を置くと、その名前の import は ImportError になります。jsonschema は ImportError を
# 「入っていない」とみなし、iri と iri-reference の検査を登録しないだけです（他の検査は変わりません）。
sys.modules.setdefault("rfc3987_syntax", None)
