"""WGAN with weight clipping on the ring, with the paper's settings and the recipe's step budget.

`ring-wgan` keeps Arjovsky et al.'s (2017) Algorithm 1 settings (RMSProp 5e-5, c = 0.01, n_critic = 5)
and trains for the 30,000 generator steps its recipe states, three seeds. Every 1,000 steps the
script records, on 2,500 samples of the raw generator (the one the critic is trained against): the
modes covered and populated and the high-quality fraction (`metrics.mode_coverage`), the critic's
estimate E f(x) − E f(G(z)) from the history, and the share of critic weights sitting at ±c
(`models.share_at_clip`; Gulrajani et al. 2017, Figure 1b, saw them pile up there). The end of each
run is evaluated like `evaluate`: 2,500 samples of the EMA generator.

Finished seeds are stored in `benchmarks/results/wgan_clipping.json` and skipped; `--fresh` forgets them.

    python benchmarks/wgan_clipping.py [--seeds 0 1 2] [--steps 30000] [--report]
"""

from __future__ import annotations

import argparse
import time
from datetime import date
from pathlib import Path

import numpy as np

from common import load_results, machine, store_results, write_section

RESULTS = Path(__file__).resolve().parent / "results" / "wgan_clipping.json"
EVERY = 1000
RECIPE = "ring-wgan"


def run_one(seed: int, steps: int) -> dict:
    from workshop_utils import distributions, runs, training

    run = runs.Run(RECIPE, seed=seed)
    probe = training.Probe(runs.clipping_state(distributions.mixture_recipe_target(run.settings),
                                               run.settings["latent_dim"]), every=EVERY)
    start = time.time()
    run.train(steps=steps, progress=False, callbacks=[probe])
    final = run.evaluate()
    return {"seed": seed, "steps": steps, "seconds": time.time() - start, "trace": probe.records,
            "final": {k: final[k] for k in ("modes_covered", "modes_populated", "high_quality_fraction")}}


def report(results: dict, seeds: list[int], steps: int) -> str:
    from workshop_utils import recipes

    s = recipes.RECIPES[RECIPE].settings
    rows = [results[f"{seed}/{steps}"] for seed in seeds]
    lines = [f"Measured {date.today()} on {machine()}: `{RECIPE}` (RMSProp {s['lr']:g}, c = {s['clip_value']}, "
             f"n_critic = {s['d_steps']}; Arjovsky et al. 2017), {steps:,} generator steps, seeds "
             f"{', '.join(map(str, seeds))}; raw generator, 2,500 samples, mean over the seeds.", "",
             "| generator step | weights at ±c | critic estimate | modes covered (of 8) | modes populated | high quality |",
             "|---|---|---|---|---|---|"]
    marks = sorted({t["step"] for t in rows[0]["trace"]})
    shown = [m for m in marks if m in (1000, 2000, 5000) or m % 5000 == 0]
    for m in shown:
        at = [next(t for t in r["trace"] if t["step"] == m) for r in rows]
        mean = {k: float(np.mean([t[k] for t in at])) for k in at[0] if k != "step"}
        lines.append(f"| {m:,} | {mean['share_at_clip']:.0%} | {mean['critic_estimate']:.4f} | {mean['modes_covered']:.1f} | "
                     f"{mean['modes_populated']:.1f} | {mean['high_quality_fraction']:.1%} |")
    final = {k: [r["final"][k] for r in rows] for k in rows[0]["final"]}
    lines += ["", f"After {steps:,} steps, EMA generator (like `evaluate`): modes covered "
              f"{np.mean(final['modes_covered']):.1f}, populated {np.mean(final['modes_populated']):.1f}, high quality "
              f"{np.mean(final['high_quality_fraction']):.1%} (seeds: "
              + ", ".join(f"{h:.1%}" for h in final["high_quality_fraction"])
              + f"); {np.mean([r['seconds'] for r in rows]) / 60:.1f} minutes per run. Uniform noise: 4.0 covered, "
              "0 populated, 0.3% high quality (`benchmarks/loss_zoo.py`).", "",
              "The share of weights at ±c over all checks, seed by seed (lowest–highest, and the largest change "
              "between two checks 1,000 steps apart): "
              + "; ".join(f"seed {r['seed']} {min(t['share_at_clip'] for t in r['trace']):.0%}–"
                          f"{max(t['share_at_clip'] for t in r['trace']):.0%} (largest change "
                          f"{max(abs(a['share_at_clip'] - b['share_at_clip']) for a, b in zip(r['trace'], r['trace'][1:])):.0%})"
                          for r in rows) + "."]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--steps", type=int, help="default: the recipe's step budget")
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument("--report", action="store_true", help="only rewrite the README section from stored results")
    args = parser.parse_args()
    from workshop_utils import recipes

    steps = args.steps or recipes.RECIPES[RECIPE].settings["steps"]
    results = {} if args.fresh else load_results(RESULTS)
    for seed in [] if args.report else args.seeds:
        if f"{seed}/{steps}" not in results:
            results[f"{seed}/{steps}"] = run_one(seed, steps)
            store_results(results, RESULTS)
    body = report(results, args.seeds, steps)
    write_section("wgan-clipping", body)
    print(body)


if __name__ == "__main__":
    main()
