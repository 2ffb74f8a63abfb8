"""Training: Algorithm 1 of the GAN paper as ``tf.function`` train steps, and a trainer with
progress bar, history, fixed-latent snapshots and checkpoints that resume exactly.

Randomness is counter based. Batch ``b`` of a run (its real images *and* its noise: the latent
vectors for the discriminator and generator steps, the interpolation weights of the gradient
penalty) is a pure function of ``(seed, b)``. A checkpoint therefore only needs the step counter,
the weights and the optimizer states; a resumed run continues exactly as if it had never stopped.

:class:`GANTrainer` trains unconditional GANs; :class:`PairTrainer` trains pix2pix (a generator of
outputs from inputs, a discriminator of (input, output) pairs, and the L1-only baseline without a
discriminator). Both share :class:`Trainer`: the step counter, the history, the checkpoints and the
loop. Dropout draws its masks from a counter held in its layer; the pix2pix trainer checkpoints it.

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

from . import config, errors, losses as losses_lib, recorded
from .conditions import Condition
from .pipelines import noise_batches

DataFn = Callable[[int], tf.data.Dataset]
HISTORY_COLUMNS = ("step", "d_loss", "g_loss", "d_real", "d_fake", "seconds")


class TrainingError(RuntimeError):
    """Training cannot go on (e.g. a loss became NaN); the last checkpoint is intact."""


def set_seed(seed: int) -> None:
    """Seed Python, NumPy, TensorFlow and Keras in one call."""
    keras.utils.set_random_seed(int(seed))


def _atomic_write_text(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text)
    os.replace(tmp, path)


@dataclass
class History:
    """The training log: one row per logged step, one value per column (``step`` first, ``seconds``
    last; a GAN logs :data:`HISTORY_COLUMNS`, the pix2pix trainer :attr:`PairTrainer.columns`)."""

    rows: list[dict] = field(default_factory=list)
    columns: tuple[str, ...] = HISTORY_COLUMNS

    def append(self, row: dict) -> None:
        self.rows.append(row)

    def column(self, name: str) -> np.ndarray:
        return np.array([r[name] for r in self.rows], dtype=np.float64)

    def as_dict(self) -> dict[str, np.ndarray]:
        return {c: self.column(c) for c in self.columns}

    def truncate(self, step: int) -> None:
        """Forget rows logged after ``step`` (used when resuming from a checkpoint)."""
        self.rows = [r for r in self.rows if r["step"] <= step]

    def to_csv(self, path: Path) -> None:
        lines = [",".join(self.columns)]
        lines += [",".join(_fmt(r[c]) for c in self.columns) for r in self.rows]
        _atomic_write_text(Path(path), "\n".join(lines) + "\n")

    @classmethod
    def from_csv(cls, path: Path) -> "History":
        with open(path, newline="") as f:
            reader = csv.DictReader(f)
            rows = [{k: (int(v) if k == "step" else float(v)) for k, v in r.items()} for r in reader]
        return cls(rows, tuple(reader.fieldnames))

    def __len__(self) -> int:
        return len(self.rows)

    def _repr_html_(self) -> str:  # a compact table in notebooks (first and last rows)
        shown = self.rows if len(self.rows) <= 12 else self.rows[:6] + [None] + self.rows[-5:]
        head = "".join(f"<th>{c}</th>" for c in self.columns)
        body = "".join(
            "<tr>" + ("".join(f"<td>{r[c]:.4g}</td>" for c in self.columns) if r else
                      f"<td colspan={len(self.columns)}>…</td>") + "</tr>"
            for r in shown
        )
        return f"<table><tr>{head}</tr>{body}</table>"


def _fmt(v) -> str:
    return str(int(v)) if isinstance(v, (int, np.integer)) else repr(float(v))


class Trainer:
    """What every trainer shares: the step counter, the history, checkpoints that resume exactly,
    and the loop (progress bar, wall-clock budget, NaN check, snapshots, callbacks).

    A subclass sets :attr:`columns`, passes the objects its checkpoints hold to :meth:`_track`, and
    implements :meth:`_dataset` (the zipped per-step inputs, from a start step), :meth:`_one_step_fn`
    (one training step on an iterator; returns the values of ``columns[1:-1]``), :meth:`snapshot`
    and :meth:`_postfix` (the progress-bar numbers).
    """

    columns: tuple[str, ...] = HISTORY_COLUMNS
    data_condition = None  # the condition the data batches carry as (x, c), if any

    def __init__(self, *, strategy: tf.distribute.Strategy | None, jit_compile: bool, steps_per_execution: int,
                 run_dir: str | os.PathLike | None, max_checkpoints: int):
        self.strategy = strategy or tf.distribute.get_strategy()
        self.jit_compile = bool(jit_compile)
        self.steps_per_execution = int(steps_per_execution)
        self.history = History(columns=self.columns)
        self.snapshots: list[tuple[int, np.ndarray]] = []
        self.run_dir = Path(run_dir) if run_dir is not None else None
        self.max_checkpoints = int(max_checkpoints)
        self.resumed_from = 0
        with self.strategy.scope():
            self.step = tf.Variable(0, dtype=tf.int64, trainable=False, name="step")
        self.checkpoint = None
        self.manager = None
        self.parts: dict = {}
        self.missing_weights: tuple[str, ...] = ()  # parts a replayed recording did not keep
        self._train_fn = None

    def _track(self, **parts) -> None:
        """Checkpoint the step counter, ``parts`` (models, optimizers) and the random-state counters
        of every model's dropout (and other random) layers in ``run_dir``."""
        self.parts = dict(parts)
        models = [p for p in parts.values() if isinstance(p, keras.Model)]
        self.checkpoint = tf.train.Checkpoint(step=self.step, random_states=_random_states(*models), **parts)
        if self.run_dir is not None:
            self.manager = tf.train.CheckpointManager(
                self.checkpoint, str(self.run_dir / "checkpoints"), max_to_keep=self.max_checkpoints
            )

    def _dataset(self, data_fn: DataFn, start: int) -> tf.data.Dataset:
        raise NotImplementedError

    def _one_step_fn(self) -> Callable:
        raise NotImplementedError

    def snapshot(self) -> np.ndarray:
        """What the sampling network makes now of the fixed batch (latent codes, or inputs)."""
        raise NotImplementedError

    def _postfix(self, values: list[float]) -> dict[str, str]:
        raise NotImplementedError

    def require_weights(self) -> None:
        """A replayed recording that did not keep the sampling generator's weights cannot sample."""
        name = next((n for n, p in self.parts.items() if p is self.sampler), None)
        if name in self.missing_weights:
            raise errors.UserValueError(
                f"this run was replayed on the fast path from a recording without its {name}'s weights "
                "(only its history, snapshots and probes were recorded); sample it with the fast path "
                "off, or keep those weights in data/make_pretrained.py's KEEP")

    def _descend(self, loss_fn: Callable[[], tuple], model: keras.Model, optimizer: keras.optimizers.Optimizer) -> tuple:
        """One optimizer step down ``loss_fn()[0]`` for ``model``'s weights: the loss is recorded on
        a tape, divided by the number of replicas (the summed gradients are then those of the
        global-batch mean), scaled when the optimizer scales losses (mixed precision), and the
        gradients applied. Returns all of ``loss_fn()``'s outputs (the loss first)."""
        with tf.GradientTape() as tape:
            outputs = loss_fn()
            scaled = optimizer.scale_loss(outputs[0] / self.strategy.num_replicas_in_sync)
        variables = model.trainable_variables
        optimizer.apply_gradients(zip(tape.gradient(scaled, variables), variables))
        return outputs

    def _build_train_fn(self):
        one_step = self._one_step_fn()

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

    def train(
        self,
        data_fn: DataFn,
        steps: int,
        *,
        minutes: float | None = None,
        log_every: int = 50,
        snapshot_every: int | None = None,
        checkpoint_every: int | None = None,
        callbacks: Iterable[Callable[["Trainer", dict], None]] = (),
        progress: bool = True,
        identity: dict | None = None,
    ) -> History:
        """Train until the step counter reaches ``steps`` or ``minutes`` of wall clock pass.

        ``data_fn(start_batch)`` returns the dataset of real global batches (real images, or (input,
        target) pairs) starting at batch ``start_batch``. ``callbacks`` are called with
        ``(trainer, row)`` after every logged step, and (those with a ``finish`` method) once more
        when training stops. ``identity`` says what is trained, for the recordings of the fast path
        (:mod:`workshop_utils.recorded`; a :class:`~workshop_utils.runs.Run` passes its recipe and
        settings); on the fast path the recorded run is restored instead and no step is taken.
        Raises :class:`TrainingError` if a loss becomes NaN or infinite (the last checkpoint stays).
        """
        start = int(self.step.numpy())
        if start >= steps:
            return self.history
        callbacks = list(callbacks)
        identity = {**(identity or recorded.describe(self)), "start": start, "steps": int(steps),
                    **({} if identity else {"log_every": int(log_every)})}
        out = config.record_dir()
        if config.fast_mode() or out is not None:
            recorded.check_recordable(callbacks)
        if config.fast_mode():
            recorded.restore(self, recorded.find(identity), callbacks)
            self.save()
            return self.history
        first_snapshot = len(self.snapshots)
        self._loop(data_fn, steps, minutes, log_every, snapshot_every, checkpoint_every, callbacks, progress)
        if out is not None:
            recorded.save(self, identity, callbacks, first_snapshot, out)
        return self.history

    def _loop(self, data_fn: DataFn, steps: int, minutes: float | None, log_every: int, snapshot_every: int | None,
              checkpoint_every: int | None, callbacks: list, progress: bool) -> None:
        from tqdm.auto import tqdm

        start = int(self.step.numpy())
        iterator = iter(self.strategy.experimental_distribute_dataset(self._dataset(data_fn, start)))
        if self._train_fn is None:
            self._train_fn = self._build_train_fn()

        t0 = time.time()
        offset = self.history.rows[-1]["seconds"] if self.history.rows else 0.0
        deadline = t0 + 60.0 * minutes if minutes else math.inf
        chunk = max(1, min(self.steps_per_execution, log_every))
        bar = tqdm(total=steps, initial=start, disable=not progress, unit="step", dynamic_ncols=True)
        if start == 0 and snapshot_every:
            self.snapshots.append((0, self.snapshot()))
        step, values = start, None
        try:
            while step < steps and time.time() < deadline:
                n = min(chunk, steps - step, log_every - step % log_every)
                values = [float(v) for v in self._train_fn(iterator, tf.constant(n, tf.int64))]
                step = int(self.step.numpy())
                bar.update(n)
                if not all(math.isfinite(v) for v in values):
                    losses = ", ".join(f"{c}={v}" for c, v in zip(self.columns[1:], values))
                    raise TrainingError(
                        f"the losses became NaN/inf at step {step} ({losses}); "
                        "lower the learning rate or check the data scaling. Checkpoints up to the last "
                        "save are intact; resume from them with a smaller learning rate."
                    )
                if step % log_every == 0 or step == steps:
                    row = dict(zip(self.columns, [step, *values, offset + time.time() - t0]))
                    self.history.append(row)
                    bar.set_postfix(self._postfix(values), refresh=False)
                    for cb in callbacks:
                        cb(self, row)
                if snapshot_every and step % snapshot_every == 0:
                    self.snapshots.append((step, self.snapshot()))
                if checkpoint_every and step % checkpoint_every == 0:
                    self.save()
        except KeyboardInterrupt:
            self.save()  # an interrupted kernel keeps its progress
            raise
        finally:
            bar.close()
        if values is not None and (not self.history.rows or self.history.rows[-1]["step"] != step):
            self.history.append(dict(zip(self.columns, [step, *values, offset + time.time() - t0])))
        for cb in callbacks:
            if hasattr(cb, "finish") and self.history.rows:
                cb.finish(self, self.history.rows[-1])
        self.save()


