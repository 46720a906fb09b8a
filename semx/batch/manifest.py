"""The run manifest in the output folder: which documents are finished, by content hash.

A document is skipped on a re-run when its bytes (sha256) and the settings that shape its
result (the fingerprint) are unchanged and its JSON is still there. Renaming or moving a file
therefore does not redo it; changing one byte, or scoring with/without the LLM, does.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from semx.batch.atomic import atomic_write_text

MANIFEST_NAME = "manifest.json"


class ManifestEntry(BaseModel):
    sha256: str
    path: str
    result: str  # pre-scoring result (ingest..LLM), relative to the output folder
    fingerprint: str


class Manifest(BaseModel):
    version: int = 1
    documents: dict[str, ManifestEntry] = {}
    # Key of the document set last scored (scoring is corpus-wide: it compares documents with
    # each other); equal key and present outputs mean the scoring step can be reused as is.
    scored: str | None = None

    @classmethod
    def load(cls, out_dir: Path) -> tuple[Manifest, str | None]:
        """The manifest, and a notice when an unreadable one had to be ignored."""
        path = out_dir / MANIFEST_NAME
        if not path.exists():
            return cls(), None
        try:
            return cls.model_validate_json(path.read_bytes()), None
        except (ValidationError, ValueError, OSError) as exc:
            return cls(), f"{path} unreadable ({type(exc).__name__}); every document will be scored again"

    def save(self, out_dir: Path) -> None:
        atomic_write_text(out_dir / MANIFEST_NAME, self.model_dump_json(indent=1) + "\n")

    def finished(self, sha256: str, fingerprint: str, out_dir: Path) -> ManifestEntry | None:
        entry = self.documents.get(sha256)
        if entry is None or entry.fingerprint != fingerprint or not (out_dir / entry.result).is_file():
            return None
        return entry


def fingerprint(settings: dict[str, Any]) -> str:
    """Short stable hash of the settings that change a document's result."""
    blob = json.dumps(settings, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]
