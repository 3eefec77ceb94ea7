import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods

from cyberyouth.errors import DomainError, NotFound, ScopeError
from cyberyouth.orgs import selectors as org_selectors
from cyberyouth.orgs.models import Unit
from cyberyouth.web.shortcuts import form_error, parse_int, submit_form

from . import providers, reminders, selectors, services, xlsx
from .charts import trend_svg
from .forms import PeriodForm, ReopenForm, ReviewForm, SubmissionForm, UploadForm
from .models import Period, SubmissionStatus, ValueSource


def _year(request) -> int:
    latest = Period.objects.order_by("-year").values_list("year", flat=True).first()
    return parse_int(request.GET.get("nam"), latest or org_selectors.today().year)


def _unit(request, code: str | None = None) -> Unit | None:
    code = code or request.GET.get("don_vi")
    if not code:
        return None
    return org_selectors.get_visible_unit(actor=request.user, code=code)


@login_required
def dashboard(request):
    # The dashboard opens on the latest year with approved figures (the current year's period
    # is usually still open and empty); data entry pages open on the latest period.
    latest_approved = selectors.submissions_visible(actor=request.user).filter(
        status=SubmissionStatus.APPROVED).order_by("-year").values_list("year", flat=True).first()
    year = parse_int(request.GET.get("nam"), latest_approved) or _year(request)
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
                 if i in org_selectors.visible_unit_ids(actor=request.user)] if unit.is_active_on(on) else []
    return render(request, "indicators/dashboard.html", {
        "year": year, "unit": unit, "data": data, "charts": charts, "roots": roots, "ancestors": ancestors,
        "years": [p.year for p in selectors.periods()], "rule": selectors.STATUS_RULE,
        "can_enter": org_selectors.has_capability(actor=request.user, capability="data.enter"),
    })


@login_required
def breakdown(request, code: str, year: int, indicator: str):
    unit = _unit(request, code)
    rows = selectors.indicator_breakdown(actor=request.user, year=year, unit=unit, indicator=indicator)
    head = selectors.compute_indicators(actor=request.user, year=year, unit=unit, depth=0)
    result = next((i for i in head[0].indicators if i.indicator == indicator), None) if head else None
    definition = next((d for d in selectors.indicators() if d.code == indicator), None)
    return render(request, "indicators/breakdown.html", {
        "unit": unit, "year": year, "rows": rows, "result": result, "definition": definition})


