from datetime import date

from ninja import Field, Router, Schema, Status

from cyberyouth.errors import DomainError
from cyberyouth.orgs import selectors as org_selectors
from cyberyouth.orgs.decorators import requires

from . import selectors, services
from .models import ProgressStatus

API_MOUNT = "plans"
router = Router(tags=["plans"])


class PlanOut(Schema):
    id: int
    title: str
    number: str
    year: int
    owner_unit: str
    parent_id: int | None
    issued_on: date | None


class AssignmentOut(Schema):
    id: int
    unit: str
    role: str


class TaskOut(Schema):
    id: int
    code: str
    text: str
    assignments: list[AssignmentOut]


class TaskGroupOut(Schema):
    number: int
    title: str
    tasks: list[TaskOut]


class PlanDetailOut(PlanOut):
    task_groups: list[TaskGroupOut]


class EvidenceOut(Schema):
    id: int
    title: str
    url: str
    file: str
    size: int | None
    sha256: str


class ProgressOut(Schema):
    assignment_id: int
    task: str
    unit: str
    year: int
    status: ProgressStatus
    summary: str
    started_on: date | None
    completed_on: date | None
    evidence: list[EvidenceOut]


class ProgressIn(Schema):
    status: ProgressStatus
    summary: str = Field("", max_length=10000)
    started_on: date | None = None
    completed_on: date | None = None


class LinkIn(Schema):
    title: str = Field("", max_length=300)
    url: str = Field(max_length=1000)


class MatrixUnitOut(Schema):
    unit: str
    name: str
    assigned: int
    reported: int
    counts: dict[str, int]


class MatrixOut(Schema):
    year: int
    assigned: int
    reported: int
    counts: dict[str, int]
    units: list[MatrixUnitOut]


def _plan_out(plan) -> dict:
    return {"id": plan.id, "title": plan.title, "number": plan.number, "year": plan.year,
            "owner_unit": plan.owner_unit.code, "parent_id": plan.parent_id, "issued_on": plan.issued_on}


def _progress_out(assignment, year: int, progress) -> dict:
    return {
        "assignment_id": assignment.id, "task": assignment.task.code, "unit": assignment.unit.code, "year": year,
        "status": progress.status if progress else ProgressStatus.NOT_STARTED,
        "summary": progress.summary if progress else "",
        "started_on": progress.started_on if progress else None,
        "completed_on": progress.completed_on if progress else None,
        "evidence": [
            {"id": e.id, "title": e.title, "url": e.url, "file": e.file.name if e.file else "", "size": e.size,
             "sha256": e.sha256}
            for e in (progress.evidence.all() if progress else [])
        ],
    }


@router.get("/", response=list[PlanOut], summary="Plans the caller may see")
@requires("plan.read")
def list_plans(request):
    return [_plan_out(p) for p in selectors.plans_visible(actor=request.user)]


@router.get("/{plan_id}", response=PlanDetailOut, summary="A plan with its task groups, tasks and visible assignments")
@requires("plan.read")
def plan_detail(request, plan_id: int):
    plan = selectors.get_plan(actor=request.user, plan_id=plan_id)
    visible = org_selectors.unit_ids(actor=request.user, capability="plan.read")
    groups = [
        {"number": g.number, "title": g.title, "tasks": [
            {"id": t.id, "code": t.code, "text": t.text, "assignments": [
                {"id": a.id, "unit": a.unit.code, "role": a.role} for a in t.assignments.all() if a.unit_id in visible
            ]} for t in g.tasks.all()
        ]}
        for g in selectors.plan_structure(plan=plan)
    ]
    return _plan_out(plan) | {"task_groups": groups}


@router.get("/{plan_id}/matrix", response=MatrixOut,
            summary="The task × unit matrix of a year in figures: per unit and in total (the page's numbers)")
@requires("progress.read")
def plan_matrix(request, plan_id: int, year: int):
    plan = selectors.get_plan(actor=request.user, plan_id=plan_id)
    units, rows, counts = selectors.progress_matrix(actor=request.user, plan=plan, year=year)
    tallies = selectors.unit_tallies(units, rows)
    return {
        "year": year, "assigned": sum(counts.values()), "reported": sum(counts.values()) - counts["missing"],
        "counts": counts,
        "units": [{"unit": u.code, "name": u.name, "assigned": sum(tallies[u.id].values()),
                   "reported": sum(tallies[u.id].values()) - tallies[u.id]["missing"], "counts": tallies[u.id]}
                  for u in units],
    }


@router.get("/assignments/{assignment_id}/progress/{year}", response=ProgressOut, summary="Progress of one assignment")
@requires("progress.read")
def get_progress(request, assignment_id: int, year: int):
    assignment = selectors.get_assignment(actor=request.user, assignment_id=assignment_id)
    return _progress_out(assignment, year, selectors.progress_for(assignment=assignment, year=year))


@router.put("/assignments/{assignment_id}/progress/{year}", response=ProgressOut, summary="Record progress")
@requires("progress.record")
def put_progress(request, assignment_id: int, year: int, payload: ProgressIn):
    assignment = selectors.get_assignment(actor=request.user, assignment_id=assignment_id)
    services.progress_record(actor=request.user, assignment=assignment, year=year, **payload.dict())
    return _progress_out(assignment, year, selectors.progress_for(assignment=assignment, year=year))


@router.post("/assignments/{assignment_id}/progress/{year}/evidence", response={201: EvidenceOut},
             summary="Attach a link as evidence")
@requires("progress.record")
def add_link(request, assignment_id: int, year: int, payload: LinkIn):
    assignment = selectors.get_assignment(actor=request.user, assignment_id=assignment_id)
    progress = selectors.progress_for(assignment=assignment, year=year)
    if progress is None:
        raise DomainError("Hãy ghi tiến độ trước khi thêm minh chứng.", field="year")
    e = services.evidence_add_link(actor=request.user, progress=progress, **payload.dict())
    return Status(201, {"id": e.id, "title": e.title, "url": e.url, "file": "", "size": None, "sha256": ""})
