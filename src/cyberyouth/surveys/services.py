"""Every write of the surveys app: building a survey, launching and closing it, one-time codes,
and answering — which is written so that no one can learn who gave which answer (models.py)."""

import json
import secrets
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from cyberyouth.audit.services import audit_record, snapshot
from cyberyouth.errors import DomainError, ErrorCode, NotFound
from cyberyouth.lib.disclosure import min_group
from cyberyouth.lib.text import has_control, nfc
from cyberyouth.orgs import selectors as org_selectors

from . import reading, selectors
from .models import (ANSWERED, RESPONDENTS, SENTIMENT_CODES, Answer, OneTimeLink, Participation, PendingResponse,
                     Question, QuestionKind, Response, Section, Survey, SurveyState, Tally)
from .redaction import redact

MANAGE = "survey.manage"
TEMPLATES_FILE = Path(__file__).parent / "data" / "templates.json"
TEXT_MAX = 2000
# A one-time code: 10 characters from an alphabet without look-alikes (as the students app's codes).
CODE_ALPHABET = "ACDEFGHJKLMNPQRTUVWXY3469"
CODE_LENGTH = 10
LINKS_MAX = 500


def release_batch() -> int:
    """How many answers of one group wait before they are written together (never below the
    small-group threshold: a batch is the most a write's order or transaction can point at)."""
    return max(int(getattr(settings, "SURVEYS_RELEASE_BATCH", 0) or 0), min_group())


def templates() -> list[dict]:
    return json.loads(TEMPLATES_FILE.read_text(encoding="utf-8"))["templates"]


def _text(value: str, *, field: str, label: str, max_length: int, required: bool = True) -> str:
    value = nfc(value)
    if required and not value:
        raise DomainError(f"Hãy nhập {label}.", field=field)
    if has_control(value):
        raise DomainError(f"{label.capitalize()} có ký tự điều khiển không hợp lệ.", field=field,
                          code=ErrorCode.CONTROL_CHARACTER)
    if len(value) > max_length:
        raise DomainError(f"{label.capitalize()} dài quá {max_length} ký tự.", field=field, code=ErrorCode.TOO_LONG)
    return value


def _require_draft(survey: Survey) -> None:
    if survey.state != SurveyState.DRAFT:
        raise DomainError("Khảo sát đã phát hành: câu hỏi và đối tượng không đổi được nữa (để câu trả lời "
                          "của mọi em cùng một nghĩa và tính ẩn danh giữ nguyên).", code=ErrorCode.LOCKED)


def _check_dates(opens_on: date, closes_on: date) -> None:
    if closes_on < opens_on:
        raise DomainError("Ngày đóng phải sau ngày mở.", field="closes_on")


# ---------------------------------------------------------------- building


@transaction.atomic
def survey_create(*, actor, owner_unit, title: str, opens_on: date, closes_on: date, intro: str = "",
                  allow_links: bool = False, template: str = "") -> Survey:
    """A draft survey of `owner_unit`, empty or from a template (its sections and questions)."""
    org_selectors.require(actor=actor, capability=MANAGE, unit=owner_unit)
    _check_dates(opens_on, closes_on)
    chosen = None
    if template:
        chosen = next((t for t in templates() if t["key"] == template), None)
        if chosen is None:
            raise DomainError("Không có mẫu khảo sát này.", field="template")
    survey = Survey.objects.create(
        owner_unit=owner_unit, title=_text(title or (chosen or {}).get("title", ""), field="title",
                                           label="tên khảo sát", max_length=200),
        intro=_text(intro or (chosen or {}).get("intro", ""), field="intro", label="lời giới thiệu",
                    max_length=3000, required=False),
        opens_on=opens_on, closes_on=closes_on, allow_links=allow_links, template=template, created_by=actor)
    if chosen:
        keys: dict[str, Question] = {}
        position = 0
        for s_index, s in enumerate(chosen["sections"], start=1):
            section = Section.objects.create(survey=survey, position=s_index, title=s["title"], text=s.get("text", ""))
            for q in s["questions"]:
                position += 1
                shown_if = keys[q["show_if"]] if q.get("show_if") else None
                keys[q["key"]] = Question.objects.create(
                    survey=survey, section=section, position=position, kind=q["kind"], text=q["text"],
                    help_text=q.get("help_text", ""), required=q.get("required", False),
                    options=q.get("options", []), scale_low=q.get("scale_low", ""), scale_high=q.get("scale_high", ""),
                    show_if_question=shown_if, show_if_values=q.get("show_if_values", []))
    audit_record(actor=actor, action="survey.create", target=survey, after={"title": survey.title,
                                                                          "template": template})
    return survey


