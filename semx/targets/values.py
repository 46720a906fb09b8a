"""Parse one 指标值 cell into an IndicatorValue (comparator, number, unit, kind, 万元).

The grammar lives in semx/vocab/values.py; this module only removes markup first (tags, LaTeX,
full-width digits, via the ingest normaliser) and keeps the raw text beside what was read.
"""

from __future__ import annotations

from semx.ingest import normalise_line
from semx.models import IndicatorValue
from semx.vocab.values import read_value


def parse_value(raw: str) -> IndicatorValue:
    """Read `≥5 类`, `100%`, `=%100`, `≥13459.00(平方米)`, `不低于80%`, `长期使用` … keeping raw."""
    parts = read_value(normalise_line(raw or "").replace("\t", " "))
    return IndicatorValue(raw=raw, op=parts.op, number=parts.number, unit=parts.unit, kind=parts.kind, wan=parts.wan)
