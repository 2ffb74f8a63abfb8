"""What a conditional GAN's ``c`` is (numpy only): categorical variables, each one-hot, and
InfoGAN's continuous codes, concatenated into one float vector.

A digit label is ``Condition((10,))``: c is its one-hot vector. The faces' hair colour and mouth
are ``Condition((5, 2))``: c is two one-hots side by side. InfoGAN's codes are
``Condition((10,), continuous=2)``: a 10-way one-hot and two numbers uniform in [-1, 1]. The same
object encodes data labels, samples the fakes' c (:func:`workshop_utils.pipelines.noise_batches`
draws them with TensorFlow) and lays out grids such as "one row per class".
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import errors
from .faces import ATTRIBUTES


@dataclass(frozen=True)
class Condition:
    """``categories[i]`` values for categorical variable ``i`` (called ``names[i]``, its values
    ``values[i]``), then ``continuous`` uniform codes."""

    categories: tuple[int, ...]
    continuous: int = 0
    names: tuple[str, ...] = ()
    values: tuple[tuple[str, ...], ...] = ()

    def label(self, name: str, value: str) -> int:
        """The index of ``value`` (a value name or its number) of the variable called ``name``."""
        if name not in self.names:
            raise errors.UserValueError(f"unknown condition {name!r}; this model is conditioned on {', '.join(self.names)}")
        i = self.names.index(name)
        named = self.values[i] if i < len(self.values) else tuple(str(v) for v in range(self.categories[i]))
        if value in named:
            return named.index(value)
        if value.isdigit() and int(value) < len(named):
            return int(value)
        raise errors.UserValueError(f"unknown {name} {value!r}; use one of {', '.join(named)}")

    @property
    def dim(self) -> int:
        return sum(self.categories) + self.continuous

    def encode(self, labels, codes=None) -> np.ndarray:
        """float32 N×dim from integer labels (N, or N×len(categories)) and, with continuous codes, N×continuous."""
        labels = np.asarray(labels)
        labels = labels.reshape(len(labels), -1)
        if labels.shape[1] != len(self.categories):
            raise errors.UserValueError(f"expected {len(self.categories)} label(s) per example, got {labels.shape[1]}")
        for i, k in enumerate(self.categories):
            if labels[:, i].min(initial=0) < 0 or labels[:, i].max(initial=0) >= k:
                name = self.names[i] if i < len(self.names) else f"label {i}"
                raise errors.UserValueError(f"{name} must lie in 0..{k - 1}, got {labels[:, i].min()}..{labels[:, i].max()}")
        parts = [np.eye(k, dtype=np.float32)[labels[:, i]] for i, k in enumerate(self.categories)]
        if self.continuous:
            codes = np.zeros((len(labels), self.continuous), np.float32) if codes is None else np.asarray(codes, np.float32)
            parts.append(codes.reshape(len(labels), self.continuous))
        return np.concatenate(parts, axis=1)

    def decode(self, c) -> np.ndarray:
        """The integer labels (N×len(categories)) of encoded conditions: the arg-max of each one-hot."""
        c, out, at = np.asarray(c), [], 0
        for k in self.categories:
            out.append(np.argmax(c[:, at : at + k], axis=1))
            at += k
        return np.stack(out, axis=1)

    def sample(self, n: int, seed: int = 0) -> np.ndarray:
        """``n`` random conditions: each categorical uniform, each continuous code uniform in [-1, 1]."""
        rng = np.random.default_rng(seed)
        labels = np.stack([rng.integers(0, k, n) for k in self.categories], axis=1)
        return self.encode(labels, rng.uniform(-1.0, 1.0, (n, self.continuous)))

    def balanced(self, n: int, fixed: dict[int, int] | None = None) -> np.ndarray:
        """``n`` label rows (integer N×len(categories)): variable ``i`` is ``fixed[i]`` where given,
        otherwise it takes its values in turn (balanced, and the same every time)."""
        fixed = fixed or {}
        return np.stack([np.full(n, fixed[i]) if i in fixed else np.arange(n) % k
                         for i, k in enumerate(self.categories)], axis=1)

    def grid(self, per_value: int, variable: int = 0) -> np.ndarray:
        """Labels for a grid with one row per value of categorical ``variable`` and ``per_value``
        columns; the other variables are 0. Integer (values·per_value)×len(categories)."""
        labels = np.zeros((self.categories[variable] * per_value, len(self.categories)), np.int64)
        labels[:, variable] = np.repeat(np.arange(self.categories[variable]), per_value)
        return labels


DIGITS = Condition((10,), names=("digit",))  # MNIST's labels


def face_condition(s: dict) -> Condition:
    """A faces recipe's condition: the attributes listed in its ``attributes`` setting, each one-hot
    over its values in :data:`workshop_utils.faces.ATTRIBUTES`."""
    names = tuple(s["attributes"])
    unknown = [n for n in names if n not in ATTRIBUTES]
    if unknown:
        raise errors.UserValueError(f"unknown face attribute(s) {unknown}; choose among {', '.join(ATTRIBUTES)}")
    return Condition(tuple(len(ATTRIBUTES[n]) for n in names), names=names, values=tuple(ATTRIBUTES[n] for n in names))


def infogan_codes(s: dict) -> Condition:
    """An InfoGAN recipe's codes: ``categorical_codes`` one-hot variables, then ``continuous_codes``."""
    return Condition(tuple(s["categorical_codes"]), s["continuous_codes"])
CONDITIONINGS = ("projection", "concat")  # how a conditional discriminator sees c (models.dcgan_discriminator_28)
