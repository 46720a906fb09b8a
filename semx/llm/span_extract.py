"""extract/v3: the spans come from semx.llm.spans, the model names and categorises them.

The model answers `{"r": [[1, "参会人数", "数量"], ...]}` for the numbered spans of a block:
a short answer is what makes a CPU model fast, and everything checkable (quote, number,
comparator, unit) is taken from the text, never from the model. A span the model could not
name after its re-asks still becomes an indicator, named from its own quote and categorised by
its unit, and the block's `llm_error` says how many were named that way: nothing is lost silently.
"""

from __future__ import annotations

from typing import Any

import jiter
from pydantic import ValidationError

from semx.llm.client import CallResult, LLMClient
from semx.llm.prompts import PromptTemplate
from semx.llm.schemas import ExtractedIndicator, SpanNaming, squash
from semx.llm.spans import Revision, Span, find_spans
from semx.models import FreeTextTarget, Indicator, LLMInfo
from semx.vocab.categories import level1_of, level2_from_code
from semx.vocab.quantities import (
    COUNT_NAME_ENDINGS,
    DATE_UNITS,
    DISCRETE_UNITS,
    FALLBACK_LEVEL2,
    MEASURE_ENDINGS,
    NOT_FOR_COUNTS,
    TIME_NAME_ENDINGS,
)

# Spans per call: a block with many values is asked in parts so one answer stays short and a
# bad answer costs one part's re-ask, not the block's.
SPANS_PER_CALL = 8


def revision_of(prompt: PromptTemplate) -> Revision:
    """The span grammar a prompt version was written (and recorded) with: `spans:` in its front matter."""
    return 2 if prompt.spans >= 2 else 1


def block_spans(target: FreeTextTarget, revision: Revision = 1) -> list[Span]:
    """The spans of the 绩效指标 text, or of the 绩效目标 text when the indicators state none (as v2's rule 5).

    Measured and left out (revision 2): adding the 绩效目标 text's valued spans that the 绩效指标 text
    does not repeat found 4 more gold targets and 7 more non-targets on the 69 gold blocks
    (eval/tools/spans_baseline.py): goal texts are mostly background.
    """
    return find_spans(target.indicator_text, revision) or find_spans(target.goal_text, revision)


# What the model is shown of a long clause or title: prompt tokens are the slow part of a CPU
# call, and a long list inside a clause (《A》《B》《C》等) tempts the model to name each item.
_SHOWN_BEFORE, _SHOWN_AFTER, _SHOWN_TITLE = 20, 10, 30
_HEAD = 4  # revision 2: the clause's first characters shown before a cut


def _shown(quote: str) -> str:
    # Line breaks inside a quote are layout; one line per span keeps the numbering unambiguous.
    return " ".join(quote.split())


def _shown_span(span: Span, revision: Revision = 1) -> str:
    """The span's quote around its value: 20 characters before, the value, 10 after.

    Revision 2 keeps the clause's first words (its verb: 编发, 购买, 走访) before a cut, marked with
    "…": cut after them, a list of titles read as the thing counted.
    """
    quote = _shown(span.quote)
    at = quote.find(span.value_text) if span.value_text else -1
    if at < 0 or len(quote) <= _SHOWN_BEFORE + len(span.value_text) + _SHOWN_AFTER:
        return quote
    end = at + len(span.value_text)
    start = max(0, at - _SHOWN_BEFORE)
    # Start at a word boundary (a title or a list item), not in the middle of one.
    cuts = [k for k in (quote.find("《", start, at), quote.find("、", start, at) + 1) if k > 0]
    if start > 0 and cuts:
        start = min(cuts)
    shown = quote[start:end + _SHOWN_AFTER]
    if revision >= 2 and start > _HEAD:
        head = quote[:_HEAD]
        for stop in ("《", "“", "、"):
            head = head.split(stop)[0]
        if head:
            shown = f"{head}…{shown}"
    return shown


