"""本書の対話型の図（ipywidgets）と、その静的ツイン。章ごとに一つのモジュールです。

各エクスプローラーは

* JupyterLab では ipywidgets のスライダーで動き（Python が図を描き直します）、
* ビルドした HTML ではカーネルなしで動く静的ツイン（:mod:`lossbook.twin`）になります。

どちらも同じ描画関数と同じ計算（lossbook のコア）を使います。コールバックは
``update`` メソッドとして外から呼べるので、テストでも動かせます。
図は pyplot を通さない ``Figure`` に描いて ``ipywidgets.Image`` で表示するので、
セルの出力に余計なものが出ず、ノートブックを実行し直しても出力が変わりません。

| モジュール | 章 | エクスプローラー |
|---|---|---|
| ``probability_loss`` | 第1章 | :class:`ProbabilityLossExplorer` |
| ``training`` | 第2章 | :class:`TrainingExplorer` |
| ``cross_entropy`` | 第3章 | :class:`CrossEntropyExplorer` |
| ``regression`` | 第4章 | :class:`OutlierRegressionExplorer` |
| ``kl`` | 第5章 | :class:`KLDirectionExplorer` |
| ``llm_loss`` | 第6章 | :class:`NextWordLossExplorer` |
| ``invisible_link`` | 第7章 | 学習の歩数と温度のエクスプローラー |
| ``summary`` | 第8章 | :class:`ThreeRulersExplorer` |

どのエクスプローラーも ``_base.Explorer`` を継承し、組み立てと表示をそこに任せます。
ノートブックはモジュールから直接読み込みます（例 ``from lossbook.widgets.training import TrainingExplorer``）。
ここで全部を読み込まないのは、ある章の図を開くのに他の章のモジュールを読み込まないためです。
"""

from .probability_loss import ProbabilityLossExplorer

__all__ = ["ProbabilityLossExplorer"]
