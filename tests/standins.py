"""Local stand-ins for the online data, laid out like the real downloads (tests never use the network)."""

from __future__ import annotations

from pathlib import Path

import numpy as np


def kaggle_download(tmp_path: Path, n: int = 30) -> Path:
    """A folder laid out as kagglehub unpacks kostastokis/simpsons-faces (versions/N/cropped/*.png,
    beside other files), made from procedural faces at 200 px as the Kaggle crops are."""
    import PIL.Image

    from workshop_utils import faces

    root = tmp_path / "kagglehub" / "datasets" / "kostastokis" / "simpsons-faces" / "versions" / "1"
    (root / "cropped").mkdir(parents=True)
    images, _ = faces.cartoon_faces(n, seed=5, size=64)
    for i, image in enumerate(images):
        PIL.Image.fromarray(image).resize((200, 200)).save(root / "cropped" / f"{i + 1}.png")
    (root / "README.txt").write_text("not an image")
    return root


def flower_photos() -> list[np.ndarray]:
    """24 uint8 photos of assorted sizes for a tf_flowers stand-in: the course's shipped nature
    photos and their mirror images, cut to different aspect ratios."""
    from workshop_utils import data

    photos = []
    for i, name in enumerate(data.NATURE_SCENES):
        photo = data._offline_scene(name)[0]
        photos += [photo[:, : 256 + 10 * i], photo[:, ::-1][: 200 + 4 * i]]
    return photos
