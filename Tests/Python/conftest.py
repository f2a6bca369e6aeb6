"""Shared fixtures: the repository, the `iqp` binary the CLI-equality tests compare with, small
data sets."""
import os
import pathlib
import subprocess
import sys

import numpy as np
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))


@pytest.fixture(scope="session")
def iqp_bin():
    """`$IQP_BIN`, else the debug build's `iqp` (launch/test builds it)."""
    path = pathlib.Path(os.environ.get("IQP_BIN", ROOT / ".build" / "debug" / "iqp"))
    if not path.exists():
        pytest.fail(f"no iqp binary at {path}: run swift build, or set IQP_BIN")
    return str(path)


@pytest.fixture
def run_iqp(iqp_bin, tmp_path):
    def run(*args, check=True):
        r = subprocess.run([iqp_bin, *map(str, args)], capture_output=True, text=True, cwd=tmp_path)
        if check and r.returncode != 0:
            raise AssertionError(f"iqp {' '.join(map(str, args))} failed: {r.stderr}")
        return r
    return run


def correlated(rows, n, flip=0.15, seed=1):
    """Rows whose first bit is a fair coin and each next bit a noisy copy of the one before."""
    rng = np.random.default_rng(seed)
    x = np.zeros((rows, n), dtype=np.uint8)
    x[:, 0] = rng.integers(0, 2, rows)
    for i in range(1, n):
        x[:, i] = x[:, i - 1] ^ (rng.random(rows) < flip)
    return x


@pytest.fixture
def data5():
    return correlated(200, 5)
