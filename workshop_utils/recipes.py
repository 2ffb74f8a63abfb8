"""Training recipes: named, seeded settings that build the models, the data and the trainer.

The notebooks, the command line (``python -m workshop_utils train RECIPE``) and the tests all go
through :class:`Run`, so a recipe trains the same way everywhere. Smoke mode changes sizes only,
through each recipe's ``smoke`` overrides.

A run directory holds ``config.json`` (recipe and settings), ``history.csv``, ``checkpoints/``,
``generator.weights.h5`` (the sampling generator's weights, written at the end) and ``samples.png``.
A run is loaded by rebuilding its generator from the recipe and loading only the weights, so a run
written by one Keras 3 release loads in another (a whole ``.keras`` file carries layer configs that
older releases cannot read).

Most recipes are unconditional GANs (kinds "points" and "images", trained by :class:`GANTrainer`);
the colorizer recipes are pix2pix (kind "pairs": grey photo → colour, :class:`PairTrainer`).
"""

from __future__ import annotations

import json
import os
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import keras
import numpy as np
import tensorflow as tf

from . import colour, config, data, errors, metrics, models, plotting
from .training import DataFn, GANTrainer, History, PairTrainer, Trainer, set_seed

GENERATOR_WEIGHTS = "generator.weights.h5"  # in a finished run directory

# ---------------------------------------------------------------------------------------------
# Recipe definitions
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Recipe:
    """A named way to train a GAN: default settings, smoke-mode overrides and builders.

    ``build(settings)`` returns (generator, discriminator or None); ``trainer(settings, generator,
    discriminator, strategy, run_dir)`` makes the trainer (``None``: :func:`gan_trainer`).
    ``evaluate(samples, settings)`` measures samples of the generator; for kind "pairs" it gets the
    generator itself, ``evaluate(generator, settings)`` (see :func:`evaluate_generator`).
    """

    name: str
    summary: str
    kind: str  # "points", "images" or "pairs"
    settings: dict[str, Any]
    build: Callable[[dict], tuple[keras.Model, keras.Model | None]]
    data: Callable[[dict], DataFn]
    evaluate: Callable[[Any, dict], dict]
    smoke: dict[str, Any] = field(default_factory=dict)
    trainer: Callable[..., Trainer] | None = None

    def resolve(self, **overrides) -> dict[str, Any]:
        """Defaults, then smoke-mode overrides, then explicit ``overrides`` (``None`` is ignored). An
        override must have the type of its default (an int may stand for a float)."""
        unknown = {k for k, v in overrides.items() if v is not None} - set(self.settings)
        if unknown:
            raise errors.UserValueError(f"recipe {self.name!r} has no setting(s) {sorted(unknown)}; it has {sorted(self.settings)}")
        for key, value in overrides.items():
            default = self.settings.get(key)
            if value is None or default is None or type(value) is type(default) or (type(default) is float and type(value) is int):
                continue
            raise errors.UserValueError(f"setting {key}={value!r} of recipe {self.name!r}: expected {type(default).__name__} "
                                        f"like the default {default!r}")
        out = {**self.settings, **config.pick({}, self.smoke)}
        out.update({k: v for k, v in overrides.items() if v is not None})
        return out


COMMON = dict(seed=0, loss="non-saturating", d_steps=1, label_smoothing=0.0, ema_decay=None, optimizer="adam",
              beta_2=0.999, steps_per_execution=1, log_every=50, checkpoint_every=500, jit_compile=False,
              mixed_precision=False)


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


def gan_trainer(s: dict, generator: keras.Model, discriminator: keras.Model,
                strategy: tf.distribute.Strategy | None, run_dir: Path | None) -> GANTrainer:
    """The trainer of the unconditional recipes (kinds "points" and "images")."""
    return GANTrainer(
        generator, discriminator, latent_dim=s["latent_dim"], g_optimizer=_optimizer(s), d_optimizer=_optimizer(s),
        loss=s["loss"], d_steps=s["d_steps"], label_smoothing=s["label_smoothing"], ema_decay=s["ema_decay"],
        seed=s["seed"], strategy=strategy, jit_compile=s["jit_compile"], steps_per_execution=s["steps_per_execution"],
        run_dir=run_dir,
    )

