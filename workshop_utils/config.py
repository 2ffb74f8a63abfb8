"""Run-time switches, read in one place.

``WORKSHOP_SMOKE=1``   smoke mode: the same code paths with reduced sizes (used by CI/nbval).
``WORKSHOP_OFFLINE=1`` never touch the network; use the data the course ships.
``WORKSHOP_DATA_DIR``  where the shipped data lives (default: the repository's ``data/``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TypeVar

from . import errors

T = TypeVar("T")

_TRUE = {"1", "true", "yes", "on"}


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in _TRUE


def smoke_mode() -> bool:
    """True when ``WORKSHOP_SMOKE`` asks for reduced sizes."""
    return _flag("WORKSHOP_SMOKE")


def offline_mode() -> bool:
    """True when ``WORKSHOP_OFFLINE`` forbids network access."""
    return _flag("WORKSHOP_OFFLINE")


def pick(full: T, smoke: T) -> T:
    """Return ``smoke`` in smoke mode, ``full`` otherwise: the only way sizes shrink."""
    return smoke if smoke_mode() else full


def data_dir() -> Path:
    """The folder holding the shipped data (``data/`` of a checkout, or package data)."""
    env = os.environ.get("WORKSHOP_DATA_DIR")
    if env:
        return Path(env)
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "data", here / "_data"):
        if (candidate / "README.md").is_file():
            return candidate
    raise errors.UserFileNotFoundError(
        "cannot find the course's data folder; set WORKSHOP_DATA_DIR to the repository's data/ "
        "or install the package from the repository (pip install git+<repo url>)"
    )
