"""Every write to indicator definitions, periods, submissions and values. One transaction per
call, audited, DomainError (or FormErrors, one message per field) on bad input."""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from cyberyouth.audit.services import audit_record
from cyberyouth.errors import DomainError, ErrorCode, NotFound, ScopeError
from cyberyouth.lib.text import nfc as _nfc
from cyberyouth.lib.text import vi_key
from cyberyouth.notifications.services import notify
from cyberyouth.orgs import selectors as org_selectors
from cyberyouth.orgs.models import Role, Unit
from cyberyouth.uploads import check_upload

from . import selectors
from .formulas import element_codes
from .models import (
    DataElement, DataValue, EvidenceFile, FormElement, Indicator, Milestone, Period, ReportForm, Submission,
    SubmissionStatus, ValueSource, ValueType,
)


class FieldMessage(str):
    """One field's error message that carries its `ErrorCode` (INVALID unless told)."""

    code: ErrorCode

    def __new__(cls, message: str, code: ErrorCode = ErrorCode.INVALID):
        obj = super().__new__(cls, message)
        obj.code = code
        return obj


class FormErrors(DomainError):
    """Several fields at fault at once; `errors` maps a field (element code) to its message."""

    def __init__(self, errors: dict[str, str]):
        self.errors = dict(errors)
        first_field, first_message = next(iter(self.errors.items()))
        super().__init__(first_message if len(errors) == 1 else f"{first_message} (và {len(errors) - 1} lỗi khác)",
                         field=first_field, code=ErrorCode.INVALID_VALUES)

    def as_list(self) -> list[dict]:
        return [{"code": str(getattr(m, "code", ErrorCode.INVALID)), "message": str(m), "field": f}
                for f, m in self.errors.items()]


# ---------------------------------------------------------------- definitions


@transaction.atomic
def definitions_load(*, actor, data: dict) -> list[Indicator]:
    """Create or update the data elements, forms and indicators described by `data` (the
    structure of indicators/data/*.json). Idempotent; formulas are checked against the elements."""
    elements = {}
    for e in data["elements"]:
        element, _ = DataElement.objects.update_or_create(code=e["code"], defaults={
            "name": _nfc(e["name"]), "value_type": e.get("type", ValueType.INTEGER), "help_text": _nfc(e.get("help")),
            "evidence_required": e.get("evidence_required", False), "provider": e.get("provider", ""),
            "jump_factor": Decimal(str(e["jump_factor"])) if e.get("jump_factor") else Decimal(3),
        })
        elements[element.code] = element
    for e in data["elements"]:
        if e.get("part_of"):
            whole = elements.get(e["part_of"]) or DataElement.objects.filter(code=e["part_of"]).first()
            if whole is None:
                raise DomainError(f"Phần tử “{e['part_of']}” không tồn tại.", field="part_of")
            DataElement.objects.filter(code=e["code"]).update(part_of=whole)
    for f in data.get("forms", []):
        form, _ = ReportForm.objects.update_or_create(code=f["code"], defaults={
            "name": _nfc(f["name"]), "unit_types": f["unit_types"]})
        FormElement.objects.filter(form=form).delete()
        for order, code in enumerate(f["elements"], start=1):
            FormElement.objects.create(form=form, element=DataElement.objects.get(code=code), order=order)
    known = set(DataElement.objects.values_list("code", flat=True))
    result = []
    for i in data.get("indicators", []):
        for side in ("numerator", "denominator"):
            missing = element_codes(i[side]) - known
            if missing:
                raise DomainError(f"Chỉ tiêu {i['number']}: {side} dùng phần tử chưa khai báo: {', '.join(sorted(missing))}.",
                                  field=side)
        ind, created = Indicator.objects.update_or_create(code=i["code"], defaults={
            "number": i["number"], "name": _nfc(i["name"]), "short_name": _nfc(i["short_name"]),
            "numerator": i["numerator"], "denominator": i["denominator"],
            "numerator_label": _nfc(i.get("numerator_label")), "denominator_label": _nfc(i.get("denominator_label")),
            "population": i["population"], "unit_types": i["unit_types"], "factor": i.get("factor", 100),
            "baseline_year": i.get("baseline_year", 2023),
        })
        ind.milestones.all().delete()
        for m in i["milestones"]:
            Milestone.objects.create(indicator=ind, year=m["year"], value=Decimal(str(m["value"])),
                                     comparator=m["comparator"], strive=m.get("strive", False))
        result.append(ind)
        if created:
            audit_record(actor=actor, action="indicator.create", target=ind, after={"code": ind.code})
    selectors.invalidate_cache()
    figures_refresh()
    return result


