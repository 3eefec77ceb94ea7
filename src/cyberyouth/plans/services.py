"""Every write to plans, assignments, progress and evidence. One transaction per call, audited."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import transaction

from cyberyouth.audit.services import audit_record, snapshot
from cyberyouth.errors import DomainError, ScopeError
from cyberyouth.lib.text import nfc as _nfc
from cyberyouth.orgs import selectors as org_selectors
from cyberyouth.orgs.models import SCHOOL_TYPES, Unit, UnitType
from cyberyouth.uploads import check_upload

from . import selectors
from .models import (
    Assignment, AssignmentRole, Evidence, Plan, PlanSection, Programme, Progress, ProgressStatus, Task, TaskGroup,
)


# ---------------------------------------------------------------- loading a plan from its data file


@transaction.atomic
def plan_load(*, actor, data: dict) -> Plan:
    """Create (or find) the programme and plan described by `data` — the structure of
    plans/data/*.json. Idempotent: a plan already loaded is returned unchanged."""
    prog = data["programme"]
    programme, _ = Programme.objects.get_or_create(
        code=prog["code"],
        defaults={
            "title": _nfc(prog["title"]), "decided_on": date.fromisoformat(prog["decided_on"]),
            "issuer": _nfc(prog["issuer"]), "start_year": prog["start_year"], "end_year": prog["end_year"],
        },
    )
    p = data["plan"]
    owner = Unit.objects.get(code=p["owner_unit"])
    existing = Plan.objects.filter(programme=programme, owner_unit=owner, title=_nfc(p["title"]), year=p["year"]).first()
    if existing:
        return existing
    plan = Plan.objects.create(
        programme=programme, owner_unit=owner, number=p.get("number", ""), title=_nfc(p["title"]),
        year=p["year"], issued_on=date.fromisoformat(p["issued_on"]) if p.get("issued_on") else None,
        place=p.get("place", ""), preamble=_nfc(p.get("preamble")), legal_bases=p.get("legal_bases", []),
        recipients=p.get("recipients", []), signer_authority=p.get("signer_authority", ""),
        signer_title=p.get("signer_title", ""), signer_name=p.get("signer_name", ""),
        is_demo=p.get("is_demo", False), created_by=actor if getattr(actor, "pk", None) else None,
    )
    for order, section in enumerate(data["sections"], start=1):
        PlanSection.objects.create(plan=plan, number=section["number"], title=_nfc(section["title"]), order=order,
                                   body=section.get("body", []))
    units_by_code = {u.code: u for u in Unit.objects.all()}
    implementers = _implementers(owner, on=plan.issued_on or date(plan.year, 1, 1))
    for group_data in data["task_groups"]:
        group = TaskGroup.objects.create(plan=plan, number=group_data["number"], title=_nfc(group_data["title"]))
        for order, task_data in enumerate(group_data["tasks"], start=1):
            task = Task.objects.create(group=group, letter=task_data["letter"], order=order, text=_nfc(task_data["text"]))
            for role, codes in _assignees(data.get("assignments", {}), group_data["number"], task_data["letter"]).items():
                for code in (implementers if codes == ["@implementers"] else codes):
                    unit = units_by_code.get(code)
                    if unit is not None:
                        Assignment.objects.get_or_create(task=task, unit=unit, defaults={"role": role})
    audit_record(actor=actor, action="plan.load", target=plan, after={"title": plan.title, "year": plan.year})
    return plan


def _implementers(owner: Unit, *, on: date) -> list[str]:
    """"@implementers" in a data file: every commune, town and school under the owner then."""
    below = org_selectors.descendant_ids(unit_ids=[owner.id], on=on) - {owner.id}
    types = {UnitType.COMMUNE, UnitType.WARD, UnitType.TOWNSHIP} | SCHOOL_TYPES
    return list(Unit.objects.filter(id__in=below, unit_type__in=types).values_list("code", flat=True))


def _assignees(rules: dict, group_number: int, letter: str) -> dict[str, list[str]]:
    """Section V rules: {"lead": {"*": [codes]}, "implement": {"*": [...], "2": [...]}}, where a
    key is "*" (every task), a group number, or a task code such as "7đ"."""
    result: dict[str, list[str]] = {}
    for role, by_scope in rules.items():
        codes: list[str] = []
        for key in ("*", str(group_number), f"{group_number}{letter}"):
            value = by_scope.get(key, [])
            codes.extend([value] if isinstance(value, str) else value)
        if codes:
            result[role] = codes
    return result


# ---------------------------------------------------------------- child plans and assignments


@transaction.atomic
def child_plan_create(
    *, actor, parent: Plan, owner_unit: Unit, title: str, year: int, issued_on: date | None = None,
    number: str = "", details: list[tuple[Task, str]] | None = None,
) -> Plan:
    """A unit's own detailed plan under `parent`; each detail refines a task of the parent."""
    if not any(
        org_selectors.can(actor=actor, capability=c, unit=owner_unit) for c in ("plan.child", "plan.manage")
    ):
        raise ScopeError("Bạn không có quyền lập kế hoạch cho đơn vị này.")
    title = _nfc(title)
    if not title:
        raise DomainError("Tên kế hoạch không được để trống.", field="title")
    if not (parent.programme.start_year <= year <= parent.programme.end_year):
        raise DomainError(
            f"Năm kế hoạch phải trong giai đoạn {parent.programme.start_year}–{parent.programme.end_year}.", field="year"
        )
    plan = Plan.objects.create(
        programme=parent.programme, parent=parent, owner_unit=owner_unit, title=title, year=year,
        issued_on=issued_on, number=_nfc(number), created_by=actor,
    )
    if details:
        groups: dict[int, TaskGroup] = {}
        for order, (parent_task, text) in enumerate(details, start=1):
            if parent_task.group.plan_id != parent.id:
                raise DomainError("Nhiệm vụ chi tiết phải thuộc kế hoạch cấp trên.", field="details")
            text = _nfc(text)
            if not text:
                continue
            pg = parent_task.group
            group = groups.get(pg.number) or TaskGroup.objects.create(plan=plan, number=pg.number, title=pg.title)
            groups[pg.number] = group
            letter = f"{parent_task.letter}{group.tasks.count() + 1}"
            task = Task.objects.create(group=group, letter=letter, order=order, text=text, parent_task=parent_task)
            Assignment.objects.create(task=task, unit=owner_unit, role=AssignmentRole.LEAD)
    audit_record(actor=actor, action="plan.child_create", target=plan,
                 after={"title": title, "year": year, "parent": parent.pk, "unit": owner_unit.code})
    return plan


@transaction.atomic
def assignment_set(*, actor, task: Task, unit: Unit, role: str) -> Assignment:
    org_selectors.require(actor=actor, capability="plan.manage", unit=task.group.plan.owner_unit, read="plan.read")
    org_selectors.require_read(actor=actor, capability="unit.read", unit=unit)
    if role not in AssignmentRole.values:
        raise DomainError("Vai trò phân công không hợp lệ.", field="role")
    if not unit.is_active_on(org_selectors.today()):
        raise DomainError(f"Đơn vị “{unit.name}” đã chấm dứt hoạt động.", field="unit")
    assignment, created = Assignment.objects.get_or_create(task=task, unit=unit, defaults={"role": role})
    before = None if created else {"role": assignment.role}
    if not created and assignment.role != role:
        assignment.role = role
        assignment.save(update_fields=["role"])
    audit_record(actor=actor, action="assignment.set", target=assignment, before=before, after={"role": role})
    return assignment


# ---------------------------------------------------------------- progress and evidence


def _check_progress_access(actor, assignment: Assignment) -> None:
    org_selectors.require(actor=actor, capability="progress.record", unit=assignment.unit, read="progress.read")


SUMMARY_MAX = 10_000  # characters of a progress summary: the form and the API take it from here


@transaction.atomic
def progress_record(
    *, actor, assignment: Assignment, year: int, status: str, summary: str = "",
    started_on: date | None = None, completed_on: date | None = None,
) -> Progress:
    """Create or update what `assignment.unit` did on its task in `year`."""
    _check_progress_access(actor, assignment)
    selectors.check_programme_year(assignment=assignment, year=year)
    if year > org_selectors.today().year:
        raise DomainError("Không thể ghi tiến độ cho năm chưa đến.", field="year")
    if status not in ProgressStatus.values:
        raise DomainError("Trạng thái không hợp lệ.", field="status")
    summary = _nfc(summary)
    if len(summary) > SUMMARY_MAX:
        raise DomainError(f"Kết quả thực hiện tối đa {SUMMARY_MAX:,} ký tự.".replace(",", "."), field="summary")
    if status == ProgressStatus.DONE and not summary:
        raise DomainError("Nhiệm vụ đã hoàn thành cần mô tả kết quả thực hiện.", field="summary")
    if status == ProgressStatus.DONE and completed_on is None:
        raise DomainError("Nhập ngày hoàn thành.", field="completed_on")
    if started_on and completed_on and completed_on < started_on:
        raise DomainError("Ngày hoàn thành không được trước ngày bắt đầu.", field="completed_on")
    for name, value in (("started_on", started_on), ("completed_on", completed_on)):
        if value and value > org_selectors.today():
            raise DomainError("Ngày không được ở tương lai.", field=name)
    progress = Progress.objects.select_for_update().filter(assignment=assignment, year=year).first()
    before = snapshot(progress, fields=["status", "summary", "started_on", "completed_on"]) if progress else None
    if progress is None:
        progress = Progress(assignment=assignment, year=year)
    progress.status, progress.summary = status, summary
    progress.started_on, progress.completed_on = started_on, completed_on
    progress.updated_by = actor
    progress.save()
    audit_record(actor=actor, action="progress.record", target=progress, before=before,
                 after=snapshot(progress, fields=["status", "summary", "started_on", "completed_on"]))
    return progress


@transaction.atomic
def evidence_add_file(*, actor, progress: Progress, title: str, upload: UploadedFile) -> Evidence:
    """Attach a file, checked for size, type and content."""
    _check_progress_access(actor, progress.assignment)
    checked = check_upload(upload, allowed=settings.EVIDENCE_ALLOWED_TYPES, max_bytes=settings.EVIDENCE_MAX_BYTES)
    name = checked.name
    evidence = Evidence(
        progress=progress, title=_nfc(title) or name, size=checked.size, content_type=checked.content_type,
        sha256=checked.sha256, uploaded_by=actor,
    )
    evidence.file.save(name, upload, save=False)
    evidence.save()
    audit_record(actor=actor, action="evidence.add", target=evidence,
                 after={"file": evidence.file.name, "size": evidence.size, "sha256": evidence.sha256})
    return evidence


@transaction.atomic
def evidence_add(*, actor, assignment: Assignment, year: int, title: str = "", upload: UploadedFile | None = None,
                 url: str = "") -> Evidence:
    """Attach a file or a link to `assignment`'s progress for `year`; the first piece of evidence
    starts the progress record ("in progress") — all or nothing."""
    _check_progress_access(actor, assignment)
    progress = Progress.objects.filter(assignment=assignment, year=year).first() or progress_record(
        actor=actor, assignment=assignment, year=year, status=ProgressStatus.IN_PROGRESS)
    if upload:
        return evidence_add_file(actor=actor, progress=progress, title=title, upload=upload)
    return evidence_add_link(actor=actor, progress=progress, title=title, url=url)


@transaction.atomic
def evidence_add_link(*, actor, progress: Progress, title: str, url: str) -> Evidence:
    _check_progress_access(actor, progress.assignment)
    url = (url or "").strip()
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise DomainError("Đường dẫn không hợp lệ (cần bắt đầu bằng http:// hoặc https://).", field="url") from None
    evidence = Evidence.objects.create(progress=progress, title=_nfc(title) or url, url=url, uploaded_by=actor)
    audit_record(actor=actor, action="evidence.add", target=evidence, after={"url": url})
    return evidence
