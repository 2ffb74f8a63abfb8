"""The discrete Earth Mover's distance: LP primal = LP dual = scipy's 1-D Wasserstein distance."""

import numpy as np
import pytest
from scipy import stats

from workshop_utils import theory


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_primal_dual_and_scipy_agree_in_1d(seed):
    rng = np.random.default_rng(seed)
    x, y = rng.normal(0, 1, 7), rng.normal(2, 1.5, 9)
    a, b = rng.uniform(0.1, 1, 7), rng.uniform(0.1, 1, 9)
    primal, plan = theory.earth_mover_primal(x, a, y, b)
    dual, _, f = theory.earth_mover_dual(x, a, y, b)
    reference = stats.wasserstein_distance(x, y, a, b)
    assert primal == pytest.approx(reference, abs=1e-6)
    assert dual == pytest.approx(reference, abs=1e-6)
    np.testing.assert_allclose(plan.sum(1), a / a.sum(), atol=1e-9)  # the plan moves all of a …
    np.testing.assert_allclose(plan.sum(0), b / b.sum(), atol=1e-9)  # … onto exactly b
    assert plan.min() >= -1e-12
    points = np.concatenate([x, y])
    slopes = np.abs(f[:, None] - f[None, :]) <= np.abs(points[:, None] - points[None, :]) + 1e-9
    assert slopes.all()  # the critic is 1-Lipschitz


def test_primal_equals_dual_in_2d_and_simple_cases():
    rng = np.random.default_rng(3)
    x, y = rng.normal(size=(5, 2)), rng.normal(size=(6, 2)) + 1.0
    a, b = np.ones(5), rng.uniform(0.5, 1.0, 6)
    assert theory.earth_mover_primal(x, a, y, b)[0] == pytest.approx(theory.earth_mover_dual(x, a, y, b)[0], abs=1e-6)
    # moving one unit of mass a distance of 3 costs 3
    assert theory.earth_mover_primal([0.0], [1.0], [3.0], [1.0])[0] == pytest.approx(3.0)
    with pytest.raises(ValueError, match="non-negative"):
        theory.earth_mover_primal([0.0], [-1.0], [1.0], [1.0])
