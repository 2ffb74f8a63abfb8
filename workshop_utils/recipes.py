"""Training recipes: named, seeded settings and the parts that train them (no TensorFlow here).

A recipe names its parts as ``"module.function"`` inside the package: the generator and the
discriminator (``models``, from the settings), the batches (``data``), the metric (``runs``) and
the trainer. Nothing is imported until a run builds them (:mod:`workshop_utils.runs`), so the
command line checks a recipe's name and settings at once, before TensorFlow loads.

A new variant is a builder, a data function and an entry here. ``kind`` says what the generator
makes (:mod:`workshop_utils.kinds`); ``condition`` says which labels a conditional GAN's G and D
see. Smoke mode changes sizes only, through each recipe's ``smoke`` overrides.
"""

from __future__ import annotations

import importlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from . import conditions, config, errors, kinds
from .conditions import CONDITIONINGS, DIGITS, Condition
from .kinds import Kind

LOSS_NAMES = ("minimax", "non-saturating", "maximum-likelihood", "lsgan", "hinge", "wgan", "wgan-gp")  # losses.LOSSES


@dataclass(frozen=True)
class Recipe:
    """A named way to train a GAN: default settings, smoke-mode overrides and the parts.

    ``generator``/``discriminator`` (None: no discriminator), ``data``, ``evaluate``, ``target``
    and ``trainer`` name functions of the package (see :meth:`part`). ``choices`` lists the allowed
    values of settings that have a fixed set; ``flags`` the settings the command line offers as
    ``--flags`` (setting → help), every other setting goes through ``--set KEY=VALUE``.
    """

    name: str
    summary: str
    kind: Kind
    settings: dict[str, Any]
    generator: str
    discriminator: str | None
    data: str
    evaluate: str | None = None  # images and pairs: the metric; points are measured against their target
    target: str | None = None  # points: settings -> the GaussianMixture the generator should match
    condition: Callable[[dict], Condition] | None = None  # conditional GANs: what c is
    trainer: str = "runs.gan_trainer"
    smoke: dict[str, Any] = field(default_factory=dict)
    choices: dict[str, tuple] = field(default_factory=dict)
    flags: dict[str, str] = field(default_factory=dict)

    def part(self, role: str) -> Callable:
        """The function this recipe names for ``role`` ("generator", "data", …), imported now."""
        ref = getattr(self, role)
        module, _, name = ref.rpartition(".")
        return getattr(importlib.import_module(f"{__package__}.{module}"), name)

    def resolve(self, **overrides) -> dict[str, Any]:
        """Defaults, then smoke-mode overrides, then explicit ``overrides`` (``None`` is ignored). An
        override must have the type of its default (an int may stand for a float) and one of the
        setting's :attr:`choices` when it has them."""
        given = {k: v for k, v in overrides.items() if v is not None}
        unknown = set(given) - set(self.settings)
        if unknown:
            raise errors.UserValueError(f"recipe {self.name!r} has no setting(s) {sorted(unknown)}; it has {sorted(self.settings)}")
        for key, value in given.items():
            default = self.settings[key]
            if not (default is None or type(value) is type(default) or (type(default) is float and type(value) is int)):
                raise errors.UserValueError(f"setting {key}={value!r} of recipe {self.name!r}: expected {type(default).__name__} "
                                            f"like the default {default!r}")
            if key in self.choices and value not in self.choices[key]:
                raise errors.UserValueError(f"unknown {key} {value!r} for recipe {self.name!r}; use one of {list(self.choices[key])}")
        return {**self.settings, **config.pick({}, self.smoke), **given}


COMMON = dict(seed=0, loss="non-saturating", d_steps=1, label_smoothing=0.0, ema_decay=None, optimizer="adam",
              beta_2=0.999, steps_per_execution=1, log_every=50, checkpoint_every=500, jit_compile=False,
              mixed_precision=False)
GAN_CHOICES = {"loss": LOSS_NAMES, "optimizer": ("adam", "rmsprop")}
LOSS_FLAG = {"loss": "the GAN loss (" + ", ".join(LOSS_NAMES) + ")"}


