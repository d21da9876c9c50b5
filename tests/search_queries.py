"""読者が打ちそうな検索語と、それを定義しているページ（検索結果の上位 3 件に入るべきもの）。

* ``QUERIES``: 本書の用語・英語名・記号の読み（本文に出てくる語。Node.js の索引の検査でも使います）。
* ``READER_PHRASES``: 元の記事を読んだ読者が打ちそうな言葉（例文の単語や、記事の言い回し）。
* ``ALIASES``: 用語集の「ほかの呼び方」（交差エントロピー など、ほかの本や講座の名前）。用語集から読みます。
* ``ALL_QUERIES``: 上の 3 つを合わせたもの。ブラウザの検索で、すべてが上位 3 件に入ることを確かめ、命中率を表示します。

用語集の「定義した場所」に 2 つのページがある用語は、どちらかが上位 3 件に入ればよいので、タプルで書きます。

章を足したら、その章で定義した用語をここに加えます（AUTHORS.md の「章を足す」）。
まだ章がない用語は、用語集（book/glossary）で見つかるべきものとして入れています。
"""

QUERIES = {
    # 複合語（漢字）
    "損失関数": "book/01_what_is_loss",
    "予測確率": "book/01_what_is_loss",
    "勾配降下法": "book/01_what_is_loss",
    "学習率": "book/01_what_is_loss",
    "数値微分": "book/01_what_is_loss",
    "微分": "book/01_what_is_loss",
    "解析的な勾配": "book/01_what_is_loss",
    "平均二乗誤差": "book/04_mse",
    "外れ値": "book/04_mse",
    "平均絶対誤差": "book/04_mse",
    "最尤推定": "book/04_mse",
    "Huber": "book/04_mse",
    "用語集": "book/glossary",
    # カタカナ
    "ロス関数": "book/01_what_is_loss",
    "クロスエントロピー": ("book/03_cross_entropy", "book/01_what_is_loss"),
    "二値クロスエントロピー": "book/03_cross_entropy",
    "log-sum-exp": "book/03_cross_entropy",
    "シグモイド関数": "book/03_cross_entropy",
    "情報量": "book/03_cross_entropy",
    "ソフトマックス関数": "book/01_what_is_loss",
    "ロジット": "book/01_what_is_loss",
    "パープレキシティ": "book/06_llm_loss",
    "perplexity": "book/06_llm_loss",
    "アンダーフロー": "book/03_cross_entropy",
    "エントロピー": "book/03_cross_entropy",
    "サンプリング": "book/03_cross_entropy",
    "マスク": "book/06_llm_loss",
    "幾何平均": "book/06_llm_loss",
    "語彙": "book/06_llm_loss",
    "トークン": "book/06_llm_loss",
    # 英字とカタカナ・漢字の混在
    "KLダイバージェンス": "book/05_kl_divergence",
    "知識蒸留": ("book/05_kl_divergence", "book/07_invisible_link"),
    "Kullback": "book/05_kl_divergence",
    "mode-seeking": "book/05_kl_divergence",
    "one-hot 表現": "book/01_what_is_loss",
    # 英語
    "cross entropy": ("book/03_cross_entropy", "book/01_what_is_loss"),
    "gradient descent": "book/01_what_is_loss",
    "learning rate": "book/01_what_is_loss",
    "MSE": "book/04_mse",
    "softmax": "book/01_what_is_loss",
    # 記号の読み
    "シータ": "book/01_what_is_loss",
    "イータ": "book/01_what_is_loss",
    # 第2章
    "学習と推論": "book/02_training_vs_inference",
    "ソフトマックス回帰": "book/02_training_vs_inference",
    "決定領域": "book/02_training_vs_inference",
    "連鎖律": "book/02_training_vs_inference",
    "正解率": "book/02_training_vs_inference",
    # 第7章
    "エントロピーの床": "book/07_invisible_link",
    "バイグラム": "book/07_invisible_link",
    "マルコフ連鎖": "book/07_invisible_link",
    "貪欲法": "book/07_invisible_link",
    "コーパス": "book/07_invisible_link",
    # 第8章
    "早見表": "book/08_summary",
    # 付録A
    "bfloat16": "book/appendix_llm_scale",
    "半精度": "book/appendix_llm_scale",
    "非正規化数": "book/appendix_llm_scale",
    "float16": "book/appendix_llm_scale",
    "ブロック処理": "book/appendix_llm_scale",
    "ピークメモリ": "book/appendix_llm_scale",
    "tracemalloc": "book/appendix_llm_scale",
    "最近接偶数への丸め": "book/appendix_llm_scale",
    "隠れ状態": "book/appendix_llm_scale",
    "オーバーフロー": "book/03_cross_entropy",
    # はじめに
    "3 つの問い": "book/intro",
}

# 元の記事を読んだ読者が打ちそうな言葉 → その話をしているページ
READER_PHRASES = {
    "パリはフランスの": "book/01_what_is_loss",
    "首都": "book/01_what_is_loss",
    "ものさし": ("book/01_what_is_loss", "book/08_summary"),
    "今日はいい天気": ("book/06_llm_loss", "book/07_invisible_link"),
    "今日はいい": ("book/06_llm_loss", "book/07_invisible_link"),
    "学習と推論の違い": "book/02_training_vs_inference",
    "推論でロスを使わない": "book/02_training_vs_inference",
    "見えないつながり": "book/07_invisible_link",
    "教師モデル": ("book/05_kl_divergence", "book/07_invisible_link"),
    "回帰": "book/04_mse",
    "確率分布のずれ": "book/05_kl_divergence",
    "次の単語の確率": ("book/06_llm_loss", "book/07_invisible_link"),
    "モデルは賢くなる": "book/intro",
}


def _aliases() -> dict:
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    sys.path.insert(0, str(root / "book" / "_ext"))
    from lossbook_glossary_index import read_aliases

    return {alias: tuple(docs) for alias, docs in read_aliases(root / "book" / "glossary.md").items()}


#: 用語集の「ほかの呼び方」→ 本書の用語を定義したページ（どれかが上位 3 件に入ればよい）
ALIASES = _aliases()

ALL_QUERIES = {**QUERIES, **READER_PHRASES, **ALIASES}

