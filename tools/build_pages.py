"""The instructors' slides and the course site: every notebook executed once on the fast path
(full size, offline data, recorded runs, no optimizer step), then rendered by nbconvert as reveal.js
slides and as HTML pages, with every script served from the build.

    python tools/build_pages.py execute       # build/executed/*.ipynb (and times.json: seconds per cell)
    python tools/build_pages.py slides        # build/slides/*.slides.html and build/slides/vendor/
    python tools/build_pages.py check-slides  # headless Chromium, network off: math renders, notes open
    python tools/build_pages.py site          # build/site/: index.html, a page per notebook, slides, the plan
    python tools/build_pages.py check-site    # every internal link and anchor of build/site/ resolves

``make slides`` runs the first three, ``make site`` the last two after them. The vendor scripts
come from the npm packages of ``slides/`` (``npm ci`` installs them into ``slides/node_modules``).
nbconvert's HTML drops ``image/gif`` outputs; the pages embed them as data URIs.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from notebook_runs import NOTEBOOKS, ROOT, cell_seconds, mode_env, run

EXECUTED = ROOT / "build" / "executed"
SLIDES = ROOT / "build" / "slides"
SITE = ROOT / "build" / "site"
TEMPLATES = ROOT / "slides" / "templates"
PACKAGES = ROOT / "slides" / "node_modules"
# npm package → what of it the slides load (copied into build/slides/vendor/PACKAGE/)
VENDOR = {
    "reveal.js": ("dist", "plugin"),
    "requirejs": ("require.js",),
    "jquery": ("dist",),
    "mathjax": ("MathJax.js", "config", "extensions", "fonts", "jax", "localization"),
    "font-awesome": ("css", "fonts"),
}
MATHJAX_CONFIG = "TeX-AMS_CHTML-full,Safe"  # nbconvert's default configuration, served locally


def fingerprint(path: Path) -> str:
    """A digest of a notebook and of the recordings its fast run replays."""
    import hashlib

    digest = hashlib.sha256(path.read_bytes())
    for item in sorted((ROOT / "data" / "pretrained").rglob("*")):
        if item.is_file():
            digest.update(f"{item.relative_to(ROOT)}:{item.stat().st_size}".encode())
    return digest.hexdigest()[:16]


def _execute_one(path: Path) -> dict:
    import nbformat

    with tempfile.TemporaryDirectory() as cwd:
        nb, seconds, calls = run(path, mode_env(WORKSHOP_FAST="1"), Path(cwd), count_steps=True, widget_state=False)
    nbformat.write(nb, EXECUTED / path.name)
    return {"seconds": round(seconds, 1), "optimizer_calls": calls, "fingerprint": fingerprint(path), "cells": cell_seconds(nb)}


def execute(numbers: list[str] | None = None) -> dict:
    """Execute the notebooks on the fast path into build/executed/ (two at a time, one per core),
    writing times.json (seconds, optimizer calls, the notebook's fingerprint); fail on any optimizer
    step."""
    from concurrent.futures import ProcessPoolExecutor

    EXECUTED.mkdir(parents=True, exist_ok=True)
    paths = [p for p in sorted(NOTEBOOKS.glob("*.ipynb")) if numbers is None or p.name[:2] in numbers]
    times_path = EXECUTED / "times.json"
    times = json.loads(times_path.read_text()) if times_path.is_file() else {}
    with ProcessPoolExecutor(2) as pool:
        for path, result in zip(paths, pool.map(_execute_one, paths)):
            times[path.name[:2]] = result
            print(f"{path.name}: {result['seconds']:.0f} s on the fast path, {result['optimizer_calls']} optimizer calls", flush=True)
    times_path.write_text(json.dumps(times, indent=1) + "\n")
    stepped = [n for n, r in times.items() if r["optimizer_calls"]]
    if stepped:
        raise SystemExit(f"notebook(s) {stepped} took optimizer steps on the fast path: a training cell has no recording")
    return times


def vendor(dest: Path) -> None:
    """Copy the pinned npm packages' files the pages load into ``dest``."""
    if not PACKAGES.is_dir():
        raise SystemExit(f"{PACKAGES} is missing: install the slides' scripts with (cd slides && npm ci)")
    for package, parts in VENDOR.items():
        for part in parts:
            source, target = PACKAGES / package / part, dest / package / part
            target.parent.mkdir(parents=True, exist_ok=True)
            if source.is_dir():
                shutil.copytree(source, target, dirs_exist_ok=True)
            else:
                shutil.copy2(source, target)


def exporter_config(prefix: str) -> dict:
    """nbconvert settings that point every script at ``prefix`` (the vendor folder, relative)."""
    return {
        "mathjax_url": f"{prefix}/mathjax/MathJax.js?config={MATHJAX_CONFIG}",
        "require_js_url": f"{prefix}/requirejs/require.js",
        "jquery_url": f"{prefix}/jquery/dist/jquery.min.js",
        "font_awesome_url": f"{prefix}/font-awesome/css/font-awesome.css",
    }


BADGE = re.compile(r"\[!\[Open In Colab\]\([^)]*\)\]\(([^)]*)\)")


def executed(suffix: str = ".html") -> list:
    """The executed notebooks, GIFs embedded and links to notebooks pointing at their pages
    (``NN_name`` + ``suffix``). In slides (which must work offline) the Open-in-Colab badge, an
    image on Colab's server, becomes a text link."""
    import nbformat

    sources = sorted(EXECUTED.glob("*.ipynb"))
    if not sources:
        raise SystemExit("no executed notebooks in build/executed/: run python tools/build_pages.py execute first")
    names = {p.name for p in sources}
    notebooks = []
    for source in sources:
        nb = nbformat.read(source, as_version=4)
        for cell in nb.cells:
            for out in cell.get("outputs", []):
                data = out.get("data", {})
                if "image/gif" in data and "text/html" not in data:  # nbconvert's HTML shows no GIF: a data URI does
                    data["text/html"] = f'<img src="data:image/gif;base64,{"".join(data["image/gif"]).strip()}" alt="animation">'
            if cell.cell_type == "markdown" and suffix == ".slides.html":
                cell.source = BADGE.sub(lambda m: f"[Open in Colab]({m.group(1)})", cell.source)
            if cell.cell_type == "markdown":
                cell.source = re.sub(r"\]\((\d\d_[\w.-]+)\.ipynb", lambda m: f"]({m.group(1)}{suffix}" if f"{m.group(1)}.ipynb"
                                     in names else m.group(0), cell.source)
        notebooks.append((source, nb))
    return notebooks


def render(kind: str, out: Path, vendor_prefix: str) -> list[Path]:
    """Render the executed notebooks as ``kind`` ("slides" or "html") into ``out``."""
    from nbconvert import HTMLExporter, SlidesExporter
    from traitlets.config import Config

    c = Config()
    c.TemplateExporter.extra_template_basedirs = [str(TEMPLATES)]
    if kind == "slides":
        c.SlidesExporter.update(exporter_config(vendor_prefix), reveal_url_prefix=f"{vendor_prefix}/reveal.js",
                                reveal_scroll=True, reveal_theme="white", template_name="course-reveal")
        exporter, suffix = SlidesExporter(config=c), ".slides.html"
    else:
        c.HTMLExporter.update(exporter_config(vendor_prefix), template_name="course-lab")
        exporter, suffix = HTMLExporter(config=c), ".html"
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for source, nb in executed(suffix):
        body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": source.stem}})
        target = out / (source.stem + suffix)
        target.write_text(body)
        written.append(target)
        print(f"{target.relative_to(ROOT)}: {len(body) / 1e6:.1f} MB", flush=True)
    return written


def slides() -> list[Path]:
    """build/slides/: every executed notebook as reveal.js slides, with vendor/."""
    vendor(SLIDES / "vendor")
    return render("slides", SLIDES, "vendor")


def site() -> Path:
    """build/site/: an index, a page per notebook, its slides, the teaching plan, and vendor/."""
    from nbconvert.filters import markdown2html

    shutil.rmtree(SITE, ignore_errors=True)
    vendor(SITE / "vendor")
    pages = render("html", SITE, "vendor")
    decks = render("slides", SITE / "slides", "../vendor")
    plan = markdown2html((ROOT / "INSTRUCTORS.md").read_text())
    (SITE / "instructors.html").write_text(_page("Teaching with the course", plan))
    rows = []
    for page, deck, (source, nb) in zip(pages, decks, executed()):
        title_cell = nb.cells[0].source.split("\n")
        title = title_cell[0].lstrip("# ").strip()
        summary = next((line for line in title_cell[1:] if line.strip() and not line.startswith("[![")), "")
        colab = f"https://colab.research.google.com/github/gan-workshop/gan-workshop/blob/main/notebooks/{source.name}"
        rows.append(f'<tr><td>{source.name[:2]}</td><td><a href="{page.name}">{html.escape(title)}</a><br>'
                    f'<small>{html.escape(summary)}</small></td><td><a href="slides/{deck.name}">slides</a></td>'
                    f'<td><a href="{colab}"><img src="https://colab.research.google.com/assets/colab-badge.svg" '
                    f'alt="Open In Colab"></a></td></tr>')
    body = ("<h1>Generative Adversarial Networks: the workshop</h1>"
            "<p>Seven notebooks, executed on the instructors' fast path (recorded runs on the offline data). "
            'Run them yourself on Colab, or read the <a href="instructors.html">teaching plan</a>.</p>'
            "<table><tr><th>#</th><th>notebook</th><th>slides</th><th>Colab</th></tr>" + "".join(rows) + "</table>")
    (SITE / "index.html").write_text(_page("GAN workshop", body))
    print(f"{SITE.relative_to(ROOT)}/index.html: {len(pages)} pages, {len(decks)} slide decks", flush=True)
    return SITE


def _page(title: str, body: str) -> str:
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            '<style>body{font-family:sans-serif;max-width:60em;margin:2em auto;padding:0 1em;line-height:1.5}'
            "td{padding:.4em;vertical-align:top}table{border-collapse:collapse}tr{border-bottom:1px solid #ddd}</style>"
            f"</head><body>{body}</body></html>\n")


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.ids = [], set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("name"):
            self.ids.add(attrs["name"])
        for name in ("href", "src"):
            if attrs.get(name):
                self.links.append(attrs[name])