def _mnist(name: str, summary: str, settings: dict, generator: str, discriminator: str, smoke: dict, **parts) -> Recipe:
    """An MNIST recipe: the digits, measured by the course's MNIST classifier."""
    parts = {"kind": kinds.IMAGES, "evaluate": "runs.mnist_metrics", "choices": GAN_CHOICES, "flags": LOSS_FLAG, **parts}
    return Recipe(name, summary, settings={**COMMON, "n_train": None, "eval_n": 10_000, **settings},
                  generator=f"models.{generator}", discriminator=f"models.{discriminator}", data="data.mnist_data",
                  smoke={"n_train": 2000, "eval_n": 500, **smoke}, **parts)


# Sampling from an EMA of the generator's weights (decay 0.999) matters on these sharp targets: a
# 5-minute ring-wgan-gp run measured 41% high-quality samples without it and 77% with it.
MIXTURE = {**COMMON, "dataset": "ring", "latent_dim": 2, "batch_size": 256, "steps": 40_000, "minutes": 5.0,
           "ema_decay": 0.999,
           "g_hidden": [256, 256, 256], "d_hidden": [256, 256, 256], "spectral_norm": False, "clip_value": None,
           "steps_per_execution": 50, "eval_n": 2500}


def _mixture(name: str, summary: str, settings: dict) -> Recipe:
    """A 2-D mixture recipe: the MLPs of the VEEGAN/PacGAN experiments on the ring (or grid)."""
    return Recipe(name, summary, kinds.POINTS, {**MIXTURE, **settings}, "models.mixture_generator",
                  "models.mixture_discriminator", "data.mixture_data", target="distributions.mixture_recipe_target",
                  smoke={"steps": 200, "g_hidden": [64, 64], "d_hidden": [64, 64]},
                  choices={**GAN_CHOICES, "dataset": ("ring", "grid")},
                  flags={**LOSS_FLAG, "dataset": "the 2-D target: ring (8 modes) or grid (25 modes)"})


# Radford's networks at CPU size. A mirrored discriminator (width 32 both) won from the first steps,
# D(x) ≈ 0.99 and D(G(z)) ≈ 0.02, and its faces stayed smudged. At equal wall clock (4 minutes, 2
# cores, batch 32) a generator of width 48 against a discriminator of width 16 reached a Fréchet
# distance of 382 where the mirrored pair reached 1,195 (benchmarks/README.md, "faces-dcgan").
# Radford's learning rate 2e-4 (for batch 128) is slow at this size: at the same 4 minutes Adam 5e-4
# reached 123 and 1e-3 reached 76, β1 0.5 throughout; the MNIST DCGAN uses 1e-3 too.
FACES = {**COMMON, "data": None, "latent_dim": 100, "batch_size": 32, "steps": 20_000, "minutes": 10.0,
         "lr": 1e-3, "beta_1": 0.5, "width": 48, "d_width": 16, "d_batch_norm": True, "ema_decay": 0.999,
         "n_train": None, "steps_per_execution": 10, "eval_n": 2000}

# The paper's training settings (U-Net with dropout 0.5, λ = 100, Adam 2e-4, β1 0.5) at a size and
# width a CPU can train: 64 px, generator width 16 (the paper: 256 px, width 64; on a GPU pass --size 256).
# Width 16 is 1.8M parameters, a 7 MB file to ship; width 32 would be 7.3M and 29 MB.
# Colour needs little resolution: `colorize` upsamples the predicted chroma under the full-size L*.
# colour_space "rgb" predicts the RGB image from L*; "lab" predicts a*b* from the same L* input. Lab
# with a 2-layer PatchGAN is the default because the rule fixed before the validation runs picked it
# (benchmarks/README.md, "colorizer"; 13 training scenes, validated on coffee, green_meadow and aqua):
# with the cGAN, mean a*/b* histogram intersection 0.611 against 0.598 for Lab with the paper's
# 3-layer PatchGAN and 0.595 for RGB, all within 1.5 dB of L1 only's PSNR.
PIX2PIX = dict(seed=0, data="auto", split="test", n_train=None, size=64, zoom=2.0, colour_space="lab", width=16, dropout=0.5,
               l1_weight=100.0, optimizer="adam", lr=2e-4, beta_1=0.5, beta_2=0.999, batch_size=16, steps=5000,
               minutes=20.0, log_every=50, checkpoint_every=500, steps_per_execution=10, jit_compile=False,
               mixed_precision=False)
