"""Where a result is, written the way an auditor finds it: 第 N 页 in a PDF, 第 N 行 in a text.

semx numbers the lines of every source, but a PDF has no line numbers an auditor can see: line
427 of the 万里街道 PDF is somewhere on its page 31, and "第427行" sends the reader looking for a
line that is not printed. So every position shown for a paged source is its page, and the line
numbers that flag reasons and finding messages cite (written by the scorer and the checks, which
do not know pages) are turned into pages here, when each cited line has one. A text source keeps
its lines: there they are what the reader's editor shows.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from semx.vocab.pages import page_label

PageOf = Mapping[int, int | None]

# "第514行", "第566、567、568行", "第431—446行" (— or - or – between the ends of a range)
_CITED = re.compile(r"第(\d+(?:\s*[、，,—–\-]\s*\d+)*)\s*行")


def line_label(first: int, last: int | None = None) -> str:
    return f"第 {first} 行" if last is None or last == first else f"第 {first}–{last} 行"


def position(first: int, last: int | None, page: int | None, end_page: int | None) -> str:
    """第 N 页 (第 N–M 页) for a paged source, else 第 L 行 (第 L–K 行)."""
    return page_label(page, end_page) if page is not None else line_label(first, last)


def _pages_of(numbers: str, page_of: PageOf) -> list[int] | None:
    nums = [int(n) for n in re.findall(r"\d+", numbers)]
    if re.search(r"[—–\-]", numbers) and len(nums) == 2:
        nums = [nums[0], nums[1]]
    pages = [page_of.get(n) for n in nums]
    if not pages or any(p is None for p in pages):
        return None
    return sorted({p for p in pages if p is not None})


def cite_pages(text: str, page_of: PageOf) -> str:
    """The text with every "第N行" it cites turned into the page(s) of those lines.

    A citation is left as written when one of its lines has no page (a text source, or a line the
    reader did not keep), so a text document's reasons read exactly as the scorer wrote them.
    """
    if not page_of or not text:
        return text

    def sub(m: re.Match[str]) -> str:
        pages = _pages_of(m.group(1), page_of)
        if pages is None:
            return m.group(0)
        if len(pages) == 1:
            return page_label(pages[0])
        if pages == list(range(pages[0], pages[-1] + 1)):
            return page_label(pages[0], pages[-1])
        return "第 " + "、".join(str(p) for p in pages) + " 页"

    return _CITED.sub(sub, text)


def where(lines: list[int], page_of: PageOf, counts: bool = True) -> str:
    """The positions of several lines: pages (with how many places on each when `counts`) or lines, every one listed."""
    ordered = sorted(set(lines))
    if ordered and all(page_of.get(n) is not None for n in ordered):
        per_page: dict[int, int] = {}
        for n in ordered:
            p = page_of[n]
            assert p is not None
            per_page[p] = per_page.get(p, 0) + 1
        return "、".join(page_label(p) + (f"（{k}处）" if counts and k > 1 else "") for p, k in sorted(per_page.items()))
    parts = [page_label(page_of[n]) if page_of.get(n) else line_label(n) for n in ordered]
    return "、".join(dict.fromkeys(parts))
