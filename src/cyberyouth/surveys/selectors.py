"""Reads of the surveys app, scoped through `orgs.selectors`: which surveys a person sees, who
is asked, and the results — only aggregates, only through the small-group rule."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from collections.abc import Mapping
from typing import NamedTuple

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from cyberyouth.errors import DomainError, ErrorCode, NotFound
from cyberyouth.lib.disclosure import Figure, figure, min_group, protect_linked, rate
from cyberyouth.orgs import selectors as org_selectors
from cyberyouth.orgs.models import Unit
from cyberyouth.students.models import Enrolment, SchoolClass, Student
from cyberyouth.students.selectors import school_year_on

from . import reading
from .models import (ANSWERED, RESPONDENTS, SENTIMENT_CODES, Answer, Participation, Question, QuestionKind,
                     Survey, SurveyState, Tally)

RESULTS = "survey.results"
MANAGE = "survey.manage"
TEXTS_SHOWN = 30      # free answers listed per question and group (a random sample: ids carry no order)
THEME_SAMPLE = 2000   # free answers read for themes


# ---------------------------------------------------------------- who sees which survey


def _reader_unit_ids(actor) -> set[int]:
    return org_selectors.unit_ids(actor=actor, capability=RESULTS) | org_selectors.unit_ids(actor=actor,
                                                                                           capability=MANAGE)


def surveys_visible(*, actor) -> QuerySet[Survey]:
    """Surveys organised by a unit the person reads results of, or asking one of those units."""
    ids = _reader_unit_ids(actor)
    return (Survey.objects.filter(Q(owner_unit_id__in=ids) | Q(audience_units__in=ids)).distinct()
            .select_related("owner_unit").order_by("-opens_on", "-id"))


def get_survey(*, actor, survey_id: int) -> Survey:
    """A survey the person may read (404 otherwise, the same as a missing one)."""
    survey = surveys_visible(actor=actor).filter(pk=survey_id).first()
    if survey is None:
        raise NotFound("Không tìm thấy khảo sát.")
    return survey


def may_manage(*, actor, survey: Survey) -> bool:
    return org_selectors.can(actor=actor, capability=MANAGE, unit=survey.owner_unit)


def get_survey_to_manage(*, actor, survey_id: int) -> Survey:
    survey = get_survey(actor=actor, survey_id=survey_id)
    org_selectors.require(actor=actor, capability=MANAGE, unit=survey.owner_unit, read=RESULTS)
    return survey


def units_to_organise(*, actor) -> QuerySet[Unit]:
    return Unit.objects.filter(id__in=org_selectors.unit_ids(actor=actor, capability=MANAGE, history=False)
                               ).order_by("code")


# ---------------------------------------------------------------- the audience


def audience_day(survey: Survey) -> date:
    return min(timezone.localdate(), survey.closes_on)


def audience_school_ids(survey: Survey) -> set[int]:
    roots = set(survey.audience_units.values_list("id", flat=True)) or {survey.owner_unit_id}
    return org_selectors.subtree_ids(unit_ids=roots, on=audience_day(survey), history=False)


def audience_classes(survey: Survey) -> QuerySet[SchoolClass]:
    """The classes asked, in the school year of the survey's days."""
    year = school_year_on(audience_day(survey))
    if year is None:
        return SchoolClass.objects.none()
    classes = SchoolClass.objects.filter(school_year=year, unit_id__in=audience_school_ids(survey))
    if survey.audience_grades:
        classes = classes.filter(grade__in=survey.audience_grades)
    chosen = list(survey.audience_classes.values_list("id", flat=True))
    if chosen:
        classes = classes.filter(id__in=chosen)
    return classes


def _enrolled_on(day: date) -> Q:
    return Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gt=day))


def audience_by_unit(survey: Survey) -> dict[int, int]:
    """Students asked, per school (enrolled in an audience class on the survey's last day so far)."""
    rows = (Enrolment.objects.filter(_enrolled_on(audience_day(survey)), school_class__in=audience_classes(survey))
            .values("unit_id").annotate(n=Count("student_id", distinct=True)).order_by())
    return {r["unit_id"]: r["n"] for r in rows}