class GANTrainer(Trainer):
    """Trains a generator/discriminator pair with Algorithm 1 (``d_steps`` = k discriminator
    updates per generator update).

    Build ``generator``, ``discriminator`` and both optimizers inside ``strategy.scope()`` when a
    strategy is given. ``loss`` names a pair in :data:`workshop_utils.losses.LOSSES` or is a
    :class:`~workshop_utils.losses.GANLoss` of your own.

    With a ``condition`` the GAN is conditional: each real batch is ``(x, c)``, the fakes get the
    noise stream's ``c``, and the networks are called as ``G([z, c])`` and ``D([x, c])`` (a subclass
    may route c elsewhere through :meth:`d_inputs`, e.g. to an auxiliary head instead).

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
        loss: str | losses_lib.GANLoss = "non-saturating",
        d_steps: int = 1,
        label_smoothing: float = 0.0,
        gp_weight: float = 10.0,
        ema_decay: float | None = None,
        condition: Condition | None = None,
        seed: int = 0,
        strategy: tf.distribute.Strategy | None = None,
        jit_compile: bool = False,
        steps_per_execution: int = 1,
        run_dir: str | os.PathLike | None = None,
        max_checkpoints: int = 3,
        n_fixed: int = 16,
    ):
        if d_steps < 1:
            raise errors.UserValueError(f"d_steps must be at least 1, got {d_steps}")
        super().__init__(strategy=strategy, jit_compile=jit_compile, steps_per_execution=steps_per_execution,
                         run_dir=run_dir, max_checkpoints=max_checkpoints)
        self.generator = generator
        self.discriminator = discriminator
        self.latent_dim = int(latent_dim)
        self.g_optimizer = g_optimizer
        self.d_optimizer = d_optimizer
        self.loss = losses_lib.get(loss)
        self.d_steps = int(d_steps)
        self.label_smoothing = float(label_smoothing)
        self.gp_weight = float(gp_weight)
        self.condition = condition
        self.seed = int(seed)

        with self.strategy.scope():
            self.g_optimizer.build(self.generator.trainable_variables)
            self.d_optimizer.build(self.discriminator.trainable_variables)
            self.ema_decay = ema_decay
            self.ema_generator = None
            if ema_decay:
                self.ema_generator = keras.models.clone_model(generator)
                self.ema_generator.set_weights(generator.get_weights())
        rng = np.random.default_rng(self.seed)
        self.fixed_z = rng.standard_normal((n_fixed, self.latent_dim)).astype("float32")  # snapshot latents
        self.fixed_c = None if condition is None else condition.sample(n_fixed, self.seed)  # and their conditions

        parts = dict(generator=generator, discriminator=discriminator, g_optimizer=g_optimizer, d_optimizer=d_optimizer)
        if self.ema_generator is not None:
            parts["ema_generator"] = self.ema_generator
        self._track(**parts)

    @property
    def sampler(self) -> keras.Model:
        """The generator used for samples: the EMA copy when there is one."""
        return self.ema_generator if self.ema_generator is not None else self.generator

    # -- where c goes: overridden by conditional variants ---------------------------------------------

    labelled = True  # with a condition, do the data carry it (x, c)? InfoGAN's codes have no labels

    @property
    def data_condition(self) -> Condition | None:
        """The condition the real batches must carry as (x, c): None unless the data are labelled."""
        return self.condition if self.labelled else None

    def g_inputs(self, z, c=None):
        """The generator's inputs: ``z``, or ``[z, c]`` for a conditional GAN."""
        return z if c is None else [z, c]

    def d_inputs(self, x, c=None):
        """The discriminator's inputs: ``x``, or ``[x, c]`` for a conditional GAN."""
        return x if c is None else [x, c]

    def d_logits(self, outputs):
        """The real/fake logits among the discriminator's outputs (all of them here)."""
        return outputs

    def d_extra_loss(self, real_outputs, fake_outputs, c_real, c_fake):
        """A term added to the discriminator's loss (none here; ACGAN adds its class loss)."""
        return 0.0

    def g_extra_loss(self, fake_outputs, c_fake):
        """A term added to the generator's loss (none here)."""
        return 0.0

    # -- the train steps --------------------------------------------------------------------------

    def _report(self, logits):
        return _mean_output(self.loss, logits)

    def discriminator_step(self, real, noise):
        """One discriminator update on a (per-replica) batch. Returns (loss, D(x), D(G(z)))."""
        x, c_real = real if self.data_condition is not None else (real, None)
        c_fake = noise.get("c")
        fake = self.generator(self.g_inputs(noise["z"], c_fake), training=True)

        def loss_fn():
            real_out = self.discriminator(self.d_inputs(x, c_real), training=True)
            fake_out = self.discriminator(self.d_inputs(fake, c_fake), training=True)
            real_logits, fake_logits = self.d_logits(real_out), self.d_logits(fake_out)
            if self.loss.discriminator is losses_lib.discriminator_bce:
                loss = self.loss.discriminator(real_logits, fake_logits, self.label_smoothing)
            else:
                loss = self.loss.discriminator(real_logits, fake_logits)
            if self.loss.gradient_penalty:
                loss += self.gp_weight * self._gradient_penalty(x, fake, noise["alpha"], c_real, c_fake)
            return loss + self.d_extra_loss(real_out, fake_out, c_real, c_fake), real_logits, fake_logits

        loss, real_logits, fake_logits = self._descend(loss_fn, self.discriminator, self.d_optimizer)
        return loss, self._report(real_logits), self._report(fake_logits)

    def _gradient_penalty(self, x, fake, alpha, c_real, c_fake):
        """λ's term of WGAN-GP; a conditional critic is penalised on the straight line from (x, c_real)
        to (G(z, c), c), its gradient taken with respect to the image."""
        if c_real is None:
            critic = lambda h, training: self.d_logits(self.discriminator(h, training=training))  # noqa: E731
        else:
            a = tf.cast(alpha, c_real.dtype)[:, None]
            c_line = a * c_real + (1.0 - a) * tf.cast(c_fake, c_real.dtype)
            critic = lambda h, training: self.d_logits(self.discriminator(self.d_inputs(h, c_line), training=training))  # noqa: E731
        return losses_lib.gradient_penalty(critic, x, fake, alpha)

    def generator_step(self, noise):
        """One generator update on a (per-replica) batch of latent vectors. Returns the loss."""
        z, c = noise["z_g"], noise.get("c_g")

        def loss_fn():
            fake_out = self.discriminator(self.d_inputs(self.generator(self.g_inputs(z, c), training=True), c), training=True)
            return (self.loss.generator(self.d_logits(fake_out)) + self.g_extra_loss(fake_out, c),)

        return self._descend(loss_fn, self.generator, self.g_optimizer)[0]

    def _update_ema(self):
        # Warm-up as in tf.train.ExponentialMovingAverage(num_updates=step): early averages are short.
        t = tf.cast(self.step, tf.float32)
        d = tf.minimum(self.ema_decay, (1.0 + t) / (10.0 + t))
        for e, w in zip(self.ema_generator.weights, self.generator.weights):
            e.assign(d * e + (1.0 - d) * tf.cast(w, e.dtype))

    def _one_step_fn(self):
        d_step = tf.function(self.discriminator_step, jit_compile=self.jit_compile)
        g_step = tf.function(self.generator_step, jit_compile=self.jit_compile)
        strategy = self.strategy
        mean = tf.distribute.ReduceOp.MEAN

        def one_step(iterator):
            for _ in range(self.d_steps):  # k discriminator steps, each on a fresh batch
                real, noise = next(iterator)
                d_loss, d_real, d_fake = strategy.run(d_step, args=(real, noise))
            g_loss = strategy.run(g_step, args=(noise,))
            if self.ema_generator is not None:
                self._update_ema()
            self.step.assign_add(1)
            return [strategy.reduce(mean, v, axis=None) for v in (d_loss, g_loss, d_real, d_fake)]

        return one_step

    def _dataset(self, data_fn: DataFn, start: int) -> tf.data.Dataset:
        batches = data_fn(start * self.d_steps)
        spec = batches.element_spec
        if (self.data_condition is not None) != isinstance(spec, tuple):
            raise ValueError("a conditional GAN's data yield (x, c) batches and an unconditional GAN's (or InfoGAN's) "
                             f"data yield x alone; this trainer has condition={self.condition} and the data yield {spec}")
        size = tf.nest.flatten(spec)[0].shape[0]
        if size is None:
            raise ValueError("the data pipeline must have a fixed batch size (use drop_remainder=True)")
        return tf.data.Dataset.zip(
            batches, noise_batches(int(size), self.latent_dim, self.seed, start * self.d_steps, self.condition))

    def snapshot(self) -> np.ndarray:
        return self.sample(self.fixed_z, self.fixed_c)

    def _postfix(self, values: list[float]) -> dict[str, str]:
        label = ("D(x)", "D(G(z))") if self.loss.probabilities else ("f(x)", "f(G(z))")
        return {"d_loss": f"{values[0]:.3f}", "g_loss": f"{values[1]:.3f}",
                label[0]: f"{values[2]:.2f}", label[1]: f"{values[3]:.2f}"}

    def sample(self, z, c=None) -> np.ndarray:
        """Decode latent vectors (and, for a conditional GAN, conditions) with the sampling
        generator in inference mode."""
        self.require_weights()
        z = tf.convert_to_tensor(z, tf.float32)
        return np.asarray(self.sampler(self.g_inputs(z, None if c is None else tf.convert_to_tensor(c, tf.float32)),
                                       training=False))


