"""入力チェック（日本語のエラーメッセージ付き）。

どのロス関数も、計算の前にここの小さな関数で入力を確かめます。
scikit-learn の ``log_loss`` と同じく「まず検査、それから計算」という順番です。
メッセージには引数名・見つかった値・直し方を入れます。
"""

import numpy as np

ALLOWED_REDUCTIONS = ("mean", "sum", "none")

# 確率分布とみなす行の和の許容誤差です
SUM_TOLERANCE = 1e-6

LOGITS_HINT = "確率ではなくロジット（ソフトマックス関数を通す前の値）を渡していませんか？ その場合は {fix}。"


def _fmt(value):
    """数値をメッセージ用に短く書きます（3.2000000000000006 ではなく 3.2）。"""
    return f"{float(value):.10g}"


def _position(mask):
    """mask が True になる最初の位置を、1 次元なら整数、それ以外はタプルで返します。"""
    index = tuple(int(i) for i in np.argwhere(mask)[0])
    return index[0] if len(index) == 1 else index


def _at(name, mask):
    """最初に mask が True になる要素を numpy の添字で書きます（例 "y_pred[0, 3]"）。"""
    index = tuple(int(i) for i in np.argwhere(mask)[0])
    return f"{name}[{', '.join(map(str, index))}]"


def as_float_array(x, name):
    """x を float64 の新しい配列に変換します（元の入力は決して書き換えません）。

    float32 などの入力も float64 にして計算します（桁落ち・オーバーフロー対策）。
    数値でないもの（None、文字列、dtype object など）は TypeError です。
    """
    if x is None:
        raise TypeError(f"{name} に None が渡されました。数値の配列（リストや np.ndarray）を渡してください。")
    if isinstance(x, (str, bytes)):
        raise TypeError(f"{name} に文字列 {x!r} が渡されました。数値の配列（リストや np.ndarray）を渡してください。")
    try:
        arr = np.asarray(x)
    except ValueError:
        # 行ごとに長さが違うリストなど（numpy は ValueError を出します）
        raise ValueError(
            f"{name} を配列に変換できません（行の長さがそろっていないリストではありませんか？）。"
            "各行の長さをそろえてください。"
        ) from None
    # b: bool, i: 符号付き整数, u: 符号なし整数, f: 浮動小数点数 だけを受け付けます
    if arr.dtype.kind not in "biuf":
        raise TypeError(
            f"{name} には数値の配列を渡してください（dtype {arr.dtype} の配列が渡されました）。"
            "文字列や None が混ざっていないか確かめてください。"
        )
    # astype は常にコピーを作るので、呼び出し側の配列は変わりません
    return arr.astype(np.float64)


def _raise_at_first(arr, name, bad, what, advice):
    """bad が True になる最初の要素の位置と値を書いた ValueError を出します（bad がなければ何もしません）。"""
    if np.any(bad):
        value = arr[bad][0]
        where = f"{_at(name, bad)} の値は {value}" if arr.ndim else f"値は {value}"
        raise ValueError(f"{name} に {what} が含まれています（{where}）。{advice}")


def check_finite(arr, name):
    """NaN や inf が含まれていれば ValueError です。"""
    _raise_at_first(arr, name, ~np.isfinite(arr), "NaN か inf",
                    "欠損値や発散した値を取り除いてから渡してください。")


def raise_if_nan_or_posinf(arr, name):
    """ロジットに NaN か +inf が含まれていれば ValueError です（-inf はマスクとして受け付けます）。

    -inf のロジットは「その候補の確率を 0 にする」印です。LLM では、答えの形式に合わない語や
    出してはいけない語を候補から外すのに使います（PyTorch も受け付けます）。NaN と +inf は確率に
    ならないので、位置を書いて止めます。
    """
    _raise_at_first(arr, name, np.isnan(arr) | (arr == np.inf), "NaN か +inf",
                    "欠損値や発散した値を取り除いてから渡してください"
                    "（-inf は、その候補の確率を 0 にするマスクとして使えます）。")


