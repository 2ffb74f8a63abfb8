"""Give every notebook cell without one a slide type (``metadata.slideshow.slide_type``), the
metadata RISE and ``nbconvert --to slides`` read, by the course's rules:

- a ``# `` or ``## `` heading starts a slide, a ``### `` heading a sub-slide (below it);
- the setup and import cells are skipped (nothing to show);
- a speaker-notes cell (id ``notes-…``) is ``notes``;
- any other code cell is a fragment: the slide's text first, its code and output on the next click;
- other markdown continues the slide it follows (``-``).

Cells that already have a slide type keep it (a fragment chosen by hand stays a fragment).

It also rewrites the **Time:** line of every speaker-notes cell (the cell after each ``## ``
heading and after the title) from the measured runs in ``benchmarks/results/fast_path.json``: how
long the section's cells ran at full size and on the fast path, and how long its text is.

    python tools/slide_metadata.py [NOTEBOOK ...]    # default: every notebook in notebooks/
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
TIMES = ROOT / "benchmarks" / "results" / "fast_path.json"
WORDS_PER_MINUTE = 130  # a lecturer's pace, for reading a section's text aloud
SKIPPED = ("# Setup:", "import ", "from ")  # code cells that only set up or import


def slide_type(cell: dict) -> str:
    """The rule's slide type for one cell."""
    src = "".join(cell["source"]).lstrip()
    if cell.get("id", "").startswith("notes-"):
        return "notes"
    if cell["cell_type"] == "markdown":
        if src.startswith(("# ", "## ")):
            return "slide"
        if src.startswith("### "):
            return "subslide"
        return "-"
    lines = [line for line in src.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    if src.startswith(SKIPPED[0]) or (lines and all(line.startswith(SKIPPED[1:]) for line in lines)):
        return "skip"
    return "fragment"


def sections(cells: list[dict]) -> list[tuple[int, int]]:
    """(first, end) cell indices of the title's part and of each ``## `` section."""
    starts = [0] + [i for i, c in enumerate(cells) if i and c["cell_type"] == "markdown"
                    and "".join(c["source"]).startswith("## ")]
    return list(zip(starts, starts[1:] + [len(cells)]))


def time_line(cells: list[dict], first: int, end: int, measured: dict | None) -> str:
    """The **Time:** line of one section's notes."""
    words = sum(len(re.findall(r"\w+", "".join(c["source"]))) for c in cells[first:end]
                if c["cell_type"] == "markdown" and not c.get("id", "").startswith("notes-"))
    read = f"its text is {words:,} words (about {max(1, round(words / WORDS_PER_MINUTE))} min read aloud)"
    if not measured:
        return f"**Time:** not measured yet; {read}."
    ids = [c.get("id") for c in cells[first:end] if c["cell_type"] == "code"]
    full, fast = (_run_span(measured, run, ids) for run in ("full", "fast"))
    return (f"**Time:** its cells ran in {full} at full size and {fast} on the fast path "
            f"({measured['machine']}, {measured['date']}); {read}.")


def _run_span(measured: dict, run: str, ids: list[str]) -> str:
    """The summed seconds of cells ``ids`` in one measured run, or "(not measured)"."""
    if run not in measured:
        return "(not measured)"
    return _span(sum(measured[run]["cells"].get(i, 0.0) for i in ids))


def _span(seconds: float) -> str:
    return f"{seconds:.0f} s" if seconds < 90 else f"{seconds / 60:.1f} min"


def apply(path: Path) -> int:
    """Fill the missing slide types and rewrite the notes' time lines of one notebook; returns how
    many cells changed."""
    nb = json.loads(path.read_text())
    times = json.loads(TIMES.read_text()) if TIMES.is_file() else {}
    measured = times.get(path.name[:2])
    before = json.dumps(nb)
    for cell in nb["cells"]:
        show = cell["metadata"].setdefault("slideshow", {})
        show.setdefault("slide_type", slide_type(cell))
    cells = nb["cells"]
    for first, end in sections(cells):
        notes = cells[first + 1] if first + 1 < len(cells) else None
        if notes is None or not notes.get("id", "").startswith("notes-"):
            continue
        text = "".join(notes["source"])
        text = re.sub(r"\*\*Time:\*\*.*", lambda m: time_line(cells, first, end, measured), text)
        notes["source"] = [line + "\n" for line in text.split("\n")[:-1]] + [text.split("\n")[-1]]
    changed = sum(a != b for a, b in zip(json.loads(before)["cells"], cells))
    if changed:
        path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n")
    return changed


def section_table() -> str:
    """Every section of every notebook: its words, and its cells' measured seconds at full size and
    on the fast path (INSTRUCTORS.md's table)."""
    times = json.loads(TIMES.read_text()) if TIMES.is_file() else {}
    lines = ["| notebook | section | words (read aloud) | cells at full size | cells on the fast path |", "|---|---|---|---|---|"]
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        cells, measured = json.loads(path.read_text())["cells"], times.get(path.name[:2], {})
        for first, end in sections(cells):
            heading = "".join(cells[first]["source"]).split("\n")[0].lstrip("# ").replace("|", "\\|")
            words = sum(len(re.findall(r"\w+", "".join(c["source"]))) for c in cells[first:end]
                        if c["cell_type"] == "markdown" and not c.get("id", "").startswith("notes-"))
            ids = [c.get("id") for c in cells[first:end] if c["cell_type"] == "code"]
            run = {k: _run_span(measured, k, ids) for k in ("full", "fast")}
            lines.append(f"| {path.name[:2]} | {heading} | {words:,} ({max(1, round(words / WORDS_PER_MINUTE))} min) | "
                         f"{run['full']} | {run['fast']} |")
    return "\n".join(lines)


if __name__ == "__main__":
    for path in [Path(p) for p in sys.argv[1:]] or sorted(NOTEBOOKS.glob("*.ipynb")):
        print(f"{path.name}: {apply(path)} cells changed")
    guide = ROOT / "INSTRUCTORS.md"
    if guide.is_file():
        sys.path.insert(0, str(ROOT / "data"))
        import _sections

        _sections.write_section("section-times", section_table(), guide)
