"""Numbers that the notebooks' markdown quotes from a recorded source must match that source.

Each claim names a notebook cell, a phrase with placeholders, and where each number comes from: a
shipped pretrained run's card (`data/pretrained/NAME/card.json`), a benchmark's stored results
(`benchmarks/results/NAME.json`) or a recorded run that the fast path replays
(`data/pretrained/recorded/`). Rerun a benchmark or retrain a card, and this fails until the
text follows the new numbers.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import numpy as np
import pytest

from workshop_utils import config

ROOT = Path(__file__).resolve().parent.parent
ARITHMETIC = "faces-dcgan, arithmetic in z (shipped, 20,000 steps)"


def card(name: str) -> dict:
    return json.loads((ROOT / "data" / "pretrained" / name / "card.json").read_text())["metrics"]


def bench(name: str) -> dict:
    return json.loads((ROOT / "benchmarks" / "results" / f"{name}.json").read_text())


def conditional_faces(key: str) -> dict:
    """The newest measurement of one faces row of benchmarks/conditional.py; the arithmetic must
    have read the generator that ships now."""
    runs = bench("conditional")["faces"]
    row = next(runs[k][key] for k in sorted(runs, reverse=True) if key in runs[k])
    if "generator_sha256" in row or key == ARITHMETIC:
        shipped = ROOT / "data" / "pretrained" / "faces-dcgan" / config.GENERATOR_WEIGHTS
        assert row.get("generator_sha256") == hashlib.sha256(shipped.read_bytes()).hexdigest(), (
            "the stored arithmetic read another faces-dcgan: python benchmarks/conditional.py --stage arithmetic")
    return row


def arithmetic_seeds() -> dict:
    """Notebook 05's arithmetic with seeds 0, 1, 2: the rates, the range of baselines and of ratios."""
    rows = [conditional_faces(ARITHMETIC if s == 0 else f"{ARITHMETIC}, seed {s}") for s in (0, 1, 2)]
    ratios = [r["success_rate"] / r["baseline_rate"] for r in rows]
    return {**{f"s{i}": r["success_rate"] for i, r in enumerate(rows)},
            "lo": min(r["baseline_rate"] for r in rows), "hi": max(r["baseline_rate"] for r in rows),
            "rlo": min(ratios), "rhi": max(ratios)}


def colorizer_mean(label: str, steps: int, metric: str) -> float:
    """The mean over seeds 0–2 of one test-stage number of benchmarks/colorizer.py."""
    slug = {"L1 only": "l1-only", "cGAN + L1": "cgan-l1"}[label]
    return float(np.mean([bench("colorizer")[f"test/{slug}/seed{s}/{steps}"][metric] for s in (0, 1, 2)]))


def clipping_mean(step: int | None, key: str) -> float:
    """The mean over the seeds of benchmarks/wgan_clipping.py at one generator step (``None``: the end)."""
    runs = list(bench("wgan_clipping").values())
    if step is None:
        return float(np.mean([r["final"][key] for r in runs]))
    return float(np.mean([next(t[key] for t in r["trace"] if t["step"] == step) for r in runs]))


def clipping_swings() -> dict:
    """The largest jump of the share at ±c between two checks, and its range, over all seeds."""
    traces = [[t["share_at_clip"] for t in r["trace"]] for r in bench("wgan_clipping").values()]
    return {"jump": 100 * max(max(abs(a - b) for a, b in zip(t, t[1:])) for t in traces),
            "lo": min(min(t) for t in traces), "hi": max(max(t) for t in traces)}


def recording(notebook: str, order: int) -> dict[str, np.ndarray]:
    """The history of a notebook's recorded run (the ``order``-th training it made), which the fast
    path replays: data/pretrained/recorded/*/history.csv, as columns."""
    import csv

    for body in (ROOT / "data" / "pretrained" / "recorded").glob("*/identity.json"):
        meta = json.loads(body.read_text())
        if meta["notebook"] == notebook and meta["order"] == order:
            rows = list(csv.DictReader((body.parent / "history.csv").open()))
            return {k: np.array([float(r[k]) for r in rows]) for k in rows[0]}
    raise LookupError(f"notebook {notebook} has no recorded training number {order}")