class StepFnTrainer(GANTrainer):
    """Algorithm 1 with a train step of your own, run eagerly (so a ``print`` inside it works):
    ``step_fn(generator, discriminator, g_optimizer, d_optimizer, real_batches, z_batches, k)``
    makes k discriminator updates and one generator update and returns ``(d_loss, g_loss)``. The
    batches and noise are the course's (batch b a pure function of the seed and b); no weight
    average, so snapshots show the generator itself."""

    columns = ("step", "d_loss", "g_loss", "seconds")

    def __init__(self, step_fn: Callable, generator: keras.Model, discriminator: keras.Model, **kwargs):
        super().__init__(generator, discriminator, **{**kwargs, "ema_decay": None})
        self.step_fn = step_fn

    def _build_train_fn(self):
        def train_fn(iterator, n):
            for _ in range(int(n)):
                reals, zs = [], []
                for _ in range(self.d_steps):
                    real, noise = next(iterator)
                    reals.append(real)
                    zs.append(noise["z"])
                zs.append(noise["z_g"])
                d_loss, g_loss = self.step_fn(self.generator, self.discriminator, self.g_optimizer,
                                              self.d_optimizer, reals, zs, self.d_steps)
                self.step.assign_add(1)
            return [d_loss, g_loss]

        return train_fn

    def _postfix(self, values: list[float]) -> dict[str, str]:
        return {"d_loss": f"{values[0]:.3f}", "g_loss": f"{values[1]:.3f}"}


