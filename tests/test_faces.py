"""The procedural faces and the image-folder loader: deterministic, varied, independent labels, and
bad input handled (skipped and counted, or one clear error)."""

import warnings

import numpy as np
import pytest
from PIL import Image
from scipy import stats

from workshop_utils import data, faces


def test_faces_are_seeded_and_a_prefix_of_a_larger_set():
    x, y = faces.cartoon_faces(300, seed=5)
    x2, y2 = faces.cartoon_faces(40, seed=5)
    assert x.shape == (300, 64, 64, 3) and x.dtype == np.uint8
    np.testing.assert_array_equal(x[:40], x2)
    assert all(np.array_equal(y[k][:40], y2[k]) for k in faces.ATTRIBUTES)
    assert not np.array_equal(faces.cartoon_faces(40, seed=6)[0], x2)
    assert len({img.tobytes() for img in x}) == 300  # no two faces alike
    with pytest.raises(ValueError):
        x[0, 0, 0, 0] = 1  # the cached arrays are read-only


def test_every_attribute_value_occurs_and_smiling_is_independent():
    labels = faces.sample_attributes(20_000, seed=0)
    for name, values in faces.ATTRIBUTES.items():
        counts = np.bincount(labels[name], minlength=len(values))
        assert len(counts) == len(values) and counts.min() > 0.8 * 20_000 / len(values), name
    for other in ("hair_colour", "glasses", "skin", "gaze"):  # chi-square test of independence
        table = np.zeros((3, len(faces.ATTRIBUTES[other])))
        np.add.at(table, (labels["mouth"], labels[other]), 1)
        assert stats.chi2_contingency(table).pvalue > 1e-3, other


def test_attributes_change_the_pixels_where_they_should():
    rng = lambda: np.random.default_rng(0)  # noqa: E731 - the same jitter for both faces
    base = {k: 0 for k in faces.ATTRIBUTES}
    smiling = faces.draw_face(base, rng())
    open_mouth = faces.draw_face({**base, "mouth": 2}, rng())
    changed = np.abs(smiling.astype(int) - open_mouth.astype(int)).sum(-1) > 30
    rows = np.flatnonzero(changed.any(1))
    assert rows.min() > 36 and rows.max() < 56, "only the mouth, below the eyes, changes"
    blue = faces.draw_face({**base, "background": 0}, rng())
    pink = faces.draw_face({**base, "background": 1}, rng())
    assert np.abs(blue[0, 0].astype(int) - pink[0, 0].astype(int)).sum() > 60  # the corner is background


def _folder(tmp_path):
    rng = np.random.default_rng(0)
    (tmp_path / "sub").mkdir()
    Image.fromarray(rng.integers(0, 256, (100, 80, 3), dtype=np.uint8)).save(tmp_path / "rgb.png")
    Image.fromarray(rng.integers(0, 256, (90, 120, 3), dtype=np.uint8)).save(tmp_path / "photo.jpg")
    Image.fromarray(np.full((70, 70), 200, np.uint8), mode="L").save(tmp_path / "gray.png")
    rgba = np.zeros((64, 64, 4), np.uint8)  # fully transparent: composited onto white
    Image.fromarray(rgba, mode="RGBA").save(tmp_path / "sub" / "transparent.png")
    Image.fromarray(np.zeros((10, 10, 3), np.uint8)).save(tmp_path / "tiny.png")
    (tmp_path / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 truncated")
    (tmp_path / "empty.png").write_bytes(b"")
    (tmp_path / "readme.txt").write_text("hello")
    return tmp_path


def test_image_folder_converts_and_skips_with_one_warning(tmp_path):
    folder = _folder(tmp_path)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        images = data.load_image_folder(folder, size=32)
    assert images.shape == (4, 32, 32, 3) and images.dtype == np.uint8
    skipped = [w for w in caught if issubclass(w.category, data.SkippedFilesWarning)]
    assert len(skipped) == 1
    message = str(skipped[0].message)
    assert "skipped 4 of 8 files" in message and "3 unreadable" in message and "1 smaller than 16 px" in message
    names = sorted(p.name for p in folder.rglob("*") if p.suffix in (".png", ".jpg"))
    assert names[:2] == ["broken.jpg", "empty.png"]
    by_name = dict(zip(["gray", "photo", "rgb", "transparent"], images))  # sorted by path: gray, photo, rgb, sub/…
    assert (by_name["gray"] == 200).all() and (by_name["transparent"] == 255).all()


def test_empty_and_missing_folders_name_the_path(tmp_path):
    with pytest.raises(FileNotFoundError, match="nowhere.*does not exist"):
        data.load_image_folder(tmp_path / "nowhere")
    (tmp_path / "notes.txt").write_text("x")
    with pytest.raises(ValueError, match=f"no usable images in {tmp_path}"):
        data.load_image_folder(tmp_path)


def test_load_faces_offline_uses_cartoon_faces_with_a_note(caplog):
    faceset = data.load_faces(n=100)
    assert faceset.source == "cartoon" and "offline" in faceset.note
    assert faceset.images.shape == (100, 64, 64, 3) and faceset.labels["mouth"].shape == (100,)
    assert faceset.reference.shape == (data.CARTOON_REFERENCE, 64, 64, 3)
