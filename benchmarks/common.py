"""Shared by the benchmark scripts: run the CLI, and rewrite one marked section of README.md."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = Path(__file__).resolve().parent / "README.md"

sys.path.insert(0, str(ROOT / "data"))
import _sections  # noqa: E402  (data/_sections.py: the one marked-section writer)


def cli(*args: str) -> tuple[str, float]:
    """Run ``python -m workshop_utils ARGS`` offline; return (stdout, seconds). Raises on failure."""
    env = {**os.environ, "WORKSHOP_OFFLINE": "1"}
    env.pop("WORKSHOP_SMOKE", None)
    start = time.time()
    proc = subprocess.run([sys.executable, "-m", "workshop_utils", *args], capture_output=True, text=True,
                          env=env, cwd=ROOT)
    if proc.returncode != 0:
        raise RuntimeError(f"workshop_utils {' '.join(args)} failed:\n{proc.stderr}")
    return proc.stdout, time.time() - start


def load_results(path: Path) -> dict:
    """A benchmark's stored results (``{}`` before its first run)."""
    return json.loads(path.read_text()) if path.is_file() else {}


def store_results(results: dict, path: Path) -> None:
    """Write the results atomically, so a benchmark stopped mid-write can still resume."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(results, indent=1, sort_keys=True) + "\n")
    os.replace(tmp, path)


def last_json(stdout: str) -> dict:
    return json.loads(stdout.strip().splitlines()[-1])


def machine() -> str:
    import tensorflow as tf

    from workshop_utils.runtime import cpu_model

    return (f"{os.cpu_count()} CPU cores ({platform.machine()}, {cpu_model()}), no GPU, Python {platform.python_version()}, "
            f"TensorFlow {tf.__version__}")


def write_section(name: str, body: str) -> None:
    """Replace the text between ``<!-- name -->`` and ``<!-- /name -->`` in benchmarks/README.md."""
    _sections.write_section(name, body, README)
