from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from cyberyouth.errors import NotFound
from cyberyouth.lib.collation import Vietnamese
from cyberyouth.lib.pages import submit_action, submit_form
from cyberyouth.orgs import selectors as org_selectors
from cyberyouth.orgs.decorators import requires
from cyberyouth.orgs.models import SCHOOL_TYPES, Unit

from . import selectors, services
from .forms import CompletionForm, CourseForm, StaffForm, UploadForm

READ, MANAGE = "training.read", "training.manage"


def _year(request) -> int:
    try:
        year = int(request.GET.get("nam") or org_selectors.today().year)
    except ValueError:
        year = org_selectors.today().year
    return min(max(year, 2000), 2100)


def _require_manage(request, unit):
    if request.method == "POST":
        org_selectors.require(actor=request.user, capability=MANAGE, unit=unit, read=READ)


@login_required
@requires(READ)
def index(request):
    year = _year(request)
    return render(request, "training/index.html", {
        "year": year, "rows": selectors.units_overview(actor=request.user, year=year),
        "units": Unit.objects.filter(id__in=org_selectors.unit_ids(actor=request.user, capability=READ, history=False),
                                     unit_type__in=SCHOOL_TYPES).order_by(Vietnamese("name")),
    })


@login_required
@require_http_methods(["GET", "POST"])
@requires(READ)
def unit_page(request, code: str):
    unit = org_selectors.get_unit(actor=request.user, code=code, capability=READ)
    _require_manage(request, unit)
    year = _year(request)
    action = request.POST.get("action")
    staff_form = StaffForm(request.POST if action == "staff" else None)
    course_form = CourseForm(request.POST if action == "course" else None)
    here = reverse("training:unit", args=[unit.code])
    if action == "staff" and (done := submit_form(
            request, staff_form, lambda d: services.staff_add(actor=request.user, unit=unit, **d),
            success=lambda s: f"Đã thêm {s.full_name} vào sổ cán bộ.", then=here)):
        return done
    if action == "course" and (done := submit_form(
            request, course_form, lambda d: services.course_create(actor=request.user, unit=unit, **d),
            success="Đã thêm lớp tập huấn.", then=lambda c: reverse("training:course", args=[c.id]))):
        return done
    if action == "leave":
        staff = selectors.get_staff(actor=request.user, staff_id=_int(request.POST.get("staff")))
        if staff.unit_id != unit.id:
            raise NotFound("Không tìm thấy cán bộ.")
        return submit_action(request, lambda: services.staff_leave(
            actor=request.user, staff=staff, left_on=org_selectors.today()),
            success=f"Đã ghi {staff.full_name} thôi công tác.", then=here)
    return render(request, "training/unit.html", {
        "unit": unit, "year": year, "staff": selectors.unit_staff(actor=request.user, unit=unit, year=year),
        "courses": selectors.unit_courses(actor=request.user, unit=unit),
        "staff_form": staff_form, "course_form": course_form,
        "can_manage": org_selectors.can(actor=request.user, capability=MANAGE, unit=unit),
    })


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotFound("Không tìm thấy.") from None


