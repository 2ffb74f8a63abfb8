"""Latent tools: interpolation endpoints are exact, slerp keeps the norm, grids and truncation behave."""

import numpy as np
import pytest

from workshop_utils import latent


@pytest.fixture
def ab():
    rng = np.random.default_rng(0)
    return rng.standard_normal(100).astype(np.float32), rng.standard_normal(100).astype(np.float32)


@pytest.mark.parametrize("method", ["lerp", "slerp"])
def test_endpoints_are_the_inputs_exactly(ab, method):
    a, b = ab
    path = latent.interpolate(a, b, 9, method)
    assert path.shape == (9, 100) and path.dtype == np.float32
    np.testing.assert_array_equal(path[0], a)
    np.testing.assert_array_equal(path[-1], b)


def test_slerp_keeps_the_norm_and_lerp_does_not(ab):
    a, b = ab
    b = b * (np.linalg.norm(a) / np.linalg.norm(b))  # equal lengths
    t = np.linspace(0, 1, 11)
    np.testing.assert_allclose(np.linalg.norm(latent.slerp(a, b, t), axis=1), np.linalg.norm(a), rtol=1e-5)
    mid = np.linalg.norm(latent.lerp(a, b, 0.5))
    assert mid < 0.8 * np.linalg.norm(a)  # nearly orthogonal in 100-d: the chord's midpoint is ~1/√2 as long
    path, a64 = latent.slerp(a, b, t).astype(np.float64), a.astype(np.float64)
    angles = np.arctan2(np.linalg.norm(path - np.outer(path @ a64 / (a64 @ a64), a64), axis=1), path @ a64 / np.linalg.norm(a64))
    np.testing.assert_allclose(np.diff(angles), np.diff(angles)[0], rtol=1e-3)  # constant angular speed


def test_slerp_of_parallel_vectors_scales_the_length(ab):
    a, _ = ab
    out = latent.slerp(a, 3 * a, [0.0, 0.5, 1.0])
    np.testing.assert_allclose(out[1], 2 * a, rtol=1e-5)


def test_grid_corners_and_arithmetic():
    c = np.eye(4, dtype=np.float32)
    grid = latent.interpolation_grid(c[0], c[1], c[2], c[3], 5).reshape(5, 5, 4)
    for (i, j), k in {(0, 0): 0, (0, 4): 1, (4, 0): 2, (4, 4): 3}.items():
        np.testing.assert_array_equal(grid[i, j], c[k])
    np.testing.assert_allclose(grid[2, 2], 0.25)
    result = latent.arithmetic(np.array([[2.0, 0], [4, 0]]), np.array([[1.0, 0]]), np.array([[0.0, 5]]))
    np.testing.assert_allclose(result, [2.0, 5.0])
    near = latent.neighbours(result, 4, scale=0.1)
    assert near.shape == (4, 2) and np.array_equal(near[0], result) and np.abs(near[1:] - result).max() < 0.6


def test_truncation_bounds_every_component():
    z = latent.truncated_normal(2000, 16, psi=0.5, seed=1)
    assert np.abs(z).max() <= 0.5 and z.std() < 0.35  # truncated at ±0.5σ: std ≈ 0.28
    assert latent.truncated_normal(5, 3, None).shape == (5, 3)
    with pytest.raises(ValueError):
        latent.truncated_normal(5, 3, 0.0)


def test_path_length():
    assert latent.path_length(np.array([[0, 0], [3, 4], [3, 0]])) == pytest.approx(9.0)


