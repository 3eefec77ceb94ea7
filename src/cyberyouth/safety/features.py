"""Vectorised n-gram hashing of normalised text (numpy only, no per-n-gram Python).

A batch of texts is laid end to end as one array of code points; character n-grams
come from a rolling polynomial hash over that array (uint64, wrapping arithmetic),
and words from runs of letters/digits. Every n-gram becomes a 64-bit key; the model
keeps a sorted array of the keys it knows and looks them up with searchsorted.
This is what lets `analyze_many` run at tens of thousands of comments per second on
one core, and it is the single definition of features used by training too.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np


__all__ = ["Grams", "Words", "KeyIndex", "extract", "category_grams", "CHAR_ORDERS", "WORD_ORDERS", "STRIP_ORDERS",
           "N_KINDS", "SKIP_KIND", "SKIP_GAPS"]

CHAR_ORDERS = (1, 2, 3, 4, 5)
WORD_ORDERS = (1, 2, 3)
STRIP_ORDERS = (1, 2)  # words with diacritics removed: "chet" and "chết" meet
N_KINDS = 3  # 0 character n-grams, 1 words, 2 words without diacritics
# Pairs of diacritic-free words with SKIP_GAPS words between them ("thang _ ngu" in "thằng Nam
# ngu"): the category model's only, added to its word n-grams by `category_grams`.
SKIP_KIND = 3
SKIP_GAPS = (1,)

_B = np.uint64(0x100000001B3)  # FNV prime: odd, so the rolling hash is invertible
_M1 = np.uint64(0x9E3779B97F4A7C15)
_M2 = np.uint64(0xBF58476D1CE4E5B9)
_M3 = np.uint64(0x94D049BB133111EB)
_BINV = np.uint64(pow(int(_B), -1, 1 << 64))
_SENTINEL = 0x1  # separates texts; no n-gram may contain it (normalisation maps it away)


def _mix(h: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser: spreads keys so different n-gram kinds never collide."""
    h = h ^ (h >> np.uint64(30))
    h = h * _M2
    h = h ^ (h >> np.uint64(27))
    h = h * _M3
    return h ^ (h >> np.uint64(31))


@lru_cache(maxsize=1)
def _is_word_table() -> np.ndarray:
    """Which BMP code points belong to words (letters and digits)."""
    table = np.zeros(0x10000, dtype=bool)
    for cp in range(0x10000):
        ch = chr(cp)
        if ch.isalnum():
            table[cp] = True
    return table


@dataclass(slots=True)
class Words:
    """The words of a batch in text order, each with its diacritic-free hash (before the kind
    and order are mixed in): what word pairs are made of."""

    doc: np.ndarray  # int64 index of the text
    start: np.ndarray  # int64 absolute offsets, as Grams.start
    end: np.ndarray
    folded: np.ndarray  # uint64


@dataclass(slots=True)
class Grams:
    """All n-grams of a batch: key, owning text, start/end offsets in that text, kind."""

    keys: np.ndarray  # uint64
    doc: np.ndarray  # int64 index of the text in the batch
    start: np.ndarray  # int64 offset in the (normalised) text
    end: np.ndarray  # int64
    kind: np.ndarray  # int8: 0 character n-gram, 1 word n-gram, 2 stripped word n-gram, 3 word pair
    base: np.ndarray  # per text: absolute offset of its first character
    length: np.ndarray  # per text: its length
    words: Words | None = None  # when the diacritic-free view was hashed

    def span(self, i: int) -> tuple[int, int]:
        """Offsets of n-gram `i` in its own (normalised) text."""
        d = int(self.doc[i])
        b = int(self.base[d])
        n = int(self.length[d])
        return max(0, min(n, int(self.start[i]) - b)), max(0, min(n, int(self.end[i]) - b))


@lru_cache(maxsize=1)
def _strip_array() -> np.ndarray:
    """Code point -> code point without diacritics, for code points below 0x1F00."""
    from .normalize import _STRIP

    table = np.arange(0x1F00, dtype=np.uint64)
    for cp, ch in _STRIP.items():
        if cp < 0x1F00 and len(ch) == 1:
            table[cp] = ord(ch)
    return table


def _strip_codes(c: np.ndarray) -> np.ndarray:
    """`strip_diacritics` on an array of code points (one vectorised gather)."""
    table = _strip_array()
    return np.where(c < 0x1F00, table[np.minimum(c, 0x1EFF).astype(np.intp)], c)


def _codes(s: str) -> np.ndarray:
    return np.frombuffer(s.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.uint64)


def _encode(texts: list[str]) -> tuple[str, np.ndarray, np.ndarray, np.ndarray]:
    """Code points of ' t0 \\x01 t1 \\x01 …', plus each padded text's offset and length."""
    padded = "\x01".join(" " + t + " " for t in texts)
    cps = _codes(padded)
    lens = np.fromiter((len(t) + 2 for t in texts), dtype=np.int64, count=len(texts))
    starts = np.zeros(len(texts), dtype=np.int64)
    if len(texts) > 1:
        starts[1:] = np.cumsum(lens[:-1] + 1)
    return padded, cps, starts, lens


