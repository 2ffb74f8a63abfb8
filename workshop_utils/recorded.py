"""Recorded runs: the instructors' fast path replays a training instead of running it.

``python data/make_pretrained.py record`` executes the notebooks at full size on the offline data
with ``WORKSHOP_RECORD=DIR``: every :meth:`~workshop_utils.training.Trainer.train` call then writes
what it did into ``DIR/<key>/`` (``identity.json``, ``history.csv``, ``snapshots.npz``,
``probes.json.gz`` and its networks' weights, stored at half precision). With the fast path on
(``WORKSHOP_FAST=1`` or ``FAST = True``) the same call finds its recording by the key and restores
it: the weights that were kept, the history, the snapshots and what its probes measured, and writes
the run directory's checkpoint as training would. No optimizer step is taken.

The key is a digest of what is trained: the recipe and its settings (all but the time budget) for a
:class:`~workshop_utils.runs.Run`, else the trainer's class, networks, optimizers and loss; and the
start and target steps. ``data/make_pretrained.py`` ships the recordings in
``data/pretrained/recorded/`` with only the weights later cells need.
"""

from __future__ import annotations

import gzip
import hashlib
import itertools
import json
import os
import shutil
from pathlib import Path

import numpy as np

from . import config, errors, runtime

IDENTITY = "identity.json"
PROBES = "probes.json.gz"
_order = itertools.count(1)  # the recordings of one session, numbered in the order they were made
_made: dict[str, bytes] = {}  # key → history (without wall-clock times) of the recordings this session made (to catch two that share a key)
WEIGHTS = "{part}.weights.h5"


def shipped_dir() -> Path:
    """Where the course's recordings live: ``data/pretrained/recorded/``."""
    return config.data_dir() / "pretrained" / "recorded"


def key(identity: dict) -> str:
    """The recording's name: a digest of the canonical JSON of ``identity``."""
    return hashlib.sha256(_canonical(identity).encode()).hexdigest()[:16]


def _canonical(value) -> str:
    return json.dumps(value, sort_keys=True, default=_plain)


def _plain(value):
    """JSON for NumPy numbers and arrays (probes record metrics as NumPy values)."""
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    if isinstance(value, (np.ndarray, tuple)):
        return np.asarray(value).tolist()
    if isinstance(value, np.bool_):
        return bool(value)
    raise TypeError(f"a recording holds numbers, strings, lists and dicts, not {type(value).__name__}")


def describe(trainer) -> dict:
    """What a trainer without a recipe trains: its class, its networks' layer and weight shapes,
    its optimizers' settings, its loss and its numeric settings."""
    parts = {}
    for name, part in sorted(trainer.parts.items()):
        if hasattr(part, "get_config") and hasattr(part, "iterations"):  # an optimizer
            parts[name] = {k: v for k, v in part.get_config().items() if k != "name"}
        else:
            parts[name] = [(layer.__class__.__name__, [list(w.shape) for w in layer.weights]) for layer in part.layers]
    scalars = {k: v for k, v in vars(trainer).items()
               if isinstance(v, (bool, int, float, str)) and not k.startswith("_") and k not in ("resumed_from",)}
    loss = getattr(trainer, "loss", None)
    return {"trainer": type(trainer).__name__, "parts": parts, "settings": scalars,
            "loss": None if loss is None else loss.name}


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------


