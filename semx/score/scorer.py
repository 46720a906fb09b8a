"""Score performance targets: flags per indicator, grade per project, summary per document.

    score_document(projects, embedder=..., llm_categories=...) -> DocumentScore
    score_documents([DocInput, ...], embedder=...) -> list[DocumentScore]   # a batch

A batch is scored together so boilerplate can be counted across the corpus and
every distinct string is embedded once. Inputs are not mutated: the returned
projects are copies whose indicators carry `flags` (raised flags only) and
`quality`, and whose projects carry `flags`, `grade` and `grade_reasons`. Every
detector score, raised or not, is kept in DocumentScore.candidates (for
calibration and debugging), never in `flags`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from pydantic import BaseModel, ConfigDict

from semx.embed.encoder import Embedder
from semx.models import Flag, FreeTextTarget, Project, ScoreSummary
from semx.score import boilerplate as bp_mod
from semx.score import mismatch as mm_mod
from semx.score import rules
from semx.score.config import ScoreConfig, load_config
from semx.score.cross_year import cross_year_copies
from semx.score.detectors import RuleContext, indicator_detectors, project_detectors
from semx.score.gcpause import collector_paused
from semx.score.grading import grade_project, indicator_quality, summarize
from semx.score.items import DocView, Item, ProjectView, build_doc
from semx.score.text import Idf, clean
from semx.score.vectors import VectorTable
from semx.vocab.flags import spec


class Candidate(BaseModel):
    """One detector's verdict on one indicator, raised or not."""

    model_config = ConfigDict(extra="forbid")
    line: int
    project: str
    level3: str
    code: str
    score: float
    threshold: float
    raised: bool
    reason: str
    features: dict[str, float] = {}


class DocumentScore(BaseModel):
    model_config = ConfigDict(extra="forbid")
    key: str
    projects: list[Project]
    summary: ScoreSummary
    candidates: list[Candidate] = []


@dataclass
class DocInput:
    key: str
    projects: list[Project]
    free_text: list[FreeTextTarget] = field(default_factory=list)
    # Indicator line -> suggested category (e.g. semx.llm classify), optional.
    llm_categories: Mapping[int, rules.CategoryHint] | None = None
    # Who published it and for which year: documents of one unit and several years are compared
    # for cross-year copies (optional; without them that rule does not run).
    unit: str | None = None
    year: int | None = None


@dataclass
class RunInfo:
    embedding_model: str
    config_version: int
    distinct_strings: int = 0
    indicators: int = 0


def _linked_goals(d: DocInput) -> dict[str, list[str]]:
    # Only the goal prose: the block's 绩效指标 prose often restates the table's (template) rows,
    # which would make a copied indicator look like the project's own words.
    out: dict[str, list[str]] = {}
    for ft in d.free_text:
        if ft.linked_project and ft.goal_text:
            out.setdefault(clean(ft.linked_project), []).append(ft.goal_text)
    return out


def view_texts(v: DocView) -> list[str]:
    """Every string of one document the detectors look up a vector for (repeats and blanks included)."""
    texts: list[str] = []
    for pv in v.projects:
        texts += [pv.subject, *pv.pieces]
        texts += [t for it in pv.items for t in (it.text, it.key)]
    return texts


def input_texts(d: DocInput) -> list[str]:
    """The distinct non-empty strings `score_documents` embeds for this document.

    A document's strings depend on that document alone, so they can be embedded where the
    document was processed (a batch worker) and only looked up when the corpus is scored."""
    view = build_doc(0, d.key, list(d.projects), _linked_goals(d))
    return list(dict.fromkeys(t for t in view_texts(view) if t))


def _default_embedder() -> Embedder:
    from semx.embed.encoder import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder()


def score_document(
    projects: Sequence[Project],
    *,
    embedder: Embedder | None = None,
    config: ScoreConfig | None = None,
    llm_categories: Mapping[int, rules.CategoryHint] | None = None,
    free_text: Sequence[FreeTextTarget] = (),
    key: str = "document",
) -> DocumentScore:
    doc = DocInput(key=key, projects=list(projects), free_text=list(free_text), llm_categories=llm_categories)
    return score_documents([doc], embedder=embedder, config=config)[0]


