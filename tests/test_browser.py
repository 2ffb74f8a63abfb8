"""The interactive demos end to end in headless Chromium: 01's θ slider, 05's α slider and its button.

Each front end gets one notebook server (a free localhost port, a token) serving copies of 01 and 05
reduced to their cells tagged ``widget-setup`` and ``widget``. The test runs those cells from the
keyboard as a user would, moves the slider with the arrow keys, clicks the button, and compares
screenshots of the widget's output element (its picture, not the slider's thumb) before and after.

- ``lab``: JupyterLab 4 with ipywidgets 8, from this environment (``make test``).
- RISE (``jupyterlab-rise``) presents notebook 01 as a live slideshow in the ``lab`` server.
- ``classic``: Notebook 6.5 with ipywidgets 7.7.1 from the Colab twin's environment, named by
  ``WORKSHOP_TWIN_VENV`` (``make colab`` sets it); the closest proxy we can run for Colab's frontend.

Chromium is Debian's (``/usr/bin/chromium``, or ``CHROMIUM``), driven by Playwright. Without it the
test skips with one line, except under ``CI=true``, where it fails. Screenshots go to ``build/browser/``.
"""

from __future__ import annotations

import io
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import numpy as np
import pytest
from playwright.sync_api import expect, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "build" / "browser"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# The flags a root, offline machine needs (no sandbox as root; no background calls to Google's hosts).
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
TIMEOUT_MS = 120_000  # the first cells import TensorFlow and load the pretrained generators

# Per front end: the server's command (after the jupyter executable), its notebook URL, and selectors.
FRONTENDS = {
    "lab": dict(app="lab", url="lab/tree/{name}", handle=".widget-slider .noUi-handle", stderr=".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']",
                cell=".jp-Notebook .jp-Cell", prompt=".jp-InputArea-prompt", idle="#jp-main-statusbar :text('Idle')"),
    "classic": dict(app="notebook", url="notebooks/{name}", handle=".widget-slider .ui-slider-handle", stderr=".output_stderr, .output_error",
                    cell="#notebook-container .cell", prompt=".input_prompt", idle="#kernel_indicator_icon.kernel_idle_icon"),
}
SLIDESHOW = "slideshow-01.ipynb"  # notebook 01 whole, presented with RISE
WIDGET_ERRORS = ("Error displaying widget", "Failed to display Jupyter Widget", "Error rendering")  # ipywidgets 8 and 7


def _jupyter(frontend: str) -> Path:
    if frontend == "lab":
        return Path(sys.executable).parent / "jupyter"
    venv = os.environ.get("WORKSHOP_TWIN_VENV")
    if not venv:
        pytest.skip("classic Notebook 6.5 with ipywidgets 7 runs in the Colab twin: make colab")
    jupyter = Path(venv).resolve() / "bin" / "jupyter"
    if not jupyter.is_file():
        pytest.fail(f"WORKSHOP_TWIN_VENV={venv} has no bin/jupyter; build the twin with make colab")
    return jupyter


def _need_chromium() -> None:
    if Path(CHROMIUM).is_file():
        return
    message = f"no Chromium at {CHROMIUM}: apt-get install chromium (or set CHROMIUM)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def reduced_notebook(path: Path) -> dict:
    """The notebook with only its ``widget-setup`` and ``widget`` cells, in order."""
    nb = json.loads(path.read_text())
    nb["cells"] = [c for c in nb["cells"] if {"widget-setup", "widget"} & set(c.get("metadata", {}).get("tags", []))]
    return nb


