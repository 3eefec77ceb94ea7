"""Curated child-safety lexicons (data/lexicon.json) matched on normalised text.

Phrases are compiled into one trie-shaped regular expression per view, so a
comment is scanned once in C whatever the size of the lexicon. Multi-word
phrases are also matched on the text with diacritics removed ("tu tu" finds
"tự tử"), single words only with their diacritics (stripped single words are
too ambiguous: "dam" is both "dâm" and "đâm"). A word typed with diacritics is read
as typed (`typed_as`): "thật cô" is not "thắt cổ", only "that co" or "thắt co" is.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

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


# Words as features.extract cuts them (runs of letters and digits), and the orders of the
# toxicity model's word n-grams phrase lookups anchor on (features.WORD_ORDERS, STRIP_ORDERS).
_WORD = re.compile(r"[^\W_]+")
MAX_WORD = 3
MAX_STRIP = 2


def typed_as(span: str, phrase: str) -> bool:
    """Whether a diacritic-free match `span` of `phrase` (same length, equal once stripped) may
    stand for it: every word of the span is either the phrase's own word or typed without
    diacritics. Folding exists for text typed without them; a word written with other marks is
    another word ("nói thật cô rất duyên" is not "thắt cổ").
    Found on everyday comments, where it flagged self-harm: "hàng thật có…" read as "thắt cổ"."""
    if span == phrase:
        return True
    for m in _WORD.finditer(span):
        w = m.group()
        if w != phrase[m.start():m.end()] and w != strip_diacritics(w):
            return False
    return True


def folded_phrase(span: str, folded: dict[str, str]) -> str | None:
    """The phrase a diacritic-free regex match `span` stands for (`folded` maps each stripped
    phrase to the phrase), or None where its words are typed with other marks (`typed_as`)."""
    q = folded[strip_diacritics(span)]
    return q if typed_as(span, q) else None


def grams_ok(orders: dict) -> bool:
    """Whether n-grams extracted with these orders (the toxicity model's) hold every anchor."""
    return (set(range(1, MAX_WORD + 1)) <= set(orders.get("word_orders", ()))
            and set(range(1, MAX_STRIP + 1)) <= set(orders.get("strip_orders", ())))


class PhraseAnchors:
    """The matches `_trie_regex` finds (the longest phrase at each word start; multi-word
    phrases also without diacritics), found from a batch's hashed word n-grams instead of
    a scan of the text.

    Each phrase is anchored on the key of its first words (at most three with diacritics,
    two without: the orders the toxicity model's n-grams have) in its view (kind 1 words,
    kind 2 diacritic-free words). A key found among a text's n-grams is a candidate; the
    phrase is then checked on the text itself (the same characters, or the same once
    diacritics are removed, with word boundaries on both sides as the regex's), and at
    each start the longest phrase wins in each view. Phrases that do not start with a word
    character ("?") are found by a substring search. Tests compare it with the regex."""

    def __init__(self, exact: list[str], folded: dict[str, str]) -> None:
        from .features import KeyIndex, extract

        anchored: list[tuple[str, str, int, int]] = []  # (as matched, canonical, kind, order)
        self.odd: list[str] = []
        for p in exact:
            if not _is_w(p[0]):
                self.odd.append(p)
                continue
            anchored.append((p, p, 1, min(len(_WORD.findall(p)), MAX_WORD)))
        for sp, p in folded.items():
            if _is_w(sp[0]):
                anchored.append((sp, p, 2, min(len(_WORD.findall(sp)), MAX_STRIP)))
        self.index: KeyIndex | None = None
        self.phrases: list[list[tuple[int, str, bool, str]]] = []
        if not anchored:
            return
        g = extract([a[0] for a in anchored], char_orders=(), word_orders=tuple(range(1, MAX_WORD + 1)),
                    strip_orders=tuple(range(1, MAX_STRIP + 1)))
        key_of: dict[tuple[int, int, int], int] = {}
        for key, d, st, e, k in zip(g.keys.tolist(), g.doc.tolist(), g.start.tolist(), g.end.tolist(),
                                    g.kind.tolist()):
            if st == int(g.base[d]):
                key_of[(d, k, e - st)] = key
        by_key: dict[int, list[tuple[int, str, bool, str]]] = {}
        for i, (p, canon, k, order) in enumerate(anchored):
            end = [m.end() for m in _WORD.finditer(p)][order - 1]
            by_key.setdefault(key_of[(i, k, end)], []).append((len(p), p, k == 2, canon))
        keys = np.array(sorted(by_key), dtype=np.uint64)
        # Per anchor: its phrases, longest first (the first that fits is the longest match).
        self.phrases = [sorted(by_key[int(k)], key=lambda x: -x[0]) for k in keys]
        self.index = KeyIndex(keys)

    def find(self, texts: list[str], grams) -> list[tuple[bool, int, int, int, str]]:
        """(folded, text index, start, end, canonical phrase) of every match, sorted: the
        matches of the exact view first, then those of the folded view, by text and start."""
        best: dict[tuple[bool, int, int], tuple[int, str]] = {}
        if self.index is not None:
            wsel = np.flatnonzero(grams.kind > 0)
            hit = self.index(grams.keys[wsel])
            ok = np.flatnonzero(hit >= 0)
            if len(ok):
                at = wsel[ok]
                docs = grams.doc[at]
                starts = (grams.start[at] - grams.base[docs]).tolist()
                phrases = self.phrases
                for d, s, a in zip(docs.tolist(), starts, hit[ok].tolist()):
                    t = texts[d]
                    if s > 0:
                        c = t[s - 1]
                        if c.isalnum() or c == "_":
                            continue
                    lt = len(t)
                    for n, p, fold, canon in phrases[a]:
                        e = s + n
                        if e > lt:
                            continue
                        if e < lt:
                            c = t[e]
                            if c.isalnum() or c == "_":
                                continue
                        if (strip_diacritics(t[s:e]) == p) if fold else t.startswith(p, s):
                            # The longest fit wins, as in the regex; a folded one must be typed so.
                            if fold and not typed_as(t[s:e], canon):
                                break
                            key = (fold, d, s)
                            prev = best.get(key)
                            if prev is None or prev[0] < n:
                                best[key] = (n, canon)
                            break
        if self.odd and texts:
            # One substring search per phrase over the batch joined by NUL (normalised text
            # holds none, and no phrase does: a match stays inside its text, and NUL is not
            # `\w`, so the boundary tests read the same as on the text alone).
            joined, starts = _joined(texts, "\x00")
            lj = len(joined)
            for p in self.odd:
                n = len(p)
                i = joined.find(p)
                while i >= 0:
                    e = i + n
                    if (i == 0 or not _is_w(joined[i - 1])) and (e == lj or not _is_w(joined[e])):
                        d = bisect_right(starts, i) - 1
                        key = (False, d, i - starts[d])
                        if key not in best or best[key][0] < n:
                            best[key] = (n, p)
                    i = joined.find(p, i + 1)
        return [(f, d, s, s + n, canon) for (f, d, s), (n, canon) in sorted(best.items())]


def _joined(texts: list[str], sep: str) -> tuple[str, list[int]]:
    """The batch as one string and where each text starts in it (for one search over all)."""
    starts, pos = [], 0
    for t in texts:
        starts.append(pos)
        pos += len(t) + 1
    return sep.join(texts), starts


def _is_w(ch: str) -> bool:
    """`\\w` of Python's re for one character (letters, digits, underscore)."""
    return ch.isalnum() or ch == "_"


class Lexicon:
    """Category phrases, traps and contexts, ready for matching."""

    def __init__(self, raw: dict, cue_phrases: dict[str, list[str]] | None = None) -> None:
        """`cue_phrases`: the cue groups of signals.json, for a warning context that names one
        ("cue_group": a request said not to be done is written once, as the refusal cue)."""
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
        cue = warn.get("cue_group")
        if cue and (cue_phrases is None or cue not in cue_phrases):
            raise ValueError(f"lexicon warning_context names cue group {cue!r}, which was not given")
        phrases = [*warn.get("phrases", []), *(cue_phrases[cue] if cue and cue_phrases else [])]
        self.warning = sorted({q for q in (normalize(p).text for p in phrases) if q})
        self.targets = sorted({normalize(p).text for p in raw.get("target_words", [])})

        self._re = _trie_regex(sorted(self.entries))
        multi: dict[str, str] = {}
        for p in self.entries:
            if " " in p:
                multi.setdefault(strip_diacritics(p), p)
        self._strip_entries = multi
        self._re_strip = _trie_regex(sorted(multi), fold=True)
        self.anchors = PhraseAnchors(sorted(self.entries), multi)
        self._trap_re = _trie_regex(self.traps)
        self._trap_max = max((len(t) for t in self.traps), default=0)
        self._warn_re = _trie_regex(self.warning)
        # Warnings of three words or more also typed without diacritics ("khong bao gio yeu cau"),
        # as the harm phrases above and the cues of signals.json are: the refusal cue saw such a
        # text, the warning scale did not (twenty-seventh round). Not two words: stripped, they
        # are other words too — "chớ vay" (don't borrow) is "cho vay" (to lend), a loan scam's.
        harms = {strip_diacritics(p) for p in self.entries}
        self._warn_strip = {k: q for q in self.warning if q.count(" ") >= 2
                            for k in [strip_diacritics(q)] if k not in harms}
        self._warn_strip_re = _trie_regex(sorted(self._warn_strip), fold=True)
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

    def match_many(self, texts: list[str], grams=None) -> list[list[Hit]]:
        """`match` for each text, over the whole batch at once. With the batch's word
        n-grams (the toxicity model's, `grams_ok` orders) the phrases are found from their
        keys (`PhraseAnchors`, no scan of the text); without them the phrase patterns run
        once over the batch. The same hits either way."""
        if grams is None:
            return self.match_many_regex(texts)
        found: dict[int, dict[tuple[int, int, str], None]] = {}
        for fold, d, s, e, p in self.anchors.find(texts, grams):
            f = found.setdefault(d, {})
            if fold:
                f.setdefault((s, e, p), None)
            else:
                for q in self._prefix_phrases(p):
                    f[(s, s + len(q), q)] = None
        out: list[list[Hit]] = [[] for _ in texts]
        for d, f in found.items():
            out[d] = self._hits(texts[d], f)
        return out

    def match_many_regex(self, texts: list[str]) -> list[list[Hit]]:
        """`match_many` by the phrase patterns, run once over the whole batch.

        Texts are joined with newlines (normalised text holds none, and a newline is
        a word boundary), so every match lies inside one text with the same
        boundaries as when that text is scanned alone."""
        joined, starts = _joined(texts, "\n")
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
                q = folded_phrase(p, self._strip_entries)
                if q is None:
                    continue
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
            near = traps[lo:hi]
            if any(ts < e and s < te and not (s <= ts and te <= e) for ts, te, _ in near):
                # An urgent category's phrase (self-harm) yields only to a trap that holds it
                # whole ("cười muốn chết"), not to one it merely touches: "chết thật" (really?!)
                # must not cancel "muốn chết" in "tao muốn chết thật" (I really want to die).
                covered = any(ts <= s and e <= te for ts, te, _ in near)
                for cat, w in self.entries[p]:
                    if cat in self.urgent and not covered:
                        hits.append(Hit(s, e, p, cat, w))
                continue
            for cat, w in self.entries[p]:
                hits.append(Hit(s, e, p, cat, w))
        return hits

    def has_warning_context(self, text: str) -> bool:
        if self._warn_re is not None and self._warn_re.search(text) is not None:
            return True
        return any(folded_phrase(p, self._warn_strip) is not None for _s, _e, p in self._scan(self._warn_strip_re, text))

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
    data = resources.files("cyberyouth.safety").joinpath("data")
    raw = json.loads(data.joinpath("lexicon.json").read_text("utf-8"))
    signals = json.loads(data.joinpath("signals.json").read_text("utf-8"))
    return Lexicon(raw, signals["groups"])
