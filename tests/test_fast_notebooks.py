"""The notebooks on the instructors' fast path: every training cell replays its recorded run, so a
whole notebook runs at full size without one optimizer step."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
from notebook_runs import NOTEBOOKS, execute, mode_env, notebook_path  # noqa: E402

TRAINS = re.compile(r"\.train\(|train_shift\(")


def cells(path: Path) -> list[dict]:
    return [c for c in json.loads(path.read_text())["cells"] if c["cell_type"] == "code"]


@pytest.mark.parametrize("path", sorted(NOTEBOOKS.glob("*.ipynb")), ids=lambda p: p.name[:2])
def test_every_training_cell_is_tagged_and_only_those(path):
    for cell in cells(path):
        src, tags = "".join(cell["source"]), cell["metadata"].get("tags", [])
        trains = bool(TRAINS.search(src)) and "def train_shift" not in src
        assert trains == ("training" in tags), f"{path.name} {cell['id']}: trains={trains}, tags={tags}"


@pytest.mark.parametrize("path", sorted(NOTEBOOKS.glob("*.ipynb")), ids=lambda p: p.name[:2])
def test_the_first_cell_has_the_fast_switch(path):
    src = "".join(cells(path)[0]["source"])
    assert "FAST = False" in src and "runtime.setup(seed=0, fast=FAST)" in src


@pytest.mark.parametrize("path", sorted(NOTEBOOKS.glob("*.ipynb")), ids=lambda p: p.name[:2])
def test_a_notebook_takes_no_optimizer_step_on_the_fast_path(path, tmp_path):
    """Counted in the fast-path execution ``make slides`` made of this very notebook and its
    recordings (CI runs it first); without one, the test runs the notebook itself."""
    import build_pages

    times_path = build_pages.EXECUTED / "times.json"
    made = json.loads(times_path.read_text()).get(path.name[:2], {}) if times_path.is_file() else {}
    if made.get("fingerprint") != build_pages.fingerprint(path):
        seconds, calls = execute(path, mode_env(WORKSHOP_FAST="1"), tmp_path, count_steps=True)
        made = {"optimizer_calls": calls}
    assert made["optimizer_calls"] == 0


def test_the_step_counter_counts_a_training(tmp_path):
    seconds, calls = execute(notebook_path("01"), mode_env(WORKSHOP_SMOKE="1"), tmp_path, count_steps=True)
    assert calls > 0
