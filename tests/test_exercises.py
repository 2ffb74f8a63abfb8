"""The exercise checker: the reference passes, every catalogued mistake gets its own hint, and an
answer that is missing, raises or is wrong gets a hint and the reference, never an exception."""

import numpy as np
import pytest

from workshop_utils import exercises

NAMES = exercises.names()


def test_names_are_notebook_numbered_and_unique():
    assert NAMES and len(set(NAMES)) == len(NAMES)
    for name in NAMES:
        assert name[:2].isdigit() and name[2] == "." and exercises.get(name).task


@pytest.mark.parametrize("name", NAMES)
def test_the_reference_passes_and_is_returned(name, capsys):
    reference = exercises.solution(name)
    capsys.readouterr()
    assert exercises.check(name, reference) is reference
    assert "✓" in capsys.readouterr().out


@pytest.mark.parametrize("name", NAMES)
def test_each_catalogued_mistake_gets_its_own_hint(name, capsys):
    ex = exercises.get(name)
    assert ex.mistakes, "catalogue the typical mistakes"
    assert len({m.hint for m in ex.mistakes}) == len(ex.mistakes)
    for mistake in ex.mistakes:
        assert exercises.check(name, mistake.answer) is ex.reference
        out = capsys.readouterr().out
        assert mistake.hint in out and "✗" in out, (mistake.hint, out)


def _raises(*args):
    return np.asarray(args[0]).reshape(7, 7)  # the student's bug


@pytest.mark.parametrize("name", NAMES)
def test_undone_raising_and_wrong_answers_get_a_hint_and_the_reference(name, capsys):
    ex = exercises.get(name)
    undone = (lambda *args: None) if ex.is_function else None
    wrong = (lambda *args: np.float32(0.123)) if ex.is_function else 12.345
    for answer in (undone, None, wrong) + ((_raises,) if ex.is_function else ()):
        assert exercises.check(name, answer) is ex.reference
        out = capsys.readouterr().out
        assert out.startswith(f"✗ {name}: ") and "Traceback" not in out and "exercises.hint(" in out
    if ex.is_function:
        exercises.check(name, _raises)
        out = capsys.readouterr().out
        assert "your code raised ValueError: " in out
        assert "return np.asarray(args[0]).reshape(7, 7)" in out, "the student's own line is shown"


def _shipped(*args):
    """An exercise cell as shipped: a docstring and a body of ...."""
    ...


@pytest.mark.parametrize("name", [n for n in NAMES if exercises.get(n).is_function])
def test_a_function_shipped_undone_is_called_not_answered(name):
    assert exercises.verdict(name, _shipped).message.startswith("not answered yet")


def test_an_error_in_a_notebook_cell_names_the_cell_on_both_ipython_generations():
    for filename, where in (("<ipython-input-7-0a1b2c3d>", "cell [7], line 3"),
                            ("/tmp/ipykernel_4242/1234567.py", "your cell, line 3")):
        code = compile("def f(x):\n    y = x\n    return y / 0\n", filename, "exec")
        scope = {}
        exec(code, scope)
        try:
            scope["f"](1)
        except ZeroDivisionError as err:
            assert f"at {where}" in exercises.describe_error(err)


def test_a_shape_mismatch_and_an_infinite_result_are_named():
    v = exercises.verdict("01.discriminator_loss", lambda r, f: np.zeros(3))
    assert not v.passed and "shape" in v.message
    v = exercises.verdict("01.non_saturating_loss", lambda f: np.float32(np.nan) if f.min() < -100 else np.mean(np.logaddexp(0, -f)))
    assert not v.passed and "not a finite number" in v.message and "softplus" in v.message


def test_hints_come_one_at_a_time_and_unknown_names_are_a_clear_error(capsys):
    first, second = exercises.hint("01.discriminator_loss"), exercises.hint("01.discriminator_loss")
    assert first.startswith("hint 1 of") and second.startswith("hint 2 of")
    with pytest.raises(ValueError, match="no exercise '01.nope'; the exercises are 01.discriminator_loss"):
        exercises.check("01.nope", None)


def test_a_question_takes_numbers_and_says_what_a_non_number_is():
    assert exercises.verdict("01.value_at_optimum", -1.3863).passed
    v = exercises.verdict("01.value_at_optimum", "minus log four")
    assert not v.passed and "expected a number" in v.message


def test_a_numpy_loss_gets_the_numbers_but_not_the_train_step():
    v = exercises.verdict("01.non_saturating_loss", lambda f: np.mean(np.logaddexp(0.0, -f)))
    assert not v.passed and "tf.function" in v.message and "keras.ops" in v.message


