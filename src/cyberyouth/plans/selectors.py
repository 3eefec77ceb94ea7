"""Reads of plans, tasks and progress, always scoped through orgs.selectors."""

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from cyberyouth.errors import NotFound
from cyberyouth.lib.collation import Vietnamese
from cyberyouth.lib.text import vi_key
from cyberyouth.orgs import selectors as org_selectors
from cyberyouth.orgs.models import Unit

from .models import Assignment, Plan, Progress, ProgressStatus, Task, TaskGroup


def plans_visible(*, actor) -> QuerySet[Plan]:
    """Plans issued by a unit the actor sees, or above one (a school sees the plan it carries out)."""
    visible = org_selectors.visible_unit_ids(actor=actor)
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


def assignments_visible(*, actor, plan: Plan | None = None) -> QuerySet[Assignment]:
    visible = org_selectors.visible_unit_ids(actor=actor)
    qs = Assignment.objects.filter(unit_id__in=visible).select_related("task__group__plan", "unit")
    if plan is not None:
        qs = qs.filter(task__group__plan=plan)
    return qs.order_by("task__group__number", "task__order", Vietnamese("unit__name"))


def get_assignment(*, actor, assignment_id: int) -> Assignment:
    assignment = assignments_visible(actor=actor).filter(id=assignment_id).first()
    if assignment is None:
        raise NotFound("Không tìm thấy phân công.")
    return assignment


def progress_for(*, assignment: Assignment, year: int) -> Progress | None:
    return assignment.progress.filter(year=year).prefetch_related("evidence").first()


@dataclass
class MatrixRow:
    task: Task
    cells: list  # one per unit: Progress | "assigned" (no report yet) | None (not assigned)


def progress_matrix(
    *, actor, plan: Plan, year: int, group: int | None = None, unit_type: str = "", status: str = "",
) -> tuple[list[Unit], list[MatrixRow], dict[str, int]]:
    """Task × unit for one year, over the units the actor sees that carry out the plan."""
    assignments = assignments_visible(actor=actor, plan=plan)
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
    """Evidence files are private: served only to those who see the unit."""
    from .models import Evidence

    evidence = Evidence.objects.select_related("progress__assignment__unit").filter(id=evidence_id).first()
    if evidence is None or evidence.progress.assignment.unit_id not in org_selectors.visible_unit_ids(actor=actor):
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
