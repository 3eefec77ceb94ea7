"""Every write to school years, classes, students, consent and the Code-of-Conduct and safe-use
records. Keyword-only, one transaction each, audited. The audit log keeps ids, never a student's
name: it is append-only, and a name written there could not be de-identified later."""

import hashlib
import re
import secrets
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cyberyouth.audit.services import audit_record
from cyberyouth.errors import DomainError, ErrorCode, NotFound, ScopeError
from cyberyouth.orgs import selectors as org_selectors
from cyberyouth.orgs.models import SCHOOL_TYPES, Unit
from cyberyouth.uploads import check_upload

from . import selectors
from .models import (
    AckSource, Consent, ConsentCode, LoginCode, ConsentMethod, ConsentPurpose, ConductAcknowledgement, ConductSession,
    ConductViolation, EndReason, Enrolment, SafetyLesson, SchoolClass, SchoolYear, SessionForm, Student,
    StudentStatus,
)
from .naming import clean_name

# The last grade of each kind of school: promotion past it means the student graduates.
LAST_GRADE = {"primary": 5, "primary_lower_secondary": 9, "lower_secondary": 9, "upper_secondary": 12}
CHILD_CONSENT_AGE = 7  # Law 91/2025/QH15: from 7, the child consents too


def _actor(actor):
    return actor if getattr(actor, "pk", None) else None


def _require_school(unit: Unit) -> None:
    if unit.unit_type not in SCHOOL_TYPES:
        raise DomainError("Chỉ trường học, cơ sở giáo dục mới có lớp và học sinh.", field="unit")


# ---------------------------------------------------------------- school years and classes


@transaction.atomic
def school_year_create(*, actor, name: str, starts_on: date, ends_on: date) -> SchoolYear:
    """Add a school year (e.g. "2025-2026"); dates can be changed later."""
    org_selectors.require(actor=actor, capability="schoolyear.manage")
    name = clean_name(name).replace("–", "-")
    if not name:
        raise DomainError("Nhập tên năm học, ví dụ 2025-2026.", field="name")
    if ends_on <= starts_on:
        raise DomainError("Ngày kết thúc năm học phải sau ngày bắt đầu.", field="ends_on")
    if SchoolYear.objects.filter(name=name).exists():
        raise DomainError(f"Năm học {name} đã có.", field="name", code=ErrorCode.CONFLICT)
    overlap = SchoolYear.objects.filter(starts_on__lt=ends_on, ends_on__gt=starts_on).first()
    if overlap:
        raise DomainError(f"Trùng thời gian với năm học {overlap.name}.", field="starts_on")
    year = SchoolYear.objects.create(name=name, starts_on=starts_on, ends_on=ends_on)
    audit_record(actor=actor, action="students.schoolyear_create", target=year,
                 after={"name": name, "starts_on": starts_on.isoformat(), "ends_on": ends_on.isoformat()})
    return year


def _check_teacher(unit: Unit, teacher) -> None:
    if teacher is None:
        return
    if not org_selectors.can(actor=teacher, capability="class.teach", unit=unit) and not org_selectors.can(
            actor=teacher, capability="student.manage", unit=unit):
        raise DomainError("Người này chưa có vai trò giáo viên chủ nhiệm tại trường.", field="homeroom_teacher")


@transaction.atomic
def class_create(*, actor, unit: Unit, school_year: SchoolYear, name: str, grade: int | None = None,
                 programme: str = "", homeroom_teacher=None) -> SchoolClass:
    """Open a class of a school for a school year."""
    org_selectors.require(actor=actor, capability="student.manage", unit=unit)
    _require_school(unit)
    name = clean_name(name)
    if not name:
        raise DomainError("Nhập tên lớp, ví dụ 6A.", field="name")
    if grade is not None and not 1 <= grade <= 12:
        raise DomainError("Khối lớp từ 1 đến 12.", field="grade")
    if SchoolClass.objects.filter(unit=unit, school_year=school_year, name=name).exists():
        raise DomainError(f"Lớp {name} năm học {school_year} đã có.", field="name", code=ErrorCode.CONFLICT)
    _check_teacher(unit, homeroom_teacher)
    school_class = SchoolClass.objects.create(unit=unit, school_year=school_year, name=name, grade=grade,
                                              programme=clean_name(programme), homeroom_teacher=homeroom_teacher)
    audit_record(actor=actor, action="students.class_create", target=school_class,
                 after={"unit": unit.code, "year": school_year.name, "name": name, "grade": grade,
                        "teacher": getattr(homeroom_teacher, "username", None)})
    return school_class


