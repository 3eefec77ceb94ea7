"""Reminding units whose last complete week (Mon–Sun, Asia/Ho_Chi_Minh) had gaps: fewer than seven
days with a tin tốt, or no câu chuyện đẹp. The right to remind is `campaign.manage` on the unit;
each reminder is recorded (once per unit and week) and audited; focal points are told through
`notifications` (the bell, and an e-mail that leaves only after the commit) — the indicators'
mechanism, not a second one."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from cyberyouth.audit.services import audit_record
from cyberyouth.errors import DomainError, ErrorCode, ScopeError
from cyberyouth.notifications.services import notify
from cyberyouth.orgs import selectors as org_selectors
from cyberyouth.orgs.models import Role, Unit

from . import selectors
from .models import GapReminder, Post, PostKind


def last_week(today: date) -> date:
    """Monday of the last Mon–Sun week that is over."""
    return selectors.week_of(today) - timedelta(days=7)


@transaction.atomic
def remind_gaps(*, actor, today: date | None = None) -> list[GapReminder]:
    today = today or org_selectors.today()
    allowed = org_selectors.unit_ids(actor=actor, capability="campaign.manage", history=False)
    if not allowed:
        raise ScopeError("Bạn không có quyền nhắc các đơn vị.")
    monday = last_week(today)
    sunday = monday + timedelta(days=6)
    units = selectors.posting_unit_ids(unit_ids=allowed, start=monday, end=sunday)
    marked = Post.objects.filter(unit_id__in=units, day__range=(monday, sunday))
    good: dict[int, set] = {}
    for unit_id, day in marked.filter(kind=PostKind.GOOD_NEWS).values_list("unit_id", "day").distinct():
        good.setdefault(unit_id, set()).add(day)
    stories = set(marked.filter(kind=PostKind.STORY).values_list("unit_id", flat=True))
    already = set(GapReminder.objects.filter(week=monday, unit_id__in=units).values_list("unit_id", flat=True))
    gaps = [u for u in units if u not in already and (len(good.get(u, ())) < 7 or u not in stories)]
    if not gaps:
        raise DomainError("Tuần trước không còn đơn vị nào thiếu tin (hoặc đã được nhắc).",
                          code=ErrorCode.NOTHING_TO_REMIND)
    people: dict[int, list] = {u: [] for u in gaps}
    for a in org_selectors.role_holders(unit_ids=gaps, role=Role.FOCAL_POINT):
        people[a.unit_id].append(a.user)
    sender = actor if getattr(actor, "pk", None) else None
    out = []
    for unit in Unit.objects.filter(id__in=gaps):
        n, story = len(good.get(unit.id, ())), unit.id in stories
        users = people[unit.id]
        row = GapReminder.objects.create(unit=unit, week=monday, good_days=n, has_story=story, sent_at=timezone.now(),
                                         sent_by=sender, recipients=[u.username for u in users])
        audit_record(actor=actor, action="campaigns.remind", target=row, unit=unit,
                     after={"week": monday.isoformat(), "good_days": n, "has_story": story,
                            "recipients": row.recipients})
        missing = [f"{7 - n}/7 ngày chưa có tin tốt"] if n < 7 else []
        missing += [] if story else ["chưa có câu chuyện đẹp"]
        notify(recipients=users, kind="reminder", unit=unit, exclude=actor,
               title=f"Nhắc đăng tin: tuần {monday:%d/%m} – {sunday:%d/%m/%Y} — {unit.name}",
               body=f"Tuần qua trên kênh chính thức của đơn vị: {'; '.join(missing)}. "
                    "“Mỗi ngày một tin tốt, mỗi tuần một câu chuyện đẹp.”",
               link=f"{reverse('campaigns:unit', args=[unit.code])}?nam={monday.year}")
        out.append(row)
    return out
