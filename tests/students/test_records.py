"""Consent, withdrawal and de-identification, promotion and transfer with history, the Code of
Conduct and safe-use records, the indicator providers and the small-group rule on class figures."""

from datetime import date, timedelta

import pytest
from django_tasks_db.models import DBTaskResult

from cyberyouth.audit.models import AuditEntry
from cyberyouth.errors import DomainError, NotFound
from cyberyouth.students import selectors, services
from cyberyouth.students.models import ConductAcknowledgement, Enrolment, SchoolYear, Student, StudentStatus
from cyberyouth.students.naming import sort_key
from cyberyouth.students.tasks import deidentify_student

from .conftest import scan

pytestmark = pytest.mark.django_db
TODAY = date.today()


def _consent(world, student, purpose="account", actor=None):
    return services.consent_record_paper(actor=actor or world["t6a"], student=student, purpose=purpose,
                                         guardian_name="Nguyễn Văn Bố", student_agreed=True, signed_on=TODAY,
                                         scan=scan())


def test_vietnamese_order_by_given_name_then_tones():
    names = ["Trần Văn Ánh", "Lê Thị Anh", "Nguyễn Ăn", "Phạm Bình", "Đỗ Đức", "Vũ Dũng", "Hà Ân"]
    ordered = sorted(names, key=sort_key)
    assert ordered == ["Lê Thị Anh", "Trần Văn Ánh", "Nguyễn Ăn", "Hà Ân", "Phạm Bình", "Vũ Dũng", "Đỗ Đức"]
    assert sort_key("Nguyễn Văn An") == sort_key("Nguye\u0302\u0303n Va\u0306n An")  # NFD input, same key


def test_child_of_seven_or_more_must_agree_too(world):
    student = world["a"][0]
    with pytest.raises(DomainError) as exc:
        services.consent_record_paper(actor=world["t6a"], student=student, purpose="account", guardian_name="Bố",
                                      student_agreed=False, signed_on=TODAY, scan=scan())
    assert exc.value.field == "student_agreed" and not student.consents.exists()
    with pytest.raises(DomainError) as exc:
        services.consent_record_paper(actor=world["t6a"], student=student, purpose="account", guardian_name="Bố",
                                      student_agreed=True, signed_on=TODAY, scan=None)
    assert exc.value.field == "scan"


def test_acknowledgement_needs_consent(world):
    student = world["a"][0]
    with pytest.raises(DomainError):
        services.conduct_register_record(actor=world["t6a"], school_class=world["c6a"], student_ids=[student.id],
                                         on=TODAY)
    assert not ConductAcknowledgement.objects.filter(student=student).exists()
    _consent(world, student)
    acks = services.conduct_register_record(actor=world["t6a"], school_class=world["c6a"],
                                            student_ids=[student.id], on=TODAY)
    assert len(acks) == 1 and acks[0].source == "paper"


def test_register_is_all_or_nothing(world):
    ok, missing = world["a"][0], world["a"][1]
    _consent(world, ok)
    with pytest.raises(DomainError):
        services.conduct_register_record(actor=world["t6a"], school_class=world["c6a"],
                                         student_ids=[ok.id, missing.id], on=TODAY)
    assert not ConductAcknowledgement.objects.filter(student=ok).exists()


def test_withdrawal_disables_account_and_worker_deidentifies(world, django_capture_on_commit_callbacks):
    from cyberyouth.orgs.models import User

    student = world["a"][2]
    student.guardian_name, student.guardian_contact = "Lê Văn Bố", "0912345678"
    student.user = User.objects.create_user(username="hs.cuong", password="Abc12345", full_name=student.full_name)
    student.save()
    _consent(world, student)
    _consent(world, student, purpose="photos")
    with django_capture_on_commit_callbacks(execute=True):
        services.consent_withdraw(actor=world["t6a"], student=student, purpose="account", note="Phụ huynh yêu cầu")
    student.refresh_from_db()
    assert not student.user.is_active and student.full_name == "Lê Văn Cường"  # the worker has not run yet
    job = DBTaskResult.objects.filter(task_path__endswith="deidentify_student").latest("enqueued_at")
    assert job.args_kwargs["args"][0] == student.id
    deidentify_student.call(student.id, "withdrawal")
    student.refresh_from_db()
    user = User.objects.get(id=student.user_id)
    assert student.full_name.startswith("Học sinh đã ẩn danh") and student.date_of_birth is None
    assert student.guardian_name == student.guardian_contact == ""
    assert user.full_name == "Học sinh đã ẩn danh" and not user.has_usable_password() and "cuong" not in user.username
    assert all(c.guardian_name == "—" and not c.scan and c.withdrawn_at for c in student.consents.all())
    entry = AuditEntry.objects.filter(action="students.deidentify", target_id=str(student.id)).get()
    assert "Cường" not in str(entry.after) and "Cường" not in entry.target_repr
    # figures stay: still enrolled in the class
    assert Enrolment.objects.filter(student=student, valid_to__isnull=True).exists()


