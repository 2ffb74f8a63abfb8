"""The notebooks' "Your turn" exercises: check a student's answer at once, with a hint that names
the mistake, and keep the notebook running when the answer is missing or wrong.

    answer = exercises.check("01.discriminator_loss", discriminator_loss)

prints a pass, or a hint, and returns the student's answer when it passes and the reference
answer otherwise, so the cells after it always have something that works. ``hint(name)`` gives the
next hint, ``solution(name)`` shows and returns the reference. The exercises themselves (their
test inputs, reference answers and catalogued mistakes) live in :mod:`workshop_utils.solutions`,
apart from this machinery and out of the notebooks' text. Importing this module loads no
TensorFlow.
"""

from __future__ import annotations

import inspect
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import numpy as np

from . import errors

PACKAGE = Path(__file__).resolve().parent
_LIBRARIES = tuple(str(Path(p).resolve()) for p in {sys.prefix, sys.base_prefix, sys.exec_prefix})


@dataclass(frozen=True)
class Mistake:
    """A typical wrong answer and the hint it deserves: ``answer`` is a wrong function (for a
    function exercise) or a wrong value (for a question), recognised by giving the same results."""

    hint: str
    answer: Any


@dataclass(frozen=True)
class Exercise:
    """One exercise, named ``"NN.slug"`` after its notebook. A function exercise calls the answer
    with each argument tuple of ``probes()`` and compares with ``reference``; a question
    (``probes`` None) compares the answer itself with ``reference``."""

    name: str
    task: str
    reference: Any
    mistakes: tuple[Mistake, ...] = ()
    hints: tuple[str, ...] = ()
    probes: Callable[[], list[tuple]] | None = None
    nonfinite: str = ""  # the hint for a result that is inf or nan where the reference is finite
    also: Callable[[Any], str | None] | None = None  # a further test once the results match; a message if it fails
    apply: Callable[..., Any] | None = None  # apply(answer, *probe) -> result, when calling answer(*probe) is not the test
    shape_hint: str = "a loss is one number: average over the batch"
    describe: Callable[..., str] | None = None  # describe(answer, *probe): what an unmatched answer did, in words
    error_hints: tuple[tuple[str, str], ...] = ()  # (text in the error message, the hint it deserves)
    rtol: float = 1e-4
    atol: float = 1e-5

    @property
    def is_function(self) -> bool:
        return self.probes is not None


@dataclass(frozen=True)
class Verdict:
    passed: bool
    message: str


def _catalogue() -> dict[str, Exercise]:
    from . import solutions

    return {ex.name: ex for ex in solutions.EXERCISES}


def names() -> list[str]:
    """Every exercise of the course, in notebook order."""
    return sorted(_catalogue())


def get(name: str) -> Exercise:
    try:
        return _catalogue()[name]
    except KeyError:
        raise errors.UserValueError(f"no exercise {name!r}; the exercises are {', '.join(names())}") from None


def _call(ex: Exercise, f: Callable, args: tuple) -> Any:
    return ex.apply(f, *args) if ex.apply else f(*args)


def _results(ex: Exercise, f: Callable, probes: list[tuple]) -> list[np.ndarray]:
    return [np.asarray(_call(ex, f, args), np.float64) for args in probes]


def _same(a: list[np.ndarray], b: list[np.ndarray], ex: Exercise) -> bool:
    return all(x.shape == y.shape and np.allclose(x, y, rtol=ex.rtol, atol=ex.atol, equal_nan=True) for x, y in zip(a, b))


def _where(frame: traceback.FrameSummary) -> str:
    """A frame's place as a student knows it: a notebook cell (IPython 7 names its code
    ``<ipython-input-N-…>``, ipykernel 6 with IPython 8 a file in a temporary ``ipykernel_PID``
    folder) or a file."""
    filename = frame.filename
    if filename.startswith("<ipython-input-"):
        return f"cell [{filename.split('-')[2]}], line {frame.lineno}"
    if "ipykernel_" in filename or filename.startswith("<"):
        return f"your cell, line {frame.lineno}"
    return f"{filename}, line {frame.lineno}"


def describe_error(err: BaseException) -> str:
    """The error's type and message and the student's own line that raised it (the last frame
    outside this package and the installed libraries), without the traceback."""
    frames = [f for f in traceback.extract_tb(err.__traceback__)
              if not str(Path(f.filename).resolve()).startswith((str(PACKAGE), *_LIBRARIES)) or f.filename.startswith("<")]
    text = f"your code raised {type(err).__name__}: {err}"
    if frames:
        text += f"\n  at {_where(frames[-1])}: {frames[-1].line or '(source not available)'}"
    return text


def _empty():
    """A function whose body is only ``...``: what an exercise cell holds as shipped."""
    ...


def _is_empty(f: Callable) -> bool:
    """Whether ``f`` does nothing but return None (a docstring and ``...`` at most)."""
    code = getattr(f, "__code__", None)
    return (code is not None and code.co_code == _empty.__code__.co_code
            and all(c is None or isinstance(c, str) for c in code.co_consts))


