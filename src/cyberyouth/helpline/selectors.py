"""Reads of the helpline, each scoped to the actor.

Scope comes from `orgs.selectors`: the units where the actor's ROLES grant `helpline.counsel`
or `helpline.supervise` (`own_unit_ids`, with their subtrees), never the superuser pseudo-role —
a child's words reach only counsellors and their supervisor. Statistics (`helpline.stats`)
carry no content and go through the small-group rule.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.apps import apps
from django.db.models import Count, F, Prefetch, Q
from django.utils import timezone

from cyberyouth.errors import NotFound
from cyberyouth.lib import disclosure
from cyberyouth.orgs import selectors as org_selectors
from cyberyouth.orgs.models import Unit

from . import rules
from .models import (
    URGENCY_RANK, Case, CaseOpening, Category, Channel, Clock, ClockKind, Contact, ContactKind, DutyShift, Helpline,
    Message, Referral, ReferralTo, Urgency,
)


def role_unit_ids(*, actor, capability: str) -> set[int]:
    """Units (with their subtrees, today) on which a role the actor holds grants `capability`."""
    own = org_selectors.own_unit_ids(actor=actor, capability=capability)
    return org_selectors.descendant_ids(unit_ids=own, on=org_selectors.today()) if own else set()


def counsel_unit_ids(*, actor) -> set[int]:
    return role_unit_ids(actor=actor, capability="helpline.counsel")


def supervise_unit_ids(*, actor) -> set[int]:
    return role_unit_ids(actor=actor, capability="helpline.supervise")


def relations(*, actor, case: Case) -> set[str]:
    """How `actor` stands to `case`: counsellor / supervisor / duty / duty_unassigned."""
    rel: set[str] = set()
    if not getattr(actor, "is_authenticated", False):
        return rel
    if case.unit_id in supervise_unit_ids(actor=actor):
        rel.add("supervisor")
    if case.unit_id in counsel_unit_ids(actor=actor):
        rel.add("duty")
        assigned = list(case.counsellors.values_list("id", flat=True))
        if actor.pk in assigned:
            rel.add("counsellor")
        elif not assigned:
            rel.add("duty_unassigned")
    return rel


def may(*, actor, case: Case, action: str, relations_: set[str] | None = None) -> bool:
    rel = relations(actor=actor, case=case) if relations_ is None else relations_
    return bool(rel & rules.PERMISSIONS[action])


def helplines(*, actor=None):
    return Helpline.objects.select_related("unit").order_by("unit__name")


def live_unit(unit: Unit) -> Unit:
    today = org_selectors.today()
    return unit if unit.is_active_on(today) else org_selectors.successor_on(unit=unit, on=today)


def chain_up(unit: Unit) -> list[int]:
    """`unit` and the units above it today, nearest first — through the parent each unit carries
    (`Unit.parent`, the cache of its current version): a query per level, not the whole tree."""
    chain, current = [unit.id], unit.parent_id
    while current is not None and current not in chain and len(chain) < 20:
        chain.append(current)
        current = Unit.objects.filter(pk=current).values_list("parent_id", flat=True).first()
    return chain


def helpline_of(*, unit: Unit) -> Helpline | None:
    """The helpline nearest at or above `unit` (a school's own counselling room, else the zone's);
    for a unit that has ceased, above the unit that carries it on today."""
    chain = chain_up(live_unit(unit))
    found = {h.unit_id: h for h in Helpline.objects.filter(unit_id__in=chain).select_related("unit")}
    return next((found[i] for i in chain if i in found), None)


def default_helpline() -> Helpline | None:
    """The helpline highest in the tree (the special zone's), for a child who names no school."""
    lines = list(Helpline.objects.select_related("unit"))
    if len(lines) <= 1:
        return lines[0] if lines else None
    return min(lines, key=lambda h: (len(chain_up(h.unit)), h.unit_id))


def schools_for_intake():
    """Schools a child may name on the public page (every live school under a helpline)."""
    from cyberyouth.orgs.models import SCHOOL_TYPES

    today = org_selectors.today()
    roots = list(Helpline.objects.values_list("unit_id", flat=True))
    ids = org_selectors.descendant_ids(unit_ids=roots, on=today) if roots else set()
    return Unit.objects.filter(id__in=ids, unit_type__in=SCHOOL_TYPES).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=today)).order_by("name")


# ---------------------------------------------------------------- service hours