def respondent_enrolment(*, survey: Survey, actor) -> Enrolment | None:
    """The enrolment through which a signed-in student is asked by `survey`, or None."""
    student = Student.objects.filter(user_id=getattr(actor, "pk", None), deidentified_at__isnull=True).first()
    if student is None:
        return None
    return (Enrolment.objects.filter(_enrolled_on(timezone.localdate()), student=student,
                                     school_class__in=audience_classes(survey))
            .select_related("school_class").first())


def open_for_student(*, actor) -> list[tuple[Survey, bool]]:
    """Launched surveys open today that ask this student, with whether they answered already."""
    today = timezone.localdate()
    student = Student.objects.filter(user_id=getattr(actor, "pk", None)).first()
    if student is None:
        return []
    out = []
    answered = set(Participation.objects.filter(student=student).values_list("survey_id", flat=True))
    for survey in Survey.objects.filter(state=SurveyState.LAUNCHED, opens_on__lte=today, closes_on__gte=today):
        if survey.pk in answered or respondent_enrolment(survey=survey, actor=actor) is not None:
            out.append((survey, survey.pk in answered))
    return out


def get_survey_to_answer(*, actor, survey_id: int) -> Survey:
    survey = Survey.objects.filter(pk=survey_id, state__in=[SurveyState.LAUNCHED, SurveyState.CLOSED]).first()
    if survey is None or respondent_enrolment(survey=survey, actor=actor) is None and not Participation.objects.filter(
            survey=survey, student__user_id=getattr(actor, "pk", None)).exists():
        raise NotFound("Không tìm thấy khảo sát.")
    return survey


def has_answered(*, survey: Survey, actor) -> bool:
    return Participation.objects.filter(survey=survey, student__user_id=getattr(actor, "pk", None)).exists()


def get_open_link_survey(*, survey_id: int) -> Survey:
    survey = Survey.objects.filter(pk=survey_id, allow_links=True).exclude(state=SurveyState.DRAFT).first()
    if survey is None:
        raise NotFound("Không tìm thấy khảo sát.")
    return survey


def code_hash(code: str) -> str:
    """A one-time code as stored (SHA-256 of its letters, without dashes and spaces, upper case)."""
    import hashlib

    return hashlib.sha256(code.strip().upper().replace("-", "").replace(" ", "").encode()).hexdigest()


def open_link(*, code: str):
    """The unused one-time code `code` of a launched survey that takes codes, or None."""
    from .models import OneTimeLink

    if not code or len(code) > 20:
        return None
    return (OneTimeLink.objects.filter(code_hash=code_hash(code), used=False, survey__allow_links=True,
                                       survey__state=SurveyState.LAUNCHED).select_related("survey").first())


def questions_of(survey: Survey) -> list[Question]:
    return list(survey.questions.select_related("section").order_by("position"))


# ---------------------------------------------------------------- results


class Node(NamedTuple):
    """A group of the results hierarchy: the survey, a school, a grade of it, a class of that
    (a plain tuple: there are ~10⁵ keys to hash in a large survey)."""

    unit_id: int = 0
    grade: int = -1     # -1: not at this level; 0: answers generalised to the school
    class_id: int = -1  # -1: not at this level; 0: answers generalised to the grade

    @property
    def depth(self) -> int:
        return 0 if not self.unit_id else 1 if self.grade < 0 else 2 if self.class_id < 0 else 3

    def parent(self) -> "Node":
        return Node(self.unit_id, self.grade, -1) if self.class_id >= 0 else Node(self.unit_id) if self.grade >= 0 \
            else Node()


ROOT = Node()


@dataclass
class Level:
    """The figures of one group and its sub-groups (the survey and its schools; a school and its
    grades; a grade and its classes) after the small-group rule."""

    node: Node
    kids: list[Node]
    figures: Mapping
    counts: dict
    relations: list


_CACHE: dict[tuple, object] = {}  # per process: (survey, version, group) → Level; free-text panels
_CACHE_MAX = 2000


def _version(survey: Survey) -> tuple:
    return tuple(Survey.objects.filter(pk=survey.pk).values_list("created_at", "tally_version").first() or ())


