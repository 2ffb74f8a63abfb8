"""Notebooks 03 and 04 on the online data, offline: the kernel gets a Kaggle download laid out like
the real one (through a patched `kagglehub.dataset_download`), a tf_flowers stand-in (through a
patched `tfds.load`) and a feature network built here in place of InceptionV3's ImageNet weights.
The notebooks' own code then takes its online branches in smoke mode, and must print FID and KID."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import numpy as np
from nbclient import NotebookClient

import standins

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"

PATCH = """\
import kagglehub, keras, numpy as np, tensorflow as tf, tensorflow_datasets as tfds
from workshop_utils import data

data.network_available = lambda *args, **kwargs: True  # the loaders' probe says: online
kagglehub.dataset_download = lambda handle, *args, **kwargs: {kaggle!r}
_flowers = np.load({flowers!r}, allow_pickle=True)["photos"]


def _tfds_load(name, split, shuffle_files):
    assert (name, split) == ("tf_flowers", "train")
    spec = {{"image": tf.TensorSpec((None, None, 3), tf.uint8), "label": tf.TensorSpec((), tf.int64)}}
    return tf.data.Dataset.from_generator(lambda: ({{"image": p, "label": 0}} for p in _flowers), output_signature=spec)


def _inception(include_top, weights, pooling, input_shape):
    assert (include_top, weights, pooling, input_shape) == (False, "imagenet", "avg", (299, 299, 3))
    keras.utils.set_random_seed(0)
    x = keras.Input(input_shape)
    return keras.Model(x, keras.layers.GlobalAveragePooling2D()(keras.layers.Conv2D(32, 9, strides=8, activation="tanh")(x)))


tfds.load = _tfds_load
keras.applications.InceptionV3 = _inception
"""


def run_online(name: str, tmp_path: Path, monkeypatch) -> str:
    """Execute the notebook with the stand-ins in a fresh kernel; return its text outputs."""
    monkeypatch.delenv("WORKSHOP_OFFLINE", raising=False)
    monkeypatch.setenv("WORKSHOP_SMOKE", "1")
    flowers = tmp_path / "flowers.npz"
    np.savez(flowers, photos=np.array(standins.flower_photos(), dtype=object))
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    patch = PATCH.format(kaggle=str(standins.kaggle_download(tmp_path, n=40)), flowers=str(flowers))
    nb.cells.insert(0, nbformat.v4.new_code_cell(patch))
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    return "\n".join(out.get("text", "") + json.dumps(out.get("data", {}))
                     for cell in nb.cells if cell.cell_type == "code" for out in cell.get("outputs", []))


def test_03_trains_and_measures_the_simpsons_with_fid_and_kid(tmp_path, monkeypatch):
    text = run_online("03_dcgan_simpsons.ipynb", tmp_path, monkeypatch)
    assert "source 'simpsons'" in text and "have no attribute labels" in text
    assert "simpsons: FID" in text and "KID" in text
    assert "our run trained on 'simpsons', the pretrained generator on 'cartoon'" in text
    assert "nothing to compare" not in text


def test_04_trains_and_measures_tf_flowers_with_fid_and_kid(tmp_path, monkeypatch):
    text = run_online("04_pix2pix_colorizer.ipynb", tmp_path, monkeypatch)
    assert "source 'tf_flowers'" in text
    assert "real_vs_real_fid" in text and "| cGAN + L1 |" in text