@transaction.atomic
def period_open(*, actor, year: int, opens_on: date, deadline: date) -> Period:
    """Open the yearly reporting period."""
    if not org_selectors.can(actor=actor, capability="period.manage"):
        raise ScopeError("Chỉ quản trị cơ quan thường trực mới được mở kỳ báo cáo.")
    if not 2022 <= year <= 2035:
        raise DomainError("Năm báo cáo phải trong giai đoạn 2022–2035.", field="year")
    if deadline < opens_on:
        raise DomainError("Hạn nộp phải sau ngày mở kỳ báo cáo.", field="deadline")
    if Period.objects.filter(year=year).exists():
        raise DomainError(f"Kỳ báo cáo năm {year} đã có.", field="year")
    period = Period.objects.create(year=year, opens_on=opens_on, deadline=deadline,
                                   created_by=actor if getattr(actor, "pk", None) else None)
    audit_record(actor=actor, action="period.open", target=period,
                 after={"year": year, "opens_on": opens_on.isoformat(), "deadline": deadline.isoformat()})
    return period


# ---------------------------------------------------------------- values and validation


def _parse(element: DataElement, raw) -> int | None:
    """A raw value (from a form, the API or a spreadsheet) → int, or ValueError with a message."""
    if raw is None or (isinstance(raw, str) and raw.strip() == ""):
        return None
    if element.value_type == ValueType.BOOLEAN:
        if isinstance(raw, bool):
            return int(raw)
        text = str(raw).strip().lower()
        if text in {"1", "có", "co", "yes", "true", "x"}:
            return 1
        if text in {"0", "không", "khong", "no", "false"}:
            return 0
        raise ValueError("Chọn “Có” hoặc “Không”.")
    if isinstance(raw, bool):
        raise ValueError("Phải là số nguyên không âm.")
    if isinstance(raw, float):
        if not raw.is_integer():
            raise ValueError("Phải là số nguyên (không có phần thập phân).")
        raw = int(raw)
    if isinstance(raw, str):
        text = raw.strip().replace(" ", "")
        try:
            raw = int(text)
        except ValueError:
            raise ValueError("Phải là số nguyên không âm.") from None
    if not isinstance(raw, int):
        raise ValueError("Phải là số nguyên không âm.")
    if raw < 0:
        raise ValueError("Không được là số âm.")
    if raw > 10_000_000:
        raise ValueError("Giá trị quá lớn.")
    return raw


