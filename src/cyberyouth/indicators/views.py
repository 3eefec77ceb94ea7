import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods

from cyberyouth.errors import DomainError, NotFound, ScopeError
from cyberyouth.lib.collation import Vietnamese
from cyberyouth.lib.pages import form_error, parse_year, submit_form
from cyberyouth.lib.xlsx import table_workbook, xlsx_response
from cyberyouth.orgs import selectors as org_selectors
from cyberyouth.orgs.decorators import requires
from cyberyouth.orgs.models import Unit

from . import reminders, selectors, services, xlsx
from .charts import trend_svg
from .forms import EvidenceChangeForm, PeriodForm, ReopenForm, ReviewForm, SubmissionForm, UploadForm
from .models import Period, SubmissionStatus


def _year(request) -> int:
    latest = Period.objects.order_by("-year").values_list("year", flat=True).first()
    return parse_year(request.GET.get("nam"), latest or org_selectors.today().year)


def _unit(request, code: str | None = None) -> Unit | None:
    code = code or request.GET.get("don_vi")
    if not code:
        return None
    return org_selectors.get_unit(actor=request.user, code=code, capability="indicator.read")


@login_required
@requires("indicator.read")
def dashboard(request):
    # The dashboard opens on the latest year with approved figures; data entry pages open on the
    # latest period.
    year = parse_year(request.GET.get("nam"), selectors.dashboard_year(actor=request.user))
    unit = _unit(request)
    roots = selectors.dashboard_roots(actor=request.user, on=selectors.default_on(year))
    if unit is None:
        if not roots:
            return render(request, "indicators/dashboard.html", {"year": year, "empty": True})
        unit = roots[0]
    data = selectors.dashboard(actor=request.user, year=year, unit=unit)
    charts = {s.indicator: mark_safe(trend_svg(s)) for s in data.series}
    on = selectors.default_on(year)
    ancestors = [Unit.objects.get(id=i) for i in reversed(org_selectors.ancestor_ids(unit_id=unit.id, on=on))
                 if i in org_selectors.unit_ids(actor=request.user, capability="indicator.read")
                 ] if unit.is_active_on(on) else []
    return render(request, "indicators/dashboard.html", {
        "year": year, "unit": unit, "data": data, "charts": charts, "roots": roots, "ancestors": ancestors,
        "years": [p.year for p in selectors.periods()], "rule": selectors.STATUS_RULE,
        "can_enter": org_selectors.can(actor=request.user, capability="data.enter"),
    })


@login_required
@requires("indicator.read")
def breakdown(request, code: str, year: int, indicator: str):
    unit = _unit(request, code)
    rows = selectors.indicator_breakdown(actor=request.user, year=year, unit=unit, indicator=indicator)
    head = selectors.compute_indicators(actor=request.user, year=year, unit=unit, depth=0)
    result = next((i for i in head[0].indicators if i.indicator == indicator), None) if head else None
    definition = next((d for d in selectors.indicators() if d.code == indicator), None)
    return render(request, "indicators/breakdown.html", {
        "unit": unit, "year": year, "rows": rows, "result": result, "definition": definition})


@login_required
@requires("data.enter")
def my_reports(request):
    """The units the viewer enters data for or approves, with their report for the year."""
    year = _year(request)
    enter = org_selectors.unit_ids(actor=request.user, capability="data.enter", history=False)
    approve = org_selectors.unit_ids(actor=request.user, capability="data.approve", history=False)
    comp = None
    try:
        comp = selectors.completeness(actor=request.user, year=year)
    except DomainError:
        pass
    rows = [r for r in (comp.rows if comp else []) if r.unit_id in enter | approve]
    return render(request, "indicators/my_reports.html", {
        "year": year, "rows": rows, "years": [p.year for p in selectors.periods()],
        "to_review": [r for r in rows if r.status == SubmissionStatus.SUBMITTED and r.unit_id in approve],
    })


