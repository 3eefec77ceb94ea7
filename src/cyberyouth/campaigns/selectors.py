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


@dataclass(frozen=True, slots=True)
class UnitRef:
    """What a compliance row shows of its unit: a country's ranking has 45,000 of them, and a model
    instance each cost a third of its time. Pages link by `code`; a service that acts on a unit
    loads it by `id`."""

    id: int
    code: str
    name: str


@dataclass
class UnitCompliance:
    unit: UnitRef
    days_expected: int
    good_days: int
    weeks_expected: int
    story_weeks: int
    posts: int
    longest_streak: int
    current_streak: int
    period_start: date | None = field(default=None, repr=False)
    good_matrix: object = field(default=None, repr=False)  # units × days from period_start, shared by the rows
    row: int = field(default=0, repr=False)  # this unit's row of it (a view per row costs 5 µs × 45,000)

    @property
    def day_rate(self) -> float | None:
        return self.good_days / self.days_expected if self.days_expected else None

    @property
    def week_rate(self) -> float | None:
        return self.story_weeks / self.weeks_expected if self.weeks_expected else None

    @property
    def good_day_set(self) -> set[date]:
        if self.good_matrix is None:
            return set()
        return {self.period_start + timedelta(days=int(i)) for i in np.flatnonzero(self.good_matrix[self.row])}


LONG_IN_LIST = 2000  # past this many ids, read the whole table's column and intersect: a long IN list costs more


def posting_unit_ids(*, unit_ids: set[int], start: date, end: date) -> set[int]:
    """The units among `unit_ids` expected to post: they own an official channel open during the period."""
    channels = (Channel.objects.filter(is_official=True, owner_unit__isnull=False)
                .filter(Q(active_since__isnull=True) | Q(active_since__lte=end))
                .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=start)))
    if len(unit_ids) <= LONG_IN_LIST:
        channels = channels.filter(owner_unit_id__in=unit_ids)
    return set(channels.values_list("owner_unit_id", flat=True)) & set(unit_ids)


def _runs(flags: np.ndarray) -> np.ndarray:
    """For each cell, the length of the run of True days ending there (0 on a False day)."""
    count = np.cumsum(flags, axis=1, dtype=np.int16)  # ≤ 366: two bytes a cell
    reset = np.where(flags, 0, count)
    np.maximum.accumulate(reset, axis=1, out=reset)
    count -= reset
    return count


def compliance_of(*, unit_ids: set[int], year: int, month: int | None = None, today: date | None = None
                  ) -> list[UnitCompliance]:
    """Per unit: days with ≥ 1 tin tốt, Mon–Sun weeks with ≥ 1 câu chuyện đẹp (Asia/Ho_Chi_Minh
    dates), posts, streaks — over the days of the period already begun (a whole future is not owed).
    Read from the per-unit day facts (`facts.py`, kept on every post write): one short row per
    unit and year, whatever the number of posts; the counting runs on arrays of units × days."""
    today = today or org_selectors.today()
    start, end = period(year, month)
    end_so_far = min(end, today)
    ids = sorted(posting_unit_ids(unit_ids=unit_ids, start=start, end=end))
    units = Unit.objects.order_by() if len(ids) > LONG_IN_LIST else Unit.objects.filter(id__in=ids).order_by()
    wanted = set(ids)
    units = {uid: UnitRef(uid, code, name) for uid, code, name in units.values_list("id", "code", "name")
             if uid in wanted}
    if end_so_far < start or not ids:
        return [UnitCompliance(u, 0, 0, 0, 0, 0, 0, 0) for u in units.values()]
    # owed: the days and weeks already over; today and this week only once done (never a dip at dawn)
    weeks = [w for w in weeks_in(start, end) if w <= today]
    first = min([start] + weeks[:1])
    last = max([end_so_far] + [w + timedelta(days=6) for w in weeks[-1:]])
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
    longest = runs.max(axis=1) if good.shape[1] else np.zeros(len(ids), dtype=np.int16)
    current = np.zeros(len(ids), dtype=np.int16)
    for column in (at - 1, at):  # the run still going today, or ending yesterday (today is not over)
        if 0 <= column < good.shape[1]:
            current = np.where(good[:, column], runs[:, column], current)
    months = slice(0, 12) if month is None else slice(month - 1, month)
    posts = month_posts[year][:, months].sum(axis=1).tolist()
    # one vector per figure, then one row per unit
    columns = zip(ids, (days_over + done_today).tolist(), good.sum(axis=1).tolist(),
                  (int(over.sum()) + (story_weeks & ~over).sum(axis=1)).tolist(), story_weeks.sum(axis=1).tolist(),
                  posts, longest.tolist(), current.tolist(), strict=True)
    out = [UnitCompliance(units[uid], days, good_days, weeks_owed, story, n, long_run, run, start, good, i)
           for i, (uid, days, good_days, weeks_owed, story, n, long_run, run) in enumerate(columns)]
    return sorted(out, key=lambda r: (-(r.day_rate or 0), -(r.week_rate or 0), r.unit.name))