@login_required
def my_reports(request):
    """The units the viewer enters data for or approves, with their report for the year."""
    year = _year(request)
    enter = org_selectors.actionable_unit_ids(actor=request.user, capability="data.enter")
    approve = org_selectors.actionable_unit_ids(actor=request.user, capability="data.approve")
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
def submission_edit(request, code: str, year: int):
    unit = _unit(request, code)
    period = Period.objects.filter(year=year).first()
    form_def = selectors.form_for_type(unit.unit_type)
    if period is None or form_def is None:
        raise DomainError("Không có biểu báo cáo cho đơn vị và năm này.")
    submission = selectors.submissions_visible(actor=request.user).filter(unit=unit, year=year).first()
    can_enter = org_selectors.has_capability(actor=request.user, capability="data.enter", unit=unit)
    can_approve = org_selectors.has_capability(actor=request.user, capability="data.approve", unit=unit)
    can_reopen = org_selectors.has_capability(actor=request.user, capability="period.manage", unit=unit)
    editable = can_enter and (submission is None or submission.is_editable)
    elements = selectors.form_elements(form=form_def)
    saved = selectors.submission_values(submission=submission) if submission else {}
    if editable:
        provided = services._provided(unit, year, elements)
    else:  # a locked report shows what it captured
        provided = {c: v.value for c, v in saved.items() if v.source == ValueSource.PROVIDER}
    record_links = [(p.label, p.url) for p in {providers.get(e.provider) for e in elements if e.code in provided}
                    if p is not None and p.url]
    initial = {"note": submission.note if submission else "",
               "confirm_jumps": submission.jumps_confirmed if submission else False}
    for code_, v in saved.items():
        if code_ in provided:
            continue
        initial[f"v_{code_}"] = "" if v.value is None else str(v.value)
        initial[f"ev_{code_}"] = v.evidence
    action = request.POST.get("action", "")
    form = SubmissionForm(request.POST if action in ("save", "submit") else None,
                          request.FILES if action in ("save", "submit") else None, initial=initial, elements=elements,
                          provided=provided, previous=selectors.previous_values(unit=unit, year=year),
                          editable=editable)
    review = ReviewForm(request.POST if action in ("approve", "return") else None)
    reopen = ReopenForm(request.POST if action == "reopen" else None)
    if request.method == "POST":
        try:
            if action in ("save", "submit"):
                if not editable:
                    raise ScopeError("Bạn không được sửa báo cáo này.")
                if form.is_valid():
                    values, evidence, files = form.values()
                    services.values_save(actor=request.user, unit=unit, year=year, values=values, evidence=evidence,
                                         note=form.cleaned_data["note"], submit=action == "submit",
                                         confirm_jumps=form.cleaned_data["confirm_jumps"], evidence_files=files)
                    messages.success(request, "Đã gửi báo cáo." if action == "submit" else "Đã lưu nháp.")
                    return redirect("indicators:submission", code=unit.code, year=year)
            elif action in ("approve", "return") and submission is not None and review.is_valid():
                if action == "approve":
                    services.submission_approve(actor=request.user, submission=submission,
                                                comment=review.cleaned_data["comment"])
                    messages.success(request, "Đã duyệt báo cáo.")
                else:
                    services.submission_return(actor=request.user, submission=submission,
                                               comment=review.cleaned_data["comment"])
                    messages.success(request, "Đã trả lại báo cáo cho đơn vị.")
                return redirect("indicators:submission", code=unit.code, year=year)
            elif action == "reopen" and submission is not None and reopen.is_valid():
                services.submission_reopen(actor=request.user, submission=submission,
                                           reason=reopen.cleaned_data["reason"])
                messages.success(request, "Đã mở lại báo cáo.")
                return redirect("indicators:submission", code=unit.code, year=year)
        except services.FormErrors as e:
            for field_code, message in e.errors.items():  # "<code>" is a value, "<code>.file" its file
                code_, _, part = field_code.partition(".")
                target = f"evf_{code_}" if part == "file" else f"v_{code_}"
                form.add_error(target if target in form.fields else None, message)
        except ScopeError:
            raise
        except DomainError as e:
            target = form if action in ("save", "submit") else (reopen if action == "reopen" else review)
            form_error(target, e)
    return render(request, "indicators/submission.html", {
        "unit": unit, "year": year, "period": period, "form_def": form_def, "submission": submission,
        "evidence_files": submission.evidence_files.select_related("element") if submission else [],
        "form": form, "review": review, "reopen": reopen, "editable": editable, "record_links": record_links,
        "can_review": can_approve and submission is not None and submission.status == SubmissionStatus.SUBMITTED,
        "can_reopen": can_reopen and submission is not None and submission.status == SubmissionStatus.APPROVED,
    })


@login_required
def evidence_file(request, file_id: int):
    f = selectors.get_evidence_file(actor=request.user, file_id=file_id)
    return FileResponse(f.file.open("rb"), as_attachment=True, filename=f.name, content_type=f.content_type)


@login_required
@require_http_methods(["GET", "POST"])
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
    approvable = org_selectors.actionable_unit_ids(actor=request.user, capability="data.approve")
    last = reminders.last_reminded(year=year, unit_ids=[r.unit_id for r in result.reminders])
    owing = [(r, last.get(r.unit_id)) for r in result.reminders]
    return render(request, "indicators/completeness.html", {
        "year": year, "unit": unit, "result": result, "owing": owing, "years": [p.year for p in selectors.periods()],
        "can_remind": result.deadline is not None and any(r.unit_id in approvable for r in result.reminders)})


@login_required
@require_http_methods(["GET", "POST"])
def periods(request):
    can_manage = org_selectors.has_capability(actor=request.user, capability="period.manage")
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
def excel(request):
    """Download the XLSX template for a unit (and the units under it); upload it filled."""
    year = _year(request)
    enter_units = Unit.objects.filter(
        id__in=org_selectors.actionable_unit_ids(actor=request.user, capability="data.enter")).order_by("name")
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
def export_csv(request):
    """Data values in scope as CSV: unit code, period, element, value, status, last change."""
    year = parse_int(request.GET.get("nam"))
    unit = _unit(request)
    rows = selectors.data_values_for_export(actor=request.user, year=year, unit=unit)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="so-lieu-chi-tieu{f"-{year}" if year else ""}.csv"'
    response.write("\ufeff")  # so that Excel opens UTF-8 Vietnamese correctly
    writer = csv.writer(response)
    writer.writerow(["unit_code", "period", "element", "value", "status", "last_change"])
    for unit_code, period_year, element, value, status, changed in rows.iterator():
        writer.writerow([unit_code, period_year, element, "" if value is None else value, status,
                         timezone.localtime(changed).isoformat(timespec="seconds")])
    return response