def extract(
    texts: list[str],
    char_orders: tuple[int, ...] = CHAR_ORDERS,
    word_orders: tuple[int, ...] = WORD_ORDERS,
    strip_orders: tuple[int, ...] = STRIP_ORDERS,
) -> Grams:
    """Hash every character and word n-gram of `texts` (already normalised), in order of kind:
    character n-grams, words, diacritic-free words (`category_grams` slices the words off)."""
    if not texts:
        e = np.zeros(0, dtype=np.int64)
        return Grams(np.zeros(0, dtype=np.uint64), e, e, e, np.zeros(0, dtype=np.int8), e, e)
    padded, c, starts, lens = _encode(texts)
    n = len(c)
    doc_of = np.repeat(np.arange(len(texts), dtype=np.int64), lens + 1)[:n]
    sentinel = c == _SENTINEL
    # Code points >= 0x10000 (emoji…) are never word characters.
    small = np.minimum(c, 0xFFFF).astype(np.int64)
    is_w = _is_word_table()[small] & (c < 0x10000)

    keys: list[np.ndarray] = [np.zeros(0, dtype=np.uint64)]
    docs: list[np.ndarray] = [np.zeros(0, dtype=np.int64)]
    s_list: list[np.ndarray] = [docs[0]]
    e_list: list[np.ndarray] = [docs[0]]
    kinds: list[np.ndarray] = [np.zeros(0, dtype=np.int8)]  # each list starts empty: a batch may have no n-gram
    none = docs[0]
    words = Words(none, none, none, keys[0]) if strip_orders else None  # until words are found
    pos = np.arange(n, dtype=np.int64)

    # Character n-grams: h_k[i] = h_{k-1}[i] * B + c[i+k-1]; skip windows holding a sentinel.
    bad = sentinel.astype(np.int64)
    cum_bad = np.concatenate(([0], np.cumsum(bad)))
    h = np.zeros(n, dtype=np.uint64)
    max_order = max(char_orders) if char_orders else 0
    with np.errstate(over="ignore"):
        for k in range(1, max_order + 1):
            m = n - k + 1
            if m <= 0:
                break
            h = h[:m] * _B + c[k - 1 : k - 1 + m]
            if k not in char_orders:
                continue
            ok = (cum_bad[k : k + m] - cum_bad[:m]) == 0
            # A window made only of the padding spaces carries no information.
            idx = pos[:m][ok]
            keys.append(h[:m][ok] + np.uint64(k) * _M1)  # mixed once, at the end
            docs.append(doc_of[idx])
            s_list.append(idx)
            e_list.append(idx + k)
            kinds.append(np.zeros(len(idx), dtype=np.int8))

        # Words: maximal runs of word characters.
        if word_orders or strip_orders:
            edge = np.diff(np.concatenate(([False], is_w, [False])).astype(np.int8))
            w_start = np.flatnonzero(edge == 1)
            w_end = np.flatnonzero(edge == -1)
            if len(w_start):
                w_doc = doc_of[w_start]
                powers = np.empty(n + 1, dtype=np.uint64)
                powers[0] = 1
                powers[1:] = np.cumprod(np.full(n, _B, dtype=np.uint64))
                ipowers = np.empty(n + 1, dtype=np.uint64)
                ipowers[0] = 1
                ipowers[1:] = np.cumprod(np.full(n, _BINV, dtype=np.uint64))
                views: list[tuple[int, np.ndarray, tuple[int, ...]]] = [(1, c, word_orders)]
                if strip_orders:
                    views.append((2, _strip_codes(c), strip_orders))
                for kind, codes, orders in views:
                    if not orders:
                        continue
                    # Prefix sums of c[i] * B^-i make any substring hash O(1):
                    # sum_{j in [s,e)} c[j] B^(e-1-j) = B^(e-1) * (pref[e] - pref[s]).
                    pref = np.zeros(n + 1, dtype=np.uint64)
                    pref[1:] = np.cumsum(codes * ipowers[:n])
                    wh = _mix((pref[w_end] - pref[w_start]) * powers[w_end - 1])
                    if kind == 2:
                        words = Words(w_doc, w_start, w_end, wh)
                    # Word k-gram hash: g_1 = wh, g_k[i] = mix(g_{k-1}[i] * M1 + wh[i+k-1]);
                    # each order extends the previous one (one mix per order).
                    g = wh
                    for k in range(1, max(orders, default=0) + 1):
                        m = len(w_start) - k + 1
                        if m <= 0:
                            break
                        if k > 1:
                            g = _mix(g[:m] * _M1 + wh[k - 1 : k - 1 + m])
                        if k not in orders:
                            continue
                        same = w_doc[:m] == w_doc[k - 1 : k - 1 + m]
                        keys.append(g[same] + np.uint64(100 * kind + k) * _M1)
                        docs.append(w_doc[:m][same])
                        s_list.append(w_start[:m][same])
                        e_list.append(w_end[k - 1 : k - 1 + m][same])
                        kinds.append(np.full(int(same.sum()), kind, dtype=np.int8))

    # Offsets stay absolute (in the padded batch); `Grams.span` makes them relative
    # only for the few n-grams an explanation needs.
    with np.errstate(over="ignore"):
        all_keys = _mix(np.concatenate(keys))  # the final mix of every kind, in one pass
    return Grams(
        all_keys,
        np.concatenate(docs),
        np.concatenate(s_list),
        np.concatenate(e_list),
        np.concatenate(kinds),
        starts + 1,
        lens - 2,
        words,
    )


