import numpy as np
import pytest

from workshop_utils import data, distributions, errors, metrics


def test_identical_sets_have_zero_distance():
    x = np.random.default_rng(0).normal(size=(500, 4))
    assert metrics.frechet_distance(x, x) == pytest.approx(0.0, abs=1e-6)
    assert metrics.wasserstein_1d(x[:, 0], x[:, 0]) == 0.0


def test_frechet_distance_of_shifted_gaussians():
    rng = np.random.default_rng(1)
    a = rng.normal(size=(20000, 3))
    b = rng.normal(size=(20000, 3)) + np.array([1.0, 0.0, 0.0])
    assert metrics.frechet_distance(a, b) == pytest.approx(1.0, abs=0.05)
    c = 2.0 * rng.normal(size=(20000, 3))  # Tr(1 + 4 - 2·2) per axis = 1 → 3
    assert metrics.frechet_distance(a, c) == pytest.approx(3.0, abs=0.1)


def test_one_mode_of_eight_is_one_covered():
    ring = distributions.ring_of_gaussians(8, std=0.02)
    one = ring.centres[3] + 0.02 * np.random.default_rng(0).normal(size=(2500, 2))
    out = metrics.mode_coverage(one, ring)
    assert out["modes_covered"] == 1 and out["counts_per_mode"][3] > 2400
    assert out["high_quality_fraction"] > 0.97
    full = metrics.mode_coverage(ring.sample(2500, 1), ring)
    assert full["modes_covered"] == 8 and full["high_quality_fraction"] > 0.97
    far = metrics.mode_coverage(np.zeros((100, 2)), ring)  # the centre of the ring is no mode
    assert far["modes_covered"] == 0 and far["high_quality_fraction"] == 0.0


def test_noise_covers_the_grid_but_populates_no_mode():
    grid = distributions.grid_of_gaussians(5, spacing=2.0, std=0.05)
    noise = metrics.mode_coverage(grid.uniform_baseline(2500, seed=0), grid)
    assert noise["modes_covered"] >= 15 and noise["modes_populated"] == 0  # one lucky point covers a mode
    assert noise["high_quality_fraction"] < 0.03
    # 10 high-quality points (a tenth of the fair share 2500/25) populate a mode, 9 do not.
    rng = np.random.default_rng(1)
    points = np.concatenate([grid.centres[0] + 0.05 * rng.normal(size=(10, 2)),
                             grid.centres[1] + 0.05 * rng.normal(size=(9, 2)), np.full((2481, 2), 50.0)])
    out = metrics.mode_coverage(points, grid, n_std=10)  # n_std 10: all 19 points count as high quality
    assert out["modes_covered"] == 2 and out["modes_populated"] == 1


def test_toy_metrics_1d():
    dist = distributions.gaussian_1d(7.0, 1.0)
    good = metrics.toy_metrics(dist.sample(5000, 9), dist)
    bad = metrics.toy_metrics(distributions.gaussian_1d(4.0, 1.0).sample(5000, 9), dist)
    assert good["mean_error"] < 0.05 and good["wasserstein_1"] < 0.06 and good["js_divergence"] < 0.01
    assert bad["mean_error"] == pytest.approx(3.0, abs=0.05) and bad["wasserstein_1"] == pytest.approx(3.0, abs=0.06)
    assert bad["js_divergence"] > 0.4


def test_classifier_score_and_coverage_on_known_probabilities():
    sharp_uniform = np.eye(10)[np.arange(1000) % 10]
    assert metrics.classifier_score(sharp_uniform) == pytest.approx(10.0, rel=1e-6)
    assert metrics.class_coverage(sharp_uniform)["classes_covered"] == 10
    collapsed = np.eye(10)[np.zeros(1000, int)]
    assert metrics.classifier_score(collapsed) == pytest.approx(1.0, rel=1e-6)
    assert metrics.class_coverage(collapsed)["classes_covered"] == 1
    assert metrics.classifier_score(np.full((50, 10), 0.1)) == pytest.approx(1.0)


@pytest.fixture(scope="module")
def mnist():
    return data.load_mnist(source="offline")


def test_mnist_metric_calibration(mnist):
    """The numbers data/README.md documents: real vs real ≈ 0.8, noise > 1000."""
    m = metrics.mnist_metric()
    real = m.evaluate(mnist.x_train[:2000], mnist.x_test)
    assert real["frechet_distance"] < 2.0
    assert real["classifier_score"] > 9.0 and real["classes_covered"] == 10
    noise = np.random.default_rng(0).integers(0, 256, (2000, 28, 28, 1)).astype(np.uint8)
    fake = m.evaluate(noise, mnist.x_test)
    assert fake["frechet_distance"] > 500 and fake["classes_covered"] <= 2
    ones = m.evaluate(mnist.x_train[mnist.y_train == 1][:1000], mnist.x_test)
    assert ones["classes_covered"] == 1 and ones["frechet_distance"] > 100


