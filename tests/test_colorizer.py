"""The pix2pix colorizer: U-Net and PatchGAN, the photo data, the colorization metrics, the pair
trainer (exact resumption, the L1-only baseline) and the two recipes."""

import logging

import keras
import numpy as np
import pytest
import tensorflow as tf

from workshop_utils import colour, data, metrics, models, pipelines, recipes, runs, training

# -- models ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("size, depth", [(64, 6), (128, 7), (256, 8)])
def test_unet_depth_follows_the_image_size(size, depth):
    g = models.unet_generator(size, 1, 2, width=4)
    assert g.output.shape == (None, size, size, 2)
    downs = [layer for layer in g.layers if layer.name.startswith("down_") and isinstance(layer, keras.layers.Conv2D)]
    assert len(downs) == depth and downs[-1].output.shape[1:3] == (1, 1)  # the bottleneck is 1×1
    skips = [layer for layer in g.layers if isinstance(layer, keras.layers.Concatenate)]
    assert len(skips) == depth - 1  # every encoder output but the bottleneck joins the decoder
    assert [s.output.shape[1] for s in skips] == [2**i for i in range(1, depth)]
    dropouts = [layer.name for layer in g.layers if isinstance(layer, keras.layers.Dropout)]
    assert dropouts == ["up_dropout_1", "up_dropout_2", "up_dropout_3"]
    assert [d.filters for d in downs[:5]] == [4, 8, 16, 32, 32]  # C64-C128-C256-C512-C512 at width 64


def test_unet_rejects_sizes_that_are_not_powers_of_two():
    with pytest.raises(ValueError, match="power-of-two"):
        models.unet_generator(100)


def test_unet_is_deterministic_in_inference_and_random_in_training():
    g = models.unet_generator(32, 1, 2, width=4)
    x = np.random.default_rng(0).uniform(-1, 1, (2, 32, 32, 1)).astype(np.float32)
    np.testing.assert_array_equal(g(x, training=False), g(x, training=False))
    assert not np.array_equal(g(x, training=True), g(x, training=True))  # dropout


def test_layer_table_lists_the_chosen_layers_and_the_whole_total():
    g = models.unet_generator(32, 1, 2, width=4)
    full = models.layer_table(g).splitlines()
    assert full[0] == g.name and len(full) == 2 + len(g.layers) + 1
    assert full[-1].split()[-1] == f"{g.count_params():,}"
    convs = models.layer_table(g, (keras.layers.Conv2D,)).splitlines()
    n_convs = sum(isinstance(layer, keras.layers.Conv2D) for layer in g.layers)  # Conv2DTranspose included
    assert len(convs) == 2 + n_convs + 1 and convs[-1].startswith("total (all layers)")
    assert convs[-1].split()[-1] == full[-1].split()[-1]
    assert "(16, 16, 4)" in models.layer_table(g)  # the output shape, without the batch axis


def test_patchgan_receptive_field_analytic():
    assert [models.patchgan_receptive_field(n) for n in (1, 2, 3, 4, 5)] == [16, 34, 70, 142, 286]


def gradient_support(d, size, position):
    """Rows and columns of the input pixels that one output logit depends on (non-zero gradient)."""
    x = tf.random.normal([1, size, size, 1], seed=1)
    y = tf.random.normal([1, size, size, 2], seed=2)
    with tf.GradientTape() as tape:
        tape.watch([x, y])
        logit = d([x, y], training=False)[0, position, position, 0]  # inference: batch norm couples nothing
    gx, gy = tape.gradient(logit, [x, y])
    g = np.abs(gx.numpy()[0]).sum(-1) + np.abs(gy.numpy()[0]).sum(-1)
    rows, cols = np.flatnonzero(g.sum(1)), np.flatnonzero(g.sum(0))
    return rows, cols, int((g > 0).sum())