class _TwoHeadedTrainer(GANTrainer):
    """A GAN whose D sees the image alone and returns [real/fake logit, an auxiliary output]."""

    def d_inputs(self, x, c=None):
        return x

    def d_logits(self, outputs):
        return outputs[0]


class ACGANTrainer(_TwoHeadedTrainer):
    """ACGAN (Odena et al. 2017): G draws from [z, c]; D sees the image alone and returns [source
    logit, class logits]. D minimises its real/fake loss plus ``class_weight`` × the class
    cross-entropy on real *and* fake images; G minimises its loss plus the class cross-entropy of
    its fakes, so both players want the fakes classified as the label they were drawn for."""

    def __init__(self, *args, class_weight: float = 1.0, **kwargs):
        super().__init__(*args, **kwargs)
        if self.condition is None:
            raise errors.UserValueError("ACGAN needs the labels' condition: pass condition=")
        self.class_weight = float(class_weight)

    def d_extra_loss(self, real_outputs, fake_outputs, c_real, c_fake):
        return self.class_weight * (losses_lib.class_cross_entropy(c_real, real_outputs[1])
                                    + losses_lib.class_cross_entropy(c_fake, fake_outputs[1]))

    def g_extra_loss(self, fake_outputs, c_fake):
        return self.class_weight * losses_lib.class_cross_entropy(c_fake, fake_outputs[1])


