"""Anonymous by design: from an answer, no column, key, order or transaction leads to a person."""

import uuid

import pytest
from django.db import connection, models

from cyberyouth.audit.models import AuditEntry
from cyberyouth.orgs.models import User
from cyberyouth.students.models import Enrolment, Student
from cyberyouth.surveys import services
from cyberyouth.surveys.models import (Answer, OneTimeLink, Participation, PendingResponse, QuestionKind, Response,
                                       Tally)

from .conftest import sheet

pytestmark = pytest.mark.django_db
PERSON_MODELS = (User, Student, Enrolment, Participation, OneTimeLink)
ANSWER_MODELS = (Response, Answer, PendingResponse, Tally)
GROUP_COLUMNS = {"survey_id", "unit_id", "grade", "school_class_id"}  # what an answer counts in (≥ 5 people)


def test_answer_tables_hold_no_person_no_time_and_no_order():
    for model in ANSWER_MODELS:
        for f in model._meta.concrete_fields:
            assert not isinstance(f, models.DateField | models.TimeField), f"{model.__name__}.{f.name} keeps a time"
            assert not isinstance(f, models.AutoField | models.BigAutoField) or model is Tally, \
                f"{model.__name__}.{f.name} is a sequence"
            if f.is_relation:
                assert f.related_model not in PERSON_MODELS, f"{model.__name__}.{f.name} points at a person"
        if model is not Tally:
            assert isinstance(model._meta.pk, models.UUIDField)
            assert model._meta.pk.default.__name__ == "uuid4"  # random, not time-ordered (uuid1/uuid7)
    for model in (Participation, OneTimeLink):
        for f in model._meta.concrete_fields:
            assert not (f.is_relation and f.related_model in ANSWER_MODELS), f"{model.__name__}.{f.name}"
            assert not isinstance(f, models.DateTimeField), f"{model.__name__}.{f.name} is finer than a day"


def _physical_order(model) -> list:
    """The rows of `model` in the order the database keeps them (SQLite rowid, PostgreSQL ctid)."""
    table = model._meta.db_table
    column = "rowid" if connection.vendor == "sqlite" else "ctid"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {table} ORDER BY {column}")  # noqa: S608 - our own table name
        return [uuid.UUID(str(row[0])) for row in cursor.fetchall()]


def _matches(order_a: list, order_b: list) -> int:
    return sum(1 for a, b in zip(order_a, order_b, strict=False) if a == b)


def test_no_join_from_an_answer_to_a_person(make_class, launch):
    school_class, users = make_class(10)
    survey = launch([school_class])
    text_q = survey.questions.filter(kind=QuestionKind.TEXT).order_by("position").first()
    audit_before = AuditEntry.objects.count()
    for i, user in enumerate(users):
        services.answer_submit(survey=survey, answers=sheet(survey, text=f"Ý kiến số {i}"), actor=user)
    assert AuditEntry.objects.count() == audit_before  # answering writes nothing about who, when
    assert not PendingResponse.objects.filter(survey=survey).exists()  # two batches of five, released
    truth = {a.response_id: int(a.text.rsplit(" ", 1)[1]) for a in Answer.objects.filter(question=text_q)}
    assert sorted(truth.values()) == list(range(10))
    participants = [p.student.user_id for p in Participation.objects.filter(survey=survey)]
    assert sorted(participants) == sorted(u.pk for u in users)  # who answered is known …
    user_index = {u.pk: i for i, u in enumerate(users)}

    # … but no value of an answer row is shared with a "who" row, except the group (a class of ten)
    response_values = set()
    for row in Response.objects.filter(survey=survey).values():
        response_values |= {(k, v) for k, v in row.items() if k not in GROUP_COLUMNS}
    for row in Participation.objects.filter(survey=survey).values():
        assert not response_values & {(k, v) for k, v in row.items()}
    assert {r.school_class_id for r in Response.objects.filter(survey=survey)} == {school_class.pk}

    # joins by order: the answers' ids, the order rows were stored in, against the order people answered
    submission_order = list(range(10))
    participation_order = [user_index[uid] for uid in (Participation.objects.filter(survey=survey)
                                                      .order_by("id").values_list("student__user_id", flat=True))]
    assert participation_order == submission_order  # what an attacker knows of the order of people
    by_id = [truth[r] for r in Response.objects.filter(survey=survey).order_by("id").values_list("id", flat=True)]
    physical = [truth[r] for r in _physical_order(Response) if r in truth]
    for order in (by_id, physical):
        assert _matches(order, participation_order) < 10, "an order of the answers lines up with the people"
    # within what one write can point at (a batch of five), the stored order is a shuffle
    assert [set(physical[:5]), set(physical[5:])] == [set(range(5)), set(range(5, 10))]
    assert physical[:5] != list(range(5)) or physical[5:] != list(range(5, 10))  # fails 1 run in 14,400

    if connection.vendor == "postgresql":  # the transaction that wrote a row: shared by the whole batch
        with connection.cursor() as cursor:
            cursor.execute("SELECT xmin::text, count(*) FROM surveys_response WHERE survey_id = %s GROUP BY 1",
                           [survey.pk])
            assert all(n >= services.release_batch() for _, n in cursor.fetchall())


def test_a_class_below_a_batch_is_not_released_until_closing(make_class, launch, people):
    school_class, users = make_class(4)
    survey = launch([school_class])
    for user in users:
        services.answer_submit(survey=survey, answers=sheet(survey), actor=user)
    assert not Response.objects.filter(survey=survey).exists()
    assert not Tally.objects.filter(survey=survey).exists()
    services.survey_close(actor=people["sysadmin"], survey=survey)
    released = list(Response.objects.filter(survey=survey))
    assert len(released) == 4 and not PendingResponse.objects.filter(survey=survey).exists()
    # four leftovers of one class make no batch of their own: counted under the school only
    assert {(r.grade, r.school_class_id) for r in released} == {(None, None)}


def test_a_student_answers_once_and_the_code_is_single_use(make_class, launch, people):
    school_class, users = make_class(3)
    survey = launch([school_class], allow_links=True)
    services.answer_submit(survey=survey, answers=sheet(survey), actor=users[0])
    with pytest.raises(services.DomainError) as refused:
        services.answer_submit(survey=survey, answers=sheet(survey), actor=users[0])
    assert refused.value.code == "exists"
    codes = services.links_issue(actor=people["sysadmin"], survey=survey, school_class=school_class, count=2)
    assert not OneTimeLink.objects.filter(code_hash__in=[c.replace("-", "") for c in codes] + codes).exists()
    services.answer_submit(survey=survey, answers=sheet(survey), code=codes[0].lower())
    with pytest.raises(services.DomainError) as used:
        services.answer_submit(survey=survey, answers=sheet(survey), code=codes[0])
    assert used.value.field == "code"
    assert OneTimeLink.objects.filter(survey=survey, used=True).count() == 1
