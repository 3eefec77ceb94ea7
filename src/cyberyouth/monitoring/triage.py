"""Between the engine and the queue: run `cyberyouth.safety`, flatten its verdicts into plain
data we store, and rank them against the operators' thresholds.

The engine only scores and explains. Whether an item enters the queue depends on thresholds
people set (Category.threshold); what happens to it depends on a person's decision.
"""

from dataclasses import dataclass, field

# The toxicity model's two labels, as categories of their own beside the engine's eight
# (cyberyouth.safety.categories.CATEGORIES).
TOXICITY_CATEGORIES = {"HATE": "hate", "OFFENSIVE": "offensive"}

# (code, name, severity tier, default threshold). Self-harm risk and sexual exploitation of
# minors come first in the queue; then harms to a person; then lures (scams, betting, drugs).
DEFAULT_CATEGORIES = [
    ("self_harm", "Tự hại, nguy cơ tự tử", 5, 0.5),
    ("sexual", "Tình dục, xâm hại tình dục trẻ em", 5, 0.5),
    ("violence", "Bạo lực", 4, 0.6),
    ("harassment", "Bắt nạt, quấy rối", 4, 0.6),
    ("hate", "Thù ghét, kỳ thị", 4, 0.6),
    ("personal_data", "Lộ dữ liệu cá nhân của học sinh", 3, 0.5),
    ("scam", "Lừa đảo", 3, 0.6),
    ("gambling", "Cờ bạc, cá độ", 2, 0.6),
    ("drugs", "Ma túy, chất cấm", 3, 0.6),
    ("offensive", "Ngôn từ thô tục, xúc phạm", 1, 0.8),
]


@dataclass
class Analysis:
    """A verdict as plain data: what we store on the item."""

    toxicity: str
    scores: dict[str, float]
    spans: list[dict]
    personal_data: list[dict] = field(default_factory=list)
    model_version: str = ""
    urgent: bool = False  # the engine's own call for urgent human review (self-harm risk)
    # The engine's own decisions: categories whose calibrated score reaches the engine's
    # per-category threshold (chosen by cross-validation when the model was trained).
    flags: list[str] = field(default_factory=list)


def _get(obj, *names, default=None):
    for name in names:
        if isinstance(obj, dict):
            if name in obj:
                return obj[name]
        elif hasattr(obj, name):
            return getattr(obj, name)
    return default


def _text(value) -> str:
    value = getattr(value, "value", value)
    return str(value) if value is not None else ""


def _span(span, default_category: str = "") -> dict | None:
    if isinstance(span, (tuple, list)) and len(span) >= 2:
        start, end = span[0], span[1]
        category = span[2] if len(span) > 2 else default_category
    else:
        start, end = _get(span, "start"), _get(span, "end")
        category = _get(span, "category", "type", "kind", "label", default=default_category)
    if start is None or end is None:
        return None
    return {"start": int(start), "end": int(end), "category": _text(category).lower()}


def flatten(verdict) -> Analysis:
    """One engine verdict → Analysis (JSON-able)."""
    if hasattr(verdict, "categories") and hasattr(verdict, "personal_data") and hasattr(verdict, "urgent"):
        return _flatten_verdict(verdict)
    return _flatten_generic(verdict)


def _flatten_verdict(v) -> Analysis:
    """The fast path for `cyberyouth.safety.Verdict` (this runs once per ingested item)."""
    label = str(v.label).upper()
    scores = {k: round(float(p), 4) for k, p in v.categories.items()}
    probabilities = v.scores or {}
    for tox_label, code in TOXICITY_CATEGORIES.items():
        if tox_label in probabilities:
            scores[code] = round(float(probabilities[tox_label]), 4)
    toxic_as = TOXICITY_CATEGORIES.get(label, "offensive")
    spans = [{"start": s.start, "end": s.end, "category": toxic_as if s.category == "toxicity" else s.category}
             for s in v.spans]
    personal = [{"type": p.type, "start": p.start, "end": p.end} for p in v.personal_data]
    return Analysis(toxicity=label, scores=scores, spans=spans, personal_data=personal, model_version=v.model or "",
                    urgent=bool(v.urgent), flags=[str(f) for f in v.flags])


