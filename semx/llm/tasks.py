"""The two LLM tasks over pipeline models: extract (free text) and classify (table indicators).

Only what a task needs is sent: the block's title, goal and indicator text, or one
project's name, goals and indicator rows, never whole documents or tables.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import jiter
from pydantic import ValidationError

from semx.llm.client import CallResult, LLMClient
from semx.llm.schemas import Classification, ExtractedIndicator, Extraction, squash, to_decimal
from semx.models import (
    Flag,
    FreeTextTarget,
    Indicator,
    IndicatorValue,
    LLMCategory,
    LLMInfo,
    Project,
    ValueOp,
)
from semx.vocab.categories import same_category

CLASSIFY_BATCH = 12  # rows per classify call: keeps the answer well under max_tokens on a small model


# ---------------------------------------------------------------- extract


def target_values(target: FreeTextTarget) -> dict[str, str]:
    return {
        "title": target.title.strip(),
        "goal_text": target.goal_text.strip(),
        "indicator_text": target.indicator_text.strip(),
    }


def target_source(target: FreeTextTarget) -> str:
    """The text an evidence quote must come from: exactly what the model was shown."""
    v = target_values(target)
    return "\n".join((v["title"], v["goal_text"], v["indicator_text"]))


def _fmt_number(number: Decimal) -> str:
    return format(number, "f")


_LEAD_OPS: list[tuple[str, ValueOp]] = [
    ("大于或等于", "≥"), ("大于等于", "≥"), ("不少于", "≥"), ("不低于", "≥"), ("至少", "≥"), ("≥", "≥"),
    ("小于或等于", "≤"), ("小于等于", "≤"), ("不超过", "≤"), ("不高于", "≤"), ("控制在", "≤"), ("≤", "≤"),
    ("大于", ">"), ("超过", ">"), ("高于", ">"), ("小于", "<"), ("低于", "<"), ("等于", "="), ("达到", "≥"),
]
_CLAUSE_END = re.compile(r"[，。；、,;：:（(]")


def _from_quote(evidence: str, number: Decimal, model_unit: str | None = None) -> tuple[ValueOp | None, str | None]:
    """op and unit as written around the number in the quote (None where the quote has none).

    The small model often leaves op/unit empty ("参会人数1000人" -> unit null) or turns
    大于等于 into ">", although the words are right there in the quote it was validated to
    copy verbatim; reading them off the quote is what parse_value does for table cells, and
    cheaper and surer than a re-ask. When the number occurs more than once with different
    words around it ("…大于等于 5 个…小于等于 5 次"), the model's unit picks the place; if it
    cannot, the quote decides nothing.
    """
    try:
        from semx.targets.values import parse_value
    except ImportError:
        return None, None
    flat = squash(evidence).replace(",", "")
    found: list[tuple[ValueOp | None, str | None]] = []
    for m in re.finditer(r"\d+(?:\.\d+)?", flat):
        if Decimal(m.group()).normalize() != number.normalize():
            continue
        before = flat[: m.start()]
        lead = next((op for word, op in _LEAD_OPS if before.endswith(word)), None)
        clause = _CLAUSE_END.split(flat[m.start():], maxsplit=1)[0]
        pv = parse_value(clause)
        found.append((lead or pv.op, pv.unit))
    if model_unit is not None:
        matching = [f for f in found if f[1] == model_unit]
        found = matching or found
    if len(set(found)) == 1:
        return found[0]
    return None, None


def _value(x: ExtractedIndicator) -> IndicatorValue:
    if x.number is None:
        # A comparator without a number compares nothing; the model often says "=" anyway.
        return IndicatorValue(raw=x.evidence, op=None, unit=x.unit, kind="text")
    number = to_decimal(x.number)
    q_op, q_unit = _from_quote(x.evidence, number, x.unit)
    # The comparator written in the verbatim quote wins: the 1.5B model turns 大于等于 into ">"
    # nearly every time (see tests/llm_fixtures/HANDCHECK.md); the unit only fills a gap.
    op, unit = q_op or x.op, x.unit or q_unit
    x = x.model_copy(update={"op": op, "unit": unit})
    raw = f"{x.op or ''}{_fmt_number(number)}{x.unit or ''}"
    try:
        from semx.targets.values import parse_value

        parsed = parse_value(raw)
    except ImportError:  # the targets stage is optional for this module's own tests
        parsed = IndicatorValue(raw=raw)
    # The model's op/number/unit are the validated facts; parse_value only adds kind and 万元.
    kind = parsed.kind if parsed.number == number else ("percent" if x.unit == "%" else "count")
    return parsed.model_copy(update={"op": x.op, "number": number, "unit": x.unit, "kind": kind})


def _line_of(target: FreeTextTarget, quote: str) -> int:
    q = squash(quote)
    if q in squash(target.indicator_text):
        return target.indicator_lines[0] if target.indicator_lines else target.start_line
    if q in squash(target.goal_text):
        return target.goal_lines[0] if target.goal_lines else target.start_line
    return target.start_line


def to_indicator(x: ExtractedIndicator, target: FreeTextTarget, info: LLMInfo) -> Indicator:
    return Indicator(
        level1=x.level1,
        level2=x.level2,
        level3=x.level3.strip(),
        description=None,
        value=_value(x),
        line=_line_of(target, x.evidence),
        source="llm",
        evidence=x.evidence,
        llm=info,
    )


def extract_target(
    client: LLMClient, target: FreeTextTarget, *, document: str | None = None
) -> tuple[FreeTextTarget, CallResult[Any] | None]:
    """Return the target with indicators (or llm_error) filled; never raises for model trouble."""
    if not (target.indicator_text.strip() or target.goal_text.strip()):
        return target, None
    if client.prompt("extract").response == "span_naming":
        from semx.llm.span_extract import extract_by_spans  # extract/v3; it imports to_indicator from here

        return extract_by_spans(client, target, target_source(target), document=document)
    result = client.call(
        "extract", target_values(target), {"source": target_source(target)}, document=document, item=target.title
    )
    if result.value is None:
        kept, rejected = salvage(result.last_answer, target_source(target))
        if not kept:
            return target.model_copy(update={"indicators": [], "llm_error": result.error, "llm": result.info}), result
        error = f"partial: kept {len(kept)} of {len(kept) + rejected} indicators; {result.error}"
        indicators = [to_indicator(x, target, result.info) for x in kept]
        return target.model_copy(update={"indicators": indicators, "llm_error": error, "llm": result.info}), result
    extraction: Extraction = result.value
    indicators = [to_indicator(x, target, result.info) for x in extraction.indicators]
    return target.model_copy(update={"indicators": indicators, "llm_error": None, "llm": result.info}), result


def salvage(answer: str | None, source: str) -> tuple[list[ExtractedIndicator], int]:
    """The indicators of a failed answer that pass every check on their own, and how many did not.

    One invented number used to cost the whole block; each kept indicator still has its quote
    in the source and its number in the quote. A truncated answer (max_tokens) is read in
    partial mode, so its complete items count too.
    """
    if not answer or "{" not in answer:
        return [], 0
    try:
        data = jiter.from_json(answer[answer.index("{"):].encode("utf-8"), partial_mode="trailing-strings")
    except ValueError:
        return [], 0
    items = data.get("indicators") if isinstance(data, dict) else None
    if not isinstance(items, list):
        return [], 0
    kept: list[ExtractedIndicator] = []
    for item in items:
        try:
            kept.append(ExtractedIndicator.model_validate(item, context={"source": source}))
        except ValidationError:
            continue
    return kept, len(items) - len(kept)


# ---------------------------------------------------------------- classify


def _goals(project: Project) -> str:
    if project.goals:
        return "；".join(g.strip() for g in project.goals)
    return (project.goal_text or "").strip() or "（未写明）"


def _row(i: int, ind: Indicator) -> str:
    cells = (ind.level3, ind.description or "", ind.value.raw)
    return f"{i}. " + " | ".join(" ".join(c.split()) for c in cells)


def classify_values(project: Project, batch: list[tuple[int, Indicator]]) -> dict[str, str]:
    return {
        "project": project.name.strip(),
        "goals": _goals(project),
        "indicators": "\n".join(_row(i, ind) for i, ind in batch),
    }


def _opinion(ind: Indicator, level1: str, level2: str, reason: str, info: LLMInfo) -> Indicator:
    agrees = same_category(ind.level1, ind.level2, level1, level2)
    flags = list(ind.flags)
    if not agrees:
        flags.append(Flag(
            code="misclassified",
            score=1.0,
            reason=f"表中为 {ind.level1 or '?'}/{ind.level2 or '?'}，模型认为应为 {level1}/{level2}：{reason}"
                   f"（{info.model}, {info.prompt_version}）",
        ))
    category = LLMCategory(level1=level1, level2=level2, reason=reason, agrees=agrees, llm=info)
    return ind.model_copy(update={"llm_category": category, "flags": flags})


def classify_project(
    client: LLMClient, project: Project, *, document: str | None = None
) -> tuple[Project, list[CallResult[Any]], list[str]]:
    """Ask for each table indicator's category; disagreements become `misclassified` flags.

    Returns the updated project, the call results and the errors of failed batches (the
    indicators of a failed batch are left unchanged).
    """
    rows = [(i, ind) for i, ind in enumerate(project.indicators, 1) if ind.source == "table"]
    indicators = list(project.indicators)
    results: list[CallResult[Any]] = []
    errors: list[str] = []
    for start in range(0, len(rows), CLASSIFY_BATCH):
        batch = rows[start:start + CLASSIFY_BATCH]
        result = client.call(
            "classify", classify_values(project, batch), {"indexes": [i for i, _ in batch]},
            document=document, item=project.name,
        )
        results.append(result)
        if result.value is None:
            errors.append(f"{project.name}: {result.error}")
            continue
        answer: Classification = result.value
        by_index = {op.index: op for op in answer.items}
        for i, ind in batch:
            op = by_index[i]
            indicators[i - 1] = _opinion(ind, op.level1, op.level2, op.reason.strip(), result.info)
    return project.model_copy(update={"indicators": indicators}), results, errors
