"""Numbers that the notebooks' markdown quotes from a recorded source must match that source.

Each claim names a notebook cell, a phrase with placeholders, and where each number comes from: a
shipped pretrained run's card (`data/pretrained/NAME/card.json`) or a benchmark's stored results
(`benchmarks/results/NAME.json`). Rerun a benchmark or retrain a card, and this fails until the
text follows the new numbers.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent


def card(name: str) -> dict:
    return json.loads((ROOT / "data" / "pretrained" / name / "card.json").read_text())["metrics"]


def bench(name: str) -> dict:
    return json.loads((ROOT / "benchmarks" / "results" / f"{name}.json").read_text())


def conditional_faces(key: str) -> dict:
    runs = bench("conditional")["faces"]
    return next(iter(runs.values()))[key]


def colorizer_mean(label: str, steps: int, metric: str) -> float:
    """The mean over seeds 0–2 of one test-stage number of benchmarks/colorizer.py."""
    slug = {"L1 only": "l1-only", "cGAN + L1": "cgan-l1"}[label]
    return float(np.mean([bench("colorizer")[f"test/{slug}/seed{s}/{steps}"][metric] for s in (0, 1, 2)]))


def clipping_mean(step: int | None, key: str) -> float:
    """The mean over the seeds of benchmarks/wgan_clipping.py at one generator step (``None``: the end)."""
    runs = list(bench("wgan_clipping").values())
    if step is None:
        return float(np.mean([r["final"][key] for r in runs]))
    return float(np.mean([next(t[key] for t in r["trace"] if t["step"] == step) for r in runs]))


# (notebook, cell id, phrase, {placeholder: value})
CLAIMS = [
    ("03_dcgan_simpsons.ipynb", "cell-73", "scored an FD of {fd:.1f} with all {covered} values covered",
     lambda: {"fd": card("faces-dcgan")["frechet_distance"], "covered": card("faces-dcgan")["values_covered"]}),
    ("03_dcgan_simpsons.ipynb", "cell-73", "the real-vs-real floor of {floor:.1f}",
     lambda: {"floor": card("faces-dcgan")["real_vs_real_fd"]}),
    ("07_conditional_gans.ipynb", "cell-19", "({acc:.1%} on the card's 10,000)",
     lambda: {"acc": card("mnist-cgan")["label_accuracy"]}),
    ("07_conditional_gans.ipynb", "cell-19", "({cgan:.1f} against {dcgan:.1f} at the same 6,000 steps)",
     lambda: {"cgan": card("mnist-cgan")["frechet_distance"], "dcgan": card("mnist-dcgan")["frechet_distance"]}),
    ("07_conditional_gans.ipynb", "cell-42", "met the request in {rate:.1%} of 1,000 faces (200 per colour; the worst, "
     "{worst}, {worst_rate:.1%}), against {arith:.1%} for notebook 05's arithmetic on the unconditional generator and "
     "{base:.1%} for a random $z$",
     lambda: {"rate": conditional_faces("faces-cgan")["mean_rate"], "worst": conditional_faces("faces-cgan")["worst"],
              "worst_rate": conditional_faces("faces-cgan")["worst_rate"],
              "arith": conditional_faces("faces-dcgan, arithmetic in z (shipped, 20,000 steps)")["success_rate"],
              "base": conditional_faces("faces-dcgan, arithmetic in z (shipped, 20,000 steps)")["baseline_rate"]}),
]


def _cell(notebook: str, cell_id: str) -> str:
    nb = json.loads((ROOT / "notebooks" / notebook).read_text())
    source = next("".join(c["source"]) for c in nb["cells"] if c.get("id") == cell_id)
    return re.sub(r"\s+", " ", source)


@pytest.mark.parametrize("notebook, cell_id, phrase, values", CLAIMS, ids=[f"{c[0][:2]}-{c[1]}-{i}" for i, c in enumerate(CLAIMS)])
def test_quoted_numbers_match_their_source(notebook, cell_id, phrase, values):
    expected = phrase.format(**values())
    assert expected in _cell(notebook, cell_id), f"{notebook} {cell_id} should say: {expected}"


def test_a_changed_source_number_is_caught():
    """The check can fail: the same phrase with a number one rounding step off is not in the text."""
    notebook, cell_id, phrase, values = CLAIMS[0]
    wrong = {**values(), "fd": values()["fd"] + 0.1}
    assert phrase.format(**wrong) not in _cell(notebook, cell_id)