@login_required
@require_http_methods(["GET", "POST"])
@requires(READ)
def course(request, course_id: int):
    course = selectors.get_course(actor=request.user, course_id=course_id)
    _require_manage(request, course.unit)
    here = reverse("training:course", args=[course.id])
    detail = selectors.course_detail(actor=request.user, course=course)
    action = request.POST.get("action")
    completion_form = CompletionForm(request.POST if action == "completion" else None, pool=detail["pool"])
    upload_form = UploadForm(request.POST if action == "import" else None, request.FILES if action == "import" else None)
    if action == "completion":
        def add(d):
            staff = selectors.get_staff(actor=request.user, staff_id=d["staff"])
            return services.completion_add(actor=request.user, course=course, staff=staff,
                                           completed_on=d["completed_on"], certificate_no=d["certificate_no"])
        if done := submit_form(request, completion_form, add, success="Đã ghi kết quả hoàn thành.", then=here):
            return done
    if action == "import" and (done := submit_form(
            request, upload_form, lambda d: services.completions_import(actor=request.user, course=course,
                                                                        upload=d["file"]),
            success=lambda b: (f"Đã nhập {b.rows_total} dòng: {b.rows_matched} dòng khớp với sổ cán bộ, "
                               f"{b.rows_total - b.rows_matched} dòng cần ghép tay."), then=here)):
        return done
    if action == "resolve":
        row = selectors.get_pending(actor=request.user, row_id=_int(request.POST.get("row")))
        if row.batch.course_id != course.id:
            raise NotFound("Không tìm thấy dòng cần ghép.")
        if not request.POST.get("staff"):
            messages.error(request, "Chọn cán bộ để ghép, hoặc chọn bỏ qua dòng.")
            return redirect(here)
        staff = None
        if request.POST.get("staff") != "dismiss":
            staff = selectors.get_staff(actor=request.user, staff_id=_int(request.POST.get("staff")))
        return submit_action(request, lambda: services.pending_resolve(actor=request.user, row=row, staff=staff),
                             success="Đã ghép dòng với cán bộ." if staff else "Đã bỏ qua dòng.", then=here)
    return render(request, "training/course.html", {
        "course": course, **detail, "completion_form": completion_form, "upload_form": upload_form,
        "can_manage": org_selectors.can(actor=request.user, capability=MANAGE, unit=course.unit),
    })


@login_required
@require_http_methods(["GET", "POST"])
@requires(READ)
def members(request, code: str):
    unit = org_selectors.get_unit(actor=request.user, code=code, capability=READ)
    _require_manage(request, unit)
    year = _year(request)
    here = reverse("training:members", args=[unit.code]) + f"?nam={year}"
    action = request.POST.get("action")
    members_form = UploadForm(request.POST if action == "members" else None,
                              request.FILES if action == "members" else None, prefix="members")
    theory_form = UploadForm(request.POST if action == "theory" else None,
                             request.FILES if action == "theory" else None, prefix="theory")
    if action == "members" and (done := submit_form(
            request, members_form, lambda d: services.members_import(actor=request.user, unit=unit, upload=d["file"]),
            success=lambda r: f"Đã nhập {r['added']} đoàn viên mới ({r['already']} đã có trong sổ).", then=here)):
        return done
    if action == "theory" and (done := submit_form(
            request, theory_form, lambda d: services.theory_import(actor=request.user, unit=unit, upload=d["file"]),
            success=lambda b: (f"Đã nhập {b.rows.count()} dòng: {b.rows.filter(member__isnull=False).count()} "
                               "dòng khớp với đoàn viên, các dòng còn lại cần ghép tay."), then=here)):
        return done
    if action == "resolve":
        row = selectors.get_theory_row(actor=request.user, row_id=_int(request.POST.get("row")))
        if row.batch.unit_id != unit.id:
            raise NotFound("Không tìm thấy dòng cần ghép.")
        if not request.POST.get("member"):
            messages.error(request, "Chọn đoàn viên để ghép, hoặc chọn bỏ qua dòng.")
            return redirect(here)
        member = None
        if request.POST.get("member") != "dismiss":
            member = selectors.get_member(actor=request.user, member_id=_int(request.POST.get("member")))
        return submit_action(request, lambda: services.theory_resolve(actor=request.user, row=row, member=member),
                             success="Đã ghép dòng với đoàn viên." if member else "Đã bỏ qua dòng.", then=here)
    data = selectors.unit_members(actor=request.user, unit=unit, year=year)
    return render(request, "training/members.html", {
        "unit": unit, "year": year, **data, "members_form": members_form, "theory_form": theory_form,
        "can_manage": org_selectors.can(actor=request.user, capability=MANAGE, unit=unit),
    })

