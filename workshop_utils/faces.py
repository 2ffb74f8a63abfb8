"""Procedural cartoon faces: a seeded, offline stand-in for the Simpsons faces data set.

Every face draws nine attributes independently and uniformly (so "smiling" says nothing about hair
colour or glasses), plus small continuous jitter in position, size and colour so that no two faces
are alike. The images are drawn with Pillow at twice the output size and downsampled, which gives
smooth edges. :func:`cartoon_faces` returns the images and the attribute labels; notebook 05 uses
the labels to measure latent arithmetic, and the attribute classifier in ``data/`` learns them.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from PIL import Image, ImageDraw

from . import errors

ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "skin": ("yellow", "light", "tan", "brown"),
    "head": ("round", "oval", "square"),
    "hair_style": ("short", "spiky", "long", "tall"),
    "hair_colour": ("black", "brown", "blonde", "red", "blue"),
    "eye_size": ("small", "large"),
    "gaze": ("left", "centre", "right"),
    "mouth": ("smiling", "neutral", "open"),
    "glasses": ("no", "yes"),
    "background": ("sky", "pink", "green", "grey"),
}

_SKIN = {"yellow": (255, 217, 15), "light": (246, 208, 176), "tan": (214, 164, 118), "brown": (139, 94, 60)}
_HAIR = {"black": (30, 30, 35), "brown": (110, 66, 30), "blonde": (236, 200, 90), "red": (196, 60, 30),
         "blue": (40, 80, 200)}
_BACKGROUND = {"sky": (150, 200, 240), "pink": (245, 180, 200), "green": (160, 215, 150), "grey": (190, 190, 190)}
_OUTLINE = (40, 30, 30)


def sample_attributes(n: int, seed: int = 0) -> dict[str, np.ndarray]:
    """``n`` faces' attribute indices, each attribute uniform and independent of the others."""
    return {name: np.random.default_rng([seed, 1, k]).integers(0, len(values), n)
            for k, (name, values) in enumerate(ATTRIBUTES.items())}


