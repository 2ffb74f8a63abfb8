"""The command line: ``python -m workshop_utils list | train | sample | evaluate | colorize``.

Every user error (unknown recipe, bad flag, unreadable run directory: a
:class:`~workshop_utils.errors.UserError`) is one line on stderr and exit code 2, never a traceback.
Any other exception is a bug and shows its traceback. Recipe names, settings and run directories
are checked before TensorFlow is imported, so such an error is instant.

``train`` offers the flags the recipes declare (:attr:`Recipe.flags <workshop_utils.recipes.Recipe.flags>`);
a flag the chosen recipe does not declare is an error, and any setting can be given with ``--set``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import warnings
from pathlib import Path

import numpy as np

from . import kinds, recipes
from .errors import UserError

USAGE_ERROR = 2


class CliError(UserError):
    """A user error found by the command line itself: printed as one line, exit code 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line instead of usage + message
        raise CliError(f"{message} (see python -m {self.prog} --help)")


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="workshop_utils", description="Train, sample and evaluate the course's GAN recipes.")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    sub.add_parser("list", help="list the recipes")

    t = sub.add_parser("train", help="train a recipe into a run directory")
    t.add_argument("recipe")
    t.add_argument("--out", required=True, type=Path, help="run directory (must not exist unless --resume)")
    t.add_argument("--steps", type=_positive_int, help="total generator steps of the run")
    t.add_argument("--minutes", type=_positive_float, help="wall-clock budget for this invocation")
    t.add_argument("--seed", type=int)
    t.add_argument("--batch-size", type=_positive_int)
    for setting, (kind, choices, text) in _recipe_flags().items():
        t.add_argument(_flag(setting), type=kind, choices=choices, help=text)
    t.add_argument("--set", action="append", default=[], type=_setting, metavar="KEY=VALUE", dest="settings",
                   help="any other recipe setting, e.g. --set l1_weight=10 --set split=validation (the value is read "
                        "as JSON, else as text; see the recipe's config.json for the names)")
    t.add_argument("--resume", action="store_true", help="continue the run in --out from its last checkpoint")
    t.add_argument("--quiet", action="store_true", help="no progress bar")

    s = sub.add_parser("sample", help="write samples of a trained run to an .npz")
    s.add_argument("run_dir", type=Path)
    s.add_argument("--n", type=_positive_int, default=64)
    s.add_argument("--out", required=True, type=Path)
    s.add_argument("--seed", type=int, default=0)
    s.add_argument("--label", type=int, help="conditional runs: draw every sample for this label (InfoGAN: this value of "
                                             "its categorical code); default: the labels in turn")
    s.add_argument("--condition", action="append", default=[], metavar="NAME=VALUE", type=_setting,
                   help="conditional runs on several variables, e.g. --condition hair_colour=blonde --condition "
                        "mouth=smiling; a variable left out takes its values in turn")

    e = sub.add_parser("evaluate", help="print the run's quality metrics as one JSON object")
    e.add_argument("run_dir", type=Path)
    e.add_argument("--n", type=_positive_int)
    e.add_argument("--seed", type=int, default=0)
    e.add_argument("--latent", action="store_true",
                   help="faces runs: measure latent arithmetic smiling(A) − neutral(A) + neutral(B) instead")
    e.add_argument("--trials", type=_positive_int, default=100, help="with --latent: number of arithmetic trials")
    e.add_argument("--exemplars", type=int, default=10,
                   help="with --latent: draw each concept's three faces among the K the classifier is surest of "
                        "(0: among all faces it puts in the concept)")

    c = sub.add_parser("colorize", help="colorize photos with a trained colorizer run (PNG, same size as each input)")
    c.add_argument("images", nargs="+", type=Path)
    c.add_argument("--run", required=True, type=Path, help="run directory of a colorizer or colorizer-l1 run")
    c.add_argument("--out", required=True, type=Path, help="folder for the colorized PNGs (NAME-colorized.png)")
    return p


def _flag(setting: str) -> str:
    return "--" + setting.replace("_", "-")


