"""The `faces-dcgan` recipe against issue 3's bar, and the shipped pretrained generator beside it.

Trains `python -m workshop_utils train faces-dcgan --data cartoon --minutes M` (offline cartoon
faces) for each budget, then `evaluate`s it and `data/pretrained/faces-dcgan` the same way: Fréchet
distance in the attribute classifier's feature space next to real-vs-real for as many faces (the
floor), and how many of the 30 attribute values are covered. The goal is every value covered and a
Fréchet distance within 3× of real-vs-real; `data/README.md` calibrates the scale (a 1-pixel blur,
a 4-pixel shift, pixel noise).

    python benchmarks/faces_dcgan.py [--minutes 10]
"""

from __future__ import annotations

import argparse
import json
import shutil
from datetime import date

from common import ROOT, cli, last_json, machine, write_section


def evaluate(run_dir) -> dict:
    return last_json(cli("evaluate", str(run_dir))[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, nargs="+", default=[10.0])
    args = parser.parse_args()

    rows = {}
    for minutes in args.minutes:
        run = ROOT / "build" / "bench" / f"faces-dcgan-{minutes:g}min"
        shutil.rmtree(run, ignore_errors=True)
        trained = last_json(cli("train", "faces-dcgan", "--data", "cartoon", "--out", str(run),
                                "--minutes", str(minutes), "--quiet")[0])
        rows[f"`train faces-dcgan --minutes {minutes:g}`"] = {"steps": trained["step"], **evaluate(run)}
    pretrained = ROOT / "data" / "pretrained" / "faces-dcgan"
    card = json.loads((pretrained / "card.json").read_text())
    rows["shipped `data/pretrained/faces-dcgan`"] = {"steps": card["steps"], **evaluate(pretrained)}

    lines = [f"Measured {date.today()} on {machine()}; offline cartoon faces, 2,000 samples against the "
             "2,000 reference faces.", "",
             "| generator | steps | Fréchet distance ↓ | real vs real | ratio (goal ≤ 3) | values covered (of 30) | uncovered |",
             "|---|---|---|---|---|---|---|"]
    for name, r in rows.items():
        ratio = r["frechet_distance"] / r["real_vs_real_fd"]
        lines.append(f"| {name} | {r['steps']:,} | {r['frechet_distance']:,.1f} | {r['real_vs_real_fd']:.1f} | "
                     f"{ratio:.1f} | {r['values_covered']} | {', '.join(r['uncovered']) or '–'} |")
    write_section("faces-dcgan", "\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