@transaction.atomic
def class_set_teacher(*, actor, school_class: SchoolClass, teacher) -> SchoolClass:
    """Name (or remove, with None) a class's homeroom teacher."""
    org_selectors.require(actor=actor, capability="student.manage", unit=school_class.unit)
    _check_teacher(school_class.unit, teacher)
    before = {"teacher": getattr(school_class.homeroom_teacher, "username", None)}
    school_class.homeroom_teacher = teacher
    school_class.save(update_fields=["homeroom_teacher"])
    audit_record(actor=actor, action="students.class_teacher", target=school_class, before=before,
                 after={"teacher": getattr(teacher, "username", None)})
    return school_class


def _next_name(name: str, grade: int) -> str:
    """6A → 7A, 10A1 → 11A1, K6A → K7A: the grade number in the name moves up; a name without it
    gets the new grade added."""
    match = re.search(rf"(?<!\d){grade}(?!\d)", name)
    if match:
        return f"{name[:match.start()]}{grade + 1}{name[match.end():]}"
    return f"{name} ({grade + 1})"


@transaction.atomic
def school_promote(*, actor, unit: Unit, from_year: SchoolYear, to_year: SchoolYear,
                   repeaters: set[int] | frozenset[int] = frozenset()) -> dict:
    """End of year for a whole school: every class of `from_year` moves up one grade into a class
    of `to_year` (6A → 7A, made if missing, same homeroom teacher); students of the last grade
    graduate. `repeaters` (student ids) stay in the same grade. History is kept: the old
    enrolments end the day before `to_year` starts."""
    org_selectors.require(actor=actor, capability="student.manage", unit=unit)
    if to_year.starts_on <= from_year.starts_on:
        raise DomainError("Năm học mới phải sau năm học cũ.", field="to_year")
    day = to_year.starts_on
    last = LAST_GRADE.get(unit.unit_type, 12)
    moved = graduated = repeated = 0
    for school_class in SchoolClass.objects.filter(unit=unit, school_year=from_year).order_by("grade", "name"):
        enrolments = list(Enrolment.objects.select_for_update().filter(school_class=school_class,
                                                                       valid_to__isnull=True))
        if not enrolments:
            continue
        if school_class.grade is None:
            raise DomainError(f"Lớp {school_class.name} không có khối: xếp lớp năm học mới cho từng học sinh.",
                              field="grade")
        targets: dict[bool, SchoolClass | None] = {}
        for repeat in (False, True):
            grade = school_class.grade if repeat else school_class.grade + 1
            if not repeat and last is not None and school_class.grade >= last:
                targets[repeat] = None
                continue
            name = school_class.name if repeat else _next_name(school_class.name, school_class.grade)
            targets[repeat], _ = SchoolClass.objects.get_or_create(
                unit=unit, school_year=to_year, name=name,
                defaults={"grade": grade, "programme": school_class.programme,
                          "homeroom_teacher": school_class.homeroom_teacher if not repeat else None})
        for enrolment in enrolments:
            repeat = enrolment.student_id in repeaters
            target = targets[repeat]
            end = max(day, enrolment.valid_from + timedelta(days=1))
            enrolment.valid_to = end
            if target is None:
                enrolment.end_reason = EndReason.GRADUATED
                Student.objects.filter(id=enrolment.student_id).update(status=StudentStatus.GRADUATED, left_on=end)
                graduated += 1
            else:
                enrolment.end_reason = EndReason.REPEATED if repeat else EndReason.PROMOTED
                repeated += repeat
                moved += not repeat
            enrolment.save(update_fields=["valid_to", "end_reason"])
            if target is not None:
                Enrolment.objects.create(student_id=enrolment.student_id, school_class=target, unit=unit,
                                         valid_from=end)
    result = {"promoted": moved, "repeated": repeated, "graduated": graduated}
    audit_record(actor=actor, action="students.promote", target=unit,
                 after={"from": from_year.name, "to": to_year.name, **result})
    return result


def _close_enrolment(student: Student, on: date, reason: str) -> None:
    enrolment = Enrolment.objects.select_for_update().filter(student=student, valid_to__isnull=True).first()
    if enrolment is None:
        return
    if on <= enrolment.valid_from:
        raise DomainError(f"Ngày phải sau ngày vào lớp ({enrolment.valid_from:%d/%m/%Y}).", field="on")
    enrolment.valid_to, enrolment.end_reason = on, reason
    enrolment.save(update_fields=["valid_to", "end_reason"])


