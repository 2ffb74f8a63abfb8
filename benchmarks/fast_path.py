"""Each notebook top to bottom at full size on the offline data, with the fast path off (it trains)
and on (it replays the recorded runs), side by side on one machine, with the optimizer calls of the
fast run counted. Writes results/fast_path.json (per-cell seconds too) and the tables in README.md and the course's README.md.

    python benchmarks/fast_path.py [NN ...]        # default: every notebook with shipped recordings

The full runs take as long as the notebooks do (about an hour for all of them on 2 cores).
``python data/make_pretrained.py record NN`` measures the same two runs (its recording run is the
full one) and writes them to the same table.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from common import ROOT

sys.path.insert(0, str(ROOT / "tools"))
from notebook_runs import NOTEBOOKS, cell_seconds, mode_env, notebook_path, run, save_times  # noqa: E402

def recorded_notebooks() -> list[str]:
    numbers = set()
    for body in (ROOT / "data" / "pretrained" / "recorded").glob("*/identity.json"):
        numbers.add(json.loads(body.read_text())["notebook"])
    return sorted(n for n in numbers if n)


def timed(number: str, fast: bool) -> dict:
    with tempfile.TemporaryDirectory() as cwd:
        env = mode_env(WORKSHOP_FAST="1") if fast else mode_env()
        nb, seconds, calls = run(notebook_path(number), env, Path(cwd), count_steps=fast)
    return {"seconds": round(seconds, 1), **({"optimizer_calls": calls} if fast else {}), "cells": cell_seconds(nb)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("numbers", nargs="*")
    args = parser.parse_args()
    numbers = args.numbers or recorded_notebooks()
    unknown = [n for n in numbers if not list(NOTEBOOKS.glob(f"{n}_*.ipynb"))]
    if unknown:
        raise SystemExit(f"no notebook(s) {unknown} in {NOTEBOOKS}")
    for number in numbers:
        fast = timed(number, fast=True)
        full = timed(number, fast=False)
        save_times(number, full, fast)
        print(number, f"full {full['seconds'] / 60:.1f} min, fast {fast['seconds'] / 60:.1f} min, "
              f"{fast['optimizer_calls']} optimizer calls", flush=True)


if __name__ == "__main__":
    main()
