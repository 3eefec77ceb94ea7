"""Readings of students' free text: sentiment, topic and the words behind the sentiment."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from threading import Lock

import numpy as np

from cyberyouth.safety.features import _encode, _is_word_table

from .model import SENTIMENTS, TOPICS, InsightModel, load_model
from .prepare import prepare

__all__ = ["Reading", "Insight", "analyze", "analyze_many", "get_insight", "evaluate",
           "SENTIMENT_LABELS", "TOPIC_LABELS"]

# Vietnamese names for the UI (students of Cát Hải's schools, not UIT's: "thầy cô", not "giảng viên").
SENTIMENT_LABELS = {"negative": "Tiêu cực", "neutral": "Trung tính", "positive": "Tích cực"}
TOPIC_LABELS = {
    "lecturer": "Thầy cô, cách dạy",
    "curriculum": "Chương trình, môn học",
    "facility": "Cơ sở vật chất",
    "others": "Khác",
}

# A word is a cue when its push towards the label (logit units) is at least _CUE_ABS
# and at least _CUE_REL of the strongest word of its text; at most _CUE_TOP phrases.
_CUE_ABS = 0.12
_CUE_REL = 0.35
_CUE_TOP = 3


@dataclass(frozen=True, slots=True)
class Reading:
    """What insight reads in one answer. `cues` are phrases of the prepared (lower-cased,
    normalised) text that pushed hardest towards `sentiment`, strongest first.
    An empty answer, or one made only of what the model never saw, reads as neutral /
    others with confidence 0."""

    sentiment: str  # negative | neutral | positive
    sentiment_confidence: float
    topic: str  # lecturer | curriculum | facility | others
    topic_confidence: float
    cues: tuple[str, ...] = ()

    @property
    def sentiment_label(self) -> str:
        return SENTIMENT_LABELS[self.sentiment]

    @property
    def topic_label(self) -> str:
        return TOPIC_LABELS[self.topic]

    def to_dict(self) -> dict:
        return {"sentiment": self.sentiment, "sentiment_confidence": self.sentiment_confidence,
                "topic": self.topic, "topic_confidence": self.topic_confidence, "cues": list(self.cues)}


_SETTERS = tuple(Reading.__dict__[f].__set__ for f in ("sentiment", "sentiment_confidence", "topic",
                                                         "topic_confidence", "cues"))


def _reading(s: str, sc: float, t: str, tc: float, cues: tuple[str, ...]) -> Reading:
    """Reading(...) without the frozen-dataclass __init__ (object.__setattr__ per field)."""
    r = object.__new__(Reading)
    a, b, c, d, e = _SETTERS
    a(r, s)
    b(r, sc)
    c(r, t)
    d(r, tc)
    e(r, cues)
    return r


class Insight:
    def __init__(self, model: InsightModel | None = None) -> None:
        self.model = model or load_model()

    def analyze(self, text: str) -> Reading:
        return self.analyze_many([text])[0]

    def analyze_many(self, texts, *, cues: bool = True) -> list[Reading]:
        prepared = [prepare(t) for t in texts]
        if not prepared:
            return []
        sc = self.model.score(prepared)
        s_lab = sc.sentiment.argmax(1)
        t_lab = sc.topic.argmax(1)
        s_conf = sc.sentiment[np.arange(len(prepared)), s_lab].round(4)
        t_conf = sc.topic[np.arange(len(prepared)), t_lab].round(4)
        empty = ~sc.known
        if empty.any():
            s_lab[empty] = SENTIMENTS.index("neutral")
            t_lab[empty] = TOPICS.index("others")
            s_conf[empty] = 0.0
            t_conf[empty] = 0.0
        phrases = self._cues(prepared, sc, s_lab) if cues else [()] * len(prepared)
        return [
            _reading(SENTIMENTS[a], c, TOPICS[b], d, p)
            for a, c, b, d, p in zip(s_lab.tolist(), s_conf.tolist(), t_lab.tolist(), t_conf.tolist(), phrases)
        ]

    @staticmethod
    def _widen(padded, run, w_start, w_end, w_doc, score) -> tuple[int, int, float]:
        """A one-syllable cue takes the neighbour (same clause) that pushes the same way most:
        "xã" -> "mạng xã" or "xã hội", "quá" -> "yếu quá" (most Vietnamese words are two syllables)."""
        a, b, v, first, last = run
        if first != last:
            return a, b, v
        # "không", "quá"… reach on to what follows (see _phrase); only one ending its clause
        # ("yếu quá") looks back.
        if padded[a:b] in _REACH and _NEXT_RE.match(padded, b):
            return a, b, v
        best, side = 0.0, 0
        for j, sd in ((first - 1, -1), (first + 1, 1)):
            if 0 <= j < len(w_start) and w_doc[j] == w_doc[first] and score[j] > best:
                gap = padded[w_end[j]:a] if sd < 0 else padded[b:w_start[j]]
                if gap == " ":
                    best, side = float(score[j]), sd
        if side < 0:
            return int(w_start[first - 1]), b, v + best
        if side > 0:
            return a, int(w_end[first + 1]), v + best
        return a, b, v

    def _cues(self, prepared: list[str], sc, labels: np.ndarray) -> list[tuple[str, ...]]:
        """Phrases pushing each text towards its sentiment label, vectorised over the batch.

        Each known n-gram's push (its weight for the label minus the mean of the other
        labels, scaled as in the logit) is split between the first and the last word it
        touches; a word's score is the sum. Chosen words next to each other (only a space
        between) form one phrase."""
        n = len(prepared)
        out: list[tuple[str, ...]] = [()] * n
        sel, contrib = self.model.sentiment_contributions(sc, labels)
        if sel.size == 0:
            return out
        padded, codes, _starts, _lens = _encode(prepared)
        is_w = _is_word_table()[np.minimum(codes, 0xFFFF).astype(np.intp)] & (codes < 0x10000)
        edge = np.diff(np.concatenate(([False], is_w, [False])).astype(np.int8))
        w_start = np.flatnonzero(edge == 1)
        w_end = np.flatnonzero(edge == -1)
        if w_start.size == 0:
            return out
        starts_upto = np.cumsum(edge[:-1] == 1)  # word starts at or before each position
        g = sc.grams
        s = g.start[sel]
        e = g.end[sel] - 1
        first = np.where(is_w[s], starts_upto[s] - 1, starts_upto[s])
        last = starts_upto[e] - 1
        ok = (first <= last) & (last >= 0)
        first, last, half = first[ok], last[ok], contrib[ok] / 2.0
        nw = len(w_start)
        score = np.bincount(first, weights=half, minlength=nw) + np.bincount(last, weights=half, minlength=nw)
        # Text of each word: texts are laid out ' t0 \x01 t1 …', one separator after each.
        sep = np.flatnonzero(codes == 1)
        w_doc = np.searchsorted(sep, w_start)
        # Strongest word of each text (words are in text order: one reduceat, no ufunc.at).
        per_doc = np.bincount(w_doc, minlength=n)
        has = np.flatnonzero(per_doc)
        best = np.zeros(n)
        best[has] = np.maximum.reduceat(score, (np.cumsum(per_doc) - per_doc)[has])
        chosen = np.flatnonzero((score >= _CUE_ABS) & (score >= _CUE_REL * best[w_doc]))
        if chosen.size == 0:
            return out
        cur_doc, runs = -1, []
        docs = w_doc[chosen].tolist()
        ws, we, sv = w_start[chosen].tolist(), w_end[chosen].tolist(), score[chosen].tolist()
        prev = -2

        def flush() -> None:
            out[cur_doc] = _top(padded, [self._widen(padded, r, w_start, w_end, w_doc, score) for r in runs])

        for i, wi in enumerate(chosen.tolist()):
            d = docs[i]
            if d != cur_doc:
                if runs:
                    flush()
                cur_doc, runs, prev = d, [], -2
            if wi == prev + 1 and padded[runs[-1][1]:ws[i]] == " ":
                a, _b, v, first, _last = runs[-1]
                runs[-1] = (a, we[i], v + sv[i], first, wi)
            else:
                runs.append((ws[i], we[i], sv[i], wi, wi))
            prev = wi
        if runs:
            flush()
        return out


# A cue ending in one of these reaches on to the next one or two words ("không" ->
# "không nhiệt tình", "quá nhiều" -> "quá nhiều lý thuyết"); one preceded by a negation
# takes it in ("hiểu" -> "không hiểu"). The word alone says little to a reader.
_REACH = frozenset({"không", "chưa", "chẳng", "chả", "rất", "quá", "hơi", "ít", "nhiều", "thiếu", "khá",
                    "cần", "nên", "hơn", "kém", "thật", "cực", "siêu", "vô"})
_NEGATION = frozenset({"không", "chưa", "chẳng", "chả", "đừng"})
_NEXT_RE = re.compile(r"(?: [^\W\d_]+){1,2}")
_PREV_RE = re.compile(r"([^\W\d_]+) $")
# Tokens of prepared text shown as the reader would write them.
_SHOW = {"colonsmile": ":)", "colonsmilesmile": ":))", "colonbigsmile": ":D", "colonsad": ":(",
         "colonlove": "<3", "colonsurprise": ":O", "coloncontemn": ":/", "wzjwz": "…"}


def _phrase(padded: str, a: int, b: int) -> str:
    words = padded[a:b].split(" ")
    if words[-1] in _REACH:
        m = _NEXT_RE.match(padded, b)
        if m:
            more = m.group(0).split(" ")[1:]
            # Stop before a second reaching word: "không rất" never reads well.
            if len(more) > 1 and more[0] in _REACH:
                more = more[:1]
            words += more
    m = _PREV_RE.search(padded, max(0, a - 12), a)
    if m and m.group(1) in _NEGATION and words[0] not in _NEGATION:
        words.insert(0, m.group(1))
    return " ".join(_SHOW.get(w, w) for w in words if w)


def _top(padded: str, runs: list[tuple[int, int, float]]) -> tuple[str, ...]:
    """The strongest phrases, without repeats; overlapping or touching ones merge
    ("wifi yếu" + "yếu quá" -> "wifi yếu quá")."""
    merged: list[tuple[int, int, float]] = []
    for a, b, v in sorted(runs):
        if merged and (a < merged[-1][1] or padded[merged[-1][1]:a] == " "):
            ma, mb, mv = merged[-1]
            merged[-1] = (ma, max(mb, b), mv + v)
        else:
            merged.append((a, b, v))
    runs = sorted(merged, key=lambda r: -r[2])[:_CUE_TOP]
    seen: list[str] = []
    for a, b, _v in runs:
        p = _phrase(padded, a, b)
        # A phrase inside one already shown adds nothing.
        if p and not any(p in q for q in seen):
            seen = [q for q in seen if q not in p] + [p]
    return tuple(seen)


_INSIGHT: Insight | None = None
_LOCK = Lock()


def get_insight() -> Insight:
    """The shared instance with the shipped model (loaded once, on first use)."""
    global _INSIGHT
    if _INSIGHT is None:
        with _LOCK:
            if _INSIGHT is None:
                _INSIGHT = Insight()
    return _INSIGHT


def analyze(text: str) -> Reading:
    return get_insight().analyze(text)


def analyze_many(texts: list[str]) -> list[Reading]:
    return get_insight().analyze_many(texts)


def evaluate(
    data: str | Path,
    model: InsightModel | None = None,
    text_col: str | None = None,
    sentiment_col: str | None = "sentiment",
    topic_col: str | None = "topic",
) -> dict:
    """Metrics of the (shipped or given) model on a labelled CSV: per head, weighted
    and macro F1 and per-class precision/recall/F1. Heads without labels are left out."""
    from .train import DataError, load_csv, metrics

    texts, ys, yt = load_csv(data, text_col, sentiment_col, topic_col)
    if ys is None and yt is None:
        raise DataError(f"{data}: no sentiment or topic column")
    ins = Insight(model) if model is not None else get_insight()
    readings = ins.analyze_many(texts, cues=False)
    out: dict = {"model": ins.model.version, "file": Path(data).name, "n": len(texts)}
    if ys is not None:
        pred = np.array([SENTIMENTS.index(r.sentiment) for r in readings], dtype=np.int64)
        out["sentiment"] = metrics(ys, pred, SENTIMENTS)
    if yt is not None:
        pred = np.array([TOPICS.index(r.topic) for r in readings], dtype=np.int64)
        out["topic"] = metrics(yt, pred, TOPICS)
    return out