def validate_values(*, elements: list[DataElement], raw: dict, evidence: dict, previous: dict[str, int],
                    confirm_jumps: bool, complete: bool, has_file: frozenset[str] = frozenset(),
                    provided: dict | None = None) -> tuple[dict[str, int | None], dict[str, str]]:
    """Parse and check a form's values. Returns (parsed values, errors by element code).
    Rules: non-negative integers; yes/no; a part never exceeds its whole; "yes" needs evidence
    (a text, or a file: `has_file` names the elements that have one); a value above
    `jump_factor` × last year's needs confirmation; all filled when `complete`. Elements in
    `provided` (their provider's figures) are not typed, so not checked."""
    values: dict[str, int | None] = {}
    errors: dict[str, str] = {}
    if provided is not None:
        elements = [e for e in elements if e.code not in provided]
    for e in elements:
        try:
            values[e.code] = _parse(e, raw.get(e.code))
        except ValueError as exc:
            errors[e.code] = f"“{e.name}”: {exc}"
    by_code = {e.code: e for e in elements}
    for e in elements:
        if e.code in errors:
            continue
        v = values.get(e.code)
        if v is None:
            if complete and (not e.provider or provided is not None):
                errors[e.code] = f"“{e.name}”: chưa nhập."
            continue
        if e.part_of_id and e.part_of.code in by_code:
            whole = values.get(e.part_of.code)
            if whole is not None and v > whole:
                errors[e.code] = (f"“{e.name}” ({v}) không được lớn hơn “{e.part_of.name}” ({whole}).")
                continue
        if (e.value_type == ValueType.BOOLEAN and v == 1 and e.evidence_required
                and not _nfc(evidence.get(e.code)) and e.code not in has_file):
            errors[e.code] = f"“{e.name}”: chọn “Có” thì phải ghi minh chứng hoặc đính kèm tệp."
            continue
        last = previous.get(e.code)
        if (not confirm_jumps and e.value_type == ValueType.INTEGER and e.jump_factor and last
                and v > last * float(e.jump_factor)):
            errors[e.code] = FieldMessage(
                f"“{e.name}”: {v} tăng đột biến, hơn {e.jump_factor:g} lần năm trước ({last}). "
                "Kiểm tra lại, hoặc đánh dấu xác nhận số liệu đúng.", ErrorCode.JUMP)
    return values, errors


def _period_for(year: int) -> Period:
    period = Period.objects.filter(year=year).first()
    if period is None:
        raise DomainError(f"Chưa mở kỳ báo cáo năm {year}.", field="year", code="no_period")
    return period


def _form_for(unit: Unit) -> ReportForm:
    form = selectors.form_for_type(unit.unit_type)
    if form is None:
        raise DomainError(f"Đơn vị loại “{unit.get_unit_type_display()}” không có biểu báo cáo.", field="unit")
    return form


def _snapshot(submission: Submission) -> dict:
    return {"status": submission.status, "values": {
        code: v for code, v in submission.values.values_list("element__code", "value")}}


def _write_values(submission: Submission, elements, values: dict, evidence: dict, provided: dict) -> None:
    existing = {v.element_id: v for v in submission.values.all()}
    for e in elements:
        if e.code in provided:
            value, source, ev = provided[e.code], ValueSource.PROVIDER, ""
        else:
            value, source, ev = values.get(e.code), ValueSource.ENTRY, _nfc(evidence.get(e.code))[:1000]
        row = existing.get(e.id)
        if row is None:
            DataValue.objects.create(submission=submission, element=e, value=value, evidence=ev, source=source)
        elif (row.value, row.evidence, row.source) != (value, ev, source):
            row.value, row.evidence, row.source = value, ev, source
            row.save(update_fields=["value", "evidence", "source", "updated_at"])
    _store_figures(submission)


def _store_figures(submission: Submission, defs=None) -> None:
    """Keep the submission's own indicator figures next to its values (see Submission.figures)."""
    defs = defs if defs is not None else selectors.definitions()
    values = {code: v for code, v in submission.values.values_list("element__code", "value") if v is not None}
    submission.figures = selectors.figures_for(values, submission.unit.unit_type, defs)
    submission.figures_version = selectors.definitions_signature(defs)
    Submission.objects.filter(pk=submission.pk).update(figures=submission.figures,
                                                       figures_version=submission.figures_version)


