"""Runs: a recipe (:mod:`workshop_utils.recipes`) built, trained, sampled, measured and saved.

The notebooks, the command line (``python -m workshop_utils train RECIPE``) and the tests all go
through :class:`Run`, so a recipe trains the same way everywhere.

A run directory holds ``config.json`` (recipe and settings), ``history.csv``, ``checkpoints/``,
``generator.weights.h5`` (the sampling generator's weights, written at the end) and ``samples.png``.
A run is loaded by rebuilding its generator from the recipe and loading only the weights, so a run
written by one Keras 3 release loads in another (a whole ``.keras`` file carries layer configs that
older releases cannot read).
"""

from __future__ import annotations

import json
import os
from contextlib import contextmanager
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

from . import colour, conditions, config, data, errors, metrics, models, pipelines, recipes
from .plotting import to_uint8
from .recipes import Recipe
from .training import ACGANTrainer, GANTrainer, History, InfoGANTrainer, PairTrainer, Trainer, set_seed

def make_optimizer(s: dict) -> keras.optimizers.Optimizer:
    """The optimizer a recipe names: ``adam`` (lr, beta_1, beta_2) or ``rmsprop`` (lr)."""
    if s["optimizer"] == "adam":
        return keras.optimizers.Adam(s["lr"], beta_1=s["beta_1"], beta_2=s["beta_2"])
    if s["optimizer"] == "rmsprop":
        return keras.optimizers.RMSprop(s["lr"])
    raise errors.UserValueError(f"unknown optimizer {s['optimizer']!r}; use 'adam' or 'rmsprop'")


def _optimizer(s: dict) -> keras.optimizers.Optimizer:
    """:func:`make_optimizer`, with loss scaling when the recipe trains in mixed precision."""
    opt = make_optimizer(s)
    return keras.optimizers.LossScaleOptimizer(opt) if s["mixed_precision"] else opt


def gan_trainer(recipe: Recipe, s: dict, generator: keras.Model, discriminator: keras.Model,
                strategy: tf.distribute.Strategy | None, run_dir: Path | None, trainer: type = GANTrainer,
                **extra) -> GANTrainer:
    """The trainer of the GAN recipes (kinds points, images and conditioned images). A ``d_lr``
    setting gives the discriminator its own learning rate."""
    return trainer(
        generator, discriminator, latent_dim=s["latent_dim"], g_optimizer=_optimizer(s),
        d_optimizer=_optimizer({**s, "lr": s.get("d_lr") or s["lr"]}),
        loss=s["loss"], d_steps=s["d_steps"], label_smoothing=s["label_smoothing"], ema_decay=s["ema_decay"],
        condition=recipe.condition(s) if recipe.condition else None, seed=s["seed"], strategy=strategy,
        jit_compile=s["jit_compile"], steps_per_execution=s["steps_per_execution"], run_dir=run_dir, **extra,
    )


def acgan_trainer(recipe: Recipe, s: dict, generator: keras.Model, discriminator: keras.Model,
                  strategy: tf.distribute.Strategy | None, run_dir: Path | None) -> ACGANTrainer:
    """The ACGAN recipes' trainer: D's class head weighs ``class_weight``."""
    return gan_trainer(recipe, s, generator, discriminator, strategy, run_dir, ACGANTrainer, class_weight=s["class_weight"])


def infogan_trainer(recipe: Recipe, s: dict, generator: keras.Model, discriminator: keras.Model,
                    strategy: tf.distribute.Strategy | None, run_dir: Path | None) -> InfoGANTrainer:
    """The InfoGAN recipes' trainer: the information term weighs ``info_weight`` (λ)."""
    return gan_trainer(recipe, s, generator, discriminator, strategy, run_dir, InfoGANTrainer, info_weight=s["info_weight"])


