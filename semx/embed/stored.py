"""A batch run's vectors: embedded where each document was processed, kept with the run, read at scoring.

The strings the scorer compares depend on their own document only, so a batch embeds them with the
document's other per-document work (in the local runner's process, or on the Ray worker that
processed the document, whose model is loaded once per worker) and hands them back with its result.
The process that records results (the local runner, the Ray driver) puts them in the run's store:
one `EmbeddingCache` database per model under the run's folder, keyed by the text's hash, so
only that one process writes it. The corpus-wide scoring then reads every vector from the store and
embeds only what it lacks (a result from before the store existed, a worker with another model),
and a rerun reads the vectors of unchanged documents instead of embedding them again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from semx.embed.cache import EmbeddingCache
from semx.embed.encoder import Embedder


@dataclass(frozen=True)
class TextVectors:
    """One document's distinct strings and their vectors (rows in the order of `texts`)."""

    model: str
    texts: tuple[str, ...]
    matrix: np.ndarray  # float32, len(texts) rows

    def __len__(self) -> int:
        return len(self.texts)


def embed_texts(embedder: Embedder, texts: Sequence[str]) -> TextVectors:
    distinct = tuple(dict.fromkeys(t for t in texts if t))
    matrix = embedder.encode(list(distinct)) if distinct else np.zeros((0, 0), dtype=np.float32)
    return TextVectors(model=embedder.name, texts=distinct, matrix=np.asarray(matrix, dtype=np.float32))


class StoredVectors:
    """The run's store, used by the scorer as its embedder: stored vectors first, `fallback` for the rest.

    `embedded` counts the distinct texts the fallback had to embed here (0 when every document's
    vectors came back with its result). The fallback's model is loaded only if that happens."""

    def __init__(self, root: Path, fallback: Embedder) -> None:
        self.root = root
        self.name = fallback.name
        self._fallback = fallback
        self._store: EmbeddingCache | None = None
        self.embedded = 0
        # Texts recorded by this run: boilerplate strings come back with every document that
        # prints them, and are written once (the first document's vector is the one kept).
        self._recorded: set[str] = set()

    def _db(self) -> EmbeddingCache:
        if self._store is None:
            self._store = EmbeddingCache(self.root, self.name)
        return self._store

    def record(self, vectors: TextVectors) -> bool:
        """Keep a document's vectors; False (nothing kept) when they come from another model."""
        if vectors.model != self.name:
            return False
        new = [i for i, t in enumerate(vectors.texts) if t not in self._recorded]
        if new:
            texts = [vectors.texts[i] for i in new]
            self._db().put_many(texts, vectors.matrix[new])
            self._recorded.update(texts)
        return True

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        distinct = list(dict.fromkeys(texts))
        found = self._db().get_many(distinct) if distinct else {}
        missing = [t for t in distinct if t not in found]
        if missing:
            vecs = np.asarray(self._fallback.encode(missing), dtype=np.float32)
            self._db().put_many(missing, vecs)
            found.update(zip(missing, vecs, strict=True))
            self.embedded += len(missing)
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        return np.stack([found[t] for t in texts]).astype(np.float32)

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
