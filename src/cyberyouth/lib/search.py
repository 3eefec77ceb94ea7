"""The shell's search: the result type every app's `search` hook returns (see web.registry.search_groups)."""

from dataclasses import dataclass

LIMIT = 10  # results per group


@dataclass(frozen=True)
class SearchHit:
    title: str
    url: str
    detail: str = ""