@transaction.atomic
def student_transfer(*, actor, student: Student, to_unit: Unit, on: date) -> Student:
    """Transfer a student to another school: their class here ends on `on` (the old school keeps
    its past figures), the new school then places them in a class."""
    selectors.require_student(actor=actor, student=student, capability="student.manage")
    # Any school of the system may receive a student (the list of schools is public).
    if not to_unit.is_active_on(on):
        raise NotFound("Không tìm thấy trường chuyển đến.")
    _require_school(to_unit)
    if to_unit.id == student.unit_id:
        raise DomainError("Trường chuyển đến trùng trường hiện tại.", field="to_unit")
    before = {"unit": student.unit.code, "status": student.status}
    _close_enrolment(student, on, EndReason.TRANSFERRED)
    student.unit, student.status = to_unit, StudentStatus.AWAITING
    student.save(update_fields=["unit", "status"])
    audit_record(actor=actor, action="students.transfer", target=student, before=before,
                 after={"unit": to_unit.code, "on": on.isoformat()})
    return student


@transaction.atomic
def student_place(*, actor, student: Student, school_class: SchoolClass, on: date) -> Enrolment:
    """Put a student of the school into a class from `on` (a newcomer, a transfer, a class change)."""
    selectors.require_class(actor=actor, school_class=school_class, capability="student.manage")
    if student.unit_id != school_class.unit_id:
        raise NotFound("Không tìm thấy học sinh.")
    if student.status in (StudentStatus.LEFT, StudentStatus.GRADUATED):
        raise DomainError("Học sinh đã rời trường.", field="student")
    if not school_class.school_year.starts_on <= on < school_class.school_year.ends_on + timedelta(days=1):
        raise DomainError(f"Ngày vào lớp phải trong năm học {school_class.school_year}.", field="on")
    current = selectors.open_enrolment(student)
    if current is not None and current.school_class_id == school_class.id:
        return current
    _close_enrolment(student, on, EndReason.MOVED)
    enrolment = Enrolment.objects.create(student=student, school_class=school_class, unit=school_class.unit,
                                         valid_from=on)
    Student.objects.filter(id=student.id).update(status=StudentStatus.ENROLLED, left_on=None)
    audit_record(actor=actor, action="students.place", target=student,
                 after={"class": school_class.id, "on": on.isoformat()})
    return enrolment


@transaction.atomic
def student_leave(*, actor, student: Student, on: date, graduated: bool = False) -> Student:
    """The student left the school (or graduated) on `on`; their named data is deleted
    STUDENT_RETENTION_DAYS later by the worker."""
    selectors.require_student(actor=actor, student=student, capability="student.manage")
    _close_enrolment(student, on, EndReason.GRADUATED if graduated else EndReason.LEFT)
    student.status = StudentStatus.GRADUATED if graduated else StudentStatus.LEFT
    student.left_on = on
    student.save(update_fields=["status", "left_on"])
    if student.user_id:
        type(student.user).objects.filter(id=student.user_id).update(is_active=False)
    audit_record(actor=actor, action="students.leave", target=student,
                 after={"status": student.status, "on": on.isoformat()})
    return student


def check_guardian_contact(value: str) -> str:
    value = clean_name(value)
    if value and not any(ch.isdigit() for ch in value) and "@" not in value:
        raise DomainError("Liên hệ của cha mẹ là số điện thoại hoặc thư điện tử.", field="guardian_contact")
    return value


# ---------------------------------------------------------------- consent


def _check_purpose(purpose: str) -> None:
    if purpose not in ConsentPurpose.values:
        raise DomainError("Mục đích không hợp lệ.", field="purpose")


def _check_child(student: Student, student_agreed: bool, on: date) -> None:
    age = student.age_on(on)
    if (age is None or age >= CHILD_CONSENT_AGE) and not student_agreed:
        raise DomainError("Học sinh từ 7 tuổi trở lên phải cùng đồng ý (Luật Bảo vệ dữ liệu cá nhân).",
                          field="student_agreed")