# -- toy1d: the lecture toy ----------------------------------------------------------------------


def _toy1d_build(s):
    return models.shift_generator(1, s["theta0"]), models.logistic_discriminator(1)


def _toy1d_target(s):
    return data.gaussian_1d(s["data_mean"], 1.0)


def _toy1d_data(s):
    dist = _toy1d_target(s)
    return lambda start: data.toy_batches(dist, s["batch_size"], s["seed"], start)


def _toy1d_evaluate(samples, s):
    return metrics.toy_metrics(samples, _toy1d_target(s))


# -- 2-D mixtures: the ring of 8 and the grid of 25 ---------------------------------------------


def mixture_target(dataset: str) -> data.GaussianMixture:
    """The 2-D targets of the mixture recipes: ``ring`` (8 modes, radius 2, std 0.02) or ``grid``
    (5×5, spacing 2, std 0.05), the settings of the VEEGAN and PacGAN papers."""
    if dataset == "ring":
        return data.ring_of_gaussians(8, radius=2.0, std=0.02)
    if dataset == "grid":
        return data.grid_of_gaussians(5, spacing=2.0, std=0.05)
    raise errors.UserValueError(f"unknown dataset {dataset!r}; use 'ring' or 'grid'")


def _mixture_build(s):
    g = models.mlp_generator(s["latent_dim"], (2,), hidden=s["g_hidden"], output_activation=None)
    d = models.mlp_discriminator((2,), hidden=s["d_hidden"], spectral_norm=s["spectral_norm"],
                                 clip_value=s["clip_value"])
    return g, d


def _mixture_data(s):
    dist = mixture_target(s["dataset"])
    return lambda start: data.toy_batches(dist, s["batch_size"], s["seed"], start)


def _mixture_evaluate(samples, s):
    return metrics.toy_metrics(samples, mixture_target(s["dataset"]))


# Sampling from an EMA of the generator's weights (decay 0.999) matters on these sharp targets: a
# 5-minute ring-wgan-gp run measured 41% high-quality samples without it and 77% with it.
MIXTURE = {**COMMON, "dataset": "ring", "latent_dim": 2, "batch_size": 256, "steps": 40_000, "minutes": 5.0,
           "ema_decay": 0.999,
           "g_hidden": [256, 256, 256], "d_hidden": [256, 256, 256], "spectral_norm": False, "clip_value": None,
           "steps_per_execution": 50, "eval_n": 2500}
MIXTURE_SMOKE = {"steps": 200, "g_hidden": [64, 64], "d_hidden": [64, 64]}

# -- MNIST --------------------------------------------------------------------------------------


def _mnist_data(s):
    x = data.load_mnist(n_train=s["n_train"]).x_train
    return lambda start: data.array_batches(x, s["batch_size"], s["seed"], start, preprocess=data.scale_images)


def _mnist_evaluate(images, s):
    reference = data.load_mnist(source="offline").x_test
    return metrics.mnist_metric().evaluate(images, reference)


def _mnist_mlp_build(s):
    g = models.mlp_generator(s["latent_dim"], (28, 28, 1), hidden=s["g_hidden"])
    d = models.mlp_discriminator((28, 28, 1), hidden=s["d_hidden"])
    return g, d


def _mnist_dcgan_build(s):
    return (models.dcgan_generator_28(s["latent_dim"], s["width"], refine=s["g_refine"]),
            models.dcgan_discriminator_28(s["width"], batch_norm=s["d_batch_norm"]))


def _tutorial_build(s):
    return models.tutorial_dcgan_generator(s["latent_dim"]), models.tutorial_dcgan_discriminator()


# -- faces: DCGAN 64×64 ------------------------------------------------------------------------


def _faces(s) -> data.FaceSet:
    faces = data.load_faces(s["data"], n=s["n_train"])
    s["data"] = faces.source  # "auto" becomes what it resolved to, so evaluate measures the same data
    return faces


def _faces_build(s):
    return (models.dcgan_generator_64(s["latent_dim"], s["width"]),
            models.dcgan_discriminator_64(s["d_width"], batch_norm=s["d_batch_norm"]))


