"""Reads of dialogues — scoped through `orgs.selectors` ("dialogue.read" to read, "dialogue.manage"
to run one), and the student's side through the students app's rules (their open class, consent).

The compliance figures (a school held an in-person and an online dialogue in the year; "both"
counts for both) are computed once, by `compliance_of`, for the dashboard, its drill-down and the
yearly report alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db.models import Count, Max, Q, QuerySet, Sum

from cyberyouth.errors import NotFound, ScopeError
from cyberyouth.orgs import selectors as org_selectors
from cyberyouth.orgs.models import Unit, UnitType
from cyberyouth.students import selectors as student_selectors
from cyberyouth.students.models import Student

from .models import COUNTS_IN_PERSON, COUNTS_ONLINE, Answer, Commitment, Dialogue, Question, Review, Status, Vote

READ = "dialogue.read"
MANAGE = "dialogue.manage"

# Schools whose leaders hold the yearly dialogue: every school but kindergartens (settings may say otherwise).
DEFAULT_SCHOOL_TYPES = (UnitType.PRIMARY, UnitType.PRIMARY_LOWER_SECONDARY, UnitType.LOWER_SECONDARY,
                        UnitType.UPPER_SECONDARY, UnitType.VOCATIONAL_CENTRE, UnitType.VOCATIONAL_COLLEGE)


def school_types() -> tuple[str, ...]:
    return tuple(getattr(settings, "DIALOGUES_SCHOOL_TYPES", DEFAULT_SCHOOL_TYPES))


def today() -> date:
    return org_selectors.today()


# ---------------------------------------------------------------- staff side


def dialogues_visible(*, actor) -> QuerySet[Dialogue]:
    """The dialogues of the schools `actor` reads (history included)."""
    return org_selectors.scope(Dialogue.objects.select_related("unit"), actor=actor, capability=READ)


def dialogues(*, actor, year: int | None = None, unit: Unit | None = None) -> QuerySet[Dialogue]:
    qs = dialogues_visible(actor=actor)
    if year is not None:
        qs = qs.filter(held_on__year=year)
    if unit is not None:
        qs = qs.filter(unit_id__in=org_selectors.year_unit_ids(unit=unit, year=year or today().year))
    return qs.annotate(n_questions=Count("questions", filter=Q(questions__review=Review.APPROVED)),
                       n_pending=Count("questions", filter=Q(questions__review=Review.PENDING))
                       ).order_by("-held_on", "-id")


def get_dialogue(*, actor, dialogue_id: int) -> Dialogue:
    """A dialogue `actor` reads; a missing one and another school's answer the same 404."""
    dialogue = dialogues_visible(actor=actor).filter(id=dialogue_id).first()
    if dialogue is None:
        raise NotFound("Không tìm thấy buổi đối thoại.")
    return dialogue


def get_question(*, actor, question_id) -> Question:
    """A question of a dialogue `actor` reads (404 otherwise, as for a missing one)."""
    question = (Question.objects.filter(id=question_id, dialogue__in=dialogues_visible(actor=actor))
                .select_related("dialogue__unit").first())
    if question is None:
        raise NotFound("Không tìm thấy câu hỏi.")
    return question


def may_manage(*, actor, dialogue: Dialogue) -> bool:
    return org_selectors.can(actor=actor, capability=MANAGE, unit=dialogue.unit)


def require_manage(*, actor, dialogue: Dialogue) -> None:
    """NotFound when the actor cannot read the dialogue, ScopeError when they read but may not run it."""
    org_selectors.require(actor=actor, capability=MANAGE, unit=dialogue.unit, read=READ)


def manageable_schools(*, actor) -> QuerySet[Unit]:
    """The live schools where `actor` may plan a dialogue."""
    ids = org_selectors.unit_ids(actor=actor, capability=MANAGE, history=False)
    return Unit.objects.filter(id__in=ids, unit_type__in=school_types()).order_by("name")


def questions_for_staff(*, dialogue: Dialogue) -> QuerySet[Question]:
    """Every question of a dialogue the caller may read (the view checked that): pending first
    (flagged ones at the top), then by votes. Named questions carry their author; anonymous ones
    have none to show."""
    return dialogue.questions.select_related("author").order_by("review", "-vote_count", "text_key")


def pending_count(*, dialogue: Dialogue) -> int:
    return dialogue.questions.filter(review=Review.PENDING).count()


def board(*, dialogue: Dialogue) -> list[Question]:
    """The host's board: approved questions, most votes first; answered ones sink to the bottom."""
    rows = list(dialogue.questions.filter(review=Review.APPROVED).order_by("-vote_count", "text_key"))
    return sorted(rows, key=lambda q: q.answer != Answer.OPEN)


def board_json(*, dialogue: Dialogue) -> dict:
    """What the host page polls: the board as data (no author names: the screen may be projected)."""
    rows = board(dialogue=dialogue)
    return {"status": dialogue.status, "status_label": dialogue.get_status_display(),
            "pending": pending_count(dialogue=dialogue),
            "questions": [{"id": str(q.id), "text": q.text, "votes": q.vote_count, "answer": q.answer,
                           "answer_label": q.get_answer_display(), "anonymous": q.anonymous} for q in rows]}


