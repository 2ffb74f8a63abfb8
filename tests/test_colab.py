"""The Colab twin's parts that can be checked without building it (make colab runs the twin itself)."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
COLAB = ROOT / "colab"
sys.path.insert(0, str(COLAB))

import check_pins  # noqa: E402
import make_constraints  # noqa: E402

CONSTRAINTS = COLAB / "constraints.txt"


def test_constraints_drop_url_and_cuda_lines_and_keep_the_rest():
    freeze = "\n".join([
        "# comment", "absl-py==1.4.0", "google-colab @ file:///colabtools/dist/google_colab-1.0.0.tar.gz",
        "nvidia-cudnn-cu12==9.19.0.56", "cuda-python==12.9.7", "cudf-cu12==26.2.1", "cupy-cuda12x==14.0.1",
        "torch==2.11.0+cu128", "jax==0.7.2", "numba==0.61.2", "tensorflow==2.20.0", "ImageIO==2.37.4",
    ])
    assert make_constraints.constraints(freeze) == ["absl-py==1.4.0", "jax==0.7.2", "numba==0.61.2",
                                                    "tensorflow==2.20.0", "ImageIO==2.37.4"]


def test_the_shipped_constraints_are_colabs_python_313_runtime():
    text = CONSTRAINTS.read_text()
    assert "googlecolab/backend-info/blob/a72407924822ea377410b69f0a290150bcb5c9c2/pip-freeze.gpu.txt" in text
    pins = check_pins.pins(str(CONSTRAINTS))
    expected = {"tensorflow": "2.20.0", "keras": "3.13.2", "numpy": "2.1.3", "ipywidgets": "7.7.1", "ipython": "7.34.0",
                "widgetsnbextension": "3.6.10", "notebook": "6.5.7", "protobuf": "5.29.6", "kagglehub": "1.0.2"}
    assert {k: pins[k] for k in expected} == expected
    assert not [name for name in pins if re.search(r"nvidia|cuda|-cu1\d", name)]
    assert len(pins) > 600


def test_lower_bounds_are_the_versions_the_twin_tests():
    """pyproject's lower bounds are Colab's versions wherever Colab pins the package."""
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    pins = check_pins.pins(str(CONSTRAINTS))
    for dep in deps:
        name, bound = re.fullmatch(r"([A-Za-z0-9_.-]+)>=([0-9.]+)", dep).groups()
        pinned = pins.get(check_pins.canonical(name))
        if pinned is not None:
            assert Version(pinned) == Version(bound), f"{name}>={bound}, but the twin tests {pinned}"


def _check(tmp_path, lines: list[str], url: str = "file:///nowhere") -> subprocess.CompletedProcess:
    path = tmp_path / "constraints.txt"
    path.write_text("\n".join(lines) + "\n")
    return subprocess.run([sys.executable, str(COLAB / "check_pins.py"), str(path), url], capture_output=True, text=True)


def test_check_pins_names_a_changed_version_and_a_course_not_from_git(tmp_path):
    numpy = metadata.version("numpy")
    proc = _check(tmp_path, ["numpy==0.0.1", f"pytest=={metadata.version('pytest')}"])
    assert proc.returncode == 1
    assert f"numpy 0.0.1 -> {numpy}" in proc.stderr and "pytest" not in proc.stderr
    assert "gan-workshop" in proc.stderr  # editable here, which the twin must never accept


def test_check_pins_passes_an_unchanged_environment_but_still_wants_the_course_from_git(tmp_path):
    proc = _check(tmp_path, [f"numpy=={metadata.version('numpy')}"])
    assert "other versions" not in proc.stderr
    assert proc.returncode == 1 and "gan-workshop" in proc.stderr  # editable here, not installed from the clone


def test_stub_upload_saves_the_chosen_file_like_colab(tmp_path):
    photo = tmp_path / "in" / "cat.png"
    photo.parent.mkdir()
    photo.write_bytes(b"\x89PNG fake")
    code = ("from google.colab import files; import os, pathlib; assert files.upload() == {}; "
            f"os.environ['COLAB_TWIN_UPLOAD'] = {str(photo)!r}; "
            "assert files.upload() == {'cat.png': b'\\x89PNG fake'}; assert pathlib.Path('cat.png').is_file()")
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(COLAB / "stub")}
    proc = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "Saving cat.png to cat.png"


def test_twin_script_is_valid_bash():
    assert subprocess.run(["bash", "-n", str(COLAB / "twin.sh")]).returncode == 0