# Radford's networks at CPU size. A mirrored discriminator (width 32 both) won from the first steps,
# D(x) ≈ 0.99 and D(G(z)) ≈ 0.02, and its faces stayed smudged. At equal wall clock (4 minutes, 2
# cores, batch 32) a generator of width 48 against a discriminator of width 16 reached a Fréchet
# distance of 382 where the mirrored pair reached 1,195 (benchmarks/README.md, "faces-dcgan").
# Radford's learning rate 2e-4 (for batch 128) is slow at this size: at the same 4 minutes Adam 5e-4
# reached 123 and 1e-3 reached 76, β1 0.5 throughout; the MNIST DCGAN uses 1e-3 too.
FACES = {**COMMON, "data": None, "latent_dim": 100, "batch_size": 32, "steps": 20_000, "minutes": 10.0,
         "lr": 1e-3, "beta_1": 0.5, "width": 48, "d_width": 16, "d_batch_norm": True, "ema_decay": 0.999,
         "n_train": None, "steps_per_execution": 10, "eval_n": 2000}


def _faces_data(s):
    x = _faces(s).images
    return lambda start: data.array_batches(x, s["batch_size"], s["seed"], start, preprocess=data.scale_images)


def _faces_evaluate(images, s):
    """The faces metrics, and the same Fréchet distance for as many real training faces (the floor)."""
    faces, metric = _faces({**s, "n_train": len(images)}), metrics.faces_metric()  # only as many as it compares
    out = metric.evaluate(images, faces.reference)
    out["real_vs_real_fd"] = metric.evaluate(faces.images[: len(images)], faces.reference)["frechet_distance"]
    return out


# -- colorizer: pix2pix (Isola et al. 2017), grey photo → colour ----------------------------------


def _photos(s) -> data.PhotoSet:
    photos = data.load_photos(s["data"], s["size"], s["zoom"], s["n_train"], s["split"])
    s["data"] = photos.source  # "auto" becomes what it resolved to, so evaluate measures the same held-out photos
    return photos


def _unet(s):
    return models.unet_generator(s["size"], 1, colour.target_channels(s["colour_space"]), s["width"], s["dropout"])


def _colorizer_build(s):
    d = models.patchgan_discriminator(s["size"], 1, colour.target_channels(s["colour_space"]), s["d_width"], s["d_layers"])
    return _unet(s), d


def _colorizer_l1_build(s):
    return _unet(s), None


def _colorizer_data(s):
    photos = _photos(s).train

    def pairs(batch):
        return colour.to_pairs(batch, s["colour_space"])

    return lambda start: data.photo_batches(photos, s["size"], s["batch_size"], s["seed"], start, preprocess=pairs)