@transaction.atomic
def survey_update(*, actor, survey: Survey, title: str, intro: str, opens_on: date, closes_on: date,
                  allow_links: bool) -> Survey:
    """Title, introduction and dates (dates may move while the survey runs; the rest only in draft)."""
    org_selectors.require(actor=actor, capability=MANAGE, unit=survey.owner_unit)
    _check_dates(opens_on, closes_on)
    before = snapshot(survey, fields=["title", "intro", "opens_on", "closes_on", "allow_links"])
    if survey.state != SurveyState.DRAFT and (allow_links != survey.allow_links or nfc(title) != survey.title
                                              or nfc(intro) != survey.intro):
        _require_draft(survey)
    if survey.state == SurveyState.CLOSED:
        raise DomainError("Khảo sát đã đóng.", code=ErrorCode.LOCKED)
    survey.title = _text(title, field="title", label="tên khảo sát", max_length=200)
    survey.intro = _text(intro, field="intro", label="lời giới thiệu", max_length=3000, required=False)
    survey.opens_on, survey.closes_on, survey.allow_links = opens_on, closes_on, allow_links
    survey.save()
    audit_record(actor=actor, action="survey.update", target=survey, before=before,
                 after=snapshot(survey, fields=["title", "intro", "opens_on", "closes_on", "allow_links"]))
    return survey


