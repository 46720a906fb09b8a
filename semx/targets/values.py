"""Parse one 指标值 cell into an IndicatorValue (comparator, number, unit, kind, 万元).

The grammar lives in semx/vocab/values.py; this module only removes markup first (tags, LaTeX,
full-width digits, via the ingest normaliser) and keeps the raw text beside what was read.
"""

from __future__ import annotations

from decimal import Decimal

from semx.ingest import normalise_line
from semx.models import IndicatorValue
from semx.vocab import indicator_columns as IC
from semx.vocab.values import classify_unit, first_number, leading_op, read_value


def parse_value(raw: str) -> IndicatorValue:
    """Read `≥5 类`, `100%`, `=%100`, `≥13459.00(平方米)`, `不低于80%`, `长期使用` … keeping raw."""
    parts = read_value(normalise_line(raw or "").replace("\t", " "))
    return IndicatorValue(raw=raw, op=parts.op, number=parts.number, unit=parts.unit, kind=parts.kind, wan=parts.wan)


def compose_value(value: str, op: str = "", unit: str = "") -> str:
    """One value text from a template that prints the comparator and the unit in columns of their
    own (`≥ | 12 | 个`, `定性 | 持续提升 |`): `≥12个`, read by the one grammar like any other cell.
    An op cell that holds no comparator (定性, 定量, 正向) adds nothing; a unit the value already
    ends with is not repeated."""
    value, op, unit = value.strip(), squash_spaces(op), squash_spaces(unit)
    if not value and op:
        # the value ran into the op column (`定性按月发放`, `≥95`): what follows the op word is the value
        nature = next((w for w in (*IC.QUALITATIVE, *IC.QUANTITATIVE) if op.startswith(w)), "")
        rest = op[len(nature) :]
        found, after = leading_op(rest)
        if rest and (after or found is None):
            value, op = rest, ""
    if not value and unit and not is_unit_word(unit):
        # a value wider than its column spills into the unit's (space-aligned text): `定性 | | 明显改善`
        value, unit = unit, ""
    if not value:
        return ""
    prefix = ""
    if op and not leading_op(value)[0]:
        found, rest = leading_op(op)
        if found is not None and not rest:
            prefix = op
    if unit and not value.endswith(unit) and first_number(value) is not None:
        value = value + unit
    return prefix + value


def squash_spaces(text: str) -> str:
    return "".join(text.split())


def is_unit_word(text: str) -> bool:
    """Whether text is one unit word of the grammar (`个`, `%`, `万元`, `个工作日`)."""
    return classify_unit(Decimal(1), text)[0] == text
