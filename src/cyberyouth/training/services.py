"""Writes of the training app: staff register, courses, completions (by hand and imported),
Union members and the app's political-theory completions, and resolving unmatched rows."""

from collections import defaultdict
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from cyberyouth.audit.services import audit_record
from cyberyouth.errors import DomainError, ErrorCode, NotFound
from cyberyouth.lib.text import nfc
from cyberyouth.orgs import selectors as org_selectors

from .models import (Attendance, Certificate, Completion, CompletionImport, Course, MatchMethod, Mode,
                     PendingCompletion, RowStatus, Session, Source, StaffMember, TheoryCompletion, TheoryImport,
                     UnionMember)
from .tables import Column, name_key, read_table

MANAGE = "training.manage"


def _require_manage(*, actor, unit) -> None:
    org_selectors.require(actor=actor, capability=MANAGE, unit=unit, read="training.read")


def _clean_name(full_name: str, *, field: str = "full_name") -> str:
    name = " ".join(nfc(full_name).split())
    if not name:
        raise DomainError("Cần nhập họ và tên.", field=field)
    if len(name) > 200:
        raise DomainError("Họ và tên quá dài (tối đa 200 ký tự).", field=field, code=ErrorCode.TOO_LONG)
    return name


# ---------------------------------------------------------------- staff and courses


@transaction.atomic
def staff_add(*, actor, unit, full_name: str, position: str = "", does_student_work: bool = True,
              birth_date: date | None = None, staff_code: str = "", joined_on: date | None = None) -> StaffMember:
    _require_manage(actor=actor, unit=unit)
    name = _clean_name(full_name)
    code = nfc(staff_code).strip()
    if code and StaffMember.objects.filter(unit=unit, staff_code=code).exists():
        raise DomainError(f"Mã cán bộ “{code}” đã có trong sổ của đơn vị.", field="staff_code",
                          code=ErrorCode.DUPLICATE)
    staff = StaffMember.objects.create(unit=unit, full_name=name, name_key=name_key(name), birth_date=birth_date,
                                       staff_code=code, position=nfc(position).strip(),
                                       does_student_work=does_student_work, joined_on=joined_on)
    audit_record(actor=actor, action="training.staff_add", target=staff, unit=unit,
                 after={"full_name": name, "does_student_work": does_student_work})
    return staff


@transaction.atomic
def staff_leave(*, actor, staff: StaffMember, left_on: date) -> StaffMember:
    _require_manage(actor=actor, unit=staff.unit)
    if staff.joined_on and left_on < staff.joined_on:
        raise DomainError("Ngày thôi công tác trước ngày bắt đầu.", field="left_on")
    staff.left_on = left_on
    staff.save(update_fields=["left_on"])
    audit_record(actor=actor, action="training.staff_leave", target=staff, unit=staff.unit,
                 after={"left_on": left_on.isoformat()})
    return staff


@transaction.atomic
def course_create(*, actor, unit, title: str, organiser: str, starts_on: date, ends_on: date, mode: str,
                  hours: int = 0, topic: str = "", counts_for_indicator: bool = True,
                  min_attendance_percent: int = 80) -> Course:
    _require_manage(actor=actor, unit=unit)
    if not 1 <= int(min_attendance_percent) <= 100:
        raise DomainError("Tỷ lệ giờ dự tối thiểu phải từ 1 đến 100 (%).", field="min_attendance_percent",
                          code=ErrorCode.OUT_OF_RANGE)
    if ends_on < starts_on:
        raise DomainError("Ngày kết thúc trước ngày bắt đầu.", field="ends_on")
    if hours < 0:
        raise DomainError("Số giờ không được là số âm.", field="hours")
    title, organiser = nfc(title).strip(), nfc(organiser).strip()
    if not title:
        raise DomainError("Cần nhập tên lớp tập huấn.", field="title")
    if not organiser:
        raise DomainError("Cần nhập đơn vị tổ chức.", field="organiser")
    course = Course.objects.create(unit=unit, title=title, organiser=organiser, topic=nfc(topic).strip(),
                                   starts_on=starts_on, ends_on=ends_on, mode=mode, hours=hours,
                                   counts_for_indicator=counts_for_indicator,
                                   min_attendance_percent=int(min_attendance_percent))
    audit_record(actor=actor, action="training.course_create", target=course, unit=unit, after={"title": title})
    return course