@login_required
@require_http_methods(["GET", "POST"])
@requires("indicator.read")
def submission_edit(request, code: str, year: int):
    page = selectors.submission_page(actor=request.user, unit=_unit(request, code), year=year)
    step = request.POST.get("action", "")
    post = request.method == "POST"
    form = SubmissionForm(request.POST if post and step in ("save", "submit") else None,
                          request.FILES if post and step in ("save", "submit") else None, initial=page.initial,
                          elements=page.elements, provided=page.provided, previous=page.previous,
                          editable=page.editable)
    review = ReviewForm(request.POST if post and step in ("approve", "return") else None)
    reopen = ReopenForm(request.POST if post and step == "reopen" else None)
    bound = {"save": form, "submit": form, "approve": review, "return": review, "reopen": reopen}.get(step)
    if post and bound is not None and bound.is_valid():
        fields = dict(zip(("values", "evidence", "evidence_files"), form.values())) if bound is form else {}
        try:
            done = services.submission_step(actor=request.user, unit=page.unit, year=year, step=step,
                                            **fields, **{k: v for k, v in bound.cleaned_data.items()
                                                         if k in ("note", "confirm_jumps", "comment", "reason")})
        except (ScopeError, NotFound):
            raise
        except DomainError as e:
            if bound is form:
                form.show_errors(e)
            else:
                form_error(bound, e)
        else:
            messages.success(request, done)
            return redirect("indicators:submission", code=page.unit.code, year=year)
    return render(request, "indicators/submission.html", {
        "page": page, "unit": page.unit, "year": year, "period": page.period, "form_def": page.form,
        "submission": page.submission, "evidence_files": page.evidence_files, "form": form, "review": review,
        "reopen": reopen, "editable": page.editable, "can_review": page.can_review, "can_reopen": page.can_reopen,
        "record_links": page.record_links,
    })


@login_required
@requires("indicator.read")
def evidence_file(request, file_id: int):
    f = selectors.get_evidence_file(actor=request.user, file_id=file_id)
    return FileResponse(f.file.open("rb"), as_attachment=True, filename=f.name, content_type=f.content_type)


