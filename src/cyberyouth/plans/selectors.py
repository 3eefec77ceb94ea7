"""Reads of plans, tasks and progress, always scoped through orgs.selectors.

Reading a plan and who is assigned to what needs `plan.read`; reading progress and evidence
needs `progress.read` (the Youth Union reads its own units' progress only; students,
moderators and counsellors read neither).

`progress_matrix` is THE source of progress figures: the task × unit page, the yearly report's
tables and the reviews all count its cells.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, Q, QuerySet

from cyberyouth.errors import DomainError, NotFound
from cyberyouth.lib.collation import Vietnamese
from cyberyouth.lib.text import vi_key
from cyberyouth.orgs import selectors as org_selectors
from cyberyouth.orgs.models import Unit

from .models import Assignment, Plan, Progress, ProgressStatus, Task, TaskGroup


def plans_visible(*, actor) -> QuerySet[Plan]:
    """Plans issued by a unit the actor may read plans of, or above one (a school reads the plan
    it carries out)."""
    visible = org_selectors.unit_ids(actor=actor, capability="plan.read")
    assigned_plan_ids = Assignment.objects.filter(unit_id__in=visible).values("task__group__plan_id")
    return (
        Plan.objects.filter(owner_unit_id__in=visible) | Plan.objects.filter(id__in=assigned_plan_ids)
    ).distinct().select_related("owner_unit", "programme", "parent")


def get_plan(*, actor, plan_id: int) -> Plan:
    plan = plans_visible(actor=actor).filter(id=plan_id).first()
    if plan is None:
        raise NotFound("Không tìm thấy kế hoạch.")
    return plan


def plan_structure(*, plan: Plan) -> list[TaskGroup]:
    return list(
        plan.task_groups.prefetch_related(
            Prefetch("tasks", queryset=Task.objects.order_by("order").prefetch_related("assignments__unit"))
        )
    )


def assignments_visible(*, actor, plan: Plan | None = None, capability: str = "plan.read") -> QuerySet[Assignment]:
    """Assignments to units the actor may read `capability` data of (`plan.read`: who does
    what; `progress.read`: to read or record what they did)."""
    qs = org_selectors.scope(Assignment.objects.select_related("task__group__plan", "unit"),
                             actor=actor, capability=capability)
    if plan is not None:
        qs = qs.filter(task__group__plan=plan)
    return qs.order_by("task__group__number", "task__order", Vietnamese("unit__name"))


def get_assignment(*, actor, assignment_id: int) -> Assignment:
    """An assignment whose progress the actor may read (NotFound otherwise, the same as missing)."""
    assignment = assignments_visible(actor=actor, capability="progress.read").filter(id=assignment_id).first()
    if assignment is None:
        raise NotFound("Không tìm thấy phân công.")
    return assignment


def check_programme_year(*, assignment: Assignment, year: int) -> None:
    """Progress exists only for the programme's years (2022–2030): any other is refused."""
    programme = assignment.task.group.plan.programme
    if not (programme.start_year <= year <= programme.end_year):
        raise DomainError(f"Năm phải trong giai đoạn {programme.start_year}–{programme.end_year}.", field="year")


def progress_for(*, assignment: Assignment, year: int) -> Progress | None:
    """What `assignment.unit` recorded for `year` (None: nothing yet); a year outside the
    programme's period is refused, not answered with an empty record."""
    check_programme_year(assignment=assignment, year=year)
    return assignment.progress.filter(year=year).prefetch_related("evidence").first()


@dataclass
class MatrixRow:
    task: Task
    cells: list  # one per unit: Progress | "assigned" (no report yet) | None (not assigned)