def compliance(*, actor, year: int, month: int | None = None, unit: Unit | None = None,
               today: date | None = None) -> list[UnitCompliance]:
    """The ranking of the posting units the actor reads — below `unit` when given (its subtree in
    that year, with the units it carries on across reorganisations)."""
    ids = org_selectors.unit_ids(actor=actor, capability=READ)
    if unit is not None:
        org_selectors.require_read(actor=actor, capability=READ, unit=unit)
        ids &= org_selectors.year_unit_ids(unit=unit, year=year)
    return compliance_of(unit_ids=ids, year=year, month=month, today=today)


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


def _drill(*, rows: list[UnitCompliance], unit: Unit, readable: set[int], year: int, month: int | None,
           today: date) -> list[tuple[Unit, Summary]]:
    """The rows grouped by the units directly below `unit` (as the tree stands at the end of the
    period), each with what it covers in the year (`orgs.selectors.year_unit_ids`: its subtree
    and what it carries on); then `unit` itself for the rest."""
    from cyberyouth.orgs.models import UnitSuccession

    _, end = period(year, month)
    year_end = min(date(year, 12, 31), today)
    tree = org_selectors.children_map(on=year_end)
    on = min(end, today)
    children = (tree if on == year_end else org_selectors.children_map(on=on)).get(unit.id, [])
    # a child whose subtree succeeded another unit carries history: the gate's rule, exactly;
    # any other child's year is its subtree (read from one map, not one query per child)
    successors = set(UnitSuccession.objects.values_list("successor_id", flat=True))
    by_unit = {r.unit.id: r for r in rows}
    out, covered = [], set()
    for child in Unit.objects.filter(id__in=set(children) & readable):
        ids = org_selectors.descendant_ids(unit_ids=[child.id], on=year_end, children=tree)
        if ids & successors or not child.is_active_on(year_end):
            ids = org_selectors.year_unit_ids(unit=child, year=year)
        ids &= readable
        covered |= ids
        mine = [by_unit[i] for i in ids if i in by_unit]
        if mine:
            out.append((child, summarise(mine)))
    out.sort(key=lambda pair: (-(pair[1].day_rate or 0), pair[0].name))
    rest = [r for uid, r in by_unit.items() if uid not in covered]
    if rest:
        out.append((unit, summarise(rest)))
    return out


def drill_down(*, actor, unit: Unit, year: int, month: int | None = None) -> list[tuple[Unit, Summary]]:
    """The units directly below `unit`, each with the summary of its posting units, history
    included; then `unit` itself for the rest of what it covers — its own channels and the units
    it carries on that stand under no child (the communes merged into the special zone in 2025)."""
    return dashboard(actor=actor, year=year, month=month, unit=unit).children


@dataclass
class Dashboard:
    """The campaign's dashboard: the ranking of the posting units, its summary, and the units
    directly below the one asked for. The yearly report reads the same."""

    year: int
    month: int | None
    unit: Unit | None
    rows: list[UnitCompliance]
    summary: Summary
    children: list[tuple[Unit, Summary]]


def dashboard(*, actor, year: int, month: int | None = None, unit: Unit | None = None,
              today: date | None = None) -> Dashboard:
    today = today or org_selectors.today()
    readable = org_selectors.unit_ids(actor=actor, capability=READ)
    ids = readable
    if unit is not None:
        if unit.id not in readable:
            from cyberyouth.errors import NotFound

            raise NotFound("Không tìm thấy đơn vị.")
        ids = readable & org_selectors.year_unit_ids(unit=unit, year=year)
    rows = compliance_of(unit_ids=ids, year=year, month=month, today=today)
    children = (_drill(rows=rows, unit=unit, readable=readable, year=year, month=month, today=today)
                if unit is not None else [])
    return Dashboard(year=year, month=month, unit=unit, rows=rows, summary=summarise(rows), children=children)


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


