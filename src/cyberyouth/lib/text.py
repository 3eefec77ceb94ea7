"""Text at the boundaries: Vietnamese is stored NFC-normalised, trimmed."""

import unicodedata


def nfc(text: str | None) -> str:
    """`text` in Unicode NFC with surrounding white space removed ('' for None)."""
    return unicodedata.normalize("NFC", text or "").strip()


# Control characters no person types: NUL (PostgreSQL refuses it in text), the other C0 controls
# but tab and line breaks, DEL, the C1 controls. Refused at the input boundary (web.middleware)
# and in every imported row.
_CONTROL = "".join(chr(c) for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0)])
_CONTROL_TABLE = {ord(c): None for c in _CONTROL}


def has_control(text: str) -> bool:
    """True when `text` holds a control character no person types (tab and line breaks are fine)."""
    return len(text.translate(_CONTROL_TABLE)) != len(text)
