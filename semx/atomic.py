"""Atomic file writes: a killed run leaves either the old file or the new one, never half of one.

Every output of `semx score` goes through here. The temporary file sits in the target's own
directory so os.replace is a rename on one filesystem (atomic on POSIX), and it is fsynced
first so a crash after the rename cannot expose an empty file.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from semx.redact import redact

TMP_SUFFIX = ".semx-tmp"


def _file_mode() -> int:
    # mkstemp creates 0600; outputs are ordinary files, so give them the mode open() would (umask).
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


_MODE = _file_mode()


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary path to write to; on success it replaces `path`, on error it is removed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TMP_SUFFIX, dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    os.chmod(tmp, _MODE)
    try:
        yield tmp
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with suppress(FileNotFoundError):
            tmp.unlink()
        raise


def atomic_write_bytes(path: Path, data: bytes) -> None:
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)


# Characters encoded at a time: a large report (report.html is ~0.4 MB a document) is not copied
# whole into bytes beside its text (issue 20). Slicing a str never splits a character.
_SLICE = 1 << 20


def atomic_write_text(path: Path, text: str) -> None:
    """Every text output passes here, so it is also where secrets are kept out of them."""
    text = redact(text)
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8", newline="") as fh:
        fh.writelines(text[start:start + _SLICE] for start in range(0, len(text), _SLICE))


def remove_stale_temps(directory: Path) -> int:
    """Delete temporaries a SIGKILLed run left behind; returns how many were removed."""
    removed = 0
    if not directory.is_dir():
        return 0
    for tmp in directory.rglob(f".*{TMP_SUFFIX}"):
        with suppress(OSError):
            tmp.unlink()
            removed += 1
    return removed
