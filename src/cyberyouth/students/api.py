"""The students API: classes, rosters, consent, Code-of-Conduct acknowledgements — scoped like the pages."""

from datetime import date

from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from cyberyouth.orgs import selectors as org_selectors
from cyberyouth.orgs.decorators import requires

from . import roster, selectors, services
from .models import ConsentPurpose

API_MOUNT = "students"
router = Router(tags=["students"])


class ClassOut(Schema):
    id: int
    unit: str
    school_year: str
    name: str
    grade: int | None
    homeroom_teacher: str | None


class StudentOut(Schema):
    id: int
    unit: str
    full_name: str
    date_of_birth: date | None
    status: str
    consents: list[str]


class AckIn(Schema):
    student_ids: list[int] = Field(max_length=2000)
    on: date


class WithdrawIn(Schema):
    purpose: ConsentPurpose
    note: str = Field("", max_length=300)


class CellErrorOut(Schema):
    sheet: str
    cell: str
    reason: str


class PlanOut(Schema):
    school_year: str
    added: int
    updated: int
    moved: int
    unchanged: int
    new_classes: list[str]
    not_in_file: int


def _class(c) -> dict:
    return {"id": c.id, "unit": c.unit.code, "school_year": c.school_year.name, "name": c.name, "grade": c.grade,
            "homeroom_teacher": c.homeroom_teacher.username if c.homeroom_teacher else None}


def _student(s, consents: set[str]) -> dict:
    return {"id": s.id, "unit": s.unit.code, "full_name": s.full_name, "date_of_birth": s.date_of_birth,
            "status": s.status, "consents": sorted(consents)}


def _plan(p) -> dict:
    return {"school_year": p.school_year, "added": len(p.added), "updated": len(p.updated), "moved": len(p.moved),
            "unchanged": p.unchanged, "new_classes": p.new_classes, "not_in_file": p.not_in_file}


@router.get("/classes", response=list[ClassOut], summary="Classes the caller may see (a homeroom teacher: their own)")
@requires("student.read|class.teach")
def list_classes(request, school_year: str | None = None):
    year = selectors.school_years().filter(name=school_year).first() if school_year else None
    return [_class(c) for c in selectors.classes_visible(actor=request.user, school_year=year)]


@router.get("/classes/{class_id}/students", response=list[StudentOut], summary="A class's students")
@requires("student.read|class.teach")
def class_students(request, class_id: int):
    school_class = selectors.get_class(actor=request.user, class_id=class_id)
    students = selectors.class_students(actor=request.user, school_class=school_class)
    consents = selectors.live_consents(student_ids=[s.id for s in students])
    return [_student(s, consents.get(s.id, set())) for s in students]


@router.get("/students/{student_id}", response=StudentOut)
@requires("student.read|class.teach")
def get_student(request, student_id: int):
    student = selectors.get_student(actor=request.user, student_id=student_id)
    return _student(student, selectors.live_consents(student_ids=[student.id]).get(student.id, set()))


@router.post("/students/{student_id}/consents", response={201: dict}, summary="Record a signed paper consent")
@requires("consent.record")
def record_consent(request, student_id: int, purpose: Form[ConsentPurpose], guardian_name: Form[str],
                   signed_on: Form[date], student_agreed: Form[bool] = False, scan: File[UploadedFile] = None):
    student = selectors.get_student(actor=request.user, student_id=student_id)
    consent = services.consent_record_paper(actor=request.user, student=student, purpose=purpose,
                                            guardian_name=guardian_name, student_agreed=student_agreed,
                                            signed_on=signed_on, scan=scan)
    return Status(201, {"id": consent.id, "purpose": consent.purpose})


@router.post("/students/{student_id}/consents/withdraw", response=dict, summary="Withdraw a consent")
@requires("consent.record")
def withdraw_consent(request, student_id: int, payload: WithdrawIn):
    student = selectors.get_student(actor=request.user, student_id=student_id)
    consent = services.consent_withdraw(actor=request.user, student=student, purpose=payload.purpose,
                                        note=payload.note)
    return {"id": consent.id, "withdrawn_at": consent.withdrawn_at.isoformat()}


@router.post("/classes/{class_id}/acknowledgements", response={201: dict},
             summary="Record a class's paper register of Code-of-Conduct acknowledgements")
@requires("conduct.record")
def record_acknowledgements(request, class_id: int, payload: AckIn):
    school_class = selectors.get_class(actor=request.user, class_id=class_id)
    acks = services.conduct_register_record(actor=request.user, school_class=school_class,
                                            student_ids=payload.student_ids, on=payload.on)
    return Status(201, {"acknowledged": len(acks)})


@router.post("/roster/{unit_code}", response={200: PlanOut, 400: dict},
             summary="Import a school's roster workbook (dry_run: only the plan of changes)")
@requires("student.manage")
def import_roster(request, unit_code: str, file: File[UploadedFile], dry_run: bool = True):
    unit = org_selectors.get_unit(actor=request.user, code=unit_code)
    data = file.read(roster.MAX_BYTES + 1)
    try:
        school_year, rows = roster.read_for(actor=request.user, unit=unit, data=data)
    except roster.RosterErrors as exc:
        return Status(400, {"detail": [{"code": exc.code, "message": exc.message, "field": "file"}],
                            "errors": exc.as_list()})
    if dry_run:
        return _plan(roster.plan(unit=unit, school_year=school_year, rows=rows))
    return _plan(services.roster_apply(actor=request.user, unit=unit, school_year=school_year, rows=rows))
