"""Data: toy distributions, MNIST (online through tensorflow-datasets, offline from ``data/``), and
``tf.data`` pipelines that can resume exactly at any step.

Every pipeline here is a function of ``(seed, start_batch)``: batch ``b`` of a run is always the same
batch, so a training run resumed from a checkpoint at step ``s`` sees exactly the batches the
uninterrupted run would have seen.
"""

from __future__ import annotations

import functools
import logging
import socket
import time
from dataclasses import dataclass
from typing import Callable

import numpy as np
import tensorflow as tf

from . import config

log = logging.getLogger(__name__)

AUTOTUNE = tf.data.AUTOTUNE

# ---------------------------------------------------------------------------------------------
# Toy distributions
# ---------------------------------------------------------------------------------------------


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

    def sample(self, n: int, seed: int | tf.Tensor | tuple = 0) -> tf.Tensor:
        """Draw ``n`` points (float32 n×D) with a stateless seed (an int or a shape-[2] seed)."""
        seed = _stateless_seed(seed)
        seeds = tf.random.experimental.stateless_split(seed, 2)
        centres = tf.constant(self.centres, tf.float32)
        k = tf.random.stateless_uniform([n], seeds[0], 0, len(self.centres), dtype=tf.int32)
        noise = tf.random.stateless_normal([n, self.dim], seeds[1], stddev=self.std)
        return tf.gather(centres, k) + noise

    def sample_numpy(self, n: int, seed: int = 0) -> np.ndarray:
        return self.sample(n, seed).numpy()

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


def _stateless_seed(seed) -> tf.Tensor:
    if isinstance(seed, (int, np.integer)):
        return tf.constant([int(seed), 0], tf.int64)
    return tf.cast(tf.convert_to_tensor(seed), tf.int64)


def toy_batches(dist: GaussianMixture, batch_size: int, seed: int, start_batch: int = 0) -> tf.data.Dataset:
    """An endless dataset of batches from ``dist``; batch ``b`` depends only on ``(seed, b)``."""

    def draw(b):
        return dist.sample(batch_size, tf.stack([tf.constant(seed, tf.int64), b]))

    return tf.data.Dataset.counter(start_batch).map(draw, num_parallel_calls=AUTOTUNE).prefetch(AUTOTUNE)


# ---------------------------------------------------------------------------------------------
# Arrays in memory -> resumable shuffled batches
# ---------------------------------------------------------------------------------------------


def array_batches(
    x: np.ndarray,
    batch_size: int,
    seed: int,
    start_batch: int = 0,
    preprocess: Callable[[tf.Tensor], tf.Tensor] | None = None,
) -> tf.data.Dataset:
    """Endless shuffled batches of ``x`` that can start at any batch index.

    This is ``shuffle → repeat → batch → prefetch``, written with a stateless permutation
    (``tf.random.experimental.index_shuffle``) instead of a shuffle buffer: every epoch has its own
    seeded permutation and batch ``b`` is a pure function of ``(seed, b)``, so resuming at step ``s``
    needs no iterator state in the checkpoint. Batches never straddle epochs (the remainder of
    each epoch is dropped), the same as ``batch(drop_remainder=True)`` on a per-epoch shuffle.
    """
    n = len(x)
    if batch_size > n:
        raise ValueError(f"batch_size {batch_size} is larger than the data set ({n} examples); use a smaller batch")
    per_epoch = n // batch_size
    table = tf.constant(x)

    def make(b):
        epoch = b // per_epoch
        pos = (b % per_epoch) * batch_size + tf.range(batch_size, dtype=tf.int64)
        # The public op takes a shape-[2] seed (it pads it to the raw op's [3] itself).
        idx = tf.random.experimental.index_shuffle(pos, tf.stack([tf.constant(seed, tf.int64), epoch]), n - 1)
        batch = tf.gather(table, idx)
        return preprocess(batch) if preprocess is not None else batch

    return tf.data.Dataset.counter(start_batch).map(make, num_parallel_calls=AUTOTUNE).prefetch(AUTOTUNE)