def _staff_pool(course: Course):
    """The staff a completion of `course` may be about: the recording unit's and those below it."""
    on = min(course.ends_on, org_selectors.today())
    ids = org_selectors.descendant_ids(unit_ids=[course.unit_id], on=on) | {course.unit_id}
    return StaffMember.objects.filter(unit_id__in=ids)


def _check_completed_on(course: Course, completed_on: date, *, field: str) -> None:
    if completed_on < course.starts_on:
        raise DomainError(f"Ngày hoàn thành {completed_on:%d/%m/%Y} trước ngày mở lớp {course.starts_on:%d/%m/%Y}.",
                          field=field)
    if completed_on > org_selectors.today():
        raise DomainError("Ngày hoàn thành ở tương lai.", field=field)


@transaction.atomic
def completion_add(*, actor, course: Course, staff: StaffMember, completed_on: date, certificate_no: str = "",
                   source: str = Source.MANUAL) -> Completion:
    _require_manage(actor=actor, unit=course.unit)
    if not _staff_pool(course).filter(id=staff.id).exists():
        raise NotFound("Không tìm thấy cán bộ.")
    _check_completed_on(course, completed_on, field="completed_on")
    if Completion.objects.filter(course=course, staff=staff).exists():
        raise DomainError(f"{staff.full_name} đã có kết quả hoàn thành lớp này.", field="staff",
                          code=ErrorCode.EXISTS)
    completion = Completion.objects.create(course=course, staff=staff, completed_on=completed_on,
                                           certificate_no=nfc(certificate_no).strip(), source=source)
    audit_record(actor=actor, action="training.completion_add", target=completion, unit=staff.unit,
                 after={"course": course.title, "staff": staff.full_name, "completed_on": completed_on.isoformat()})
    return completion


COMPLETION_COLUMNS = [
    Column("name", "Họ và tên", ("ho ten", "ten", "full name", "name", "fullname", "hoc vien")),
    Column("birth_date", "Ngày sinh", ("date of birth", "birth date", "birthday", "dob"), kind="date", required=False),
    Column("code", "Mã cán bộ", ("ma", "ma nhan vien", "ma hoc vien", "staff code", "id number", "username"),
           required=False),
    Column("completed_on", "Ngày hoàn thành", ("completion date", "completed", "ngay cap", "date completed",
                                               "time completed"), kind="date"),
    Column("certificate_no", "Số giấy chứng nhận", ("so chung chi", "certificate", "certificate number",
                                                    "ma chung chi"), required=False),
]


def match_staff(row: dict, *, by_code: dict, by_name: dict) -> tuple[StaffMember | None, str]:
    """(the staff member a row is about, "") or (None, why not): code first, then name and birth
    date, then a name alone only when one person bears it."""
    if row.get("code") and row["code"] in by_code:
        return by_code[row["code"]], ""
    same_name = by_name.get(name_key(row["name"]), [])
    if row.get("birth_date"):
        same = [s for s in same_name if s.birth_date == row["birth_date"]]
        undated = [s for s in same_name if s.birth_date is None]
        if len(same) == 1:
            return same[0], ""
        if not same and len(undated) == 1:
            return undated[0], ""
        candidates = same or undated
    else:
        candidates = same_name
        if len(candidates) == 1:
            return candidates[0], ""
    if not candidates:
        return None, "Không có cán bộ trùng họ tên trong sổ cán bộ."
    return None, f"Có {len(candidates)} cán bộ trùng họ tên; cần chọn đúng người."


