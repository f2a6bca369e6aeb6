"""Builds the Swift library the package loads and puts it in the package (`pip install
Sources/iqp-python` from the clone).

The library is, in order: `$IQP_LIBRARY` (a built `libIQPPython.so`, copied as it is), or the
result of `swift build -c release --product IQPPython` in the clone (SwiftPM rebuilds only what
changed; `$IQP_SWIFT_BUILD_FLAGS` adds flags, e.g. `-c debug`).
"""
import os
import pathlib
import shlex
import shutil
import subprocess

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent                   # the clone: Sources/iqp-python/../..
NAMES = ("libIQPPython.so", "libIQPPython.dylib")


def built_library():
    explicit = os.environ.get("IQP_LIBRARY")
    if explicit:
        return pathlib.Path(explicit)
    if not (ROOT / "Package.swift").exists():
        raise SystemExit(f"iqp: no Package.swift at {ROOT}: install from the clone, or set IQP_LIBRARY")
    flags = shlex.split(os.environ.get("IQP_SWIFT_BUILD_FLAGS", "-c release"))
    command = ["swift", "build", *flags, "--product", "IQPPython"]
    subprocess.run(command, cwd=ROOT, check=True)
    out = subprocess.run([*command, "--show-bin-path"], cwd=ROOT, check=True, capture_output=True, text=True)
    folder = pathlib.Path(out.stdout.strip().splitlines()[-1])
    for name in NAMES:
        if (folder / name).exists():
            return folder / name
    raise SystemExit(f"iqp: swift build made no libIQPPython in {folder}")


class BuildWithLibrary(build_py):
    def run(self):
        library = built_library()
        super().run()
        target = pathlib.Path(self.build_lib) / "iqp" / library.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(library, target)


setup(cmdclass={"build_py": BuildWithLibrary})