def _consent_create(*, actor, student: Student, purpose: str, guardian_name: str, student_agreed: bool,
                    method: str, signed_on: date, scan=None) -> Consent:
    _check_purpose(purpose)
    guardian_name = clean_name(guardian_name)
    if not guardian_name:
        raise DomainError("Ghi họ tên cha mẹ hoặc người giám hộ đã đồng ý.", field="guardian_name")
    if signed_on > org_selectors.today():
        raise DomainError("Ngày ký không được ở tương lai.", field="signed_on")
    if student.deidentified_at is not None:
        raise DomainError("Dữ liệu của học sinh này đã được ẩn danh.", field="student")
    _check_child(student, student_agreed, signed_on)
    if Consent.objects.select_for_update().filter(student=student, purpose=purpose,
                                                  withdrawn_at__isnull=True).exists():
        raise DomainError("Đã có đồng ý còn hiệu lực cho mục đích này.", field="purpose", code=ErrorCode.CONFLICT)
    consent = Consent(student=student, purpose=purpose, guardian_name=guardian_name, student_agreed=student_agreed,
                      method=method, signed_on=signed_on, recorded_by=_actor(actor))
    if scan is not None:
        consent.scan.save(f"dong-y-{student.id}-{purpose}{checked_suffix(scan)}", scan, save=False)
    consent.save()
    audit_record(actor=actor, action="students.consent_give", target=consent,
                 after={"student": student.id, "purpose": purpose, "method": method,
                        "student_agreed": student_agreed, "signed_on": signed_on.isoformat()})
    return consent


def checked_suffix(upload) -> str:
    name = getattr(upload, "name", "") or ""
    return name[name.rfind("."):].lower() if "." in name else ""


@transaction.atomic
def consent_record_paper(*, actor, student: Student, purpose: str, guardian_name: str, student_agreed: bool,
                         signed_on: date, scan) -> Consent:
    """A signed paper consent form, recorded by the teacher with its scan (PDF or photo)."""
    selectors.require_student(actor=actor, student=student, capability="consent.record")
    if scan is None:
        raise DomainError("Đính kèm bản quét phiếu đồng ý có chữ ký.", field="scan")
    check_upload(scan, allowed=(".pdf", ".jpg", ".jpeg", ".png"), max_bytes=settings.EVIDENCE_MAX_BYTES, field="scan")
    return _consent_create(actor=actor, student=student, purpose=purpose, guardian_name=guardian_name,
                           student_agreed=student_agreed, method=ConsentMethod.PAPER, signed_on=signed_on,
                           scan=scan)


def _hash_code(code: str) -> str:
    return hashlib.sha256(code.strip().upper().replace("-", "").replace(" ", "").encode()).hexdigest()


# The username a de-identified student's account takes; other apps' signals recognise it.
DEIDENTIFIED_PREFIX = "hs-an-danh-"
_CODE_ALPHABET = "ACDEFGHJKLMNPQRTUVWXY34679"  # no look-alikes (0/O, 1/I, 5/S, 8/B, 2/Z)


def new_code(length: int = 10) -> str:
    raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(length))
    return f"{raw[:5]}-{raw[5:]}"


@transaction.atomic
def consent_codes_issue(*, actor, school_class: SchoolClass) -> list[tuple[Student, str]]:
    """A fresh one-time code per student of the class for the consent letters (earlier unused
    codes stop working). The codes are returned once, to print; only hashes are kept."""
    selectors.require_class(actor=actor, school_class=school_class, capability="consent.record")
    students = selectors.class_students(actor=actor, school_class=school_class)
    ConsentCode.objects.filter(student__in=students, used_at__isnull=True).delete()
    issued = []
    for student in students:
        code = new_code()
        ConsentCode.objects.create(student=student, code_hash=_hash_code(code))
        issued.append((student, code))
    audit_record(actor=actor, action="students.consent_codes", target=school_class,
                 after={"students": len(issued)})
    return issued


def consent_code_student(*, code: str) -> Student:
    """The student a consent letter's code is for (NotFound for a wrong or used code)."""
    row = ConsentCode.objects.filter(code_hash=_hash_code(code or ""), used_at__isnull=True).select_related(
        "student").first()
    if row is None or row.student.deidentified_at is not None:
        raise NotFound("Mã không đúng hoặc đã được dùng.")
    return row.student


