"""The loss zoo: every GAN loss the course teaches on the ring of 8 and the grid of 25 Gaussians.

One fixed MLP architecture and the same number of generator steps for every row
(`workshop_utils.recipes.LOSS_ZOO` says which recipe and loss each row is); each run is
`python -m workshop_utils train RECIPE --dataset D --seed S --steps N [--loss L]`, then `evaluate --n 2500`:
modes covered and the high-quality fraction (within 3 std of the nearest centre), mean ± std over
the seeds.

The script can be stopped at any time: finished runs are stored in `benchmarks/results/loss_zoo.json`
and skipped, a half-trained run continues with `--resume`. `--fresh` starts over.

    python benchmarks/loss_zoo.py [--steps 6000] [--seeds 0 1 2] [--fresh]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
from datetime import date
from pathlib import Path

import numpy as np

from common import ROOT, cli, last_json, machine, write_section

from workshop_utils.recipes import LOSS_ZOO

RESULTS = Path(__file__).resolve().parent / "results" / "loss_zoo.json"
RUNS = ROOT / "build" / "loss_zoo"
DATASETS = ("ring", "grid")
PUBLISHED = ("Published on the ring (other architectures and budgets, for orientation only): a vanilla GAN "
             "covered 1 of 8 modes in the VEEGAN paper (Srivastava et al. 2017) and 6.3 in PacGAN's "
             "(Lin et al. 2018); WGAN-GP 6.8 of 8 with 59.6% high-quality samples (GDPP, Elfeki et al. 2019, Table 1).")


def run_one(label: str, dataset: str, seed: int, steps: int, n: int) -> dict:
    recipe, overrides = LOSS_ZOO[label]
    out = RUNS / f"{dataset}-{label.replace(' ', '_').replace('(', '').replace(')', '').replace('+', 'plus')}-s{seed}"
    args = ["train", recipe, "--out", str(out), "--dataset", dataset, "--seed", str(seed), "--steps", str(steps),
            "--minutes", "1000", "--quiet"]
    args += [f"--{k}={v}" for k, v in overrides.items()]
    if (out / "config.json").is_file():
        args.append("--resume")  # a run stopped half-way continues from its last checkpoint
    elif out.exists():
        shutil.rmtree(out)
    trained = last_json(cli(*args)[0])
    result = last_json(cli("evaluate", str(out), "--n", str(n))[0])
    return {"recipe": recipe, **overrides, "dataset": dataset, "seed": seed, "steps": trained["step"],
            "train_seconds": trained["seconds"], "modes_covered": result["modes_covered"], "modes": result["modes"],
            "high_quality_fraction": result["high_quality_fraction"]}


def load() -> dict:
    return json.loads(RESULTS.read_text()) if RESULTS.is_file() else {}


def store(results: dict) -> None:
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    tmp = RESULTS.with_suffix(".tmp")
    tmp.write_text(json.dumps(results, indent=1, sort_keys=True) + "\n")
    os.replace(tmp, RESULTS)


def table(results: dict, steps: int, seeds: list[int]) -> tuple[str, dict]:
    lines = [f"Measured {date.today()} on {machine()}: {steps:,} generator steps per run, seeds "
             f"{', '.join(map(str, seeds))}, 2,500 samples per run; mean ± std over the seeds.", "",
             "| loss | recipe | ring: modes (of 8) | ring: high quality | grid: modes (of 25) | grid: high quality | "
             "seconds per run (ring) |", "|---|---|---|---|---|---|---|"]
    means = {}
    for label, (recipe, overrides) in LOSS_ZOO.items():
        cells = []
        for dataset in DATASETS:
            rows = [results[f"{dataset}/{label}/{s}"] for s in seeds]
            modes = np.array([r["modes_covered"] for r in rows], float)
            hq = 100 * np.array([r["high_quality_fraction"] for r in rows])
            means[dataset, label] = modes.mean()
            cells += [f"{modes.mean():.1f} ± {modes.std():.1f}", f"{hq.mean():.1f}% ± {hq.std():.1f}"]
        seconds = np.mean([results[f"ring/{label}/{s}"]["train_seconds"] for s in seeds])
        flag = "".join(f" --{k} {v}" for k, v in overrides.items())
        lines.append(f"| {label} | `{recipe}{flag}` | {' | '.join(cells)} | {seconds:.0f} |")
    verdict = ", ".join(
        f"{d}: WGAN-GP {means[d, 'WGAN-GP']:.1f} vs minimax {means[d, 'minimax']:.1f} modes "
        f"({'beats' if means[d, 'WGAN-GP'] > means[d, 'minimax'] else 'does not beat'})" for d in DATASETS)
    lines += ["", f"WGAN-GP against the minimax loss on mean modes covered — {verdict}.", "", PUBLISHED]
    return "\n".join(lines), means


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps", type=int, default=6000)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--n", type=int, default=2500)
    parser.add_argument("--fresh", action="store_true", help="forget stored results and runs")
    args = parser.parse_args()

    if args.fresh:
        RESULTS.unlink(missing_ok=True)
        shutil.rmtree(RUNS, ignore_errors=True)
    results = load()
    for seed in args.seeds:  # seed-major order: a stopped table already has every row for early seeds
        for dataset in DATASETS:
            for label in LOSS_ZOO:
                key = f"{dataset}/{label}/{seed}"
                if key in results and results[key]["steps"] == args.steps:
                    continue
                results[key] = run_one(label, dataset, seed, args.steps, args.n)
                store(results)
                r = results[key]
                print(f"{key}: {r['modes_covered']}/{r['modes']} modes, {100 * r['high_quality_fraction']:.1f}% "
                      f"high quality, {r['train_seconds']:.0f} s", flush=True)
    body, _ = table(results, args.steps, args.seeds)
    write_section("loss-zoo", body)
    print(body)


if __name__ == "__main__":
    main()
