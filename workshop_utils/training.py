"""Training: Algorithm 1 of the GAN paper as ``tf.function`` train steps, and a trainer with
progress bar, history, fixed-latent snapshots and checkpoints that resume exactly.

Randomness is counter based. Batch ``b`` of a run (its real images *and* its noise: the latent
vectors for the discriminator and generator steps, the interpolation weights of the gradient
penalty) is a pure function of ``(seed, b)``. A checkpoint therefore only needs the step counter,
the weights and the optimizer states; a resumed run continues exactly as if it had never stopped.

Distribution: pass a ``tf.distribute`` strategy and build the models and optimizers inside
``strategy.scope()``. The default strategy is one device; ``MirroredStrategy`` splits every global
batch across the GPUs of one machine and ``MultiWorkerMirroredStrategy`` across machines. Each
replica's loss is divided by the number of replicas, so the summed gradients equal the gradient of
the global-batch mean. TPUs are not supported: Colab's TPU runtimes no longer ship TensorFlow.
"""

from __future__ import annotations

import csv
import math
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import keras
import numpy as np
import tensorflow as tf

from . import losses as losses_lib

DataFn = Callable[[int], tf.data.Dataset]
HISTORY_COLUMNS = ("step", "d_loss", "g_loss", "d_real", "d_fake", "seconds")


class TrainingError(RuntimeError):
    """Training cannot go on (e.g. a loss became NaN); the last checkpoint is intact."""


def set_seed(seed: int) -> None:
    """Seed Python, NumPy, TensorFlow and Keras in one call."""
    keras.utils.set_random_seed(int(seed))


def noise_batches(batch_size: int, latent_dim: int, seed: int, start_batch: int = 0) -> tf.data.Dataset:
    """Endless per-batch noise: ``z`` for the discriminator step, ``z_g`` for the generator step and
    ``alpha`` (uniform, for the gradient penalty). Batch ``b`` depends only on ``(seed, b)``."""

    def draw(b):
        s = tf.random.experimental.stateless_split(tf.stack([tf.constant(seed, tf.int64) + 7919, b]), 3)
        return {
            "z": tf.random.stateless_normal([batch_size, latent_dim], s[0]),
            "z_g": tf.random.stateless_normal([batch_size, latent_dim], s[1]),
            "alpha": tf.random.stateless_uniform([batch_size], s[2]),
        }

    return tf.data.Dataset.counter(start_batch).map(draw)


def _atomic_write_text(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text)
    os.replace(tmp, path)


@dataclass
class History:
    """The training log: one row per logged step (see :data:`HISTORY_COLUMNS`)."""

    rows: list[dict] = field(default_factory=list)

    def append(self, row: dict) -> None:
        self.rows.append(row)

    def column(self, name: str) -> np.ndarray:
        return np.array([r[name] for r in self.rows], dtype=np.float64)

    def as_dict(self) -> dict[str, np.ndarray]:
        return {c: self.column(c) for c in HISTORY_COLUMNS}

    def truncate(self, step: int) -> None:
        """Forget rows logged after ``step`` (used when resuming from a checkpoint)."""
        self.rows = [r for r in self.rows if r["step"] <= step]

    def to_csv(self, path: Path) -> None:
        lines = [",".join(HISTORY_COLUMNS)]
        lines += [",".join(_fmt(r[c]) for c in HISTORY_COLUMNS) for r in self.rows]
        _atomic_write_text(Path(path), "\n".join(lines) + "\n")

    @classmethod
    def from_csv(cls, path: Path) -> "History":
        with open(path, newline="") as f:
            rows = [{k: (int(v) if k == "step" else float(v)) for k, v in r.items()} for r in csv.DictReader(f)]
        return cls(rows)

    def __len__(self) -> int:
        return len(self.rows)

    def _repr_html_(self) -> str:  # a compact table in notebooks (first and last rows)
        shown = self.rows if len(self.rows) <= 12 else self.rows[:6] + [None] + self.rows[-5:]
        head = "".join(f"<th>{c}</th>" for c in HISTORY_COLUMNS)
        body = "".join(
            "<tr>" + ("".join(f"<td>{r[c]:.4g}</td>" for c in HISTORY_COLUMNS) if r else
                      f"<td colspan={len(HISTORY_COLUMNS)}>…</td>") + "</tr>"
            for r in shown
        )
        return f"<table><tr>{head}</tr>{body}</table>"