def commitments(*, dialogue: Dialogue) -> QuerySet[Commitment]:
    return dialogue.commitments.select_related("owner").order_by("done_on", "due_on", "id")


def leader_candidates(*, unit: Unit):
    """Staff accounts that hold a role on the school itself (a principal, a focal point, a teacher)."""
    from cyberyouth.orgs.models import Role, User

    ids = org_selectors.role_holders(unit_ids=[unit.id], role=Role.FOCAL_POINT).values_list("user_id", flat=True)
    teachers = org_selectors.role_holders(unit_ids=[unit.id], role=Role.HOMEROOM_TEACHER).values_list("user_id",
                                                                                                     flat=True)
    leaders = org_selectors.role_holders(unit_ids=[unit.id], role=Role.LEADER).values_list("user_id", flat=True)
    return User.objects.filter(Q(id__in=ids) | Q(id__in=teachers) | Q(id__in=leaders), is_active=True
                               ).order_by("full_name", "username")


def owner_candidates(*, unit: Unit):
    """Staff accounts of the school who may answer for a commitment: they must read the dialogue
    to see it and mark it done (a homeroom teacher cannot; name them in words instead)."""
    return [u for u in leader_candidates(unit=unit) if org_selectors.can(actor=u, capability=READ, unit=unit)]


# ---------------------------------------------------------------- the student's side


def student_of(actor) -> Student:
    """The student record of the signed-in account (a ScopeError for staff)."""
    student = Student.objects.filter(user_id=getattr(actor, "pk", None)).select_related("unit").first()
    if student is None:
        raise ScopeError("Trang này dành cho học sinh.")
    return student


def _student_dialogues(student: Student) -> QuerySet[Dialogue]:
    enrolment = student_selectors.open_enrolment(student)
    if enrolment is None:
        return Dialogue.objects.none()
    class_id = enrolment.school_class_id
    # the whole school (no classes chosen) or the student's class among the audience
    return (Dialogue.objects.filter(unit_id=enrolment.unit_id).exclude(status=Status.CANCELLED)
            .annotate(n_classes=Count("classes", distinct=True))
            .filter(Q(n_classes=0) | Q(classes__id=class_id)).distinct())


def student_dialogues(*, student: Student) -> list[Dialogue]:
    """The dialogues open to the student now, then the held ones of the last year."""
    qs = _student_dialogues(student)
    since = date(today().year - 1, today().month, 1)
    return list(qs.filter(Q(status__in=(Status.PLANNED, Status.LIVE)) | Q(held_on__gte=since))
                .order_by("-held_on", "-id"))


def student_dialogue(*, student: Student, dialogue_id: int) -> Dialogue:
    """A dialogue of the student's own school and audience — another school's answers 404."""
    dialogue = _student_dialogues(student).filter(id=dialogue_id).first()
    if dialogue is None:
        raise NotFound("Không tìm thấy buổi đối thoại.")
    return dialogue


def student_question(*, student: Student, question_id) -> Question:
    """An approved question of a dialogue open to the student (404 otherwise)."""
    question = (Question.objects.filter(id=question_id, review=Review.APPROVED,
                                        dialogue__in=_student_dialogues(student))
                .select_related("dialogue").first())
    if question is None:
        raise NotFound("Không tìm thấy câu hỏi.")
    return question


def student_questions(*, student: Student, dialogue: Dialogue) -> tuple[list[dict], list[Question]]:
    """What a student sees: approved questions (no names), most votes first, with whether they
    voted; and their own named questions still waiting."""
    voted = set(Vote.objects.filter(student=student, question__dialogue=dialogue).values_list("question_id",
                                                                                               flat=True))
    rows = [{"question": q, "voted": q.id in voted, "mine": q.author_id == student.id and not q.anonymous}
            for q in board(dialogue=dialogue)]
    waiting = list(dialogue.questions.filter(author=student, anonymous=False, review=Review.PENDING))
    return rows, waiting


# ---------------------------------------------------------------- compliance (task 6c)


@dataclass
class SchoolCompliance:
    unit: Unit
    held: int = 0
    in_person: int = 0
    online: int = 0
    attendance: int = 0
    last_held: date | None = None

    @property
    def met(self) -> bool:
        return self.in_person > 0 and self.online > 0

    @property
    def missing(self) -> str:
        parts = [p for p, n in (("trực tiếp", self.in_person), ("trực tuyến", self.online)) if not n]
        return " và ".join(parts)


@dataclass
class Summary:
    schools: int = 0
    met: int = 0
    in_person_schools: int = 0
    online_schools: int = 0
    held: int = 0
    by_mode: dict = field(default_factory=dict)
    attendance: int = 0
    questions: int = 0
    answered: int = 0
    commitments: int = 0
    commitments_done: int = 0
    not_met: list = field(default_factory=list)


