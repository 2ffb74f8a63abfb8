# Two commands on a fresh machine (Python 3.11, no GPU, only the package index reachable):
#   make course   install into .venv and start JupyterLab on notebooks/
#   make test     install into .venv and run the whole test suite (unit tests + nbval smoke runs)
#   make colab    the Colab twin: every notebook under Colab's Python 3.13 and package versions,
#                 installed by its own setup cell from a clone, then the widgets in classic Notebook
# and, for people without a browser:
#   make html     install into .venv and execute every notebook headless into build/*.html
#   make solutions  a copy of every notebook with its "Your turn" cells filled, in build/solutions/
# and, for instructors:
#   make slides   every notebook executed once on the fast path (recorded runs, no training) and
#                 rendered as reveal.js slides into build/slides/, served offline (needs npm)
#   make site     the course site from the same execution: build/site/index.html, a page and
#                 slides per notebook, the teaching plan (INSTRUCTORS.md); internal links checked

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# Jupyter refuses to start as root unless told; containers and cloud VMs often run as root.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: install course test colab html solutions slides site clean

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt -e .
	touch $(STAMP)

install: $(STAMP)

course: $(STAMP)
	$(BIN)/jupyter lab $(ROOT_FLAG) notebooks/

test: $(STAMP)
	WORKSHOP_SMOKE=1 WORKSHOP_OFFLINE=1 $(BIN)/python -m pytest -n 2 --dist loadfile --nbval tests notebooks

colab: $(STAMP)
	colab/twin.sh

html: $(STAMP)
	mkdir -p build
	$(BIN)/jupyter nbconvert --to html --execute --ExecutePreprocessor.timeout=3600 \
		--output-dir build notebooks/*.ipynb

SLIDES_JS := slides/node_modules/.installed

$(SLIDES_JS): slides/package.json slides/package-lock.json
	cd slides && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $(SLIDES_JS)

# One fast-path execution of every notebook feeds both the slides and the site; it is redone only
# when a notebook or a recording changes.
EXECUTED := build/executed/times.json

$(EXECUTED): $(STAMP) $(wildcard notebooks/*.ipynb) $(shell find data/pretrained -type f 2>/dev/null)
	$(BIN)/python tools/build_pages.py execute

slides: $(EXECUTED) $(SLIDES_JS)
	$(BIN)/python tools/build_pages.py slides check-slides

site: $(EXECUTED) $(SLIDES_JS)
	$(BIN)/python tools/build_pages.py site check-site

solutions: $(STAMP)
	$(BIN)/python tools/make_solutions.py build/solutions

clean:
	rm -rf $(VENV) build slides/node_modules
