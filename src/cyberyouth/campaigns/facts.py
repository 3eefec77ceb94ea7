"""An aggregation engine: the per-unit day facts compliance is counted from (`UnitDayFacts`).

Each post write (new post, mark changed) refreshes its unit's row for the post's year from the
posts themselves, under a row lock, inside the writing transaction — so the facts are never a
second truth: they are the posts, summarised. `rebuild` recomputes rows in bulk (the demo's and
the benchmark's bulk loads, or a repair). `matrix` reads them as day × unit arrays (numpy) for
`selectors.compliance_of`.
"""

from __future__ import annotations

from datetime import date

import numpy as np
from django.db import IntegrityError, transaction
from django.db.models import Count, Q

from .models import Post, PostKind, UnitDayFacts

BYTES = 46  # 368 bits ≥ 366 days
MONTHS = np.dtype("<u4")  # a month's post count: 4 bytes, little-endian; 12 to a row
NO_MONTHS = bytes(12 * MONTHS.itemsize)


def months_bytes(counts: list[int]) -> bytes:
    return np.asarray(counts, dtype=MONTHS).tobytes()


def months_of(data) -> list[int]:
    return np.frombuffer(bytes(data), dtype=MONTHS).tolist()


def _bits(days: list[int]) -> bytes:
    value = 0
    for d in days:
        value |= 1 << d
    return value.to_bytes(BYTES, "little")


def _facts_from_posts(*, unit_id: int, year: int) -> tuple[bytes, bytes, bytes]:
    jan1 = date(year, 1, 1)
    rows = (Post.objects.filter(unit_id=unit_id, day__year=year).values("day")
            .annotate(good=Count("id", filter=Q(kind=PostKind.GOOD_NEWS)), story=Count("id", filter=Q(kind=PostKind.STORY)),
                      n=Count("id")))
    good, story, months = [], [], [0] * 12
    for row in rows:
        index = (row["day"] - jan1).days
        if row["good"]:
            good.append(index)
        if row["story"]:
            story.append(index)
        months[row["day"].month - 1] += row["n"]
    return _bits(good), _bits(story), months_bytes(months)


def refresh(*, unit_id: int, year: int) -> None:
    """Recompute one unit's row for `year` from its posts (called by every service that writes a
    post or its mark, in the same transaction). The row is locked first, so two writes for one
    unit at the same time queue and the second sees the first's post."""
    with transaction.atomic():
        row = UnitDayFacts.objects.select_for_update().filter(unit_id=unit_id, year=year).first()
        if row is None:
            try:
                with transaction.atomic():
                    row = UnitDayFacts.objects.create(unit_id=unit_id, year=year, good=bytes(BYTES),
                                                      story=bytes(BYTES), months=NO_MONTHS)
            except IntegrityError:  # created meanwhile by another write
                pass
            row = UnitDayFacts.objects.select_for_update().get(unit_id=unit_id, year=year)
        row.good, row.story, row.months = _facts_from_posts(unit_id=unit_id, year=year)
        row.save(update_fields=["good", "story", "months"])


def rebuild(*, year: int, unit_ids: set[int] | None = None) -> int:
    """Recompute the rows of `year` (of `unit_ids`, or of every unit) from the posts in one grouped
    pass; returns the rows written."""
    posts = Post.objects.filter(day__year=year)
    if unit_ids is not None:
        posts = posts.filter(unit_id__in=unit_ids)
    grouped = (posts.values("unit_id", "day")
               .annotate(good=Count("id", filter=Q(kind=PostKind.GOOD_NEWS)),
                         story=Count("id", filter=Q(kind=PostKind.STORY)), n=Count("id"))
               .order_by("unit_id"))
    jan1 = date(year, 1, 1)
    rows: list[UnitDayFacts] = []
    written = 0
    current, good, story, months = None, 0, 0, [0] * 12

    def flush():
        rows.append(UnitDayFacts(unit_id=current, year=year, good=good.to_bytes(BYTES, "little"),
                                 story=story.to_bytes(BYTES, "little"), months=months_bytes(months)))

    with transaction.atomic():
        stale = UnitDayFacts.objects.filter(year=year)
        if unit_ids is not None:
            stale = stale.filter(unit_id__in=unit_ids)
        stale.delete()
        for row in grouped.iterator(chunk_size=20000):
            if row["unit_id"] != current:
                if current is not None:
                    flush()
                current, good, story, months = row["unit_id"], 0, 0, [0] * 12
            index = (row["day"] - jan1).days
            if row["good"]:
                good |= 1 << index
            if row["story"]:
                story |= 1 << index
            months[row["day"].month - 1] += row["n"]
            if len(rows) >= 5000:
                UnitDayFacts.objects.bulk_create(rows)
                written += len(rows)
                rows.clear()
        if current is not None:
            flush()
        UnitDayFacts.objects.bulk_create(rows)
        written += len(rows)
    return written


def _rows(parts: list, at: list[int], n: int, width: int, dtype) -> np.ndarray:
    """An n × width array with the fixed-width byte strings `parts` at rows `at`, zeros elsewhere."""
    out = np.zeros((n, width), dtype=dtype)
    if parts:
        out[np.asarray(at, dtype=np.intp)] = np.frombuffer(b"".join(parts), dtype=dtype).reshape(len(parts), width)
    return out


def matrix(*, unit_ids: list[int], start: date, end: date) -> tuple[np.ndarray, np.ndarray, dict[int, np.ndarray]]:
    """(good, story, months): two bool arrays of len(unit_ids) × the days of [start, end] (a unit
    without facts has no day), and year → len(unit_ids) × 12 post counts. The rows' bytes are
    joined and read by numpy in one call per column, not one per row."""
    goods, stories, months = [], [], {}
    index = {uid: i for i, uid in enumerate(unit_ids)}
    for year in range(start.year, end.year + 1):
        rows = UnitDayFacts.objects.filter(year=year).order_by()
        if len(unit_ids) <= 2000:  # a long IN list costs more than reading the year's rows and skipping
            rows = rows.filter(unit_id__in=unit_ids)
        at, good, story, month = [], [], [], []
        for uid, g, s, m in rows.values_list("unit_id", "good", "story", "months").iterator(chunk_size=10000):
            i = index.get(uid)
            if i is not None:
                at.append(i)
                good.append(g)
                story.append(s)
                month.append(m)
        jan1 = date(year, 1, 1)
        days = slice((max(start, jan1) - jan1).days, (min(end, date(year, 12, 31)) - jan1).days + 1)
        for parts, out in ((good, goods), (story, stories)):
            bits = np.unpackbits(_rows(parts, at, len(unit_ids), BYTES, np.uint8), axis=1, bitorder="little")
            out.append(bits[:, days].astype(bool))
        months[year] = _rows(month, at, len(unit_ids), 12, MONTHS)
    return np.concatenate(goods, axis=1), np.concatenate(stories, axis=1), months