PIX2PIX_SMOKE = {"size": 64, "width": 8, "batch_size": 4, "steps": 20, "log_every": 10, "steps_per_execution": 5}
PIX2PIX_CHOICES = {"optimizer": ("adam", "rmsprop"), "split": ("test", "validation"), "colour_space": ("rgb", "lab")}
PIX2PIX_FLAGS = {"data": "the photos: a folder of photos, 'tf_flowers' or 'offline' (the shipped photos)",
                 "size": "image size, a power of two (64, 128, 256)",
                 "colour_space": "predict RGB from L* (rgb) or a*b* from L* (lab)"}


def _colorizer(name: str, summary: str, settings: dict, discriminator: str | None, smoke: dict, **extra) -> Recipe:
    """A pix2pix colorizer recipe: grey photo → colour, measured on held-out photos."""
    return Recipe(name, summary, kinds.PAIRS, {**PIX2PIX, **settings}, "models.colorizer_generator", discriminator,
                  "data.colorizer_data", "runs.colorizer_metrics", trainer="runs.pair_trainer",
                  smoke={**PIX2PIX_SMOKE, **smoke}, **extra)


# The conditional MNIST recipes keep mnist-dcgan's networks and settings, so that every comparison
# in notebook 07 (and benchmarks/conditional.py) is at equal networks and steps.
CGAN = {"latent_dim": 64, "batch_size": 64, "steps": 20_000, "minutes": 5.0, "lr": 1e-3, "beta_1": 0.5, "width": 64,
        "g_refine": True, "d_batch_norm": False, "ema_decay": 0.999, "steps_per_execution": 10}


def _digits(s: dict) -> Condition:
    return DIGITS