def _fmt(v) -> str:
    return str(int(v)) if isinstance(v, (int, np.integer)) else repr(float(v))


class GANTrainer:
    """Trains a generator/discriminator pair with Algorithm 1 (``d_steps`` = k discriminator
    updates per generator update).

    Build ``generator``, ``discriminator`` and both optimizers inside ``strategy.scope()`` when a
    strategy is given. ``loss`` names a pair in :data:`workshop_utils.losses.LOSSES`.

    ``run_dir`` (optional) receives ``checkpoints/`` and ``history.csv``; when it already holds a
    checkpoint, :meth:`restore` continues from it.
    """

    def __init__(
        self,
        generator: keras.Model,
        discriminator: keras.Model,
        *,
        latent_dim: int,
        g_optimizer: keras.optimizers.Optimizer,
        d_optimizer: keras.optimizers.Optimizer,
        loss: str = "non-saturating",
        d_steps: int = 1,
        label_smoothing: float = 0.0,
        gp_weight: float = 10.0,
        ema_decay: float | None = None,
        seed: int = 0,
        strategy: tf.distribute.Strategy | None = None,
        jit_compile: bool = False,
        steps_per_execution: int = 1,
        run_dir: str | os.PathLike | None = None,
        max_checkpoints: int = 3,
        n_fixed: int = 16,
    ):
        if d_steps < 1:
            raise ValueError(f"d_steps must be at least 1, got {d_steps}")
        self.generator = generator
        self.discriminator = discriminator
        self.latent_dim = int(latent_dim)
        self.g_optimizer = g_optimizer
        self.d_optimizer = d_optimizer
        self.loss = losses_lib.get(loss)
        self.d_steps = int(d_steps)
        self.label_smoothing = float(label_smoothing)
        self.gp_weight = float(gp_weight)
        self.seed = int(seed)
        self.strategy = strategy or tf.distribute.get_strategy()
        self.jit_compile = bool(jit_compile)
        self.steps_per_execution = int(steps_per_execution)
        self.history = History()
        self.snapshots: list[tuple[int, np.ndarray]] = []
        self.run_dir = Path(run_dir) if run_dir is not None else None
        self.resumed_from = 0

        with self.strategy.scope():
            self.step = tf.Variable(0, dtype=tf.int64, trainable=False, name="step")
            self.g_optimizer.build(self.generator.trainable_variables)
            self.d_optimizer.build(self.discriminator.trainable_variables)
            self.ema_decay = ema_decay
            self.ema_generator = None
            if ema_decay:
                self.ema_generator = keras.models.clone_model(generator)
                self.ema_generator.set_weights(generator.get_weights())
        rng = np.random.default_rng(self.seed)
        self.fixed_z = rng.standard_normal((n_fixed, self.latent_dim)).astype("float32")  # snapshot latents

        parts = dict(step=self.step, generator=generator, discriminator=discriminator,
                     g_optimizer=g_optimizer, d_optimizer=d_optimizer)
        if self.ema_generator is not None:
            parts["ema_generator"] = self.ema_generator
        self.checkpoint = tf.train.Checkpoint(**parts)
        self.manager = None
        if self.run_dir is not None:
            self.manager = tf.train.CheckpointManager(
                self.checkpoint, str(self.run_dir / "checkpoints"), max_to_keep=max_checkpoints
            )
        self._train_fn = None

    # -- the train steps --------------------------------------------------------------------------

    @property
    def sampler(self) -> keras.Model:
        """The generator used for samples: the EMA copy when there is one."""
        return self.ema_generator if self.ema_generator is not None else self.generator

    def _report(self, logits):
        x = tf.cast(logits, tf.float32)
        return tf.reduce_mean(tf.sigmoid(x)) if self.loss.probabilities else tf.reduce_mean(x)

    def discriminator_step(self, real, z, alpha):
        """One discriminator update on a (per-replica) batch. Returns (loss, D(x), D(G(z)))."""
        replicas = self.strategy.num_replicas_in_sync
        fake = self.generator(z, training=True)
        with tf.GradientTape() as tape:
            real_logits = self.discriminator(real, training=True)
            fake_logits = self.discriminator(fake, training=True)
            if self.loss.discriminator is losses_lib.discriminator_bce:
                loss = self.loss.discriminator(real_logits, fake_logits, self.label_smoothing)
            else:
                loss = self.loss.discriminator(real_logits, fake_logits)
            if self.loss.gradient_penalty:
                loss += self.gp_weight * losses_lib.gradient_penalty(self.discriminator, real, fake, alpha)
            scaled = self.d_optimizer.scale_loss(loss / replicas)
        variables = self.discriminator.trainable_variables
        self.d_optimizer.apply_gradients(zip(tape.gradient(scaled, variables), variables))
        return loss, self._report(real_logits), self._report(fake_logits)

    def generator_step(self, z):
        """One generator update on a (per-replica) batch of latent vectors. Returns the loss."""
        replicas = self.strategy.num_replicas_in_sync
        with tf.GradientTape() as tape:
            fake_logits = self.discriminator(self.generator(z, training=True), training=True)
            loss = self.loss.generator(fake_logits)
            scaled = self.g_optimizer.scale_loss(loss / replicas)
        variables = self.generator.trainable_variables
        self.g_optimizer.apply_gradients(zip(tape.gradient(scaled, variables), variables))
        return loss

    def _update_ema(self):
        # Warm-up as in tf.train.ExponentialMovingAverage(num_updates=step): early averages are short.
        t = tf.cast(self.step, tf.float32)
        d = tf.minimum(self.ema_decay, (1.0 + t) / (10.0 + t))
        for e, w in zip(self.ema_generator.weights, self.generator.weights):
            e.assign(d * e + (1.0 - d) * tf.cast(w, e.dtype))

    def _build_train_fn(self):
        d_step = tf.function(self.discriminator_step, jit_compile=self.jit_compile)
        g_step = tf.function(self.generator_step, jit_compile=self.jit_compile)
        strategy = self.strategy
        mean = tf.distribute.ReduceOp.MEAN

        def one_step(iterator):
            for _ in range(self.d_steps):  # k discriminator steps, each on a fresh batch
                real, noise = next(iterator)
                d_loss, d_real, d_fake = strategy.run(d_step, args=(real, noise["z"], noise["alpha"]))
            g_loss = strategy.run(g_step, args=(noise["z_g"],))
            if self.ema_generator is not None:
                self._update_ema()
            self.step.assign_add(1)
            return [strategy.reduce(mean, v, axis=None) for v in (d_loss, g_loss, d_real, d_fake)]

        @tf.function
        def train_fn(iterator, n):
            metrics = one_step(iterator)
            for _ in tf.range(n - 1):
                metrics = one_step(iterator)
            return metrics

        return train_fn

    # -- checkpoints --------------------------------------------------------------------------------

    def restore(self) -> int:
        """Restore the latest checkpoint in ``run_dir`` (if any); return the step it resumes at."""
        if self.manager is None or self.manager.latest_checkpoint is None:
            return int(self.step.numpy())
        self._remove_partial_checkpoints()
        self.checkpoint.restore(self.manager.latest_checkpoint).assert_existing_objects_matched()
        step = int(self.step.numpy())
        history_csv = self.run_dir / "history.csv"
        if history_csv.exists():
            self.history = History.from_csv(history_csv)
            self.history.truncate(step)
        self.resumed_from = step
        return step

    def _remove_partial_checkpoints(self) -> None:
        """A save killed half-way leaves a ``*_temp`` folder that no checkpoint refers to."""
        for partial in (self.run_dir / "checkpoints").glob("*_temp*"):
            shutil.rmtree(partial, ignore_errors=True) if partial.is_dir() else partial.unlink(missing_ok=True)

    def save(self) -> str | None:
        """Write history.csv and a checkpoint (both atomically) for the current step."""
        if self.manager is None:
            return None
        self.run_dir.mkdir(parents=True, exist_ok=True)
        self.history.to_csv(self.run_dir / "history.csv")
        return self.manager.save(checkpoint_number=int(self.step.numpy()))

    # -- the loop -----------------------------------------------------------------------------------

    def sample(self, z) -> np.ndarray:
        """Decode latent vectors with the sampling generator (inference mode)."""
        return np.asarray(self.sampler(tf.convert_to_tensor(z, tf.float32), training=False))

    def train(
        self,
        data_fn: DataFn,
        steps: int,
        *,
        minutes: float | None = None,
        log_every: int = 50,
        snapshot_every: int | None = None,
        checkpoint_every: int | None = None,
        callbacks: Iterable[Callable[["GANTrainer", dict], None]] = (),
        progress: bool = True,
    ) -> History:
        """Train until the step counter reaches ``steps`` or ``minutes`` of wall clock pass.

        ``data_fn(start_batch)`` returns the dataset of real global batches starting at batch
        ``start_batch``. ``callbacks`` are called with ``(trainer, row)`` after every logged step.
        Raises :class:`TrainingError` if a loss becomes NaN or infinite (the last checkpoint stays).
        """
        from tqdm.auto import tqdm

        start = int(self.step.numpy())
        if start >= steps:
            return self.history
        batch_size = self._batch_size(data_fn)
        dataset = tf.data.Dataset.zip(
            data_fn(start * self.d_steps),
            noise_batches(batch_size, self.latent_dim, self.seed, start * self.d_steps),
        )
        iterator = iter(self.strategy.experimental_distribute_dataset(dataset))
        if self._train_fn is None:
            self._train_fn = self._build_train_fn()

        t0 = time.time()
        offset = self.history.rows[-1]["seconds"] if self.history.rows else 0.0
        deadline = t0 + 60.0 * minutes if minutes else math.inf
        chunk = max(1, min(self.steps_per_execution, log_every))
        bar = tqdm(total=steps, initial=start, disable=not progress, unit="step", dynamic_ncols=True)
        if start == 0 and snapshot_every:
            self.snapshots.append((0, self.sample(self.fixed_z)))
        step, values = start, None
        try:
            while step < steps and time.time() < deadline:
                n = min(chunk, steps - step, log_every - step % log_every)
                values = [float(v) for v in self._train_fn(iterator, tf.constant(n, tf.int64))]
                step = int(self.step.numpy())
                bar.update(n)
                if not all(math.isfinite(v) for v in values):
                    raise TrainingError(
                        f"the losses became NaN/inf at step {step} (d_loss={values[0]}, g_loss={values[1]}); "
                        "lower the learning rate or check the data scaling. Checkpoints up to the last "
                        "save are intact; resume from them with a smaller learning rate."
                    )
                if step % log_every == 0 or step == steps:
                    row = dict(zip(HISTORY_COLUMNS, [step, *values, offset + time.time() - t0]))
                    self.history.append(row)
                    label = ("D(x)", "D(G(z))") if self.loss.probabilities else ("f(x)", "f(G(z))")
                    bar.set_postfix({"d_loss": f"{values[0]:.3f}", "g_loss": f"{values[1]:.3f}",
                                     label[0]: f"{values[2]:.2f}", label[1]: f"{values[3]:.2f}"}, refresh=False)
                    for cb in callbacks:
                        cb(self, row)
                if snapshot_every and step % snapshot_every == 0:
                    self.snapshots.append((step, self.sample(self.fixed_z)))
                if checkpoint_every and step % checkpoint_every == 0:
                    self.save()
        except KeyboardInterrupt:
            self.save()  # an interrupted kernel keeps its progress
            raise
        finally:
            bar.close()
        if values is not None and (not self.history.rows or self.history.rows[-1]["step"] != step):
            self.history.append(dict(zip(HISTORY_COLUMNS, [step, *values, offset + time.time() - t0])))
        self.save()
        return self.history

    @staticmethod
    def _batch_size(data_fn: DataFn) -> int:
        spec = data_fn(0).element_spec
        size = spec.shape[0]
        if size is None:
            raise ValueError("the data pipeline must have a fixed batch size (use drop_remainder=True)")
        return int(size)


class Tracker:
    """A ``train`` callback that records ``fn(samples)`` at every logged step.

    The samples come from the raw generator (what the discriminator sees, not the EMA copy) on a
    fixed seeded latent batch of size ``n``; ``steps`` and ``values`` hold the curve, and ``rows``
    keeps the history rows logged at the same steps (e.g. to put a critic's estimate beside it).
    """

    def __init__(self, fn: Callable[[np.ndarray], float], n: int = 2000, seed: int = 1):
        self.fn, self.n, self.seed = fn, int(n), int(seed)
        self.steps: list[int] = []
        self.values: list[float] = []
        self.rows: list[dict] = []

    def __call__(self, trainer: GANTrainer, row: dict) -> None:
        z = np.random.default_rng(self.seed).standard_normal((self.n, trainer.latent_dim)).astype("float32")
        samples = np.asarray(trainer.generator(z, training=False))
        self.steps.append(int(row["step"]))
        self.values.append(float(self.fn(samples)))
        self.rows.append(dict(row))
