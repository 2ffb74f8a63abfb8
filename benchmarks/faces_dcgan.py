"""The `faces-dcgan` recipe against issue 3's bar, judged at a number of steps, and the shipped
pretrained generator beside it.

Trains `python -m workshop_utils train faces-dcgan --data cartoon --steps N` (offline cartoon faces;
7,000 steps by default, with no time limit), then `evaluate`s it and `data/pretrained/faces-dcgan`
the same way: Fréchet distance in the attribute classifier's feature space next to real-vs-real for
as many faces (the floor), and how many of the 30 attribute values are covered. The goal is every
value covered and a Fréchet distance within 3× of real-vs-real; `data/README.md` calibrates the
scale (a 1-pixel blur, a 4-pixel shift, pixel noise).

Machines differ about twofold in speed, so the bar is judged after a number of steps, and the
machine's steps per second are stored beside it: each measurement goes into
`benchmarks/results/faces_dcgan.json` with its date and machine (earlier rows, measured with a
wall-clock budget, `--minutes`, are kept), and the README section lists them all.

    python benchmarks/faces_dcgan.py [--steps 7000]
    python benchmarks/faces_dcgan.py --report      # rewrite the section from the stored results
"""

from __future__ import annotations

import argparse
import json
import shutil
from datetime import date
from pathlib import Path

from common import ROOT, cli, last_json, load_results, machine, store_results, write_section

RESULTS = Path(__file__).resolve().parent / "results" / "faces_dcgan.json"
PRETRAINED = "shipped `data/pretrained/faces-dcgan`"


def evaluate(run_dir) -> dict:
    return last_json(cli("evaluate", str(run_dir))[0])


def measure(steps: int) -> dict:
    """One row for the recipe after ``steps`` and one for the shipped generator, on this machine."""
    rows = {}
    run = ROOT / "build" / "bench" / f"faces-dcgan-{steps}steps"
    shutil.rmtree(run, ignore_errors=True)
    trained = last_json(cli("train", "faces-dcgan", "--data", "cartoon", "--out", str(run),
                            "--steps", str(steps), "--minutes", "100000", "--quiet")[0])
    assert trained["step"] == steps, trained  # the steps, not a time limit, ended the run
    rows[f"`train faces-dcgan --steps {steps}`"] = {
        "steps": trained["step"], "steps_per_second": trained["step"] / trained["seconds"], **evaluate(run)}
    card = json.loads((ROOT / "data" / "pretrained" / "faces-dcgan" / "card.json").read_text())
    rows[PRETRAINED] = {"steps": card["steps"], **evaluate(ROOT / "data" / "pretrained" / "faces-dcgan")}
    return rows


def section(results: dict) -> str:
    lines = ["Offline cartoon faces, 2,000 samples against the 2,000 reference faces; one table per "
             "measurement, newest first. The rows trained with `--minutes` (before the bar was judged at steps) "
             "got as many steps as the machine's speed allowed."]
    for key in sorted(results, reverse=True):
        lines += ["", f"Measured {key}.", "",
                  "| generator | steps | steps/s | Fréchet distance ↓ | real vs real | ratio (goal ≤ 3) | values covered (of 30) | uncovered |",
                  "|---|---|---|---|---|---|---|---|"]
        for name, r in results[key].items():
            ratio = r["frechet_distance"] / r["real_vs_real_fd"]
            speed = f"{r['steps_per_second']:.1f}" if "steps_per_second" in r else "–"
            lines.append(f"| {name} | {r['steps']:,} | {speed} | {r['frechet_distance']:,.1f} | {r['real_vs_real_fd']:.1f} | "
                         f"{ratio:.1f} | {r['values_covered']} | {', '.join(r['uncovered']) or '–'} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps", type=int, default=7000)
    parser.add_argument("--report", action="store_true", help="only rewrite the README section from stored results")
    args = parser.parse_args()

    results = load_results(RESULTS)
    if not args.report:
        results[f"{date.today()} on {machine()}"] = measure(args.steps)
        store_results(results, RESULTS)
    body = section(results)
    write_section("faces-dcgan", body)
    print(body)


if __name__ == "__main__":
    main()
