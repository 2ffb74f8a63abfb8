"""The interpolation slider, driven programmatically with a tiny deterministic decoder (no frontend)."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from workshop_utils import latent, widgets  # noqa: E402

DIM = 16
WEIGHTS = np.random.default_rng(0).standard_normal((DIM, 8 * 8)).astype(np.float32)


def decode(z):
    """A fixed random projection to 8×8 grayscale images in (-1, 1)."""
    return np.tanh(np.asarray(z, np.float32) @ WEIGHTS / 4).reshape(-1, 8, 8, 1)


def new_endpoints(rng):
    return rng.standard_normal((2, DIM)).astype(np.float32)


@pytest.fixture
def slider():
    s = widgets.InterpolationSlider(decode, new_endpoints, seed=0)
    yield s
    plt.close("all")


def test_slider_redraws_and_hits_the_endpoints_exactly(slider):
    mid = slider.image.copy()
    assert mid.shape == (8, 8, 1) and len(slider.redraw_times_ms) == 1
    slider.slider.value = 0.0
    np.testing.assert_array_equal(slider.image, decode(slider.a[None])[0])
    slider.slider.value = 1.0
    np.testing.assert_array_equal(slider.image, decode(slider.b[None])[0])
    slider.slider.value = 0.3
    assert not np.array_equal(slider.image, mid)
    np.testing.assert_allclose(slider.image, decode(latent.slerp(slider.a, slider.b, [0.3]))[0], rtol=1e-6)
    assert len(slider.redraw_times_ms) == 4 and slider.redraw_ms == slider.redraw_times_ms[-1] and slider.redraw_ms > 0


def test_button_draws_new_endpoints(slider):
    a, b, before = slider.a.copy(), slider.b.copy(), slider.image.copy()
    slider.button.click()
    assert not np.array_equal(slider.a, a) and not np.array_equal(slider.b, b)
    assert not np.array_equal(slider.image, before)
    np.testing.assert_array_equal(slider.endpoint_images, decode(np.stack([slider.a, slider.b])))
    assert len(slider.redraw_times_ms) == 2


def test_given_endpoints_lerp_and_caption():
    a, b = np.ones(DIM, np.float32), -np.ones(DIM, np.float32)
    s = widgets.InterpolationSlider(decode, new_endpoints, endpoints=(a, b), method="lerp",
                                    caption=lambda img: f"mean {img.mean():+.2f}")
    np.testing.assert_array_equal(s.image, decode(np.zeros((1, DIM)))[0])  # the straight line's midpoint is 0
    np.testing.assert_array_equal(s.point(0.25), latent.lerp(a, b, [0.25])[0])
    with pytest.raises(ValueError):
        widgets.InterpolationSlider(decode, new_endpoints, method="cubic")
    plt.close("all")
