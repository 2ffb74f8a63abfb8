"""The exercises of the notebooks with their reference answers, test inputs and catalogued
mistakes (read by :mod:`workshop_utils.exercises`; the notebooks never print this file).

Each reference is written as the notebook's later cells use it (``keras.ops``, so a loss can go
into a ``tf.function`` train step). Each mistake is a wrong answer written out, so a student's
answer is recognised by giving the same results as one, and the tests can hand each one to the
checker and expect its hint.
"""

from __future__ import annotations

import math

import keras
import numpy as np
import tensorflow as tf
from keras import ops
from scipy import stats

from . import exercises, losses, theory
from .exercises import Exercise, Mistake

STABLE = ("compute log D and log(1 − D) from the logit with softplus: log σ(l) = −softplus(−l) and "
          "log(1 − σ(l)) = −softplus(l) (keras.ops.softplus), which never take the log of a number that rounded to 0")


def _logits(*sizes: int, seed: int = 0) -> tuple:
    rng = np.random.default_rng(seed)
    return tuple(rng.normal(0.0, 2.0, n).astype("float32") for n in sizes)


def _large(values) -> np.ndarray:
    return np.asarray(values, "float32")


def _in_a_train_step(probes):
    """A further test for a loss: it must also run inside a ``tf.function`` train step, where its
    inputs are symbolic tensors (NumPy functions give the right numbers on arrays and fail there)."""

    def test(answer) -> str | None:
        import tensorflow as tf

        args = [tf.constant(a) for a in probes()[0]]
        try:
            tf.function(answer)(*args)
        except Exception as err:  # noqa: BLE001 - the student's error is reported, not raised
            return ("the numbers are right on NumPy arrays, but the trainer calls your loss inside a tf.function train "
                    "step, on tensors: write it with keras.ops (ops.softplus, ops.mean), not numpy. "
                    + exercises.describe_error(err))
        return None

    return test


# -- 01: the toy 1-D GAN --------------------------------------------------------------------------


def discriminator_loss(real_logits, fake_logits):
    """L_D = −E[log D(x)] − E[log(1 − D(G(z)))] from the discriminator's logits."""
    return ops.mean(ops.softplus(-real_logits)) + ops.mean(ops.softplus(fake_logits))


def non_saturating_loss(fake_logits):
    """L_G = −E[log D(G(z))] from the discriminator's logits on the fakes."""
    return ops.mean(ops.softplus(-fake_logits))


def _d_probes() -> list[tuple]:
    return [_logits(8, 8), _logits(3, 6, seed=1),
            (_large([-200.0, 0.5, 3.0, 200.0]), _large([200.0, -1.0, -200.0]))]  # logits a confident D gives


def _g_probes() -> list[tuple]:
    return [_logits(8), _logits(5, seed=1), (_large([-200.0, 0.0, 4.0, 200.0]),)]


# -- 02: the vanilla GAN on MNIST -----------------------------------------------------------------


def train_step(generator, discriminator, g_optimizer, d_optimizer, real_batches, z_batches, k):
    """Algorithm 1, one iteration: k discriminator updates, update i on real_batches[i] and the fakes
    of z_batches[i]; then one generator update on the fakes of z_batches[k]. Returns (d_loss, g_loss)."""
    for i in range(k):
        with tf.GradientTape() as tape:
            real_logits = discriminator(real_batches[i], training=True)
            fake_logits = discriminator(generator(z_batches[i], training=True), training=True)
            d_loss = losses.discriminator_bce(real_logits, fake_logits)
        grads = tape.gradient(d_loss, discriminator.trainable_variables)
        d_optimizer.apply_gradients(zip(grads, discriminator.trainable_variables))
    with tf.GradientTape() as tape:
        fake_logits = discriminator(generator(z_batches[k], training=True), training=True)
        g_loss = losses.generator_non_saturating(fake_logits)
    grads = tape.gradient(g_loss, generator.trainable_variables)
    g_optimizer.apply_gradients(zip(grads, generator.trainable_variables))
    return d_loss, g_loss


def _wrong_step(d_both=False, g_both=False, d_sign=1.0, one_d_step=False, g_noise_first=False,
                g_loss=losses.generator_non_saturating):
    """Algorithm 1 with one typical mistake in it (see the hints in EXERCISES)."""

    def step(generator, discriminator, g_optimizer, d_optimizer, real_batches, z_batches, k):
        for i in range(1 if one_d_step else k):
            variables = discriminator.trainable_variables + (generator.trainable_variables if d_both else [])
            with tf.GradientTape() as tape:
                d_loss = losses.discriminator_bce(discriminator(real_batches[i], training=True),
                                                  discriminator(generator(z_batches[i], training=True), training=True))
                objective = d_sign * d_loss
            d_optimizer.apply_gradients(zip(tape.gradient(objective, variables), variables))
        variables = generator.trainable_variables + (discriminator.trainable_variables if g_both else [])
        with tf.GradientTape() as tape:
            g_loss_value = g_loss(discriminator(generator(z_batches[0 if g_noise_first else k], training=True), training=True))
        g_optimizer.apply_gradients(zip(tape.gradient(g_loss_value, variables), variables))
        return d_loss, g_loss_value

    return step


def _tiny_gan(seed: int) -> tuple:
    """A G: R² → R³ and a D: R³ → logit small enough to compare every weight after one step."""
    rng = np.random.default_rng(seed)
    g = keras.Sequential([keras.Input((2,)), keras.layers.Dense(4, activation="tanh"), keras.layers.Dense(3)])
    d = keras.Sequential([keras.Input((3,)), keras.layers.Dense(4, activation="tanh"), keras.layers.Dense(1)])
    for model in (g, d):
        model.set_weights([rng.normal(0.0, 0.7, w.shape).astype("float32") for w in model.get_weights()])
    return g, d


def _run_step(step, k: int, seed: int):
    """Every weight of G and D after one call of ``step`` on fresh tiny networks, and its two losses."""
    g, d = _tiny_gan(seed)
    rng = np.random.default_rng(seed + 100)
    real = [ops.convert_to_tensor(rng.normal(1.0, 0.5, (8, 3)).astype("float32")) for _ in range(k)]
    z = [ops.convert_to_tensor(rng.normal(0.0, 1.0, (8, 2)).astype("float32")) for _ in range(k + 1)]
    out = step(g, d, keras.optimizers.SGD(0.1), keras.optimizers.SGD(0.1), real, z, k)
    if out is None:
        return None
    weights = [np.ravel(w) for w in g.get_weights() + d.get_weights()]
    return np.concatenate(weights + [np.ravel(np.asarray(out, np.float64))])


