"""The instructors' fast path: a training is recorded once and replayed without an optimizer step."""

import json
import os
import shutil

import keras
import numpy as np
import pytest

from workshop_utils import config, errors, exercises, models, pipelines, recorded, runs, runtime, training

@pytest.fixture
def modes(monkeypatch, tmp_path):
    """Full sizes (recordings are full size), a recording folder, and a way to switch to the fast path."""
    monkeypatch.delenv("WORKSHOP_SMOKE", raising=False)
    monkeypatch.delenv("WORKSHOP_FAST", raising=False)
    out = tmp_path / "recorded"
    monkeypatch.setenv("WORKSHOP_RECORD", str(out))
    monkeypatch.setattr(recorded, "shipped_dir", lambda: out)
    monkeypatch.setattr(recorded, "_made", {})

    def fast():
        monkeypatch.delenv("WORKSHOP_RECORD", raising=False)
        config.set_fast(True)

    yield out, fast
    config.set_fast(False)


def counting(monkeypatch) -> list:
    calls = [0]
    original = keras.optimizers.Optimizer.apply

    def apply(self, *args, **kwargs):
        calls[0] += 1
        return original(self, *args, **kwargs)

    monkeypatch.setattr(keras.optimizers.Optimizer, "apply", apply)
    return calls


def theta(trainer, row):
    return {"theta": float(trainer.generator.get_layer("shift").theta.numpy()[0])}


def test_a_run_replays_its_recording_without_an_optimizer_step(modes, monkeypatch, tmp_path):
    out, fast = modes
    run = runs.Run("toy1d", steps=200)
    every, end = training.Probe(theta, every=50), training.Probe(lambda t, row: run.evaluate(n=400))
    run.train(progress=False, callbacks=[every, end], snapshot_every=100)
    (body,) = [json.loads(p.read_text()) for p in out.glob("*/identity.json")]
    assert body["machine"].startswith(f"{os.cpu_count()} CPU cores (")  # a GAN run repeats only on its kind of CPU

    fast()
    calls = counting(monkeypatch)
    replay = runs.Run("toy1d", tmp_path / "replayed", steps=200)
    every2, end2 = training.Probe(theta, every=50), training.Probe(lambda t, row: {})
    replay.train(progress=False, callbacks=[every2, end2], snapshot_every=100)
    assert calls[0] == 0 and int(replay.trainer.g_optimizer.iterations.numpy()) == 0
    assert replay.history.rows == run.history.rows
    assert every2.records == every.records and end2.records[0]["mean"] == pytest.approx(end.records[0]["mean"])
    assert [s for s, _ in replay.trainer.snapshots] == [0, 100, 200]
    np.testing.assert_allclose(replay.sample(500)[0], run.sample(500)[0], atol=2e-3)  # half-precision weights
    # the replay wrote the run directory as training does: a resumed Run continues from step 200
    assert runs.Run("toy1d", tmp_path / "replayed", resume=True).start_step == 200


def test_a_replayed_clipped_critic_keeps_its_weights_at_the_bound(modes):
    """float16 stores 0.01 as 0.010002: the replay must still show a critic inside [-c, c] with its
    weights at ±c, as training left it (give or take the weights within float16's resolution of the
    bound, 2e-6 below it, which half precision cannot tell from those at it)."""
    out, fast = modes
    run = runs.Run("ring-wgan", steps=100)
    run.train(progress=False)
    trained = models.share_at_clip(run.trainer.discriminator)
    assert trained > 0.1
    fast()
    replay = runs.Run("ring-wgan", steps=100)
    replay.train(progress=False)
    weights = np.concatenate([w.numpy().ravel() for w in replay.trainer.discriminator.trainable_weights])
    assert np.abs(weights).max() <= 0.01
    assert trained <= models.share_at_clip(replay.trainer.discriminator) <= trained + 0.03


def test_the_counter_counts_real_steps(monkeypatch):
    calls = counting(monkeypatch)
    runs.Run("toy1d", steps=5).train(progress=False)
    assert calls[0] > 0


def test_a_training_without_a_recording_names_what_differs(modes):
    out, fast = modes
    runs.Run("toy1d", steps=100).train(progress=False)
    fast()
    with pytest.raises(errors.UserFileNotFoundError, match=r"settings.seed \(0 recorded, 3 here\)"):
        runs.Run("toy1d", steps=100, seed=3).train(progress=False)
    # a budget chosen for another device (another target step) replays the one recording there is
    other = runs.Run("toy1d", steps=150)
    other.train(progress=False)
    assert other.history.rows[-1]["step"] == 100


