"""The dialogues tests start from the demo: THPT Cát Bà's planned online dialogue taking questions
(its focal point `daumoi.thptcatba`), its student `hs.thptcatba.10a` with consent, more students
with accounts made here, and a dialogue of another school."""

from datetime import date, timedelta

import pytest

from cyberyouth.dialogues import services
from cyberyouth.dialogues.models import Dialogue, Mode, Status
from cyberyouth.orgs.models import Role, RoleAssignment, Unit, User
from cyberyouth.students.models import Consent, Enrolment, Student


def account(student: Student, username: str) -> User:
    """A student account (what the first sign-in with a printed code makes)."""
    user = User.objects.create_user(username=username, password="x", full_name=student.full_name)
    student.user = user
    student.save(update_fields=["user"])
    RoleAssignment.objects.create(user=user, role=Role.STUDENT, unit=student.unit, valid_from=date(2025, 9, 1))
    return user


def _current(unit: Unit, *, consent: bool):
    consenting = Consent.objects.filter(withdrawn_at__isnull=True, purpose="account").values("student_id")
    enrolled = Enrolment.objects.filter(unit=unit, valid_to__isnull=True).values("student_id")
    qs = Student.objects.filter(id__in=enrolled, user__isnull=True, deidentified_at__isnull=True)
    qs = qs.filter(id__in=consenting) if consent else qs.exclude(id__in=consenting)
    return qs.order_by("id")


@pytest.fixture
def world(people, units):
    thpt, gdnn = units["thpt-cat-ba"], units["gdnn-gdtx-cat-hai"]
    fp = User.objects.get(username="daumoi.thptcatba")
    planned = Dialogue.objects.get(unit=thpt, status=Status.PLANNED)
    me = User.objects.get(username="hs.thptcatba.10a")
    others = [account(s, f"hs.test.{i}") for i, s in enumerate(_current(thpt, consent=True)[:3])]
    no_consent = account(_current(thpt, consent=False).first(), "hs.test.nc")
    other_school = services.dialogue_create(
        actor=people["sysadmin"], unit=gdnn, title="Đối thoại của trung tâm", mode=Mode.IN_PERSON,
        held_on=date.today() + timedelta(days=5), place="Hội trường",
        leaders=[{"user": None, "name": "Mẫu Văn Quản", "position": "Giám đốc"}])
    gdnn_student = account(_current(gdnn, consent=True).first(), "hs.test.gdnn")
    return {"thpt": thpt, "gdnn": gdnn, "fp": fp, "planned": planned, "me": me, "others": others,
            "no_consent": no_consent, "other_school": other_school, "gdnn_student": gdnn_student,
            "sysadmin": people["sysadmin"]}