def _kid_rows(survey: Survey, node: Node) -> list[tuple]:
    """Released counts of `node`'s sub-groups: (kid, question, choice, n), in a fixed order (the
    same order in every process, so the same complements are chosen everywhere)."""
    rows = Tally.objects.filter(survey=survey)
    if node.depth == 0:
        field = "unit_id"
    elif node.depth == 1:
        rows, field = rows.filter(unit_id=node.unit_id), "grade"
    else:
        rows, field = rows.filter(unit_id=node.unit_id, grade=node.grade), "class_id"
    grouped = (rows.values_list(field, "question_id", "choice").annotate(s=Sum("n"))
               .order_by(field, "question_id", "choice"))
    out = []
    for value, question_id, choice, n in grouped:
        kid = Node(value) if node.depth == 0 else Node(node.unit_id, value) if node.depth == 1 else \
            Node(node.unit_id, node.grade, value)
        out.append((kid, question_id, choice, n))
    return out


def _counts_and_relations(questions: dict, node: Node, rows: list[tuple]) -> tuple[dict, list, list[Node]]:
    """The counts of `node` and its sub-groups and the sums that tie them: each count of `node`
    is the sum of its sub-groups' (columns); each group's answers to a question add up to those
    who answered it (rows; for a multiple choice, ticked + not ticked = answered)."""
    counts: dict = {}
    kids: list[Node] = []
    for kid, question_id, choice, n in rows:
        if not kids or kids[-1] != kid:
            kids.append(kid)
        counts[(kid, question_id, choice)] = n
        counts[(node, question_id, choice)] = counts.get((node, question_id, choice), 0) + n
    for group in [node, *kids]:
        for (g, question_id, choice), answered in list(counts.items()):
            q = questions.get(question_id)
            if g == group and choice == ANSWERED and q is not None and q.kind == QuestionKind.MULTIPLE:
                for value in range(1, len(q.options) + 1):
                    chose = counts.setdefault((group, question_id, value), 0)
                    counts[(group, question_id, -value)] = answered - chose
    measures = sorted({(question_id, choice) for (g, question_id, choice) in counts if g == node})
    relations = [((node, *m), [(kid, *m) for kid in kids if (kid, *m) in counts]) for m in measures]
    for group in [node, *kids]:
        by_question: dict = defaultdict(list)
        for question_id, choice in measures:
            if question_id != RESPONDENTS and choice != ANSWERED and (group, question_id, choice) in counts:
                by_question[question_id].append(choice)
        for question_id, choices in by_question.items():
            q = questions.get(question_id)
            answered = (group, question_id, ANSWERED)
            if q is None or answered not in counts:
                continue
            if q.kind == QuestionKind.MULTIPLE:
                relations.extend((answered, [(group, question_id, c), (group, question_id, -c)])
                                 for c in choices if c > 0)
            elif q.kind != QuestionKind.TEXT or sum(counts[(group, question_id, c)] for c in choices) == counts[answered]:
                relations.append((answered, [(group, question_id, c) for c in choices]))
    return counts, relations, kids


def level(survey: Survey, node: Node = ROOT, *, version: tuple | None = None) -> Level:
    """`node` and its sub-groups, protected. Computed top-down: a group's own counts were decided
    with its parent's level (and stay as they are), its sub-groups' here — every count is decided
    once, in one place, so two pages can never be subtracted from each other, and a page costs
    the levels on its path, not the whole survey. (Hiding spreads only downwards: a total is
    hidden only when it is itself small.)"""
    version = version or _version(survey)
    key = (survey.pk, version, node)
    if key in _CACHE:
        return _CACHE[key]
    questions = {q.pk: q for q in survey.questions.all()}
    counts, relations, kids = _counts_and_relations(questions, node, _kid_rows(survey, node))
    fixed = None
    if node != ROOT:
        above = level(survey, node.parent(), version=version)
        fixed = {k: above.figures[k].reason for k in counts if k[0] == node and k in above.counts}
    figures = protect_linked(counts, relations, fixed=fixed)
    if len(_CACHE) > _CACHE_MAX:
        _CACHE.clear()
    _CACHE[key] = Level(node=node, kids=kids, figures=figures, counts=counts, relations=relations)
    return _CACHE[key]


