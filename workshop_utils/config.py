"""Run-time switches, read in one place.

``WORKSHOP_SMOKE=1``   smoke mode: the same code paths with reduced sizes (used by CI/nbval).
``WORKSHOP_OFFLINE=1`` never touch the network; use the data the course ships.
``WORKSHOP_FAST=1``    the instructors' fast path (or ``FAST = True`` in a notebook's first cell,
                       which calls :func:`set_fast`): every training replays its recorded run
                       (:mod:`workshop_utils.recorded`). The runs were recorded at full size on the
                       offline data, so the fast path implies both: full sizes and offline data.
``WORKSHOP_RECORD``    a folder: every training writes its recording there (``data/make_pretrained.py record``).
``WORKSHOP_DATA_DIR``  where the shipped data lives (default: the repository's ``data/``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TypeVar

from . import errors

T = TypeVar("T")

_TRUE = {"1", "true", "yes", "on"}
_fast_from_notebook = False


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in _TRUE


def fast_mode() -> bool:
    """True when ``WORKSHOP_FAST`` (or :func:`set_fast`) asks for the instructors' fast path."""
    return _flag("WORKSHOP_FAST") or _fast_from_notebook


def set_fast(on: bool) -> None:
    """Switch the fast path on or off for this session (a notebook's ``FAST = True``);
    ``WORKSHOP_FAST=1`` keeps it on whatever the notebook says."""
    global _fast_from_notebook
    _fast_from_notebook = bool(on)


def smoke_mode() -> bool:
    """True when ``WORKSHOP_SMOKE`` asks for reduced sizes (never on the fast path, whose recorded
    runs are full size)."""
    return _flag("WORKSHOP_SMOKE") and not fast_mode()


def offline_mode() -> bool:
    """True when ``WORKSHOP_OFFLINE`` forbids network access, and on the fast path (its runs were
    recorded on the offline data)."""
    return _flag("WORKSHOP_OFFLINE") or fast_mode()


def record_dir() -> Path | None:
    """The folder ``WORKSHOP_RECORD`` names, where every training writes its recording, or None."""
    path = os.environ.get("WORKSHOP_RECORD", "").strip()
    return Path(path) if path else None


def pick(full: T, smoke: T) -> T:
    """Return ``smoke`` in smoke mode, ``full`` otherwise: the only way sizes shrink."""
    return smoke if smoke_mode() else full


GENERATOR_WEIGHTS = "generator.weights.h5"  # a finished run's (and a pretrained run's) sampling generator
DISCRIMINATOR_WEIGHTS = "discriminator.weights.h5"  # also, for kinds that keep it (InfoGAN's Q)


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