def pair_trainer(recipe: Recipe, s: dict, generator: keras.Model, discriminator: keras.Model | None,
                 strategy: tf.distribute.Strategy | None, run_dir: Path | None) -> PairTrainer:
    """The trainer of the colorizer recipes (kind pairs); snapshots colorize eight held-out crops."""
    x, _ = colour.to_pairs(data.recipe_photos(s).held_out[:8] / 255.0, s["colour_space"])
    adversarial = dict(d_optimizer=_optimizer(s), loss=s["loss"]) if discriminator is not None else {}
    return PairTrainer(generator, discriminator, g_optimizer=_optimizer(s), l1_weight=s["l1_weight"], strategy=strategy,
                       jit_compile=s["jit_compile"], steps_per_execution=s["steps_per_execution"], run_dir=run_dir,
                       fixed_inputs=x.numpy(), **adversarial)


# ---------------------------------------------------------------------------------------------
# A recipe instantiated
# ---------------------------------------------------------------------------------------------


class Run:
    """A recipe with resolved settings, its models, its trainer and (optionally) a run directory.

    ``Run("mnist-dcgan", run_dir="runs/a", steps=2000).train()`` trains; a second ``Run`` on the
    same directory with ``resume=True`` continues from the last checkpoint.
    """

    def __init__(self, recipe: str | Recipe, run_dir: str | os.PathLike | None = None, *,
                 resume: bool = False, strategy: tf.distribute.Strategy | None = None, **overrides):
        self.recipe = recipe if isinstance(recipe, Recipe) else recipes.get(recipe)
        self.run_dir = Path(run_dir) if run_dir is not None else None
        stored = self._stored_settings()
        if stored is not None and not resume:
            raise errors.UserFileExistsError(f"run directory {self.run_dir} already holds a run; resume it "
                                             "(--resume / resume=True) or choose a new directory")
        if stored is not None:
            fixed = {k: v for k, v in overrides.items() if v is not None and k not in ("steps", "minutes")}
            clash = {k: (stored[k], v) for k, v in fixed.items() if stored.get(k) != v}
            if clash:
                raise errors.UserValueError(f"cannot resume {self.run_dir} with different settings {clash}; "
                                            "drop those flags or start a new run directory")
            self.settings = {**stored, **{k: v for k, v in overrides.items() if v is not None}}
        else:
            self.settings = self.recipe.resolve(**overrides)
        s, r = self.settings, self.recipe
        set_seed(s["seed"])
        self.strategy = strategy or tf.distribute.get_strategy()
        with _precision(s), self.strategy.scope():
            self.generator = r.part("generator")(s)
            self.discriminator = r.part("discriminator")(s) if r.discriminator else None
            self.trainer: Trainer = r.part("trainer")(r, s, self.generator, self.discriminator, self.strategy, self.run_dir)
        make_data, condition = r.part("data"), self.trainer.data_condition
        self.data_fn = make_data(s) if condition is None else make_data(s, condition)
        self.start_step = self.trainer.restore() if stored is not None else 0

    def _stored_settings(self) -> dict | None:
        path = self.run_dir / "config.json" if self.run_dir else None
        if path is None or not path.is_file():
            return None
        name, settings = recipes.read_config(path)
        if name != self.recipe.name:
            raise errors.UserValueError(f"{self.run_dir} holds a {name!r} run, not {self.recipe.name!r}")
        return settings

    @property
    def history(self) -> History:
        return self.trainer.history

    def train(self, steps: int | None = None, minutes: float | None = None, *, progress: bool = True,
              snapshot_every: int | None = None, callbacks=()) -> History:
        """Train to ``steps`` total steps or for ``minutes`` (defaults: the recipe's), then save."""
        s = self.settings
        steps = int(steps if steps is not None else s["steps"])
        minutes = minutes if minutes is not None else s["minutes"]
        self.settings = {**s, "steps": steps, "minutes": minutes}
        if self.run_dir is not None:
            self.run_dir.mkdir(parents=True, exist_ok=True)
            self._write_config()
        history = self.trainer.train(
            self.data_fn, steps, minutes=minutes, log_every=s["log_every"], snapshot_every=snapshot_every,
            checkpoint_every=s["checkpoint_every"] if self.run_dir else None, callbacks=callbacks, progress=progress,
            identity={"recipe": self.recipe.name, "settings": {k: v for k, v in self.settings.items() if k != "minutes"}},
        )
        if self.run_dir is not None and not self.trainer.missing_weights:  # a replay without weights exports nothing
            self.export()
        return history

    def _write_config(self) -> None:
        body = {"recipe": self.recipe.name, "kind": self.recipe.kind.name, "settings": self.settings}
        tmp = self.run_dir / "config.json.tmp"
        tmp.write_text(json.dumps(body, indent=2) + "\n")
        os.replace(tmp, self.run_dir / "config.json")

    def export(self) -> None:
        """Write ``generator.weights.h5`` (atomically) and ``samples.png`` into the run directory."""
        tmp = self.run_dir / "generator.tmp.weights.h5"
        self.trainer.sampler.save_weights(tmp)
        os.replace(tmp, self.run_dir / config.GENERATOR_WEIGHTS)
        if self.recipe.kind.keeps_discriminator:
            tmp = self.run_dir / "discriminator.tmp.weights.h5"
            self.discriminator.save_weights(tmp)
            os.replace(tmp, self.run_dir / config.DISCRIMINATOR_WEIGHTS)
        self.recipe.kind.export(self.recipe, self.settings, self.trainer, self.run_dir / "samples.png")

    def sample(self, n: int, seed: int = 0, labels=None) -> tuple:
        """``n`` samples of the sampling generator: (samples, z), or (images, z, c) for a
        conditional recipe (``labels`` choose the conditions)."""
        self.trainer.require_weights()
        return self.recipe.kind.sample(self.recipe, self.settings, self.trainer.sampler, n, seed, labels)

    def evaluate(self, n: int | None = None, seed: int = 0) -> dict:
        self.trainer.require_weights()
        return evaluate_generator(self.recipe, self.settings, self.trainer.sampler, n, seed, self.discriminator)


