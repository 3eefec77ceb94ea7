"""Insight into students' free text: sentiment, topic, cues and themes. Offline, numpy only.

Pure Python + numpy; never imports Django (the surveys app calls into it).

    >>> from cyberyouth.insight import analyze, themes
    >>> r = analyze("Thầy dạy rất nhiệt tình, dễ hiểu")
    >>> r.sentiment, r.topic
    ('positive', 'lecturer')

`analyze_many` is the batched fast path; `themes` counts the most frequent
meaningful phrases of a group of answers. The model is trained on UIT-VSFC
(students' feedback on teaching); see docs/insight.md.
"""

from __future__ import annotations

from .engine import SENTIMENT_LABELS, TOPIC_LABELS, Insight, Reading, analyze, analyze_many, get_insight
from .model import SENTIMENTS, TOPICS
from .themes import themes

__all__ = [
    "MODEL_VERSION",
    "SENTIMENTS",
    "SENTIMENT_LABELS",
    "TOPICS",
    "TOPIC_LABELS",
    "Insight",
    "Reading",
    "analyze",
    "analyze_many",
    "get_insight",
    "themes",
]


def __getattr__(name: str) -> str:
    # MODEL_VERSION is read from the shipped artifact on first access, not at import.
    if name == "MODEL_VERSION":
        return get_insight().model.version
    raise AttributeError(f"module 'cyberyouth.insight' has no attribute {name!r}")