def owes_in(year: int, *, path: str = "unit") -> Q:
    """Rows whose unit (at `path`) owes progress for `year`: it existed on some day of it. A
    unit that ceased owes nothing after its last day (its successor carries its history on);
    one created later owes nothing before it existed."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    return Q(**{f"{path}__valid_from__lte": end}) & (
        Q(**{f"{path}__valid_to__isnull": True}) | Q(**{f"{path}__valid_to__gt": start}))


def progress_matrix(
    *, actor, plan: Plan, year: int, group: int | None = None, unit_type: str = "", status: str = "",
    within: set[int] | None = None,
) -> tuple[list[Unit], list[MatrixRow], dict[str, int]]:
    """Task × unit for one year: every unit carrying out the plan whose progress the actor may
    read and that existed during `year` (see `owes_in`), each assigned cell with its status
    ("missing" when nothing was reported). `within` narrows it to a set of units (a report's
    scope). The counts add up: every assigned cell has exactly one status."""
    assignments = assignments_visible(actor=actor, plan=plan, capability="progress.read").filter(owes_in(year))
    if within is not None:
        assignments = assignments.filter(unit_id__in=within)
    if group:
        assignments = assignments.filter(task__group__number=group)
    if unit_type:
        assignments = assignments.filter(unit__unit_type=unit_type)
    assignments = list(assignments)
    progress = {
        p.assignment_id: p
        for p in Progress.objects.filter(assignment__in=[a.id for a in assignments], year=year)
    }
    units = sorted({a.unit for a in assignments}, key=lambda u: (u.is_school, vi_key(u.name)))
    tasks = sorted({a.task for a in assignments}, key=lambda t: (t.group.number, t.order))
    by_key = {(a.task_id, a.unit_id): a for a in assignments}
    counts = {s: 0 for s in ProgressStatus.values} | {"missing": 0}
    rows = []
    for task in tasks:
        cells = []
        for unit in units:
            a = by_key.get((task.id, unit.id))
            if a is None:
                cells.append(None)
                continue
            p = progress.get(a.id)
            cell_status = p.status if p else "missing"
            if status and cell_status != status:
                cells.append(None)
                continue
            counts[cell_status] += 1
            cells.append({"assignment": a, "progress": p, "status": cell_status})
        if any(cells):
            rows.append(MatrixRow(task=task, cells=cells))
    return units, rows, counts


def unit_tallies(units: list[Unit], rows: list[MatrixRow]) -> dict[int, dict[str, int]]:
    """Per unit (column) of a matrix: how many of its cells are in each status ("missing" too)."""
    tallies: dict[int, dict[str, int]] = {u.id: {s: 0 for s in ProgressStatus.values} | {"missing": 0} for u in units}
    for row in rows:
        for unit, cell in zip(units, row.cells):
            if cell:
                tallies[unit.id][cell["status"]] += 1
    return tallies


def my_assignments(*, actor, year: int, plan: Plan | None = None) -> list[tuple[Assignment, Progress | None]]:
    """The tasks of the units the actor answers for directly (the units their reporting roles
    sit on, not the whole subtree), each with its progress for `year` (or None). An
    administrator follows everyone else's through the matrix."""
    own_units = org_selectors.own_unit_ids(actor=actor, capability="progress.record")
    qs = assignments_visible(actor=actor, plan=plan).filter(unit_id__in=own_units)
    assignments = list(qs)
    progress = {p.assignment_id: p for p in Progress.objects.filter(assignment__in=assignments, year=year)}
    return [(a, progress.get(a.id)) for a in assignments]


def get_evidence(*, actor, evidence_id: int):
    """Evidence files are private: served only to those who may read the unit's progress."""
    from .models import Evidence

    evidence = Evidence.objects.select_related("progress__assignment__unit").filter(id=evidence_id).first()
    if evidence is None or evidence.progress.assignment.unit_id not in org_selectors.unit_ids(
            actor=actor, capability="progress.read"):
        raise NotFound("Không tìm thấy minh chứng.")
    return evidence


def search(*, actor, text: str) -> list[tuple[str, list]]:
    """The shell's search over the tasks of the plans the actor sees."""
    from django.urls import reverse

    from cyberyouth.lib.search import LIMIT, SearchHit
    from cyberyouth.lib.text import matches

    tasks = (Task.objects.filter(group__plan__in=plans_visible(actor=actor))
             .select_related("group__plan").order_by("group__plan_id", "group__number", "order"))
    hits = [SearchHit(f"Nhiệm vụ {t.group.number}{t.letter}) {t.text[:140]}",
                      reverse("plans:detail", args=[t.group.plan_id]), t.group.plan.title)
            for t in tasks if matches(text, f"{t.group.number}{t.letter}", t.text)]
    return [("Nhiệm vụ", hits[:LIMIT])]
