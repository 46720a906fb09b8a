"""The scoring stage of a batch, behind one seam: flags, quality and grades over all documents.

The scorer works on a corpus (boilerplate is counted across documents), so it runs once per
run over every document. Free-text targets without a table project are scored too: their
LLM-extracted indicators are handed to the scorer as a project of their own (the target's
title, goal and lines), and only the indicator flags and quality are taken back, because a
prose target has no 绩效目标表 whose grade the review rules define.
Nothing heavy is imported until `run`: torch loads only when texts must be embedded.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from semx.models import FreeTextTarget, Indicator, ParsedDocument, Project, StageRun
from semx.pipeline import where


def _pseudo_project(t: FreeTextTarget) -> Project:
    return Project(name=t.title, level=t.level, goal_text=t.goal_text, indicators=t.indicators,
                   start_line=t.start_line, end_line=t.end_line)


@dataclass
class ScoreStage:
    funcs: list[Any] | None = None
    embed: bool = True
    notice: str | None = None
    settings: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def load(cls, embed: bool) -> ScoreStage:
        # A plain import: the scorer is part of the core install, so its absence is an install error.
        from semx.score.scorer import DocInput, score_documents

        if embed:
            from semx.embed.convert import DEFAULT_MODEL_NAME

            name = DEFAULT_MODEL_NAME
            notice = None
        else:
            name = "char-ngram-1024"
            notice = ("--no-embed：不加载神经网络嵌入模型，相似度改用字符 n-gram 向量（词面相似），"
                      "模板化与不相关判断的阈值未针对它校准，仅供参考")
        return cls(funcs=[score_documents, DocInput], embed=embed, notice=notice, settings={"embedder": name})

    @property
    def available(self) -> bool:
        return self.funcs is not None

    def _embedder(self) -> Any:
        from semx.embed.encoder import CharNgramEmbedder, SentenceTransformerEmbedder

        return SentenceTransformerEmbedder() if self.embed else CharNgramEmbedder()

    def run(self, docs: list[ParsedDocument]) -> tuple[list[ParsedDocument], StageRun, str | None]:
        """(scored documents, the stage record for each, an error message when the scorer broke)."""
        if self.funcs is None:
            return docs, StageRun(stage="score", status="skipped", notice=self.notice), None
        if not docs:
            return docs, StageRun(stage="score", status="ran"), None
        score_documents, DocInput = self.funcs
        from semx.score.rules import Hint

        t0 = time.perf_counter()
        inputs, prose = [], []
        for d in docs:
            unlinked = [t for t in d.free_text_targets if not t.linked_project and t.indicators]
            hints = {
                ind.line: Hint(ind.llm_category.level1, ind.llm_category.level2, ind.llm_category.reason)
                for p in d.projects for ind in p.indicators if ind.llm_category is not None
            }
            inputs.append(DocInput(key=d.sha256[:12], projects=[*d.projects, *map(_pseudo_project, unlinked)],
                                   free_text=list(d.free_text_targets), llm_categories=hints or None))
            prose.append(unlinked)
        try:
            embedder = self._embedder()
            scores = score_documents(inputs, embedder=embedder)
        except Exception as exc:  # noqa: BLE001 - a scorer bug must not lose the parsed results
            msg = f"指标评分失败：{type(exc).__name__}: {exc}"[:500]
            return docs, StageRun(stage="score", status="failed", notice=msg), f"{msg} (at {where(exc)})"
        seconds = round((time.perf_counter() - t0) / len(docs), 4)
        out: list[ParsedDocument] = []
        for d, s, unlinked in zip(docs, scores, prose, strict=True):
            n = len(d.projects)
            projects, pseudo = s.projects[:n], s.projects[n:]
            scored: dict[int, list[Indicator]] = {id(t): p.indicators for t, p in zip(unlinked, pseudo, strict=True)}
            targets = [t.model_copy(update={"indicators": scored[id(t)]}) if id(t) in scored else t
                       for t in d.free_text_targets]
            out.append(d.model_copy(update={"projects": projects, "free_text_targets": targets,
                                            "score": self._summary(projects, s.summary, embedder)}))
        notice = self.notice
        return out, StageRun(stage="score", status="ran", notice=notice, seconds=seconds), None

    @staticmethod
    def _summary(projects: list[Project], fallback: Any, embedder: Any) -> Any:
        """The scorer's document summary over the table projects only (not the prose pseudo-projects)."""
        try:
            from semx.score.config import load_config
            from semx.score.grading import summarize

            return summarize(projects, load_config(embedder.name), embedder.name)
        except Exception:  # noqa: BLE001 - the summary is a convenience; keep the scorer's own
            return fallback
