"""The pix2pix colorizer against its L1-only baseline: the same U-Net, photos and number of steps.

Each run is `python -m workshop_utils train colorizer|colorizer-l1 --steps N --size S --colour-space C
--data D`, then `evaluate`: PSNR and SSIM, colourfulness and its gap to the truth, the a*/b* histogram
intersections of the pix2pix paper and the a*b* error, on the held-out photos (offline: the scenes of
`workshop_utils.data.PHOTO_HELD_OUT_SCENES`, never trained or tuned on). A grey row (the input
itself: a* = b* = 0) shows what "no colour at all" scores. `results/colorizer.png` shows held-out
crops: input, L1 only, cGAN + L1, ground truth.

The script can be stopped at any time: finished runs are stored in `benchmarks/results/colorizer.json`
and skipped, a half-trained run continues with `--resume`. `--fresh` starts over.

    python benchmarks/colorizer.py [--steps 5000] [--size 64] [--colour-space lab] [--data skimage] [--fresh]
"""

from __future__ import annotations

import argparse
import shutil
from datetime import date
from pathlib import Path

from common import ROOT, cli, last_json, load_results, machine, store_results, write_section

RESULTS = Path(__file__).resolve().parent / "results" / "colorizer.json"
FIGURE = RESULTS.with_suffix(".png")
RUNS = ROOT / "build" / "colorizer"
RECIPES = {"colorizer-l1": "L1 only", "colorizer": "cGAN + L1"}
COLUMNS = ("psnr", "ssim", "colourfulness", "colourfulness_gap", "hist_intersection_a", "hist_intersection_b", "ab_l1")


def settings_key(args) -> str:
    return f"{args.size}px-{args.colour_space}-{args.data.replace('/', '_')}"


def run_dir(recipe: str, args) -> Path:
    return RUNS / f"{recipe}-{settings_key(args)}"


def run_one(recipe: str, args) -> dict:
    out = run_dir(recipe, args)
    train = ["train", recipe, "--out", str(out), "--steps", str(args.steps), "--size", str(args.size),
             "--colour-space", args.colour_space, "--data", args.data, "--minutes", "1000", "--quiet"]
    if (out / "config.json").is_file():
        train.append("--resume")  # a run stopped half-way continues from its last checkpoint
    elif out.exists():
        shutil.rmtree(out)
    trained = last_json(cli(*train)[0])
    result = last_json(cli("evaluate", str(out))[0])
    return {"recipe": recipe, "steps": trained["step"], "train_seconds": trained["seconds"],
            "colourfulness_true": result["colourfulness_true"], "n": result["n"], **{c: result[c] for c in COLUMNS}}


def grey_row(args) -> dict:
    """The metrics of the grey input itself against the truth."""
    import numpy as np

    from workshop_utils import colour, data, metrics

    truth = data.load_photos(args.data, args.size).held_out.astype(np.float32) / 255.0
    grey = colour.grey_rgb(colour.to_pairs(truth)[0]).numpy()
    return {"recipe": "-", **metrics.colorization_metrics(grey, truth)}


def figure(args, n: int = 6) -> None:
    """``n`` held-out crops, evenly spread over the held-out photos, in rows: input, L1 only, cGAN + L1,
    ground truth."""
    import matplotlib
    import numpy as np

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from workshop_utils import recipes

    columns = {}
    for recipe, label in RECIPES.items():
        _, settings, generator = recipes.load_run(run_dir(recipe, args))
        grey, columns[label], truth = recipes.colorize_held_out(generator, settings)
    rows = np.linspace(0, len(truth) - 1, min(n, len(truth))).round().astype(int)
    columns = {k: v[rows] for k, v in {"input (L*)": grey, **columns, "ground truth": truth}.items()}
    fig, axes = plt.subplots(len(rows), len(columns), figsize=(1.6 * len(columns), 1.6 * len(rows)), squeeze=False)
    for j, (title, images) in enumerate(columns.items()):
        axes[0, j].set_title(title, fontsize=9)
        for i, image in enumerate(images):
            axes[i, j].imshow(image)
            axes[i, j].set_axis_off()
    fig.tight_layout()
    FIGURE.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(FIGURE, dpi=100)
    plt.close(fig)


def table(rows: dict[str, dict], args) -> str:
    truth = next(iter(rows.values()))["colourfulness_true"]
    lines = [f"Measured {date.today()} on {machine()}: {args.steps:,} generator steps per run at {args.size} px, "
             f"colour space {args.colour_space}, data {args.data}, {rows['grey input (a* = b* = 0)']['n']} held-out crops.",
             "",
             f"| model | recipe | PSNR ↑ | SSIM ↑ | colourfulness (truth {truth:.1f}) | gap to truth | "
             "hist. ∩ a* ↑ | hist. ∩ b* ↑ | a*b* error ↓ | training seconds |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for label, r in rows.items():
        recipe = f"`{r['recipe']}`" if r["recipe"] != "-" else "–"
        seconds = f"{r['train_seconds']:.0f}" if "train_seconds" in r else "–"
        lines.append(f"| {label} | {recipe} | {r['psnr']:.2f} | {r['ssim']:.3f} | {r['colourfulness']:.1f} | "
                     f"{r['colourfulness_gap']:+.1f} | {r['hist_intersection_a']:.3f} | {r['hist_intersection_b']:.3f} | "
                     f"{r['ab_l1']:.2f} | {seconds} |")
    l1, gan = rows["L1 only"], rows["cGAN + L1"]
    lines += ["", f"cGAN + L1 against L1 only: colourfulness gap {gan['colourfulness_gap']:+.1f} vs "
              f"{l1['colourfulness_gap']:+.1f}, histogram intersection a* {gan['hist_intersection_a']:.3f} vs "
              f"{l1['hist_intersection_a']:.3f} and b* {gan['hist_intersection_b']:.3f} vs {l1['hist_intersection_b']:.3f}, "
              f"PSNR {gan['psnr']:.2f} vs {l1['psnr']:.2f} dB. Figure: `results/{FIGURE.name}` "
              "(held-out crops: input, L1 only, cGAN + L1, ground truth)."]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps", type=int, default=5000)
    parser.add_argument("--size", type=int, default=64)
    parser.add_argument("--colour-space", choices=["lab", "rgb"], default="lab")
    parser.add_argument("--data", default="skimage", help="'skimage' (offline), 'tf_flowers' or a folder of photos")
    parser.add_argument("--fresh", action="store_true", help="forget stored results and runs")
    args = parser.parse_args()

    if args.fresh:
        RESULTS.unlink(missing_ok=True)
        shutil.rmtree(RUNS, ignore_errors=True)
    results = load_results(RESULTS)
    for recipe in RECIPES:
        key = f"{recipe}/{settings_key(args)}"
        if key in results and results[key]["steps"] == args.steps:
            continue
        results[key] = run_one(recipe, args)
        store_results(results, RESULTS)
        r = results[key]
        print(f"{key}: colourfulness gap {r['colourfulness_gap']:+.1f}, hist a* {r['hist_intersection_a']:.3f}, "
              f"PSNR {r['psnr']:.2f}, {r['train_seconds']:.0f} s", flush=True)
    rows = {"grey input (a* = b* = 0)": grey_row(args),
            **{label: results[f"{recipe}/{settings_key(args)}"] for recipe, label in RECIPES.items()}}
    figure(args)
    body = table(rows, args)
    write_section("colorizer", body)
    print(body)


if __name__ == "__main__":
    main()
