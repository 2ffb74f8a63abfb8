"""Conventions every notebook follows (nbval re-executes them; this checks how they are committed)."""

import json
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
import make_solutions  # noqa: E402

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))
README = (Path(__file__).resolve().parent.parent / "README.md").read_text()
REPO_WEB = "https://github.com/gan-workshop/gan-workshop/blob/main/"
# Cell tags are content: the browser test runs the cells tagged widget-setup and widget; a cell
# tagged exercise is a "Your turn" cell (tools/make_solutions.py fills it for build/solutions/).
TAGS = {"widget-setup", "widget", "exercise", "training"}


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
        assert set(cell.get("metadata", {})) <= {"tags", "slideshow"}, "cell metadata holds nothing but tags and slide types"
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


def _exercises(path):
    return make_solutions.exercise_cells(json.loads(path.read_text()))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_exercise_cells_are_undone_and_checked_at_once(path):
    """Each "Your turn" cell is shipped undone (its answer is ...) and the next code cell checks it
    under a name of this notebook; two to four per notebook."""
    found = _exercises(path)
    assert 2 <= len(found) <= 4, f"{path.name} has {len(found)} exercises"
    nb = json.loads(path.read_text())
    for i, name, answer in found:
        assert name.startswith(path.name[:2] + "."), f"{name} belongs to another notebook"
        source = "".join(nb["cells"][i]["source"])
        assert re.search(r"^\s*\.\.\.\s*$|= \.\.\.(\s*#.*)?$", source, re.M), f"{name} is shipped undone"
        assert re.search(rf"^(def {answer}\(|{answer} = )", source, re.M), f"the cell defines {answer}"


def test_every_exercise_is_in_its_notebook_once():
    from workshop_utils import exercises

    in_notebooks = [name for path in NOTEBOOKS for _, name, _ in _exercises(path)]
    assert sorted(in_notebooks) == exercises.names()


def test_solved_copies_require_every_check_to_pass():
    """make solutions turns each check cell into check(..., must_pass=True), so a filled answer that
    fails stops the twin's run instead of printing a hint."""
    for path in NOTEBOOKS:
        nb = make_solutions.solve(json.loads(path.read_text()))
        for i, name, answer in make_solutions.exercise_cells(nb):
            check = next(c for c in nb["cells"][i + 1:] if c["cell_type"] == "code")
            assert f'exercises.check("{name}", {answer}, must_pass=True)' in "".join(check["source"])


def test_solved_cells_pass_their_checks(capsys):
    """What make solutions writes into each exercise cell passes the checker."""
    from workshop_utils import exercises

    for path in NOTEBOOKS:
        nb = json.loads(path.read_text())
        imports = next("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"
                       and re.fullmatch(r"((import|from) [^\n]*\n*)+", "".join(c["source"])))
        for i, name, answer in _exercises(path):
            scope = {}
            exec(imports, scope)  # the notebook's own imports, as the solved cell meets them
            exec(make_solutions.solved_source("".join(nb["cells"][i]["source"]), name, answer), scope)
            assert exercises.verdict(name, scope[answer]).passed, name
