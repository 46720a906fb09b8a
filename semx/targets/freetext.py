"""Locate prose targets: `绩效目标：…` followed by `绩效指标：…`, with the item title above.

These blocks go to the LLM stage untouched, so the text is kept line by line
(joined with "\n", one per source line, the label `绩效目标：` removed) and every
block carries the original line numbers of its title, goal and indicator parts.

A block runs from its title to the next block's title, a heading (（三）, 二)、,
第二部分, 六、), a project table or the end of the section.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from semx.models import FreeTextTarget, Project, SourceDocument, Warning_
from semx.targets.projects import Level, context_level
from semx.targets.text import (
    GOAL_LABEL,
    INDICATOR_LABEL,
    NUMBERING,
    is_heading,
    match_key,
    numbering_style,
    strip_numbering,
)

# Below this similarity a title and a project name are different projects.
LINK_THRESHOLD = 0.75
_TITLE_MAX = 120


@dataclass
class _Item:
    no: int
    text: str
    context: Level


def _covered(ranges: list[tuple[int, int]], last: int) -> list[bool]:
    """covered[n]: line n lies in one of the inclusive ranges; one pass over lines and ranges
    (testing every range for every line was quadratic on a long document with many projects)."""
    diff = [0] * (last + 2)
    for a, b in ranges:
        a, b = max(a, 0), min(b, last)
        if a <= b:
            diff[a] += 1
            diff[b + 1] -= 1
    covered, depth = [False] * (last + 1), 0
    for n in range(last + 1):
        depth += diff[n]
        covered[n] = depth > 0
    return covered


def _items(doc: SourceDocument, exclude: list[tuple[int, int]]) -> list[_Item | None]:
    """Non-blank prose lines in order; None marks a gap (a project table or the glossary)."""
    skip = list(exclude) + [(s.start_line, s.end_line) for s in doc.sections if s.key == "glossary"]
    skipped = _covered(skip, doc.lines[-1].no if doc.lines else 0)
    out: list[_Item | None] = []
    context: Level = "department"
    for ln in doc.lines:
        if 0 <= ln.no < len(skipped) and skipped[ln.no]:
            if out and out[-1] is not None:
                out.append(None)
            continue
        text = ln.text.strip()
        if not text:
            continue
        if is_heading(text):
            ctx = context_level(text)
            if ctx is not None:
                context = ctx
        out.append(_Item(ln.no, text, context))
    return out


def _is_label(text: str) -> bool:
    return bool(GOAL_LABEL.match(text) or INDICATOR_LABEL.match(text))


def _title_like(text: str) -> bool:
    """An item title: numbered (`1、…`, `（一）…`) or a short line that is not a sentence."""
    if _is_label(text) or len(text) > _TITLE_MAX or "绩效目标" in text:
        return False
    if NUMBERING.match(text):
        return True
    return len(text) <= 30 and not text.endswith(("。", "；", ";", "：", ":"))


def _title_index(items: list[_Item | None], k: int) -> int | None:
    j = k - 1
    if j >= 0 and (it := items[j]) is not None and _title_like(it.text):
        return j
    return None


def _stop(item: _Item | None) -> bool:
    return item is None or is_heading(item.text) or bool(GOAL_LABEL.match(item.text))


def parse_free_text(doc: SourceDocument, exclude: list[tuple[int, int]]) -> tuple[list[FreeTextTarget], list[Warning_]]:
    items = _items(doc, exclude)
    warnings: list[Warning_] = []
    anchors = [k for k, it in enumerate(items) if it is not None and GOAL_LABEL.match(it.text)]
    titles = {k: _title_index(items, k) for k in anchors}
    title_set = {t for t in titles.values() if t is not None}
    # A line numbered like the title right above it, with nothing of its own, is a stray (a
    # heading typed twice with different numbers); it closes the previous block and is reported.
    orphans = set()
    for t in title_set:
        j = t - 1
        it = items[j] if j >= 0 else None
        title = items[t]
        assert title is not None
        if (
            it is not None
            and j not in title_set
            and _title_like(it.text)
            and numbering_style(it.text) is not None
            and numbering_style(it.text) == numbering_style(title.text)
        ):
            orphans.add(j)
            warnings.append(Warning_(code="free_text_orphan_heading", message=f"标题下没有绩效目标：{it.text}", line=it.no))
    boundaries = title_set | orphans

    consumed: set[int] = set()
    blocks: list[tuple[int | None, int]] = [(titles[k], k) for k in anchors]
    # 绩效指标 paragraphs that no 绩效目标 claimed become blocks of their own, without a goal.
    results: list[FreeTextTarget] = []
    for title_k, k in blocks:
        goal = _collect(items, k, boundaries, stop_at_indicator=True)
        consumed.update(goal)
        nxt = goal[-1] + 1
        ind: list[int] = []
        if nxt < len(items) and (it := items[nxt]) is not None and INDICATOR_LABEL.match(it.text) and nxt not in boundaries:
            ind = _collect(items, nxt, boundaries, stop_at_indicator=False)
            consumed.update(ind)
        results.append(_target(items, title_k, goal, ind))
        if not results[-1].indicator_text:
            warnings.append(
                Warning_(code="free_text_no_indicators", message=f"绩效目标后没有绩效指标：{results[-1].title}", line=results[-1].start_line)
            )
    for k, it in enumerate(items):
        if it is None or k in consumed or not INDICATOR_LABEL.match(it.text):
            continue
        ind = _collect(items, k, boundaries, stop_at_indicator=False)
        consumed.update(ind)
        results.append(_target(items, _title_index(items, k), [], ind))
    results.sort(key=lambda r: r.start_line)
    return results, warnings


def _collect(items: list[_Item | None], k: int, boundaries: set[int], *, stop_at_indicator: bool) -> list[int]:
    """Indices of the labelled line at k and the lines that continue it."""
    out = [k]
    j = k + 1
    while j < len(items):
        it = items[j]
        if j in boundaries or _stop(it):
            break
        assert it is not None
        if stop_at_indicator and INDICATOR_LABEL.match(it.text):
            break
        out.append(j)
        j += 1
    return out


def _strip_label(text: str) -> str:
    return INDICATOR_LABEL.sub("", GOAL_LABEL.sub("", text, count=1), count=1).strip()


def _target(items: list[_Item | None], title_k: int | None, goal: list[int], ind: list[int]) -> FreeTextTarget:
    def lines(idx: list[int]) -> list[_Item]:
        return [it for i in idx if (it := items[i]) is not None]

    goal_items, ind_items = lines(goal), lines(ind)
    if goal_items and not ind_items:
        goal_items, ind_items = _split_inline(goal_items)
    title_item = items[title_k] if title_k is not None else None
    first = title_item or (goal_items or ind_items)[0]
    last = (ind_items or goal_items)[-1]
    goal_text = "\n".join([_strip_label(goal_items[0].text), *[i.text for i in goal_items[1:]]]) if goal_items else ""
    ind_text = "\n".join([_strip_label(ind_items[0].text), *[i.text for i in ind_items[1:]]]) if ind_items else ""
    return FreeTextTarget(
        title=strip_numbering(title_item.text) if title_item else "",
        level=first.context,
        goal_text=goal_text,
        indicator_text=ind_text,
        start_line=first.no,
        end_line=last.no,
        goal_lines=(goal_items[0].no, goal_items[-1].no) if goal_items else None,
        indicator_lines=(ind_items[0].no, ind_items[-1].no) if ind_items else None,
    )


_INLINE_INDICATOR = re.compile(r"(?<=[。；;，,\s])绩效指标\s*[:：]")


def _split_inline(goal_items: list[_Item]) -> tuple[list[_Item], list[_Item]]:
    """`绩效目标：…。绩效指标：…` on one line: the line is shared by both parts."""
    for n, it in enumerate(goal_items):
        m = _INLINE_INDICATOR.search(it.text, 1)
        if m:
            head = _Item(it.no, it.text[: m.start()].rstrip(), it.context)
            tail = _Item(it.no, it.text[m.start():], it.context)
            return [*goal_items[:n], head], [tail, *goal_items[n + 1:]]
    return goal_items, []


# ---------------------------------------------------------------- linking


def name_similarity(a: str, b: str) -> float:
    """1.0 for the same name; containment (接待费 in 会议接待费) scores by how much of the longer it covers."""
    ka, kb = match_key(a), match_key(b)
    if not ka or not kb:
        return 0.0
    if ka == kb:
        return 1.0
    score = SequenceMatcher(None, ka, kb).ratio()
    short, long_ = sorted((ka, kb), key=len)
    if len(short) >= 2 and short in long_:
        score = max(score, 0.6 + 0.4 * len(short) / len(long_))
    return score


# Fuzzy name comparisons cost targets x projects; above this many pairs (far beyond any real
# disclosure: the largest sample has ~60 x 60) only exact names are linked, so the stage stays
# linear in the input instead of taking minutes on a huge or adversarial file.
MAX_FUZZY_PAIRS = 200_000


def _similarity(tk: str, pk: str, matcher: SequenceMatcher[str]) -> tuple[float, float]:
    """(upper bound, score) of name_similarity for two non-empty, different keys; the matcher has pk as seq2.

    The bound (real_quick_ratio, or the containment score) is cheap; the score is computed only
    when the caller needs it (score is -1 when not computed)."""
    short, long_ = sorted((tk, pk), key=len)
    contained = 0.6 + 0.4 * len(short) / len(long_) if len(short) >= 2 and short in long_ else 0.0
    matcher.set_seq1(tk)
    return max(matcher.real_quick_ratio(), contained), contained


def link_projects(targets: list[FreeTextTarget], projects: list[Project]) -> None:
    """Set linked_project to the best-matching table project name, when one is close enough.

    Same result as comparing every pair with name_similarity (first best project wins), but each
    project's key and matcher are built once, exact names are a dictionary lookup, and a pair whose
    cheap upper bound cannot win is skipped."""
    keys = [match_key(p.name) for p in projects]
    exact: dict[str, Project] = {}
    for p, k in zip(projects, keys, strict=True):
        if k:
            exact.setdefault(k, p)
    fuzzy = len(targets) * len(projects) <= MAX_FUZZY_PAIRS
    matchers: list[SequenceMatcher[str] | None] = []
    if fuzzy:
        for k in keys:
            m: SequenceMatcher[str] | None = None
            if k:
                m = SequenceMatcher(None)
                m.set_seq2(k)
            matchers.append(m)
    for t in targets:
        if not t.title:
            continue
        tk = match_key(t.title)
        if not tk:
            t.linked_project = None
            continue
        if tk in exact:
            t.linked_project = exact[tk].name
            continue
        best, best_score = None, 0.0
        if fuzzy:
            for p, pk, matcher in zip(projects, keys, matchers, strict=True):
                if matcher is None:
                    continue
                bound, contained = _similarity(tk, pk, matcher)
                if bound < LINK_THRESHOLD or bound <= best_score:
                    continue
                score = max(matcher.ratio(), contained)
                if score >= LINK_THRESHOLD and score > best_score:
                    best, best_score = p, score
        t.linked_project = best.name if best else None
