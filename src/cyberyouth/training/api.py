"""The training API: staff register, courses, sessions, attendance, completions, certificates, new
Union members and the records behind indicators 2 and 3 — scoped like the pages."""

from datetime import date
from decimal import Decimal

from ninja import Field, Router, Schema, Status

from cyberyouth.errors import DomainError, ErrorCode
from cyberyouth.lib.pages import YEAR_MAX, YEAR_MIN
from cyberyouth.orgs import selectors as org_selectors
from cyberyouth.orgs.decorators import requires

from . import selectors, services
from .models import Mode, StaffMember, UnionMember

API_MOUNT = "training"
router = Router(tags=["training"])
READ, MANAGE = "training.read", "training.manage"


class StaffOut(Schema):
    id: int
    unit: str
    full_name: str
    staff_code: str
    position: str
    does_student_work: bool
    joined_on: date | None
    left_on: date | None


class StaffIn(Schema):
    unit: str = Field(max_length=64)
    full_name: str = Field(max_length=200)
    position: str = Field("", max_length=200)
    does_student_work: bool = True
    birth_date: date | None = None
    staff_code: str = Field("", max_length=50)
    joined_on: date | None = None


class CourseOut(Schema):
    id: int
    unit: str
    title: str
    organiser: str
    topic: str
    starts_on: date
    ends_on: date
    mode: str
    hours: int
    counts_for_indicator: bool
    min_attendance_percent: int
    completions: int


class CourseIn(Schema):
    unit: str = Field(max_length=64)
    title: str = Field(max_length=300)
    organiser: str = Field(max_length=300)
    topic: str = Field("", max_length=300)
    starts_on: date
    ends_on: date
    mode: Mode = Mode.IN_PERSON
    hours: int = Field(0, ge=0, le=10000)
    counts_for_indicator: bool = True
    min_attendance_percent: int = Field(80, ge=1, le=100)


class SessionOut(Schema):
    id: int
    course_id: int
    topic: str
    organiser: str
    held_on: date
    mode: str
    hours: Decimal
    place: str
    present: int


class SessionIn(Schema):
    topic: str = Field(max_length=300)
    held_on: date
    hours: Decimal = Field(gt=0, le=24, max_digits=4, decimal_places=1)
    mode: Mode = Mode.IN_PERSON
    organiser: str = Field("", max_length=300)
    place: str = Field("", max_length=300)


class AttendanceIn(Schema):
    staff_ids: list[int] = Field(max_length=2000)


class AttendanceOut(Schema):
    session_id: int
    staff_ids: list[int]


class CompletionOut(Schema):
    id: int
    course_id: int
    staff_id: int
    staff: str
    unit: str
    completed_on: date
    certificate_no: str
    source: str


class CompletionIn(Schema):
    staff_id: int
    completed_on: date
    certificate_no: str = Field("", max_length=100)


class CertificateOut(Schema):
    id: int
    course_id: int
    staff_id: int
    number: str
    code: str
    issued_on: date
    revoked: bool


class MemberOut(Schema):
    id: int
    unit: str
    member_code: str
    full_name: str
    birth_date: date | None
    admitted_on: date
    studied: bool


class RecordsOut(Schema):
    unit: str
    year: int
    staff_student_work: int
    staff_trained: int
    union_new_members: int
    union_new_studied: int
    staff: list[dict]
    members: list[dict]


def _page(limit: int, offset: int) -> None:
    if not 1 <= limit <= 1000 or offset < 0:
        raise DomainError("limit phải từ 1 đến 1000, offset không âm.", field="limit", code=ErrorCode.OUT_OF_RANGE)


def _year(year: int) -> None:
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise DomainError(f"Năm phải từ {YEAR_MIN} đến {YEAR_MAX}.", field="year", code=ErrorCode.OUT_OF_RANGE)


def _staff(s) -> dict:
    return {"id": s.id, "unit": s.unit.code, "full_name": s.full_name, "staff_code": s.staff_code,
            "position": s.position, "does_student_work": s.does_student_work, "joined_on": s.joined_on,
            "left_on": s.left_on}


def _course(c) -> dict:
    return {"id": c.id, "unit": c.unit.code, "title": c.title, "organiser": c.organiser, "topic": c.topic,
            "starts_on": c.starts_on, "ends_on": c.ends_on, "mode": c.mode, "hours": c.hours,
            "counts_for_indicator": c.counts_for_indicator, "min_attendance_percent": c.min_attendance_percent,
            "completions": c.completions.count()}