def sample(generator: keras.Model, n: int, latent_dim: int, seed: int = 0, c=None,
           batch_size: int = 1000) -> tuple[np.ndarray, np.ndarray]:
    """``n`` samples from ``generator`` for a seeded standard-normal z (and conditions ``c``, N×dim,
    for a conditional generator): (samples, z).

    Images come back as uint8 N×H×W×C in 0..255, points as float32 N×D.
    """
    z = np.random.default_rng(seed).standard_normal((n, latent_dim)).astype("float32")
    out = decode(generator, z, c, batch_size)
    return (to_uint8(out) if out.ndim == 4 else out.astype("float32")), z


def decode(generator: keras.Model, z, c=None, batch_size: int = 1000) -> np.ndarray:
    """The generator's raw outputs (inference mode) for latent vectors ``z`` (and conditions ``c``), in batches."""
    z = np.asarray(z, np.float32)
    c = None if c is None else np.asarray(c, np.float32)

    def inputs(i):
        return z[i : i + batch_size] if c is None else [z[i : i + batch_size], c[i : i + batch_size]]

    return np.concatenate([np.asarray(generator(inputs(i), training=False)) for i in range(0, len(z), batch_size)])


def label_grid(recipe: Recipe, settings: dict, generator: keras.Model, per_value: int = 8, variable: int = 0,
               seed: int = 0, fixed: dict[str, str] | None = None, codes=None, z=None) -> tuple[np.ndarray, np.ndarray]:
    """A conditional generator's grid: one row per value of categorical ``variable``, the same
    ``per_value`` latent vectors in every row (``z``, default seeded standard normal), so a column
    shows one z under every label. The other variables are 0 or as ``fixed`` names them; continuous
    codes are ``codes`` (default 0). (uint8 images in row order, their integer labels)."""
    condition = recipe.condition(settings)
    labels = condition.grid(per_value, variable)
    for name, value in (fixed or {}).items():
        labels[:, condition.names.index(name)] = condition.label(name, value)
    if z is None:
        z = np.random.default_rng(seed).standard_normal((per_value, settings["latent_dim"]))
    z = np.tile(np.asarray(z, np.float32), (condition.categories[variable], 1))
    codes = np.zeros((len(z), condition.continuous)) if codes is None else np.broadcast_to(codes, (len(z), condition.continuous))
    return to_uint8(decode(generator, z, condition.encode(labels, codes))), labels


