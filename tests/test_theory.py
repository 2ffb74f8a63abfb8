"""The optimal-discriminator identities of the GAN paper, checked by quadrature."""

import math

import numpy as np
import pytest
from scipy import special

from workshop_utils import theory


def test_best_response_is_the_argmax():
    ys = np.linspace(1e-4, 1 - 1e-4, 200001)
    for a, b in [(1.0, 1.0), (0.3, 2.0), (5.0, 0.1)]:
        numeric = ys[np.argmax(a * np.log(ys) + b * np.log(1 - ys))]
        assert numeric == pytest.approx(theory.best_response(a, b), abs=1e-4)


@pytest.mark.parametrize("theta", [0.0, 4.0, 6.5, 9.0])
def test_optimal_discriminator_is_logistic_for_equal_variance_gaussians(theta):
    xs = np.linspace(-3, 12, 50)
    d_star = theory.optimal_discriminator(theory.gaussian_pdf(7.0), theory.gaussian_pdf(theta))(xs)
    np.testing.assert_allclose(d_star, special.expit(theory.gaussian_optimal_logit(xs, 7.0, theta)), rtol=1e-9)


def test_equilibrium_half_and_minus_log_four():
    p = theory.gaussian_pdf(7.0)
    d_star = theory.optimal_discriminator(p, p)
    np.testing.assert_allclose(d_star(np.linspace(0, 14, 29)), 0.5)
    assert theory.value(p, p, d_star) == pytest.approx(-math.log(4.0), abs=1e-8)
    assert theory.toy_value_at_optimum(7.0) == pytest.approx(-math.log(4.0), abs=1e-8)


@pytest.mark.parametrize("theta", [0.0, 3.0, 6.0, 6.9])
def test_value_at_optimum_is_twice_js_minus_log_four(theta):
    js = theory.js_divergence(theory.gaussian_pdf(7.0), theory.gaussian_pdf(theta))
    assert 0.0 < js <= math.log(2.0) + 1e-12
    assert theory.toy_value_at_optimum(theta) == pytest.approx(2 * js - math.log(4.0), abs=1e-7)


def test_generator_gradients():
    g = theory.generator_gradients(np.array([1e-3, 0.5, 0.999]))
    np.testing.assert_allclose(g["minimax"], [-1e-3, -0.5, -0.999])
    np.testing.assert_allclose(g["non-saturating"], [-0.999, -0.5, -1e-3])
