"""Quality numbers: distances for the 1-D/2-D toys, and classifier-based metrics for MNIST.

Toys
    :func:`wasserstein_1d`, :func:`moment_errors`, :func:`js_divergence_estimate`,
    :func:`mode_coverage` (modes covered and high-quality fraction), :func:`sliced_wasserstein`
    (W1 averaged over random 1-D projections, for 2-D samples).
MNIST
    :class:`MnistMetric` wraps the small CNN shipped in ``data/`` and gives the Fréchet distance in
    its 128-d penultimate feature space, the classifier score exp(E KL(p(y|x) ‖ p(y))) and class
    coverage. Calibration on the shipped data (2,000 images each, see ``data/README.md``): real vs
    real FD ≈ 0.8 with a classifier score ≈ 9.7 and 10/10 classes; uniform noise FD ≈ 1300.
Photos without labels
    :class:`InceptionMetric`: FID and KID (:func:`kernel_distance`) in InceptionV3's pool features,
    for the Simpsons faces and tf_flowers on Colab (the weights are downloaded).
Colorization
    :func:`colorization_metrics` of colorized photos against the true colours: :func:`psnr`,
    :func:`ssim`, :func:`colourfulness` (Hasler & Süsstrunk 2003) and the a*/b* histogram
    intersection of the pix2pix paper (:func:`ab_histograms`, :func:`histogram_intersection`), and
    :func:`hue_histogram` with :func:`hue_distance` for a colorizer that paints every photo in its
    training photos' colours.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from functools import lru_cache

import numpy as np
from scipy import linalg, optimize, spatial, stats

from . import config, errors
from .distributions import GaussianMixture

# ---------------------------------------------------------------------------------------------
# Toy distributions
# ---------------------------------------------------------------------------------------------


def wasserstein_1d(samples, reference) -> float:
    """Wasserstein-1 (earth mover's) distance between two 1-D samples (``scipy.stats``)."""
    return float(stats.wasserstein_distance(np.ravel(samples), np.ravel(reference)))


def sliced_wasserstein(samples, reference, n_projections: int = 200, seed: int = 0) -> float:
    """Sliced Wasserstein-1 distance: the exact 1-D W1 of the two samples projected on
    ``n_projections`` seeded random unit directions, averaged. It is zero only when the
    distributions match, and for 1-D samples it equals :func:`wasserstein_1d`."""
    x = np.asarray(samples, np.float64).reshape(len(samples), -1)
    y = np.asarray(reference, np.float64).reshape(len(reference), -1)
    if x.shape[1] != y.shape[1]:
        raise ValueError(f"samples have dimension {x.shape[1]} but the reference has {y.shape[1]}")
    directions = np.random.default_rng(seed).standard_normal((n_projections, x.shape[1]))
    directions /= np.linalg.norm(directions, axis=1, keepdims=True)
    return float(np.mean([stats.wasserstein_distance(x @ d, y @ d) for d in directions]))


def moment_errors(samples, dist: GaussianMixture) -> dict[str, float]:
    """Absolute error of the sample mean and standard deviation against a 1-D target."""
    x = np.ravel(samples)
    centres = dist.centres.ravel()
    true_mean = centres.mean()
    true_std = np.sqrt(dist.std**2 + centres.var())
    return {"mean": float(x.mean()), "std": float(x.std()),
            "mean_error": float(abs(x.mean() - true_mean)), "std_error": float(abs(x.std() - true_std))}


def js_divergence_estimate(samples, dist: GaussianMixture, bins: int = 60) -> float:
    """Jensen–Shannon divergence (nats, at most log 2) between a 1-D sample's histogram and the
    target density integrated over the same bins."""
    x = np.ravel(samples)
    centres = dist.centres.ravel()
    lo = min(x.min(), centres.min() - 5 * dist.std)
    hi = max(x.max(), centres.max() + 5 * dist.std)
    edges = np.linspace(lo, hi, bins + 1)
    q, _ = np.histogram(x, edges)
    cdf = np.mean([stats.norm.cdf(edges, c, dist.std) for c in centres], axis=0)
    p = np.diff(cdf)
    return float(spatial.distance.jensenshannon(p, q) ** 2)


def mode_coverage(samples, dist: GaussianMixture, n_std: float = 3.0, min_share: float = 0.1) -> dict:
    """Modes covered and high-quality fraction.

    A sample is *high quality* when it lies within ``n_std`` standard deviations of its nearest
    mode centre. A mode is *covered* when at least one high-quality sample is nearest to it (the
    definition of the VEEGAN and PacGAN papers), and *populated* when it holds at least
    ``min_share`` of its fair share n/K of high-quality samples (the rule of :func:`class_coverage`).
    One lucky sample covers a mode, so noise that has learned nothing covers most of a dense grid;
    it populates none.
    """
    x = np.asarray(samples, np.float64).reshape(len(samples), -1)
    dist_to_centre, nearest = spatial.cKDTree(dist.centres).query(x)
    good = dist_to_centre <= n_std * dist.std
    counts = np.bincount(nearest[good], minlength=len(dist.centres))
    return {"modes_covered": int((counts > 0).sum()),
            "modes_populated": int((counts >= min_share * len(x) / len(dist.centres)).sum()),
            "modes": len(dist.centres), "high_quality_fraction": float(good.mean()),
            "counts_per_mode": counts.tolist()}


def toy_metrics(samples, dist: GaussianMixture, reference_n: int = 10_000, seed: int = 1234) -> dict:
    """All toy metrics for ``samples`` against ``dist`` in one dictionary."""
    out = mode_coverage(samples, dist)
    if dist.dim == 1:
        out.update(moment_errors(samples, dist))
        out["wasserstein_1"] = wasserstein_1d(samples, dist.sample(reference_n, seed))
        out["js_divergence"] = js_divergence_estimate(samples, dist)
    else:
        out["sliced_wasserstein"] = sliced_wasserstein(samples, dist.sample(reference_n, seed))
    return out


# ---------------------------------------------------------------------------------------------
# Fréchet distance and classifier-based scores
# ---------------------------------------------------------------------------------------------


def frechet_distance(features_a, features_b) -> float:
    r"""Fréchet distance between Gaussians fitted to two feature sets:

    .. math:: \lVert\mu_a-\mu_b\rVert^2 + \mathrm{Tr}(\Sigma_a + \Sigma_b - 2(\Sigma_a\Sigma_b)^{1/2})
    """
    a = np.asarray(features_a, np.float64)
    b = np.asarray(features_b, np.float64)
    mu_a, mu_b = a.mean(0), b.mean(0)
    cov_a, cov_b = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    # Tr((Σa Σb)^½) = Σ √λ over the eigenvalues of Σa^½ Σb Σa^½ (symmetric PSD, so eigh is stable
    # even when dead ReLU units make the covariances singular).
    w, v = linalg.eigh(cov_a)
    root_a = (v * np.sqrt(np.clip(w, 0, None))) @ v.T
    trace_covmean = np.sqrt(np.clip(linalg.eigvalsh(root_a @ cov_b @ root_a), 0, None)).sum()
    return float(((mu_a - mu_b) ** 2).sum() + np.trace(cov_a) + np.trace(cov_b) - 2 * trace_covmean)


def kernel_distance(features_a, features_b, subset_size: int = 1000, subsets: int = 100,
                    seed: int = 0) -> tuple[float, float]:
    r"""Kernel distance (KID, Bińkowski et al. 2018): the unbiased estimate of the squared maximum
    mean discrepancy with the cubic kernel :math:`k(x, y) = (x^\top y / d + 1)^3`, averaged over
    ``subsets`` random subsets of ``subset_size`` from each set (fewer when a set is smaller), as in
    the paper's code. Returns (mean, standard deviation over the subsets). Unlike the Fréchet
    distance it has no bias at small sample sizes: two samples of one distribution give about 0.
    """
    a = np.asarray(features_a, np.float64)
    b = np.asarray(features_b, np.float64)
    if a.ndim != 2 or b.ndim != 2 or a.shape[1] != b.shape[1] or min(len(a), len(b)) < 2:
        raise errors.UserValueError(f"kernel_distance needs two N×d feature sets with N ≥ 2 and the same d, "
                                    f"got {a.shape} and {b.shape}")
    m = min(subset_size, len(a), len(b))
    rng = np.random.default_rng(seed)
    d = a.shape[1]
    estimates = []
    for _ in range(subsets):
        x, y = a[rng.choice(len(a), m, replace=False)], b[rng.choice(len(b), m, replace=False)]
        kxx, kyy, kxy = ((x @ x.T / d + 1) ** 3, (y @ y.T / d + 1) ** 3, (x @ y.T / d + 1) ** 3)
        within = (kxx.sum() - np.trace(kxx) + kyy.sum() - np.trace(kyy)) / (m * (m - 1))
        estimates.append(within - 2 * kxy.mean())
    return float(np.mean(estimates)), float(np.std(estimates))


class InceptionMetric:
    """FID and KID in the pool features of InceptionV3 with its ImageNet weights (Heusel et al. 2017;
    Bińkowski et al. 2018), for data without the course's own classifier (the Simpsons, tf_flowers).

    Keras downloads the weights (about 90 MB) on first use, so this needs a network, as on Colab;
    ``model`` replaces the network with any Keras model on 299×299×3 images (the tests build one).
    Images are uint8 0..255 or float in [-1, 1], resized bilinearly to 299×299 and scaled as
    ``keras.applications.inception_v3.preprocess_input`` does. The numbers compare runs within the
    course, at one sample size: they are not comparable with published FIDs, which use 50,000
    samples and the original TensorFlow graph.
    """

    SIZE = 299

    def __init__(self, model=None, batch_size: int = 50):
        import keras

        if model is None:
            if config.offline_mode():
                raise errors.UserValueError("the Inception metrics need InceptionV3's ImageNet weights, which Keras "
                                            "downloads; unset WORKSHOP_OFFLINE on a machine with a network, or use "
                                            "the course's classifier metrics offline")
            model = keras.applications.InceptionV3(include_top=False, weights="imagenet", pooling="avg",
                                                   input_shape=(self.SIZE, self.SIZE, 3))
        self.model, self.batch_size = model, batch_size

    def features(self, images) -> np.ndarray:
        """N×d pool features of ``images`` (N×H×W×3)."""
        import tensorflow as tf

        x = np.asarray(images)
        if x.ndim != 4 or x.shape[-1] != 3:
            raise errors.UserValueError(f"expected colour images shaped N×H×W×3, got {x.shape}")
        x = x.astype(np.float32) / 127.5 - 1.0 if x.dtype == np.uint8 else x.astype(np.float32)
        out = []
        for i in range(0, len(x), self.batch_size):
            batch = tf.image.resize(x[i : i + self.batch_size], (self.SIZE, self.SIZE), method="bilinear")
            out.append(np.asarray(self.model(batch, training=False)))
        return np.concatenate(out)

    def evaluate(self, images, reference, kid_subset_size: int = 1000) -> dict:
        """FID and KID (mean and spread over subsets) of ``images`` against ``reference``."""
        f, r = self.features(images), self.features(reference)
        kid, kid_std = kernel_distance(f, r, subset_size=kid_subset_size)
        return {"fid": frechet_distance(f, r), "kid": kid, "kid_std": kid_std, "n": len(f), "reference_n": len(r)}

    def with_floor(self, images, real, reference, n: int | None = None) -> dict:
        """:meth:`evaluate` of ``images`` against ``reference``, and the same for ``real`` images (the
        real-vs-real floor, ``real_vs_real_fid`` and ``real_vs_real_kid``), all at one sample size:
        ``n`` or the smallest of the three sets, since the FID of a finite sample is biased upwards."""
        n = min(len(images), len(real), len(reference), *([n] if n else []))
        ours, floor = self.evaluate(images[:n], reference[:n]), self.evaluate(real[:n], reference[:n])
        return {**ours, "real_vs_real_fid": floor["fid"], "real_vs_real_kid": floor["kid"]}


def classifier_score(probs) -> float:
    """exp(E_x KL(p(y|x) ‖ p(y))): between 1 (no information) and the number of classes."""
    p = np.clip(np.asarray(probs, np.float64), 1e-12, 1.0)
    marginal = p.mean(0, keepdims=True)
    return float(np.exp((p * (np.log(p) - np.log(marginal))).sum(1).mean()))


def code_counts(codes, labels, k: int) -> np.ndarray:
    """The k×k table of counts: row = code value (0..k-1), column = label, how many examples have
    both."""
    codes, labels = np.asarray(codes).reshape(-1), np.asarray(labels).reshape(-1)
    if codes.shape != labels.shape:
        raise ValueError(f"{codes.size} codes but {labels.size} labels: give one label per code")
    counts = np.zeros((k, k), np.int64)
    np.add.at(counts, (codes, labels), 1)
    return counts


def match_codes(codes, labels, k: int) -> tuple[np.ndarray, float]:
    """The best one-to-one matching of code values (0..k-1) to labels, by the Hungarian method
    (``scipy.optimize.linear_sum_assignment`` on :func:`code_counts`' table): (the label each code
    value is matched to, the share of examples whose code names their label under it). This is how
    an unsupervised code is scored against classes it never saw."""
    counts = code_counts(codes, labels, k)
    rows, cols = optimize.linear_sum_assignment(counts, maximize=True)
    label_of = np.empty(k, np.int64)
    label_of[rows] = cols
    return label_of, float(counts[rows, cols].sum() / counts.sum())


def matched_accuracy(codes, labels, k: int) -> float:
    """The accuracy of :func:`match_codes`: the share of examples whose code names their label after
    the best one-to-one matching of code values to labels."""
    return match_codes(codes, labels, k)[1]


def _ink(images) -> np.ndarray:
    """Ink per pixel in [0, 1] (white strokes on black, as MNIST), N×H×W."""
    x = np.asarray(images, np.float64)
    x = x / 255.0 if np.asarray(images).dtype == np.uint8 else (x + 1.0) / 2.0
    return x.reshape(x.shape[0], x.shape[1], x.shape[2])


def slant(images) -> np.ndarray:
    """Each digit's slant from its image moments: the shear μ₁₁/μ₀₂ (horizontal shift of the ink per
    row, positive when the top leans right), N values."""
    ink = _ink(images)
    rows, cols = np.mgrid[: ink.shape[1], : ink.shape[2]]
    mass = ink.sum((1, 2)) + 1e-9
    y = -(rows[None] - (ink * rows).sum((1, 2))[:, None, None] / mass[:, None, None])  # up is positive
    x = cols[None] - (ink * cols).sum((1, 2))[:, None, None] / mass[:, None, None]
    return (ink * x * y).sum((1, 2)) / ((ink * y * y).sum((1, 2)) + 1e-9)


def ink_area(images, threshold: float = 0.5) -> np.ndarray:
    """Each digit's ink area: the share of its pixels brighter than ``threshold``, N values (thicker
    strokes, more ink)."""
    return (_ink(images) > threshold).mean((1, 2))


def class_coverage(probs, min_share: float = 0.1, names: tuple[str, ...] | None = None) -> dict:
    """How many classes the samples cover.

    Each sample counts for its arg-max class; a class is *covered* when it receives at least
    ``min_share`` of its fair share (N / n_classes), i.e. 1% of all samples for 10 classes at the
    default. A collapsed generator covers few classes however sharp its images are.
    """
    p = np.asarray(probs)
    counts = np.bincount(p.argmax(1), minlength=p.shape[1])
    covered = counts >= max(min_share * len(p) / p.shape[1], 1)
    return {"classes_covered": int(covered.sum()), "class_counts": counts.tolist(),
            "uncovered": [names[i] if names else int(i) for i in np.flatnonzero(~covered)]}


class ClassifierMetric:
    """A small classifier shipped in ``data/`` used as a measuring instrument: its penultimate
    ``features`` layer is the space of the Fréchet distance, its heads give class probabilities.

    Subclasses set ``WEIGHTS`` (file in ``data/``), ``SHAPE`` (one image), ``SCRIPT`` (what rebuilds
    the weights) and :meth:`build`. Images are uint8 0..255 or float in [-1, 1].
    """

    WEIGHTS: str
    SHAPE: tuple[int, ...]
    SCRIPT: str

    def __init__(self, batch_size: int = 500):
        import keras

        self.batch_size = batch_size
        self.model = self.build()
        path = config.data_dir() / self.WEIGHTS
        if not path.is_file():
            raise errors.UserFileNotFoundError(f"{path} is missing; rebuild it with python data/{self.SCRIPT}")
        self.model.load_weights(path)
        self.extractor = keras.Model(self.model.input, [self.model.get_layer("features").output, self.model.output])
        self._reference_cache: OrderedDict[tuple, np.ndarray] = OrderedDict()

    def build(self):
        raise NotImplementedError

    def _prepare(self, images) -> np.ndarray:
        x = np.asarray(images)
        x = x.astype(np.float32) / 127.5 - 1.0 if x.dtype == np.uint8 else x.astype(np.float32)
        if x.ndim == len(self.SHAPE) and self.SHAPE[-1] == 1:
            x = x[..., None]
        if x.shape[1:] != self.SHAPE:
            raise ValueError(f"expected images shaped N×{'×'.join(map(str, self.SHAPE))}, got {x.shape}")
        return x

    def reference_features(self, reference) -> np.ndarray:
        """The features of a reference set, computed once per distinct set (up to four are kept):
        comparing many generators, or truncation levels, against the same real faces reuses them."""
        x = np.ascontiguousarray(reference)
        key = (x.shape, x.dtype.str, hashlib.blake2b(x.view(np.uint8).reshape(-1), digest_size=16).hexdigest())
        if key not in self._reference_cache:
            features = self.features_and_probs(x)[0]
            features.setflags(write=False)  # shared by every later call: nobody may edit it
            self._reference_cache[key] = features
            if len(self._reference_cache) > 4:
                self._reference_cache.popitem(last=False)
        self._reference_cache.move_to_end(key)
        return self._reference_cache[key]

    def features_and_probs(self, images):
        """(features N×d, probabilities): an N×K array, or a dict of them for several heads."""
        x = self._prepare(images)
        feats, outs = [], []
        for i in range(0, len(x), self.batch_size):
            f, logits = self.extractor(x[i : i + self.batch_size], training=False)
            feats.append(np.asarray(f))
            outs.append(logits)
        if isinstance(outs[0], dict):
            return np.concatenate(feats), {k: _softmax(np.concatenate([np.asarray(o[k]) for o in outs])) for k in outs[0]}
        return np.concatenate(feats), _softmax(np.concatenate([np.asarray(o) for o in outs]))


class MnistMetric(ClassifierMetric):
    """The small MNIST CNN shipped in ``data/``; images N×28×28 or N×28×28×1."""

    WEIGHTS, SHAPE, SCRIPT = "mnist_classifier.weights.h5", (28, 28, 1), "train_mnist_classifier.py"

    def build(self):
        from . import models

        return models.mnist_classifier()

    def evaluate(self, images, reference, labels=None) -> dict:
        """Fréchet distance to ``reference`` images, classifier score and class coverage; with the
        ``labels`` the images were asked to show, ``label_accuracy``: how often the classifier reads them."""
        f, p = self.features_and_probs(images)
        f_ref = self.reference_features(reference)
        out = {"frechet_distance": frechet_distance(f, f_ref), "classifier_score": classifier_score(p),
               **class_coverage(p), "n": len(f)}
        if labels is not None:
            out["label_accuracy"] = float(np.mean(p.argmax(1) == np.asarray(labels).reshape(-1)))
        return out


class FacesMetric(ClassifierMetric):
    """The attribute classifier of the procedural faces (``data/faces_classifier.weights.h5``):
    one head per attribute of :data:`workshop_utils.faces.ATTRIBUTES`; images N×64×64×3."""

    WEIGHTS, SHAPE, SCRIPT = "faces_classifier.weights.h5", (64, 64, 3), "train_faces_classifier.py"

    def build(self):
        from . import faces, models

        return models.faces_classifier({k: len(v) for k, v in faces.ATTRIBUTES.items()})

    def probabilities(self, images) -> dict[str, np.ndarray]:
        """Each face's value probabilities (N×K), per attribute."""
        return self.features_and_probs(images)[1]

    def predict(self, images) -> dict[str, np.ndarray]:
        """Each face's most likely value index, per attribute."""
        return {k: p.argmax(1) for k, p in self.probabilities(images).items()}

    def evaluate(self, images, reference) -> dict:
        """Fréchet distance to ``reference``, attribute coverage (a value is covered when at least a
        tenth of its fair share of the faces shows it, see :func:`class_coverage`) and the number of
        distinct attribute combinations among the faces (a diversity measure)."""
        from . import faces

        f, probs = self.features_and_probs(images)
        f_ref = self.reference_features(reference)
        coverage = {k: class_coverage(p, names=faces.ATTRIBUTES[k]) for k, p in probs.items()}
        predicted = np.stack([p.argmax(1) for p in probs.values()], axis=1)
        return {"frechet_distance": frechet_distance(f, f_ref),
                "values_covered": sum(c["classes_covered"] for c in coverage.values()),
                "values": sum(p.shape[1] for p in probs.values()),
                "combinations": len(np.unique(predicted, axis=0)),
                "uncovered": [f"{k}={name}" for k, c in coverage.items() for name in c["uncovered"]],
                "attribute_counts": {k: c["class_counts"] for k, c in coverage.items()}, "n": len(f)}


def _softmax(logits: np.ndarray) -> np.ndarray:
    e = np.exp(logits - logits.max(1, keepdims=True))
    return e / e.sum(1, keepdims=True)


@lru_cache(maxsize=1)
def mnist_metric() -> MnistMetric:
    """A shared, lazily loaded :class:`MnistMetric`."""
    return MnistMetric()


@lru_cache(maxsize=1)
def faces_metric() -> FacesMetric:
    """A shared, lazily loaded :class:`FacesMetric`."""
    return FacesMetric()


def summary_table(
    results: dict[str, dict],
    columns: tuple[str, ...] = ("frechet_distance", "classifier_score", "classes_covered", "n"),
) -> str:
    """A Markdown table comparing named metric dictionaries (e.g. from :meth:`MnistMetric.evaluate`).

    One row per ``results`` entry, one column per key in ``columns`` (missing keys print as "–").
    Integers print as they are, floats with one decimal from 10 upwards and three below, lists
    joined by spaces. Show it in a notebook with ``IPython.display.Markdown(summary_table(...))``.
    """

    def cell(v) -> str:
        if v is None:
            return "–"
        if isinstance(v, (bool, np.bool_)):
            return str(bool(v))
        if isinstance(v, (int, np.integer)):
            return str(int(v))
        if isinstance(v, (float, np.floating)):
            return f"{v:,.1f}" if abs(v) >= 10 else f"{v:.3f}"
        if isinstance(v, (list, tuple, np.ndarray)):
            return " ".join(cell(x) for x in v)
        return str(v)

    lines = ["| | " + " | ".join(columns) + " |", "|---" * (len(columns) + 1) + "|"]
    lines += [f"| {name} | " + " | ".join(cell(r.get(c)) for c in columns) + " |" for name, r in results.items()]
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# Colorization: colour photos (float sRGB in [0, 1], N×H×W×3) against the true colours
# ---------------------------------------------------------------------------------------------


def psnr(images, reference) -> float:
    """Mean peak signal-to-noise ratio in dB (``tf.image.psnr``, peak 1); infinite for identical images."""
    import tensorflow as tf

    return float(np.mean(tf.image.psnr(np.asarray(images, np.float32), np.asarray(reference, np.float32), 1.0)))


def ssim(images, reference) -> float:
    """Mean structural similarity (``tf.image.ssim``, 11×11 Gaussian window, peak 1); 1 for identical images."""
    import tensorflow as tf

    return float(np.mean(tf.image.ssim(np.asarray(images, np.float32), np.asarray(reference, np.float32), 1.0)))


def colourfulness(images) -> np.ndarray:
    r"""Hasler & Süsstrunk's (2003) colourfulness of each image, on the 0..255 scale of the paper:

    .. math:: M = \sqrt{\sigma_{rg}^2 + \sigma_{yb}^2} + 0.3\sqrt{\mu_{rg}^2 + \mu_{yb}^2},
              \quad rg = R - G,\ yb = (R + G)/2 - B

    0 for grey images; the paper calls 15 slightly, 33 moderately, 45 averagely, 59 quite, 82 highly
    and 109 extremely colourful.
    """
    x = 255.0 * np.asarray(images, np.float64).reshape(-1, *np.shape(images)[-3:])
    rg = (x[..., 0] - x[..., 1]).reshape(len(x), -1)
    yb = (0.5 * (x[..., 0] + x[..., 1]) - x[..., 2]).reshape(len(x), -1)
    return np.hypot(rg.std(1), yb.std(1)) + 0.3 * np.hypot(rg.mean(1), yb.mean(1))


def histogram_intersection(p, q) -> float:
    """Σ min(pᵢ, qᵢ) of two histograms over the same bins, each normalised to sum 1: 1 when they are
    identical, 0 when they do not overlap."""
    p, q = np.asarray(p, np.float64), np.asarray(q, np.float64)
    return float(np.minimum(p / p.sum(), q / q.sum()).sum())


AB_BINS = np.linspace(-110.0, 110.0, 45)  # 44 bins of 5 Lab units


def ab_histograms(images) -> tuple[np.ndarray, np.ndarray]:
    """Histograms of the a* and of the b* values of every pixel of the images (bins :data:`AB_BINS`)."""
    from .colour import rgb_to_lab

    lab = np.asarray(rgb_to_lab(np.asarray(images, np.float32)))
    return np.histogram(lab[..., 1], AB_BINS)[0], np.histogram(lab[..., 2], AB_BINS)[0]


HUE_BINS = 36  # 10° each


def hue_histogram(images, bins: int = HUE_BINS) -> np.ndarray:
    """The hue histogram of every pixel of the images (float sRGB in [0, 1], any shape [..., 3], or a
    list of such arrays of different sizes), each pixel weighted by its chroma max(R, G, B) −
    min(R, G, B), so grey pixels, whose hue is undefined, count for nothing. Sums to 1 (all zeros
    for images without any colour)."""
    counts = np.zeros(bins)
    for x in images if isinstance(images, (list, tuple)) else [images]:
        if np.shape(x)[-1] != 3:
            raise errors.UserValueError(f"hue_histogram needs RGB images shaped [..., 3], got {np.shape(x)}")
        x = np.asarray(x, np.float64).reshape(-1, 3)
        r, g, b = x.T
        top, chroma = x.max(1), np.ptp(x, 1)
        safe = np.where(chroma > 0, chroma, 1.0)
        hue = np.where(top == r, ((g - b) / safe) % 6, np.where(top == g, (b - r) / safe + 2, (r - g) / safe + 4)) / 6
        counts += np.histogram(hue, bins, (0.0, 1.0), weights=chroma)[0]
    return counts / counts.sum() if counts.sum() > 0 else counts


def hue_distance(p, q) -> float:
    """1 − the intersection of two hue histograms (:func:`hue_histogram`): 0 when the colours are
    spread over the hues in the same proportions, 1 when they share no hue."""
    return 1.0 - histogram_intersection(p, q)


def colorization_metrics(images, reference, training=None) -> dict:
    """Colorizations against the true colour photos (float sRGB in [0, 1], N×H×W×3, same order).

    ``psnr`` and ``ssim`` reward closeness pixel by pixel, so they favour grey, desaturated guesses
    (a grey guess is never far off); ``colourfulness`` (mean over images, of the colorizations and
    of the truth) and ``colourfulness_gap`` (their difference: negative = duller than the truth)
    measure saturation; ``hist_intersection_a``/``_b`` are the pix2pix paper's histogram
    intersections of the a* and b* values of all pixels with the truth's (1 = the same colour
    distribution); ``ab_l1`` is the mean absolute a*, b* error per pixel in Lab units.

    With ``training`` (the training photos, float sRGB, an array or a list of arrays), also
    ``hue_to_training`` and ``hue_truth_to_training``: the :func:`hue_distance` of the colorizations'
    and of the truth's hue histograms to the training photos'. A colorizer that paints every photo
    in its training colours has the first far below the second.
    """
    from .colour import rgb_to_lab

    x, ref = np.asarray(images, np.float32), np.asarray(reference, np.float32)
    if x.shape != ref.shape:
        raise ValueError(f"colorizations {x.shape} and reference {ref.shape} must have the same shape")
    (a, b), (a_ref, b_ref) = ab_histograms(x), ab_histograms(ref)
    m, m_ref = colourfulness(x).mean(), colourfulness(ref).mean()
    ab_l1 = np.abs(np.asarray(rgb_to_lab(x))[..., 1:] - np.asarray(rgb_to_lab(ref))[..., 1:]).mean()
    return {"psnr": psnr(x, ref), "ssim": ssim(x, ref), "colourfulness": float(m), "colourfulness_true": float(m_ref),
            "colourfulness_gap": float(m - m_ref), "hist_intersection_a": histogram_intersection(a, a_ref),
            "hist_intersection_b": histogram_intersection(b, b_ref), "ab_l1": float(ab_l1), "n": len(x),
            **({} if training is None else {"hue_to_training": hue_distance(hue_histogram(x), hue_histogram(training)),
                                           "hue_truth_to_training": hue_distance(hue_histogram(ref), hue_histogram(training))})}