def figures_refresh(*, batch: int = 5000) -> int:
    """Recompute every submission's stored figures whose definitions have changed (after
    indicators are added or edited). Returns how many were refreshed. Idempotent."""
    defs = selectors.definitions()
    signature = selectors.definitions_signature(defs)
    codes = dict(DataElement.objects.values_list("id", "code"))
    done = 0
    while True:
        chunk = list(Submission.objects.exclude(figures_version=signature).order_by("id")
                     .values_list("id", "unit__unit_type")[:batch])
        if not chunk:
            return done
        values: dict[int, dict[str, int]] = {sid: {} for sid, _ in chunk}
        for sid, element_id, value in DataValue.objects.filter(
                submission_id__in=list(values), value__isnull=False).values_list("submission_id", "element_id", "value"):
            values[sid][codes[element_id]] = value
        updates = [Submission(id=sid, figures=selectors.figures_for(values[sid], unit_type, defs),
                              figures_version=signature) for sid, unit_type in chunk]
        with transaction.atomic():
            Submission.objects.bulk_update(updates, ["figures", "figures_version"], batch_size=1000)
        done += len(chunk)


def _provided(unit: Unit, year: int, elements) -> dict[str, int]:
    return selectors.provided_values(unit=unit, year=year, elements=elements)


def _check_evidence_files(elements, uploads: dict) -> tuple[dict, dict[str, str]]:
    """Check each uploaded evidence file: only for yes/no elements that ask for evidence.
    Errors are keyed "<element code>.file"."""
    by_code = {e.code: e for e in elements}
    files, errors = {}, {}
    for code, upload in uploads.items():
        if upload is None:
            continue
        element = by_code.get(code)
        if element is None or not element.evidence_required:
            errors[f"{code}.file"] = f"Chỉ tiêu “{code}” không nhận tệp minh chứng."
            continue
        try:
            files[code] = (upload, check_upload(upload, allowed=settings.EVIDENCE_ALLOWED_TYPES,
                                                max_bytes=settings.EVIDENCE_MAX_BYTES, field=code))
        except DomainError as exc:
            errors[f"{code}.file"] = f"“{element.name}”, tệp minh chứng: {exc.message}"
    return files, errors


def _store_evidence_file(actor, submission: Submission, element: DataElement, upload, checked) -> EvidenceFile:
    stored = EvidenceFile(submission=submission, element=element, name=checked.name,
                          content_type=checked.content_type, size=checked.size, sha256=checked.sha256,
                          uploaded_by=actor if getattr(actor, "pk", None) else None)
    stored.file.save(checked.name, upload, save=False)
    stored.save()
    audit_record(actor=actor, action="indicators.evidence_file", target=submission,
                 after={"element": element.code, "name": checked.name, "sha256": checked.sha256})
    return stored


@transaction.atomic
def evidence_file_add(*, actor, unit: Unit, year: int, element_code: str, upload) -> EvidenceFile:
    """Attach a file proving an element's "yes" to the unit's report while it can still be edited."""
    org_selectors.require(actor=actor, capability="data.enter", unit=unit, read="indicator.read")
    submission = Submission.objects.select_for_update().filter(period=_period_for(year), unit=unit).first()
    if submission is None:
        raise DomainError("Lưu báo cáo trước khi đính kèm minh chứng.", code=ErrorCode.NO_SUBMISSION)
    if not submission.is_editable:
        raise DomainError(f"Báo cáo đang ở trạng thái “{submission.get_status_display()}”, không sửa được.",
                          code=ErrorCode.LOCKED)
    elements = selectors.form_elements(form=submission.form)
    files, errors = _check_evidence_files(elements, {element_code: upload})
    if errors:
        raise FormErrors(errors)
    upload, checked = files[element_code]
    element = next(e for e in elements if e.code == element_code)
    return _store_evidence_file(actor, submission, element, upload, checked)


