"""The engine: normalisation + toxicity model + lexicons + personal data -> Verdict."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from threading import Lock

import numpy as np

from .lexicon import CATEGORIES as LEX_CATEGORIES
from .lexicon import Lexicon, load_lexicon
from .model import LABELS, Scored, ToxicityModel, load_model
from .normalize import Normalized, normalize
from .pii import PersonalData, exposure_score, find_personal_data

__all__ = ["CATEGORIES", "LABELS", "Engine", "Span", "Verdict", "analyze", "analyze_many", "get_engine"]

CATEGORIES = LEX_CATEGORIES + ("personal_data",)
PERSONAL_DATA_THRESHOLD = 0.5
# Toxicity explanation: a word is part of a span when its share of the evidence is large.
_SPAN_REL = 0.35
_SPAN_ABS = 0.08
_WORD_RE = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Span:
    """Characters [start, end) of the ORIGINAL text behind a finding."""

    start: int
    end: int
    category: str  # a category name, or "toxicity"


@dataclass(frozen=True, slots=True)
class Verdict:
    label: str  # CLEAN | OFFENSIVE | HATE
    scores: dict[str, float]  # calibrated probability per label
    categories: dict[str, float]  # child-safety category scores in [0, 1]
    flags: list[str]  # categories over their thresholds
    urgent: bool  # needs urgent human review (self-harm risk)
    spans: list[Span] = field(default_factory=list)
    personal_data: list[PersonalData] = field(default_factory=list)
    model: str = ""

    @property
    def toxic(self) -> bool:
        return self.label != "CLEAN"

    def to_dict(self) -> dict:
        """The JSON shape of `cyberyouth safety scan`."""
        return {
            "toxicity": {"label": self.label, "scores": self.scores},
            "categories": self.categories,
            "flags": list(self.flags),
            "urgent": self.urgent,
            "spans": [asdict(s) for s in self.spans],
            "personal_data": [asdict(p) for p in self.personal_data],
            "model": self.model,
        }


def _coerce(text: object) -> str:
    if text is None:
        return ""
    if isinstance(text, str):
        return text
    if isinstance(text, (bytes, bytearray, memoryview)):
        return bytes(text).decode("utf-8", "replace")
    return str(text)


class Engine:
    def __init__(self, model: ToxicityModel | None = None, lexicon: Lexicon | None = None) -> None:
        self.model = model or load_model()
        self.lexicon = lexicon or load_lexicon()
        self.thresholds = dict(self.lexicon.thresholds)
        self.thresholds["personal_data"] = PERSONAL_DATA_THRESHOLD

    # ------------------------------------------------------------ public

    def analyze(self, text: str) -> Verdict:
        return self.analyze_many([text])[0]

    def analyze_many(self, texts, *, explain: bool = True) -> list[Verdict]:
        originals = [_coerce(t) for t in texts]
        if not originals:
            return []
        norms = [normalize(t) for t in originals]
        scored = self.model.score([n.text for n in norms])
        by_doc = _group_by_doc(scored) if explain and bool((scored.labels != 0).any()) else None
        version = self.model.version
        probs = scored.probs.round(4).tolist()
        labels = scored.labels.tolist()
        out: list[Verdict] = []
        lex = self.lexicon
        for i, n in enumerate(norms):
            p = probs[i]
            label = LABELS[labels[i]]
            hits = lex.match(n.text) if n.text else []
            cats = lex.scores(n.text, hits) if hits else dict.fromkeys(LEX_CATEGORIES, 0.0)
            p_toxic = p[1] + p[2]
            if p_toxic > 0.3 and lex.has_target(n.text):
                # Insults aimed at someone: the toxicity model backs up the lexicon.
                cats["harassment"] = 1.0 - (1.0 - cats["harassment"]) * (1.0 - 0.8 * p_toxic)
            pii = find_personal_data(n.original) if n.original else []
            cats["personal_data"] = exposure_score(n.original, pii)
            categories = {c: round(float(cats.get(c, 0.0)), 4) for c in CATEGORIES}
            flags = [c for c in CATEGORIES if categories[c] >= self.thresholds.get(c, 0.5)]
            spans: list[Span] = []
            if explain:
                for h in hits:
                    if categories.get(h.category, 0.0) >= self.thresholds.get(h.category, 0.5):
                        s, e = n.to_original(h.start, h.end)
                        spans.append(Span(s, e, h.category))
                if label != "CLEAN" and by_doc is not None:
                    for s, e in self._toxic_spans(scored, by_doc, i, labels[i], n):
                        spans.append(Span(s, e, "toxicity"))
                spans = _maximal(spans)
            out.append(
                Verdict(
                    label=label,
                    scores={LABELS[k]: p[k] for k in range(3)},
                    categories=categories,
                    flags=flags,
                    urgent=any(c in self.lexicon.urgent for c in flags),
                    spans=spans,
                    personal_data=pii,
                    model=version,
                )
            )
        return out

    # ------------------------------------------------------------ explanation

    def _toxic_spans(
        self, scored: Scored, by_doc: tuple[np.ndarray, np.ndarray], doc: int, label: int, n: Normalized
    ) -> list[tuple[int, int]]:
        order, bounds = by_doc
        sel = order[bounds[doc] : bounds[doc + 1]]
        sel = sel[scored.cols[sel] >= 0]
        if len(sel) == 0:
            return []
        g = scored.grams
        c = scored.cols[sel]
        w = self.model.weights
        norm = scored.norms[doc, g.kind[sel]]
        contrib = (w[c, label] - w[c, 0]) / np.where(norm > 0, norm, 1.0)
        pos = contrib > 0
        if not pos.any():
            return []
        sel, contrib = sel[pos], contrib[pos]
        base = int(g.base[doc])
        words = [m.span() for m in _WORD_RE.finditer(n.text)]
        if not words:
            return []
        L = len(n.text)
        st = np.clip(g.start[sel] - base, 0, L)
        en = np.clip(g.end[sel] - base, 0, L)
        ok = en > st
        st, en, contrib = st[ok], en[ok], contrib[ok]
        # Spread each n-gram's contribution evenly over its characters (difference
        # array), then sum per word: linear time even on a megabyte of text.
        diff = np.zeros(L + 1)
        dens = contrib / (en - st)
        np.add.at(diff, st, dens)
        np.add.at(diff, en, -dens)
        prefix = np.concatenate(([0.0], np.cumsum(np.cumsum(diff)[:L])))
        wa = np.array(words, dtype=np.int64)
        score = (prefix[wa[:, 1]] - prefix[wa[:, 0]]).tolist()
        w_starts = wa[:, 0].tolist()
        w_ends = wa[:, 1].tolist()
        top = max(score)
        if top <= _SPAN_ABS:
            return []
        cut = max(_SPAN_ABS, _SPAN_REL * top)
        spans: list[list[int]] = []
        for j, sc in enumerate(score):
            if sc >= cut:
                if spans and spans[-1][2] == j - 1 and n.text[w_ends[j - 1] : w_starts[j]].isspace():
                    spans[-1][1] = w_ends[j]
                    spans[-1][2] = j
                else:
                    spans.append([w_starts[j], w_ends[j], j])
        return [n.to_original(s, e) for s, e, _ in spans]


def _maximal(spans: list[Span]) -> list[Span]:
    """Drop spans inside another span of the same category; sort by position."""
    uniq = sorted(set(spans), key=lambda s: (s.category, s.start, -s.end))
    out: list[Span] = []
    cat, reach = None, -1
    for s in uniq:
        if s.category != cat:
            cat, reach = s.category, -1
        if s.end <= reach:
            continue  # an earlier span of this category starts before and ends after
        out.append(s)
        reach = s.end
    return sorted(out, key=lambda s: (s.start, s.end, s.category))


def _group_by_doc(scored: Scored) -> tuple[np.ndarray, np.ndarray]:
    """N-gram indices sorted by text, and each text's slice bounds."""
    doc = scored.grams.doc
    order = np.argsort(doc, kind="stable")
    bounds = np.searchsorted(doc[order], np.arange(len(scored.labels) + 1))
    return order, bounds


_ENGINE: Engine | None = None
_LOCK = Lock()


def get_engine() -> Engine:
    """The process-wide engine with the shipped model (loaded once)."""
    global _ENGINE
    if _ENGINE is None:
        with _LOCK:
            if _ENGINE is None:
                _ENGINE = Engine()
    return _ENGINE


def analyze(text: str) -> Verdict:
    """Analyse one text (see Verdict)."""
    return get_engine().analyze(text)


def analyze_many(texts, *, explain: bool = True) -> list[Verdict]:
    """Analyse a batch of texts: the fast path (vectorised features)."""
    return get_engine().analyze_many(list(texts), explain=explain)
