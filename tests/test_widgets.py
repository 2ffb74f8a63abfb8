"""The widgets, driven programmatically (no frontend): the interpolation slider with a tiny deterministic
decoder, and the figure slider. tests/test_browser.py drives them in a real browser."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import ipywidgets  # noqa: E402
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
    mid, png = slider.image.copy(), bytes(slider.picture.value)
    assert mid.shape == (8, 8, 1) and len(slider.redraw_times_ms) == 1
    assert png.startswith(b"\x89PNG") and slider.picture.format == "png"
    slider.slider.value = 0.0
    np.testing.assert_array_equal(slider.image, decode(slider.a[None])[0])
    slider.slider.value = 1.0
    np.testing.assert_array_equal(slider.image, decode(slider.b[None])[0])
    slider.slider.value = 0.3
    assert not np.array_equal(slider.image, mid) and bytes(slider.picture.value) != png
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


def test_figure_slider_draws_the_value_and_shows_the_text():
    drawn = []

    def draw(value, ax):
        drawn.append(value)
        ax.plot([0, 1], [0, value])
        return f"value {value:.2f}"

    s = widgets.FigureSlider(draw, ipywidgets.FloatSlider(value=1.0, min=0.0, max=2.0, step=0.5), figsize=(2, 2))
    first = bytes(s.picture.value)
    assert drawn == [1.0] and s.caption.value == "value 1.00" and first.startswith(b"\x89PNG")
    s.slider.value = 2.0
    assert drawn == [1.0, 2.0] and s.caption.value == "value 2.00" and bytes(s.picture.value) != first
    assert len(s.redraw_times_ms) == 2 and not plt.get_fignums(), "widgets draw without pyplot figures"
