"""Keras model builders. Every builder takes its sizes as arguments and returns a ``keras.Model``;
at the end, each recipe's networks are built from its settings.

Discriminators return *logits* (no sigmoid): the losses in :mod:`workshop_utils.losses` apply the
sigmoid inside numerically stable formulas. Generators end in ``tanh`` for images in [-1, 1] and
are linear for points. Output layers are float32 so mixed precision stays stable.
"""

from __future__ import annotations

from typing import Callable, Sequence

import numpy as np
import keras
from keras import layers, ops

from . import errors
from .colour import target_channels
from .conditions import CONDITIONINGS, DIGITS, face_condition, infogan_codes

# ---------------------------------------------------------------------------------------------
# The lecture toy: x = z + θ and a logistic discriminator
# ---------------------------------------------------------------------------------------------


@keras.saving.register_keras_serializable(package="workshop_utils")
class Shift(layers.Layer):
    """Adds one learned vector θ to its input: the one-parameter generator ``x = z + θ``."""

    def __init__(self, initial: float = 0.0, **kwargs):
        super().__init__(**kwargs)
        self.initial = float(initial)

    def build(self, input_shape):
        self.theta = self.add_weight(
            name="theta", shape=(input_shape[-1],), initializer=keras.initializers.Constant(self.initial)
        )

    def call(self, z):
        return z + ops.cast(self.theta, z.dtype)

    def get_config(self):
        return {**super().get_config(), "initial": self.initial}


def shift_generator(dim: int = 1, theta0: float = 0.0) -> keras.Model:
    """G(z) = z + θ with θ initialised at ``theta0``: with z ~ N(0, 1), p_g = N(θ, 1)."""
    z = keras.Input((dim,), name="z")
    return keras.Model(z, Shift(theta0, name="shift", dtype="float32")(z), name="shift_generator")


def logistic_discriminator(dim: int = 1) -> keras.Model:
    """D(x) = σ(w·x + b): exactly the family that contains D* for two equal-variance Gaussians."""
    x = keras.Input((dim,), name="x")
    return keras.Model(x, layers.Dense(1, name="logit", dtype="float32")(x), name="logistic_discriminator")


# ---------------------------------------------------------------------------------------------
# Multilayer perceptrons (toys and the vanilla MNIST GAN)
# ---------------------------------------------------------------------------------------------


@keras.saving.register_keras_serializable(package="workshop_utils")
class ClipWeights(keras.constraints.Constraint):
    """WGAN weight clipping: after every optimizer step each weight is clipped to [-c, c]."""

    def __init__(self, clip_value: float):
        self.clip_value = float(clip_value)

    def __call__(self, w):
        return ops.clip(w, -self.clip_value, self.clip_value)

    def get_config(self):
        return {"clip_value": self.clip_value}


def share_at_clip(model: keras.Model) -> float:
    """The share of a clipped critic's weights (those under :class:`ClipWeights`) that sit at ±c, the
    ends of the clipping range. Gulrajani et al. (2017, Figure 1b) saw them pile up there."""
    at_bound, total = 0, 0
    for layer in model.layers:
        for name in ("kernel", "bias"):
            constraint = getattr(layer, f"{name}_constraint", None)
            if isinstance(constraint, ClipWeights) and getattr(layer, name, None) is not None:
                w = np.abs(np.asarray(getattr(layer, name)))
                at_bound += int(np.sum(w >= constraint.clip_value * (1 - 1e-6)))
                total += w.size
    if not total:
        raise errors.UserValueError(f"{model.name} has no clipped weights: it is not a WGAN critic with clip_value set")
    return at_bound / total