def code_sweep(recipe: Recipe, settings: dict, generator: keras.Model, code: int, values, labels,
               seed: int = 0) -> np.ndarray:
    """InfoGAN's continuous code ``code`` swept through ``values`` (columns) for one z per entry of
    ``labels`` (rows: the categorical code of each row), the other continuous codes 0. uint8
    images, rows·len(values), in row order."""
    condition = recipe.condition(settings)
    values, labels = np.asarray(values, np.float32), np.asarray(labels).reshape(-1)
    z = np.repeat(np.random.default_rng(seed).standard_normal((len(labels), settings["latent_dim"])).astype("float32"),
                  len(values), axis=0)
    codes = np.zeros((len(z), condition.continuous), np.float32)
    codes[:, code] = np.tile(values, len(labels))
    return to_uint8(decode(generator, z, condition.encode(np.repeat(labels, len(values)), codes)))


def evaluate_generator(recipe: Recipe, settings: dict, generator: keras.Model, n: int | None = None,
                       seed: int = 0, discriminator: keras.Model | None = None) -> dict:
    """The recipe's metrics: on ``n`` samples (default: its ``eval_n``) of the generator, or for a
    colorizer (kind pairs) on its fixed held-out photos (``n`` and ``seed`` do not apply). The
    ``discriminator`` is used where a metric reads real images with it (InfoGAN's Q)."""
    return recipe.kind.evaluate(recipe, settings, generator, n, seed, discriminator)


def evaluate_run(run_dir: str | os.PathLike, n: int | None = None, seed: int = 0) -> dict:
    """The recipe's metrics (:func:`evaluate_generator`) for a run directory's generator."""
    recipe, settings, generator = load_run(run_dir)
    discriminator = load_discriminator(run_dir) if recipe.kind.keeps_discriminator else None
    return {"recipe": recipe.name, **evaluate_generator(recipe, settings, generator, n, seed, discriminator)}


def loss_zoo_run(label: str, dataset: str = "ring", seed: int = 0, run_dir: str | os.PathLike | None = None,
                 **overrides) -> Run:
    """The :class:`Run` of one :data:`~workshop_utils.recipes.LOSS_ZOO` row on ``dataset`` ("ring" or "grid")."""
    if label not in recipes.LOSS_ZOO:
        raise errors.UserValueError(f"unknown loss-zoo row {label!r}; choose one of: {', '.join(recipes.LOSS_ZOO)}")
    recipe, row = recipes.LOSS_ZOO[label]
    return Run(recipe, run_dir, dataset=dataset, seed=seed, **row, **overrides)


def clipping_state(target, latent_dim: int, n: int = 2500, seed: int = 1):
    """For :class:`~workshop_utils.training.Probe`: the state of a weight-clipped WGAN on a 2-D
    mixture, from ``n`` samples of the raw generator (the one the critic is trained against) on a
    fixed latent batch: the share of critic weights at ±c (:func:`models.share_at_clip`), the
    critic's estimate E f(x) − E f(G(z)) of the logged batch, and the mode numbers of
    :func:`metrics.mode_coverage`."""
    z = np.random.default_rng(seed).standard_normal((n, latent_dim)).astype("float32")

    def state(trainer, row: dict) -> dict:
        cover = metrics.mode_coverage(np.asarray(trainer.generator(z, training=False)), target)
        return {"share_at_clip": models.share_at_clip(trainer.discriminator),
                "critic_estimate": float(row["d_real"] - row["d_fake"]),
                **{k: cover[k] for k in ("modes_covered", "modes_populated", "high_quality_fraction")}}

    return state


