"""Plots: image grids, training curves, 1-D density/decision plots, 2-D scatter over mode centres,
and GIFs of snapshots. Every function draws on a given ``ax`` (or a new figure) and returns it."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Callable, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from .distributions import GaussianMixture


def to_uint8(images) -> np.ndarray:
    """Generator output in [-1, 1] → uint8 in 0..255, same shape (the images of plots and metrics)."""
    x = np.asarray(images, np.float32)
    return np.clip(np.rint((x + 1.0) * 127.5), 0, 255).astype(np.uint8)


def grid_array(images, ncols: int | None = None, pad: int = 1) -> np.ndarray:
    """Tile N images (N×H×W×C, uint8 or float in [-1, 1]) into one uint8 H'×W'×C array."""
    x = np.asarray(images)
    x = x if x.dtype == np.uint8 else to_uint8(x)
    if x.ndim == 3:
        x = x[..., None]
    n, h, w, c = x.shape
    ncols = ncols or int(np.ceil(np.sqrt(n)))
    nrows = int(np.ceil(n / ncols))
    out = np.full((nrows * (h + pad) + pad, ncols * (w + pad) + pad, c), 255, np.uint8)
    for i in range(n):
        r, col = divmod(i, ncols)
        out[pad + r * (h + pad) : pad + r * (h + pad) + h, pad + col * (w + pad) : pad + col * (w + pad) + w] = x[i]
    return out


def image_grid(images, ncols: int | None = None, title: str | None = None, ax=None, scale: float = 0.6):
    """Show a grid of images; returns the axes."""
    grid = grid_array(images, ncols)
    if ax is None:
        _, ax = plt.subplots(figsize=(scale * grid.shape[1] / 10, scale * grid.shape[0] / 10))
    ax.imshow(grid.squeeze(-1) if grid.shape[-1] == 1 else grid, cmap="gray", vmin=0, vmax=255)
    ax.set_axis_off()
    if title:
        ax.set_title(title)
    return ax


def save_image_grid(images, path, ncols: int | None = None) -> Path:
    """Write a grid of images as a PNG."""
    import imageio.v3 as iio

    grid = grid_array(images, ncols)
    iio.imwrite(path, grid.squeeze(-1) if grid.shape[-1] == 1 else grid)
    return Path(path)


def figure_png(draw: Callable[[Axes], object], figsize: tuple[float, float], dpi: int = 100) -> tuple[bytes, object]:
    """Draw on a fresh single-axes figure and return (its PNG bytes, what ``draw`` returned)."""
    fig = Figure(figsize=figsize, dpi=dpi)
    FigureCanvasAgg(fig)
    result = draw(fig.add_subplot())
    buf = io.BytesIO()
    fig.savefig(buf, format="png", bbox_inches="tight")
    return buf.getvalue(), result


def image_columns(columns: dict[str, Sequence], size: float = 2.2, fontsize: float | None = None):
    """Images side by side for comparison: one column per entry of ``columns`` (title → a sequence of
    images, float RGB in [0, 1] or uint8, all sequences the same length), one row per index. Returns
    the figure."""
    nrows = {len(images) for images in columns.values()}
    if len(nrows) != 1:
        raise ValueError(f"every column needs the same number of images, got {sorted(nrows)}")
    nrows = nrows.pop()
    fig, axes = plt.subplots(nrows, len(columns), figsize=(size * len(columns), size * nrows), squeeze=False,
                             layout="constrained")
    for j, (title, images) in enumerate(columns.items()):
        axes[0, j].set_title(title, fontsize=fontsize)
        for i, image in enumerate(images):
            axes[i, j].imshow(image)
            axes[i, j].set_axis_off()
    return fig


def plot_history(history, axes: Sequence | None = None, title: str | None = None):
    """Loss curves (left) and the discriminator's mean outputs on real and fake data (right)."""
    h = history.as_dict() if hasattr(history, "as_dict") else history
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(11, 3.2))
    ax_loss, ax_d = axes
    ax_loss.plot(h["step"], h["d_loss"], label="discriminator loss")
    ax_loss.plot(h["step"], h["g_loss"], label="generator loss")
    ax_loss.set_xlabel("generator step")
    ax_loss.legend()
    ax_d.plot(h["step"], h["d_real"], label="D(x), real")
    ax_d.plot(h["step"], h["d_fake"], label="D(G(z)), fake")
    ax_d.axhline(0.5, color="grey", lw=0.8, ls="--")
    ax_d.set_xlabel("generator step")
    ax_d.legend()
    for ax in axes:
        ax.xaxis.set_major_locator(plt.MaxNLocator(6, integer=True))  # long runs: labels must not collide
    if title:
        ax_loss.set_title(title)
    return axes