def mlp_generator(
    latent_dim: int,
    output_shape: Sequence[int],
    hidden: Sequence[int] = (256, 512),
    output_activation: str | None = "tanh",
    batch_norm: bool = False,
    name: str = "mlp_generator",
) -> keras.Model:
    """z → Dense+LeakyReLU blocks → Dense(prod(output_shape)) → reshape.

    Use ``output_activation='tanh'`` for images in [-1, 1] and ``None`` for points.
    """
    z = keras.Input((latent_dim,), name="z")
    h = z
    for i, units in enumerate(hidden):
        h = layers.Dense(units, use_bias=not batch_norm, name=f"dense_{i}")(h)
        if batch_norm:
            h = layers.BatchNormalization(name=f"bn_{i}")(h)
        h = layers.LeakyReLU(0.2, name=f"lrelu_{i}")(h)
    size = 1
    for s in output_shape:
        size *= int(s)
    h = layers.Dense(size, name="out", dtype="float32")(h)
    if output_activation:
        h = layers.Activation(output_activation, name=output_activation, dtype="float32")(h)
    out = layers.Reshape(tuple(output_shape), name="reshape", dtype="float32")(h)
    return keras.Model(z, out, name=name)


def mlp_discriminator(
    input_shape: Sequence[int],
    hidden: Sequence[int] = (512, 256),
    dropout: float = 0.0,
    spectral_norm: bool = False,
    layer_norm: bool = False,
    clip_value: float | None = None,
    name: str = "mlp_discriminator",
) -> keras.Model:
    """x → flatten → Dense+LeakyReLU blocks → one logit.

    ``spectral_norm`` wraps every Dense in ``keras.layers.SpectralNormalization``; ``layer_norm`` is
    the batch-norm-free normalisation suitable for WGAN-GP critics; ``clip_value`` clips every
    weight to [-c, c] after each update (the original WGAN's Lipschitz constraint).
    """
    x = keras.Input(tuple(input_shape), name="x")
    h = layers.Flatten(name="flatten")(x)
    wrap = layers.SpectralNormalization if spectral_norm else (lambda layer: layer)
    clip = {"kernel_constraint": ClipWeights(clip_value), "bias_constraint": ClipWeights(clip_value)} if clip_value else {}
    for i, units in enumerate(hidden):
        h = wrap(layers.Dense(units, name=f"dense_{i}", **clip))(h)
        if layer_norm:
            h = layers.LayerNormalization(name=f"ln_{i}")(h)
        h = layers.LeakyReLU(0.2, name=f"lrelu_{i}")(h)
        if dropout:
            h = layers.Dropout(dropout, name=f"dropout_{i}")(h)
    logit = wrap(layers.Dense(1, name="logit", dtype="float32", **clip))(h)
    return keras.Model(x, logit, name=name)


# ---------------------------------------------------------------------------------------------
# Conditioning: how c enters a generator and a discriminator
# ---------------------------------------------------------------------------------------------


def _latent_inputs(latent_dim: int, condition_dim: int):
    """(inputs, first tensor) of a generator: z, or [z, c] concatenated (Mirza & Osindero 2014)."""
    z = keras.Input((latent_dim,), name="z")
    if not condition_dim:
        return z, z
    c = keras.Input((condition_dim,), name="c")
    return [z, c], layers.Concatenate(name="z_c")([z, c])


def _image_inputs(shape: tuple[int, int, int], condition_dim: int, conditioning: str):
    """(inputs, first tensor, c or None) of a discriminator: x, or [x, c] with c stacked onto the
    image as constant channels when ``conditioning`` is "concat"."""
    if conditioning not in CONDITIONINGS:
        raise errors.UserValueError(f"unknown conditioning {conditioning!r}; use one of {CONDITIONINGS}")
    x = keras.Input(shape, name="x")
    if not condition_dim:
        return x, x, None
    c = keras.Input((condition_dim,), name="c")
    if conditioning == "projection":
        return [x, c], x, c
    maps = layers.UpSampling2D(shape[:2], name="c_maps")(layers.Reshape((1, 1, condition_dim), name="c_pixel")(c))
    return [x, c], layers.Concatenate(name="x_c")([x, maps]), c


def _logit(features, c, conditioning: str):
    """ψ(φ(x)), plus (Vc)ᵀφ(x) for the projection discriminator (Miyato & Koyama 2018)."""
    logit = layers.Dense(1, name="logit", dtype="float32")(features)
    if c is None or conditioning != "projection":
        return logit
    embedding = layers.Dense(features.shape[-1], use_bias=False, name="embed_c")(c)
    projection = layers.Dot(axes=1, name="projection", dtype="float32")([embedding, features])
    return layers.Add(name="logit_c", dtype="float32")([logit, projection])


