"""Measure the reference values of the faces metrics and write them into data/README.md.

Every row compares 2,000 faces against the 2,000 reference faces (procedural, seed 1) with the
shipped attribute classifier: real training faces (seed 0; the best a generator can hope for),
degraded real faces (shifted, blurred like an undertrained GAN, noisy), a collapsed "only smiling"
set, and uniform noise (the worst). A value of an attribute counts as covered when at least a
tenth of its fair share of the faces shows it.

    python data/calibrate_faces_metric.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from scipy import ndimage

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from _sections import write_section  # noqa: E402

from workshop_utils import data, metrics  # noqa: E402


def main() -> None:
    faces = data.load_faces("cartoon")
    rng = np.random.default_rng(0)
    real = faces.images[:2000]
    smiling = faces.images[faces.labels["mouth"] == 0][:2000]
    cases = {
        "real training faces": real,
        "real faces shifted 4 px right": np.roll(real, 4, axis=2),
        "real faces blurred (Gaussian, σ = 1 px)": ndimage.gaussian_filter(real, sigma=(0, 1, 1, 0)),
        "real faces + Gaussian noise (σ = 25 levels)": np.clip(real + rng.normal(0, 25, real.shape), 0, 255).astype(np.uint8),
        "only smiling faces (a collapsed attribute)": smiling,
        "uniform noise": rng.integers(0, 256, real.shape).astype(np.uint8),
    }
    m = metrics.faces_metric()
    lines = ["| 2,000 faces | Fréchet distance | attribute values covered | not covered |", "|---|---|---|---|"]
    for name, images in cases.items():
        r = m.evaluate(images, faces.reference)
        missing = ", ".join(r["uncovered"][:4]) + (" …" if len(r["uncovered"]) > 4 else "")
        lines.append(f"| {name} | {r['frechet_distance']:.2f} | {r['values_covered']} of {r['values']} | {missing or '–'} |")
    table = "\n".join(lines)
    write_section("faces-calibration", table)
    print(table)


if __name__ == "__main__":
    main()