def faces_log() -> dict:
    """Notebook 03's resumed run (its history holds the whole run): the numbers its text quotes."""
    log = recording("03", 2)
    at = lambda key, fn: int(log["step"][fn(log[key])])  # noqa: E731
    flips = log["d_fake"] > 0.5
    return {"steps": int(log["step"][-1]), **{f"{k}_med": float(np.median(log[k])) for k in ("d_loss", "g_loss", "d_real", "d_fake")},
            **{f"{k}_{q}": float(np.percentile(log[k], q)) for k in ("d_real", "d_fake", "g_loss") for q in (10, 90)},
            "g_max": float(log["g_loss"].max()), "g_max_step": at("g_loss", np.argmax),
            "flips": int(flips.sum()), "fake_max": float(log["d_fake"].max()), "fake_max_step": at("d_fake", np.argmax),
            "d_max": float(log["d_loss"].max()), "d_max_step": at("d_loss", np.argmax),
            "real_at_d_max": float(log["d_real"][np.argmax(log["d_loss"])])}


def full_minutes(notebook: str) -> dict:
    """A notebook's measured full-size run (benchmarks/fast_path.py): the total and its training
    cells, in minutes."""
    full = bench("fast_path")[notebook]["full"]
    cells = {"06": {"clip": "clip-budget", "zoo": "cell-46", "ring": "cell-33", "mnist": "cell-56"}}[notebook]
    return {"total": full["seconds"] / 60, **{k: full["cells"][c] / 60 for k, c in cells.items()}}


def last_step_is_worst(log: dict) -> dict:
    """The text says the discriminator's worst logged step was the run's last."""
    assert log["d_max_step"] == log["steps"], "the text says L_D peaked at the last logged step"
    return log


def first_faces_run() -> dict:
    """Notebook 03's first, time-bounded run: its steps and steps per second."""
    log = recording("03", 1)
    return {"steps": int(log["step"][-1]), "rate": float(log["step"][-1] / log["seconds"][-1])}


def signed(x: float) -> str:
    """+1.5 / −1.5, with the typographic minus the notebooks print."""
    return f"{x:+.1f}".replace("-", "−")


def validation_row(label: str, slug: str, bold: bool = False) -> tuple:
    """One row of notebook 04's validation table against benchmarks/colorizer.py --stage validation."""
    def values():
        r = bench("colorizer")[f"validation/{slug}/seed0/2500"]
        cells = [f"{r['psnr']:.2f}", signed(r["colourfulness_gap"]), f"{r['hist_intersection_a']:.3f}",
                 f"{r['hist_intersection_b']:.3f}", f"{r['hue_to_training']:.3f}"]
        return {"row": " | ".join(f"**{c}**" if bold else c for c in [label, *cells])}
    return ("04_pix2pix_colorizer.ipynb", "cell-51", "| {row} |", values)


def grey_input_psnr() -> float:
    """The benchmark's grey row (computed, not stored): the held-out crops' L* scored as a colorization."""
    from workshop_utils import colour, data, metrics

    truth = data.load_photos("offline", 64).held_out.astype(np.float32) / 255.0
    return metrics.psnr(colour.grey_rgb(colour.to_pairs(truth)[0]).numpy(), truth)


def held_out_row(label: str, steps: int) -> tuple:
    """One row of notebook 04's three-seed table against benchmarks/colorizer.py --stage test."""
    def values():
        m = {k: colorizer_mean(label, steps, k) for k in ("psnr", "colourfulness_gap", "hist_intersection_a",
                                                          "hist_intersection_b", "hue_to_training")}
        return {"row": f"{label}, {steps:,} steps | {m['psnr']:.2f} | {signed(m['colourfulness_gap'])} | "
                       f"{m['hist_intersection_a']:.3f} | {m['hist_intersection_b']:.3f} | {m['hue_to_training']:.3f}"}
    return ("04_pix2pix_colorizer.ipynb", "cell-65", "| {row} |", values)


