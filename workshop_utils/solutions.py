"""The exercises of the notebooks with their reference answers, test inputs and catalogued
mistakes (read by :mod:`workshop_utils.exercises`; the notebooks never print this file).

Each reference is written as the notebook's later cells use it (``keras.ops``, so a loss can go
into a ``tf.function`` train step). Each mistake is a wrong answer written out, so a student's
answer is recognised by giving the same results as one, and the tests can hand each one to the
checker and expect its hint.
"""

from __future__ import annotations

import math

import numpy as np
from keras import ops

from .exercises import Exercise, Mistake

STABLE = ("compute log D and log(1 − D) from the logit with softplus: log σ(l) = −softplus(−l) and "
          "log(1 − σ(l)) = −softplus(l) (keras.ops.softplus), which never take the log of a number that rounded to 0")


def _logits(*sizes: int, seed: int = 0) -> tuple:
    rng = np.random.default_rng(seed)
    return tuple(rng.normal(0.0, 2.0, n).astype("float32") for n in sizes)


def _large(values) -> np.ndarray:
    return np.asarray(values, "float32")


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
)