@pytest.fixture(scope="module", params=list(FRONTENDS))
def server(request, tmp_path_factory):
    """(front end, base URL, token) of a running notebook server on the reduced notebooks."""
    frontend = request.param
    jupyter = _jupyter(frontend)
    _need_chromium()
    root = tmp_path_factory.mktemp(f"browser-{frontend}")
    for name in ("01_toy_1d_gan.ipynb", "05_latent_space.ipynb"):
        (root / name).write_text(json.dumps(reduced_notebook(ROOT / "notebooks" / name), indent=1))
    shutil.copy(ROOT / "notebooks" / "01_toy_1d_gan.ipynb", root / SLIDESHOW)  # whole, for the RISE slideshow
    port, token = _free_port(), secrets.token_hex(16)
    env = {**os.environ, "WORKSHOP_SMOKE": "1", "WORKSHOP_OFFLINE": "1", "TF_CPP_MIN_LOG_LEVEL": "2",
           "JUPYTER_CONFIG_DIR": str(root / ".jupyter-config"), "JUPYTER_RUNTIME_DIR": str(root / ".jupyter-runtime")}
    if frontend == "lab":  # no "official Jupyter news?" toast over the cells
        news = root / ".jupyter-config" / "lab" / "user-settings" / "@jupyterlab" / "apputils-extension"
        news.mkdir(parents=True)
        (news / "notification.jupyterlab-settings").write_text('{"fetchNews": "false"}')
    cfg = "ServerApp" if frontend == "lab" else "NotebookApp"
    log = open(root / "server.log", "w")
    proc = subprocess.Popen([str(jupyter), FRONTENDS[frontend]["app"], "--no-browser", f"--port={port}", "--ip=127.0.0.1",
                             f"--{cfg}.token={token}", f"--{cfg}.port_retries=0", "--allow-root"],
                            cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{base}api/status?token={token}", timeout=2)
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"the {frontend} server did not start:\n{(root / 'server.log').read_text()[-3000:]}")
                time.sleep(0.5)
        yield frontend, base, token
    finally:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="module")
def browser():
    _need_chromium()
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


def _pixels(png: bytes) -> np.ndarray:
    import matplotlib.image

    return matplotlib.image.imread(io.BytesIO(png), format="png")


def _changed(before: np.ndarray, after: np.ndarray) -> bool:
    return before.shape != after.shape or bool(np.any(before != after))


def _wait_for_new_picture(locator, before: np.ndarray, what: str, timeout_s: float = 30.0) -> np.ndarray:
    """The output element's pixels once they differ from ``before`` and have settled (two equal shots)."""
    deadline = time.monotonic() + timeout_s
    last = None
    while time.monotonic() < deadline:
        now = _pixels(locator.screenshot())
        if _changed(before, now) and last is not None and not _changed(last, now):
            return now
        last = now
        time.sleep(0.3)
    raise AssertionError(f"the widget's output did not change within {timeout_s:.0f} s after {what}")


def _open_and_run(page, frontend: str, base: str, token: str, name: str, n_cells: int):
    """Open the notebook and run its cells one by one with Shift+Enter; returns the last cell once its
    execution count shows it has finished."""
    sel = FRONTENDS[frontend]
    page.goto(f"{base}{sel['url'].format(name=name)}?token={token}" + ("&reset" if frontend == "lab" else ""))
    cells = page.locator(sel["cell"])
    cells.nth(n_cells - 1).wait_for(timeout=TIMEOUT_MS)
    page.locator(sel["idle"]).first.wait_for(timeout=TIMEOUT_MS)  # the kernel has started
    for i in range(n_cells):
        prompt = cells.nth(i).locator(sel["prompt"]).first
        prompt.click()
        page.keyboard.press("Shift+Enter")
        _wait_for_prompt(prompt, "[*]|[0-9]", f"cell {i + 1} of {name} to start")
    _wait_for_prompt(cells.nth(n_cells - 1).locator(sel["prompt"]).first, "[0-9]", f"the last cell of {name} to finish")
    return cells.nth(n_cells - 1)


def _wait_for_prompt(prompt, pattern: str, what: str) -> None:
    """Wait until the execution prompt ("[ ]:", "In [*]:", "[3]:") matches ``[`` + ``pattern``."""
    try:
        expect(prompt).to_have_text(re.compile(r"\[(" + pattern + ")"), timeout=TIMEOUT_MS)
    except AssertionError as e:
        raise AssertionError(f"waited {TIMEOUT_MS / 1000:.0f} s for {what}: {e}") from None


