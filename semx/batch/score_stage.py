"""The scoring stage of a batch: flags, quality and grades over all documents of the run.

The scorer itself (semx.score.documents.score_parsed) takes the parsed documents, handles
free-text targets and the summary; this stage chooses the embedder, embeds each document's
strings where the document is processed (`document_vectors`: in the local runner's process or
on the Ray worker, model loaded once per process), keeps them in the run's store (`record`, by
the process that records results) and scores the corpus from that store (`run`), timing it and
turning a scorer bug into a per-run failure record instead of a lost batch.
Nothing heavy is imported until a text must be embedded: torch loads only then.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from semx.models import ParsedDocument, StageRun
from semx.pipeline import where

if TYPE_CHECKING:
    from semx.embed.encoder import Embedder
    from semx.embed.stored import StoredVectors, TextVectors


@dataclass
class ScoreStage:
    embed: bool = True
    notice: str | None = None
    settings: dict[str, Any] = field(default_factory=dict)
    # False only where a test switches the scorer off to see the notice reach the outputs.
    enabled: bool = True
    # The run's vector store (DIR/.work/embeddings); None in a Ray worker, which only embeds.
    store_dir: Path | None = None
    # Texts the scoring step embedded itself because no document result brought their vectors.
    embedded_at_scoring: int = 0
    _embedder_obj: Embedder | None = field(default=None, init=False, repr=False)
    _store: StoredVectors | None = field(default=None, init=False, repr=False)
    # A Ray worker runs several documents at once in threads; one model, one at a time.
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    @classmethod
    def load(cls, embed: bool, store_dir: Path | None = None) -> ScoreStage:
        if embed:
            from semx.embed.convert import DEFAULT_MODEL_NAME

            name = DEFAULT_MODEL_NAME
            notice = None
        else:
            name = "char-ngram-1024"
            notice = ("--no-embed：不加载神经网络嵌入模型，相似度改用字符 n-gram 向量（词面相似），"
                      "模板化与不相关判断的阈值未针对它校准，仅供参考")
        return cls(embed=embed, notice=notice, settings={"embedder": name}, store_dir=store_dir)

    @property
    def available(self) -> bool:
        return self.enabled

    def _embedder(self) -> Embedder:
        """This process's embedder, made once: the model loads on its first text, then stays."""
        if self._embedder_obj is None:
            from semx.embed.encoder import CharNgramEmbedder, SentenceTransformerEmbedder

            self._embedder_obj = SentenceTransformerEmbedder() if self.embed else CharNgramEmbedder()
        return self._embedder_obj

    def _vectors(self) -> StoredVectors:
        if self._store is None:
            from semx.embed.stored import StoredVectors

            assert self.store_dir is not None
            self._store = StoredVectors(self.store_dir, self._embedder())
        return self._store

    def document_vectors(self, doc: ParsedDocument) -> TextVectors | None:
        """The vectors of the strings the scorer will compare in this document (a TextVectors);
        None when the scorer is off. Runs where the document is processed."""
        if not self.enabled:
            return None
        from semx.embed.stored import embed_texts
        from semx.score.documents import document_texts

        try:
            texts = document_texts(doc)
            with self._lock:
                return embed_texts(self._embedder(), texts)
        except Exception:  # noqa: BLE001 - the scoring step embeds what is missing, and reports its failure
            return None

    def record(self, vectors: TextVectors | None) -> None:
        """Keep a document's vectors (from `document_vectors`, here or on a worker) in the run's store."""
        if vectors is not None and self.store_dir is not None:
            self._vectors().record(vectors)

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    def run(self, docs: list[ParsedDocument]) -> tuple[list[ParsedDocument], StageRun, str | None]:
        """(scored documents, the stage record for each, an error message when the scorer broke)."""
        if not self.enabled:
            return docs, StageRun(stage="score", status="skipped", notice=self.notice), None
        if not docs:
            return docs, StageRun(stage="score", status="ran"), None
        from semx.score.documents import score_parsed

        t0 = time.perf_counter()
        store = self._vectors() if self.store_dir is not None else None
        embedder = store if store is not None else self._embedder()
        before = store.embedded if store is not None else 0
        try:
            out = score_parsed(docs, embedder=embedder)
        except Exception as exc:  # noqa: BLE001 - a scorer bug must not lose the parsed results
            msg = f"指标评分失败：{type(exc).__name__}: {exc}"[:500]
            return docs, StageRun(stage="score", status="failed", notice=msg), f"{msg} (at {where(exc)})"
        finally:
            if store is not None:
                self.embedded_at_scoring += store.embedded - before
        seconds = round((time.perf_counter() - t0) / len(docs), 4)
        return out, StageRun(stage="score", status="ran", notice=self.notice, seconds=seconds), None