def peak_week_participation(*, campaign: Campaign, within: set[int] | None = None) -> tuple[int, int, list[Unit]]:
    """(units that posted a tin tốt or câu chuyện đẹp during the campaign, units asked to, those
    still silent) — the share that posted in unison; `within`: only those units (a report's)."""
    targets = org_selectors.subtree_ids(unit_ids=set(campaign.target_units.values_list("id", flat=True)),
                                        on=campaign.end, history=False)
    if within is not None:
        targets &= within
    expected = posting_unit_ids(unit_ids=targets, start=campaign.start, end=campaign.end)
    posted = set(Post.objects.filter(unit_id__in=expected, day__range=(campaign.start, campaign.end),
                                     kind__in=[PostKind.GOOD_NEWS, PostKind.STORY])
                 .values_list("unit_id", flat=True).distinct())
    silent = list(Unit.objects.filter(id__in=expected - posted))
    return len(posted), len(expected), sorted(silent, key=lambda u: u.name)


@dataclass
class TaskGroup3:
    """Task group 3's figures of a unit for a year, for the yearly report (`reporting.py`): the
    dashboard's summary (the same `dashboard` call the page makes), official channels taking
    part, each peak week with units that posted / units asked, commendations approved."""

    summary: Summary
    channels: int
    peak_weeks: list[tuple[Campaign, int, int]]  # (campaign, units that posted, units asked)
    collectives: int = 0
    persons: int = 0


def task_group_3(*, actor, unit: Unit, year: int, today: date | None = None) -> TaskGroup3:
    from .models import CommendationStatus, NomineeKind

    board = dashboard(actor=actor, year=year, unit=unit, today=today)
    ids = {r.unit.id for r in board.rows}
    start, end = period(year)
    channels = (Channel.objects.filter(owner_unit_id__in=ids, is_official=True)
                .filter(Q(active_since__isnull=True) | Q(active_since__lte=end))
                .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=start)).count())
    peaks = []
    in_year = org_selectors.year_unit_ids(unit=unit, year=year)
    for c in (campaigns(actor=actor).filter(peak_week=True, start__year=year)
              .filter(Q(owner_unit_id__in=in_year) | Q(target_units__in=in_year)).distinct().order_by("start")):
        posted, expected, _ = peak_week_participation(campaign=c, within=in_year)
        if expected:
            peaks.append((c, posted, expected))
    approved = commendations(actor=actor, year=year, status=CommendationStatus.APPROVED).filter(unit_id__in=in_year)
    return TaskGroup3(summary=board.summary, channels=channels, peak_weeks=peaks,
                      collectives=approved.filter(kind=NomineeKind.COLLECTIVE).count(),
                      persons=approved.filter(kind=NomineeKind.PERSON).count())


# ---------------------------------------------------------------- commendations (task 3d)

DEFAULT_DAY_RATE = 0.7
DEFAULT_WEEK_RATE = 0.7


def criteria() -> tuple[float, float]:
    """The suggested thresholds for a commendation: shares of days with a tin tốt and of weeks with
    a câu chuyện đẹp (no official criteria were found — an assumption, set in the settings)."""
    from django.conf import settings

    return (float(getattr(settings, "CAMPAIGNS_COMMENDATION_DAY_RATE", DEFAULT_DAY_RATE)),
            float(getattr(settings, "CAMPAIGNS_COMMENDATION_WEEK_RATE", DEFAULT_WEEK_RATE)))


def meets(grounds: dict) -> bool:
    day_rate, week_rate = criteria()
    return bool(grounds.get("days_expected")) and bool(grounds.get("weeks_expected")) and (
        grounds["good_days"] >= day_rate * grounds["days_expected"]
        and grounds["story_weeks"] >= week_rate * grounds["weeks_expected"])