class InfoGANTrainer(_TwoHeadedTrainer):
    """InfoGAN (Chen et al. 2016): G draws from [z, c] with codes c that no label fixes; the data are
    unlabelled. D returns [logit, Q's parameters], Q sharing D's body; G and Q (trained with D's
    optimizer) both minimise ``info_weight`` × the cross-entropy −E log Q(c | G(z, c)), which raises
    the lower bound H(c) − L on the mutual information I(c; G(z, c))."""

    labelled = False

    def __init__(self, *args, info_weight: float = 1.0, **kwargs):
        super().__init__(*args, **kwargs)
        if self.condition is None:
            raise errors.UserValueError("InfoGAN needs its codes: pass condition=Condition(categories, continuous)")
        self.info_weight = float(info_weight)

    def information_loss(self, fake_outputs, c_fake):
        return self.info_weight * losses_lib.information_cross_entropy(
            c_fake, fake_outputs[1], self.condition.categories, self.condition.continuous)

    def d_extra_loss(self, real_outputs, fake_outputs, c_real, c_fake):
        return self.information_loss(fake_outputs, c_fake)

    def g_extra_loss(self, fake_outputs, c_fake):
        return self.information_loss(fake_outputs, c_fake)


def _mean_output(loss: losses_lib.GANLoss, logits) -> tf.Tensor:
    """The mean of D's outputs as logged: a probability σ(logit) when the loss has one, else the logit."""
    x = tf.cast(logits, tf.float32)
    return tf.reduce_mean(tf.sigmoid(x)) if loss.probabilities else tf.reduce_mean(x)


