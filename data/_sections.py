"""Rewrite one marked section (``<!-- name -->`` … ``<!-- /name -->``) of a README; shared by the
data scripts (data/README.md) and the benchmark scripts (benchmarks/README.md)."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parent / "README.md"


def write_section(name: str, body: str, readme: Path = README) -> None:
    text = readme.read_text()
    pattern = re.compile(rf"(<!-- {name} -->\n).*?(<!-- /{name} -->)", re.S)
    if not pattern.search(text):
        raise ValueError(f"{readme} has no section markers for {name!r}")
    readme.write_text(pattern.sub(lambda m: m.group(1) + body.rstrip() + "\n" + m.group(2), text))