def _editable_evidence(actor, evidence_file: EvidenceFile) -> EvidenceFile:
    locked = (EvidenceFile.objects.select_for_update().select_related("submission", "submission__unit", "element")
              .filter(id=evidence_file.id).first())
    if locked is None:
        raise NotFound("Không tìm thấy tệp minh chứng.")
    org_selectors.require(actor=actor, capability="data.enter", unit=locked.submission.unit,
                          read="indicator.read")
    submission = locked.submission
    if not submission.is_editable:
        raise DomainError(f"Báo cáo đang ở trạng thái “{submission.get_status_display()}”: chỉ gỡ hoặc thay "
                          "minh chứng được trước khi gửi (hoặc khi bị trả lại).", code=ErrorCode.LOCKED)
    return locked


def _evidence_facts(f: EvidenceFile) -> dict:
    return {"element": f.element.code, "name": f.name, "sha256": f.sha256, "size": f.size}


def _discard_file_after_commit(evidence_file: EvidenceFile) -> None:
    storage, name = evidence_file.file.storage, evidence_file.file.name
    transaction.on_commit(lambda: storage.delete(name) if name else None)


@transaction.atomic
def evidence_file_remove(*, actor, evidence_file: EvidenceFile, reason: str = "") -> None:
    """Remove a wrong evidence file from a report that has not been sent (draft or returned).
    The audit log keeps its name and SHA-256; the file itself goes once the removal commits."""
    locked = _editable_evidence(actor, evidence_file)
    audit_record(actor=actor, action="indicators.evidence_remove", target=locked.submission,
                 before=_evidence_facts(locked), note=_nfc(reason)[:300])
    _discard_file_after_commit(locked)
    locked.delete()


@transaction.atomic
def evidence_file_replace(*, actor, evidence_file: EvidenceFile, upload, reason: str = "") -> EvidenceFile:
    """Put another file in place of a wrong one (same element), before the report is sent. The
    new file is checked first: a refused upload leaves the old file in place."""
    locked = _editable_evidence(actor, evidence_file)
    files, errors = _check_evidence_files([locked.element], {locked.element.code: upload})
    if errors:
        raise DomainError(next(iter(errors.values())), field="file", code=ErrorCode.INVALID)
    upload, checked = files[locked.element.code]
    before = _evidence_facts(locked)
    stored = EvidenceFile(submission=locked.submission, element=locked.element, name=checked.name,
                          content_type=checked.content_type, size=checked.size, sha256=checked.sha256,
                          uploaded_by=actor if getattr(actor, "pk", None) else None)
    stored.file.save(checked.name, upload, save=False)
    stored.save()
    audit_record(actor=actor, action="indicators.evidence_replace", target=locked.submission, before=before,
                 after=_evidence_facts(stored), note=_nfc(reason)[:300])
    _discard_file_after_commit(locked)
    locked.delete()
    return stored


