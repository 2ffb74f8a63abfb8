"""The command line: recipes end to end, run directories, and one-line errors with exit code 2."""

import json
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest


def cli(*args, timeout=300):
    env = {**os.environ, "WORKSHOP_SMOKE": "1", "WORKSHOP_OFFLINE": "1"}
    return subprocess.run([sys.executable, "-m", "workshop_utils", *map(str, args)], capture_output=True,
                          text=True, timeout=timeout, env=env)


def assert_one_line_error(proc, *fragments):
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), proc.stderr
    assert "Traceback" not in proc.stderr
    for f in fragments:
        assert f in lines[0]


def test_list():
    proc = cli("list")
    assert proc.returncode == 0 and proc.stderr == "", proc.stderr  # no TensorFlow start-up lines either
    assert [line.split()[0] for line in proc.stdout.splitlines()] == ["toy1d", "mnist-mlp", "mnist-dcgan", "faces-dcgan", "ring-gan", "ring-wgan", "ring-wgan-gp", "ring-sngan", "mnist-cgan", "mnist-acgan", "mnist-infogan", "faces-cgan", "mnist-wgan-gp", "mnist-dcgan-tutorial", "colorizer", "colorizer-l1"]


@pytest.mark.parametrize(
    "args, fragments",
    [
        (("train", "nope", "--out", "{tmp}/r"), ["unknown recipe 'nope'", "toy1d"]),
        (("train", "toy1d", "--out", "{tmp}/r", "--steps", "-1"), ["--steps", "positive"]),
        (("train", "toy1d", "--out", "{tmp}/r", "--bogus"), ["unrecognized arguments: --bogus"]),
        (("train", "toy1d"), ["--out"]),
        (("frobnicate",), ["invalid choice"]),
        (("sample", "{tmp}/missing", "--out", "{tmp}/s.npz"), ["not a run directory"]),
        (("evaluate", "{tmp}"), ["not a run directory"]),
        (("train", "colorizer", "--out", "{tmp}/r", "--set", "l1_weight"), ["--set", "KEY=VALUE"]),
        (("train", "colorizer", "--out", "{tmp}/r", "--set", "nope=1"), ["no setting(s) ['nope']"]),
        (("train", "colorizer", "--out", "{tmp}/r", "--set", "d_layers=two"), ["d_layers", "expected int"]),
        (("train", "colorizer", "--out", "{tmp}/r", "--set", "steps=9"), ["--set steps", "flag"]),
        (("train", "colorizer", "--out", "{tmp}/r", "--set", "split=dev"), ["unknown split 'dev'"]),
        (("train", "mnist-dcgan", "--out", "{tmp}/r", "--dataset", "grid"), ["--dataset: not a flag of recipe mnist-dcgan",
                                                                             "--loss", "--set KEY=VALUE"]),
        (("train", "mnist-cgan", "--out", "{tmp}/r", "--conditioning", "film"), ["--conditioning", "invalid choice"]),
        (("train", "ring-gan", "--out", "{tmp}/r", "--set", "dataset=moon"), ["unknown dataset 'moon'", "'ring', 'grid'"]),
    ],
)
def test_user_errors_are_one_line_exit_2(tmp_path, capsys, args, fragments):
    """Checked before TensorFlow loads, so these run in-process and at once (test_recipes.py checks
    in a fresh interpreter that they import no TensorFlow)."""
    from workshop_utils import cli as command_line

    code = command_line.main([a.format(tmp=tmp_path) for a in args])
    assert_one_line_error(subprocess.CompletedProcess(args, code, "", capsys.readouterr().err), *fragments)
    assert not (tmp_path / "r").exists()


def test_train_help_lists_the_flags_the_recipes_declare():
    proc = cli("train", "--help")
    assert proc.returncode == 0
    for flag in ("--dataset {grid,ring}", "--conditioning {concat,projection}", "--colour-space {lab,rgb}", "--data DATA"):
        assert flag in proc.stdout, flag
    assert "colorizer, colorizer-l1: the photos" in " ".join(proc.stdout.split())


def test_corrupt_run_directory_is_one_line(tmp_path):
    (tmp_path / "config.json").write_text("{not json")
    proc = cli("evaluate", tmp_path)
    assert_one_line_error(proc)


