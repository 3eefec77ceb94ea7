"""Reads of the training app, scoped through orgs.selectors; and the providers of indicators 2
and 3 (staff doing student work and those trained; new Union members and those who studied
political theory on the "Thanh niên Việt Nam" app)."""

from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, QuerySet

from cyberyouth.errors import NotFound
from cyberyouth.lib.collation import Vietnamese
from cyberyouth.orgs import selectors as org_selectors

from .models import (Attendance, Certificate, Completion, CompletionImport, Course, PendingCompletion, RowStatus,
                     Session, StaffMember, TheoryCompletion, TheoryImport, UnionMember)
from .tables import name_key

READ = "training.read"


def _end(year: int) -> date:
    return date(year, 12, 31)


def _in_post(year: int) -> Q:
    """Staff doing student work at the end of `year`."""
    end = _end(year)
    return (Q(does_student_work=True) & (Q(joined_on__isnull=True) | Q(joined_on__lte=end))
            & (Q(left_on__isnull=True) | Q(left_on__gt=end)))


def _trained(year: int) -> Q:
    return Q(completions__course__counts_for_indicator=True, completions__completed_on__year=year)


# ---------------------------------------------------------------- providers (not scoped: the indicators app scopes its callers)


def staff_student_work_by_unit(*, unit_ids: set[int], year: int) -> dict[int, int]:
    rows = (StaffMember.objects.filter(_in_post(year), unit_id__in=unit_ids).values("unit_id")
            .annotate(n=Count("id")))
    return {r["unit_id"]: r["n"] for r in rows}


def staff_trained_by_unit(*, unit_ids: set[int], year: int) -> dict[int, int]:
    rows = (StaffMember.objects.filter(_in_post(year), unit_id__in=unit_ids)
            .filter(id__in=StaffMember.objects.filter(_trained(year)).values("id"))
            .values("unit_id").annotate(n=Count("id")))
    return {r["unit_id"]: r["n"] for r in rows}


def _studied(year: int) -> Q:
    return Q(theory_completions__status=RowStatus.MATCHED, theory_completions__completed_on__lte=_end(year))


def union_new_members_by_unit(*, unit_ids: set[int], year: int) -> dict[int, int]:
    rows = (UnionMember.objects.filter(unit_id__in=unit_ids, admitted_on__year=year).values("unit_id")
            .annotate(n=Count("id")))
    return {r["unit_id"]: r["n"] for r in rows}


def union_new_studied_by_unit(*, unit_ids: set[int], year: int) -> dict[int, int]:
    rows = (UnionMember.objects.filter(unit_id__in=unit_ids, admitted_on__year=year)
            .filter(id__in=UnionMember.objects.filter(_studied(year)).values("id"))
            .values("unit_id").annotate(n=Count("id")))
    return {r["unit_id"]: r["n"] for r in rows}


# ---------------------------------------------------------------- pages


def units_overview(*, actor, year: int) -> list[dict]:
    """Per unit in scope that has records: the figures of indicators 2 and 3 for `year`."""
    ids = org_selectors.unit_ids(actor=actor, capability=READ)
    from cyberyouth.orgs.models import Unit

    with_records = (set(StaffMember.objects.filter(unit_id__in=ids).values_list("unit_id", flat=True))
                    | set(UnionMember.objects.filter(unit_id__in=ids).values_list("unit_id", flat=True))
                    | set(Course.objects.filter(unit_id__in=ids).values_list("unit_id", flat=True)))
    staff, trained = staff_student_work_by_unit(unit_ids=with_records, year=year), staff_trained_by_unit(
        unit_ids=with_records, year=year)
    members, studied = union_new_members_by_unit(unit_ids=with_records, year=year), union_new_studied_by_unit(
        unit_ids=with_records, year=year)
    return [{"unit": u, "staff": staff.get(u.id, 0), "trained": trained.get(u.id, 0),
             "members": members.get(u.id, 0), "studied": studied.get(u.id, 0)}
            for u in Unit.objects.filter(id__in=with_records).order_by(Vietnamese("name"))]


