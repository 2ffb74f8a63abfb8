"""The loss zoo: every GAN loss the course teaches on the ring of 8 and the grid of 25 Gaussians.

One fixed MLP architecture and the same number of generator steps for every row
(`workshop_utils.recipes.LOSS_ZOO` says which recipe and loss each row is); each run is
`python -m workshop_utils train RECIPE --dataset D --seed S --steps N [--loss L]`, then evaluated on
2,500 samples like `evaluate --n 2500`: modes covered (at least one high-quality sample, the
published definition), modes populated (at least a tenth of the fair share of high-quality
samples) and the high-quality fraction (within 3 std of the nearest centre), mean ± std over the
seeds. A uniform-noise row calibrates what "learned nothing" scores.

The script can be stopped at any time: finished runs are stored in `benchmarks/results/loss_zoo.json`
and skipped, a half-trained run continues with `--resume`. `--fresh` starts over. The main table is
the 6,000-step budget with every row; `--steps N --labels minimax WGAN-GP` adds a longer-budget
comparison of chosen rows.

    python benchmarks/loss_zoo.py [--steps 6000] [--seeds 0 1 2] [--labels ...] [--fresh] [--report]
"""

from __future__ import annotations

import argparse
import shutil
from datetime import date
from pathlib import Path

import numpy as np

from common import ROOT, cli, last_json, load_results, machine, store_results, write_section

from workshop_utils.distributions import mixture_target
from workshop_utils.metrics import mode_coverage
from workshop_utils.recipes import LOSS_ZOO
from workshop_utils.runs import evaluate_run

RESULTS = Path(__file__).resolve().parent / "results" / "loss_zoo.json"
RUNS = ROOT / "build" / "loss_zoo"
DATASETS = ("ring", "grid")
MAIN_STEPS = 6000
NOISE = "uniform noise (learned nothing)"
PUBLISHED = ("Published on the ring (other architectures and budgets, for orientation only): a vanilla GAN "
             "covered 1 of 8 modes in the VEEGAN paper (Srivastava et al. 2017) and 6.3 in PacGAN's "
             "(Lin et al. 2018); WGAN-GP 6.8 of 8 with 59.6% high-quality samples (GDPP, Elfeki et al. 2019, Table 1).")
METRICS = ("modes_covered", "modes_populated", "high_quality_fraction")


def slug(label: str) -> str:
    return label.replace(" ", "_").replace("(", "").replace(")", "").replace("+", "plus")


def run_one(label: str, dataset: str, seed: int, steps: int, n: int) -> dict:
    recipe, overrides = LOSS_ZOO[label]
    out = RUNS / str(steps) / f"{dataset}-{slug(label)}-s{seed}"
    args = ["train", recipe, "--out", str(out), "--dataset", dataset, "--seed", str(seed), "--steps", str(steps),
            "--minutes", "1000", "--quiet"]
    args += [f"--{k}={v}" for k, v in overrides.items()]
    if (out / "config.json").is_file():
        args.append("--resume")  # a run stopped half-way continues from its last checkpoint
    elif out.exists():
        shutil.rmtree(out)
    trained = last_json(cli(*args)[0])
    result = evaluate_run(out, n)
    return {"recipe": recipe, **overrides, "dataset": dataset, "seed": seed, "steps": trained["step"],
            "train_seconds": trained["seconds"], "modes": result["modes"], **{m: result[m] for m in METRICS}}


def noise_rows(seeds: list[int], n: int) -> dict:
    """The uniform-noise calibration row (points over the target's bounding box ± 1)."""
    rows = {}
    for dataset in DATASETS:
        target = mixture_target(dataset)
        for s in seeds:
            rows[dataset, s] = mode_coverage(target.uniform_baseline(n, seed=s), target)
    return rows


def mean_std(values, percent: bool = False) -> str:
    v = np.asarray(values, float) * (100 if percent else 1)
    return f"{v.mean():.1f}{'%' if percent else ''} ± {v.std():.1f}"


