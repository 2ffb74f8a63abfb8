"""The course's one exception for a request that cannot be carried out as asked: an unknown name, a
setting of the wrong type, a missing folder, a run directory that already holds a run.

Its message names the problem and the fix. The command line prints it as one line (exit code 2);
any other exception is a bug and keeps its traceback. The subclasses are also the built-in error
of their kind, so ``except ValueError`` and ``except FileNotFoundError`` still catch them.
"""


class UserError(Exception):
    """A request the course cannot carry out as asked; the message names the problem and the fix."""


class UserValueError(UserError, ValueError):
    """An unknown name or a value that is not allowed."""


class UserFileNotFoundError(UserError, FileNotFoundError):
    """A file or folder that is not there."""


class UserFileExistsError(UserError, FileExistsError):
    """A run directory that already holds a run."""
