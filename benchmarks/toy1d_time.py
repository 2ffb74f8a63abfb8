"""How long `train toy1d` takes on this machine, and where θ ends (the test asserts the mean at fixed
steps; the time lives here, not in a timed test).

    python benchmarks/toy1d_time.py [--repeats 3]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
from datetime import date
from pathlib import Path

from common import cli, last_json, machine, write_section


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    times, means = [], []
    for i in range(args.repeats):
        with tempfile.TemporaryDirectory() as tmp:
            run = str(Path(tmp) / "toy")
            out, seconds = cli("train", "toy1d", "--out", run, "--quiet")
            times.append(seconds)
            means.append(last_json(cli("evaluate", run)[0])["mean"])
    body = (
        f"Measured {date.today()} on {machine()}: `python -m workshop_utils train toy1d --out DIR` "
        f"(3000 generator steps, k = 5) takes **{statistics.median(times):.1f} s** wall clock "
        f"(median of {args.repeats}, including Python and TensorFlow start-up; runs: "
        f"{', '.join(f'{t:.1f}' for t in times)} s). Sample mean after training: "
        f"{', '.join(f'{m:.3f}' for m in means)} (target 7)."
    )
    write_section("toy1d", body)
    print(body)


if __name__ == "__main__":
    main()