@transaction.atomic
def values_save(*, actor, unit: Unit, year: int, values: dict, evidence: dict | None = None, note: str = "",
                confirm_jumps: bool = False, submit: bool = False, evidence_files: dict | None = None) -> Submission:
    """Save a unit's yearly values (a draft, or returned report being corrected); `submit=True`
    also sends it. Provider-fed elements are filled from their provider; `evidence_files` maps
    an element code to an uploaded document proving its "yes". Nothing is written when any
    value or file is wrong: FormErrors names every field at fault."""
    org_selectors.require(actor=actor, capability="data.enter", unit=unit, read="indicator.read")
    period = _period_for(year)
    if org_selectors.today() < period.opens_on:
        raise DomainError(f"Kỳ báo cáo năm {year} mở từ {period.opens_on:%d/%m/%Y}.", field="year", code=ErrorCode.NOT_OPEN)
    form = _form_for(unit)
    submission = Submission.objects.select_for_update().filter(period=period, unit=unit).first()
    if submission is None:
        submission = Submission.objects.create(period=period, unit=unit, form=form, year=year,
                                               updated_by=actor if getattr(actor, "pk", None) else None)
        before = None
    else:
        before = _snapshot(submission)
    if not submission.is_editable:
        raise DomainError(f"Báo cáo đang ở trạng thái “{submission.get_status_display()}”, không sửa được.",
                          code=ErrorCode.LOCKED)
    elements = selectors.form_elements(form=form)
    evidence = evidence or {}
    files, errors = _check_evidence_files(elements, evidence_files or {})
    # A refused file is reported as such, not also as "yes without evidence".
    has_file = frozenset(code for code, f in (evidence_files or {}).items() if f is not None) | frozenset(
        EvidenceFile.objects.filter(submission=submission).values_list("element__code", flat=True))
    provided = _provided(unit, year, elements)
    parsed, value_errors = validate_values(elements=elements, raw=values, evidence=evidence,
                                           previous=selectors.previous_values(unit=unit, year=year),
                                           confirm_jumps=confirm_jumps, complete=submit, has_file=has_file,
                                           provided=provided)
    errors = value_errors | errors
    if errors:
        raise FormErrors(errors)
    _write_values(submission, elements, parsed, evidence, provided)
    by_code = {e.code: e for e in elements}
    for code, (upload, checked) in files.items():
        _store_evidence_file(actor, submission, by_code[code], upload, checked)
    submission.note = _nfc(note)
    submission.jumps_confirmed = confirm_jumps
    submission.updated_by = actor if getattr(actor, "pk", None) else None
    if submit:
        now = timezone.now()
        submission.status = SubmissionStatus.SUBMITTED
        submission.submitted_at = now
        submission.submitted_by = submission.updated_by
        submission.first_submitted_at = submission.first_submitted_at or now
    submission.save()
    audit_record(actor=actor, action="submission.submit" if submit else "submission.save", target=submission,
                 before=before, after=_snapshot(submission), note=submission.note[:500])
    return submission


@transaction.atomic
def submission_submit(*, actor, submission: Submission, confirm_jumps: bool | None = None) -> Submission:
    """Send a saved draft as it stands (all values must be filled and valid)."""
    values = {code: v for code, v in submission.values.values_list("element__code", "value")}
    evidence = {code: ev for code, ev in submission.values.values_list("element__code", "evidence")}
    return values_save(actor=actor, unit=submission.unit, year=submission.year, values=values, evidence=evidence,
                       note=submission.note, submit=True,
                       confirm_jumps=submission.jumps_confirmed if confirm_jumps is None else confirm_jumps)


def _locked(submission_id: int) -> Submission:
    return Submission.objects.select_for_update().select_related("unit", "period").get(id=submission_id)


@transaction.atomic
def submission_return(*, actor, submission: Submission, comment: str) -> Submission:
    """Send a submitted report back to the unit with a comment; it becomes editable again."""
    submission = _locked(submission.id)
    org_selectors.require(actor=actor, capability="data.approve", unit=submission.unit, read="indicator.read")
    comment = _nfc(comment)
    if not comment:
        raise DomainError("Ghi rõ lý do trả lại để đơn vị sửa.", field="comment")
    if submission.status != SubmissionStatus.SUBMITTED:
        raise DomainError("Chỉ trả lại được báo cáo đã gửi và chưa duyệt.", code=ErrorCode.BAD_STATUS)
    before = _snapshot(submission)
    submission.status = SubmissionStatus.RETURNED
    submission.return_comment = comment[:2000]
    submission.updated_by = actor
    submission.save()
    audit_record(actor=actor, action="submission.return", target=submission, before=before,
                 after=_snapshot(submission), note=comment)
    _tell_unit(submission, actor=actor, kind="submission_returned",
               title=f"Báo cáo số liệu năm {submission.year} của {submission.unit.name} bị trả lại để sửa",
               body=f"Lý do trả lại ({actor}): {comment}")
    return submission


def _tell_unit(submission: Submission, *, actor, kind: str, title: str, body: str) -> None:
    """Notify the unit's focal points and whoever sent the report (not the actor)."""
    people = [a.user for a in org_selectors.role_holders(unit_ids=[submission.unit_id], role=Role.FOCAL_POINT)]
    notify(recipients=[*people, submission.submitted_by], kind=kind, title=title, body=body,
           link=reverse("indicators:submission", args=[submission.unit.code, submission.year]),
           unit=submission.unit, exclude=actor)


