"""Reminding units that still owe their yearly report.

The reminder list is the completeness selector's (never sent, draft, returned); the right to
remind is the right to approve (`data.approve`) on the unit. Each reminder is recorded and
audited in the transaction; each focal point is told through `notifications` (the bell, and an
e-mail in the reminder's words that leaves only after it commits, so a refused or failed call
sends nothing). A unit is reminded at most once a day.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from cyberyouth.audit.services import audit_record
from cyberyouth.errors import DomainError, ErrorCode, ScopeError
from cyberyouth.notifications.services import notify
from cyberyouth.orgs import selectors as org_selectors
from cyberyouth.orgs.models import Role, Unit

from . import selectors
from .models import Period, Reminder

REMIND_AGAIN_AFTER = timedelta(hours=20)  # "once a day", whatever time of day the last one went


@dataclass
class RemindResult:
    reminded: list[Reminder] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (unit name, why)

    @property
    def emails(self) -> int:
        return sum(1 for rem in self.reminded for person in rem.recipients if person.get("email"))


def last_reminded(*, year: int, unit_ids) -> dict[int, Reminder]:
    """The latest reminder of each unit for `year` (for the completeness page)."""
    latest: dict[int, Reminder] = {}
    for r in Reminder.objects.filter(year=year, unit_id__in=list(unit_ids)).order_by("sent_at"):
        latest[r.unit_id] = r
    return latest


def _focal_points(unit_ids: list[int]) -> dict[int, list]:
    people: dict[int, list] = {u: [] for u in unit_ids}
    for a in org_selectors.role_holders(unit_ids=unit_ids, role=Role.FOCAL_POINT):
        people[a.unit_id].append(a.user)
    return people


@transaction.atomic
def reminders_send(*, actor, year: int, unit: Unit | None = None, base_url: str = "") -> RemindResult:
    """Remind every unit in `actor`'s approval scope (or under `unit`) that still owes `year`'s report."""
    period = Period.objects.filter(year=year).first()
    if period is None:
        raise DomainError(f"Chưa mở kỳ báo cáo năm {year}.", field="year")
    allowed = org_selectors.unit_ids(actor=actor, capability="data.approve", history=False)
    if not allowed or (unit is not None and unit.id not in allowed):
        raise ScopeError("Bạn không có quyền nhắc các đơn vị này báo cáo.")
    owing = [r for r in selectors.completeness(actor=actor, year=year, unit=unit).reminders if r.unit_id in allowed]
    if not owing:
        raise DomainError("Không còn đơn vị nào phải nhắc.", code=ErrorCode.NOTHING_TO_REMIND)
    now = timezone.now()
    recent = set(Reminder.objects.filter(year=year, unit_id__in=[r.unit_id for r in owing],
                                         sent_at__gt=now - REMIND_AGAIN_AFTER).values_list("unit_id", flat=True))
    people = _focal_points([r.unit_id for r in owing])
    result = RemindResult()
    sender = actor if getattr(actor, "pk", None) else None
    overdue = org_selectors.today() > period.deadline
    for row in owing:
        if row.unit_id in recent:
            result.skipped.append((row.name, "đã nhắc trong 24 giờ qua"))
            continue
        users = people[row.unit_id]
        recipients = [{"username": u.username, "name": str(u), "email": u.email} for u in users]
        reminder = Reminder.objects.create(year=year, unit_id=row.unit_id, status=row.status,
                                           recipients=recipients, sent_at=now, sent_by=sender)
        audit_record(actor=actor, action="indicators.remind", target=reminder,
                     after={"unit": row.unit, "year": year, "status": row.status,
                            "recipients": [p["username"] for p in recipients]})
        result.reminded.append(reminder)
        if not any(p["email"] for p in recipients):
            result.skipped.append((row.name, "không có đầu mối có địa chỉ thư điện tử (đã ghi nhận, chưa gửi thư)"))
        path = reverse("indicators:submission", args=[row.unit, year])
        link = base_url.rstrip("/") + path if base_url else ""
        title = f"Nhắc gửi báo cáo số liệu năm {year} — {row.name}"
        in_app = (f"{'Đã quá hạn nộp' if overdue else 'Hạn nộp'} {period.deadline:%d/%m/%Y}; "
                  f"trạng thái hiện tại: {row.status_label}." + (f" Người nhắc: {sender}." if sender else ""))
        # One notification per focal point (the bell), its e-mail in the reminder's own words.
        for user, person in zip(users, recipients, strict=True):
            body = render_to_string("indicators/email/reminder.txt", {
                "person": person, "unit_name": row.name, "year": year, "deadline": period.deadline,
                "status": row.status_label, "returned": row.status == "returned", "link": link,
                "sender": str(actor) if sender else "", "overdue": overdue,
            })
            notify(recipients=[user], kind="reminder", title=title, body=in_app, link=path, unit=reminder.unit,
                   email_subject=title, email_body=body)
    return result
