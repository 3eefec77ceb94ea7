"""Reads of the campaign: the calendar of days, campaigns, posts and compliance, scoped to the actor
through `orgs.selectors` (capability `campaign.read`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
from django.db.models import Q

from cyberyouth.channels.models import Channel
from cyberyouth.orgs import selectors as org_selectors
from cyberyouth.orgs.models import Unit

from . import calendar as days_calendar
from . import facts
from .models import Campaign, CommemorativeDay, Post, PostKind

READ = "campaign.read"


# ---------------------------------------------------------------- the calendar of days


def days_of_year(*, actor, year: int) -> list[days_calendar.Occurrence]:
    """The days everyone keeps, and the own days of the units the actor reads."""
    rows = CommemorativeDay.objects.filter(Q(unit__isnull=True) | Q(
        unit_id__in=org_selectors.unit_ids(actor=actor, capability=READ))).select_related("unit")
    return days_calendar.occurrences(rows, year=year)


def common_days():
    return CommemorativeDay.objects.filter(unit__isnull=True)


# ---------------------------------------------------------------- campaigns and posts


def campaigns(*, actor):
    """Campaigns launched by, or aimed at, units the actor reads."""
    ids = org_selectors.unit_ids(actor=actor, capability=READ)
    return (Campaign.objects.filter(Q(owner_unit_id__in=ids) | Q(target_units__in=ids)).distinct()
            .select_related("owner_unit", "day"))


def campaign(*, actor, campaign_id: int) -> Campaign:
    from cyberyouth.errors import NotFound

    found = campaigns(actor=actor).filter(pk=campaign_id).first()
    if found is None:
        raise NotFound("Không tìm thấy chiến dịch.")
    return found


def posts(*, actor, unit_ids: set[int] | None = None, kind: str | None = None):
    qs = org_selectors.scope(Post.objects.all(), actor=actor, capability=READ)
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=unit_ids)
    if kind is not None:
        qs = qs.filter(kind=kind)
    return qs.select_related("channel", "unit")


def own_channels(*, actor):
    """The official channels of the units the actor posts for."""
    ids = org_selectors.unit_ids(actor=actor, capability="campaign.post", history=False)
    return Channel.objects.filter(owner_unit_id__in=ids, is_official=True).select_related("owner_unit")


# ---------------------------------------------------------------- compliance


def week_of(day: date) -> date:
    """Monday of the Mon–Sun week holding `day`."""
    return day - timedelta(days=day.weekday())


def weeks_in(start: date, end: date) -> list[date]:
    """The Mon–Sun weeks that belong to [start, end]: those whose Thursday falls inside (the ISO
    rule), so that a week across a month or year edge is counted in exactly one month and year."""
    monday = week_of(start)
    out = []
    while monday <= end:
        if start <= monday + timedelta(days=3) <= end:
            out.append(monday)
        monday += timedelta(days=7)
    return out


def period(year: int, month: int | None = None) -> tuple[date, date]:
    if month:
        start = date(year, month, 1)
        return start, (date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1))
    return date(year, 1, 1), date(year, 12, 31)


def streaks(days: list[date], *, until: date) -> tuple[int, int]:
    """(longest run of consecutive days, the run still going at `until` — or ending the day before,
    since today is not over)."""
    longest = current = run = 0
    previous = None
    for d in sorted(set(days)):
        run = run + 1 if previous and d - previous == timedelta(days=1) else 1
        longest = max(longest, run)
        previous = d
    if previous and (until - previous).days <= 1:
        current = run
    return longest, current


@dataclass
class UnitCompliance:
    unit: Unit
    days_expected: int
    good_days: int
    weeks_expected: int
    story_weeks: int
    posts: int
    longest_streak: int
    current_streak: int
    period_start: date | None = field(default=None, repr=False)
    good_row: object = field(default=None, repr=False)  # the unit's row of day flags from period_start

    @property
    def day_rate(self) -> float | None:
        return self.good_days / self.days_expected if self.days_expected else None

    @property
    def week_rate(self) -> float | None:
        return self.story_weeks / self.weeks_expected if self.weeks_expected else None

    @property
    def good_day_set(self) -> set[date]:
        if self.good_row is None:
            return set()
        return {self.period_start + timedelta(days=int(i)) for i in np.flatnonzero(self.good_row)}


def posting_unit_ids(*, unit_ids: set[int], start: date, end: date) -> set[int]:
    """The units among `unit_ids` expected to post: they own an official channel open during the period."""
    return set(Channel.objects.filter(owner_unit_id__in=unit_ids, is_official=True)
               .filter(Q(active_since__isnull=True) | Q(active_since__lte=end))
               .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=start))
               .values_list("owner_unit_id", flat=True))


def _runs(flags: np.ndarray) -> np.ndarray:
    """For each cell, the length of the run of True days ending there (0 on a False day)."""
    count = np.cumsum(flags, axis=1, dtype=np.int32)
    return count - np.maximum.accumulate(np.where(flags, 0, count), axis=1)


def compliance_of(*, unit_ids: set[int], year: int, month: int | None = None, today: date | None = None
                  ) -> list[UnitCompliance]:
    """Per unit: days with ≥ 1 tin tốt, Mon–Sun weeks with ≥ 1 câu chuyện đẹp (Asia/Ho_Chi_Minh
    dates), posts, streaks — over the days of the period already begun (a whole future is not owed).
    Read from the per-unit day facts (`facts.py`, kept on every post write): one short row per
    unit and year, whatever the number of posts; the counting runs on arrays of units × days."""
    today = today or org_selectors.today()
    start, end = period(year, month)
    end_so_far = min(end, today)
    units = {u.id: u for u in Unit.objects.filter(id__in=posting_unit_ids(unit_ids=unit_ids, start=start, end=end))}
    if end_so_far < start or not units:
        return [UnitCompliance(u, 0, 0, 0, 0, 0, 0, 0) for u in units.values()]
    # owed: the days and weeks already over; today and this week only once done (never a dip at dawn)
    weeks = [w for w in weeks_in(start, end) if w <= today]
    first = min([start] + weeks[:1])
    last = max([end_so_far] + [w + timedelta(days=6) for w in weeks[-1:]])
    ids = sorted(units)
    good_all, story_all, month_posts = facts.matrix(unit_ids=ids, start=first, end=last)
    offset = (start - first).days
    good = good_all[:, offset:offset + (end_so_far - start).days + 1]
    story_weeks = (np.stack([story_all[:, (w - first).days:(w - first).days + 7].any(axis=1) for w in weeks], axis=1)
                   if weeks else np.zeros((len(ids), 0), dtype=bool))
    over = np.array([w + timedelta(days=6) < today for w in weeks], dtype=bool)
    days_over = max((min(end, today - timedelta(days=1)) - start).days + 1, 0)
    at = (today - start).days  # today's column, when the period holds today
    done_today = good[:, at] if 0 <= at < good.shape[1] else np.zeros(len(ids), dtype=bool)
    runs = _runs(good)
    longest = runs.max(axis=1) if good.shape[1] else np.zeros(len(ids), dtype=np.int32)
    current = np.zeros(len(ids), dtype=np.int32)
    for column in (at - 1, at):  # the run still going today, or ending yesterday (today is not over)
        if 0 <= column < good.shape[1]:
            current = np.where(good[:, column], runs[:, column], current)
    months = range(1, 13) if month is None else [month]
    out = []
    for i, unit_id in enumerate(ids):
        counts = month_posts.get((unit_id, year), [0] * 12)
        done = story_weeks[i]
        out.append(UnitCompliance(unit=units[unit_id], days_expected=days_over + int(done_today[i]),
                                  good_days=int(good[i].sum()),
                                  weeks_expected=int(over.sum() + (done & ~over).sum()),
                                  story_weeks=int(done.sum()), posts=sum(counts[m - 1] for m in months),
                                  longest_streak=int(longest[i]), current_streak=int(current[i]),
                                  period_start=start, good_row=good[i]))
    return sorted(out, key=lambda r: (-(r.day_rate or 0), -(r.week_rate or 0), r.unit.name))


def compliance(*, actor, year: int, month: int | None = None, unit: Unit | None = None) -> list[UnitCompliance]:
    """The ranking of the posting units the actor reads — below `unit` when given (its subtree in
    that year, with the units it carries on across reorganisations)."""
    ids = org_selectors.unit_ids(actor=actor, capability=READ)
    if unit is not None:
        org_selectors.require_read(actor=actor, capability=READ, unit=unit)
        ids &= org_selectors.year_unit_ids(unit=unit, year=year)
    return compliance_of(unit_ids=ids, year=year, month=month)


@dataclass
class Summary:
    units: int
    posts: int
    good_days: int
    days_expected: int
    story_weeks: int
    weeks_expected: int

    @property
    def day_rate(self) -> float | None:
        return self.good_days / self.days_expected if self.days_expected else None

    @property
    def week_rate(self) -> float | None:
        return self.story_weeks / self.weeks_expected if self.weeks_expected else None


def summarise(rows: list[UnitCompliance]) -> Summary:
    return Summary(units=len(rows), posts=sum(r.posts for r in rows), good_days=sum(r.good_days for r in rows),
                   days_expected=sum(r.days_expected for r in rows), story_weeks=sum(r.story_weeks for r in rows),
                   weeks_expected=sum(r.weeks_expected for r in rows))


def drill_down(*, actor, unit: Unit, year: int, month: int | None = None) -> list[tuple[Unit, Summary]]:
    """The units directly below `unit` (as the tree stands at the end of the period), each with
    the summary of its posting units, history included; then `unit` itself for the rest of what
    it covers — its own channels and the units it carries on that stand under no child (the
    communes merged into the special zone in 2025)."""
    org_selectors.require_read(actor=actor, capability=READ, unit=unit)
    readable = org_selectors.unit_ids(actor=actor, capability=READ)
    _, end = period(year, month)
    on = min(end, org_selectors.today())
    children = org_selectors.children_map(on=on).get(unit.id, [])
    out, covered = [], set()
    for child in Unit.objects.filter(id__in=set(children) & readable):
        ids = org_selectors.year_unit_ids(unit=child, year=year) & readable
        covered |= ids
        rows = compliance_of(unit_ids=ids, year=year, month=month)
        if rows:
            out.append((child, summarise(rows)))
    out.sort(key=lambda pair: (-(pair[1].day_rate or 0), pair[0].name))
    rest = (org_selectors.year_unit_ids(unit=unit, year=year) & readable) - covered
    rows = compliance_of(unit_ids=rest, year=year, month=month)
    if rows:
        out.append((unit, summarise(rows)))
    return out


def heat_map(*, row: UnitCompliance, year: int) -> list[list[tuple[date, int] | None]]:
    """Weeks (columns) × weekdays: each cell (day, 1 when a tin tốt was posted that day), None
    outside the year."""
    start, end = period(year)
    columns, monday = [], week_of(start)
    while monday <= end:
        columns.append([(d, int(d in row.good_day_set)) if start <= d <= end else None
                        for d in (monday + timedelta(days=i) for i in range(7))])
        monday += timedelta(days=7)
    return columns


def peak_week_participation(*, campaign: Campaign) -> tuple[int, int, list[Unit]]:
    """(units that posted a tin tốt or câu chuyện đẹp during the campaign, units asked to, those
    still silent) — the share that posted in unison."""
    targets = org_selectors.subtree_ids(unit_ids=set(campaign.target_units.values_list("id", flat=True)),
                                        on=campaign.end, history=False)
    expected = posting_unit_ids(unit_ids=targets, start=campaign.start, end=campaign.end)
    posted = set(Post.objects.filter(unit_id__in=expected, day__range=(campaign.start, campaign.end),
                                     kind__in=[PostKind.GOOD_NEWS, PostKind.STORY])
                 .values_list("unit_id", flat=True).distinct())
    silent = list(Unit.objects.filter(id__in=expected - posted))
    return len(posted), len(expected), sorted(silent, key=lambda u: u.name)


@dataclass
class TaskGroup3:
    """Task group 3's figures of a unit for a year, for the yearly report (the reports app reads
    this; the dashboard shows the same `summarise` of the same rows)."""

    summary: Summary
    channels: int
    peak_weeks: list[tuple[Campaign, int, int]]  # (campaign, units that posted, units asked)


def task_group_3(*, actor, unit: Unit, year: int) -> TaskGroup3:
    rows = compliance(actor=actor, year=year, unit=unit)
    ids = {r.unit.id for r in rows}
    start, end = period(year)
    channels = (Channel.objects.filter(owner_unit_id__in=ids, is_official=True)
                .filter(Q(active_since__isnull=True) | Q(active_since__lte=end))
                .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=start)).count())
    peaks = []
    for c in campaigns(actor=actor).filter(peak_week=True, start__year=year).order_by("start"):
        posted, expected, _ = peak_week_participation(campaign=c)
        peaks.append((c, posted, expected))
    return TaskGroup3(summary=summarise(rows), channels=channels, peak_weeks=peaks)