def test_mnist_metric_accepts_float_images_and_rejects_wrong_shapes(mnist):
    m = metrics.mnist_metric()
    x = mnist.x_test[:20]
    f_uint8, p_uint8 = m.features_and_probs(x)
    f_float, _ = m.features_and_probs(x[..., 0].astype(np.float32) / 127.5 - 1.0)
    np.testing.assert_allclose(f_uint8, f_float, rtol=1e-4, atol=1e-4)
    assert (p_uint8.argmax(1) == mnist.y_test[:20]).mean() >= 0.95
    with pytest.raises(ValueError, match="expected images shaped N×28×28×1"):
        m.features_and_probs(np.zeros((2, 32, 32, 3), np.uint8))


def test_sliced_wasserstein_of_a_shift_is_its_mean_projection():
    # Shifting by v moves every projection on a unit direction d by |v·d|; over uniform directions
    # in 2-D the mean of |cos θ| is 2/π, so the sliced W1 of a shift by 1 is 2/π.
    rng = np.random.default_rng(2)
    a = rng.normal(size=(20000, 2))
    b = rng.normal(size=(20000, 2)) + np.array([1.0, 0.0])
    assert metrics.sliced_wasserstein(a, b, n_projections=2000) == pytest.approx(2 / np.pi, abs=0.02)
    assert metrics.sliced_wasserstein(a, a) == 0.0
    x, y = rng.normal(size=300), rng.normal(1.5, 2.0, size=400)
    assert metrics.sliced_wasserstein(x, y, n_projections=3) == pytest.approx(metrics.wasserstein_1d(x, y))
    with pytest.raises(ValueError, match="dimension"):
        metrics.sliced_wasserstein(a, x)


def test_faces_metric_calibration():
    """The numbers data/README.md documents: real faces are close and cover every attribute value;
    a collapsed attribute is reported as uncovered; noise is far."""
    faces = data.load_faces("cartoon", n=4000)  # the first 4,000 training faces, over 1,000 of them smiling
    m = metrics.faces_metric()
    real = m.evaluate(faces.images[:2000], faces.reference)
    assert real["values_covered"] == real["values"] == 30 and real["uncovered"] == []
    smiling = m.evaluate(faces.images[faces.labels["mouth"] == 0][:1000], faces.reference)
    assert set(smiling["uncovered"]) == {"mouth=neutral", "mouth=open"}
    # diversity: the smiling faces show fewer attribute combinations than as many faces of every kind
    assert smiling["combinations"] < m.evaluate(faces.images[:1000], faces.reference)["combinations"] <= 1000
    assert smiling["frechet_distance"] > 3 * real["frechet_distance"]
    noise = np.random.default_rng(0).integers(0, 256, (500, 64, 64, 3)).astype(np.uint8)
    assert m.evaluate(noise, faces.reference)["frechet_distance"] > 30 * real["frechet_distance"]
    predicted = m.predict(faces.reference[:500])
    for name, values in faces.reference_labels.items():
        assert (predicted[name] == values[:500]).mean() > 0.95, name


def test_reference_features_are_computed_once_per_distinct_set():
    faces = data.load_faces("cartoon", n=50)
    m = metrics.faces_metric()
    first = m.evaluate(faces.images, faces.reference[:200])
    cached = len(m._reference_cache)
    assert m.evaluate(faces.images, np.array(faces.reference[:200])) == first  # equal content, another array
    assert len(m._reference_cache) == cached
    assert not m.reference_features(faces.reference[:200]).flags.writeable  # callers cannot spoil the cache
    changed = np.array(faces.reference[:200])
    changed[:100] = 255 - changed[:100]  # the same shape, other content: never the stale features
    assert m.evaluate(faces.images, changed)["frechet_distance"] != first["frechet_distance"]
    np.testing.assert_allclose(m.reference_features(changed), m.features_and_probs(changed)[0], rtol=1e-5, atol=1e-5)


def test_matched_accuracy_finds_the_best_one_to_one_matching():
    codes, labels = [0, 0, 1, 1, 2, 2], [1, 1, 2, 0, 0, 0]
    assert metrics.matched_accuracy(codes, labels, 3) == pytest.approx(5 / 6)  # 0→1, 2→0, 1→2
    assert metrics.matched_accuracy([2, 0, 1], [0, 1, 2], 3) == 1.0  # a relabelling is perfect
    label_of, accuracy = metrics.match_codes(codes, labels, 3)
    assert label_of.tolist() == [1, 2, 0] and accuracy == pytest.approx(5 / 6)
    assert metrics.code_counts(codes, labels, 3).tolist() == [[0, 2, 0], [1, 0, 1], [2, 0, 0]]
    with pytest.raises(ValueError, match="one label per code"):
        metrics.code_counts(codes, labels[:-1], 3)


