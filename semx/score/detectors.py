"""The scorer's detectors by name, as the flag registry (semx/vocab/flags.py) names them.

Indicator detectors share one signature, `(item, context) -> RuleResult | None` (None: the rule
does not apply to this row), and project detectors `(project view, context) -> list[Flag]`; the
scorer walks the registry and calls them in its order. The embedding detectors (boilerplate,
mismatch) run once per batch before this; their per-row verdicts are read from the context.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from semx.models import Flag, FreeTextTarget
from semx.score import boilerplate as bp_mod
from semx.score import mismatch as mm_mod
from semx.score import review_rules, rules
from semx.score.config import ScoreConfig
from semx.score.items import Item, ProjectView
from semx.score.project_checks import check_project, prose_for
from semx.vocab.flags import FLAGS, Level


@dataclass
class RuleContext:
    """What a detector may look at besides its row or project."""

    cfg: ScoreConfig
    bp: Mapping[bp_mod.ItemId, bp_mod.BoilerplateResult]
    mm: Mapping[bp_mod.ItemId, mm_mod.MismatchResult]
    hints: Mapping[int, rules.CategoryHint] | None = None
    free_text: list[FreeTextTarget] = field(default_factory=list)
    # Project flags raised for the whole batch (cross-year copies), by (document, project) index.
    batch_flags: Mapping[tuple[int, int], list[Flag]] = field(default_factory=dict)


IndicatorRule = Callable[[Item, ProjectView, RuleContext], "rules.RuleResult | None"]
ProjectRule = Callable[[ProjectView, RuleContext], list[Flag]]


def _boilerplate(it: Item, pv: ProjectView, ctx: RuleContext) -> rules.RuleResult:
    b = ctx.bp[bp_mod.item_id(it)]
    # A content-free row (预算成本/预算成本, 完成时间/完成时间) says nothing about its project even once.
    # The shared-text score is kept as a feature either way (calibration, and the rules' own tests).
    cf = rules.content_free(it)
    if cf is not None and cf.score > b.score:
        return rules.RuleResult(cf.score, cf.reason, {**b.features(), "shared_score": b.score, "content_free": 1.0})
    return rules.RuleResult(b.score, bp_mod.reason(it, b), {**b.features(), "shared_score": b.score,
                                                            "content_free": 0.0})


def _mismatch(it: Item, pv: ProjectView, ctx: RuleContext) -> rules.RuleResult:
    m = ctx.mm[bp_mod.item_id(it)]
    return rules.RuleResult(m.score, mm_mod.reason(it, pv.project.name, m), m.features)


def _misclassified(it: Item, pv: ProjectView, ctx: RuleContext) -> rules.RuleResult:
    return rules.misclassified(it, rules.hint_for(ctx.hints, it), ctx.cfg.misclassified_llm_weight)


def _unmeasurable(it: Item, pv: ProjectView, ctx: RuleContext) -> rules.RuleResult:
    return rules.unmeasurable(it)


def _cost_vs_budget(it: Item, pv: ProjectView, ctx: RuleContext) -> rules.RuleResult | None:
    return rules.cost_vs_budget(it, pv.project.budget)


def _input_as_output(it: Item, pv: ProjectView, ctx: RuleContext) -> rules.RuleResult | None:
    return rules.input_as_output(it)


def _about_other(pv: ProjectView, ctx: RuleContext) -> frozenset[int]:
    """Rows about another subject (a mismatch, or a template shared with unrelated projects), at the
    calibrated thresholds: they measure no goal and deliver nothing of this project."""
    thr_mm = ctx.cfg.thresholds.get("mismatch", 1.0)
    thr_bp = ctx.cfg.thresholds.get("boilerplate", 1.0)
    return frozenset(
        it.index for it in pv.items
        if ctx.mm[bp_mod.item_id(it)].score >= thr_mm or ctx.bp[bp_mod.item_id(it)].score >= thr_bp
    )


def _trivial_target(it: Item, pv: ProjectView, ctx: RuleContext) -> rules.RuleResult | None:
    return review_rules.trivial_target(it, pv, about_other=_about_other(pv, ctx))


def _unlinked_indicator(it: Item, pv: ProjectView, ctx: RuleContext) -> rules.RuleResult | None:
    iid = bp_mod.item_id(it)
    # Only the mismatch score supports "about another subject": a template that fits its project is
    # linked (eval/README: a training-satisfaction rate on a project that trains), so being shared
    # across projects (the boilerplate score) says nothing about the goals.
    mm = ctx.mm[iid].score
    return review_rules.unlinked_indicator(it, pv, support=mm,
                                           other_subject=mm >= ctx.cfg.thresholds.get("mismatch", 1.0))


def _project_rules(pv: ProjectView, ctx: RuleContext) -> list[Flag]:
    return check_project(pv, prose_for(pv, ctx.free_text))


def _goal_without_indicator(pv: ProjectView, ctx: RuleContext) -> list[Flag]:
    return review_rules.goal_without_indicator(pv, about_other=_about_other(pv, ctx))


def _annual_copies_total(pv: ProjectView, ctx: RuleContext) -> list[Flag]:
    return review_rules.annual_copies_total(pv)


def _cross_year_copy(pv: ProjectView, ctx: RuleContext) -> list[Flag]:
    return list(ctx.batch_flags.get((pv.doc, pv.index), []))


INDICATOR_DETECTORS: dict[str, IndicatorRule] = {
    "boilerplate": _boilerplate,
    "mismatch": _mismatch,
    "misclassified": _misclassified,
    "unmeasurable": _unmeasurable,
    "cost_vs_budget": _cost_vs_budget,
    "input_as_output": _input_as_output,
    "trivial_target": _trivial_target,
    "unlinked_indicator": _unlinked_indicator,
}
PROJECT_DETECTORS: dict[str, ProjectRule] = {
    "project_rules": _project_rules,
    "goal_without_indicator": _goal_without_indicator,
    "annual_copies_total": _annual_copies_total,
    "cross_year_copy": _cross_year_copy,
}


def indicator_detectors() -> list[tuple[str, IndicatorRule]]:
    """(flag code, detector) for every indicator flag of the registry, in registry order."""
    return [(f.code, INDICATOR_DETECTORS[f.detector]) for f in FLAGS if f.level == "indicator" and f.detector]


def project_detectors() -> list[ProjectRule]:
    names = dict.fromkeys(f.detector for f in FLAGS if f.level == "project" and f.detector)
    return [PROJECT_DETECTORS[n] for n in names if n]


def missing_detectors(level: Level) -> list[str]:
    """Registry detector names with no function here (an install error; a test keeps it empty)."""
    table: Mapping[str, object] = INDICATOR_DETECTORS if level == "indicator" else PROJECT_DETECTORS
    return [f.detector for f in FLAGS if f.level == level and f.detector and f.detector not in table]
