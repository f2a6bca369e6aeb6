"""The package guide runs: every `python iqp` block of docs/python.md, in order, in one session,
in an empty folder, with `IQP` the CLI binary (its training equals the package's)."""
import os
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]


def blocks(markdown, tag):
    found, current = [], None
    for line in markdown.split("\n"):
        if current is None and line == "```" + tag:
            current = []
        elif current is not None and line == "```":
            found.append("\n".join(current))
            current = None
        elif current is not None:
            current.append(line)
    return found


def test_every_package_block_of_python_md_runs(tmp_path, iqp_bin):
    page = (ROOT / "docs" / "python.md").read_text()
    code = blocks(page, "python iqp")
    assert len(code) >= 5
    script = tmp_path / "guide.py"
    script.write_text("\n\n".join(code) + "\nprint('all package blocks ran')\n")
    r = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, cwd=tmp_path,
                       env=dict(os.environ, IQP=iqp_bin), timeout=600)
    assert r.returncode == 0, r.stderr + r.stdout
    assert "all package blocks ran" in r.stdout