@transaction.atomic
def section_add(*, actor, survey: Survey, title: str, text: str = "") -> Section:
    org_selectors.require(actor=actor, capability=MANAGE, unit=survey.owner_unit)
    _require_draft(survey)
    position = (survey.sections.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    section = Section.objects.create(survey=survey, position=position,
                                     title=_text(title, field="title", label="tên phần", max_length=200),
                                     text=_text(text, field="text", label="lời dẫn", max_length=2000, required=False))
    audit_record(actor=actor, action="survey.section_add", target=survey, after={"section": section.title})
    return section


def _clean_options(kind: str, options: list[str]) -> list[str]:
    if kind not in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        return []
    cleaned = [_text(o, field="options", label="lựa chọn", max_length=200) for o in options if nfc(o)]
    if len(cleaned) < 2:
        raise DomainError("Câu hỏi chọn cần ít nhất 2 lựa chọn (mỗi dòng một lựa chọn).", field="options")
    if len(cleaned) > 20:
        raise DomainError("Tối đa 20 lựa chọn.", field="options")
    if len({o.casefold() for o in cleaned}) != len(cleaned):
        raise DomainError("Hai lựa chọn trùng nhau.", field="options")
    return cleaned


@transaction.atomic
def question_add(*, actor, survey: Survey, section: Section, kind: str, text: str, options: list[str] | None = None,
                 required: bool = False, help_text: str = "", scale_low: str = "", scale_high: str = "",
                 show_if_question: Question | None = None, show_if_values: list[int] | None = None) -> Question:
    """A question at the end of the survey. "Show if" may only look at an earlier choice or scale
    question of the same survey, and at values it has."""
    org_selectors.require(actor=actor, capability=MANAGE, unit=survey.owner_unit)
    _require_draft(survey)
    if section.survey_id != survey.pk:
        raise NotFound("Không tìm thấy phần này.")
    if kind not in QuestionKind.values:
        raise DomainError("Loại câu hỏi không hợp lệ.", field="kind")
    cleaned = _clean_options(kind, options or [])
    values: list[int] = []
    if show_if_question is not None:
        if show_if_question.survey_id != survey.pk or show_if_question.kind == QuestionKind.TEXT:
            raise DomainError("“Chỉ hiện khi” phải dựa vào một câu chọn hoặc thang điểm phía trước.",
                              field="show_if_question")
        allowed = {v for v, _ in show_if_question.value_labels()}
        values = sorted(set(show_if_values or []))
        if not values or not set(values) <= allowed:
            raise DomainError("Hãy chọn câu trả lời (của câu phía trước) làm hiện câu này.", field="show_if_values")
    position = (survey.questions.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    question = Question.objects.create(
        survey=survey, section=section, position=position, kind=kind,
        text=_text(text, field="text", label="câu hỏi", max_length=500),
        help_text=_text(help_text, field="help_text", label="gợi ý", max_length=300, required=False),
        required=required, options=cleaned,
        scale_low=_text(scale_low, field="scale_low", label="nhãn mức 1", max_length=60, required=False),
        scale_high=_text(scale_high, field="scale_high", label="nhãn mức 5", max_length=60, required=False),
        show_if_question=show_if_question, show_if_values=values)
    audit_record(actor=actor, action="survey.question_add", target=survey, after={"question": question.text})
    return question


@transaction.atomic
def question_remove(*, actor, question: Question) -> None:
    survey = question.survey
    org_selectors.require(actor=actor, capability=MANAGE, unit=survey.owner_unit)
    _require_draft(survey)
    if Question.objects.filter(show_if_question=question).exists():
        raise DomainError("Câu khác đang “chỉ hiện khi” dựa vào câu này: sửa câu đó trước.", code=ErrorCode.CONFLICT)
    audit_record(actor=actor, action="survey.question_remove", target=survey, before={"question": question.text})
    question.delete()


@transaction.atomic
def audience_set(*, actor, survey: Survey, units, grades: list[int], classes) -> Survey:
    """Who is asked: schools (empty: every school under the organiser), grades (empty: all),
    classes (empty: all of those)."""
    org_selectors.require(actor=actor, capability=MANAGE, unit=survey.owner_unit)
    _require_draft(survey)
    allowed = org_selectors.subtree_ids(unit_ids={survey.owner_unit_id}, history=False)
    units = list(units)
    if any(u.id not in allowed for u in units):
        raise DomainError("Chỉ chọn được các trường thuộc đơn vị tổ chức khảo sát.", field="units")
    if any(not 1 <= g <= 12 for g in grades):
        raise DomainError("Khối từ 1 đến 12.", field="grades")
    classes = list(classes)
    if any(c.unit_id not in allowed for c in classes):
        raise DomainError("Chỉ chọn được các lớp thuộc đơn vị tổ chức khảo sát.", field="classes")
    survey.audience_units.set(units)
    survey.audience_grades = sorted(set(grades))
    survey.save(update_fields=["audience_grades"])
    survey.audience_classes.set(classes)
    audit_record(actor=actor, action="survey.audience", target=survey,
                 after={"units": [u.code for u in units], "grades": survey.audience_grades,
                        "classes": [c.pk for c in classes]})
    return survey


@transaction.atomic
def survey_launch(*, actor, survey: Survey) -> Survey:
    """Publish: from now on questions, audience and anonymity are fixed."""
    org_selectors.require(actor=actor, capability=MANAGE, unit=survey.owner_unit)
    _require_draft(survey)
    if not survey.questions.exists():
        raise DomainError("Khảo sát chưa có câu hỏi nào.", code=ErrorCode.INVALID)
    if survey.closes_on < timezone.localdate():
        raise DomainError("Ngày đóng đã qua.", field="closes_on")
    survey.state = SurveyState.LAUNCHED
    survey.save(update_fields=["state"])
    audit_record(actor=actor, action="survey.launch", target=survey)
    return survey


@transaction.atomic
def survey_close(*, actor, survey: Survey) -> Survey:
    """Close now (before the closing date) and release every answer still waiting for its batch."""
    org_selectors.require(actor=actor, capability=MANAGE, unit=survey.owner_unit)
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.state != SurveyState.LAUNCHED:
        raise DomainError("Chỉ đóng được khảo sát đang phát hành.", code=ErrorCode.BAD_STATUS)
    survey.state = SurveyState.CLOSED
    survey.save(update_fields=["state"])
    release_leftovers(survey=survey)
    audit_record(actor=actor, action="survey.close", target=survey)
    return survey


@transaction.atomic
def links_issue(*, actor, survey: Survey, school_class, count: int) -> list[str]:
    """`count` single-use codes for one class (handed out on paper, one per student, to students
    without an account). Only their hashes are kept: the list is shown once."""
    org_selectors.require(actor=actor, capability=MANAGE, unit=survey.owner_unit)
    if not survey.allow_links:
        raise DomainError("Khảo sát này chỉ trả lời bằng tài khoản học sinh.", code=ErrorCode.INVALID)
    if survey.state == SurveyState.CLOSED:
        raise DomainError("Khảo sát đã đóng.", code=ErrorCode.NOT_OPEN)
    if not 1 <= count <= LINKS_MAX:
        raise DomainError(f"Số mã từ 1 đến {LINKS_MAX}.", field="count", code=ErrorCode.OUT_OF_RANGE)
    if school_class.unit_id not in selectors.audience_school_ids(survey):
        raise DomainError("Lớp này không thuộc đối tượng của khảo sát.", field="school_class")
    codes = ["".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH)) for _ in range(count)]
    OneTimeLink.objects.bulk_create([OneTimeLink(survey=survey, code_hash=selectors.code_hash(c), unit_id=school_class.unit_id,
                                                 school_class=school_class) for c in codes])
    audit_record(actor=actor, action="survey.links", target=survey, after={"class": school_class.pk, "count": count})
    return [f"{c[:5]}-{c[5:]}" for c in codes]


