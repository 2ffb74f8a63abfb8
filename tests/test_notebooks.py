"""Conventions every notebook follows (nbval re-executes them; this checks how they are committed)."""

import json
import re
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))
README = (Path(__file__).resolve().parent.parent / "README.md").read_text()


def test_there_are_notebooks():
    assert [p.name[:2] for p in NOTEBOOKS][:2] == ["01", "02"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_clean_and_follows_conventions(path):
    nb = json.loads(path.read_text())
    assert re.fullmatch(r"\d\d_[a-z0-9_]+\.ipynb", path.name)
    cells = nb["cells"]
    for cell in cells:
        if cell["cell_type"] == "code":
            assert cell.get("outputs") == [] and cell.get("execution_count") is None, "outputs must be stripped"
        assert not cell.get("metadata"), "cell metadata must be empty"
    assert set(nb["metadata"]) <= {"kernelspec", "language_info"}
    title = "".join(cells[0]["source"])
    assert title.startswith("# ")
    badge = f"https://colab.research.google.com/github/gan-workshop/gan-workshop/blob/main/notebooks/{path.name}"
    assert badge in title, "the first cell carries the Open-in-Colab badge for this notebook"
    setup = next(c for c in cells if c["cell_type"] == "code")
    src = "".join(setup["source"])
    assert "google.colab" in src and "%pip install" in src and "REPO_URL" in src and "runtime.setup" in src
    code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    assert "WORKSHOP_SMOKE" not in code, "smoke mode is read only through workshop_utils.config"
    assert path.name in README, "README's notebook table lists every notebook"