def smoothed_discriminator_loss(real_logits, fake_logits, smoothing):
    """L_D with one-sided label smoothing: the real images' target is 1 − smoothing, the fakes' stays 0."""
    t = 1.0 - smoothing
    real_term = t * ops.softplus(-real_logits) + (1.0 - t) * ops.softplus(real_logits)
    return ops.mean(real_term) + ops.mean(ops.softplus(fake_logits))


def _smoothing_probes() -> list[tuple]:
    r, f = _logits(8, 8, seed=2)
    return [(r, f, 0.1), (r, f, 0.25), (r, f, 0.0), (*_logits(5, 3, seed=3), 0.2)]


# -- 03: DCGAN ------------------------------------------------------------------------------------


def transposed_side(n, k=4, s=2, p=1):
    """The output side of a transposed convolution: n input pixels stamp a k-wide kernel s apart,
    then p pixels are cropped from each side."""
    return (n - 1) * s + k - 2 * p


def _side_probes() -> list[tuple]:
    return [(4, 4, 2, 1), (8, 4, 2, 0), (5, 3, 2, 1), (7, 5, 3, 2), (6, 4, 1, 0)]  # (n, k, s, p)


def generator_block(x, channels):
    """One DCGAN generator block: double the side of x with a 4×4 transposed convolution of stride 2
    (no bias: batch norm's shift takes its place), then batch norm, then ReLU."""
    x = keras.layers.Conv2DTranspose(channels, 4, strides=2, padding="same", use_bias=False)(x)
    x = keras.layers.BatchNormalization()(x)
    return keras.layers.ReLU()(x)


def _wrong_block(kind="Conv2DTranspose", k=4, s=2, padding="same", bias=False, norm=True, act="relu", act_first=False):
    """A generator block with one typical mistake in it (see the hints in EXERCISES)."""

    def block(x, channels):
        x = getattr(keras.layers, kind)(channels, k, strides=s, padding=padding, use_bias=bias)(x)
        steps = [keras.layers.BatchNormalization()] if norm else []
        steps.insert(0 if act_first else len(steps), keras.layers.ReLU() if act == "relu" else keras.layers.LeakyReLU(0.2))
        for layer in steps:
            x = layer(x)
        return x

    return block


_LAYER_KINDS = ("Conv2DTranspose", "BatchNormalization", "ReLU", "LeakyReLU", "Conv2D", "UpSampling2D")


def _block_layers(block, shape: tuple, channels: int) -> tuple[keras.Model, list[str]]:
    """The block built on an input of ``shape``, and its operations in order (an activation given
    to a layer counts as an operation after it)."""
    x = keras.Input(shape)
    model = keras.Model(x, block(x, channels))
    named = {"relu": "ReLU", "leaky_relu": "LeakyReLU"}
    kinds = []
    for op in model.operations:
        name = type(op).__name__
        activation = getattr(getattr(op, "activation", None), "__name__", "linear")
        if name == "Activation":
            kinds.append(named.get(activation, activation))
        elif name != "InputLayer":
            kinds.append(named.get(name.lower(), name))
            if activation != "linear":
                kinds.append(named.get(activation, activation))
    return model, kinds


def _block_structure(block, shape: tuple, channels: int) -> np.ndarray:
    """A block in numbers: its output shape, its parameter count, its operations (as indices into
    _LAYER_KINDS, 9 for any other) and its first transposed convolution's kernel, stride and bias."""
    model, kinds = _block_layers(block, shape, channels)
    codes = [_LAYER_KINDS.index(k) + 1 if k in _LAYER_KINDS else 9 for k in kinds][:6]
    up = next((op for op in model.operations if type(op).__name__ in ("Conv2DTranspose", "Conv2D")), None)
    conv = [up.kernel_size[0], up.strides[0], float(up.use_bias)] if up is not None else [0, 0, 0]
    return np.array([*model.output.shape[1:], model.count_params(), *codes, *[0] * (6 - len(codes)), *conv], float)


def _describe_block(block, shape: tuple, channels: int) -> str:
    model, kinds = _block_layers(block, shape, channels)
    sides = " → ".join("×".join(str(d) for d in s) for s in (shape, model.output.shape[1:]))
    return f"{' → '.join(kinds) or 'no layers'} ({sides}, {model.count_params():,} parameters)"


# -- 04: the pix2pix colorizer --------------------------------------------------------------------


def generator_objective(fake_logits, fake, target, l1_weight):
    """pix2pix's generator loss: the non-saturating −mean log D(x, G(x)) over the PatchGAN's logits,
    plus l1_weight (λ) times the mean absolute error between the target colours and G(x)."""
    return ops.mean(ops.softplus(-fake_logits)) + l1_weight * ops.mean(ops.abs(target - fake))


def _objective_probes() -> list[tuple]:
    rng = np.random.default_rng(12)
    return [(rng.normal(0, 2, (2, 6, 6, 1)).astype("float32"), rng.uniform(-1, 1, (2, 8, 8, 2)).astype("float32"),
             rng.uniform(-1, 1, (2, 8, 8, 2)).astype("float32"), 100.0),
            (rng.normal(0, 2, (3, 2, 2, 1)).astype("float32"), rng.uniform(-1, 1, (3, 4, 4, 3)).astype("float32"),
             rng.uniform(-1, 1, (3, 4, 4, 3)).astype("float32"), 10.0)]


def receptive_field(layers):
    """The side of the input patch one output unit sees, for convolutions given as (kernel, stride)
    from the input to the output: walk back from the output, r ← (r − 1)·s + k."""
    r = 1
    for kernel, stride in reversed(layers):
        r = (r - 1) * stride + kernel
    return r


def _field_probes() -> list[tuple]:
    patchgan = [(4, 2), (4, 2), (4, 2), (4, 1), (4, 1)]
    return [(patchgan,), ([(3, 1), (3, 1)],), ([(3, 2), (5, 1), (2, 2)],), ([(7, 2), (3, 2), (3, 1), (1, 1)],)]


def _field(layers, step) -> int:
    r = 1
    for kernel, stride in reversed(layers):
        r = step(r, kernel, stride)
    return r


def _forward_field(layers):
    r = 1
    for kernel, stride in layers:
        r = (r - 1) * stride + kernel
    return r


# -- 05: the latent space -------------------------------------------------------------------------