@login_required
@require_http_methods(["GET", "POST"])
@requires("data.enter")
def evidence_file_change(request, file_id: int):
    """Remove or replace a wrong evidence file before the report is sent: a confirmation page."""
    f = selectors.get_evidence_file(actor=request.user, file_id=file_id)
    unit, year = f.submission.unit, f.submission.year
    org_selectors.require(actor=request.user, capability="data.enter", unit=unit, read="indicator.read")
    form = EvidenceChangeForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload, reason = form.cleaned_data.get("file"), form.cleaned_data["reason"]
        try:
            if upload:
                services.evidence_file_replace(actor=request.user, evidence_file=f, upload=upload, reason=reason)
                messages.success(request, f"Đã thay tệp minh chứng “{f.name}”.")
            else:
                services.evidence_file_remove(actor=request.user, evidence_file=f, reason=reason)
                messages.success(request, f"Đã gỡ tệp minh chứng “{f.name}”.")
        except ScopeError:
            raise
        except DomainError as e:
            form_error(form, e)
        else:
            return redirect("indicators:submission", code=unit.code, year=year)
    return render(request, "indicators/evidence_change.html", {"f": f, "unit": unit, "year": year, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
@requires("indicator.read")
def completeness_view(request):
    year = _year(request)
    unit = _unit(request)
    if request.method == "POST" and "remind" in request.POST:
        try:
            sent = reminders.reminders_send(actor=request.user, year=year, unit=unit,
                                            base_url=request.build_absolute_uri("/"))
        except (ScopeError, NotFound):
            raise
        except DomainError as e:
            messages.error(request, e.message)
        else:
            messages.success(request, f"Đã nhắc {len(sent.reminded)} đơn vị ({sent.emails} thư điện tử).")
            for name, why in sent.skipped:
                messages.warning(request, f"{name}: {why}.")
        return redirect(request.get_full_path())
    result = selectors.completeness(actor=request.user, year=year, unit=unit)
    if request.GET.get("xuat") == "xlsx":
        shown = [("Năm", year)] + ([("Đơn vị", unit.name)] if unit else []) + (
            [("Hạn nộp", f"{result.deadline:%d/%m/%Y}")] if result.deadline else [])
        return xlsx_response(table_workbook(
            title=f"Tiến độ báo cáo {year}", heading=f"Tiến độ báo cáo năm {year}", filters=shown,
            columns=[("Đơn vị", 40), ("Cấp trên", 30), ("Thời hạn", 14), ("Trạng thái", 16), ("Gửi lần đầu", 17),
                     ("Đầu mối", 30)],
            rows=[[r.name, r.parent_name or "", r.timeliness_label, r.status_label, r.first_submitted_at,
                   ", ".join(r.focal_points)] for r in result.rows]), f"tien-do-bao-cao-{year}.xlsx")
    approvable = org_selectors.unit_ids(actor=request.user, capability="data.approve", history=False)
    last = reminders.last_reminded(year=year, unit_ids=[r.unit_id for r in result.reminders])
    owing = [(r, last.get(r.unit_id)) for r in result.reminders]
    return render(request, "indicators/completeness.html", {
        "year": year, "unit": unit, "result": result, "owing": owing, "years": [p.year for p in selectors.periods()],
        "can_remind": result.deadline is not None and any(r.unit_id in approvable for r in result.reminders)})


@login_required
@require_http_methods(["GET", "POST"])
@requires("indicator.read")
def periods(request):
    can_manage = org_selectors.can(actor=request.user, capability="period.manage")
    form = PeriodForm(request.POST or None)
    if request.method == "POST":
        if not can_manage:
            raise ScopeError("Bạn không có quyền mở kỳ báo cáo.")
        if done := submit_form(request, form, lambda d: services.period_open(actor=request.user, **d),
                               success="Đã mở kỳ báo cáo.", then="indicators:periods"):
            return done
    return render(request, "indicators/periods.html", {
        "periods": selectors.periods(), "form": form, "can_manage": can_manage,
        "definitions": selectors.indicators(), "rule": selectors.STATUS_RULE})


@login_required
@require_http_methods(["GET", "POST"])
@requires("data.enter")
def excel(request):
    """Download the XLSX template for a unit (and the units under it); upload it filled."""
    year = _year(request)
    enter_units = Unit.objects.filter(
        id__in=org_selectors.unit_ids(actor=request.user, capability="data.enter", history=False)
    ).order_by(Vietnamese("name"))
    if not enter_units.exists():
        raise ScopeError("Bạn không nhập số liệu cho đơn vị nào.")
    if request.GET.get("tai") and request.method == "GET":
        unit = _unit(request) or enter_units.first()
        content = xlsx.template(actor=request.user, year=year, unit=unit)
        response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="bieu-chi-tieu-{unit.code}-{year}.xlsx"'
        return response
    form = UploadForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > 5 * 1024 * 1024:
            form.add_error("file", "Tệp quá 5 MB.")
        else:
            try:
                saved = xlsx.upload(actor=request.user, data=upload.read(), submit=form.cleaned_data["submit"])
            except xlsx.UploadErrors as e:
                errors = e.errors
                form.add_error("file", e.message)
            except DomainError as e:
                form_error(form, e)
            else:
                messages.success(request, f"Đã nhập số liệu của {len(saved)} đơn vị.")
                return redirect(f"{request.path}?nam={year}")
    roots = [u for u in enter_units if u.parent_id not in {x.id for x in enter_units}]
    return render(request, "indicators/excel.html", {
        "year": year, "form": form, "errors": errors, "units": roots, "years": [p.year for p in selectors.periods()]})


@login_required
@requires("indicator.read")
def export_csv(request):
    """Data values in scope as CSV for a spreadsheet: unit (code and name), year, data element
    (code and name), value, the report's status in words, last change (local time)."""
    year = parse_year(request.GET.get("nam"))
    unit = _unit(request)
    rows = selectors.data_values_for_export(actor=request.user, year=year, unit=unit)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="so-lieu-chi-tieu{f"-{year}" if year else ""}.csv"'
    response.write("\ufeff")  # so that Excel opens UTF-8 Vietnamese correctly
    writer = csv.writer(response)
    writer.writerow(["Mã đơn vị", "Đơn vị", "Năm", "Mã số liệu", "Số liệu", "Giá trị", "Trạng thái báo cáo",
                     "Cập nhật lúc"])
    statuses = dict(SubmissionStatus.choices)
    for unit_code, unit_name, period_year, element, element_name, value, status, changed in rows.iterator():
        writer.writerow([unit_code, unit_name, period_year, element, element_name, "" if value is None else value,
                         statuses.get(status, status), timezone.localtime(changed).strftime("%d/%m/%Y %H:%M:%S")])
    return response
