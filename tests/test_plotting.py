import matplotlib

matplotlib.use("Agg")

import imageio.v3 as iio  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from workshop_utils import distributions, metrics, plotting, training  # noqa: E402


def test_grid_array_layout_and_scaling():
    images = np.stack([np.full((4, 5, 1), v, np.float32) for v in (-1.0, 0.0, 1.0)])
    grid = plotting.grid_array(images, ncols=2, pad=1)
    assert grid.shape == (2 * 5 + 1, 2 * 6 + 1, 1) and grid.dtype == np.uint8
    assert grid[1, 1, 0] == 0 and grid[1, 7, 0] == 128 and grid[6, 1, 0] == 255
    assert grid[6, 7, 0] == 255  # the empty fourth cell is padding (white)


def test_image_columns_puts_each_column_under_its_title():
    rng = np.random.default_rng(0)
    columns = {"input": rng.random((3, 8, 8, 3)), "model": rng.random((3, 8, 8, 3))}
    fig = plotting.image_columns(columns, size=1.0)
    axes = np.array(fig.axes).reshape(3, 2)
    assert [ax.get_title() for ax in axes[0]] == ["input", "model"]
    np.testing.assert_array_equal(axes[2, 1].get_images()[0].get_array(), columns["model"][2])
    plt.close(fig)
    with pytest.raises(ValueError, match="same number of images"):
        plotting.image_columns({"a": columns["input"], "b": columns["model"][:2]})


def test_gif_has_one_frame_per_snapshot(tmp_path):
    snaps = [(s, np.random.default_rng(s).uniform(-1, 1, (4, 8, 8, 1))) for s in range(3)]
    path = plotting.save_gif(snaps, tmp_path / "a.gif", ncols=2)
    frames = iio.imread(path, index=None)
    assert frames.shape[0] == 3


def test_png_grid_round_trip(tmp_path):
    images = np.random.default_rng(0).integers(0, 256, (4, 6, 6, 1)).astype(np.uint8)
    path = plotting.save_image_grid(images, tmp_path / "g.png", ncols=2)
    np.testing.assert_array_equal(iio.imread(path), plotting.grid_array(images, 2).squeeze(-1))


def test_plots_draw_what_they_are_given():
    dist = distributions.gaussian_1d(7.0)
    ax = plotting.plot_1d(dist, dist.sample(500), discriminator=lambda x: 0.5 + 0 * x,
                          reference=lambda x: 1 / (1 + np.exp(-x)))
    labels = [h.get_label() for h in ax.get_legend().legend_handles]
    assert labels == ["p_data", "p_g (samples)", "D(x), learned", "D*(x), optimal"]
    ring = distributions.ring_of_gaussians()
    ax = plotting.plot_2d(ring.sample(100), ring)
    assert len(ax.collections) == 2
    history = training.History([{"step": s, "d_loss": 1.0, "g_loss": 0.7, "d_real": 0.5, "d_fake": 0.5, "seconds": s}
                                for s in (50, 100)])
    axes = plotting.plot_history(history)
    assert len(axes[0].lines) == 2 and len(axes[1].lines) == 3
    ax = plotting.plot_trajectories({"θ": ([0, 1, 2], [0.0, 3.0, 7.0])}, target=7.0)
    assert ax.lines[0].get_ydata().tolist() == [0.0, 3.0, 7.0]
    plt.close("all")


def test_summary_table():
    table = metrics.summary_table({"a": {"frechet_distance": 12.345, "classes_covered": 10}},
                                  columns=("frechet_distance", "classes_covered", "missing"))
    assert table.splitlines()[2] == "| a | 12.3 | 10 | – |"
