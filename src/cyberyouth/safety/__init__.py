"""Vietnamese harmful-content engine: offline, explainable, fast on one CPU core.

Pure Python + numpy; never imports Django (the web app calls into it, not the
other way round).

    >>> from cyberyouth.safety import analyze
    >>> v = analyze("đm thằng óc chó")
    >>> v.label, v.flags
    ('OFFENSIVE', ['harassment'])

`analyze_many` is the batched fast path (vectorised features); `analyze` is the
same thing for one text.
"""

from __future__ import annotations

from .engine import (
    CATEGORIES,
    LABELS,
    Engine,
    Span,
    Verdict,
    analyze,
    analyze_many,
    get_engine,
)
from .pii import PersonalData

__all__ = [
    "CATEGORIES",
    "LABELS",
    "MODEL_VERSION",
    "Engine",
    "PersonalData",
    "Span",
    "Verdict",
    "analyze",
    "analyze_many",
    "get_engine",
]


def __getattr__(name: str) -> str:
    # MODEL_VERSION is read from the shipped artifact on first access, not at import.
    if name == "MODEL_VERSION":
        return get_engine().model.version
    raise AttributeError(f"module 'cyberyouth.safety' has no attribute {name!r}")
