"""Data loaders with offline fallbacks: MNIST (tensorflow-datasets, else the subset in ``data/``),
image folders, faces (the Simpsons through kagglehub, else procedural cartoon faces), colour photos
for the colorizer (tf_flowers, else the photographs the course ships), and each recipe's batches.

The batches themselves come from :mod:`workshop_utils.pipelines`; the toy targets from
:mod:`workshop_utils.distributions`.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import socket
import sys
import tempfile
import time
from dataclasses import dataclass
from typing import Callable

import numpy as np
import tensorflow as tf

from . import colour, config, distributions, errors, pipelines
from .conditions import Condition
from .pipelines import AUTOTUNE

log = logging.getLogger(__name__)

# ---------------------------------------------------------------------------------------------
# MNIST
# ---------------------------------------------------------------------------------------------

OFFLINE_MNIST = "mnist_subset.npz"


def network_available(host: str = "storage.googleapis.com", port: int = 443, timeout: float = 1.5) -> bool:
    """A quick probe (one TCP connect) so offline machines never wait on tfds' retries."""
    if config.offline_mode():
        return False
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


@dataclass
class ImageSet:
    """Images as uint8 N×H×W×C with integer labels, plus where they came from."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    source: str

    def __post_init__(self):  # shared by the loaders' cache: read-only, so nobody edits it by accident
        for a in (self.x_train, self.y_train, self.x_test, self.y_test):
            a.setflags(write=False)

    def limit(self, n_train: int | None) -> "ImageSet":
        """The first ``n_train`` training images (the shipped order is already shuffled)."""
        if n_train is None or n_train >= len(self.x_train):
            return self
        return ImageSet(self.x_train[:n_train], self.y_train[:n_train], self.x_test, self.y_test, self.source)


def load_mnist(n_train: int | None = None, source: str = "auto") -> ImageSet:
    """MNIST as uint8 N×28×28×1.

    ``source='auto'`` uses tensorflow-datasets when the network answers (the full 60k/10k set)
    and otherwise the balanced subset shipped in ``data/`` (15k train / 2k test), without waiting
    on timeouts. ``source='tfds'`` or ``'offline'`` forces one of them.
    """
    if source not in {"auto", "tfds", "offline"}:
        raise errors.UserValueError(f"source must be 'auto', 'tfds' or 'offline', not {source!r}")
    if source == "tfds" or (source == "auto" and network_available()):
        try:
            return _load_mnist_tfds().limit(n_train)
        except Exception as err:  # noqa: BLE001 - any failure here falls back to the shipped copy
            if source == "tfds":
                raise
            log.warning("tensorflow-datasets could not load MNIST (%s); using the offline copy", err)
    return _load_mnist_offline().limit(n_train)


@functools.lru_cache(maxsize=1)
def _load_mnist_tfds() -> ImageSet:
    import importlib_resources  # noqa: F401  tfds 4.9 imports it without declaring it (tensorflow/datasets#11212)
    import tensorflow_datasets as tfds

    start = time.time()
    (x_tr, y_tr), (x_te, y_te) = tfds.as_numpy(
        tfds.load("mnist", split=["train", "test"], batch_size=-1, as_supervised=True)
    )
    log.info("loaded MNIST from tensorflow-datasets in %.1fs", time.time() - start)
    return ImageSet(x_tr, y_tr.astype(np.int64), x_te, y_te.astype(np.int64), "tensorflow-datasets mnist")


@functools.lru_cache(maxsize=1)
def _load_mnist_offline() -> ImageSet:
    path = config.data_dir() / OFFLINE_MNIST
    if not path.is_file():
        raise errors.UserFileNotFoundError(f"offline MNIST not found at {path}; rebuild it with python data/make_mnist_subset.py")
    with np.load(path) as f:
        return ImageSet(
            f["x_train"][..., None], f["y_train"], f["x_test"][..., None], f["y_test"], f"offline subset ({path.name})"
        )


# ---------------------------------------------------------------------------------------------
# Folders of images, the Simpsons faces, and the procedural faces
# ---------------------------------------------------------------------------------------------

IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".bmp", ".gif", ".webp")
SIMPSONS_KAGGLE = "kostastokis/simpsons-faces"


class SkippedFilesWarning(UserWarning):
    """Some files of an image folder were skipped (unreadable, not images, or too small)."""


def _decode(contents: tf.Tensor) -> tf.Tensor:
    """An image file's bytes → float H×W×C in [0, 1]; fails when they are not a decodable image."""
    return tf.io.decode_image(contents, channels=0, expand_animations=False, dtype=tf.float32)