def _random_states(*models: keras.Model | None) -> list:
    """The random-state counters of the models' dropout (and other random) layers."""
    return [v for m in models if m is not None for v in m.variables if v.path.endswith("seed_generator_state")]


class PairTrainer(Trainer):
    """pix2pix (Isola et al. 2017): the generator maps an input ``x`` to an output and minimises
    L_cGAN + λ·L1 (λ = ``l1_weight``, the mean absolute error to the target ``y``); the discriminator
    judges (input, output) pairs, real or generated, and minimises half its loss (as in the paper).

    ``discriminator=None`` (and ``d_optimizer=None``) is the L1-only baseline: the same generator
    step without the adversarial term, and no discriminator step; it logs ``d_*`` as 0.

    ``data_fn(start_batch)`` of :meth:`train` yields ``(x, y)`` global batches, batch ``b`` a pure
    function of ``(seed, b)``. ``fixed_inputs`` are the inputs decoded for ``snapshot_every``.
    """

    columns = ("step", "d_loss", "g_loss", "l1", "d_real", "d_fake", "seconds")

    def __init__(
        self,
        generator: keras.Model,
        discriminator: keras.Model | None = None,
        *,
        g_optimizer: keras.optimizers.Optimizer,
        d_optimizer: keras.optimizers.Optimizer | None = None,
        loss: str | losses_lib.GANLoss = "non-saturating",
        l1_weight: float = 100.0,
        strategy: tf.distribute.Strategy | None = None,
        jit_compile: bool = False,
        steps_per_execution: int = 1,
        run_dir: str | os.PathLike | None = None,
        max_checkpoints: int = 3,
        fixed_inputs: np.ndarray | None = None,
    ):
        if (discriminator is None) != (d_optimizer is None):
            raise ValueError("pass a discriminator with its optimizer, or neither (the L1-only baseline)")
        self.loss = losses_lib.get(loss)
        if self.loss.gradient_penalty:
            raise errors.UserValueError(f"the {loss!r} loss needs a gradient penalty, which the pix2pix trainer does not have")
        super().__init__(strategy=strategy, jit_compile=jit_compile, steps_per_execution=steps_per_execution,
                         run_dir=run_dir, max_checkpoints=max_checkpoints)
        self.generator = generator
        self.discriminator = discriminator
        self.g_optimizer = g_optimizer
        self.d_optimizer = d_optimizer
        self.l1_weight = float(l1_weight)
        self.fixed_inputs = None if fixed_inputs is None else np.asarray(fixed_inputs, np.float32)
        with self.strategy.scope():
            g_optimizer.build(generator.trainable_variables)
            if discriminator is not None:
                d_optimizer.build(discriminator.trainable_variables)
        parts = dict(generator=generator, g_optimizer=g_optimizer)
        if discriminator is not None:
            parts.update(discriminator=discriminator, d_optimizer=d_optimizer)
        self._track(**parts)

    @property
    def sampler(self) -> keras.Model:
        """The generator (pix2pix keeps no weight average)."""
        return self.generator

    def discriminator_step(self, x, y):
        """One discriminator update on a (per-replica) batch of pairs. Returns (loss, D(x, y), D(x, G(x)))."""
        fake = self.generator(x, training=True)

        def loss_fn():
            real_logits = self.discriminator([x, y], training=True)
            fake_logits = self.discriminator([x, fake], training=True)
            return 0.5 * self.loss.discriminator(real_logits, fake_logits), real_logits, fake_logits

        loss, real_logits, fake_logits = self._descend(loss_fn, self.discriminator, self.d_optimizer)
        return loss, _mean_output(self.loss, real_logits), _mean_output(self.loss, fake_logits)

    def generator_step(self, x, y):
        """One generator update on a (per-replica) batch of pairs. Returns (total loss, L1)."""

        def loss_fn():
            fake = self.generator(x, training=True)
            l1 = tf.reduce_mean(tf.abs(tf.cast(y, fake.dtype) - fake))
            loss = self.l1_weight * l1
            if self.discriminator is not None:
                loss += self.loss.generator(self.discriminator([x, fake], training=True))
            return loss, l1

        return self._descend(loss_fn, self.generator, self.g_optimizer)

    def _one_step_fn(self):
        g_step = tf.function(self.generator_step, jit_compile=self.jit_compile)
        d_step = None if self.discriminator is None else tf.function(self.discriminator_step, jit_compile=self.jit_compile)
        strategy = self.strategy
        mean = tf.distribute.ReduceOp.MEAN

        def one_step(iterator):
            x, y = next(iterator)
            d_values = [tf.constant(0.0)] * 3
            if d_step is not None:  # the discriminator first, then the generator, on the same batch
                d_values = [strategy.reduce(mean, v, axis=None) for v in strategy.run(d_step, args=(x, y))]
            g_loss, l1 = [strategy.reduce(mean, v, axis=None) for v in strategy.run(g_step, args=(x, y))]
            self.step.assign_add(1)
            return [d_values[0], g_loss, l1, d_values[1], d_values[2]]

        return one_step

    def _dataset(self, data_fn: DataFn, start: int) -> tf.data.Dataset:
        return data_fn(start)

    def predict(self, x) -> np.ndarray:
        """The generator's outputs for inputs ``x`` (inference mode: no dropout, batch-norm averages)."""
        self.require_weights()
        return np.asarray(self.generator(tf.convert_to_tensor(x, tf.float32), training=False))

    def snapshot(self) -> np.ndarray:
        if self.fixed_inputs is None:
            raise ValueError("snapshots decode fixed_inputs; pass them to PairTrainer")
        return self.predict(self.fixed_inputs)

    def _postfix(self, values: list[float]) -> dict[str, str]:
        out = {"g_loss": f"{values[1]:.3f}", "l1": f"{values[2]:.4f}"}
        if self.discriminator is not None:
            out.update({"d_loss": f"{values[0]:.3f}", "D(x,y)": f"{values[3]:.2f}", "D(x,G(x))": f"{values[4]:.2f}"})
        return out


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
        c = None if trainer.condition is None else trainer.condition.sample(self.n, self.seed)
        samples = np.asarray(trainer.generator(trainer.g_inputs(z, c), training=False))
        self.steps.append(int(row["step"]))
        self.values.append(float(self.fn(samples)))
        self.rows.append(dict(row))

    def state(self) -> dict:
        """What a recording keeps (:mod:`workshop_utils.recorded`)."""
        return {"steps": self.steps, "values": self.values, "rows": self.rows}

    def load_state(self, state: dict) -> None:
        self.steps, self.values, self.rows = list(state["steps"]), list(state["values"]), list(state["rows"])


class Probe:
    """A ``train`` callback that records ``fn(trainer, row)`` (a dict of numbers, lists and
    strings) every ``every`` generator steps, with the step, in ``records``; with ``every=None``
    once, when training stops. A recording keeps the records, so the fast path has them too."""

    def __init__(self, fn: Callable[["Trainer", dict], dict], every: int | None = None):
        self.fn, self.every = fn, None if every is None else int(every)
        self.records: list[dict] = []

    def __call__(self, trainer: Trainer, row: dict) -> None:
        if self.every is not None and row["step"] % self.every == 0:
            self.records.append({"step": int(row["step"]), **self.fn(trainer, row)})

    def finish(self, trainer: Trainer, row: dict) -> None:
        if self.every is None:
            self.records.append({"step": int(row["step"]), **self.fn(trainer, row)})

    def state(self) -> list[dict]:
        """What a recording keeps (:mod:`workshop_utils.recorded`)."""
        return self.records

    def load_state(self, state: list[dict]) -> None:
        self.records = [dict(r) for r in state]

    def curve(self, key: str) -> tuple[np.ndarray, np.ndarray]:
        """(steps, values) of one recorded number."""
        return np.array([r["step"] for r in self.records]), np.array([r[key] for r in self.records])