def slerp(a, b, alphas):
    """The great circle from a to b: the direction turns from a/|a| to b/|b| at constant angular
    speed while the length goes linearly from |a| to |b|; one row per α."""
    alphas = np.asarray(alphas, np.float64)[:, None]
    na, nb = np.linalg.norm(a), np.linalg.norm(b)
    omega = np.arccos(np.clip(np.dot(a / na, b / nb), -1.0, 1.0))
    direction = (np.sin((1 - alphas) * omega) * a / na + np.sin(alphas * omega) * b / nb) / np.sin(omega)
    return direction * ((1 - alphas) * na + alphas * nb)


def _angle(a, b) -> float:
    return float(np.arccos(np.clip(np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b)), -1.0, 1.0)))


def _slerp_probes() -> list[tuple]:
    rng = np.random.default_rng(5)
    return [(rng.normal(0, 1, 6), 2.0 * rng.normal(0, 1, 6), np.linspace(0, 1, 5)),
            (rng.normal(0, 1, 64), rng.normal(0, 1, 64), np.array([0.1, 0.5, 0.8]))]


def truncate(u, psi):
    """Map uniform numbers u in (0, 1) to standard normal numbers conditioned on |z| ≤ psi, by the
    inverse distribution function: spread u over [Φ(−ψ), Φ(ψ)], then apply Φ⁻¹."""
    low, high = stats.norm.cdf(-psi), stats.norm.cdf(psi)
    return stats.norm.ppf(low + u * (high - low))


def _truncate_probes() -> list[tuple]:
    u = np.random.default_rng(6).uniform(size=(4, 5))
    return [(u, 0.5), (u, 1.0), (u, 2.0), (u, np.inf)]


def arithmetic(plus_a, minus_a, plus_b):
    """The DCGAN paper's arithmetic on concept vectors: mean(plus_a) − mean(minus_a) + mean(plus_b),
    each mean over the rows (one latent vector per face) of its concept."""
    return plus_a.mean(axis=0) - minus_a.mean(axis=0) + plus_b.mean(axis=0)


def _arithmetic_probes() -> list[tuple]:
    rng = np.random.default_rng(7)
    return [tuple(rng.normal(0, 1, (3, 8)) for _ in range(3)), tuple(rng.normal(0, 1, (3, 100)) for _ in range(3))]


# -- 06: Wasserstein GAN --------------------------------------------------------------------------


def _transport_value(constraints, x, a, y, b) -> float:
    """W1 from the transport LP under ``constraints`` (nan when no plan satisfies them)."""
    try:
        return theory.earth_mover_primal(x, a, y, b, constraints=constraints)[0]
    except RuntimeError:
        return float("nan")


def _transport_probes() -> list[tuple]:
    rng = np.random.default_rng(8)
    notebook = (np.array([0.0, 1.0, 2.5, 4.0, 6.0]), np.array([0.10, 0.30, 0.20, 0.25, 0.15]),
                np.array([0.5, 1.5, 3.0, 3.5, 5.0, 7.0]), np.array([0.20, 0.10, 0.25, 0.15, 0.20, 0.10]))
    return [notebook, (rng.uniform(0, 5, 3), rng.dirichlet(np.ones(3)), rng.uniform(0, 5, 7), rng.dirichlet(np.ones(7)))]


def _rows_only(a, b):
    a_eq, b_eq = theory.transport_constraints(a, b)
    return a_eq[: len(a)], b_eq[: len(a)]


def _columns_only(a, b):
    a_eq, b_eq = theory.transport_constraints(a, b)
    return a_eq[len(a):], b_eq[len(a):]


def gradient_penalty(critic, real, fake, alpha):
    """WGAN-GP's penalty: the mean of (‖∇f(x̂)‖ − 1)² over the interpolates x̂ = α·real + (1 − α)·fake,
    one α per example (alpha has shape (N,)), the norm taken over all of an example's values."""
    alpha = ops.reshape(alpha, (-1,) + (1,) * (len(real.shape) - 1))
    x_hat = alpha * real + (1.0 - alpha) * fake
    with tf.GradientTape() as tape:
        tape.watch(x_hat)
        scores = critic(x_hat, training=True)
    grads = tape.gradient(scores, x_hat)
    norms = ops.sqrt(ops.sum(ops.square(ops.reshape(grads, (grads.shape[0], -1))), axis=1))
    return ops.mean(ops.square(norms - 1.0))


def _wrong_penalty(at="interpolates", power=2, sqrt=True, axes="example", one_sided=False, target=1.0):
    """A gradient penalty with one typical mistake in it (see the hints in EXERCISES)."""

    def penalty(critic, real, fake, alpha):
        alpha = ops.reshape(alpha, (-1,) + (1,) * (len(real.shape) - 1))
        x_hat = {"interpolates": alpha * real + (1.0 - alpha) * fake, "flipped": alpha * fake + (1.0 - alpha) * real,
                 "real": ops.convert_to_tensor(real)}[at]
        with tf.GradientTape() as tape:
            tape.watch(x_hat)
            scores = critic(x_hat, training=True)
        grads = tape.gradient(scores, x_hat)
        squares = ops.square(grads)
        if axes == "example":
            sums = ops.sum(ops.reshape(squares, (grads.shape[0], -1)), axis=1)
        elif axes == "batch":
            sums = ops.sum(squares, axis=0)
        else:  # the last axis only
            sums = ops.sum(squares, axis=-1)
        norms = ops.sqrt(sums) if sqrt else sums
        gap = norms - target
        if one_sided:
            gap = ops.maximum(gap, 0.0)
        return ops.mean(ops.abs(gap) if power == 1 else ops.square(gap))

    return penalty


def _penalty_probes() -> list[tuple]:
    rng = np.random.default_rng(9)
    keras.utils.set_random_seed(9)
    linear = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1, use_bias=False)])
    linear.set_weights([np.array([[1.2], [1.6]], "float32")])  # a linear critic with ‖w‖ = 2
    mlp = keras.Sequential([keras.Input((2,)), keras.layers.Dense(8, activation="tanh"), keras.layers.Dense(1)])
    conv = keras.Sequential([keras.Input((5, 5, 2)), keras.layers.Conv2D(3, 3, activation="tanh"),
                             keras.layers.Flatten(), keras.layers.Dense(1)])
    probes = []
    for critic, shape in ((linear, (6, 2)), (mlp, (8, 2)), (conv, (4, 5, 5, 2))):
        real, fake = (rng.normal(0, 1, shape).astype("float32") for _ in range(2))
        probes.append((critic, real, fake, rng.uniform(size=shape[0]).astype("float32")))
    return probes


def clip_weights(model, c):
    """Clip every trainable weight of ``model`` (kernels and biases) into [−c, c], in place."""
    for variable in model.trainable_variables:
        variable.assign(ops.clip(variable, -c, c))


