"""Toy target distributions (numpy only): the lecture's 1-D Gaussian, 1-D mixtures, and the 2-D
ring and grid of Gaussians that show mode collapse.

Training draws its batches from these with TensorFlow (:func:`workshop_utils.pipelines.toy_batches`);
here they are sampled with NumPy for metrics and plots.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import errors


@dataclass(frozen=True)
class GaussianMixture:
    """An equal-weight mixture of isotropic Gaussians in D dimensions.

    ``centres`` is K×D, ``std`` the per-axis standard deviation shared by every component.
    """

    centres: np.ndarray
    std: float
    name: str = "mixture"

    @property
    def dim(self) -> int:
        return int(self.centres.shape[1])

    def sample(self, n: int, seed: int = 0) -> np.ndarray:
        """``n`` points (float32 n×D) drawn with NumPy's generator seeded by ``seed``."""
        rng = np.random.default_rng(seed)
        k = rng.integers(0, len(self.centres), n)
        return (self.centres[k] + rng.normal(0.0, self.std, (n, self.dim))).astype(np.float32)

    def uniform_baseline(self, n: int, seed: int = 0, margin: float = 1.0) -> np.ndarray:
        """``n`` points spread uniformly over the centres' bounding box widened by ``margin``: a
        "generator" that has learned nothing, to calibrate the mode metrics against."""
        low, high = self.centres.min(0) - margin, self.centres.max(0) + margin
        return np.random.default_rng(seed).uniform(low, high, (n, self.dim))

    def density(self, x: np.ndarray) -> np.ndarray:
        """Probability density at the points ``x`` (n×D or, in 1-D, a flat array)."""
        x = np.asarray(x, np.float64).reshape(-1, self.dim)
        d2 = ((x[:, None, :] - self.centres[None, :, :]) ** 2).sum(-1)
        norm = (2 * np.pi * self.std**2) ** (self.dim / 2)
        return np.exp(-0.5 * d2 / self.std**2).mean(axis=1) / norm


def gaussian_1d(mean: float = 7.0, std: float = 1.0) -> GaussianMixture:
    """The lecture toy's data distribution, N(mean, std²)."""
    return GaussianMixture(np.array([[mean]], np.float64), std, name=f"N({mean:g}, {std:g}²)")


def mixture_1d(means: tuple[float, ...] = (-2.0, 2.0), std: float = 0.5) -> GaussianMixture:
    """A 1-D mixture with equal weights, e.g. the bimodal target of the mode-collapse demo."""
    return GaussianMixture(np.array(means, np.float64)[:, None], std, name="1-D mixture")


def ring_of_gaussians(n_modes: int = 8, radius: float = 2.0, std: float = 0.02) -> GaussianMixture:
    """``n_modes`` Gaussians evenly spaced on a circle (angles without the duplicate 2π end point)."""
    angles = np.linspace(0.0, 2 * np.pi, n_modes, endpoint=False)
    centres = radius * np.stack([np.cos(angles), np.sin(angles)], axis=1)
    return GaussianMixture(centres, std, name=f"ring of {n_modes}")


def grid_of_gaussians(side: int = 5, spacing: float = 2.0, std: float = 0.05) -> GaussianMixture:
    """A ``side``×``side`` grid of Gaussians centred on the origin."""
    ticks = (np.arange(side) - (side - 1) / 2) * spacing
    centres = np.stack(np.meshgrid(ticks, ticks, indexing="ij"), axis=-1).reshape(-1, 2)
    return GaussianMixture(centres, std, name=f"grid of {side * side}")


def mixture_target(dataset: str) -> GaussianMixture:
    """The 2-D targets of the mixture recipes: ``ring`` (8 modes, radius 2, std 0.02) or ``grid``
    (5×5, spacing 2, std 0.05), the settings of the VEEGAN and PacGAN papers."""
    if dataset == "ring":
        return ring_of_gaussians(8, radius=2.0, std=0.02)
    if dataset == "grid":
        return grid_of_gaussians(5, spacing=2.0, std=0.05)
    raise errors.UserValueError(f"unknown dataset {dataset!r}; use 'ring' or 'grid'")


def toy1d_target(s: dict) -> GaussianMixture:
    """The target of the toy1d recipe: N(``data_mean``, 1)."""
    return gaussian_1d(s["data_mean"], 1.0)


def mixture_recipe_target(s: dict) -> GaussianMixture:
    """The target of the mixture recipes: :func:`mixture_target` of their ``dataset`` setting."""
    return mixture_target(s["dataset"])