def _units_below(submission: Submission) -> list[Unit]:
    """Reporting units below `submission.unit` for its period (the tree at the deadline, or today)."""
    on = min(submission.period.deadline, org_selectors.today())
    if not submission.unit.is_active_on(on):
        on = submission.unit.last_day
    below = org_selectors.descendant_ids(unit_ids=[submission.unit_id], on=on) - {submission.unit_id}
    types = set()
    for f in ReportForm.objects.all():
        types.update(f.unit_types)
    return list(Unit.objects.filter(id__in=below, unit_type__in=types))


@transaction.atomic
def submission_approve(*, actor, submission: Submission, comment: str = "") -> Submission:
    """Approve a submitted report; it is then locked. Bottom-up: a unit's report can be approved
    only when the reports of every reporting unit below it are."""
    submission = _locked(submission.id)
    org_selectors.require(actor=actor, capability="data.approve", unit=submission.unit, read="indicator.read")
    if submission.status != SubmissionStatus.SUBMITTED:
        raise DomainError("Chỉ duyệt được báo cáo đã gửi.", code=ErrorCode.BAD_STATUS)
    below = _units_below(submission)
    approved = set(Submission.objects.filter(period=submission.period, unit__in=below,
                                             status=SubmissionStatus.APPROVED).values_list("unit_id", flat=True))
    pending = sorted((u.name for u in below if u.id not in approved), key=vi_key)
    if pending:
        shown = ", ".join(pending[:5]) + (f" và {len(pending) - 5} đơn vị khác" if len(pending) > 5 else "")
        raise DomainError(f"Chưa duyệt được: báo cáo của đơn vị cấp dưới chưa được duyệt ({shown}).",
                          code=ErrorCode.CHILDREN_PENDING)
    before = _snapshot(submission)
    submission.status = SubmissionStatus.APPROVED
    submission.approved_at = timezone.now()
    submission.approved_by = actor
    submission.updated_by = actor
    submission.save()
    audit_record(actor=actor, action="submission.approve", target=submission, before=before,
                 after=_snapshot(submission), note=_nfc(comment))
    _tell_unit(submission, actor=actor, kind="submission_approved",
               title=f"Báo cáo số liệu năm {submission.year} của {submission.unit.name} đã được duyệt",
               body=f"Người duyệt: {actor}." + (f" Ý kiến: {_nfc(comment)}" if comment else ""))
    return submission


@transaction.atomic
def submission_reopen(*, actor, submission: Submission, reason: str) -> Submission:
    """Unlock an approved report (administrator only, with a reason). A report counted in an
    approved report above it cannot be re-opened before that one is."""
    submission = _locked(submission.id)
    org_selectors.require(actor=actor, capability="period.manage", unit=submission.unit, read="indicator.read")
    reason = _nfc(reason)
    if not reason:
        raise DomainError("Ghi rõ lý do mở lại báo cáo đã duyệt.", field="reason")
    if submission.status != SubmissionStatus.APPROVED:
        raise DomainError("Chỉ mở lại được báo cáo đã duyệt.", code=ErrorCode.BAD_STATUS)
    on = min(submission.period.deadline, org_selectors.today())
    if not submission.unit.is_active_on(on):
        on = submission.unit.last_day
    above = org_selectors.ancestor_ids(unit_id=submission.unit_id, on=on)
    blocking = Submission.objects.filter(period=submission.period, unit_id__in=above,
                                         status=SubmissionStatus.APPROVED).select_related("unit").first()
    if blocking is not None:
        raise DomainError(f"Báo cáo của “{blocking.unit.name}” (cấp trên) đã duyệt; hãy mở lại báo cáo đó trước.",
                          code=ErrorCode.PARENT_APPROVED)
    before = _snapshot(submission)
    submission.status = SubmissionStatus.DRAFT
    submission.approved_at = None
    submission.approved_by = None
    submission.return_comment = f"Mở lại: {reason}"[:2000]
    submission.updated_by = actor
    submission.save()
    audit_record(actor=actor, action="submission.reopen", target=submission, before=before,
                 after=_snapshot(submission), note=reason)
    return submission


