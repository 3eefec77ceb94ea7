"""Reads of students, classes, consent and the Code-of-Conduct and safe-use records — scoped.

The unit-level gate (`orgs.selectors`) says which schools an actor reaches; this module narrows
a homeroom teacher (capability "class.teach") to the classes whose `homeroom_teacher` they are.
A school's focal point ("student.read" / "student.manage") sees every class of the school.
The `*_by_unit` functions are the indicator providers: unscoped, the indicators app scopes its
callers.
"""

from datetime import date

from django.conf import settings
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from cyberyouth.errors import NotFound, ScopeError
from cyberyouth.lib import disclosure
from cyberyouth.lib.text import vi_key
from cyberyouth.orgs import selectors as org_selectors
from cyberyouth.orgs.models import Role, Unit

from .models import (
    Consent, ConsentPurpose, ConductAcknowledgement, Enrolment, SafetyLesson,
    SchoolClass, SchoolYear, Student,
)


def today() -> date:
    return org_selectors.today()


# ---------------------------------------------------------------- school years


def school_years() -> QuerySet[SchoolYear]:
    return SchoolYear.objects.order_by("-starts_on")


def school_year_on(day: date) -> SchoolYear | None:
    """The school year in progress on `day` (in the summer break: the one that just ended)."""
    return SchoolYear.objects.filter(starts_on__lte=day).order_by("-starts_on").first()


def current_school_year() -> SchoolYear | None:
    return school_year_on(today())


def report_day(year: int) -> date:
    """The day a report year's student figures are taken: 31 December, or today for this year."""
    return min(date(year, 12, 31), today())


# ---------------------------------------------------------------- scope


def _class_scope_q(*, actor, read_capability: str = "student.read", history: bool = True) -> Q:
    school_wide = org_selectors.unit_ids(actor=actor, capability=read_capability, history=history)
    teaching = org_selectors.unit_ids(actor=actor, capability="class.teach", history=history)
    q = Q(unit_id__in=school_wide)
    if teaching and getattr(actor, "pk", None):
        q |= Q(unit_id__in=teaching, homeroom_teacher_id=actor.pk)
    return q


def classes_visible(*, actor, school_year: SchoolYear | None = None, unit=None) -> QuerySet[SchoolClass]:
    """The classes `actor` may read: every class of their schools, or a homeroom teacher's own."""
    qs = SchoolClass.objects.filter(_class_scope_q(actor=actor)).select_related("unit", "school_year",
                                                                                  "homeroom_teacher")
    if school_year is not None:
        qs = qs.filter(school_year=school_year)
    if unit is not None:
        qs = qs.filter(unit=unit)
    return qs.order_by("unit__name", "-school_year__starts_on", "grade", "name")


def get_class(*, actor, class_id: int) -> SchoolClass:
    school_class = classes_visible(actor=actor).filter(id=class_id).first()
    if school_class is None:
        raise NotFound("Không tìm thấy lớp.")
    return school_class


def may_act_on_class(*, actor, school_class: SchoolClass, capability: str) -> bool:
    """Whether `actor` may use `capability` on `school_class`: the capability on its school, and
    either the school's management or being the class's homeroom teacher."""
    unit = school_class.unit
    if not org_selectors.can(actor=actor, capability=capability, unit=unit):
        return False
    if org_selectors.can(actor=actor, capability="student.manage", unit=unit):
        return True
    return (org_selectors.can(actor=actor, capability="class.teach", unit=unit)
            and school_class.homeroom_teacher_id == getattr(actor, "pk", None))


def require_class(*, actor, school_class: SchoolClass, capability: str) -> None:
    """NotFound when the actor cannot read the class at all, ScopeError when seen but not allowed."""
    if not classes_visible(actor=actor).filter(id=school_class.id).exists():
        raise NotFound("Không tìm thấy lớp.")
    if not may_act_on_class(actor=actor, school_class=school_class, capability=capability):
        raise ScopeError("Bạn không có quyền thực hiện thao tác này với lớp này.")


def open_enrolment(student: Student) -> Enrolment | None:
    return student.enrolments.filter(valid_to__isnull=True).select_related("school_class").first()


def students_visible(*, actor) -> QuerySet[Student]:
    """Students of the actor's schools; for a homeroom teacher, the students now in their classes."""
    school_wide = org_selectors.unit_ids(actor=actor, capability="student.read")
    teaching = org_selectors.unit_ids(actor=actor, capability="class.teach")
    q = Q(unit_id__in=school_wide)
    if teaching and getattr(actor, "pk", None):
        mine = Enrolment.objects.filter(valid_to__isnull=True, school_class__homeroom_teacher_id=actor.pk,
                                        unit_id__in=teaching)
        q |= Q(id__in=mine.values("student_id"))
    return Student.objects.filter(q)


def get_student(*, actor, student_id: int) -> Student:
    student = students_visible(actor=actor).filter(id=student_id).select_related("unit").first()
    if student is None:
        raise NotFound("Không tìm thấy học sinh.")
    return student