def check_site() -> None:
    """Every internal link (href and src) of every page in build/site/ names a file that exists, and
    every #fragment an id of its page."""
    pages = {p: _Links() for p in SITE.rglob("*.html") if "vendor" not in p.relative_to(SITE).parts}
    for page, parser in pages.items():
        parser.feed(page.read_text())
    broken = []
    for page, parser in pages.items():
        for link in parser.links:
            parts = urlsplit(link)
            if parts.scheme or link.startswith("//"):
                continue  # data: URIs and external sites (Colab, GitHub): not the site's to check
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if not target.exists():
                broken.append(f"{page.relative_to(SITE)}: {link}")
            elif parts.fragment and target in pages and unquote(parts.fragment) not in {unquote(i) for i in pages[target].ids}:
                broken.append(f"{page.relative_to(SITE)}: {link} (no such anchor)")
    if broken:
        raise SystemExit("broken internal links:\n  " + "\n  ".join(broken[:30]))
    print(f"build/site: {len(pages)} pages, {sum(len(p.links) for p in pages.values())} links, all internal ones resolve")


def check() -> None:
    """Open every deck in headless Chromium with the network off: nothing is asked of the network,
    its math renders, and the speaker view opens (key ``s``) with the notes."""
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(ROOT / "tests"))
    from test_browser import CHROMIUM, CHROMIUM_ARGS

    decks = sorted(SLIDES.glob("*.slides.html"))
    if not decks:
        raise SystemExit("no slides in build/slides/: run python tools/build_pages.py slides first")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for deck in decks:
            _check_deck(browser, deck)
        browser.close()