def test_the_train_step_is_judged_by_the_weights_it_leaves():
    """02's step is run on tiny networks; a step that also moves G in D's update is told so."""
    from workshop_utils import solutions

    ex = exercises.get("02.train_step")
    first = exercises._results(ex, ex.reference, ex.probes())
    assert exercises._same(first, exercises._results(ex, ex.reference, ex.probes()), ex), "the harness is deterministic"
    v = exercises.verdict("02.train_step", solutions._wrong_step(d_both=True))
    assert not v.passed and "discriminator.trainable_variables only" in v.message
    v = exercises.verdict("02.train_step", lambda *args: (0.0, 0.0))
    assert not v.passed and "expected" in v.message


def test_a_choice_is_read_without_case_or_spaces_and_an_unknown_one_gets_the_first_hint():
    assert exercises.verdict("04.l1_optimum", "  Any value between ").passed
    v = exercises.verdict("04.l1_optimum", "blue")
    assert not v.passed and v.message.startswith("'blue' is not it. ") and exercises.get("04.l1_optimum").hints[0] in v.message


def test_must_pass_raises_instead_of_handing_on_the_reference(capsys):
    with pytest.raises(AssertionError, match="01.non_saturating_loss did not pass: the sign is flipped"):
        exercises.check("01.non_saturating_loss", exercises.get("01.non_saturating_loss").mistakes[1].answer, must_pass=True)
    reference = exercises.get("01.non_saturating_loss").reference
    assert exercises.check("01.non_saturating_loss", reference, must_pass=True) is reference


def test_each_reference_agrees_with_the_library_code_it_teaches():
    """The references are written as a student would write them, beside the course's own code that
    later cells and the trainers use: the two must not drift apart."""
    import keras

    from workshop_utils import latent, losses, models, recipes, solutions

    rng = np.random.default_rng(0)
    r, f = (rng.normal(0, 3, 16).astype("float32") for _ in range(2))
    close = lambda a, b: np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=1e-5, atol=1e-6)
    close(solutions.discriminator_loss(r, f), losses.discriminator_bce(r, f))
    close(solutions.non_saturating_loss(f), losses.generator_non_saturating(f))
    close(solutions.smoothed_discriminator_loss(r, f, 0.1), losses.discriminator_bce(r, f, label_smoothing=0.1))
    for n in (4, 7):
        for padding, p in (("same", 1), ("valid", 0)):
            side = keras.layers.Conv2DTranspose(1, 4, strides=2, padding=padding)(np.zeros((1, n, n, 1), "float32")).shape[1]
            assert solutions.transposed_side(n, 4, 2, p) == side
    up_block = lambda x, c: models.dcgan_up_block(x, c)
    close(solutions._block_structure(solutions.generator_block, (4, 4, 16), 8), solutions._block_structure(up_block, (4, 4, 16), 8))
    fields = [solutions.receptive_field([(4, 2)] * n + [(4, 1)] * 2) for n in range(1, 6)]
    assert fields == [models.patchgan_receptive_field(n) for n in range(1, 6)]
    a, b = rng.normal(size=64), 1.3 * rng.normal(size=64)
    close(solutions.slerp(a, b, np.linspace(0, 1, 7)), latent.slerp(a, b, np.linspace(0, 1, 7)))
    concepts = [rng.normal(size=(3, 10)) for _ in range(3)]
    close(solutions.arithmetic(*concepts), latent.arithmetic(*concepts))
    u = np.random.default_rng(6).uniform(size=(8, 10))
    for psi in (0.5, 2.0, np.inf):
        close(solutions.truncate(u, psi), latent.truncated_normal(8, 10, psi, seed=6))
    for critic, real, fake, alpha in solutions._penalty_probes():
        close(solutions.gradient_penalty(critic, real, fake, alpha), losses.gradient_penalty(critic, real, fake, alpha))
    for c, q in solutions._information_probes():
        close(solutions.information_loss(c, q), losses.information_cross_entropy(c, q, (10,), 2))
    d = models.mnist_cgan_discriminator(recipes.get("mnist-cgan").resolve())
    x, label = rng.uniform(-1, 1, (4, 28, 28, 1)).astype("float32"), np.eye(10, dtype="float32")[[1, 3, 5, 8]]
    phi = keras.Model(d.get_layer("x").output, d.get_layer("flatten").output)(x)
    psi = keras.Model(d.get_layer("x").output, d.get_layer("logit").output)(x)
    close(solutions.projection_logit(phi, psi, d.get_layer("embed_c").get_weights()[0], label), d([x, label]))