def _flatten_generic(verdict) -> Analysis:
    """Any verdict-like object or dict (older engine versions, tests of the adapter)."""
    label = _text(_get(verdict, "label", "toxicity", default="CLEAN")).upper()
    probabilities = _get(verdict, "probabilities", "toxicity_probabilities", "scores", default={}) or {}
    probabilities = {_text(k).upper(): float(v) for k, v in dict(probabilities).items()}
    raw_scores = _get(verdict, "categories", "category_scores", default={}) or {}
    scores = {_text(k).lower(): round(float(v), 4) for k, v in dict(raw_scores).items()}
    for tox_label, code in TOXICITY_CATEGORIES.items():
        if tox_label in probabilities:
            scores[code] = round(probabilities[tox_label], 4)
    spans = [s for s in (_span(s) for s in (_get(verdict, "spans", default=[]) or [])) if s]
    # The engine names toxicity spans "toxicity": show them under the label they support.
    for span in spans:
        if span["category"] == "toxicity":
            span["category"] = TOXICITY_CATEGORIES.get(label, "offensive")
    personal = []
    for found in _get(verdict, "personal_data", "pii", default=[]) or []:
        kind = _text(_get(found, "type", "kind", "category", default="")).lower()
        inner = _get(found, "span", default=found)
        span = _span(inner, default_category="personal_data")
        if span:
            personal.append({"type": kind, "start": span["start"], "end": span["end"]})
    return Analysis(toxicity=label, scores=scores, spans=spans, personal_data=personal,
                    model_version=_text(_get(verdict, "model_version", "model", "version", default="")),
                    urgent=bool(_get(verdict, "urgent", default=False)),
                    flags=[_text(f).lower() for f in (_get(verdict, "flags", default=[]) or [])])


def analyze_texts(texts: list[str]) -> list[Analysis]:
    """Run the engine on a batch (one call: it is vectorised)."""
    from cyberyouth import safety

    if not texts:
        return []
    return [flatten(v) for v in safety.analyze_many(list(texts))]


@dataclass(frozen=True)
class Rule:
    code: str
    severity: int
    threshold: float | None


def rank(analysis: Analysis, rules: list[Rule], *, reported: bool = False) -> tuple[str, int, float, bool]:
    """(top category, severity tier, score, enters the queue?) for one analysis.

    A category is over when its score reaches the operator's threshold, or when the engine
    flagged it (its own per-category threshold: the calibrated scores of the learned category
    model are not all cut at the same value). Over categories decide the tier; the highest
    tier wins, then the highest score. A report from a person always enters the queue: a
    human asked for a review."""
    best: tuple[int, float, str] | None = None
    top_any: tuple[float, str] = (0.0, "")
    for rule in rules:
        score = analysis.scores.get(rule.code)
        if score is None:
            continue
        if score > top_any[0]:
            top_any = (score, rule.code)
        if (rule.threshold is not None and score >= rule.threshold) or rule.code in analysis.flags:
            candidate = (rule.severity, score, rule.code)
            if best is None or candidate[:2] > best[:2]:
                best = candidate
    if analysis.urgent:
        tier = max((r.severity for r in rules), default=0)
        score = analysis.scores.get("self_harm", best[1] if best else top_any[0])
        if best is None or best[0] < tier:
            best = (tier, max(score, best[1] if best else 0.0), "self_harm")
    if best is not None:
        return best[2], best[0], best[1], True
    # Nothing over a threshold: the engine flagged nothing (no category, so that precision
    # is not charged for it), even if a person's report puts the item in the queue.
    return "", 0, top_any[0], reported
