"""Text at the boundaries: Vietnamese is stored NFC-normalised, trimmed — and sorted in Vietnamese order."""

import unicodedata
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")


def nfc(text: str | None) -> str:
    """`text` in Unicode NFC with surrounding white space removed ('' for None)."""
    return unicodedata.normalize("NFC", text or "").strip()


# Vietnamese alphabetical order (ă, â after a; đ after d; ê after e; ô, ơ after o; ư after u), with
# the letters Vietnamese borrows (f, j, w, z) where the Latin alphabet puts them.
_ALPHABET = ("a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o",
             "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z")
_LETTER_RANK = {letter: rank for rank, letter in enumerate(_ALPHABET)}
# Marks that make another letter (breve, circumflex, horn) — the rest of the marks are tones.
_LETTER_MARKS = frozenset("\u0306\u0302\u031b")
# Tones, second level, in the order of the Unicode collation for Vietnamese (CLDR, as PostgreSQL's
# ICU collation "vi-x-icu" applies it): none, huyền, hỏi, ngã, sắc, nặng.
_TONE_RANK = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
# Spaces and punctuation come before digits, digits before letters (as in ICU's root order).
_PUNCTUATION = "_-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$"


def _elements(text: str) -> Iterator[tuple[str, int, bool]]:
    """(letter, tone, upper) for each character of `text` with its combining marks folded in."""
    decomposed = unicodedata.normalize("NFD", text)
    i = 0
    while i < len(decomposed):
        base, marks = decomposed[i], []
        i += 1
        while i < len(decomposed) and unicodedata.combining(decomposed[i]):
            marks.append(decomposed[i])
            i += 1
        letter_marks = "".join(sorted(m for m in marks if m in _LETTER_MARKS))
        letter = unicodedata.normalize("NFC", base.lower() + letter_marks)
        tone = max((_TONE_RANK.get(m, 6) for m in marks if m not in _LETTER_MARKS), default=0)
        yield letter, tone, base != base.lower()


def _primary(letter: str) -> tuple[int, int]:
    if letter in _LETTER_RANK:
        return (3, _LETTER_RANK[letter])
    if letter.isspace():
        return (0, 0)
    if letter.isdigit():
        return (2, unicodedata.digit(letter, 0))
    if letter in _PUNCTUATION:
        return (1, _PUNCTUATION.index(letter))
    if letter.isalpha():
        return (4, ord(letter))
    return (1, len(_PUNCTUATION) + ord(letter))


def vi_key(text: str | None) -> tuple:
    """Sort key giving Vietnamese alphabetical order: letters first ("Đ…" after "D…", "Văn" before
    "Việt"), then tones, then lower case before upper case — the order PostgreSQL's ICU collation
    for Vietnamese gives, so that a list sorted in Python and one sorted by the database agree."""
    elements = list(_elements(nfc(text)))
    return (tuple(_primary(letter) for letter, _, _ in elements),
            tuple(tone for _, tone, _ in elements),
            tuple(upper for _, _, upper in elements))


def vi_sorted(items: Iterable[T], *, key: Callable[[T], str] | None = None) -> list[T]:
    """`items` sorted in Vietnamese order of `key(item)` (the item itself when no key)."""
    return sorted(items, key=lambda item: vi_key(key(item) if key else str(item)))


def fold(text: str | None) -> str:
    """`text` for matching what people type: lower case, no tone or letter marks, "đ" as "d"
    ("Cát Hải", "cat hai" and "CÁT HẢI" all fold to "cat hai")."""
    decomposed = unicodedata.normalize("NFD", nfc(text).casefold().replace("đ", "d"))
    return " ".join("".join(ch for ch in decomposed if not unicodedata.combining(ch)).split())


def matches(query: str | None, *texts: str | None) -> bool:
    """Whether every word of `query` begins a word of one of `texts`, folded (see `fold`):
    "cat ba" finds "Trường THCS Cát Bà", not "Xã Đồng Bài" of Cát Hải."""
    import re

    words = fold(query).split()
    haystack = re.findall(r"\w+", " ".join(fold(t) for t in texts))
    return bool(words) and all(any(w.startswith(word) for w in haystack) for word in (
        re.findall(r"\w+", " ".join(words))))

# Control characters no person types: NUL (PostgreSQL refuses it in text), the other C0 controls
# but tab and line breaks, DEL, the C1 controls. Refused at the input boundary (web.middleware)
# and in every imported row.
_CONTROL = "".join(chr(c) for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0)])
_CONTROL_TABLE = {ord(c): None for c in _CONTROL}


def has_control(text: str) -> bool:
    """True when `text` holds a control character no person types (tab and line breaks are fine)."""
    return len(text.translate(_CONTROL_TABLE)) != len(text)
