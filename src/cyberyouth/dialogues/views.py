"""Pages of dialogues: the staff's list, plan, moderation, host board, minutes and compliance
dashboard; the student's list and question page. Thin: parse, one selector or service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from cyberyouth.errors import DomainError, NotFound
from cyberyouth.lib.pages import form_error, parse_year, submit_action, submit_form
from cyberyouth.orgs import selectors as org_selectors
from cyberyouth.orgs.decorators import requires
from cyberyouth.orgs.models import User
from cyberyouth.students import selectors as student_selectors

from . import documents, selectors, services
from .forms import CommitmentForm, DialogueForm, DoneForm, MarkForm, MinutesForm, QuestionForm, ReviewForm, parse_leaders
from .models import Answer, Status

STAFF = "dialogue.read|dialogue.manage"


def _year(request) -> int:
    return parse_year(request.GET.get("nam"), org_selectors.today().year)


@login_required
@requires(STAFF)
def list_page(request):
    year = _year(request)
    rows = selectors.dialogues(actor=request.user, year=year)
    return render(request, "dialogues/list.html", {
        "year": year, "rows": rows, "may_plan": selectors.manageable_schools(actor=request.user).exists()})


def _plan_form(request, *, unit=None, dialogue=None):
    units = list(selectors.manageable_schools(actor=request.user))
    if dialogue is not None:
        units = [dialogue.unit]
    code = request.POST.get("unit") or request.GET.get("truong")
    unit = unit or next((u for u in units if u.code == code), None) or (units[0] if units else None)
    if unit is None:
        raise NotFound("Không có trường nào bạn được lập kế hoạch đối thoại.")
    year = student_selectors.current_school_year()
    classes = student_selectors.classes_visible(actor=request.user, unit=unit, school_year=year) if year else []
    staff = list(selectors.leader_candidates(unit=unit))
    initial = {"unit": unit.code, "held_on": org_selectors.today(), "anonymous_allowed": True}
    if dialogue is not None:
        initial.update(title=dialogue.title, held_on=dialogue.held_on, starts_at=dialogue.starts_at, mode=dialogue.mode,
                       place=dialogue.place, meeting_url=dialogue.meeting_url, description=dialogue.description,
                       anonymous_allowed=dialogue.anonymous_allowed,
                       classes=[str(c.id) for c in dialogue.classes.all()],
                       leader_users=[str(x.user_id) for x in dialogue.leaders.all() if x.user_id],
                       leaders="\n".join(f"{x.name} — {x.position}" if x.position else x.name
                                         for x in dialogue.leaders.all() if not x.user_id))
    form = DialogueForm(request.POST or None, initial=initial, units=units, staff=staff, classes=classes)
    return form, unit, staff


def _plan_data(d: dict, staff) -> dict:
    by_id = {str(u.id): u for u in staff}
    leaders = [{"user": by_id[i], "name": by_id[i].full_name or by_id[i].username, "position": ""}
               for i in d["leader_users"] if i in by_id] + parse_leaders(d["leaders"])
    return {"title": d["title"], "held_on": d["held_on"], "starts_at": d["starts_at"], "mode": d["mode"],
            "place": d["place"], "meeting_url": d["meeting_url"], "class_ids": [int(i) for i in d["classes"]],
            "description": d["description"], "anonymous_allowed": d["anonymous_allowed"], "leaders": leaders}


@login_required
@require_http_methods(["GET", "POST"])
@requires("dialogue.manage")
def create_page(request):
    if not selectors.manageable_schools(actor=request.user).exists():
        return render(request, "dialogues/plan.html", {"form": None, "unit": None, "dialogue": None})
    form, unit, staff = _plan_form(request)

    def save(d):
        return services.dialogue_create(actor=request.user, unit=unit, **_plan_data(d, staff))

    if done := submit_form(request, form, save, success="Đã lập kế hoạch đối thoại. Học sinh có thể gửi câu hỏi.",
                           then=lambda d: reverse("dialogues:detail", args=[d.id])):
        return done
    return render(request, "dialogues/plan.html", {"form": form, "unit": unit, "dialogue": None})


@login_required
@require_http_methods(["GET", "POST"])
@requires("dialogue.manage")
def edit_page(request, dialogue_id: int):
    dialogue = selectors.get_dialogue(actor=request.user, dialogue_id=dialogue_id)
    selectors.require_manage(actor=request.user, dialogue=dialogue)
    form, unit, staff = _plan_form(request, unit=dialogue.unit, dialogue=dialogue)

    def save(d):
        return services.dialogue_update(actor=request.user, dialogue=dialogue, **_plan_data(d, staff))

    if done := submit_form(request, form, save, success="Đã cập nhật kế hoạch.",
                           then=reverse("dialogues:detail", args=[dialogue.id])):
        return done
    return render(request, "dialogues/plan.html", {"form": form, "unit": unit, "dialogue": dialogue})


@login_required
@requires(STAFF)
def detail_page(request, dialogue_id: int):
    dialogue = selectors.get_dialogue(actor=request.user, dialogue_id=dialogue_id)
    manage = selectors.may_manage(actor=request.user, dialogue=dialogue)
    staff = selectors.owner_candidates(unit=dialogue.unit) if manage else []
    return render(request, "dialogues/detail.html", {
        "dialogue": dialogue, "manage": manage, "questions": selectors.questions_for_staff(dialogue=dialogue),
        "leaders": dialogue.leaders.all(), "classes": dialogue.classes.all(),
        "commitments": selectors.commitments(dialogue=dialogue), "today": org_selectors.today(),
        "commit_form": CommitmentForm(staff=staff, initial={"due_on": org_selectors.today()}),
        "done_form": DoneForm(initial={"done_on": org_selectors.today()}), "review_form": ReviewForm(),
    })


@login_required
@require_POST
@requires("dialogue.manage")
def move(request, dialogue_id: int):
    dialogue = selectors.get_dialogue(actor=request.user, dialogue_id=dialogue_id)
    what = request.POST.get("move", "")
    labels = {"start": "Buổi đối thoại bắt đầu: màn hình điều hành đang cập nhật.",
              "reopen": "Buổi đối thoại trở lại nhận câu hỏi.", "cancel": "Đã hủy buổi đối thoại."}
    then = reverse("dialogues:host" if what == "start" else "dialogues:detail", args=[dialogue.id])
    return submit_action(request, lambda: services.dialogue_move(actor=request.user, dialogue=dialogue, move=what),
                         success=labels.get(what, ""), then=then)


@login_required
@require_POST
@requires("dialogue.manage")
def question_review(request, question_id):
    form = ReviewForm(request.POST)
    form.is_valid()
    approve = request.POST.get("decision") == "approve"
    back = request.POST.get("next") or ""
    question = selectors.get_question(actor=request.user, question_id=question_id)
    then = back if back.startswith("/doi-thoai/") else reverse("dialogues:detail", args=[question.dialogue_id])
    return submit_action(request, lambda: services.question_review(
        actor=request.user, question_id=question_id, approve=approve, reason=form.cleaned_data.get("reason", ""),
        text=form.cleaned_data.get("text") or None),
        success="Đã duyệt câu hỏi." if approve else "Câu hỏi không được đăng.", then=then)


@login_required
@require_POST
@requires("dialogue.manage")
def question_mark(request, question_id):
    form = MarkForm(request.POST)
    if not form.is_valid():
        raise DomainError("Chọn tình trạng trả lời.", field="answer")
    question = services.question_mark(actor=request.user, question_id=question_id, **form.cleaned_data)
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse(selectors.board_json(dialogue=question.dialogue))
    messages.success(request, "Đã ghi: " + question.get_answer_display().lower() + ".")
    back = request.POST.get("next") or ""
    return redirect(back if back.startswith("/doi-thoai/") else reverse("dialogues:host", args=[question.dialogue_id]))


@login_required
@requires("dialogue.manage")
def host_page(request, dialogue_id: int):
    dialogue = selectors.get_dialogue(actor=request.user, dialogue_id=dialogue_id)
    selectors.require_manage(actor=request.user, dialogue=dialogue)
    return render(request, "dialogues/host.html", {"dialogue": dialogue, "board": selectors.board(dialogue=dialogue),
                                                   "answers": Answer, "pending": selectors.pending_count(
                                                       dialogue=dialogue)})


@login_required
@requires("dialogue.manage")
def host_json(request, dialogue_id: int):
    dialogue = selectors.get_dialogue(actor=request.user, dialogue_id=dialogue_id)
    selectors.require_manage(actor=request.user, dialogue=dialogue)
    response = JsonResponse(selectors.board_json(dialogue=dialogue))
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
@requires("dialogue.manage")
def minutes_page(request, dialogue_id: int):
    dialogue = selectors.get_dialogue(actor=request.user, dialogue_id=dialogue_id)
    selectors.require_manage(actor=request.user, dialogue=dialogue)
    chair = next((f"{x.name}, {x.position}" if x.position else x.name for x in dialogue.leaders.all()), "")
    form = MinutesForm(request.POST or None, initial={
        "attendance": dialogue.attendance, "chair": dialogue.chair or chair, "secretary": dialogue.secretary,
        "summary": dialogue.summary})

    def save(d):
        return services.minutes_record(actor=request.user, dialogue=dialogue, **d)

    if done := submit_form(request, form, save, success="Đã lưu biên bản. Buổi đối thoại được tính vào năm.",
                           then=reverse("dialogues:detail", args=[dialogue.id])):
        return done
    return render(request, "dialogues/minutes.html", {"dialogue": dialogue, "form": form,
                                                      "board": selectors.board(dialogue=dialogue)})


@login_required
@requires(STAFF)
def minutes_docx(request, dialogue_id: int):
    dialogue = selectors.get_dialogue(actor=request.user, dialogue_id=dialogue_id)
    if dialogue.status != Status.HELD:
        raise DomainError("Biên bản có sau khi buổi đối thoại được ghi đã tổ chức.", code="bad_status")
    response = HttpResponse(documents.minutes_docx(dialogue),
                            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    response["Content-Disposition"] = f'attachment; filename="bien-ban-doi-thoai-{dialogue.id}.docx"'
    return response


@login_required
@require_POST
@requires("dialogue.manage")
def commitment_add(request, dialogue_id: int):
    dialogue = selectors.get_dialogue(actor=request.user, dialogue_id=dialogue_id)
    staff = selectors.owner_candidates(unit=dialogue.unit)
    form = CommitmentForm(request.POST, staff=staff)
    back = reverse("dialogues:detail", args=[dialogue.id]) + "#cam-ket"
    if not form.is_valid():
        messages.error(request, "Điền nội dung cam kết, người chịu trách nhiệm và hạn hoàn thành.")
        return redirect(back)
    d = form.cleaned_data
    owner = User.objects.filter(id=d["owner"]).first() if d["owner"] else None
    return submit_action(request, lambda: services.commitment_add(
        actor=request.user, dialogue=dialogue, text=d["text"], owner_name=d["owner_name"], owner=owner,
        due_on=d["due_on"]), success="Đã ghi cam kết.", then=back)


@login_required
@require_POST
@requires(STAFF)
def commitment_done(request, commitment_id: int):
    form = DoneForm(request.POST)
    if not form.is_valid():
        raise DomainError("Ngày hoàn thành không hợp lệ.", field="done_on")
    c = services.commitment_done(actor=request.user, commitment_id=commitment_id, **form.cleaned_data)
    messages.success(request, "Đã ghi cam kết hoàn thành.")
    return redirect(reverse("dialogues:detail", args=[c.dialogue_id]) + "#cam-ket")


@login_required
@requires(STAFF)
def compliance_page(request):
    year = _year(request)
    code = request.GET.get("don-vi")
    unit = org_selectors.get_unit(actor=request.user, code=code, capability=selectors.READ) if code else None
    ids = selectors.scope_ids(actor=request.user, year=year, unit=unit)
    rows = selectors.compliance_of(unit_ids=ids, year=year)
    return render(request, "dialogues/compliance.html", {
        "year": year, "unit": unit, "rows": rows, "summary": selectors.summarise(unit_ids=ids, year=year, rows=rows),
        "children": selectors.drill_down(actor=request.user, unit=unit, year=year) if unit else [],
        "roots": [u for u in org_selectors.home_units(actor=request.user) if not unit],
        "may_remind": org_selectors.can(actor=request.user, capability="dialogue.remind"),
    })


@login_required
@require_POST
@requires("dialogue.remind")
def remind(request):
    sent = services.remind_schools(actor=request.user)
    if sent:
        messages.success(request, f"Đã nhắc {len(sent)} trường chưa tổ chức đủ đối thoại trực tiếp và trực tuyến.")
    else:
        messages.info(request, "Không còn trường nào cần nhắc trong tháng này.")
    return redirect("dialogues:compliance")


# ---------------------------------------------------------------- the student's pages


@login_required
@requires("student.participate")
def student_list(request):
    student = selectors.student_of(request.user)
    return render(request, "dialogues/student_list.html", {
        "student": student, "rows": selectors.student_dialogues(student=student)})


@login_required
@require_http_methods(["GET", "POST"])
@requires("student.participate")
def student_dialogue(request, dialogue_id: int):
    student = selectors.student_of(request.user)
    dialogue = selectors.student_dialogue(student=student, dialogue_id=dialogue_id)
    consent = student_selectors.has_consent(student=student)
    form = QuestionForm(request.POST or None, initial={"anonymous": not consent})
    if request.method == "POST" and form.is_valid():
        try:
            services.question_ask(actor=request.user, dialogue_id=dialogue.id, **form.cleaned_data)
        except DomainError as error:
            if error.status_code != 400:
                raise
            form_error(form, error)
        else:
            messages.success(request, "Em đã gửi câu hỏi. Thầy cô sẽ duyệt trước khi câu hỏi hiện lên để các bạn "
                                      "bình chọn." + (" Câu hỏi ẩn danh: không ai biết em đã hỏi."
                                                      if form.cleaned_data["anonymous"] else ""))
            return redirect("dialogues:student_dialogue", dialogue_id=dialogue.id)
    rows, waiting = selectors.student_questions(student=student, dialogue=dialogue)
    return render(request, "dialogues/student_dialogue.html", {
        "student": student, "dialogue": dialogue, "rows": rows, "waiting": waiting, "form": form,
        "consent": consent})


@login_required
@require_POST
@requires("student.participate")
def student_vote(request, question_id):
    student = selectors.student_of(request.user)
    question = selectors.student_question(student=student, question_id=question_id)
    return submit_action(request, lambda: services.question_vote(actor=request.user, question_id=question_id),
                         success="Em đã bình chọn.",
                         then=reverse("dialogues:student_dialogue", args=[question.dialogue_id]) + "#cau-hoi")