def colorize_held_out(generator: keras.Model, settings: dict, n: int | None = None,
                      batch_size: int = 32) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(grey input, colorization, ground truth) of the first ``n`` (default all) held-out crops of a
    colorizer run, each float sRGB in [0, 1], N×size×size×3."""
    truth = _photos(settings).held_out[:n].astype(np.float32) / 255.0
    x, _ = colour.to_pairs(truth, settings["colour_space"])
    y = np.concatenate([np.asarray(generator(x[i : i + batch_size], training=False)) for i in range(0, len(x), batch_size)])
    return colour.grey_rgb(x).numpy(), colour.to_rgb(x, y, settings["colour_space"]).numpy(), truth


def _colorizer_evaluate(generator, s):
    _, colorized, truth = colorize_held_out(generator, s)
    return {"data": s["data"], "colour_space": s["colour_space"], **metrics.colorization_metrics(colorized, truth)}


def _colorizer_trainer(s: dict, generator: keras.Model, discriminator: keras.Model | None,
                       strategy: tf.distribute.Strategy | None, run_dir: Path | None) -> PairTrainer:
    x, _ = colour.to_pairs(_photos(s).held_out[:8] / 255.0, s["colour_space"])
    adversarial = dict(d_optimizer=_optimizer(s), loss=s["loss"]) if discriminator is not None else {}
    return PairTrainer(generator, discriminator, g_optimizer=_optimizer(s), l1_weight=s["l1_weight"], strategy=strategy,
                       jit_compile=s["jit_compile"], steps_per_execution=s["steps_per_execution"], run_dir=run_dir,
                       fixed_inputs=x.numpy(), **adversarial)


# The paper's training settings (U-Net with dropout 0.5, λ = 100, Adam 2e-4, β1 0.5) at a size and
# width a CPU can train: 64 px, generator width 16 (the paper: 256 px, width 64; on a GPU pass --size 256).
# Width 16 is 1.8M parameters, a 7 MB file to ship; width 32 would be 7.3M and 29 MB.
# Colour needs little resolution: `colorize` upsamples the predicted chroma under the full-size L*.
# colour_space "rgb" predicts the RGB image from L*; "lab" predicts a*b* from the same L* input. RGB
# is the default because it won on the validation scene (benchmarks/README.md, "colorizer"): with the
# cGAN, a*/b* histogram intersections 0.619/0.534 against Lab's 0.570/0.508, PSNR 18.47 against 17.96.
PIX2PIX = dict(seed=0, data="auto", split="test", n_train=None, size=64, zoom=2.0, colour_space="rgb", width=16, dropout=0.5,
               l1_weight=100.0, optimizer="adam", lr=2e-4, beta_1=0.5, beta_2=0.999, batch_size=16, steps=5000,
               minutes=20.0, log_every=50, checkpoint_every=500, steps_per_execution=10, jit_compile=False,
               mixed_precision=False)
PIX2PIX_SMOKE = {"size": 64, "width": 8, "batch_size": 4, "steps": 20, "log_every": 10, "steps_per_execution": 5}


RECIPES: dict[str, Recipe] = {
    r.name: r
    for r in (
        Recipe(
            "toy1d",
            "the lecture toy: data N(7, 1), generator x = z + θ, logistic discriminator",
            "points",
            {**COMMON, "latent_dim": 1, "batch_size": 128, "steps": 3000, "minutes": 2.0, "lr": 0.01,
             "beta_1": 0.5, "d_steps": 5, "theta0": 0.0, "data_mean": 7.0, "steps_per_execution": 50,
             "eval_n": 10_000},
            _toy1d_build, _toy1d_data, _toy1d_evaluate,
            smoke={"steps": 1500},
        ),
        Recipe(
            "mnist-mlp",
            "vanilla GAN on MNIST: MLP generator and discriminator (Goodfellow et al. 2014)",
            "images",
            {**COMMON, "latent_dim": 64, "batch_size": 64, "steps": 20_000, "minutes": 10.0, "lr": 2e-4,
             "beta_1": 0.5, "g_hidden": [256, 512], "d_hidden": [512, 256], "ema_decay": 0.999,
             "n_train": None, "steps_per_execution": 10, "eval_n": 10_000},
            _mnist_mlp_build, _mnist_data, _mnist_evaluate,
            smoke={"steps": 200, "n_train": 2000, "g_hidden": [64, 128], "d_hidden": [128, 64], "eval_n": 500},
        ),
        Recipe(
            "mnist-dcgan",
            "DCGAN on MNIST 28×28: transposed convolutions, batch-norm generator, Adam 1e-3 / β1 0.5, EMA generator",
            "images",
            {**COMMON, "latent_dim": 64, "batch_size": 64, "steps": 20_000, "minutes": 5.0, "lr": 1e-3,
             "beta_1": 0.5, "width": 64, "g_refine": True, "d_batch_norm": False, "ema_decay": 0.999,
             "n_train": None, "steps_per_execution": 10, "eval_n": 10_000},
            _mnist_dcgan_build, _mnist_data, _mnist_evaluate,
            smoke={"steps": 100, "width": 16, "n_train": 2000, "eval_n": 500},
        ),
        Recipe(
            "faces-dcgan",
            "DCGAN 64×64 on faces (Radford et al.): the Simpsons when reachable, else procedural cartoon faces; --data DIR for a folder",
            "images",
            FACES, _faces_build, _faces_data, _faces_evaluate,
            smoke={"steps": 30, "width": 8, "d_width": 8, "n_train": 512, "eval_n": 200},
        ),
        Recipe(
            "ring-gan",
            "vanilla (non-saturating) GAN on the ring of 8 Gaussians (--loss/dataset settings in the recipe)",
            "points",
            {**MIXTURE, "lr": 1e-4, "beta_1": 0.5},
            _mixture_build, _mixture_data, _mixture_evaluate, smoke=MIXTURE_SMOKE,
        ),
        Recipe(
            "ring-wgan",
            "WGAN on the ring: critic without sigmoid, weight clipping 0.01, RMSProp 5e-5, n_critic 5",
            "points",
            {**MIXTURE, "loss": "wgan", "optimizer": "rmsprop", "lr": 5e-5, "beta_1": 0.9, "d_steps": 5,
             "clip_value": 0.01},
            _mixture_build, _mixture_data, _mixture_evaluate, smoke=MIXTURE_SMOKE,
        ),
        Recipe(
            "ring-wgan-gp",
            "WGAN-GP on the ring: gradient penalty λ 10, Adam 1e-4 β (0, 0.9), n_critic 5",
            "points",
            {**MIXTURE, "loss": "wgan-gp", "lr": 1e-4, "beta_1": 0.0, "beta_2": 0.9, "d_steps": 5},
            _mixture_build, _mixture_data, _mixture_evaluate, smoke=MIXTURE_SMOKE,
        ),
        Recipe(
            "ring-sngan",
            "non-saturating GAN on the ring with spectral normalisation in every discriminator layer (Miyato et al.)",
            "points",
            {**MIXTURE, "lr": 1e-4, "beta_1": 0.5, "spectral_norm": True},
            _mixture_build, _mixture_data, _mixture_evaluate, smoke=MIXTURE_SMOKE,
        ),
        Recipe(
            "mnist-wgan-gp",
            "WGAN-GP on MNIST: the mnist-dcgan networks, critic without batch norm, λ 10, Adam 1e-4 β (0, 0.9), n_critic 5",
            "images",
            {**COMMON, "loss": "wgan-gp", "latent_dim": 64, "batch_size": 64, "steps": 20_000, "minutes": 10.0,
             "lr": 1e-4, "beta_1": 0.0, "beta_2": 0.9, "d_steps": 5, "width": 64, "g_refine": True,
             "d_batch_norm": False, "ema_decay": 0.999, "n_train": None, "steps_per_execution": 10,
             "eval_n": 10_000},
            _mnist_dcgan_build, _mnist_data, _mnist_evaluate,
            smoke={"steps": 40, "width": 16, "n_train": 2000, "eval_n": 500},
        ),
        Recipe(
            "mnist-dcgan-tutorial",
            "baseline for benchmarks: the TensorFlow DCGAN tutorial's models, Adam 1e-4, batch 256",
            "images",
            {**COMMON, "latent_dim": 100, "batch_size": 256, "steps": 20_000, "minutes": 5.0, "lr": 1e-4,
             "beta_1": 0.9, "n_train": None, "eval_n": 10_000},
            _tutorial_build, _mnist_data, _mnist_evaluate,
            smoke={"steps": 20, "n_train": 2000, "batch_size": 64, "eval_n": 500},
        ),
        Recipe(
            "colorizer",
            "pix2pix auto-colorizer: U-Net from L* to RGB (--colour-space lab: to a*b*), 3-layer PatchGAN (70×70 patches at 256 px, most of a 64 px crop), L_cGAN + 100·L1; tf_flowers, offline "
            "the scikit-image photos, --data FOLDER",
            "pairs",
            {**PIX2PIX, "loss": "non-saturating", "d_width": 32, "d_layers": 3},
            _colorizer_build, _colorizer_data, _colorizer_evaluate,
            smoke={**PIX2PIX_SMOKE, "d_width": 8}, trainer=_colorizer_trainer,
        ),
        Recipe(
            "colorizer-l1",
            "baseline for the colorizer: the same U-Net, data and steps, L1 loss only (no discriminator)",
            "pairs",
            PIX2PIX,
            _colorizer_l1_build, _colorizer_data, _colorizer_evaluate,
            smoke=PIX2PIX_SMOKE, trainer=_colorizer_trainer,
        ),
    )
}


# The loss zoo of notebook 06 and benchmarks/loss_zoo.py: one fixed MLP architecture (the mixture
# recipes'), each row a recipe plus the setting overrides that select its loss.
LOSS_ZOO: dict[str, tuple[str, dict[str, Any]]] = {
    "minimax": ("ring-gan", {"loss": "minimax"}),
    "non-saturating": ("ring-gan", {"loss": "non-saturating"}),
    "LSGAN": ("ring-gan", {"loss": "lsgan"}),
    "hinge": ("ring-gan", {"loss": "hinge"}),
    "WGAN (clipping)": ("ring-wgan", {}),
    "WGAN-GP": ("ring-wgan-gp", {}),
    "non-saturating + spectral norm": ("ring-sngan", {}),
}


def get(name: str) -> Recipe:
    try:
        return RECIPES[name]
    except KeyError:
        raise errors.UserValueError(f"unknown recipe {name!r}; choose one of: {', '.join(RECIPES)}") from None


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
        self.recipe = recipe if isinstance(recipe, Recipe) else get(recipe)
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
        s = self.settings
        set_seed(s["seed"])
        self.strategy = strategy or tf.distribute.get_strategy()
        with _precision(s), self.strategy.scope():
            self.generator, self.discriminator = self.recipe.build(s)
            make_trainer = self.recipe.trainer or gan_trainer
            self.trainer = make_trainer(s, self.generator, self.discriminator, self.strategy, self.run_dir)
        self.data_fn = self.recipe.data(s)
        self.start_step = self.trainer.restore() if stored is not None else 0

    def _stored_settings(self) -> dict | None:
        path = self.run_dir / "config.json" if self.run_dir else None
        if path is None or not path.is_file():
            return None
        name, settings = read_config(path)
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
        )
        if self.run_dir is not None:
            self.export()
        return history

    def _write_config(self) -> None:
        body = {"recipe": self.recipe.name, "kind": self.recipe.kind, "settings": self.settings}
        tmp = self.run_dir / "config.json.tmp"
        tmp.write_text(json.dumps(body, indent=2) + "\n")
        os.replace(tmp, self.run_dir / "config.json")

    def export(self) -> None:
        """Write ``generator.weights.h5`` (atomically) and ``samples.png`` into the run directory."""
        tmp = self.run_dir / "generator.tmp.weights.h5"
        self.trainer.sampler.save_weights(tmp)
        os.replace(tmp, self.run_dir / GENERATOR_WEIGHTS)
        if self.recipe.kind == "images":
            plotting.save_image_grid(self.trainer.sample(self.trainer.fixed_z), self.run_dir / "samples.png", ncols=4)
        elif self.recipe.kind == "pairs":  # rows of grey input, colorization, ground truth
            triples = np.stack(colorize_held_out(self.trainer.sampler, self.settings, n=8), axis=1)
            plotting.save_image_grid(data.to_uint8(triples.reshape(-1, *triples.shape[2:]) * 2.0 - 1.0),
                                     self.run_dir / "samples.png", ncols=6)
        else:
            import matplotlib.pyplot as plt

            fig, ax = plt.subplots(figsize=(6, 3))
            plot_samples(self.recipe, self.settings, sample(self.trainer.sampler, 5000, self.settings["latent_dim"], 0)[0], ax)
            fig.savefig(self.run_dir / "samples.png", dpi=80, bbox_inches="tight")
            plt.close(fig)

    def sample(self, n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
        if self.recipe.kind == "pairs":
            raise errors.UserValueError(f"{self.recipe.name} maps photos, not latent vectors: use colorize_held_out or colour.colorize")
        return sample(self.trainer.sampler, n, self.settings["latent_dim"], seed)

    def evaluate(self, n: int | None = None, seed: int = 0) -> dict:
        return evaluate_generator(self.recipe, self.settings, self.trainer.sampler, n, seed)


def sample(generator: keras.Model, n: int, latent_dim: int, seed: int = 0, batch_size: int = 1000) -> tuple[np.ndarray, np.ndarray]:
    """``n`` samples from ``generator`` for a seeded standard-normal z: (samples, z).

    Images come back as uint8 N×H×W×C in 0..255, points as float32 N×D.
    """
    z = np.random.default_rng(seed).standard_normal((n, latent_dim)).astype("float32")
    out = decode(generator, z, batch_size)
    return (data.to_uint8(out) if out.ndim == 4 else out.astype("float32")), z


def decode(generator: keras.Model, z, batch_size: int = 1000) -> np.ndarray:
    """The generator's raw outputs (inference mode) for latent vectors ``z``, in batches."""
    z = np.asarray(z, np.float32)
    return np.concatenate([np.asarray(generator(z[i : i + batch_size], training=False))
                           for i in range(0, len(z), batch_size)])