def category_grams(grams: Grams, texts: list[str], gaps: tuple[int, ...] = SKIP_GAPS) -> Grams:
    """What the category model reads of a batch's `grams` (of `texts`): their word n-grams — sliced
    off, the character n-grams never copied: extraction puts them first — followed by the pairs of
    diacritic-free words with `gaps` words between them (kind `SKIP_KIND`). The words come from the
    extraction's diacritic-free view, or from a pass of their own when it had none."""
    first = int(np.searchsorted(grams.kind, 1))  # kinds come in ascending order
    keys, docs, s_list, e_list = [grams.keys[first:]], [grams.doc[first:]], [grams.start[first:]], [grams.end[first:]]
    kinds = [grams.kind[first:]]
    w = grams.words
    if w is None and gaps:  # the extraction hashed no diacritic-free view
        w = extract(texts, (), (), (1,)).words
    with np.errstate(over="ignore"):
        for gap in gaps if w is not None else ():
            j = gap + 1
            same = w.doc[:-j] == w.doc[j:]
            # mix(first * M2 + last), tagged 300 + gap: keys no n-gram shares.
            keys.append(_mix(_mix(w.folded[:-j][same] * _M2 + w.folded[j:][same]) + np.uint64(300 + gap) * _M1))
            docs.append(w.doc[:-j][same])
            s_list.append(w.start[:-j][same])
            e_list.append(w.end[j:][same])
            kinds.append(np.full(len(keys[-1]), SKIP_KIND, dtype=np.int8))
    return Grams(np.concatenate(keys), np.concatenate(docs), np.concatenate(s_list), np.concatenate(e_list),
                 np.concatenate(kinds), grams.base, grams.length, grams.words)


class KeyIndex:
    """Vocabulary column of 64-bit keys (already mixed), -1 for unknown keys.

    A hash table on the keys' top bits holds the first key of each slot (one probe answers
    most queries); the keys that land on an occupied slot go to a second, smaller table on
    their low bits, and the very few that collide there too to a sorted overflow (binary
    search). A slot that lost a key is flagged, so only queries on flagged slots go further.
    No probing loop: a batch costs a fixed number of numpy passes."""

    def __init__(self, keys: np.ndarray, col_dtype: type = np.int64) -> None:
        self.keys = keys
        bits = max(4, int(len(keys) * 4 - 1).bit_length())
        self.shift = np.uint64(64 - bits)
        self.tkeys, self.tcol, self.flag, rest = self._place(keys, (keys >> self.shift).astype(np.int64), 1 << bits,
                                                             np.arange(len(keys)), col_dtype)
        bits2 = max(4, int(len(rest) * 4 - 1).bit_length())
        self.mask2 = np.uint64((1 << bits2) - 1)
        rk = keys[rest]
        self.t2keys, self.t2col, self.flag2, rest2 = self._place(rk, (rk & self.mask2).astype(np.int64), 1 << bits2,
                                                                 rest, col_dtype)
        self.okeys = keys[rest2]  # keys are sorted, so this overflow is sorted too
        self.ocol = rest2.astype(np.int64)

    @staticmethod
    def _place(keys: np.ndarray, home: np.ndarray, size: int, col: np.ndarray, col_dtype: type):
        """A table of `size` slots holding the first key of each home slot; the indices (into
        `col`'s values) of the keys left over, and which slots lost one."""
        tcol = np.full(size, -1, dtype=col_dtype)
        tkeys = np.zeros(size, dtype=np.uint64)
        flag = np.zeros(size, dtype=bool)
        u, first = np.unique(home, return_index=True)
        tcol[u] = col[first]
        tkeys[u] = keys[first]
        left = np.ones(len(keys), dtype=bool)
        left[first] = False
        flag[home[left]] = True
        return tkeys, tcol, flag, col[left]

    def __call__(self, q: np.ndarray) -> np.ndarray:
        if len(self.keys) == 0 or len(q) == 0:
            return np.full(len(q), -1, dtype=np.int64)
        slot = (q >> self.shift).astype(np.intp)
        hit = self.tkeys[slot] == q
        res = np.where(hit, self.tcol[slot], -1)
        need = np.flatnonzero(self.flag[slot] & ~hit)
        if need.size:
            qn = q[need]
            s2 = (qn & self.mask2).astype(np.intp)
            hit2 = self.t2keys[s2] == qn
            res[need[hit2]] = self.t2col[s2[hit2]]
            need3 = np.flatnonzero(self.flag2[s2] & ~hit2)
            if need3.size and len(self.okeys):
                q3 = qn[need3]
                i = np.minimum(np.searchsorted(self.okeys, q3), len(self.okeys) - 1)
                found = self.okeys[i] == q3
                res[need[need3[found]]] = self.ocol[i[found]]
        return res
