"""``tf.data`` pipelines that resume exactly: real batches (toy targets, arrays with or without
labels, random photo crops) and the noise stream (latent vectors, the fakes' conditions, the
gradient penalty's interpolation weights).

Every pipeline is a function of ``(seed, start_batch)``: batch ``b`` of a run is always the same
batch, so a run resumed from a checkpoint at step ``s`` sees exactly the batches the uninterrupted
run would have seen, and a checkpoint needs no iterator state.
"""

from __future__ import annotations

from typing import Callable

import numpy as np
import tensorflow as tf

from . import errors
from .conditions import Condition
from .distributions import GaussianMixture

AUTOTUNE = tf.data.AUTOTUNE


def _seed(seed: int, offset: int, b) -> tf.Tensor:
    return tf.stack([tf.constant(seed, tf.int64) + offset, tf.cast(b, tf.int64)])


def sample_mixture(dist: GaussianMixture, n: int, seed: tf.Tensor) -> tf.Tensor:
    """``n`` points (float32 n×D) of ``dist`` for a stateless shape-[2] seed."""
    seeds = tf.random.experimental.stateless_split(seed, 2)
    k = tf.random.stateless_uniform([n], seeds[0], 0, len(dist.centres), dtype=tf.int32)
    noise = tf.random.stateless_normal([n, dist.dim], seeds[1], stddev=dist.std)
    return tf.gather(tf.constant(dist.centres, tf.float32), k) + noise


def toy_batches(dist: GaussianMixture, batch_size: int, seed: int, start_batch: int = 0) -> tf.data.Dataset:
    """An endless dataset of batches from ``dist``; batch ``b`` depends only on ``(seed, b)``."""
    return (tf.data.Dataset.counter(start_batch).map(lambda b: sample_mixture(dist, batch_size, _seed(seed, 0, b)),
                                                     num_parallel_calls=AUTOTUNE).prefetch(AUTOTUNE))


def sample_condition(condition: Condition, n: int, seed: tf.Tensor) -> tf.Tensor:
    """``n`` random conditions (float32 n×dim) for a stateless seed: each categorical variable
    uniform over its values, each continuous code uniform in [-1, 1]."""
    seeds = tf.random.experimental.stateless_split(seed, len(condition.categories) + 1)
    parts = [tf.one_hot(tf.random.stateless_uniform([n], seeds[i], 0, k, dtype=tf.int32), k)
             for i, k in enumerate(condition.categories)]
    if condition.continuous:
        parts.append(tf.random.stateless_uniform([n, condition.continuous], seeds[-1], -1.0, 1.0))
    return tf.concat(parts, axis=1)


def noise_batches(batch_size: int, latent_dim: int, seed: int, start_batch: int = 0,
                  condition: Condition | None = None) -> tf.data.Dataset:
    """Endless per-batch noise: ``z`` for the discriminator step, ``z_g`` for the generator step,
    ``alpha`` (uniform, for the gradient penalty) and, with a ``condition``, the fakes' ``c`` and
    ``c_g`` beside them. Batch ``b`` depends only on ``(seed, b)``; the unconditional streams are
    the same with or without a condition."""

    def draw(b):
        s = tf.random.experimental.stateless_split(_seed(seed, 7919, b), 3)
        out = {
            "z": tf.random.stateless_normal([batch_size, latent_dim], s[0]),
            "z_g": tf.random.stateless_normal([batch_size, latent_dim], s[1]),
            "alpha": tf.random.stateless_uniform([batch_size], s[2]),
        }
        if condition is not None:
            c = tf.random.experimental.stateless_split(_seed(seed, 6007, b), 2)
            out["c"] = sample_condition(condition, batch_size, c[0])
            out["c_g"] = sample_condition(condition, batch_size, c[1])
        return out

    return tf.data.Dataset.counter(start_batch).map(draw)