@transaction.atomic
def completions_import(*, actor, course: Course, upload) -> CompletionImport:
    """Load a completion export for `course`: matched rows become completions, the others are
    kept for a person to match. A file with a fault anywhere imports nothing."""
    _require_manage(actor=actor, unit=course.unit)
    rows = read_table(upload, columns=COMPLETION_COLUMNS)
    errors = []
    for row in rows:
        try:
            _check_completed_on(course, row["completed_on"], field="file")
        except DomainError as e:
            errors.append(f"Dòng {row['_row']}: {e.message}")
    pool = list(_staff_pool(course))
    by_code = {s.staff_code: s for s in pool if s.staff_code}
    by_name = defaultdict(list)
    for s in pool:
        by_name[s.name_key].append(s)
    matched, pending = {}, []
    for row in rows:
        staff, why = match_staff(row, by_code=by_code, by_name=by_name)
        if staff is None:
            pending.append((row, why))
        elif staff.id in matched:
            errors.append(f"Dòng {row['_row']}: {staff.full_name} đã có ở dòng {matched[staff.id]['_row']} (trùng người).")
        else:
            matched[staff.id] = row
    if errors:
        raise DomainError("Tệp có lỗi, chưa nhập dòng nào. " + " ".join(errors[:20]), field="file",
                          code=ErrorCode.INVALID)
    batch = CompletionImport.objects.create(course=course, file_name=nfc(getattr(upload, "name", ""))[-200:],
                                            created_by=actor, rows_total=len(rows))
    already = set(Completion.objects.filter(course=course).values_list("staff_id", flat=True))
    staff_by_id = {s.id: s for s in pool}
    new = [Completion(course=course, staff=staff_by_id[sid], completed_on=row["completed_on"],
                      certificate_no=row.get("certificate_no", "")[:100], source=Source.IMPORT)
           for sid, row in matched.items() if sid not in already]
    Completion.objects.bulk_create(new)
    PendingCompletion.objects.bulk_create([
        PendingCompletion(batch=batch, row_number=row["_row"], full_name=row["name"][:200],
                          birth_date=row.get("birth_date"), staff_code=row.get("code", "")[:50],
                          completed_on=row["completed_on"], certificate_no=row.get("certificate_no", "")[:100],
                          reason=why) for row, why in pending])
    batch.rows_matched = len(matched)
    batch.save(update_fields=["rows_matched"])
    audit_record(actor=actor, action="training.completions_import", target=batch, unit=course.unit,
                 after={"rows_total": len(rows), "rows_matched": len(matched), "records": len(new)})
    return batch


@transaction.atomic
def pending_resolve(*, actor, row: PendingCompletion, staff: StaffMember | None) -> PendingCompletion:
    """Match an open row to `staff` (creating the completion), or dismiss it (staff None)."""
    course = row.batch.course
    _require_manage(actor=actor, unit=course.unit)
    row = PendingCompletion.objects.select_for_update().get(id=row.id)
    if row.status != RowStatus.OPEN:
        raise DomainError("Dòng này đã được xử lý.", code=ErrorCode.CONFLICT)
    if staff is not None:
        if not _staff_pool(course).filter(id=staff.id).exists():
            raise NotFound("Không tìm thấy cán bộ.")
        if not Completion.objects.filter(course=course, staff=staff).exists():
            Completion.objects.create(course=course, staff=staff, completed_on=row.completed_on,
                                      certificate_no=row.certificate_no, source=Source.RESOLVED)
    row.status = RowStatus.MATCHED if staff is not None else RowStatus.DISMISSED
    row.resolved_staff, row.resolved_by, row.resolved_at = staff, actor, timezone.now()
    row.save(update_fields=["status", "resolved_staff", "resolved_by", "resolved_at"])
    audit_record(actor=actor, action="training.pending_resolve", target=row.batch, unit=course.unit,
                 after={"row_number": row.row_number, "staff": staff.full_name if staff else "—"})
    return row