def unit_staff(*, actor, unit, year: int) -> list[dict]:
    """The unit's staff register, each with whether they count for indicator 3 in `year`."""
    org_selectors.require_read(actor=actor, capability=READ, unit=unit)
    in_post = set(StaffMember.objects.filter(_in_post(year), unit=unit).values_list("id", flat=True))
    trained = set(StaffMember.objects.filter(_trained(year), unit=unit).values_list("id", flat=True))
    staff = StaffMember.objects.filter(unit=unit).prefetch_related("completions__course").order_by(
        Vietnamese("full_name"))
    return [{"staff": s, "counted": s.id in in_post, "trained": s.id in in_post and s.id in trained,
             "completions": sorted(s.completions.all(), key=lambda c: c.completed_on, reverse=True)} for s in staff]


def unit_courses(*, actor, unit) -> QuerySet[Course]:
    org_selectors.require_read(actor=actor, capability=READ, unit=unit)
    return Course.objects.filter(unit=unit).annotate(
        n=Count("completions", distinct=True), sessions_n=Count("sessions", distinct=True),
        waiting=Count("imports__pending", filter=Q(imports__pending__status=RowStatus.OPEN), distinct=True),
    ).order_by("-starts_on")


def get_course(*, actor, course_id: int) -> Course:
    course = Course.objects.filter(id=course_id, unit_id__in=org_selectors.unit_ids(actor=actor, capability=READ)
                                   ).select_related("unit").first()
    if course is None:
        raise NotFound("Không tìm thấy lớp tập huấn.")
    return course


def course_detail(*, actor, course: Course) -> dict:
    completions = course.completions.select_related("staff", "staff__unit").order_by(Vietnamese("staff__full_name"))
    open_rows = PendingCompletion.objects.filter(batch__course=course, status=RowStatus.OPEN)
    from .services import _staff_pool

    pool = list(_staff_pool(course).filter(Q(left_on__isnull=True) | Q(left_on__gte=course.starts_on))
                .order_by(Vietnamese("full_name")))
    rows = []
    for row in open_rows:
        key = name_key(row.full_name)
        likely = [s for s in pool if s.name_key == key]
        rows.append({"row": row, "likely": likely, "others": [s for s in pool if s not in likely]})
    return {"completions": completions, "open_rows": rows, "pool": pool,
            "imports": CompletionImport.objects.filter(course=course).order_by("-created_at")}


def get_pending(*, actor, row_id: int) -> PendingCompletion:
    row = PendingCompletion.objects.filter(
        id=row_id, batch__course__unit_id__in=org_selectors.unit_ids(actor=actor, capability=READ)).select_related(
        "batch__course__unit").first()
    if row is None:
        raise NotFound("Không tìm thấy dòng cần ghép.")
    return row


def get_staff(*, actor, staff_id: int) -> StaffMember:
    staff = StaffMember.objects.filter(id=staff_id, unit_id__in=org_selectors.unit_ids(actor=actor, capability=READ)
                                       ).first()
    if staff is None:
        raise NotFound("Không tìm thấy cán bộ.")
    return staff


def unit_members(*, actor, unit, year: int) -> dict:
    """New members admitted at `unit` in `year`, whether each studied; the open rows of the
    app's exports with the members they may be."""
    org_selectors.require_read(actor=actor, capability=READ, unit=unit)
    members = list(UnionMember.objects.filter(unit=unit, admitted_on__year=year).order_by(Vietnamese("full_name")))
    studied = set(UnionMember.objects.filter(_studied(year), unit=unit).values_list("id", flat=True))
    open_rows = TheoryCompletion.objects.filter(batch__unit=unit, status=RowStatus.OPEN)
    everyone = list(UnionMember.objects.filter(unit=unit).order_by(Vietnamese("full_name")))
    rows = []
    for row in open_rows:
        key = name_key(row.full_name)
        likely = [m for m in everyone if m.name_key == key]
        rows.append({"row": row, "likely": likely, "others": [m for m in everyone if m not in likely]})
    return {"members": [{"member": m, "studied": m.id in studied} for m in members],
            "studied": sum(1 for m in members if m.id in studied), "open_rows": rows,
            "imports": TheoryImport.objects.filter(unit=unit).annotate(
                n=Count("rows"), matched=Count("rows", filter=Q(rows__status=RowStatus.MATCHED))).order_by("-created_at")}


