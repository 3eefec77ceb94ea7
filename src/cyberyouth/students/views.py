"""Pages of the students app: classes, a class's roster and records, a student's consent, the
roster import. Thin: parse, call one selector or service, render; refusals propagate."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from cyberyouth.errors import DomainError, NotFound, ScopeError
from cyberyouth.lib.pages import form_error, submit_action, submit_form
from cyberyouth.orgs import selectors as org_selectors
from cyberyouth.orgs.decorators import requires
from cyberyouth.orgs.models import SCHOOL_TYPES, Role, Unit

from . import letters, registry, roster, selectors, services
from .forms import (
    ClassForm, ConsentOnlineForm, ConsentPaperForm, FirstLoginForm, LeaveForm, LessonForm, RegisterForm,
    RosterUploadForm, SchoolYearForm, SessionForm, TeacherForm, TransferForm, ViolationForm, WithdrawForm,
)
from .models import ConductAcknowledgement, ConsentPurpose, Student


def _school_year(request):
    years = list(selectors.school_years())
    chosen = next((y for y in years if str(y.id) == request.GET.get("nam_hoc")), None)
    return chosen or selectors.current_school_year() or (years[0] if years else None), years


@login_required
@requires("student.read|class.teach")
def class_list(request):
    school_year, years = _school_year(request)
    classes = list(selectors.classes_visible(actor=request.user, school_year=school_year)) if school_year else []
    schools = []
    for unit in sorted({c.unit for c in classes}, key=lambda u: u.name):
        figures = selectors.class_figures(actor=request.user, school_year=school_year, unit=unit)
        schools.append({"unit": unit, **figures})
    if not classes and not org_selectors.capabilities_held(actor=request.user) & {"student.read", "class.teach"}:
        raise ScopeError("Trang này dành cho trường học và giáo viên chủ nhiệm.")
    manage_units = Unit.objects.filter(
        id__in=org_selectors.unit_ids(actor=request.user, capability="student.manage", history=False)
    ).order_by("name")
    listed = {s["unit"].id for s in schools}
    schools += [{"unit": u, "empty": True} for u in manage_units if u.id not in listed and u.unit_type in SCHOOL_TYPES]
    for s in schools:
        s["can_manage"] = s["unit"].id in {u.id for u in manage_units}
        if s["can_manage"] and school_year:
            s["class_form"] = ClassForm(prefix="lop", teachers=selectors.teachers_of(unit=s["unit"]))
    return render(request, "students/class_list.html", {
        "school_year": school_year, "years": years, "schools": schools, "can_import": manage_units.exists(),
        "session_form": SessionForm(initial={"held_on": org_selectors.today()}),
        "next_years": [y for y in years if school_year and y.starts_on > school_year.starts_on],
        "can_manage_years": org_selectors.can(actor=request.user, capability="schoolyear.manage")})


@login_required
@requires("student.read|class.teach")
def class_detail(request, class_id: int):
    school_class = selectors.get_class(actor=request.user, class_id=class_id)
    students = selectors.class_students(actor=request.user, school_class=school_class)
    consents = selectors.live_consents(student_ids=[s.id for s in students])
    acked = selectors.acknowledged_ids(student_ids=[s.id for s in students], school_year=school_class.school_year)
    rows = [{"student": s, "consents": consents.get(s.id, set()), "acknowledged": s.id in acked} for s in students]
    return render(request, "students/class_detail.html", {
        "school_class": school_class, "rows": rows, "purposes": ConsentPurpose,
        "lessons": school_class.safety_lessons.all(),
        "can_record": selectors.may_act_on_class(actor=request.user, school_class=school_class,
                                                 capability="conduct.record"),
        "can_consent": selectors.may_act_on_class(actor=request.user, school_class=school_class,
                                                  capability="consent.record"),
        "register_form": RegisterForm(initial={"on": org_selectors.today()}),
        "lesson_form": LessonForm(initial={"held_on": org_selectors.today()}),
        "teacher_form": TeacherForm(prefix="gvcn", teachers=selectors.teachers_of(unit=school_class.unit),
                                    initial={"teacher": school_class.homeroom_teacher_id})
        if org_selectors.can(actor=request.user, capability="student.manage", unit=school_class.unit) else None,
    })


@login_required
@require_POST
@requires("conduct.record")
def class_register(request, class_id: int):
    school_class = selectors.get_class(actor=request.user, class_id=class_id)
    form = RegisterForm(request.POST)
    ids = [int(v) for v in request.POST.getlist("student") if v.isdigit()]
    if not form.is_valid():
        raise DomainError("Ngày cam kết không hợp lệ.", field="on")
    acks = services.conduct_register_record(actor=request.user, school_class=school_class, student_ids=ids,
                                            on=form.cleaned_data["on"])
    messages.success(request, f"Đã ghi nhận cam kết của {len(acks)} học sinh.")
    return redirect("students:class", class_id=school_class.id)


@login_required
@require_POST
@requires("conduct.record")
def class_lesson(request, class_id: int):
    school_class = selectors.get_class(actor=request.user, class_id=class_id)
    form = LessonForm(request.POST)
    if not form.is_valid():
        raise DomainError("Điền đủ ngày, chủ đề và giáo viên dạy.", field="topic")
    services.safety_lesson_record(actor=request.user, school_class=school_class, **form.cleaned_data)
    messages.success(request, "Đã ghi tiết học kỹ năng an toàn trên không gian mạng.")
    return redirect("students:class", class_id=school_class.id)


@login_required
@requires("student.read|class.teach")
def student_detail(request, student_id: int):
    student = selectors.get_student(actor=request.user, student_id=student_id)
    return render(request, "students/student_detail.html", {
        "student": student, "enrolments": student.enrolments.select_related("school_class__school_year"),
        "consents": student.consents.all(),
        "states": [(label, selectors.consent_state(student=student, purpose=value))
                   for value, label in ConsentPurpose.choices],
        "consent_form": ConsentPaperForm(initial={"signed_on": org_selectors.today()}),
        "withdraw_form": WithdrawForm(prefix="rut"),
        "can_manage": org_selectors.can(actor=request.user, capability="student.manage", unit=student.unit),
        "leave_form": LeaveForm(prefix="roi", initial={"on": org_selectors.today()}),
        "transfer_form": TransferForm(prefix="chuyen", initial={"on": org_selectors.today()}),
        "violation_form": ViolationForm(prefix="vp", initial={"decided_on": org_selectors.today()}),
    })


@login_required
@require_http_methods(["GET", "POST"])
@requires("consent.record")
def student_consent(request, student_id: int):
    student = selectors.get_student(actor=request.user, student_id=student_id)
    form = ConsentPaperForm(request.POST or None, request.FILES or None)

    def save(d):
        return services.consent_record_paper(actor=request.user, student=student, **d)

    if done := submit_form(request, form, save, success="Đã ghi nhận phiếu đồng ý.",
                           then=lambda c: f"/hoc-sinh/hs/{student.id}/"):
        return done
    return render(request, "students/consent_form.html", {"student": student, "form": form})


@login_required
@require_POST
@requires("consent.record")
def student_withdraw(request, student_id: int):
    student = selectors.get_student(actor=request.user, student_id=student_id)
    form = WithdrawForm(request.POST, prefix="rut")
    if not form.is_valid():
        raise DomainError("Chọn mục đích rút lại đồng ý.", field="purpose")
    services.consent_withdraw(actor=request.user, student=student, **form.cleaned_data)
    messages.success(request, "Đã ghi nhận rút lại đồng ý. Dữ liệu có tên sẽ được ẩn danh."
                     if form.cleaned_data["purpose"] == ConsentPurpose.ACCOUNT else "Đã ghi nhận rút lại đồng ý.")
    return redirect("students:student", student_id=student.id)


def _import_unit(request) -> Unit:
    units = Unit.objects.filter(
        id__in=org_selectors.unit_ids(actor=request.user, capability="student.manage", history=False)
    ).order_by("name")
    code = request.POST.get("unit") or request.GET.get("unit")
    unit = units.filter(code=code).first() if code else units.first()
    if unit is None and code:
        raise NotFound("Không tìm thấy đơn vị.")
    if unit is None:
        raise ScopeError("Bạn không có quyền nhập danh sách học sinh.")
    return unit


@login_required
@requires("student.manage")
def roster_template(request):
    unit = _import_unit(request)
    data = roster.template(actor=request.user, unit=unit)
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="danh-sach-hoc-sinh-{unit.code}.xlsx"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
@requires("student.manage")
def roster_import(request):
    unit = _import_unit(request)
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    preview = errors = None
    if request.method == "POST" and request.POST.get("apply"):
        token = request.POST.get("token", "")
        result = roster.apply_stored(actor=request.user, unit=unit, token=token)
        messages.success(request, f"Đã nhập danh sách: {result.summary()}.")
        return redirect("students:classes")
    if request.method == "POST" and form.is_valid():
        try:
            preview = roster.preview_upload(actor=request.user, unit=unit, upload=form.cleaned_data["file"])
        except roster.RosterErrors as exc:
            errors = exc.errors
            form_error(form, exc)
    return render(request, "students/import.html", {"form": form, "unit": unit, "preview": preview,
                                                    "errors": errors})


def _site(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


@login_required
@require_POST
@requires("consent.record")
def class_consent_letters(request, class_id: int):
    school_class = selectors.get_class(actor=request.user, class_id=class_id)
    issued = services.consent_codes_issue(actor=request.user, school_class=school_class)
    data = letters.consent_letters_docx(school_class=school_class, issued=issued, site=_site(request))
    name, kind = f"thu-dong-y-lop-{school_class.id}", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    if request.POST.get("format") == "pdf":
        from cyberyouth.reports.pdf import docx_to_pdf

        data, kind, ext = docx_to_pdf(data), "application/pdf", "pdf"
    else:
        ext = "docx"
    response = HttpResponse(data, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="{name}.{ext}"'
    return response


@login_required
@require_POST
@requires("class.teach|student.manage")
def class_login_cards(request, class_id: int):
    school_class = selectors.get_class(actor=request.user, class_id=class_id)
    issued = services.login_codes_issue(actor=request.user, school_class=school_class)
    if request.POST.get("format") == "html":  # the same cards as a page to print from the browser
        return render(request, "students/login_cards.html", {"school_class": school_class, "issued": issued,
                                                             "site": _site(request)})
    response = HttpResponse(letters.login_cards_pdf(school_class=school_class, issued=issued, site=_site(request)),
                            content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="ma-dang-nhap-lop-{school_class.id}.pdf"'
    return response


@require_http_methods(["GET", "POST"])
def consent_online(request):
    form = ConsentOnlineForm(request.POST or None, initial={"code": request.GET.get("ma", "")})
    done = None
    if request.method == "POST" and form.is_valid():
        try:
            done = services.consent_online(**form.cleaned_data)
        except DomainError as error:
            form_error(form, error)
    return render(request, "students/consent_online.html", {"form": form, "done": done})


@require_http_methods(["GET", "POST"])
def first_login(request):
    form = FirstLoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.first_login(**form.cleaned_data)
        except DomainError as error:
            form_error(form, error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, "Em đã đặt mật khẩu. Lần sau đăng nhập bằng tên đăng nhập và mật khẩu này.")
            return redirect("students:home")
    return render(request, "students/first_login.html", {"form": form})


def _student_of(request) -> Student | None:
    return Student.objects.filter(user_id=request.user.pk).select_related("unit").first()


def _me(request) -> Student:
    student = _student_of(request)
    if student is None:
        raise ScopeError("Trang này dành cho học sinh.")
    return student


@login_required
def student_home(request):
    student = _student_of(request)
    if student is None:
        # The student role with no class list behind it: nothing of a student's is open to the
        # account yet — say who can open it, and keep help within reach.
        schools = [r.unit for r in org_selectors.active_roles(actor=request.user) if r.role == Role.STUDENT]
        if not schools:
            raise ScopeError("Trang này dành cho học sinh.")
        return render(request, "students/home_rosterless.html", {"schools": schools})
    return render(request, "students/home.html", {"student": student, "tiles": registry.tiles(request, student)})


@login_required
@require_http_methods(["GET", "POST"])
@requires("student.participate")
def code_of_conduct(request):
    student = _me(request)
    if request.method == "POST":
        services.conduct_acknowledge(actor=request.user)
        messages.success(request, "Cảm ơn em! Em đã cam kết thực hiện Quy tắc ứng xử trên mạng xã hội.")
        return redirect("students:home")
    enrolment = selectors.open_enrolment(student)
    done = enrolment is not None and ConductAcknowledgement.objects.filter(
        student=student, school_year=enrolment.school_class.school_year).exists()
    return render(request, "students/code_of_conduct.html", {"student": student, "done": done})


def _posted(form_class, request, prefix: str, **kwargs):
    form = form_class(request.POST, prefix=prefix, **kwargs)
    if not form.is_valid():
        field, errors = next(iter(form.errors.items()))
        raise DomainError(f"{form.fields[field].label if field in form.fields else ''}: {errors[0]}".lstrip(": "),
                          field=field)
    return form.cleaned_data


@login_required
@require_POST
@requires("student.manage")
def student_leave(request, student_id: int):
    student = selectors.get_student(actor=request.user, student_id=student_id)
    services.student_leave(actor=request.user, student=student, **_posted(LeaveForm, request, "roi"))
    messages.success(request, "Đã ghi nhận học sinh rời trường.")
    return redirect("students:student", student_id=student.id)


@login_required
@require_POST
@requires("student.manage")
def student_transfer(request, student_id: int):
    student = selectors.get_student(actor=request.user, student_id=student_id)
    data = _posted(TransferForm, request, "chuyen")
    to_unit = Unit.objects.filter(code=data["to_unit"].strip()).first()
    if to_unit is None:
        raise NotFound("Không tìm thấy trường chuyển đến.")
    services.student_transfer(actor=request.user, student=student, to_unit=to_unit, on=data["on"])
    messages.success(request, f"Đã chuyển học sinh sang {to_unit.name}.")
    return redirect("students:classes")


@login_required
@require_POST
@requires("conduct.record")
def student_violation(request, student_id: int):
    student = selectors.get_student(actor=request.user, student_id=student_id)
    services.conduct_violation_record(actor=request.user, student=student, **_posted(ViolationForm, request, "vp"))
    messages.success(request, "Đã ghi quyết định của nhà trường.")
    return redirect("students:student", student_id=student.id)


@login_required
@require_POST
@requires("conduct.record")
def school_session(request, code: str):
    unit = org_selectors.get_unit(actor=request.user, code=code, capability="student.read")
    data = _posted(SessionForm, request, "")
    ids = [int(v) for v in request.POST.getlist("classes") if v.isdigit()]
    classes = list(selectors.classes_visible(actor=request.user, unit=unit).filter(id__in=ids))
    if len(classes) != len(set(ids)):
        raise NotFound("Không tìm thấy lớp.")
    services.conduct_session_record(actor=request.user, unit=unit, classes=classes, **data)
    messages.success(request, f"Đã ghi buổi tuyên truyền Quy tắc ứng xử cho {len(classes)} lớp.")
    return redirect("students:classes")


@login_required
@require_POST
@requires("student.manage")
def school_promote(request, code: str):
    unit = org_selectors.get_unit(actor=request.user, code=code, capability="student.read")
    years = {str(y.id): y for y in selectors.school_years()}
    from_year, to_year = years.get(request.POST.get("from_year", "")), years.get(request.POST.get("to_year", ""))
    if from_year is None or to_year is None:
        raise DomainError("Chọn năm học cũ và năm học mới.", field="to_year")
    result = services.school_promote(actor=request.user, unit=unit, from_year=from_year, to_year=to_year)
    messages.success(request, f"Đã lên lớp: {result['promoted']} học sinh lên lớp, {result['repeated']} ở lại, "
                              f"{result['graduated']} tốt nghiệp.")
    return redirect(f"{reverse('students:classes')}?nam_hoc={to_year.id}")


# ---------------------------------------------------------------- school years, classes, homeroom teachers


@login_required
@require_http_methods(["GET", "POST"])
@requires("schoolyear.manage")
def school_years(request):
    form = SchoolYearForm(request.POST or None)
    if done := submit_form(request, form, lambda d: services.school_year_create(actor=request.user, **d),
                           success=lambda y: f"Đã thêm năm học {y.name}.", then=request.path):
        return done
    return render(request, "students/school_years.html", {"years": selectors.school_years(), "form": form,
                                                          "current": selectors.current_school_year()})


@login_required
@require_POST
@requires("student.manage")
def class_open(request, code: str):
    unit = org_selectors.get_unit(actor=request.user, code=code, capability="student.read")
    year = next((y for y in selectors.school_years() if str(y.id) == request.POST.get("school_year")), None)
    teachers = selectors.teachers_of(unit=unit)
    back = f"{reverse('students:classes')}?nam_hoc={year.id}" if year else reverse("students:classes")

    def open_class():
        if year is None:
            raise DomainError("Chọn năm học của lớp.", field="school_year")
        data = _posted(ClassForm, request, "lop", teachers=teachers)
        chosen = data.pop("homeroom_teacher")
        teacher = next((t for t in teachers if t.pk == chosen), None)
        services.class_create(actor=request.user, unit=unit, school_year=year, homeroom_teacher=teacher, **data)

    return submit_action(request, open_class, success="Đã mở lớp.", then=back)


@login_required
@require_POST
@requires("student.manage")
def class_teacher(request, class_id: int):
    school_class = selectors.get_class(actor=request.user, class_id=class_id)
    teachers = selectors.teachers_of(unit=school_class.unit)

    def name_teacher():
        chosen = _posted(TeacherForm, request, "gvcn", teachers=teachers)["teacher"]
        services.class_set_teacher(actor=request.user, school_class=school_class,
                                   teacher=next((t for t in teachers if t.pk == chosen), None))

    return submit_action(request, name_teacher, success="Đã cập nhật giáo viên chủ nhiệm.",
                         then=reverse("students:class", args=[school_class.id]))
