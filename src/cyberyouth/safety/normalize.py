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
  6. runs of 3+ identical non-digit characters -> one ("quáaaa" -> "quáa", "đmmm" -> "đm");
     a word of only k's is laughter and becomes "kk" ("kkkk"), never the teencode "k" (= "không")
  7. tone-mark placement unified on the new style ("hoà" -> "hòa", "thuỷ" -> "thủy")
  8. teencode / abbreviations from data/teencode.json ("ko" -> "không", "đc" -> "được")
  9. whitespace runs -> one space, trimmed

Fast path: no stage matches across whitespace (control characters that stage 1
turns into spaces count as whitespace), so `normalize` splits the text into tokens,
takes each token's normalised form from a cache (social-media vocabulary repeats
heavily) and joins them with single spaces; offsets are then mapped token by token
through the token's own stages, and only when a span is asked for.
`normalize_full` runs the stages on the whole text; tests check both agree on text
and offsets for arbitrary Unicode.
"""

from __future__ import annotations

import json
import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

__all__ = ["Normalized", "normalize", "normalize_full", "strip_diacritics", "teencode_map"]


# A stage that changed lengths: sorted (out_start, out_end, in_start, in_end) tuples.
_Edits = list[tuple[int, int, int, int]]


@dataclass(slots=True)
class Normalized:
    """Normalised text plus what is needed to map its offsets to the original."""

    original: str
    text: str
    # Per-stage edits of the whole text (`normalize_full`), or None: the fast path
    # (token cache) only builds `text`, and offsets are then mapped token by token.
    _stages: list[_Edits] | None = field(default=None, repr=False, compare=False)
    _tokens: list | None = field(default=None, repr=False, compare=False)

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map the half-open span [start, end) of `text` to a span of `original`."""
        start = max(0, min(start, len(self.text)))
        end = max(start, min(end, len(self.text)))
        if self._stages is None:
            if self._tokens is None:
                self._tokens = _token_table(self.original)
            if self._tokens:
                # A span starting at the very end skips everything normalisation
                # dropped after the last token (as the whole-text stages do).
                if start == len(self.text):
                    return len(self.original), len(self.original)
                start = _token_back(self._tokens, start, is_end=False)
                end = _token_back(self._tokens, end, is_end=True)
                return start, max(start, min(end, len(self.original)))
            self._stages = _full(self.original)[1]
        for edits in reversed(self._stages):
            start = _back(edits, start, is_end=False)
            end = _back(edits, end, is_end=True)
        end = max(start, min(end, len(self.original)))
        return start, end


# Control characters that stage 2 turns into spaces (those that are not whitespace
# already): the fast path treats them as separators, like the whole-text stages do.
_CTRL_SEP = "\x00-\x08\x0e-\x1b\x7f"
_CTRL_RE = re.compile(f"[{_CTRL_SEP}]")
_NONSPACE = re.compile(f"[^\\s{_CTRL_SEP}]+")  # tokens: same notion of whitespace as str.split


def _token_table(original: str) -> list[tuple[int, int, str, str]]:
    """(start in text, start in original, original token, normalised token) of each
    token that normalises to something: the normalised text is these joined by spaces."""
    out = []
    pos = 0
    for m in _NONSPACE.finditer(original):
        tok = m.group(0)
        r = _CACHE.get(tok)
        if r is None:
            r = _full(tok)[0]
        if r:
            out.append((pos, m.start(), tok, r))
            pos += len(r) + 1
    return out


def _token_back(tokens: list[tuple[int, int, str, str]], pos: int, *, is_end: bool) -> int:
    """Map a position of the normalised text through its token (stages are local to a
    token, so this equals mapping through the whole text's stages)."""
    j = bisect_right(tokens, (pos, 1 << 62)) - 1
    ns, a, tok, r = tokens[max(j, 0)]
    local = pos - ns
    if r == tok:
        return a + local
    for edits in reversed(_token_stages(tok)):
        local = _back(edits, local, is_end=is_end)
    return a + local


@lru_cache(maxsize=4096)
def _token_stages(tok: str) -> list[_Edits]:
    return _full(tok)[1]


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
        # Chain through the look-alike pairs ("𝜤" -> "ι" -> "i") so one pass is final.
        n = _LOOKALIKE_PAIRS.get(n, n)
        if len(n) == 1 and n != ch:
            table[cp] = n
    return table


@lru_cache(maxsize=1)
def _lookalike_re() -> re.Pattern[str]:
    # translate() with a large table is slow per character: only call it when needed.
    # The class is written as ranges: a class of 1,000+ single astral code points is
    # matched literal by literal (~40 us per comment); 46 ranges take ~1 us.
    ranges: list[list[int]] = []
    for c in sorted(_lookalike_table()):
        if ranges and ranges[-1][1] == c - 1:
            ranges[-1][1] = c
        else:
            ranges.append([c, c])
    body = "".join(
        re.escape(chr(a)) if a == b else re.escape(chr(a)) + "-" + re.escape(chr(b)) for a, b in ranges
    )
    return re.compile("[" + body + "]")


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


