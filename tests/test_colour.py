"""sRGB ↔ CIE Lab against scikit-image, the colorizer's encoding, and colorizing at the original size."""

import itertools

import numpy as np
import pytest
import tensorflow as tf

from workshop_utils import colour

CORNERS = np.array(list(itertools.product([0.0, 1.0], repeat=3)), np.float32).reshape(8, 1, 3)


def random_rgb(shape=(2, 24, 24, 3), seed=0):
    return np.random.default_rng(seed).random(shape).astype(np.float32)


@pytest.mark.parametrize("rgb", [random_rgb(), CORNERS], ids=["random", "cube-corners"])
def test_rgb_to_lab_matches_skimage(rgb):
    from skimage.color import rgb2lab

    np.testing.assert_allclose(colour.rgb_to_lab(rgb).numpy(), rgb2lab(rgb.astype(np.float64)), atol=2e-3)


def test_lab_to_rgb_matches_skimage_in_and_out_of_gamut():
    from skimage.color import lab2rgb, rgb2lab

    inside = rgb2lab(random_rgb((1, 32, 32, 3), seed=1).astype(np.float64)[0])
    outside = np.array([[[50.0, 120.0, -120.0], [90.0, -100.0, 100.0], [5.0, 80.0, -110.0]]])  # clipped by both
    for lab in (inside, outside):
        np.testing.assert_allclose(colour.lab_to_rgb(lab).numpy(), lab2rgb(lab), atol=1e-4)


def test_round_trip_is_exact_to_1e_3():
    rgb = np.concatenate([random_rgb((1, 64, 64, 3), seed=2).reshape(-1, 1, 3), CORNERS])
    assert np.abs(colour.lab_to_rgb(colour.rgb_to_lab(rgb)).numpy() - rgb).max() < 1e-3


def test_known_lab_values():
    lab = colour.rgb_to_lab(CORNERS).numpy()[:, 0]
    np.testing.assert_allclose(lab[0], [0, 0, 0], atol=1e-3)  # black
    np.testing.assert_allclose(lab[-1], [100, 0, 0], atol=0.01)  # white (D65)
    np.testing.assert_allclose(lab[4], [53.24, 80.09, 67.20], atol=0.01)  # pure red


def test_encoding_ranges_and_inverse():
    """L* maps to [-1, 1] and every sRGB colour's a*/b* to inside (-1, 1), so a tanh can reach them."""
    cube = np.stack(np.meshgrid(*[np.linspace(0, 1, 17)] * 3, indexing="ij"), -1).reshape(-1, 1, 3).astype(np.float32)
    x, y = colour.to_pairs(cube, "lab")
    assert x.shape == (17**3, 1, 1) and y.shape == (17**3, 1, 2)
    assert x.numpy().min() == pytest.approx(-1, abs=1e-4) and x.numpy().max() == pytest.approx(1, abs=1e-4)
    assert 0.95 < np.abs(y.numpy()).max() < 1.0
    for space in colour.COLOUR_SPACES:
        x, y = colour.to_pairs(cube, space)
        assert y.shape[-1] == colour.target_channels(space)
        np.testing.assert_allclose(colour.to_rgb(x, y, space).numpy(), cube, atol=1e-3)
        np.testing.assert_allclose(colour.predicted_ab(x, y, space).numpy(), colour.rgb_to_lab(cube).numpy()[..., 1:],
                                   atol=0.05)
    with pytest.raises(ValueError, match="unknown colour space"):
        colour.to_pairs(cube, "hsv")


def test_conversion_runs_inside_tf_data():
    rgb = random_rgb((4, 8, 8, 3), seed=3)
    ds = tf.data.Dataset.from_tensor_slices(rgb).batch(2).map(colour.to_pairs)
    xs = np.concatenate([x.numpy() for x, _ in ds])
    np.testing.assert_allclose(xs, colour.to_pairs(rgb)[0].numpy(), atol=1e-6)


def test_grey_rgb_keeps_the_lightness_and_drops_the_colour():
    rgb = random_rgb((1, 8, 8, 3), seed=4)
    x, _ = colour.to_pairs(rgb)
    grey = colour.grey_rgb(x).numpy()
    np.testing.assert_allclose(grey[..., 0], grey[..., 2], atol=1e-4)
    np.testing.assert_allclose(colour.rgb_to_lab(grey).numpy()[..., 0], colour.rgb_to_lab(rgb).numpy()[..., 0], atol=0.01)


def test_colorize_keeps_size_and_full_resolution_lightness():
    """Any photo size works: the generator sees size×size, the chroma comes back at H×W under the
    original L*. A generator predicting a constant a*b* gives exactly that colour at full resolution."""
    rgb = 0.3 + 0.4 * random_rgb((37, 90, 3), seed=5)  # mid-grey lightness: L*, a* = 10, b* = -10 stays in gamut
    lab_in = colour.rgb_to_lab(rgb).numpy()
    ab = np.array([10.0, -10.0], np.float32)

    def constant_chroma(x, training=False):
        assert x.shape == (1, 16, 16, 1) and not training
        return tf.ones((1, 16, 16, 2)) * ab / colour.AB_SCALE

    out = colour.colorize(constant_chroma, rgb, 16)
    assert out.shape == rgb.shape and out.dtype == np.float32
    lab_out = colour.rgb_to_lab(out).numpy()
    np.testing.assert_allclose(lab_out[..., 0], lab_in[..., 0], atol=0.02)  # the input's own lightness, pixel for pixel
    np.testing.assert_allclose(lab_out[..., 1:], np.broadcast_to(ab, (37, 90, 2)), atol=0.02)

    def black(x, training=False):  # an RGB model predicting black: no chroma, whatever the lightness
        return tf.fill((1, 16, 16, 3), -1.0)

    grey = colour.colorize(black, rgb, 16, "rgb")
    assert grey.shape == rgb.shape
    np.testing.assert_allclose(colour.rgb_to_lab(grey).numpy(), lab_in * [1, 0, 0], atol=0.02)
