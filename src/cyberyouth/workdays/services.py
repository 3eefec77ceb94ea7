from datetime import date

from django.db import transaction

from cyberyouth.audit.services import audit_record
from cyberyouth.errors import DomainError, NotFound, ScopeError
from cyberyouth.lib.text import nfc
from cyberyouth.orgs import selectors as org_selectors

from .models import CalendarDay


def _require(actor) -> None:
    if not org_selectors.can(actor=actor, capability="calendar.manage"):
        raise ScopeError("Bạn không có quyền sửa lịch ngày nghỉ.")


@transaction.atomic
def day_set(*, actor, day: date, working: bool, name: str) -> CalendarDay:
    """Record an announced day off, or a swapped working day (replacing what was recorded for it)."""
    _require(actor)
    name = nfc(name)
    if not name:
        raise DomainError("Ghi tên ngày nghỉ hoặc căn cứ (số văn bản thông báo).", field="name")
    if len(name) > 200:
        raise DomainError("Tên quá dài (tối đa 200 ký tự).", field="name")
    if not 2000 <= day.year <= 2100:
        raise DomainError("Ngày nằm ngoài phạm vi lịch (2000–2100).", field="day")
    before = CalendarDay.objects.filter(day=day).values("working", "name").first()
    row, _ = CalendarDay.objects.update_or_create(day=day, defaults={"working": working, "name": name,
                                                                     "added_by": actor})
    audit_record(actor=actor, action="workdays.day_set", target=row, before=before,
                 after={"day": day.isoformat(), "working": working, "name": name})
    return row


@transaction.atomic
def day_remove(*, actor, day_id: int) -> None:
    _require(actor)
    row = CalendarDay.objects.filter(pk=day_id).first()
    if row is None:
        raise NotFound("Không tìm thấy ngày này.")
    audit_record(actor=actor, action="workdays.day_remove", target=row,
                 before={"day": row.day.isoformat(), "working": row.working, "name": row.name})
    row.delete()