# ---------------------------------------------------------------------------------------------
# DCGAN for 28×28 images
# ---------------------------------------------------------------------------------------------


def dcgan_generator_28(latent_dim: int = 64, width: int = 64, channels: int = 1, refine: bool = False,
                       condition_dim: int = 0, name: str = "dcgan_generator") -> keras.Model:
    """DCGAN generator for 28×28: z → 7×7×(2·width) → 14×14×width → 28×28×channels (tanh).

    Transposed convolutions upsample, batch norm and ReLU follow every hidden layer, no pooling.
    ``refine`` adds one 3×3 convolution at 14×14 (more capacity per step for little compute).
    ``condition_dim`` > 0 makes it conditional, ``G([z, c])``: c is concatenated to z (Mirza &
    Osindero 2014).
    """
    inputs, h = _latent_inputs(latent_dim, condition_dim)
    h = layers.Dense(7 * 7 * 2 * width, use_bias=False, name="project")(h)
    h = layers.BatchNormalization(name="bn_0")(h)
    h = layers.ReLU(name="relu_0")(h)
    h = layers.Reshape((7, 7, 2 * width), name="reshape")(h)
    h = dcgan_up_block(h, width, suffix="_1")
    if refine:
        h = layers.Conv2D(width, 3, padding="same", use_bias=False, name="refine")(h)
        h = layers.BatchNormalization(name="bn_refine")(h)
        h = layers.ReLU(name="relu_refine")(h)
    h = layers.Conv2DTranspose(channels, 4, strides=2, padding="same", name="up_2", dtype="float32")(h)
    out = layers.Activation("tanh", name="tanh", dtype="float32")(h)
    return keras.Model(inputs, out, name=name)


def dcgan_discriminator_28(width: int = 64, channels: int = 1, batch_norm: bool = True, condition_dim: int = 0,
                           conditioning: str = "projection", name: str = "dcgan_discriminator") -> keras.Model:
    """DCGAN discriminator for 28×28: strided convolutions with LeakyReLU(0.2), then one logit.

    ``batch_norm`` puts batch norm after every layer but the first (Radford et al.). Without it the
    discriminator judges each image on its own instead of through the statistics of its batch,
    which on MNIST lets it train stably at a higher learning rate (see benchmarks/README.md).

    ``condition_dim`` > 0 makes it conditional, ``D([x, c])``, in one of two ways:
    ``"concat"`` stacks c onto the image as constant channels (the one-hot input of Mirza &
    Osindero); ``"projection"`` (Miyato & Koyama 2018) adds the inner product of an embedding of
    c with the features φ(x) to the unconditional logit: D(x, c) = ψ(φ(x)) + (Vc)ᵀφ(x).
    """
    inputs, h, c = _image_inputs((28, 28, channels), condition_dim, conditioning)
    h = layers.Conv2D(width, 4, strides=2, padding="same", name="down_1")(h)
    h = layers.LeakyReLU(0.2, name="lrelu_1")(h)
    h = layers.Conv2D(2 * width, 4, strides=2, padding="same", use_bias=not batch_norm, name="down_2")(h)
    if batch_norm:
        h = layers.BatchNormalization(name="bn_2")(h)
    h = layers.LeakyReLU(0.2, name="lrelu_2")(h)
    h = layers.Flatten(name="flatten")(h)
    return keras.Model(inputs, _logit(h, c, conditioning), name=name)


def with_auxiliary_head(discriminator: keras.Model, outputs: int, hidden: int = 0, name: str = "auxiliary",
                        features: str = "flatten") -> keras.Model:
    """The discriminator with a second output read off its features (the output of its layer
    ``features``): ``D(x) → [logit, auxiliary]``. ``hidden=0`` is one linear layer, ACGAN's class
    logits (Odena et al. 2017); ``hidden=128`` puts a dense layer with batch norm and
    LeakyReLU(0.2) first, InfoGAN's Q(c | x) sharing D's body (Chen et al. 2016, appendix C.1)."""
    h = discriminator.get_layer(features).output
    if hidden:
        h = layers.Dense(hidden, use_bias=False, name=f"{name}_hidden")(h)
        h = layers.BatchNormalization(name=f"{name}_bn")(h)
        h = layers.LeakyReLU(0.2, name=f"{name}_lrelu")(h)
    aux = layers.Dense(outputs, name=name, dtype="float32")(h)
    return keras.Model(discriminator.inputs, [discriminator.output, aux], name=f"{discriminator.name}_{name}")