def plot_samples(recipe: Recipe, settings: dict, samples: np.ndarray, ax=None):
    """The natural picture of a recipe's samples (a grid of images, or points over the target)."""
    return recipe.kind.plot(recipe, settings, samples, ax)


# ---------------------------------------------------------------------------------------------
# Each recipe's metric (workshop_utils.recipes names these functions)
# ---------------------------------------------------------------------------------------------


def mnist_metrics(images: np.ndarray, s: dict) -> dict:
    """The MNIST metrics of generated digits against the offline test digits."""
    return metrics.mnist_metric().evaluate(images, data.load_mnist(source="offline").x_test)


def mnist_conditional_metrics(images: np.ndarray, labels: np.ndarray, s: dict) -> dict:
    """:func:`mnist_metrics`, how often the classifier reads the digit each image was asked for, and
    the Fréchet distance of each digit's samples to the real test digits of that class."""
    test, metric = data.load_mnist(source="offline"), metrics.mnist_metric()
    labels = np.asarray(labels).reshape(-1)
    out = metric.evaluate(images, test.x_test, labels)
    features, real = metric.features_and_probs(images)[0], metric.reference_features(test.x_test)
    out["per_class_frechet_distance"] = [metrics.frechet_distance(features[labels == k], real[test.y_test == k])
                                         for k in range(10)]
    return out


def infogan_metrics(images: np.ndarray, c: np.ndarray, s: dict, discriminator: keras.Model | None = None) -> dict:
    """What an InfoGAN's codes came to mean, measured: the categorical code against the digit the
    MNIST classifier reads on the samples (accuracy after the best one-to-one matching of code
    values to digits); with the ``discriminator``, Q's code read off the real test digits against
    their labels (matched the same way); and |r| between each continuous code and the samples'
    slant and ink area."""
    codes = conditions.infogan_codes(s)
    categorical = codes.decode(c)[:, 0]
    digits = metrics.mnist_metric().features_and_probs(images)[1].argmax(1)
    out = {**mnist_metrics(images, s), "code_accuracy": metrics.matched_accuracy(categorical, digits, codes.categories[0])}
    if discriminator is not None:
        test = data.load_mnist(source="offline")
        q = np.concatenate([np.asarray(discriminator(pipelines.scale_images(test.x_test[i : i + 500]), training=False)[1])
                            for i in range(0, len(test.x_test), 500)])
        out["q_accuracy_on_real"] = metrics.matched_accuracy(q[:, : codes.categories[0]].argmax(1), test.y_test,
                                                            codes.categories[0])
    continuous = c[:, sum(codes.categories):]
    for name, measure in (("slant", metrics.slant(images)), ("ink", metrics.ink_area(images))):
        out[f"{name}_abs_r"] = [float(abs(np.corrcoef(continuous[:, j], measure)[0, 1])) for j in range(codes.continuous)]
    return out


def faces_metrics(images: np.ndarray, s: dict) -> dict:
    """The faces metrics, and the same Fréchet distance for as many real training faces (the floor)."""
    faces, metric = data.recipe_faces({**s, "n_train": len(images)}), metrics.faces_metric()  # only as many as it compares
    out = metric.evaluate(images, faces.reference)
    out["real_vs_real_fd"] = metric.evaluate(faces.images[: len(images)], faces.reference)["frechet_distance"]
    return out


def _attributes_hold(images: np.ndarray, labels: np.ndarray, condition: conditions.Condition) -> np.ndarray:
    """N×variables: does the faces attribute classifier read each requested attribute?"""
    read = metrics.faces_metric().predict(images)
    return np.stack([read[name] == labels[:, i] for i, name in enumerate(condition.names)], axis=1)


