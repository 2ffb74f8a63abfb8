"""Train the generators that live demos load, and ship them in data/pretrained/NAME/.

Each one is trained through the command line exactly as written in its card (offline data, so the
card's command can be rerun anywhere), evaluated with `evaluate`, and copied without its
checkpoints: `config.json` and `generator.weights.h5` (with `discriminator.weights.h5` for a kind that
keeps its discriminator, InfoGAN's, whose Q reads codes back; so `python -m workshop_utils sample|evaluate
data/pretrained/NAME` works), `samples.png`, `history.csv`, and `card.json` (recipe, command,
steps, seed, metrics, data, machine, date). Notebooks load them with
`workshop_utils.runs.load_pretrained(NAME)`.

    python data/make_pretrained.py [NAME ...]
    python data/make_pretrained.py NAME --from-run DIR   # ship a finished run made by NAME's command

The commands fix the number of steps, not minutes, so on one machine they reproduce the same
weights (a run resumed to the same step count is identical, which is what --from-run relies on).
Another machine's CPU kernels may round differently, and a GAN amplifies such differences: seed 0
of mnist-infogan matched its code to the digits in 89.0% of samples on one 2-core machine and in
66.6% on another (benchmarks/README.md). The card records the machine.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "pretrained"

# name → the train command's arguments (after `python -m workshop_utils train`)
PRETRAINED = {
    "faces-dcgan": ["faces-dcgan", "--data", "cartoon", "--steps", "20000", "--seed", "0", "--minutes", "600"],
    "mnist-dcgan": ["mnist-dcgan", "--steps", "6000", "--seed", "0", "--minutes", "600"],
    # the cGAN + L1 run of benchmarks/colorizer.py --stage test (ship it with --from-run)
    "colorizer": ["colorizer", "--data", "offline", "--steps", "5000", "--seed", "0", "--minutes", "600"],
    # the projection-D run of benchmarks/conditional.py --stage mnist (ship it with --from-run)
    "mnist-cgan": ["mnist-cgan", "--steps", "6000", "--seed", "0", "--minutes", "600"],
    # seed 1, the median of benchmarks/conditional.py --stage infogan on the machine that trained it
    # (ship it with --from-run; its discriminator ships too: Q lives there)
    "mnist-infogan": ["mnist-infogan", "--steps", "5000", "--seed", "1", "--minutes", "600"],
    "faces-cgan": ["faces-cgan", "--steps", "7000", "--seed", "0", "--minutes", "600"],
}


def cli(*args: str) -> str:
    env = {**os.environ, "WORKSHOP_OFFLINE": "1"}
    env.pop("WORKSHOP_SMOKE", None)
    proc = subprocess.run([sys.executable, "-m", "workshop_utils", *args], capture_output=True, text=True, env=env, cwd=ROOT)
    if proc.returncode != 0:
        raise RuntimeError(f"workshop_utils {' '.join(args)} failed:\n{proc.stderr}")
    return proc.stdout.strip().splitlines()[-1]


def make(name: str, from_run: Path | None = None) -> dict:
    import tensorflow as tf

    args = PRETRAINED[name]
    if from_run is None:
        run = ROOT / "build" / "pretrained" / name
        shutil.rmtree(run, ignore_errors=True)
        cli("train", *args, "--out", str(run), "--quiet")
    else:
        run = from_run
    config = json.loads((run / "config.json").read_text())
    settings = config["settings"]
    step = int(run.joinpath("history.csv").read_text().splitlines()[-1].split(",")[0])
    expected = dict(zip(args[1::2], args[2::2]))
    if config["recipe"] != args[0] or step != int(expected["--steps"]) or settings["seed"] != int(expected["--seed"]):
        raise SystemExit(f"{run} is a {config['recipe']} run at step {step} with seed {settings['seed']}, "
                         f"not what {' '.join(args)} makes")
    result = json.loads(cli("evaluate", str(run)))
    dest = OUT / name
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    from workshop_utils import recipes, runs

    files = ["config.json", runs.GENERATOR_WEIGHTS, "samples.png", "history.csv"]
    if recipes.get(args[0]).kind.keeps_discriminator:
        files.append(runs.DISCRIMINATOR_WEIGHTS)
    for f in files:
        shutil.copy2(run / f, dest / f)
    metrics = {k: v for k, v in result.items() if k not in ("recipe", "run_dir")}
    card = {"name": name, "recipe": args[0], "command": "python -m workshop_utils train " + " ".join(args) + " --out DIR",
            "steps": step, "seed": settings["seed"], "data": settings.get("data") or "offline MNIST subset",
            "metrics": metrics, "trained_on": f"{os.cpu_count()} CPU cores ({platform.machine()}), TensorFlow {tf.__version__}",
            "date": str(date.today()), "generator_bytes": (dest / "generator.weights.h5").stat().st_size}
    (dest / "card.json").write_text(json.dumps(card, indent=2) + "\n")
    print(json.dumps(card), flush=True)
    return card


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("names", nargs="*", help=f"default: all of {', '.join(PRETRAINED)}")
    parser.add_argument("--from-run", type=Path)
    args = parser.parse_args()
    args.names = args.names or list(PRETRAINED)
    unknown = set(args.names) - set(PRETRAINED)
    if unknown:
        raise SystemExit(f"unknown pretrained generator(s) {sorted(unknown)}; choose from {', '.join(PRETRAINED)}")
    if args.from_run and len(args.names) != 1:
        raise SystemExit("--from-run ships one run: name exactly one generator")
    for name in args.names:
        make(name, args.from_run)
    total = sum(f.stat().st_size for f in OUT.rglob("*") if f.is_file())
    print(f"data/pretrained holds {total / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
