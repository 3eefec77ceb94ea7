"""Pages of the contests app: the organiser's (contests, rounds, the bank, suspicious attempts,
awards) and the student's (rounds open to them, the attempt, the result, the certificate), and
the public verification page. Thin: parse, one selector or service, render; refusals propagate."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from cyberyouth.errors import DomainError, NotFound, ScopeError
from cyberyouth.lib.pages import form_error, parse_int, submit_action, submit_form
from cyberyouth.lib.xlsx import xlsx_response
from cyberyouth.lib.client import MissLimit
from cyberyouth.orgs import selectors as org_selectors
from cyberyouth.orgs.decorators import requires
from cyberyouth.orgs.models import Unit

from . import answer_path, bankfile, documents, selectors, services
from .forms import ContestForm, ImportForm, QuestionForm, ReviewForm, RoundForm, SubmitForm, TargetForm
from .models import Certificate, Round, Tag

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _site(request) -> str:
    return f"{request.scheme}://{request.get_host()}"


# ---------------------------------------------------------------- organisers


@login_required
@require_http_methods(["GET", "POST"])
@requires("contest.read")
def index(request):
    contests = list(selectors.contests_visible(actor=request.user).order_by("-created_at")[:200])
    manage_units = list(Unit.objects.filter(id__in=org_selectors.unit_ids(
        actor=request.user, capability="contest.manage", history=False)).order_by("name")[:300])
    own = org_selectors.own_unit_ids(actor=request.user, capability="contest.manage")
    organiser = next((u for u in manage_units if u.id in own), manage_units[0] if manage_units else None)
    audience_units = [u for u in manage_units if u.is_school or u.id in own] if manage_units else []
    form = ContestForm(request.POST or None, units=audience_units)
    if organiser is not None:
        done = submit_form(request, form, lambda d: services.contest_create(
            actor=request.user, unit=organiser, title=d["title"], description=d["description"],
            audience=list(Unit.objects.filter(code__in=d["audience"])), grades=d["grades"], prizes=d["prizes"]),
            success="Đã tạo cuộc thi.", then=lambda c: reverse("contests:contest", args=[c.id]))
        if done:
            return done
    return render(request, "contests/index.html", {
        "contests": contests, "form": form if organiser else None, "organiser": organiser,
        "bank_units": selectors.bank_units(actor=request.user)})


@login_required
@require_http_methods(["GET", "POST"])
@requires("contest.read")
def contest_detail(request, contest_id: int):
    contest = selectors.get_contest(actor=request.user, contest_id=contest_id)
    manage = selectors.may_manage(actor=request.user, contest=contest)
    tags = Tag.objects.filter(unit=contest.unit).order_by("name")
    round_form = RoundForm(request.POST if request.POST.get("form") == "round" else None, tags=tags,
                           prefix="round")
    target_units = list(Unit.objects.filter(id__in=selectors.audience_ids(contest)).order_by("name")[:400])
    target_form = TargetForm(request.POST if request.POST.get("form") == "target" else None, units=target_units,
                             prefix="target")
    if request.method == "POST":
        if not manage:
            raise ScopeError("Chỉ đơn vị tổ chức cuộc thi làm được việc này.")
        if request.POST.get("form") == "round":
            done = submit_form(request, round_form, lambda d: services.round_create(
                actor=request.user, contest=contest, title=d["title"], topic=d["topic"], opens_at=d["opens_at"],
                closes_at=d["closes_at"], time_limit_seconds=d["time_limit_minutes"] * 60,
                attempts_allowed=d["attempts_allowed"],
                pools=[(Tag.objects.filter(unit=contest.unit, id=d["tag"]).first() if d["tag"] else None,
                        d["difficulty"], d["count"])]),
                success="Đã thêm vòng thi.", then=lambda r: reverse("contests:round", args=[r.id]))
        else:
            done = submit_form(request, target_form, lambda d: services.target_set(
                actor=request.user, contest=contest, unit=Unit.objects.get(code=d["unit"]),
                participants=d["participants"]), success="Đã lưu chỉ tiêu.",
                then=reverse("contests:contest", args=[contest.id]))
        if done:
            return done
    code = request.GET.get("don_vi") or ""
    readable = org_selectors.unit_ids(actor=request.user, capability="contest.read")
    if code:
        unit = org_selectors.get_unit(actor=request.user, code=code, capability="contest.read")
    else:
        unit = contest.unit if contest.unit_id in readable else next(
            (u for u in Unit.objects.filter(id__in=org_selectors.own_unit_ids(actor=request.user,
                                                                            capability="contest.read"))), None)
    breakdown = selectors.unit_breakdown(actor=request.user, contest=contest, unit=unit) if unit else None
    classes = selectors.class_breakdown(contest=contest, unit=unit) if unit and unit.is_school else []
    for rnd in contest.rounds.all():
        selectors.ensure_ranked(rnd)
    return render(request, "contests/contest.html", {
        "contest": contest, "rounds": contest.rounds.order_by("number"), "manage": manage, "unit": unit,
        "breakdown": breakdown, "classes": classes, "overall": selectors.overall(contest=contest, limit=20),
        "round_form": round_form, "target_form": target_form,
        "audience": contest.audience.order_by("name"), "targets": contest.targets.select_related("unit")})


@login_required
@requires("contest.read")
def round_detail(request, round_id: int):
    rnd = selectors.ensure_ranked(selectors.get_round(actor=request.user, round_id=round_id))
    manage = selectors.may_manage(actor=request.user, contest=rnd.contest)
    page = parse_int(request.GET.get("trang"), 1, lo=1, hi=100_000, name="trang")
    own_scope = None if manage else org_selectors.unit_ids(actor=request.user, capability="contest.read")
    board = selectors.leaderboard(rnd=rnd, offset=(page - 1) * 50, limit=50, unit_ids=own_scope)
    # The suspicious list reads every attempt of the round: only when the organiser asks for it.
    review_list = manage and request.GET.get("xem") == "nghi-van"
    return render(request, "contests/round.html", {
        "round": rnd, "contest": rnd.contest, "manage": manage, "board": board, "page": page,
        "participants": selectors.participants(rnd=rnd), "review_list": review_list,
        "suspicious": selectors.suspicious(rnd=rnd) if review_list else [],
        "awards": selectors.awards(rnd=rnd) if manage else [], "review_form": ReviewForm(),
        "pools": rnd.pools.select_related("tag")})


@login_required
@require_POST
@requires("contest.manage")
def review(request, attempt_id: int):
    from .models import Attempt

    attempt = Attempt.objects.filter(pk=attempt_id).select_related("round__contest").first()
    if attempt is None or not selectors.contests_visible(actor=request.user).filter(pk=attempt.round.contest_id):
        raise NotFound("Không tìm thấy lượt thi.")
    form = ReviewForm(request.POST)
    then = reverse("contests:round", args=[attempt.round_id])
    if not form.is_valid():
        messages.error(request, "Chọn quyết định.")
        return redirect(then)
    return submit_action(request, lambda: services.attempt_review(
        actor=request.user, attempt=attempt, decision=form.cleaned_data["decision"], note=form.cleaned_data["note"]),
        success="Đã ghi quyết định.", then=then)


@login_required
@requires("contest.manage")
def award_document(request, round_id: int, kind: str):
    rnd = selectors.ensure_ranked(selectors.get_round(actor=request.user, round_id=round_id))
    selectors.require_manage(actor=request.user, contest=rnd.contest)
    selectors.raise_if_not_published(rnd)
    make = {"danh-sach": documents.award_list_docx, "quyet-dinh": documents.award_decision_docx}.get(kind)
    if make is None:
        raise NotFound("Không có văn bản này.")
    response = HttpResponse(make(rnd=rnd), content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="{kind}-vong-{rnd.number}.docx"'
    return response


# ---------------------------------------------------------------- the bank


@login_required
@require_http_methods(["GET", "POST"])
@requires("contest.read")
def bank(request, code: str):
    unit = selectors.bank_unit(actor=request.user, code=code)
    manage = org_selectors.can(actor=request.user, capability="contest.manage", unit=unit)
    form = QuestionForm(request.POST if request.POST.get("form") == "question" else None, prefix="q")
    import_form = ImportForm(request.POST if request.POST.get("form") == "import" else None, request.FILES or None)
    faults = []
    if request.method == "POST":
        if not manage:
            raise ScopeError("Bạn không có quyền sửa ngân hàng câu hỏi của đơn vị này.")
        if request.POST.get("form") == "import" and import_form.is_valid():
            upload = import_form.cleaned_data["file"]
            try:
                versions = services.bank_import(actor=request.user, unit=unit, data=upload.read(), name=upload.name)
            except bankfile.BankFileErrors as exc:
                faults = exc.faults
                form_error(import_form, exc)
            except (ScopeError, NotFound):
                raise
            except DomainError as exc:
                form_error(import_form, exc)
            else:
                messages.success(request, f"Đã nhập {len(versions)} câu hỏi; mỗi câu chờ một người khác duyệt.")
                return redirect("contests:bank", code=unit.code)
        elif request.POST.get("form") == "question":
            done = submit_form(request, form, lambda d: services.question_create(
                actor=request.user, unit=unit, **form.values()),
                success="Đã thêm câu hỏi; câu hỏi chờ một người khác duyệt.",
                then=reverse("contests:bank", args=[unit.code]))
            if done:
                return done
    state = request.GET.get("loc") if request.GET.get("loc") in ("pending", "live") else ""
    rows = selectors.questions(unit=unit, state=state, text=(request.GET.get("q") or "")[:100])
    return render(request, "contests/bank.html", {
        "unit": unit, "rows": rows, "manage": manage, "form": form, "import_form": import_form, "faults": faults,
        "state": state, "q": request.GET.get("q", "")[:100], "tags": Tag.objects.filter(unit=unit)})


@login_required
@requires("contest.read")
def bank_export(request, code: str, fmt: str):
    unit = selectors.bank_unit(actor=request.user, code=code)
    if fmt == "mau":
        return xlsx_response(bankfile.write_xlsx([]), "mau-cau-hoi.xlsx")
    questions = selectors.export_questions(unit=unit)
    if fmt == "xlsx":
        return xlsx_response(bankfile.write_xlsx(questions), f"cau-hoi-{unit.code}.xlsx")
    if fmt == "xml":
        response = HttpResponse(bankfile.write_moodle_xml(questions), content_type="application/xml; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="cau-hoi-{unit.code}.xml"'
        return response
    if fmt == "gift":
        response = HttpResponse(bankfile.write_gift(questions), content_type="text/plain; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="cau-hoi-{unit.code}.gift.txt"'
        return response
    raise NotFound("Không có định dạng này.")


@login_required
@require_http_methods(["GET", "POST"])
@requires("contest.read")
def question_detail(request, question_id: int):
    question = selectors.get_question(actor=request.user, question_id=question_id)
    manage = org_selectors.can(actor=request.user, capability="contest.manage", unit=question.unit)
    versions = list(question.versions.order_by("-number").prefetch_related("tags").select_related(
        "created_by", "approved_by"))
    form = QuestionForm(request.POST or None, prefix="q", initial=QuestionForm.initial_from(versions[0]))
    if request.method == "POST":
        if not manage:
            raise ScopeError("Bạn không có quyền sửa câu hỏi này.")
        done = submit_form(request, form, lambda d: services.question_edit(
            actor=request.user, question=question, **form.values()),
            success="Đã lưu; phiên bản mới chờ một người khác duyệt.",
            then=reverse("contests:question", args=[question.id]))
        if done:
            return done
    return render(request, "contests/question.html", {"question": question, "versions": versions, "form": form,
                                                      "manage": manage})


@login_required
@require_POST
@requires("contest.manage")
def approve(request, version_id: int):
    version = selectors.get_version(actor=request.user, version_id=version_id)
    return submit_action(request, lambda: services.question_approve(actor=request.user, version=version),
                         success="Đã duyệt: câu hỏi được đưa vào đề từ bây giờ.",
                         then=reverse("contests:question", args=[version.question_id]))


# ---------------------------------------------------------------- students


def _student(request):
    from cyberyouth.students.models import Student

    student = Student.objects.filter(user_id=request.user.pk).select_related("unit").first()
    if student is None:
        raise ScopeError("Trang này dành cho học sinh.")
    return student


@login_required
@requires("student.participate")
def mine(request):
    student = _student(request)
    return render(request, "contests/mine.html", {"student": student,
                                                  "rows": selectors.student_rounds(student=student)})


@login_required
@require_POST
@requires("student.participate")
def start(request, round_id: int):
    rnd = Round.objects.filter(pk=round_id).select_related("contest").first()
    if rnd is None:
        raise NotFound("Không tìm thấy vòng thi.")
    try:
        attempt = services.attempt_start(actor=request.user, rnd=rnd)
    except (ScopeError, NotFound):
        raise
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("contests:mine")
    return redirect("contests:attempt", attempt_id=attempt.id)


@login_required
@requires("student.participate")
def attempt_page(request, attempt_id: int):
    attempt = selectors.own_attempt(actor=request.user, attempt_id=attempt_id)
    if attempt.state == "progress" and attempt.deadline <= selectors.now():
        attempt = services.attempt_expire(attempt=attempt)
    if attempt.state != "progress":
        return redirect("contests:result", round_id=attempt.round_id)
    return render(request, "contests/attempt.html", {"attempt": attempt, "round": attempt.round,
                                                     **selectors.attempt_view(attempt), "submit_form": SubmitForm(),
                                                     "answer_token": answer_path.token_for(attempt, request.session.session_key)})


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@login_required
@require_POST
@requires("student.participate")
def answer(request, attempt_id: int):
    slot = parse_int(request.POST.get("slot"), -1, lo=0, hi=1000, name="câu")
    choice = [int(v) for v in request.POST.getlist("choice") if v.isdigit() and len(v) < 4]
    try:
        saved = services.answer_save(actor=request.user, attempt_id=attempt_id, slot=slot, choice=choice)
    except DomainError as exc:
        if _wants_json(request):
            return JsonResponse({"detail": [exc.as_dict()]}, status=exc.status_code)
        if isinstance(exc, (ScopeError, NotFound)):
            raise
        messages.error(request, exc.message)
        return redirect(reverse("contests:attempt", args=[attempt_id]) + f"#cau-{slot + 1}")
    if _wants_json(request):
        return JsonResponse({"slot": saved["slot"], "choice": saved["choice"], "changed": saved["changed"]})
    messages.success(request, f"Đã lưu câu {slot + 1}.")
    return redirect(reverse("contests:attempt", args=[attempt_id]) + f"#cau-{slot + 2}")


@login_required
@require_POST
@requires("student.participate")
def submit(request, attempt_id: int):
    form = SubmitForm(request.POST)
    prediction = form.cleaned_data["prediction"] if form.is_valid() else None
    try:
        attempt = services.attempt_submit(actor=request.user, attempt_id=attempt_id, prediction=prediction)
    except (ScopeError, NotFound):
        raise
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(reverse("contests:attempt", args=[attempt_id]) + "#nop-bai")
    if attempt.state == "expired":
        messages.info(request, "Đã hết giờ: bài của em được nộp với các câu đã lưu trước khi hết giờ.")
    else:
        messages.success(request, "Em đã nộp bài. Kết quả xếp hạng được công bố khi vòng thi đóng.")
    return redirect("contests:result", round_id=attempt.round_id)


@login_required
@requires("student.participate")
def result(request, round_id: int):
    student = _student(request)
    rnd = Round.objects.filter(pk=round_id).select_related("contest").first()
    if rnd is None or not selectors.eligible(student=student, contest=rnd.contest):
        raise NotFound("Không tìm thấy vòng thi.")
    rnd = selectors.ensure_ranked(rnd)
    from .models import Attempt

    attempts = list(Attempt.objects.filter(round=rnd, student=student).order_by("number"))
    last = next((a for a in reversed(attempts) if a.state != "progress"), None)
    return render(request, "contests/result.html", {
        "round": rnd, "contest": rnd.contest, "attempts": attempts, "student": student,
        "review": selectors.attempt_view(last) if last else None, "last": last,
        "own": selectors.own_result(rnd=rnd, student=student), "board": selectors.leaderboard(rnd=rnd, limit=10),
        "left": max(0, rnd.attempts_allowed - len(attempts)), "open": rnd.opens_at <= selectors.now() < rnd.closes_at,
        "certificate": Certificate.objects.filter(round=rnd, student=student).first()})


@login_required
@requires("student.participate")
def certificate(request, round_id: int):
    rnd = Round.objects.filter(pk=round_id).select_related("contest").first()
    if rnd is None:
        raise NotFound("Không tìm thấy vòng thi.")
    cert = services.certificate_issue(actor=request.user, rnd=selectors.ensure_ranked(rnd), site=_site(request))
    return FileResponse(cert.pdf.open("rb"), as_attachment=True, filename=f"giay-chung-nhan-{cert.code}.pdf",
                        content_type="application/pdf")


# A code is 10 letters of 26 (≈ 47 bits); a guessing run still meets a brake.
VERIFY_MISSES = MissLimit("contest-certificate", per_hour=30)


def verify(request, code: str):
    """Public: what a certificate certifies (the name only with consent), and its file's hash."""
    if VERIFY_MISSES.exceeded(request):
        return render(request, "contests/verify.html", {"cert": None, "code": code[:16], "limited": True}, status=429)
    cert = Certificate.objects.filter(code=code.upper()[:16]).select_related(
        "round__contest__unit", "student__unit").first()
    if cert is None:
        VERIFY_MISSES.miss(request)
        return render(request, "contests/verify.html", {"cert": None, "code": code[:16]}, status=404)
    from cyberyouth.students.selectors import has_consent

    named = cert.named and has_consent(student=cert.student, purpose="public_name") \
        and cert.student.deidentified_at is None
    return render(request, "contests/verify.html", {
        "cert": cert, "name": cert.student.full_name if named else "", "school": cert.student.unit.name})
