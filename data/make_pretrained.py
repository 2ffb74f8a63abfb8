"""Train the generators that live demos load, and ship them in data/pretrained/NAME/.

Each one is trained through the command line exactly as written in its card (offline data, so the
card's command reproduces it on any machine), evaluated with `evaluate`, and copied without its
checkpoints: `config.json` and `generator.keras` (so `python -m workshop_utils sample|evaluate
data/pretrained/NAME` works), `samples.png`, `history.csv`, and `card.json` (recipe, command,
steps, seed, metrics, data, machine, date). Notebooks load them with
`workshop_utils.recipes.load_pretrained(NAME)`.

    python data/make_pretrained.py [NAME ...]
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
    "faces-dcgan": ["faces-dcgan", "--data", "cartoon", "--minutes", "30", "--seed", "0"],
    "mnist-dcgan": ["mnist-dcgan", "--minutes", "5", "--seed", "0"],
}


def cli(*args: str) -> str:
    env = {**os.environ, "WORKSHOP_OFFLINE": "1"}
    env.pop("WORKSHOP_SMOKE", None)
    proc = subprocess.run([sys.executable, "-m", "workshop_utils", *args], capture_output=True, text=True, env=env, cwd=ROOT)
    if proc.returncode != 0:
        raise RuntimeError(f"workshop_utils {' '.join(args)} failed:\n{proc.stderr}")
    return proc.stdout.strip().splitlines()[-1]


def make(name: str) -> dict:
    import tensorflow as tf

    run = ROOT / "build" / "pretrained" / name
    shutil.rmtree(run, ignore_errors=True)
    args = PRETRAINED[name]
    trained = json.loads(cli("train", *args, "--out", str(run), "--quiet"))
    result = json.loads(cli("evaluate", str(run)))
    settings = json.loads((run / "config.json").read_text())["settings"]
    dest = OUT / name
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    for f in ("config.json", "generator.keras", "samples.png", "history.csv"):
        shutil.copy2(run / f, dest / f)
    metrics = {k: v for k, v in result.items() if k not in ("recipe", "run_dir")}
    card = {"name": name, "recipe": args[0], "command": "python -m workshop_utils train " + " ".join(args) + " --out DIR",
            "steps": trained["step"], "seed": settings["seed"], "data": settings.get("data") or "offline MNIST subset",
            "metrics": metrics, "trained_on": f"{os.cpu_count()} CPU cores ({platform.machine()}), TensorFlow {tf.__version__}",
            "date": str(date.today()), "generator_bytes": (dest / "generator.keras").stat().st_size}
    (dest / "card.json").write_text(json.dumps(card, indent=2) + "\n")
    print(json.dumps(card), flush=True)
    return card


def main() -> None:
    names = sys.argv[1:] or list(PRETRAINED)
    unknown = set(names) - set(PRETRAINED)
    if unknown:
        raise SystemExit(f"unknown pretrained generator(s) {sorted(unknown)}; choose from {list(PRETRAINED)}")
    for name in names:
        make(name)
    total = sum(f.stat().st_size for f in OUT.rglob("*") if f.is_file())
    print(f"data/pretrained holds {total / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