def table(results: dict, steps: int, seeds: list[int], labels: list[str], n: int) -> tuple[str, dict]:
    """Markdown table of ``labels`` at ``steps`` (plus the noise row) and the mean modes per row."""
    header = ["loss", "recipe"] + [f"{d}: {c}" for d in DATASETS for c in (
        f"covered (of {8 if d == 'ring' else 25})", "populated", "high quality")] + ["seconds per run (ring)"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    means = {}
    for label in labels:
        recipe, overrides = LOSS_ZOO[label]
        cells = []
        for dataset in DATASETS:
            rows = [results[f"{steps}/{dataset}/{label}/{s}"] for s in seeds]
            for m in METRICS:
                means[dataset, label, m] = np.mean([r[m] for r in rows])
                cells.append(mean_std([r[m] for r in rows], percent=m == "high_quality_fraction"))
        seconds = np.mean([results[f"{steps}/ring/{label}/{s}"]["train_seconds"] for s in seeds])
        flag = "".join(f" --{k} {v}" for k, v in overrides.items())
        lines.append(f"| {label} | `{recipe}{flag}` | {' | '.join(cells)} | {seconds:.0f} |")
    noise = noise_rows(seeds, n)
    cells = [mean_std([noise[d, s][m] for s in seeds], percent=m == "high_quality_fraction")
             for d in DATASETS for m in METRICS]
    lines.append(f"| *{NOISE}* | `DIST.uniform_baseline` | {' | '.join(cells)} | – |")
    return "\n".join(lines), means


def verdict(means: dict) -> str:
    return "; ".join(
        f"{d}, modes {m.split('_')[1]}: WGAN-GP {means[d, 'WGAN-GP', m]:.1f} vs minimax {means[d, 'minimax', m]:.1f} "
        f"({'beats' if means[d, 'WGAN-GP', m] > means[d, 'minimax', m] else 'does not beat'})"
        for d in DATASETS for m in METRICS[:2])


def report(results: dict, n: int) -> str:
    """A table per budget in ``results``: the rows finished on both targets for every seed that has one."""
    budgets = sorted({int(k.split("/")[0]) for k in results})
    intro = (f"Measured {date.today()} on {machine()}: {n:,} samples per run; mean ± std over the seeds. "
             "*Covered*: at least one high-quality sample (VEEGAN/PacGAN); "
             "*populated*: at least a tenth of the fair share n/K of high-quality samples.")
    parts = [intro, ""]
    for steps in budgets:
        stored = {int(k.split("/")[3]) for k in results if k.startswith(f"{steps}/")}
        seeds = sorted(s for s in stored  # seeds with at least one row finished on both targets
                       if any(all(f"{steps}/{d}/{lb}/{s}" in results for d in DATASETS) for lb in LOSS_ZOO))
        labels = [lb for lb in LOSS_ZOO if all(f"{steps}/{d}/{lb}/{s}" in results for d in DATASETS for s in seeds)]
        if not labels:
            continue
        body, means = table(results, steps, seeds, labels, n)
        title = "every loss" if steps == MAIN_STEPS else "a longer budget"
        parts += [f"**{steps:,} generator steps per run, {title}, seeds {', '.join(map(str, seeds))}.**", "", body, ""]
        if {"minimax", "WGAN-GP"} <= set(labels):
            parts += [f"WGAN-GP against the minimax loss at {steps:,} steps — {verdict(means)}.", ""]
    return "\n".join(parts + [PUBLISHED])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps", type=int, default=MAIN_STEPS)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--labels", nargs="+", default=list(LOSS_ZOO), choices=list(LOSS_ZOO))
    parser.add_argument("--n", type=int, default=2500)
    parser.add_argument("--fresh", action="store_true", help="forget stored results and runs")
    parser.add_argument("--report", action="store_true", help="only rewrite the README section from stored results")
    args = parser.parse_args()

    if args.fresh:
        RESULTS.unlink(missing_ok=True)
        shutil.rmtree(RUNS, ignore_errors=True)
    results = load_results(RESULTS)
    for seed in [] if args.report else args.seeds:  # seed-major order: a stopped table already has every row for early seeds
        for dataset in DATASETS:
            for label in args.labels:
                key = f"{args.steps}/{dataset}/{label}/{seed}"
                if key in results and results[key]["steps"] == args.steps:
                    continue
                results[key] = r = run_one(label, dataset, seed, args.steps, args.n)
                store_results(results, RESULTS)
                print(f"{key}: {r['modes_covered']}/{r['modes']} covered, {r['modes_populated']} populated, "
                      f"{100 * r['high_quality_fraction']:.1f}% high quality, {r['train_seconds']:.0f} s", flush=True)
    body = report(results, args.n)
    write_section("loss-zoo", body)
    print(body)


if __name__ == "__main__":
    main()
