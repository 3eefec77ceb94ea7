from datetime import timedelta

import pytest
from django.utils import timezone

from cyberyouth.orgs.models import Role, RoleAssignment, Unit, User
from cyberyouth.students.models import Enrolment, SchoolClass, Student
from cyberyouth.students.selectors import school_year_on
from cyberyouth.surveys import services
from cyberyouth.surveys.models import QuestionKind


@pytest.fixture
def make_class(db):
    """A class of `n` students, each with an account (username hs.<name>.<i>, password "x")."""

    def make(n: int, *, unit_code: str = "thcs-cat-hai", grade: int = 7, name: str = "7Z"):
        unit = Unit.objects.get(code=unit_code)
        year = school_year_on(timezone.localdate())
        school_class = SchoolClass.objects.create(unit=unit, school_year=year, name=name, grade=grade)
        users = []
        for i in range(n):
            user = User.objects.create_user(username=f"hs.{unit_code}.{name}.{i}".lower(), password="x",
                                            full_name=f"Thử Văn {name}{i}")
            student = Student.objects.create(unit=unit, full_name=f"Thử Văn {name}{i}", user=user)
            Enrolment.objects.create(student=student, school_class=school_class, unit=unit, valid_from=year.starts_on)
            RoleAssignment.objects.create(user=user, role=Role.STUDENT, unit=unit)
            users.append(user)
        return school_class, users

    return make


@pytest.fixture
def launch(people):
    """A launched survey from the project's template, asking `classes` (owner: their school)."""

    def make(classes, *, owner=None, allow_links: bool = False):
        today = timezone.localdate()
        survey = services.survey_create(actor=people["sysadmin"], owner_unit=owner or classes[0].unit, title="",
                                        template="wellbeing-online-safety", opens_on=today - timedelta(days=1),
                                        closes_on=today + timedelta(days=7), allow_links=allow_links)
        services.audience_set(actor=people["sysadmin"], survey=survey, units=[], grades=[], classes=classes)
        services.survey_launch(actor=people["sysadmin"], survey=survey)
        return survey

    return make


def sheet(survey, *, bullied: int = 1, text: str = "", time: int = 1, scale: int = 3) -> dict:
    """A valid answer sheet: the required questions, one scale, optionally the first free text."""
    raw = {}
    for q in survey.questions.order_by("position"):
        if q.kind == QuestionKind.SINGLE and q.required:
            raw[str(q.pk)] = bullied if "bắt nạt" in q.text else time
        elif q.kind == QuestionKind.SCALE:
            raw[str(q.pk)] = scale
    if text:
        first_text = survey.questions.filter(kind=QuestionKind.TEXT).order_by("position").first()
        raw[str(first_text.pk)] = text
    return raw