def array_batches(
    x: np.ndarray,
    batch_size: int,
    seed: int,
    start_batch: int = 0,
    preprocess: Callable[[tf.Tensor], tf.Tensor] | None = None,
    labels: np.ndarray | None = None,
    encode: Callable[[np.ndarray], np.ndarray] | None = None,
) -> tf.data.Dataset:
    """Endless shuffled batches of ``x`` that can start at any batch index.

    This is ``shuffle → repeat → batch → prefetch``, written with a stateless permutation
    (``tf.random.experimental.index_shuffle``) instead of a shuffle buffer: every epoch has its own
    seeded permutation and batch ``b`` is a pure function of ``(seed, b)``, so resuming at step ``s``
    needs no iterator state in the checkpoint.
    With ``labels`` (one row per example) each batch is ``(images, c)``, c the batch's labels
    through ``encode`` (e.g. :meth:`Condition.encode <workshop_utils.conditions.Condition.encode>`). Batches never straddle epochs (the remainder of
    each epoch is dropped), the same as ``batch(drop_remainder=True)`` on a per-epoch shuffle.
    """
    n = len(x)
    if batch_size > n:
        raise errors.UserValueError(f"batch_size {batch_size} is larger than the data set ({n} examples); use a smaller batch")
    per_epoch = n // batch_size
    table = tf.constant(x)
    if labels is not None:
        if len(labels) != n:
            raise errors.UserValueError(f"{len(labels)} labels for {n} examples; pass one label row per example")
        conditions = tf.constant(encode(labels) if encode is not None else labels)

    def make(b):
        epoch = b // per_epoch
        pos = (b % per_epoch) * batch_size + tf.range(batch_size, dtype=tf.int64)
        # The public op takes a shape-[2] seed (it pads it to the raw op's [3] itself).
        idx = tf.random.experimental.index_shuffle(pos, tf.stack([tf.constant(seed, tf.int64), epoch]), n - 1)
        batch = tf.gather(table, idx)
        batch = preprocess(batch) if preprocess is not None else batch
        return batch if labels is None else (batch, tf.gather(conditions, idx))

    return tf.data.Dataset.counter(start_batch).map(make, num_parallel_calls=AUTOTUNE).prefetch(AUTOTUNE)


def scale_images(batch: tf.Tensor) -> tf.Tensor:
    """uint8 images in 0..255 (N×H×W or N×H×W×C) → float32 in [-1, 1] with a channel axis."""
    x = tf.cast(batch, tf.float32) / 127.5 - 1.0
    return x[..., None] if x.shape.rank == 3 else x


def photo_batches(
    photos,
    size: int,
    batch_size: int,
    seed: int,
    start_batch: int = 0,
    preprocess: Callable[[tf.Tensor], object] | None = None,
) -> tf.data.Dataset:
    """Endless batches of random crops of ``photos`` (uint8 H×W×3 arrays of any sizes, each at least
    ``size`` on its shorter side) as float32 N×size×size×3 in [0, 1].

    Crop ``i`` picks a photo uniformly, a square side uniformly between ``size`` and the photo's
    shorter side, a position uniformly, resizes the square to ``size`` (antialiased) and flips it
    left-right with probability ½. It is a pure function of ``(seed, i)``, so batch ``b`` (crops
    ``b·batch_size`` … ) is too and the pipeline resumes exactly at any batch.
    """
    if not len(photos):
        raise errors.UserValueError("no photos to crop")
    small = [p.shape for p in photos if min(p.shape[:2]) < size]
    if small:
        raise errors.UserValueError(f"{len(small)} photo(s) are smaller than the crop size {size} (e.g. {small[0][:2]})")
    flat = tf.constant(np.concatenate([np.asarray(p, np.uint8).reshape(-1) for p in photos]))
    shapes = tf.constant([p.shape[:2] for p in photos], tf.int64)
    offsets = tf.constant(np.cumsum([0] + [p.size for p in photos[:-1]]), tf.int64)
    n, size64 = len(photos), tf.constant(size, tf.int64)

    def crop(i):
        s = tf.random.experimental.stateless_split(tf.stack([tf.constant(seed, tf.int64) + 4391, i]), 5)
        k = tf.random.stateless_uniform([], s[0], 0, n, dtype=tf.int64)
        h, w = shapes[k][0], shapes[k][1]
        photo = tf.reshape(flat[offsets[k] : offsets[k] + h * w * 3], tf.stack([h, w, 3]))
        side = tf.random.stateless_uniform([], s[1], size64, tf.minimum(h, w) + 1, dtype=tf.int64)
        y = tf.random.stateless_uniform([], s[2], 0, h - side + 1, dtype=tf.int64)
        x = tf.random.stateless_uniform([], s[3], 0, w - side + 1, dtype=tf.int64)
        square = tf.image.resize(tf.cast(photo[y : y + side, x : x + side], tf.float32) / 255.0, (size, size), antialias=True)
        square = tf.cond(tf.random.stateless_uniform([], s[4]) < 0.5, lambda: square[:, ::-1], lambda: square)
        return tf.ensure_shape(tf.clip_by_value(square, 0.0, 1.0), (size, size, 3))

    ds = (tf.data.Dataset.counter(start_batch * batch_size).map(crop, num_parallel_calls=AUTOTUNE)
          .batch(batch_size, drop_remainder=True))
    if preprocess is not None:
        ds = ds.map(preprocess, num_parallel_calls=AUTOTUNE)
    return ds.prefetch(AUTOTUNE)
