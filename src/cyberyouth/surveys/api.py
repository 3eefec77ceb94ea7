"""The surveys' API: surveys and their aggregated results for staff (scoped, the small-group rule
applied as on the page); the questions and answering for a student's account; answering with a
one-time code (no account). An answer sheet is never returned, to anyone."""

from datetime import date

from ninja import Field, Router, Schema, Status

from cyberyouth.errors import DomainError, ErrorCode, ScopeError
from cyberyouth.orgs.decorators import requires
from cyberyouth.students.models import Student

from . import selectors, services

router = Router(tags=["surveys"])
Value = int | list[int] | str


class SurveyOut(Schema):
    id: int
    title: str
    owner_unit: str
    opens_on: date
    closes_on: date
    state: str
    allow_links: bool


class CellOut(Schema):
    label: str
    count: int | None = Field(description="None: a group under the threshold (shown “< 5”), or its complement")
    share: float | None


class GroupOut(Schema):
    label: str
    respondents: int | None
    unit_id: int
    grade: int | None


class QuestionResultOut(Schema):
    id: int
    position: int
    kind: str
    text: str
    answered: int | None
    cells: list[CellOut]
    sentiments: list[CellOut]
    texts: list[str]
    themes: list[tuple[str, int]]


class ResultsOut(Schema):
    survey: SurveyOut
    group: str
    respondents: int | None
    response_rate: float | None
    groups: list[GroupOut]
    questions: list[QuestionResultOut]


class QuestionOut(Schema):
    id: int
    position: int
    section: str
    kind: str
    text: str
    help_text: str
    required: bool
    choices: list[tuple[int, str]]
    show_if_question: int | None
    show_if_values: list[int]


class SheetOut(Schema):
    survey: SurveyOut
    answered: bool
    questions: list[QuestionOut]


class AnswersIn(Schema):
    answers: dict[str, Value] = Field(description="question id → an option's number, a list of them, a 1–5 step "
                                                   "or a text")


class CodeAnswersIn(AnswersIn):
    code: str = Field(max_length=20)


class Taken(Schema):
    detail: str


def _survey(s) -> dict:
    return {"id": s.pk, "title": s.title, "owner_unit": s.owner_unit.code, "opens_on": s.opens_on,
            "closes_on": s.closes_on, "state": s.state, "allow_links": s.allow_links}


def _cells(cells) -> list[dict]:
    return [{"label": c.label, "count": c.figure.value, "share": c.share} for c in cells]


@router.get("/", response=list[SurveyOut], summary="Surveys organised by or asking the units one reads")
@requires("survey.results")
def list_surveys(request):
    return [_survey(s) for s in selectors.surveys_visible(actor=request.user)[:500]]


@router.get("/{survey_id}/results", response=ResultsOut, summary="Aggregated results (groups of 5 or more)")
@requires("survey.results")
def survey_results(request, survey_id: int, unit_id: int | None = None, grade: int | None = None):
    survey = selectors.get_survey(actor=request.user, survey_id=survey_id)
    if grade is not None and not 0 <= grade <= 12:
        raise DomainError("Khối từ 0 đến 12.", field="grade", code=ErrorCode.OUT_OF_RANGE)
    node = selectors.ROOT if unit_id is None else selectors.Node(unit_id, -1 if grade is None else grade, -1)
    r = selectors.results(actor=request.user, survey=survey, node=node)
    return {"survey": _survey(survey), "group": r.title, "respondents": r.respondents.value,
            "response_rate": r.response_rate,
            "groups": [{"label": label, "respondents": f.value, "unit_id": n.unit_id,
                        "grade": n.grade if n.depth == 2 else None} for n, label, f, _ in r.groups],
            "questions": [{"id": qr.question.pk, "position": qr.question.position, "kind": qr.question.kind,
                           "text": qr.question.text, "answered": qr.answered.value, "cells": _cells(qr.cells),
                           "sentiments": _cells(qr.sentiments) if r.insight else [], "texts": qr.texts,
                           "themes": qr.themes} for qr in r.questions]}


def _require_student(request) -> None:
    if not Student.objects.filter(user_id=request.user.pk).exists():
        raise ScopeError("Chỉ dành cho học sinh.")


@router.get("/mine", response=list[SurveyOut], summary="Open surveys that ask the signed-in student")
@requires("student.participate")
def my_surveys(request):
    return [_survey(s) for s, _ in selectors.open_for_student(actor=request.user)]


@router.get("/{survey_id}/sheet", response=SheetOut, summary="A survey's questions, for the student asked")
@requires("student.participate")
def survey_sheet(request, survey_id: int):
    _require_student(request)
    survey = selectors.get_survey_to_answer(actor=request.user, survey_id=survey_id)
    return {"survey": _survey(survey), "answered": selectors.has_answered(survey=survey, actor=request.user),
            "questions": [{"id": q.pk, "position": q.position, "section": q.section.title, "kind": q.kind,
                           "text": q.text, "help_text": q.help_text, "required": q.required,
                           "choices": q.value_labels(), "show_if_question": q.show_if_question_id,
                           "show_if_values": q.show_if_values} for q in selectors.questions_of(survey)]}


@router.post("/{survey_id}/answers", response={201: Taken}, summary="Answer (once per student; stored anonymously)")
@requires("student.participate")
def answer_survey(request, survey_id: int, payload: AnswersIn):
    _require_student(request)
    survey = selectors.get_survey_to_answer(actor=request.user, survey_id=survey_id)
    services.answer_submit(survey=survey, answers=payload.answers, actor=request.user)
    return Status(201, {"detail": "Đã nhận câu trả lời (ẩn danh)."})


@router.post("/answers-by-code", response={201: Taken}, auth=None,
             summary="Answer with a one-time code (no account; the code is used up)")
def answer_by_code(request, payload: CodeAnswersIn):
    link = selectors.open_link(code=payload.code)
    if link is None:
        raise DomainError("Mã không đúng hoặc đã được dùng.", field="code")
    services.answer_submit(survey=link.survey, answers=payload.answers, code=payload.code)
    return Status(201, {"detail": "Đã nhận câu trả lời (ẩn danh)."})