def all_levels(survey: Survey) -> list[Level]:
    """Every level of the survey (the tests' view of everything a page could show)."""
    out, todo = [], [ROOT]
    while todo:
        current = level(survey, todo.pop())
        out.append(current)
        todo.extend(kid for kid in current.kids if kid.depth < 3)
    return out


def figure_relations(survey: Survey) -> tuple[dict, list, dict]:
    """(every count a page could show, every sum tying them, every figure as shown) — for the
    tests that try to work hidden counts back by subtraction."""
    counts, relations, figures = {}, [], {}
    for lv in all_levels(survey):
        counts.update(lv.counts)
        relations.extend(lv.relations)
        figures.update({k: lv.figures[k] for k in lv.counts})
    return counts, relations, figures


@dataclass
class Cell:
    label: str
    figure: Figure
    share: float | None = None


@dataclass
class QuestionResult:
    question: Question
    answered: Figure
    cells: list[Cell] = field(default_factory=list)           # the group's answers
    breakdown: list[tuple[str, list[Cell]]] = field(default_factory=list)   # per sub-group
    mean: float | None = None
    texts: list[str] = field(default_factory=list)
    sentiments: list[Cell] = field(default_factory=list)
    themes: list[tuple[str, int]] = field(default_factory=list)
    texts_hidden_reason: str = ""


@dataclass
class Results:
    survey: Survey
    node: Node
    title: str
    respondents: Figure
    audience: int | None
    response_rate: float | None
    groups: list[tuple[Node, str, Figure, str]]   # sub-groups: node, label, respondents, link allowed
    questions: list[QuestionResult]
    rate_rows: list[tuple[str, int, Figure, float | None]]
    trail: list[tuple[str, dict]]
    insight: bool


def _labels(nodes: list[Node]) -> dict[Node, str]:
    unit_ids = {n.unit_id for n in nodes if n.unit_id}
    class_ids = {n.class_id for n in nodes if n.class_id > 0}
    units = dict(Unit.objects.filter(id__in=unit_ids).values_list("id", "name"))
    classes = dict(SchoolClass.objects.filter(id__in=class_ids).values_list("id", "name"))
    out = {}
    for n in nodes:
        if n.depth == 0:
            out[n] = "Toàn bộ"
        elif n.depth == 1:
            out[n] = units.get(n.unit_id, "?")
        elif n.depth == 2:
            out[n] = f"Khối {n.grade}" if n.grade else "Không rõ khối (nhóm nhỏ gộp lại)"
        else:
            out[n] = f"Lớp {classes.get(n.class_id, '?')}" if n.class_id else "Không rõ lớp (nhóm nhỏ gộp lại)"
    return out


def node_from(*, unit: Unit | None, grade: int | None, class_id: int | None = None) -> Node:
    if unit is None:
        return ROOT
    return Node(unit.id, -1 if grade is None else grade, -1)


