"""Latent-space tools: interpolation (linear and spherical), interpolation grids, concept vectors
for latent arithmetic and its measurement (with a perfectly linear reference), truncated sampling,
path length in a feature space, and a linear probe that asks whether an attribute is linear in z.

Latent vectors are NumPy arrays; decode them with a generator (e.g. ``runs.sample`` or
``generator(z, training=False)``).
"""

from __future__ import annotations

import numpy as np
from scipy import optimize, special, stats

from . import errors


def _fractions(t) -> np.ndarray:
    return np.atleast_1d(np.asarray(t, np.float64))[:, None]


def lerp(a, b, t) -> np.ndarray:
    """Points ``(1 − t)·a + t·b`` for each fraction in ``t`` (len(t)×d, float32)."""
    a, b, t = np.asarray(a, np.float64), np.asarray(b, np.float64), _fractions(t)
    return ((1 - t) * a + t * b).astype(np.float32)


def slerp(a, b, t) -> np.ndarray:
    """Spherical interpolation: the direction turns along the great circle from ``a`` to ``b`` at
    constant angular speed while the length goes linearly from |a| to |b|.

    A Gaussian latent vector of dimension d has length close to √d; a straight line between two
    of them passes through shorter, atypical vectors (about √(d/2) half-way), a spherical path does not.
    """
    a, b, t = np.asarray(a, np.float64), np.asarray(b, np.float64), _fractions(t)
    na, nb = np.linalg.norm(a), np.linalg.norm(b)
    ua, ub = a / na, b / nb
    omega = np.arccos(np.clip(ua @ ub, -1.0, 1.0))
    if omega < 1e-6:  # (nearly) the same direction: the great circle is a point
        direction = np.broadcast_to(ua, (len(t), len(ua)))
    else:
        direction = (np.sin((1 - t) * omega) * ua + np.sin(t * omega) * ub) / np.sin(omega)
    out = direction * ((1 - t) * na + t * nb)
    out[t[:, 0] == 0] = a  # endpoints exactly
    out[t[:, 0] == 1] = b
    return out.astype(np.float32)


def interpolate(a, b, steps: int, method: str = "slerp") -> np.ndarray:
    """``steps`` evenly spaced points from ``a`` to ``b`` inclusive, by ``"lerp"`` or ``"slerp"``."""
    if method not in ("lerp", "slerp"):
        raise errors.UserValueError(f"method must be 'lerp' or 'slerp', not {method!r}")
    if steps < 2:
        raise errors.UserValueError(f"steps must be at least 2 (the two endpoints), got {steps}")
    return (lerp if method == "lerp" else slerp)(a, b, np.linspace(0.0, 1.0, steps))


def interpolation_grid(top_left, top_right, bottom_left, bottom_right, n: int) -> np.ndarray:
    """An n×n grid (n²×d, row by row) blending four corner vectors bilinearly."""
    left = lerp(top_left, bottom_left, np.linspace(0, 1, n))
    right = lerp(top_right, bottom_right, np.linspace(0, 1, n))
    return np.concatenate([lerp(l, r, np.linspace(0, 1, n)) for l, r in zip(left, right)])


def concept_vector(z) -> np.ndarray:
    """The average of a few latent vectors that show one concept (the DCGAN paper used three)."""
    z = np.asarray(z, np.float64)
    if z.ndim != 2 or len(z) == 0:
        raise ValueError(f"expected a non-empty N×d array of latent vectors, got shape {z.shape}")
    return z.mean(0).astype(np.float32)


def arithmetic(plus_a, minus_a, plus_b) -> np.ndarray:
    """``mean(plus_a) − mean(minus_a) + mean(plus_b)``: e.g. smiling(A) − neutral(A) + neutral(B)."""
    return (concept_vector(plus_a) - concept_vector(minus_a) + concept_vector(plus_b)).astype(np.float32)


def neighbours(z, n: int, scale: float = 0.25, seed: int = 0) -> np.ndarray:
    """``z`` and ``n − 1`` nearby vectors ``z + scale·ε`` (ε standard normal), as the DCGAN paper
    showed each arithmetic result with its neighbours."""
    z = np.asarray(z, np.float32)
    noise = np.random.default_rng(seed).standard_normal((n - 1, z.shape[-1])).astype(np.float32)
    return np.concatenate([z[None], z + scale * noise])


