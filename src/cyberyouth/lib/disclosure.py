"""The small-group rule — the one place that decides what may be shown about students.

Any figure below school level that is about fewer than `SMALL_GROUP_MIN` (5) students is shown
as "< 5", and where a row's total is shown, a second cell is suppressed too, so that nobody can
subtract the hidden one back from the total (complementary suppression). Every aggregate about
students — classes, grades, survey answers, helpline statistics — passes through here.
"""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.conf import settings

K = TypeVar("K")


def min_group() -> int:
    return int(getattr(settings, "SMALL_GROUP_MIN", 5))


def suppressed_label() -> str:
    return f"< {min_group()}"


@dataclass(frozen=True)
class Figure:
    """A count as it may be shown: `value` is None when it must not be shown."""

    value: int | None
    reason: str = ""  # "small" (primary) or "complement" (secondary), empty when shown

    @property
    def shown(self) -> bool:
        return self.value is not None

    def __str__(self) -> str:
        return str(self.value) if self.value is not None else suppressed_label()


def is_small(count: int) -> bool:
    """Whether a group of `count` people is too small to show (0 is not a group: shown)."""
    return 0 < count < min_group()


def figure(count: int) -> Figure:
    return Figure(None, "small") if is_small(count) else Figure(count)


@dataclass(frozen=True)
class ProtectedRow(Generic[K]):
    cells: dict[K, Figure]
    total: Figure


def protect(counts: Mapping[K, int], *, total: int | None = None) -> ProtectedRow[K]:
    """Counts that add up to a total (the classes of a school, the answers to a question),
    as they may be shown. A cell under the threshold is hidden; if exactly one cell is hidden
    while the total is shown, the smallest other non-zero cell is hidden as well."""
    total_value = sum(counts.values()) if total is None else total
    total_figure = figure(total_value)
    cells = {key: figure(n) for key, n in counts.items()}
    if not total_figure.shown:
        cells = {key: Figure(None, "small") if n else Figure(0) for key, n in counts.items()}
        return ProtectedRow(cells, total_figure)
    hidden = [k for k, f in cells.items() if not f.shown]
    if len(hidden) == 1:
        candidates = sorted((n, i) for i, (k, n) in enumerate(counts.items()) if cells[k].shown and n > 0)
        if candidates:
            key = list(counts)[candidates[0][1]]
            cells[key] = Figure(None, "complement")
    return ProtectedRow(cells, total_figure)


def rate(numerator: int, denominator: int) -> float | None:
    """numerator / denominator as a share, or None when the group (the denominator) is small
    or the numerator or the rest is a small group that the share would reveal."""
    if denominator <= 0 or is_small(denominator) or is_small(numerator) or is_small(denominator - numerator):
        return None
    return numerator / denominator


class LinkedFigures(Mapping[Any, Figure]):
    """The result of `protect_linked`: key → Figure, made when asked (a survey has ~10⁵ counts)."""

    def __init__(self, counts: Mapping[Any, int], reasons: dict[Any, str]):
        self._counts, self._reasons = counts, reasons

    def __getitem__(self, key: Any) -> Figure:
        reason = self._reasons.get(key)
        return Figure(None, reason) if reason else Figure(self._counts[key])

    def __iter__(self) -> Iterator[Any]:
        return iter(self._counts)

    def __len__(self) -> int:
        return len(self._counts)


def protect_linked(counts: Mapping[K, int], relations: list[tuple[K, list[K]]], *,
                   fixed: Mapping[K, str] | None = None) -> LinkedFigures:
    """Counts tied together by sums, as they may be shown — a results table with its margins,
    over a hierarchy (survey → schools → grades → classes) and across a question's answers.
    Each relation says `total = sum(parts)`. Every count under the threshold is hidden; then,
    until nothing changes, a relation with exactly one hidden member hides one more: the
    smallest shown non-zero part (else the total), so no hidden count can be worked back by
    subtracting shown ones — within a table, or between two breakdowns that differ by a
    small group (differencing). Computing it over every figure a survey shows, once, keeps
    every page that shows a slice of them consistent. `fixed` are counts decided before (the
    level above, in a hierarchy computed level by level): key → "" (shown) or the reason it is
    hidden; they are never changed here. Ties go to the first key in `counts`' order."""
    fixed = fixed or {}
    keys = list(counts)
    index = {key: i for i, key in enumerate(keys)}
    values = [counts[key] for key in keys]
    lo, k = 0, min_group()
    locked = bytearray(1 if key in fixed else 0 for key in keys)
    hidden = bytearray((1 if fixed[key] else 0) if key in fixed else (1 if lo < v < k else 0)
                       for key, v in zip(keys, values, strict=True))
    reasons: dict = {key: fixed.get(key) or "small" for i, key in enumerate(keys) if hidden[i]}
    if not reasons:
        return LinkedFigures(counts, reasons)
    # relations as lists of indices, the total first; a key missing from `counts` is a shown 0
    linked: list[list[int]] = []
    by_member: list[list[int]] = [[] for _ in keys]
    for total, parts in relations:
        members = [index[m] for m in (total, *parts) if m in index]
        if total not in index:
            members.insert(0, -1)
        r = len(linked)
        linked.append(members)
        for m in members:
            if m >= 0:
                by_member[m].append(r)
    todo = [r for r, members in enumerate(linked) if any(m >= 0 and hidden[m] for m in members)]
    while todo:
        members = linked[todo.pop()]
        if sum(1 for m in members if m >= 0 and hidden[m]) != 1:
            continue
        head, rest = members[0], members[1:]
        candidates = [m for m in rest if not hidden[m] and not locked[m] and values[m] > 0]
        if not candidates and head >= 0 and not hidden[head] and not locked[head] and values[head] > 0:
            candidates = [head]
        if not candidates:
            continue
        chosen = min(candidates, key=lambda m: (values[m], m))
        hidden[chosen] = 1
        reasons[keys[chosen]] = "complement"
        todo.extend(by_member[chosen])
    return LinkedFigures(counts, reasons)
