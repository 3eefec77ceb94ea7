from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from cyberyouth.errors import DomainError, NotFound, ScopeError
from cyberyouth.indicators.services import FormErrors
from cyberyouth.lib.money import format_vnd
from cyberyouth.lib.pages import parse_year
from cyberyouth.lib.xlsx import xlsx_response
from cyberyouth.orgs import selectors as org_selectors
from cyberyouth.orgs.decorators import requires
from cyberyouth.orgs.models import Unit

from . import selectors, services, xlsx
from .forms import BudgetForm, UploadForm
from .models import Measure, Source

READ, ENTER, APPROVE = "budget.read", "budget.enter", "budget.approve"


def _unit(request, capability: str = READ) -> Unit | None:
    """`don_vi`, else the widest unit the person answers for."""
    if request.GET.get("don_vi"):
        return org_selectors.get_unit(actor=request.user, code=request.GET["don_vi"][:60], capability=capability)
    return org_selectors.widest_unit(actor=request.user, capability=capability)


def _year(request) -> int:
    return parse_year(request.GET.get("nam"), org_selectors.today().year)


@login_required
@require_http_methods(["GET", "POST"])
@requires(READ)
def index(request):
    """The funds of a unit and the units below it (approved reports), each unit's status, and
    the XLSX template in and out."""
    year = _year(request)
    upload_form = UploadForm(request.POST or None, request.FILES or None)
    upload_errors = []
    if request.method == "POST":
        if not org_selectors.can(actor=request.user, capability=ENTER):
            raise ScopeError("Bạn không được nhập kinh phí.")
        if upload_form.is_valid():
            try:
                saved = xlsx.upload(actor=request.user, data=upload_form.cleaned_data["file"].read(),
                                    submit=upload_form.cleaned_data["submit"])
            except xlsx.UploadErrors as exc:
                upload_errors = exc.errors
                upload_form.add_error("file", exc.message)
            except (ScopeError, NotFound):
                raise
            except DomainError as exc:
                upload_form.add_error("file", exc.message)
            else:
                messages.success(request, f"Đã lưu kinh phí của {len(saved)} đơn vị từ tệp.")
                return redirect(request.get_full_path())
    unit = _unit(request)
    if unit is None:
        raise NotFound("Không tìm thấy đơn vị.")
    result = selectors.totals(actor=request.user, unit=unit, year=year)
    titles = selectors.group_titles()
    return render(request, "budget/index.html", {
        "unit": unit, "year": year, "totals": result, "titles": titles, "sources": Source.choices,
        "estimate_rows": result.table.rows(Measure.ESTIMATE, titles),
        "actual_rows": result.table.rows(Measure.ACTUAL, titles),
        "estimate_by_source": list(result.table.by_source(Measure.ESTIMATE).values()),
        "actual_by_source": list(result.table.by_source(Measure.ACTUAL).values()),
        "can_enter": org_selectors.can(actor=request.user, capability=ENTER), "upload_form": upload_form,
        "upload_errors": upload_errors[:200],
    })


@login_required
@requires(ENTER)
def xlsx_template(request):
    year = _year(request)
    unit = _unit(request, capability=ENTER)
    if unit is None:
        raise NotFound("Không tìm thấy đơn vị.")
    return xlsx_response(xlsx.template(actor=request.user, unit=unit, year=year),
                         f"kinh-phi-{unit.code}-{year}.xlsx")


@login_required
@require_http_methods(["GET", "POST"])
@requires(READ)
def unit_page(request, code: str, year: int):
    """A unit's own budget for a year: the table to fill in, send, approve or return."""
    unit = org_selectors.get_unit(actor=request.user, code=code, capability=READ)
    services.check_year(year)
    report, table = selectors.unit_report(actor=request.user, unit=unit, year=year)
    can_enter = org_selectors.can(actor=request.user, capability=ENTER, unit=unit)
    can_approve = org_selectors.can(actor=request.user, capability=APPROVE, unit=unit)
    here = reverse("budget:unit", args=[unit.code, year])
    initial = {services.cell_key(m, s, g): format_vnd(a) for (m, s, g), a in table.cells.items() if a}
    initial["note"] = report.note if report else ""
    form = BudgetForm(request.POST or None, initial=initial)
    if request.method == "POST":
        step = request.POST.get("action", "")
        if step in ("save", "submit"):
            org_selectors.require(actor=request.user, capability=ENTER, unit=unit, read=READ)
        else:
            org_selectors.require(actor=request.user, capability=APPROVE, unit=unit, read=READ)
        if form.is_valid():
            try:
                message = services.budget_step(actor=request.user, unit=unit, year=year, step=step,
                                               values=form.amounts(), note=form.cleaned_data["note"],
                                               comment=request.POST.get("comment", ""))
            except (ScopeError, NotFound):
                raise
            except FormErrors as exc:
                for field, text in exc.errors.items():
                    form.add_error(field if field in form.fields else None, text)
            except DomainError as exc:
                if step in ("save", "submit"):
                    form.add_error(exc.field if exc.field in form.fields else None, exc.message)
                else:
                    messages.error(request, exc.message)
                    return redirect(here)
            else:
                messages.success(request, message)
                return redirect(here)
    titles = selectors.group_titles()
    editable = can_enter and (report is None or report.is_editable)
    return render(request, "budget/unit.html", {
        "unit": unit, "year": year, "report": report, "form": form, "editable": editable,
        "can_approve": can_approve, "sources": Source.choices, "titles": titles,
        "estimate_grid": form.grid(Measure.ESTIMATE, titles), "actual_grid": form.grid(Measure.ACTUAL, titles),
        "estimate_rows": table.rows(Measure.ESTIMATE, titles), "actual_rows": table.rows(Measure.ACTUAL, titles),
        "estimate_total": table.total(Measure.ESTIMATE), "actual_total": table.total(Measure.ACTUAL),
        "estimate_by_source": list(table.by_source(Measure.ESTIMATE).values()),
        "actual_by_source": list(table.by_source(Measure.ACTUAL).values()),
    })