def expected_schools(*, unit_ids: set[int], year: int) -> QuerySet[Unit]:
    """The schools among `unit_ids` that owe the yearly dialogue: a school type, alive during the year."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    return (Unit.objects.filter(id__in=unit_ids, unit_type__in=school_types(), valid_from__lte=end)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=start)))


def _held(unit_ids: set[int], year: int) -> QuerySet[Dialogue]:
    return Dialogue.objects.filter(unit_id__in=unit_ids, status=Status.HELD, held_on__year=year)


def compliance_of(*, unit_ids: set[int], year: int) -> list[SchoolCompliance]:
    """Per school: dialogues held in `year`, in person and online ("both" counts for both),
    students attending. Two grouped queries whatever the number of schools."""
    schools = {u.id: SchoolCompliance(unit=u) for u in expected_schools(unit_ids=unit_ids, year=year)}
    rows = (_held(set(schools), year).values("unit_id")
            .annotate(n=Count("id"), ip=Count("id", filter=Q(mode__in=COUNTS_IN_PERSON)),
                      on=Count("id", filter=Q(mode__in=COUNTS_ONLINE)), att=Sum("attendance")))
    for r in rows:
        s = schools[r["unit_id"]]
        s.held, s.in_person, s.online, s.attendance = r["n"], r["ip"], r["on"], r["att"] or 0
    for unit_id, last in (_held(set(schools), year).values("unit_id").annotate(last=Max("held_on"))
                          .values_list("unit_id", "last")):
        schools[unit_id].last_held = last
    return sorted(schools.values(), key=lambda s: (s.met, s.held, s.unit.name))


def summarise(*, unit_ids: set[int], year: int, rows: list[SchoolCompliance] | None = None) -> Summary:
    """The figures of `year` over `unit_ids`: schools that met the rule, dialogues by mode,
    attendance, questions answered, commitments kept — the dashboard's header and the yearly
    report's sentence."""
    rows = compliance_of(unit_ids=unit_ids, year=year) if rows is None else rows
    held = _held({r.unit.id for r in rows}, year)
    s = Summary(schools=len(rows), met=sum(r.met for r in rows), in_person_schools=sum(r.in_person > 0 for r in rows),
                online_schools=sum(r.online > 0 for r in rows), held=sum(r.held for r in rows),
                attendance=sum(r.attendance for r in rows), not_met=[r for r in rows if not r.met])
    s.by_mode = dict(held.values("mode").annotate(n=Count("id")).values_list("mode", "n"))
    q = Question.objects.filter(dialogue__in=held, review=Review.APPROVED)
    s.questions = q.count()
    s.answered = q.exclude(answer=Answer.OPEN).count()
    c = Commitment.objects.filter(dialogue__in=held)
    s.commitments, s.commitments_done = c.count(), c.filter(done_on__isnull=False).count()
    return s


def scope_ids(*, actor, year: int, unit: Unit | None = None) -> set[int]:
    """The units whose `year` the actor reads, below `unit` when given (with what it carries on)."""
    ids = org_selectors.unit_ids(actor=actor, capability=READ)
    if unit is not None:
        org_selectors.require_read(actor=actor, capability=READ, unit=unit)
        ids &= org_selectors.year_unit_ids(unit=unit, year=year)
    return ids


def compliance(*, actor, year: int, unit: Unit | None = None) -> list[SchoolCompliance]:
    return compliance_of(unit_ids=scope_ids(actor=actor, year=year, unit=unit), year=year)


def drill_down(*, actor, unit: Unit, year: int) -> list[tuple[Unit, Summary]]:
    """The units directly below `unit` (as the tree stands at the end of the year), each with the
    summary of its schools; then `unit` itself for the schools under no child."""
    org_selectors.require_read(actor=actor, capability=READ, unit=unit)
    readable = org_selectors.unit_ids(actor=actor, capability=READ)
    on = min(date(year, 12, 31), today())
    children = org_selectors.children_map(on=on).get(unit.id, [])
    out, covered = [], set()
    for child in Unit.objects.filter(id__in=set(children) & readable):
        ids = org_selectors.year_unit_ids(unit=child, year=year) & readable
        covered |= ids
        rows = compliance_of(unit_ids=ids, year=year)
        if rows:
            out.append((child, summarise(unit_ids=ids, year=year, rows=rows)))
    out.sort(key=lambda pair: (-pair[1].met, pair[0].name))
    rest = (org_selectors.year_unit_ids(unit=unit, year=year) & readable) - covered
    rows = compliance_of(unit_ids=rest, year=year)
    if rows and not (len(rows) == 1 and rows[0].unit.id == unit.id):
        out.append((unit, summarise(unit_ids=rest, year=year, rows=rows)))
    return out


def overdue_commitments(*, on: date) -> QuerySet[Commitment]:
    return Commitment.objects.filter(done_on__isnull=True, due_on__lt=on)
