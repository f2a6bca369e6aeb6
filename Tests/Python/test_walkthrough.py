"""The walkthrough script (Sources/iqp-python/examples/walkthrough.py) runs and improves the test MMD²."""
import os
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]


def test_walkthrough_runs(tmp_path):
    env = dict(os.environ, WALKTHROUGH_STEPS="40", WALKTHROUGH_PLOT=str(tmp_path / "loss.png"), IQP_ROOT=str(ROOT))
    r = subprocess.run([sys.executable, str(ROOT / "Sources/iqp-python/examples/walkthrough.py")],
                       capture_output=True, text=True, env=env, cwd=tmp_path, timeout=600)
    assert r.returncode == 0, r.stderr + r.stdout
    assert "test MMD²: initial" in r.stdout
    assert "plotted the loss" in r.stdout or "no plot" in r.stdout
