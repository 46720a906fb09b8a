"""Find the parts of the 说明 (一、…九、) and the table block before them, whatever the source."""

from __future__ import annotations

import re

from semx.models import Line, Section

_NUMERALS = "一二三四五六七八九十"
_SECTION_HEAD = re.compile(r"^\s*([一二三四五六七八九十])\s*[、.．]\s*(\S.*)$")
_CONTENTS = re.compile(r"^目录$")
# A table row (八、其他收入  八、社会保障和就业支出  2,452.66) prints an amount; a heading does not.
_TABLE_ROW = re.compile(r"\t|\d\.\d\d(?!\d)")
_TOC_ENTRY = re.compile(r"(\.{3,}|…{2,})\s*\d*\s*$|\t\s*\d+\s*$")
_SECTION_KEYS: list[tuple[str, str]] = [
    # 决算 说明 parts that state figures by 功能分类 科目 (…(类)…(款)…(项) X 万元); first, because
    # "财政拨款收入支出决算总体情况" (财政拨款 only) must not be read as the 总体情况 of all funds.
    ("一般公共预算财政拨款支出决算情况", "final_general"),
    ("政府性基金预算财政拨款收入支出决算情况", "final_fund"),
    ("财政拨款收入支出决算总体情况", "final_appropriation"),
    ("职责", "duties"),
    ("机构设置", "duties"),
    ("基本情况", "duties"),
    ("预算安排", "overview"),
    ("总体情况", "overview"),
    ("机关运行", "running_costs"),
    ("三公", "three_public"),
    ("绩效", "performance"),
    ("政府采购", "procurement"),
    ("资产", "assets"),
    ("名词解释", "glossary"),
    ("其他", "other"),
]
# A TOC entry ends its line (dots or a tab, then a page number), so only the line's tail is
# searched: on a 40,000-tab line the pattern backtracks quadratically.
_TOC_TAIL = 256


def _toc_entry(text: str) -> bool:
    return _TOC_ENTRY.search(text[-_TOC_TAIL:]) is not None


_TABLE_TITLE = re.compile(r"(收支总表|收入总表|支出总表|支出表|预算公开表)\s*$")


def _contents_lines(lines: list[Line]) -> range:
    """The 目录 block: from its title to the line before its first entry is printed again.

    A 目录 without page numbers looks like the headings themselves; the body starts where an
    entry of it comes again (第一部分 …).
    """
    start = next((i for i, ln in enumerate(lines) if _CONTENTS.match("".join(ln.text.split()))), None)
    if start is None:
        return range(0)
    seen: set[str] = set()
    for ln in lines[start + 1:]:
        text = "".join(ln.text.split())
        if text in seen:
            return range(lines[start].no, ln.no)
        if text:
            seen.add(text)
    return range(0)


def _section_key(title: str) -> str | None:
    for word, key in _SECTION_KEYS:
        if word in title:
            return key
    return None


def split_sections(lines: list[Line]) -> list[Section]:
    """Find 一、…九、 of the 说明 and the table block before them.

    A heading is accepted only when its numeral is larger than the previous one,
    which skips sub-lists (一、总体绩效目标 inside 五) and table-of-contents lines.
    """
    heads: list[tuple[int, int, str, str]] = []  # (numeral, line, key, title)
    candidates: list[tuple[int, int, str | None, str]] = []  # (numeral, line, key, heading)
    for ln in lines:
        t = ln.text.strip()
        if _toc_entry(ln.text):
            continue
        m = _SECTION_HEAD.match(t)
        if not m or len(t) > 60 or _TABLE_ROW.search(t):
            continue
        candidates.append((_NUMERALS.index(m.group(1)) + 1, ln.no, _section_key(m.group(2)), t))
    contents = _contents_lines(lines)
    last = 0
    for numeral, no, key, title in candidates:
        if no in contents:
            continue
        if key is None or numeral <= last:
            continue
        heads.append((numeral, no, key, title))
        last = numeral
    if not lines:
        return []
    end_of_doc = lines[-1].no
    sections: list[Section] = []
    first_head = heads[0][1] if heads else end_of_doc + 1
    table_start = next(
        (ln.no for ln in lines if ln.no < first_head and _TABLE_TITLE.search(ln.text.strip())
         and not _toc_entry(ln.text)),
        None,
    )
    if table_start is not None:
        sections.append(Section(key="tables", title="部门预算公开表", start_line=table_start, end_line=first_head - 1))
    for i, (_, start, key, title) in enumerate(heads):
        end = heads[i + 1][1] - 1 if i + 1 < len(heads) else end_of_doc
        sections.append(Section(key=key, title=title, start_line=start, end_line=end))  # type: ignore[arg-type]
    return sections


