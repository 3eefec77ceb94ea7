"""Normalisation of Vietnamese social-media text, with offsets back to the original.

The pipeline is a fixed list of stages. Each stage either keeps the length of the
text (a per-character translation) or records the replacements it made, so that
any span of the normalised text can be mapped back to the characters of the
original text that produced it. Mapping is lazy: the fast path (no span needed)
never builds per-character tables.

Stages, in order (the order matters for idempotence):
  1. control characters -> space; zero-width / format characters removed
  2. lower case, look-alike letters (Cyrillic, Greek, full-width, math alphabets) -> Latin
  3. NFC
  4. digits/symbols used as letters inside a word ("ch3t" -> "chet", "c0n" -> "con")
  5. separators between single letters ("đ.m" -> "đm", "n.g.u" -> "ngu")
  6. runs of 3+ identical non-digit characters -> one ("quáaaa" -> "quáa", "đmmm" -> "đm")
  7. tone-mark placement unified on the new style ("hoà" -> "hòa", "thuỷ" -> "thủy")
  8. teencode / abbreviations from data/teencode.json ("ko" -> "không", "đc" -> "được")
  9. whitespace runs -> one space, trimmed
"""

from __future__ import annotations

import json
import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

__all__ = ["Normalized", "normalize", "strip_diacritics", "teencode_map"]


# A stage that changed lengths: sorted (out_start, out_end, in_start, in_end) tuples.
_Edits = list[tuple[int, int, int, int]]


@dataclass(slots=True)
class Normalized:
    """Normalised text plus what is needed to map its offsets to the original."""

    original: str
    text: str
    _stages: list[_Edits] = field(default_factory=list, repr=False)

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map the half-open span [start, end) of `text` to a span of `original`."""
        start = max(0, min(start, len(self.text)))
        end = max(start, min(end, len(self.text)))
        for edits in reversed(self._stages):
            start = _back(edits, start, is_end=False)
            end = _back(edits, end, is_end=True)
        end = max(start, min(end, len(self.original)))
        return start, end


def _back(edits: _Edits, pos: int, *, is_end: bool) -> int:
    """Map a position in a stage's output to its input."""
    if not edits:
        return pos
    # Last edit starting at or before pos.
    i = bisect_right(edits, (pos, 1 << 62)) - 1
    if i < 0:
        return pos
    o0, o1, i0, i1 = edits[i]
    if pos == o0:
        # At the start of a replacement: a span ending here stops before it; a
        # span starting at a deletion skips the deleted characters.
        return i1 if (o0 == o1 and not is_end) else i0
    if pos < o1:
        # Inside a replacement: cover the whole input piece.
        return i1 if is_end else i0
    return i1 + (pos - o1)


def _sub(pattern: re.Pattern[str], repl, text: str) -> tuple[str, _Edits]:
    """re.sub that records its replacements (only those that changed the text)."""
    out: list[str] = []
    edits: _Edits = []
    last = 0
    opos = 0
    for m in pattern.finditer(text):
        s, e = m.span()
        r = repl(m)
        if r == m.group(0):
            continue
        chunk = text[last:s]
        out.append(chunk)
        opos += len(chunk)
        out.append(r)
        edits.append((opos, opos + len(r), s, e))
        opos += len(r)
        last = e
    if not edits:
        return text, edits
    out.append(text[last:])
    return "".join(out), edits


# ---------------------------------------------------------------- tables

_CONTROL = {c: " " for c in list(range(0, 9)) + [11, 12] + list(range(14, 32)) + [127]}
_FORMAT_RE = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]+")

_LOOKALIKE_PAIRS = {
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
    "с": "c", "т": "t", "у": "y", "х": "x", "і": "i", "ј": "j", "ѕ": "s", "ԁ": "d",
    "ɡ": "g", "ո": "n",
    # Greek
    "α": "a", "β": "b", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p",
    "τ": "t", "υ": "u", "χ": "x", "γ": "y",
}


@lru_cache(maxsize=1)
def _lookalike_table() -> dict[int, str]:
    table: dict[int, str] = dict(_CONTROL)
    for k, v in _LOOKALIKE_PAIRS.items():
        table[ord(k)] = v
    # Full-width ASCII and mathematical alphanumerics: one code point -> one letter.
    for cp in list(range(0xFF01, 0xFF5F)) + list(range(0x1D400, 0x1D800)):
        ch = chr(cp)
        try:
            n = unicodedata.normalize("NFKC", ch).lower()
        except ValueError:  # pragma: no cover - unassigned
            continue
        if len(n) == 1 and n != ch:
            table[cp] = n
    return table


@lru_cache(maxsize=1)
def _lookalike_re() -> re.Pattern[str]:
    # translate() with a large table is slow per character: only call it when needed.
    return re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_lookalike_table())) + "]")


_LETTER = "a-zà-ỹđ"  # after lower-casing and NFC, Vietnamese letters live here
_LEET = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"}
_LEET_RE = re.compile(f"(?<=[{_LETTER}])[013457@$]+(?=[{_LETTER}])")
_SEP_RE = re.compile(r"(?<![\w])[^\W\d_](?:[.\-_'`~^+|]+[^\W\d_])+(?![\w])")
_SEP_CHARS = re.compile(r"[.\-_'`~^+|]+")
_REPEAT_RE = re.compile(r"([^\d\s])\1{2,}")
_WS_RE = re.compile(r"\s{2,}|[^\S ]")  # single spaces never match: fewer callbacks
_TOKEN_RE = re.compile(r"[\w*]+")