def infogan_generator_28(latent_dim: int = 62, code_dim: int = 12, width: int = 64,
                         name: str = "infogan_generator") -> keras.Model:
    """The generator of InfoGAN's MNIST experiment (Chen et al. 2016, appendix C.1) at ``width`` 64:
    [z, c] → dense 16·width (1024) → dense 7×7×2·width → 4×4 transposed convolutions to
    14×14×width and 28×28×1, batch norm and ReLU after every hidden layer; tanh output (the paper's
    is a Bernoulli mean)."""
    inputs, h = _latent_inputs(latent_dim, code_dim)
    for i, units in enumerate((16 * width, 7 * 7 * 2 * width)):
        h = layers.Dense(units, use_bias=False, name=f"dense_{i + 1}")(h)
        h = layers.BatchNormalization(name=f"bn_{i + 1}")(h)
        h = layers.ReLU(name=f"relu_{i + 1}")(h)
    h = layers.Reshape((7, 7, 2 * width), name="reshape")(h)
    h = layers.Conv2DTranspose(width, 4, strides=2, padding="same", use_bias=False, name="up_1")(h)
    h = layers.BatchNormalization(name="bn_3")(h)
    h = layers.ReLU(name="relu_3")(h)
    h = layers.Conv2DTranspose(1, 4, strides=2, padding="same", name="up_2", dtype="float32")(h)
    return keras.Model(inputs, layers.Activation("tanh", name="tanh", dtype="float32")(h), name=name)


def infogan_discriminator_28(code_dim: int = 12, width: int = 64, name: str = "infogan_discriminator") -> keras.Model:
    """InfoGAN's MNIST discriminator with Q (Chen et al. 2016, appendix C.1) at ``width`` 64: 4×4
    stride-2 convolutions of width and 2·width channels, dense 16·width (1024), LeakyReLU(0.1) and
    batch norm after all but the first; the shared body's output feeds D's logit and Q's head
    (dense 128, then Q's ``code_dim`` parameters). ``D(x) → [logit, q]``."""
    x = keras.Input((28, 28, 1), name="x")
    h = layers.LeakyReLU(0.1, name="lrelu_1")(layers.Conv2D(width, 4, strides=2, padding="same", name="down_1")(x))
    h = layers.Conv2D(2 * width, 4, strides=2, padding="same", use_bias=False, name="down_2")(h)
    h = layers.LeakyReLU(0.1, name="lrelu_2")(layers.BatchNormalization(name="bn_2")(h))
    h = layers.Dense(16 * width, use_bias=False, name="dense")(layers.Flatten(name="flatten")(h))
    h = layers.LeakyReLU(0.1, name="shared")(layers.BatchNormalization(name="bn_3")(h))
    d = keras.Model(x, layers.Dense(1, name="logit", dtype="float32")(h), name=name)
    return with_auxiliary_head(d, code_dim, hidden=128, name="q", features="shared")


# ---------------------------------------------------------------------------------------------
# DCGAN for 64×64 images (Radford et al. 2016)
# ---------------------------------------------------------------------------------------------


def dcgan_up_block(x, channels: int, suffix: str = ""):
    """One DCGAN generator step: a 4×4 transposed convolution of stride 2 that doubles the side (no
    bias: batch norm's shift replaces it), batch norm, ReLU; layers named up, bn, relu + ``suffix``."""
    x = layers.Conv2DTranspose(channels, 4, strides=2, padding="same", use_bias=False, name=f"up{suffix}")(x)
    x = layers.BatchNormalization(name=f"bn{suffix}")(x)
    return layers.ReLU(name=f"relu{suffix}")(x)


