"""Closed-form GAN theory for 1-D densities, checked numerically in notebook 01 and the tests.

For densities p_data and p_g:

* the optimal discriminator is D*(x) = p_data(x) / (p_data(x) + p_g(x));
* the value of the game at D* is C(G) = V(D*, G) = 2·JS(p_data ‖ p_g) − log 4;
* for two unit-variance Gaussians N(μ, 1) (data) and N(θ, 1) (generator), D* is exactly logistic:
  D*(x) = σ((μ − θ)·x + (θ² − μ²)/2).
"""

from __future__ import annotations

from typing import Callable

import numpy as np
from scipy import integrate, special, stats

from . import errors

Density = Callable[[np.ndarray], np.ndarray]


def optimal_discriminator(p_data: Density, p_g: Density) -> Density:
    """D*(x) = p_data / (p_data + p_g)."""

    def d_star(x):
        a, b = p_data(x), p_g(x)
        return a / (a + b)

    return d_star


def gaussian_optimal_logit(x, mu: float = 7.0, theta: float = 0.0):
    """The logit of D* for data N(mu, 1) against generator N(theta, 1): linear in x."""
    return (mu - theta) * np.asarray(x, np.float64) + (theta**2 - mu**2) / 2.0


def best_response(a: float, b: float) -> float:
    """argmax over y in (0, 1) of a·log y + b·log(1 − y), which is a / (a + b)."""
    return a / (a + b)


def _integrate(f: Callable[[float], float], lo: float, hi: float) -> float:
    return integrate.quad(f, lo, hi, limit=400, epsabs=1e-11, epsrel=1e-10)[0]


def value(p_data: Density, p_g: Density, d: Density, lo: float = -30.0, hi: float = 40.0) -> float:
    """V(D, G) = ∫ p_data log D + p_g log(1 − D) dx, by quadrature on [lo, hi]."""

    def integrand(x):
        dx = float(np.clip(d(x), 1e-300, 1 - 1e-16))
        return float(p_data(x) * np.log(dx) + p_g(x) * np.log1p(-dx))

    return _integrate(integrand, lo, hi)


def js_divergence(p: Density, q: Density, lo: float = -30.0, hi: float = 40.0) -> float:
    """JS(p ‖ q) = ½ KL(p ‖ m) + ½ KL(q ‖ m), m = (p + q)/2, in nats, by quadrature."""

    def kl_to_mixture(f, g):
        def integrand(x):
            fx, gx = float(f(x)), float(g(x))
            return 0.0 if fx == 0.0 else fx * (np.log(fx) - np.log(0.5 * (fx + gx)))

        return _integrate(integrand, lo, hi)

    return 0.5 * kl_to_mixture(p, q) + 0.5 * kl_to_mixture(q, p)


def gaussian_pdf(mu: float, std: float = 1.0) -> Density:
    return lambda x: stats.norm.pdf(x, mu, std)


def toy_value_at_optimum(theta: float, mu: float = 7.0) -> float:
    """C(θ) = V(D*, G_θ) for the lecture toy, by quadrature."""
    pd, pg = gaussian_pdf(mu), gaussian_pdf(theta)
    return value(pd, pg, lambda x: special.expit(gaussian_optimal_logit(x, mu, theta)))


def generator_gradients(d_of_g: np.ndarray) -> dict[str, np.ndarray]:
    """d(loss)/d(logit) at D(G(z)) = σ(l) for the two classic generator losses.

    minimax  log(1 − D):  d/dl = −D        → vanishes as D → 0 (D confidently rejects fakes)
    non-saturating −log D: d/dl = −(1 − D) → largest exactly there
    """
    d = np.asarray(d_of_g, np.float64)
    return {"minimax": -d, "non-saturating": -(1.0 - d)}


# ---------------------------------------------------------------------------------------------
# The Earth Mover's distance between two discrete distributions, as a linear program
# ---------------------------------------------------------------------------------------------