def test_train_sample_evaluate_toy1d(tmp_path):
    run = tmp_path / "toy"
    proc = cli("train", "toy1d", "--out", run, "--steps", "600", "--seed", "3", "--quiet")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["step"] == 600
    for name in ("config.json", "history.csv", "generator.weights.h5", "samples.png", "checkpoints"):
        assert (run / name).exists(), name
    config = json.loads((run / "config.json").read_text())
    assert config["recipe"] == "toy1d" and config["settings"]["seed"] == 3

    proc = cli("sample", run, "--n", "50", "--out", tmp_path / "s.npz", "--seed", "1")
    assert proc.returncode == 0, proc.stderr
    with np.load(tmp_path / "s.npz") as f:
        assert f.files[0] == "samples"
        assert f["samples"].shape == (50, 1) and f["samples"].dtype == np.float32 and f["z"].shape == (50, 1)

    proc = cli("evaluate", run, "--n", "2000")
    assert proc.returncode == 0, proc.stderr
    metrics = json.loads(proc.stdout)
    assert {"mean", "wasserstein_1", "js_divergence", "modes_covered"} <= set(metrics)

    assert_one_line_error(cli("train", "toy1d", "--out", run), "already exists", "--resume")
    assert_one_line_error(cli("train", "toy1d", "--out", run, "--resume", "--seed", "4"), "different settings")

    proc = cli("train", "toy1d", "--out", run, "--resume", "--steps", "900", "--quiet")
    assert proc.returncode == 0, proc.stderr
    assert "resuming" in proc.stderr and "from step 600" in proc.stderr
    steps = [int(line.split(",")[0]) for line in (run / "history.csv").read_text().splitlines()[1:]]
    assert steps == sorted(set(steps)) and steps[-1] == 900 and 600 in steps


def test_faces_from_a_folder_with_bad_files(tmp_path):
    """A folder with corrupt, empty and non-image files trains on the good images and says in one
    line what it skipped; an empty folder is one error line with exit code 2."""
    from PIL import Image

    folder = tmp_path / "faces"
    folder.mkdir()
    rng = np.random.default_rng(0)
    for i in range(6):
        Image.fromarray(rng.integers(0, 256, (80, 70, 3), dtype=np.uint8)).save(folder / f"face_{i}.png")
    (folder / "corrupt.jpg").write_bytes(b"\xff\xd8\xff not really a jpeg")
    (folder / "empty.png").write_bytes(b"")
    (folder / "notes.txt").write_text("not an image")
    run = tmp_path / "run"
    proc = cli("train", "faces-dcgan", "--data", folder, "--out", run, "--steps", "4", "--batch-size", "4", "--quiet")
    assert proc.returncode == 0, proc.stderr
    warning = [line for line in proc.stderr.splitlines() if "skipped" in line]
    assert len(warning) == 1 and "skipped 3 of 9 files" in warning[0] and "other 6" in warning[0], proc.stderr
    assert proc.stderr.strip().splitlines() == warning  # nothing else: not even libjpeg's "Input file read error"
    assert json.loads((run / "config.json").read_text())["settings"]["data"] == str(folder)

    empty = tmp_path / "empty"
    empty.mkdir()
    assert_one_line_error(cli("train", "faces-dcgan", "--data", empty, "--out", tmp_path / "r2"), "no usable images", str(empty))
    assert_one_line_error(cli("train", "faces-dcgan", "--data", tmp_path / "nowhere", "--out", tmp_path / "r3"),
                          "does not exist", "nowhere")
    assert not (tmp_path / "r2").exists() and not (tmp_path / "r3").exists()


def test_mnist_dcgan_samples_are_uint8_images(tmp_path):
    run = tmp_path / "dcgan"
    assert cli("train", "mnist-dcgan", "--out", run, "--steps", "10", "--quiet").returncode == 0
    assert cli("sample", run, "--n", "12", "--out", tmp_path / "d.npz").returncode == 0
    with np.load(tmp_path / "d.npz") as f:
        assert f["samples"].shape == (12, 28, 28, 1) and f["samples"].dtype == np.uint8
    proc = cli("evaluate", run, "--n", "200")
    assert proc.returncode == 0, proc.stderr
    assert {"frechet_distance", "classifier_score", "classes_covered"} <= set(json.loads(proc.stdout))
    assert_one_line_error(cli("sample", run, "--label", "3", "--out", tmp_path / "x.npz"), "not conditional")


def test_conditional_samples_carry_their_labels(tmp_path):
    run = tmp_path / "cgan"
    assert cli("train", "mnist-cgan", "--out", run, "--steps", "4", "--conditioning", "concat", "--quiet").returncode == 0
    assert cli("sample", run, "--n", "6", "--label", "3", "--out", tmp_path / "three.npz").returncode == 0
    with np.load(tmp_path / "three.npz") as f:
        assert f["samples"].shape == (6, 28, 28, 1) and f["labels"].tolist() == [3] * 6 and f["c"].shape == (6, 10)
    assert cli("sample", run, "--n", "12", "--out", tmp_path / "all.npz").returncode == 0
    with np.load(tmp_path / "all.npz") as f:
        assert f["labels"].tolist() == [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]  # the labels in turn
    assert_one_line_error(cli("sample", run, "--label", "10", "--out", tmp_path / "x.npz"), "digit must lie in 0..9")
    assert not (tmp_path / "x.npz").exists()