def _check_deck(browser, deck: Path) -> None:
    """One deck: offline, its formulas render without errors, it has notes, the speaker view opens."""
    context = browser.new_context(offline=True)
    remote = []
    context.route("**/*", lambda route: (remote.append(route.request.url), route.abort())
                  if not route.request.url.startswith(("file:", "data:", "about:")) else route.continue_())
    page = context.new_page()
    page.goto(deck.as_uri())
    page.wait_for_function("() => window.MathJax && MathJax.Hub && MathJax.Hub.queue.running === 0 "
                           "&& MathJax.Hub.queue.pending === 0", timeout=60_000)
    page.wait_for_selector(".MathJax_CHTML", state="attached", timeout=60_000)
    rendered = page.locator(".MathJax_CHTML").count()
    errors = page.locator(".MathJax_Error, .mjx-merror").count()
    notes = page.locator("aside.notes").count()
    with page.expect_popup(timeout=30_000) as popup:
        page.keyboard.press("s")
    speaker = popup.value
    speaker.wait_for_load_state()
    speaker.wait_for_selector(".speaker-controls-notes", timeout=30_000)
    context.close()
    if remote:
        raise SystemExit(f"{deck.name} asked the network for {sorted(set(remote))[:5]}")
    if not rendered or errors:
        raise SystemExit(f"{deck.name}: {rendered} formulas rendered, {errors} MathJax errors")
    if not notes:
        raise SystemExit(f"{deck.name} has no speaker notes (notes cells)")
    print(f"{deck.name}: offline, {rendered} formulas rendered, {notes} notes, speaker view opens")


if __name__ == "__main__":
    commands = {"execute": execute, "slides": slides, "check-slides": check, "site": site, "check-site": check_site}
    for command in sys.argv[1:] or list(commands):
        if command not in commands:
            raise SystemExit(f"unknown command {command!r}; use {', '.join(commands)}")
        commands[command]()