def verdict(name: str, answer: Any) -> Verdict:
    """Whether ``answer`` solves exercise ``name``, and what to tell the student."""
    ex = get(name)
    if answer is None or answer is Ellipsis:
        return Verdict(False, "not answered yet: " + ex.task)
    if not ex.is_function:
        return _question_verdict(ex, answer)
    if not callable(answer):
        return Verdict(False, f"expected a function, got {type(answer).__name__}: " + ex.task)
    if _is_empty(answer):
        return Verdict(False, "not answered yet: write the function's body (replace the ...). " + ex.task)
    probes = ex.probes()
    try:
        got = [None if r is None else np.asarray(r, np.float64) for r in (_call(ex, answer, args) for args in probes)]
    except Exception as err:  # noqa: BLE001 - the student's error is reported, not raised
        extra = [hint for text, hint in ex.error_hints if text in str(err)]
        return Verdict(False, describe_error(err) + "".join(f"\n  {hint}" for hint in extra))
    if any(r is None for r in got):
        return Verdict(False, "your function returns None: write its body (replace the ... with code that returns "
                              "the result). " + ex.task)
    expected = _results(ex, ex.reference, probes)
    if _same(got, expected, ex):
        problem = ex.also(answer) if ex.also else None
        return Verdict(problem is None, problem or "")
    for mistake in ex.mistakes:
        if _same(got, _results(ex, mistake.answer, probes), ex):
            return Verdict(False, mistake.hint)
    for k, (g, e) in enumerate(zip(got, expected)):
        if g.shape != e.shape:
            return Verdict(False, f"on test input {k + 1} your result has shape {g.shape}, expected {e.shape} "
                                  f"({ex.shape_hint})")
        if not np.isfinite(g).all() and np.isfinite(e).all():
            return Verdict(False, f"on test input {k + 1} your result is {_short(g)}, not a finite number "
                                  f"(the reference is {_short(e)}). " + ex.nonfinite)
        if ex.describe and not _same([g], [e], ex):
            return Verdict(False, f"on test input {k + 1}, yours: {ex.describe(answer, *probes[k])}; expected: "
                                  f"{ex.describe(ex.reference, *probes[k])}. " + (ex.hints[0] if ex.hints else ""))
        if not np.allclose(g, e, rtol=ex.rtol, atol=ex.atol, equal_nan=True):
            return Verdict(False, f"on test input {k + 1} your result is {_short(g)}, expected {_short(e)}. "
                                  + (ex.hints[0] if ex.hints else ""))
    return Verdict(False, "the results differ from the reference")  # pragma: no cover - caught above


def _question_verdict(ex: Exercise, answer: Any) -> Verdict:
    if isinstance(ex.reference, str):
        given = str(answer).strip().lower()
        if given == ex.reference.lower():
            return Verdict(True, "")
        for mistake in ex.mistakes:
            if given == str(mistake.answer).lower():
                return Verdict(False, mistake.hint)
        return Verdict(False, f"{answer!r} is not it. " + (ex.hints[0] if ex.hints else ""))
    try:
        value = float(answer)
    except (TypeError, ValueError):
        return Verdict(False, f"expected a number, got {answer!r}: " + ex.task)
    close = lambda v: np.isclose(value, v, rtol=ex.rtol, atol=ex.atol)
    if close(ex.reference):
        return Verdict(True, "")
    for mistake in ex.mistakes:
        if close(mistake.answer):
            return Verdict(False, mistake.hint)
    return Verdict(False, f"{value:.4g} is not it. " + (ex.hints[0] if ex.hints else ""))


def _short(x: np.ndarray) -> str:
    return np.array2string(x, precision=4, threshold=6, edgeitems=2) if x.ndim else f"{float(x):.4g}"


def check(name: str, answer: Any, must_pass: bool = False) -> Any:
    """Check the student's ``answer`` to exercise ``name`` and print the verdict. Returns the
    answer when it passes and the reference otherwise (so later cells keep working).
    ``must_pass`` (the solved copies of ``make solutions``) raises instead when it does not pass."""
    result = verdict(name, answer)
    if result.passed:
        print(f"✓ {name}: correct")
        return answer
    if must_pass:
        raise AssertionError(f"{name} did not pass: {result.message}")
    print(f"✗ {name}: {result.message}\n  The cells below use the course's answer for now; "
          f"exercises.hint({name!r}) gives a hint, exercises.solution({name!r}) the answer.")
    return get(name).reference


_hints_given: dict[str, int] = {}


def hint(name: str) -> str:
    """The next hint of exercise ``name`` (each call gives one more; the last repeats)."""
    ex = get(name)
    hints = ex.hints or (ex.task,)
    k = min(_hints_given.get(name, 0), len(hints) - 1)
    _hints_given[name] = k + 1
    text = f"hint {k + 1} of {len(hints)}: {hints[k]}"
    print(text)
    return text


def solution(name: str) -> Any:
    """Show the reference answer of exercise ``name`` and return it."""
    ex = get(name)
    if ex.is_function:
        print(inspect.getsource(ex.reference))
    else:
        print(f"{name}: {ex.reference!r}")
    return ex.reference