@lru_cache(maxsize=1)
def _teencode_re() -> tuple[re.Pattern[str] | None, dict[str, str]]:
    """Regex matching a whole token ([\\w*]+, maximal) that is a teencode key."""
    tc = teencode_map()
    keys = sorted((k for k in tc if _TOKEN_RE.fullmatch(k)), key=lambda k: (-len(k), k))
    if not keys:
        return None, tc
    return re.compile(r"(?<![\w*])(?:" + "|".join(map(re.escape, keys)) + r")(?![\w*])"), tc


def _space(m: re.Match[str]) -> str:
    return " "


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


def _empty(m: re.Match[str]) -> str:
    return ""


def _join_sep(m: re.Match[str]) -> str:
    return _SEP_CHARS.sub("", m.group(0))


def _first(m: re.Match[str]) -> str:
    c = m.group(1)
    # A word of only k's ("kkk", "kkkkk") is laughter, not a stretched teencode "k" (= "không"):
    # squashed to "k" it would turn "kkk vui quá" into "không vui quá". It becomes "kk".
    if c == "k":
        s, i, j = m.string, m.start(), m.end()
        if (i == 0 or not s[i - 1].isalpha()) and (j == len(s) or not s[j].isalpha()):
            return "kk"
    return c


def _pre(text: str) -> tuple[str, list[_Edits]]:
    """Stages 1-7 (everything but teencode and whitespace)."""
    stages: list[_Edits] = []
    t = text
    # Each stage is guarded by a search (one pass in C): most comments need few stages,
    # and a guarded stage costs ~0.5 us instead of a Python-level finditer loop.
    if _FORMAT_RE.search(t):
        t, e = _sub(_FORMAT_RE, _empty, t)
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
    if _SEP_RE.search(t):
        t, e = _sub(_SEP_RE, _join_sep, t)
        if e:
            stages.append(e)
    if _REPEAT_RE.search(t):
        t, e = _sub(_REPEAT_RE, _first, t)
        if e:
            stages.append(e)
    if _TONE_RE.search(t):
        t = _TONE_RE.sub(lambda m: _TONE_MAP[m.group(0)], t)  # same length
    return t, stages


_MAX_PASSES = 4


def _full(text: str) -> tuple[str, list[_Edits]]:
    """The whole pipeline on one string, run again on its own output until nothing changes (at
    most `_MAX_PASSES`): normalised text and per-stage edits. One pass is not always a fixed
    point: separators are joined only between single letters and repeats are squashed after, so
    "a_aaa" became "a_a" and only a second pass gave "aa" (found by the idempotence property
    test). No text of the datasets or of our set needed a second pass, so no model input moved."""
    t, stages = _pass(text)
    for _ in range(_MAX_PASSES - 1):
        if t == text:
            break
        text = t
        t, more = _pass(text)
        stages.extend(more)
    return t, stages


def _pass(text: str) -> tuple[str, list[_Edits]]:
    """One pass of the pipeline."""
    t, stages = _pre(text)
    rx, tc = _teencode_re()
    # One regex of all teencode tokens: the callback runs only on actual teencode.
    if rx is not None and rx.search(t):
        t, e = _sub(rx, lambda m: tc[m.group(0)], t)
        stages.append(e)
    if _WS_RE.search(t):
        t, e = _sub(_WS_RE, _space, t)
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
    return t, stages


# Token cache: every stage is local to a whitespace-free token (no pattern matches
# across whitespace, and whitespace runs become one space), so the normalised text
# is the normalised tokens joined by spaces. Social-media vocabulary repeats heavily:
# most tokens are found here, and a comment costs a split, lookups and a join.
# (tests/safety/test_normalize.py checks fast == full on arbitrary Unicode.)
_CACHE: dict[str, str] = {}
_CACHE_MAX = 100_000  # tokens (~20 MB at most); cleared when full
_CACHE_TOKEN_MAX = 48


def normalize(text: str) -> Normalized:
    """Normalise `text`; never raises for any str."""
    if not isinstance(text, str):
        text = str(text)
    cache = _CACHE
    split = _CTRL_RE.sub(" ", text).split() if _CTRL_RE.search(text) else text.split()
    out = list(map(cache.get, split))  # most tokens are cached: no Python loop over them
    if None in out:
        for j, tok in enumerate(split):
            if out[j] is None:
                r = cache.get(tok)  # an earlier token of this text may have filled it
                if r is None:
                    r = _full(tok)[0]
                    if len(tok) <= _CACHE_TOKEN_MAX:
                        if len(cache) >= _CACHE_MAX:
                            cache.clear()
                        cache[tok] = r
                out[j] = r
    return Normalized(text, " ".join(filter(None, out)))  # tokens normalised to "" dropped


def normalize_full(text: str) -> Normalized:
    """The same result as `normalize`, computed by the whole pipeline (no cache)."""
    if not isinstance(text, str):
        text = str(text)
    t, stages = _full(text)
    return Normalized(text, t, stages)
