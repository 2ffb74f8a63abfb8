"""Run a notebook top to bottom in a fresh kernel in a chosen mode (full size, smoke, recording,
fast path), timed, optionally counting optimizer steps. Used by data/make_pretrained.py record,
benchmarks/fast_path.py and the fast-path tests."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
TIMES = ROOT / "benchmarks" / "results" / "fast_path.json"  # per notebook: full and fast runs, side by side

STEP_COUNTER = """\
import keras as _keras
_apply = _keras.optimizers.Optimizer.apply
OPTIMIZER_CALLS = [0]
def _counting_apply(self, *args, **kwargs):
    OPTIMIZER_CALLS[0] += 1
    return _apply(self, *args, **kwargs)
_keras.optimizers.Optimizer.apply = _counting_apply
"""


def run(notebook: Path, env: dict, cwd: Path, count_steps: bool = False, widget_state: bool = True):
    """Run a notebook top to bottom in a fresh kernel with ``env``; (executed notebook, seconds,
    optimizer calls if counted: every call of a Keras optimizer's ``apply``, eager or traced). The
    executed notebook has the counting cells removed again, and each cell's timing in its metadata."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(notebook, as_version=4)
    if count_steps:
        nb.cells.insert(0, nbformat.v4.new_code_cell(STEP_COUNTER))
        nb.cells.append(nbformat.v4.new_code_cell("print('OPTIMIZER_CALLS', OPTIMIZER_CALLS[0])"))
    start = time.perf_counter()
    client = NotebookClient(nb, timeout=7200, kernel_name="python3", resources={"metadata": {"path": str(cwd)}},
                            store_widget_state=widget_state)
    client.execute(env=env)
    seconds = time.perf_counter() - start
    calls = None
    if count_steps:
        calls = int("".join(o.get("text", "") for o in nb.cells[-1].outputs).split()[-1])
        nb.cells = nb.cells[1:-1]
    return nb, seconds, calls


def cell_seconds(nb) -> dict[str, float]:
    """Each executed code cell's wall-clock seconds (nbclient's timing metadata), by cell id."""
    from datetime import datetime

    out = {}
    for cell in nb.cells:
        timing = cell.get("metadata", {}).get("execution", {})
        if cell.cell_type == "code" and "iopub.execute_input" in timing and "shell.execute_reply" in timing:
            start, end = (datetime.fromisoformat(timing[k].replace("Z", "+00:00"))
                          for k in ("iopub.execute_input", "shell.execute_reply"))
            out[cell.get("id")] = round((end - start).total_seconds(), 2)
    return out


def execute(notebook: Path, env: dict, cwd: Path, count_steps: bool = False) -> tuple[float, int | None]:
    """:func:`run`, keeping only (seconds, optimizer calls)."""
    _, seconds, calls = run(notebook, env, cwd, count_steps)
    return seconds, calls


def notebook_path(number: str) -> Path:
    """notebooks/NN_*.ipynb of a two-digit number."""
    found = sorted(NOTEBOOKS.glob(f"{number}_*.ipynb"))
    if len(found) != 1:
        raise SystemExit(f"no notebook {number!r} in {NOTEBOOKS}")
    return found[0]


def mode_env(**flags: str) -> dict:
    """This process's environment without the course's mode switches, offline, plus ``flags``."""
    env = {k: v for k, v in os.environ.items() if k not in ("WORKSHOP_SMOKE", "WORKSHOP_FAST", "WORKSHOP_RECORD")}
    return {**env, "WORKSHOP_OFFLINE": "1", **flags}


def save_times(number: str, full: dict | None = None, fast: dict | None = None) -> dict:
    """Store one notebook's full-size and fast-path runs (seconds, per-cell seconds, optimizer calls),
    measured one after the other on this machine, in TIMES (a run not given keeps its stored
    measurement); rewrite the READMEs' tables."""
    import json
    import platform
    from datetime import date

    from workshop_utils.runtime import cpu_model

    sys.path.insert(0, str(ROOT / "data"))
    import _sections

    results = json.loads(TIMES.read_text()) if TIMES.is_file() else {}
    row = results.get(number, {})
    results[number] = {**row, **({"full": full} if full else {}), **({"fast": fast} if fast else {}), "date": str(date.today()),
                       "machine": f"{os.cpu_count()} CPU cores ({platform.machine()}, {cpu_model()})"}
    TIMES.parent.mkdir(parents=True, exist_ok=True)
    TIMES.write_text(json.dumps(results, indent=1, sort_keys=True) + "\n")
    for readme in (ROOT / "README.md", ROOT / "benchmarks" / "README.md"):
        _sections.write_section("fast-path", table(results), readme)
    return results


def table(results: dict) -> str:
    """The README table of full and fast times."""
    lines = ["| notebook | full size, training (min) | fast path (min) | optimizer calls on the fast path | measured |",
             "|---|---|---|---|---|"]
    minutes = lambda row, run: f"{row[run]['seconds'] / 60:.1f}" if run in row else "not measured"  # noqa: E731
    for number, row in sorted(results.items()):
        calls = row["fast"]["optimizer_calls"] if "fast" in row else ""
        lines.append(f"| {number} | {minutes(row, 'full')} | {minutes(row, 'fast')} | {calls} | {row['date']}, {row['machine']} |")
    total = {run: sum(r[run]["seconds"] for r in results.values() if run in r) / 60 for run in ("full", "fast")}
    lines.append(f"| all {len(results)} | {total['full']:.1f} | {total['fast']:.1f} | | |")
    return "\n".join(lines)
