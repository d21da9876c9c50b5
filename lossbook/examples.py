"""本書で繰り返し使う例（numpy だけ）。

第 1 章の「パリはフランスの____です」のように、章をまたいで同じ例を使うので、
候補の単語と確率の作り方をここに一度だけ書きます。
"""

from __future__ import annotations

import numpy as np

__all__ = ["PARIS_PROMPT", "PARIS_CANDIDATES", "PARIS_ANSWER", "OTHER_WEIGHTS", "paris_distribution"]

#: 第 1 章の穴埋め問題。
PARIS_PROMPT = "パリはフランスの____です"
#: モデルが考える候補の単語（語彙を 4 語に絞った小さな例）。
PARIS_CANDIDATES = ("首都", "都市", "観光地", "町")
#: 正解の単語と、その候補の中での番号。
PARIS_ANSWER = 0

# 正解以外の 3 語（都市・観光地・町）に、残りの確率を 65 : 20 : 15 で分けます。
# 都市がいちばん紛らわしい候補です。
OTHER_WEIGHTS = np.array([0.65, 0.20, 0.15])


def paris_distribution(p_answer: float) -> np.ndarray:
    """正解「首都」に確率 ``p_answer`` を与え、残りを他の候補に分けた分布を返します。

    Parameters
    ----------
    p_answer : float
        「首都」に与える確率。0 以上 1 以下。

    Returns
    -------
    numpy.ndarray, shape (4,)
        ``PARIS_CANDIDATES`` の順の確率。和は 1 です。

    Examples
    --------
    >>> paris_distribution(0.2).round(3).tolist()
    [0.2, 0.52, 0.16, 0.12]
    """
    p = float(p_answer)
    if not np.isfinite(p) or not 0.0 <= p <= 1.0:
        raise ValueError(
            f"p_answer は 0 以上 1 以下の確率にしてください（渡された値: {p_answer!r}）。")
    return np.concatenate([[p], (1.0 - p) * OTHER_WEIGHTS])
