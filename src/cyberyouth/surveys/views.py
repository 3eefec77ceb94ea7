"""The surveys' pages: the builder and results for staff; answering for students (their account,
phone first) and for holders of a one-time code (no account)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from cyberyouth.errors import DomainError, NotFound, ScopeError
from cyberyouth.lib.pages import form_error, parse_int, submit_action, submit_form
from cyberyouth.lib.xlsx import table_workbook, xlsx_response
from cyberyouth.orgs.decorators import requires
from cyberyouth.orgs.models import Unit
from cyberyouth.students.models import SchoolClass, Student

from . import charts, forms, selectors, services
from .models import Question, QuestionKind, SurveyState

RESULTS = "survey.results"
MANAGE = "survey.manage"


# ---------------------------------------------------------------- staff


@login_required
@requires(RESULTS)
def survey_list(request):
    surveys = list(selectors.surveys_visible(actor=request.user)[:200])
    managed = selectors.org_selectors.unit_ids(actor=request.user, capability=MANAGE, history=False)
    for survey in surveys:
        survey.manageable = survey.owner_unit_id in managed
    can_create = bool(managed)
    return render(request, "surveys/list.html", {"surveys": surveys, "can_create": can_create,
                                                 "today": timezone.localdate()})


@login_required
@requires(MANAGE)
@require_http_methods(["GET", "POST"])
def survey_create(request):
    units = selectors.units_to_organise(actor=request.user)
    today = timezone.localdate()
    form = forms.SurveyForm(request.POST or None, units=units, templates=services.templates(),
                            initial={"opens_on": today, "closes_on": today + timezone.timedelta(days=14),
                                     "template": "wellbeing-online-safety"})
    done = submit_form(request, form, lambda d: services.survey_create(actor=request.user, **d),
                       success="Đã tạo khảo sát (bản nháp). Xem lại câu hỏi, chọn đối tượng rồi phát hành.",
                       then=lambda s: reverse("surveys:edit", args=[s.pk]))
    return done or render(request, "surveys/create.html", {"form": form}, status=400 if request.method == "POST" else 200)


def _builder_context(request, survey, **forms_given):
    school_ids = selectors.audience_school_ids(survey) if survey.audience_units.exists() else None
    allowed = Unit.objects.filter(id__in=selectors.org_selectors.subtree_ids(unit_ids={survey.owner_unit_id},
                                                                            history=False), classes__isnull=False
                                  ).distinct().order_by("code")
    classes = SchoolClass.objects.filter(unit__in=allowed).select_related("unit").order_by("unit__code", "grade",
                                                                                               "name")
    if school_ids is not None:
        classes = classes.filter(unit_id__in=school_ids)
    year = selectors.school_year_on(selectors.audience_day(survey))
    classes = classes.filter(school_year=year) if year else classes.none()
    ctx = {
        "survey": survey,
        "sections": survey.sections.prefetch_related("questions").all(),
        "draft": survey.state == SurveyState.DRAFT,
        "edit_form": forms_given.get("edit_form") or forms.SurveyEditForm(initial={
            "title": survey.title, "intro": survey.intro, "opens_on": survey.opens_on, "closes_on": survey.closes_on,
            "allow_links": survey.allow_links}),
        "audience_form": forms_given.get("audience_form") or forms.AudienceForm(
            units=allowed, classes=classes, initial={"units": survey.audience_units.all(),
                                                     "grades": [str(g) for g in survey.audience_grades],
                                                     "classes": survey.audience_classes.all()}),
        "section_form": forms_given.get("section_form") or forms.SectionForm(),
        "question_form": forms_given.get("question_form") or forms.QuestionForm(survey=survey),
        "audience_classes": selectors.audience_classes(survey).count(),
        "audience_students": sum(selectors.audience_by_unit(survey).values()),
    }
    return ctx


@login_required
@requires(MANAGE)
@require_http_methods(["GET", "POST"])
def survey_edit(request, survey_id: int):
    survey = selectors.get_survey_to_manage(actor=request.user, survey_id=survey_id)
    here = reverse("surveys:edit", args=[survey.pk])
    part = request.POST.get("part") if request.method == "POST" else None
    given = {}
    if part == "details":
        form = forms.SurveyEditForm(request.POST)
        done = submit_form(request, form, lambda d: services.survey_update(actor=request.user, survey=survey, **d),
                           success="Đã lưu.", then=here)
        if done:
            return done
        given["edit_form"] = form
    elif part == "audience":
        ctx = _builder_context(request, survey)
        form = forms.AudienceForm(request.POST, units=ctx["audience_form"].fields["units"].queryset,
                                  classes=SchoolClass.objects.filter(unit__in=ctx["audience_form"].fields["units"]
                                                                     .queryset))
        done = submit_form(request, form, lambda d: services.audience_set(
            actor=request.user, survey=survey, units=d["units"], grades=[int(g) for g in d["grades"]],
            classes=d["classes"]), success="Đã lưu đối tượng khảo sát.", then=here)
        if done:
            return done
        given["audience_form"] = form
    elif part == "section":
        form = forms.SectionForm(request.POST)
        done = submit_form(request, form, lambda d: services.section_add(actor=request.user, survey=survey, **d),
                           success="Đã thêm phần.", then=here)
        if done:
            return done
        given["section_form"] = form
    elif part == "question":
        form = forms.QuestionForm(request.POST, survey=survey)
        done = submit_form(request, form, lambda d: services.question_add(
            actor=request.user, survey=survey, section=d["section"], kind=d["kind"], text=d["text"],
            help_text=d["help_text"], options=d["options"].splitlines(), required=d["required"],
            scale_low=d["scale_low"], scale_high=d["scale_high"], show_if_question=d["show_if_question"],
            show_if_values=d["show_if_values"]), success="Đã thêm câu hỏi.", then=here)
        if done:
            return done
        given["question_form"] = form
    elif part is not None:
        raise DomainError("Yêu cầu không hợp lệ.")
    status = 400 if request.method == "POST" else 200
    return render(request, "surveys/edit.html", _builder_context(request, survey, **given), status=status)


@login_required
@requires(MANAGE)
@require_POST
def question_remove(request, survey_id: int, question_id: int):
    survey = selectors.get_survey_to_manage(actor=request.user, survey_id=survey_id)
    question = Question.objects.filter(survey=survey, pk=question_id).first()
    if question is None:
        raise NotFound("Không tìm thấy câu hỏi.")
    return submit_action(request, lambda: services.question_remove(actor=request.user, question=question),
                         success="Đã xóa câu hỏi.", then=reverse("surveys:edit", args=[survey.pk]))


@login_required
@requires(MANAGE)
@require_POST
def survey_launch(request, survey_id: int):
    survey = selectors.get_survey_to_manage(actor=request.user, survey_id=survey_id)
    return submit_action(request, lambda: services.survey_launch(actor=request.user, survey=survey),
                         success="Đã phát hành khảo sát: học sinh thuộc đối tượng thấy khảo sát trên trang của em.",
                         then=reverse("surveys:edit", args=[survey.pk]))


@login_required
@requires(MANAGE)
@require_POST
def survey_close(request, survey_id: int):
    survey = selectors.get_survey_to_manage(actor=request.user, survey_id=survey_id)
    return submit_action(request, lambda: services.survey_close(actor=request.user, survey=survey),
                         success="Đã đóng khảo sát.", then=reverse("surveys:results", args=[survey.pk]))


@never_cache
@login_required
@requires(MANAGE)
@require_http_methods(["GET", "POST"])
def survey_links(request, survey_id: int):
    survey = selectors.get_survey_to_manage(actor=request.user, survey_id=survey_id)
    classes = selectors.audience_classes(survey).select_related("unit").order_by("unit__code", "grade", "name")
    form = forms.LinksForm(request.POST or None, classes=classes)
    codes, status = [], 200
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.links_issue(actor=request.user, survey=survey, **form.cleaned_data)
        except (ScopeError, NotFound):
            raise
        except DomainError as error:
            form_error(form, error)
    if request.method == "POST" and not codes:
        status = 400
    address = request.build_absolute_uri(reverse("surveys:by_code"))
    return render(request, "surveys/links.html", {"survey": survey, "form": form, "codes": codes,
                                                  "address": address}, status=status)


def _node(request, survey):
    unit_id = parse_int(request.GET.get("don_vi"), name="đơn vị")
    grade = parse_int(request.GET.get("khoi"), lo=0, hi=12, name="khối")
    if unit_id is None:
        return selectors.ROOT
    return selectors.Node(unit_id, -1 if grade is None else grade, -1)


@login_required
@requires(RESULTS)
def survey_results(request, survey_id: int):
    survey = selectors.get_survey(actor=request.user, survey_id=survey_id)
    result = selectors.results(actor=request.user, survey=survey, node=_node(request, survey))
    for qr in result.questions:
        qr.chart = mark_safe(charts.bars_svg(qr.cells or qr.sentiments, title=qr.question.text))  # noqa: S308
        qr.breakdown_html = _breakdown_html(qr) if len(qr.breakdown) > 1 else ""
    return render(request, "surveys/results.html", {"r": result, "survey": survey,
                                                    "may_manage": selectors.may_manage(actor=request.user,
                                                                                       survey=survey),
                                                    "query": request.GET.urlencode()})


def _breakdown_html(qr) -> str:
    """A question's answers by sub-group as table rows (50 schools × 6 answers: built here, not
    in template loops, which cost more than the figures)."""
    head = "".join(f"<th>{escape(c.label)}</th>" for c in qr.cells)
    rows = "".join(f"<tr><td>{escape(label)}</td>" + "".join(f'<td class="num figure">{escape(str(c.figure))}</td>'
                                                          for c in cells) + "</tr>" for label, cells in qr.breakdown)
    return mark_safe(f"<thead><tr><th>Nhóm</th>{head}</tr></thead><tbody>{rows}</tbody>")  # noqa: S308 - escaped


@login_required
@requires(RESULTS)
def survey_export(request, survey_id: int):
    survey = selectors.get_survey(actor=request.user, survey_id=survey_id)
    result = selectors.results(actor=request.user, survey=survey, node=_node(request, survey))
    data = table_workbook(title="Kết quả", heading=f"Kết quả khảo sát: {survey.title}",
                          columns=[("Câu hỏi", 60), ("Câu trả lời", 40), ("Số em", 10), ("Tỉ lệ", 10)],
                          rows=selectors.export_rows(result),
                          filters=[("Nhóm", result.title), ("Quy tắc", "Nhóm dưới 5 em hiện “< 5”; chỉ số liệu "
                                                                     "tổng hợp, không có phiếu trả lời nào")])
    return xlsx_response(data, f"ket-qua-khao-sat-{survey.pk}.xlsx")


# ---------------------------------------------------------------- students and code holders


def _student(request) -> Student:
    student = Student.objects.filter(user_id=request.user.pk).first()
    if student is None:
        raise ScopeError("Trang này dành cho học sinh.")
    return student


def _raw_answers(request, questions) -> dict:
    raw = {}
    for q in questions:
        key = f"q{q.pk}"
        raw[str(q.pk)] = request.POST.getlist(key) if q.kind == QuestionKind.MULTIPLE else request.POST.get(key, "")
    return raw


def _answer_page(request, survey, questions, *, submit, template_base: str, extra: dict):
    error, raw = None, {}
    if request.method == "POST":
        raw = _raw_answers(request, questions)
        try:
            submit(raw)
        except (ScopeError, NotFound):
            raise
        except DomainError as e:
            error = e
        else:
            return render(request, "surveys/thanks.html", {"survey": survey, "base": template_base, **extra})
    return render(request, "surveys/answer.html", {
        "survey": survey, "sections": _sections(questions, raw), "error": error, "base": template_base, **extra,
    }, status=400 if error else 200)


def _sections(questions, raw):
    """The form's questions by section, with what was chosen. A "show if" question whose condition
    the answers so far do not meet starts hidden (answer.js shows it when they do; without
    JavaScript every question shows): it must not flash up while the page loads."""
    def chosen(q_id) -> set[str]:
        given = raw.get(str(q_id))
        return {str(v) for v in given} if isinstance(given, list) else {str(given)} if given else set()

    out, current = [], None
    for q in questions:
        if current is None or current["section"].pk != q.section_id:
            current = {"section": q.section, "questions": []}
            out.append(current)
        given = raw.get(str(q.pk))
        wanted = {str(v) for v in q.show_if_values}
        current["questions"].append({"q": q, "field": f"q{q.pk}", "chosen": chosen(q.pk),
                                     "text": given if isinstance(given, str) else "", "values": q.value_labels(),
                                     "show_if": ",".join(sorted(wanted)),
                                     "hidden": bool(q.show_if_question_id) and not chosen(q.show_if_question_id) & wanted})
    return out


@never_cache
@login_required
@requires("student.participate")
@require_http_methods(["GET", "POST"])
def survey_answer(request, survey_id: int):
    _student(request)
    survey = selectors.get_survey_to_answer(actor=request.user, survey_id=survey_id)
    if selectors.has_answered(survey=survey, actor=request.user):
        return render(request, "surveys/thanks.html", {"survey": survey, "base": "students/student_base.html",
                                                      "already": True})
    if not survey.is_open_on(timezone.localdate()):
        return render(request, "surveys/closed.html", {"survey": survey, "base": "students/student_base.html"})
    return _answer_page(request, survey, selectors.questions_of(survey),
                        submit=lambda raw: services.answer_submit(survey=survey, answers=raw, actor=request.user),
                        template_base="students/student_base.html", extra={})


@never_cache
@require_http_methods(["GET", "POST"])
def by_code(request):
    """A one-time code's page (no account): enter the code, then answer."""
    form = forms.CodeForm(request.POST if request.method == "POST" and "code" in request.POST and
                          "answering" not in request.POST else None)
    code = request.POST.get("code", "") if request.method == "POST" else ""
    if code:
        link = selectors.open_link(code=code)
        if link is None:
            if form.is_bound:
                form.is_valid()
                form.add_error("code", "Mã không đúng hoặc đã được dùng.")
            return render(request, "surveys/code.html", {"form": form}, status=400)
        survey = link.survey
        if not survey.is_open_on(timezone.localdate()):
            return render(request, "surveys/closed.html", {"survey": survey, "base": "students/student_base.html"})
        if "answering" not in request.POST:
            request.method = "GET"  # show the sheet for the code just entered
        return _answer_page(request, survey, selectors.questions_of(survey),
                            submit=lambda raw: services.answer_submit(survey=survey, answers=raw, code=code),
                            template_base="students/student_base.html", extra={"code": code})
    return render(request, "surveys/code.html", {"form": form})


def student_tiles(request, student):
    """The student's home: a tile per open survey that asks them."""
    from cyberyouth.students.registry import Tile

    tiles = []
    for survey, answered in selectors.open_for_student(actor=request.user):
        tiles.append(Tile(title=survey.title, url=reverse("surveys:answer", args=[survey.pk]),
                          text="Em đã trả lời. Cảm ơn em!" if answered else
                          f"Khảo sát ẩn danh, mở đến {survey.closes_on:%d/%m}.", icon="☑" if answered else "☐",
                          done=answered))
    return tiles