def test_arithmetic_succeeds_in_a_disentangled_latent_space():
    """A toy "generator" whose latent axes are the attributes: z0 decides the mouth (smiling when
    z0 > 0.5, neutral when z0 < −0.5, else open) and z1, z2 the hair colour. Arithmetic on averages
    must transfer the smile and keep B's hair; a random z keeps both only by chance."""

    def classify(z):
        mouth = np.where(z[:, 0] > 0.5, 0, np.where(z[:, 0] < -0.5, 1, 2))
        return {"mouth": np.eye(3)[mouth], "hair_colour": np.eye(4)[2 * (z[:, 1] > 0) + (z[:, 2] > 0)]}

    out = latent.measure_arithmetic(lambda z: z, classify, latent_dim=6, trials=200, exemplars=None, seed=3)
    assert out["success_rate"] > 0.6 and out["success_rate"] > 4 * out["baseline_rate"]  # the averages are noisy: ~0.75
    assert out["baseline_rate"] < 0.2  # P(smiling) · P(hair of B) ≈ 0.31 · 0.25
    assert out["success_rate"] <= min(out["transfer_rate"], out["keep_rate"])
    assert out["results"].shape == (200, 6) and len(out["records"]) == 200
    scrambled = latent.measure_arithmetic(lambda z: np.random.default_rng(0).permutation(z), classify, 6, trials=200,
                                          exemplars=None)
    assert scrambled["success_rate"] < 0.3  # an entangled generator does not do arithmetic


def test_confident_members_are_members_surest_first():
    probs = {"mouth": np.array([[0.9, 0.1], [0.6, 0.4], [0.2, 0.8], [0.99, 0.01]]),
             "hair": np.array([[0.5, 0.5], [0.1, 0.9], [0.7, 0.3], [0.95, 0.05]])}
    assert latent.confident_members(probs, {"mouth": 0}).tolist() == [3, 0, 1]
    # mouth 0 and hair 0: row 0 ties at argmax (0.5, 0.5 → index 0), row 1 has hair 1
    assert latent.confident_members(probs, {"mouth": 0, "hair": 0}).tolist() == [3, 0]
    assert latent.confident_members(probs, {"mouth": 1, "hair": 1}).tolist() == []


def test_perfectly_linear_attributes_set_the_ceiling_of_the_measurement():
    """With attributes exactly linear in z, arithmetic on three faces drawn among *all* members of
    each concept still fails often: an average of three arbitrary members often sits near the
    concept's boundary, and the difference smiling(A) − neutral(A) adds noise that pushes it across. Drawn
    among the classifier's surest members, as the DCGAN paper picked clear examples, it works."""
    classify = latent.linear_attributes(100, {"mouth": 3, "hair_colour": 5})
    probs = classify(np.random.default_rng(0).standard_normal((30_000, 100)))
    shares = {k: np.bincount(p.argmax(1), minlength=p.shape[1]) / len(p) for k, p in probs.items()}
    np.testing.assert_allclose(shares["mouth"], 1 / 3, atol=0.02)  # equal cones: every value equally likely
    np.testing.assert_allclose(shares["hair_colour"], 1 / 5, atol=0.02)
    measure = lambda exemplars, **kw: latent.measure_arithmetic(  # noqa: E731
        lambda z: z, classify, 100, trials=400, exemplars=exemplars, **kw)
    anyone, surest = measure(None), measure(10)
    assert 0.5 < anyone["success_rate"] < 0.8 and surest["success_rate"] > 0.85
    assert anyone["baseline_rate"] < 0.15 and surest["baseline_rate"] < 0.15
    other_seed = measure(10, seed=1)
    assert abs(other_seed["success_rate"] - surest["success_rate"]) < 0.1  # not one lucky seed
    with pytest.raises(ValueError, match="exemplars"):
        measure(2)
    with pytest.raises(ValueError, match="latent dimensions"):
        latent.linear_attributes(3, {"mouth": 3, "hair_colour": 5})


def test_linear_probe_tells_linear_from_nonlinear_attributes():
    rng = np.random.default_rng(0)
    z = rng.standard_normal((2000, 10)).astype(np.float32)
    linear = (z @ rng.standard_normal((10, 3))).argmax(1)  # three values split by hyperplanes
    probe = latent.linear_probe(z, linear)
    assert probe["accuracy"] > 0.95 and probe["chance"] < 0.5
    shell = (np.abs(z[:, 0]) > 0.6745).astype(int)  # |z₀| above its median: no hyperplane separates it
    probe = latent.linear_probe(z, shell)
    assert probe["accuracy"] < 0.6 and abs(probe["chance"] - 0.5) < 0.05
    assert latent.linear_probe(z, linear) == latent.linear_probe(z, linear)  # deterministic
    with pytest.raises(ValueError, match="N×d latent vectors and N labels"):
        latent.linear_probe(z, linear[:-1])
