"""Split a 绩效目标 text into its numbered goals.

Goals are numbered 1. 2. 3. (or 1、 / 1．), on separate lines or inline. Only a
sequential number counts as a boundary, so `3.8 万元`, `2020 年` or `[2016]55 号`
inside a goal never split it.
"""

from __future__ import annotations

import re
from itertools import pairwise

from semx.targets.text import join_wrapped, strip_numbering


def _marker(n: int) -> re.Pattern[str]:
    # The number must start the text or follow whitespace / sentence punctuation, and must
    # not be the integer part of a decimal.
    return re.compile(rf"(?:^|(?<=[\s。；;，,：:！!）)]))[（(]?{n}\s*[)）]?\s*[.、．](?!\d)")


def split_goals(text: str | None) -> list[str]:
    if not text or not text.strip():
        return []
    body = text.strip()
    first = _marker(1).match(body)
    if not first:
        return [join_wrapped(body)]
    starts = [0]
    n, pos = 2, first.end()
    while True:
        m = _marker(n).search(body, pos)
        if not m:
            break
        starts.append(m.start())
        pos, n = m.end(), n + 1
    starts.append(len(body))
    goals = []
    for a, b in pairwise(starts):
        goal = join_wrapped(strip_numbering(body[a:b]))
        if goal:
            goals.append(goal)
    return goals
