"""Reminding units that still owe their yearly report.

The reminder list is the completeness selector's (never sent, draft, returned); the right to
remind is the right to approve (`data.approve`) on the unit. Each reminder is recorded and
audited in the transaction; the e-mails to the unit's focal points leave only after it
commits, so a refused or failed call sends nothing. A unit is reminded at most once a day.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from cyberyouth.audit.services import audit_record
from cyberyouth.errors import DomainError, ScopeError
from cyberyouth.orgs import selectors as org_selectors
from cyberyouth.orgs.models import Role, Unit

from . import selectors
from .models import Period, Reminder

log = logging.getLogger(__name__)

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


def _focal_points(unit_ids: list[int]) -> dict[int, list[dict]]:
    people: dict[int, list[dict]] = {u: [] for u in unit_ids}
    for a in org_selectors.role_holders(unit_ids=unit_ids, role=Role.FOCAL_POINT):
        people[a.unit_id].append({"username": a.user.username, "name": str(a.user), "email": a.user.email})
    return people


@transaction.atomic
def reminders_send(*, actor, year: int, unit: Unit | None = None, base_url: str = "") -> RemindResult:
    """Remind every unit in `actor`'s approval scope (or under `unit`) that still owes `year`'s report."""
    period = Period.objects.filter(year=year).first()
    if period is None:
        raise DomainError(f"Chưa mở kỳ báo cáo năm {year}.", field="year")
    allowed = org_selectors.actionable_unit_ids(actor=actor, capability="data.approve")
    if not allowed or (unit is not None and unit.id not in allowed):
        raise ScopeError("Bạn không có quyền nhắc các đơn vị này báo cáo.")
    owing = [r for r in selectors.completeness(actor=actor, year=year, unit=unit).reminders if r.unit_id in allowed]
    if not owing:
        raise DomainError("Không còn đơn vị nào phải nhắc.", code="nothing_to_remind")
    now = timezone.now()
    recent = set(Reminder.objects.filter(year=year, unit_id__in=[r.unit_id for r in owing],
                                         sent_at__gt=now - REMIND_AGAIN_AFTER).values_list("unit_id", flat=True))
    people = _focal_points([r.unit_id for r in owing])
    result = RemindResult()
    messages: list[EmailMessage] = []
    sender = actor if getattr(actor, "pk", None) else None
    for row in owing:
        if row.unit_id in recent:
            result.skipped.append((row.name, "đã nhắc trong 24 giờ qua"))
            continue
        recipients = people[row.unit_id]
        reminder = Reminder.objects.create(year=year, unit_id=row.unit_id, status=row.status,
                                           recipients=recipients, sent_at=now, sent_by=sender)
        audit_record(actor=actor, action="indicators.remind", target=reminder,
                     after={"unit": row.unit, "year": year, "status": row.status,
                            "recipients": [p["username"] for p in recipients]})
        result.reminded.append(reminder)
        if not any(p["email"] for p in recipients):
            result.skipped.append((row.name, "không có đầu mối có địa chỉ thư điện tử (đã ghi nhận, chưa gửi thư)"))
        link = base_url.rstrip("/") + reverse("indicators:submission", args=[row.unit, year]) if base_url else ""
        for person in recipients:
            if not person["email"]:
                continue
            body = render_to_string("indicators/email/reminder.txt", {
                "person": person, "unit_name": row.name, "year": year, "deadline": period.deadline,
                "status": row.status_label, "returned": row.status == "returned", "link": link,
                "sender": str(actor) if sender else "",
                "overdue": org_selectors.today() > period.deadline,
            })
            messages.append(EmailMessage(f"[Chương trình 311/QĐ-TTg] Nhắc gửi báo cáo số liệu năm {year} — {row.name}",
                                         body, settings.DEFAULT_FROM_EMAIL, [person["email"]]))
    if messages:
        transaction.on_commit(lambda: _deliver(messages))
    return result


def _deliver(messages: list[EmailMessage]) -> None:
    # After commit: a mail server that is down loses no record (the reminders stand, and the
    # log says what was not delivered); it cannot undo what was written either.
    try:
        get_connection().send_messages(messages)
    except Exception:  # noqa: BLE001 — any transport error is logged, never raised at the user
        log.exception("reminder e-mails not delivered (%d messages)", len(messages))
