"""Curated child-safety lexicons (data/lexicon.json) matched on normalised text.

Phrases are compiled into one trie-shaped regular expression per view, so a
comment is scanned once in C whatever the size of the lexicon. Multi-word
phrases are also matched on the text with diacritics removed ("tu tu" finds
"tự tử"), single words only with their diacritics (stripped single words are
too ambiguous: "dam" is both "dâm" and "đâm").
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from .normalize import normalize, strip_diacritics

__all__ = ["Hit", "Lexicon", "CATEGORIES", "load_lexicon"]

CATEGORIES = ("harassment", "sexual", "violence", "self_harm", "scam", "gambling", "drugs")


@dataclass(frozen=True, slots=True)
class Hit:
    """One lexicon match: a span of the normalised text."""

    start: int
    end: int
    phrase: str
    category: str
    weight: float


@lru_cache(maxsize=1)
def _strip_classes() -> dict[str, str]:
    """For each character, a regex class of every character that strips to it
    ("a" -> "[aàá…ẫ]", "d" -> "[dđ]"), so the diacritic-free view of a phrase can be
    matched on the text itself, without building its stripped copy."""
    from .normalize import _STRIP

    groups: dict[str, set[str]] = {}
    for cp, base in _STRIP.items():
        groups.setdefault(base, {base}).add(chr(cp))
    return {b: "[" + "".join(re.escape(c) for c in sorted(g)) + "]" for b, g in groups.items()}


def _trie_regex(phrases: list[str], fold: bool = False) -> re.Pattern[str] | None:
    """One regex matching the longest phrase that starts at each position.

    With `fold`, phrases are diacritic-free and each of their letters also matches
    its accented forms (the text is matched as if stripped; lengths are equal)."""
    classes = _strip_classes() if fold else {}
    if not phrases:
        return None
    trie: dict = {}
    for p in phrases:
        node = trie
        for ch in p:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        ends = "" in node
        alts = [(classes.get(ch) or re.escape(ch)) + build(sub) for ch, sub in sorted(node.items()) if ch != ""]
        if not alts:
            return r"(?!\w)"
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        if ends:
            # Longer phrase first, but a shorter one ends here only at a word boundary.
            return "(?:" + body + r"|(?!\w))"
        return body

    # Zero-width lookahead so matches may overlap (different categories share words).
    return re.compile(r"(?<!\w)(?=(" + build(trie) + r"))")


class Lexicon:
    """Category phrases, traps and contexts, ready for matching."""

    def __init__(self, raw: dict) -> None:
        self.thresholds: dict[str, float] = {}
        self.urgent: set[str] = set()
        self.entries: dict[str, list[tuple[str, float]]] = {}
        for cat, spec in raw["categories"].items():
            self.thresholds[cat] = float(spec.get("threshold", 0.5))
            if spec.get("urgent"):
                self.urgent.add(cat)
            for phrase, w in spec["terms"].items():
                p = normalize(phrase).text
                if p:
                    self.entries.setdefault(p, []).append((cat, float(w)))
        self.traps = sorted({normalize(p).text for p in raw.get("traps", []) if p.strip()})
        warn = raw.get("warning_context", {})
        self.warning_scale = float(warn.get("scale", 1.0))
        self.warning_applies = set(warn.get("applies_to", []))
        self.warning = sorted({normalize(p).text for p in warn.get("phrases", [])})
        self.targets = sorted({normalize(p).text for p in raw.get("target_words", [])})

        self._re = _trie_regex(sorted(self.entries))
        multi = {}
        for p in self.entries:
            if " " in p:
                multi.setdefault(strip_diacritics(p), p)
        self._strip_entries = multi
        self._re_strip = _trie_regex(sorted(multi), fold=True)
        self._trap_re = _trie_regex(self.traps)
        self._trap_max = max((len(t) for t in self.traps), default=0)
        self._warn_re = _trie_regex(self.warning)
        self._target_re = _trie_regex(self.targets)

    @staticmethod
    def _scan(rx: re.Pattern[str] | None, text: str) -> list[tuple[int, int, str]]:
        if rx is None:
            return []
        out = []
        for m in rx.finditer(text):
            s = m.start()
            p = m.group(1)
            if p:
                out.append((s, s + len(p), p))
        return out

    def _prefix_phrases(self, phrase: str) -> list[str]:
        """Shorter entries that the longest match at a position also contains."""
        res = [phrase]
        i = phrase.rfind(" ")
        while i > 0:
            sub = phrase[:i]
            if sub in self.entries:
                res.append(sub)
            i = phrase.rfind(" ", 0, i)
        return res

    def match(self, text: str) -> list[Hit]:
        """All category hits in normalised `text`, traps removed."""
        return self.match_many([text])[0]

    def match_many(self, texts: list[str]) -> list[list[Hit]]:
        """`match` for each text; the phrase patterns run once over the whole batch.

        Texts are joined with newlines (normalised text holds none, and a newline is
        a word boundary), so every match lies inside one text with the same
        boundaries as when that text is scanned alone."""
        starts: list[int] = []
        pos = 0
        for t in texts:
            starts.append(pos)
            pos += len(t) + 1
        joined = "\n".join(texts)
        found: dict[int, dict[tuple[int, int, str], None]] = {}
        for s, _e, p in self._scan(self._re, joined):
            d = bisect_right(starts, s) - 1
            s -= starts[d]
            f = found.setdefault(d, {})
            for q in self._prefix_phrases(p):
                f[(s, s + len(q), q)] = None
        if self._re_strip is not None:
            # Matched on the text itself (letters folded in the regex): same offsets
            # as on strip_diacritics(text), without building that copy.
            for s, e, p in self._scan(self._re_strip, joined):
                d = bisect_right(starts, s) - 1
                q = self._strip_entries[strip_diacritics(p)]
                found.setdefault(d, {}).setdefault((s - starts[d], e - starts[d], q), None)
        out: list[list[Hit]] = [[] for _ in texts]
        for d, f in found.items():
            out[d] = self._hits(texts[d], f)
        return out

    def _hits(self, text: str, found: dict[tuple[int, int, str], None]) -> list[Hit]:
        traps = self._scan(self._trap_re, text)  # sorted by start
        trap_starts = [t[0] for t in traps]
        hits: list[Hit] = []
        for s, e, p in found:
            # Traps overlapping [s, e) start in [s - longest trap, e).
            lo = bisect_left(trap_starts, s - self._trap_max)
            hi = bisect_left(trap_starts, e)
            if any(ts < e and s < te and not (s <= ts and te <= e) for ts, te, _ in traps[lo:hi]):
                continue
            for cat, w in self.entries[p]:
                hits.append(Hit(s, e, p, cat, w))
        return hits

    def has_warning_context(self, text: str) -> bool:
        return self._warn_re is not None and self._warn_re.search(text) is not None

    def has_target(self, text: str) -> bool:
        return self._target_re is not None and self._target_re.search(text) is not None

    def scores(self, text: str, hits: list[Hit]) -> dict[str, float]:
        """Per-category score in [0, 1]: 1 - prod(1 - w) over distinct phrases."""
        miss: dict[str, float] = {c: 1.0 for c in CATEGORIES}
        seen: set[tuple[str, str]] = set()
        for h in hits:
            key = (h.phrase, h.category)
            if key in seen:
                continue
            seen.add(key)
            miss[h.category] = miss.get(h.category, 1.0) * (1.0 - h.weight)
        out = {c: 1.0 - m for c, m in miss.items()}
        if hits and self.warning_applies and self.has_warning_context(text):
            for c in self.warning_applies:
                if c in out:
                    out[c] *= self.warning_scale
        return out


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    raw = json.loads(
        resources.files("cyberyouth.safety").joinpath("data/lexicon.json").read_text("utf-8")
    )
    return Lexicon(raw)
