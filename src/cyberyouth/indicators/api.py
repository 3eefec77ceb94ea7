from datetime import datetime

from django.http import JsonResponse
from ninja import Field, File, Router, Schema, Status, UploadedFile

from cyberyouth.errors import NotFound
from cyberyouth.orgs import selectors as org_selectors
from cyberyouth.orgs.decorators import requires

from . import reminders, selectors, services
from .models import SubmissionStatus

API_MOUNT = "indicators"
router = Router(tags=["indicators"])


class TargetOut(Schema):
    year: int
    value: float
    comparator: str
    strive: bool
    label: str


class IndicatorOut(Schema):
    indicator: str
    number: int
    name: str
    numerator: float
    denominator: float
    value: float | None
    target: TargetOut | None
    status: str
    expected: float | None
    baseline: float | None


class UnitIndicatorsOut(Schema):
    unit: str
    name: str
    unit_type: str
    parent: str | None
    depth: int
    year: int
    on: str
    reporting_units: int
    indicators: list[IndicatorOut]


class PointOut(Schema):
    year: int
    numerator: float
    denominator: float
    value: float | None
    status: str


class SeriesOut(Schema):
    indicator: str
    number: int
    name: str
    milestones: list[TargetOut]
    points: list[PointOut]


class ValueOut(Schema):
    element: str
    value: int | None
    evidence: str
    source: str


class SubmissionOut(Schema):
    unit: str
    year: int
    form: str
    status: SubmissionStatus
    note: str
    return_comment: str
    first_submitted_at: datetime | None
    approved_at: datetime | None
    values: list[ValueOut]


class SubmissionIn(Schema):
    values: dict[str, int | bool | str | None]
    evidence: dict[str, str] = {}
    note: str = Field("", max_length=5000)
    confirm_jumps: bool = False
    submit: bool = False


class CommentIn(Schema):
    comment: str = Field("", max_length=2000)


class ReasonIn(Schema):
    reason: str = Field(max_length=2000)


def _unit(request, code: str):
    return org_selectors.get_unit(actor=request.user, code=code, capability="indicator.read")


def _submission(request, code: str, year: int):
    unit = _unit(request, code)
    s = selectors.submissions_visible(actor=request.user).filter(unit=unit, year=year).select_related(
        "unit", "form", "period").first()
    if s is None:
        raise NotFound("Đơn vị chưa có báo cáo năm này.")
    return s


def _submission_out(s) -> dict:
    return {"unit": s.unit.code, "year": s.year, "form": s.form.code, "status": s.status, "note": s.note,
            "return_comment": s.return_comment, "first_submitted_at": s.first_submitted_at,
            "approved_at": s.approved_at,
            "values": [{"element": v.element.code, "value": v.value, "evidence": v.evidence, "source": v.source}
                       for v in s.values.select_related("element").order_by("element__code")]}


@router.get("/compute", response=list[UnitIndicatorsOut],
            summary="Every indicator for every unit in scope (same numbers as the dashboard and the CLI)")
@requires("indicator.read")
def compute(request, year: int, unit: str | None = None):
    scope_unit = _unit(request, unit) if unit else None
    return [r.as_dict() for r in selectors.compute_indicators(actor=request.user, year=year, unit=scope_unit)]


@router.get("/series", response=list[SeriesOut], summary="Each indicator year by year for a unit")
@requires("indicator.read")
def series(request, unit: str):
    return [s.as_dict() for s in selectors.indicator_series(actor=request.user, unit=_unit(request, unit))]


@router.get("/completeness", summary="Who reported on time, late, not at all")
@requires("indicator.read")
def completeness(request, year: int, unit: str | None = None):
    scope_unit = _unit(request, unit) if unit else None
    return selectors.completeness(actor=request.user, year=year, unit=scope_unit).as_dict()


class RemindIn(Schema):
    year: int
    unit: str | None = Field(None, description="only units under this one (code)")


class RemindedOut(Schema):
    unit: str
    status: str
    recipients: list[str] = Field(description="usernames of the focal points told")
    sent_at: datetime


class RemindOut(Schema):
    reminded: list[RemindedOut]
    emails: int
    skipped: list[dict] = Field(description="[{unit, reason}] not reminded or not e-mailed")


@router.post("/reminders", response=RemindOut,
             summary="Remind units that still owe the year's report (e-mail to their focal points)")
@requires("data.approve")
def remind(request, payload: RemindIn):
    scope_unit = _unit(request, payload.unit) if payload.unit else None
    sent = reminders.reminders_send(actor=request.user, year=payload.year, unit=scope_unit,
                                    base_url=request.build_absolute_uri("/"))
    return {
        "reminded": [{"unit": r.unit.code, "status": r.status, "recipients": [p["username"] for p in r.recipients],
                      "sent_at": r.sent_at} for r in sent.reminded],
        "emails": sent.emails,
        "skipped": [{"unit": name, "reason": why} for name, why in sent.skipped],
    }


@router.get("/submissions/{code}/{year}", response=SubmissionOut, summary="A unit's report for a year")
@requires("indicator.read")
def get_submission(request, code: str, year: int):
    return _submission_out(_submission(request, code, year))


@router.put("/submissions/{code}/{year}", response=SubmissionOut,
            summary="Save (and optionally send) a unit's values")
@requires("data.enter")
def put_submission(request, code: str, year: int, payload: SubmissionIn):
    unit = _unit(request, code)
    try:
        s = services.values_save(actor=request.user, unit=unit, year=year, values=payload.values,
                                 evidence=payload.evidence, note=payload.note, confirm_jumps=payload.confirm_jumps,
                                 submit=payload.submit)
    except services.FormErrors as e:
        # every field at fault, not only the first (the central handler reports one)
        return JsonResponse({"detail": e.as_list()}, status=400)
    return _submission_out(s)


class EvidenceFileOut(Schema):
    id: int
    element: str
    name: str
    size: int
    sha256: str
    content_type: str


@router.post("/submissions/{code}/{year}/evidence/{element}", response={201: EvidenceFileOut},
             summary="Attach a file proving a yes/no element's “yes” (multipart, field `file`)")
@requires("data.enter")
def add_evidence_file(request, code: str, year: int, element: str, file: File[UploadedFile]):
    try:
        f = services.evidence_file_add(actor=request.user, unit=_unit(request, code), year=year,
                                       element_code=element, upload=file)
    except services.FormErrors as e:
        return JsonResponse({"detail": e.as_list()}, status=400)
    return Status(201, {"id": f.id, "element": element, "name": f.name, "size": f.size, "sha256": f.sha256,
                        "content_type": f.content_type})


@router.post("/submissions/{code}/{year}/approve", response=SubmissionOut, summary="Approve a sent report")
@requires("data.approve")
def approve(request, code: str, year: int, payload: CommentIn):
    s = services.submission_approve(actor=request.user, submission=_submission(request, code, year),
                                    comment=payload.comment)
    return _submission_out(s)


@router.post("/submissions/{code}/{year}/return", response=SubmissionOut, summary="Return a sent report")
@requires("data.approve")
def return_(request, code: str, year: int, payload: CommentIn):
    s = services.submission_return(actor=request.user, submission=_submission(request, code, year),
                                   comment=payload.comment)
    return _submission_out(s)


@router.post("/submissions/{code}/{year}/reopen", response=SubmissionOut, summary="Re-open an approved report")
@requires("data.approve")
def reopen(request, code: str, year: int, payload: ReasonIn):
    s = services.submission_reopen(actor=request.user, submission=_submission(request, code, year),
                                   reason=payload.reason)
    return _submission_out(s)
