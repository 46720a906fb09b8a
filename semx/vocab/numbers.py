"""The one number reader: digits with thousands separators, sign and fraction, as Decimal.

Every parser that turns document text into a number (indicator values, table amounts, free-text
amounts, the scorer's re-reading of values) goes through `to_decimal` or `read_number`, so the
grammar and its limits live in one place.

Why a digit limit: Decimal's default context has 28 significant digits, and `quantize` raises
InvalidOperation beyond that, so a mutated or garbled cell with 30 digits used to crash the
parser. No published budget figure has more than a dozen digits; a literal with more than
MAX_DIGITS digits is reported as "too long to be a number" (`is_too_long`) and read as no
number, never raised and never converted through float (which would overflow or lose digits).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

# Generous next to any real figure (万元 amounts have at most ~12 digits), and small enough
# that a sum of thousands of such amounts times a 万/亿 factor stays within 28 digits.
MAX_DIGITS = 20

# A number as documents print it: optional sign, digits with optional `,` thousands groups,
# optional fraction; or a bare fraction `.5`.
NUMBER = re.compile(r"[-+]?(?:\d+(?:,\d{3})*(?:\.\d+)?|\.\d+)")
_FULL = re.compile(rf"^{NUMBER.pattern}$")
_DIGIT = re.compile(r"\d")


def digit_count(literal: str) -> int:
    return len(_DIGIT.findall(literal))


def is_too_long(literal: str) -> bool:
    """True when the text holds a digit run longer than any figure semx reads as a number."""
    return digit_count(literal) > MAX_DIGITS


def to_decimal(literal: str) -> Decimal | None:
    """Decimal of a literal the caller's grammar matched (commas allowed); None when too long or invalid."""
    if is_too_long(literal):
        return None
    try:
        return Decimal(literal.replace(",", "").replace("，", ""))
    except InvalidOperation:
        return None


def read_number(text: str) -> Decimal | None:
    """The whole text as one number (`1,234.50`, `-3`, `.5`), else None."""
    t = text.strip()
    if not _FULL.match(t):
        return None
    return to_decimal(t)


def tidy(d: Decimal) -> Decimal:
    """10.0000 -> 10 and 1E+1 -> 10, so values compare and print as people write them."""
    if d == d.to_integral_value():
        try:
            return d.quantize(Decimal(1))
        except InvalidOperation:  # beyond the context precision: keep the value as it is
            return d
    return d.normalize()


def fmt2(amount: Decimal) -> str:
    """Two decimals, as budget tables print them; never raises for a huge value."""
    try:
        return f"{amount.quantize(Decimal('0.01')):.2f}"
    except InvalidOperation:
        return f"{amount:.2f}"


__all__ = ["MAX_DIGITS", "NUMBER", "digit_count", "fmt2", "is_too_long", "read_number", "tidy", "to_decimal"]