def test_a_training_interrupted_and_switched_to_the_fast_path_replays_its_recording(modes, monkeypatch):
    out, fast = modes
    runs.Run("toy1d", steps=100).train(progress=False)
    runs.Run("toy1d", steps=40).train(progress=False)  # another recording of the same recipe and settings
    monkeypatch.delenv("WORKSHOP_RECORD")
    run = runs.Run("toy1d", steps=100)
    run.train(steps=30, progress=False)  # the class ran out of time at step 30
    fast()
    run.train(steps=100, progress=False)
    assert run.history.rows[-1]["step"] == 100


def test_plain_callbacks_cannot_be_replayed(modes):
    out, fast = modes
    with pytest.raises(errors.UserValueError, match="training.Probe"):
        runs.Run("toy1d", steps=20).train(progress=False, callbacks=[lambda trainer, row: None])


def test_a_recording_without_the_samplers_weights_refuses_to_sample(modes):
    out, fast = modes
    runs.Run("toy1d", steps=50).train(progress=False)
    for weights in out.glob("*/*.weights.h5"):
        weights.unlink()
    fast()
    replay = runs.Run("toy1d", steps=50)
    replay.train(progress=False)
    assert replay.history.rows[-1]["step"] == 50
    with pytest.raises(errors.UserValueError, match="without its generator's weights"):
        replay.sample(10)


def shift_trainer(loss, momentum):
    training.set_seed(0)
    return training.GANTrainer(models.shift_generator(1, 0.0), models.logistic_discriminator(1), latent_dim=1,
                               g_optimizer=keras.optimizers.SGD(0.05, momentum=momentum),
                               d_optimizer=keras.optimizers.SGD(0.05, momentum=momentum), loss=loss, seed=0)


def test_trainers_without_a_recipe_are_told_apart_by_what_they_train(modes, monkeypatch):
    out, fast = modes
    target = lambda start: pipelines.toy_batches(runs.recipes.get("toy1d").part("target")(  # noqa: E731
        runs.recipes.get("toy1d").resolve()), 64, 0, start)
    thetas = {}
    for loss, momentum in (("minimax", 0.0), ("non-saturating", 0.0), ("non-saturating", 0.9)):
        trainer = shift_trainer(loss, momentum)
        trainer.train(target, 60, log_every=10, progress=False)
        thetas[loss, momentum] = float(trainer.generator.get_layer("shift").theta.numpy()[0])
    assert len(list(out.glob("*/identity.json"))) == 3
    fast()
    calls = counting(monkeypatch)
    for (loss, momentum), value in thetas.items():
        trainer = shift_trainer(loss, momentum)
        trainer.train(target, 60, log_every=10, progress=False)
        assert float(trainer.generator.get_layer("shift").theta.numpy()[0]) == pytest.approx(value, abs=1e-2)
    assert calls[0] == 0


def test_two_trainings_the_fast_path_cannot_tell_apart_are_refused_when_recorded(modes):
    out, fast = modes
    toy = runs.recipes.get("toy1d")
    for mean in (7.0, 7.0, -2.0):  # the same training twice is one recording; on other data it is refused
        target = lambda start, mean=mean: pipelines.toy_batches(  # noqa: E731
            toy.part("target")({**toy.resolve(), "data_mean": mean}), 64, 0, start)
        trainer = shift_trainer("minimax", 0.0)
        if mean < 0:
            with pytest.raises(errors.UserValueError, match="could not tell their recordings apart"):
                trainer.train(target, 30, log_every=10, progress=False)
        else:
            trainer.train(target, 30, log_every=10, progress=False)
    assert len(list(out.glob("*/identity.json"))) == 1 and not list(out.glob("*.tmp"))


def test_your_own_train_step_runs_eagerly_and_replays(modes, monkeypatch):
    out, fast = modes
    step = exercises.get("02.train_step").reference
    mnist = runs.data.load_mnist()
    batches = lambda start: pipelines.array_batches(mnist.x_train, 64, 0, start, pipelines.scale_images)  # noqa: E731

    def loop():
        run = runs.Run("mnist-mlp", seed=0)
        s = run.settings
        trainer = training.StepFnTrainer(step, run.generator, run.discriminator, latent_dim=s["latent_dim"],
                                         g_optimizer=runs.make_optimizer(s), d_optimizer=runs.make_optimizer(s), seed=0)
        trainer.train(batches, 20, log_every=10, snapshot_every=10, progress=False)
        return trainer

    trained = loop()
    assert trained.history.columns == ("step", "d_loss", "g_loss", "seconds")
    assert int(trained.g_optimizer.iterations.numpy()) == 20
    fast()
    replayed = loop()
    assert int(replayed.g_optimizer.iterations.numpy()) == 0
    assert [s for s, _ in replayed.snapshots] == [0, 10, 20]
    np.testing.assert_allclose(replayed.snapshots[-1][1], trained.snapshots[-1][1], atol=1 / 127)


