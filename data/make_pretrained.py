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
    python data/make_pretrained.py record [NOTEBOOK ...] # the fast path's recorded runs (e.g. record 01 02)
    python data/make_pretrained.py verify NOTEBOOK ...   # only the fast-path run of record
    python data/make_pretrained.py halve [NAME ...]      # store shipped weights at half precision, re-measure

Weights ship at half precision (float16: half the bytes, outputs within about 0.005 of the
float32 network's on a [-1, 1] scale); each card measures the weights that ship.

`record` executes each notebook top to bottom at full size on the offline data with
WORKSHOP_RECORD set, so every training in it writes its recording (workshop_utils.recorded), and
ships them in data/pretrained/recorded/ with only the weights later cells need (KEEP below). It
then runs the notebook again on the fast path and fails if any optimizer step is taken.

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
sys.path.insert(0, str(ROOT / "tools"))
from notebook_runs import NOTEBOOKS, cell_seconds, mode_env, notebook_path, run, save_times  # noqa: E402
from workshop_utils import config, recorded, runtime  # noqa: E402
from workshop_utils.recorded import half_precision  # noqa: E402
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


# The recorded runs' weights that ship: every network of a small recording (under SMALL bytes),
# else the sampling generator only; KEEP lists the exceptions, by notebook and the training's order
# in it (1 = first), with the label the training must have there (its recipe, or its trainer's
# class), so that a notebook whose trainings moved fails here instead of shipping the wrong weights:
# () ships no weights (later cells read only the history, snapshots and probes), a tuple of names
# ships those networks ("sampler" is the sampling generator). A kept sampler whose weights equal a
# shipped pretrained generator's is not stored twice: the recording points to it.
SMALL = 300_000
ZOO = ("ring-gan",) * 4 + ("ring-wgan", "ring-wgan-gp", "ring-sngan")  # notebook 06's zoo, on the ring then on the grid
KEEP = {
    # your train_step's pictures; the knob runs, measured by a probe
    "02": {1: ("StepFnTrainer", ()), **{i: ("mnist-mlp", ()) for i in (3, 4, 5, 6)}},
    "03": {1: ("faces-dcgan", ())},  # the first run: its snapshots; the resumed run is sampled and measured
    # the zoo (3-16) is measured by a probe when each run stops; the ring's WGAN (clipping) and
    # spectral-norm critics (7, 9) and the clipping run's (17) are read
    "06": {**{i: (label, ()) for i, label in enumerate(ZOO * 2, start=3)}, 7: ("ring-wgan", ("discriminator",)),
           9: ("ring-sngan", ("discriminator",)), 17: ("ring-wgan", ("sampler", "discriminator"))},
    # ACGAN's head is read; InfoGAN: a probe; faces: snapshots
    "07": {3: ("mnist-acgan", ("sampler", "discriminator")), 4: ("mnist-infogan", ()), 5: ("faces-cgan", ())},
}
RECORDED = OUT / "recorded"


def record(number: str) -> None:
    """Record every training of notebook NUMBER and ship the recordings (see the module's docstring)."""
    import tempfile

    notebook = notebook_path(number)
    staging = ROOT / "build" / "recorded" / number
    shutil.rmtree(staging, ignore_errors=True)
    with tempfile.TemporaryDirectory() as cwd:
        nb, seconds, _ = run(notebook, mode_env(WORKSHOP_RECORD=str(staging), WORKSHOP_RECORD_NOTEBOOK=number), Path(cwd))
    print(f"{notebook.name}: recorded at full size in {seconds / 60:.1f} min", flush=True)
    save_times(number, full={"seconds": round(seconds, 1), "cells": cell_seconds(nb)})
    labels = {body["order"]: body["label"] for body in map(json.loads, (p.read_text() for p in staging.glob("*/identity.json")))}
    wrong = {order: label for order, (label, _) in KEEP.get(number, {}).items() if labels.get(order) != label}
    if wrong:
        raise SystemExit(f"KEEP expects notebook {number}'s trainings {wrong} (order: label), and it made {labels}: "
                         "update KEEP to the notebook's trainings")
    for old in RECORDED.glob("*/identity.json"):
        if json.loads(old.read_text()).get("notebook") == number:
            shutil.rmtree(old.parent)
    RECORDED.mkdir(parents=True, exist_ok=True)
    for body_path in sorted(staging.glob("*/identity.json"), key=lambda p: json.loads(p.read_text())["order"]):
        body = json.loads(body_path.read_text())
        source, dest = body_path.parent, RECORDED / body["key"]
        weights = sorted(source.glob("*.weights.h5"))
        rule = KEEP.get(number, {}).get(body["order"], (None, None))[1]
        if rule is not None:
            keep = [source / f"{body['sampler'] if part == 'sampler' else part}.weights.h5" for part in rule]
        elif sum(w.stat().st_size for w in weights) < SMALL:
            keep = weights
        else:
            keep = [source / f"{body['sampler']}.weights.h5"]
        if (dest / "identity.json").is_file():  # left after this notebook's were removed: another notebook's
            raise SystemExit(f"notebook {number}'s training {body['label']} has the key of a recording of notebook "
                             f"{json.loads((dest / 'identity.json').read_text())['notebook']} ({dest}): the fast path "
                             "cannot tell them apart; give one of them other settings")
        shutil.copytree(source, dest, ignore=lambda d, names: [n for n in names if n.endswith(".weights.h5")])
        for w in keep:
            twin = recorded.pretrained_twin(w) if w.name == f"{body['sampler']}.weights.h5" else None
            if twin:
                body["weights_from"] = {body["sampler"]: twin}
                (dest / "identity.json").write_text(json.dumps(body, indent=1) + "\n")
            else:
                shutil.copy2(w, dest / w.name)
        size = sum(f.stat().st_size for f in dest.iterdir())
        kept = ", ".join(w.name for w in keep) + (f" (from pretrained/{twin})" if body.get("weights_from") else "")
        print(f"  {body['order']:2d} {body['label']:<14s} steps {body['identity']['start']}→{body['stop']:<6d} "
              f"{kept or 'no weights':<50s} {size / 1e3:8.0f} kB", flush=True)
    verify(number)


def verify(number: str) -> None:
    """Run notebook NUMBER on the fast path; fail if it takes an optimizer step (a training without
    a recording). Stores its time beside the full run's."""
    import tempfile

    notebook = notebook_path(number)
    with tempfile.TemporaryDirectory() as cwd:
        nb, seconds, calls = run(notebook, mode_env(WORKSHOP_FAST="1"), Path(cwd), count_steps=True)
    print(f"{notebook.name}: fast path {seconds:.0f} s, {calls} optimizer calls", flush=True)
    save_times(number, fast={"seconds": round(seconds, 1), "optimizer_calls": calls, "cells": cell_seconds(nb)})
    if calls:
        raise SystemExit(f"{notebook.name} took optimizer steps on the fast path: a training has no recording")


def halve(name: str) -> dict:
    """Store a shipped generator's weights at half precision in place and measure its card again
    (for runs shipped before the cards measured the shipped weights)."""
    dest = OUT / name
    card = json.loads((dest / "card.json").read_text())
    if card.get("stored", "").startswith("float16"):
        return card
    for weights in dest.glob("*.weights.h5"):
        full = weights.with_name(weights.name.replace(".weights.h5", ".full.weights.h5"))
        os.replace(weights, full)
        half_precision(full, weights)
        full.unlink()
    result = json.loads(cli("evaluate", str(dest)))
    card.update(metrics={k: v for k, v in result.items() if k not in ("recipe", "run_dir")},
                generator_bytes=(dest / config.GENERATOR_WEIGHTS).stat().st_size,
                stored="float16 (the metrics are those of the shipped weights)")
    (dest / "card.json").write_text(json.dumps(card, indent=2) + "\n")
    print(json.dumps(card), flush=True)
    return card


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
    run_config = json.loads((run / "config.json").read_text())
    settings = run_config["settings"]
    step = int(run.joinpath("history.csv").read_text().splitlines()[-1].split(",")[0])
    expected = dict(zip(args[1::2], args[2::2]))
    if run_config["recipe"] != args[0] or step != int(expected["--steps"]) or settings["seed"] != int(expected["--seed"]):
        raise SystemExit(f"{run} is a {run_config['recipe']} run at step {step} with seed {settings['seed']}, "
                         f"not what {' '.join(args)} makes")
    dest = OUT / name
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    from workshop_utils import recipes

    files = ["config.json", config.GENERATOR_WEIGHTS, "samples.png", "history.csv"]
    if recipes.get(args[0]).kind.keeps_discriminator:
        files.append(config.DISCRIMINATOR_WEIGHTS)
    for f in files:
        if f.endswith(".weights.h5"):
            half_precision(run / f, dest / f)
        else:
            shutil.copy2(run / f, dest / f)
    result = json.loads(cli("evaluate", str(dest)))  # the card measures the weights that ship
    metrics = {k: v for k, v in result.items() if k not in ("recipe", "run_dir")}
    card = {"name": name, "recipe": args[0], "command": "python -m workshop_utils train " + " ".join(args) + " --out DIR",
            "steps": step, "seed": settings["seed"], "data": settings.get("data") or "offline MNIST subset",
            "metrics": metrics, "trained_on": f"{os.cpu_count()} CPU cores ({platform.machine()}, {runtime.cpu_model()}), TensorFlow {tf.__version__}",
            "date": str(date.today()), "generator_bytes": (dest / config.GENERATOR_WEIGHTS).stat().st_size,
            "stored": "float16 (the metrics are those of the shipped weights)"}
    (dest / "card.json").write_text(json.dumps(card, indent=2) + "\n")
    print(json.dumps(card), flush=True)
    return card


def main() -> None:
    import argparse

    if sys.argv[1:2] == ["halve"]:
        for name in sys.argv[2:] or list(PRETRAINED):
            halve(name)
        return
    if sys.argv[1:2] == ["verify"]:
        for number in sys.argv[2:]:
            verify(number)
        return
    if sys.argv[1:2] == ["record"]:
        for number in sys.argv[2:] or sorted(p.name[:2] for p in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")):
            record(number)
        total = sum(f.stat().st_size for f in OUT.rglob("*") if f.is_file())
        print(f"data/pretrained holds {total / 1e6:.1f} MB")
        return

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