@pytest.mark.parametrize("size, n_layers, position", [(256, 3, 15), (64, 1, 8)])
def test_patchgan_receptive_field_by_gradient(size, n_layers, position):
    """One logit of an interior patch sees exactly a field×field square of input (and target)."""
    d = models.patchgan_discriminator(size, 1, 2, width=4, n_layers=n_layers)
    field = models.patchgan_receptive_field(n_layers)
    rows, cols, count = gradient_support(d, size, position)
    assert 0 < rows[0] and rows[-1] < size - 1  # interior: the field is not cut by the border
    assert rows[-1] - rows[0] + 1 == field and cols[-1] - cols[0] + 1 == field
    assert count == field * field


def test_patchgan_grid_sizes():
    assert models.patchgan_discriminator(256, width=4).output.shape == (None, 30, 30, 1)  # the paper's 30×30
    assert models.patchgan_discriminator(64, width=4).output.shape == (None, 6, 6, 1)


# -- metrics --------------------------------------------------------------------------------------


def test_colourfulness_known_answers():
    grey = np.full((2, 8, 8, 3), 0.4)
    assert metrics.colourfulness(grey) == pytest.approx([0.0, 0.0])
    red = np.zeros((1, 8, 8, 3))
    red[..., 0] = 1.0  # rg = 255, yb = 127.5, no spread
    assert metrics.colourfulness(red)[0] == pytest.approx(0.3 * np.hypot(255, 127.5))
    halves = np.zeros((1, 2, 2, 3))
    halves[:, 0, :, 0] = 1.0  # half red, half black: σ_rg = 127.5, σ_yb = 63.75, μ_rg = 127.5, μ_yb = 63.75
    assert metrics.colourfulness(halves)[0] == pytest.approx(1.3 * np.hypot(127.5, 63.75))


def test_histogram_intersection_known_answers():
    assert metrics.histogram_intersection([1, 2, 3], [2, 4, 6]) == pytest.approx(1.0)  # normalised
    assert metrics.histogram_intersection([1, 0, 0], [0, 0, 5]) == 0.0
    assert metrics.histogram_intersection([1, 1, 0], [0, 1, 1]) == pytest.approx(0.5)


def test_psnr_and_ssim_known_answers():
    x = np.random.default_rng(0).uniform(0.2, 0.8, (3, 32, 32, 3)).astype(np.float32)
    assert metrics.psnr(x + 0.1, x) == pytest.approx(20.0, abs=0.01)  # MSE 0.01
    assert metrics.ssim(x, x) == pytest.approx(1.0)


def test_colorization_metrics_favour_grey_but_histograms_do_not():
    """The known weakness: a grey guess beats a wrongly coloured one on PSNR, while colourfulness
    and the a*b* histograms expose it. Flipping the sign of a*, b* keeps the saturation, not the colour."""
    photos = data.load_photos("offline", 64).held_out.astype(np.float32) / 255.0
    same = metrics.colorization_metrics(photos, photos)
    assert same["hist_intersection_a"] == same["hist_intersection_b"] == 1.0
    assert same["colourfulness_gap"] == 0.0 and same["ab_l1"] == 0.0 and same["ssim"] == pytest.approx(1.0)
    lab = colour.rgb_to_lab(photos).numpy()
    grey = colour.lab_to_rgb(lab * [1, 0, 0]).numpy()
    flipped = colour.lab_to_rgb(lab * [1, -1, -1]).numpy()
    g, f = metrics.colorization_metrics(grey, photos), metrics.colorization_metrics(flipped, photos)
    assert g["psnr"] > f["psnr"] and g["ab_l1"] < f["ab_l1"]
    assert g["colourfulness"] < 2.0 < 30.0 < f["colourfulness"]
    assert g["colourfulness_gap"] < -20.0 < f["colourfulness_gap"]