def check_logits(arr, name, axis=-1, allow_all_masked=False):
    """ロジットを確かめます: NaN と +inf は ValueError、-inf はマスク（確率 0）として受け付けます。

    axis に沿ってすべてが -inf のところ（すべての語を消した行）は、確率分布にならないので
    ValueError です。allow_all_masked=True なら受け付けます（logsumexp は -inf を返します）。
    """
    raise_if_nan_or_posinf(arr, name)
    if allow_all_masked or arr.ndim == 0:
        return
    all_masked = np.all(arr == -np.inf, axis=axis)
    if np.any(all_masked):
        raise_all_masked(name, arr.ndim, axis % arr.ndim, np.argwhere(np.atleast_1d(all_masked))[0])


def raise_all_masked(name, ndim, axis, index):
    """axis に沿ってすべてが -inf の場所（index は axis を除いた添字）を書いた ValueError を出します。"""
    parts = [str(int(i)) for i in index][: ndim - 1]
    parts.insert(axis, ":")
    where = f"{name}[{', '.join(parts)}]" if ndim > 1 else name
    raise ValueError(
        f"{where} の値がすべて -inf です（すべての候補をマスクで消しています）。"
        "これでは確率分布になりません。少なくとも 1 つは有限の値にしてください。"
    )


def check_nonempty(arr, name):
    """要素が 1 つもない配列（形 (0,)、(0, 3)、(2, 0) など）は ValueError です。"""
    if arr.size == 0:
        raise ValueError(
            f"{name} が空です（形 {arr.shape}）。少なくとも 1 つの要素を含む配列を渡してください。"
        )


def check_ndim(arr, name, allowed, expected):
    """次元数が allowed に入っていなければ ValueError です。expected は期待する形の説明です。"""
    if arr.ndim not in allowed:
        raise ValueError(
            f"{name} は {expected} の配列にしてください（いまは {arr.ndim} 次元、形 {arr.shape} です）。"
        )


def check_same_shape(a, b, name_a, name_b):
    """2 つの配列の形が同じでなければ ValueError です。"""
    if a.shape != b.shape:
        raise ValueError(
            f"{name_a} の形 {a.shape} と {name_b} の形 {b.shape} が合いません。"
            "同じ形の配列を渡してください。"
        )


def _range_text(minimum, maximum, exclusive_minimum, integer):
    kind = "整数" if integer else ("数" if maximum is not None else "有限の数")
    if minimum is not None and maximum is not None:
        low = f"{minimum} より大きく" if exclusive_minimum else f"{minimum} 以上"
        return f"{low} {maximum} 以下の{kind}"
    if minimum is not None:
        return f"{minimum} より大きい{kind}" if exclusive_minimum else f"{minimum} 以上の{kind}"
    if maximum is not None:
        return f"{maximum} 以下の{kind}"
    return kind


def check_number(value, name, *, minimum=None, maximum=None, exclusive_minimum=False, integer=False, advice=""):
    """スカラーの引数（学習率・温度・歩数・確率など）を確かめ、int か float にして返します。

    規則はほかの検査と同じです。型が違えば TypeError（bool・文字列・配列は数として受け付けません）、
    型は合っていても値がだめ（NaN、inf、範囲の外）なら ValueError です。メッセージには、引数名、
    渡された値、受け付ける範囲を入れ、``advice`` があれば直し方の一言として添えます。
    """
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value[()]
    allowed = (int, np.integer) if integer else (int, float, np.integer, np.floating)
    wanted = _range_text(minimum, maximum, exclusive_minimum, integer)
    wanted = f" {wanted}" if wanted[0].isdigit() or wanted[0] == "-" else wanted   # 「には 0 より」と空けます
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, allowed):
        raise TypeError(f"{name} には{wanted}を渡してください（{type(value).__name__} の {value!r} が渡されました）。"
                        + advice)
    too_low = minimum is not None and (value <= minimum if exclusive_minimum else value < minimum)
    too_high = maximum is not None and value > maximum
    if not np.isfinite(value) or too_low or too_high:
        raise ValueError(f"{name} には{wanted}を渡してください（{name} = {value!r} が渡されました）。" + advice)
    return int(value) if integer else float(value)


