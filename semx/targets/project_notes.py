"""Per-project prose sections: `<项目名称>项目经费情况说明` with numbered parts 一、项目概况 … 七、绩效目标.

The Shanghai template (and others like it) explains each project in its own section; the
绩效目标 part is free text that states the project's goal, sometimes with quantified targets.
Each such part becomes a project-level FreeTextTarget. The section is recognised by its
structure (a heading ending in 经费情况说明 followed by a 项目概况/概述 part), not by a title list.

A part that only points at the form (`详见单位的项目绩效目标表`) states no goal: it becomes a
warning, not a target, so the LLM stage and the relevance check never read a pointer as prose.

The department-level `四、绩效目标设置情况` paragraph (a count and amount of projects) is not a
project section and is never taken here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from semx.models import FreeTextTarget, Line, Project, SourceDocument, Warning_
from semx.targets.freetext import link_projects
from semx.targets.text import NUMBERING, match_key, numbering_style, strip_numbering

# `兰溪路-真南路下立交工程项目经费情况说明`, or the bare `项目经费情况说明`.
_SECTION = re.compile(r"^(?P<name>.*?)(?:项目)?经费情况说明$")
# The first part of a section; its presence right below the heading is what makes it a section
# (a table of contents line `七、项目经费情况说明` is followed by other chapter titles).
_OVERVIEW = re.compile(r"^(?:项目概况|项目概述|项目基本情况|项目简介)")
_PART_WORDS = ("项目概况", "项目概述", "项目基本情况", "项目简介", "立项依据", "实施主体", "实施方案",
               "实施周期", "年度预算安排", "预算安排", "项目绩效目标", "绩效目标")
_PART_HEAD = re.compile(r"^(?:" + "|".join(_PART_WORDS) + r")\s*[:：]?\s*")
# A page number left in the text by an extractor (`- 30 -`, `30`, `第30页`): not part of the prose.
_PAGE_NO = re.compile(r"^[-—\s]*(?:第\s*)?\d{1,4}\s*页?[-—\s]*$")
# A form title right after the section: the goal part ends there even if the form was not read.
_FORM_TITLE = re.compile(r"绩效目标(?:填报|申报)?表\s*(?:[（(][^（）()]*[)）])?\s*$")
_CHAPTER = re.compile(r"^第[一二三四五六七八九十]+部分")
# `详见单位的项目绩效目标表`, `（包括总目标、年度目标、分解目标等，具体见表格）`.
_POINTER = re.compile(r"见.{0,12}表")
_POINTER_MAX = 60
_WRAP_MAX = 6  # longest tail of a wrapped heading on its own line
_SCAN = 4  # non-blank lines below a heading in which its 项目概况 part must start
# Share of a form project's name that must appear verbatim in the section's text to name it.
COVER_THRESHOLD = 0.75
_MIN_COVER = 4
_NAME_SPAN = 3000


@dataclass
class Section:
    """One 经费情况说明 section, by original line numbers."""

    heading: Line
    name: str
    overview: list[Line]
    goal_head: Line | None
    goal: list[Line]
    lines: list[Line]


def _text(ln: Line) -> str:
    return ln.text.strip()


def _part_word(text: str) -> str | None:
    """The part a numbered line opens (`七、绩效目标` -> 绩效目标), None for any other line."""
    if NUMBERING.match(text) is None:
        return None
    rest = strip_numbering(text)
    word = next((w for w in _PART_WORDS if rest.startswith(w)), None)
    return "绩效目标" if word == "项目绩效目标" else word


def _heading_name(text: str) -> str | None:
    """The project named by a section heading ("" for the bare heading), None when not one."""
    if "…" in text or "..." in text or len(text) > 80:
        return None  # table of contents line with leaders
    m = _SECTION.match(strip_numbering(text))
    return m.group("name").strip() if m else None


def _excluded(doc: SourceDocument, exclude: list[tuple[int, int]]) -> set[int]:
    """Line numbers inside the excluded ranges; one pass over each range, not every range per line."""
    last = doc.lines[-1].no if doc.lines else 0
    out: set[int] = set()
    for a, b in exclude:
        out.update(range(max(a, 0), min(b, last) + 1))
    return out


def find_sections(doc: SourceDocument, exclude: list[tuple[int, int]]) -> list[Section]:
    lines = [ln for ln in doc.lines if _text(ln)]
    skip = _excluded(doc, exclude)
    starts: list[tuple[int, str]] = []
    for i, ln in enumerate(lines):
        if ln.no in skip:
            continue
        name = _heading_name(_text(ln))
        if name is None and i + 1 < len(lines) and len(tail := _text(lines[i + 1])) <= _WRAP_MAX:
            # `…下立交工程项目经费情况说` / `明`: a long heading wrapped by the extractor.
            name = _heading_name(_text(ln) + tail)
        if name is None:
            continue
        below = lines[i + 1 : i + 1 + _SCAN]
        if any(_OVERVIEW.match(strip_numbering(_text(b))) and _part_word(_text(b)) for b in below):
            starts.append((i, name))
    sections = []
    for n, (i, name) in enumerate(starts):
        stop = starts[n + 1][0] if n + 1 < len(starts) else len(lines)
        sections.append(_section(lines[i:stop], name, skip))
    return sections


def _section(lines: list[Line], name: str, skip: set[int]) -> Section:
    heading, body = lines[0], lines[1:]
    part_style: str | None = None
    part: str | None = None
    overview: list[Line] = []
    goal: list[Line] = []
    goal_head: Line | None = None
    taken: list[Line] = [heading]
    for ln in body:
        text = _text(ln)
        word = _part_word(text)
        if ln.no in skip or _is_form_title(text) or _CHAPTER.match(text) or "\t" in text:
            break  # a form, the next chapter or a row of table cells: the section is over
        if _PAGE_NO.match(text):
            continue
        if word is None and part_style is not None and numbering_style(text) == part_style and part == "绩效目标":
            break  # `八、…` after the last part: the next chapter, not goal prose
        if word is not None:
            part_style = part_style or numbering_style(text)
            part = "绩效目标" if word == "绩效目标" else word
            taken.append(ln)
            goal_head = ln if part == "绩效目标" else goal_head
            # `七、绩效目标：新建…` carries its first line of prose on the heading line.
            inline = _PART_HEAD.sub("", strip_numbering(text), count=1).strip()
            if inline:
                _keep(ln.model_copy(update={"text": inline}), part, overview, goal)
            continue
        taken.append(ln)
        _keep(ln, part, overview, goal)
    return Section(heading, name, overview, goal_head, goal, taken)


def _keep(ln: Line, part: str | None, overview: list[Line], goal: list[Line]) -> None:
    if part == "绩效目标":
        goal.append(ln)
    elif part is not None and _OVERVIEW.match(part):
        overview.append(ln)


def _is_form_title(text: str) -> bool:
    # `详见单位的项目绩效目标表` also ends in 绩效目标表 but refers to the form, it does not title one.
    return len(text) <= 40 and "见" not in text and bool(_FORM_TITLE.search(text))


def _is_pointer(goal: list[Line]) -> bool:
    text = "".join(_text(g) for g in goal)
    return len(text) <= _POINTER_MAX and bool(_POINTER.search(text)) and not re.search(r"\d", text)


def _overview_name(overview: list[Line]) -> str:
    """`由…建设的万里街道社区公共服务中心新建工程，位于…` -> the 工程 / 项目 named in the first clause."""
    if not overview:
        return ""
    first = re.split(r"[，,。；;]", _text(overview[0]), maxsplit=1)[0]
    name = first.rsplit("的", 1)[-1].strip()
    return name if 4 <= len(name) <= 40 and name.endswith(("工程", "项目")) else ""


def _cover(key: str, text: str) -> float:
    """Share of key found as one run in text."""
    m = SequenceMatcher(None, key, text, autojunk=False).find_longest_match(0, len(key), 0, len(text))
    return m.size / len(key) if m.size >= _MIN_COVER else 0.0


def _named_in(section: Section, projects: list[Project]) -> Project | None:
    """The form project whose name the section's prose spells out (overview first, then the rest);
    on a tie the first form after the section heading, the one the template prints next."""
    # A name is spelt out near the top of a part; capping the text keeps the search linear in the
    # number of projects however long an adversarial section is.
    texts = ["".join(_text(ln) for ln in section.overview)[:_NAME_SPAN],
             "".join(_text(ln) for ln in section.lines)[:_NAME_SPAN]]
    for text in texts:
        key_text = match_key(text)
        scored = [(p, _cover(k, key_text)) for p in projects if len(k := match_key(p.name)) >= _MIN_COVER]
        good = [(p, s) for p, s in scored if s >= COVER_THRESHOLD]
        if good:
            top = max(s for _, s in good)
            best = [p for p, s in good if s == top]
            after = [p for p in best if p.start_line > section.heading.no]
            return min(after, key=lambda p: p.start_line) if after else best[0]
    return None


def parse_project_notes(
    doc: SourceDocument, exclude: list[tuple[int, int]], projects: list[Project]
) -> tuple[list[FreeTextTarget], list[Warning_], list[tuple[int, int]]]:
    """Targets from every section's 绩效目标 part, warnings for sections without one, and the
    line ranges of all sections (so the labelled-prose reader does not read them twice)."""
    targets: list[FreeTextTarget] = []
    warnings: list[Warning_] = []
    ranges: list[tuple[int, int]] = []
    for s in find_sections(doc, exclude):
        ranges.append((s.heading.no, s.lines[-1].no))
        named = _named_in(s, projects)
        label = s.name or _overview_name(s.overview) or (named.name if named else "项目经费情况说明")
        if s.goal_head is None or not s.goal:
            warnings.append(Warning_(code="project_note_no_goal", message=f"项目经费情况说明没有绩效目标部分：{label}",
                                     line=s.heading.no))
            continue
        if _is_pointer(s.goal):
            warnings.append(Warning_(code="project_note_goal_in_form",
                                     message=f"项目经费情况说明的绩效目标只指向绩效目标表：{label}", line=s.goal_head.no))
            continue
        t = FreeTextTarget(
            title=s.name or _overview_name(s.overview),
            level="project",
            goal_text="\n".join(_text(g) for g in s.goal),
            indicator_text="",
            start_line=s.heading.no,
            end_line=s.goal[-1].no,
            goal_lines=(s.goal[0].no, s.goal[-1].no),
        )
        if t.title:
            link_projects([t], projects)
        if t.linked_project is None and named is not None:
            t.linked_project = named.name
        if not t.title:
            t.title = t.linked_project or ""
        targets.append(t)
    return targets, warnings, ranges
