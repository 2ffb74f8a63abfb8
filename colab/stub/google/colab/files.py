"""``google.colab.files`` of the Colab twin: ``upload`` answers as Colab's browser dialog would."""

from __future__ import annotations

import os
from pathlib import Path


def upload() -> dict[str, bytes]:
    """Like Colab's ``files.upload()``: saves the "chosen" file into the working directory and returns
    {file name: content}. The twin chooses the file named by ``COLAB_TWIN_UPLOAD``; unset, the dialog
    is cancelled and the answer is {}."""
    path = os.environ.get("COLAB_TWIN_UPLOAD")
    if not path:
        return {}
    chosen = Path(path)
    content = chosen.read_bytes()
    Path(chosen.name).write_bytes(content)
    print(f"Saving {chosen.name} to {chosen.name}")
    return {chosen.name: content}
