"""What the code is running on, and one call that prepares a session: seeds, accelerator report,
and the smoke/offline switches. Used by the first cell of every notebook and by the CLI."""

from __future__ import annotations

import glob
import os
import platform
import sys

from . import config


def in_colab() -> bool:
    """True inside Google Colab."""
    return "google.colab" in sys.modules


def cpu_model() -> str:
    """The processor's name as Linux reports it. Two 2-core machines can differ twofold in speed,
    and their kernels can round differently (so a recorded GAN run repeats only on its kind of CPU)."""
    try:
        with open("/proc/cpuinfo") as f:
            return next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        return platform.processor() or platform.machine()


def tpu_present() -> bool:
    """True on a TPU VM (Colab's TPU runtimes): TPU devices or the variables their runtimes set."""
    return bool(glob.glob("/dev/accel*") or glob.glob("/dev/vfio/[0-9]*")
                or any(k in os.environ for k in ("COLAB_TPU_ADDR", "TPU_ACCELERATOR_TYPE", "TPU_NAME")))


def accelerator() -> str:
    """'GPU' when TensorFlow sees a GPU, 'TPU' on a TPU machine (which this course cannot use:
    Colab's TPU runtimes no longer ship TensorFlow, so the code runs on their CPU), else 'CPU'."""
    import tensorflow as tf

    if tf.config.list_physical_devices("GPU"):
        return "GPU"
    return "TPU" if tpu_present() else "CPU"


def describe() -> str:
    """One line: the device, and what to do about it."""
    import tensorflow as tf

    kind = accelerator()
    if kind == "GPU":
        names = ", ".join(d.name for d in tf.config.list_physical_devices("GPU"))
        return f"GPU ({names}): full-size training runs in minutes."
    if kind == "TPU":
        return ("TPU runtime: not supported (TensorFlow no longer ships for Colab's TPUs), so everything runs "
                "on this machine's CPU; for speed choose Runtime → Change runtime type → a GPU.")
    advice = ("on Colab choose Runtime → Change runtime type → a GPU; TPU runtimes are not supported "
              "(they do not ship TensorFlow)." if in_colab() else "the notebooks use reduced sizes and short "
              "time budgets on CPU; instructors can replay recorded runs instead (FAST = True).")
    return f"CPU only: {advice}"


def setup(seed: int = 0, fast: bool = False, verbose: bool = True) -> dict:
    """Seed Python, NumPy, TensorFlow and Keras, switch the instructors' fast path on or off
    (``fast``; ``WORKSHOP_FAST=1`` keeps it on), and report the device and modes. Safe to call twice.

    ``info["accelerator"]`` is the device the notebook's budgets are chosen for: on the fast path
    that is the CPU the runs were recorded on, whatever the machine has."""
    import keras

    config.set_fast(fast)
    keras.utils.set_random_seed(seed)
    info = {"accelerator": "CPU" if config.fast_mode() else accelerator(), "smoke": config.smoke_mode(),
            "offline": config.offline_mode(), "fast": config.fast_mode(), "colab": in_colab(), "seed": seed}
    if verbose:
        modes = [m for m, on in (("fast path: trainings replay their recorded runs", info["fast"]),
                                 ("smoke mode", info["smoke"]), ("offline mode", info["offline"])) if on]
        print(f"Accelerator: {describe()}")
        print(f"Seed {seed}" + (f"; {', '.join(modes)}" if modes else ""))
    return info