def get_theory_row(*, actor, row_id: int) -> TheoryCompletion:
    row = TheoryCompletion.objects.filter(
        id=row_id, batch__unit_id__in=org_selectors.unit_ids(actor=actor, capability=READ)).select_related(
        "batch__unit").first()
    if row is None:
        raise NotFound("Không tìm thấy dòng cần ghép.")
    return row


def get_member(*, actor, member_id: int) -> UnionMember:
    member = UnionMember.objects.filter(id=member_id,
                                        unit_id__in=org_selectors.unit_ids(actor=actor, capability=READ)).first()
    if member is None:
        raise NotFound("Không tìm thấy đoàn viên.")
    return member


def completion_count(*, actor) -> int:
    return Completion.objects.filter(
        staff__unit_id__in=org_selectors.unit_ids(actor=actor, capability=READ)).count()


# ---------------------------------------------------------------- sessions, attendance, certificates


def course_sessions(*, course: Course) -> dict:
    """A course's sessions with their attendance, each staff member's hours against the rule."""
    from .services import _staff_pool, rule_outcome

    sessions = list(course.sessions.annotate(present=Count("attendances")).order_by("held_on", "id"))
    total = sum((s.hours for s in sessions), Decimal(0))
    attended: dict[int, Decimal] = {}
    for staff_id, hours in Attendance.objects.filter(session__course=course).values_list("staff_id", "session__hours"):
        attended[staff_id] = attended.get(staff_id, Decimal(0)) + hours
    outcome = rule_outcome(course)
    people = {s.id: s for s in _staff_pool(course).filter(id__in=attended)}
    rows = [{"staff": people[sid], "hours": h, "percent": round(h * 100 / total) if total else 0,
             "reached": outcome.get(sid)} for sid, h in attended.items() if sid in people]
    rows.sort(key=lambda r: (r["staff"].name_key, r["staff"].id))
    return {"sessions": sessions, "total_hours": total, "attendance": rows,
            "need_hours": (total * course.min_attendance_percent / 100).quantize(Decimal("0.1")) if total else 0}


def get_session(*, actor, session_id: int) -> Session:
    session = Session.objects.filter(
        id=session_id, course__unit_id__in=org_selectors.unit_ids(actor=actor, capability=READ)).select_related(
        "course__unit").first()
    if session is None:
        raise NotFound("Không tìm thấy buổi học.")
    return session


def session_roll(*, session: Session) -> list[dict]:
    """The people a session's attendance may list (the course's staff pool, in post on the
    day), each with whether they were present."""
    from .services import _staff_pool

    present = set(session.attendances.values_list("staff_id", flat=True))
    day = session.held_on
    pool = (_staff_pool(session.course).filter(Q(left_on__isnull=True) | Q(left_on__gt=day))
            .filter(Q(joined_on__isnull=True) | Q(joined_on__lte=day)) | _staff_pool(session.course).filter(
        id__in=present)).distinct().select_related("unit").order_by(Vietnamese("full_name"))
    return [{"staff": s, "present": s.id in present} for s in pool]


def course_certificates(*, course: Course):
    return course.certificates.select_related("staff", "revoked_by").order_by("revoked_at", "number")


def get_certificate(*, actor, certificate_id: int) -> Certificate:
    cert = Certificate.objects.filter(
        id=certificate_id, course__unit_id__in=org_selectors.unit_ids(actor=actor, capability=READ)).select_related(
        "course__unit", "staff__unit").first()
    if cert is None:
        raise NotFound("Không tìm thấy giấy chứng nhận.")
    return cert


