"""Cross-year copies: a 绩效目标 or indicator set carried over from the same unit's previous year.

Real documents of one unit are often made from last year's by changing the years and amounts
only; the targets then describe last year's work. In a batch holding several years of one
unit, a project of the later year whose goal text, or most of whose indicator rows, equal a
project of an earlier year once digits are removed (years, amounts, targets) is reported with
both sources. Identical typos survive the comparison, changed years and amounts do not count.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from semx.models import Flag
from semx.score.items import DocView, ProjectView
from semx.score.text import clean

_DIGITS = re.compile(r"[0-9０-９一二三四五六七八九十〇零]+(?:\.\d+)?")
_PUNCT = re.compile(r"[\s，,。；;：:、“”\"'（）()《》%％≥≤=<>～~—\-\.]")
MIN_GOAL_CHARS = 10
MIN_ROWS = 3
ROW_SHARE = 0.8


def _norm(text: str | None) -> str:
    return _PUNCT.sub("", _DIGITS.sub("#", clean(text)))


def _goal(pv: ProjectView) -> str:
    p = pv.project
    return _norm(p.goal_text or "\n".join(p.goals))


def _rows(pv: ProjectView) -> list[str]:
    return [_norm(f"{it.ind.level3}|{it.ind.description or ''}|{it.ind.value.raw}") for it in pv.items]


def _copied(later: ProjectView, earlier: ProjectView) -> str | None:
    g = _goal(later)
    if len(g) >= MIN_GOAL_CHARS and g == _goal(earlier):
        return "绩效目标"
    rows, before = _rows(later), set(_rows(earlier))
    if len(rows) >= MIN_ROWS:
        same = sum(r in before for r in rows)
        if same / len(rows) >= ROW_SHARE:
            return f"{same}/{len(rows)}个指标行"
    return None


def cross_year_copies(
    docs: Sequence[DocView], meta: Sequence[tuple[str | None, int | None]]
) -> dict[tuple[int, int], list[Flag]]:
    """(document index, project index) -> cross_year_copy flags; meta: (unit, year) per document."""
    out: dict[tuple[int, int], list[Flag]] = {}
    by_unit: dict[str, list[int]] = {}
    for i, (unit, year) in enumerate(meta):
        if unit and year:
            by_unit.setdefault(clean(unit), []).append(i)
    for idxs in by_unit.values():
        for li in idxs:
            ly = meta[li][1]
            assert ly is not None
            earlier = sorted((i for i in idxs if (meta[i][1] or 0) < ly), key=lambda i: -(meta[i][1] or 0))
            for pv in docs[li].projects:
                for ei in earlier:
                    hit = next(((q, what) for q in docs[ei].projects if (what := _copied(pv, q))), None)
                    if hit is None:
                        continue
                    q, what = hit
                    p = pv.project
                    out.setdefault((li, pv.index), []).append(
                        Flag(
                            code="cross_year_copy",
                            score=0.85 if what == "绩效目标" else 0.75,
                            reason=f"{ly}年项目“{p.name}”（{docs[li].key}，第{p.start_line}—{p.end_line}行）的{what}"
                            f"与{meta[ei][1]}年项目“{q.project.name}”（{docs[ei].key}，第{q.project.start_line}—"
                            f"{q.project.end_line}行）除年份和数字外逐字相同，系照搬上一年度。",
                        )
                    )
                    break  # the nearest earlier year is the source
    return out