def _composite_rgb(img: tf.Tensor) -> tuple[tf.Tensor, tf.Tensor]:
    """(RGB H×W×3, alpha H×W×1) of a decoded image: grayscale becomes RGB, an alpha channel is
    composited onto white (alpha is ones when there is none)."""
    c = tf.shape(img)[-1]
    rgb = tf.cond(c < 3, lambda: tf.image.grayscale_to_rgb(img[..., :1]), lambda: img[..., :3])
    alpha = tf.cond(c % 2 == 0, lambda: img[..., -1:], lambda: tf.ones_like(img[..., :1]))
    return rgb * alpha + (1.0 - alpha), alpha


def _decode_square(path: tf.Tensor, size: int) -> tuple[tf.Tensor, tf.Tensor, tf.Tensor]:
    """Read one file: (path, uint8 size×size×3 centre crop, shorter side of the original).

    Fails (and is skipped by the caller) when the file is not a decodable image.
    """
    rgb, _ = _composite_rgb(_decode(tf.io.read_file(path)))
    h, w = tf.shape(rgb)[0], tf.shape(rgb)[1]
    side = tf.minimum(h, w)
    square = tf.image.crop_to_bounding_box(rgb, (h - side) // 2, (w - side) // 2, side, side)
    small = tf.image.resize(square, (size, size), antialias=True)
    return path, tf.cast(tf.clip_by_value(tf.round(small * 255.0), 0, 255), tf.uint8), side


@contextlib.contextmanager
def _native_stderr_to_log():
    """Send what native code writes straight to file descriptor 2 (libjpeg's complaints about a
    corrupt file) to the debug log instead of the terminal, for the duration of the block."""
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as captured:
        os.dup2(captured.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            captured.seek(0)
            text = captured.read().decode(errors="replace").strip()
            if text:
                log.debug("native messages while decoding images: %s", text)


def load_image_folder(path, size: int = 64, min_side: int | None = None) -> np.ndarray:
    """Every image under ``path`` (searched recursively), centre-cropped to a square and resized
    to ``size``×``size``, as uint8 N×size×size×3 in a stable (sorted by file name) order.

    Decoding runs in parallel in a ``tf.data`` pipeline. Files that cannot be decoded (corrupt,
    empty, not an image) or whose shorter side is below ``min_side`` (default ``size // 2``) are
    skipped and reported in one :class:`SkippedFilesWarning`. A missing folder, or one without a
    single usable image, raises an error that names the folder.
    """
    import warnings
    from pathlib import Path

    root = Path(path).expanduser()
    if not root.is_dir():
        raise errors.UserFileNotFoundError(f"image folder {root} does not exist (expected a folder of .jpg/.png images)")
    files = sorted(str(p) for p in root.rglob("*") if p.is_file() and not p.name.startswith("."))
    min_side = size // 2 if min_side is None else min_side
    decoded: list[np.ndarray] = []
    kept: set[str] = set()
    too_small: list[str] = []
    if files:
        ds = (tf.data.Dataset.from_tensor_slices(files)
              .map(lambda p: _decode_square(p, size), num_parallel_calls=AUTOTUNE, deterministic=True)
              .ignore_errors())
        with _native_stderr_to_log():  # libjpeg writes "Input file read error" itself; the warning below counts it
            for p, img, side in ds.as_numpy_iterator():
                name = p.decode()
                kept.add(name)
                if side < min_side:
                    too_small.append(name)
                else:
                    decoded.append(img)
    unreadable = [f for f in files if f not in kept]
    if not decoded:
        raise errors.UserValueError(f"no usable images in {root}: found {len(files)} file(s), {len(unreadable)} unreadable, "
                                    f"{len(too_small)} smaller than {min_side} px; expected image files "
                                    f"({', '.join(IMAGE_EXTENSIONS)})")
    if unreadable or too_small:
        parts = [f"{len(unreadable)} unreadable or not an image"] if unreadable else []
        parts += [f"{len(too_small)} smaller than {min_side} px"] if too_small else []
        examples = ", ".join(Path(f).name for f in (unreadable + too_small)[:3])
        warnings.warn(f"skipped {len(unreadable) + len(too_small)} of {len(files)} files in {root} "
                      f"({'; '.join(parts)}; e.g. {examples}); training uses the other {len(decoded)}",
                      SkippedFilesWarning, stacklevel=2)
    return np.stack(decoded)


@dataclass
class FaceSet:
    """Face images (uint8 N×H×W×3) for training and a held-out reference set for metrics.

    ``labels``/``reference_labels`` hold the attribute indices of procedural faces (``None`` for
    photos or drawings from a folder); ``note`` says in one line where the faces came from.
    """

    images: np.ndarray
    reference: np.ndarray
    labels: dict[str, np.ndarray] | None
    reference_labels: dict[str, np.ndarray] | None
    source: str
    note: str


def load_faces(source: str | None = None, n: int | None = None, size: int = 64) -> FaceSet:
    """Faces for the DCGAN of notebook 03.

    ``source`` is ``"simpsons"`` (the Kaggle set through kagglehub), ``"cartoon"`` (procedural
    faces, :mod:`workshop_utils.faces`), a folder path, or ``None``/``"auto"``: the Simpsons when
    kagglehub can reach Kaggle, else the procedural faces (``note`` says why). ``n`` limits the
    number of training faces. A random 10% of a folder (at most 2,000 images) is held out as the reference.
    """
    if source in (None, "auto"):
        if not network_available("www.kaggle.com"):
            note = "offline: the Simpsons faces need kagglehub and the network, so this uses procedural cartoon faces"
        else:
            try:
                return _split_folder(_simpsons_folder(), n, size, "simpsons")
            except Exception as err:  # noqa: BLE001 - any download failure falls back to the offline faces
                note = f"the Simpsons faces could not be fetched ({err}); using procedural cartoon faces"
        log.warning(note)
        return _cartoon_faces(n, size, note)
    if source == "cartoon":
        return _cartoon_faces(n, size, "procedural cartoon faces (workshop_utils.faces)")
    if source == "simpsons":
        return _split_folder(_simpsons_folder(), n, size, "simpsons")
    return _split_folder(source, n, size, str(source))


CARTOON_TRAIN, CARTOON_REFERENCE = 20_000, 2_000


def _cartoon_faces(n: int | None, size: int, note: str) -> FaceSet:
    from . import faces

    x, y = faces.cartoon_faces(min(n or CARTOON_TRAIN, CARTOON_TRAIN), seed=0, size=size)  # a prefix of the 20,000
    ref, ref_y = faces.cartoon_faces(CARTOON_REFERENCE, seed=1, size=size)
    return FaceSet(x, ref, y, ref_y, "cartoon", note)


def _simpsons_folder() -> str:
    """Download (once; kagglehub caches it) the Simpsons faces and return the image folder."""
    import kagglehub
    from pathlib import Path

    root = Path(kagglehub.dataset_download(SIMPSONS_KAGGLE))
    cropped = next((p for p in root.rglob("cropped") if p.is_dir()), None)
    return str(cropped or root)


@functools.lru_cache(maxsize=2)
def _folder_images(path: str, size: int) -> np.ndarray:
    images = load_image_folder(path, size)
    images.setflags(write=False)
    return images


def _split_folder(path, n: int | None, size: int, source: str) -> FaceSet:
    images = _folder_images(str(path), size)
    order = np.random.default_rng(0).permutation(len(images))  # a fixed split, whatever the file names
    n_ref = min(2000, max(1, len(images) // 10)) if len(images) > 1 else 0
    reference = images[order[:n_ref]] if n_ref else images
    train = images[np.sort(order[n_ref:])] if n_ref else images
    train = train[:n] if n else train
    return FaceSet(train, reference, None, None, source, f"{len(train):,} faces from {path}")


# ---------------------------------------------------------------------------------------------
# Colour photos for the pix2pix colorizer
# ---------------------------------------------------------------------------------------------

# The offline photo set, one entry per scene: the colour photographs that ship inside scikit-image
# (skimage.data) and matplotlib (Grace Hopper), and the twelve nature photographs of Debian's
# mate-backgrounds package, shrunk and shipped in data/photos/ (GPL-2+, authors and provenance in
# data/photos/README.md; `data/make_photos.py` makes them). The two views of the stereo motorcycle
# are one scene, and "cat" is the same photo as "chelsea". Training and held-out photos never share
# a scene. The held-out scenes were fixed once, before any training, and are never tuned on: a cat
# (training has no animal but a ladybird) and a portrait (training keeps the astronaut's).
# Not used: hubble_deep_field, immunohistochemistry and retina. A telescope field, a stained tissue
# slide and an eye fundus are not natural scenes: their colours come from stains and instruments,
# not from what the grey levels show, and their large black areas would pull the colour statistics
# of a colorizer meant for everyday photos towards black.
SKIMAGE_SCENES = ("astronaut", "coffee", "rocket", "motorcycle")
NATURE_SCENES = ("aqua", "blinds", "dune", "fresh_flower", "garden", "green_meadow", "ladybird", "rain_drops",
                 "storm", "two_wings", "wood", "yellow_flower")
PHOTO_TRAIN_SCENES = SKIMAGE_SCENES + NATURE_SCENES
PHOTO_HELD_OUT_SCENES = ("chelsea", "grace_hopper")
# Settings are chosen on validation scenes cut from the training scenes, never on the held-out ones:
# fixed before the validation runs, one brown and red, one green, one blue.
PHOTO_VALIDATION_SCENES = ("coffee", "green_meadow", "aqua")
MAX_HELD_OUT_PHOTOS = 100
SPLITS = ("test", "validation")


def read_photo(path) -> tuple[np.ndarray, np.ndarray | None]:
    """One image file as float RGB in [0, 1] (H×W×3; grayscale becomes RGB, transparency is
    composited onto white) and its alpha channel (H×W, or ``None`` when it has none).

    Raises FileNotFoundError or ValueError naming the file when it is missing or not an image.
    """
    from pathlib import Path

    path = Path(path)
    if not path.is_file():
        raise errors.UserFileNotFoundError(f"{path} does not exist or is not a file")
    try:
        img = _decode(tf.constant(path.read_bytes()))
    except (tf.errors.OpError, ValueError):
        raise errors.UserValueError(f"{path} is not a readable image (expected {', '.join(IMAGE_EXTENSIONS)})") from None
    rgb, alpha = _composite_rgb(img)
    return rgb.numpy(), (alpha.numpy()[..., 0] if img.shape[-1] % 2 == 0 else None)


@dataclass(frozen=True)
class PhotoSet:
    """Colour photos for the colorizer.

    ``train``: uint8 H×W×3 photos of varying sizes (shorter side at most ``zoom``·size), cut into
    random crops by :func:`photo_batches`. ``held_out``: the fixed evaluation crops (uint8
    N×size×size×3, :func:`photo_crops`) of photos whose scenes are not in ``train``. ``source`` is
    what was loaded ("tf_flowers", "offline" or the folder); ``note`` says in one line where from.
    """

    train: tuple[np.ndarray, ...]
    held_out: np.ndarray
    train_scenes: tuple[str, ...]
    held_out_scenes: tuple[str, ...]
    source: str
    note: str

    def limit(self, n: int | None) -> "PhotoSet":
        """The first ``n`` training photos (all for ``None``); the held-out crops stay the same."""
        if n is None or n >= len(self.train):
            return self
        return PhotoSet(self.train[:n], self.held_out, self.train_scenes[:n], self.held_out_scenes, self.source, self.note)


def load_photos(source: str = "auto", size: int = 64, zoom: float = 2.0, n: int | None = None,
                split: str = "test") -> PhotoSet:
    """Colour photos for the colorizer at model size ``size``.

    ``source``: ``"tf_flowers"`` (3,670 flower photos from tensorflow-datasets, a 218 MB download;
    100 photos held out), ``"offline"`` (the shipped photographs of :data:`PHOTO_TRAIN_SCENES`, with
    :data:`PHOTO_HELD_OUT_SCENES` held out), a folder of photos (searched recursively with
    :func:`load_image_folder`, centre squares; a tenth, at most 100, held out), or ``"auto"``:
    tf_flowers when the network answers, else the offline photos (``note`` says why, once in
    the log). Photos are shrunk so that their shorter side is at most ``zoom``·``size``, which
    leaves room for crops at different scales; photos smaller than ``size`` are skipped.
    ``n`` limits the number of training photos.

    ``split="validation"`` is for choosing settings: ``held_out`` then holds validation photos cut
    from the training ones (offline the scenes of :data:`PHOTO_VALIDATION_SCENES`, otherwise a tenth
    of the training photos, at most 100) and ``train`` the rest; the test photos are left out.
    """
    if size < 8 or zoom < 1:
        raise errors.UserValueError(f"size must be at least 8 pixels and zoom at least 1, got size {size}, zoom {zoom}")
    if split not in SPLITS:
        raise errors.UserValueError(f"unknown split {split!r}; use one of {SPLITS}")
    if source in (None, "auto"):
        if not network_available():
            note = "offline: tf_flowers needs the network, so this uses the colour photographs shipped with the course"
        else:
            try:
                return _photos("tf_flowers", size, zoom, split).limit(n)
            except Exception as err:  # noqa: BLE001 - any download failure falls back to the offline photos
                note = f"tf_flowers could not be loaded ({err}); using the colour photographs shipped with the course"
        log.warning(note)
        offline = _photos("offline", size, zoom, split)
        return PhotoSet(offline.train, offline.held_out, offline.train_scenes, offline.held_out_scenes, "offline",
                        note).limit(n)
    return _photos(str(source), size, zoom, split).limit(n)


@functools.lru_cache(maxsize=4)
def _photos(source: str, size: int, zoom: float, split: str = "test") -> PhotoSet:
    side = round(zoom * size)
    if source == "offline":
        scenes = {name: [_fit(p, side).numpy() for p in _offline_scene(name)]
                  for name in PHOTO_TRAIN_SCENES + PHOTO_HELD_OUT_SCENES}
        train = [(name, p) for name in PHOTO_TRAIN_SCENES for p in scenes[name]]
        held = [(name, p) for name in PHOTO_HELD_OUT_SCENES for p in scenes[name]]
        smallest = min(min(p.shape[:2]) for _, p in train + held)
        if smallest < size:
            raise errors.UserValueError(f"the offline photos are only {smallest} px on their shorter side; use a size up to {smallest}")
        if split == "validation":
            held = [(name, p) for name, p in train if name in PHOTO_VALIDATION_SCENES]
            train = [(name, p) for name, p in train if name not in PHOTO_VALIDATION_SCENES]
        note = (f"{len(train)} photographs of {len(dict.fromkeys(n for n, _ in train))} scenes shipped with the course; "
                f"held out{' for validation' if split == 'validation' else ''}: {', '.join(dict.fromkeys(n for n, _ in held))}")
    else:
        if source == "tf_flowers":
            photos = _tf_flowers(side)
        else:
            photos = list(load_image_folder(source, size=side, min_side=size))
        photos = [p for p in photos if min(p.shape[:2]) >= size]
        if len(photos) < 2:
            raise errors.UserValueError(f"{source} has {len(photos)} usable photo(s) of at least {size} px; the colorizer "
                                        "needs two or more (photos are held out for evaluation)")
        order = np.random.default_rng(0).permutation(len(photos))  # a fixed split, whatever the file order
        n_held = min(MAX_HELD_OUT_PHOTOS, max(1, len(photos) // 10))
        if split == "validation":  # the test photos are dropped, the validation ones come from the rest
            order = order[n_held:]
            if len(order) < 2:
                raise errors.UserValueError(f"{source} has too few photos for a validation split; add photos or use split 'test'")
            n_held = min(MAX_HELD_OUT_PHOTOS, max(1, len(order) // 10))
        held = [(f"photo {i}", photos[i]) for i in np.sort(order[:n_held])]
        train = [(f"photo {i}", photos[i]) for i in np.sort(order[n_held:])]
        note = f"{len(train):,} photos from {source}, {n_held} held out{' for validation' if split == 'validation' else ''}"
    for _, p in train + held:
        p.setflags(write=False)
    crops = photo_crops([p for _, p in held], size)
    crops.setflags(write=False)
    return PhotoSet(tuple(p for _, p in train), crops, tuple(name for name, _ in train), tuple(name for name, _ in held),
                    source, note)


def _offline_scene(name: str) -> list[np.ndarray]:
    """The photo(s) of one offline scene, uint8 H×W×3."""
    import skimage.data

    if name == "motorcycle":
        left, right, _ = skimage.data.stereo_motorcycle()
        return [left, right]
    if name in NATURE_SCENES or name == "grace_hopper":
        from matplotlib import cbook

        path = (config.data_dir() / "photos" / f"{name}.jpg" if name in NATURE_SCENES
                else cbook.get_sample_data("grace_hopper.jpg", asfileobj=False))
        return [tf.io.decode_jpeg(tf.io.read_file(str(path)), channels=3).numpy()]
    return [getattr(skimage.data, name)()]


def _tf_flowers(side: int) -> list[np.ndarray]:
    import importlib_resources  # noqa: F401  tfds 4.9 imports it without declaring it (tensorflow/datasets#11212)
    import tensorflow_datasets as tfds

    start = time.time()
    ds = tfds.load("tf_flowers", split="train", shuffle_files=False)
    photos = list(ds.map(lambda ex: _fit(ex["image"], side), num_parallel_calls=AUTOTUNE).as_numpy_iterator())
    log.info("loaded %d tf_flowers photos in %.1fs", len(photos), time.time() - start)
    return photos


def _fit(photo, side: int) -> tf.Tensor:
    """Shrink a uint8 photo (never enlarge it) so that its shorter side is at most ``side``."""
    image = tf.convert_to_tensor(photo)
    shape = tf.cast(tf.shape(image)[:2], tf.float32)
    scale = tf.minimum(1.0, side / tf.reduce_min(shape))
    small = tf.image.resize(tf.cast(image, tf.float32), tf.cast(tf.round(shape * scale), tf.int32), antialias=True)
    return tf.cast(tf.clip_by_value(tf.round(small), 0, 255), tf.uint8)


def _positions(extent: int, side: int) -> np.ndarray:
    k = -(-extent // side)
    return np.array([(extent - side) // 2]) if k == 1 else np.linspace(0, extent - side, k).round().astype(int)


def photo_crops(photos, size: int) -> np.ndarray:
    """The fixed evaluation crops of photos: squares of each photo's shorter side S and of
    max(``size``, S/2), spread evenly over the photo (⌈extent/side⌉ positions along each axis,
    the edges included), each resized to ``size``×``size``. uint8 N×size×size×3."""
    crops = []
    for p in photos:
        h, w = p.shape[:2]
        short = min(h, w)
        for side in sorted({short, max(size, short // 2)}, reverse=True):
            for y in _positions(h, side):
                for x in _positions(w, side):
                    crop = tf.image.resize(tf.cast(p[y : y + side, x : x + side], tf.float32), (size, size), antialias=True)
                    crops.append(np.clip(np.rint(crop.numpy()), 0, 255).astype(np.uint8))
    return np.stack(crops)


# ---------------------------------------------------------------------------------------------
# Each recipe's batches, from its settings (workshop_utils.recipes names these functions):
# ``fn(settings)`` returns ``data_fn(start_batch) -> tf.data.Dataset``
# ---------------------------------------------------------------------------------------------


def toy1d_data(s: dict) -> Callable[[int], tf.data.Dataset]:
    dist = distributions.toy1d_target(s)
    return lambda start: pipelines.toy_batches(dist, s["batch_size"], s["seed"], start)


def mixture_data(s: dict) -> Callable[[int], tf.data.Dataset]:
    dist = distributions.mixture_recipe_target(s)
    return lambda start: pipelines.toy_batches(dist, s["batch_size"], s["seed"], start)


def mnist_data(s: dict, condition: Condition | None = None) -> Callable[[int], tf.data.Dataset]:
    """MNIST digits in [-1, 1]; with a ``condition``, each batch is (digits, encoded labels)."""
    mnist = load_mnist(n_train=s["n_train"])
    labelled = {} if condition is None else dict(labels=mnist.y_train, encode=condition.encode)
    return lambda start: pipelines.array_batches(mnist.x_train, s["batch_size"], s["seed"], start,
                                                 preprocess=pipelines.scale_images, **labelled)


def recipe_faces(s: dict) -> FaceSet:
    """The recipe's faces; ``s["data"]`` "auto" becomes what it resolved to, so that evaluation
    measures the same data the run trained on."""
    faces = load_faces(s["data"], n=s["n_train"])
    s["data"] = faces.source
    return faces


def faces_data(s: dict, condition: Condition | None = None) -> Callable[[int], tf.data.Dataset]:
    """Faces in [-1, 1]; with a ``condition``, each batch is (faces, their encoded attributes)."""
    faces = recipe_faces(s)
    labelled = {}
    if condition is not None:
        if faces.labels is None:
            raise errors.UserValueError(f"a conditional faces recipe needs attribute labels, and the faces from {faces.source} "
                                        "have none; use --data cartoon (the procedural faces, which carry them)")
        labelled = dict(labels=np.stack([faces.labels[n] for n in condition.names], axis=1), encode=condition.encode)
    return lambda start: pipelines.array_batches(faces.images, s["batch_size"], s["seed"], start,
                                                 preprocess=pipelines.scale_images, **labelled)


def recipe_photos(s: dict) -> PhotoSet:
    """The colorizer recipe's photos; ``s["data"]`` "auto" becomes what it resolved to."""
    photos = load_photos(s["data"], s["size"], s["zoom"], s["n_train"], s["split"])
    s["data"] = photos.source
    return photos


def colorizer_data(s: dict) -> Callable[[int], tf.data.Dataset]:
    """Random crops of the training photos as (L* input, colour target) pairs."""
    photos = recipe_photos(s).train

    def pairs(batch):
        return colour.to_pairs(batch, s["colour_space"])

    return lambda start: pipelines.photo_batches(photos, s["size"], s["batch_size"], s["seed"], start, preprocess=pairs)
