"""Turn the PATH arguments of `semx score` into the files to score, and account for the rest.

Every path given or found ends up either in `Discovery.files` or in `Discovery.skipped` with a
one-line reason (a line of errors.jsonl): a missing or unreadable path, a symlink loop, a FIFO
or device (never opened, so never a hang), a file above the size ceiling, a file of a type
semx does not read. Nothing here raises for a bad path, so one odd file never ends the batch.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from semx.files import IngestError, check_input
from semx.ingest import SUPPORTED_SUFFIXES as SUFFIXES

# Office files of the older and the WPS formats, which a department may publish beside the PDF:
# the user is told how to make them readable rather than only that they were not read.
OLD_OFFICE_SUFFIXES = (".doc", ".wps", ".et", ".rtf")
OLD_OFFICE_ADVICE = " (save it as .docx / .xlsx, or use the PDF)"


@dataclass
class Skipped:
    path: Path
    reason: str
    kind: str  # "bad_input": a file that cannot be read; "unsupported": a type semx does not read


@dataclass
class Discovery:
    files: list[Path] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def _walk(root: Path, out: Discovery, files: list[Path], visited: set[tuple[int, int]]) -> None:
    """Files under root, recursively; a directory reached twice (a link loop) is walked once."""
    try:
        st = os.stat(root)
    except OSError as exc:
        out.skipped.append(Skipped(root, f"cannot list folder ({exc.strerror})", "bad_input"))
        return
    key = (st.st_dev, st.st_ino)
    if key in visited:
        if root.is_symlink():
            out.skipped.append(Skipped(root, "symlink loop (a link to a folder already read); not followed",
                                       "bad_input"))
        return
    visited.add(key)
    try:
        entries = sorted(os.scandir(root), key=lambda e: e.name)
    except OSError as exc:
        out.skipped.append(Skipped(root, f"cannot list folder ({exc.strerror})", "bad_input"))
        return
    for entry in entries:
        p = Path(entry.path)
        try:
            is_dir = entry.is_dir(follow_symlinks=True)
        except OSError:
            is_dir = False
        if is_dir:
            _walk(p, out, files, visited)
            continue
        try:
            mode = os.stat(p).st_mode
        except OSError:
            mode = 0  # a loop or dangling link: check_input below names it
        if mode and stat.S_ISREG(mode) and p.suffix.lower() not in SUFFIXES:
            advice = OLD_OFFICE_ADVICE if p.suffix.lower() in OLD_OFFICE_SUFFIXES else ""
            out.skipped.append(Skipped(p, f"unsupported file type '{p.suffix or '(none)'}' (semx reads "
                                          f"{' '.join(SUFFIXES)}); not read{advice}", "unsupported"))
            continue
        files.append(p)


def discover(paths: list[Path]) -> Discovery:
    """Files as given, and the supported files under each folder (recursively), sorted, without repeats.

    A named file is kept whatever its suffix (the user asked for it). Each path is checked
    without being opened (see semx.files.check_input); a bad one is a `Skipped` entry.
    """
    out = Discovery()
    seen: set[Path] = set()
    visited: set[tuple[int, int]] = set()
    for p in paths:
        candidates: list[Path] = []
        if os.path.isdir(p):
            _walk(p, out, candidates, visited)
        else:
            candidates = [p]
        for c in candidates:
            try:
                check_input(c)
            except IngestError as exc:
                if not any(s.path == c for s in out.skipped):  # named and found in a folder: once
                    out.skipped.append(Skipped(c, exc.reason, "bad_input"))
                continue
            try:
                key = c.resolve()
            except (OSError, RuntimeError):  # RuntimeError: a loop on Python < 3.13
                key = c.absolute()
            if key not in seen:
                seen.add(key)
                out.files.append(c)
    return out