def grounds_of(*, unit: Unit, year: int, today: date | None = None) -> dict | None:
    """The figures a commendation of `unit` (or of a person of it) for `year` rests on — the
    dashboard's row of the unit, and the peak weeks of the year it was asked to join and joined —
    as a dict to be frozen into the proposal; None when the unit had no official channel."""
    today = today or org_selectors.today()
    rows = compliance_of(unit_ids={unit.id}, year=year, today=today)
    if not rows:
        return None
    row = rows[0]
    peaks_asked = peaks_joined = 0
    for c in Campaign.objects.filter(peak_week=True, start__year=year, start__lte=today).order_by("start"):
        targets = org_selectors.subtree_ids(unit_ids=set(c.target_units.values_list("id", flat=True)),
                                            on=c.end, history=False)
        if unit.id in targets:
            peaks_asked += 1
            peaks_joined += Post.objects.filter(unit=unit, day__range=(c.start, c.end),
                                                kind__in=[PostKind.GOOD_NEWS, PostKind.STORY]).exists()
    day_rate, week_rate = criteria()
    return {"as_of": today.isoformat(), "year": year, "unit": unit.code, "unit_name": unit.name,
            "days_expected": row.days_expected, "good_days": row.good_days,
            "weeks_expected": row.weeks_expected, "story_weeks": row.story_weeks, "posts": row.posts,
            "longest_streak": row.longest_streak, "peak_weeks_asked": peaks_asked, "peak_weeks_joined": peaks_joined,
            "criteria": {"day_rate": day_rate, "week_rate": week_rate}}


def commendations(*, actor, year: int | None = None, status: str | None = None):
    """Proposals about units the actor reads (the praised unit, or the person's unit)."""
    from .models import Commendation

    qs = org_selectors.scope(Commendation.objects.all(), actor=actor, capability=READ)
    if year is not None:
        qs = qs.filter(year=year)
    if status is not None:
        qs = qs.filter(status=status)
    return qs.select_related("unit", "proposer_unit", "proposed_by", "decision", "decision__issuer_unit")


def commendation(*, actor, commendation_id: int):
    from cyberyouth.errors import NotFound

    found = commendations(actor=actor).filter(pk=commendation_id).first()
    if found is None:
        raise NotFound("Không tìm thấy đề nghị khen thưởng.")
    return found


def awaiting_decision(*, actor):
    """Proposals the actor may decide on (approve or return)."""
    from .models import CommendationStatus

    qs = commendations(actor=actor, status=CommendationStatus.PROPOSED)
    return qs.filter(unit_id__in=org_selectors.unit_ids(actor=actor, capability="commendation.approve",
                                                        history=False))


def register(*, actor, year: int):
    """The register of commendations of `year` (sổ khen thưởng): approved ones by book number."""
    from .models import CommendationStatus

    return commendations(actor=actor, year=year, status=CommendationStatus.APPROVED).order_by("book_number")


def decision(*, actor, decision_id: int):
    """A decision the actor may read: issued by a unit they read, or praising one."""
    from cyberyouth.errors import NotFound

    from .models import CommendationDecision

    ids = org_selectors.unit_ids(actor=actor, capability=READ)
    found = (CommendationDecision.objects.filter(pk=decision_id)
             .filter(Q(issuer_unit_id__in=ids) | Q(commendations__unit_id__in=ids)).distinct()
             .select_related("issuer_unit").first())
    if found is None:
        raise NotFound("Không tìm thấy quyết định khen thưởng.")
    return found


def candidates(*, actor, year: int, today: date | None = None) -> list[UnitCompliance]:
    """Posting units the actor may propose that meet the suggested thresholds and have no
    proposal for the year yet — the dashboard's rows, filtered."""
    from .models import Commendation, CommendationStatus, NomineeKind

    ids = org_selectors.unit_ids(actor=actor, capability="commendation.propose", history=False)
    if not ids:
        return []
    taken = set(Commendation.objects.filter(year=year, kind=NomineeKind.COLLECTIVE, status__in=[
        CommendationStatus.PROPOSED, CommendationStatus.RETURNED, CommendationStatus.APPROVED])
        .values_list("unit_id", flat=True))
    day_rate, week_rate = criteria()
    return [r for r in compliance_of(unit_ids=ids, year=year, today=today)
            if r.unit.id not in taken and r.days_expected and r.weeks_expected
            and r.good_days >= day_rate * r.days_expected and r.story_weeks >= week_rate * r.weeks_expected]