def dcgan_generator_64(latent_dim: int = 100, width: int = 64, channels: int = 3, condition_dim: int = 0,
                       block: Callable | None = None, name: str = "dcgan_generator_64") -> keras.Model:
    """Radford et al.'s generator: z → 4×4×(8·width) → 8×8×4w → 16×16×2w → 32×32×w → 64×64×channels.

    Each step is a 4×4 transposed convolution with stride 2 followed by batch norm and ReLU; the
    output layer has tanh and no batch norm. ``width`` = 128 is the paper's (1024 channels at 4×4).
    ``condition_dim`` > 0: ``G([z, c])``, c concatenated to z. ``block(x, channels)`` replaces
    :func:`dcgan_up_block` in the three hidden steps.
    """
    inputs, h = _latent_inputs(latent_dim, condition_dim)
    h = layers.Dense(4 * 4 * 8 * width, use_bias=False, name="project")(h)
    h = layers.BatchNormalization(name="bn_0")(h)
    h = layers.ReLU(name="relu_0")(h)
    h = layers.Reshape((4, 4, 8 * width), name="reshape")(h)
    for i, mult in enumerate((4, 2, 1), start=1):
        h = block(h, mult * width) if block is not None else dcgan_up_block(h, mult * width, suffix=f"_{i}")
    h = layers.Conv2DTranspose(channels, 4, strides=2, padding="same", name="up_4", dtype="float32")(h)
    out = layers.Activation("tanh", name="tanh", dtype="float32")(h)
    return keras.Model(inputs, out, name=name)


def dcgan_discriminator_64(width: int = 64, channels: int = 3, batch_norm: bool = True, condition_dim: int = 0,
                           conditioning: str = "projection", name: str = "dcgan_discriminator_64") -> keras.Model:
    """The mirror image: 64×64 → 32×32×w → 16×16×2w → 8×8×4w → 4×4×8w → one logit.

    Strided 4×4 convolutions, LeakyReLU(0.2), batch norm on every layer but the first (set
    ``batch_norm=False`` for a WGAN-GP critic, whose penalty is per sample). ``condition_dim`` and
    ``conditioning`` as in :func:`dcgan_discriminator_28`.
    """
    inputs, h, c = _image_inputs((64, 64, channels), condition_dim, conditioning)
    for i, mult in enumerate((1, 2, 4, 8), start=1):
        norm = batch_norm and i > 1
        h = layers.Conv2D(mult * width, 4, strides=2, padding="same", use_bias=not norm, name=f"down_{i}")(h)
        if norm:
            h = layers.BatchNormalization(name=f"bn_{i}")(h)
        h = layers.LeakyReLU(0.2, name=f"lrelu_{i}")(h)
    h = layers.Flatten(name="flatten")(h)
    return keras.Model(inputs, _logit(h, c, conditioning), name=name)


def tutorial_dcgan_generator(latent_dim: int = 100) -> keras.Model:
    """The generator of the TensorFlow DCGAN tutorial (tensorflow.org/tutorials/generative/dcgan),
    rebuilt from its description; used only as the benchmark baseline."""
    z = keras.Input((latent_dim,), name="z")
    h = layers.Dense(7 * 7 * 256, use_bias=False)(z)
    h = layers.BatchNormalization()(h)
    h = layers.LeakyReLU()(h)
    h = layers.Reshape((7, 7, 256))(h)
    h = layers.Conv2DTranspose(128, 5, strides=1, padding="same", use_bias=False)(h)
    h = layers.BatchNormalization()(h)
    h = layers.LeakyReLU()(h)
    h = layers.Conv2DTranspose(64, 5, strides=2, padding="same", use_bias=False)(h)
    h = layers.BatchNormalization()(h)
    h = layers.LeakyReLU()(h)
    out = layers.Conv2DTranspose(1, 5, strides=2, padding="same", use_bias=False, activation="tanh", dtype="float32")(h)
    return keras.Model(z, out, name="tutorial_generator")


def tutorial_dcgan_discriminator() -> keras.Model:
    """The discriminator of the TensorFlow DCGAN tutorial; the benchmark baseline."""
    x = keras.Input((28, 28, 1))
    h = layers.Conv2D(64, 5, strides=2, padding="same")(x)
    h = layers.LeakyReLU()(h)
    h = layers.Dropout(0.3)(h)
    h = layers.Conv2D(128, 5, strides=2, padding="same")(h)
    h = layers.LeakyReLU()(h)
    h = layers.Dropout(0.3)(h)
    h = layers.Flatten()(h)
    return keras.Model(x, layers.Dense(1, dtype="float32")(h), name="tutorial_discriminator")