def truncated_normal(n: int, dim: int, psi: float | None, seed: int = 0) -> np.ndarray:
    """``n`` latent vectors whose components are standard normal conditioned on |z_i| ≤ ``psi``
    (the truncation trick; ``None`` means no truncation)."""
    rng = np.random.default_rng(seed)
    if psi is None:
        return rng.standard_normal((n, dim)).astype(np.float32)
    if psi <= 0:
        raise errors.UserValueError(f"psi must be positive, got {psi}")
    return stats.truncnorm.rvs(-psi, psi, size=(n, dim), random_state=rng).astype(np.float32)


def path_length(features) -> float:
    """Length of a path through a feature space: the sum of distances between consecutive points."""
    f = np.asarray(features, np.float64).reshape(len(features), -1)
    return float(np.linalg.norm(np.diff(f, axis=0), axis=1).sum())


def confident_members(probs: dict[str, np.ndarray], wanted: dict[str, int]) -> np.ndarray:
    """Indices of the samples that a classifier puts in one concept, surest first.

    ``probs`` maps each attribute to the classifier's N×K probabilities, ``wanted`` maps attributes
    to the value index that the concept asks for (e.g. ``{"mouth": smiling, "hair_colour": blue}``).
    A sample is a member when every wanted value is its most likely one; members are ordered by the
    product of the wanted values' probabilities.
    """
    member = np.ones(len(next(iter(probs.values()))), bool)
    score = np.ones(len(member))
    for name, value in wanted.items():
        member &= probs[name].argmax(1) == value
        score = score * probs[name][:, value]
    idx = np.flatnonzero(member)
    return idx[np.argsort(-score[idx], kind="stable")]


def measure_arithmetic(decode, classify, latent_dim: int, attribute: str = "mouth", target: int = 0, source: int = 1,
                       keep: tuple[str, ...] = ("hair_colour",), trials: int = 100, per_concept: int = 3,
                       exemplars: int | None = 10, pool: int = 3000, seed: int = 0) -> dict:
    """Latent arithmetic measured, the DCGAN paper's way: for each trial pick two kinds of face, A
    and B (their ``keep`` attributes differ), average the z of ``per_concept`` generated faces per
    concept and decode  target(A) − source(A) + source(B),  e.g. smiling(A) − neutral(A) + neutral(B).

    The classifier chooses the faces of a concept from ``pool`` samples: each trial draws them at
    random among the ``exemplars`` members it is surest of (the paper's authors picked clear examples
    by eye), or among all members when ``exemplars`` is None. A trial succeeds when the classifier
    calls the result ``attribute`` = ``target`` while it keeps B's ``keep`` attributes. The baseline is
    the same test on a random z. ``decode(z)`` returns images and ``classify(images)`` a dict of
    class probabilities (N×K) per attribute (e.g. ``FacesMetric.probabilities``).

    Returns the success rate, the baseline rate, the shares of results that took the target value
    (``transfer_rate``) and that kept B's attributes (``keep_rate``), and each trial's vectors.
    """
    if exemplars is not None and exemplars < per_concept:
        raise errors.UserValueError(f"exemplars ({exemplars}) must be at least per_concept ({per_concept}), or None for all members")
    rng = np.random.default_rng(seed)
    z = rng.standard_normal((pool, latent_dim)).astype(np.float32)
    probs = classify(decode(z))
    kinds, groups = sorted({tuple(row) for row in np.stack([probs[k].argmax(1) for k in keep], 1).tolist()}), {}
    for kind in kinds:
        for value in (target, source):
            members = confident_members(probs, {attribute: value, **dict(zip(keep, kind))})
            groups[kind, value] = members[:exemplars]
    kinds = [k for k in kinds if all(len(groups[k, v]) >= per_concept for v in (target, source))]
    if len(kinds) < 2:
        raise errors.UserValueError(f"fewer than two kinds of face show both {attribute}={target} and {attribute}={source} "
                                    f"{per_concept} times among {pool} samples; use a larger pool or a better generator")
    results, records = [], []
    for _ in range(trials):
        a, b = rng.choice(len(kinds), 2, replace=False)
        pick = lambda k, v: z[rng.choice(groups[kinds[k], v], per_concept, replace=False)]  # noqa: E731
        plus_a, minus_a, plus_b = pick(a, target), pick(a, source), pick(b, source)
        results.append(arithmetic(plus_a, minus_a, plus_b))
        records.append({"a": kinds[a], "b": kinds[b], "plus_a": plus_a, "minus_a": minus_a, "plus_b": plus_b})
    results = np.stack(results)
    wanted_b = np.array([r["b"] for r in records])

    def judge(vectors):
        got = {k: p.argmax(1) for k, p in classify(decode(vectors)).items()}
        kept = np.all([got[k] == wanted_b[:, j] for j, k in enumerate(keep)], axis=0)
        return got[attribute] == target, kept

    transferred, kept = judge(results)
    hits = transferred & kept
    baseline = np.logical_and(*judge(rng.standard_normal((trials, latent_dim)).astype(np.float32)))
    return {"success_rate": float(hits.mean()), "baseline_rate": float(baseline.mean()),
            "transfer_rate": float(transferred.mean()), "keep_rate": float(kept.mean()), "trials": trials,
            "exemplars": exemplars, "results": results, "success": hits, "records": records}