def span_values(title: str, spans: list[Span], revision: Revision = 1) -> dict[str, str]:
    return {"title": _shown(title)[:_SHOWN_TITLE], "count": str(len(spans)),
            "spans": "\n".join(f"{i}. {_shown_span(s, revision)}" for i, s in enumerate(spans, 1))}


def fallback_name(span: Span) -> str:
    """A name read off the quote: the longer of the words before and after the value."""
    quote = _shown(span.quote)
    at = quote.find(span.value_text) if span.value_text else -1
    before, after = (quote[:at], quote[at + len(span.value_text):]) if at >= 0 else (quote, "")
    name = max(squash(before), squash(after), key=len)
    return name[:24] or squash(quote)[:24]


_TEXT_NAME_LEN = (4, 20)


def text_name(span: Span) -> str | None:
    """The words right before the value when they already name a measured quantity, else None.

    "…印制发放数量大于等于 3500 份" names itself: the text's own name is what an auditor copies, and
    the 1.5B model tends to shorten it to something generic (建设数量, 创建工作比例). Only a name
    that ends in a measure word (vocab.quantities.MEASURE_ENDINGS) counts, so a clause such as
    "先后8次召开专题推进会" still gets the model's name.
    """
    if span.number is None or not span.value_text:
        return None
    quote = _shown(span.quote)
    at = quote.find(span.value_text)
    if at <= 0:
        return None
    name = squash(quote[:at]).rstrip("的为是达")
    lo, hi = _TEXT_NAME_LEN
    return name if lo <= len(name) <= hi and name.endswith(MEASURE_ENDINGS) else None


def settle(span: Span, name: str, level2: str) -> tuple[str, str]:
    """Revision 2: a name and 二级 consistent with the span's unit (DOMAIN.md §3 rule 4).

    A date is a timeliness target named as a time (党代会次数 -> 党代会时间 for "1月份完成…党代会"); a
    count is named as a count (预评部门 -> 预评部门数) and is never a date, a satisfaction or money;
    a percentage is never money. Everything else is the model's.
    """
    unit = span.unit or ""
    if unit in DATE_UNITS:
        if not name.endswith(TIME_NAME_ENDINGS):
            for ending in COUNT_NAME_ENDINGS:
                if name.endswith(ending):
                    name = name[: -len(ending)]
                    break
            name = f"{name}时间"
        return name, "时效指标"
    if unit in DISCRETE_UNITS:
        # A zero-defect target (无差错 = 0 次) keeps its name: it says what must not happen.
        if span.kind == "quantity" and not name.endswith(MEASURE_ENDINGS) and not name.endswith(("数", "量")):
            name = f"{name}数"
        if level2 in NOT_FOR_COUNTS:
            level2 = "数量指标"
    elif unit == "%" and level2 == "成本指标":
        level2 = fallback_level2(span)
        if level2 == "成本指标":
            level2 = "质量指标"
    return name, level2


def fallback_level2(span: Span) -> str:
    """The 二级 a span's unit and words suggest, first rule that applies (see vocab.quantities)."""
    quote = squash(span.quote)
    for words, units, level2 in FALLBACK_LEVEL2:
        if any(w in quote for w in words) or (span.unit is not None and span.unit in units):
            return level2
    return "数量指标"


def _salvage(answer: str | None, n: int) -> list[tuple[int, str, str]]:
    """Usable (i, name, 二级) items of a rejected answer (each checked on its own).

    Only when the answer's numbering is that of the spans (each index in 1..n at most once):
    an answer that split one span into several items ("《A》《B》等12期" -> one item per title)
    is misaligned from that span on, and a name taken from it would belong to another span.
    """
    if not answer or "{" not in answer:
        return []
    try:
        data = jiter.from_json(answer[answer.index("{"):].encode("utf-8"), partial_mode="trailing-strings")
    except ValueError:
        return []
    items = data.get("r") if isinstance(data, dict) else None
    if not isinstance(items, list):
        return []
    indexes = [it[0] for it in items if isinstance(it, list) and it]
    if len(set(indexes)) != len(indexes) or any(not isinstance(i, int) or not 1 <= i <= n for i in indexes):
        return []
    out: list[tuple[int, str, str]] = []
    for item in items:
        try:
            one = SpanNaming.model_validate({"r": [item]})
        except ValidationError:
            continue
        i, name, code = one.r[0]
        level2 = level2_from_code(code)
        if level2 is not None:
            out.append((i, name, level2))
    return out