@transaction.atomic
def consent_online(*, code: str, guardian_name: str, purposes: list[str], student_agreed: bool) -> list[Consent]:
    """A parent's consent online with the one-time code of the consent letter (no account)."""
    student = consent_code_student(code=code)
    if not purposes:
        raise DomainError("Chọn ít nhất một mục đích đồng ý.", field="purposes")
    made = []
    for purpose in dict.fromkeys(purposes):
        if selectors.has_consent(student=student, purpose=purpose):
            continue
        made.append(_consent_create(actor=None, student=student, purpose=purpose, guardian_name=guardian_name,
                                    student_agreed=student_agreed, method=ConsentMethod.ONLINE,
                                    signed_on=org_selectors.today()))
    ConsentCode.objects.filter(code_hash=_hash_code(code)).update(used_at=timezone.now())
    return made


@transaction.atomic
def consent_withdraw(*, actor, student: Student, purpose: str, note: str = "") -> Consent:
    """Withdraw a consent. Withdrawing the account consent disables the student's account at once
    and asks the worker to de-identify their named data (audited there)."""
    selectors.require_student(actor=actor, student=student, capability="consent.record")
    _check_purpose(purpose)
    consent = Consent.objects.select_for_update().filter(student=student, purpose=purpose,
                                                         withdrawn_at__isnull=True).first()
    if consent is None:
        raise DomainError("Không có đồng ý còn hiệu lực cho mục đích này.", field="purpose")
    consent.withdrawn_at, consent.withdrawn_by = timezone.now(), _actor(actor)
    consent.withdrawal_note = clean_name(note)[:300]
    consent.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_note"])
    audit_record(actor=actor, action="students.consent_withdraw", target=consent,
                 after={"student": student.id, "purpose": purpose})
    if purpose == ConsentPurpose.ACCOUNT:
        if student.user_id:
            type(student.user).objects.filter(id=student.user_id).update(is_active=False)
        student_id = student.id
        transaction.on_commit(lambda: _enqueue_deidentify(student_id))
    return consent


def _enqueue_deidentify(student_id: int) -> None:
    from .tasks import deidentify_student

    deidentify_student.enqueue(student_id, "withdrawal")


DEIDENTIFIED_NAME = "Học sinh đã ẩn danh"


@transaction.atomic
def student_deidentify(*, student_id: int, reason: str, actor=None) -> Student | None:
    """Remove a student's named data: name, date of birth, code, parent's name and contact, the
    account's names and password, consent scans and the guardian's name on consents. Figures stay
    (enrolments, acknowledgements, lessons keep counting, without a name). Idempotent."""
    student = Student.objects.select_for_update().filter(id=student_id).first()
    if student is None or student.deidentified_at is not None:
        return student
    student.full_name = f"{DEIDENTIFIED_NAME} #{student.id}"
    student.date_of_birth = None
    student.student_code = ""
    student.guardian_name = student.guardian_contact = ""
    student.deidentified_at = timezone.now()
    student.save()
    # Without a name, no other consent has anything left to apply to.
    Consent.objects.filter(student=student, withdrawn_at__isnull=True).update(withdrawn_at=timezone.now(),
                                                                            withdrawal_note="ẩn danh")
    for consent in Consent.objects.filter(student=student):
        if consent.scan:
            consent.scan.delete(save=False)
        consent.guardian_name = "—"
        consent.save(update_fields=["scan", "guardian_name"])
    ConsentCode.objects.filter(student=student).delete()
    LoginCode.objects.filter(student=student).delete()
    ConductViolation.objects.filter(student=student).update(reason="—")  # a reason may name the child
    if student.user_id:
        user = student.user
        user.username = f"{DEIDENTIFIED_PREFIX}{student.id}"
        user.full_name = DEIDENTIFIED_NAME
        user.email = ""
        user.is_active = False
        user.set_unusable_password()
        user.save()
    audit_record(actor=actor, action="students.deidentify", target=student, after={"reason": reason})
    return student


def students_expire(*, now=None) -> int:
    """De-identify students who left more than STUDENT_RETENTION_DAYS ago (the worker, daily)."""
    day = (now or timezone.now()).date() - timedelta(days=int(getattr(settings, "STUDENT_RETENTION_DAYS", 365)))
    ids = list(Student.objects.filter(deidentified_at__isnull=True, left_on__isnull=False, left_on__lt=day,
                                      status__in=[StudentStatus.LEFT, StudentStatus.GRADUATED])
               .values_list("id", flat=True))
    for student_id in ids:
        student_deidentify(student_id=student_id, reason="retention")
    return len(ids)