# ---------------------------------------------------------------- Union members and political theory


MEMBER_COLUMNS = [
    Column("code", "Mã đoàn viên", ("ma", "ma dinh danh", "ma so doan vien", "so the doan vien", "member code")),
    Column("name", "Họ và tên", ("ho ten", "ten", "full name", "name")),
    Column("birth_date", "Ngày sinh", ("date of birth", "birth date", "dob"), kind="date"),
    Column("admitted_on", "Ngày kết nạp", ("ngay vao doan", "admission date", "admitted"), kind="date"),
]

THEORY_COLUMNS = [
    Column("code", "Mã đoàn viên", ("ma", "ma dinh danh", "ma so doan vien", "so the doan vien", "member code"),
           required=False),
    Column("name", "Họ và tên", ("ho ten", "ten", "full name", "name")),
    Column("birth_date", "Ngày sinh", ("date of birth", "birth date", "dob"), kind="date", required=False),
    Column("completed_on", "Ngày hoàn thành", ("completion date", "ngay hoc xong", "completed"), kind="date"),
]


@transaction.atomic
def members_import(*, actor, unit, upload) -> dict:
    """Load the membership system's export of members newly admitted at `unit`. A member code
    already in the register is left as it is; a code twice in the file is refused."""
    _require_manage(actor=actor, unit=unit)
    rows = read_table(upload, columns=MEMBER_COLUMNS)
    errors, seen = [], {}
    today = org_selectors.today()
    for row in rows:
        if row["code"] in seen:
            errors.append(f"Dòng {row['_row']}, cột “Mã đoàn viên”: mã “{row['code']}” trùng với dòng {seen[row['code']]}.")
        seen.setdefault(row["code"], row["_row"])
        if row["admitted_on"] > today:
            errors.append(f"Dòng {row['_row']}, cột “Ngày kết nạp”: ngày ở tương lai.")
        if row["birth_date"] and row["birth_date"] >= row["admitted_on"]:
            errors.append(f"Dòng {row['_row']}, cột “Ngày sinh”: sau ngày kết nạp.")
        if len(row["code"]) > 50 or len(row["name"]) > 200:
            errors.append(f"Dòng {row['_row']}: mã hoặc họ tên quá dài.")
    if errors:
        raise DomainError("Tệp có lỗi, chưa nhập dòng nào. " + " ".join(errors[:20]), field="file",
                          code=ErrorCode.INVALID)
    existing = set(UnionMember.objects.filter(unit=unit).values_list("member_code", flat=True))
    new = [UnionMember(unit=unit, member_code=r["code"], full_name=r["name"], name_key=name_key(r["name"]),
                       birth_date=r["birth_date"], admitted_on=r["admitted_on"])
           for r in rows if r["code"] not in existing]
    UnionMember.objects.bulk_create(new)
    result = {"rows": len(rows), "added": len(new), "already": len(rows) - len(new)}
    audit_record(actor=actor, action="training.members_import", target=unit, unit=unit,
                 after={"rows_total": len(rows), "records": len(new)})
    return result


def match_members(rows: list[dict], members) -> list[tuple[UnionMember | None, str]]:
    """For each completion row, (member, method) — exact by member code, else by folded name and
    birth date when exactly one member fits — or (None, "")."""
    by_code = {m.member_code: m for m in members if m.member_code}
    by_name_birth = defaultdict(list)
    for m in members:
        by_name_birth[(m.name_key, m.birth_date)].append(m)
    out = []
    for row in rows:
        if row.get("code") and row["code"] in by_code:
            out.append((by_code[row["code"]], MatchMethod.CODE))
            continue
        fits = by_name_birth.get((name_key(row["name"]), row.get("birth_date"))) if row.get("birth_date") else None
        out.append((fits[0], MatchMethod.NAME_BIRTH) if fits and len(fits) == 1 else (None, ""))
    return out