def faces_conditional_metrics(images: np.ndarray, labels: np.ndarray, s: dict) -> dict:
    """:func:`faces_metrics`, how often the attribute classifier reads each requested attribute,
    and how often it reads all of them at once (``all_hold_rate``)."""
    condition = conditions.face_condition(s)
    hold = _attributes_hold(images, labels, condition)
    return {**faces_metrics(images, s), **{f"{name}_accuracy": float(hold[:, i].mean()) for i, name in enumerate(condition.names)},
            "all_hold_rate": float(hold.all(1).mean())}


def attribute_requests(recipe: Recipe, settings: dict, generator: keras.Model, vary: str = "hair_colour",
                       fixed: dict[str, str] | None = None, n: int = 200, seed: int = 0) -> dict:
    """Ask a conditional faces generator for every value of ``vary`` with the ``fixed`` attributes
    (default: smiling) and measure with the attribute classifier how often all requested attributes
    hold: the rate per value of ``vary``, their mean and the worst."""
    condition = recipe.condition(settings)
    fixed = {"mouth": "smiling"} if fixed is None else fixed
    if vary not in condition.names:
        raise errors.UserValueError(f"{recipe.name} is not conditioned on {vary!r}; it is conditioned on {condition.names}")
    values = condition.values[condition.names.index(vary)]
    rates = {}
    for k, value in enumerate(values):
        asked = {**fixed, vary: value}
        labels = condition.balanced(n, {i: condition.label(name, asked[name]) for i, name in enumerate(condition.names)
                                        if name in asked})
        images, _, _ = recipe.kind.sample(recipe, settings, generator, n, seed + k, labels)
        rates[value] = float(_attributes_hold(images, labels, condition).all(1).mean())
    worst = min(rates, key=rates.get)
    return {"request": f"each {vary} with " + ", ".join(f"{k}={v}" for k, v in fixed.items()), "rates": rates,
            "mean_rate": float(np.mean(list(rates.values()))), "worst": worst, "worst_rate": rates[worst], "n": n}


def colorize_held_out(generator: keras.Model, settings: dict, n: int | None = None,
                      batch_size: int = 32) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(grey input, colorization, ground truth) of the first ``n`` (default all) held-out crops of a
    colorizer run, each float sRGB in [0, 1], N×size×size×3."""
    truth = data.recipe_photos(settings).held_out[:n].astype(np.float32) / 255.0
    x, _ = colour.to_pairs(truth, settings["colour_space"])
    y = np.concatenate([np.asarray(generator(x[i : i + batch_size], training=False)) for i in range(0, len(x), batch_size)])
    return colour.grey_rgb(x).numpy(), colour.to_rgb(x, y, settings["colour_space"]).numpy(), truth


def colorizer_metrics(generator: keras.Model, s: dict) -> dict:
    """The colorization metrics on the run's held-out photos."""
    _, colorized, truth = colorize_held_out(generator, s)
    training = [p.astype(np.float32) / 255.0 for p in data.recipe_photos(s).train]
    return {"data": s["data"], "colour_space": s["colour_space"], **metrics.colorization_metrics(colorized, truth, training)}


