"""A stand-in for Colab's ``google.colab`` package, for the Colab twin (``make colab``).

Only what the course's notebooks touch: its presence in ``sys.modules`` (the setup cells' Colab
branch) and :func:`files.upload`. The twin imports it at kernel start, as Colab's kernel does.
"""

from . import files  # noqa: F401
