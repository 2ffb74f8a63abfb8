"""GAN losses. Every function takes the discriminator's raw outputs (*logits* ``l``, with
``D = σ(l)``) and returns a scalar to *minimise*.

The identities used to stay numerically stable (never ``log(sigmoid(l))`` by hand)::

    log D       = log σ(l)     = -softplus(-l)
    log (1 - D) = log σ(-l)    = -softplus(l)
    σ⁻¹(D)      = l

Pairs for training are looked up by name with :func:`get` (see :data:`LOSSES`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import tensorflow as tf
from keras import ops

from . import errors


def discriminator_bce(real_logits, fake_logits, label_smoothing: float = 0.0):
    r"""Binary cross-entropy of the discriminator, real → 1, fake → 0:

    .. math:: L_D = -\mathbb{E}_x[t\log D(x) + (1-t)\log(1-D(x))] - \mathbb{E}_z[\log(1 - D(G(z)))]

    with target ``t = 1 - label_smoothing`` for real samples only (*one-sided* label smoothing;
    fake targets stay 0). Minimising it maximises V(D, G) over D.
    """
    real_target = 1.0 - label_smoothing
    real_term = ops.softplus(-real_logits) * real_target + ops.softplus(real_logits) * (1.0 - real_target)
    return ops.mean(real_term) + ops.mean(ops.softplus(fake_logits))


def generator_minimax(fake_logits):
    r"""The original (saturating) generator loss: G minimises V directly,

    .. math:: L_G = \mathbb{E}_z[\log(1 - D(G(z)))] = -\mathbb{E}[\mathrm{softplus}(l)]

    Its gradient vanishes when D confidently rejects the fakes (D(G(z)) → 0).
    """
    return -ops.mean(ops.softplus(fake_logits))


def generator_non_saturating(fake_logits):
    r"""The non-saturating generator loss from the GAN paper:

    .. math:: L_G = -\mathbb{E}_z[\log D(G(z))] = \mathbb{E}[\mathrm{softplus}(-l)]

    Same fixed point as minimax, strong gradients exactly when D rejects the fakes.
    """
    return ops.mean(ops.softplus(-fake_logits))


def generator_maximum_likelihood(fake_logits):
    r"""The "maximum-likelihood game" generator loss (Goodfellow, 2014):

    .. math:: L_G = -\mathbb{E}_z[\exp(\sigma^{-1}(D(G(z))))] = -\mathbb{E}[e^{l}]

    With an optimal D, e^{l} = p_data/p_g, so its expected gradient is that of KL(p_data‖p_g).
    """
    return -ops.mean(ops.exp(fake_logits))


def discriminator_least_squares(real_logits, fake_logits, a: float = 0.0, b: float = 1.0):
    r"""LSGAN discriminator (Mao et al.) with the a–b–c coding (fake → a, real → b):

    .. math:: L_D = \tfrac12\mathbb{E}_x[(D(x) - b)^2] + \tfrac12\mathbb{E}_z[(D(G(z)) - a)^2]

    ``D`` here is the raw output (no sigmoid).
    """
    return 0.5 * ops.mean(ops.square(real_logits - b)) + 0.5 * ops.mean(ops.square(fake_logits - a))


def generator_least_squares(fake_logits, c: float = 1.0):
    r"""LSGAN generator: :math:`L_G = \tfrac12\mathbb{E}_z[(D(G(z)) - c)^2]` (c is the value G wants
    D to believe for fakes; a=0, b=1, c=1 is the common choice, a=-1, b=1, c=0 the paper's other)."""
    return 0.5 * ops.mean(ops.square(fake_logits - c))


def discriminator_hinge(real_logits, fake_logits):
    r"""Hinge discriminator loss: :math:`L_D = \mathbb{E}[\max(0, 1 - D(x))] + \mathbb{E}[\max(0, 1 + D(G(z)))]`."""
    return ops.mean(ops.relu(1.0 - real_logits)) + ops.mean(ops.relu(1.0 + fake_logits))


def generator_hinge(fake_logits):
    r"""Hinge generator loss: :math:`L_G = -\mathbb{E}_z[D(G(z))]`."""
    return -ops.mean(fake_logits)


def critic_wasserstein(real_logits, fake_logits):
    r"""Wasserstein critic loss: :math:`L_C = \mathbb{E}_z[f(G(z))] - \mathbb{E}_x[f(x)]`.

    Minimising it maximises :math:`\mathbb{E}[f(x)] - \mathbb{E}[f(G(z))]`, which for a 1-Lipschitz
    ``f`` is a lower bound on (and at the optimum equals) the Wasserstein-1 distance.
    """
    return ops.mean(fake_logits) - ops.mean(real_logits)


def generator_wasserstein(fake_logits):
    r"""Wasserstein generator loss: :math:`L_G = -\mathbb{E}_z[f(G(z))]`."""
    return -ops.mean(fake_logits)


def gradient_penalty(critic: Callable, real, fake, alpha):
    r"""WGAN-GP penalty (Gulrajani et al.) on random interpolates :math:`\hat x = \alpha x + (1-\alpha)\tilde x`:

    .. math:: GP = \mathbb{E}_{\hat x}\big[(\lVert\nabla_{\hat x} f(\hat x)\rVert_2 - 1)^2\big]

    ``alpha`` is uniform in [0, 1], one value per example (shape [N] or broadcastable to ``real``).
    The caller multiplies by λ (10 in the paper).
    """
    real = tf.convert_to_tensor(real)
    alpha = tf.reshape(tf.cast(alpha, real.dtype), [-1] + [1] * (real.shape.rank - 1))
    interpolates = alpha * real + (1.0 - alpha) * tf.cast(fake, real.dtype)
    with tf.GradientTape() as tape:
        tape.watch(interpolates)
        scores = critic(interpolates, training=True)
    grads = tape.gradient(scores, interpolates)
    norms = tf.sqrt(tf.reduce_sum(tf.square(tf.reshape(grads, [tf.shape(grads)[0], -1])), axis=1) + 1e-12)
    return tf.reduce_mean(tf.square(norms - 1.0))


def class_cross_entropy(c, class_logits):
    r"""ACGAN's class term (Odena et al. 2017) as a loss: the softmax cross-entropy of the labels
    ``c`` (one-hot, N×K) under the auxiliary classifier's logits, :math:`-\mathbb{E}[\log P(C = c \mid x)]`.
    Both players minimise it: D on real and fake images, G on its fakes."""
    c = ops.cast(c, class_logits.dtype)
    return ops.mean(-ops.sum(c * ops.log_softmax(class_logits, axis=-1), axis=-1))


def information_cross_entropy(c, q_params, categories: tuple[int, ...], continuous: int):
    r"""InfoGAN's variational bound (Chen et al. 2016) as a loss: the cross-entropy
    :math:`-\mathbb{E}_{c, x \sim G(z, c)}[\log Q(c \mid x)]` of the codes ``c`` that made each fake.

    ``c`` is one one-hot block per categorical code, then the ``continuous`` codes; ``q_params``
    holds Q's logits for each categorical block, then the means of the continuous codes, whose
    Q is a Gaussian of fixed standard deviation 1 (as in the paper's code), so each contributes
    :math:`\tfrac12 (c_j - \mu_j)^2 + \tfrac12 \log 2\pi`. The bound is
    :math:`I(c; G(z, c)) \ge H(c) - L`, so minimising ``L`` raises it; both G and Q minimise it.
    """
    c = ops.cast(c, q_params.dtype)
    total, at = 0.0, 0
    for k in categories:
        block = c[:, at : at + k]
        total += -ops.sum(block * ops.log_softmax(q_params[:, at : at + k], axis=-1), axis=-1)
        at += k
    if continuous:
        total += ops.sum(0.5 * ops.square(c[:, at:] - q_params[:, at:]) + 0.5 * math.log(2 * math.pi), axis=-1)
    return ops.mean(total)


@dataclass(frozen=True)
class GANLoss:
    """A named (discriminator, generator) loss pair.

    ``probabilities`` says whether σ(logit) is a probability (so D(x), D(G(z)) can be reported);
    ``gradient_penalty`` says whether training adds λ·GP to the critic loss.
    """

    name: str
    discriminator: Callable
    generator: Callable
    probabilities: bool = True
    gradient_penalty: bool = False


LOSSES: dict[str, GANLoss] = {
    loss.name: loss
    for loss in (
        GANLoss("minimax", discriminator_bce, generator_minimax),
        GANLoss("non-saturating", discriminator_bce, generator_non_saturating),
        GANLoss("maximum-likelihood", discriminator_bce, generator_maximum_likelihood),
        GANLoss("lsgan", discriminator_least_squares, generator_least_squares, probabilities=False),
        GANLoss("hinge", discriminator_hinge, generator_hinge, probabilities=False),
        GANLoss("wgan", critic_wasserstein, generator_wasserstein, probabilities=False),
        GANLoss("wgan-gp", critic_wasserstein, generator_wasserstein, probabilities=False, gradient_penalty=True),
    )
}


def get(name: str | GANLoss) -> GANLoss:
    """The loss pair called ``name`` (one of :data:`LOSSES`); a :class:`GANLoss` of your own, e.g.
    one built from losses written in an exercise, is returned as it is."""
    if isinstance(name, GANLoss):
        return name
    try:
        return LOSSES[name]
    except KeyError:
        raise errors.UserValueError(f"unknown loss {name!r}; choose one of: {', '.join(LOSSES)}") from None