def test_slant_and_ink_area_of_drawn_strokes():
    upright, leaning = np.zeros((28, 28), np.uint8), np.zeros((28, 28), np.uint8)
    for r in range(4, 24):
        upright[r, 13:15] = 255
        leaning[r, 13 + (24 - r) // 2 - 5 : 15 + (24 - r) // 2 - 5] = 255  # the top leans right: ½ px per row
    s = metrics.slant(np.stack([upright, leaning])[..., None])
    assert abs(s[0]) < 1e-9 and s[1] == pytest.approx(0.5, abs=0.05)
    thick = upright.copy()
    thick[4:24, 12:16] = 255
    area = metrics.ink_area(np.stack([upright, thick]))
    assert area[0] == pytest.approx(40 / 784) and area[1] == pytest.approx(80 / 784)


def test_kernel_distance_is_unbiased_and_grows_with_a_shift():
    """Two samples of one distribution give about 0 even at small n (the Fréchet distance does
    not), a shifted sample a clearly positive value."""
    rng = np.random.default_rng(0)
    same = [metrics.kernel_distance(rng.normal(size=(40, 8)), rng.normal(size=(40, 8)), subsets=20, seed=s)[0]
            for s in range(30)]
    assert abs(np.mean(same)) < 3 * np.std(same) / np.sqrt(len(same))  # mean 0 within its standard error
    fds = [metrics.frechet_distance(rng.normal(size=(40, 8)), rng.normal(size=(40, 8))) for _ in range(30)]
    assert np.mean(fds) > 0.5  # the Fréchet distance's small-sample bias, for contrast
    a, b = rng.normal(size=(200, 8)), rng.normal(size=(200, 8))
    identical = metrics.kernel_distance(a, a.copy(), subset_size=100, subsets=10)[0]
    shifted = metrics.kernel_distance(a, b + 1.0, subset_size=100, subsets=10)[0]
    assert shifted > 50 * abs(identical)  # a set against itself: the unbiased estimate is slightly negative
    with pytest.raises(errors.UserValueError, match="same d"):
        metrics.kernel_distance(a, b[:, :3])


def test_inception_metric_resizes_scales_and_scores_with_any_feature_network():
    """The metric's plumbing with a feature network the test builds (the real one needs the
    ImageNet weights from the network): 299×299 inputs in [-1, 1], FID ≈ 0 for a set against
    itself, larger for a shifted one; offline, asking for the real network is a clear error."""
    import keras

    keras.utils.set_random_seed(0)
    inputs = keras.Input((299, 299, 3))
    net = keras.Model(inputs, keras.layers.GlobalAveragePooling2D()(keras.layers.Conv2D(16, 9, strides=8, activation="tanh")(inputs)))
    seen = []

    def network(x, training=False):
        seen.append((tuple(x.shape), float(np.min(x)), float(np.max(x)), training))
        return net(x, training=training)

    metric = metrics.InceptionMetric(model=network, batch_size=8)
    rng = np.random.default_rng(1)
    images = rng.integers(0, 256, (24, 64, 64, 3), dtype=np.uint8)
    same = metric.evaluate(images, images, kid_subset_size=24)
    brighter = metric.evaluate(np.clip(images.astype(int) + 60, 0, 255).astype(np.uint8), images, kid_subset_size=24)
    assert seen[0][0] == (8, 299, 299, 3) and all(-1.0 <= lo and hi <= 1.0 and not t for _, lo, hi, t in seen)
    assert abs(same["fid"]) < 1e-6 and abs(same["kid"]) < 1e-3 and same["n"] == same["reference_n"] == 24
    assert brighter["fid"] > 100 * max(abs(same["fid"]), 1e-6) and brighter["kid"] > same["kid"]
    with pytest.raises(errors.UserValueError, match="N×H×W×3"):
        metric.features(images[..., 0])
    # the floor: real images against the reference at the same size as the generated ones
    floored = metric.with_floor(images[:10], images[12:], images[:20], n=None)
    assert floored["n"] == floored["reference_n"] == 10
    assert floored["real_vs_real_fid"] == pytest.approx(metric.evaluate(images[12:22], images[:10])["fid"])
    assert floored["fid"] == pytest.approx(metric.evaluate(images[:10], images[:10])["fid"], abs=1e-6)


def test_inception_metric_offline_names_the_fix(monkeypatch):
    monkeypatch.setenv("WORKSHOP_OFFLINE", "1")
    with pytest.raises(errors.UserValueError, match="WORKSHOP_OFFLINE"):
        metrics.InceptionMetric()
