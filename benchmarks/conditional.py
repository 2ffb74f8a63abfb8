"""Notebook 07's comparisons, side by side on one machine: what conditioning buys on MNIST and on faces.

Stage ``mnist`` trains ``mnist-dcgan``, ``mnist-cgan`` (projection discriminator), ``mnist-cgan
--conditioning concat`` and ``mnist-acgan`` for the same steps and seed, then for each
conditional run draws ``sample --label L --n 1000`` for every digit L: the course's MNIST
classifier reads each sample, and the 10,000 give the label accuracy and the Fréchet distance
(against the 2,000 offline test digits, beside the unconditional run's 10,000 samples).

Stage ``infogan`` trains ``mnist-infogan`` (no labels) with three seeds at the recipe's steps and
``evaluate``s each: the categorical code against the digit the classifier reads (matched one to
one), Q's code read off the real test digits against their labels, and |r| of each continuous code
with slant and ink area.

Stage ``faces`` trains ``faces-cgan`` and asks it for a smiling face with each of the five hair
colours, beside notebook 05's latent arithmetic (smiling(A) − neutral(A) + neutral(B)) on the
shipped unconditional ``faces-dcgan``; the faces attribute classifier judges both. Stage
``arithmetic`` measures only the arithmetic again (seeds 0, 1, 2, and with any member of a concept
as exemplar: two minutes, no training), for when the shipped generator changes.

    python benchmarks/conditional.py --stage mnist [--steps 6000] [--only projection concat ...]
    python benchmarks/conditional.py --stage infogan [--seeds 0 1 2]
    python benchmarks/conditional.py --stage faces [--steps 7000]
    python benchmarks/conditional.py --stage arithmetic
    python benchmarks/conditional.py --report      # rewrite the README sections from the stored results

A run directory under build/bench/conditional/ that the same command already finished is reused,
not retrained (so a stage stopped part-way resumes, and runs can be trained one by one).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
from datetime import date
from pathlib import Path

import numpy as np

from common import ROOT, cli, last_json, load_results, machine, store_results, write_section

RESULTS = Path(__file__).resolve().parent / "results" / "conditional.json"
MNIST_RUNS = {  # label: (recipe, extra flags)
    "mnist-dcgan (no labels)": ("mnist-dcgan", []),
    "mnist-cgan, projection D": ("mnist-cgan", []),
    "mnist-cgan, one-hot channels (concat)": ("mnist-cgan", ["--conditioning", "concat"]),
    "mnist-acgan": ("mnist-acgan", []),
}
ARITHMETIC = "faces-dcgan, arithmetic in z (shipped, 20,000 steps)"
ARITHMETIC_RUNS = {  # label: extra flags of evaluate --latent (the first is the table's row)
    ARITHMETIC: [],
    f"{ARITHMETIC}, seed 1": ["--seed", "1"],
    f"{ARITHMETIC}, seed 2": ["--seed", "2"],
    f"{ARITHMETIC}, any member": ["--exemplars", "0"],
}


def run_dir(*parts) -> Path:
    return ROOT / "build" / "bench" / "conditional" / "-".join(map(str, parts))


def finished(out: Path, recipe: str, flags: tuple[str, ...]) -> dict | None:
    """{"step", "seconds"} of the finished run in ``out`` if ``train RECIPE FLAGS`` made it (this
    stage before, or the same command elsewhere), else None."""
    if not (out / "generator.weights.h5").is_file():
        return None
    config = json.loads((out / "config.json").read_text())
    asked = {k[2:].replace("-", "_"): v for k, v in zip(flags[::2], flags[1::2])}
    asked.setdefault("seed", "0")
    header, *_, last = out.joinpath("history.csv").read_text().splitlines()
    row = dict(zip(header.split(","), last.split(",")))
    if config["recipe"] != recipe or any(str(config["settings"].get(k)) != v for k, v in asked.items()):
        return None
    return {"step": int(row["step"]), "seconds": float(row["seconds"])}


def train(recipe: str, out: Path, *flags: str) -> dict:
    """Train into ``out``, or reuse the finished run already there that the same command made."""
    done = finished(out, recipe, flags)
    if done:
        print(f"reusing the finished run {out}", flush=True)
        return done
    shutil.rmtree(out, ignore_errors=True)
    return last_json(cli("train", recipe, "--out", str(out), "--minutes", "600", "--quiet", *flags)[0])


def label_samples(out: Path, n: int = 1000) -> dict:
    """``sample --label L --n n`` for every digit, read by the MNIST classifier."""
    from workshop_utils import data, metrics

    images, labels = [], []
    for label in range(10):
        path = out / f"label-{label}.npz"
        cli("sample", str(out), "--n", str(n), "--label", str(label), "--seed", str(label), "--out", str(path))
        with np.load(path) as f:
            assert (f["labels"] == label).all()
            images.append(f["samples"])
            labels.append(f["labels"])
    images, labels = np.concatenate(images), np.concatenate(labels)
    result = metrics.mnist_metric().evaluate(images, data.load_mnist(source="offline").x_test, labels)
    read = metrics.mnist_metric().features_and_probs(images)[1].argmax(1)
    result["per_label_accuracy"] = [float(np.mean(read[labels == d] == d)) for d in range(10)]
    return result


def stage_mnist(steps: int, only: list[str] | None = None) -> dict:
    rows = {}
    for name, (recipe, flags) in MNIST_RUNS.items():
        if only and not any(o in name for o in only):
            continue
        out = run_dir(recipe, *flags, steps)
        trained = train(recipe, out, "--steps", str(steps), "--seed", "0", *flags)
        row = {"steps": trained["step"], "steps_per_second": trained["step"] / trained["seconds"]}
        if recipe == "mnist-dcgan":
            row.update(last_json(cli("evaluate", str(out), "--n", "10000")[0]))
        else:
            row.update(label_samples(out))
        rows[name] = row
    return rows


def stage_infogan(seeds: list[int]) -> dict:
    rows = {}
    for seed in seeds:
        out = run_dir("mnist-infogan", seed)
        trained = train("mnist-infogan", out, "--seed", str(seed))
        rows[f"seed {seed}"] = {"steps": trained["step"], "steps_per_second": trained["step"] / trained["seconds"],
                                **last_json(cli("evaluate", str(out), "--n", "10000")[0])}
    return rows


def stage_faces(steps: int) -> dict:
    """faces-cgan asked for each hair colour with a smile, beside notebook 05's arithmetic on the
    shipped unconditional generator (200 trials, the classifier's 10 surest faces per concept)."""
    from workshop_utils import runs

    out = run_dir("faces-cgan", steps)
    trained = train("faces-cgan", out, "--steps", str(steps), "--seed", "0")
    recipe, settings, generator = runs.load_run(out)
    requests = runs.attribute_requests(recipe, settings, generator, n=200)
    measured = last_json(cli("evaluate", str(out), "--n", "2000")[0])
    return {"faces-cgan": {"steps": trained["step"], "steps_per_second": trained["step"] / trained["seconds"],
                           **measured, **requests}, **stage_arithmetic()}


def stage_arithmetic() -> dict:
    """Notebook 05's arithmetic on the shipped faces-dcgan (200 trials), with the hash of the
    weights it read: a reshipped generator makes the stored rates stale, and tests/test_claims.py
    says so."""
    shipped = ROOT / "data" / "pretrained" / "faces-dcgan"
    rows = {}
    for label, flags in ARITHMETIC_RUNS.items():
        rows[label] = last_json(cli("evaluate", str(shipped), "--latent", "--trials", "200", *flags)[0])
        rows[label]["generator_sha256"] = sha256(shipped)
    return rows


def sha256(run: Path) -> str:
    from workshop_utils import config

    return hashlib.sha256((run / config.GENERATOR_WEIGHTS).read_bytes()).hexdigest()


def faces_section(results: dict) -> str:
    shipped = sha256(ROOT / "data" / "pretrained" / "faces-dcgan")
    lines = []
    for key in sorted(results, reverse=True):
        rows = results[key]
        cgan, arithmetic = rows.get("faces-cgan"), rows.get(ARITHMETIC)
        colours = list(cgan["rates"]) if cgan else []
        lines += [f"Measured {key}; 200 faces per request, read by the faces attribute classifier of `data/`.", "",
                  "| " + " | ".join(["generator", "steps", "smiling with hair B (mean of five) ↑", "worst colour", *colours]) + " |",
                  "|" + "---|" * (4 + len(colours))]
        if cgan:
            lines.append(f"| faces-cgan, asked | {cgan['steps']:,} | {cgan['mean_rate']:.1%} | {cgan['worst']}: "
                         f"{cgan['worst_rate']:.1%} | " + " | ".join(f"{cgan['rates'][c]:.1%}" for c in colours) + " |")
        if arithmetic:
            dashes = "".join(" – |" for _ in colours)
            lines += [f"| faces-dcgan, arithmetic in z ({arithmetic['trials']} trials) | 20,000 | "
                      f"{arithmetic['success_rate']:.1%} | – |{dashes}",
                      f"| faces-dcgan, a random z (the arithmetic's baseline) | 20,000 | {arithmetic['baseline_rate']:.1%} | – |{dashes}"]
        lines.append("")
        if cgan:
            lines += [f"faces-cgan on 2,000 balanced requests: hair colour read as asked {cgan['hair_colour_accuracy']:.1%}, "
                      f"mouth {cgan['mouth_accuracy']:.1%}, both {cgan['all_hold_rate']:.1%}; Fréchet distance "
                      f"{cgan['frechet_distance']:.1f} (real vs real at the same size {cgan['real_vs_real_fd']:.1f}).", ""]
        others = [f"{label.removeprefix(ARITHMETIC + ', ')} {rows[label]['success_rate']:.1%} (baseline "
                  f"{rows[label]['baseline_rate']:.1%})" for label in list(ARITHMETIC_RUNS)[1:] if label in rows]
        if others:
            lines += ["The arithmetic with other draws: " + "; ".join(others) + ".", ""]
        if arithmetic and arithmetic.get("generator_sha256") != shipped:
            lines += ["The arithmetic above read a faces-dcgan that no longer ships (its weights were since stored at "
                      "half precision); a newer measurement reads the shipped one.", ""]
    return "\n".join(lines).rstrip()


def mnist_section(results: dict) -> str:
    lines = []
    for key in sorted(results, reverse=True):
        rows = results[key]
        base = rows["mnist-dcgan (no labels)"]["frechet_distance"]
        lines += [f"Measured {key}; 10,000 samples each (1,000 per requested digit), the MNIST classifier of `data/`.", "",
                  "| recipe | steps | steps/s | label accuracy ↑ | worst digit | Fréchet distance ↓ | FD ÷ mnist-dcgan's | classes covered |",
                  "|---|---|---|---|---|---|---|---|"]
        for name, r in rows.items():
            acc = f"{r['label_accuracy']:.1%}" if "label_accuracy" in r else "–"
            worst = (f"{int(np.argmin(r['per_label_accuracy']))}: {min(r['per_label_accuracy']):.1%}"
                     if "per_label_accuracy" in r else "–")
            lines.append(f"| {name} | {r['steps']:,} | {r['steps_per_second']:.1f} | {acc} | {worst} | "
                         f"{r['frechet_distance']:.1f} | {r['frechet_distance'] / base:.2f} | {r['classes_covered']} |")
        lines.append("")
    return "\n".join(lines).rstrip()


def infogan_section(results: dict) -> str:
    lines = []
    for key in sorted(results, reverse=True):
        rows = results[key]
        lines += [f"Measured {key}; 10,000 samples each, Q on the 2,000 offline test digits.", "",
                  "| run | steps | steps/s | code ↔ digit read (matched) ↑ | Q on real digits (matched) ↑ | slant \\|r\\| (c₁, c₂) | ink \\|r\\| (c₁, c₂) | Fréchet distance |",
                  "|---|---|---|---|---|---|---|---|"]
        for name, r in rows.items():
            lines.append(f"| {name} | {r['steps']:,} | {r['steps_per_second']:.1f} | {r['code_accuracy']:.1%} | "
                         f"{r['q_accuracy_on_real']:.1%} | {r['slant_abs_r'][0]:.2f}, {r['slant_abs_r'][1]:.2f} | "
                         f"{r['ink_abs_r'][0]:.2f}, {r['ink_abs_r'][1]:.2f} | {r['frechet_distance']:.1f} |")
        median = float(np.median([r["code_accuracy"] for r in rows.values()]))
        lines += ["", f"Median matched accuracy of the categorical code: {median:.1%}.", ""]
    return "\n".join(lines).rstrip()


def report(results: dict) -> None:
    if results.get("mnist"):
        write_section("conditional-mnist", mnist_section(results["mnist"]))
    if results.get("infogan"):
        write_section("conditional-infogan", infogan_section(results["infogan"]))
    if results.get("faces"):
        write_section("conditional-faces", faces_section(results["faces"]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stage", choices=["mnist", "infogan", "faces", "arithmetic"],
                        help="arithmetic: only notebook 05's arithmetic on the shipped faces-dcgan, stored with the faces")
    parser.add_argument("--steps", type=int, help="steps of every run (stage mnist: 6000, faces: 7000)")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2], help="stage infogan: the seeds")
    parser.add_argument("--only", nargs="+", help="stage mnist: only the runs whose label contains one of these")
    parser.add_argument("--label", help="added to the measurement's name (date and machine), to keep two measurements of one day apart")
    parser.add_argument("--report", action="store_true", help="only rewrite the README sections")
    args = parser.parse_args()
    results = load_results(RESULTS)
    if args.stage and not args.report:
        key = f"{date.today()} on {machine()}" + (f", {args.label}" if args.label else "")
        stages = {"mnist": lambda: stage_mnist(args.steps or 6000, args.only), "infogan": lambda: stage_infogan(args.seeds),
                  "faces": lambda: stage_faces(args.steps or 7000), "arithmetic": stage_arithmetic}
        rows = stages[args.stage]()
        results.setdefault("faces" if args.stage == "arithmetic" else args.stage, {}).setdefault(key, {}).update(rows)
        store_results(results, RESULTS)
    report(results)


if __name__ == "__main__":
    main()
