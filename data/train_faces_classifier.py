"""Train the attribute classifier behind the faces metrics and write data/faces_classifier.weights.h5.

The classifier (``workshop_utils.models.faces_classifier``) learns the nine attributes of the
procedural cartoon faces (``workshop_utils.faces``) from 20,000 faces drawn with seed 100, and is
tested on 2,000 faces drawn with seed 101; neither seed is one the GAN trains on (0) or is
measured against (1). Its ``features`` layer is the feature space of the faces Fréchet distance;
its heads tell which attribute values a generated face shows (coverage, and notebook 05's
latent arithmetic).

    python data/train_faces_classifier.py [--epochs 4]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import keras
import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from workshop_utils import faces, models  # noqa: E402

OUT = HERE / "faces_classifier.weights.h5"
TRAIN_SEED, TEST_SEED = 100, 101


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--n", type=int, default=20_000)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    keras.utils.set_random_seed(0)

    x_tr, y_tr = faces.cartoon_faces(args.n, TRAIN_SEED)
    x_te, y_te = faces.cartoon_faces(2000, TEST_SEED)
    scale = lambda x: x.astype("float32") / 127.5 - 1.0  # noqa: E731
    sizes = {k: len(v) for k, v in faces.ATTRIBUTES.items()}
    clf = models.faces_classifier(sizes)
    # The classifier labels *generated* faces (coverage, notebook 05's arithmetic), which are
    # softer and noisier than the drawings: train it on shifted, blurred and noisy faces so that
    # its labels and features hold for them. Without this a 1-px blur moved the FD from 13 to 590.
    augment = keras.Sequential([
        keras.layers.RandomTranslation(0.05, 0.05, fill_mode="nearest"),
        keras.layers.RandomGaussianBlur(factor=1.0, kernel_size=7, sigma=(0.1, 1.5), value_range=(-1, 1)),
        keras.layers.GaussianNoise(0.08),
    ])
    inputs = keras.Input((64, 64, 3))
    trainable = keras.Model(inputs, clf(augment(inputs)))
    loss = {k: keras.losses.SparseCategoricalCrossentropy(from_logits=True) for k in sizes}
    trainable.compile(optimizer=keras.optimizers.Adam(1e-3), loss=loss, metrics={k: ["accuracy"] for k in sizes})
    trainable.fit(scale(x_tr), {k: np.asarray(v) for k, v in y_tr.items()}, batch_size=128, epochs=args.epochs,
                  verbose=2)
    logits = clf.predict(scale(x_te), batch_size=500, verbose=0)
    accuracy = {k: round(float((np.asarray(logits[k]).argmax(1) == y_te[k]).mean()), 4) for k in sizes}
    clf.save_weights(args.out)
    card = {"test_accuracy": accuracy, "epochs": args.epochs, "train_images": args.n, "train_seed": TRAIN_SEED,
            "test_seed": TEST_SEED, "params": int(clf.count_params())}
    args.out.with_suffix("").with_suffix(".json").write_text(json.dumps(card, indent=2) + "\n")
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.2f} MB); test accuracy per attribute {accuracy}")


if __name__ == "__main__":
    main()
