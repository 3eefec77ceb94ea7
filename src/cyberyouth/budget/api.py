"""The budget's API: a unit's own report, the totals of a unit and the units below it (approved
reports), saving and sending a report, approving, returning, re-opening — scoped like the pages."""

from datetime import datetime

from django.http import JsonResponse
from ninja import Field, Router, Schema

from cyberyouth.indicators.services import FormErrors
from cyberyouth.orgs import selectors as org_selectors
from cyberyouth.orgs.decorators import requires

from . import selectors, services
from .models import Measure

API_MOUNT = "budget"
router = Router(tags=["budget"])
READ = "budget.read"


class ReportOut(Schema):
    unit: str
    year: int
    status: str | None = Field(description="draft, submitted, returned, approved; null when no report")
    note: str
    return_comment: str
    submitted_at: datetime | None
    approved_at: datetime | None
    amounts: dict[str, int] = Field(description='{"estimate-a-1": đồng, …}: measure-source-task group')
    estimate: int
    actual: int


class UnitTotal(Schema):
    unit: str
    name: str
    status: str | None
    estimate: int
    actual: int


class TotalsOut(Schema):
    unit: str
    year: int
    approved_reports: int
    estimate: int
    actual: int
    estimate_by_source: dict[str, int]
    actual_by_source: dict[str, int]
    estimate_by_group: dict[int, int]
    actual_by_group: dict[int, int]
    amounts: dict[str, int] = Field(description="approved reports summed: measure-source-task group → đồng")
    units: list[UnitTotal]


def _unit(request, code: str, year: int):
    unit = org_selectors.get_unit(actor=request.user, code=code, capability=READ)
    services.check_year(year)
    return unit


def _report_out(unit, year: int, report, table) -> dict:
    return {"unit": unit.code, "year": year, "status": report.status if report else None,
            "note": report.note if report else "", "return_comment": report.return_comment if report else "",
            "submitted_at": report.submitted_at if report else None,
            "approved_at": report.approved_at if report else None,
            "amounts": {services.cell_key(m, s, g): a for (m, s, g), a in sorted(table.cells.items()) if a},
            "estimate": table.total(Measure.ESTIMATE), "actual": table.total(Measure.ACTUAL)}


@router.get("/{code}/{year}", response=ReportOut, summary="A unit's own budget report for a year")
@requires(READ)
def budget_get(request, code: str, year: int):
    unit = _unit(request, code, year)
    report, table = selectors.unit_report(actor=request.user, unit=unit, year=year)
    return _report_out(unit, year, report, table)


@router.get("/{code}/{year}/totals", response=TotalsOut,
            summary="The funds of a unit and the units below it (approved reports; across reorganisations)")
@requires(READ)
def budget_totals(request, code: str, year: int):
    unit = _unit(request, code, year)
    t = selectors.totals(actor=request.user, unit=unit, year=year)
    return {"unit": unit.code, "year": year, "approved_reports": t.approved, "estimate": t.estimate,
            "actual": t.actual, "estimate_by_source": t.table.by_source(Measure.ESTIMATE),
            "actual_by_source": t.table.by_source(Measure.ACTUAL),
            "estimate_by_group": t.table.by_group(Measure.ESTIMATE), "actual_by_group": t.table.by_group(Measure.ACTUAL),
            "amounts": {services.cell_key(m, s, g): a for (m, s, g), a in sorted(t.table.cells.items()) if a},
            "units": [{"unit": r.unit.code, "name": r.unit.name, "status": r.report.status if r.report else None,
                       "estimate": r.estimate, "actual": r.actual} for r in t.rows]}


class ReportIn(Schema):
    amounts: dict[str, int | str] = Field(default_factory=dict, max_length=56,
                                          description='{"estimate-a-1": 1250000 or "1.250.000", …}; left out = blank')
    note: str = Field("", max_length=5000)
    submit: bool = False


@router.put("/{code}/{year}", response=ReportOut, summary="Save (and optionally send) a unit's budget report")
@requires("budget.enter")
def budget_put(request, code: str, year: int, payload: ReportIn):
    unit = _unit(request, code, year)
    try:
        services.budget_save(actor=request.user, unit=unit, year=year, values=payload.amounts, note=payload.note,
                             submit=payload.submit)
    except FormErrors as e:
        return JsonResponse({"detail": e.as_list()}, status=400)  # every cell at fault
    report, table = selectors.unit_report(actor=request.user, unit=unit, year=year)
    return _report_out(unit, year, report, table)


class StepIn(Schema):
    comment: str = Field("", max_length=2000)


def _step(request, code: str, year: int, step: str, comment: str) -> dict:
    unit = _unit(request, code, year)
    services.budget_step(actor=request.user, unit=unit, year=year, step=step, comment=comment)
    report, table = selectors.unit_report(actor=request.user, unit=unit, year=year)
    return _report_out(unit, year, report, table)


@router.post("/{code}/{year}/approve", response=ReportOut, summary="Approve a sent budget report")
@requires("budget.approve")
def budget_approve(request, code: str, year: int, payload: StepIn):
    return _step(request, code, year, "approve", payload.comment)


@router.post("/{code}/{year}/return", response=ReportOut, summary="Return a sent budget report (comment required)")
@requires("budget.approve")
def budget_return(request, code: str, year: int, payload: StepIn):
    return _step(request, code, year, "return", payload.comment)


@router.post("/{code}/{year}/reopen", response=ReportOut, summary="Re-open an approved report (reason required)")
@requires("budget.approve")
def budget_reopen(request, code: str, year: int, payload: StepIn):
    return _step(request, code, year, "reopen", payload.comment)