def linear_attributes(latent_dim: int, values: dict[str, int], sharpness: float = 4.0):
    """A reference "generator" whose attributes are exactly linear in z: attribute j is decided in
    its own plane of coordinates (2j, 2j + 1), by which of its K equally spaced directions z points
    closest to (K cones of equal probability). Returns ``classify(z)``: softmax probabilities
    ``sharpness``·(w_v · z) per attribute, as a classifier would give them.

    Decoding is the identity, so ``measure_arithmetic(lambda z: z, classify, ...)`` tells what a
    perfectly disentangled generator scores, the ceiling of the measurement itself.
    """
    if 2 * len(values) > latent_dim:
        raise errors.UserValueError(f"{len(values)} attributes need {2 * len(values)} latent dimensions, got {latent_dim}")

    def classify(z) -> dict[str, np.ndarray]:
        z = np.asarray(z, np.float64)
        out = {}
        for j, (name, k) in enumerate(values.items()):
            angles = 2 * np.pi * np.arange(k) / k
            scores = z[:, 2 * j, None] * np.cos(angles) + z[:, 2 * j + 1, None] * np.sin(angles)
            out[name] = special.softmax(sharpness * scores, axis=1)
        return out

    return classify


def linear_probe(z, labels, holdout: float = 0.25, l2: float = 1e-3) -> dict:
    """How linear an attribute is in z: the held-out accuracy of a softmax regression that predicts
    ``labels`` (value indices) from ``z``, beside the share of the most common value (chance).

    An attribute that the generator decides by hyperplanes in z (accuracy near 1) survives averaging
    and subtraction, which is what latent arithmetic assumes. The last ``holdout`` share of the rows
    is held out; the regression (cross-entropy plus ``l2``·|W|²/2) is fitted to convergence by
    SciPy's L-BFGS from zero weights, so the result is deterministic.
    """
    z = np.asarray(z, np.float64)
    labels = np.asarray(labels).astype(np.int64)
    if z.ndim != 2 or labels.shape != (len(z),):
        raise ValueError(f"expected N×d latent vectors and N labels, got shapes {z.shape} and {labels.shape}")
    n_train = int(round(len(z) * (1 - holdout)))
    if not 0 < n_train < len(z):
        raise ValueError(f"holdout={holdout} leaves no rows to train on or to test on ({len(z)} rows)")
    x = np.hstack([z, np.ones((len(z), 1))])  # a bias column
    x_train, y_train = x[:n_train], np.eye(int(labels.max()) + 1)[labels[:n_train]]
    shape = (x.shape[1], y_train.shape[1])
    penalised = np.ones(shape)
    penalised[-1] = 0.0  # the bias is not penalised

    def loss_and_gradient(w):
        w = w.reshape(shape)
        logits = x_train @ w
        log_p = logits - special.logsumexp(logits, axis=1, keepdims=True)
        loss = -(y_train * log_p).sum() / n_train + 0.5 * l2 * np.sum(penalised * w**2)
        grad = x_train.T @ (np.exp(log_p) - y_train) / n_train + l2 * penalised * w
        return loss, grad.ravel()

    fit = optimize.minimize(loss_and_gradient, np.zeros(np.prod(shape)), jac=True, method="L-BFGS-B")
    predicted = (x[n_train:] @ fit.x.reshape(shape)).argmax(1)
    return {"accuracy": float((predicted == labels[n_train:]).mean()),
            "chance": float(np.bincount(labels[n_train:]).max() / (len(z) - n_train))}
