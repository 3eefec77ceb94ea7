"""The day facts compliance reads are the posts, summarised: every write path keeps them equal to
a recount, a duplicate or a refused file changes nothing, and compliance from them equals a
count made straight from the posts."""

from datetime import date, datetime

import pytest
from openpyxl import Workbook

from cyberyouth.campaigns import facts, selectors, services
from cyberyouth.campaigns.models import Post, PostKind, UnitDayFacts
from cyberyouth.errors import DomainError

from .conftest import VN


def _row(unit, year):
    row = UnitDayFacts.objects.filter(unit=unit, year=year).first()
    return (bytes(row.good), bytes(row.story), facts.months_of(row.months)) if row else None


def _recount(unit, year):
    facts.rebuild(year=year, unit_ids={unit.id})
    return _row(unit, year)


def test_every_write_keeps_the_facts_equal_to_a_recount(db, people, units, channel_of):
    unit = units["thcs-cat-ba"]
    channel = channel_of(unit)
    focal = people["daumoi.thcscatba"]
    post, _ = services.post_add(actor=focal, channel_id=channel.id, url=f"{channel.address}/posts/1",
                                posted_at=datetime(2026, 3, 31, 23, 30, tzinfo=VN))
    services.post_add(actor=focal, channel_id=channel.id, url=f"{channel.address}/posts/1/?fbclid=x",
                      posted_at=datetime(2026, 3, 31, 23, 30, tzinfo=VN))  # the same post again
    services.post_mark(actor=focal, post_id=post.pk, kind=PostKind.GOOD_NEWS)
    story, _ = services.post_add(actor=focal, channel_id=channel.id, url=f"{channel.address}/posts/2",
                                 posted_at=datetime(2026, 4, 1, 7, 0, tzinfo=VN))
    services.post_mark(actor=focal, post_id=story.pk, kind=PostKind.STORY)
    kept = _row(unit, 2026)
    assert kept == _recount(unit, 2026)
    good, stories, months = kept
    jan1 = date(2026, 1, 1)
    assert int.from_bytes(good, "little") == 1 << (date(2026, 3, 31) - jan1).days  # Viet Nam's day
    assert int.from_bytes(stories, "little") == 1 << (date(2026, 4, 1) - jan1).days
    assert months[2:4] == [1, 1] and sum(months) == 2  # the duplicate counted once
    services.post_mark(actor=focal, post_id=post.pk, kind=PostKind.NEITHER)  # unmarked: the day goes
    assert int.from_bytes(_row(unit, 2026)[0], "little") == 0
    assert _row(unit, 2026) == _recount(unit, 2026)


def test_a_refused_file_leaves_the_facts_as_they_were(db, people, units, channel_of):
    from django.core.files.uploadedfile import SimpleUploadedFile

    unit = units["thcs-cat-ba"]
    channel = channel_of(unit)
    wb = Workbook()
    ws = wb.active
    ws.append(list(services.XLSX_COLUMNS))
    ws.append([channel.address, f"{channel.address}/posts/7", datetime(2026, 3, 2, 8, 0), "tốt", None, None, None])
    ws.append([channel.address, f"{channel.address}/posts/8", "03/03/2026 08:00", "ngày gõ chữ", None, None, None])
    import io

    data = io.BytesIO()
    wb.save(data)
    before = _row(unit, 2026)
    with pytest.raises(DomainError):
        services.posts_import_xlsx(actor=people["daumoi.thcscatba"],
                                   upload=SimpleUploadedFile("bai.xlsx", data.getvalue()))
    assert _row(unit, 2026) == before and not Post.objects.filter(channel=channel).exists()


def test_compliance_from_the_facts_equals_a_count_from_the_posts(db, people, units):
    """The demo's months of posts: the facts path against the obvious per-unit count."""
    from datetime import timedelta

    from cyberyouth.orgs import selectors as org_selectors

    year = org_selectors.today().year
    today = org_selectors.today()
    ids = set(Post.objects.values_list("unit_id", flat=True).distinct())
    for month in (None, 5, today.month):
        rows = {r.unit.id: r for r in selectors.compliance_of(unit_ids=ids, year=year, month=month, today=today)}
        start, end = selectors.period(year, month)
        end_so_far = min(end, today)
        weeks = [w for w in selectors.weeks_in(start, end) if w <= today]
        for uid in ids:
            good = set(Post.objects.filter(unit_id=uid, kind=PostKind.GOOD_NEWS, day__range=(start, end_so_far))
                       .values_list("day", flat=True))
            stories = {selectors.week_of(d) for d in Post.objects.filter(
                unit_id=uid, kind=PostKind.STORY, day__range=(weeks[0], weeks[-1] + timedelta(days=6)))
                .values_list("day", flat=True)} & set(weeks) if weeks else set()
            r = rows[uid]
            assert (r.good_days, r.story_weeks) == (len(good), len(stories)), (uid, month)
            assert r.posts == Post.objects.filter(unit_id=uid, day__range=(start, end_so_far)).count()
            assert (r.longest_streak, r.current_streak) == selectors.streaks(sorted(good), until=today)