def _session(s) -> dict:
    return {"id": s.id, "course_id": s.course_id, "topic": s.topic, "organiser": s.organiser, "held_on": s.held_on,
            "mode": s.mode, "hours": s.hours, "place": s.place, "present": s.attendances.count()}


def _completion(c) -> dict:
    return {"id": c.id, "course_id": c.course_id, "staff_id": c.staff_id, "staff": c.staff.full_name,
            "unit": c.staff.unit.code, "completed_on": c.completed_on, "certificate_no": c.certificate_no,
            "source": c.source}


def _cert(c) -> dict:
    return {"id": c.id, "course_id": c.course_id, "staff_id": c.staff_id, "number": c.number, "code": c.code,
            "issued_on": c.issued_on, "revoked": c.revoked_at is not None}


@router.get("/staff", response=list[StaffOut], summary="Sổ cán bộ trong phạm vi")
@requires(READ)
def training_staff(request, unit: str | None = None, limit: int = 200, offset: int = 0):
    _page(limit, offset)
    qs = org_selectors.scope(StaffMember.objects.all(), actor=request.user, capability=READ)
    if unit:
        qs = qs.filter(unit=org_selectors.get_unit(actor=request.user, code=unit, capability=READ))
    return [_staff(s) for s in qs.select_related("unit").order_by("unit__code", "name_key", "id")[offset:offset + limit]]


@router.post("/staff", response={201: StaffOut}, summary="Thêm cán bộ vào sổ")
@requires(MANAGE)
def training_staff_add(request, payload: StaffIn):
    data = payload.dict()
    unit = org_selectors.get_unit(actor=request.user, code=data.pop("unit"), capability=READ)
    return Status(201, _staff(services.staff_add(actor=request.user, unit=unit, **data)))


@router.get("/courses", response=list[CourseOut], summary="Lớp tập huấn trong phạm vi")
@requires(READ)
def training_courses(request, unit: str | None = None, year: int | None = None, limit: int = 200, offset: int = 0):
    from .models import Course

    _page(limit, offset)
    qs = org_selectors.scope(Course.objects.all(), actor=request.user, capability=READ)
    if unit:
        qs = qs.filter(unit=org_selectors.get_unit(actor=request.user, code=unit, capability=READ))
    if year is not None:
        _year(year)
        qs = qs.filter(starts_on__year=year)
    return [_course(c) for c in qs.select_related("unit").order_by("-starts_on", "id")[offset:offset + limit]]


@router.post("/courses", response={201: CourseOut}, summary="Thêm lớp tập huấn")
@requires(MANAGE)
def training_course_add(request, payload: CourseIn):
    data = payload.dict()
    unit = org_selectors.get_unit(actor=request.user, code=data.pop("unit"), capability=READ)
    return Status(201, _course(services.course_create(actor=request.user, unit=unit, **data)))


@router.get("/courses/{course_id}/sessions", response=list[SessionOut], summary="Các buổi học của lớp")
@requires(READ)
def training_sessions(request, course_id: int):
    course = selectors.get_course(actor=request.user, course_id=course_id)
    return [_session(s) for s in course.sessions.order_by("held_on", "id")]


@router.post("/courses/{course_id}/sessions", response={201: SessionOut}, summary="Thêm buổi học")
@requires(MANAGE)
def training_session_add(request, course_id: int, payload: SessionIn):
    course = selectors.get_course(actor=request.user, course_id=course_id)
    return Status(201, _session(services.session_add(actor=request.user, course=course, **payload.dict())))


@router.get("/sessions/{session_id}/attendance", response=AttendanceOut, summary="Điểm danh một buổi học")
@requires(READ)
def training_attendance(request, session_id: int):
    session = selectors.get_session(actor=request.user, session_id=session_id)
    return {"session_id": session.id,
            "staff_ids": sorted(session.attendances.values_list("staff_id", flat=True))}


@router.put("/sessions/{session_id}/attendance", response=AttendanceOut,
            summary="Ghi điểm danh (danh sách đầy đủ người có mặt); kết quả hoàn thành được tính lại")