def _cost_matrix(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    x = np.asarray(x, np.float64).reshape(len(x), -1)
    y = np.asarray(y, np.float64).reshape(len(y), -1)
    return np.linalg.norm(x[:, None, :] - y[None, :, :], axis=-1)


def transport_constraints(a, b) -> tuple[np.ndarray, np.ndarray]:
    """The equality constraints ``A_eq @ P.ravel() == b_eq`` of a transport plan ``P`` (n×m,
    flattened row by row): every row sums to its ``a_i``, every column to its ``b_j``."""
    n, m = len(a), len(b)
    rows = np.kron(np.eye(n), np.ones((1, m)))  # Σ_j P_ij = a_i
    cols = np.kron(np.ones((1, n)), np.eye(m))  # Σ_i P_ij = b_j
    return np.vstack([rows, cols]), np.concatenate([a, b])


def earth_mover_primal(x, a, y, b, constraints: Callable = transport_constraints) -> tuple[float, np.ndarray]:
    r"""Kantorovich's primal: the cheapest transport plan ``P`` moving mass ``a`` at points ``x`` to
    mass ``b`` at points ``y`` (``scipy.optimize.linprog``).

    .. math:: W_1 = \min_{P \ge 0} \sum_{ij} P_{ij}\lVert x_i - y_j\rVert
              \quad\text{s.t.}\quad \textstyle\sum_j P_{ij} = a_i,\ \sum_i P_{ij} = b_j

    ``constraints(a, b)`` gives ``(A_eq, b_eq)``, :func:`transport_constraints` by default. Returns
    ``(W1, P)`` with ``P`` of shape len(x)×len(y).
    """
    from scipy.optimize import linprog

    a, b = _normalised(a), _normalised(b)
    cost = _cost_matrix(x, y)
    n, m = cost.shape
    a_eq, b_eq = (np.asarray(v, np.float64) for v in constraints(a, b))
    if a_eq.ndim != 2 or a_eq.shape[1] != n * m or b_eq.shape != (a_eq.shape[0],):
        raise errors.UserValueError(
            f"the constraints must be A_eq of shape (k, n·m = {n * m}), one column per entry of P, and b_eq of "
            f"shape (k,); got A_eq {a_eq.shape} and b_eq {b_eq.shape}")
    res = linprog(cost.ravel(), A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
    if res.status != 0:
        raise RuntimeError(f"the transport LP failed: {res.message}")
    return float(res.fun), res.x.reshape(n, m)


def earth_mover_dual(x, a, y, b) -> tuple[float, np.ndarray, np.ndarray]:
    r"""Kantorovich–Rubinstein dual: the best 1-Lipschitz critic ``f`` on the union of the supports.

    .. math:: W_1 = \max_{f} \sum_i a_i f(x_i) - \sum_j b_j f(y_j)
              \quad\text{s.t.}\quad |f(u) - f(v)| \le \lVert u - v\rVert

    Returns ``(W1, points, f)`` where ``f[k]`` is the critic's value at ``points[k]`` (x first, then y;
    ``f`` is fixed up to a constant, set by ``f[0] = 0``).
    """
    from scipy.optimize import linprog

    a, b = _normalised(a), _normalised(b)
    points = np.concatenate([np.asarray(x, np.float64).reshape(len(x), -1), np.asarray(y, np.float64).reshape(len(y), -1)])
    k = len(points)
    weights = np.concatenate([a, -b])  # objective Σ a f(x) − Σ b f(y)
    dist = _cost_matrix(points, points)
    i, j = np.where(~np.eye(k, dtype=bool))
    lipschitz = np.zeros((len(i), k))
    lipschitz[np.arange(len(i)), i] = 1.0
    lipschitz[np.arange(len(i)), j] = -1.0  # f_i − f_j ≤ d(i, j) for every ordered pair
    bounds = [(0.0, 0.0)] + [(None, None)] * (k - 1)
    res = linprog(-weights, A_ub=lipschitz, b_ub=dist[i, j], bounds=bounds, method="highs")
    if res.status != 0:
        raise RuntimeError(f"the dual LP failed: {res.message}")
    return float(-res.fun), points, res.x


def _normalised(w) -> np.ndarray:
    w = np.asarray(w, np.float64)
    if (w < 0).any() or w.sum() <= 0:
        raise ValueError("weights must be non-negative and not all zero")
    return w / w.sum()
