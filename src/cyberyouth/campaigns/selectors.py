"""Reads of the campaign: the calendar of days, campaigns, posts and compliance, scoped to the actor
through `orgs.selectors` (capability `campaign.read`)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Q

from cyberyouth.channels.models import Channel
from cyberyouth.orgs import selectors as org_selectors
from cyberyouth.orgs.models import Unit

from . import calendar as days_calendar
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
    good_day_set: set[date] = field(default_factory=set, repr=False)

    @property
    def day_rate(self) -> float | None:
        return self.good_days / self.days_expected if self.days_expected else None

    @property
    def week_rate(self) -> float | None:
        return self.story_weeks / self.weeks_expected if self.weeks_expected else None


def posting_unit_ids(*, unit_ids: set[int], start: date, end: date) -> set[int]:
    """The units among `unit_ids` expected to post: they own an official channel open during the period."""
    return set(Channel.objects.filter(owner_unit_id__in=unit_ids, is_official=True)
               .filter(Q(active_since__isnull=True) | Q(active_since__lte=end))
               .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=start))
               .values_list("owner_unit_id", flat=True))


def compliance_of(*, unit_ids: set[int], year: int, month: int | None = None, today: date | None = None
                  ) -> list[UnitCompliance]:
    """Per unit: days with ≥ 1 tin tốt, Mon–Sun weeks with ≥ 1 câu chuyện đẹp (Asia/Ho_Chi_Minh
    dates), posts, streaks — over the days of the period already begun (a whole future is not owed).
    Three grouped queries whatever the number of units."""
    today = today or org_selectors.today()
    start, end = period(year, month)
    end_so_far = min(end, today)
    # owed: the days and weeks already over; today and this week only once done (never a dip at dawn)
    units = {u.id: u for u in Unit.objects.filter(id__in=posting_unit_ids(unit_ids=unit_ids, start=start, end=end))}
    if end_so_far < start or not units:
        return [UnitCompliance(u, 0, 0, 0, 0, 0, 0, 0) for u in units.values()]
    weeks = [w for w in weeks_in(start, end) if w <= today]
    good: dict[int, set[date]] = defaultdict(set)
    for unit_id, day in (Post.objects.filter(unit_id__in=units, kind=PostKind.GOOD_NEWS, day__range=(start, end_so_far))
                         .values_list("unit_id", "day").distinct()):
        good[unit_id].add(day)
    story: dict[int, set[date]] = defaultdict(set)
    week_span = (weeks[0], weeks[-1] + timedelta(days=6)) if weeks else (start, start - timedelta(days=1))
    for unit_id, day in (Post.objects.filter(unit_id__in=units, kind=PostKind.STORY, day__range=week_span)
                         .values_list("unit_id", "day").distinct()):
        story[unit_id].add(week_of(day))
    counts = dict(Post.objects.filter(unit_id__in=units, day__range=(start, end_so_far)).values("unit_id")
                  .annotate(n=Count("id")).values_list("unit_id", "n"))
    days_over = (min(end, today - timedelta(days=1)) - start).days + 1
    weeks_over = {w for w in weeks if w + timedelta(days=6) < today}
    current_week = set(weeks) - weeks_over
    out = []
    for unit_id, unit in units.items():
        longest, current = streaks(list(good[unit_id]), until=today)
        done_weeks = story[unit_id] & set(weeks)
        out.append(UnitCompliance(unit=unit, days_expected=max(days_over, 0) + (today <= end and today in good[unit_id]),
                                  good_days=len(good[unit_id]),
                                  weeks_expected=len(weeks_over) + len(done_weeks & current_week),
                                  story_weeks=len(done_weeks),
                                  posts=counts.get(unit_id, 0), longest_streak=longest, current_streak=current,
                                  good_day_set=good[unit_id]))
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