def check_int_at_least(value, name, minimum=1):
    """value が minimum 以上の整数であることを確かめ、int にして返します（歩数・文の数など）。"""
    return check_number(value, name, minimum=minimum, integer=True)


def check_positive_float(value, name, advice=""):
    """value が 0 より大きい有限の数であることを確かめ、float にして返します（学習率・温度など）。"""
    return check_number(value, name, minimum=0, exclusive_minimum=True, advice=advice)


def check_reduction(reduction):
    """reduction が "mean" / "sum" / "none" のどれかでなければ ValueError です。"""
    if not isinstance(reduction, str) or reduction not in ALLOWED_REDUCTIONS:
        allowed = "、".join(f'"{r}"' for r in ALLOWED_REDUCTIONS)
        raise ValueError(f"reduction に {reduction!r} は使えません。{allowed} のどれかを指定してください。")


def check_axis(axis, ndim, name):
    """axis を ndim 次元の配列 name の軸として確かめ、0 以上の整数にして返します。"""
    if isinstance(axis, bool) or not isinstance(axis, (int, np.integer)):
        raise TypeError(f"axis には整数を渡してください（{type(axis).__name__} の {axis!r} が渡されました）。")
    if ndim == 0:
        raise ValueError(f"{name} がスカラー（0 次元）です。1 次元以上の配列を渡してください。")
    if not -ndim <= axis < ndim:
        raise ValueError(
            f"axis={axis} は範囲外です。{name} は {ndim} 次元なので、"
            f"axis は {-ndim} から {ndim - 1} までの整数にしてください。"
        )
    return int(axis) % ndim


def check_probabilities(p, name, hint_logits=True, fix="1 / (1 + exp(-z))（シグモイド）で確率に変換してください"):
    """すべての要素が 0 以上 1 以下でなければ ValueError です（2 値のラベル・確率用）。"""
    bad = (p < 0) | (p > 1)
    if np.any(bad):
        where = f"{_at(name, bad)} の値は {_fmt(p[bad][0])}" if p.ndim else f"値は {_fmt(p[bad][0])}"
        advice = LOGITS_HINT.format(fix=fix) if hint_logits else fix + "。"
        raise ValueError(f"{name} に 0 以上 1 以下でない値があります（{where}）。{advice}")


def check_distribution(p, name, hint_logits=True, fix="lb.softmax で確率に変換してください"):
    """最後の軸に沿った各行が確率分布（0 以上、和が 1 ± 1e-6）でなければ ValueError です。

    hint_logits=True なら「ロジットを渡していませんか？」と書き、fix で直し方を示します。
    hint_logits=False なら fix をそのまま直し方の文として使います。
    """
    advice = LOGITS_HINT.format(fix=fix) if hint_logits else fix + "。"
    negative = p < 0
    if np.any(negative):
        raise ValueError(
            f"{name} に負の値があります（{_at(name, negative)} の値は {_fmt(p[negative][0])}）。"
            f"確率は 0 以上でなければなりません。{advice}"
        )
    sums = np.sum(p, axis=-1)
    off = np.abs(sums - 1.0) > SUM_TOLERANCE
    if np.any(off):
        if p.ndim == 1:
            where = f"和は {_fmt(sums)}"
            what = f"{name} の和"
        else:
            row = _position(off)
            where = f"行 {row} の和は {_fmt(sums[off][0])}"
            what = f"{name} の行の和"
        raise ValueError(f"{what}が 1 になっていません（{where}）。{advice}")


def check_labels(labels, n_classes, name="y_true"):
    """クラス番号（0 から n_classes - 1 の整数）を確かめ、整数配列にして返します。

    2.0 のように float で保存された整数は受け付けますが、2.5 は ValueError です。
    """
    rule = f"クラス番号は 0 から {n_classes - 1} までの整数（クラス数 K = {n_classes}）にしてください。"
    checks = [
        (labels != np.floor(labels), "整数でない値"),
        (labels < 0, "負の値"),
        (labels >= n_classes, "範囲外の値"),
    ]
    for bad, what in checks:
        if np.any(bad):
            value = _fmt(labels[bad][0])
            where = f"{_at(name, bad)} の値は {value}" if labels.ndim else f"値は {value}"
            raise ValueError(f"{name} のクラス番号に{what}があります（{where}）。{rule}")
    return labels.astype(np.intp)


