"""Interactive widgets for the notebooks, built on ipywidgets 7 or 8 and matplotlib.

Each widget draws its figure with matplotlib's Agg canvas (no pyplot state) into PNG bytes shown by
an ``ipywidgets.Image``. That path renders the same in JupyterLab, the classic Notebook and Colab;
the ``Output`` widget does not (widgetsnbextension 3.6.10, the version Colab pins, cannot create
Output models in classic Notebook 6.5: ``tests/test_browser.py`` found it). Everything the widgets
compute is also kept as plain attributes, so they can be driven and tested without a frontend.
"""

from __future__ import annotations

import time
from typing import Callable

import ipywidgets
import numpy as np
from matplotlib.axes import Axes

from . import errors, latent, plotting
from .plotting import figure_png


class _Redrawing:
    """A picture (``ipywidgets.Image``) that is redrawn on demand and times every redraw."""

    def __init__(self, figsize: tuple[float, float]):
        self.figsize = figsize
        self.picture = ipywidgets.Image(format="png")
        self.redraw_ms: float | None = None
        self.redraw_times_ms: list[float] = []

    def _show(self, draw: Callable[[Axes], object], start: float):
        png, result = figure_png(draw, self.figsize)
        self.picture.value = png
        self.redraw_ms = 1000 * (time.perf_counter() - start)
        self.redraw_times_ms.append(self.redraw_ms)
        return result


class FigureSlider(_Redrawing):
    """A slider and the figure ``draw(value, ax)`` makes for its value, redrawn when it moves.

    ``draw`` may return a short text, shown under the figure (e.g. the number the figure is about).
    Show the controls with ``display(widget.widget)``; ``caption.value`` holds the last text.
    """

    def __init__(self, draw: Callable[[float, Axes], str | None], slider: ipywidgets.FloatSlider,
                 figsize: tuple[float, float] = (7.0, 3.2)):
        super().__init__(figsize)
        self.draw, self.slider = draw, slider
        self.caption = ipywidgets.Label()
        self.widget = ipywidgets.VBox([self.slider, self.picture, self.caption])
        self.redraw()
        self.slider.observe(lambda change: self.redraw(), names="value")

    def redraw(self) -> str | None:
        """Draw the figure for the slider's value; returns ``draw``'s text."""
        start = time.perf_counter()
        value = self.slider.value
        text = self._show(lambda ax: self.draw(value, ax), start)
        self.caption.value = text or ""
        return text


class InterpolationSlider(_Redrawing):
    """A slider for α ∈ [0, 1] that shows ``decode`` of the point at α on the path from ``a`` to ``b``
    (beside the two endpoints), and a button that draws new endpoints.

    ``decode(z)`` maps an N×d array of latent vectors to N images (uint8, or floats in [-1, 1]);
    ``new_endpoints(rng)`` returns two latent vectors (e.g. a 2×d array) from a NumPy generator;
    ``caption(image)``, if given, is a short text shown under the interpolated image (e.g. a
    classifier's verdict). Show the controls with ``display(explorer.widget)``.

    After every redraw ``image`` holds the decoded image at α, exactly as ``decode`` returned it,
    ``picture.value`` the PNG on screen, and ``redraw_ms`` the time the redraw took (decode, caption
    and drawing); ``redraw_times_ms`` keeps all of them.
    """

    def __init__(self, decode: Callable[[np.ndarray], np.ndarray],
                 new_endpoints: Callable[[np.random.Generator], tuple[np.ndarray, np.ndarray]],
                 endpoints: tuple[np.ndarray, np.ndarray] | None = None, method: str = "slerp",
                 alpha: float = 0.5, caption: Callable[[np.ndarray], str] | None = None, seed: int = 0,
                 figsize: tuple[float, float] = (5.4, 2.2)):
        if method not in ("lerp", "slerp"):
            raise errors.UserValueError(f"method must be 'lerp' or 'slerp', not {method!r}")
        super().__init__(figsize)
        self.decode, self.new_endpoints, self.method, self.caption = decode, new_endpoints, method, caption
        self.rng = np.random.default_rng(seed)
        self.slider = ipywidgets.FloatSlider(value=alpha, min=0.0, max=1.0, step=0.01, description="α",
                                             continuous_update=True, readout_format=".2f")
        self.button = ipywidgets.Button(description="new endpoints")
        self.widget = ipywidgets.VBox([ipywidgets.HBox([self.slider, self.button]), self.picture])
        self.image: np.ndarray | None = None
        self.set_endpoints(*(self.new_endpoints(self.rng) if endpoints is None else endpoints))
        self.slider.observe(lambda change: self.redraw(), names="value")
        self.button.on_click(lambda _: self.set_endpoints(*self.new_endpoints(self.rng)))

    def set_endpoints(self, a: np.ndarray, b: np.ndarray) -> None:
        """Use new endpoints ``a`` and ``b``, decode them once, and redraw."""
        self.a, self.b = np.asarray(a, np.float32), np.asarray(b, np.float32)
        self.endpoint_images = np.asarray(self.decode(np.stack([self.a, self.b])))
        self.redraw()

    def point(self, alpha: float | None = None) -> np.ndarray:
        """The latent vector at ``alpha`` (default: the slider's value) on the path from ``a`` to ``b``."""
        t = self.slider.value if alpha is None else alpha
        return (latent.lerp if self.method == "lerp" else latent.slerp)(self.a, self.b, [t])[0]

    def redraw(self) -> np.ndarray:
        """Decode the point at the slider's α and draw it between the endpoints; returns the image."""
        start = time.perf_counter()
        alpha = self.slider.value
        self.image = np.asarray(self.decode(self.point(alpha)[None]))[0]
        text = self.caption(self.image) if self.caption else ""
        strip = plotting.grid_array([self.endpoint_images[0], self.image, self.endpoint_images[1]], ncols=3, pad=2)
        width = self.image.shape[1]
        centres = [2 + i * (width + 2) + (width - 1) / 2 for i in range(3)]

        def draw(ax: Axes) -> None:  # one axes for all three panels: half the drawing time
            ax.imshow(strip.squeeze(-1) if strip.shape[-1] == 1 else strip, cmap="gray", vmin=0, vmax=255,
                      interpolation="nearest")
            for x, title in zip(centres, ("α = 0", f"{self.method}, α = {alpha:.2f}", "α = 1")):
                ax.text(x, -1, title, ha="center", va="bottom", fontsize="small")
            ax.text(centres[1], strip.shape[0], text, ha="center", va="top", fontsize="small")
            ax.set_axis_off()

        self._show(draw, start)
        return self.image