def _intervals(helpline: Helpline, day: date) -> list[tuple[datetime, datetime]]:
    tz = timezone.get_default_timezone()
    out = []
    for start, end in (helpline.hours or {}).get(str(day.weekday()), []):
        s = datetime.combine(day, time.fromisoformat(start), tzinfo=tz)
        e = datetime.combine(day, time.fromisoformat(end), tzinfo=tz) if end != "24:00" else \
            datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz)
        out.append((s, e))
    return out


def in_service(helpline: Helpline, at: datetime) -> bool:
    if not helpline.hours:
        return True  # no hours set: always open
    from cyberyouth.workdays import selectors as workdays

    local = timezone.localtime(at)
    if not workdays.calendar().is_working_day(local.date()) and not helpline.hours.get("holidays"):
        return False
    return any(s <= local < e for s, e in _intervals(helpline, local.date()))


def next_open(helpline: Helpline, at: datetime) -> datetime:
    """`at` if the helpline is in service then, else the start of its next service period."""
    if in_service(helpline, at):
        return at
    from cyberyouth.workdays import selectors as workdays

    cal = workdays.calendar()
    local = timezone.localtime(at)
    for i in range(0, 30):
        day = local.date() + timedelta(days=i)
        if not cal.is_working_day(day) and not helpline.hours.get("holidays"):
            continue
        for s, _e in sorted(_intervals(helpline, day)):
            if s > local:
                return s
    return at


def hours_text(helpline: Helpline) -> str:
    names = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật"]
    parts = []
    for i, name in enumerate(names):
        spans = (helpline.hours or {}).get(str(i), [])
        if spans:
            parts.append(f"{name}: " + ", ".join(f"{s}–{e}" for s, e in spans))
    return "; ".join(parts) or "24/7"


def on_duty(*, helpline: Helpline, at: datetime | None = None):
    at = at or timezone.now()
    return [s.user for s in helpline.shifts.filter(starts_at__lte=at, ends_at__gt=at).select_related("user")]


# ---------------------------------------------------------------- the queue and a case


@dataclass
class QueueRow:
    case: Case
    readable: bool
    last_child_message: Message | None
    clocks: list[Clock]


def queue(*, actor, status: str = "open", limit: int = 100) -> list[QueueRow]:
    """Cases of the helplines the actor counsels or supervises: critical first, then the
    child waiting longest. The child's words only where the actor may read the case."""
    counsel = counsel_unit_ids(actor=actor)
    supervise = supervise_unit_ids(actor=actor)
    units = counsel | supervise
    if not units:
        return []
    qs = Case.objects.filter(unit_id__in=units, deidentified_at__isnull=True)
    if status == "open":
        qs = qs.filter(is_open=True)
    elif status in rules.STATUS_LABELS:
        qs = qs.filter(status=status)
    # units in a second query: joined, the planner would walk the unit first and sort every case
    qs = (qs.prefetch_related(
        "unit", "categories", Prefetch("clocks", queryset=Clock.objects.order_by("due_at")),
        Prefetch("counsellors"))
          .order_by("urgency_rank", "-awaiting_answer", "received_at")[:limit])
    cases = list(qs)
    mine = set(Case.counsellors.through.objects.filter(case_id__in=[c.id for c in cases], user_id=actor.pk)
               .values_list("case_id", flat=True))
    readable_ids = set()
    for c in cases:
        assigned = bool(c.counsellors.all())
        if c.unit_id in supervise or c.id in mine or (c.unit_id in counsel and not assigned):
            readable_ids.add(c.id)
    last: dict[int, Message] = {}
    for m in (Message.objects.filter(case_id__in=readable_ids, author=Message.Author.CHILD).order_by("created_at", "id")):
        last[m.case_id] = m
    return [QueueRow(case=c, readable=c.id in readable_ids, last_child_message=last.get(c.id),
                     clocks=list(c.clocks.all())) for c in cases]


def get_case(*, actor, case_id: int, action: str = "read") -> tuple[Case, set[str]]:
    """The case if `actor` may do `action` on it; NotFound otherwise (the same as missing)."""
    case = Case.objects.filter(pk=case_id).select_related("unit").first()
    if case is None:
        raise NotFound("Không tìm thấy ca này.")
    rel = relations(actor=actor, case=case)
    if not may(actor=actor, case=case, action=action, relations_=rel):
        if action != "read" and may(actor=actor, case=case, action="read", relations_=rel):
            from cyberyouth.errors import ScopeError

            raise ScopeError("Bạn không được thực hiện việc này với ca này.")
        raise NotFound("Không tìm thấy ca này.")
    return case, rel


