"""第2章の練習問題（自己チェック用）。

本文と同じデータ（``make_toy_data()``）と学習前のパラメータ（``init_params(seed=3)``）を使います。
"""

import numpy as np

from .. import softmax_regression as sr
from .kinds import Choice, Mistake, Numeric


def _uniform_loss():
    """W も b も 0（全クラスに 1/3）のモデルの、学習データでの平均ロス。"""
    X, y = sr.make_toy_data()
    return float(sr.loss(X, y, *sr.init_params(scale=0.0)))


def _history(eta, steps=200):
    """本文と同じ初期値から学習率 eta で steps 歩学習した記録（ロスの列 ``loss`` を持ちます）。"""
    X, y = sr.make_toy_data()
    W0, b0 = sr.init_params(seed=sr.INIT_SEED)
    return sr.fit(X, y, W0, b0, eta=eta, steps=steps)


def _final_loss(eta, steps=200):
    """本文と同じ初期値から学習率 eta で steps 歩学習したあとの、学習データでのロス。"""
    return float(_history(eta, steps).loss[-1])


#: 問題の番号 → 問題。番号は「章-番号」です。
EXERCISES = {
    "2-1": Numeric(
        "W と b をすべて 0 にしたモデルの、学習データでの平均ロス（nat）はいくつですか。",
        _uniform_loss,
        "どのサンプルでも、正解のクラスの確率は 1/3 です。ロスは L = −log p です。",
        mistakes=(
            Mistake(lambda: float(np.log2(3)), "底が 2 の対数（bit）になっていませんか。nat は自然対数 np.log で測ります。"),
            Mistake(lambda: float(np.log10(3)), "常用対数（log10）になっていませんか。nat は自然対数 np.log で測ります。"),
            Mistake(lambda: 1 / 3, "確率そのものを答えていませんか。ロスは −log p です。"),
            Mistake(lambda: -_uniform_loss(), "符号を確かめてください。ロス −log p は 0 以上です。"),
        )),
    "2-2": Numeric(
        "本文と同じ初期値から、学習率 η = 0.03 で 200 歩学習したあとの、"
        "学習データでのロス（nat）はいくつですか。",
        lambda: _final_loss(0.03),
        "sr.fit の eta を 0.03 にして、返り値の loss の最後の値を読んでください。",
        mistakes=(
            Mistake(lambda: _final_loss(0.1), "本文の学習率 η = 0.1 のままではありませんか。eta を 0.03 にします。"),
            Mistake(lambda: _final_loss(0.5), "sr.fit の既定の学習率 η = 0.5 のままではありませんか。eta を 0.03 にします。"),
            Mistake(lambda: float(_history(0.03).loss[0]), "loss の最初の値（学習前のロス）を読んでいませんか。最後の値 loss[-1] です。"),
        )),
    "2-3": Choice(
        "学習を終えたモデルを、正解のわからない新しいサンプル 1000 個に使います。このとき計算できるものはどれですか。",
        "b",
        {"a": "各サンプルのロス",
         "b": "各サンプルの、クラスごとの確率と予測したクラス",
         "c": "パラメータについてのロスの勾配",
         "d": "1000 個のサンプルの平均ロス"},
        "1 個のサンプルのロス −log p の p は「正解のクラス」に与えた確率です。新しいサンプルで、正解はわかりますか。",
        why_not={"a": "ロス −log p の p は、何に与えた確率でしたか。新しいサンプルで、それは決まりますか。",
                 "c": "勾配は「予測 − 正解」（ソフトマックス関数の出力 − one-hot 表現の正解）から作りました。正解のないサンプルで、この引き算はできますか。",
                 "d": "平均ロスは、各サンプルのロス −log p の平均です。(a) の各サンプルのロスは計算できましたか。"}),
    "2-4": Choice(
        "3 個のバイアスの傾き（∂L/∂b の 3 つの成分）を足すと、次のどれになりますか。",
        "a",
        {"a": "0", "b": "1", "c": "N（サンプルの数）", "d": "学習率 η"},
        "∂L/∂b は各サンプルの「予測 − 正解」（確率 − one-hot 表現の正解）の和を N で割ったものです。"
        "確率の和と one-hot 表現の和は、それぞれいくつですか。",
        why_not={"b": "確率の和は 1 ですが、傾きは「予測 − 正解」、つまり確率から one-hot 表現の正解を引いたものです。正解の和を引くとどうなりますか。",
                 "c": "傾きは N で割った平均です。和が N に比例して大きくなることはありません。",
                 "d": "学習率は、傾きを計算したあとに掛ける数です。傾きそのものには入りません。"}),
}
