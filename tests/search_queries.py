"""読者が打ちそうな検索語と、それを定義しているページ（検索結果の上位 3 件に入るべきもの）。

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
