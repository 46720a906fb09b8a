"""Score parsed documents: the scorer's entry point for the batch and every other caller.

The scorer works on a corpus (boilerplate is counted across documents), so it takes every
document of a run at once. Free-text targets that no table project covers are scored too:
their LLM-extracted indicators go to the scorer as a project of their own (the target's title,
goal and lines), and only their indicator flags and quality come back, because a prose target
has no 绩效目标表 whose grade the review rules define. The document summary counts the table
projects only.
"""

from __future__ import annotations

from collections.abc import Sequence

from semx.embed.encoder import Embedder
from semx.models import FreeTextTarget, ParsedDocument, Project
from semx.score.config import ScoreConfig, load_config
from semx.score.gcpause import collector_paused
from semx.score.grading import summarize
from semx.score.rules import CategoryHint, Hint
from semx.score.scorer import DocInput, input_texts, score_documents


def _as_project(t: FreeTextTarget) -> Project:
    return Project(name=t.title, level=t.level, goal_text=t.goal_text, indicators=t.indicators,
                   start_line=t.start_line, end_line=t.end_line)


def _prose_targets(d: ParsedDocument) -> list[int]:
    """Positions of the free-text targets scored as projects of their own."""
    return [i for i, t in enumerate(d.free_text_targets) if not t.linked_project and t.indicators]


def _input(d: ParsedDocument) -> DocInput:
    hints: dict[int, CategoryHint] = {
        ind.line: Hint(ind.llm_category.level1, ind.llm_category.level2, ind.llm_category.reason)
        for p in d.projects for ind in p.indicators if ind.llm_category is not None
    }
    prose = [_as_project(d.free_text_targets[i]) for i in _prose_targets(d)]
    return DocInput(key=d.sha256[:12], projects=[*d.projects, *prose], free_text=list(d.free_text_targets),
                    llm_categories=hints or None, unit=d.unit_name or d.unit_code, year=d.year)


def document_texts(d: ParsedDocument) -> list[str]:
    """The distinct strings `score_parsed` embeds for this document (see scorer.input_texts)."""
    return input_texts(_input(d))


def score_parsed(docs: Sequence[ParsedDocument], *, embedder: Embedder,
                 config: ScoreConfig | None = None) -> list[ParsedDocument]:
    """The same documents with flags, quality, grades and a score summary filled in."""
    with collector_paused():
        return _score_parsed(docs, embedder=embedder, config=config)


def _score_parsed(docs: Sequence[ParsedDocument], *, embedder: Embedder,
                  config: ScoreConfig | None) -> list[ParsedDocument]:
    cfg = config or load_config(embedder.name)
    # The detectors' candidates (raised or not) are the evaluation's; here only the flags are kept.
    scores = score_documents([_input(d) for d in docs], embedder=embedder, config=cfg, keep_candidates=False)
    out: list[ParsedDocument] = []
    for d, s in zip(docs, scores, strict=True):
        n = len(d.projects)
        projects, prose = s.projects[:n], s.projects[n:]
        targets = list(d.free_text_targets)
        for i, scored in zip(_prose_targets(d), prose, strict=True):
            targets[i] = targets[i].model_copy(update={"indicators": scored.indicators})
        out.append(d.model_copy(update={"projects": projects, "free_text_targets": targets,
                                        "score": summarize(projects, cfg, embedder.name)}))
    return out
