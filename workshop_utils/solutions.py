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

from . import exercises, losses
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
)