def test_students_who_left_long_ago_are_deidentified(world, settings):
    settings.STUDENT_RETENTION_DAYS = 30
    gone, recent = world["n9"]
    services.student_leave(actor=world["fp"], student=gone, on=TODAY - timedelta(days=40))
    services.student_leave(actor=world["fp"], student=recent, on=TODAY - timedelta(days=20))
    assert services.students_expire() >= 1
    gone.refresh_from_db()
    recent.refresh_from_db()
    assert gone.deidentified_at is not None and gone.full_name.startswith("Học sinh đã ẩn danh")
    assert recent.deidentified_at is None and recent.full_name == "Đặng Thị Mơ"
    assert AuditEntry.objects.filter(action="students.deidentify", target_id=str(gone.id),
                                     after__reason="retention").exists()


def test_promotion_keeps_history_and_graduates_last_grade(world):
    year = world["year"]
    nxt = SchoolYear.objects.create(name="T-next", starts_on=year.ends_on + timedelta(days=90),
                                    ends_on=year.ends_on + timedelta(days=360))
    repeater = world["a"][5]
    result = services.school_promote(actor=world["fp"], unit=world["catba"], from_year=year, to_year=nxt,
                                     repeaters={repeater.id})
    assert result == {"promoted": 8, "repeated": 1, "graduated": 2}
    an = world["a"][0]
    rows = list(Enrolment.objects.filter(student=an).order_by("valid_from"))
    assert [r.school_class.name for r in rows] == ["T6A", "T7A"] and rows[0].end_reason == "promoted"
    assert rows[1].school_class.homeroom_teacher == world["t6a"]
    assert Enrolment.objects.get(student=repeater, valid_to__isnull=True).school_class.name == "T6A"
    assert Student.objects.get(id=world["n9"][0].id).status == StudentStatus.GRADUATED
    # the old year's class still has its students
    assert Enrolment.objects.filter(school_class=world["c6a"]).count() == 6


def test_transfer_keeps_old_school_figures(world, people):
    mover = world["a"][0]
    day = max(TODAY, world["year"].starts_on + timedelta(days=1))
    if day > TODAY:
        pytest.skip("the school year has not started")
    services.student_transfer(actor=world["fp"], student=mover, to_unit=world["cathai"], on=day)
    mover.refresh_from_db()
    assert mover.unit == world["cathai"] and mover.status == StudentStatus.AWAITING
    old = Enrolment.objects.get(student=mover)
    assert old.unit == world["catba"] and old.end_reason == "transferred"
    assert mover not in selectors.students_visible(actor=world["fp"])
    cathai_fp = people["daumoi.thcscathai"]
    assert mover in selectors.students_visible(actor=cathai_fp)
    with pytest.raises(NotFound):  # not into the old school's class
        services.student_place(actor=cathai_fp, student=mover, school_class=world["c6a"], on=day)
    services.student_place(actor=cathai_fp, student=mover, school_class=world["cx"], on=day)
    assert [e.unit for e in Enrolment.objects.filter(student=mover).order_by("id")] == [world["catba"], world["cathai"]]


def test_providers_count_records(world):
    year, catba = world["year"], world["catba"]
    report_year = max(TODAY.year if TODAY >= date(TODAY.year, 9, 1) else TODAY.year, year.starts_on.year)
    day = selectors.report_day(report_year)
    if not year.starts_on <= day <= year.ends_on:
        pytest.skip("report day outside the school year")
    ids = {catba.id, world["cathai"].id}
    assert selectors.enrolled_by_unit(unit_ids=ids, year=report_year) == {catba.id: 11, world["cathai"].id: 2}
    for s in world["a"][:3]:
        _consent(world, s)
    services.conduct_register_record(actor=world["t6a"], school_class=world["c6a"],
                                      student_ids=[s.id for s in world["a"][:3]], on=TODAY)
    services.conduct_session_record(actor=world["fp"], unit=catba, held_on=TODAY, form="flag",
                                    classes=[world["c6b"]])
    services.conduct_violation_record(actor=world["fp"], student=world["a"][0], decided_on=TODAY,
                                      reason="Đăng tin sai sự thật về bạn cùng lớp")
    assert selectors.conduct_reached_by_unit(unit_ids=ids, year=report_year)[catba.id] == 3 + 3
    assert selectors.conduct_following_by_unit(unit_ids=ids, year=report_year) == {catba.id: 2, world["cathai"].id: 0}
    assert selectors.teaches_safety_by_unit(unit_ids=ids, year=report_year)[catba.id] == 0
    for c in (world["c6a"], world["c6b"], world["c9"]):
        services.safety_lesson_record(actor=world["fp"], school_class=c, held_on=TODAY, topic="Mật khẩu an toàn",
                                      teacher_name="Cô Lan")
    assert selectors.teaches_safety_by_unit(unit_ids=ids, year=report_year) == {catba.id: 1, world["cathai"].id: 0}


def test_class_figures_follow_the_small_group_rule(world):
    figures = selectors.class_figures(actor=world["fp"], school_year=world["year"], unit=world["catba"])
    sizes = {row["class"].name: str(row["size"]) for row in figures["classes"]}
    # 6A has 6 (shown), 6B 3 and 9A 2 (hidden), total 11 shown
    assert sizes == {"T6A": "6", "T6B": "< 5", "T9A": "< 5"} and str(figures["total"]) == "11"
    acks = {row["class"].name: str(row["acknowledged"]) for row in figures["classes"]}
    assert set(acks.values()) == {"0"}
