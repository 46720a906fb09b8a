"""The run manifest in the output folder: which documents are finished, by content hash.

A document is skipped on a re-run when its bytes (sha256) and the settings that shape its
result (the fingerprint) are unchanged and its JSON is still there. Renaming or moving a file
therefore does not redo it; changing one byte, or scoring with/without the LLM, does.

On disk it is a journal, `manifest.jsonl`: finishing a document appends one line (flushed and
fsynced), so a run over n documents writes O(n) bytes rather than rewriting the whole manifest
n times. Loading replays the lines, the last record for a document winning. A run killed
mid-write leaves a truncated last line, which is ignored. At the end of a run the journal is
compacted (rewritten atomically, one line per document) so it does not grow across re-runs.
Records, one JSON object a line:

    {"type": "doc", "sha256": ..., "path": ..., "result": ..., "fingerprint": ...}
    {"type": "drop", "sha256": ...}      # redone and no longer finished (e.g. --force, then a failure)
    {"type": "scored", "key": ...}       # the document set last scored (key null: not reusable)
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import IO, Any

from pydantic import BaseModel, ValidationError

from semx.atomic import atomic_write_text

MANIFEST_NAME = "manifest.jsonl"
# Earlier versions rewrote one JSON object after every document; still read, then replaced.
LEGACY_MANIFEST_NAME = "manifest.json"


class ManifestEntry(BaseModel):
    sha256: str
    path: str
    result: str  # pre-scoring result (ingest..LLM), relative to the output folder
    fingerprint: str


class _LegacyManifest(BaseModel):
    version: int = 1
    documents: dict[str, ManifestEntry] = {}
    scored: str | None = None


def _line(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"


class Manifest:
    """The replayed state of the journal in `out_dir`, and the journal's appender."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.documents: dict[str, ManifestEntry] = {}
        # Key of the document set last scored (scoring is corpus-wide: it compares documents with
        # each other); equal key and present outputs mean the scoring step can be reused as is.
        self.scored: str | None = None
        self._fh: IO[bytes] | None = None
        # Appending is safe only onto a journal that ends with a newline (or none at all): a
        # truncated last line would swallow the next record, and a legacy manifest.json would
        # be shadowed by a journal holding only this run's documents. Otherwise compact first.
        self._appendable = True
        # The file on disk already is the compact form of this state: compact() has nothing to do.
        self._compact = True

    @property
    def path(self) -> Path:
        return self.out_dir / MANIFEST_NAME

    # ------------------------------------------------------------ reading

    @classmethod
    def load(cls, out_dir: Path) -> tuple[Manifest, str | None]:
        """The manifest, and a notice when part or all of an unreadable one had to be ignored."""
        m = cls(out_dir)
        legacy = out_dir / LEGACY_MANIFEST_NAME
        if m.path.exists():
            try:
                data = m.path.read_bytes()
            except OSError as exc:
                m._appendable = m._compact = False
                return m, f"{m.path} unreadable ({type(exc).__name__}); every document will be scored again"
            skipped = m._replay(data)
            if skipped:
                return m, f"{m.path}: skipped {skipped} unreadable line(s); those documents will be scored again"
            return m, None
        if legacy.exists():
            m._appendable = m._compact = False  # the first append or compact() migrates it
            try:
                old = _LegacyManifest.model_validate_json(legacy.read_bytes())
            except (ValidationError, ValueError, OSError) as exc:
                return m, f"{legacy} unreadable ({type(exc).__name__}); every document will be scored again"
            m.documents, m.scored = dict(old.documents), old.scored
        return m, None

    def _replay(self, data: bytes) -> int:
        """Apply the journal's records in order; returns how many lines (not the last) were unreadable."""
        lines = data.split(b"\n")
        # Without a trailing newline the last piece is a record a kill cut short (or, rarely, a
        # whole record whose newline was not written yet): used if it parses, never an error.
        tail = lines.pop()
        if tail.strip():
            self._appendable = False
        applied = skipped = 0
        for raw in lines:
            if not raw.strip():
                continue
            if self._apply(raw):
                applied += 1
            else:
                skipped += 1
        if tail.strip() and self._apply(tail):
            applied += 1
        compact_lines = len(self.documents) + (self.scored is not None)
        self._compact = self._appendable and not skipped and applied == compact_lines
        return skipped

    def _apply(self, raw: bytes) -> bool:
        try:
            rec = json.loads(raw)
        except ValueError:  # also UnicodeDecodeError
            return False
        if not isinstance(rec, dict):
            return False
        kind = rec.get("type")
        if kind == "doc":
            try:
                entry = ManifestEntry.model_validate(rec)  # "type" is an extra key, ignored
            except ValidationError:
                return False
            self.documents[entry.sha256] = entry
        elif kind == "drop" and isinstance(rec.get("sha256"), str):
            self.documents.pop(rec["sha256"], None)
        elif kind == "scored" and isinstance(rec.get("key"), str | None):
            self.scored = rec.get("key")
        else:
            return False
        return True

    def finished(self, sha256: str, fingerprint: str) -> ManifestEntry | None:
        entry = self.documents.get(sha256)
        if entry is None or entry.fingerprint != fingerprint or not (self.out_dir / entry.result).is_file():
            return None
        return entry

    # ------------------------------------------------------------ writing

    # Each change first marks the file stale, then changes the state, then appends: a Ctrl-C at any
    # point in between still leaves compact() (run on the way out) the job of writing the state.

    def record(self, entry: ManifestEntry) -> None:
        """Mark a document finished (its result file must already be on disk)."""
        self._compact = False
        self.documents[entry.sha256] = entry
        self._append({"type": "doc", **entry.model_dump()})

    def forget(self, sha256: str) -> None:
        """A document was redone and is not finished: its old entry must not be reused."""
        if sha256 in self.documents:
            self._compact = False
            del self.documents[sha256]
            self._append({"type": "drop", "sha256": sha256})

    def set_scored(self, key: str | None) -> None:
        self._compact = False
        self.scored = key
        self._append({"type": "scored", "key": key})

    def _append(self, record: dict[str, Any]) -> None:
        if not self._appendable:
            self.compact()  # writes the state, which already includes this record, and makes appends safe
            return
        if self._fh is None:
            self.out_dir.mkdir(parents=True, exist_ok=True)
            self._fh = open(self.path, "ab")  # noqa: SIM115 - kept open for the run, closed by compact()
        # One write per record: a kill can cut it short, but never interleave two records.
        self._fh.write(_line(record).encode("utf-8"))
        self._fh.flush()
        os.fsync(self._fh.fileno())

    def compact(self) -> None:
        """Rewrite the journal atomically as one line per document (no-op when it already is)."""
        self.close()
        if self._compact:
            return
        lines = [_line({"type": "doc", **e.model_dump()}) for e in self.documents.values()]
        if self.scored is not None:
            lines.append(_line({"type": "scored", "key": self.scored}))
        atomic_write_text(self.path, "".join(lines))
        # Only now, with its content safely in the journal, the pre-journal manifest can go.
        (self.out_dir / LEGACY_MANIFEST_NAME).unlink(missing_ok=True)
        self._appendable = self._compact = True

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None


def fingerprint(settings: dict[str, Any]) -> str:
    """Short stable hash of the settings that change a document's result."""
    blob = json.dumps(settings, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]