# ---------------------------------------------------------------------------------------------
# The metric classifier for MNIST
# ---------------------------------------------------------------------------------------------


def mnist_classifier(feature_dim: int = 128, name: str = "mnist_classifier") -> keras.Model:
    """A small CNN for 28×28×1 images in [-1, 1]: conv blocks → global pooling → ``features``
    (``feature_dim``-d, the space of the Fréchet distance) → 10 logits."""
    x = keras.Input((28, 28, 1), name="image")
    h = x
    for i, filters in enumerate((32, 64, 128)):
        h = layers.Conv2D(filters, 3, padding="same", activation="relu", name=f"conv_{i}a")(h)
        h = layers.Conv2D(filters, 3, padding="same", activation="relu", name=f"conv_{i}b")(h)
        if i < 2:
            h = layers.MaxPooling2D(name=f"pool_{i}")(h)
    h = layers.GlobalAveragePooling2D(name="gap")(h)
    h = layers.Dropout(0.3, name="dropout")(h)
    features = layers.Dense(feature_dim, activation="relu", name="features")(h)
    logits = layers.Dense(10, name="logits", dtype="float32")(features)
    return keras.Model(x, logits, name=name)


def faces_classifier(attributes: dict[str, int], feature_dim: int = 128, name: str = "faces_classifier") -> keras.Model:
    """A CNN for 64×64×3 faces in [-1, 1]: four conv blocks down to 4×4, ``features``
    (``feature_dim``-d, the space of the faces Fréchet distance), then one logit head per
    attribute (``attributes`` maps each name to its number of values)."""
    x = keras.Input((64, 64, 3), name="image")
    h = x
    for i, filters in enumerate((32, 64, 96, 128)):
        h = layers.Conv2D(filters, 3, padding="same", activation="relu", name=f"conv_{i}a")(h)
        h = layers.Conv2D(filters, 3, padding="same", activation="relu", name=f"conv_{i}b")(h)
        h = layers.MaxPooling2D(name=f"pool_{i}")(h)
    h = layers.Flatten(name="flatten")(h)
    h = layers.Dropout(0.3, name="dropout")(h)
    features = layers.Dense(feature_dim, activation="relu", name="features")(h)
    heads = {k: layers.Dense(n, name=k, dtype="float32")(features) for k, n in attributes.items()}
    return keras.Model(x, heads, name=name)


# ---------------------------------------------------------------------------------------------
# pix2pix (Isola et al. 2017): the U-Net generator and the PatchGAN discriminator
# ---------------------------------------------------------------------------------------------


def unet_generator(size: int = 256, in_channels: int = 1, out_channels: int = 2, width: int = 64,
                   dropout: float = 0.5, name: str = "unet_generator") -> keras.Model:
    """The pix2pix U-Net: an encoder of 4×4 stride-2 convolutions down to 1×1 (log2(size) of them:
    6 at 64 px, 8 at 256 px), a mirrored decoder of transposed convolutions, and skip connections
    that concatenate each encoder output onto the decoder input of the same resolution.

    Channels are ``width``·(1, 2, 4, 8, 8, …) (C64-C128-C256-C512-C512… at the paper's width 64).
    Encoder blocks: conv, batch norm (not on the first, nor on the 1×1 bottleneck), LeakyReLU(0.2);
    decoder blocks: transposed conv, batch norm, ``dropout`` in the first three, ReLU; the output
    layer has ``out_channels`` and tanh. Batch-norm momentum 0.9 (PyTorch's 0.1, as in the paper's code).
    Dropout is active only in training mode: ``generator(x, training=False)`` is deterministic.
    """
    depth = int(size).bit_length() - 1
    if size < 8 or 2**depth != size:
        raise errors.UserValueError(f"the U-Net needs a power-of-two image size of at least 8 (64, 128, 256), got {size}")
    channels = [width * min(2**i, 8) for i in range(depth)]
    x = keras.Input((size, size, in_channels), name="input")
    h, skips = x, []
    for i, c in enumerate(channels):
        norm = 0 < i < depth - 1
        h = layers.Conv2D(c, 4, strides=2, padding="same", use_bias=not norm, name=f"down_{i + 1}")(h)
        if norm:
            h = layers.BatchNormalization(momentum=0.9, name=f"down_bn_{i + 1}")(h)
        h = layers.LeakyReLU(0.2, name=f"down_lrelu_{i + 1}")(h)
        skips.append(h)
    for j, i in enumerate(range(depth - 2, -1, -1)):  # back up to size/2, joining the encoder output of each size
        h = layers.Conv2DTranspose(channels[i], 4, strides=2, padding="same", use_bias=False, name=f"up_{j + 1}")(h)
        h = layers.BatchNormalization(momentum=0.9, name=f"up_bn_{j + 1}")(h)
        if j < 3 and dropout:
            h = layers.Dropout(dropout, name=f"up_dropout_{j + 1}")(h)
        h = layers.ReLU(name=f"up_relu_{j + 1}")(h)
        h = layers.Concatenate(name=f"skip_{j + 1}")([h, skips[i]])
    h = layers.Conv2DTranspose(out_channels, 4, strides=2, padding="same", name="output", dtype="float32")(h)
    out = layers.Activation("tanh", name="tanh", dtype="float32")(h)
    return keras.Model(x, out, name=name)


