"""本書で繰り返し使う例（numpy だけ）。

第 1 章の「パリはフランスの____です」のように、章をまたいで同じ例を使うので、
候補の単語と確率の作り方をここに一度だけ書きます。
"""

from __future__ import annotations

import numpy as np

from ._validation import check_number

__all__ = ["PARIS_PROMPT", "PARIS_CANDIDATES", "PARIS_ANSWER", "OTHER_WEIGHTS", "paris_distribution",
           "PARIS_OTHER_LOGITS", "paris_logits",
           "TODAY_PROMPT", "TODAY_CANDIDATES", "TODAY_ANSWER", "TODAY_P", "weather_distribution"]

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


#: 第6章の穴埋め問題（次の単語の予測）。
TODAY_PROMPT = "今日はいい____"


#: モデルが考える候補の単語（3 語に絞った小さな例）。
TODAY_CANDIDATES = ("天気", "電車", "気分")


#: 正解の単語「天気」の、候補の中での番号。
TODAY_ANSWER = 0


#: 元の例でモデルが「天気」に与えた確率。
TODAY_P = 0.6



def weather_distribution(p_weather: float) -> np.ndarray:
    """「天気」に確率 ``p_weather`` を与え、残りを「電車」と「気分」に等しく分けた分布を返します。

    Parameters
    ----------
    p_weather : float
        正解「天気」に与える確率。0 以上 1 以下。

    Returns
    -------
    numpy.ndarray, shape (3,)
        ``TODAY_CANDIDATES`` の順（天気・電車・気分）の確率。和は 1 です。

    Raises
    ------
    ValueError
        ``p_weather`` が 0 以上 1 以下の有限の数でないとき。
    TypeError
        ``p_weather`` が数でないとき。

    Examples
    --------
    >>> weather_distribution(0.6).round(3).tolist()
    [0.6, 0.2, 0.2]
    """
    p = check_number(p_weather, "p_weather", minimum=0, maximum=1, advice="「天気」に与える確率です。")
    rest = (1.0 - p) / 2.0
    return np.array([p, rest, rest])


#: 「都市」「観光地」「町」のロジット（第 1 章 1.3 節と同じ固定値）。
PARIS_OTHER_LOGITS = (1.0, 0.1, -0.4)



def paris_logits(z_answer):
    """「首都」のロジットを z_answer にした、4 つの候補のロジット $z$ を返します。

    ほかの 3 語（都市・観光地・町）のロジットは :data:`PARIS_OTHER_LOGITS` に固定です。

    Parameters
    ----------
    z_answer : float
        正解「首都」のロジット。有限の実数。

    Returns
    -------
    numpy.ndarray, shape (4,)
        ``PARIS_CANDIDATES`` の順のロジット（float64）。

    Raises
    ------
    TypeError
        z_answer が数でないとき。
    ValueError
        z_answer が配列のとき、NaN や inf のとき。

    Examples
    --------
    >>> paris_logits(-0.5).tolist()
    [-0.5, 1.0, 0.1, -0.4]
    """
    z = check_number(z_answer, "z_answer")
    return np.array([z, *PARIS_OTHER_LOGITS])
