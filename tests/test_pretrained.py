"""The shipped pretrained generators: small, loadable, and their cards tell the truth."""

import json

import numpy as np
import pytest

from workshop_utils import config, runs

PRETRAINED = config.data_dir() / "pretrained"
NAMES = sorted(p.parent.name for p in PRETRAINED.glob("*/card.json"))


def test_the_demos_have_their_generators_and_the_folder_stays_small():
    assert {"faces-dcgan", "mnist-dcgan", "colorizer", "mnist-cgan", "mnist-infogan", "faces-cgan"} <= set(NAMES)
    total = sum(f.stat().st_size for f in PRETRAINED.rglob("*") if f.is_file())
    assert total < 40e6, f"data/pretrained holds {total / 1e6:.1f} MB; keep it under 40 MB"


@pytest.mark.parametrize("name", NAMES)
def test_evaluate_reproduces_the_card(name):
    recipe, settings, generator, card = runs.load_pretrained(name)
    stored = json.loads((PRETRAINED / name / "config.json").read_text())
    assert card["recipe"] == recipe.name == stored["recipe"] and card["seed"] == settings["seed"]
    assert f"train {recipe.name} " in card["command"] and f"--steps {card['steps']} " in card["command"]
    assert not (PRETRAINED / name / "checkpoints").exists()
    keeps = recipe.kind.keeps_discriminator  # InfoGAN's Q lives in its discriminator: it ships too
    assert (PRETRAINED / name / config.DISCRIMINATOR_WEIGHTS).is_file() == keeps
    discriminator = runs.load_discriminator(PRETRAINED / name) if keeps else None
    measured = runs.evaluate_generator(recipe, settings, generator, discriminator=discriminator)
    for key, value in card["metrics"].items():
        if isinstance(value, float):
            np.testing.assert_allclose(measured[key], value, rtol=1e-3, err_msg=key)
        elif isinstance(value, (int, str)):
            assert measured[key] == value, key
