"""Amounts as the checks see them: Decimal 万元, blank means zero, one tolerance."""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal

from semx.vocab.numbers import fmt2, to_decimal

# Published figures are rounded to 0.01 万元; a sum of rounded parts may drift by a cent
# or two, so only a difference strictly above this is reported.
TOLERANCE = Decimal("0.01")
ZERO = Decimal(0)

_NUMBER = re.compile(r"^[+-]?(?:\d+(?:,\d{3})*)(?:\.\d+)?$|^[+-]?\.\d+$")
_BLANK = {"", "-", "—", "——", "－", "/", "／", "无"}


def _exponent(value: Decimal) -> int | None:
    """The last printed digit of a figure in 万元; None for a whole 万元 figure, taken as exact
    (budgets are often set in whole 万元, and a check on them must still see a difference of 1)."""
    e = value.as_tuple().exponent
    return e if isinstance(e, int) and e < 0 else None


def printed_tolerance(values: Iterable[Decimal]) -> Decimal:
    """How far a printed total may be from the sum of its printed parts by rounding alone.

    Each figure is the true amount rounded at its last printed digit (the Decimal keeps it:
    2,976,800 元 is 297.6800 万元, 1,210.00 万元 is 1210.00), so it may be off by half a unit
    of that digit and the identity by the sum of those halves; zeros are exact, and so are
    whole 万元 figures. Never below one unit of the coarsest printed digit (0.01 万元 for the
    usual tables, TOLERANCE when no figure prints decimals), so a table printed in 元 is checked
    to the 元, not to the 100 元 that 0.01 万元 would allow.
    """
    digits = [e for e in (_exponent(v) for v in values if v) if e is not None]
    if not digits:
        return TOLERANCE
    halves = sum((Decimal(1).scaleb(e) / 2 for e in digits), ZERO)
    # the coarsest printed digit: 0.01 for 万元 printed with cents, 1 元 (0.0001) for whole 元
    return max(Decimal(1).scaleb(max(digits)), halves)


def copy_tolerance(a: Decimal, b: Decimal) -> Decimal:
    """How far two prints of one amount (not a sum) may be apart by rounding alone.

    Rounded at the same digit they are identical (269.85 against 269.86 is a misprint, not
    rounding); rounded at different digits (8252.79 万元 against 82,527,880.20 元) they are
    within half a unit of the coarser one.
    """
    ea, eb = a.as_tuple().exponent, b.as_tuple().exponent
    if not isinstance(ea, int) or not isinstance(eb, int) or ea == eb:
        return ZERO
    return Decimal(1).scaleb(max(ea, eb)) / 2


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
    return to_decimal(text)  # None for a digit run too long to be a figure


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