def _clipped(clip, seed: int, c: float) -> np.ndarray:
    """Every weight of a small critic with weights and biases well beyond ±c, after ``clip(model, c)``."""
    rng = np.random.default_rng(seed)
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(4, activation="relu"), keras.layers.Dense(1)])
    model.set_weights([rng.normal(0.0, 3 * c, w.shape).astype("float32") for w in model.get_weights()])
    clip(model, c)
    return np.concatenate([np.ravel(w) for w in model.get_weights()])


def _wrong_clip(mistake: str):
    def clip(model, c):
        for variable in model.trainable_variables:
            if mistake == "kernels" and "bias" in variable.path:
                continue
            value = {"kernels": ops.clip(variable, -c, c), "positive": ops.clip(variable, 0.0, c),
                     "scaled": variable * c / ops.max(ops.abs(variable)), "kept": variable}[mistake]
            variable.assign(value)

    return clip


# -- 07: conditional GANs -------------------------------------------------------------------------


def projection_logit(phi, psi, V, c):
    """The projection discriminator's logit D(x, y) = ψ(φ(x)) + yᵀVφ(x): phi (N, F) features, psi
    (N, 1) the unconditional logit, V (K, F) one row per class, c (N, K) one-hot labels; (N, 1)."""
    return psi + ops.sum(ops.matmul(c, V) * phi, axis=1, keepdims=True)


def _projection_probes() -> list[tuple]:
    rng = np.random.default_rng(10)
    probes = []
    for n, f, k in ((5, 7, 4), (3, 12, 10)):
        c = np.eye(k, dtype="float32")[rng.integers(0, k, n)]
        probes.append((rng.normal(0, 1, (n, f)).astype("float32"), rng.normal(0, 1, (n, 1)).astype("float32"),
                       rng.normal(0, 1, (k, f)).astype("float32"), c))
    return probes


def information_loss(c, q_params):
    """InfoGAN's −E log Q(c | x) for one 10-valued categorical code and two continuous codes: c is
    (N, 12), the one-hot code then the two continuous values; q_params holds Q's ten logits, then
    the means of the continuous codes, each a Gaussian of standard deviation 1."""
    categorical = -ops.sum(c[:, :10] * ops.log_softmax(q_params[:, :10], axis=-1), axis=-1)
    continuous = ops.sum(0.5 * ops.square(c[:, 10:] - q_params[:, 10:]) + 0.5 * np.log(2 * np.pi), axis=-1)
    return ops.mean(categorical + continuous)


def _wrong_information(sign=1.0, constant=True, half=True, parts=("categorical", "continuous"), binary=False, reduce="mean"):
    """InfoGAN's information term with one typical mistake in it (see the hints in EXERCISES)."""

    def loss(c, q):
        total = 0.0
        if "categorical" in parts:
            logits = q[:, :10]
            total += (ops.sum(ops.softplus(logits) - c[:, :10] * logits, axis=-1) if binary
                      else -ops.sum(c[:, :10] * ops.log_softmax(logits, axis=-1), axis=-1))
        if "continuous" in parts:
            square = ops.square(c[:, 10:] - q[:, 10:])
            total += ops.sum((0.5 if half else 1.0) * square + (0.5 * math.log(2 * math.pi) if constant else 0.0), axis=-1)
        return sign * (ops.mean(total) if reduce == "mean" else ops.sum(total))

    return loss


def _information_probes() -> list[tuple]:
    rng = np.random.default_rng(11)
    probes = []
    for n in (6, 9):
        c = np.concatenate([np.eye(10)[rng.integers(0, 10, n)], rng.uniform(-1, 1, (n, 2))], axis=1).astype("float32")
        probes.append((c, rng.normal(0, 1.5, (n, 12)).astype("float32")))
    return probes


CROSS_ENTROPY = ("the cross-entropy against a target t is t·(−log D) + (1 − t)·(−log(1 − D)) = "
                 "t·softplus(−l) + (1 − t)·softplus(l)")

