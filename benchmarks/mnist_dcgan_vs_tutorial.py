"""Our `mnist-dcgan` recipe against the TensorFlow DCGAN tutorial's recipe, same wall clock.

Both train for the same number of minutes on this machine (offline MNIST subset), then draw 10,000
samples with `sample`; the metrics come from the shipped MNIST classifier: Fréchet distance in its
feature space, classifier score and class coverage. The tutorial's recipe is its generator and
discriminator, Adam 1e-4, batch 256 (recipe `mnist-dcgan-tutorial`).

    python benchmarks/mnist_dcgan_vs_tutorial.py [--minutes 5]
"""

from __future__ import annotations

import argparse
import shutil
from datetime import date

import numpy as np

from common import ROOT, cli, last_json, machine, write_section

RECIPES = ("mnist-dcgan", "mnist-dcgan-tutorial")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--n", type=int, default=10_000)
    args = parser.parse_args()

    from workshop_utils import data, metrics

    reference = data.load_mnist(source="offline").x_test
    rows = {}
    for recipe in RECIPES:
        run = ROOT / "build" / "bench" / recipe
        shutil.rmtree(run, ignore_errors=True)
        trained = last_json(cli("train", recipe, "--out", str(run), "--minutes", str(args.minutes), "--quiet")[0])
        npz = run / "samples.npz"
        cli("sample", str(run), "--n", str(args.n), "--out", str(npz), "--seed", "0")
        with np.load(npz) as f:
            result = metrics.mnist_metric().evaluate(f["samples"], reference)
        rows[recipe] = {"steps": trained["step"], **result}
        print(recipe, rows[recipe], flush=True)

    ours, tutorial = rows["mnist-dcgan"], rows["mnist-dcgan-tutorial"]
    ratio = ours["frechet_distance"] / tutorial["frechet_distance"]
    lines = [
        f"Measured {date.today()} on {machine()}, {args.minutes:g} minutes of training each, "
        f"{args.n:,} samples each, offline MNIST subset.",
        "",
        "| recipe | generator steps | Fréchet distance ↓ | classifier score ↑ | classes covered (of 10) | samples per class |",
        "|---|---|---|---|---|---|",
    ]
    for name, r in rows.items():
        lines.append(f"| `{name}` | {r['steps']:,} | {r['frechet_distance']:.2f} | {r['classifier_score']:.2f} | "
                     f"{r['classes_covered']} | {' '.join(map(str, r['class_counts']))} |")
    lines += ["", f"Fréchet distance ratio, ours / tutorial: **{ratio:.3f}** (the goal is at most 0.1). "
              "Real vs real on the same classifier is about 0.8 and uniform noise about 1,300 "
              "(see `data/README.md`)."]
    write_section("mnist-dcgan", "\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