def require_student(*, actor, student: Student, capability: str) -> None:
    """Refuse unless `actor` may use `capability` on `student` (through their current class, or
    on the school for a student without a class)."""
    if not students_visible(actor=actor).filter(id=student.id).exists():
        raise NotFound("Không tìm thấy học sinh.")
    enrolment = open_enrolment(student)
    if enrolment is not None:
        if may_act_on_class(actor=actor, school_class=enrolment.school_class, capability=capability):
            return
    elif (org_selectors.can(actor=actor, capability=capability, unit=student.unit)
          and org_selectors.can(actor=actor, capability="student.manage", unit=student.unit)):
        return
    raise ScopeError("Bạn không có quyền thực hiện thao tác này với học sinh này.")


def class_students(*, actor, school_class: SchoolClass) -> list[Student]:
    """The class's students now (or, for a past year, those who were in it), in Vietnamese order."""
    require_read_class(actor=actor, school_class=school_class)
    ids = school_class.enrolments.values("student_id")
    if school_class.school_year.ends_on > today():
        ids = school_class.enrolments.filter(valid_to__isnull=True).values("student_id")
    return list(Student.objects.filter(id__in=ids).order_by("sort_key", "id"))


def require_read_class(*, actor, school_class: SchoolClass) -> None:
    if not classes_visible(actor=actor).filter(id=school_class.id).exists():
        raise NotFound("Không tìm thấy lớp.")


def live_consents(*, student_ids) -> dict[int, set[str]]:
    """student id → the purposes with consent in force."""
    out: dict[int, set[str]] = {}
    for sid, purpose in Consent.objects.filter(student_id__in=student_ids, withdrawn_at__isnull=True).values_list(
            "student_id", "purpose"):
        out.setdefault(sid, set()).add(purpose)
    return out


def has_consent(*, student: Student, purpose: str = ConsentPurpose.ACCOUNT) -> bool:
    return Consent.objects.filter(student=student, purpose=purpose, withdrawn_at__isnull=True).exists()


def consent_in_force(purpose: str = ConsentPurpose.ACCOUNT) -> Exists:
    """`has_consent` as an expression, to read it with the student's row in one query
    (`Student.objects.annotate(consented=consent_in_force())`)."""
    return Exists(Consent.objects.filter(student=OuterRef("pk"), purpose=purpose, withdrawn_at__isnull=True))


def consent_state(*, student: Student, purpose: str) -> str:
    """"granted", "withdrawn" (withdrawn and not given again) or "none"."""
    rows = list(Consent.objects.filter(student=student, purpose=purpose).values_list("withdrawn_at", flat=True))
    if any(w is None for w in rows):
        return "granted"
    return "withdrawn" if rows else "none"


def class_figures(*, actor, school_year: SchoolYear, unit) -> dict:
    """A school's classes with their head counts, consents and acknowledgements, each figure
    through the small-group rule (a class is below school level)."""
    classes = list(classes_visible(actor=actor, school_year=school_year, unit=unit))
    day = min(today(), school_year.ends_on)
    open_on = Q(enrolments__valid_from__lte=day) & (Q(enrolments__valid_to__isnull=True)
                                                   | Q(enrolments__valid_to__gt=day))
    counts = dict(SchoolClass.objects.filter(id__in=[c.id for c in classes]).annotate(
        n=Count("enrolments", filter=open_on)).values_list("id", "n"))
    acks = dict(ConductAcknowledgement.objects.filter(
        school_year=school_year, student__enrolments__school_class__in=classes,
        student__enrolments__valid_to__isnull=True).values("student__enrolments__school_class").annotate(
        n=Count("id", distinct=True)).values_list("student__enrolments__school_class", "n"))
    sizes = disclosure.protect({c.id: counts.get(c.id, 0) for c in classes})
    ack_row = disclosure.protect({c.id: acks.get(c.id, 0) for c in classes})
    lessons = dict(SafetyLesson.objects.filter(school_class__in=classes).values("school_class").annotate(
        n=Count("id")).values_list("school_class", "n"))
    return {"classes": [{"class": c, "size": sizes.cells[c.id], "acknowledged": ack_row.cells[c.id],
                         "lessons": lessons.get(c.id, 0)} for c in classes],
            "total": sizes.total, "acknowledged_total": ack_row.total}


# ---------------------------------------------------------------- indicator providers (unscoped)


def _open_on(day: date) -> Q:
    return Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gt=day))


def _record_units(unit_ids: set[int], school_year: SchoolYear | None) -> set[int]:
    if school_year is None:
        return set()
    return set(SchoolClass.objects.filter(unit_id__in=unit_ids, school_year=school_year)
               .values_list("unit_id", flat=True).distinct())