# ---------------------------------------------------------------- answering


def clean_answers(questions: list[Question], raw: dict[Any, Any]) -> dict[int, Any]:
    """The answers as stored: values checked, free text redacted, questions hidden by "show if"
    dropped, required visible ones present. Refuses with the question at fault (field "q<id>")."""
    clean: dict[int, Any] = {}
    for q in questions:
        field = f"q{q.pk}"
        if q.show_if_question_id is not None:
            earlier = clean.get(q.show_if_question_id)
            chosen = set(earlier) if isinstance(earlier, list) else {earlier}
            if not chosen & set(q.show_if_values):
                continue  # hidden: whatever came for it is dropped
        value = raw.get(str(q.pk), raw.get(q.pk))
        empty = value in (None, "", []) or (isinstance(value, list) and not [v for v in value if v not in ("", None)])
        if empty:
            if q.required:
                raise DomainError(f"Em chưa trả lời câu “{q.text}”.", field=field)
            continue
        if q.kind == QuestionKind.TEXT:
            if not isinstance(value, str):
                raise DomainError("Câu trả lời phải là chữ.", field=field)
            text = _text(value, field=field, label="câu trả lời", max_length=TEXT_MAX, required=q.required)
            if text:
                clean[q.pk] = redact(text)[0]
            continue
        allowed = {v for v, _ in q.value_labels()}
        values = value if isinstance(value, list) else [value]
        try:
            numbers = [int(v) for v in values]
        except (TypeError, ValueError):
            raise DomainError("Lựa chọn không hợp lệ.", field=field) from None
        if not numbers or not set(numbers) <= allowed or len(set(numbers)) != len(numbers):
            raise DomainError("Lựa chọn không hợp lệ.", field=field)
        if q.kind == QuestionKind.MULTIPLE:
            clean[q.pk] = sorted(numbers)
        elif len(numbers) != 1:
            raise DomainError("Câu này chỉ chọn một.", field=field)
        else:
            clean[q.pk] = numbers[0]
    return clean


