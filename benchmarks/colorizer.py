"""The pix2pix colorizer against its L1-only baseline: the same U-Net, photos and number of steps.

Two stages, so that no setting is chosen on the photos it is judged on:

- ``--stage validation`` (run first) answers "which colorizer?": L1 only and cGAN + L1 in Lab and
  RGB, the PatchGAN at 3 and 2 layers, λ = 100 and 10, each trained on 13 of the 16 offline
  training scenes and measured on the other three (`split=validation`: the scenes of
  `workshop_utils.data.PHOTO_VALIDATION_SCENES`). The recipe defaults follow its verdict.
- ``--stage test`` (the must-show) trains the recipes as they ship, `python -m workshop_utils train
  colorizer|colorizer-l1 --steps N`, and evaluates them with `evaluate` on the held-out photos
  (`workshop_utils.data.PHOTO_HELD_OUT_SCENES`, never trained or tuned on) after each of the given
  step counts, continuing each run with `--resume`. `results/colorizer.png` shows held-out crops:
  input, L1 only, cGAN + L1, ground truth.

Each table gives PSNR and SSIM, colourfulness and its gap to the truth, the a*/b* histogram
intersections of the pix2pix paper, the a*b* error, and the hue distance of the colorizations to the
training photos (beside the truth's own distance to them: a colorizer that paints every photo in
its training colours sits far below it); a grey row (the input itself: a* = b* = 0) shows what "no
colour at all" scores. Finished runs are stored in `benchmarks/results/colorizer.json`
and skipped, so the script can be stopped at any time; `--fresh` forgets them.

    python benchmarks/colorizer.py --stage validation [--steps 2500]
    python benchmarks/colorizer.py --stage test [--steps 2500 5000] [--seeds 0 1 2]
"""

from __future__ import annotations

import argparse
import re
import shutil
from datetime import date
from pathlib import Path

import numpy as np

from common import ROOT, cli, last_json, load_results, machine, store_results, write_section

RESULTS = Path(__file__).resolve().parent / "results" / "colorizer.json"
FIGURE = RESULTS.with_suffix(".png")
RUNS = ROOT / "build" / "colorizer"
DATA = "offline"  # offline; the tf_flowers path is the same code with --data tf_flowers
COLUMNS = ("psnr", "ssim", "colourfulness", "colourfulness_gap", "hist_intersection_a", "hist_intersection_b", "ab_l1",
           "hue_to_training", "hue_truth_to_training")
L1, GAN = "L1 only", "cGAN + L1"

# stage -> {label: (recipe, settings given with --set)}; the validation stage changes one thing at a time
VARIANTS = {
    "validation": {
        "L1 only, Lab": ("colorizer-l1", {"colour_space": "lab"}),
        "L1 only, RGB": ("colorizer-l1", {"colour_space": "rgb"}),
        "cGAN + L1, Lab, 3-layer D, λ 100": ("colorizer", {"colour_space": "lab", "d_layers": 3, "l1_weight": 100.0}),
        "cGAN + L1, RGB, 3-layer D, λ 100": ("colorizer", {"colour_space": "rgb", "d_layers": 3, "l1_weight": 100.0}),
        "cGAN + L1, Lab, 2-layer D, λ 100": ("colorizer", {"colour_space": "lab", "d_layers": 2, "l1_weight": 100.0}),
        "cGAN + L1, Lab, 3-layer D, λ 10": ("colorizer", {"colour_space": "lab", "d_layers": 3, "l1_weight": 10.0}),
    },
    "test": {L1: ("colorizer-l1", {}), GAN: ("colorizer", {})},
}
SPLIT = {"validation": "validation", "test": "test"}


