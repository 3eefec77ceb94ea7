"""A text helper: Vietnamese names — NFC, and the key that sorts them as a Vietnamese class list does.

A class list is ordered by the given name (the last word), then by family and middle names;
letters follow the Vietnamese alphabet (a ă â b c d đ e ê g … ư v x y) and, among names that
differ only by tone, the tones come in the order ngang, huyền, hỏi, ngã, sắc, nặng. The key is a
string of digits, so the database orders it the same way in every collation (SQLite's binary
one and PostgreSQL's locale ones alike).
"""

import unicodedata

from cyberyouth.lib.text import nfc

_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER = {ch: i + 10 for i, ch in enumerate(_ALPHABET)}  # two digits each, 10..42
# Combining marks that make a different letter (ă â ê ô ơ ư) versus those that are tones.
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}
_TONE = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def clean_name(text: str | None) -> str:
    """A person's name as stored: NFC, single spaces."""
    return " ".join(nfc(text).split())


def _letters(word: str) -> tuple[str, str]:
    primary, tones = [], []
    for ch in word.lower():
        base, *marks = unicodedata.normalize("NFD", ch)
        letter = unicodedata.normalize("NFC", base + "".join(m for m in marks if m in _LETTER_MARKS))
        tone = next((_TONE[m] for m in marks if m in _TONE), 0)
        if letter in _LETTER:
            primary.append(f"{_LETTER[letter]:02d}")
        elif letter.isdigit():
            primary.append(f"{50 + int(letter):02d}")
        else:
            continue  # hyphens, apostrophes: ignored in the order
        tones.append(str(tone))
    return "".join(primary), "".join(tones)


def sort_key(full_name: str) -> str:
    """The Vietnamese class-list order of `full_name` as a digit string (see the module doc)."""
    words = clean_name(full_name).split()
    if not words:
        return ""
    ordered = [words[-1], *words[:-1]]
    parts = [_letters(w) for w in ordered]
    primary = "00".join(p for p, _ in parts)
    tones = "".join(t for _, t in parts)
    return f"{primary}0000{tones}"[:400]
