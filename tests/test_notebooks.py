"""Conventions every notebook follows (nbval re-executes them; this checks how they are committed)."""

import json
import re
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))
README = (Path(__file__).resolve().parent.parent / "README.md").read_text()
REPO_WEB = "https://github.com/gan-workshop/gan-workshop/blob/main/"
# Cell tags are content: the browser test runs the cells tagged widget-setup and widget.
TAGS = {"widget-setup", "widget"}


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
        assert set(cell.get("metadata", {})) <= {"tags"}, "cell metadata holds nothing but tags"
        assert set(cell.get("metadata", {}).get("tags", [])) <= TAGS, f"unknown tags; the known ones are {sorted(TAGS)}"
    assert set(nb["metadata"]) <= {"kernelspec", "language_info"}
    title = "".join(cells[0]["source"])
    assert title.startswith("# ")
    badge = f"https://colab.research.google.com/github/gan-workshop/gan-workshop/blob/main/notebooks/{path.name}"
    assert badge in title, "the first cell carries the Open-in-Colab badge for this notebook"
    setup = next(c for c in cells if c["cell_type"] == "code")
    src = "".join(setup["source"])
    assert "google.colab" in src and "%pip install" in src and "REPO_URL" in src and "runtime.setup" in src
    assert src.count("https://github.com/gan-workshop/gan-workshop") == 1, "the repository URL is written once"
    assert 'os.environ.get("WORKSHOP_REPO_URL"' in src, "the Colab twin points the setup cell at a local clone"
    code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    assert "WORKSHOP_SMOKE" not in code, "smoke mode is read only through workshop_utils.config"
    assert path.name in README, "README's notebook table lists every notebook"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_markdown_works_from_an_installed_package(path):
    """On Colab there is no checkout: repository files are links to the web page, and commands for the
    command line are written to run in a code cell (``!python -m workshop_utils ...``)."""
    for cell in json.loads(path.read_text())["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        text = "".join(cell["source"])
        for span in re.finditer(r"`[^`\n]*\b(benchmarks|tests)/[^`\n]*`", text):
            after = text[span.end():]
            assert text[span.start() - 1] == "[" and after.startswith(f"]({REPO_WEB}"), \
                f"{span.group(0)} is not a link to the repository's web page"
        for command in re.finditer(r"(.)python -m workshop_utils", text):
            assert command.group(1) == "!", f"...{text[max(0, command.start() - 40):command.end() + 20]}...: write it as !python -m ..."
        assert "```bash" not in text, "terminal-only blocks do not run on Colab; write ! commands"
