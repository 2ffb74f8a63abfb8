"""Colour spaces for the pix2pix colorizer: sRGB ↔ CIE L*a*b* (D65) as TensorFlow functions (so they
run inside ``tf.data`` and on batches of any shape ``[..., 3]``), the colorizer's input and target
encoding, and :func:`colorize`, which applies a trained generator to a photo of any size.

Encoding. The input is always the lightness L* ∈ [0, 100] scaled to [-1, 1] (``L / 50 - 1``). The
target is either the chroma a*, b* divided by :data:`AB_SCALE` = 110 (``colour_space="lab"``; every
sRGB colour has |a*| ≤ 98.3 and |b*| ≤ 107.9, so targets stay inside the generator's tanh range) or
the RGB image scaled to [-1, 1] (``colour_space="rgb"``).
"""

from __future__ import annotations

from typing import Callable

import numpy as np
import tensorflow as tf

from . import errors

COLOUR_SPACES = ("lab", "rgb")
AB_SCALE = 110.0
# sRGB primaries → CIE XYZ, and the D65 white point (2° observer): the values scikit-image uses.
_XYZ_FROM_RGB = np.array([[0.412453, 0.357580, 0.180423],
                          [0.212671, 0.715160, 0.072169],
                          [0.019334, 0.119193, 0.950227]])
_RGB_FROM_XYZ = np.linalg.inv(_XYZ_FROM_RGB)
_WHITE = np.array([0.95047, 1.0, 1.08883])
_EPS = (6 / 29) ** 3  # where the cube root of L*a*b* gives way to its linear segment


def _apply(matrix: np.ndarray, x: tf.Tensor) -> tf.Tensor:
    return tf.tensordot(x, tf.constant(matrix.T, x.dtype), axes=1)


def rgb_to_lab(rgb) -> tf.Tensor:
    """sRGB in [0, 1] (float, shape [..., 3]) → CIE L*a*b* (D65): L* in [0, 100], a*, b* roughly in [-110, 110]."""
    rgb = tf.convert_to_tensor(rgb, tf.float32)
    linear = tf.where(rgb > 0.04045, tf.pow((tf.maximum(rgb, 0.04045) + 0.055) / 1.055, 2.4), rgb / 12.92)
    xyz = _apply(_XYZ_FROM_RGB, linear) / tf.constant(_WHITE, tf.float32)
    f = tf.where(xyz > _EPS, tf.pow(tf.maximum(xyz, _EPS), 1 / 3), xyz * (841 / 108) + 4 / 29)
    fx, fy, fz = tf.unstack(f, axis=-1)
    return tf.stack([116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)], axis=-1)


def lab_to_rgb(lab) -> tf.Tensor:
    """CIE L*a*b* (D65) → sRGB clipped to [0, 1] (colours outside the sRGB gamut are clipped)."""
    lab = tf.convert_to_tensor(lab, tf.float32)
    l, a, b = tf.unstack(lab, axis=-1)
    fy = (l + 16) / 116
    f = tf.stack([fy + a / 500, fy, tf.maximum(fy - b / 200, 0.0)], axis=-1)
    xyz = tf.where(f > 6 / 29, tf.pow(f, 3.0), (f - 4 / 29) * (108 / 841)) * tf.constant(_WHITE, tf.float32)
    linear = _apply(_RGB_FROM_XYZ, xyz)
    rgb = tf.where(linear > 0.0031308, 1.055 * tf.pow(tf.maximum(linear, 0.0031308), 1 / 2.4) - 0.055, 12.92 * linear)
    return tf.clip_by_value(rgb, 0.0, 1.0)


def target_channels(colour_space: str) -> int:
    """How many channels the generator predicts: 2 (a*, b*) or 3 (R, G, B)."""
    _check(colour_space)
    return 2 if colour_space == "lab" else 3


def to_pairs(rgb, colour_space: str = "lab") -> tuple[tf.Tensor, tf.Tensor]:
    """Colour photos in [0, 1] ([..., H, W, 3]) → (input: L* scaled to [-1, 1], [..., 1]; target:
    a*b*/110 or RGB scaled to [-1, 1])."""
    _check(colour_space)
    rgb = tf.convert_to_tensor(rgb, tf.float32)
    lab = rgb_to_lab(rgb)
    x = lab[..., :1] / 50.0 - 1.0
    y = lab[..., 1:] / AB_SCALE if colour_space == "lab" else rgb * 2.0 - 1.0
    return x, y


def to_rgb(x, y, colour_space: str = "lab") -> tf.Tensor:
    """The inverse of :func:`to_pairs`: (input, target or prediction) → sRGB in [0, 1]."""
    _check(colour_space)
    y = tf.convert_to_tensor(y, tf.float32)
    if colour_space == "rgb":
        return tf.clip_by_value((y + 1.0) / 2.0, 0.0, 1.0)
    l = (tf.convert_to_tensor(x, tf.float32) + 1.0) * 50.0
    return lab_to_rgb(tf.concat([l, y * AB_SCALE], axis=-1))


def grey_rgb(x) -> tf.Tensor:
    """The input of :func:`to_pairs` (scaled L*) as a grey sRGB image in [0, 1], [..., 3]."""
    l = (tf.convert_to_tensor(x, tf.float32) + 1.0) * 50.0
    return lab_to_rgb(tf.concat([l, tf.zeros_like(l), tf.zeros_like(l)], axis=-1))


def predicted_ab(x, y, colour_space: str = "lab") -> tf.Tensor:
    """The chroma a*, b* (Lab units) of a prediction ``y`` for the input ``x``."""
    _check(colour_space)
    if colour_space == "lab":
        return tf.convert_to_tensor(y, tf.float32) * AB_SCALE
    return rgb_to_lab(to_rgb(x, y, "rgb"))[..., 1:]


def colorize(generator: Callable, rgb, size: int, colour_space: str = "lab") -> np.ndarray:
    """Colorize one photo (float sRGB in [0, 1], H×W×3; only its lightness is used) at its own size.

    The generator sees the L* channel resized to ``size``×``size``; its chroma is resized back to
    H×W and recombined with the full-resolution L*, so edges stay as sharp as in the input.
    Returns float sRGB in [0, 1], H×W×3.
    """
    lab = rgb_to_lab(rgb)
    h, w = int(lab.shape[0]), int(lab.shape[1])
    x = tf.image.resize(lab[None, ..., :1] / 50.0 - 1.0, (size, size), antialias=True)
    ab = predicted_ab(x, generator(x, training=False), colour_space)
    ab = tf.image.resize(ab, (h, w), method="bilinear")[0]
    return lab_to_rgb(tf.concat([lab[..., :1], ab], axis=-1)).numpy()


def _check(colour_space: str) -> None:
    if colour_space not in COLOUR_SPACES:
        raise errors.UserValueError(f"unknown colour space {colour_space!r}; use 'lab' or 'rgb'")