def score_documents(
    docs: Sequence[DocInput],
    *,
    embedder: Embedder | None = None,
    config: ScoreConfig | None = None,
    info: RunInfo | None = None,
    keep_candidates: bool = True,
) -> list[DocumentScore]:
    """keep_candidates=False: every DocumentScore.candidates is left empty. They are every
    detector's verdict on every indicator (~1,000 a document), which only the evaluation reads;
    a batch holding them for the whole corpus grew by ~1.2 MB a document (issue 20)."""
    with collector_paused():
        return _score_documents(docs, embedder=embedder, config=config, info=info, keep_candidates=keep_candidates)


def _score_documents(
    docs: Sequence[DocInput],
    *,
    embedder: Embedder | None,
    config: ScoreConfig | None,
    info: RunInfo | None,
    keep_candidates: bool = True,
) -> list[DocumentScore]:
    embedder = embedder or _default_embedder()
    cfg = config or load_config(embedder.name)
    copies = [[p.model_copy(deep=True) for p in d.projects] for d in docs]
    views = [build_doc(i, d.key, ps, _linked_goals(d)) for i, (d, ps) in enumerate(zip(docs, copies, strict=True))]

    vecs = VectorTable(embedder, [t for v in views for t in view_texts(v)])
    idf = Idf(
        [*(it.text for v in views for it in v.items), *(x for v in views for pv in v.projects for x in pv.pieces)]
    )

    bp = bp_mod.detect(views, vecs, cfg.boilerplate)
    mm = mm_mod.detect(views, vecs, bp, idf, cfg.mismatch)
    batch_flags = cross_year_copies(views, [(d.unit, d.year) for d in docs])
    ind_rules = indicator_detectors()
    proj_rules = project_detectors()

    results: list[DocumentScore] = []
    for d, v in zip(docs, views, strict=True):
        ctx = RuleContext(cfg=cfg, bp=bp, mm=mm, hints=d.llm_categories, free_text=list(d.free_text),
                          batch_flags=batch_flags)
        candidates: list[Candidate] = []
        for pv in v.projects:
            for it in pv.items:
                cands = _candidates(it, pv, ctx, ind_rules)
                if keep_candidates:
                    candidates += cands
                it.ind.flags = [
                    Flag(code=c.code, score=round(c.score, 3), reason=c.reason, thresholds=_thresholds(c, cfg))
                    for c in cands
                    if c.raised
                ]
                it.ind.quality = indicator_quality(it.ind.flags, cfg)
            pv.project.flags = [f for rule in proj_rules for f in rule(pv, ctx)]
            grade, _, reasons = grade_project(pv.project, cfg)
            pv.project.grade = grade  # type: ignore[assignment]
            pv.project.grade_reasons = reasons
        projects = [pv.project for pv in v.projects]
        results.append(
            DocumentScore(
                key=d.key, projects=projects, summary=summarize(projects, cfg, embedder.name), candidates=candidates
            )
        )
    if info is not None:
        info.embedding_model = embedder.name
        info.config_version = cfg.version
        info.distinct_strings = vecs.distinct
        info.indicators = sum(len(v.items) for v in views)
    return results


def _thresholds(c: Candidate, cfg: ScoreConfig) -> dict[str, float]:
    out = {"score": c.threshold}
    if c.code == "boilerplate":
        out.update(
            near_dup_cos=cfg.boilerplate.near_dup_cos,
            near_dup_dice=cfg.boilerplate.near_dup_dice,
            same_subject_cos=cfg.boilerplate.same_subject_cos,
        )
    return out


def threshold_of(code: str, cfg: ScoreConfig) -> float:
    """The calibrated threshold, or the registry's default for a flag newer than the config."""
    return cfg.thresholds.get(code, spec(code).default_threshold)


def _candidates(
    it: Item,
    pv: ProjectView,
    ctx: RuleContext,
    detectors: list[tuple[str, Callable[[Item, ProjectView, RuleContext], rules.RuleResult | None]]],
) -> list[Candidate]:
    out: list[Candidate] = []
    for code, detect in detectors:
        r = detect(it, pv, ctx)
        if r is None:
            continue
        thr = threshold_of(code, ctx.cfg)
        out.append(
            Candidate(
                line=it.ind.line,
                project=pv.project.name,
                level3=it.ind.level3,
                code=code,
                score=float(r.score),
                threshold=thr,
                raised=bool(r.score >= thr and r.score > 0),
                reason=r.reason,
                features=r.features,
            )
        )
    return out