# ---------------------------------------------------------------- Code of Conduct and safe-use lessons


@transaction.atomic
def conduct_session_record(*, actor, unit: Unit, held_on: date, form: str, classes: list[SchoolClass],
                           materials: str = "") -> ConductSession:
    """A propaganda session on the Code of Conduct and the classes it reached."""
    if form not in SessionForm.values:
        raise DomainError("Chọn hình thức tuyên truyền.", field="form")
    if not classes:
        raise DomainError("Chọn ít nhất một lớp.", field="classes")
    if held_on > org_selectors.today():
        raise DomainError("Ngày tuyên truyền không được ở tương lai.", field="held_on")
    for school_class in classes:
        if school_class.unit_id != unit.id:
            raise NotFound("Không tìm thấy lớp.")
        selectors.require_class(actor=actor, school_class=school_class, capability="conduct.record")
    school_year = classes[0].school_year
    if any(c.school_year_id != school_year.id for c in classes):
        raise DomainError("Các lớp phải cùng một năm học.", field="classes")
    if not school_year.starts_on <= held_on <= school_year.ends_on:
        raise DomainError(f"Ngày phải trong năm học {school_year}.", field="held_on")
    session = ConductSession.objects.create(unit=unit, school_year=school_year, held_on=held_on, form=form,
                                            materials=clean_name(materials), recorded_by=_actor(actor))
    session.classes.set(classes)
    audit_record(actor=actor, action="students.conduct_session", target=session,
                 after={"unit": unit.code, "held_on": held_on.isoformat(), "form": form,
                        "classes": [c.id for c in classes]})
    return session


def _ack(*, actor, student: Student, on: date, source: str) -> ConductAcknowledgement:
    if not selectors.has_consent(student=student):
        raise DomainError("Chưa có đồng ý của phụ huynh và học sinh để lưu cam kết có ghi tên.",
                          field="student", code=ErrorCode.FORBIDDEN)
    enrolment = selectors.open_enrolment(student)
    if enrolment is None:
        raise DomainError("Học sinh chưa được xếp lớp.", field="student")
    school_year = enrolment.school_class.school_year
    existing = ConductAcknowledgement.objects.filter(student=student, school_year=school_year).first()
    if existing is not None:
        return existing
    ack = ConductAcknowledgement.objects.create(student=student, school_year=school_year, unit=enrolment.unit,
                                                acknowledged_on=on, source=source, recorded_by=_actor(actor))
    audit_record(actor=actor, action="students.conduct_ack", target=ack,
                 after={"student": student.id, "year": school_year.name, "source": source})
    return ack


@transaction.atomic
def conduct_acknowledge(*, actor) -> ConductAcknowledgement:
    """The signed-in student commits to follow the Code this school year (in the app)."""
    student = Student.objects.filter(user_id=getattr(actor, "pk", None)).first()
    if student is None:
        raise ScopeError("Chỉ học sinh có tài khoản mới cam kết trên ứng dụng.")
    return _ack(actor=actor, student=student, on=org_selectors.today(), source=AckSource.APP)


@transaction.atomic
def conduct_register_record(*, actor, school_class: SchoolClass, student_ids: list[int],
                            on: date) -> list[ConductAcknowledgement]:
    """The homeroom teacher records the acknowledgements of a class's paper register. All or none:
    a student outside the class or without consent refuses the whole register."""
    selectors.require_class(actor=actor, school_class=school_class, capability="conduct.record")
    if on > org_selectors.today():
        raise DomainError("Ngày cam kết không được ở tương lai.", field="on")
    in_class = {s.id: s for s in selectors.class_students(actor=actor, school_class=school_class)}
    acks = []
    for sid in dict.fromkeys(student_ids):
        if sid not in in_class:
            raise NotFound("Không tìm thấy học sinh trong lớp.")
        acks.append(_ack(actor=actor, student=in_class[sid], on=on, source=AckSource.PAPER))
    return acks


@transaction.atomic
def conduct_violation_record(*, actor, student: Student, decided_on: date, reason: str) -> ConductViolation:
    """The school's decision that a student did not follow the Code this school year."""
    selectors.require_student(actor=actor, student=student, capability="student.manage")
    reason = clean_name(reason)
    if len(reason) < 5:
        raise DomainError("Ghi lý do của quyết định.", field="reason")
    school_year = selectors.school_year_on(decided_on)
    if school_year is None:
        raise DomainError("Ngày quyết định không thuộc năm học nào.", field="decided_on")
    violation = ConductViolation.objects.create(student=student, school_year=school_year, unit=student.unit,
                                                decided_on=decided_on, reason=reason, recorded_by=_actor(actor))
    audit_record(actor=actor, action="students.conduct_violation", target=violation,
                 after={"student": student.id, "year": school_year.name})
    return violation