def results(*, actor, survey: Survey, node: Node = ROOT) -> Results:
    """The results page of `survey` for one group (the whole survey within the person's scope, a
    school, a grade of a school): respondents and response rate, the sub-groups, each question's
    answers and their breakdown by sub-group — every figure through `level`."""
    scope_ids = org_selectors.unit_ids(actor=actor, capability=RESULTS)
    if node.depth > 2:
        raise NotFound("Không có kết quả theo từng lớp ở mức này.")
    if node.depth >= 1 and node.unit_id not in scope_ids:
        raise NotFound("Không tìm thấy đơn vị.")
    version = _version(survey)
    top = level(survey, ROOT, version=version)
    schools = [n for n in top.kids if n.unit_id in scope_ids]
    if node == ROOT:
        current, kids = top, schools
        figures = top.figures
        if len(kids) == len(top.kids):
            respondents = figures[(ROOT, RESPONDENTS, ANSWERED)] if (ROOT, RESPONDENTS, ANSWERED) in top.counts \
                else Figure(0)
        else:  # a slice of the schools: its total is shown only if every part is
            parts = [figures[(n, RESPONDENTS, ANSWERED)] for n in kids]
            respondents = Figure(None, "complement") if any(not p.shown for p in parts) else \
                figure(sum(p.value for p in parts))
    else:
        for step in [*_ancestors(node)[::-1], node]:
            above = level(survey, step.parent(), version=version)
            key = (step, RESPONDENTS, ANSWERED)
            if key not in above.counts:
                raise NotFound("Chưa có câu trả lời của nhóm này.")
            if not above.figures[key].shown:
                raise DomainError(f"Nhóm này có dưới {min_group()} em trả lời (hoặc bị ẩn để không suy ra được một "
                                  "nhóm nhỏ): kết quả chỉ xem ở mức trên.", code=ErrorCode.FORBIDDEN)
        current = level(survey, node, version=version)
        kids, figures = current.kids, current.figures
        respondents = figures[(node, RESPONDENTS, ANSWERED)]
    labels = _labels([node, *kids])
    sliced = node == ROOT and len(kids) != len(top.kids)

    def fig(n: Node, qid: int, choice: int) -> Figure:
        key = (n, qid, choice)
        return figures[key] if key in current.counts else Figure(0)

    def level_fig(qid: int, choice: int) -> Figure:
        if not sliced:
            return fig(node, qid, choice)
        parts = [fig(k, qid, choice) for k in kids]
        return Figure(None, "complement") if any(not p.shown for p in parts) else figure(sum(p.value for p in parts))

    groups = []
    for kid in kids:
        f = fig(kid, RESPONDENTS, ANSWERED)
        groups.append((kid, labels[kid], f, f.shown and kid.depth <= 2))
    question_results = []
    show_texts = node.depth <= 1
    for q in questions_of(survey):
        answered = level_fig(q.pk, ANSWERED)
        qr = QuestionResult(question=q, answered=answered)
        if q.kind == QuestionKind.TEXT:
            qr.sentiments = _cells([(code, label) for label, code in
                                    [(reading.sentiment_labels()[s], c) for s, c in SENTIMENT_CODES.items()]],
                                   lambda c, q=q: level_fig(q.pk, c), answered)
            if not show_texts:
                qr.texts_hidden_reason = "Câu trả lời tự do không xem theo khối, lớp."
            elif not answered.shown or (answered.value or 0) < min_group():
                qr.texts_hidden_reason = f"Câu trả lời tự do chỉ hiện khi nhóm có từ {min_group()} em trả lời."
            else:
                key = ("texts", survey.pk, version, node, tuple(k.unit_id for k in kids) if sliced else None, q.pk)
                if key not in _CACHE:  # the sample and its themes change only with a release
                    texts = _texts(survey, q, node, kids if sliced else None)
                    _CACHE[key] = (texts[:TEXTS_SHOWN], reading.themes(texts))
                qr.texts, qr.themes = _CACHE[key]
        else:
            qr.cells = _cells(q.value_labels(), lambda v, q=q: level_fig(q.pk, v), answered)
            if q.kind == QuestionKind.SCALE and all(c.figure.shown for c in qr.cells) and answered.value:
                qr.mean = sum(v * (c.figure.value or 0) for (v, _), c in zip(q.value_labels(), qr.cells,
                                                                           strict=True)) / answered.value
            for kid in kids:
                kid_answered = fig(kid, q.pk, ANSWERED)
                qr.breakdown.append((labels[kid], _cells(q.value_labels(), lambda v, k=kid, q=q: fig(k, q.pk, v),
                                                         kid_answered)))
        question_results.append(qr)
    rate_units = sorted(audience_school_ids(survey) & scope_ids) if node == ROOT else [node.unit_id] if node.depth == 1 else []
    counts = response_counts(survey=survey, unit_ids=set(rate_units))
    unit_labels = _labels([Node(u) for u in rate_units])
    rate_rows = [(unit_labels[Node(u)], *counts[u]) for u in rate_units if u in counts]
    rate_rows = [(label, asked, figure(took), rate(took, asked) if asked else None) for label, asked, took in rate_rows]
    asked_total = sum(c[0] for c in counts.values()) if counts else None
    took_total = sum(c[1] for c in counts.values())
    return Results(
        survey=survey, node=node, title=labels[node] if node != ROOT else "Toàn bộ (trong phạm vi của bạn)",
        respondents=respondents, audience=asked_total,
        response_rate=rate(took_total, asked_total) if asked_total else None,
        groups=groups, questions=question_results, rate_rows=rate_rows, trail=_trail(node), insight=reading.available())


