"""Write a copy of every notebook with each "Your turn" cell filled from the reference answer
(``make solutions``): the copies in ``build/solutions/`` are what the Colab twin runs, so every
checker is seen to pass on Colab's stack while the shipped, undone notebooks run on ours.

    python tools/make_solutions.py [OUT_DIR]   (default build/solutions)

An exercise cell is a code cell tagged ``exercise``; the next code cell names the exercise in its
``exercises.check("NN.slug", answer)`` call. A function exercise's cell becomes the reference's
source (its leading comment kept); a question's ``answer = ...`` line gets the reference value.
The check cell then calls ``exercises.check(..., must_pass=True)``, so a filled answer that does not
pass fails the run instead of printing a hint.
"""

from __future__ import annotations

import inspect
import json
import re
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # this checkout's workshop_utils, wherever it is installed from
CHECK = re.compile(r"""exercises\.check\(\s*["']([0-9]{2}\.[a-z0-9_]+)["']\s*,\s*([A-Za-z_][A-Za-z0-9_]*)\s*(, must_pass=True)?\)""")
TAG = "exercise"


def exercise_cells(nb: dict) -> list[tuple[int, str, str]]:
    """(cell index, exercise name, the answer's name) of each cell tagged ``exercise``. Raises
    ValueError when one is not followed by a code cell that checks it."""
    found = []
    cells = nb["cells"]
    for i, cell in enumerate(cells):
        if TAG not in cell.get("metadata", {}).get("tags", []):
            continue
        after = next((c for c in cells[i + 1:] if c["cell_type"] == "code"), None)
        match = CHECK.search("".join(after["source"])) if after else None
        if cell["cell_type"] != "code" or not match:
            raise ValueError(f"cell {i} is tagged {TAG!r} but the next code cell has no exercises.check(\"NN.name\", answer)")
        found.append((i, match.group(1), match.group(2)))
    return found


def solved_source(source: str, name: str, answer: str) -> str:
    """The exercise cell ``source`` with the answer ``answer`` filled from exercise ``name``'s reference."""
    from workshop_utils import exercises

    ex = exercises.get(name)
    header = "".join(line for line in source.splitlines(keepends=True) if line.startswith("#"))
    if ex.is_function:
        if ex.reference.__name__ != answer:
            raise ValueError(f"{name}: the notebook writes {answer}, the reference is called {ex.reference.__name__}")
        return header + textwrap.dedent(inspect.getsource(ex.reference))
    slot = re.compile(rf"^{re.escape(answer)}\s*=\s*\.\.\.\s*(#.*)?$", re.M)
    if not slot.search(source):
        raise ValueError(f"{name}: the cell has no line '{answer} = ...' to fill")
    return slot.sub(f"{answer} = {ex.reference!r}", source)


def solve(nb: dict) -> dict:
    """Fill every exercise cell, and make its check cell fail loudly if the filled answer does not pass."""
    cells = nb["cells"]
    for i, name, answer in exercise_cells(nb):
        text = solved_source("".join(cells[i]["source"]), name, answer)
        cells[i]["source"] = text.splitlines(keepends=True)
        check = next(c for c in cells[i + 1:] if c["cell_type"] == "code")
        checked = CHECK.sub(lambda m: f'exercises.check("{m.group(1)}", {m.group(2)}, must_pass=True)', "".join(check["source"]), count=1)
        check["source"] = checked.splitlines(keepends=True)
    return nb


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else ROOT / "build" / "solutions"
    out.mkdir(parents=True, exist_ok=True)
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        nb = solve(json.loads(path.read_text()))
        (out / path.name).write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n")
        print(f"{out / path.name}: {len(exercise_cells(nb))} exercises filled")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