# (notebook, cell id, phrase, {placeholder: value})
CLAIMS = [
    *(held_out_row(label, steps) for steps in (2500, 5000) for label in ("L1 only", "cGAN + L1")),
    ("04_pix2pix_colorizer.ipynb", "cell-65", "the grey input scores a PSNR of {grey:.2f}, and the true crops are at a "
     "hue distance of {hue:.3f} from the training photos",
     lambda: {"grey": grey_input_psnr(), "hue": colorizer_mean("L1 only", 5000, "hue_truth_to_training")}),
    validation_row("L1 only, Lab", "l1-only-lab"),
    validation_row("L1 only, RGB", "l1-only-rgb"),
    validation_row("cGAN + L1, Lab, 3-layer D (70 px), λ 100", "cgan-l1-lab-3-layer-d-100"),
    validation_row("cGAN + L1, RGB, 3-layer D (70 px), λ 100", "cgan-l1-rgb-3-layer-d-100"),
    validation_row("cGAN + L1, Lab, 2-layer D (34 px), λ 100", "cgan-l1-lab-2-layer-d-100", bold=True),
    validation_row("cGAN + L1, Lab, 3-layer D (70 px), λ 10", "cgan-l1-lab-3-layer-d-10"),
    ("04_pix2pix_colorizer.ipynb", "cell-51", "hue distance to training (truth {hue:.3f})",
     lambda: {"hue": bench("colorizer")["validation/l1-only-lab/seed0/2500"]["hue_truth_to_training"]}),
    ("03_dcgan_simpsons.ipynb", "cell-73", "scored an FD of {fd:.1f} with all {covered} values covered",
     lambda: {"fd": card("faces-dcgan")["frechet_distance"], "covered": card("faces-dcgan")["values_covered"]}),
    ("03_dcgan_simpsons.ipynb", "cell-73", "the real-vs-real floor of {floor:.1f}",
     lambda: {"floor": card("faces-dcgan")["real_vs_real_fd"]}),
    ("03_dcgan_simpsons.ipynb", "cell-47", "$D(x)$ stayed mostly between {d_real_10:.1f} and {d_real_90:.1f} and $D(G(z))$ "
     "mostly between {d_fake_10:.1f} and {d_fake_90:.1f} (the 10th and 90th percentiles of the log)", faces_log),
    ("03_dcgan_simpsons.ipynb", "cell-47", "$L_D$ jittered around {d_loss_med:.2f} without a trend, and $L_G$ mostly between "
     "{g_loss_10:.0f} and {g_loss_90:.0f}, after a first spike of {g_max:.1f} at step {g_max_step}", faces_log),
    ("03_dcgan_simpsons.ipynb", "cell-47", "$D(G(z))$ rose above 0.5 at {flips} logged steps, highest at step {fake_max_step} "
     "({fake_max:.2f}), and at the last logged step, {d_max_step:,}, the discriminator rejected the real faces too ($D(x) = "
     "{real_at_d_max:.2f}$), which gave $L_D$ its highest value, {d_max:.2f}", lambda: last_step_is_worst(faces_log())),
    ("03_dcgan_simpsons.ipynb", "cell-51", "For our recorded run of {steps:,} steps (offline cartoon faces, 2 CPU cores) the "
     "cell prints medians of $L_D = {d_loss_med:.2f}$, $L_G = {g_loss_med:.1f}$, $D(x) = {d_real_med:.2f}$ and $D(G(z)) = "
     "{d_fake_med:.2f}$; the largest generator loss, {g_max:.1f}, came at step {g_max_step}", faces_log),
    ("03_dcgan_simpsons.ipynb", "cell-39", "the eight minutes gave our recorded run {steps:,} steps, {rate:.1f} steps per second",
     lambda: first_faces_run()),
    ("03_dcgan_simpsons.ipynb", "notes-cell-35", "({steps:,} steps at {rate:.1f} steps per second in our recorded run",
     lambda: first_faces_run()),
    ("03_dcgan_simpsons.ipynb", "cell-64", "after {steps:,} steps (the {first:,} that fitted into the eight minutes",
     lambda: {"steps": faces_log()["steps"], "first": first_faces_run()["steps"]}),
    ("06_wasserstein_gan.ipynb", "cell-61", "In our recorded run the generator reached {steps} steps",
     lambda: {"steps": int(recording("06", 18)["step"][-1])}),
    ("06_wasserstein_gan.ipynb", "cell-57", "({steps} in our recorded run, on 2 cores)",
     lambda: {"steps": int(recording("06", 18)["step"][-1])}),
    ("06_wasserstein_gan.ipynb", "notes-cell-00", "the training took {total:.1f} minutes on 2 CPU cores in the course's "
     "measurement, {clip:.1f} of them for the long clipped-WGAN run", lambda: full_minutes("06")),
    ("06_wasserstein_gan.ipynb", "cell-02", "the whole notebook took {total:.1f} minutes in the course's measurement "
     "([`benchmarks/README.md`](https://github.com/gan-workshop/gan-workshop/blob/main/benchmarks/README.md)): {clip:.1f} for the clipped WGAN's 30,000-step run and {zoo:.1f} for the loss zoo, both in "
     "section 6, {ring:.1f} for the ring of section 4 and {mnist:.1f} for the three minutes of WGAN-GP on MNIST",
     lambda: full_minutes("06")),
    ("06_wasserstein_gan.ipynb", "cell-45", "the 14 runs took {zoo:.1f} minutes in the course's measurement",
     lambda: full_minutes("06")),
    ("07_conditional_gans.ipynb", "cell-19", "({acc:.1%} on the card's 10,000)",
     lambda: {"acc": card("mnist-cgan")["label_accuracy"]}),
    ("07_conditional_gans.ipynb", "cell-19", "({cgan:.1f} against {dcgan:.1f} at the same 6,000 steps)",
     lambda: {"cgan": card("mnist-cgan")["frechet_distance"], "dcgan": card("mnist-dcgan")["frechet_distance"]}),
    ("05_latent_space.ipynb", "cell-37", "it succeeded in {rate:.1%} of the 200 trials against a baseline of {base:.1%} "
     "({ratio:.0f}×)", lambda: {k: conditional_faces(ARITHMETIC)[v] for k, v in
                               (("rate", "success_rate"), ("base", "baseline_rate"), ("ratio", "ratio"))}),
    ("05_latent_space.ipynb", "cell-37", "the smile transferred in {smile:.1%} of the results, while B's hair colour was "
     "kept in only {hair:.1%}", lambda: {"smile": conditional_faces(ARITHMETIC)["smiling_rate"],
                                         "hair": conditional_faces(ARITHMETIC)["hair_kept_rate"]}),
    ("05_latent_space.ipynb", "cell-37", "and in {any:.1%} when the faces could be any members",
     lambda: {"any": conditional_faces(f"{ARITHMETIC}, any member")["success_rate"]}),
    ("05_latent_space.ipynb", "cell-33", "**{s0:.1%} of the trials succeed with seed 0, {s1:.1%} with seed 1 and {s2:.1%} "
     "with seed 2**, against random-$z$ baselines of {lo:.1%} to {hi:.1%}, between {rlo:.0f} and {rhi:.0f} times lower",
     lambda: arithmetic_seeds()),
    ("05_latent_space.ipynb", "notes-cell-33", "the arithmetic succeeded in {s0:.1%}, {s1:.1%} and {s2:.1%} of trials "
     "(seeds 0, 1, 2) against baselines of {lo:.1%} to {hi:.1%}", lambda: arithmetic_seeds()),
    ("05_latent_space.ipynb", "notes-cell-33", "the smile transferred in {smile:.1%} of trials but B's hair survived in "
     "only {hair:.1%}", lambda: {"smile": conditional_faces(ARITHMETIC)["smiling_rate"],
                                 "hair": conditional_faces(ARITHMETIC)["hair_kept_rate"]}),
    ("05_latent_space.ipynb", "notes-cell-33", "(ours: {any:.1%})",
     lambda: {"any": conditional_faces(f"{ARITHMETIC}, any member")["success_rate"]}),
    ("05_latent_space.ipynb", "cell-ideal-reading", "against {rate:.1%} and {any:.1%} for `faces-dcgan`",
     lambda: {"rate": conditional_faces(ARITHMETIC)["success_rate"],
              "any": conditional_faces(f"{ARITHMETIC}, any member")["success_rate"]}),
    ("05_latent_space.ipynb", "f49c1acb", "(B's hair kept in {hair:.1%} of the trials, the smile in {smile:.1%})",
     lambda: {"smile": conditional_faces(ARITHMETIC)["smiling_rate"],
              "hair": conditional_faces(ARITHMETIC)["hair_kept_rate"]}),
    *[("07_conditional_gans.ipynb", cell, phrase, lambda: {"rate": conditional_faces(ARITHMETIC)["success_rate"]})
      for cell, phrase in (("cell-00", "({rate:.1%} of 200 in the course's measurement)"),
                           ("notes-cell-00", "B's hair in {rate:.1%} of 200 trials"),
                           ("notes-cell-39", "against {rate:.1%} for notebook 05's arithmetic"))],
    ("06_wasserstein_gan.ipynb", "clip-budget-result", "the EMA generator put {hq:.1%} of its samples within $3\\sigma$ "
     "of a mode (seeds 0, 1, 2: {s0:.1%}, {s1:.1%}, {s2:.1%})",
     lambda: {"hq": clipping_mean(None, "high_quality_fraction"),
              **{f"s{k}": bench("wgan_clipping")[f"{k}/30000"]["final"]["high_quality_fraction"] for k in (0, 1, 2)}}),
    ("06_wasserstein_gan.ipynb", "clip-budget-result", "it jumped by up to {jump:.0f} percentage points, and over "
     "training it ranged from {lo:.0%} to {hi:.0%}", lambda: clipping_swings()),
    ("06_wasserstein_gan.ipynb", "clip-budget-result", "{first:.4f} at step 1,000 and {last:.4f} at the end",
     lambda: {"first": clipping_mean(1000, "critic_estimate"), "last": clipping_mean(30000, "critic_estimate")}),
    ("07_conditional_gans.ipynb", "cell-42", "met the request in {rate:.1%} of 1,000 faces (200 per colour; the worst, "
     "{worst}, {worst_rate:.1%}), against {arith:.1%} for notebook 05's arithmetic on the unconditional generator and "
     "{base:.1%} for a random $z$",
     lambda: {"rate": conditional_faces("faces-cgan")["mean_rate"], "worst": conditional_faces("faces-cgan")["worst"],
              "worst_rate": conditional_faces("faces-cgan")["worst_rate"],
              "arith": conditional_faces(ARITHMETIC)["success_rate"],
              "base": conditional_faces(ARITHMETIC)["baseline_rate"]}),
]


def _cell(notebook: str, cell_id: str) -> str:
    nb = json.loads((ROOT / "notebooks" / notebook).read_text())
    source = next("".join(c["source"]) for c in nb["cells"] if c.get("id") == cell_id)
    return re.sub(r"\s+", " ", source)


@pytest.mark.parametrize("notebook, cell_id, phrase, values", CLAIMS, ids=[f"{c[0][:2]}-{c[1]}-{i}" for i, c in enumerate(CLAIMS)])
def test_quoted_numbers_match_their_source(notebook, cell_id, phrase, values):
    expected = phrase.format(**values())
    assert expected in _cell(notebook, cell_id), f"{notebook} {cell_id} should say: {expected}"


def test_a_changed_source_number_is_caught():
    """The check can fail: the same phrase with a number one rounding step off is not in the text."""
    notebook, cell_id, phrase, values = next(c for c in CLAIMS if c[1] == "cell-73")
    wrong = {**values(), "fd": values()["fd"] + 0.1}
    assert phrase.format(**wrong) not in _cell(notebook, cell_id)