def slug(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")


def run_dir(stage: str, label: str, seed: int) -> Path:
    return RUNS / stage / slug(label) / f"seed{seed}"


def key(stage: str, label: str, seed: int, steps: int) -> str:
    return f"{stage}/{slug(label)}/seed{seed}/{steps}"


def run_one(stage: str, label: str, seed: int, steps: int) -> dict:
    """Train the variant to ``steps`` total steps (continuing its run if it has one) and evaluate it."""
    recipe, settings = VARIANTS[stage][label]
    out = run_dir(stage, label, seed)
    train = ["train", recipe, "--out", str(out), "--steps", str(steps), "--seed", str(seed), "--data", DATA,
             "--minutes", "1000", "--quiet"]
    train += [arg for k, v in {"split": SPLIT[stage], **settings}.items() for arg in ("--set", f"{k}={v}")]
    if (out / "config.json").is_file():
        train.append("--resume")  # a longer budget, or a run stopped half-way, continues from its last checkpoint
    elif out.exists():
        shutil.rmtree(out)
    stdout, seconds = cli(*train)
    trained = last_json(stdout)
    if trained["step"] != steps:
        raise RuntimeError(f"{out} is at step {trained['step']}, not {steps}; rerun with --fresh")
    result = last_json(cli("evaluate", str(out))[0])
    return {"recipe": recipe, "settings": settings, "seed": seed, "steps": trained["step"], "train_seconds": seconds,
            "colourfulness_true": result["colourfulness_true"], "n": result["n"], **{c: result[c] for c in COLUMNS}}


def grey_row(stage: str, size: int = 64) -> dict:
    """The metrics of the grey input itself against the truth."""
    import numpy as np

    from workshop_utils import colour, data, metrics

    truth = data.load_photos(DATA, size, split=SPLIT[stage]).held_out.astype(np.float32) / 255.0
    grey = colour.grey_rgb(colour.to_pairs(truth)[0]).numpy()
    return {"recipe": "-", **metrics.colorization_metrics(grey, truth)}


def figure(n: int = 6) -> None:
    """``n`` held-out crops, evenly spread over the held-out photos, in rows: input, L1 only, cGAN + L1,
    ground truth."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from workshop_utils import plotting, runs

    columns = {}
    for label in (L1, GAN):
        _, settings, generator = runs.load_run(run_dir("test", label, 0))
        grey, columns[label], truth = runs.colorize_held_out(generator, settings)
    rows = np.linspace(0, len(truth) - 1, min(n, len(truth))).round().astype(int)
    fig = plotting.image_columns({k: v[rows] for k, v in {"input (L*)": grey, **columns, "ground truth": truth}.items()},
                                 size=1.6, fontsize=9)
    FIGURE.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(FIGURE, dpi=100)
    plt.close(fig)


def mean(runs: list[dict]) -> dict:
    """The seeds' mean of every number (``_std`` beside it when there are several seeds)."""
    out = dict(runs[0])
    for k, v in runs[0].items():
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            values = np.array([r[k] for r in runs], dtype=float)
            out[k] = float(values.mean())
            out[f"{k}_std"] = float(values.std(ddof=1)) if len(runs) > 1 else None
    return out


def table(rows: dict[str, dict]) -> list[str]:
    truth = next(iter(rows.values()))["colourfulness_true"]
    hue_truth = next(r["hue_truth_to_training"] for r in rows.values() if "hue_truth_to_training" in r)

    def cell(r, k, fmt):
        std = r.get(f"{k}_std")
        return f"{r[k]:{fmt}}" + (f" ± {std:{fmt.lstrip('+')}}" if std is not None else "")

    lines = [f"| model | steps | PSNR ↑ | SSIM ↑ | colourfulness (truth {truth:.1f}) | gap to truth | "
             f"hist. ∩ a* ↑ | hist. ∩ b* ↑ | a*b* error ↓ | hue distance to training (truth {hue_truth:.3f}) | training seconds |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for label, r in rows.items():
        steps = f"{r['steps']:,.0f}" if "steps" in r else "–"
        seconds = f"{r['train_seconds']:.0f}" if "train_seconds" in r else "–"
        lines.append(f"| {label} | {steps} | {cell(r, 'psnr', '.2f')} | {r['ssim']:.3f} | {r['colourfulness']:.1f} | "
                     f"{cell(r, 'colourfulness_gap', '+.1f')} | {cell(r, 'hist_intersection_a', '.3f')} | "
                     f"{cell(r, 'hist_intersection_b', '.3f')} | {r['ab_l1']:.2f} | "
                     f"{cell(r, 'hue_to_training', '.3f') if 'hue_to_training' in r else '–'} | {seconds} |")
    return lines


def checks(l1: dict, gan: dict) -> dict[str, bool]:
    """The pix2pix paper's finding, point by point: cGAN + L1 nearer the truth in colourfulness and in
    both histograms, with PSNR within 1.5 dB of L1 only."""
    return {"colourfulness gap smaller": abs(gan["colourfulness_gap"]) < abs(l1["colourfulness_gap"]),
            "a* histogram closer": gan["hist_intersection_a"] > l1["hist_intersection_a"],
            "b* histogram closer": gan["hist_intersection_b"] > l1["hist_intersection_b"],
            "PSNR within 1.5 dB": gan["psnr"] > l1["psnr"] - 1.5}


def verdict(l1: dict, gan: dict, per_seed: list[dict[str, bool]]) -> str:
    """:func:`checks` on the seeds' means, and how many seeds each point holds for."""
    on_means = checks(l1, gan)
    held = [k for k, ok in on_means.items() if ok]
    failed = [k for k, ok in on_means.items() if not ok]
    seeds = ", ".join(f"{k} {sum(c[k] for c in per_seed)} of {len(per_seed)}" for k in on_means)
    return (f"cGAN + L1 against L1 only at {gan['steps']:,.0f} steps ({len(per_seed)} seed(s), means): colourfulness gap {gan['colourfulness_gap']:+.1f} vs "
            f"{l1['colourfulness_gap']:+.1f}, histogram intersection a* {gan['hist_intersection_a']:.3f} vs "
            f"{l1['hist_intersection_a']:.3f} and b* {gan['hist_intersection_b']:.3f} vs {l1['hist_intersection_b']:.3f}, "
            f"PSNR {gan['psnr']:.2f} vs {l1['psnr']:.2f} dB, hue distance to the training photos "
            f"{gan['hue_to_training']:.3f} vs {l1['hue_to_training']:.3f} (the truth's {gan['hue_truth_to_training']:.3f}). "
            "The paper's finding: "
            + ("holds on all four counts" if not failed else f"holds on {len(held)} of 4 counts; not on: {', '.join(failed)}")
            + f". Seed by seed: {seeds}.")


def choice(rows: dict[str, dict]) -> str:
    """The validation verdict, by a rule fixed before any run: among the cGAN variants whose PSNR is
    within 1.5 dB of the best L1-only variant, the one with the highest mean a*/b* histogram
    intersection (the pix2pix paper's colour measure)."""
    best_l1 = max(r["psnr"] for label, r in rows.items() if label.startswith(L1))
    fair = {label: r for label, r in rows.items() if label.startswith(GAN) and r["psnr"] > best_l1 - 1.5}
    if not fair:
        return f"No cGAN variant keeps PSNR within 1.5 dB of L1 only ({best_l1:.2f} dB); the recipe stays as the paper's."
    score = {label: (r["hist_intersection_a"] + r["hist_intersection_b"]) / 2 for label, r in fair.items()}
    best = max(score, key=score.get)
    return (f"The rule fixed before the runs (the highest mean a*/b* histogram intersection among the cGAN variants "
            f"whose PSNR is within 1.5 dB of the best L1 only, {best_l1:.2f} dB) picks **{best}** "
            f"(mean intersection {score[best]:.3f}).")


def report(stage: str, budgets: list[int], seeds: list[int], results: dict) -> str:
    from workshop_utils import data

    scenes = data.PHOTO_VALIDATION_SCENES if stage == "validation" else data.PHOTO_HELD_OUT_SCENES
    grey = grey_row(stage)
    lines = [f"Measured {date.today()} on {machine()}; 64 px, offline photos, evaluated on "
             f"{grey['n']} crops of {', '.join(scenes)} ({'validation: cut from the training scenes' if stage == 'validation' else 'held out'}).",
             ""]
    for steps in budgets:
        runs = {label: [results[key(stage, label, seed, steps)] for seed in seeds] for label in VARIANTS[stage]}
        rows = {"grey input (a* = b* = 0)": grey, **{label: mean(r) for label, r in runs.items()}}
        lines += [*table(rows), ""]
        if stage == "test":
            lines += [verdict(rows[L1], rows[GAN], [checks(a, b) for a, b in zip(runs[L1], runs[GAN])]), ""]
        else:
            lines += [choice(rows), ""]
    if stage == "test":
        lines.append(f"Figure: `results/{FIGURE.name}` (held-out crops: input, L1 only, cGAN + L1, ground truth).")
    return "\n".join(lines).rstrip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stage", choices=list(VARIANTS), required=True)
    parser.add_argument("--steps", type=int, nargs="+", help="step budgets, each continuing the last "
                        "(default: 2500 for validation, 2500 5000 for test)")
    parser.add_argument("--seeds", type=int, nargs="+", help="default: 0 for validation, 0 1 2 for test")
    parser.add_argument("--fresh", action="store_true", help="forget this stage's stored results and runs")
    parser.add_argument("--report", action="store_true", help="only rewrite the README section from stored results")
    args = parser.parse_args()
    budgets = sorted(args.steps or ([2500] if args.stage == "validation" else [2500, 5000]))
    seeds = args.seeds or ([0] if args.stage == "validation" else [0, 1, 2])

    results = load_results(RESULTS)
    if args.fresh:
        results = {k: v for k, v in results.items() if not k.startswith(f"{args.stage}/")}
        store_results(results, RESULTS)
        shutil.rmtree(RUNS / args.stage, ignore_errors=True)
    for seed, label in [] if args.report else [(s, v) for s in seeds for v in VARIANTS[args.stage]]:
        before = {}
        for steps in budgets:
            k = key(args.stage, label, seed, steps)
            if k not in results:
                results[k] = run_one(args.stage, label, seed, steps)
                results[k]["train_seconds"] += before.get("train_seconds", 0.0)  # a continued run's total
            before = r = results[k]
            store_results(results, RESULTS)
            print(f"{k}: colourfulness gap {r['colourfulness_gap']:+.1f}, hist a* {r['hist_intersection_a']:.3f} "
                  f"b* {r['hist_intersection_b']:.3f}, PSNR {r['psnr']:.2f}, {r['train_seconds']:.0f} s", flush=True)
    if args.stage == "test":
        figure()
    body = report(args.stage, budgets, seeds, results)
    write_section(f"colorizer-{args.stage}", body)
    print(body)


if __name__ == "__main__":
    main()
