"""ブラウザの中の Python（Pyodide）でセルを動かすときの matplotlib のバックエンドです（:mod:`lossbook.live` が選びます）。

図は Agg で描きます。ノートブックのインライン表示と同じく、``plt.show()`` は何もしません（警告も出しません）。
セルが作った図は、セルのあとで :func:`lossbook.live.run_cell` が集めて PNG にし、閉じます。
"""

from matplotlib.backends.backend_agg import FigureCanvasAgg as FigureCanvas  # noqa: F401（バックエンドの約束の名前）

#: ``matplotlib.use`` に渡す名前
NAME = "module://lossbook.plotting_browser"


def show(*args, **kwargs) -> None:
    """何もしません。図はセルのあとで集めて表示します（Jupyter のインライン表示と同じ考え方）。"""
