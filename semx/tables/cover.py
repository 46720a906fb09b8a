"""What the cover says: document kind (部门预算 / 单位预算 / 部门决算 / 单位决算), year and unit.

The cover is the first page of a paged source, else the lines before the first table title,
目录 or section heading. It prints the title ("上海市普陀区2023年区级部门预算",
"上海市普陀区财政局2024年度部门决算") and often a label line ("预算主管部门：…", "预算单位：…").
A label names the unit; without one, the text before the year does, unless it is only a place
(上海市普陀区; a place printed on the line above it is the name's first part), and failing that
a cover line of its own above the title.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import cast

from semx.models import DocumentKind, SourceDocument
from semx.tables.text import clean, compact

_COVER_LINES = 12
_TITLE = re.compile(
    r"^(?P<prefix>.*?)(?P<year>(?:19|20)\d{2})\s*年度?\s*(?:[区市县省州旗]级|本级)?\s*"
    r"(?P<scope>部门|单位)\s*(?:综合)?\s*(?P<what>预算|决算)"
)
_LABEL = re.compile(
    r"^(?:预算主管部门|主管部门|预算单位|决算单位|单位名称|部门名称|编制部门|编制单位)[:：]\s*(?P<name>\S.{1,60})$"
)
# A prefix that is only a place: 上海市普陀区, 河北省某某县.
_PLACE = re.compile(r"^(?:.{0,6}?(?:省|自治区))?(?:.{0,6}?市)?(?:.{0,6}?(?:区|县|旗|州))?$")
_STOP = re.compile(r"^(?:目\s*录|第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+[、.．])")


@dataclass(frozen=True)
class Cover:
    kind: DocumentKind | None = None
    year: int | None = None
    unit: str | None = None


def _cover_lines(doc: SourceDocument) -> list[str]:
    if doc.pages is not None:
        lines = [ln.text for ln in doc.lines if ln.page == 1]
    else:
        lines = []
        for ln in doc.lines:
            t = clean(ln.text)
            if not t:
                continue
            if _STOP.match(t) or "\t" in ln.text.strip() or len(lines) >= _COVER_LINES:
                break
            lines.append(t)
    return [clean(t) for t in lines if clean(t) and "\t" not in t.strip()][:_COVER_LINES]


def _is_place(text: str) -> bool:
    return bool(_PLACE.fullmatch(text))


def read_cover(doc: SourceDocument) -> Cover:
    """Kind, year and unit as the cover prints them; each None when the cover does not say."""
    lines = _cover_lines(doc)
    kind: DocumentKind | None = None
    year: int | None = None
    unit: str | None = None
    title_at: int | None = None
    for i, line in enumerate(lines):
        key = compact(line)
        # a title broken over two cover lines ("上海市普陀区2025年" / "区级部门预算")
        joined = key + compact(lines[i + 1]) if i + 1 < len(lines) else key
        m = _TITLE.match(key) or (_TITLE.match(joined) if not _LABEL.match(key) else None)
        if kind is None and m and len(m.group(0)) <= 60:
            kind = cast(DocumentKind, m.group("scope") + m.group("what"))
            year = int(m.group("year"))
            title_at = i
            prefix = m.group("prefix").strip("：:")
            if prefix and not _is_place(prefix):
                unit = prefix
                # the name printed over two cover lines, its place first (上海市普陀区 / 文化和旅游局)
                place = compact(lines[i - 1]) if i >= 1 else ""
                if place and _is_place(place) and not _LABEL.match(place):
                    unit = place + prefix
        if (m := _LABEL.match(key)) is not None:
            unit = m.group("name").strip()
            break
    if unit is None and title_at:
        above = compact(lines[title_at - 1])
        if 2 <= len(above) <= 40 and not _is_place(above) and not re.search(r"\d|[。，；]", above):
            unit = above
    return Cover(kind=kind, year=year, unit=unit)
