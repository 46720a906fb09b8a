"""How a page of the source is written in every output an auditor reads: 第 N 页 / 第 N–M 页."""

from __future__ import annotations


def page_label(first: int | None, last: int | None = None) -> str:
    """第 N 页 or 第 N–M 页; empty for a source without pages."""
    if first is None:
        return ""
    if last is None or last == first:
        return f"第 {first} 页"
    return f"第 {first}–{last} 页"


def pages_label(pages: list[int]) -> str:
    """第 2、5 页 for a finding that cites lines on several pages; empty for none."""
    return "第 " + "、".join(str(p) for p in pages) + " 页" if pages else ""