def test_the_fast_path_means_full_size_offline_data_and_a_cpu_budget(monkeypatch):
    monkeypatch.setenv("WORKSHOP_SMOKE", "1")
    monkeypatch.delenv("WORKSHOP_OFFLINE", raising=False)
    monkeypatch.delenv("WORKSHOP_FAST", raising=False)
    try:
        info = runtime.setup(seed=0, fast=True, verbose=False)
        assert info["fast"] and info["offline"] and not info["smoke"] and info["accelerator"] == "CPU"
        assert config.pick("full", "smoke") == "full"
        runtime.setup(seed=0, fast=False, verbose=False)
        assert not config.fast_mode() and config.smoke_mode()
        monkeypatch.setenv("WORKSHOP_FAST", "1")
        runtime.setup(seed=0, fast=False, verbose=False)
        assert config.fast_mode()  # the environment keeps it on whatever the notebook says
    finally:
        config.set_fast(False)


def test_half_precision_weights_load_into_float32_networks(tmp_path):
    generator = models.mlp_generator(4, (2,), hidden=(8,))
    generator.save_weights(tmp_path / "full.weights.h5")
    recorded.half_precision(tmp_path / "full.weights.h5", tmp_path / "half.weights.h5")
    again = models.mlp_generator(4, (2,), hidden=(8,))
    again.load_weights(tmp_path / "half.weights.h5")
    assert all(w.dtype == "float32" for w in again.weights)
    for a, b in zip(generator.get_weights(), again.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-3, atol=1e-4)


class Kept:
    """A callback that takes whatever a recording kept for it (a Probe's records, a Tracker's curve)."""

    def __call__(self, trainer, row):
        raise AssertionError("a replay calls no callback")

    def state(self):
        return self.kept

    def load_state(self, state):
        self.kept = state


SHIPPED = sorted(p.parent for p in (config.data_dir() / "pretrained" / "recorded").glob("*/identity.json"))


@pytest.mark.parametrize("folder", SHIPPED, ids=[p.name for p in SHIPPED])
def test_each_shipped_recording_decodes_its_fixed_batch_as_recorded(folder, monkeypatch):
    """A shipped recording of a recipe, replayed, decodes the trainer's fixed latent batch (or fixed
    inputs) as the trained networks did when it was recorded; any recording's history ends where it
    stopped, and its files are whole."""
    body = json.loads((folder / "identity.json").read_text())
    history = training.History.from_csv(folder / "history.csv")
    assert history.rows[-1]["step"] == body["stop"] and body["key"] == folder.name
    probes = recorded.read_probes(folder)
    identity = body["identity"]
    if "recipe" not in identity or identity["start"]:
        return  # a trainer without a recipe, or a resumed run: replayed by its notebook's fast run
    monkeypatch.delenv("WORKSHOP_SMOKE", raising=False)
    config.set_fast(True)
    try:
        run = runs.Run(identity["recipe"], **{k: v for k, v in identity["settings"].items() if k != "steps"})
        run.train(steps=identity["steps"], progress=False,
                  callbacks=[Kept() for _ in probes])
        assert run.history.rows[-1]["step"] == body["stop"]
        if body["sampler"] not in run.trainer.missing_weights:
            with np.load(folder / "snapshots.npz") as snaps:
                final = recorded._unpack(snaps["final"])
            np.testing.assert_allclose(run.trainer.snapshot(), final, atol=0.03)
    finally:
        config.set_fast(False)


def test_every_shipped_recording_is_found_by_its_identity_wherever_it_is_copied(tmp_path):
    """A recording is a plain folder named by the digest of its identity: copied elsewhere, each one
    is found there by the training it records, not a neighbour differing in steps or start."""
    shutil.copytree(SHIPPED[0].parent, tmp_path / "recorded", ignore=shutil.ignore_patterns("*.weights.h5"))
    for folder in SHIPPED:
        identity = json.loads((folder / "identity.json").read_text())["identity"]
        assert recorded.key(identity) == folder.name
        assert recorded.find(identity, tmp_path / "recorded") == tmp_path / "recorded" / folder.name


def test_the_shipped_weights_follow_the_keep_rules():
    """data/make_pretrained.py's KEEP names, by order, the training each shipped recording holds, and
    the recordings ship the networks it lists (none for an empty rule)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_pretrained", config.data_dir() / "make_pretrained.py")
    make_pretrained = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_pretrained)
    bodies = [json.loads((folder / "identity.json").read_text()) for folder in SHIPPED]
    for number, rules in make_pretrained.KEEP.items():
        for order, (label, parts) in rules.items():
            body = next(b for b in bodies if b["notebook"] == number and b["order"] == order)
            assert body["label"] == label, (number, order)
            shipped = {p.name.removesuffix(".weights.h5") for p in (SHIPPED[0].parent / body["key"]).glob("*.weights.h5")}
            shipped |= set(body.get("weights_from", {}))
            assert shipped == {body["sampler"] if p == "sampler" else p for p in parts}, (number, order)