def certificate_by_code(code: str) -> Certificate | None:
    """The public verification: a certificate by its printed code (spaces, case and the dash
    forgiven), or None. Unscoped on purpose: whoever holds the paper may check it."""
    raw = "".join(ch for ch in (code or "").upper() if ch.isalnum())[:20]
    if len(raw) != 10:
        return None
    return Certificate.objects.filter(code=f"{raw[:5]}-{raw[5:]}").select_related("course", "staff__unit").first()


# ---------------------------------------------------------------- the records behind indicators 2 and 3


def indicator_records(*, actor, unit, year: int) -> dict:
    """The drill-down of indicators 2 and 3 of `unit` for `year`: every staff member the
    denominator counts with the completion that puts them in the numerator (or none), every new
    member with the app's row that counts them. The counts are the providers' own."""
    org_selectors.require_read(actor=actor, capability=READ, unit=unit)
    end = _end(year)
    counted = StaffMember.objects.filter(_in_post(year), unit=unit).order_by(Vietnamese("full_name"))
    qualifying = {}
    for c in (Completion.objects.filter(staff__in=counted, course__counts_for_indicator=True, completed_on__year=year)
              .select_related("course").order_by("completed_on", "id")):
        qualifying.setdefault(c.staff_id, c)
    live = {(c.course_id, c.staff_id): c for c in Certificate.objects.filter(
        staff__in=counted, revoked_at__isnull=True)}
    staff_rows = [{"staff": s, "completion": qualifying.get(s.id),
                   "certificate": live.get((qualifying[s.id].course_id, s.id)) if s.id in qualifying else None}
                  for s in counted]
    members = UnionMember.objects.filter(unit=unit, admitted_on__year=year).order_by(Vietnamese("full_name"))
    rows_of = {}
    for r in (TheoryCompletion.objects.filter(member__in=members, status=RowStatus.MATCHED, completed_on__lte=end)
              .select_related("batch").order_by("completed_on", "id")):
        rows_of.setdefault(r.member_id, r)
    member_rows = [{"member": m, "row": rows_of.get(m.id)} for m in members]
    ids = {unit.id}
    return {
        "staff": staff_rows, "members": member_rows,
        "staff_count": staff_student_work_by_unit(unit_ids=ids, year=year).get(unit.id, 0),
        "trained_count": staff_trained_by_unit(unit_ids=ids, year=year).get(unit.id, 0),
        "members_count": union_new_members_by_unit(unit_ids=ids, year=year).get(unit.id, 0),
        "studied_count": union_new_studied_by_unit(unit_ids=ids, year=year).get(unit.id, 0),
    }


def completions_in_scope(*, actor, course_id: int | None = None, unit=None, year: int | None = None):
    qs = Completion.objects.filter(course__unit_id__in=org_selectors.unit_ids(actor=actor, capability=READ))
    if course_id is not None:
        qs = qs.filter(course_id=course_id)
    if unit is not None:
        qs = qs.filter(staff__unit=unit)
    if year is not None:
        qs = qs.filter(completed_on__year=year)
    return qs.select_related("course", "staff__unit").order_by("-completed_on", "id")


# ---------------------------------------------------------------- figures (the index page and the yearly report)


def training_figures(*, unit_ids: set[int], year: int) -> dict:
    """Courses recorded by `unit_ids` that started in `year`, their sessions, completions and live
    certificates; staff doing student work and those trained (indicator 3's figures) in those units."""
    courses = Course.objects.filter(unit_id__in=unit_ids, starts_on__year=year)
    return {
        "courses": courses.count(),
        "sessions": Session.objects.filter(course__in=courses).count(),
        "hours": sum(courses.values_list("hours", flat=True)),
        "completions": Completion.objects.filter(course__in=courses).count(),
        "certificates": Certificate.objects.filter(course__in=courses, revoked_at__isnull=True).count(),
        "staff": sum(staff_student_work_by_unit(unit_ids=unit_ids, year=year).values()),
        "trained": sum(staff_trained_by_unit(unit_ids=unit_ids, year=year).values()),
    }