# Old-style tone placement on open syllables oa/oe/uy -> new style ("hoà" -> "hòa").
_TONES_A = "àáảãạ"
_TONES_E = "èéẻẽẹ"
_TONES_Y = "ỳýỷỹỵ"
_TONE_O = "òóỏõọ"
_TONE_U = "ùúủũụ"
_TONE_MAP: dict[str, str] = {}
for _i in range(5):
    _TONE_MAP["o" + _TONES_A[_i]] = _TONE_O[_i] + "a"
    _TONE_MAP["o" + _TONES_E[_i]] = _TONE_O[_i] + "e"
    _TONE_MAP["u" + _TONES_Y[_i]] = _TONE_U[_i] + "y"
_TONE_RE = re.compile(
    f"(?<!q)(?:o[{_TONES_A}{_TONES_E}]|u[{_TONES_Y}])(?![{_LETTER}])"
)


@lru_cache(maxsize=1)
def teencode_map() -> dict[str, str]:
    raw = json.loads(
        resources.files("cyberyouth.safety").joinpath("data/teencode.json").read_text("utf-8")
    )["map"]
    out: dict[str, str] = {}
    for k, v in raw.items():
        # Normalise keys and values with the earlier stages so lookups always match.
        k2 = _pre(k)[0]
        v2 = _pre(v)[0]
        if k2 and k2 != v2:
            out[k2] = v2
    return out


def _strip_table() -> dict[int, str]:
    table: dict[int, str] = {ord("đ"): "d", ord("Đ"): "D"}
    for cp in range(0xC0, 0x1EFA):
        ch = chr(cp)
        d = unicodedata.normalize("NFD", ch)
        if len(d) > 1 and d[0].isascii() and d[0].isalpha():
            table[cp] = d[0]
    return table


_STRIP = _strip_table()


def strip_diacritics(text: str) -> str:
    """Remove Vietnamese diacritics, keeping the length ("đéo" -> "deo")."""
    return text.translate(_STRIP)


# ---------------------------------------------------------------- pipeline


def _lower(text: str) -> str:
    low = text.lower()
    if len(low) == len(text):
        return low
    # A few characters lower-case to two code points (e.g. "İ"); keep those as they are.
    return "".join(c if len(lc := c.lower()) != 1 else lc for c in text)


def _nfc(text: str) -> tuple[str, _Edits]:
    if unicodedata.is_normalized("NFC", text):
        return text, []
    # Normalise cluster by cluster (a base and its combining marks) to keep offsets.
    out: list[str] = []
    edits: _Edits = []
    opos = 0
    i = 0
    n = len(text)
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(text[j]):
            j += 1
        chunk = text[i:j]
        norm = unicodedata.normalize("NFC", chunk)
        out.append(norm)
        if norm != chunk:
            edits.append((opos, opos + len(norm), i, j))
        opos += len(norm)
        i = j
    res = "".join(out)
    if not unicodedata.is_normalized("NFC", res):
        # Hangul jamo and similar compose across clusters: fall back to whole-text NFC
        # with a single coarse edit (offsets degrade to the whole text, never wrong).
        res = unicodedata.normalize("NFC", text)
        return res, [(0, len(res), 0, n)]
    return res, edits


def _pre(text: str) -> tuple[str, list[_Edits]]:
    """Stages 1-7 (everything but teencode and whitespace)."""
    stages: list[_Edits] = []
    t, e = _sub(_FORMAT_RE, lambda m: "", text)
    if e:
        stages.append(e)
    t = _lower(t)
    if _lookalike_re().search(t):
        t = t.translate(_lookalike_table())
    t, e = _nfc(t)
    if e:
        stages.append(e)
    if _LEET_RE.search(t):
        t = _LEET_RE.sub(lambda m: "".join(_LEET[c] for c in m.group(0)), t)  # same length
    t, e = _sub(_SEP_RE, lambda m: _SEP_CHARS.sub("", m.group(0)), t)
    if e:
        stages.append(e)
    t, e = _sub(_REPEAT_RE, lambda m: m.group(1), t)
    if e:
        stages.append(e)
    if _TONE_RE.search(t):
        t = _TONE_RE.sub(lambda m: _TONE_MAP[m.group(0)], t)  # same length
    return t, stages


def normalize(text: str) -> Normalized:
    """Normalise `text`; never raises for any str."""
    if not isinstance(text, str):
        text = str(text)
    t, stages = _pre(text)
    tc = teencode_map()
    # Cheap membership test first: most comments have no teencode at all.
    if not tc.keys().isdisjoint(_TOKEN_RE.findall(t)):
        t, e = _sub(_TOKEN_RE, lambda m: tc.get(m.group(0), m.group(0)), t)
        stages.append(e)
    if _WS_RE.search(t):
        t, e = _sub(_WS_RE, lambda m: " ", t)
        stages.append(e)
    if t[:1] == " " or t[-1:] == " ":
        lead = 1 if t[:1] == " " else 0
        trail = 1 if len(t) > lead and t[-1:] == " " else 0
        e2: _Edits = []
        if lead:
            e2.append((0, 0, 0, 1))
        t2 = t[lead : len(t) - trail]
        if trail:
            e2.append((len(t2), len(t2), len(t) - 1, len(t)))
        t = t2
        stages.append(e2)
    return Normalized(text, t, stages)
