"""Separate 项目总目标 and 年度目标 when text has lost the columns that held them side by side.

In one-span-per-line text (pdftotext -raw, PyMuPDF, pdfplumber's extract_text, pypdfium2) the two
goal cells of a 绩效目标填报表 come out one after the other, or with their wrapped pieces mixed,
under one label line `项目总目标 年度总体目标`. Only what the text itself shows is used to cut it:
- the two sides say the same thing: the block is one text written twice (the common case, and what
  the annual_copies_total rule looks for), also when each printed line holds a piece of each side
  (pdfplumber joins the two cells' lines that share a baseline): the lines cut, each at most once,
  into a left and a right piece whose runs spell the same text, in one way only;
- both sides are numbered 1. 2. 3.: the numbering starts again at 1 exactly once, where the annual
  side begins.
Anything else is left as one text (the caller warns): a wrong cut would put the total goal's words
in the annual goal, which is worse for an auditor than an unsplit block.
"""

from __future__ import annotations

import re

# `1.` `1、` `（1）` `1）` at the start of a line, the number captured.
_ITEM = re.compile(r"^\s*[（(]?(\d{1,2})\s*(?:[.、．]|[)）])(?!\d)")


def _cut_at_compact(text: str, count: int) -> tuple[str, str]:
    """text cut after its count-th non-space character."""
    seen = 0
    for i, ch in enumerate(text):
        if not ch.isspace():
            seen += 1
            if seen == count:
                return text[: i + 1], text[i + 1 :]
    return text, ""


def _doubled(text: str) -> tuple[str, str] | None:
    compact = re.sub(r"\s+", "", text)
    half, odd = divmod(len(compact), 2)
    if odd or not half or compact[:half] != compact[half:]:
        return None
    first, second = _cut_at_compact(text, half)
    return first.strip(), second.strip()


_MAX_STATES = 512  # a block that keeps more ways open than this is not read as one text twice


def _interleaved_twice(lines: list[str]) -> tuple[str, str] | None:
    """The lines as a left piece then a right piece each (either may be empty) whose runs are the
    same text: that text, if exactly one text does it. Compared without whitespace."""
    # state: what one run has beyond the other (left surplus, right surplus; one is empty) -> left run
    states: dict[tuple[str, str], set[str]] = {("", ""): {""}}
    compact = [re.sub(r"\s+", "", ln) for ln in lines]
    remaining = sum(len(ln) for ln in compact)
    for line in compact:
        remaining -= len(line)
        nxt: dict[tuple[str, str], set[str]] = {}
        for (extra_left, extra_right), runs in states.items():
            for k in range(len(line) + 1):
                left, right = extra_left + line[:k], extra_right + line[k:]
                if left.startswith(right):
                    key = (left[len(right) :], "")
                elif right.startswith(left):
                    key = ("", right[len(left) :])
                else:
                    continue
                if len(key[0]) + len(key[1]) > remaining:
                    continue  # the other run can no longer catch up
                nxt.setdefault(key, set()).update(run + line[:k] for run in runs)
        if not nxt or len(nxt) > _MAX_STATES or sum(len(r) for r in nxt.values()) > _MAX_STATES:
            return None
        states = nxt
    texts = states.get(("", ""), set()) - {""}
    if len(texts) != 1:
        return None
    text = texts.pop()
    return text, text


def _numbering_restarts(lines: list[str]) -> tuple[str, str] | None:
    """Two numbered lists one after the other: cut where the numbers go back to 1, if they do once."""
    numbers = [(k, int(m.group(1))) for k, ln in enumerate(lines) if (m := _ITEM.match(ln))]
    if not numbers or numbers[0] != (0, 1):
        return None
    restarts = [k for (k, n), (_, prev) in zip(numbers[1:], numbers, strict=False) if n == 1 and prev >= 1]
    # each side counts up by one from 1
    sequence_ok = all(n == prev + 1 or (k in restarts) for (k, n), (_, prev) in zip(numbers[1:], numbers, strict=False))
    if len(restarts) != 1 or not sequence_ok:
        return None
    cut = restarts[0]
    return "\n".join(lines[:cut]).strip(), "\n".join(lines[cut:]).strip()


_TOLERANCE = 2  # a full line may be a character short: a closing mark cannot start the next line
_MAX_LINES = 14  # every way of dealing the lines out to two sides is tried
_ENDS = tuple("。；;！!？?\"”）)")


def _width(line: str) -> int:
    """Printed width: a CJK or full-width character takes two columns, anything else one."""
    return sum(2 if ord(ch) >= 0x2E80 else 1 for ch in line.strip())


def _one_cell(widths: list[int], last: str) -> int | None:
    """The full width of one cell's wrapped lines: all but the last as wide as each other, the last
    no wider and ending its sentence; None when the lines are not one wrapped cell, or one line."""
    if len(widths) < 2 or not last.rstrip().endswith(_ENDS):
        return None
    full = widths[:-1]
    if max(full) - min(full) > _TOLERANCE or widths[-1] > max(full) + _TOLERANCE:
        return None
    return max(full)


def _cells_by_width(lines: list[str]) -> tuple[str, str] | None:
    """Two goal cells of different widths, printed one after the other or with their lines mixed
    (one span a line): the lines dealt out, in order, to two wrapped cells whose full lines differ
    in width, if exactly one way does it. The side holding the first line is the left one (总目标)."""
    if not 4 <= len(lines) <= _MAX_LINES or any(len(ln.split()) > 1 for ln in lines):
        return None  # a line with two spans is two sides joined: not this reader's case
    widths = [_width(ln) for ln in lines]
    found: list[tuple[list[int], list[int]]] = []
    for mask in range(1 << (len(lines) - 1)):
        left = [0] + [k for k in range(1, len(lines)) if not mask >> (k - 1) & 1]
        right = [k for k in range(1, len(lines)) if mask >> (k - 1) & 1]
        a = _one_cell([widths[k] for k in left], lines[left[-1]]) if right else None
        b = _one_cell([widths[k] for k in right], lines[right[-1]]) if a is not None else None
        if a is not None and b is not None and abs(a - b) > _TOLERANCE:
            found.append((left, right))
    if len(found) != 1:
        return None
    left, right = found[0]
    return "\n".join(lines[k] for k in left).strip(), "\n".join(lines[k] for k in right).strip()


def written_twice(lines: list[str]) -> str | None:
    """The text both sides carry, when the block is one text written twice (whole, or lines mixed)."""
    lines = [ln for ln in lines if ln.strip()]
    sides = _doubled("\n".join(lines)) or _interleaved_twice(lines) if lines else None
    return sides[0] if sides else None


def separate_sides(lines: list[str]) -> tuple[str, str] | None:
    """(项目总目标, 年度目标) from the goal block's lines in reading order, or None when the text does
    not show where one side ends."""
    lines = [ln for ln in lines if ln.strip()]
    if not lines:
        return None
    return (_doubled("\n".join(lines)) or _numbering_restarts(lines) or _interleaved_twice(lines)
            or _cells_by_width(lines))