_FIGURES_SQL = """
SELECT e.unit_id, COUNT(*),
       COUNT(*) FILTER (WHERE a.student_id IS NOT NULL OR r.schoolclass_id IS NOT NULL),
       COUNT(*) FILTER (WHERE a.student_id IS NOT NULL AND v.student_id IS NULL)
FROM students_enrolment e
JOIN students_schoolclass c ON c.id = e.school_class_id AND c.school_year_id = %(year)s
LEFT JOIN students_conductacknowledgement a ON a.student_id = e.student_id AND a.school_year_id = %(year)s
LEFT JOIN (SELECT DISTINCT student_id FROM students_conductviolation WHERE school_year_id = %(year)s) v
       ON v.student_id = e.student_id
LEFT JOIN (SELECT DISTINCT sc.schoolclass_id FROM students_conductsession_classes sc
           JOIN students_conductsession s ON s.id = sc.conductsession_id WHERE s.school_year_id = %(year)s) r
       ON r.schoolclass_id = e.school_class_id
WHERE {units} AND e.valid_from <= %(day)s AND (e.valid_to IS NULL OR e.valid_to > %(day)s)
GROUP BY e.unit_id
"""


def student_figures_by_unit(*, unit_ids: set[int], year: int) -> dict[int, tuple[int, int, int]]:
    """unit → (enrolled, reached by the Code, actively following it) on the report day of `year`,
    for the schools that keep classes in that school year (the others are absent: they declare
    their figures). Enrolled: students in a class of the school that day. Reached: their class
    had a Code-of-Conduct session in the school year, or they acknowledged the Code themselves.
    Following: acknowledged in the school year, and no violation confirmed by the school in it.
    One pass over the enrolments (the province benchmark counts a million students with it)."""
    day = report_day(year)
    school_year = school_year_on(day)
    units = _record_units(set(unit_ids), school_year)
    if not units:
        return {}
    params: dict = {"year": school_year.id, "day": day}
    if connection.vendor == "postgresql":
        where, params["units"] = "e.unit_id = ANY(%(units)s)", sorted(units)
    else:  # SQLite: a list of parameters (no arrays)
        where = "e.unit_id IN ({})".format(",".join(f"%(u{i})s" for i in range(len(units))))
        params.update({f"u{i}": u for i, u in enumerate(sorted(units))})
    with connection.cursor() as cursor:
        cursor.execute(_FIGURES_SQL.format(units=where), params)
        rows = {unit_id: (enrolled, reached, following) for unit_id, enrolled, reached, following in cursor.fetchall()}
    return {u: rows.get(u, (0, 0, 0)) for u in units}


def enrolled_by_unit(*, unit_ids: set[int], year: int) -> dict[int, int]:
    """Provider "students.enrolled" (see `student_figures_by_unit`)."""
    return {u: f[0] for u, f in student_figures_by_unit(unit_ids=unit_ids, year=year).items()}


def conduct_reached_by_unit(*, unit_ids: set[int], year: int) -> dict[int, int]:
    """Provider "students.cc_reached" (see `student_figures_by_unit`)."""
    return {u: f[1] for u, f in student_figures_by_unit(unit_ids=unit_ids, year=year).items()}


def conduct_following_by_unit(*, unit_ids: set[int], year: int) -> dict[int, int]:
    """Provider "students.cc_ack": students who "actively follow" the Code (see `student_figures_by_unit`)."""
    return {u: f[2] for u, f in student_figures_by_unit(unit_ids=unit_ids, year=year).items()}


def safety_lessons_required() -> int:
    return int(getattr(settings, "STUDENTS_SAFETY_LESSONS_PER_CLASS", 1))


def teaches_safety_by_unit(*, unit_ids: set[int], year: int) -> dict[int, int]:
    """Provider "students.teaches_safety": 1 when every class of the school in the school year
    had at least STUDENTS_SAFETY_LESSONS_PER_CLASS safe-use lessons by the report day, else 0."""
    day = report_day(year)
    school_year = school_year_on(day)
    if school_year is None:
        return {}
    needed = safety_lessons_required()
    rows = (SchoolClass.objects.filter(unit_id__in=unit_ids, school_year=school_year)
            .annotate(n=Count("safety_lessons", filter=Q(safety_lessons__held_on__lte=day,
                                                         safety_lessons__held_on__gte=school_year.starts_on)))
            .values_list("unit_id", "n"))
    out: dict[int, int] = {}
    for unit_id, n in rows:
        out[unit_id] = int(out.get(unit_id, 1) and n >= needed)
    return out


def acknowledged_ids(*, student_ids, school_year: SchoolYear) -> set[int]:
    return set(ConductAcknowledgement.objects.filter(student_id__in=student_ids, school_year=school_year)
               .values_list("student_id", flat=True))


def teachers_of(*, unit: Unit) -> list:
    """The people who may be named homeroom teacher of a class of `unit`: its homeroom teachers
    (the role, in force today), in name order."""

    people = {a.user.pk: a.user for a in org_selectors.role_holders(unit_ids=[unit.id], role=Role.HOMEROOM_TEACHER)}
    return sorted(people.values(), key=lambda u: vi_key(u.get_full_name() or u.username))
