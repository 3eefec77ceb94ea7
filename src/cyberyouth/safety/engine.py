"""The engine: normalisation + toxicity model + lexicons + personal data -> Verdict."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice
from threading import Lock

import numpy as np

from .categories import CATEGORIES, CategoryModel, Features, Signals, featurize, load_category_model, load_signals
from .features import Grams, category_grams
from .lexicon import CATEGORIES as LEX_CATEGORIES
from .lexicon import Hit, Lexicon, grams_ok, load_lexicon
from .model import LABELS, Scored, ToxicityModel, load_model
from .normalize import Normalized, normalize
from .pii import PersonalData, exposure_score, find_personal_data, find_personal_data_many

__all__ = ["CATEGORIES", "LABELS", "Engine", "Span", "Verdict", "analyze", "analyze_many", "get_engine"]

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
    """What the engine says about one text.

    `categories` holds a calibrated probability per child-safety category (the learned
    category model; see categories.py), `flags` the categories whose score reaches that
    category's threshold (`Engine.thresholds`), `urgent` is True when `self_harm` is flagged.
    `framing` lists how the text is framed when it is ("prevention", "news", "official",
    "fiction", "volunteer", "health", and "refusal": a request said not to be done, as a
    warning speaks); framing lowers harassment, sexual and violence scores, never self-harm.
    `targeted` is True when the text is aimed at a person (second-person address,
    "nó/con/thằng" + a name, a name with a class)."""

    label: str  # CLEAN | OFFENSIVE | HATE
    scores: dict[str, float]  # calibrated probability per label
    categories: dict[str, float]  # child-safety category scores in [0, 1]
    flags: list[str]  # categories over their thresholds
    urgent: bool  # needs urgent human review (self-harm risk)
    spans: list[Span] = field(default_factory=list)
    personal_data: list[PersonalData] = field(default_factory=list)
    model: str = ""
    framing: list[str] = field(default_factory=list)
    targeted: bool = False

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
            # Explicit dicts: dataclasses.asdict deep-copies recursively (~3 us each).
            "spans": [{"start": s.start, "end": s.end, "category": s.category} for s in self.spans],
            "personal_data": [{"type": p.type, "start": p.start, "end": p.end} for p in self.personal_data],
            "framing": list(self.framing),
            "targeted": self.targeted,
            "model": self.model,
        }


_FIELDS = ("label", "scores", "categories", "flags", "urgent", "spans", "personal_data", "model", "framing", "targeted")
_SETTERS = tuple(Verdict.__dict__[f].__set__ for f in _FIELDS)


def _verdict(label, scores, categories, flags, urgent, spans, personal_data, model, framing=None, targeted=False) -> Verdict:
    """Verdict(...) without the frozen-dataclass __init__ (object.__setattr__ per
    field, ~2 us): the slots are filled through their descriptors. Same object.
    `framing` is kept as given (a new list of the caller's)."""
    v = object.__new__(Verdict)
    s0, s1, s2, s3, s4, s5, s6, s7, s8, s9 = _SETTERS
    s0(v, label)
    s1(v, scores)
    s2(v, categories)
    s3(v, flags)
    s4(v, urgent)
    s5(v, spans)
    s6(v, personal_data)
    s7(v, model)
    s8(v, framing if framing is not None else [])
    s9(v, targeted)
    return v


def _coerce(text: object) -> str:
    if text is None:
        return ""
    if isinstance(text, str):
        return text
    if isinstance(text, (bytes, bytearray, memoryview)):
        return bytes(text).decode("utf-8", "replace")
    return str(text)


@dataclass(slots=True)
class Prepared:
    """Everything computed for a batch before the category decision (training uses it too)."""

    norms: list[Normalized]
    scored: Scored
    hits: list[list[Hit]]
    lex_scores: list[dict[str, float] | None]
    pii: list[list[PersonalData]]
    exposure: list[float]
    features: Features
    # What the category model reads: the word n-grams of `scored.grams`, then the word pairs
    # (`features.category_grams`; what `features.gram_idx` points into).
    grams: Grams


# Floors under the learned scores:
# * identifiers found by pattern (a citizen ID, a phone, an address…) always count for
#   personal_data: their pattern score is a floor;
# * a phrase of the curated lexicon (traps removed, scaled down in warning contexts) that
#   reaches the lexicon's threshold lifts its category to at least the model's threshold —
#   except harassment, sexual and violence in a framed text (prevention, news, official,
#   fiction…). Self-harm phrases always count: nothing hides self-harm.
_FRAMED_DOWN = frozenset({"harassment", "sexual", "violence"})
_NO_SPAN_CUES = frozenset({"first_person", "derogatory_ref", "adult_to_child"})
_SH = CATEGORIES.index("self_harm")
_PD = CATEGORIES.index("personal_data")
# Category explanation: cues and n-grams whose push (in logit units) is large.
_CUE_ABS = 0.5
_GRAM_ABS = 0.3
_GRAM_TOP = 3
_CUE_TOP = 12


class Engine:
    def __init__(
        self,
        model: ToxicityModel | None = None,
        lexicon: Lexicon | None = None,
        category_model: CategoryModel | None | bool = None,
        signals: Signals | None = None,
    ) -> None:
        self.model = model or load_model()
        self.lexicon = lexicon or load_lexicon()
        self.signals = signals or load_signals()
        if category_model is None:
            category_model = load_category_model()
        self.category_model: CategoryModel | None = category_model or None
        self.thresholds = dict(self.lexicon.thresholds)
        self.thresholds["personal_data"] = PERSONAL_DATA_THRESHOLD
        if self.category_model is not None:
            self.thresholds = {c: float(t) for c, t in zip(CATEGORIES, self.category_model.thresholds)}
        self._zero_categories = dict.fromkeys(CATEGORIES, 0.0)
        # Cues and lexicon phrases looked up from the toxicity model's word n-grams when it
        # computes the orders needed (else the regular expressions: the same matches).
        self._cue_grams = grams_ok(self.model.orders())
        # Word pairs with a word between them, added to the n-grams for a category model that reads
        # them (its own `skip_gaps`; training sets this for the engine it featurizes with).
        self.skip_gaps: tuple[int, ...] = ()
        self._framing_idx = [
            (i, g.removeprefix("frame_")) for i, g in enumerate(self.signals.groups) if g in self.signals.framing
        ]
        self._framing_cols = [i for i, _ in self._framing_idx]
        # Cues too plain to show a moderator as evidence on their own ("mình", "em").
        self._no_span = {i for i, g in enumerate(self.signals.groups) if g in _NO_SPAN_CUES}
        self._lex_floor = [(CATEGORIES.index(c), c, float(t)) for c, t in self.lexicon.thresholds.items()
                           if c in CATEGORIES]
        self._target_idx = [self.signals.groups.index(g) for g in ("second_person", "third_person")
                            if g in self.signals.groups] + [len(self.signals.groups)]
        _word_table()  # built with the engine (≈ 40 ms), not inside the first toxic batch

    # ------------------------------------------------------------ public

    def analyze(self, text: str) -> Verdict:
        return self.analyze_many([text])[0]

    def prepare(self, originals: list[str]) -> Prepared:
        norms = [normalize(t) for t in originals]
        texts_n = [n.text for n in norms]
        cm = self.category_model
        scored = self.model.score(texts_n)
        gaps = cm.skip_gaps if cm is not None else self.skip_gaps
        grams = category_grams(scored.grams, texts_n, gaps)
        lex = self.lexicon
        all_hits = lex.match_many(texts_n, scored.grams if self._cue_grams else None)
        lex_scores = [lex.scores(t, h) if h else None for t, h in zip(texts_n, all_hits)]
        pii = find_personal_data_many(originals)
        exposure = [exposure_score(t, p) if p else 0.0 for t, p in zip(originals, pii)]
        feats = featurize(texts_n, originals, grams, scored.probs, lex_scores, pii, exposure,
                          self.signals, cm.kinds if cm is not None else (1, 2), self._cue_grams,
                          cm.min_grams if cm is not None else 1, cm.skip_scale if cm is not None else 1.0)
        return Prepared(norms, scored, all_hits, lex_scores, pii, exposure, feats, grams)

    def analyze_many(self, texts, *, explain: bool = True) -> list[Verdict]:
        originals = [_coerce(t) for t in texts]
        if not originals:
            return []
        if self.category_model is None:
            return self._analyze_lexicon(originals, explain=explain)
        prep = self.prepare(originals)
        norms = prep.norms
        scored = prep.scored
        cm = self.category_model
        z, cols = cm.logits(prep.features)
        P = cm.calibrate(z)
        sh = _SH
        pd = _PD
        lex_thr = self._lex_floor
        thr = cm.thresholds
        D = prep.features.dense
        framed = D[:, self._framing_cols].any(1) if self._framing_cols else np.zeros(len(originals), dtype=bool)
        pd_in_lex = any(k == pd for k, _c, _t in lex_thr)
        for i, sc in enumerate(prep.lex_scores):
            if sc is not None:
                for k, c, t in lex_thr:
                    s = sc.get(c, 0.0)
                    if s >= t and P[i, k] < thr[k] and not (framed[i] and c in _FRAMED_DOWN):
                        P[i, k] = max(s, thr[k])
            if pd_in_lex:
                e = prep.exposure[i]
                if e > P[i, pd]:
                    P[i, pd] = e
        if not pd_in_lex:
            # The exposure floor, for the whole batch (the lexicon floors touch other columns).
            np.maximum(P[:, pd], np.asarray(prep.exposure, dtype=np.float64), out=P[:, pd])
        P = P.round(4)
        over = P >= cm.thresholds
        any_flag = over.any(1).tolist()
        version = self.model.version
        probs = scored.probs.round(4).tolist()
        labels = scored.labels.tolist()
        tox_spans = self._toxic_spans(scored, norms) if explain else {}
        cat_spans = self._category_spans(prep, z, cols, over) if explain else {}
        framing_idx = self._framing_idx
        target = D[:, self._target_idx].any(1).tolist()
        framed_any = D[:, [i for i, _ in framing_idx]].any(1).tolist() if framing_idx else [False] * len(originals)
        rows = P.tolist()
        flag_rows = over.tolist()
        out: list[Verdict] = []
        for i in range(len(norms)):
            p = probs[i]
            lab = labels[i]
            row = rows[i]
            categories = dict(zip(CATEGORIES, row))
            if any_flag[i]:
                fr = flag_rows[i]
                flags = [c for c, f in zip(CATEGORIES, fr) if f]
                urgent = fr[sh]
            else:
                flags = []
                urgent = False
            spans: list[Span] = cat_spans.get(i, [])
            if lab != 0 and i in tox_spans:
                for s, e in tox_spans[i]:
                    spans.append(Span(s, e, "toxicity"))
            if len(spans) > 1:
                spans = _maximal(spans)
            framing = [name for j, name in framing_idx if D[i, j]] if framed_any[i] else []
            out.append(
                _verdict(
                    LABELS[lab],
                    {"CLEAN": p[0], "OFFENSIVE": p[1], "HATE": p[2]},
                    categories,
                    flags,
                    urgent,
                    spans,
                    prep.pii[i],
                    version,
                    framing,
                    bool(target[i]),
                )
            )
        return out

    def _category_spans(self, prep: Prepared, z: np.ndarray, cols: np.ndarray, over: np.ndarray) -> dict[int, list[Span]]:
        """Spans (original offsets) of what drove each flagged category: the lexicon's
        phrases of that category, the cues that pushed the score up most, and the
        n-grams with the largest positive weight."""
        docs = np.flatnonzero(over.any(1))
        if len(docs) == 0:
            return {}
        cm = self.category_model
        f = prep.features
        grams = prep.grams
        out: dict[int, list[Span]] = {}
        # N-gram contributions of the flagged texts, grouped by text.
        flagged = np.zeros(over.shape[0], dtype=bool)
        flagged[docs] = True
        occ = np.flatnonzero((cols >= 0) & flagged[f.gram_doc])
        order = occ[np.argsort(f.gram_doc[occ], kind="stable")]
        wd_l, pair_of, wp_l = self._span_tables()
        nb = f.n_binary
        # Per flagged text: its active cues and its over categories (one numpy pass each,
        # then small Python lists: a numpy call per text costs more than the work).
        docs_l = docs.tolist()
        act_lists: list[list[int]] = [[] for _ in docs_l]
        for r, g in zip(*(a.tolist() for a in np.nonzero(f.dense[docs, :nb]))):
            act_lists[r].append(g)
        cat_lists: list[list[int]] = [[] for _ in docs_l]
        over_rows = over[docs]
        for r, k in zip(*(a.tolist() for a in np.nonzero(over_rows))):
            cat_lists[r].append(k)
        # The known n-grams of the flagged texts whose push on a flagged category of their
        # text exceeds _GRAM_ABS, per (text, category) in n-gram order.
        cand: dict[tuple[int, int], list[tuple[float, int]]] = {}
        if len(order):
            contrib = cm.w_gram[cols[order]] * f.gram_val[order][:, None]
            row_of = np.searchsorted(docs, f.gram_doc[order])
            jj, kk = np.nonzero((contrib > _GRAM_ABS) & over_rows[row_of])
            for j, k, v, r in zip(jj.tolist(), kk.tolist(), contrib[jj, kk].tolist(), row_of[jj].tolist()):
                lst = cand.get((r, k))
                if lst is None:
                    cand[(r, k)] = [(v, j)]
                else:
                    lst.append((v, j))
        gidx = f.gram_idx[order]
        no_span = self._no_span
        for r, i in enumerate(docs_l):
            n = prep.norms[i]
            cats = cat_lists[r]
            found: list[tuple[int, int, str]] = []  # normalised offsets
            act = act_lists[r]
            act_pairs = [pair_of[(g, h)] for x, g in enumerate(act) for h in act[x + 1:] if (g, h) in pair_of]
            cue_list = None
            hits = prep.hits[i]
            for k in cats:
                cat = CATEGORIES[k]
                for h in hits:
                    if h.category == cat:
                        found.append((h.start, h.end, cat))
                # Each cue's push: its own weight plus half of each active pair it is in.
                marg = {g: wd_l[g][k] for g in act}
                for g, h, p in act_pairs:
                    half = 0.5 * wp_l[p][k]
                    marg[g] += half
                    marg[h] += half
                top = max(marg.values(), default=0.0)
                if top > _CUE_ABS:
                    cut = max(_CUE_ABS, _SPAN_REL * top)
                    strong = {g for g, m in marg.items() if m >= cut} - no_span
                    if strong:
                        if cue_list is None:
                            # A long text repeats its cues: the first ones are enough to show.
                            cue_list = (f.cue_pos[i][:256] if f.cue_pos is not None
                                        else list(islice(self.signals.positions(n.text), 256)))
                        shown = 0
                        for g, s, e in cue_list:
                            if g in strong:
                                found.append((s, e, cat))
                                shown += 1
                                if shown >= _CUE_TOP:
                                    break
                # The strongest n-grams (at most _GRAM_TOP per category).
                best = cand.get((r, k))
                if best:
                    cut = max(_GRAM_ABS, _SPAN_REL * max(c for c, _ in best))
                    best = sorted((x for x in best if x[0] >= cut), key=lambda x: (-x[0], x[1]))[:_GRAM_TOP]
                    for _, j in sorted(best, key=lambda x: x[1]):
                        s, e = grams.span(int(gidx[j]))
                        if e > s:
                            found.append((s, e, cat))
            out[i] = [Span(*n.to_original(s, e), cat) for s, e, cat in _merge(found)]
        return out

    def _span_tables(self):
        """Model weights as Python lists for the per-text explanation loop (built once)."""
        t = getattr(self, "_span_tab", None)
        if t is None:
            cm = self.category_model
            pair_of = {}
            for p, (g, h) in enumerate(zip(cm.pair_i.tolist(), cm.pair_j.tolist())):
                pair_of[(g, h)] = (g, h, p)
            t = self._span_tab = (cm.w_dense.tolist(), pair_of, cm.w_pair.tolist())
        return t

    def _analyze_lexicon(self, originals: list[str], *, explain: bool = True) -> list[Verdict]:
        """Categories from the lexicons alone (no category model: used to train one)."""
        norms = [normalize(t) for t in originals]
        texts_n = [n.text for n in norms]
        scored = self.model.score(texts_n)
        version = self.model.version
        probs = scored.probs.round(4).tolist()
        labels = scored.labels.tolist()
        tox_spans = self._toxic_spans(scored, norms) if explain else {}
        out: list[Verdict] = []
        lex = self.lexicon
        thresholds = self.thresholds
        urgent_cats = lex.urgent
        zero = self._zero_categories
        all_hits = lex.match_many(texts_n)
        for i, n in enumerate(norms):
            p = probs[i]
            lab = labels[i]
            t = n.text
            hits = all_hits[i]
            p_toxic = p[1] + p[2]
            targeted = p_toxic > 0.3 and lex.has_target(t)
            pii = find_personal_data(n.original)
            spans: list[Span] = []
            if not (hits or targeted or pii):
                # The common case: no lexicon, target or personal-data candidate.
                categories = zero.copy()
                flags: list[str] = []
                urgent = False
            else:
                cats = lex.scores(t, hits) if hits else dict.fromkeys(LEX_CATEGORIES, 0.0)
                if targeted:
                    # Insults aimed at someone: the toxicity model backs up the lexicon.
                    cats["harassment"] = 1.0 - (1.0 - cats["harassment"]) * (1.0 - 0.8 * p_toxic)
                cats["personal_data"] = exposure_score(n.original, pii)
                categories = {c: round(float(cats.get(c, 0.0)), 4) for c in CATEGORIES}
                flags = [c for c in CATEGORIES if categories[c] >= thresholds.get(c, 0.5)]
                urgent = any(c in urgent_cats for c in flags)
                if explain:
                    for h in hits:
                        if categories.get(h.category, 0.0) >= thresholds.get(h.category, 0.5):
                            s, e = n.to_original(h.start, h.end)
                            spans.append(Span(s, e, h.category))
            if lab != 0 and i in tox_spans:
                for s, e in tox_spans[i]:
                    spans.append(Span(s, e, "toxicity"))
            if len(spans) > 1:
                spans = _maximal(spans)
            out.append(
                _verdict(
                    LABELS[lab],
                    {"CLEAN": p[0], "OFFENSIVE": p[1], "HATE": p[2]},
                    categories,
                    flags,
                    urgent,
                    spans,
                    pii,
                    version,
                )
            )
        return out

    # ------------------------------------------------------------ explanation

    def _toxic_spans(self, scored: Scored, norms: list[Normalized]) -> dict[int, list[tuple[int, int]]]:
        """Spans (original offsets) of the words that pushed each toxic text towards
        its label, for the whole batch at once.

        Each known n-gram of a toxic text contributes (w[label] - w[CLEAN]) / norm; a
        positive contribution is spread evenly over the n-gram's characters and summed
        per word (\\w+ run of the normalised text). Words scoring at least
        max(_SPAN_ABS, _SPAN_REL * best word) form the spans; adjacent ones merge.
        Work is proportional to the toxic texts' n-grams, and per-word sums are
        accumulated in n-gram order, so a text gets the same spans alone or in a batch."""
        labels = scored.labels
        toxic = labels != 0
        if not toxic.any():
            return {}
        g = scored.grams
        sel = np.flatnonzero(toxic[g.doc] & (scored.cols >= 0))
        d = g.doc[sel]
        c = scored.cols[sel]
        w = self.model.weights
        norm = scored.norms[d, g.kind[sel]]
        contrib = (w[c, labels[d]] - w[c, 0]) / np.where(norm > 0, norm, 1.0)
        pos = contrib > 0
        sel, d, contrib = sel[pos], d[pos], contrib[pos]
        base = g.base[d]
        length = g.length[d]
        st = np.clip(g.start[sel] - base, 0, length)
        en = np.clip(g.end[sel] - base, 0, length)
        ok = en > st
        d, st, en, contrib = d[ok], st[ok], en[ok], contrib[ok]
        dens = contrib / (en - st)

        # Words of the toxic texts, in (text, position) order.
        wd_a, ws_a, we_a = _words(np.flatnonzero(toxic), norms)
        nw = len(wd_a)
        if not nw:
            return {}
        wd, ws, we = wd_a.tolist(), ws_a.tolist(), we_a.tolist()
        big = int(g.length.max()) + 2
        # Words overlapping [st, en) of the same text: from the first ending after st
        # to the last starting before en.
        first = np.searchsorted(wd_a * big + we_a, d * big + st, side="right")
        last = np.searchsorted(wd_a * big + ws_a, d * big + en, side="left") - 1
        score = np.zeros(nw)
        j = 0
        while True:
            idx = first + j
            valid = idx <= last
            if not valid.any():
                break
            idx = idx[valid]
            ov = np.minimum(en[valid], we_a[idx]) - np.maximum(st[valid], ws_a[idx])
            score += np.bincount(idx, weights=dens[valid] * np.maximum(ov, 0), minlength=nw)
            j += 1

        # Per text: the best word, the cut, the words over it.
        starts = np.flatnonzero(np.r_[True, wd_a[1:] != wd_a[:-1]])
        top = np.maximum.reduceat(score, starts)
        cut = np.maximum(_SPAN_ABS, _SPAN_REL * top)
        keep_doc = top > _SPAN_ABS
        counts = np.diff(np.r_[starts, nw])
        over = (score >= np.repeat(cut, counts)) & np.repeat(keep_doc, counts)
        out: dict[int, list[tuple[int, int]]] = {}
        cur_doc = -1
        merged: list[list[int]] = []
        for k in np.flatnonzero(over).tolist():
            i = wd[k]
            if i != cur_doc:
                if merged:
                    n = norms[cur_doc]
                    out[cur_doc] = [n.to_original(a, b) for a, b, _ in merged]
                cur_doc, merged = i, []
            text = norms[i].text
            if merged and merged[-1][2] == k - 1 and text[we[k - 1] : ws[k]].isspace():
                merged[-1][1] = we[k]
                merged[-1][2] = k
            else:
                merged.append([ws[k], we[k], k])
        if merged:
            n = norms[cur_doc]
            out[cur_doc] = [n.to_original(a, b) for a, b, _ in merged]
        return out


@lru_cache(maxsize=1)
def _word_table() -> np.ndarray:
    """Which code points `\\w` matches (all of Unicode, lone surrogates included)."""
    table = np.zeros(0x110000, dtype=bool)
    every = np.arange(0x110000, dtype=np.uint32).tobytes().decode("utf-32-le", "surrogatepass")
    for m in _WORD_RE.finditer(every):  # ≈ 40 ms, once
        table[m.start() : m.end()] = True
    return table


def _words(docs: np.ndarray, norms: list[Normalized]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(text index, start, end) of every `\\w+` run of the normalised texts `docs`, in
    (text, position) order — `_WORD_RE.finditer` on each text, in a few numpy passes: the
    texts joined by NUL (never a word character; normalised text holds none) as code points."""
    texts = [norms[i].text for i in docs.tolist()]
    cps = np.frombuffer("\x00".join(texts).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    edge = np.diff(np.concatenate(([False], _word_table()[cps], [False])).astype(np.int8))
    a = np.flatnonzero(edge == 1)
    b = np.flatnonzero(edge == -1)
    lens = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    starts = np.zeros(len(texts), dtype=np.int64)
    np.cumsum(lens[:-1] + 1, out=starts[1:])
    k = np.searchsorted(starts, a, side="right") - 1
    return docs[k].astype(np.int64), a - starts[k], b - starts[k]


def _merge(found: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Overlapping or touching spans of the same category merged into one."""
    out: list[list] = []
    for s, e, c in sorted(set(found), key=lambda x: (x[2], x[0], x[1])):
        if out and out[-1][2] == c and s <= out[-1][1]:
            if e > out[-1][1]:
                out[-1][1] = e
        else:
            out.append([s, e, c])
    return [(s, e, c) for s, e, c in out]


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
