"""Make the offline colour photographs of `data/photos/` from Debian's `mate-backgrounds` package.

The twelve photos of its `nature/` folder (GPL-2+, each author named in `data/photos/README.md`,
taken from the package's copyright file) are shrunk so that their shorter side is 256 px (Lanczos)
and saved as JPEG (quality 90). The colorizer trains on 64 px crops of photos whose shorter side
is twice that, so 256 px leaves room for a model twice the size.

    apt-get download mate-backgrounds            # any Debian mirror; 46.6 MB
    python data/make_photos.py mate-backgrounds_1.26.0-1_all.deb
"""

from __future__ import annotations

import argparse
import re
import subprocess
import tempfile
from pathlib import Path

from PIL import Image

OUT = Path(__file__).resolve().parent / "photos"
SIDE = 256


def scene_name(stem: str) -> str:
    """``FreshFlower`` → ``fresh_flower``; ``LadyBird`` → ``ladybird`` (one word in English)."""
    return "ladybird" if stem == "LadyBird" else re.sub(r"(?<!^)(?=[A-Z])", "_", stem).lower()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("deb", type=Path, help="the mate-backgrounds .deb")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["dpkg-deb", "-x", str(args.deb), tmp], check=True)
        sources = sorted(Path(tmp, "usr/share/backgrounds/mate/nature").glob("*.jpg"))
        if len(sources) != 12:
            raise SystemExit(f"expected the 12 photos of nature/ in {args.deb}, found {len(sources)}")
        OUT.mkdir(exist_ok=True)
        for src in sources:
            with Image.open(src) as img:
                scale = SIDE / min(img.size)
                small = img.convert("RGB").resize((round(img.width * scale), round(img.height * scale)), Image.LANCZOS)
            small.save(OUT / f"{scene_name(src.stem)}.jpg", quality=90)
            print(f"{src.name} {img.size} -> {scene_name(src.stem)}.jpg {small.size}")


if __name__ == "__main__":
    main()
