"""テストのビルドでは、ノートブックを実行し直さず、保存された出力をそのまま HTML に載せる Sphinx 拡張。

`make book` の実行モードは `cache` です（_config.yml。コードを直して出力を作り直し忘れても、HTML に古い出力が
載らないように）。一方 `make test` では、nbval が同じ実行の中で、すべてのノートブックを新しいカーネルで実行し直し、
保存された出力と一致することを確かめます。そこでテストのビルド（``tools/build_book.py --stored-outputs``）は、
環境変数 ``LOSSBOOK_STORED_OUTPUTS=1`` でこの拡張に伝え、myst-nb の実行モードを ``off`` にします。
ノートブックを 2 回（nbval とビルド）実行せずにすみます。
"""

from __future__ import annotations

import os

ENV = "LOSSBOOK_STORED_OUTPUTS"


def _use_stored_outputs(app, config) -> None:
    if os.environ.get(ENV) == "1":
        config.nb_execution_mode = "off"


def setup(app):
    app.connect("config-inited", _use_stored_outputs)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
