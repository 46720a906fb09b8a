"""Amounts as the checks see them: Decimal 万元, blank means zero, one tolerance."""

from __future__ import annotations

import re
from decimal import Decimal

from semx.vocab.numbers import fmt2, to_decimal

# Published figures are rounded to 0.01 万元; a sum of rounded parts may drift by a cent
# or two, so only a difference strictly above this is reported.
TOLERANCE = Decimal("0.01")
ZERO = Decimal(0)

_NUMBER = re.compile(r"^[+-]?(?:\d+(?:,\d{3})*)(?:\.\d+)?$|^[+-]?\.\d+$")
_BLANK = {"", "-", "—", "——", "－", "/", "／", "无"}


def cell_amount(cell: Decimal | str | None) -> Decimal | None:
    """Amount of a table cell; None when the cell holds text that is not a number."""
    if cell is None:
        return ZERO
    if isinstance(cell, Decimal):
        return cell
    text = cell.strip().replace(" ", "")
    if text in _BLANK:
        return ZERO
    if not _NUMBER.match(text):
        return None
    return to_decimal(text)


def is_blank(cell: Decimal | str | None) -> bool:
    return cell is None or (isinstance(cell, str) and cell.strip().replace(" ", "") in _BLANK)


def fmt(amount: Decimal | None) -> str:
    """Two decimals, as the tables print them."""
    if amount is None:
        return "—"
    return fmt2(amount)


def signed(amount: Decimal) -> str:
    text = fmt(amount)
    return text if amount < 0 else f"+{text}"