def reduce(values, reduction):
    """サンプルごと（または要素ごと）の値を reduction に従ってまとめます。

    "mean" と "sum" は np.float64 のスカラー、"none" は配列をそのまま返します
    （0 次元なら np.float64 のスカラー）。
    """
    if reduction == "mean":
        return np.float64(np.mean(values))
    if reduction == "sum":
        return np.float64(np.sum(values))
    values = np.asarray(values, dtype=np.float64)
    return values if values.ndim else np.float64(values)


# ---- ロス関数とその勾配が共有する入力の検査（losses と grad の両方が使います） ----

ROWS = "1 次元 (K,) か 2 次元 (N, K)"


def targets(y_true, pred_shape, pred_name):
    """y_true を確かめ、(正解の分布, クラス番号) のどちらか一方を返します（もう一方は None）。

    y_true が pred と同じ形なら正解の分布（one-hot やソフトラベル）、
    そうでなければクラス番号（(K,) にはスカラー、(N, K) には形 (N,)）とみなします。
    """
    t = as_float_array(y_true, "y_true")
    check_finite(t, "y_true")
    n_classes = pred_shape[-1]
    if t.shape == pred_shape:
        check_distribution(
            t, "y_true", hint_logits=False,
            fix="正解の分布（one-hot やソフトラベル）は各行を 0 以上・和 1 にしてください",
        )
        return t, None
    label_shape = pred_shape[:-1]
    if t.shape != label_shape:
        labels_text = "スカラー" if label_shape == () else f"形 {label_shape} "
        raise ValueError(
            f"y_true の形 {t.shape} と {pred_name} の形 {pred_shape} が合いません。"
            f"y_true には {pred_name} と同じ形 {pred_shape} の正解の分布（one-hot など）か、"
            f"{labels_text}のクラス番号を渡してください。"
        )
    return None, check_labels(t, n_classes, "y_true")


def logits_array(logits):
    """logits を配列にします。float32 と float64 の配列はコピーせずにそのまま使います。

    LLM のロジットは数百 MB になるので、float64 への丸ごとのコピーを作りません。
    それ以外（リスト、整数、float16 など）は float64 の新しい配列にします。
    """
    if isinstance(logits, np.ndarray) and logits.dtype in (np.float32, np.float64):
        return np.asarray(logits)
    return as_float_array(logits, "logits")


def logits_and_targets(y_true, logits, reduction):
    """cross_entropy_with_logits とその勾配が共有する入力チェックです。

    返すのは (正解の分布, クラス番号, ロジット) で、正解の分布とクラス番号のどちらか一方は None です。
    クラス番号のときは、ロジットの NaN と inf の検査は行ごとの計算（lossbook._blocked）の中で行います。
    正解の分布のときは、ロジットを float64 にして、ここで検査します。
    """
    check_reduction(reduction)
    z = logits_array(logits)
    check_ndim(z, "logits", (1, 2), ROWS)
    check_nonempty(z, "logits")
    t, labels = targets(y_true, z.shape, "logits")
    if t is not None:
        z = z.astype(np.float64)
        # -inf（マスク）は確率 0 として受け付けます。NaN、+inf、すべてが -inf の行は ValueError です
        check_logits(z, "logits")
    return t, labels, z


def elementwise_pair(y_true, y_pred, reduction, pred_name="y_pred"):
    """要素ごとのロス（MSE、BCE）が共有する入力チェックです。"""
    check_reduction(reduction)
    y = as_float_array(y_true, "y_true")
    y_hat = as_float_array(y_pred, pred_name)
    check_same_shape(y, y_hat, "y_true", pred_name)
    check_nonempty(y_hat, pred_name)
    check_finite(y, "y_true")
    check_finite(y_hat, pred_name)
    return y, y_hat


def check_delta(delta):
    """Huber の delta が正の有限の数であることを確かめ、float にして返します。"""
    return check_positive_float(delta, "delta", advice="delta は、二乗から絶対値に切り替わる誤差の大きさで、"
                                "y と同じ単位です（例 1.0）。")
