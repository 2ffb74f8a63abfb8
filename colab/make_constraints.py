"""Turn Colab's published ``pip freeze`` into the Colab twin's constraints file.

    git -C backend-info show COMMIT:pip-freeze.gpu.txt > freeze.txt
    python colab/make_constraints.py freeze.txt COMMIT DATE "SUBJECT" > colab/constraints.txt

Keeps every ``name==version`` line except those no CPU machine can install: packages installed from a
URL (``name @ url``) and CUDA builds (NVIDIA, cuda-*, *-cu12/cu13, cupy, and +cuXXX local versions).
"""

from __future__ import annotations

import re
import sys

CUDA = re.compile(r"cuda|nvidia|cupy|-cu1[0-9]\b|\+cu[0-9]+", re.IGNORECASE)
SOURCE = "https://github.com/googlecolab/backend-info/blob/{commit}/pip-freeze.gpu.txt"


def constraints(freeze: str) -> list[str]:
    """The pinned lines of ``freeze`` that a CPU-only pip can satisfy."""
    lines = [line.strip() for line in freeze.splitlines()]
    return [line for line in lines if "==" in line and " @ " not in line and not line.startswith("#")
            and not CUDA.search(line)]


def main(argv: list[str]) -> int:
    path, commit, date, subject = argv
    with open(path, encoding="utf-8") as f:
        pins = constraints(f.read())
    print("# Colab's GPU runtime as pip constraints, for the Colab twin (make colab).")
    print(f"# Source: {SOURCE.format(commit=commit)}")
    print(f"# Commit {commit} of {date}, \"{subject}\".")
    print("# Made by colab/make_constraints.py: the whole freeze minus its URL lines (name @ url) and its")
    print("# CUDA builds (nvidia-*, cuda-*, *-cu12/cu13, cupy, +cu128 torch), which a CPU machine cannot install.")
    print("\n".join(pins))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
