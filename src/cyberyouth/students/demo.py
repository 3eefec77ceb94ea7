"""Demo students of Cát Hải, clearly fictitious (every family name is “Mẫu” or “Thử”): school
years 2025-2026 and 2026-2027; classes at TH Cát Bà, TH-THCS Hiền Hào, THPT Cát Bà (homeroom
teachers for 10A and 10B) and the GDNN-GDTX centre; about 660 students; consents in every state
(none, on paper with a scan, online, withdrawn and de-identified); Code-of-Conduct sessions,
acknowledgements and one violation per school; safe-use lessons (every class, except Hiền Hào's
9A). The 2025 figures of indicators 1 and 4 of these schools come from these records. Then each
school (not the centre, whose new roster is not in yet) moves up to 2026-2027."""

import random
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from cyberyouth.orgs import services as org_services
from cyberyouth.orgs.demo import DEMO_PASSWORD
from cyberyouth.orgs.models import Role, RoleAssignment, Unit, User

from . import services
from .models import Consent, ConsentMethod, Enrolment, SchoolClass, SchoolYear, Student

GIVEN = ["An", "Bình", "Châu", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hoa", "Hùng", "Khánh", "Lan", "Linh",
         "Long", "Mai", "Minh", "Nam", "Ngọc", "Nhung", "Phong", "Phúc", "Quân", "Quỳnh", "Sơn", "Tâm", "Thảo",
         "Trang", "Tuấn", "Vy", "Yến", "Ánh", "Đức", "Ân", "Ơn"]
MIDDLE = ["Văn", "Thị", "Minh", "Ngọc", "Gia", "Bảo", "Thu", "Đức"]
FAMILY = ["Mẫu", "Thử"]
# school code → (grades, class letters, students per class). The schools with a demo focal point
# (THCS Cát Bà, THCS Cát Hải) keep declaring their figures, as a school that has not yet imported
# its roster does; the GDNN-GDTX centre has records for 2025-2026 only (its new roster is not in yet).
SCHOOLS = {
    "th-cat-ba": ([1, 2, 3, 4, 5], ["A"], 10),
    "th-thcs-hien-hao": ([1, 2, 3, 4, 5, 6, 7, 8, 9], ["A"], 8),
    "thpt-cat-ba": ([10, 11, 12], ["A", "B"], 12),
    "gdnn-gdtx-cat-hai": ([10, 11, 12], ["A", "B", "C", "D", "E", "F"], 26),  # its real size (~460)
}
NOT_PROMOTED = {"gdnn-gdtx-cat-hai"}
SMALL_CLASS = ("th-thcs-hien-hao", "9A", 4)  # a class under 5: its figures show "< 5"
TEACHERS = [("gvcn.thptcatba.10a", "Mẫu Thị Giáo", "thpt-cat-ba", "10A"),
            ("gvcn.thptcatba.10b", "Thử Văn Viên", "thpt-cat-ba", "10B")]
STUDENT_ACCOUNT = "hs.thptcatba.10a"  # a student with consent and an account (password DEMO_PASSWORD)
PDF = b"%PDF-1.4\n% phieu dong y (mau)\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def load(*, actor) -> None:
    if SchoolYear.objects.filter(name="2025-2026").exists():
        return
    with transaction.atomic():
        _load(actor)


def _load(actor) -> None:
    rng = random.Random(311)
    y25 = services.school_year_create(actor=actor, name="2025-2026", starts_on=date(2025, 9, 5),
                                      ends_on=date(2026, 5, 31))
    y26 = services.school_year_create(actor=actor, name="2026-2027", starts_on=date(2026, 9, 5),
                                      ends_on=date(2027, 5, 31))
    teachers = {}
    for username, name, school, class_name in TEACHERS:
        user = User.objects.filter(username=username).first() or org_services.user_create(
            actor=actor, username=username, full_name=name, password=DEMO_PASSWORD,
            email=f"{username}@cathai.example")
        org_services.role_grant(actor=actor, user=user, role=Role.HOMEROOM_TEACHER,
                                unit=Unit.objects.get(code=school), valid_from=date(2025, 8, 15))
        teachers[(school, class_name)] = user
    serial = 0
    for code, (grades, letters, size) in SCHOOLS.items():
        unit = Unit.objects.get(code=code)
        classes = []
        for grade in grades:
            for letter in letters:
                name = f"{grade}{letter}"
                classes.append(services.class_create(
                    actor=actor, unit=unit, school_year=y25, name=name, grade=grade,
                    programme="Trung cấp Kỹ thuật chế biến món ăn, khóa 2025" if code.startswith("gdnn") else "",
                    homeroom_teacher=teachers.get((code, name))))
        for school_class in classes:
            birth_year = 2025 - 5 - school_class.grade
            count = SMALL_CLASS[2] if (code, school_class.name) == SMALL_CLASS[:2] else size
            for _ in range(count):
                serial += 1
                student = Student.objects.create(
                    unit=unit, full_name=f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}",
                    date_of_birth=date(birth_year, rng.randint(1, 12), rng.randint(1, 28)),
                    gender=rng.choice("MF"), student_code=f"DEMO{serial:05d}",
                    guardian_name=f"{rng.choice(FAMILY)} Văn {rng.choice(GIVEN)}",
                    guardian_contact=f"0900{serial:06d}")
                Enrolment.objects.create(student=student, school_class=school_class, unit=unit,
                                         valid_from=y25.starts_on)
        _records(actor, rng, unit, classes, code)
    _student_account(actor)
    for code in SCHOOLS.keys() - NOT_PROMOTED:
        services.school_promote(actor=actor, unit=Unit.objects.get(code=code), from_year=y25, to_year=y26)
    # The new year has begun: one session at THPT Cát Bà already.
    thpt = Unit.objects.get(code="thpt-cat-ba")
    services.conduct_session_record(actor=actor, unit=thpt, held_on=date(2026, 9, 7), form="flag",
                                    classes=list(SchoolClass.objects.filter(unit=thpt, school_year=y26)),
                                    materials="Quyết định 874/QĐ-BTTTT, tờ gấp “4 điều nên làm”")