@transaction.atomic
def theory_import(*, actor, unit, upload) -> TheoryImport:
    """Load the "Thanh niên Việt Nam" app's completion export for `unit`'s members; rows that
    match no member are kept for a person to match."""
    _require_manage(actor=actor, unit=unit)
    rows = read_table(upload, columns=THEORY_COLUMNS)
    errors = [f"Dòng {r['_row']}, cột “Ngày hoàn thành”: ngày ở tương lai." for r in rows
              if r["completed_on"] > org_selectors.today()]
    if errors:
        raise DomainError("Tệp có lỗi, chưa nhập dòng nào. " + " ".join(errors[:20]), field="file",
                          code=ErrorCode.INVALID)
    batch = TheoryImport.objects.create(unit=unit, file_name=nfc(getattr(upload, "name", ""))[-200:],
                                        created_by=actor)
    members = list(UnionMember.objects.filter(unit=unit))
    TheoryCompletion.objects.bulk_create([
        TheoryCompletion(batch=batch, row_number=r["_row"], member_code=r.get("code", "")[:50],
                         full_name=r["name"][:200], birth_date=r.get("birth_date"), completed_on=r["completed_on"],
                         member=m, method=method, status=RowStatus.MATCHED if m else RowStatus.OPEN)
        for r, (m, method) in zip(rows, match_members(rows, members), strict=True)])
    matched = sum(1 for r in batch.rows.all() if r.member_id)
    audit_record(actor=actor, action="training.theory_import", target=batch, unit=unit,
                 after={"rows_total": len(rows), "rows_matched": matched})
    return batch


@transaction.atomic
def theory_resolve(*, actor, row: TheoryCompletion, member: UnionMember | None) -> TheoryCompletion:
    """Match an open row of the app's export to `member` by hand, or dismiss it (member None)."""
    unit = row.batch.unit
    _require_manage(actor=actor, unit=unit)
    row = TheoryCompletion.objects.select_for_update().get(id=row.id)
    if row.status != RowStatus.OPEN:
        raise DomainError("Dòng này đã được xử lý.", code=ErrorCode.CONFLICT)
    if member is not None and member.unit_id != unit.id:
        raise NotFound("Không tìm thấy đoàn viên.")
    row.member = member
    row.method = MatchMethod.MANUAL if member else ""
    row.status = RowStatus.MATCHED if member else RowStatus.DISMISSED
    row.resolved_by, row.resolved_at = actor, timezone.now()
    row.save(update_fields=["member", "method", "status", "resolved_by", "resolved_at"])
    audit_record(actor=actor, action="training.theory_resolve", target=row.batch, unit=unit,
                 after={"row_number": row.row_number, "member": member.full_name if member else "—"})
    return row


# ---------------------------------------------------------------- sessions, attendance, the completion rule