def test_hue_histogram_known_answers_and_the_orange_problem():
    """Hue weighted by chroma: pure red, green and blue land in the bins of 0°, 120° and 240°, grey
    counts for nothing, and matplotlib's HSV agrees on random colours. A colorizer that paints a
    blue photo orange, like its orange training photos, is near the training hues and far from the
    truth: the number the benchmark reports."""
    from matplotlib.colors import rgb_to_hsv

    primaries = np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1], [0.5, 0.5, 0.5]], np.float64)
    h = metrics.hue_histogram(primaries)
    assert h[0] == h[12] == h[24] == pytest.approx(1 / 3) and h.sum() == pytest.approx(1.0)
    assert not metrics.hue_histogram(np.full((3, 3, 3), 0.4)).any()
    with pytest.raises(ValueError, match=r"RGB images shaped \[\.\.\., 3\]"):
        metrics.hue_histogram(np.zeros((4, 4, 4)))
    rgb = np.random.default_rng(0).random((2000, 3))
    hsv = rgb_to_hsv(rgb)
    expected = np.histogram(hsv[:, 0], metrics.HUE_BINS, (0, 1), weights=np.ptp(rgb, 1))[0]
    np.testing.assert_allclose(metrics.hue_histogram([rgb[:700], rgb[700:]]), expected / expected.sum(), atol=1e-12)
    orange, blue = np.full((2, 16, 16, 3), [1.0, 0.55, 0.1]), np.full((2, 16, 16, 3), [0.1, 0.3, 0.9])
    m = metrics.colorization_metrics(orange.astype(np.float32), blue.astype(np.float32), training=[orange[0]])
    assert m["hue_to_training"] == pytest.approx(0.0) and m["hue_truth_to_training"] == pytest.approx(1.0)


# -- data -----------------------------------------------------------------------------------------


def test_offline_photos_are_split_by_scene():
    photos = data.load_photos("offline", 64)
    assert set(photos.train_scenes) == set(data.PHOTO_TRAIN_SCENES)
    assert set(photos.held_out_scenes) == set(data.PHOTO_HELD_OUT_SCENES)
    assert not set(photos.train_scenes) & set(photos.held_out_scenes)
    assert photos.train_scenes.count("motorcycle") == 2  # both stereo views, one scene, on one side
    assert len(photos.train) == 17 and set(data.NATURE_SCENES) <= set(photos.train_scenes)  # the shipped nature photos
    assert not {"hubble_deep_field", "immunohistochemistry", "retina", "cat"} & set(photos.train_scenes + photos.held_out_scenes)
    assert all(min(p.shape[:2]) == 128 and p.dtype == np.uint8 for p in photos.train)  # shorter side zoom·size
    assert photos.held_out.shape == (16, 64, 64, 3) and photos.held_out.dtype == np.uint8
    # the held-out crops are cut from the held-out photographs, and always the same ones
    chelsea = data._fit(data._offline_scene("chelsea")[0], 128).numpy()
    np.testing.assert_array_equal(photos.held_out[:8], data.photo_crops([chelsea], 64))
    np.testing.assert_array_equal(data.load_photos("offline", 64).held_out, data._photos.__wrapped__("offline", 64, 2.0).held_out)
    limited = data.load_photos("offline", 64, n=2)
    assert len(limited.train) == 2 and all(a is b for a, b in zip(limited.train, photos.train))


def test_the_validation_split_comes_from_the_training_scenes_only():
    test, val = data.load_photos("offline", 64), data.load_photos("offline", 64, split="validation")
    assert set(val.held_out_scenes) == set(data.PHOTO_VALIDATION_SCENES) <= set(data.PHOTO_TRAIN_SCENES)
    assert set(val.train_scenes) == set(data.PHOTO_TRAIN_SCENES) - set(data.PHOTO_VALIDATION_SCENES)
    held_out = {c.tobytes() for c in test.held_out}  # the test photos are neither trained on nor validated on
    assert not held_out & {c.tobytes() for c in val.held_out}
    assert not any(any(np.array_equal(p, q) for q in val.train) for p in [data._fit(data._offline_scene(s)[0], 128).numpy()
                                                                          for s in data.PHOTO_HELD_OUT_SCENES])
    validation = [data._fit(data._offline_scene(s)[0], 128).numpy() for s in data.PHOTO_TRAIN_SCENES
                  if s in data.PHOTO_VALIDATION_SCENES]
    np.testing.assert_array_equal(val.held_out, data.photo_crops(validation, 64))
    assert "validation" in val.note
    with pytest.raises(ValueError, match="unknown split 'dev'"):
        data.load_photos("offline", 64, split="dev")