@requires(MANAGE)
def training_attendance_put(request, session_id: int, payload: AttendanceIn):
    session = selectors.get_session(actor=request.user, session_id=session_id)
    services.attendance_set(actor=request.user, session=session, staff_ids=payload.staff_ids)
    return {"session_id": session.id, "staff_ids": sorted(session.attendances.values_list("staff_id", flat=True))}


@router.get("/completions", response=list[CompletionOut], summary="Kết quả hoàn thành trong phạm vi")
@requires(READ)
def training_completions(request, course_id: int | None = None, unit: str | None = None, year: int | None = None,
                         limit: int = 200, offset: int = 0):
    _page(limit, offset)
    scope_unit = org_selectors.get_unit(actor=request.user, code=unit, capability=READ) if unit else None
    if year is not None:
        _year(year)
    qs = selectors.completions_in_scope(actor=request.user, course_id=course_id, unit=scope_unit, year=year)
    return [_completion(c) for c in qs[offset:offset + limit]]


@router.post("/courses/{course_id}/completions", response={201: CompletionOut}, summary="Ghi kết quả của một cán bộ")
@requires(MANAGE)
def training_completion_add(request, course_id: int, payload: CompletionIn):
    course = selectors.get_course(actor=request.user, course_id=course_id)
    staff = selectors.get_staff(actor=request.user, staff_id=payload.staff_id)
    return Status(201, _completion(services.completion_add(actor=request.user, course=course, staff=staff,
                                                           completed_on=payload.completed_on,
                                                           certificate_no=payload.certificate_no)))


@router.get("/courses/{course_id}/certificates", response=list[CertificateOut], summary="Giấy chứng nhận của lớp")
@requires(READ)
def training_certificates(request, course_id: int):
    course = selectors.get_course(actor=request.user, course_id=course_id)
    return [_cert(c) for c in selectors.course_certificates(course=course)]


@router.post("/courses/{course_id}/certificates", response={201: list[CertificateOut]},
             summary="Cấp giấy chứng nhận cho người hoàn thành chưa có giấy")
@requires(MANAGE)
def training_certificates_issue(request, course_id: int):
    course = selectors.get_course(actor=request.user, course_id=course_id)
    return Status(201, [_cert(c) for c in services.certificates_issue(actor=request.user, course=course)])


@router.get("/members", response=list[MemberOut], summary="Đoàn viên mới kết nạp trong năm")
@requires(READ)
def training_members(request, year: int, unit: str | None = None, limit: int = 500, offset: int = 0):
    _year(year)
    _page(limit, offset)
    qs = org_selectors.scope(UnionMember.objects.filter(admitted_on__year=year), actor=request.user, capability=READ)
    if unit:
        qs = qs.filter(unit=org_selectors.get_unit(actor=request.user, code=unit, capability=READ))
    rows = list(qs.select_related("unit").order_by("unit__code", "name_key", "id")[offset:offset + limit])
    studied = set(UnionMember.objects.filter(selectors._studied(year), id__in=[m.id for m in rows])
                  .values_list("id", flat=True))
    return [{"id": m.id, "unit": m.unit.code, "member_code": m.member_code, "full_name": m.full_name,
             "birth_date": m.birth_date, "admitted_on": m.admitted_on, "studied": m.id in studied} for m in rows]


@router.get("/units/{code}/records/{year}", response=RecordsOut,
            summary="Hồ sơ đứng sau chỉ tiêu 2 và 3 của một đơn vị trong năm")
@requires(READ)
def training_records(request, code: str, year: int):
    _year(year)
    unit = org_selectors.get_unit(actor=request.user, code=code, capability=READ)
    data = selectors.indicator_records(actor=request.user, unit=unit, year=year)
    return {
        "unit": unit.code, "year": year, "staff_student_work": data["staff_count"],
        "staff_trained": data["trained_count"], "union_new_members": data["members_count"],
        "union_new_studied": data["studied_count"],
        "staff": [{"staff_id": r["staff"].id, "full_name": r["staff"].full_name,
                   "course_id": r["completion"].course_id if r["completion"] else None,
                   "completed_on": r["completion"].completed_on.isoformat() if r["completion"] else None}
                  for r in data["staff"]],
        "members": [{"member_id": r["member"].id, "full_name": r["member"].full_name,
                     "completed_on": r["row"].completed_on.isoformat() if r["row"] else None,
                     "file": r["row"].batch.file_name if r["row"] else None,
                     "row": r["row"].row_number if r["row"] else None} for r in data["members"]],
    }