def _ancestors(node: Node) -> list[Node]:
    out = []
    while node != ROOT:
        node = node.parent()
        if node != ROOT:
            out.append(node)
    return out


def _trail(node: Node) -> list[tuple[str, dict]]:
    steps = [node, *_ancestors(node)][::-1] if node != ROOT else []
    labels = _labels(steps)
    return [(labels[n], {"don_vi": n.unit_id, **({"khoi": n.grade} if n.depth == 2 else {})}) for n in steps]


def _cells(values: list[tuple[int, str]], get, total: Figure) -> list[Cell]:
    out = []
    for value, label in values:
        f = get(value)
        share = f.value / total.value if f.shown and total.shown and total.value else None
        out.append(Cell(label=label, figure=f, share=share))
    return out


def _texts(survey: Survey, q: Question, node: Node, kids: list[Node] | None) -> list[str]:
    """Redacted free answers of the group, a random sample (ids are random UUIDs)."""
    answers = Answer.objects.filter(question=q).exclude(text="")
    if kids is not None:
        answers = answers.filter(response__unit_id__in=[k.unit_id for k in kids])
    elif node.depth >= 1:
        answers = answers.filter(response__unit_id=node.unit_id)
    return list(answers.order_by("id").values_list("text", flat=True)[:THEME_SAMPLE])


def export_rows(result: Results) -> list[list]:
    """The results as rows of aggregates (never an answer sheet): the XLSX export."""
    rows: list[list] = [["Số em trả lời", "", str(result.respondents), ""]]
    for qr in result.questions:
        for cell in qr.cells or qr.sentiments:
            rows.append([qr.question.text, cell.label, str(cell.figure),
                         f"{cell.share * 100:.0f} %" if cell.share is not None else ""])
        for label, cells in qr.breakdown:
            for cell in cells:
                rows.append([qr.question.text, f"{label}: {cell.label}", str(cell.figure),
                             f"{cell.share * 100:.0f} %" if cell.share is not None else ""])
    return rows


def response_counts(*, survey: Survey, unit_ids: set[int]) -> dict[int, tuple[int, int]]:
    """Per school of `unit_ids`: (students asked, sheets taken — by account or one-time code).
    The results page's response rates and the yearly report read this one function."""
    from .models import OneTimeLink

    asked = audience_by_unit(survey)
    took: dict[int, int] = defaultdict(int)
    for unit_id, n in (Participation.objects.filter(survey=survey, unit_id__in=unit_ids).values_list("unit_id")
                       .annotate(n=Count("id")).order_by()):
        took[unit_id] += n
    for unit_id, n in (OneTimeLink.objects.filter(survey=survey, unit_id__in=unit_ids, used=True)
                       .values_list("unit_id").annotate(n=Count("id")).order_by()):
        took[unit_id] += n
    return {u: (asked.get(u, 0), took.get(u, 0)) for u in unit_ids if asked.get(u) or took.get(u)}


def report_figures(*, actor, unit_ids: set[int], year: int) -> dict:
    """Task 6b in the yearly report: the surveys opened in `year` that asked schools of
    `unit_ids` (within the person's scope), the students asked and the sheets taken there —
    summed from `response_counts`, as the results page's response-rate table."""
    scope = org_selectors.unit_ids(actor=actor, capability=RESULTS) & set(unit_ids)
    out = {"surveys": 0, "asked": 0, "answered": 0, "titles": []}
    for survey in Survey.objects.exclude(state=SurveyState.DRAFT).filter(opens_on__year=year).order_by("opens_on",
                                                                                                       "id"):
        schools = audience_school_ids(survey) & scope
        if not schools:
            continue
        counts = response_counts(survey=survey, unit_ids=schools)
        out["surveys"] += 1
        out["asked"] += sum(c[0] for c in counts.values())
        out["answered"] += sum(c[1] for c in counts.values())
        out["titles"].append(survey.title)
    return out