def evaluate_latent_arithmetic(recipe: Recipe, settings: dict, generator: keras.Model, trials: int = 100,
                               exemplars: int | None = 10, seed: int = 0) -> dict:
    """Latent arithmetic smiling(A) − neutral(A) + neutral(B) on a faces generator, judged by the
    faces attribute classifier (A and B differ in hair colour): success rate against a random-z
    baseline. Each concept's three faces are drawn among the ``exemplars`` the classifier is surest
    of (None: among all it puts in the concept); see :func:`latent.measure_arithmetic`."""
    from . import faces, latent

    if recipe.name != "faces-dcgan":
        raise errors.UserValueError(f"latent arithmetic is measured with the faces attribute classifier; {recipe.name!r} is not a faces recipe")
    mouth = faces.ATTRIBUTES["mouth"]
    out = latent.measure_arithmetic(
        lambda z: decode(generator, z, batch_size=500),
        metrics.faces_metric().probabilities, settings["latent_dim"], attribute="mouth", target=mouth.index("smiling"),
        source=mouth.index("neutral"), keep=("hair_colour",), trials=trials, exemplars=exemplars, seed=seed)
    rate, base = out["success_rate"], out["baseline_rate"]
    return {"arithmetic": "smiling(A) - neutral(A) + neutral(B), A and B differ in hair colour",
            "exemplars": exemplars, "success_rate": rate, "baseline_rate": base,
            "ratio": rate / base if base else float("inf"), "smiling_rate": out["transfer_rate"],
            "hair_kept_rate": out["keep_rate"], "trials": trials}


# ---------------------------------------------------------------------------------------------
# Finished runs and the shipped pretrained ones
# ---------------------------------------------------------------------------------------------


def pretrained_dir(name: str) -> Path:
    """The shipped run directory ``data/pretrained/NAME`` (a finished run without checkpoints)."""
    path = config.data_dir() / "pretrained" / name
    if not (path / "card.json").is_file():
        available = sorted(p.name for p in (config.data_dir() / "pretrained").glob("*/card.json"))
        raise errors.UserFileNotFoundError(f"no pretrained generator {name!r} in {path.parent}; available: {', '.join(available) or 'none'}"
                                           " (python data/make_pretrained.py makes them)")
    return path


def load_pretrained(name: str) -> tuple[Recipe, dict, keras.Model, dict]:
    """(recipe, settings, sampling generator, card) of a shipped pretrained generator."""
    path = pretrained_dir(name)
    recipe, settings, generator = load_run(path)
    return recipe, settings, generator, json.loads((path / "card.json").read_text())


def load_run(run_dir: str | os.PathLike) -> tuple[Recipe, dict, keras.Model]:
    """(recipe, settings, sampling generator) of a finished or interrupted run directory."""
    run_dir = Path(run_dir)
    recipe, settings = recipes.read_run_dir(run_dir)
    weights = run_dir / config.GENERATOR_WEIGHTS
    if weights.is_file():
        return recipe, settings, build_generator(recipe, settings, weights)
    run = Run(recipe, run_dir, resume=True)  # interrupted before export: use the last checkpoint
    return recipe, run.settings, run.trainer.sampler


def load_discriminator(run_dir: str | os.PathLike) -> keras.Model:
    """The discriminator a finished run kept (kinds with ``keeps_discriminator``: InfoGAN's D with Q)."""
    recipe, settings = recipes.read_run_dir(Path(run_dir))
    weights = Path(run_dir) / config.DISCRIMINATOR_WEIGHTS
    if not weights.is_file():
        raise errors.UserFileNotFoundError(f"{weights} is missing: {recipe.name} runs keep their discriminator when "
                                           "training finishes; finish the run with --resume")
    with _precision(settings):
        discriminator = recipe.part("discriminator")(settings)
    discriminator.load_weights(weights)
    return discriminator


def build_generator(recipe: Recipe, settings: dict, weights: str | os.PathLike | None = None) -> keras.Model:
    """The recipe's generator for ``settings``, with the weights of a ``.weights.h5`` file if given."""
    with _precision(settings):
        generator = recipe.part("generator")(settings)
    if weights is not None:
        generator.load_weights(weights)
    return generator


@contextmanager
def _precision(settings: dict):
    """Build under the mixed-float16 policy when the settings ask for mixed precision."""
    previous = keras.mixed_precision.global_policy()
    if settings["mixed_precision"]:
        keras.mixed_precision.set_global_policy("mixed_float16")
    try:
        yield
    finally:
        keras.mixed_precision.set_global_policy(previous)