def plot_1d(dist: GaussianMixture, samples=None, discriminator=None, reference=None, ax=None,
            xlim: tuple[float, float] | None = None, title: str | None = None):
    """The target density, a histogram of generated ``samples``, and discriminator curves.

    ``discriminator`` and ``reference`` are callables x → D(x) (e.g. the learned D and the analytic
    D*), drawn on a second y axis in [0, 1].
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 3.2))
    centres = dist.centres.ravel()
    lo, hi = xlim or (centres.min() - 5 * dist.std - 4, centres.max() + 5 * dist.std)
    xs = np.linspace(lo, hi, 400)
    ax.plot(xs, dist.density(xs), color="C0", label="p_data")
    if samples is not None:
        ax.hist(np.ravel(samples), bins=60, range=(lo, hi), density=True, alpha=0.45, color="C1", label="p_g (samples)")
    ax.set_xlim(lo, hi)
    ax.set_xlabel("x")
    ax.set_ylabel("density")
    handles, labels = ax.get_legend_handles_labels()
    if discriminator is not None or reference is not None:
        ax2 = ax.twinx()
        if discriminator is not None:
            ax2.plot(xs, np.ravel(discriminator(xs)), color="C2", label="D(x), learned")
        if reference is not None:
            ax2.plot(xs, np.ravel(reference(xs)), color="C3", ls="--", label="D*(x), optimal")
        ax2.set_ylim(-0.02, 1.02)
        ax2.set_ylabel("D(x)")
        h2, l2 = ax2.get_legend_handles_labels()
        handles, labels = handles + h2, labels + l2
    ax.legend(handles, labels, loc="upper left", fontsize="small")
    if title:
        ax.set_title(title)
    return ax


def plot_2d(samples, dist: GaussianMixture | None = None, ax=None, title: str | None = None, max_points: int = 2500):
    """Generated points over the target's mode centres."""
    if ax is None:
        _, ax = plt.subplots(figsize=(4, 4))
    x = np.asarray(samples)[:max_points]
    ax.scatter(x[:, 0], x[:, 1], s=3, alpha=0.4, color="C1", label="samples")
    if dist is not None:
        ax.scatter(dist.centres[:, 0], dist.centres[:, 1], marker="x", color="C0", s=40, label="mode centres")
        r = np.abs(dist.centres).max() + 1.0
        ax.set_xlim(-r, r)
        ax.set_ylim(-r, r)
    ax.set_aspect("equal")
    if title:
        ax.set_title(title)
    return ax


def save_gif(snapshots: Sequence[tuple[int, np.ndarray]], path, fps: float = 4.0, ncols: int | None = None) -> Path:
    """Write ``(step, images)`` snapshots as an animated GIF of image grids (imageio)."""
    import imageio.v3 as iio

    frames = [grid_array(images, ncols) for _, images in snapshots]
    frames = [f.squeeze(-1) if f.shape[-1] == 1 else f for f in frames]
    iio.imwrite(path, np.stack(frames), duration=1000.0 / fps, loop=0)
    return Path(path)


def plot_trajectories(curves: dict[str, tuple[Sequence[float], Sequence[float]]], target: float | None = None,
                      ax=None, xlabel: str = "generator step", ylabel: str = "θ", title: str | None = None):
    """One line per named ``(steps, values)`` curve, e.g. a parameter θ recorded during training,
    with an optional dashed horizontal line at ``target`` (where the values should end up)."""
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 3.2))
    for label, (steps, values) in curves.items():
        ax.plot(np.ravel(steps), np.ravel(values), label=label)
    if target is not None:
        ax.axhline(target, color="grey", lw=1.0, ls="--", label=f"target {target:g}")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.legend(fontsize="small")
    if title:
        ax.set_title(title)
    return ax