def _assert_no_errors(page, frontend: str, name: str) -> None:
    text = page.locator(FRONTENDS[frontend]["stderr"]).all_inner_texts()
    errors = [t for t in text if any(word in t for word in ("Error", "Traceback"))]
    assert not errors, f"{name} in {frontend}: an error appeared in the output:\n" + "\n".join(errors)[-3000:]
    body = page.locator("body").inner_text()
    assert not any(message in body for message in WIDGET_ERRORS), f"{name} in {frontend}: a widget failed to render"


@pytest.mark.parametrize("name, button", [("01_toy_1d_gan.ipynb", False), ("05_latent_space.ipynb", True)],
                         ids=["01-theta", "05-alpha"])
def test_widget_responds_in_the_browser(server, browser, name, button):
    frontend, base, token = server
    n_cells = len(reduced_notebook(ROOT / "notebooks" / name)["cells"])
    SHOTS.mkdir(parents=True, exist_ok=True)
    stem = f"{frontend}-{name[:2]}"
    for old in SHOTS.glob(f"{stem}-*.png"):
        old.unlink()
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    page.set_default_timeout(TIMEOUT_MS)
    try:
        cell = _open_and_run(page, frontend, base, token, name, n_cells)
        handle = cell.locator(FRONTENDS[frontend]["handle"]).first
        output = cell.locator("img.widget-image").first  # the widget's picture
        output.wait_for(timeout=TIMEOUT_MS)
        before = _wait_for_new_picture(output, np.zeros(0), "the first draw")
        cell.screenshot(path=SHOTS / f"{stem}-before.png")
        _assert_no_errors(page, frontend, name)

        handle.focus()
        for _ in range(4):
            page.keyboard.press("ArrowRight")
        after_slider = _wait_for_new_picture(output, before, "the slider moved four steps right")
        cell.screenshot(path=SHOTS / f"{stem}-after-slider.png")
        _assert_no_errors(page, frontend, name)

        if button:
            cell.get_by_role("button", name="new endpoints").click()
            _wait_for_new_picture(output, after_slider, "the button was clicked")
            cell.screenshot(path=SHOTS / f"{stem}-after-button.png")
            _assert_no_errors(page, frontend, name)
    except Exception:
        page.screenshot(path=SHOTS / f"{stem}-failure.png", full_page=True)
        raise
    finally:
        page.close()


def test_reduced_notebooks_hold_a_widget_and_its_setup():
    for name in ("01_toy_1d_gan.ipynb", "05_latent_space.ipynb"):
        cells = reduced_notebook(ROOT / "notebooks" / name)["cells"]
        tags = [c["metadata"]["tags"] for c in cells]
        assert tags[-1] == ["widget"] and all("widget-setup" in t for t in tags[:-1]), name
        assert "runtime.setup" in "".join(cells[0]["source"]), f"{name}: the setup cell comes first"


def test_a_notebook_starts_as_a_rise_slideshow(server, browser):
    """``make course`` opens notebooks that present as slides: RISE's page of 01 shows its title slide."""
    frontend, base, token = server
    if frontend != "lab":
        pytest.skip("jupyterlab-rise is a JupyterLab extension")
    page = browser.new_page()
    try:
        page.goto(f"{base}rise/{SLIDESHOW}?token={token}")
        present = page.locator(".reveal .slides section.present")
        present.first.wait_for(timeout=TIMEOUT_MS)
        expect(present.first).to_contain_text("A GAN you can see", timeout=TIMEOUT_MS)
        assert page.locator(".reveal .slides section").count() > 10  # one per slide of the notebook
        page.keyboard.press("ArrowRight")
        expect(page.locator(".reveal .slides section.present").first).not_to_contain_text("A GAN you can see")
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "lab-rise-01.png"))
    finally:
        page.close()
