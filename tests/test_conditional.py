"""Conditioning as a path of its own: c travels with the batches, the noise, G, D, the snapshots,
EMA, the gradient penalty and resume; unconditional recipes are untouched by it."""

import json

import numpy as np
import pytest

from workshop_utils import conditions, config, errors, pipelines, recipes, runs


def test_condition_encodes_decodes_samples_and_lays_out_grids():
    hair_mouth = conditions.Condition((5, 2), names=("hair_colour", "mouth"))
    labels = np.array([[0, 1], [4, 0], [2, 1]])
    c = hair_mouth.encode(labels)
    assert c.shape == (3, 7) and c.dtype == np.float32 and np.all(c.sum(1) == 2)
    np.testing.assert_array_equal(hair_mouth.decode(c), labels)
    with pytest.raises(errors.UserValueError, match="hair_colour must lie in 0..4"):
        hair_mouth.encode([[5, 0]])
    codes = conditions.Condition((10,), continuous=2).sample(1000, seed=3)
    assert codes.shape == (1000, 12) and np.all(codes[:, :10].sum(1) == 1)
    assert -1 <= codes[:, 10:].min() < -0.9 and 0.9 < codes[:, 10:].max() <= 1
    assert len(set(codes[:, :10].argmax(1))) == 10
    assert hair_mouth.balanced(6, {1: 2}).tolist() == [[0, 2], [1, 2], [2, 2], [3, 2], [4, 2], [0, 2]]
    grid = conditions.DIGITS.grid(3)
    assert grid[:, 0].tolist() == [d for d in range(10) for _ in range(3)]


def test_labelled_batches_keep_each_image_with_its_label():
    x = np.arange(50, dtype=np.uint8).reshape(50, 1, 1, 1)  # image i shows the number i
    labels = np.arange(50) % 10
    ds = pipelines.array_batches(x, 8, seed=2, labels=labels, encode=conditions.DIGITS.encode)
    batches = list(ds.take(7).as_numpy_iterator())
    for images, c in batches:
        np.testing.assert_array_equal(images.reshape(-1) % 10, c.argmax(1))
    resumed = next(pipelines.array_batches(x, 8, seed=2, start_batch=5, labels=labels,
                                           encode=conditions.DIGITS.encode).as_numpy_iterator())
    np.testing.assert_array_equal(resumed[0], batches[5][0])
    np.testing.assert_array_equal(resumed[1], batches[5][1])
    with pytest.raises(errors.UserValueError, match="49 labels for 50 examples"):
        pipelines.array_batches(x, 8, seed=2, labels=labels[:49])


def test_the_noise_stream_adds_c_without_changing_the_unconditional_streams():
    plain = next(pipelines.noise_batches(16, 4, seed=1, start_batch=3).as_numpy_iterator())
    with_c = next(pipelines.noise_batches(16, 4, seed=1, start_batch=3, condition=conditions.DIGITS).as_numpy_iterator())
    for key in ("z", "z_g", "alpha"):
        np.testing.assert_array_equal(plain[key], with_c[key])
    assert with_c["c"].shape == (16, 10) and np.all(with_c["c"].sum(1) == 1)
    assert not np.array_equal(with_c["c"], with_c["c_g"])


def weights(run):
    t = run.trainer
    return t.generator.get_weights() + t.discriminator.get_weights() + t.sampler.get_weights()


@pytest.mark.parametrize("recipe, overrides", [("mnist-cgan", {"conditioning": "projection"}),
                                               ("mnist-cgan", {"conditioning": "concat"}),
                                               ("mnist-cgan", {"loss": "wgan-gp", "d_steps": 2}),
                                               ("mnist-acgan", {}), ("mnist-infogan", {})])
def test_conditional_resume_is_bit_exact(tmp_path, recipe, overrides):
    """6 steps straight equal 3 steps, a restart, and 3 more: data (x, c), the fakes' c, EMA and
    (for WGAN-GP) the penalty on the line between (x, c) pairs all restart where they stopped."""
    settings = dict(log_every=3, checkpoint_every=3, steps_per_execution=1, **overrides)
    straight = runs.Run(recipe, tmp_path / "straight", **settings)
    straight.train(6, progress=False)
    runs.Run(recipe, tmp_path / "split", **settings).train(3, progress=False)
    resumed = runs.Run(recipe, tmp_path / "split", resume=True)
    assert resumed.start_step == 3 and resumed.trainer.condition is not None
    resumed.train(6, progress=False)
    for a, b in zip(weights(straight), weights(resumed)):
        np.testing.assert_array_equal(a, b)
    assert np.isfinite(resumed.history.column("d_loss")).all()