def _scan():
    return SimpleUploadedFile("phieu-dong-y.pdf", PDF, content_type="application/pdf")


def _records(actor, rng, unit, classes, code) -> None:
    """Consents in every state, sessions, acknowledgements and lessons of 2025-2026."""
    everyone = list(Student.objects.filter(unit=unit).order_by("id"))
    for i, student in enumerate(everyone):
        state = i % 10
        if state == 0:
            continue  # no answer: silence is not consent
        online = state in (1, 2)
        on = date(2025, 9, 20 + state)
        services._consent_create(actor=None if online else actor, student=student, purpose="account",
                                 guardian_name=student.guardian_name, student_agreed=True,
                                 method=ConsentMethod.ONLINE if online else ConsentMethod.PAPER, signed_on=on,
                                 scan=None if online else _scan())
        if state in (3, 4, 5, 6):
            services._consent_create(actor=actor, student=student, purpose="public_name",
                                     guardian_name=student.guardian_name, student_agreed=True,
                                     method=ConsentMethod.PAPER, signed_on=on, scan=_scan())
        if state in (5, 6):
            services._consent_create(actor=actor, student=student, purpose="photos",
                                     guardian_name=student.guardian_name, student_agreed=True,
                                     method=ConsentMethod.PAPER, signed_on=on, scan=_scan())
    # Two sessions: a flag ceremony for the whole school, a class meeting for most classes.
    services.conduct_session_record(actor=actor, unit=unit, held_on=date(2025, 9, 22), form="flag", classes=classes,
                                    materials="Quyết định 874/QĐ-BTTTT; video “Văn minh trên mạng”")
    services.conduct_session_record(actor=actor, unit=unit, held_on=date(2025, 10, 15), form="class",
                                    classes=classes[:-1], materials="Phiếu thảo luận tình huống")
    consented = set(Consent.objects.filter(student__unit=unit, purpose="account", withdrawn_at__isnull=True)
                    .values_list("student_id", flat=True))
    for school_class in classes:
        ids = [sid for sid in school_class.enrolments.values_list("student_id", flat=True) if sid in consented]
        keep = [sid for n, sid in enumerate(ids) if n % 7 != 6]  # a few have not signed the register yet
        services.conduct_register_record(actor=actor, school_class=school_class, student_ids=keep,
                                         on=date(2025, 10, 20))
        if code != "th-thcs-hien-hao" or school_class.grade != 9:  # Hiền Hào's 9A had no lesson
            services.safety_lesson_record(actor=actor, school_class=school_class, held_on=date(2025, 11, 12),
                                          topic="Mật khẩu mạnh và nhận diện lừa đảo trực tuyến",
                                          teacher_name="Mẫu Văn Tin", material="Bài giảng “An toàn trên mạng”")
    first = next(s for s in everyone if s.id in consented)
    services.conduct_violation_record(actor=actor, student=first, decided_on=date(2025, 11, 28),
                                      reason="Chia sẻ ảnh của bạn cùng lớp khi chưa được phép (biên bản của nhà trường)")
    # One family withdrew: the account consent is withdrawn and the child's named data de-identified.
    withdrawn = [s for s in everyone if s.id in consented][3]
    services.consent_withdraw(actor=actor, student=withdrawn, purpose="account", note="Phụ huynh đề nghị qua GVCN")
    services.student_deidentify(student_id=withdrawn.id, reason="withdrawal", actor=actor)


def _student_account(actor) -> None:
    """A student of 10A at THPT Cát Bà with consent, an account and a password (for trying the student pages)."""
    six_a = SchoolClass.objects.get(unit__code="thpt-cat-ba", school_year__name="2025-2026", name="10A")
    student = next(s for s in Student.objects.filter(enrolments__school_class=six_a).order_by("sort_key")
                   if services.selectors.has_consent(student=s) and s.deidentified_at is None)
    user = User.objects.filter(username=STUDENT_ACCOUNT).first() or User(username=STUDENT_ACCOUNT)
    user.full_name = student.full_name
    user.set_password(DEMO_PASSWORD)
    user.save()
    student.user = user
    student.save(update_fields=["user"])
    RoleAssignment.objects.get_or_create(user=user, role=Role.STUDENT, unit=student.unit,
                                         defaults={"valid_from": date(2025, 9, 5)})