@transaction.atomic
def answer_submit(*, survey: Survey, answers: dict, actor=None, code: str = "") -> None:
    """Take one answer sheet: from a student's account (once per student) or with a one-time
    code. Nothing returned, nothing audited, nothing timed: see models.py."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)  # one sheet at a time per survey
    today = timezone.localdate()
    if survey.state != SurveyState.LAUNCHED or today > survey.closes_on:
        raise DomainError("Khảo sát đã đóng, không nhận thêm câu trả lời.", code=ErrorCode.NOT_OPEN)
    if today < survey.opens_on:
        raise DomainError(f"Khảo sát mở từ ngày {survey.opens_on:%d/%m/%Y}.", code=ErrorCode.NOT_OPEN)
    if code:
        if not survey.allow_links:
            raise DomainError("Khảo sát này chỉ trả lời bằng tài khoản học sinh.", field="code")
        link = OneTimeLink.objects.select_for_update(of=("self",)).filter(survey=survey, code_hash=selectors.code_hash(code),
                                                              used=False).select_related("school_class").first()
        if link is None:
            raise DomainError("Mã không đúng hoặc đã được dùng.", field="code", code=ErrorCode.INVALID)
        unit_id, school_class = link.unit_id, link.school_class
    else:
        enrolment = selectors.respondent_enrolment(survey=survey, actor=actor)
        if enrolment is None:
            raise NotFound("Không tìm thấy khảo sát.")
        if Participation.objects.filter(survey=survey, student_id=enrolment.student_id).exists():
            raise DomainError("Em đã trả lời khảo sát này rồi. Cảm ơn em!", code=ErrorCode.EXISTS)
        unit_id, school_class = enrolment.school_class.unit_id, enrolment.school_class
    clean = clean_answers(list(survey.questions.order_by("position")), answers or {})
    if not clean:
        raise DomainError("Em chưa trả lời câu nào.", code=ErrorCode.INVALID)
    if code:
        link.used = True
        link.save(update_fields=["used"])
    else:
        Participation.objects.create(survey=survey, student_id=enrolment.student_id, unit_id=unit_id, day=today)
    grade = school_class.grade if school_class else None
    PendingResponse.objects.create(survey=survey, unit_id=unit_id, grade=grade, school_class=school_class,
                                   answers={str(k): v for k, v in clean.items()})
    group = PendingResponse.objects.filter(survey=survey, unit_id=unit_id, grade=grade, school_class=school_class)
    if group.count() >= release_batch():
        release(survey=survey, pending=list(group))


def release(*, survey: Survey, pending: list[PendingResponse], generalise: dict | None = None) -> int:
    """Write waiting sheets as responses in a random order, count them into the tallies, forget
    the waiting rows. `generalise` maps a waiting row's id to the (grade, class) it is counted
    under instead (leftovers of small groups at closing). Runs inside the caller's transaction."""
    if not pending:
        return 0
    generalise = generalise or {}
    order = list(pending)
    secrets.SystemRandom().shuffle(order)
    questions = {q.pk: q for q in survey.questions.all()}
    texts = [(i, qid, text) for i, p in enumerate(order) for qid, text in p.answers.items()
             if questions.get(int(qid)) and questions[int(qid)].kind == QuestionKind.TEXT]
    sentiments = reading.sentiments([t for _, _, t in texts])
    sentiment_of = {(i, qid): s for (i, qid, _), s in zip(texts, sentiments, strict=True)}
    responses, answers = [], []
    tally: Counter = Counter()
    for i, p in enumerate(order):
        grade, school_class_id = generalise.get(p.pk, (p.grade, p.school_class_id))
        response = Response(survey=survey, unit_id=p.unit_id, grade=grade, school_class_id=school_class_id)
        responses.append(response)
        group = (p.unit_id, grade or 0, school_class_id or 0)
        tally[(RESPONDENTS, ANSWERED, *group)] += 1
        for qid_text, value in p.answers.items():
            question = questions.get(int(qid_text))
            if question is None:
                continue
            tally[(question.pk, ANSWERED, *group)] += 1
            if question.kind == QuestionKind.TEXT:
                sentiment = sentiment_of.get((i, qid_text), "")
                answers.append(Answer(response=response, question=question, text=value, sentiment=sentiment))
                if sentiment in SENTIMENT_CODES:
                    tally[(question.pk, SENTIMENT_CODES[sentiment], *group)] += 1
                continue
            for v in value if isinstance(value, list) else [value]:
                answers.append(Answer(response=response, question=question, value=v))
                tally[(question.pk, v, *group)] += 1
    Response.objects.bulk_create(responses)
    Answer.objects.bulk_create(answers)
    _add_to_tallies(survey, tally)
    PendingResponse.objects.filter(pk__in=[p.pk for p in pending]).delete()
    return len(order)