EXERCISES = (
    Exercise(
        "01.discriminator_loss",
        "write discriminator_loss(real_logits, fake_logits) = −mean log D(x) − mean log(1 − D(G(z))), where "
        "D = sigmoid(logit), stable for logits of any size",
        discriminator_loss,
        mistakes=(
            Mistake("the sign is flipped: the discriminator minimises L_D = −E[log D(x)] − E[log(1 − D(G(z)))], "
                    "a sum of two positive terms", lambda r, f: -discriminator_loss(r, f)),
            Mistake("right for small logits, but a confident discriminator (logits of ±200) makes it inf or nan: "
                    "log(sigmoid(l)) takes the log of a number that rounded to 0. " + STABLE,
                    lambda r, f: -ops.mean(ops.log(ops.sigmoid(r))) - ops.mean(ops.log(1.0 - ops.sigmoid(f)))),
            Mistake("use the mean over each batch, not the sum: the loss must not grow with the batch size",
                    lambda r, f: ops.sum(ops.softplus(-r)) + ops.sum(ops.softplus(f))),
            Mistake("real and fake are swapped: real logits should be pushed up (the term −log σ(l) = softplus(−l)), "
                    "fake logits down (−log(1 − σ(l)) = softplus(l))", lambda r, f: discriminator_loss(f, r)),
            Mistake("only the real term: the loss also penalises the fakes that D calls real, −E[log(1 − D(G(z)))]",
                    lambda r, f: ops.mean(ops.softplus(-r))),
        ),
        hints=("L_D has two means, one over the real logits and one over the fake logits.", STABLE,
               "−log σ(l) = softplus(−l) and −log(1 − σ(l)) = softplus(l): the loss is "
               "mean(softplus(−real_logits)) + mean(softplus(fake_logits))."),
        probes=_d_probes,
        nonfinite=STABLE,
        also=_in_a_train_step(_d_probes),
    ),
    Exercise(
        "01.non_saturating_loss",
        "write non_saturating_loss(fake_logits) = −mean log D(G(z)), stable for logits of any size",
        non_saturating_loss,
        mistakes=(
            Mistake("that is the minimax (saturating) loss E[log(1 − D(G(z)))], whose gradient vanishes when D rejects "
                    "the fakes; the non-saturating loss is −E[log D(G(z))]", lambda f: -ops.mean(ops.softplus(f))),
            Mistake("the sign is flipped: the generator minimises −E[log D(G(z))], which is positive",
                    lambda f: -ops.mean(ops.softplus(-f))),
            Mistake("right for small logits, but it is inf when D rejects a fake with a logit of −200: " + STABLE,
                    lambda f: -ops.mean(ops.log(ops.sigmoid(f)))),
            Mistake("use the mean over the batch, not the sum", lambda f: ops.sum(ops.softplus(-f))),
        ),
        hints=("The generator wants D(G(z)) near 1, so it minimises −log D(G(z)), averaged over the batch.", STABLE,
               "−log σ(l) = softplus(−l): the loss is mean(softplus(−fake_logits))."),
        probes=_g_probes,
        nonfinite=STABLE,
        also=_in_a_train_step(_g_probes),
    ),
    Exercise(
        "01.value_at_optimum",
        "predict V(D*, G) when θ = 7, i.e. when the generator's N(θ, 1) equals the data's N(7, 1): a number",
        -math.log(4.0),
        mistakes=(
            Mistake("the sign: V is a sum of logs of probabilities, so it is negative", math.log(4.0)),
            Mistake("½ is D*(x) at θ = 7, the optimal discriminator's output; V(D*, G) is the expected log of it "
                    "plus the expected log of 1 − D*", 0.5),
            Mistake("that counts one of the two expectations: E[log D*(x)] = log ½ and E[log(1 − D*(G(z)))] = log ½",
                    -math.log(2.0)),
        ),
        hints=("When p_g = p_data, D*(x) = p_data / (p_data + p_g) = ½ everywhere.",
               "V(D*, G) = E[log ½] + E[log(1 − ½)] = 2 log ½."),
    ),
    Exercise(
        "02.train_step",
        "write train_step(generator, discriminator, g_optimizer, d_optimizer, real_batches, z_batches, k): k "
        "discriminator updates with tf.GradientTape, then one generator update; return (d_loss, g_loss)",
        train_step,
        mistakes=(
            Mistake("the discriminator's update changed the generator too: in D's step take the gradient of L_D with "
                    "respect to discriminator.trainable_variables only (G is fixed while D learns)",
                    _wrong_step(d_both=True)),
            Mistake("the generator's update changed the discriminator too: apply the generator's gradients to "
                    "generator.trainable_variables only", _wrong_step(g_both=True)),
            Mistake("the discriminator climbed its loss: it must *minimise* L_D (apply the gradient of L_D itself, "
                    "optimizers step downhill)", _wrong_step(d_sign=-1.0)),
            Mistake("only one discriminator update: Algorithm 1 makes k of them, update i on real_batches[i] and "
                    "z_batches[i], before the generator's", _wrong_step(one_d_step=True)),
            Mistake("the generator reused the first noise batch: its update draws fresh noise, z_batches[k]",
                    _wrong_step(g_noise_first=True)),
            Mistake("that is the minimax generator loss; use the non-saturating one, losses.generator_non_saturating, "
                    "as notebook 01 showed", _wrong_step(g_loss=losses.generator_minimax)),
        ),
        hints=("Two tapes: for i in range(k), one tape around D's loss on (real_batches[i], G(z_batches[i])), "
               "then one tape around G's loss on D(G(z_batches[k])).",
               "grads = tape.gradient(loss, model.trainable_variables); "
               "optimizer.apply_gradients(zip(grads, model.trainable_variables)), with model D in its step and G in G's.",
               "D's loss is losses.discriminator_bce(D(real), D(G(z))), G's losses.generator_non_saturating(D(G(z)))."),
        probes=lambda: [(1, 0), (2, 1), (3, 2)],  # (k, seed of the tiny networks and batches)
        apply=_run_step,
        shape_hint="return the step's two losses, (d_loss, g_loss)",
    ),
    Exercise(
        "02.one_sided_smoothing",
        "write smoothed_discriminator_loss(real_logits, fake_logits, smoothing): L_D with the real target "
        "1 − smoothing and the fake target 0",
        smoothed_discriminator_loss,
        mistakes=(
            Mistake("both sides are smoothed: one-sided smoothing leaves the fakes' target at 0 (smoothing them too "
                    "rewards D for calling fakes a little real)",
                    lambda r, f, s: ops.mean((1 - s) * ops.softplus(-r) + s * ops.softplus(r))
                    + ops.mean((1 - s) * ops.softplus(f) + s * ops.softplus(-f))),
            Mistake("multiplying the real term by 1 − smoothing only weakens it; " + CROSS_ENTROPY,
                    lambda r, f, s: ops.mean((1 - s) * ops.softplus(-r)) + ops.mean(ops.softplus(f))),
            Mistake("the fakes got the smoothed target: smooth the real images' target (1 → 1 − smoothing), "
                    "keep the fakes' at 0",
                    lambda r, f, s: ops.mean(ops.softplus(-r)) + ops.mean((1 - s) * ops.softplus(f) + s * ops.softplus(-f))),
            Mistake("the target is the smoothing itself: the real target is 1 − smoothing, not smoothing",
                    lambda r, f, s: ops.mean(s * ops.softplus(-r) + (1 - s) * ops.softplus(r)) + ops.mean(ops.softplus(f))),
        ),
        hints=("Only the real images' target changes, from 1 to t = 1 − smoothing; the fake term stays mean(softplus(fake_logits)).",
               CROSS_ENTROPY + ".",
               "mean(t·softplus(−real) + (1 − t)·softplus(real)) + mean(softplus(fake)), t = 1 − smoothing."),
        probes=_smoothing_probes,
        also=_in_a_train_step(_smoothing_probes),
    ),
    Exercise(
        "03.transposed_side",
        "write transposed_side(n, k, s, p): the side of a transposed convolution's output for n input pixels, "
        "kernel k, stride s and p pixels cropped from each side",
        transposed_side,
        mistakes=(
            Mistake("that is the convolution's formula, which shrinks the image; the transposed convolution runs it "
                    "backwards: count where the stamps of the n pixels reach", lambda n, k, s, p: (n + 2 * p - k) // s + 1),
            Mistake("n·s is right only when k − 2p = s (as for k = 4, s = 2, p = 1): the first stamp starts at 0, the "
                    "last at (n − 1)·s and is k wide; then p is cropped from each side", lambda n, k, s, p: n * s),
            Mistake("the crop is missing: p pixels are removed from *each* side, 2p in all", lambda n, k, s, p: (n - 1) * s + k),
            Mistake("p is cropped from each side, so subtract 2p, not p", lambda n, k, s, p: (n - 1) * s + k - p),
            Mistake("the padding's sign: in a transposed convolution p crops the output (it was the padding of the "
                    "convolution it reverses), so subtract 2p", lambda n, k, s, p: (n - 1) * s + k + 2 * p),
            Mistake("the last of the n stamps starts at (n − 1)·s, not n·s (the first starts at 0)",
                    lambda n, k, s, p: n * s + k - 2 * p),
        ),
        hints=("Input pixel i stamps the kernel at offset i·s. Where does the last stamp (i = n − 1) end?",
               "The stamps cover (n − 1)·s + k pixels; cropping p from each side removes 2p."),
        probes=_side_probes,
        shape_hint="the side is one whole number",
    ),
    Exercise(
        "03.generator_block",
        "write generator_block(x, channels): a 4×4 transposed convolution with stride 2 that doubles the side "
        "(channels filters, no bias), then batch norm, then ReLU; return the block's output tensor",
        generator_block,
        mistakes=(
            Mistake("batch norm is missing: DCGAN normalises every hidden layer of the generator "
                    "(keras.layers.BatchNormalization after the convolution)", _wrong_block(norm=False)),
            Mistake("turn the convolution's bias off (use_bias=False): batch norm subtracts the mean right after it, "
                    "so a bias would only cost parameters", _wrong_block(bias=True)),
            Mistake("LeakyReLU is the discriminator's activation; the generator's hidden layers use ReLU",
                    _wrong_block(act="leaky")),
            Mistake("the order: convolution, then batch norm, then ReLU (batch norm normalises the pre-activations)",
                    _wrong_block(act_first=True)),
            Mistake("kernel 3 with stride 2 stamps unevenly (the checkerboard above): use kernel size 4",
                    _wrong_block(k=3)),
            Mistake("stride 1 keeps the side; the block must double it: strides=2", _wrong_block(s=1)),
            Mistake('padding="valid" gives 2n + 2 pixels; padding="same" gives exactly 2n', _wrong_block(padding="valid")),
            Mistake("Conv2D with stride 2 halves the image, as in the discriminator; the generator upsamples with "
                    "Conv2DTranspose", _wrong_block(kind="Conv2D")),
        ),
        hints=("Three layers applied in turn: keras.layers.Conv2DTranspose, keras.layers.BatchNormalization, "
               "keras.layers.ReLU; each is called on the tensor the one before returned.",
               'Conv2DTranspose(channels, 4, strides=2, padding="same", use_bias=False).'),
        probes=lambda: [((4, 4, 16), 8), ((8, 8, 6), 3)],  # (input shape, channels)
        apply=_block_structure,
        describe=_describe_block,
        shape_hint="return the output tensor of the last layer",
    ),
    Exercise(
        "04.generator_objective",
        "write generator_objective(fake_logits, fake, target, l1_weight): the non-saturating −mean log D(x, G(x)) "
        "over the PatchGAN's logits plus l1_weight times the mean absolute error between target and fake",
        generator_objective,
        mistakes=(
            Mistake("that is L2 (squared error); pix2pix uses L1, the mean of |target − fake|, which blurs less",
                    lambda l, f, t, w: ops.mean(ops.softplus(-l)) + w * ops.mean(ops.square(t - f))),
            Mistake("λ weighs the L1 term, not the adversarial one: L_cGAN + λ·L_L1",
                    lambda l, f, t, w: w * ops.mean(ops.softplus(-l)) + ops.mean(ops.abs(t - f))),
            Mistake("the adversarial term is missing: add the non-saturating −mean log D(x, G(x)) = mean softplus(−logits)",
                    lambda l, f, t, w: w * ops.mean(ops.abs(t - f))),
            Mistake("the L1 term is missing: add λ · mean |target − fake|", lambda l, f, t, w: ops.mean(ops.softplus(-l))),
            Mistake("the absolute value is missing: positive and negative errors cancel; use ops.abs(target − fake)",
                    lambda l, f, t, w: ops.mean(ops.softplus(-l)) + w * ops.mean(t - f)),
            Mistake("that is the minimax generator term mean log(1 − D), which saturates; the trainer uses the "
                    "non-saturating −mean log D = mean softplus(−logits)",
                    lambda l, f, t, w: -ops.mean(ops.softplus(l)) + w * ops.mean(ops.abs(t - f))),
            Mistake("use means, not sums: the loss must not grow with the batch or the image size",
                    lambda l, f, t, w: ops.sum(ops.softplus(-l)) + w * ops.sum(ops.abs(t - f))),
        ),
        hints=("Two terms: the generator's non-saturating loss on the discriminator's logits for the fake pairs, "
               "and λ times the L1 distance to the true colours.",
               "ops.mean(ops.softplus(−fake_logits)) + l1_weight * ops.mean(ops.abs(target − fake))."),
        probes=_objective_probes,
        also=_in_a_train_step(_objective_probes),
    ),
    Exercise(
        "04.l1_optimum",
        'predict which prediction c minimises the L1 loss when half the pixels are red (a* = +40) and half green '
        '(a* = −40): one of "grey", "red", "green", "any value between"',
        "any value between",
        mistakes=(
            Mistake("grey, the mean, is L2's optimum. L1's slope is P(Y < c) − P(Y > c): where between the two colours "
                    "is it zero?", "grey"),
            Mistake("with exactly half the pixels in each colour nothing favours red: L1's slope P(Y < c) − P(Y > c) is "
                    "the same for every c between the two", "red"),
            Mistake("with exactly half the pixels in each colour nothing favours green: L1's slope P(Y < c) − P(Y > c) "
                    "is the same for every c between the two", "green"),
        ),
        hints=("The L1 optimum is a median: half of the probability on each side of c.",
               "For c between −40 and +40, half the pixels lie on each side, so every such c is a median."),
    ),
    Exercise(
        "04.receptive_field",
        "write receptive_field(layers): the side of the input patch that one output unit depends on, for "
        "convolutions given as (kernel, stride) pairs from the input to the output",
        receptive_field,
        mistakes=(
            Mistake("the recursion walks from the output back to the input: apply it to the layers in reverse "
                    "order (reversed(layers)), the last layer first", _forward_field),
            Mistake("r units of a layer's output start at 0, s, …, (r − 1)·s: they span (r − 1)·s + k inputs, not r·s + k",
                    lambda layers: _field(layers, lambda r, k, s: r * s + k)),
            Mistake("the strides are missing: each stride-s layer spreads its r outputs s pixels apart, "
                    "r ← (r − 1)·s + k", lambda layers: _field(layers, lambda r, k, s: r - 1 + k)),
        ),
        hints=("Start with r = 1 (one logit) and go through the layers from the last to the first.",
               "for kernel, stride in reversed(layers): r = (r − 1) * stride + kernel."),
        probes=_field_probes,
        shape_hint="the field's side is one whole number",
    ),
    Exercise(
        "05.slerp",
        "write slerp(a, b, alphas): for each α one row, the direction turned from a/|a| towards b/|b| by the "
        "fraction α of the angle Ω between them, times the length (1 − α)|a| + α|b|",
        slerp,
        mistakes=(
            Mistake("that is the straight line (lerp), whose middle leaves the shell: turn the direction along the "
                    "great circle instead", lambda a, b, t: (1 - t[:, None]) * a + t[:, None] * b),
            Mistake("the formula mixes the raw vectors: for vectors of different lengths it does not give the length "
                    "(1 − α)|a| + α|b|; mix the unit vectors a/|a| and b/|b|, then scale",
                    lambda a, b, t: (np.sin((1 - t[:, None]) * _angle(a, b)) * a + np.sin(t[:, None] * _angle(a, b)) * b)
                    / np.sin(_angle(a, b))),
            Mistake("every point has length 1: multiply the unit direction by the length (1 − α)|a| + α|b|",
                    lambda a, b, t: slerp(a / np.linalg.norm(a), b / np.linalg.norm(b), t)),
            Mistake("the path runs backwards: at α = 0 it must be a, so sin((1 − α)Ω) goes with a and sin(αΩ) with b",
                    lambda a, b, t: slerp(b, a, t)),
        ),
        hints=("Ω = arccos(â · b̂) with â = a/|a| and b̂ = b/|b|; turn alphas into a column (alphas[:, None]) so that "
               "each α gives one row.",
               "direction = (sin((1 − α)Ω)·â + sin(αΩ)·b̂) / sin Ω; the result is direction · ((1 − α)|a| + α|b|)."),
        probes=_slerp_probes,
        nonfinite="arccos of a number a hair above 1 is nan: clip the cosine to [−1, 1] (np.clip), and take it between "
                  "the unit vectors",
        shape_hint="one row per α: turn alphas into a column with alphas[:, None]",
    ),
    Exercise(
        "05.arithmetic",
        "write arithmetic(plus_a, minus_a, plus_b): each argument holds one latent vector per row (three faces of "
        "one concept); return mean(plus_a) − mean(minus_a) + mean(plus_b), one latent vector",
        arithmetic,
        mistakes=(
            Mistake("average the three vectors of each concept, don't add them: a sum of three is √3 times as long as "
                    "a sample and lands off the shell", lambda p, m, q: p.sum(0) - m.sum(0) + q.sum(0)),
            Mistake("the signs: add the concept you want (smiling, A), subtract what it shares with the one you start "
                    "from (neutral, A), add the target (neutral, B)", lambda p, m, q: m.mean(0) - p.mean(0) + q.mean(0)),
            Mistake("only one face per concept: use all three rows of each (the paper averaged three because single "
                    "vectors were unstable)", lambda p, m, q: p[0] - m[0] + q[0]),
        ),
        hints=("Each argument has shape (3, d): the concept vector is its mean over axis 0.",
               "plus_a.mean(axis=0) − minus_a.mean(axis=0) + plus_b.mean(axis=0)."),
        probes=_arithmetic_probes,
        shape_hint="one latent vector of d numbers: average over the faces (axis 0), not over the d coordinates",
    ),
    Exercise(
        "05.truncate",
        "write truncate(u, psi): map uniform numbers u in (0, 1) to standard normal numbers conditioned on "
        "|z| ≤ psi, through the normal distribution function Φ (stats.norm.cdf) and its inverse (stats.norm.ppf)",
        truncate,
        mistakes=(
            Mistake("clipping piles every cut-off number onto ±ψ; truncation draws them again, so they spread over "
                    "[−ψ, ψ] in the normal's shape: spread u over [Φ(−ψ), Φ(ψ)] before Φ⁻¹",
                    lambda u, psi: np.clip(stats.norm.ppf(u), -psi, psi)),
            Mistake("that is uniform on [−ψ, ψ]; inside the interval the numbers keep the normal's bell shape: map u "
                    "through Φ⁻¹", lambda u, psi: -psi + 2 * psi * u if np.isfinite(psi) else stats.norm.ppf(u)),
            Mistake("u must be spread over [Φ(−ψ), Φ(ψ)], not [0, Φ(ψ)]: start at Φ(−ψ)",
                    lambda u, psi: stats.norm.ppf(u * stats.norm.cdf(psi))),
        ),
        hints=("Φ maps a standard normal number to a uniform one; |z| ≤ ψ exactly when Φ(z) lies in [Φ(−ψ), Φ(ψ)].",
               "z = Φ⁻¹(Φ(−ψ) + u·(Φ(ψ) − Φ(−ψ))): stats.norm.ppf(low + u * (high - low))."),
        probes=_truncate_probes,
        shape_hint="one number per u: apply the map elementwise",
    ),
    Exercise(
        "06.transport_constraints",
        "write transport_constraints(a, b) -> (A_eq, b_eq): the equality constraints A_eq @ P.ravel() == b_eq "
        "saying that row i of the n×m plan P sums to a[i] and column j to b[j] (P flattened row by row)",
        theory.transport_constraints,
        mistakes=(
            Mistake("only the piles' constraints: then every pile sends its mass to its nearest hole, however much "
                    "that hole takes, and W₁ comes out too small. Add one row per hole: Σ_i P_ij = b_j", _rows_only),
            Mistake("only the holes' constraints: then every hole takes its mass from its nearest pile, however much "
                    "that pile has, and W₁ comes out too small. Add one row per pile: Σ_j P_ij = a_i", _columns_only),
        ),
        hints=("P.ravel() puts P[i, j] at position i·m + j. A_eq has n + m rows: row i has ones at positions "
               "i·m … i·m + m − 1, row n + j has ones at positions j, m + j, 2m + j, …",
               "A_eq = np.vstack([np.kron(np.eye(n), np.ones((1, m))), np.kron(np.ones((1, n)), np.eye(m))]), "
               "b_eq = np.concatenate([a, b])."),
        probes=_transport_probes,
        apply=_transport_value,
        nonfinite="no transport plan satisfies your constraints: row i must sum P[i, j] over j and equal a[i], row "
                  "n + j must sum P[i, j] over i and equal b[j]",
        shape_hint="W₁ is one number",
    ),
    Exercise(
        "06.gradient_penalty",
        "write gradient_penalty(critic, real, fake, alpha): the mean over the interpolates x̂ = α·real + (1 − α)·fake "
        "of (‖∇_x̂ critic(x̂)‖₂ − 1)², one α per example and the norm over all of an example's values",
        gradient_penalty,
        mistakes=(
            Mistake("that penalises ‖g‖², pulling the gradient towards 0; WGAN-GP pulls its norm towards 1: "
                    "(‖g‖ − 1)²", _wrong_penalty(sqrt=False, target=0.0)),
            Mistake("‖g‖ is the square root of the sum of squares: take ops.sqrt before subtracting 1",
                    _wrong_penalty(sqrt=False)),
            Mistake("square the gap: the penalty is (‖g‖ − 1)², not |‖g‖ − 1|", _wrong_penalty(power=1)),
            Mistake("that is the one-sided penalty max(0, ‖g‖ − 1)², which the paper mentions as an alternative; "
                    "WGAN-GP uses the two-sided (‖g‖ − 1)²", _wrong_penalty(one_sided=True)),
            Mistake("the gradient was taken at the real samples; WGAN-GP takes it at random points between real and "
                    "fake, x̂ = α·real + (1 − α)·fake", _wrong_penalty(at="real")),
            Mistake("real and fake are swapped in the interpolation: x̂ = α·real + (1 − α)·fake, as in the paper",
                    _wrong_penalty(at="flipped")),
            Mistake("the norm was taken over the batch axis: each example has its own gradient norm, summed over "
                    "that example's values (axis 1 and beyond), then averaged over the batch", _wrong_penalty(axes="batch")),
            Mistake("for images the norm runs over all of an example's values, not only the last axis: reshape the "
                    "gradients to (N, −1) and sum over axis 1", _wrong_penalty(axes="last")),
        ),
        hints=("Reshape alpha to (N, 1, …) so it broadcasts against real; x̂ = alpha·real + (1 − alpha)·fake. "
               "Watch x̂ on a tf.GradientTape, score it, take tape.gradient(scores, x_hat).",
               "norms = ops.sqrt(ops.sum(ops.square(ops.reshape(grads, (N, -1))), axis=1)); "
               "return ops.mean(ops.square(norms - 1))."),
        probes=_penalty_probes,
        error_hints=(("(None)", "tape.gradient gave None: a tape follows variables on its own, but x̂ is a plain "
                                "tensor; call tape.watch(x_hat) inside the tape before scoring it"),),
        shape_hint="the penalty is one number: average over the batch",
    ),
    Exercise(
        "06.clip_weights",
        "write clip_weights(model, c): clip every trainable weight of the critic, kernels and biases, into [−c, c], "
        "in place (variable.assign)",
        clip_weights,
        mistakes=(
            Mistake("the weights did not change: ops.clip returns a new tensor; write it back with "
                    "variable.assign(...)", _wrong_clip("kept")),
            Mistake("the range is [−c, c]: negative weights stay negative (down to −c)", _wrong_clip("positive")),
            Mistake("that rescales every weight; clipping caps each weight at ±c and leaves the small ones alone",
                    _wrong_clip("scaled")),
            Mistake("the biases were left out: WGAN clips every parameter of the critic (model.trainable_variables)",
                    _wrong_clip("kernels")),
        ),
        hints=("for variable in model.trainable_variables: ...",
               "variable.assign(ops.clip(variable, -c, c))."),
        probes=lambda: [(0, 0.01), (1, 0.5)],  # (seed of the small critic's weights, c)
        apply=_clipped,
        shape_hint="clip the weights in place; the function need not return anything",
    ),
    Exercise(
        "07.projection_logit",
        "write projection_logit(phi, psi, V, c): ψ(φ(x)) + yᵀVφ(x) for a batch, with phi (N, F), psi (N, 1), "
        "V (K, F) and one-hot c (N, K); one logit per example, shape (N, 1)",
        projection_logit,
        mistakes=(
            Mistake("the unconditional term is missing: the logit is ψ(φ(x)) plus the label's term yᵀVφ(x)",
                    lambda phi, psi, V, c: ops.sum(ops.matmul(c, V) * phi, axis=1, keepdims=True)),
            Mistake("the label's term is missing: add the inner product of the label's row of V with φ(x), yᵀVφ(x)",
                    lambda phi, psi, V, c: psi),
            Mistake("the label's row of V must meet the features: yᵀVφ(x) is the inner product of (cV)_i with φ(x)_i, "
                    "not a sum of V's entries", lambda phi, psi, V, c: psi + ops.sum(ops.matmul(c, V), axis=1, keepdims=True)),
        ),
        hints=("c @ V picks each example's row v_y of V (shape (N, F)); its inner product with φ(x) is a sum over "
               "axis 1 of the elementwise product.",
               "psi + ops.sum(ops.matmul(c, V) * phi, axis=1, keepdims=True)."),
        probes=_projection_probes,
        shape_hint="one logit per example: keep the shape (N, 1) of psi (ops.sum(..., axis=1, keepdims=True))",
    ),
    Exercise(
        "07.information_loss",
        "write information_loss(c, q_params): −mean log Q(c | x) for a 10-valued categorical code (softmax of Q's "
        "first ten logits) and two continuous codes (Gaussians of standard deviation 1 around Q's last two outputs)",
        information_loss,
        mistakes=(
            Mistake("the sign: the loss is −E log Q(c | x), a cross-entropy (positive); minimising it raises the bound",
                    _wrong_information(sign=-1.0)),
            Mistake("−log N(c; μ, 1) = ½(c − μ)² + ½ log 2π: the constant ½ log 2π per continuous code is missing (it "
                    "does not change the gradient, but without it the number is not −log Q)", _wrong_information(constant=False)),
            Mistake("−log N(c; μ, 1) = ½(c − μ)² + ½ log 2π: halve the square", _wrong_information(half=False)),
            Mistake("the continuous codes are missing: add ½(c_j − μ_j)² + ½ log 2π for each of the two",
                    _wrong_information(parts=("categorical",))),
            Mistake("the categorical code is missing: add −Σ_k c_k log softmax(q)_k over the first ten values",
                    _wrong_information(parts=("continuous",))),
            Mistake("the categorical code has one value out of ten: a softmax cross-entropy (ops.log_softmax), not ten "
                    "independent sigmoids", _wrong_information(binary=True)),
            Mistake("use the mean over the batch, not the sum", _wrong_information(reduce="sum")),
        ),
        hints=("Two parts per example: −Σ_k c_k · log_softmax(q[:, :10])_k, and for each continuous code "
               "½(c_j − q_j)² + ½ log 2π; then the mean over the batch.",
               "ops.mean(−ops.sum(c[:, :10] * ops.log_softmax(q[:, :10], axis=-1), axis=-1) + "
               "ops.sum(0.5 * ops.square(c[:, 10:] − q[:, 10:]) + 0.5 * math.log(2π), axis=-1))."),
        probes=_information_probes,
    ),
)
