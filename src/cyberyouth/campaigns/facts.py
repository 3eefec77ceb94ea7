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


def _bits(days: list[int]) -> bytes:
    value = 0
    for d in days:
        value |= 1 << d
    return value.to_bytes(BYTES, "little")


def _facts_from_posts(*, unit_id: int, year: int) -> tuple[bytes, bytes, list[int]]:
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
    return _bits(good), _bits(story), months


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
                                                      story=bytes(BYTES), posts=[0] * 12)
            except IntegrityError:  # created meanwhile by another write
                pass
            row = UnitDayFacts.objects.select_for_update().get(unit_id=unit_id, year=year)
        row.good, row.story, row.posts = _facts_from_posts(unit_id=unit_id, year=year)
        row.save(update_fields=["good", "story", "posts"])


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
                                 story=story.to_bytes(BYTES, "little"), posts=months))

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


def matrix(*, unit_ids: list[int], start: date, end: date) -> tuple[np.ndarray, np.ndarray, dict]:
    """(good, story, posts): two bool arrays of len(unit_ids) × the days of [start, end] (a unit
    without facts has no day), and (unit id, year) → the 12 month counts."""
    goods, stories, posts = [], [], {}
    index = {uid: i for i, uid in enumerate(unit_ids)}
    for year in range(start.year, end.year + 1):
        g = np.zeros((len(unit_ids), BYTES), dtype=np.uint8)
        s = np.zeros((len(unit_ids), BYTES), dtype=np.uint8)
        rows = UnitDayFacts.objects.filter(year=year)
        if len(unit_ids) <= 2000:  # a long IN list costs more than reading the year's rows and skipping
            rows = rows.filter(unit_id__in=unit_ids)
        for uid, good, story, months in rows.values_list("unit_id", "good", "story", "posts").iterator(chunk_size=10000):
            i = index.get(uid)
            if i is None:
                continue
            g[i] = np.frombuffer(bytes(good), dtype=np.uint8)
            s[i] = np.frombuffer(bytes(story), dtype=np.uint8)
            posts[(uid, year)] = months
        jan1 = date(year, 1, 1)
        first = (max(start, jan1) - jan1).days
        last = (min(end, date(year, 12, 31)) - jan1).days
        goods.append(np.unpackbits(g, axis=1, bitorder="little")[:, first:last + 1].astype(bool))
        stories.append(np.unpackbits(s, axis=1, bitorder="little")[:, first:last + 1].astype(bool))
    return np.concatenate(goods, axis=1), np.concatenate(stories, axis=1), posts