def draw_face(attributes: dict[str, int], rng: np.random.Generator, size: int = 64) -> np.ndarray:
    """One face as a ``size``×``size``×3 uint8 array; ``attributes`` maps names to value indices."""
    a = {name: ATTRIBUTES[name][int(i)] for name, i in attributes.items()}
    s = 2 * size / 128  # drawing units: a 128-unit canvas at twice the output resolution
    jitter = lambda scale: float(rng.uniform(-scale, scale))  # noqa: E731
    shade = lambda rgb, amount=12: tuple(int(np.clip(c + rng.integers(-amount, amount + 1), 0, 255)) for c in rgb)  # noqa: E731

    img = Image.new("RGB", (2 * size, 2 * size), shade(_BACKGROUND[a["background"]]))
    d = ImageDraw.Draw(img)
    cx, cy = 64 + jitter(4), 70 + jitter(4)  # head centre
    scale = 1 + jitter(0.06)
    half_w = {"round": 34, "oval": 29, "square": 33}[a["head"]] * scale
    half_h = {"round": 36, "oval": 42, "square": 36}[a["head"]] * scale
    head = [(cx - half_w) * s, (cy - half_h) * s, (cx + half_w) * s, (cy + half_h) * s]
    skin, hair = shade(_SKIN[a["skin"]]), shade(_HAIR[a["hair_colour"]], 15)
    top = cy - half_h

    # hair behind the head
    if a["hair_style"] == "long":
        d.rounded_rectangle([(cx - half_w - 9) * s, (top - 7) * s, (cx + half_w + 9) * s, (cy + half_h + 14) * s],
                            radius=22 * s, fill=hair)
    elif a["hair_style"] == "tall":
        d.ellipse([(cx - half_w * 0.8) * s, (top - 40) * s, (cx + half_w * 0.8) * s, (top + 22) * s], fill=hair)

    # the head
    if a["head"] == "square":
        d.rounded_rectangle(head, radius=12 * s, fill=skin, outline=_OUTLINE, width=max(1, round(1.5 * s)))
    else:
        d.ellipse(head, fill=skin, outline=_OUTLINE, width=max(1, round(1.5 * s)))

    # hair on top of the head
    if a["hair_style"] == "short":
        d.chord([(cx - half_w) * s, (top - 6) * s, (cx + half_w) * s, (top + 30) * s], 180, 360, fill=hair)
    elif a["hair_style"] == "spiky":
        spikes = 6
        xs = np.linspace(cx - half_w * 0.95, cx + half_w * 0.95, 2 * spikes + 1)
        points = [(x * s, (top + 12 - (16 + jitter(3)) * (i % 2)) * s) for i, x in enumerate(xs)]
        d.polygon(points + [((cx + half_w * 0.95) * s, (top + 16) * s), ((cx - half_w * 0.95) * s, (top + 16) * s)],
                  fill=hair)
    elif a["hair_style"] == "long":
        d.chord([(cx - half_w) * s, (top - 4) * s, (cx + half_w) * s, (top + 26) * s], 180, 360, fill=hair)

    # eyes with pupils that look left, ahead or right
    radius = {"small": 6.5, "large": 10.5}[a["eye_size"]] * (1 + jitter(0.08))
    spacing = 14 + jitter(1.5)
    eye_y = cy - 4 + jitter(2)
    look = {"left": -1, "centre": 0, "right": 1}[a["gaze"]] * radius * 0.5
    for ex in (cx - spacing, cx + spacing):
        d.ellipse([(ex - radius) * s, (eye_y - radius) * s, (ex + radius) * s, (eye_y + radius) * s],
                  fill=(255, 255, 255), outline=_OUTLINE, width=max(1, round(s)))
        p = radius * 0.45
        d.ellipse([(ex + look - p) * s, (eye_y - p) * s, (ex + look + p) * s, (eye_y + p) * s], fill=(10, 10, 10))
    if a["glasses"] == "yes":
        g = radius + 4
        for ex in (cx - spacing, cx + spacing):
            d.ellipse([(ex - g) * s, (eye_y - g) * s, (ex + g) * s, (eye_y + g) * s], outline=(20, 20, 20),
                      width=max(1, round(2.5 * s)))
        d.line([((cx - spacing + g) * s, eye_y * s), ((cx + spacing - g) * s, eye_y * s)], fill=(20, 20, 20),
               width=max(1, round(2.5 * s)))

    # mouth
    mouth_y, mouth_w = cy + 20 + jitter(2), 12 + jitter(2)
    line_w = max(1, round(2.5 * s))
    if a["mouth"] == "smiling":
        d.arc([(cx - mouth_w) * s, (mouth_y - 10) * s, (cx + mouth_w) * s, (mouth_y + 6) * s], 20, 160,
              fill=_OUTLINE, width=line_w)
    elif a["mouth"] == "neutral":
        d.line([((cx - mouth_w * 0.8) * s, mouth_y * s), ((cx + mouth_w * 0.8) * s, mouth_y * s)], fill=_OUTLINE,
               width=line_w)
    else:
        d.ellipse([(cx - 6) * s, (mouth_y - 5) * s, (cx + 6) * s, (mouth_y + 7) * s], fill=(120, 20, 30),
                  outline=_OUTLINE, width=max(1, round(s)))
    return np.asarray(img.resize((size, size), Image.Resampling.LANCZOS))


@lru_cache(maxsize=4)
def cartoon_faces(n: int, seed: int = 0, size: int = 64) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """``n`` seeded faces: (uint8 images N×size×size×3, attribute indices by name).

    The same (n, seed, size) always gives the same faces, and the first ``m`` faces of a larger
    set are the ``m`` faces of a smaller one. The arrays are read-only (they are cached).
    """
    if n < 1:
        raise errors.UserValueError(f"n must be at least 1, got {n}")
    labels = sample_attributes(n, seed)
    images = np.empty((n, size, size, 3), np.uint8)
    for i in range(n):
        rng = np.random.default_rng([seed, 2, i])
        images[i] = draw_face({k: v[i] for k, v in labels.items()}, rng, size)
    images.setflags(write=False)
    for v in labels.values():
        v.setflags(write=False)
    return images, labels
