"""lossbook: ロス関数の教科書のための小さな numpy 実装。

numpy だけに依存します（matplotlib などはここでは import しません）。
図やウィジェットは ``lossbook.plotting`` などを明示的に import してください。
"""

from . import grad
from .activations import log_softmax, logsumexp, softmax
from .losses import (
    binary_cross_entropy,
    cross_entropy,
    cross_entropy_with_logits,
    entropy,
    huber,
    kl_divergence,
    mae,
    mse,
    perplexity,
)
from .numerical import numerical_gradient

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "grad",
    "softmax",
    "log_softmax",
    "logsumexp",
    "cross_entropy",
    "cross_entropy_with_logits",
    "binary_cross_entropy",
    "mse",
    "mae",
    "huber",
    "kl_divergence",
    "entropy",
    "perplexity",
    "numerical_gradient",
]