def _recipe_flags() -> dict[str, tuple]:
    """Every setting some recipe offers as a flag: (type, choices, help naming the recipes)."""
    out: dict[str, tuple] = {}
    for setting in dict.fromkeys(k for r in recipes.RECIPES.values() for k in r.flags):
        declaring = [r for r in recipes.RECIPES.values() if setting in r.flags]
        default = declaring[0].settings[setting]
        kind = _positive_int if type(default) is int else (float if type(default) is float else str)
        choices = sorted({c for r in declaring for c in r.choices.get(setting, ())}) or None
        helps: dict[str, list[str]] = {}
        for r in declaring:
            helps.setdefault(r.flags[setting], []).append(r.name)
        out[setting] = (kind, choices, "; ".join(f"{', '.join(names)}: {text}" for text, names in helps.items()))
    return out


def _positive_int(text: str) -> int:
    value = int(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {text}")
    return value


def _setting(text: str) -> tuple[str, object]:
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE, got {text!r}")
    try:
        return key, json.loads(value)
    except json.JSONDecodeError:
        return key, value


def _positive_float(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be a positive number, got {text}")
    return value


def _cmd_list(args) -> None:
    for r in recipes.RECIPES.values():
        s = r.settings
        budget = "no time limit" if s["minutes"] is None else f"or {s['minutes']:g} min"
        print(f"{r.name:14s} {r.summary}  [defaults: {s['steps']} steps {budget}, batch {s['batch_size']}]")


def _cmd_train(args) -> None:
    recipe = recipes.get(args.recipe)
    if args.out.exists() and not args.resume and any(args.out.iterdir()):
        raise CliError(f"run directory {args.out} already exists; pass --resume to continue it or choose a new --out")
    if args.out.exists() and not args.out.is_dir():
        raise CliError(f"--out {args.out} is a file, not a directory")
    flags = {k: getattr(args, k) for k in _recipe_flags() if getattr(args, k) is not None}
    foreign = sorted(_flag(k) for k in flags if k not in recipe.flags)
    if foreign:
        offered = " ".join(_flag(k) for k in recipe.flags) or "none"
        raise CliError(f"{', '.join(foreign)}: not a flag of recipe {recipe.name} (its flags: {offered}; any setting: --set KEY=VALUE)")
    flags.update(seed=args.seed, batch_size=args.batch_size, steps=args.steps)
    extra = dict(args.settings)
    twice = sorted(k for k in extra if flags.get(k) is not None or k in ("steps", "minutes"))
    if twice:
        raise CliError(f"--set {', '.join(twice)}: use the flag of the same name instead")
    overrides = {**flags, **extra}
    if not args.resume or not (args.out / "config.json").is_file():
        recipe.resolve(**overrides)  # bad settings fail here, before TensorFlow loads
    _import_tensorflow_quietly()
    from . import runs

    run = runs.Run(recipe, args.out, resume=args.resume, **overrides)
    if run.start_step:
        print(f"resuming {args.out} from step {run.start_step}", file=sys.stderr)
    run.train(args.steps, args.minutes, progress=not args.quiet)
    row = run.history.rows[-1] if run.history.rows else {}
    print(json.dumps({"run_dir": str(args.out), "recipe": recipe.name, "step": int(run.trainer.step.numpy()),
                      **{k: round(float(v), 4) for k, v in row.items() if k != "step"}}))


def _cmd_sample(args) -> None:
    recipe, settings = recipes.read_run_dir(args.run_dir)
    if not recipe.kind.latent:
        raise CliError(f"{args.run_dir} is a {recipe.name} run, which maps photos rather than latent vectors; "
                       "use python -m workshop_utils colorize IMAGE... --run DIR --out OUTDIR")
    labels = _requested_labels(recipe, settings, args) if args.label is not None or args.condition else None
    _import_tensorflow_quietly()
    from . import runs

    recipe, settings, generator = runs.load_run(args.run_dir)
    arrays = recipe.kind.sample(recipe, settings, generator, args.n, args.seed, labels)
    named = dict(zip(("samples", "z", "c"), arrays))
    if recipe.condition is not None:
        decoded = recipe.condition(settings).decode(named["c"])
        named["labels"] = decoded[:, 0] if decoded.shape[1] == 1 else decoded
    args.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(args.out, **named)
    print(f"wrote {args.n} samples {arrays[0].shape} {arrays[0].dtype} to {args.out}")


def _requested_labels(recipe: recipes.Recipe, settings: dict, args) -> np.ndarray:
    """The N×variables labels that ``sample --label`` / ``--condition`` ask for (checked here)."""
    flag = "--label" if args.label is not None else "--condition"
    if recipe.condition is None:
        raise CliError(f"{flag}: {recipe.name} is not conditional; it draws from z alone")
    condition = recipe.condition(settings)
    if args.label is not None and args.condition:
        raise CliError("give --label (one variable) or --condition NAME=VALUE (several), not both")
    if args.label is not None and len(condition.categories) != 1:
        raise CliError(f"--label: {recipe.name} is conditioned on {', '.join(condition.names)}; give each with --condition NAME=VALUE")
    if args.label is not None:
        asked = {0: args.label}
    else:
        labels = {name: condition.label(name, str(value)) for name, value in args.condition}  # checks the names
        asked = {condition.names.index(name): label for name, label in labels.items()}
    labels = condition.balanced(args.n, asked)
    condition.encode(labels)  # checks the ranges
    return labels


def _cmd_evaluate(args) -> None:
    recipe, _ = recipes.read_run_dir(args.run_dir)
    if args.latent and recipe.name != "faces-dcgan":
        raise CliError(f"--latent measures latent arithmetic with the faces attribute classifier; {args.run_dir} is a "
                       f"{recipe.name} run, not faces-dcgan")
    _import_tensorflow_quietly()
    from . import runs

    if args.latent:
        recipe, settings, generator = runs.load_run(args.run_dir)
        result = {"recipe": recipe.name,
                  **runs.evaluate_latent_arithmetic(recipe, settings, generator, trials=args.trials,
                                                  exemplars=args.exemplars or None, seed=args.seed)}
    else:
        result = runs.evaluate_run(args.run_dir, args.n, args.seed)
    print(json.dumps({**result, "run_dir": str(args.run_dir)}))


def _cmd_colorize(args) -> None:
    recipe, _ = recipes.read_run_dir(args.run)
    if recipe.kind is not kinds.PAIRS:
        raise CliError(f"{args.run} is a {recipe.name} run, not a colorizer; train one with "
                       "python -m workshop_utils train colorizer --out DIR")
    _import_tensorflow_quietly()
    import tensorflow as tf

    from . import colour, data, runs

    photos = [(path, *data.read_photo(path)) for path in args.images]  # every input is checked before the model loads
    recipe, settings, generator = runs.load_run(args.run)
    args.out.mkdir(parents=True, exist_ok=True)
    written: set[Path] = set()
    for path, rgb, alpha in photos:
        pixels = np.rint(255.0 * colour.colorize(generator, rgb, settings["size"], settings["colour_space"]))
        if alpha is not None:  # transparency is kept
            pixels = np.concatenate([pixels, np.rint(255.0 * alpha)[..., None]], axis=-1)
        target, k = args.out / f"{path.stem}-colorized.png", 1
        while target in written:  # inputs with the same name from different folders
            k += 1
            target = args.out / f"{path.stem}-colorized-{k}.png"
        written.add(target)
        tf.io.write_file(str(target), tf.io.encode_png(pixels.astype(np.uint8)))
        print(f"wrote {target} ({pixels.shape[1]}×{pixels.shape[0]})")


COMMANDS = {"list": _cmd_list, "train": _cmd_train, "sample": _cmd_sample, "evaluate": _cmd_evaluate,
            "colorize": _cmd_colorize}


def _import_tensorflow_quietly() -> None:
    """Import TensorFlow and find its devices with the start-up log lines it writes straight to fd 2
    (oneDNN and CPU-feature notes, a failed CUDA probe on machines without a GPU) silenced, so
    that the command's own messages are the only ones on stderr."""
    if "tensorflow" in sys.modules:
        return
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    saved, devnull = os.dup(2), os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        import tensorflow as tf

        tf.config.list_physical_devices()
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def _one_line_warning(message, category, filename, lineno, line=None) -> str:
    return f"warning: {message}\n"


def main(argv: list[str] | None = None) -> int:
    warnings.formatwarning = _one_line_warning  # e.g. skipped image files: one line, no source excerpt
    try:
        args = _parser().parse_args(argv)
        COMMANDS[args.command](args)  # each checks what it can, then imports TensorFlow
    except (UserError, NotADirectoryError, PermissionError) as err:  # the OS errors: a path the user gave
        print(f"error: {err}", file=sys.stderr)
        return USAGE_ERROR
    except KeyboardInterrupt:
        print("interrupted; the last checkpoint is saved, continue with --resume", file=sys.stderr)
        return 130
    return 0