def test_samples_snapshots_and_the_run_picture_carry_c(tmp_path):
    import imageio.v3 as iio

    run = runs.Run("mnist-cgan", tmp_path / "run", steps=2, log_every=1)
    run.train(progress=False, snapshot_every=1)
    images, z, c = run.sample(12, seed=4, labels=np.full(12, 7))
    assert images.shape == (12, 28, 28, 1) and images.dtype == np.uint8 and z.shape == (12, 64)
    assert (c.argmax(1) == 7).all()
    again, _, _ = run.sample(12, seed=4, labels=np.full(12, 7))
    np.testing.assert_array_equal(images, again)
    other, _, _ = run.sample(12, seed=4, labels=np.full(12, 3))
    assert not np.array_equal(images, other)  # the same z, another digit: another image
    assert len(run.trainer.snapshots) == 3 and run.trainer.fixed_c.shape == (16, 10)
    np.testing.assert_array_equal(run.trainer.snapshots[-1][1], run.trainer.sample(run.trainer.fixed_z, run.trainer.fixed_c))
    picture = iio.imread(tmp_path / "run" / "samples.png")
    assert picture.shape[0] == 10 * 29 + 1 and picture.shape[1] == 8 * 29 + 1  # one row per digit, 8 columns
    assert json.loads((tmp_path / "run" / "config.json").read_text())["kind"] == "conditioned images"
    result = runs.evaluate_run(tmp_path / "run", n=100)
    assert 0 <= result["label_accuracy"] <= 1 and result["n"] == 100
    with pytest.raises(errors.UserValueError, match="not conditional"):
        runs.Run("mnist-dcgan").sample(4, labels=[1, 2, 3, 4])


def test_projection_and_concat_discriminators_see_c():
    from workshop_utils import models

    x = np.random.default_rng(0).uniform(-1, 1, (4, 28, 28, 1)).astype("float32")
    one, two = conditions.DIGITS.encode([1] * 4), conditions.DIGITS.encode([2] * 4)
    for conditioning in ("projection", "concat"):
        d = models.dcgan_discriminator_28(8, batch_norm=False, condition_dim=10, conditioning=conditioning)
        if conditioning == "projection":  # Vc starts random: two labels already give different logits
            assert d.get_layer("embed_c").kernel.shape == (10, d.get_layer("flatten").output.shape[-1])
        assert not np.allclose(d([x, one]), d([x, two]))
    with pytest.raises(errors.UserValueError, match="unknown conditioning"):
        models.dcgan_discriminator_28(8, condition_dim=10, conditioning="film")


def test_mnist_cgan_learns_to_draw_the_digit_it_is_asked_for():
    """After 300 steps at the recipe's width, the classifier reads the requested digit in more than
    half of the samples, against the 10% of a generator that ignores c (seeds 0-2 gave 84-87%; at
    the smoke width 16 the same steps give only 53-58%, too close to the bar)."""
    run = runs.Run("mnist-cgan", steps=300, width=recipes.get("mnist-cgan").settings["width"])
    run.train(progress=False)
    result = run.evaluate(n=500)
    assert result["label_accuracy"] > 0.5, result


def test_acgan_and_infogan_heads_and_their_extra_terms():
    """ACGAN's D classifies (the class term is in both losses); InfoGAN's D carries Q, whose
    codes c are in the noise stream but not in the (unlabelled) data."""
    acgan = runs.Run("mnist-acgan")
    assert [o.shape[-1] for o in acgan.discriminator.outputs] == [1, 10] and len(acgan.discriminator.inputs) == 1
    infogan = runs.Run("mnist-infogan")
    assert infogan.trainer.condition == conditions.Condition((10,), 2) and infogan.trainer.data_condition is None
    assert [o.shape[-1] for o in infogan.discriminator.outputs] == [1, 12]
    assert not isinstance(infogan.data_fn(0).element_spec, tuple)  # real digits come without labels
    noise = next(iter(pipelines.noise_batches(64, 62, 0, condition=infogan.trainer.condition)))
    fake = infogan.generator([noise["z"], noise["c"]], training=False)
    extra = float(infogan.trainer.d_extra_loss(None, infogan.discriminator(fake, training=False), None, noise["c"]))
    assert extra > np.log(10)  # an untrained Q knows nothing yet: at least the categorical code's entropy


