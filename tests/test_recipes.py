"""The recipe registry: every recipe names parts that exist, its kind is an object, its settings are
checked, and none of it (nor the command line's checks, plots or metrics) imports TensorFlow."""

import subprocess
import sys

import pytest

from workshop_utils import errors, kinds, recipes


@pytest.mark.parametrize("name", list(recipes.RECIPES))
def test_every_recipe_names_parts_that_exist(name):
    recipe = recipes.get(name)
    assert recipe.kind in kinds.KINDS.values()
    roles = ["generator", "data", "trainer"] + [r for r in ("discriminator", "evaluate", "target") if getattr(recipe, r)]
    for role in roles:
        assert callable(recipe.part(role)), role
    assert (recipe.target is not None) == (recipe.kind is kinds.POINTS)  # points are measured against a target
    assert (recipe.evaluate is not None) == (recipe.kind is not kinds.POINTS)
    assert (recipe.condition is not None) == (recipe.kind in (kinds.CONDITIONED_IMAGES, kinds.CODED_IMAGES))
    assert set(recipe.flags) <= set(recipe.settings) and set(recipe.choices) <= set(recipe.settings)
    settings = recipe.resolve()
    for key, allowed in recipe.choices.items():
        assert settings[key] in allowed, key


def test_the_registry_lists_what_the_packages_hold():
    from workshop_utils import conditions, losses, models

    assert recipes.LOSS_NAMES == tuple(losses.LOSSES)
    assert models.CONDITIONINGS is conditions.CONDITIONINGS
    for label, (name, row) in recipes.LOSS_ZOO.items():
        recipes.get(name).resolve(**row)


def test_settings_with_choices_are_checked():
    with pytest.raises(errors.UserValueError, match=r"unknown dataset 'moon' for recipe 'ring-gan'; use one of \['ring', 'grid'\]"):
        recipes.get("ring-gan").resolve(dataset="moon")
    with pytest.raises(errors.UserValueError, match="unknown loss 'wasserstein'"):
        recipes.get("mnist-dcgan").resolve(loss="wasserstein")
    assert recipes.get("mnist-cgan").resolve(conditioning="concat")["conditioning"] == "concat"


def test_registry_cli_plots_and_metrics_load_no_tensorflow():
    code = ("import sys\n"
            "from workshop_utils import cli, conditions, distributions, exercises, kinds, metrics, plotting, recipes, widgets\n"
            "from workshop_utils.cli import main\n"
            "codes = [main(a) for a in (['train', 'nope', '--out', 'x'], ['train', 'ring-gan', '--out', 'x', '--dataset', 'moon'],"
            " ['train', 'mnist-dcgan', '--out', 'x', '--set', 'width=wide'], ['evaluate', 'nowhere'], ['list'])]\n"
            "print(codes, sorted(m for m in ('tensorflow', 'keras') if m in sys.modules))\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == "[2, 2, 2, 2, 0] []", proc.stdout + proc.stderr
