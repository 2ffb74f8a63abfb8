import time

import numpy as np
import pytest

from workshop_utils import config, data, distributions, pipelines, plotting


def test_ring_has_eight_distinct_modes():
    ring = distributions.ring_of_gaussians(8, radius=2.0, std=0.02)
    assert ring.centres.shape == (8, 2)
    pairwise = np.linalg.norm(ring.centres[:, None] - ring.centres[None], axis=-1)
    assert pairwise[~np.eye(8, dtype=bool)].min() > 1.5  # no duplicated 0/2π centre
    np.testing.assert_allclose(np.linalg.norm(ring.centres, axis=1), 2.0)


def test_grid_has_25_modes_spacing_two():
    grid = distributions.grid_of_gaussians(5, spacing=2.0)
    assert grid.centres.shape == (25, 2)
    assert set(np.round(grid.centres[:, 0], 6)) == {-4.0, -2.0, 0.0, 2.0, 4.0}


def test_mixture_sampling_statistics():
    x = distributions.gaussian_1d(7.0, 1.0).sample(20000, seed=3)
    assert x.mean() == pytest.approx(7.0, abs=0.03)
    assert x.std() == pytest.approx(1.0, abs=0.03)
    two = distributions.mixture_1d((-2.0, 2.0), 0.5).sample(20000, seed=4)
    assert np.mean(two > 0) == pytest.approx(0.5, abs=0.02)


def test_toy_batches_resume_exactly():
    dist = distributions.ring_of_gaussians()
    full = [b.numpy() for b in pipelines.toy_batches(dist, 16, seed=5).take(6)]
    resumed = [b.numpy() for b in pipelines.toy_batches(dist, 16, seed=5, start_batch=4).take(2)]
    np.testing.assert_array_equal(full[4], resumed[0])
    np.testing.assert_array_equal(full[5], resumed[1])
    assert not np.array_equal(full[0], full[1])


def test_array_batches_are_epoch_permutations_and_resumable():
    x = np.arange(100)
    batches = [b.numpy() for b in pipelines.array_batches(x, 10, seed=1).take(20)]
    first_epoch, second_epoch = np.concatenate(batches[:10]), np.concatenate(batches[10:])
    assert sorted(first_epoch) == list(range(100)) and sorted(second_epoch) == list(range(100))
    assert not np.array_equal(first_epoch, second_epoch)  # reshuffled each epoch
    assert not np.array_equal(first_epoch, x)
    resumed = [b.numpy() for b in pipelines.array_batches(x, 10, seed=1, start_batch=13).take(2)]
    np.testing.assert_array_equal(resumed[0], batches[13])
    with pytest.raises(ValueError, match="larger than the data set"):
        pipelines.array_batches(x, 101, seed=0)


def test_scaling_round_trip():
    x = np.array([[0, 127, 255]], np.uint8).reshape(1, 1, 3)
    scaled = pipelines.scale_images(x).numpy()
    assert scaled.shape == (1, 1, 3, 1)
    np.testing.assert_allclose(scaled.ravel(), [-1.0, 127 / 127.5 - 1, 1.0], atol=1e-6)
    np.testing.assert_array_equal(plotting.to_uint8(scaled)[..., 0], x)


def test_offline_mnist_loads_at_once():
    assert config.offline_mode()
    start = time.time()
    mnist = data.load_mnist()
    assert time.time() - start < 10  # no network retries
    assert mnist.x_train.shape == (15000, 28, 28, 1) and mnist.x_train.dtype == np.uint8
    assert mnist.x_test.shape == (2000, 28, 28, 1)
    assert np.bincount(mnist.y_train).tolist() == [1500] * 10
    assert "offline" in mnist.source
    assert data.load_mnist(n_train=100).x_train.shape[0] == 100


def test_network_probe_respects_offline_switch():
    assert data.network_available() is False


def test_bad_source_is_a_clear_error():
    with pytest.raises(ValueError, match="source must be"):
        data.load_mnist(source="kaggle")


def test_smoke_switch_is_read_in_one_place(monkeypatch):
    monkeypatch.setenv("WORKSHOP_SMOKE", "0")
    assert config.pick(10, 1) == 10
    monkeypatch.setenv("WORKSHOP_SMOKE", "1")
    assert config.pick(10, 1) == 1


def test_runtime_reports_cpu_and_tpu(monkeypatch):
    from workshop_utils import runtime

    assert runtime.accelerator() == "CPU"
    monkeypatch.setenv("COLAB_TPU_ADDR", "10.0.0.2:8470")
    assert runtime.accelerator() == "TPU"
    assert "not supported" in runtime.describe()
    info = runtime.setup(seed=3, verbose=False)
    assert info["seed"] == 3 and info["smoke"] and info["offline"]
