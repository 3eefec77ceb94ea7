"""Most frequent meaningful phrases of a group of answers ("themes").

A phrase is two neighbouring syllables of the prepared text (Vietnamese words are
mostly two syllables: "bài tập", "mạng xã hội" → "mạng xã", "xã hội") or, when no
pair carries it, one syllable; neither may be a stop word (data/stopwords.txt),
a number, or cross punctuation. A phrase counts once per answer (how many answers
mention it), and must appear in at least `min_count` answers: something one person
wrote is not a theme. Pairs are preferred: a syllable is listed on its own only when
it stands alone in an answer (no pair holds it there), and a few words that say
nothing alone ("không", "nhiều", "học") never are.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from importlib import resources

from cyberyouth.lib.text import vi_key

from .prepare import prepare

__all__ = ["themes", "stopwords"]

_CLAUSE_RE = re.compile(r"[^\w\s]+|\s\d+\s")
_WORD_RE = re.compile(r"[^\W\d_]+")
# Words that make a theme with a neighbour ("không hiểu", "nhiều bài tập") but say nothing alone.
_NOT_ALONE = frozenset({"không", "chưa", "chẳng", "nhiều", "ít", "hơn", "nhất", "cả", "học", "bài", "môn"})


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    raw = resources.files("cyberyouth.insight").joinpath("data/stopwords.txt").read_text("utf-8")
    return frozenset(ln.strip() for ln in raw.splitlines() if ln.strip() and not ln.startswith("#"))


def _emoticon(w: str) -> bool:
    return w.startswith("colon")


def themes(texts: list[str], top: int = 8, min_count: int = 2) -> list[tuple[str, int]]:
    """The `top` most frequent themes of `texts`, as (phrase, number of answers), most
    frequent first (pairs before single syllables on ties, then Vietnamese order)."""
    stop = stopwords()
    pairs: Counter[str] = Counter()
    singles: Counter[str] = Counter()
    for text in texts:
        seen_p: set[str] = set()
        seen_s: set[str] = set()
        for clause in _CLAUSE_RE.split(" " + prepare(text) + " "):
            words = _WORD_RE.findall(clause)
            ok = [len(w) > 1 and w not in stop and w not in _NOT_ALONE and not _emoticon(w) for w in words]
            ok_pair = [len(w) > 1 and w not in stop and not _emoticon(w) for w in words]
            paired = [False] * len(words)
            for i in range(1, len(words)):
                if ok_pair[i] and ok_pair[i - 1]:
                    seen_p.add(f"{words[i - 1]} {words[i]}")
                    paired[i] = paired[i - 1] = True
            # A syllable stands alone only where no pair holds it ("hay" in "dạy hay" does not).
            seen_s.update(w for w, k, p in zip(words, ok, paired) if k and not p)
        pairs.update(seen_p)
        singles.update(seen_s)
    chosen = [(p, c, 0) for p, c in pairs.items() if c >= min_count]
    chosen += [(w, c, 1) for w, c in singles.items() if c >= min_count]
    chosen.sort(key=lambda x: (-x[1], x[2], vi_key(x[0])))
    return [(p, c) for p, c, _k in chosen[:top]]