def _add_to_tallies(survey: Survey, tally: Counter) -> None:
    Survey.objects.filter(pk=survey.pk).update(tally_version=F("tally_version") + 1)
    for (question_id, choice, unit_id, grade, class_id), n in sorted(tally.items()):
        key = {"survey": survey, "question_id": question_id, "choice": choice, "unit_id": unit_id, "grade": grade,
               "class_id": class_id}
        if not Tally.objects.filter(**key).update(n=F("n") + n):
            Tally.objects.create(**key, n=n)


def release_leftovers(*, survey: Survey) -> int:
    """At closing: the sheets still waiting (fewer than a batch in their class) are released
    together, each counted under its class only if its class's leftovers make a batch, else under
    its grade only, else under its school only — so no small leftover group is named."""
    pending = list(PendingResponse.objects.filter(survey=survey))
    k = release_batch()
    generalise: dict = {}
    by_class: defaultdict = defaultdict(list)
    for p in pending:
        by_class[(p.unit_id, p.grade, p.school_class_id)].append(p)
    by_grade: defaultdict = defaultdict(list)
    for (unit_id, grade, _), rows in by_class.items():
        if len(rows) < k:
            by_grade[(unit_id, grade)].extend(rows)
    for (_, grade), rows in by_grade.items():
        keep_grade = len(rows) >= k
        for p in rows:
            generalise[p.pk] = (grade if keep_grade else None, None)
    released = release(survey=survey, pending=pending, generalise=generalise)
    survey.leftovers_released = True
    survey.save(update_fields=["leftovers_released"])
    return released


def surveys_housekeeping() -> int:
    """Hourly (the worker): surveys past their closing day are closed and their leftovers released."""
    done = 0
    for survey_id in Survey.objects.filter(state=SurveyState.LAUNCHED, closes_on__lt=timezone.localdate()
                                           ).values_list("pk", flat=True):
        with transaction.atomic():
            survey = Survey.objects.select_for_update().get(pk=survey_id)
            survey.state = SurveyState.CLOSED
            survey.save(update_fields=["state"])
            release_leftovers(survey=survey)
            audit_record(actor=None, action="survey.close", target=survey, note="Tự đóng sau ngày đóng.")
        done += 1
    return done


def rebuild_tallies(*, survey: Survey) -> int:
    """Count the tallies again from the released answers (after a bulk load; a consistency check)."""
    from django.db.models import Count

    with transaction.atomic():
        Survey.objects.filter(pk=survey.pk).update(tally_version=F("tally_version") + 1)
        Tally.objects.filter(survey=survey).delete()
        tally: Counter = Counter()
        for row in Response.objects.filter(survey=survey).values("unit_id", "grade", "school_class_id").annotate(
                n=Count("id")).order_by():
            tally[(RESPONDENTS, ANSWERED, row["unit_id"], row["grade"] or 0, row["school_class_id"] or 0)] += row["n"]
        base = Answer.objects.filter(response__survey=survey)
        group = ("question_id", "response__unit_id", "response__grade", "response__school_class_id")
        for row in base.values(*group).annotate(n=Count("response_id", distinct=True)).order_by():
            tally[(row["question_id"], ANSWERED, row["response__unit_id"], row["response__grade"] or 0,
                   row["response__school_class_id"] or 0)] += row["n"]
        for row in base.filter(value__isnull=False).values(*group, "value").annotate(n=Count("id")).order_by():
            tally[(row["question_id"], row["value"], row["response__unit_id"], row["response__grade"] or 0,
                   row["response__school_class_id"] or 0)] += row["n"]
        for row in base.exclude(sentiment="").values(*group, "sentiment").annotate(n=Count("id")).order_by():
            tally[(row["question_id"], SENTIMENT_CODES[row["sentiment"]], row["response__unit_id"],
                   row["response__grade"] or 0, row["response__school_class_id"] or 0)] += row["n"]
        Tally.objects.bulk_create([Tally(survey=survey, question_id=q, choice=c, unit_id=u, grade=g, class_id=cl, n=n)
                                   for (q, c, u, g, cl), n in tally.items()], batch_size=5000)
    return len(tally)

