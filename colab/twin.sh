#!/usr/bin/env bash
# The Colab twin (make colab): every notebook, its exercises solved, under Colab's Python and package versions, with the
# course installed by the notebooks' own setup cells from a git clone of this checkout, run in smoke
# mode from a folder outside any checkout; then Colab's pins are checked, and the widgets are tested in
# classic Notebook 6.5 with ipywidgets 7.7.1 (the closest proxy for Colab's own widget frontend).
#
#   COLAB_PYTHON   the Python 3.13 to build the twin with (default: pyenv's newest 3.13)
#   COLAB_STAGES   which stages to run (default: "notebooks pins browser")
#
# The twin's virtual environment is kept in build/colab/venv and rebuilt when constraints.txt changes.
# The clone is of the last commit: uncommitted changes are not in it (a warning says so).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$ROOT/build/colab
VENV=$BUILD/venv
CONSTRAINTS=$ROOT/colab/constraints.txt
STAGES=${COLAB_STAGES:-notebooks pins browser}
# Colab's Python is 3.13.x: the newest 3.13 pyenv has (3.13.0 on these machines), else python3.13 on PATH.
PYENV_ROOT=${PYENV_ROOT:-$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")}
PY=${COLAB_PYTHON:-$(ls -d "$PYENV_ROOT"/versions/3.13.* 2>/dev/null | sort -V | tail -1)/bin/python3}
[ -x "$PY" ] || PY=$(command -v python3.13 || echo python3.13)
# What the course and the test harness need, installed at Colab's versions. The course's other
# dependencies (those Colab lacks) are left for the setup cell's own pip install, as on Colab.
PACKAGES="tensorflow keras tensorflow-datasets numpy scipy matplotlib scikit-image ipywidgets imageio tqdm
kagglehub ipython ipykernel jupyter_client traitlets notebook widgetsnbextension protobuf pytest nbval pytest-xdist"

say() { printf 'colab twin: %s\n' "$*"; }
minutes() { awk -v s="$1" -v e="$(date +%s)" 'BEGIN { printf "%.1f", (e - s) / 60 }'; }

if [ ! -x "$PY" ] || ! "$PY" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 13))'; then
  say "needs Python 3.13 (Colab's); $PY is not it. Install it (pyenv install 3.13) or set COLAB_PYTHON." >&2
  exit 2
fi

start=$(date +%s)
want=$(echo "$PACKAGES" | cat - "$CONSTRAINTS" | sha256sum | cut -c1-16)
if [ "$(cat "$VENV/.constraints" 2>/dev/null)" != "$want" ]; then
  rm -rf "$VENV"
  "$PY" -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -c "$CONSTRAINTS" pip setuptools
  # shellcheck disable=SC2086
  "$VENV/bin/python" -m pip install --quiet -c "$CONSTRAINTS" $PACKAGES
  echo "$want" > "$VENV/.constraints"
fi
"$VENV/bin/python" -m pip uninstall --quiet --yes gan-workshop 2>/dev/null || true
say "environment: $("$VENV/bin/python" -c 'import sys, tensorflow as tf, keras, IPython, ipywidgets; print(f"Python {sys.version.split()[0]}, TensorFlow {tf.__version__}, Keras {keras.__version__}, IPython {IPython.__version__}, ipywidgets {ipywidgets.__version__}")' 2>/dev/null) ($(minutes "$start") min)"

# google.colab on the kernel's path, imported at kernel start as on Colab.
rm -rf "$BUILD/stub" "$BUILD/ipython"
cp -r "$ROOT/colab/stub" "$BUILD/stub"
echo "$BUILD/stub" > "$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/colab_twin_stub.pth"
mkdir -p "$BUILD/ipython/profile_default/startup"
echo "import google.colab  # as Colab's kernel does at start" > "$BUILD/ipython/profile_default/startup/00-google-colab.py"

# A clone of this checkout for the setup cells' %pip install git+..., and the notebooks outside it.
WORK=$(mktemp -d "${TMPDIR:-/tmp}/colab-twin.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
git clone --quiet "$ROOT" "$WORK/repo"
[ -z "$(git -C "$ROOT" status --porcelain -- workshop_utils data notebooks pyproject.toml)" ] ||
  say "warning: uncommitted changes are not in the clone the notebooks install from"
# The notebooks with every "Your turn" cell solved (make solutions): the shipped, undone ones run in
# make test, so the two passes cover both stacks and both states.
mkdir "$WORK/content"
"$ROOT/.venv/bin/python" "$WORK/repo/tools/make_solutions.py" "$WORK/content" >/dev/null
export WORKSHOP_REPO_URL="file://$WORK/repo"

for stage in $STAGES; do
  t=$(date +%s)
  case $stage in
    notebooks)
      upload=$("$VENV/bin/python" -c 'import os, skimage; print(os.path.join(os.path.dirname(skimage.__file__), "data", "chelsea.png"))')
      (cd "$WORK/content" && env WORKSHOP_SMOKE=1 WORKSHOP_OFFLINE=1 IPYTHONDIR="$BUILD/ipython" \
        COLAB_TWIN_UPLOAD="$upload" TF_CPP_MIN_LOG_LEVEL=2 PYDEVD_DISABLE_FILE_VALIDATION=1 \
        "$VENV/bin/python" -m pytest -n 2 --dist loadfile --nbval -p no:cacheprovider -q ./*.ipynb) ;;
    pins)
      "$VENV/bin/python" "$ROOT/colab/check_pins.py" "$CONSTRAINTS" "$WORKSHOP_REPO_URL" ;;
    browser)
      (cd "$ROOT" && WORKSHOP_TWIN_VENV="$VENV" "$ROOT/.venv/bin/python" -m pytest -q -p no:cacheprovider \
        tests/test_browser.py -k classic) ;;
    *) say "unknown stage $stage (use notebooks, pins, browser)" >&2; exit 2 ;;
  esac
  say "stage $stage passed in $(minutes "$t") min"
done
say "all stages passed in $(minutes "$start") min"