@transaction.atomic
def history_import(*, actor, unit: Unit, year: int, values: dict, evidence: dict | None = None,
                   status: str = SubmissionStatus.APPROVED, note: str = "", return_comment: str = "",
                   first_submitted_at=None, submitted_at=None, approved_at=None) -> Submission:
    """Record a past year's report kept on paper (system administrator only), with its real
    dates and status — including units that have ceased since. Values are checked like any
    report (a part never exceeds its whole, "yes" needs evidence); provider elements take
    the provider's figure for that year."""
    if not org_selectors.can(actor=actor, capability="data.history"):
        raise ScopeError("Chỉ quản trị hệ thống mới được nhập số liệu lịch sử.")
    period = _period_for(year)
    form = _form_for(unit)
    if Submission.objects.filter(period=period, unit=unit).exists():
        raise DomainError(f"“{unit.name}” đã có báo cáo năm {year}.", field="unit", code=ErrorCode.EXISTS)
    elements = selectors.form_elements(form=form)
    evidence = evidence or {}
    provided = _provided(unit, year, elements)
    parsed, errors = validate_values(elements=elements, raw=values, evidence=evidence,
                                     previous=selectors.previous_values(unit=unit, year=year),
                                     confirm_jumps=True, complete=status != SubmissionStatus.DRAFT, provided=provided)
    if errors:
        raise FormErrors(errors)
    submission = Submission.objects.create(
        period=period, unit=unit, form=form, year=year, status=status, note=_nfc(note),
        return_comment=_nfc(return_comment), first_submitted_at=first_submitted_at,
        submitted_at=submitted_at or first_submitted_at, approved_at=approved_at,
        approved_by=actor if approved_at else None, updated_by=actor)
    _write_values(submission, elements, parsed, evidence, provided)
    audit_record(actor=actor, action="submission.import", target=submission, after=_snapshot(submission),
                 note="Nhập số liệu lịch sử")
    return submission


SUBMISSION_STEPS = ("save", "submit", "approve", "return", "reopen")


def submission_step(*, actor, unit: Unit, year: int, step: str, values: dict | None = None,
                    evidence: dict | None = None, evidence_files: dict | None = None, note: str = "",
                    confirm_jumps: bool = False, comment: str = "", reason: str = "") -> str:
    """One step on a unit's yearly report, as its page offers them: save the draft, send it,
    approve or return it, re-open it. Returns what to tell the person. Each step is its own
    service (one transaction, audited); this only chooses it."""
    if step in ("save", "submit"):
        values_save(actor=actor, unit=unit, year=year, values=values or {}, evidence=evidence, note=note,
                    submit=step == "submit", confirm_jumps=confirm_jumps, evidence_files=evidence_files)
        return "Đã gửi báo cáo." if step == "submit" else "Đã lưu nháp."
    if step not in SUBMISSION_STEPS:
        raise DomainError("Thao tác không hợp lệ.", field="action")
    submission = Submission.objects.filter(unit=unit, year=year).first()
    if submission is None:
        raise DomainError("Đơn vị chưa có báo cáo năm này.", code=ErrorCode.NO_SUBMISSION)
    if step == "approve":
        submission_approve(actor=actor, submission=submission, comment=comment)
        return "Đã duyệt báo cáo."
    if step == "return":
        submission_return(actor=actor, submission=submission, comment=comment)
        return "Đã trả lại báo cáo cho đơn vị."
    submission_reopen(actor=actor, submission=submission, reason=reason)
    return "Đã mở lại báo cáo."