@transaction.atomic
def safety_lesson_record(*, actor, school_class: SchoolClass, held_on: date, topic: str, teacher_name: str,
                         material: str = "") -> SafetyLesson:
    """A lesson on using cyberspace safely, taught to a class."""
    selectors.require_class(actor=actor, school_class=school_class, capability="conduct.record")
    topic, teacher_name = clean_name(topic), clean_name(teacher_name)
    if not topic:
        raise DomainError("Ghi chủ đề tiết học.", field="topic")
    if not teacher_name:
        raise DomainError("Ghi tên giáo viên dạy.", field="teacher_name")
    year = school_class.school_year
    if held_on > org_selectors.today() or not year.starts_on <= held_on <= year.ends_on:
        raise DomainError(f"Ngày dạy phải trong năm học {year} và không ở tương lai.", field="held_on")
    lesson = SafetyLesson.objects.create(school_class=school_class, held_on=held_on, topic=topic,
                                         teacher_name=teacher_name, material=clean_name(material),
                                         recorded_by=_actor(actor))
    audit_record(actor=actor, action="students.safety_lesson", target=lesson,
                 after={"class": school_class.id, "held_on": held_on.isoformat(), "topic": topic})
    return lesson


# ---------------------------------------------------------------- roster import


@transaction.atomic
def roster_apply(*, actor, unit: Unit, school_year: SchoolYear, rows):
    """Write an import's plan (see `roster.plan`): new classes, new students enrolled, changed
    details, class moves. All or nothing; applying the same rows again changes nothing."""
    from . import roster
    from .naming import sort_key

    org_selectors.require(actor=actor, capability="student.manage", unit=unit)
    _require_school(unit)
    plan = roster.plan(unit=unit, school_year=school_year, rows=rows)
    grades = {r.class_name: r.grade for r in rows}
    for name in plan.new_classes:
        SchoolClass.objects.create(unit=unit, school_year=school_year, name=name, grade=grades.get(name))
    classes = {c.name: c for c in SchoolClass.objects.filter(unit=unit, school_year=school_year)}
    day = min(max(org_selectors.today(), school_year.starts_on), school_year.ends_on)
    new = [Student(unit=unit, full_name=r.full_name, sort_key=sort_key(r.full_name), date_of_birth=r.date_of_birth,
                   gender=r.gender, student_code=r.student_code, guardian_name=r.guardian_name,
                   guardian_contact=r.guardian_contact) for r in plan.added]
    Student.objects.bulk_create(new, batch_size=1000)  # SQLite ≥ 3.35 and PostgreSQL return the ids
    Enrolment.objects.bulk_create([
        Enrolment(student=s, school_class=classes[r.class_name], unit=unit, valid_from=day)
        for s, r in zip(new, plan.added, strict=True)], batch_size=1000)
    for student_id, row, fields in plan.updated:
        student = Student.objects.get(id=student_id)
        for f in fields:
            setattr(student, f, getattr(row, f))
        student.save()
    for student_id, row, _ in plan.moved:
        target = classes[row.class_name]
        current = Enrolment.objects.filter(student_id=student_id, valid_to__isnull=True).first()
        if current is not None:
            if current.valid_from >= day:
                current.school_class = target
                current.save(update_fields=["school_class"])
                continue
            current.valid_to, current.end_reason = day, EndReason.MOVED
            current.save(update_fields=["valid_to", "end_reason"])
        Enrolment.objects.create(student_id=student_id, school_class=target, unit=unit, valid_from=day)
        Student.objects.filter(id=student_id).update(status=StudentStatus.ENROLLED)
    audit_record(actor=actor, action="students.roster_import", target=unit,
                 after={"year": school_year.name, "added": len(plan.added), "updated": len(plan.updated),
                        "moved": len(plan.moved), "new_classes": plan.new_classes})
    return plan


# ---------------------------------------------------------------- student accounts


LOGIN_CODE_DAYS = 30


def _username(student: Student) -> str:
    return f"hs{student.id:06d}"


