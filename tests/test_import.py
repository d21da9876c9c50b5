"""import lossbook は軽いこと（matplotlib などを読み込まない）。"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ["matplotlib", "IPython", "ipywidgets", "scipy"]


def test_import_is_light():
    code = (
        "import sys, lossbook\n"
        f"heavy = [m for m in {HEAVY!r} if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=str(ROOT), check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"import lossbook が重いモジュールを読み込みました: {result.stdout}"


def test_public_api():
    import lossbook as lb

    assert lb.__version__ == "0.1.0"
    for name in [
        "softmax", "log_softmax", "logsumexp", "cross_entropy", "cross_entropy_with_logits",
        "binary_cross_entropy", "mse", "kl_divergence", "entropy", "perplexity", "numerical_gradient",
    ]:
        assert callable(getattr(lb, name)), name
    assert callable(lb.grad.cross_entropy_with_logits)
    assert callable(lb.grad.mse)