def test_auto_falls_back_to_the_offline_photos_with_one_note(caplog):
    with caplog.at_level(logging.WARNING, logger="workshop_utils.data"):
        photos = data.load_photos("auto", 64)
    assert photos.source == "offline" and "offline" in photos.note
    assert len([r for r in caplog.records if "shipped with the course" in r.getMessage()]) == 1


def test_photo_batches_are_random_crops_and_resume_exactly():
    photos = data.load_photos("offline", 32).train
    full = [b.numpy() for b in pipelines.photo_batches(photos, 32, 8, seed=3).take(6)]
    resumed = [b.numpy() for b in pipelines.photo_batches(photos, 32, 8, seed=3, start_batch=4).take(2)]
    np.testing.assert_array_equal(full[4], resumed[0])
    np.testing.assert_array_equal(full[5], resumed[1])
    assert full[0].shape == (8, 32, 32, 3) and full[0].dtype == np.float32
    assert 0.0 <= full[0].min() and full[0].max() <= 1.0
    crops = np.concatenate(full)
    assert len({c.tobytes() for c in crops}) == len(crops)  # no two crops alike
    other = pipelines.photo_batches(photos, 32, 8, seed=4).take(1).get_single_element().numpy()
    assert not np.array_equal(other, full[0])
    # flips: the mirror image of a crop from a non-symmetric photo shows up with a fixed photo and scale
    one = [np.asarray(photos[0])[:64, :64]]
    ds = pipelines.photo_batches(one, 64, 16, seed=0).take(1).get_single_element().numpy()
    target = one[0].astype(np.float32) / 255.0
    assert any(np.abs(c - target).max() < 0.01 for c in ds) and any(np.abs(c - target[:, ::-1]).max() < 0.01 for c in ds)
    with pytest.raises(ValueError, match="smaller than the crop size"):
        pipelines.photo_batches(photos, 256, 8, seed=0)


def test_a_folder_validation_split_leaves_the_test_photos_out(tmp_path):
    import imageio.v3 as iio

    rng = np.random.default_rng(1)
    for i in range(30):
        iio.imwrite(tmp_path / f"p{i:02d}.png", rng.integers(0, 256, (40, 40, 3), dtype=np.uint8))
    test, val = data.load_photos(str(tmp_path), 32), data.load_photos(str(tmp_path), 32, split="validation")
    key = lambda photos: {p.tobytes() for p in photos}  # noqa: E731
    assert len(test.train) == 27 and len(val.train) == 25  # 3 test photos; a tenth of the other 27 for validation
    assert key(val.train) < key(test.train)
    assert not {c.tobytes() for c in val.held_out} & {c.tobytes() for c in test.held_out}


def test_photo_folder_reuses_the_image_folder_checks(tmp_path):
    import imageio.v3 as iio

    rng = np.random.default_rng(0)
    for i in range(4):
        iio.imwrite(tmp_path / f"p{i}.png", rng.integers(0, 256, (40, 50, 3), dtype=np.uint8))
    (tmp_path / "broken.jpg").write_bytes(b"not a jpeg")
    with pytest.warns(data.SkippedFilesWarning, match="skipped 1 of 5"):
        photos = data.load_photos(str(tmp_path), 32)
    assert len(photos.train) == 3 and photos.held_out.shape == (5, 32, 32, 3)  # 1 photo held out: 5 crops
    with pytest.raises(FileNotFoundError, match="nowhere"):
        data.load_photos(str(tmp_path / "nowhere"), 32)
    single = tmp_path / "single"
    single.mkdir()
    iio.imwrite(single / "only.png", rng.integers(0, 256, (40, 50, 3), dtype=np.uint8))
    with pytest.raises(ValueError, match="two or more"):
        data.load_photos(str(single), 32)


