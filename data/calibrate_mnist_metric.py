"""Measure the reference values of the MNIST metrics and write them into data/README.md.

Every row compares 2,000 images against the 2,000 shipped test images with the shipped classifier:
real training images (the best a generator can hope for), degraded real images, a collapsed "only
ones" set, and uniform noise (the worst).

    python data/calibrate_mnist_metric.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from _sections import write_section  # noqa: E402

from workshop_utils import data, metrics  # noqa: E402


def main() -> None:
    mnist = data.load_mnist(source="offline")
    rng = np.random.default_rng(0)
    real = mnist.x_train[:2000]
    noisy = np.clip(real.astype(np.float32) + rng.normal(0, 50, real.shape), 0, 255).astype(np.uint8)
    cases = {
        "real training images": real,
        "real images shifted 3 px right": np.roll(real, 3, axis=2),
        "real images + Gaussian noise (σ = 50 grey levels)": noisy,
        "only the digit 1 (total mode collapse)": mnist.x_train[mnist.y_train == 1][:2000],
        "uniform noise": rng.integers(0, 256, real.shape).astype(np.uint8),
    }
    m = metrics.mnist_metric()
    lines = ["| 2,000 images | Fréchet distance | classifier score | classes covered |", "|---|---|---|---|"]
    for name, images in cases.items():
        r = m.evaluate(images, mnist.x_test)
        lines.append(f"| {name} | {r['frechet_distance']:.2f} | {r['classifier_score']:.2f} | {r['classes_covered']} |")
    table = "\n".join(lines)
    write_section("calibration", table)
    print(table)


if __name__ == "__main__":
    main()