def evaluate_generator(recipe: Recipe, settings: dict, generator: keras.Model, n: int | None = None,
                       seed: int = 0) -> dict:
    """The recipe's metrics: on ``n`` samples (default: its ``eval_n``) of the generator, or for a
    colorizer (kind "pairs") on its fixed held-out photos (``n`` and ``seed`` do not apply)."""
    if recipe.kind == "pairs":
        return recipe.evaluate(generator, settings)
    samples, _ = sample(generator, n or settings["eval_n"], settings["latent_dim"], seed)
    return recipe.evaluate(samples, settings)


def evaluate_run(run_dir: str | os.PathLike, n: int | None = None, seed: int = 0) -> dict:
    """The recipe's metrics (:func:`evaluate_generator`) for a run directory's generator."""
    recipe, settings, generator = load_run(run_dir)
    return {"recipe": recipe.name, **evaluate_generator(recipe, settings, generator, n, seed)}


def loss_zoo_run(label: str, dataset: str = "ring", seed: int = 0, run_dir: str | os.PathLike | None = None,
                 **overrides) -> Run:
    """The :class:`Run` of one :data:`LOSS_ZOO` row on ``dataset`` ("ring" or "grid")."""
    if label not in LOSS_ZOO:
        raise errors.UserValueError(f"unknown loss-zoo row {label!r}; choose one of: {', '.join(LOSS_ZOO)}")
    recipe, row = LOSS_ZOO[label]
    return Run(recipe, run_dir, dataset=dataset, seed=seed, **row, **overrides)