def test_faces_attributes_are_asked_by_name(tmp_path):
    run = tmp_path / "faces"
    assert cli("train", "faces-cgan", "--out", run, "--steps", "2", "--quiet").returncode == 0
    proc = cli("sample", run, "--n", "5", "--condition", "hair_colour=blonde", "--condition", "mouth=smiling",
               "--out", tmp_path / "s.npz")
    assert proc.returncode == 0, proc.stderr
    with np.load(tmp_path / "s.npz") as f:
        assert f["samples"].shape == (5, 64, 64, 3) and f["labels"].tolist() == [[2, 0]] * 5
    assert_one_line_error(cli("sample", run, "--label", "1", "--out", tmp_path / "x.npz"), "--condition NAME=VALUE")
    assert_one_line_error(cli("sample", run, "--condition", "hat=red", "--out", tmp_path / "x.npz"), "unknown condition 'hat'")


@pytest.mark.parametrize("recipe", ["mnist-mlp", "faces-dcgan"])
def test_sigkill_then_resume(tmp_path, recipe):
    """Kill a run with SIGKILL mid-way: --resume continues from the last checkpoint, history intact."""
    run = tmp_path / "killed"
    env = {**os.environ, "WORKSHOP_SMOKE": "1", "WORKSHOP_OFFLINE": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "workshop_utils", "train", recipe, "--out", str(run),
                             "--steps", "100000", "--set", "checkpoint_every=100", "--quiet"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    state = run / "checkpoints" / "checkpoint"
    deadline = time.time() + 240
    while not state.exists() and time.time() < deadline and proc.poll() is None:
        time.sleep(0.2)
    time.sleep(1.0)  # let it run on past the checkpoint, then kill it hard
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert state.exists(), "no checkpoint was written before the deadline"
    last = int(state.read_text().split('model_checkpoint_path: "ckpt-')[1].split('"')[0])

    resumed = cli("train", recipe, "--out", run, "--resume", "--steps", str(last + 200), "--quiet")
    assert resumed.returncode == 0, resumed.stderr
    start = int(resumed.stderr.split("from step ")[1].split()[0])
    assert start == last > 0 and start % 100 == 0
    steps = [int(line.split(",")[0]) for line in (run / "history.csv").read_text().splitlines()[1:]]
    assert steps[-1] == last + 200 and steps == sorted(set(steps))
    assert steps[: start // 50] == list(range(50, start + 1, 50))  # the history before the kill is intact
    assert not list((run / "checkpoints").glob("*_temp*"))


# -- the colorizer ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def colorizer_run(tmp_path_factory):
    """One smoke-size colorizer run, trained once through the command line."""
    run = tmp_path_factory.mktemp("colorizer") / "run"
    proc = cli("train", "colorizer", "--out", run, "--quiet")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["step"] == 20 and {"l1", "d_loss", "g_loss"} <= set(json.loads(proc.stdout))
    return run


def test_colorizer_evaluate_prints_held_out_metrics(colorizer_run, tmp_path):
    proc = cli("evaluate", colorizer_run)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["recipe"] == "colorizer" and result["data"] == "offline" and result["n"] == 16
    assert {"psnr", "ssim", "colourfulness_gap", "hist_intersection_a", "hist_intersection_b", "ab_l1"} <= set(result)
    assert_one_line_error(cli("sample", colorizer_run, "--out", tmp_path / "s.npz"), "colorize IMAGE")
    assert_one_line_error(cli("train", "faces-dcgan", "--out", tmp_path / "f", "--colour-space", "rgb"),
                          "--colour-space: not a flag of recipe faces-dcgan")


def test_set_changes_any_setting_and_the_validation_run_is_evaluated_on_validation_photos(tmp_path):
    run = tmp_path / "val"
    proc = cli("train", "colorizer", "--out", run, "--steps", "2", "--quiet",
               "--set", "split=validation", "--set", "d_layers=3", "--set", "l1_weight=10")
    assert proc.returncode == 0, proc.stderr
    settings = json.loads((run / "config.json").read_text())["settings"]
    assert (settings["split"], settings["d_layers"], settings["l1_weight"]) == ("validation", 3, 10)
    result = json.loads(cli("evaluate", run).stdout)
    assert result["n"] == 26  # the crops of the three validation scenes, not the 16 held-out ones


def test_colorize_grey_rgba_and_large_photos_at_their_own_size(colorizer_run, tmp_path):
    import imageio.v3 as iio

    from workshop_utils import colour

    ramp = np.linspace(0, 255, 2000, dtype=np.float32)
    large = np.stack([np.broadcast_to(ramp, (1500, 2000)), np.broadcast_to(ramp[::-1], (1500, 2000)),
                      np.full((1500, 2000), 90.0)], axis=-1).astype(np.uint8)
    grey = np.random.default_rng(0).integers(0, 256, (120, 90), dtype=np.uint8)
    rgba = np.random.default_rng(1).integers(0, 256, (70, 110, 4), dtype=np.uint8)
    iio.imwrite(tmp_path / "large.jpg", large)
    iio.imwrite(tmp_path / "grey.png", grey)
    iio.imwrite(tmp_path / "rgba.png", rgba)
    out = tmp_path / "out"
    proc = cli("colorize", tmp_path / "grey.png", tmp_path / "rgba.png", tmp_path / "large.jpg", "--run", colorizer_run,
               "--out", out)
    assert proc.returncode == 0, proc.stderr
    assert len(proc.stdout.splitlines()) == 3
    for name, shape, channels in [("grey", (120, 90), 3), ("rgba", (70, 110), 4), ("large", (1500, 2000), 3)]:
        image = iio.imread(out / f"{name}-colorized.png")
        assert image.shape == (*shape, channels) and image.dtype == np.uint8, name
        rgb = image[..., :3].astype(np.float32) / 255.0
        chroma = np.abs(colour.rgb_to_lab(rgb).numpy()[..., 1:])
        assert chroma.max() > 2.0, name  # colour, not grey
    np.testing.assert_array_equal(iio.imread(out / "rgba-colorized.png")[..., 3], rgba[..., 3])  # transparency kept
    lightness = colour.rgb_to_lab(iio.imread(out / "grey-colorized.png").astype(np.float32) / 255.0).numpy()[..., 0]
    original = colour.rgb_to_lab(np.repeat(grey[..., None], 3, -1).astype(np.float32) / 255.0).numpy()[..., 0]
    assert np.median(np.abs(lightness - original)) < 1.0  # the full-resolution lightness of the input


def test_colorize_bad_inputs_are_one_line(colorizer_run, tmp_path):
    (tmp_path / "notes.txt").write_text("not an image")
    proc = cli("colorize", tmp_path / "notes.txt", "--run", colorizer_run, "--out", tmp_path / "out")
    assert_one_line_error(proc, "notes.txt", "not a readable image")
    assert not (tmp_path / "out").exists()
    assert_one_line_error(cli("colorize", tmp_path / "missing.jpg", "--run", colorizer_run, "--out", tmp_path / "o"),
                          "missing.jpg")
    (tmp_path / "photo.png").write_bytes((colorizer_run / "samples.png").read_bytes())
    assert_one_line_error(cli("colorize", tmp_path / "photo.png", "--run", tmp_path, "--out", tmp_path / "o"),
                          "not a run directory")


def test_evaluate_latent_measures_arithmetic_on_the_pretrained_faces():
    from workshop_utils import config

    faces = config.data_dir() / "pretrained" / "faces-dcgan"
    proc = cli("evaluate", faces, "--latent", "--trials", 40)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["exemplars"] == 10 and out["trials"] == 40 and out["recipe"] == "faces-dcgan"
    assert out["success_rate"] <= min(out["smiling_rate"], out["hair_kept_rate"])
    assert out["success_rate"] > 3 * out["baseline_rate"]  # the arithmetic does something a random z does not


def test_a_user_error_raised_deep_inside_is_one_line_and_a_bug_keeps_its_traceback(monkeypatch, capsys, tmp_path):
    from workshop_utils import cli, errors

    monkeypatch.setattr(cli, "_import_tensorflow_quietly", lambda: None)

    def user_error(args):
        raise errors.UserFileNotFoundError(f"{args.run_dir} is not there; pass a run directory")

    monkeypatch.setitem(cli.COMMANDS, "evaluate", user_error)
    assert cli.main(["evaluate", str(tmp_path / "gone")]) == 2
    assert capsys.readouterr().err == f"error: {tmp_path / 'gone'} is not there; pass a run directory\n"

    def bug(args):
        raise ValueError("operands could not be broadcast together with shapes (2,3) (4,)")

    monkeypatch.setitem(cli.COMMANDS, "evaluate", bug)
    with pytest.raises(ValueError, match="broadcast"):  # propagates: python -m prints the traceback
        cli.main(["evaluate", str(tmp_path)])


def test_user_errors_are_also_the_builtin_error_of_their_kind():
    from workshop_utils import errors, recipes, runs

    with pytest.raises(errors.UserError) as caught:
        recipes.get("nope")
    assert isinstance(caught.value, ValueError)
    with pytest.raises(FileNotFoundError):
        runs.load_run("/nonexistent/run")
    assert issubclass(errors.UserFileExistsError, FileExistsError)
