"""A small contest world: the special zone's bank (authored by one official, approved by a
second), a contest for THCS Cát Bà and THCS Cát Hải, a round open now, and students with
accounts (through the students app's records and consent)."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from cyberyouth.contests import services
from cyberyouth.orgs import services as org_services
from cyberyouth.orgs.models import Role, RoleAssignment, User
from cyberyouth.students.models import Consent, Enrolment, SchoolClass, SchoolYear, Student

QUESTIONS = [
    ("single", "Chủ tịch Hồ Chí Minh đọc Tuyên ngôn Độc lập vào ngày nào?",
     [("2/9/1945", True), ("19/8/1945", False), ("30/4/1975", False), ("7/5/1954", False)]),
    ("single", "Chiến thắng Điện Biên Phủ diễn ra năm nào?",
     [("1954", True), ("1945", False), ("1975", False), ("1968", False)]),
    ("truefalse", "Quy tắc ứng xử trên mạng xã hội được ban hành theo Quyết định 874/QĐ-BTTTT.",
     [("Đúng", True), ("Sai", False)]),
    ("multiple", "Những việc nào giúp giữ an toàn tài khoản mạng xã hội?",
     [("Đặt mật khẩu mạnh", True), ("Bật xác thực hai lớp", True), ("Cho bạn mượn mật khẩu", False)]),
    ("single", "Đoàn Thanh niên Cộng sản Hồ Chí Minh được thành lập ngày nào?",
     [("26/3/1931", True), ("15/10/1956", False), ("19/5/1890", False)]),
]


def make_student(unit, school_class, name, *, public_name=False, username=None):
    s = Student.objects.create(unit=unit, full_name=name, date_of_birth=date(2012, 1, 1))
    Enrolment.objects.create(student=s, school_class=school_class, unit=unit,
                             valid_from=school_class.school_year.starts_on)
    for purpose in ["account"] + (["public_name"] if public_name else []):
        Consent.objects.create(student=s, purpose=purpose, guardian_name="Phụ huynh", student_agreed=True,
                               method="paper", signed_on=date(2025, 9, 20))
    user = User.objects.create_user(username=username or f"hs{s.id}", password="x", full_name=name)
    s.user = user
    s.save(update_fields=["user"])
    RoleAssignment.objects.create(user=user, role=Role.STUDENT, unit=unit, valid_from=date(2025, 9, 5))
    return s


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Drawn pools are cached by round; ids come back after a test's rollback."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def cworld(people, units):
    sysadmin, author = people["sysadmin"], people["thuongtruc"]
    zone = units["hp-dk-cat-hai"]
    approver = User.objects.create_user(username="duyet.test", password="x", full_name="Người duyệt")
    org_services.role_grant(actor=sysadmin, user=approver, role=Role.ADMIN, unit=zone, valid_from=date(2020, 1, 1))
    versions = [services.question_create(actor=author, unit=zone, kind=k, text=t, options=o, difficulty=2,
                                         tags=["Lịch sử" if i != 2 and i != 3 else "Quy tắc ứng xử"],
                                         explanation="Giải thích", source="Sách giáo khoa")
                for i, (k, t, o) in enumerate(QUESTIONS)]
    for v in versions:
        services.question_approve(actor=approver, version=v)
    catba, cathai = units["thcs-cat-ba"], units["thcs-cat-hai"]
    contest = services.contest_create(actor=author, unit=zone, title="Tìm hiểu lịch sử và Quy tắc ứng xử",
                                      audience=[catba, cathai], prizes=[1, 1, 1, 2])
    now = timezone.now()
    from cyberyouth.contests.models import Tag

    # the zone's bank also holds the demo's questions: the round draws the five above by their topics
    tags = {t.name: t for t in Tag.objects.filter(unit=zone, name__in=["Lịch sử", "Quy tắc ứng xử"])}
    rnd = services.round_create(actor=author, contest=contest, title="Tuần 1", opens_at=now - timedelta(hours=1),
                                closes_at=now + timedelta(hours=2), time_limit_seconds=600, attempts_allowed=2,
                                pools=[(tags["Lịch sử"], None, 3), (tags["Quy tắc ứng xử"], None, 2)])
    year = SchoolYear.objects.filter(starts_on__lte=date.today()).order_by("-starts_on").first()
    c6 = SchoolClass.objects.create(unit=catba, school_year=year, name="C6A", grade=6)
    c7 = SchoolClass.objects.create(unit=cathai, school_year=year, name="C7A", grade=7)
    students = [make_student(catba, c6, f"Học Sinh {n}", public_name=n % 2 == 0) for n in range(6)]
    others = [make_student(cathai, c7, f"Bạn Khác {n}") for n in range(3)]
    return {"zone": zone, "author": author, "approver": approver, "contest": contest, "round": rnd,
            "versions": versions, "students": students, "others": others, "catba": catba, "cathai": cathai,
            "c6": c6, "c7": c7}


def answer_all(attempt, *, right=True, actor=None, wrong_slots=()):
    """Answer every slot of an attempt (right or wrong) through the service."""
    for slot, entry in enumerate(attempt.layout):
        mask = entry["c"]
        chosen = [i for i in range(len(entry["o"])) if mask >> i & 1]
        if not right or slot in wrong_slots:
            chosen = [next(i for i in range(len(entry["o"])) if not mask >> i & 1)]
        services.answer_save(actor=actor or attempt.user, attempt_id=attempt.id, slot=slot, choice=chosen)