def _merge_info(results: list[CallResult[Any]]) -> LLMInfo:
    first = results[0].info
    return first.model_copy(update={
        "cached": all(r.info.cached for r in results),
        "attempts": sum(r.info.attempts for r in results),
        "prompt_tokens": sum(r.info.prompt_tokens for r in results),
        "completion_tokens": sum(r.info.completion_tokens for r in results),
        "latency_s": round(sum(r.info.latency_s for r in results), 3),
    })


def merge_results(results: list[CallResult[Any]]) -> CallResult[Any]:
    """One CallResult for the block: summed tokens, time and retries; the errors joined."""
    errors = [r.error for r in results if r.error]
    return CallResult(
        value=None if errors else results[-1].value, info=_merge_info(results),
        error="; ".join(errors) or None, requests=sum(r.requests for r in results),
        transport_retries=sum(r.transport_retries for r in results),
        validation_retries=sum(r.validation_retries for r in results),
        log_id=results[-1].log_id, last_answer=results[-1].last_answer,
    )


def extract_by_spans(
    client: LLMClient, target: FreeTextTarget, source: str, *, document: str | None = None
) -> tuple[FreeTextTarget, CallResult[Any] | None]:
    from semx.llm.tasks import to_indicator  # tasks dispatches here; the import goes back only at call time

    revision = revision_of(client.prompt("extract"))
    spans = block_spans(target, revision)
    if not spans:
        # No value and no deadline/zero-defect wording: nothing to name, no call.
        return target.model_copy(update={"indicators": [], "llm_error": None}), None
    names: dict[int, list[tuple[str, str]]] = {}  # span index -> (name, 二级), usually one
    results: list[CallResult[Any]] = []
    for offset in range(0, len(spans), SPANS_PER_CALL):
        part = spans[offset:offset + SPANS_PER_CALL]
        result = client.call("extract", span_values(target.title, part, revision), {"quotes": [s.quote for s in part]},
                             document=document, item=target.title)
        results.append(result)
        if result.value is not None:
            got = [(i, name, level2_from_code(code) or "") for i, name, code in result.value.r]
        else:
            got = _salvage(result.last_answer, len(part))
        for i, name, level2 in got:
            names.setdefault(offset + i - 1, []).append((name, level2))
    merged = merge_results(results)
    info = merged.info
    indicators: list[Indicator] = []
    unnamed = 0
    dropped: list[str] = []
    for k, span in enumerate(spans):
        if k in names:
            named = names[k]
            if len(named) == 1:
                named = [(text_name(span) or named[0][0], named[0][1])]
        else:
            unnamed += 1
            named = [(fallback_name(span), fallback_level2(span))]
        if revision >= 2:
            named = [settle(span, name, level2) for name, level2 in named]
        for name, level2 in named:
            fields = {"evidence": span.quote, "level3": name, "op": span.op,
                      "number": None if span.number is None else float(span.number), "unit": span.unit,
                      "level1": level1_of(level2), "level2": level2}
            try:
                x = ExtractedIndicator.model_validate(fields, context={"source": source})
            except ValidationError as exc:  # a finder bug, never the model: say which span and why
                dropped.append(f"dropped span {k + 1}「{span.quote}」: {exc.errors()[0]['msg']}")
                continue
            indicators.append(to_indicator(x, target, info))
    notes: list[str] = []
    if merged.error is not None:
        # Even when every span still got a name (salvaged items, quote names), the model's answer
        # was invalid: the block says so instead of passing for a clean one.
        notes.append(f"partial: {unnamed} of {len(spans)} spans named from their quote, not by the model; "
                     f"{merged.error}")
    notes.extend(dropped)
    error = "; ".join(notes) or None
    return target.model_copy(update={"indicators": indicators, "llm_error": error, "llm": info}), merged
