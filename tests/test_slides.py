"""Slides from the same notebooks: every cell has a slide type, every section speaker notes, and the
slides' scripts come from the pinned npm packages (make slides renders and checks them in Chromium)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import build_pages  # noqa: E402
import slide_metadata  # noqa: E402

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
TYPES = {"slide", "subslide", "fragment", "skip", "notes", "-"}


def cells(path: Path) -> list[dict]:
    return json.loads(path.read_text())["cells"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name[:2])
def test_every_cell_has_a_slide_type(path):
    for cell in cells(path):
        assert cell["metadata"].get("slideshow", {}).get("slide_type") in TYPES, f"{path.name} {cell['id']}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name[:2])
def test_every_section_has_speaker_notes(path):
    nb = cells(path)
    for i, cell in enumerate(nb):
        src = "".join(cell["source"])
        if cell["cell_type"] == "markdown" and (src.startswith("## ") or i == 0):
            notes = nb[i + 1]
            assert notes["id"] == f"notes-{cell['id']}", f"{path.name}: no notes after {src.splitlines()[0]!r}"
            assert notes["metadata"]["slideshow"]["slide_type"] == "notes"
            text = "".join(notes["source"])
            assert "**Say:**" in text and "**Ask:**" in text and "**Time:**" in text, f"{path.name} {notes['id']}"


def test_the_rules_give_headings_slides_and_skip_the_setup():
    assert slide_metadata.slide_type({"cell_type": "markdown", "source": ["## 2. A section"], "id": "a"}) == "slide"
    assert slide_metadata.slide_type({"cell_type": "markdown", "source": ["### A part"], "id": "b"}) == "subslide"
    assert slide_metadata.slide_type({"cell_type": "code", "source": ["import numpy as np\n", "from x import y"], "id": "c"}) == "skip"
    assert slide_metadata.slide_type({"cell_type": "code", "source": ["run.train()"], "id": "d"}) == "fragment"
    assert slide_metadata.slide_type({"cell_type": "markdown", "source": ["Say this."], "id": "notes-a"}) == "notes"


def test_every_script_the_slides_load_is_a_pinned_npm_package():
    pinned = json.loads((ROOT / "slides" / "package.json").read_text())["dependencies"]
    lock = json.loads((ROOT / "slides" / "package-lock.json").read_text())["packages"]
    assert set(build_pages.VENDOR) == set(pinned)
    for package, version in pinned.items():
        assert lock[f"node_modules/{package}"]["version"] == version
    for url in build_pages.exporter_config("vendor").values():
        assert url.startswith("vendor/") and url.split("/")[1] in pinned
