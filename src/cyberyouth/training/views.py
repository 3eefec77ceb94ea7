from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from cyberyouth.errors import NotFound
from cyberyouth.lib.collation import Vietnamese
from cyberyouth.lib.pages import submit_action, submit_form
from cyberyouth.lib.client import MissLimit
from cyberyouth.orgs import selectors as org_selectors
from cyberyouth.orgs.decorators import requires
from cyberyouth.orgs.models import SCHOOL_TYPES, Unit

from . import selectors, services
from .forms import CompletionForm, CourseForm, RevokeForm, RuleForm, SessionForm, StaffForm, UploadForm

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
        "figures": selectors.training_figures(
            unit_ids=org_selectors.unit_ids(actor=request.user, capability=READ), year=year),
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
    session_form = SessionForm(request.POST if action == "session" else None,
                               initial={"organiser": course.organiser, "mode": course.mode, "held_on": course.starts_on})
    rule_form = RuleForm(request.POST if action == "rule" else None,
                         initial={"min_attendance_percent": course.min_attendance_percent})
    if action == "session" and (done := submit_form(
            request, session_form, lambda d: services.session_add(actor=request.user, course=course, **d),
            success=lambda s: f"Đã thêm buổi học ngày {s.held_on:%d/%m/%Y}.", then=here)):
        return done
    if action == "rule" and (done := submit_form(
            request, rule_form, lambda d: services.course_rule_set(actor=request.user, course=course, **d),
            success="Đã đổi điều kiện hoàn thành; kết quả theo điểm danh đã được tính lại.", then=here)):
        return done
    if action == "certificates":
        return submit_action(request, lambda: services.certificates_issue(actor=request.user, course=course),
                             success="Đã cấp giấy chứng nhận cho người hoàn thành.", then=here + "#giay-chung-nhan")
    if action == "revoke":
        cert = selectors.get_certificate(actor=request.user, certificate_id=_int(request.POST.get("certificate")))
        if cert.course_id != course.id:
            raise NotFound("Không tìm thấy giấy chứng nhận.")
        form = RevokeForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Cần ghi lý do thu hồi.")
            return redirect(here + "#giay-chung-nhan")
        return submit_action(request, lambda: services.certificate_revoke(
            actor=request.user, certificate=cert, reason=form.cleaned_data["reason"]),
            success=f"Đã thu hồi giấy chứng nhận số {cert.number}.", then=here + "#giay-chung-nhan")
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
        "session_form": session_form, "rule_form": rule_form, **selectors.course_sessions(course=course),
        "certificates": selectors.course_certificates(course=course),
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



@login_required
@require_http_methods(["GET", "POST"])
@requires(READ)
def session(request, session_id: int):
    """A session's attendance: one tick per person present (phone-friendly list)."""
    session = selectors.get_session(actor=request.user, session_id=session_id)
    course = session.course
    _require_manage(request, course.unit)
    here = reverse("training:session", args=[session.id])
    if request.method == "POST":
        ids = [_int(v) for v in request.POST.getlist("staff")]
        return submit_action(request, lambda: services.attendance_set(actor=request.user, session=session,
                                                                      staff_ids=ids),
                             success=f"Đã lưu điểm danh: {len(set(ids))} người có mặt.", then=here)
    return render(request, "training/session.html", {
        "session": session, "course": course, "roll": selectors.session_roll(session=session),
        "can_manage": org_selectors.can(actor=request.user, capability=MANAGE, unit=course.unit),
        "future": session.held_on > org_selectors.today(),
    })


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@login_required
@requires(READ)
def certificates_file(request, course_id: int):
    """The live certificates of a course (or one of them, ?so=<id>) as one DOCX, or PDF (?dinh-dang=pdf)."""
    from .documents import certificates_docx

    course = selectors.get_course(actor=request.user, course_id=course_id)
    certs = list(selectors.course_certificates(course=course).filter(revoked_at__isnull=True))
    if request.GET.get("so"):
        certs = [c for c in certs if c.id == _int(request.GET.get("so"))]
    if not certs:
        raise NotFound("Không có giấy chứng nhận nào còn hiệu lực.")
    data = certificates_docx(course=course, certificates=certs, site=request.build_absolute_uri("/").rstrip("/"))
    kind, ext = DOCX, "docx"
    if request.GET.get("dinh-dang") == "pdf":
        from cyberyouth.reports.pdf import docx_to_pdf

        data, kind, ext = docx_to_pdf(data), "application/pdf", "pdf"
    response = HttpResponse(data, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="giay-chung-nhan-lop-{course.id}.{ext}"'
    return response


VERIFY_MISSES = MissLimit("training-certificate", per_hour=30)  # see contests.views: a brake on guessing


def verify(request):
    """Public: whoever holds a certificate checks it by its code (no login, nothing else shown)."""
    code = (request.GET.get("ma") or "").strip()[:40]
    if code and VERIFY_MISSES.exceeded(request):
        return render(request, "training/verify.html", {"code": code, "limited": True}, status=429)
    cert = selectors.certificate_by_code(code) if code else None
    if code and cert is None:
        VERIFY_MISSES.miss(request)
    return render(request, "training/verify.html", {"code": code, "cert": cert})


@login_required
@requires(READ)
def indicator_records(request, code: str, year: int):
    """The records behind indicators 2 and 3 of a unit for a year (the yearly form links here)."""
    unit = org_selectors.get_unit(actor=request.user, code=code, capability=READ)
    if not 2000 <= year <= 2100:
        raise NotFound("Không tìm thấy.")
    return render(request, "training/records.html", {
        "unit": unit, "year": year, **selectors.indicator_records(actor=request.user, unit=unit, year=year)})