def test_infogan_run_keeps_q_and_is_measured_both_ways(tmp_path):
    run = runs.Run("mnist-infogan", tmp_path / "run", steps=4, log_every=2)
    run.train(progress=False)
    assert (tmp_path / "run" / config.DISCRIMINATOR_WEIGHTS).is_file()
    result = runs.evaluate_run(tmp_path / "run", n=200)
    assert 0.1 <= result["code_accuracy"] <= 1 and 0.1 <= result["q_accuracy_on_real"] <= 1
    assert len(result["slant_abs_r"]) == 2 and len(result["ink_abs_r"]) == 2
    q = runs.load_discriminator(tmp_path / "run")
    for a, b in zip(q.get_weights(), run.discriminator.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_faces_cgan_asks_for_attributes_and_measures_the_requests(tmp_path):
    run = runs.Run("faces-cgan", tmp_path / "run", steps=2, log_every=1)
    condition = run.trainer.condition
    assert condition.names == ("hair_colour", "mouth") and condition.categories == (5, 3)
    assert condition.label("hair_colour", "blonde") == 2 and condition.label("mouth", "1") == 1
    with pytest.raises(errors.UserValueError, match="unknown mouth 'grinning'; use one of smiling, neutral, open"):
        condition.label("mouth", "grinning")
    images, _, c = run.sample(6, labels=np.tile([2, 0], (6, 1)))
    assert images.shape == (6, 64, 64, 3) and (condition.decode(c) == [2, 0]).all()
    run.train(progress=False)
    requests = runs.attribute_requests(run.recipe, run.settings, run.trainer.sampler, n=8)
    assert list(requests["rates"]) == ["black", "brown", "blonde", "red", "blue"] and requests["n"] == 8
    assert requests["worst_rate"] == min(requests["rates"].values()) <= requests["mean_rate"]
    result = runs.evaluate_run(tmp_path / "run", n=50)
    assert {"hair_colour_accuracy", "mouth_accuracy", "all_hold_rate", "frechet_distance", "real_vs_real_fd"} <= set(result)
    assert result["all_hold_rate"] <= min(result["hair_colour_accuracy"], result["mouth_accuracy"])


def test_a_conditional_faces_recipe_needs_labelled_faces(tmp_path):
    from PIL import Image

    for i in range(4):
        Image.fromarray(np.full((64, 64, 3), 40 * i, np.uint8)).save(tmp_path / f"{i}.png")
    with pytest.raises(errors.UserValueError, match="needs attribute labels.*use --data cartoon"):
        runs.Run("faces-cgan", data=str(tmp_path), batch_size=2)


def _echo_generator(inputs, training=False):
    """A stand-in generator whose 2×2 image shows its input: pixel 0 is z[0], pixel 1 the first
    categorical value (÷10), pixel 2 the first continuous code (÷2), pixel 3 the second categorical."""
    z, c = (np.asarray(t) for t in inputs)
    out = np.zeros((len(z), 2, 2, 1), np.float32)
    out[:, 0, 0, 0] = np.tanh(z[:, 0])
    out[:, 0, 1, 0] = c[:, :10].argmax(1) / 10
    out[:, 1, 0, 0] = c[:, -2] / 2 if c.shape[1] == 12 else 0.0
    out[:, 1, 1, 0] = c[:, 5:].argmax(1) / 10 if c.shape[1] == 8 else 0.0
    return out


def test_label_grid_keeps_one_z_per_column_and_one_label_per_row():
    from workshop_utils import recipes

    recipe = recipes.get("mnist-cgan")
    images, labels = runs.label_grid(recipe, recipe.resolve(), _echo_generator, per_value=3, seed=1)
    assert images.shape == (30, 2, 2, 1) and labels[:, 0].tolist() == np.repeat(np.arange(10), 3).tolist()
    columns = images[:, 0, 0, 0].reshape(10, 3)
    assert (columns == columns[0]).all() and len(set(columns[0])) == 3  # the same z down a column
    assert (images[:, 0, 1, 0].reshape(10, 3) == images[::3, 0, 1, 0][:, None]).all()  # one label per row
    faces = recipes.get("faces-cgan")
    images, labels = runs.label_grid(faces, faces.resolve(), _echo_generator, per_value=2, fixed={"mouth": "open"})
    assert labels.tolist() == [[h, 2] for h in range(5) for _ in range(2)]


def test_code_sweep_moves_one_continuous_code_along_each_row():
    from workshop_utils import recipes

    recipe = recipes.get("mnist-infogan")
    values = np.linspace(-2, 2, 5)
    images = runs.code_sweep(recipe, recipe.resolve(), _echo_generator, 0, values, [4, 7], seed=0)
    assert images.shape == (10, 2, 2, 1)
    rows = images.reshape(2, 5, 2, 2)
    assert (rows[:, :, 0, 0] == rows[:, :1, 0, 0]).all() and rows[0, 0, 0, 0] != rows[1, 0, 0, 0]  # one z per row
    assert (np.diff(rows[:, :, 1, 0].astype(int), axis=1) > 0).all()  # the code rises along the row