@transaction.atomic
def login_codes_issue(*, actor, school_class: SchoolClass) -> list[tuple[Student, str, str]]:
    """For every student of the class whose family consented to an account: the account (made
    if missing, with no password yet, holding the student role at the school) and a fresh
    one-time login code, valid LOGIN_CODE_DAYS days (earlier unused codes stop working). Returns
    (student, username, code) to print once; only hashes are kept. Students without consent get
    no account (silence is not consent)."""
    from cyberyouth.orgs.models import Role, RoleAssignment, User

    selectors.require_class(actor=actor, school_class=school_class, capability="consent.record")
    students = selectors.class_students(actor=actor, school_class=school_class)
    consented = selectors.live_consents(student_ids=[s.id for s in students])
    issued = []
    expires = timezone.now() + timedelta(days=LOGIN_CODE_DAYS)
    for student in students:
        if ConsentPurpose.ACCOUNT not in consented.get(student.id, set()) or student.deidentified_at:
            continue
        if student.user_id is None:
            user = User(username=_username(student), full_name=student.full_name)
            user.set_unusable_password()
            user.save()
            student.user = user
            student.save(update_fields=["user"])
            audit_record(actor=actor, action="students.account_create", target=student,
                         after={"username": user.username})
        user = student.user
        if not user.is_active:
            continue  # disabled on withdrawal or leaving: not re-opened by printing codes
        RoleAssignment.objects.get_or_create(user=user, role=Role.STUDENT, unit=student.unit,
                                             defaults={"valid_from": org_selectors.today(),
                                                       "granted_by": _actor(actor)})
        LoginCode.objects.filter(student=student, used_at__isnull=True).delete()
        code = new_code(8)
        LoginCode.objects.create(student=student, code_hash=_hash_code(code), expires_at=expires)
        issued.append((student, user.username, code))
    audit_record(actor=actor, action="students.login_codes", target=school_class, after={"students": len(issued)})
    return issued


def login_code_student(*, username: str, code: str) -> Student:
    """The student a one-time login code belongs to (NotFound for a wrong, used or expired one)."""
    row = (LoginCode.objects.filter(code_hash=_hash_code(code or ""), used_at__isnull=True,
                                    expires_at__gt=timezone.now(), student__user__username=(username or "").strip(),
                                    student__user__is_active=True)
           .select_related("student__user").first())
    if row is None:
        raise NotFound("Tên đăng nhập hoặc mã không đúng, hoặc mã đã dùng, đã hết hạn.")
    return row.student


def check_child_password(password: str, *, user) -> None:
    """Rules a child can follow: at least 8 characters, not only digits nor one repeated
    character, not a common password, not the username or the name."""
    if len(password) < 8:
        raise DomainError("Mật khẩu cần ít nhất 8 ký tự. Gợi ý: ghép 3 từ em dễ nhớ, ví dụ “meo-an-ca”.",
                          field="password")
    if len(password) > 128:
        raise DomainError("Mật khẩu quá dài.", field="password")
    if password.isdigit() or len(set(password)) < 4:
        raise DomainError("Mật khẩu không được chỉ có chữ số hay lặp một ký tự. Hãy ghép vài từ em dễ nhớ.",
                          field="password")
    from django.contrib.auth.password_validation import CommonPasswordValidator
    from django.core.exceptions import ValidationError

    try:
        CommonPasswordValidator().validate(password)
    except ValidationError:
        raise DomainError("Mật khẩu này quá phổ biến, dễ bị đoán. Hãy chọn mật khẩu khác.", field="password") from None
    low = password.lower()
    name_words = [w for w in clean_name(user.full_name).lower().split() if len(w) >= 3]
    if user.username.lower() in low or any(w in low for w in name_words):
        raise DomainError("Mật khẩu không được chứa tên đăng nhập hay tên của em.", field="password")


@transaction.atomic
def first_login(*, username: str, code: str, password: str, password_again: str):
    """The student signs in with the printed code and chooses a password; the code is spent."""
    student = login_code_student(username=username, code=code)
    if password != password_again:
        raise DomainError("Hai lần nhập mật khẩu không giống nhau.", field="password_again")
    user = student.user
    check_child_password(password, user=user)
    user.set_password(password)
    user.save(update_fields=["password"])
    LoginCode.objects.filter(code_hash=_hash_code(code)).update(used_at=timezone.now())
    audit_record(actor=user, action="students.first_login", target=student, after={"username": user.username})
    return user
