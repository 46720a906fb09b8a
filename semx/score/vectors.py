"""Embed every distinct string of a run once, then look vectors up by text."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from semx.embed.encoder import Embedder


class VectorTable:
    def __init__(self, embedder: Embedder, texts: Iterable[str]) -> None:
        distinct = list(dict.fromkeys(t for t in texts if t))
        self.row = {t: i for i, t in enumerate(distinct)}
        mat = embedder.encode(distinct) if distinct else np.zeros((0, 1), dtype=np.float32)
        self.dim = mat.shape[1] if mat.ndim == 2 and mat.shape[0] else 1
        self.mat = np.asarray(mat, dtype=np.float32).reshape(len(distinct), self.dim)
        self.distinct = len(distinct)

    def get(self, text: str) -> np.ndarray:
        """Vector of `text`; a zero vector for the empty string (cosine 0 with all)."""
        i = self.row.get(text)
        if i is None:
            return np.zeros(self.dim, dtype=np.float32)
        return self.mat[i]

    def stack(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self.get(t) for t in texts])
