"""Writes of the budget: a unit's yearly amounts saved (a draft), sent, returned or approved,
re-opened — the steps and statuses of the yearly indicator report (indicators.services), with the
budget's own capabilities. One transaction per call, audited; FormErrors names every bad cell."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from cyberyouth.audit.services import audit_record
from cyberyouth.errors import DomainError, ErrorCode
from cyberyouth.indicators.models import SubmissionStatus
from cyberyouth.indicators.services import FormErrors
from cyberyouth.lib.money import AmountError, format_vnd, parse_vnd
from cyberyouth.lib.text import has_control, nfc
from cyberyouth.notifications.services import notify
from cyberyouth.orgs import selectors as org_selectors
from cyberyouth.orgs.models import Role, Unit

from .models import GROUPS, BudgetLine, BudgetReport, Measure, Source

READ, ENTER, APPROVE = "budget.read", "budget.enter", "budget.approve"
FIRST_YEAR = 2022  # the programme's first year


def cell_key(measure: str, source: str, group: int) -> str:
    """The name of one amount in forms, the API and the XLSX template: "estimate-a-1"."""
    return f"{measure}-{source}-{group}"


CELLS = [(m, s, g) for m in Measure.values for s in Source.values for g in GROUPS]


def check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= org_selectors.today().year + 1:
        raise DomainError(f"Năm phải từ {FIRST_YEAR} đến {org_selectors.today().year + 1}.", field="year",
                          code=ErrorCode.OUT_OF_RANGE)


def parse_amounts(values: dict) -> dict[tuple[str, str, int], int]:
    """{"estimate-a-1": "1.250.000", …} → {(measure, source, group): đồng}; FormErrors for every
    cell at fault (unknown names included). Blank cells are left out."""
    known = {cell_key(*c): c for c in CELLS}
    parsed, errors = {}, {}
    for key, raw in values.items():
        cell = known.get(key)
        if cell is None:
            errors[key] = "Ô không có trong biểu kinh phí."
            continue
        try:
            amount = parse_vnd(raw)
        except AmountError as exc:
            m, s, g = cell
            errors[key] = f"{Measure(m).label}, nguồn {s}), nhóm {g}: {exc}"
            continue
        if amount:
            parsed[cell] = amount
    if errors:
        raise FormErrors(errors)
    return parsed


def _snapshot(report: BudgetReport) -> dict:
    """What the audit log keeps: the status, the note and every amount, in words an official reads
    ("Dự toán, nguồn a), nhóm 1": "60.000.000")."""
    return {"status": report.status, "note": report.note[:500],
            "lines": {f"{Measure(ln.measure).label}, nguồn {ln.source}), nhóm {ln.group}": format_vnd(ln.amount)
                      for ln in report.lines.order_by("measure", "source", "group")}}


def _locked(report: BudgetReport) -> BudgetReport:
    return BudgetReport.objects.select_for_update().select_related("unit").get(pk=report.pk)


@transaction.atomic
def budget_save(*, actor, unit: Unit, year: int, values: dict, note: str = "", submit: bool = False) -> BudgetReport:
    """Save `unit`'s amounts for `year` (the whole table: a cell left out is blank), as a draft
    or — `submit` — sent for approval. Nothing is written when any cell is wrong."""
    org_selectors.require(actor=actor, capability=ENTER, unit=unit, read=READ)
    check_year(year)
    amounts = parse_amounts(values)
    note = nfc(note or "").strip()
    if has_control(note):
        raise DomainError("Thuyết minh có ký tự điều khiển không hợp lệ.", field="note",
                          code=ErrorCode.CONTROL_CHARACTER)
    if len(note) > 5000:
        raise DomainError("Thuyết minh quá dài (tối đa 5.000 ký tự).", field="note", code=ErrorCode.TOO_LONG)
    report = BudgetReport.objects.select_for_update().filter(unit=unit, year=year).first()
    before = None
    if report is None:
        report = BudgetReport.objects.create(unit=unit, year=year)
    else:
        before = _snapshot(report)
    if not report.is_editable:
        raise DomainError(f"Báo cáo kinh phí đang ở trạng thái “{report.get_status_display()}”, không sửa được.",
                          code=ErrorCode.LOCKED)
    if submit and not amounts:
        raise DomainError("Chưa có số tiền nào: nhập dự toán hoặc kinh phí thực hiện trước khi gửi.",
                          code=ErrorCode.INVALID)
    report.lines.all().delete()
    BudgetLine.objects.bulk_create([BudgetLine(report=report, measure=m, source=s, group=g, amount=a)
                                    for (m, s, g), a in sorted(amounts.items())])
    report.note = note
    report.updated_by = actor if getattr(actor, "pk", None) else None
    if submit:
        report.status = SubmissionStatus.SUBMITTED
        report.submitted_at = timezone.now()
        report.submitted_by = report.updated_by
        report.return_comment = ""
    report.save()
    audit_record(actor=actor, action="budget.submit" if submit else "budget.save", target=report, before=before,
                 after=_snapshot(report))
    return report


@transaction.atomic
def budget_submit(*, actor, report: BudgetReport) -> BudgetReport:
    """Send a saved draft as it stands."""
    values = {cell_key(ln.measure, ln.source, ln.group): ln.amount for ln in report.lines.all()}
    return budget_save(actor=actor, unit=report.unit, year=report.year, values=values, note=report.note, submit=True)


def _tell_unit(report: BudgetReport, *, actor, kind: str, title: str, body: str) -> None:
    people = [a.user for a in org_selectors.role_holders(unit_ids=[report.unit_id], role=Role.FOCAL_POINT)]
    notify(recipients=[*people, report.submitted_by], kind=kind, title=title, body=body,
           link=reverse("budget:unit", args=[report.unit.code, report.year]), unit=report.unit, exclude=actor)


@transaction.atomic
def budget_return(*, actor, report: BudgetReport, comment: str) -> BudgetReport:
    """Send a submitted budget report back to its unit with the reason; it becomes editable."""
    report = _locked(report)
    org_selectors.require(actor=actor, capability=APPROVE, unit=report.unit, read=READ)
    comment = nfc(comment or "").strip()
    if not comment:
        raise DomainError("Ghi rõ lý do trả lại để đơn vị sửa.", field="comment")
    if report.status != SubmissionStatus.SUBMITTED:
        raise DomainError("Chỉ trả lại được báo cáo đã gửi và chưa duyệt.", code=ErrorCode.BAD_STATUS)
    before = _snapshot(report)
    report.status = SubmissionStatus.RETURNED
    report.return_comment = comment[:2000]
    report.updated_by = actor
    report.save()
    audit_record(actor=actor, action="budget.return", target=report, before=before, after=_snapshot(report),
                 note=comment)
    _tell_unit(report, actor=actor, kind="submission_returned",
               title=f"Báo cáo kinh phí năm {report.year} của {report.unit.name} bị trả lại để sửa",
               body=f"Lý do trả lại ({actor}): {comment}")
    return report


@transaction.atomic
def budget_approve(*, actor, report: BudgetReport, comment: str = "") -> BudgetReport:
    """Approve a submitted budget report; it is then locked and counted in the totals above it."""
    report = _locked(report)
    org_selectors.require(actor=actor, capability=APPROVE, unit=report.unit, read=READ)
    if report.status != SubmissionStatus.SUBMITTED:
        raise DomainError("Chỉ duyệt được báo cáo đã gửi.", code=ErrorCode.BAD_STATUS)
    before = _snapshot(report)
    report.status = SubmissionStatus.APPROVED
    report.approved_at = timezone.now()
    report.approved_by = actor
    report.updated_by = actor
    report.save()
    comment = nfc(comment or "").strip()
    audit_record(actor=actor, action="budget.approve", target=report, before=before, after=_snapshot(report),
                 note=comment)
    _tell_unit(report, actor=actor, kind="submission_approved",
               title=f"Báo cáo kinh phí năm {report.year} của {report.unit.name} đã được duyệt",
               body=f"Người duyệt: {actor}." + (f" Ý kiến: {comment}" if comment else ""))
    return report


@transaction.atomic
def budget_reopen(*, actor, report: BudgetReport, reason: str) -> BudgetReport:
    """Unlock an approved budget report (an approver, with a reason): it leaves the totals until
    it is approved again."""
    report = _locked(report)
    org_selectors.require(actor=actor, capability=APPROVE, unit=report.unit, read=READ)
    reason = nfc(reason or "").strip()
    if not reason:
        raise DomainError("Ghi rõ lý do mở lại báo cáo đã duyệt.", field="reason")
    if report.status != SubmissionStatus.APPROVED:
        raise DomainError("Chỉ mở lại được báo cáo đã duyệt.", code=ErrorCode.BAD_STATUS)
    before = _snapshot(report)
    report.status = SubmissionStatus.DRAFT
    report.approved_at = None
    report.approved_by = None
    report.return_comment = f"Mở lại: {reason}"[:2000]
    report.updated_by = actor
    report.save()
    audit_record(actor=actor, action="budget.reopen", target=report, before=before, after=_snapshot(report),
                 note=reason)
    return report


STEPS = ("save", "submit", "approve", "return", "reopen")


def budget_step(*, actor, unit: Unit, year: int, step: str, values: dict | None = None, note: str = "",
                comment: str = "") -> str:
    """One step on a unit's budget report as its page offers them; returns what to tell the person."""
    if step in ("save", "submit"):
        budget_save(actor=actor, unit=unit, year=year, values=values or {}, note=note, submit=step == "submit")
        return "Đã gửi báo cáo kinh phí." if step == "submit" else "Đã lưu nháp."
    if step not in STEPS:
        raise DomainError("Thao tác không hợp lệ.", field="action")
    report = BudgetReport.objects.filter(unit=unit, year=year).first()
    if report is None:
        raise DomainError("Đơn vị chưa có báo cáo kinh phí năm này.", code=ErrorCode.NO_SUBMISSION)
    if step == "approve":
        budget_approve(actor=actor, report=report, comment=comment)
        return "Đã duyệt báo cáo kinh phí."
    if step == "return":
        budget_return(actor=actor, report=report, comment=comment)
        return "Đã trả lại báo cáo kinh phí cho đơn vị."
    budget_reopen(actor=actor, report=report, reason=comment)
    return "Đã mở lại báo cáo kinh phí."