def save(trainer, identity: dict, callbacks, first_snapshot: int, out: Path) -> Path:
    """Write what ``trainer``'s last :meth:`train` call did into ``out/<key>/``."""
    import keras

    folder = Path(out) / key(identity)
    tmp = folder.with_name(folder.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    trainer.history.to_csv(tmp / "history.csv")
    made = _canonical([{k: v for k, v in row.items() if k != "seconds"} for row in trainer.history.rows]).encode()
    if _made.setdefault(folder.name, made) != made:
        shutil.rmtree(tmp)
        raise errors.UserValueError(
            f"two trainings in this session have the same identity ({identity.get('recipe') or identity.get('trainer')}, "
            f"steps {identity.get('start')} to {identity.get('steps')}) but different histories, so the fast path could "
            "not tell their recordings apart: they differ in something the identity does not hold (the data, a "
            "trainer made outside a recipe). Give them different settings (a seed, a step count) or train one through a recipe")
    snaps = trainer.snapshots[first_snapshot:]
    try:  # what the sampling generator makes of the fixed latent batch (or inputs) at the end: the check
        final = {"final": _pack(trainer.snapshot())}
    except ValueError:  # a pix2pix trainer given no fixed inputs
        final = {}
    np.savez_compressed(tmp / "snapshots.npz", **final, **_frames(snaps))
    with gzip.open(tmp / PROBES, "wt") as f:  # probes may record samples: a few hundred kB of digits
        f.write(json.dumps([cb.state() for cb in callbacks], default=_plain) + "\n")
    parts = {name: part for name, part in trainer.parts.items() if isinstance(part, keras.Model)}
    for name, model in parts.items():
        full = tmp / f"{name}.full.weights.h5"
        model.save_weights(full)
        half_precision(full, tmp / WEIGHTS.format(part=name))
        full.unlink()
    body = {"key": key(identity), "identity": identity, "stop": int(trainer.step.numpy()),
            "parts": sorted(parts), "sampler": next(n for n, p in parts.items() if p is trainer.sampler),
            "notebook": os.environ.get("WORKSHOP_RECORD_NOTEBOOK"), "order": next(_order), "label": identity.get("recipe") or identity.get("trainer"),
            "machine": f"{os.cpu_count()} CPU cores ({runtime.cpu_model()})"}  # a GAN run repeats only on its kind of CPU
    (tmp / IDENTITY).write_text(json.dumps(body, indent=1, default=_plain) + "\n")
    shutil.rmtree(folder, ignore_errors=True)
    os.replace(tmp, folder)
    return folder


def half_precision(source: Path, dest: Path) -> None:
    """Copy a Keras ``.weights.h5`` file with its float32 arrays stored as float16 (half the bytes;
    ``load_weights`` casts them back)."""
    import h5py

    def copy(src, dst):
        for k, v in src.attrs.items():
            dst.attrs[k] = v
        for name, item in src.items():
            if isinstance(item, h5py.Group):
                copy(item, dst.create_group(name))
            else:
                data = item[()]
                if isinstance(data, np.ndarray) and data.dtype == np.float32:
                    data = data.astype(np.float16)
                dst.create_dataset(name, data=data)
                for k, v in item.attrs.items():
                    dst[name].attrs[k] = v

    with h5py.File(source, "r") as src, h5py.File(dest, "w") as dst:
        copy(src, dst)


def _constrain(model) -> None:
    """Apply each weight's constraint, as the optimizer does after every step. Half precision can
    move a weight just past its constraint (float16 holds a clipped critic's 0.01 as 0.010002);
    this puts the loaded weights back inside it, those that training left at the bound back at it
    (with the few within float16's resolution below it, which half precision cannot tell apart)."""
    for variable in model.weights:
        if getattr(variable, "constraint", None) is not None:
            variable.assign(variable.constraint(variable))


def pretrained_twin(weights: Path) -> str | None:
    """The shipped pretrained run whose generator's weights equal these (both at half precision),
    if any: a recording then points to it (``weights_from``) instead of storing them twice."""
    import h5py

    def arrays(path: Path) -> list:
        out = []
        with h5py.File(path, "r") as f:
            f.visititems(lambda name, item: out.append((name, item[()])) if isinstance(item, h5py.Dataset) else None)
        return out

    ours = arrays(weights)
    for candidate in sorted((config.data_dir() / "pretrained").glob(f"*/{config.GENERATOR_WEIGHTS}")):
        theirs = arrays(candidate)
        if len(theirs) == len(ours) and all(a == c and np.array_equal(b, d) for (a, b), (c, d) in zip(ours, theirs)):
            return candidate.parent.name
    return None


def read_probes(folder: Path) -> list:
    """The records of a recording's callbacks, in the order they were passed."""
    with gzip.open(Path(folder) / PROBES, "rt") as f:
        return json.loads(f.read())


def _pack(frame: np.ndarray) -> np.ndarray:
    """Image snapshots in [-1, 1] as uint8 (what a picture shows); anything else as float32."""
    frame = np.asarray(frame, np.float32)
    if frame.ndim == 4 and frame.min() >= -1.0 and frame.max() <= 1.0:
        return np.round((frame + 1.0) * 127.5).astype(np.uint8)
    return frame


def _unpack(frame: np.ndarray) -> np.ndarray:
    return frame.astype(np.float32) / 127.5 - 1.0 if frame.dtype == np.uint8 else frame


def _frames(snaps: list[tuple[int, np.ndarray]]) -> dict[str, np.ndarray]:
    """The snapshots for ``snapshots.npz``: colour frames as one JPEG each (quality 85: they are
    pictures of training, and a run's 30 frames of 16 faces would take 5 MB raw), others packed."""
    import io

    import PIL.Image

    out = {"steps": np.array([s for s, _ in snaps], np.int64)}
    for i, (_, frame) in enumerate(snaps):
        packed = _pack(frame)
        if packed.dtype == np.uint8 and packed.shape[-1] == 3:
            n, h, w, _ = packed.shape
            buffer = io.BytesIO()
            PIL.Image.fromarray(packed.reshape(n * h, w, 3)).save(buffer, "JPEG", quality=85)
            out[f"frame{i}_jpeg"] = np.frombuffer(buffer.getvalue(), np.uint8)
            out[f"frame{i}_shape"] = np.array(packed.shape)
        else:
            out[f"frame{i}"] = packed
    return out


def _read_frames(snaps) -> list[tuple[int, np.ndarray]]:
    import io

    import PIL.Image

    frames = []
    for i, step in enumerate(snaps["steps"]):
        if f"frame{i}_jpeg" in snaps.files:
            image = np.asarray(PIL.Image.open(io.BytesIO(snaps[f"frame{i}_jpeg"].tobytes())).convert("RGB"))
            frames.append((int(step), _unpack(image.reshape(tuple(snaps[f"frame{i}_shape"])))))
        else:
            frames.append((int(step), _unpack(snaps[f"frame{i}"])))
    return frames


# ---------------------------------------------------------------------------------------------
# Replaying
# ---------------------------------------------------------------------------------------------


def find(identity: dict, where: Path | None = None) -> Path:
    """The recording of ``identity``. If none has its exact key: the one recording that differs only
    in the target step (a budget chosen for another device), else only in the target and start
    steps (a training interrupted and then switched to the fast path), preferring the same target
    step. Else a clear error naming what differs."""
    where = Path(where) if where is not None else shipped_dir()
    folder = where / key(identity)
    if (folder / IDENTITY).is_file():
        return folder
    recorded = [json.loads(p.read_text()) for p in sorted(where.glob(f"*/{IDENTITY}"))]
    for loose in (("steps",), ("steps", "start")):
        near = [r for r in recorded if _canonical(_without(r["identity"], loose)) == _canonical(_without(identity, loose))]
        if len(near) > 1:
            near = [r for r in near if r["identity"]["steps"] == identity["steps"]] or near
        if len(near) == 1:
            return where / near[0]["key"]
    label = identity.get("recipe") or identity.get("trainer")
    same = [r["identity"] for r in recorded if (r["identity"].get("recipe") or r["identity"].get("trainer")) == label]
    hint = ""
    if same:
        ours, theirs = _flat(identity), _flat(min(same, key=lambda i: len(_differences(_flat(i), _flat(identity)))))
        hint = "; the closest recording differs in " + ", ".join(
            f"{k} ({theirs.get(k)!r} recorded, {ours.get(k)!r} here)" for k in _differences(theirs, ours))
    raise errors.UserFileNotFoundError(
        f"the fast path has no recorded run of this training ({label}, from step {identity.get('start')} to "
        f"{identity.get('steps')}){hint}. Switch the fast path off (FAST = False, unset WORKSHOP_FAST) to train "
        "it, or record it: python data/make_pretrained.py record")


def _without(identity: dict, keys: tuple[str, ...]) -> dict:
    """``identity`` without ``keys``, at its top level and in its settings."""
    return {k: ({kk: vv for kk, vv in v.items() if kk not in keys} if k == "settings" else v)
            for k, v in identity.items() if k not in keys}


def _flat(identity: dict) -> dict:
    out = {k: v for k, v in identity.items() if not isinstance(v, dict)}
    for k, v in identity.items():
        if isinstance(v, dict):
            out.update({f"{k}.{kk}": vv for kk, vv in v.items()})
    return out


def _differences(a: dict, b: dict) -> list[str]:
    return sorted(k for k in set(a) | set(b) if _canonical(a.get(k)) != _canonical(b.get(k)))


def restore(trainer, folder: Path, callbacks) -> dict:
    """Put ``trainer`` where its recorded training ended: kept weights, step, history, snapshots
    and the probes' records. Returns the recording's ``identity.json``."""
    from .training import History

    body = json.loads((folder / IDENTITY).read_text())
    shared = body.get("weights_from", {})  # a part stored once, as a shipped pretrained generator
    missing = []
    for name, model in trainer.parts.items():
        weights = folder / WEIGHTS.format(part=name)
        if name in shared:
            weights = config.data_dir() / "pretrained" / shared[name] / config.GENERATOR_WEIGHTS
        if weights.is_file():
            model.load_weights(weights)
            _constrain(model)
        elif name in body["parts"]:
            missing.append(name)
    trainer.missing_weights = tuple(missing)
    trainer.step.assign(body["stop"])
    history = History.from_csv(folder / "history.csv")
    trainer.history = History(history.rows, trainer.columns)
    with np.load(folder / "snapshots.npz") as snaps:
        trainer.snapshots.extend(_read_frames(snaps))
    states = read_probes(folder)
    if len(states) != len(callbacks):
        raise errors.UserValueError(f"the recording in {folder} kept {len(states)} callback(s)' records and this "
                                    f"training passes {len(callbacks)}; pass the callbacks it was recorded with")
    for cb, state in zip(callbacks, states):
        cb.load_state(state)
    return body


def check_recordable(callbacks) -> None:
    """On the fast path or while recording, a callback's values must come from (or go into) the
    recording: it needs ``state()`` and ``load_state()``, as :class:`~workshop_utils.training.Probe` has."""
    plain = [cb for cb in callbacks if not (hasattr(cb, "state") and hasattr(cb, "load_state"))]
    if plain:
        names = ", ".join(getattr(cb, "__name__", type(cb).__name__) for cb in plain)
        raise errors.UserValueError(
            f"the callback(s) {names} cannot be replayed on the fast path: wrap what they measure in "
            "training.Probe(fn, every=N) (or training.Tracker), whose records the recording keeps")