def patchgan_discriminator(size: int = 256, in_channels: int = 1, target_channels: int = 2, width: int = 64,
                           n_layers: int = 3, name: str = "patchgan_discriminator") -> keras.Model:
    """The pix2pix PatchGAN: ``D([input, target])`` concatenates the pair on channels and returns a
    grid of logits, each judging one patch of :func:`patchgan_receptive_field` pixels (70×70 for
    the standard ``n_layers=3``; a 30×30 grid at 256 px, 6×6 at 64 px).

    ``n_layers`` 4×4 stride-2 convolutions (C64-C128-C256 at width 64, batch norm on all but the
    first, LeakyReLU 0.2), then a stride-1 C512 and a stride-1 convolution to one channel, each
    after a one-pixel zero padding. Batch norm couples the pixels of a batch in training mode only;
    in inference mode each logit depends on its patch alone.
    """
    x = keras.Input((size, size, in_channels), name="input")
    y = keras.Input((size, size, target_channels), name="target")
    h = layers.Concatenate(name="pair")([x, y])
    for i in range(n_layers + 1):
        c = width * min(2**i, 8)
        stride = 2 if i < n_layers else 1
        if stride == 1:
            h = layers.ZeroPadding2D(1, name=f"pad_{i + 1}")(h)
        h = layers.Conv2D(c, 4, strides=stride, padding="same" if stride == 2 else "valid", use_bias=i == 0,
                          name=f"conv_{i + 1}")(h)
        if i > 0:
            h = layers.BatchNormalization(momentum=0.9, name=f"bn_{i + 1}")(h)
        h = layers.LeakyReLU(0.2, name=f"lrelu_{i + 1}")(h)
    h = layers.ZeroPadding2D(1, name="pad_logits")(h)
    logits = layers.Conv2D(1, 4, name="logits", dtype="float32")(h)
    return keras.Model([x, y], logits, name=name)


def patchgan_receptive_field(n_layers: int = 3, kernel: int = 4) -> int:
    """The side in pixels of the input patch one PatchGAN logit sees: ``n_layers`` stride-2 and two
    stride-1 ``kernel``×``kernel`` convolutions. 70 for the standard discriminator; 16, 34, 142 and
    286 for 1, 2, 4 and 5 layers (Isola et al. compare 16×16, 70×70 and 286×286 patches)."""
    field = 1
    for stride in [1, 1] + [2] * n_layers:  # walk back from one output unit, last layer first
        field = (field - 1) * stride + kernel
    return field


