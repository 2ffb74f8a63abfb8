"""Every loss against its docstring formula on hand-computed numbers."""

import math

import numpy as np
import pytest
import tensorflow as tf

from workshop_utils import losses

REAL = np.array([2.0, -1.0], np.float32)  # logits on real data
FAKE = np.array([0.0, 3.0], np.float32)  # logits on generated data


def sig(x):
    return 1.0 / (1.0 + math.exp(-x))


def test_discriminator_bce_is_minus_value_function():
    # V = mean log D(x) + mean log(1 - D(G(z)))
    v = np.mean([math.log(sig(2.0)), math.log(sig(-1.0))]) + np.mean([math.log(1 - sig(0.0)), math.log(1 - sig(3.0))])
    assert float(losses.discriminator_bce(REAL, FAKE)) == pytest.approx(-v, rel=1e-6)


def test_discriminator_bce_one_sided_label_smoothing():
    t = 0.9
    real_term = np.mean([-(t * math.log(sig(r)) + (1 - t) * math.log(1 - sig(r))) for r in (2.0, -1.0)])
    fake_term = np.mean([-math.log(1 - sig(f)) for f in (0.0, 3.0)])  # fake targets stay 0
    assert float(losses.discriminator_bce(REAL, FAKE, label_smoothing=0.1)) == pytest.approx(real_term + fake_term, rel=1e-6)


def test_nash_equilibrium_value():
    # D = 1/2 everywhere (logit 0): the discriminator loss is log 4.
    zeros = np.zeros(4, np.float32)
    assert float(losses.discriminator_bce(zeros, zeros)) == pytest.approx(math.log(4.0), rel=1e-6)


def test_generator_minimax():
    expected = np.mean([math.log(1 - sig(0.0)), math.log(1 - sig(3.0))])
    assert float(losses.generator_minimax(FAKE)) == pytest.approx(expected, rel=1e-6)


def test_generator_non_saturating():
    expected = -np.mean([math.log(sig(0.0)), math.log(sig(3.0))])
    assert float(losses.generator_non_saturating(FAKE)) == pytest.approx(expected, rel=1e-6)


def test_generator_maximum_likelihood():
    # -E[exp(σ⁻¹(D(G(z))))] with σ⁻¹(D) = logit
    expected = -np.mean([math.exp(0.0), math.exp(3.0)])
    assert float(losses.generator_maximum_likelihood(FAKE)) == pytest.approx(expected, rel=1e-6)


def test_least_squares_abc_coding():
    a, b, c = -1.0, 1.0, 0.0
    d = 0.5 * np.mean([(2 - b) ** 2, (-1 - b) ** 2]) + 0.5 * np.mean([(0 - a) ** 2, (3 - a) ** 2])
    assert float(losses.discriminator_least_squares(REAL, FAKE, a=a, b=b)) == pytest.approx(d)
    assert float(losses.generator_least_squares(FAKE, c=c)) == pytest.approx(0.5 * np.mean([0.0, 9.0]))
    # defaults a=0, b=1, c=1
    assert float(losses.discriminator_least_squares(REAL, FAKE)) == pytest.approx(0.5 * 2.5 + 0.5 * 4.5)
    assert float(losses.generator_least_squares(FAKE)) == pytest.approx(0.5 * np.mean([1.0, 4.0]))


def test_hinge():
    d = np.mean([max(0, 1 - 2), max(0, 1 + 1)]) + np.mean([max(0, 1 + 0), max(0, 1 + 3)])
    assert float(losses.discriminator_hinge(REAL, FAKE)) == pytest.approx(d)
    assert float(losses.generator_hinge(FAKE)) == pytest.approx(-1.5)


def test_wasserstein():
    assert float(losses.critic_wasserstein(REAL, FAKE)) == pytest.approx(1.5 - 0.5)
    assert float(losses.generator_wasserstein(FAKE)) == pytest.approx(-1.5)


def test_gradient_penalty_of_linear_critic():
    # f(x) = w·x has gradient w everywhere: GP = (|w| - 1)^2 whatever the interpolates.
    w = tf.constant([[3.0], [4.0]])  # |w| = 5

    def critic(x, training=False):
        return tf.matmul(x, w)

    real = tf.random.normal([8, 2], seed=1)
    fake = tf.random.normal([8, 2], seed=2)
    alpha = tf.random.uniform([8], seed=3)
    assert float(losses.gradient_penalty(critic, real, fake, alpha)) == pytest.approx(16.0, rel=1e-5)


def test_gradient_penalty_interpolates_images():
    # f(x) = sum(x²)/2 has gradient x̂; with real = 1, fake = 0 and alpha = a, |x̂| = a·sqrt(D).
    def critic(x, training=False):
        return 0.5 * tf.reduce_sum(tf.square(x), axis=[1, 2, 3])

    real, fake = tf.ones([2, 2, 2, 1]), tf.zeros([2, 2, 2, 1])
    alpha = tf.constant([0.25, 0.5])
    expected = np.mean([(0.25 * 2 - 1) ** 2, (0.5 * 2 - 1) ** 2])
    assert float(losses.gradient_penalty(critic, real, fake, alpha)) == pytest.approx(expected, rel=1e-5)


def test_losses_are_stable_for_extreme_logits():
    big = np.array([80.0, -80.0], np.float32)
    for value in (losses.discriminator_bce(big, -big), losses.generator_minimax(big), losses.generator_non_saturating(big)):
        assert np.isfinite(float(value))


def test_registry():
    assert set(losses.LOSSES) == {"minimax", "non-saturating", "maximum-likelihood", "lsgan", "hinge", "wgan", "wgan-gp"}
    assert losses.get("wgan-gp").gradient_penalty
    with pytest.raises(ValueError, match="unknown loss 'bogus'"):
        losses.get("bogus")


def test_acgan_class_term_by_hand():
    """Example 1: two equal logits, p = ½ → ln 2; example 2: logits (ln 3, 0) for label 2, p = ¼ → ln 4."""
    c = np.array([[1.0, 0.0], [0.0, 1.0]], np.float32)
    logits = np.array([[0.0, 0.0], [np.log(3.0), 0.0]], np.float32)
    assert float(losses.class_cross_entropy(c, logits)) == pytest.approx(1.5 * np.log(2.0), rel=1e-6)


def test_infogan_bound_by_hand():
    """Cat(2) with equal logits costs ln 2; a continuous code 0.5 under Q = N(0, 1) costs
    ½·0.5² + ½ ln 2π; the batch mean of two such examples is the same."""
    c = np.array([[1.0, 0.0, 0.5], [0.0, 1.0, -0.5]], np.float32)
    q = np.zeros((2, 3), np.float32)
    expected = np.log(2.0) + 0.125 + 0.5 * np.log(2 * np.pi)
    assert float(losses.information_cross_entropy(c, q, (2,), 1)) == pytest.approx(expected, rel=1e-6)
    sure = np.array([[20.0, -20.0, 0.5], [-20.0, 20.0, -0.5]], np.float32)  # Q reads every code back exactly
    assert float(losses.information_cross_entropy(c, sure, (2,), 1)) == pytest.approx(0.5 * np.log(2 * np.pi), abs=1e-6)