def scale_images(batch: tf.Tensor) -> tf.Tensor:
    """uint8 images in 0..255 (N×H×W or N×H×W×C) → float32 in [-1, 1] with a channel axis."""
    x = tf.cast(batch, tf.float32) / 127.5 - 1.0
    return x[..., None] if x.shape.rank == 3 else x


def to_uint8(images) -> np.ndarray:
    """Generator output in [-1, 1] → uint8 in 0..255, same shape."""
    x = np.asarray(images, np.float32)
    return np.clip(np.rint((x + 1.0) * 127.5), 0, 255).astype(np.uint8)


# ---------------------------------------------------------------------------------------------
# MNIST
# ---------------------------------------------------------------------------------------------

OFFLINE_MNIST = "mnist_subset.npz"


def network_available(host: str = "storage.googleapis.com", port: int = 443, timeout: float = 1.5) -> bool:
    """A quick probe (one TCP connect) so offline machines never wait on tfds' retries."""
    if config.offline_mode():
        return False
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


@dataclass
class ImageSet:
    """Images as uint8 N×H×W×C with integer labels, plus where they came from."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    source: str

    def __post_init__(self):  # shared by the loaders' cache: read-only, so nobody edits it by accident
        for a in (self.x_train, self.y_train, self.x_test, self.y_test):
            a.setflags(write=False)

    def limit(self, n_train: int | None) -> "ImageSet":
        """The first ``n_train`` training images (the shipped order is already shuffled)."""
        if n_train is None or n_train >= len(self.x_train):
            return self
        return ImageSet(self.x_train[:n_train], self.y_train[:n_train], self.x_test, self.y_test, self.source)


def load_mnist(n_train: int | None = None, source: str = "auto") -> ImageSet:
    """MNIST as uint8 N×28×28×1.

    ``source='auto'`` uses tensorflow-datasets when the network answers (the full 60k/10k set)
    and otherwise the balanced subset shipped in ``data/`` (15k train / 2k test), without waiting
    on timeouts. ``source='tfds'`` or ``'offline'`` forces one of them.
    """
    if source not in {"auto", "tfds", "offline"}:
        raise ValueError(f"source must be 'auto', 'tfds' or 'offline', not {source!r}")
    if source == "tfds" or (source == "auto" and network_available()):
        try:
            return _load_mnist_tfds().limit(n_train)
        except Exception as err:  # noqa: BLE001 - any failure here falls back to the shipped copy
            if source == "tfds":
                raise
            log.warning("tensorflow-datasets could not load MNIST (%s); using the offline copy", err)
    return _load_mnist_offline().limit(n_train)


@functools.lru_cache(maxsize=1)
def _load_mnist_tfds() -> ImageSet:
    import importlib_resources  # noqa: F401  tfds 4.9 imports it without declaring it (tensorflow/datasets#11212)
    import tensorflow_datasets as tfds

    start = time.time()
    (x_tr, y_tr), (x_te, y_te) = tfds.as_numpy(
        tfds.load("mnist", split=["train", "test"], batch_size=-1, as_supervised=True)
    )
    log.info("loaded MNIST from tensorflow-datasets in %.1fs", time.time() - start)
    return ImageSet(x_tr, y_tr.astype(np.int64), x_te, y_te.astype(np.int64), "tensorflow-datasets mnist")


@functools.lru_cache(maxsize=1)
def _load_mnist_offline() -> ImageSet:
    path = config.data_dir() / OFFLINE_MNIST
    if not path.is_file():
        raise FileNotFoundError(f"offline MNIST not found at {path}; rebuild it with python data/make_mnist_subset.py")
    with np.load(path) as f:
        return ImageSet(
            f["x_train"][..., None], f["y_train"], f["x_test"][..., None], f["y_test"], f"offline subset ({path.name})"
        )
