"""The scoring stage of a batch: flags, quality and grades over all documents of the run.

The scorer itself (semx.score.documents.score_parsed) takes the parsed documents, handles
free-text targets and the summary; this stage only chooses the embedder, times the run and
turns a scorer bug into a per-run failure record instead of a lost batch.
Nothing heavy is imported until `run`: torch loads only when texts must be embedded.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from semx.models import ParsedDocument, StageRun
from semx.pipeline import where


@dataclass
class ScoreStage:
    embed: bool = True
    notice: str | None = None
    settings: dict[str, Any] = field(default_factory=dict)
    # False only where a test switches the scorer off to see the notice reach the outputs.
    enabled: bool = True

    @classmethod
    def load(cls, embed: bool) -> ScoreStage:
        if embed:
            from semx.embed.convert import DEFAULT_MODEL_NAME

            name = DEFAULT_MODEL_NAME
            notice = None
        else:
            name = "char-ngram-1024"
            notice = ("--no-embed：不加载神经网络嵌入模型，相似度改用字符 n-gram 向量（词面相似），"
                      "模板化与不相关判断的阈值未针对它校准，仅供参考")
        return cls(embed=embed, notice=notice, settings={"embedder": name})

    @property
    def available(self) -> bool:
        return self.enabled

    def _embedder(self) -> Any:
        from semx.embed.encoder import CharNgramEmbedder, SentenceTransformerEmbedder

        return SentenceTransformerEmbedder() if self.embed else CharNgramEmbedder()

    def run(self, docs: list[ParsedDocument]) -> tuple[list[ParsedDocument], StageRun, str | None]:
        """(scored documents, the stage record for each, an error message when the scorer broke)."""
        if not self.enabled:
            return docs, StageRun(stage="score", status="skipped", notice=self.notice), None
        if not docs:
            return docs, StageRun(stage="score", status="ran"), None
        from semx.score.documents import score_parsed

        t0 = time.perf_counter()
        try:
            out = score_parsed(docs, embedder=self._embedder())
        except Exception as exc:  # noqa: BLE001 - a scorer bug must not lose the parsed results
            msg = f"指标评分失败：{type(exc).__name__}: {exc}"[:500]
            return docs, StageRun(stage="score", status="failed", notice=msg), f"{msg} (at {where(exc)})"
        seconds = round((time.perf_counter() - t0) / len(docs), 4)
        return out, StageRun(stage="score", status="ran", notice=self.notice, seconds=seconds), None
