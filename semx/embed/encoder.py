"""Text embedders: sentence-transformers (default) and a tiny char n-gram one.

Both return L2-normalised float32 rows, so a dot product is a cosine. The
sentence-transformers embedder encodes each distinct text once per process,
in batches, and keeps vectors on disk by (model, prompt, text). torch and
sentence-transformers are imported only when a text actually has to be
encoded, so commands that never score do not pay for them.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from semx.embed.cache import EmbeddingCache
from semx.paths import cache_dir

ENV_MODEL = "SEMX_EMBED_MODEL"


class Embedder(Protocol):
    """What the scorer needs: a stable name and normalised vectors."""

    name: str

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


@dataclass
class EmbedStats:
    load_seconds: float = 0.0
    requested: int = 0  # texts asked for, with repeats
    distinct: int = 0  # distinct texts asked for
    cache_hits: int = 0  # distinct texts found on disk
    encoded: int = 0  # distinct texts run through the model
    encode_seconds: float = 0.0

    def as_dict(self) -> dict[str, float]:
        return {k: float(v) for k, v in self.__dict__.items()}


def _unit_rows(x: np.ndarray) -> np.ndarray:
    n = np.linalg.norm(x, axis=1, keepdims=True)
    return (x / np.maximum(n, 1e-12)).astype(np.float32)


class SentenceTransformerEmbedder:
    """Any sentence-transformers model by local path or name; default: converted e5-small."""

    def __init__(
        self,
        model: str | Path | None = None,
        *,
        use_cache: bool = True,
        cache_root: Path | None = None,
        batch_size: int = 64,
        device: str = "cpu",
        prompt_name: str | None = None,
    ) -> None:
        model = model or os.environ.get(ENV_MODEL) or None
        self._explicit = model is not None
        self._model_ref = str(model) if model is not None else None
        self.name = self._resolve_name()
        self.batch_size = batch_size
        self.device = device
        self.prompt_name = prompt_name
        self.stats = EmbedStats()
        self._st: Any = None
        self._memo: dict[str, np.ndarray] = {}
        root = cache_root or cache_dir() / "embeddings"
        self._cache = EmbeddingCache(root, self.name) if use_cache else None

    def _resolve_name(self) -> str:
        from semx.embed.convert import DEFAULT_MODEL_NAME, MARKER

        if self._model_ref is None:
            return DEFAULT_MODEL_NAME
        marker = Path(self._model_ref) / MARKER
        if marker.exists():  # a folder we converted: record the upstream name
            return str(json.loads(marker.read_text(encoding="utf-8"))["model_name"])
        return self._model_ref

    def _load(self) -> Any:
        if self._st is not None:
            return self._st
        t0 = time.perf_counter()
        from semx.embed.convert import convert

        path = self._model_ref if self._explicit else str(convert())
        from sentence_transformers import SentenceTransformer  # heavy: only here

        local = Path(str(path)).exists()
        self._st = SentenceTransformer(str(path), device=self.device, local_files_only=local)
        self.stats.load_seconds += time.perf_counter() - t0
        return self._st

    def _prompt_key(self) -> str:
        return self.prompt_name or "<default>"

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.stats.requested += len(texts)
        distinct = [t for t in dict.fromkeys(texts) if t not in self._memo]
        self.stats.distinct += len(distinct)
        if distinct and self._cache is not None:
            pk = self._prompt_key()
            hits = self._cache.get_many(f"{pk}\x00{t}" for t in distinct)
            for t in distinct:
                v = hits.get(f"{pk}\x00{t}")
                if v is not None:
                    self._memo[t] = v
                    self.stats.cache_hits += 1
        todo = [t for t in distinct if t not in self._memo]
        if todo:
            st = self._load()
            t0 = time.perf_counter()
            kwargs: dict[str, Any] = {}
            if self.prompt_name is not None:
                kwargs["prompt_name"] = self.prompt_name
            vecs = st.encode(
                list(todo),
                batch_size=self.batch_size,
                convert_to_numpy=True,
                normalize_embeddings=True,
                show_progress_bar=False,
                **kwargs,
            )
            vecs = np.asarray(vecs, dtype=np.float32)
            self.stats.encode_seconds += time.perf_counter() - t0
            self.stats.encoded += len(todo)
            for t, v in zip(todo, vecs, strict=True):
                self._memo[t] = v
            if self._cache is not None:
                pk = self._prompt_key()
                self._cache.put_many([f"{pk}\x00{t}" for t in todo], vecs)
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        return np.stack([self._memo[t] for t in texts]).astype(np.float32)


class CharNgramEmbedder:
    """Hashed character 1-2-gram vectors: no model, deterministic, fast.

    For tests of the scoring logic and as a fallback when no neural model can be
    loaded. Its scores are lexical only; thresholds calibrated on e5 do not apply.
    """

    def __init__(self, dim: int = 1024) -> None:
        self.dim = dim
        self.name = f"char-ngram-{dim}"

    def _index(self, gram: str) -> int:
        return int.from_bytes(hashlib.blake2b(gram.encode("utf-8"), digest_size=4).digest(), "little") % self.dim

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, t in enumerate(texts):
            s = "".join(t.split())
            for j, ch in enumerate(s):
                out[i, self._index(ch)] += 0.5
                if j + 1 < len(s):
                    out[i, self._index(s[j : j + 2])] += 1.0
        return _unit_rows(out) if len(texts) else out


def default_embedder(model: str | Path | None = None) -> SentenceTransformerEmbedder:
    return SentenceTransformerEmbedder(model)
