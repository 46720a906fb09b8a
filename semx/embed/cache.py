"""On-disk embedding cache, keyed by model name and exact text.

SQLite (stdlib) rather than one file per text: thousands of short strings, atomic
writes, safe when two semx processes share the cache. Vectors are float32 blobs.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np


def _slug(model_name: str) -> str:
    s = re.sub(r"[^A-Za-z0-9._-]+", "_", model_name).strip("_")
    digest = hashlib.sha1(model_name.encode("utf-8")).hexdigest()[:10]
    return f"{s[:60]}-{digest}"


class EmbeddingCache:
    """Maps (model, text) -> float32 vector. One database per model."""

    def __init__(self, root: Path, model_name: str) -> None:
        root.mkdir(parents=True, exist_ok=True)
        self.path = root / f"{_slug(model_name)}.sqlite"
        self.model_name = model_name
        # check_same_thread off: a Ray worker embeds its documents from several task threads,
        # one at a time (its ScoreStage holds a lock around every use).
        self._db = sqlite3.connect(str(self.path), timeout=30, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("CREATE TABLE IF NOT EXISTS emb (key TEXT PRIMARY KEY, dim INTEGER, vec BLOB)")
        self._db.execute("CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT)")
        self._db.execute("INSERT OR REPLACE INTO meta VALUES ('model', ?)", (model_name,))
        self._db.commit()

    @staticmethod
    def key(text: str) -> str:
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def get_many(self, texts: Iterable[str]) -> dict[str, np.ndarray]:
        wanted = {self.key(t): t for t in texts}
        found: dict[str, np.ndarray] = {}
        keys = list(wanted)
        for i in range(0, len(keys), 500):  # SQLite's bound-parameter limit
            chunk = keys[i : i + 500]
            q = f"SELECT key, dim, vec FROM emb WHERE key IN ({','.join('?' * len(chunk))})"
            for k, dim, blob in self._db.execute(q, chunk):
                found[wanted[k]] = np.frombuffer(blob, dtype=np.float32, count=dim).copy()
        return found

    def put_many(self, texts: Sequence[str], vectors: np.ndarray) -> None:
        rows = [
            (self.key(t), int(v.shape[0]), np.ascontiguousarray(v, dtype=np.float32).tobytes())
            for t, v in zip(texts, vectors, strict=True)
        ]
        self._db.executemany("INSERT OR REPLACE INTO emb VALUES (?, ?, ?)", rows)
        self._db.commit()

    def __len__(self) -> int:
        (n,) = self._db.execute("SELECT COUNT(*) FROM emb").fetchone()
        return int(n)

    def close(self) -> None:
        self._db.close()