def layer_table(model: keras.Model, kinds: tuple[type, ...] | None = None) -> str:
    """A text table of ``model``: one line per layer (name, type, output shape without the batch axis,
    parameters), only layers of the classes ``kinds`` when given, and the whole model's total."""
    shown = [layer for layer in model.layers if kinds is None or isinstance(layer, kinds)]
    name_w = max([5, *(len(layer.name) for layer in shown)])
    type_w = max([4, *(len(type(layer).__name__) for layer in shown)])
    lines = [model.name, f"{'layer':{name_w}s} {'type':{type_w}s} {'output shape':>15s} {'params':>10s}"]
    for layer in shown:
        shape = str(tuple(layer.output.shape[1:]))
        lines.append(f"{layer.name:{name_w}s} {type(layer).__name__:{type_w}s} {shape:>15s} {layer.count_params():>10,}")
    total = "total" if kinds is None else "total (all layers)"
    lines.append(f"{total:{name_w + type_w + 1}s} {'':>15s} {model.count_params():>10,}")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# Each recipe's networks, built from its settings (workshop_utils.recipes names these functions)
# ---------------------------------------------------------------------------------------------


def toy1d_generator(s: dict) -> keras.Model:
    return shift_generator(1, s["theta0"])


def toy1d_discriminator(s: dict) -> keras.Model:
    return logistic_discriminator(1)


def mixture_generator(s: dict) -> keras.Model:
    return mlp_generator(s["latent_dim"], (2,), hidden=s["g_hidden"], output_activation=None)


def mixture_discriminator(s: dict) -> keras.Model:
    return mlp_discriminator((2,), hidden=s["d_hidden"], spectral_norm=s["spectral_norm"], clip_value=s["clip_value"])


def mnist_mlp_generator(s: dict) -> keras.Model:
    return mlp_generator(s["latent_dim"], (28, 28, 1), hidden=s["g_hidden"])


def mnist_mlp_discriminator(s: dict) -> keras.Model:
    return mlp_discriminator((28, 28, 1), hidden=s["d_hidden"])


def mnist_dcgan_generator(s: dict) -> keras.Model:
    return dcgan_generator_28(s["latent_dim"], s["width"], refine=s["g_refine"])


def mnist_dcgan_discriminator(s: dict) -> keras.Model:
    return dcgan_discriminator_28(s["width"], batch_norm=s["d_batch_norm"])


def mnist_cgan_generator(s: dict) -> keras.Model:
    return dcgan_generator_28(s["latent_dim"], s["width"], refine=s["g_refine"], condition_dim=DIGITS.dim)


def mnist_cgan_discriminator(s: dict) -> keras.Model:
    return dcgan_discriminator_28(s["width"], batch_norm=s["d_batch_norm"], condition_dim=DIGITS.dim,
                                  conditioning=s["conditioning"])


def mnist_acgan_discriminator(s: dict) -> keras.Model:
    return with_auxiliary_head(dcgan_discriminator_28(s["width"], batch_norm=s["d_batch_norm"]), DIGITS.dim, name="classes")


def mnist_infogan_generator(s: dict) -> keras.Model:
    return infogan_generator_28(s["latent_dim"], infogan_codes(s).dim, s["width"])


def mnist_infogan_discriminator(s: dict) -> keras.Model:
    return infogan_discriminator_28(infogan_codes(s).dim, s["width"])


def faces_cgan_generator(s: dict) -> keras.Model:
    return dcgan_generator_64(s["latent_dim"], s["width"], condition_dim=face_condition(s).dim)


def faces_cgan_discriminator(s: dict) -> keras.Model:
    return dcgan_discriminator_64(s["d_width"], batch_norm=s["d_batch_norm"], condition_dim=face_condition(s).dim,
                                  conditioning=s["conditioning"])


def tutorial_generator(s: dict) -> keras.Model:
    return tutorial_dcgan_generator(s["latent_dim"])


def tutorial_discriminator(s: dict) -> keras.Model:
    return tutorial_dcgan_discriminator()


def faces_generator(s: dict) -> keras.Model:
    return dcgan_generator_64(s["latent_dim"], s["width"])


def faces_discriminator(s: dict) -> keras.Model:
    return dcgan_discriminator_64(s["d_width"], batch_norm=s["d_batch_norm"])


def colorizer_generator(s: dict) -> keras.Model:
    return unet_generator(s["size"], 1, target_channels(s["colour_space"]), s["width"], s["dropout"])


def colorizer_discriminator(s: dict) -> keras.Model:
    return patchgan_discriminator(s["size"], 1, target_channels(s["colour_space"]), s["d_width"], s["d_layers"])