def case_detail(*, case: Case) -> dict:
    return {
        "thread": list(case.messages.select_related("by")),
        "entries": list(case.entries.select_related("by")),
        "clocks": list(case.clocks.all()),
        "referrals": list(case.referrals.select_related("by")),
        "contacts": list(case.contacts.select_related("school", "recorded_by").prefetch_related("categories")),
        "counsellors": list(case.counsellors.all()),
    }


def openings(*, case: Case):
    return case.openings.select_related("user").order_by("-at")


def child_view(*, case: Case) -> list[Message]:
    """What the child reads back with the code: their messages and the counsellors' answers."""
    return list(case.messages.all())


@dataclass
class Segment:
    text: str
    category: str = ""
    label: str = ""  # the category in words, for the page


def highlighted(message: Message) -> list[Segment]:
    """The message cut at the spans the engine pointed at."""
    text = message.text
    marks = [""] * len(text)
    for span in message.spans or []:
        try:
            start, end = max(0, int(span["start"])), min(len(text), int(span["end"]))
        except (KeyError, TypeError, ValueError):
            continue
        for i in range(start, end):
            marks[i] = marks[i] or str(span.get("category") or "flag")
    segments: list[Segment] = []
    for ch, mark in zip(text, marks):
        if segments and segments[-1].category == mark:
            segments[-1].text += ch
        else:
            segments.append(Segment(ch, mark))
    if any(s.category for s in segments):
        # The engine's categories by the names moderators know them by (the monitoring app's list).
        names = dict(apps.get_model("monitoring", "Category").objects.values_list("code", "name"))
        for s in segments:
            s.label = names.get(s.category, "dấu hiệu đáng chú ý") if s.category else ""
    return segments


def categories():
    return Category.objects.filter(active=True)


def counsellors_of(*, unit: Unit):
    """People who may be assigned a case at `unit`'s helpline (counsellors and supervisors at or above)."""
    from cyberyouth.orgs.models import Role

    chain = chain_up(unit)
    seen, people = set(), []
    for role in (Role.COUNSELLOR, Role.HELPLINE_SUPERVISOR):
        for a in org_selectors.role_holders(unit_ids=chain, role=role):
            if a.user_id not in seen:
                seen.add(a.user_id)
                people.append(a.user)
    return people


def supervisors_of(*, unit: Unit):
    from cyberyouth.orgs.models import Role

    return [a.user for a in org_selectors.role_holders(unit_ids=chain_up(unit), role=Role.HELPLINE_SUPERVISOR)]


# ---------------------------------------------------------------- statistics (no content; small-group rule)


@dataclass
class Stats:
    unit: Unit
    year: int
    contacts_total: disclosure.Figure
    cases_total: disclosure.Figure
    by_category: list[tuple[str, disclosure.Figure]]
    by_urgency: list[tuple[str, disclosure.Figure]]
    by_channel: list[tuple[str, disclosure.Figure]]
    by_month: list[tuple[str, disclosure.Figure]]
    by_unit: list[tuple[str, disclosure.Figure]]
    clocks: list[tuple[str, disclosure.Figure, disclosure.Figure, float | None]]  # kind, met, due, share met in time
    referrals: list[tuple[str, disclosure.Figure]]
    non_data: disclosure.Figure


def _protected(counts: dict, labels: dict) -> list[tuple[str, disclosure.Figure]]:
    row = disclosure.protect(counts)
    return [(labels.get(k, str(k)), row.cells[k]) for k in counts]


