"""A connector to `cyberyouth.insight` (sentiment and themes of free text, pure Python).

Surveys read students' free text only through here, so that the app runs — without the
sentiment and theme panels — where the insight model is not installed."""

from collections.abc import Sequence


def _insight():
    try:
        import cyberyouth.insight as insight
    except ImportError:
        return None
    return insight if hasattr(insight, "analyze_many") else None


def available() -> bool:
    return _insight() is not None


def sentiments(texts: Sequence[str]) -> list[str]:
    """"negative" / "neutral" / "positive" per text ('' for each when insight is absent)."""
    insight = _insight()
    if insight is None or not texts:
        return ["" for _ in texts]
    return [r.sentiment for r in insight.analyze_many(list(texts))]


def themes(texts: Sequence[str], *, top: int = 8) -> list[tuple[str, int]]:
    insight = _insight()
    if insight is None or not texts:
        return []
    return list(insight.themes(list(texts), top=top))


def sentiment_labels() -> dict[str, str]:
    insight = _insight()
    labels = getattr(insight, "SENTIMENT_LABELS", None) if insight else None
    return dict(labels) if labels else {"negative": "Tiêu cực", "neutral": "Trung tính", "positive": "Tích cực"}
