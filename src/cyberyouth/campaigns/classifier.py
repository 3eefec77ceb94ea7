"""A small suggestion model: multinomial naive Bayes over words, trained on ONE unit's own earlier
marks (tin tốt / câu chuyện đẹp / neither). It only suggests; a person confirms every mark."""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

MIN_PER_KIND = 3  # a kind needs this many marked examples before it is ever suggested
MIN_KINDS = 2


def tokens(text: str) -> list[str]:
    text = unicodedata.normalize("NFC", text or "").lower()
    return re.findall(r"\w+", text)


@dataclass
class Model:
    priors: dict[str, float]
    counts: dict[str, Counter]
    totals: dict[str, int]
    vocabulary: int

    def suggest(self, text: str) -> tuple[str, float] | None:
        words = tokens(text)
        if not words:
            return None
        scores = {}
        for kind, prior in self.priors.items():
            denominator = self.totals[kind] + self.vocabulary
            scores[kind] = math.log(prior) + sum(math.log((self.counts[kind][w] + 1) / denominator) for w in words)
        top = max(scores.values())
        weights = {k: math.exp(s - top) for k, s in scores.items()}
        kind = max(weights, key=weights.get)
        return kind, weights[kind] / sum(weights.values())


def train(examples: list[tuple[str, str]]) -> Model | None:
    """`examples`: (text, kind). None while there are too few marks to learn from."""
    by_kind = Counter(kind for _, kind in examples)
    kinds = [k for k, n in by_kind.items() if n >= MIN_PER_KIND]
    if len(kinds) < MIN_KINDS:
        return None
    counts = {k: Counter() for k in kinds}
    for text, kind in examples:
        if kind in counts:
            counts[kind].update(tokens(text))
    total = sum(by_kind[k] for k in kinds)
    vocabulary = len(set().union(*counts.values())) or 1
    return Model(priors={k: by_kind[k] / total for k in kinds}, counts=counts,
                 totals={k: sum(c.values()) for k, c in counts.items()}, vocabulary=vocabulary)