RECIPES: dict[str, Recipe] = {
    r.name: r
    for r in (
        Recipe(
            "toy1d", "the lecture toy: data N(7, 1), generator x = z + θ, logistic discriminator", kinds.POINTS,
            {**COMMON, "latent_dim": 1, "batch_size": 128, "steps": 3000, "minutes": 2.0, "lr": 0.01,
             "beta_1": 0.5, "d_steps": 5, "theta0": 0.0, "data_mean": 7.0, "steps_per_execution": 50,
             "eval_n": 10_000},
            "models.toy1d_generator", "models.toy1d_discriminator", "data.toy1d_data", target="distributions.toy1d_target",
            smoke={"steps": 1500}, choices=GAN_CHOICES, flags=LOSS_FLAG,
        ),
        _mnist(
            "mnist-mlp", "vanilla GAN on MNIST: MLP generator and discriminator (Goodfellow et al. 2014)",
            {"latent_dim": 64, "batch_size": 64, "steps": 20_000, "minutes": 10.0, "lr": 2e-4, "beta_1": 0.5,
             "g_hidden": [256, 512], "d_hidden": [512, 256], "ema_decay": 0.999, "steps_per_execution": 10},
            "mnist_mlp_generator", "mnist_mlp_discriminator", {"steps": 200, "g_hidden": [64, 128], "d_hidden": [128, 64]},
        ),
        _mnist(
            "mnist-dcgan", "DCGAN on MNIST 28×28: transposed convolutions, batch-norm generator, Adam 1e-3 / β1 0.5, EMA generator",
            {"latent_dim": 64, "batch_size": 64, "steps": 20_000, "minutes": 5.0, "lr": 1e-3, "beta_1": 0.5, "width": 64,
             "g_refine": True, "d_batch_norm": False, "ema_decay": 0.999, "steps_per_execution": 10},
            "mnist_dcgan_generator", "mnist_dcgan_discriminator", {"steps": 100, "width": 16},
        ),
        Recipe(
            "faces-dcgan", "DCGAN 64×64 on faces (Radford et al.): the Simpsons when reachable, else procedural cartoon faces; --data DIR for a folder",
            kinds.IMAGES, FACES, "models.faces_generator", "models.faces_discriminator", "data.faces_data", "runs.faces_metrics",
            smoke={"steps": 30, "width": 8, "d_width": 8, "n_train": 512, "eval_n": 200}, choices=GAN_CHOICES,
            flags={**LOSS_FLAG, "data": "the faces: a folder of images, 'simpsons' (Kaggle) or 'cartoon' (offline)"},
        ),
        _mixture("ring-gan", "vanilla (non-saturating) GAN on the ring of 8 Gaussians (--loss/dataset settings in the recipe)",
                 {"lr": 1e-4, "beta_1": 0.5}),
        # Arjovsky et al. (2017), Algorithm 1: RMSProp 5e-5, c = 0.01, n_critic = 5. The step budget is
        # ours (the paper has no ring): 30,000 generator steps, 150,000 critic updates, with no time limit.
        _mixture("ring-wgan", "WGAN on the ring: critic without sigmoid, weight clipping 0.01, RMSProp 5e-5, n_critic 5; "
                 "30,000 generator steps",
                 {"loss": "wgan", "optimizer": "rmsprop", "lr": 5e-5, "beta_1": 0.9, "d_steps": 5, "clip_value": 0.01,
                  "steps": 30_000, "minutes": None}),
        _mixture("ring-wgan-gp", "WGAN-GP on the ring: gradient penalty λ 10, Adam 1e-4 β (0, 0.9), n_critic 5",
                 {"loss": "wgan-gp", "lr": 1e-4, "beta_1": 0.0, "beta_2": 0.9, "d_steps": 5}),
        _mixture("ring-sngan", "non-saturating GAN on the ring with spectral normalisation in every discriminator layer (Miyato et al.)",
                 {"lr": 1e-4, "beta_1": 0.5, "spectral_norm": True}),
        _mnist(
            "mnist-cgan", "conditional DCGAN on MNIST (Mirza & Osindero 2014): the digit c joins z in G and D sees it through "
            "a projection (Miyato & Koyama 2018; --conditioning concat: as input channels); the mnist-dcgan networks and settings",
            {**CGAN, "conditioning": "projection"}, "mnist_cgan_generator", "mnist_cgan_discriminator", {"steps": 100, "width": 16},
            kind=kinds.CONDITIONED_IMAGES, condition=_digits, evaluate="runs.mnist_conditional_metrics",
            choices={**GAN_CHOICES, "conditioning": CONDITIONINGS},
            flags={**LOSS_FLAG, "conditioning": "how D sees the label: projection (Miyato & Koyama) or concat (one-hot channels)"},
        ),
        _mnist(
            "mnist-acgan", "ACGAN on MNIST (Odena et al. 2017): G gets the digit as mnist-cgan's does, D sees the image "
            "alone and also classifies it; both minimise the class cross-entropy; the mnist-dcgan networks and settings",
            {**CGAN, "class_weight": 1.0}, "mnist_cgan_generator", "mnist_acgan_discriminator", {"steps": 100, "width": 16},
            kind=kinds.CONDITIONED_IMAGES, condition=_digits, evaluate="runs.mnist_conditional_metrics",
            trainer="runs.acgan_trainer",
        ),
        # The paper's MNIST experiment (Chen et al. 2016, appendix C.1) as its code runs it
        # (openai/InfoGAN, launchers/run_mnist_exp.py): its networks, 62 noise values, Cat(10) and
        # two Unif(−1, 1) codes, Q a Gaussian of fixed σ for the continuous codes, λ = 1 for all, Adam
        # β1 0.5 at 1e-3 for G and 2e-4 for D, batch 128, 50 epochs of 100 updates. z is normal (the
        # paper's is uniform) and samples come from an EMA generator, as in the other MNIST recipes.
        # The networks are the paper's at 3/8 of its width (width 24: dense 384 and 7×7×48 where the
        # paper has 1024 and 7×7×128), the widest whose 5,000 steps take under 15 minutes on 2 cores
        # with room for a machine half as fast: the paper's width 64 ran 2.8 steps/s (30 minutes),
        # width 32 4.8, width 24 11.7 (7 minutes), width 16 20. With mnist-dcgan's networks instead,
        # 3,950 steps (15 minutes) matched the code to the digits in 46%.
        _mnist(
            "mnist-infogan", "InfoGAN on MNIST (Chen et al. 2016): no labels; G gets 62 noise values, a 10-valued code and "
            "two continuous codes, Q shares D's body and reads the codes back; λ 1, Adam 1e-3 (G) / 2e-4 (D), batch 128",
            {"latent_dim": 62, "categorical_codes": [10], "continuous_codes": 2, "info_weight": 1.0, "batch_size": 128,
             "steps": 5000, "minutes": 15.0, "lr": 1e-3, "d_lr": 2e-4, "beta_1": 0.5, "width": 24, "ema_decay": 0.999,
             "steps_per_execution": 10},
            "mnist_infogan_generator", "mnist_infogan_discriminator", {"steps": 100, "batch_size": 64, "width": 8},
            kind=kinds.CODED_IMAGES, condition=conditions.infogan_codes, evaluate="runs.infogan_metrics",
            trainer="runs.infogan_trainer",
        ),
        Recipe(
            "faces-cgan", "conditional DCGAN 64×64 on the procedural faces: hair colour and mouth join z in G, D sees them "
            "by projection; the faces-dcgan networks and settings", kinds.CONDITIONED_IMAGES,
            {**FACES, "data": "cartoon", "attributes": ["hair_colour", "mouth"], "conditioning": "projection",
             "steps": 7000, "minutes": 30.0},
            "models.faces_cgan_generator", "models.faces_cgan_discriminator", "data.faces_data",
            "runs.faces_conditional_metrics", condition=conditions.face_condition,
            smoke={"steps": 30, "width": 8, "d_width": 8, "n_train": 512, "eval_n": 200},
            choices={**GAN_CHOICES, "conditioning": CONDITIONINGS},
            flags={**LOSS_FLAG, "conditioning": "how D sees the attributes: projection or concat (one-hot channels)"},
        ),
        _mnist(
            "mnist-wgan-gp", "WGAN-GP on MNIST: the mnist-dcgan networks, critic without batch norm, λ 10, Adam 1e-4 β (0, 0.9), n_critic 5",
            {"loss": "wgan-gp", "latent_dim": 64, "batch_size": 64, "steps": 20_000, "minutes": 10.0, "lr": 1e-4,
             "beta_1": 0.0, "beta_2": 0.9, "d_steps": 5, "width": 64, "g_refine": True, "d_batch_norm": False,
             "ema_decay": 0.999, "steps_per_execution": 10},
            "mnist_dcgan_generator", "mnist_dcgan_discriminator", {"steps": 40, "width": 16},
        ),
        _mnist(
            "mnist-dcgan-tutorial", "baseline for benchmarks: the TensorFlow DCGAN tutorial's models, Adam 1e-4, batch 256",
            {"latent_dim": 100, "batch_size": 256, "steps": 20_000, "minutes": 5.0, "lr": 1e-4, "beta_1": 0.9},
            "tutorial_generator", "tutorial_discriminator", {"steps": 20, "batch_size": 64},
        ),
        _colorizer(
            "colorizer", "pix2pix auto-colorizer: U-Net from L* to a*b* (--colour-space rgb: to RGB), 2-layer PatchGAN (34×34 patches, "
            "about half of a 64 px crop; --set d_layers=3: the paper's 70×70), L_cGAN + 100·L1; tf_flowers, offline the shipped photos, --data FOLDER",
            {"loss": "non-saturating", "d_width": 32, "d_layers": 2}, "models.colorizer_discriminator", {"d_width": 8},
            choices={**PIX2PIX_CHOICES, "loss": LOSS_NAMES}, flags={**PIX2PIX_FLAGS, **LOSS_FLAG},
        ),
        _colorizer(
            "colorizer-l1", "baseline for the colorizer: the same U-Net, data and steps, L1 loss only (no discriminator)",
            {}, None, {}, choices=PIX2PIX_CHOICES, flags=PIX2PIX_FLAGS,
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
    """The recipe called ``name``."""
    try:
        return RECIPES[name]
    except KeyError:
        raise errors.UserValueError(f"unknown recipe {name!r}; choose one of: {', '.join(RECIPES)}") from None


def read_config(path: Path) -> tuple[str, dict]:
    """(recipe name, settings) of a run directory's ``config.json``."""
    try:
        cfg = json.loads(Path(path).read_text())
        return cfg["recipe"], dict(cfg["settings"])
    except (ValueError, KeyError, TypeError) as err:
        raise errors.UserValueError(f"{path} is damaged ({type(err).__name__}: {err}); restore it or train a new "
                                    "run directory") from None


def read_run_dir(run_dir: Path) -> tuple[Recipe, dict]:
    """(recipe, settings) of a run directory, checked without building anything."""
    path = Path(run_dir) / "config.json"
    if not path.is_file():
        raise errors.UserFileNotFoundError(f"{run_dir} is not a run directory (no config.json); train one with "
                                           "python -m workshop_utils train RECIPE --out DIR")
    name, settings = read_config(path)
    return get(name), settings
