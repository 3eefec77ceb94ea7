"""Text at the boundaries: Vietnamese is stored NFC-normalised, trimmed."""

import unicodedata


def nfc(text: str | None) -> str:
    """`text` in Unicode NFC with surrounding white space removed ('' for None)."""
    return unicodedata.normalize("NFC", text or "").strip()
