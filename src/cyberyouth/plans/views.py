from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from cyberyouth.errors import ScopeError
from cyberyouth.lib.collation import Vietnamese
from cyberyouth.lib.pages import parse_year, submit_form
from cyberyouth.lib.xlsx import table_workbook, xlsx_response
from cyberyouth.orgs import selectors as org_selectors
from cyberyouth.orgs.decorators import requires
from cyberyouth.orgs.models import Unit

from . import selectors, services
from .forms import ChildPlanForm, EvidenceForm, MatrixFilterForm, ProgressForm


@login_required
@requires("plan.read")
def plan_list(request):
    return render(request, "plans/plan_list.html", {"plans": selectors.plans_visible(actor=request.user)})


@login_required
@requires("plan.read")
def plan_detail(request, plan_id: int):
    plan = selectors.get_plan(actor=request.user, plan_id=plan_id)
    visible = org_selectors.unit_ids(actor=request.user, capability="plan.read")
    groups = selectors.plan_structure(plan=plan)
    for group in groups:
        for task in group.tasks.all():
            task.visible_assignments = [a for a in task.assignments.all() if a.unit_id in visible]
    return render(request, "plans/plan_detail.html", {
        "plan": plan, "groups": groups, "sections": plan.sections.all(),
        "child_plans": selectors.plans_visible(actor=request.user).filter(parent=plan),
        "can_add_child": org_selectors.can(actor=request.user, capability="plan.child"),
    })


@login_required
@requires("progress.read")
def plan_matrix(request, plan_id: int):
    plan = selectors.get_plan(actor=request.user, plan_id=plan_id)
    form = MatrixFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    year = filters.get("nam") or org_selectors.today().year
    units, rows, counts = selectors.progress_matrix(
        actor=request.user, plan=plan, year=year, group=filters.get("nhom"),
        unit_type=filters.get("loai") or "", status=filters.get("trang_thai") or "",
    )
    if request.GET.get("xuat") == "xlsx":
        shown = [("Kế hoạch", plan.title), ("Năm", year)] + [
            (form.fields[name].label, dict(form.fields[name].choices).get(value, value)
             if hasattr(form.fields[name], "choices") else value)
            for name, value in filters.items() if value and name != "nam"]
        table = [[f"{row.task.code}) {row.task.text}"] + [
            (cell["progress"].get_status_display() if cell["progress"] else "Chưa báo cáo") if cell else ""
            for cell in row.cells] for row in rows]
        return xlsx_response(table_workbook(
            title=f"Ma trận {year}", heading=f"Tiến độ nhiệm vụ × đơn vị năm {year}", filters=shown,
            columns=[("Nhiệm vụ", 60)] + [(u.name, 16) for u in units], rows=table), f"ma-tran-nhiem-vu-{year}.xlsx")
    query = request.GET.copy()
    query.pop("xuat", None)
    return render(request, "plans/matrix.html", {
        "plan": plan, "form": form, "year": year, "units": units, "rows": rows, "counts": counts,
        "query": query.urlencode(),
    })


@login_required
@requires("progress.record")
def my_tasks(request):
    year = parse_year(request.GET.get("nam"), org_selectors.today().year)
    rows = selectors.my_assignments(actor=request.user, year=year)
    return render(request, "plans/my_tasks.html", {"rows": rows, "year": year,
                                                    "years": range(2022, org_selectors.today().year + 1)})


@login_required
@require_http_methods(["GET", "POST"])
@requires("progress.read")
def progress_edit(request, assignment_id: int, year: int):
    assignment = selectors.get_assignment(actor=request.user, assignment_id=assignment_id)
    can_edit = org_selectors.can(actor=request.user, capability="progress.record", unit=assignment.unit)
    progress = selectors.progress_for(assignment=assignment, year=year)
    initial = {"status": progress.status, "summary": progress.summary, "started_on": progress.started_on,
               "completed_on": progress.completed_on} if progress else {}
    form = ProgressForm(request.POST if "save_progress" in request.POST else None, initial=initial)
    evidence_form = EvidenceForm(request.POST if "add_evidence" in request.POST else None,
                                 request.FILES or None)
    if request.method == "POST":
        if not can_edit:
            raise ScopeError()
        here = reverse("plans:progress", kwargs={"assignment_id": assignment.id, "year": year})
        if "save_progress" in request.POST:
            done = submit_form(
                request, form,
                lambda d: services.progress_record(actor=request.user, assignment=assignment, year=year, **d),
                success="Đã lưu tiến độ.", then=here)
        elif "add_evidence" in request.POST:
            done = submit_form(
                request, evidence_form,
                lambda d: services.evidence_add(actor=request.user, assignment=assignment, year=year,
                                                title=d["title"], upload=d.get("file"), url=d.get("url", "")),
                success="Đã thêm minh chứng.", then=here)
        else:
            done = None
        if done:
            return done
    return render(request, "plans/progress.html", {
        "assignment": assignment, "year": year, "progress": progress, "form": form,
        "evidence_form": evidence_form, "can_edit": can_edit,
    })


@login_required
@require_http_methods(["GET", "POST"])
@requires("plan.child")
def child_plan_create(request, plan_id: int):
    parent = selectors.get_plan(actor=request.user, plan_id=plan_id)
    units = Unit.objects.filter(
        id__in=org_selectors.unit_ids(actor=request.user, capability="plan.child", history=False)
        | org_selectors.unit_ids(actor=request.user, capability="plan.manage", history=False)
    ).order_by(Vietnamese("name"))
    unit = units.filter(code=request.GET.get("don_vi") or request.POST.get("don_vi")).first() or units.first()
    if unit is None:
        raise ScopeError("Bạn không có đơn vị nào để lập kế hoạch chi tiết.")
    tasks = [t for g in selectors.plan_structure(plan=parent) for t in g.tasks.all()]
    form = ChildPlanForm(request.POST or None, initial={"year": org_selectors.today().year})
    details = [(t, request.POST.get(f"task_{t.id}", "")) for t in tasks if request.POST.get(f"task_{t.id}", "").strip()]
    if done := submit_form(
            request, form,
            lambda d: services.child_plan_create(actor=request.user, parent=parent, owner_unit=unit, details=details, **d),
            success="Đã lập kế hoạch chi tiết.", then=lambda plan: reverse("plans:detail", kwargs={"plan_id": plan.id})):
        return done
    return render(request, "plans/child_plan_form.html", {
        "parent": parent, "form": form, "tasks": tasks, "units": units, "unit": unit,
    })


@login_required
@requires("progress.read")
def evidence_download(request, evidence_id: int):
    evidence = selectors.get_evidence(actor=request.user, evidence_id=evidence_id)
    if not evidence.file:
        return redirect(evidence.url)
    return FileResponse(evidence.file.open("rb"), as_attachment=True,
                        filename=evidence.file.name.rsplit("/", 1)[-1].split("-", 1)[-1],
                        content_type=evidence.content_type or "application/octet-stream")