def test_read_photo_grey_rgba_and_errors(tmp_path):
    import imageio.v3 as iio

    iio.imwrite(tmp_path / "grey.png", np.full((5, 7), 128, np.uint8))
    rgba = np.zeros((4, 6, 4), np.uint8)
    rgba[..., 0], rgba[..., 3] = 255, 0  # fully transparent red: composited onto white
    iio.imwrite(tmp_path / "rgba.png", rgba)
    rgb, alpha = data.read_photo(tmp_path / "grey.png")
    assert rgb.shape == (5, 7, 3) and alpha is None and np.allclose(rgb, 128 / 255)
    rgb, alpha = data.read_photo(tmp_path / "rgba.png")
    assert rgb.shape == (4, 6, 3) and alpha.shape == (4, 6) and np.allclose(rgb, 1.0) and np.all(alpha == 0)
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(ValueError, match="notes.txt is not a readable image"):
        data.read_photo(tmp_path / "notes.txt")
    with pytest.raises(FileNotFoundError, match="missing.png"):
        data.read_photo(tmp_path / "missing.png")


# -- the pair trainer -----------------------------------------------------------------------------


def pair_trainer(run_dir=None, adversarial=True):
    training.set_seed(0)
    g = models.unet_generator(32, 1, 2, width=4)
    d = models.patchgan_discriminator(32, 1, 2, width=4, n_layers=2) if adversarial else None
    return training.PairTrainer(g, d, g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
                                d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5) if adversarial else None,
                                steps_per_execution=2, run_dir=run_dir)


def pair_data(start):
    photos = data.load_photos("offline", 32).train
    return pipelines.photo_batches(photos, 32, 4, seed=0, start_batch=start, preprocess=colour.to_pairs)


def weights(trainer):
    models_ = [trainer.generator] + ([trainer.discriminator] if trainer.discriminator is not None else [])
    return [w for m in models_ for w in m.get_weights()]


@pytest.mark.parametrize("adversarial", [True, False], ids=["cGAN+L1", "L1"])
def test_pair_trainer_resumes_exactly(tmp_path, adversarial):
    straight = pair_trainer(tmp_path / "straight", adversarial)
    straight.train(pair_data, 6, log_every=2, progress=False)

    first = pair_trainer(tmp_path / "split", adversarial)
    first.train(pair_data, 3, log_every=2, progress=False)
    second = pair_trainer(tmp_path / "split", adversarial)
    assert second.restore() == 3
    second.train(pair_data, 6, log_every=2, progress=False)
    assert [r["step"] for r in second.history.rows] == [2, 3, 4, 6]
    for x, y in zip(weights(straight), weights(second)):
        np.testing.assert_array_equal(x, y)  # weights, batch-norm averages, optimizer state, dropout masks
    np.testing.assert_array_equal(straight.history.column("l1")[-1], second.history.column("l1")[-1])

    # the dropout counter is part of that: resuming with a fresh one gives a different run
    third = pair_trainer(tmp_path / "split", adversarial)
    fresh = [v.numpy() for v in training._random_states(pair_trainer().generator)]
    third.restore()
    for v, value in zip(training._random_states(third.generator), fresh):
        v.assign(value)
    third.train(pair_data, 7, log_every=7, progress=False)  # to step 7 from the checkpoint at 6
    straight.train(pair_data, 7, log_every=7, progress=False)
    assert not all(np.array_equal(x, y) for x, y in zip(weights(straight), weights(third)))