def _hours(value) -> Decimal:
    try:
        hours = Decimal(str(value)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        raise DomainError("Số giờ phải là số, ví dụ 3 hoặc 3,5.", field="hours") from None
    if hours <= 0 or hours > 24:
        raise DomainError("Số giờ của một buổi phải lớn hơn 0 và không quá 24.", field="hours",
                          code=ErrorCode.OUT_OF_RANGE)
    return hours


@transaction.atomic
def session_add(*, actor, course: Course, topic: str, held_on: date, hours, mode: str = Mode.IN_PERSON,
                organiser: str = "", place: str = "") -> Session:
    """A session of `course`, on a day within the course's dates."""
    _require_manage(actor=actor, unit=course.unit)
    topic = nfc(topic).strip()
    if not topic:
        raise DomainError("Cần nhập chủ đề buổi học.", field="topic")
    if not course.starts_on <= held_on <= course.ends_on:
        raise DomainError(f"Ngày học phải trong thời gian của lớp ({course.starts_on:%d/%m/%Y} – "
                          f"{course.ends_on:%d/%m/%Y}).", field="held_on")
    if mode not in Mode.values:
        raise DomainError("Hình thức không hợp lệ.", field="mode")
    session = Session.objects.create(course=course, topic=topic[:300], held_on=held_on, hours=_hours(hours), mode=mode,
                                     organiser=nfc(organiser).strip()[:300], place=nfc(place).strip()[:300])
    audit_record(actor=actor, action="training.session_add", target=session, unit=course.unit,
                 after={"topic": session.topic, "held_on": held_on.isoformat(), "hours": str(session.hours)})
    _apply_rule(actor=actor, course=course)  # more hours planned can take a completion away
    return session


@transaction.atomic
def attendance_set(*, actor, session: Session, staff_ids) -> dict:
    """Who was present at `session` (the whole list: the others are marked absent), then the
    course's completion rule applied again. Returns {"present", "added", "removed"}."""
    course = session.course
    _require_manage(actor=actor, unit=course.unit)
    wanted = {int(i) for i in staff_ids}
    if wanted and session.held_on > org_selectors.today():
        raise DomainError("Buổi học chưa diễn ra: chưa điểm danh được.", field="staff", code=ErrorCode.CONFLICT)
    pool = set(_staff_pool(course).values_list("id", flat=True))
    if wanted - pool:
        raise NotFound("Không tìm thấy cán bộ.")
    present = set(Attendance.objects.filter(session=session).values_list("staff_id", flat=True))
    Attendance.objects.filter(session=session, staff_id__in=present - wanted).delete()
    Attendance.objects.bulk_create([Attendance(session=session, staff_id=sid, recorded_by=actor)
                                    for sid in sorted(wanted - present)])
    audit_record(actor=actor, action="training.attendance_set", target=session, unit=course.unit,
                 before={"present": len(present)}, after={"present": len(wanted), "added": len(wanted - present),
                                                           "removed": len(present - wanted)})
    _apply_rule(actor=actor, course=course)
    return {"present": len(wanted), "added": len(wanted - present), "removed": len(present - wanted)}


@transaction.atomic
def course_rule_set(*, actor, course: Course, min_attendance_percent: int) -> Course:
    _require_manage(actor=actor, unit=course.unit)
    if not 1 <= int(min_attendance_percent) <= 100:
        raise DomainError("Tỷ lệ giờ dự tối thiểu phải từ 1 đến 100 (%).", field="min_attendance_percent",
                          code=ErrorCode.OUT_OF_RANGE)
    before = course.min_attendance_percent
    course.min_attendance_percent = int(min_attendance_percent)
    course.save(update_fields=["min_attendance_percent"])
    audit_record(actor=actor, action="training.course_rule_set", target=course, unit=course.unit,
                 before={"min_attendance_percent": before}, after={"min_attendance_percent": course.min_attendance_percent})
    _apply_rule(actor=actor, course=course)
    return course


def rule_outcome(course: Course) -> dict[int, date | None]:
    """staff id → the day they reached the course's rule (attended ≥ N % of the hours of all its
    sessions), or None if they have not. Only staff with some attendance are listed."""
    sessions = list(course.sessions.order_by("held_on", "id"))
    total = sum((s.hours for s in sessions), Decimal(0))
    if not total:
        return {}
    need = total * course.min_attendance_percent / 100
    by_staff: dict[int, set[int]] = defaultdict(set)
    for staff_id, session_id in Attendance.objects.filter(session__course=course).values_list("staff_id", "session_id"):
        by_staff[staff_id].add(session_id)
    out = {}
    for staff_id, attended in by_staff.items():
        done, reached = Decimal(0), None
        for s in sessions:
            if s.id in attended:
                done += s.hours
                if done >= need:
                    reached = s.held_on
                    break
        out[staff_id] = reached
    return out


def _apply_rule(*, actor, course: Course) -> None:
    """Completions by attendance follow the rule: made when reached, moved to the day it was
    reached, removed (and a live certificate revoked) when no longer reached. Completions from
    a file or recorded by hand are the organiser's word and are left alone."""
    outcome = rule_outcome(course)
    existing = {c.staff_id: c for c in Completion.objects.filter(course=course)}
    for staff_id, reached in outcome.items():
        done = existing.get(staff_id)
        if reached and done is None:
            Completion.objects.create(course=course, staff_id=staff_id, completed_on=reached, source=Source.ATTENDANCE)
        elif reached and done.source == Source.ATTENDANCE and done.completed_on != reached:
            done.completed_on = reached
            done.save(update_fields=["completed_on"])
    for staff_id, done in existing.items():
        if done.source == Source.ATTENDANCE and not outcome.get(staff_id):
            done.delete()
            for cert in Certificate.objects.filter(course=course, staff_id=staff_id, revoked_at__isnull=True):
                _revoke(actor=actor, certificate=cert, reason="Không còn đủ số giờ dự học theo điểm danh.")


# ---------------------------------------------------------------- certificates


def _revoke(*, actor, certificate: Certificate, reason: str) -> None:
    certificate.revoked_at, certificate.revoked_by, certificate.revoke_reason = timezone.now(), actor, reason[:300]
    certificate.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    audit_record(actor=actor, action="training.certificate_revoke", target=certificate, unit=certificate.course.unit,
                 after={"number": certificate.number, "reason": certificate.revoke_reason})


@transaction.atomic
def certificates_issue(*, actor, course: Course) -> list[Certificate]:
    """A certificate for every completer of `course` who has no live one: the number from the
    completion (an organiser's own number) or the next of the course; a verification code each."""
    from cyberyouth.students.services import new_code

    _require_manage(actor=actor, unit=course.unit)
    live = set(Certificate.objects.filter(course=course, revoked_at__isnull=True).values_list("staff_id", flat=True))
    todo = [c for c in course.completions.select_related("staff").order_by("completed_on", "id")
            if c.staff_id not in live]
    if not todo:
        raise DomainError("Không có người hoàn thành nào chưa được cấp giấy chứng nhận.", code=ErrorCode.CONFLICT)
    numbers = set(Certificate.objects.filter(course=course).values_list("number", flat=True))
    seq, issued, today = len(numbers), [], org_selectors.today()
    for completion in todo:
        number = completion.certificate_no
        if not number or number in numbers:
            seq += 1
            number = f"{seq:03d}/{course.starts_on.year}/GCN-TH{course.id}"
            while number in numbers:
                seq += 1
                number = f"{seq:03d}/{course.starts_on.year}/GCN-TH{course.id}"
        numbers.add(number)
        code = new_code()
        while Certificate.objects.filter(code=code).exists():
            code = new_code()
        issued.append(Certificate.objects.create(course=course, staff=completion.staff, number=number, code=code,
                                                 issued_on=today, issued_by=actor))
        if not completion.certificate_no:
            completion.certificate_no = number
            completion.save(update_fields=["certificate_no"])
    audit_record(actor=actor, action="training.certificates_issue", target=course, unit=course.unit,
                 after={"issued": len(issued)})
    return issued


@transaction.atomic
def certificate_revoke(*, actor, certificate: Certificate, reason: str) -> Certificate:
    _require_manage(actor=actor, unit=certificate.course.unit)
    reason = nfc(reason).strip()
    if not reason:
        raise DomainError("Cần ghi lý do thu hồi.", field="reason")
    if certificate.revoked_at:
        raise DomainError("Giấy chứng nhận này đã bị thu hồi.", code=ErrorCode.CONFLICT)
    _revoke(actor=actor, certificate=certificate, reason=reason)
    return certificate
