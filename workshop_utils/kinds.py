"""What a recipe's generator makes, and how to sample, picture and measure it: 1-D or 2-D points,
images from z, images from z and a condition c, images from z and InfoGAN's codes, and
image-to-image pairs (pix2pix).

Each kind is an object with the same methods, so a recipe that forgets one fails loudly instead of
falling through to another kind's branch. Importing this module loads no TensorFlow; the methods
import what they draw with.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from . import errors

if TYPE_CHECKING:  # pragma: no cover
    from .recipes import Recipe


class Kind:
    """The interface; see the subclasses."""

    name = "kind"
    latent = True  # the generator maps latent vectors (and conditions) to samples
    keeps_discriminator = False  # a finished run also saves the discriminator (InfoGAN's Q lives in it)

    def sample(self, recipe: "Recipe", settings: dict, generator, n: int, seed: int = 0, labels=None) -> tuple:
        """``n`` samples for a seeded standard-normal z: (samples, z), or (samples, z, c) with a condition."""
        raise NotImplementedError

    def evaluate(self, recipe: "Recipe", settings: dict, generator, n: int | None = None, seed: int = 0,
                 discriminator=None) -> dict:
        """The recipe's metrics on ``n`` samples (default: its ``eval_n``); ``discriminator`` where a
        metric needs it (InfoGAN's Q reading real images)."""
        raise NotImplementedError

    def plot(self, recipe: "Recipe", settings: dict, samples, ax=None):
        """The natural picture of samples; returns the axes."""
        raise NotImplementedError

    def export(self, recipe: "Recipe", settings: dict, trainer, path: Path) -> None:
        """Write a run's picture (``samples.png``) to ``path``."""
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"<kind {self.name}>"


class _FromZ(Kind):
    """Samples from z alone: (samples, z)."""

    def sample(self, recipe, settings, generator, n, seed=0, labels=None):
        from .runs import sample

        if labels is not None:
            raise errors.UserValueError(f"{recipe.name} is not conditional: it draws from z alone, so it takes no labels")
        return sample(generator, n, settings["latent_dim"], seed)


class Points(_FromZ):
    """1-D or 2-D points, measured against the recipe's target mixture."""

    name = "points"

    def evaluate(self, recipe, settings, generator, n=None, seed=0, discriminator=None):
        from . import metrics

        samples, _ = self.sample(recipe, settings, generator, n or settings["eval_n"], seed)
        return metrics.toy_metrics(samples, recipe.part("target")(settings))

    def plot(self, recipe, settings, samples, ax=None):
        from . import plotting

        target = recipe.part("target")(settings)
        if target.dim == 1:
            return plotting.plot_1d(target, samples, ax=ax)
        return plotting.plot_2d(samples, target, ax=ax)

    def export(self, recipe, settings, trainer, path):
        from . import plotting

        samples, _ = self.sample(recipe, settings, trainer.sampler, 5000, 0)
        png, _ = plotting.figure_png(lambda ax: self.plot(recipe, settings, samples, ax), (6, 3), dpi=80)
        path.write_bytes(png)


class Images(_FromZ):
    """Images from z, as uint8 in 0..255; the recipe's ``evaluate`` measures them."""

    name = "images"

    def evaluate(self, recipe, settings, generator, n=None, seed=0, discriminator=None):
        images, _ = self.sample(recipe, settings, generator, n or settings["eval_n"], seed)
        return recipe.part("evaluate")(images, settings)

    def plot(self, recipe, settings, samples, ax=None):
        from . import plotting

        return plotting.image_grid(samples[:64], ncols=8, ax=ax)

    def export(self, recipe, settings, trainer, path):
        from . import plotting

        plotting.save_image_grid(trainer.sample(trainer.fixed_z, trainer.fixed_c), path, ncols=4)


class ConditionedImages(Images):
    """Images from z and a condition c (:class:`~workshop_utils.conditions.Condition`). Samples
    come with their c; the metric gets the images and the labels they were asked for."""

    name = "conditioned images"

    def sample(self, recipe, settings, generator, n, seed=0, labels=None):
        """(images, z, c): ``labels`` (N or N×variables integers) fix the conditions, else each
        variable cycles through its values (balanced, the same for every seed)."""
        from .runs import sample

        condition = recipe.condition(settings)
        if labels is None:
            labels = condition.balanced(n)
        codes = np.random.default_rng(seed + 1).uniform(-1.0, 1.0, (n, condition.continuous))
        c = condition.encode(labels, codes)
        images, z = sample(generator, n, settings["latent_dim"], seed, c)
        return images, z, c

    def evaluate(self, recipe, settings, generator, n=None, seed=0, discriminator=None):
        """The metric on balanced samples, given the labels each image was asked for."""
        images, _, c = self.sample(recipe, settings, generator, n or settings["eval_n"], seed)
        return recipe.part("evaluate")(images, recipe.condition(settings).decode(c), settings)

    def export(self, recipe, settings, trainer, path):
        """One row per value of the first variable, the same eight z in every row."""
        from . import plotting
        from .runs import label_grid

        images, _ = label_grid(recipe, settings, trainer.sampler, per_value=8, z=trainer.fixed_z[:8])
        plotting.save_image_grid(images, path, ncols=8)


class CodedImages(ConditionedImages):
    """InfoGAN: images from z and codes c whose meaning the model discovers (no labels in the data).
    The metric gets the images, their codes and, when there is one, the discriminator with Q."""

    name = "coded images"
    keeps_discriminator = True

    def evaluate(self, recipe, settings, generator, n=None, seed=0, discriminator=None):
        images, _, c = self.sample(recipe, settings, generator, n or settings["eval_n"], seed)
        return recipe.part("evaluate")(images, c, settings, discriminator)


class Pairs(Kind):
    """pix2pix: the generator maps an input image to an output (grey photo → colour)."""

    name = "pairs"
    latent = False

    def sample(self, recipe, settings, generator, n, seed=0, labels=None):
        raise errors.UserValueError(f"{recipe.name} maps photos, not latent vectors: use runs.colorize_held_out or colour.colorize")

    def evaluate(self, recipe, settings, generator, n=None, seed=0, discriminator=None):
        """The metric on the run's fixed held-out photos (``n`` and ``seed`` do not apply)."""
        return recipe.part("evaluate")(generator, settings)

    def plot(self, recipe, settings, samples, ax=None):
        from . import plotting

        return plotting.image_grid(samples, ncols=6, ax=ax)

    def export(self, recipe, settings, trainer, path):
        """Rows of grey input, colorization, ground truth for eight held-out crops."""
        from . import plotting
        from .runs import colorize_held_out

        triples = np.stack(colorize_held_out(trainer.sampler, settings, n=8), axis=1)
        plotting.save_image_grid(triples.reshape(-1, *triples.shape[2:]) * 2.0 - 1.0, path, ncols=6)


POINTS, IMAGES, CONDITIONED_IMAGES, CODED_IMAGES, PAIRS = Points(), Images(), ConditionedImages(), CodedImages(), Pairs()
KINDS: dict[str, Any] = {k.name: k for k in (POINTS, IMAGES, CONDITIONED_IMAGES, CODED_IMAGES, PAIRS)}