def plot_samples(recipe: Recipe, settings: dict, samples: np.ndarray, ax=None):
    """The natural picture of a recipe's samples (a grid of images, or points over the target)."""
    if recipe.kind == "images":
        return plotting.image_grid(samples[:64], ncols=8, ax=ax)
    if "dataset" in settings:
        return plotting.plot_2d(samples, mixture_target(settings["dataset"]), ax=ax)
    return plotting.plot_1d(_toy1d_target(settings), samples, ax=ax)


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
        lambda z: decode(generator, z, 500),
        metrics.faces_metric().probabilities, settings["latent_dim"], attribute="mouth", target=mouth.index("smiling"),
        source=mouth.index("neutral"), keep=("hair_colour",), trials=trials, exemplars=exemplars, seed=seed)
    rate, base = out["success_rate"], out["baseline_rate"]
    return {"arithmetic": "smiling(A) - neutral(A) + neutral(B), A and B differ in hair colour",
            "exemplars": exemplars, "success_rate": rate, "baseline_rate": base,
            "ratio": rate / base if base else float("inf"), "smiling_rate": out["transfer_rate"],
            "hair_kept_rate": out["keep_rate"], "trials": trials}


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
    cfg_path = run_dir / "config.json"
    if not cfg_path.is_file():
        raise errors.UserFileNotFoundError(f"{run_dir} is not a run directory (no config.json); train one with "
                                           "python -m workshop_utils train RECIPE --out DIR")
    name, settings = read_config(cfg_path)
    recipe = get(name)
    weights = run_dir / GENERATOR_WEIGHTS
    if weights.is_file():
        return recipe, settings, build_generator(recipe, settings, weights)
    run = Run(recipe, run_dir, resume=True)  # interrupted before export: use the last checkpoint
    return recipe, run.settings, run.trainer.sampler


def read_config(path: Path) -> tuple[str, dict]:
    """(recipe name, settings) of a run directory's ``config.json``."""
    try:
        cfg = json.loads(path.read_text())
        return cfg["recipe"], dict(cfg["settings"])
    except (ValueError, KeyError, TypeError) as err:
        raise errors.UserValueError(f"{path} is damaged ({type(err).__name__}: {err}); restore it or train a new "
                                    "run directory") from None


def build_generator(recipe: Recipe, settings: dict, weights: str | os.PathLike | None = None) -> keras.Model:
    """The recipe's generator for ``settings``, with the weights of a ``.weights.h5`` file if given."""
    with _precision(settings):
        generator, _ = recipe.build(settings)
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
