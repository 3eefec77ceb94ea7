"""Amounts of money as Vietnamese write them → integer đồng (a format reader; no Django).

"1.250.000", "1 250 000", "1,250,000", "1.250.000 đ", "1.250.000,00" and an Excel number all read
as 1250000. Refused, with a message a person can act on: a negative amount ("-5.000",
"(5.000)"), a fraction of a đồng ("1.250,5"), groups that are not of three digits ("12.50.000"),
dots and commas mixed so that the amount is ambiguous ("1,250.000"), letters. One separator followed by exactly three digits is a thousands separator ("1.250" is
one thousand two hundred and fifty đồng, as Vietnamese write it), never a decimal point.
"""

import re
import unicodedata
from decimal import Decimal, InvalidOperation

MAX_VND = 10**15  # a thousand trillion đồng: above any budget line; guards bigint columns and typos

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009\u2007]+")
_CURRENCY = re.compile(r"(?:vnđ|vnd|đồng|dong|đ|d)\.?$", re.IGNORECASE)
_GROUPED = re.compile(r"^\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*$")


class AmountError(ValueError):
    """The message says what is wrong, in Vietnamese."""


def parse_vnd(raw: object) -> int | None:
    """An amount (a cell, a form field, a JSON value) → int đồng, None when blank; AmountError
    when it is not a whole, non-negative number of đồng."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise AmountError("Số tiền phải là số.")
    if isinstance(raw, int):
        return _checked(raw)
    if isinstance(raw, float | Decimal):
        if raw != raw or raw in (float("inf"), float("-inf")):
            raise AmountError("Số tiền phải là số.")
        if raw < 0:
            raise AmountError("Số tiền không được âm.")
        if int(raw) != raw:
            raise AmountError("Số tiền tính bằng đồng, không có phần lẻ.")
        return _checked(int(raw))
    text = _SPACES.sub("", unicodedata.normalize("NFC", str(raw))).lower()
    text = _CURRENCY.sub("", text)
    if not text:
        return None
    if text.startswith(("-", "−", "(")) or text.endswith(")"):
        raise AmountError("Số tiền không được âm.")
    if text.startswith("+"):
        text = text[1:]
    if not text or not set(text) <= set("0123456789.,"):
        raise AmountError("Số tiền chỉ gồm chữ số và dấu phân cách (ví dụ 1.250.000).")
    if text.isdigit():
        return _checked(int(text))
    if _GROUPED.match(text):  # "1.250.000", "1,250,000"
        return _checked(int(re.sub(r"[.,]", "", text)))
    # a whole part grouped with one separator and a decimal part after the other ("1.250.000,00")
    last = max(text.rfind("."), text.rfind(","))
    whole, decimals = text[:last], text[last + 1:]
    if not decimals.isdigit() or len(decimals) > 2:
        # "1,250.000": a thousands group or three decimals? Refused rather than guessed.
        raise AmountError("Số tiền không đúng cách viết (ví dụ 1.250.000 hoặc 1 250 000).")
    whole_digits = whole if whole.isdigit() else (whole if _GROUPED.match(whole) else None)
    if whole_digits is None or (not whole.isdigit() and text[last] in whole):
        raise AmountError("Số tiền không đúng cách viết (ví dụ 1.250.000 hoặc 1 250 000).")
    if set(decimals) != {"0"}:
        raise AmountError("Số tiền tính bằng đồng, không có phần lẻ.")
    try:
        return _checked(int(re.sub(r"[.,]", "", whole)))
    except (ValueError, InvalidOperation):
        raise AmountError("Số tiền phải là số.") from None


def _checked(value: int) -> int:
    if value < 0:
        raise AmountError("Số tiền không được âm.")
    if value > MAX_VND:
        raise AmountError("Số tiền quá lớn.")
    return value


def format_vnd(value: int | None) -> str:
    """1250000 → "1.250.000" (for forms and templates; reports use reports.formatting)."""
    return "" if value is None else f"{value:,}".replace(",", ".")
