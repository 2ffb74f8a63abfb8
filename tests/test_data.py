import time

import numpy as np
import pytest

from workshop_utils import config, data, distributions, pipelines, plotting

import standins


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


def test_the_simpsons_come_from_the_kaggle_download_folder(tmp_path, monkeypatch):
    """kagglehub is patched to return a folder laid out like the real download: the faces come from
    its cropped/ folder, a tenth is held out as the reference, and "auto" with a network takes it."""
    import kagglehub

    root = standins.kaggle_download(tmp_path)
    asked = []
    monkeypatch.setattr(kagglehub, "dataset_download", lambda handle, *a, **k: asked.append(handle) or str(root))
    faces = data.load_faces("simpsons", size=64)
    assert asked == [data.SIMPSONS_KAGGLE] and faces.source == "simpsons" and faces.labels is None
    assert faces.images.shape == (27, 64, 64, 3) and faces.reference.shape == (3, 64, 64, 3)
    monkeypatch.setattr(data, "network_available", lambda *a, **k: True)
    assert data.load_faces(None, n=10).source == "simpsons"
    monkeypatch.setattr(kagglehub, "dataset_download", lambda *a, **k: (_ for _ in ()).throw(OSError("403 Forbidden")))
    fallback = data.load_faces(None, n=8)
    assert fallback.source == "cartoon" and "403 Forbidden" in fallback.note


def test_tf_flowers_come_through_tfds_load(monkeypatch):
    """tfds.load is patched to return a stand-in with tf_flowers' features (uint8 images of assorted
    sizes): the photos are shrunk to zoom·size on their shorter side, a tenth is held out."""
    import tensorflow as tf
    import tensorflow_datasets as tfds

    rng = np.random.default_rng(0)
    photos = [rng.integers(0, 256, (int(h), int(w), 3), dtype=np.uint8)
              for h, w in zip(rng.integers(180, 330, 24), rng.integers(180, 500, 24))]
    photos.append(np.zeros((40, 90, 3), np.uint8))  # smaller than the model: skipped

    def load(name, split, shuffle_files):
        assert (name, split, shuffle_files) == ("tf_flowers", "train", False)
        spec = {"image": tf.TensorSpec((None, None, 3), tf.uint8), "label": tf.TensorSpec((), tf.int64)}
        return tf.data.Dataset.from_generator(lambda: ({"image": p, "label": 0} for p in photos), output_signature=spec)

    monkeypatch.setattr(tfds, "load", load)
    flowers = data.load_photos("tf_flowers", size=64, zoom=2.0)
    assert flowers.source == "tf_flowers" and len(flowers.train) == 22 and len(flowers.held_out_scenes) == 2
    assert all(min(p.shape[:2]) == 128 for p in flowers.train) and flowers.held_out.shape[1:] == (64, 64, 3)
    monkeypatch.setattr(data, "network_available", lambda *a, **k: True)
    assert data.load_photos("auto", size=64).source == "tf_flowers"