def stats(*, actor, unit: Unit, year: int) -> Stats:
    """Contacts and cases of `unit`'s helplines in `year`, every figure through the small-group rule."""
    org_selectors.require_read(actor=actor, capability="helpline.stats", unit=unit)
    ids = org_selectors.year_unit_ids(unit=unit, year=year)
    contacts = Contact.objects.filter(unit_id__in=ids, received_at__year=year)
    data_contacts = contacts.exclude(kind=ContactKind.NON_DATA)
    cases = Case.objects.filter(unit_id__in=ids, received_at__year=year)
    cats = {c.code: c.name for c in Category.objects.all()}
    by_cat = Counter(dict(cases.values_list("categories__code").annotate(n=Count("id", distinct=True))
                          .values_list("categories__code", "n")))
    by_cat.pop(None, None)
    by_urg = Counter(dict(cases.values_list("urgency").annotate(n=Count("id")).values_list("urgency", "n")))
    by_chan = Counter(dict(data_contacts.values_list("channel").annotate(n=Count("id")).values_list("channel", "n")))
    months = Counter()
    for received in cases.values_list("received_at", flat=True):
        months[timezone.localtime(received).month] += 1
    unit_names = dict(Unit.objects.filter(id__in=ids).values_list("id", "name"))
    by_unit = Counter(dict(cases.values_list("unit").annotate(n=Count("id")).values_list("unit", "n")))
    clock_rows = []
    for kind, label in ClockKind.choices:
        # decided clocks: met (in time or late) or past their deadline
        qs = Clock.objects.filter(Q(met_at__isnull=False) | Q(due_at__lte=timezone.now()), case__in=cases, kind=kind)
        due = qs.count()
        met = qs.filter(met_at__isnull=False, met_at__lte=F("due_at")).count()
        clock_rows.append((label, disclosure.figure(met), disclosure.figure(due), disclosure.rate(met, due)))
    refs = Counter(dict(Referral.objects.filter(case__in=cases).values_list("to").annotate(n=Count("id"))
                        .values_list("to", "n")))
    return Stats(
        unit=unit, year=year,
        contacts_total=disclosure.figure(data_contacts.count()),
        cases_total=disclosure.figure(cases.count()),
        by_category=_protected({k: by_cat.get(k, 0) for k in cats if by_cat.get(k)}, cats),
        by_urgency=_protected({k: by_urg.get(k, 0) for k in Urgency.values}, dict(Urgency.choices)),
        by_channel=_protected({k: by_chan.get(k, 0) for k in Channel.values}, dict(Channel.choices)),
        by_month=_protected({m: months.get(m, 0) for m in range(1, 13)}, {m: f"Tháng {m}" for m in range(1, 13)}),
        by_unit=_protected(dict(by_unit), unit_names),
        clocks=clock_rows,
        referrals=_protected({k: refs.get(k, 0) for k in ReferralTo.values}, dict(ReferralTo.choices)),
        non_data=disclosure.figure(contacts.filter(kind=ContactKind.NON_DATA).count()),
    )


def yearly_report_line(*, actor, unit: Unit, year: int) -> str:
    """Task 7đ's line in the yearly report, in words (figures through the small-group rule)."""
    s = stats(actor=actor, unit=unit, year=year)
    top = sorted(((f.value or 0, name, f) for name, f in s.by_category if f.shown), reverse=True)[:3]
    top_text = ", ".join(f"{name} ({f})" for _n, name, f in top) or "không có nhóm nào đủ lớn để nêu"
    plan = next((row for row in s.clocks if row[0] == ClockKind.PLAN.label), None)
    plan_text = (f"; kế hoạch hỗ trợ đúng hạn {plan[3]:.0%}" if plan and plan[3] is not None else "")
    return (f"Tổng đài hỗ trợ và ứng cứu thanh thiếu nhi trên không gian mạng tiếp nhận {s.contacts_total} lượt "
            f"liên hệ, {s.cases_total} ca cần hỗ trợ; nhiều nhất: {top_text}{plan_text}.")


def urgency_rank(urgency: str) -> int:
    return URGENCY_RANK.get(urgency, 2)


def opened_recently(*, case: Case, user, minutes: int = 10) -> bool:
    return CaseOpening.objects.filter(case=case, user=user, at__gte=timezone.now() - timedelta(minutes=minutes)).exists()


# ---------------------------------------------------------------- settings


def managed_helplines(*, actor) -> list[Helpline]:
    """The helplines whose hours, targets and roster `actor` may set (`helpline.manage`)."""
    return list(org_selectors.scope(Helpline.objects.select_related("unit"), actor=actor, capability="helpline.manage")
                .order_by("unit__name"))


def get_managed(*, actor, helpline_id: int) -> Helpline:
    found = next((h for h in managed_helplines(actor=actor) if h.pk == helpline_id), None)
    if found is None:
        raise NotFound("Không tìm thấy tổng đài này.")
    return found


def roster(*, helpline: Helpline, days: int = 14, at: datetime | None = None) -> list[DutyShift]:
    """Shifts running now and in the next `days` days, in order."""
    at = at or timezone.now()
    return list(helpline.shifts.filter(ends_at__gt=at, starts_at__lt=at + timedelta(days=days))
                .select_related("user").order_by("starts_at"))
