"""Check the Colab twin's environment against Colab's pins, after the notebooks installed the course.

    python colab/check_pins.py colab/constraints.txt REPO_URL

Fails (exit 1) when an installed distribution that Colab pins has another version, or when the
course (gan-workshop) is missing, editable, or installed from anywhere but REPO_URL. Run it with the
twin's Python.
"""

from __future__ import annotations

import json
import re
import sys
from importlib import metadata


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(path: str) -> dict[str, str]:
    out = {}
    for line in open(path, encoding="utf-8"):
        line = line.split("#", 1)[0].strip()
        if "==" in line:
            name, version = line.split("==", 1)
            out[canonical(name)] = version.strip()
    return out


def main(constraints: str, repo_url: str) -> int:
    pinned = pins(constraints)
    installed = {canonical(d.metadata["Name"]): d for d in metadata.distributions()}
    changed = [f"{name} {pinned[name]} -> {d.version}" for name, d in sorted(installed.items())
               if name in pinned and d.version != pinned[name]]
    problems = [f"Colab pins {len(changed)} installed package(s) at other versions: {', '.join(changed)}"] if changed else []
    course = installed.get("gan-workshop")
    if course is None:
        problems.append("gan-workshop is not installed: the setup cell's %pip install did not run")
    else:
        direct = json.loads(course.read_text("direct_url.json") or "{}")
        if direct.get("dir_info", {}).get("editable"):
            problems.append("gan-workshop is installed editable; the setup cell installs it from git")
        if direct.get("url") != repo_url or "vcs_info" not in direct:
            problems.append(f"gan-workshop came from {direct.get('url')!r}, not from git at {repo_url}")
    both = sum(name in pinned for name in installed)
    for line in problems:
        print(f"check_pins: {line}", file=sys.stderr)
    if not problems:
        print(f"check_pins: {both} installed packages keep Colab's versions; gan-workshop {course.version} "
              f"from git ({direct['vcs_info'].get('commit_id', '?')[:10]})")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