def test_l1_baseline_has_no_discriminator_anywhere(tmp_path):
    trainer = pair_trainer(tmp_path / "l1", adversarial=False)
    history = trainer.train(pair_data, 2, log_every=1, progress=False)
    assert history.columns == training.PairTrainer.columns
    assert all(r["d_loss"] == r["d_real"] == r["d_fake"] == 0.0 for r in history.rows)
    assert history.rows[-1]["g_loss"] == pytest.approx(100 * history.rows[-1]["l1"], rel=1e-5)
    names = [n for n, _ in tf.train.list_variables(trainer.manager.latest_checkpoint)]
    assert not any(n.startswith(("discriminator", "d_optimizer")) for n in names)
    assert any(n.startswith("random_states") for n in names)
    assert training.History.from_csv(tmp_path / "l1" / "history.csv").columns == training.PairTrainer.columns


def test_pair_trainer_argument_checks():
    g, d = models.unet_generator(32, width=4), models.patchgan_discriminator(32, width=4)
    with pytest.raises(ValueError, match="with its optimizer"):
        training.PairTrainer(g, d, g_optimizer=keras.optimizers.Adam())
    with pytest.raises(ValueError, match="gradient penalty"):
        training.PairTrainer(g, d, g_optimizer=keras.optimizers.Adam(), d_optimizer=keras.optimizers.Adam(), loss="wgan-gp")


# -- the recipes ----------------------------------------------------------------------------------


def test_colorizer_recipe_trains_exports_evaluates_and_resumes(tmp_path):
    run = runs.Run("colorizer", tmp_path / "run")
    assert isinstance(run.trainer, training.PairTrainer) and run.discriminator is not None
    assert run.settings["size"] == 64 and run.settings["l1_weight"] == 100.0 and run.settings["lr"] == 2e-4
    run.train(progress=False)
    for name in ("config.json", "history.csv", "generator.weights.h5", "samples.png", "checkpoints"):
        assert (tmp_path / "run" / name).exists(), name
    assert run.settings["data"] == "offline"  # "auto" resolved, so a later evaluate uses the same photos
    result = run.evaluate()
    assert {"psnr", "ssim", "colourfulness", "colourfulness_gap", "hist_intersection_a", "hist_intersection_b",
            "ab_l1"} <= set(result) and result["n"] == 16
    assert runs.evaluate_run(tmp_path / "run")["ab_l1"] == pytest.approx(result["ab_l1"], abs=1e-4)
    resumed = runs.Run("colorizer", tmp_path / "run", resume=True)
    assert resumed.start_step == 20
    resumed.train(30, progress=False)
    assert resumed.history.rows[-1]["step"] == 30
    with pytest.raises(ValueError, match="not latent vectors"):
        run.sample(4)


@pytest.mark.parametrize("space, channels", [("rgb", 3), ("lab", 2)])
def test_each_colour_space_predicts_its_channels(space, channels):
    assert recipes.get("colorizer").settings["colour_space"] == "lab"  # chosen on the validation scenes
    run = runs.Run("colorizer-l1", colour_space=space)
    assert run.generator.output.shape[-1] == channels and run.discriminator is None
    run.train(2, progress=False)
    grey, colorized, truth = runs.colorize_held_out(run.generator, run.settings, n=3)
    assert grey.shape == colorized.shape == truth.shape == (3, 64, 64, 3)


@pytest.mark.parametrize("space", ["rgb", "lab"])
def test_l1_baseline_learns(space):
    """100 steps of the L1 baseline move the held-out colour distribution towards the truth's (both
    a*/b* histogram intersections up by 0.15 or more) and the pixels closer: in RGB, where the
    untrained network also gets the lightness wrong, PSNR rises by 2 dB or more; in Lab, where
    lightness is given, the a*b* error falls by 10% or more."""
    run = runs.Run("colorizer-l1", colour_space=space)
    before = run.evaluate()
    run.train(100, progress=False)
    after = run.evaluate()
    assert after["hist_intersection_a"] > before["hist_intersection_a"] + 0.15
    assert after["hist_intersection_b"] > before["hist_intersection_b"] + 0.15
    if space == "rgb":
        assert after["psnr"] > before["psnr"] + 2.0
    else:
        assert after["ab_l1"] < 0.9 * before["ab_l1"]
