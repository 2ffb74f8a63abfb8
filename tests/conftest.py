"""Tests run offline and in smoke mode unless told otherwise (the Makefile sets both too)."""

import os

os.environ.setdefault("WORKSHOP_SMOKE", "1")
os.environ.setdefault("WORKSHOP_OFFLINE", "1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
