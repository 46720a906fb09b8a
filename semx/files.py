"""Reading an input file safely: one function, one error type, a reason a user can act on.

`read_input` stats the path before opening it, so a FIFO or a device is refused instead of
blocking the process for ever, a symlink loop is called a loop (not "no such file"), and a
file above the size ceiling is refused before it is read into memory. The ceiling is
SEMX_MAX_INPUT_MB megabytes (default 20; the largest real disclosure seen is under 3 MB).
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

ENV_MAX_INPUT_MB = "SEMX_MAX_INPUT_MB"


class IngestError(Exception):
    """A file that cannot be read as a budget disclosure. The message is one line.

    Defined here, at the bottom layer, because reading the file is the first way input can be
    bad; semx.ingest re-exports it as the one error type of ingest."""

    def __init__(self, path: str | Path, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")
DEFAULT_MAX_INPUT_MB = 20.0


def max_input_bytes() -> int:
    """The size ceiling in bytes; a bad SEMX_MAX_INPUT_MB value falls back to the default."""
    raw = os.environ.get(ENV_MAX_INPUT_MB, "")
    try:
        mb = float(raw) if raw.strip() else DEFAULT_MAX_INPUT_MB
    except ValueError:
        mb = DEFAULT_MAX_INPUT_MB
    if not mb > 0:
        mb = DEFAULT_MAX_INPUT_MB
    return int(mb * 1024 * 1024)


def _os_reason(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "symlink loop (the link points back at itself)"
    if exc.errno == errno.ENOENT:
        return "no such file"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied (cannot read)"
    if exc.errno == errno.ENAMETOOLONG:
        return "file name too long"
    return f"cannot read ({exc.strerror or exc})"


def check_input(path: str | Path) -> int:
    """The file's size after checking that it is a regular, readable file within the ceiling.

    Raises IngestError otherwise. Never opens the path, so a FIFO cannot block it.
    """
    p = Path(path)
    try:
        st = os.stat(p)  # follows links; ELOOP for a loop, ENOENT for a dangling link
    except OSError as exc:
        if exc.errno == errno.ENOENT and os.path.islink(p):
            raise IngestError(p, "broken symlink (its target does not exist)") from None
        raise IngestError(p, _os_reason(exc)) from None
    mode = st.st_mode
    if stat.S_ISDIR(mode):
        raise IngestError(p, "is a directory")
    if stat.S_ISFIFO(mode):
        raise IngestError(p, "is a named pipe (FIFO), not a file; not read")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        raise IngestError(p, "is a device, not a file; not read")
    if stat.S_ISSOCK(mode):
        raise IngestError(p, "is a socket, not a file; not read")
    if not stat.S_ISREG(mode):
        raise IngestError(p, "not a regular file")
    limit = max_input_bytes()
    if st.st_size > limit:
        raise IngestError(
            p, f"too large ({st.st_size / 1048576:.1f} MB > {limit / 1048576:.0f} MB; raise {ENV_MAX_INPUT_MB} to read it)"
        )
    return st.st_size


def read_input(path: str | Path) -> bytes:
    """The bytes of one input file, or IngestError with a one-line reason (see module doc)."""
    p = Path(path)
    check_input(p)
    limit = max_input_bytes()
    try:
        # O_NONBLOCK: if the path was swapped for a FIFO after the stat, open does not block.
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise IngestError(p, _os_reason(exc)) from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise IngestError(p, "not a regular file")
        with os.fdopen(fd, "rb", closefd=False) as fh:
            data = fh.read(limit + 1)  # a file that grew past the ceiling since the stat
    except OSError as exc:
        raise IngestError(p, _os_reason(exc)) from None
    finally:
        os.close(fd)
    if len(data) > limit:
        raise IngestError(p, f"too large (> {limit / 1048576:.0f} MB; raise {ENV_MAX_INPUT_MB} to read it)")
    return data


__all__ = ["DEFAULT_MAX_INPUT_MB", "ENV_MAX_INPUT_MB", "IngestError", "check_input", "max_input_bytes", "read_input"]
