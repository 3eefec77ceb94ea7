"""Reads for documents: what a person may see, and the facts a document is built from.

Every number comes from another app's selector (plans.selectors.progress_matrix for tasks and
progress, indicators.selectors for the five indicators), scoped to the actor through
orgs.selectors, so that a number in a document is the number on the pages. Reading a document
or a unit's report text needs `report.read`; which units' facts belong to a year's report is
`orgs.selectors.year_unit_ids`.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q

from cyberyouth.errors import DomainError, NotFound
from cyberyouth.orgs import selectors as org_selectors
from cyberyouth.orgs.models import ADMINISTRATIVE_TYPES, SCHOOL_TYPES, Unit, UnitType
from cyberyouth.plans import selectors as plan_selectors
from cyberyouth.plans.models import AssignmentRole, Evidence, Plan, ProgressStatus

from .models import DocumentKind, GeneratedDocument, ReportNote

# ---------------------------------------------------------------- documents and notes


def documents_visible(*, actor):
    """Generated documents of units whose documents the actor may read, newest first."""
    return org_selectors.scope(GeneratedDocument.objects.select_related("unit", "issuer", "author", "plan"),
                               actor=actor, capability="report.read")


def get_document(*, actor, document_id: int) -> GeneratedDocument:
    document = documents_visible(actor=actor).filter(id=document_id).first()
    if document is None:
        raise NotFound("Không tìm thấy văn bản.")
    return document


def note_for(*, unit: Unit, kind: str, year: int) -> ReportNote | None:
    return ReportNote.objects.filter(unit=unit, kind=kind, year=year).first()


def notes_visible(*, actor):
    return org_selectors.scope(ReportNote.objects.select_related("unit", "updated_by"), actor=actor,
                               capability="report.read")


# ---------------------------------------------------------------- the plan, its issuer and its standing agency


def main_plan(*, actor) -> Plan:
    """The plan documents are written against: the top-level plan the actor sees (the
    district's plan in the demo); the newest one if there are several."""
    plan = plan_selectors.plans_visible(actor=actor).filter(parent__isnull=True).order_by("-year", "-id").first()
    if plan is None:
        raise NotFound("Chưa có kế hoạch nào trong phạm vi của bạn.")
    return plan


def standing_agency(*, plan: Plan) -> Unit | None:
    """The unit that leads (chủ trì) most tasks of the plan: its standing agency (section V)."""
    counts = Counter(
        a.unit_id for g in plan_selectors.plan_structure(plan=plan) for t in g.tasks.all()
        for a in t.assignments.all() if a.role == AssignmentRole.LEAD
    )
    if not counts:
        return None
    return Unit.objects.filter(id=counts.most_common(1)[0][0]).first()


def period_end(year: int) -> date:
    """The day a year's facts are read as of: 31/12, or today while the year is running."""
    return min(date(year, 12, 31), org_selectors.today())


def name_on(unit: Unit, on: date) -> str:
    """A unit's name on a date; for a unit that had ceased by then, its name on its last day."""
    return org_selectors.name_as_of(unit=unit, on=on)


def parent_on(unit: Unit, on: date) -> Unit | None:
    day = on if unit.is_active_on(on) else (unit.last_day or on)
    parent_id = org_selectors.parent_map(on=day).get(unit.id)
    return Unit.objects.filter(id=parent_id).first() if parent_id else None


def report_capability(unit: Unit) -> str:
    """The capability that makes `unit`'s reports: a school's own, or the area's (the standing
    agency, who may also make any report of its area)."""
    return "report.school" if unit.unit_type in SCHOOL_TYPES else "report.manage"


# ---------------------------------------------------------------- who issues a document, under whom


PEOPLES_COMMITTEE = "Ủy ban nhân dân"


def _lower_first(name: str) -> str:
    return name[:1].lower() + name[1:] if name else name


def body_name(unit: Unit, on: date) -> str:
    """The name of the body that issues documents for a unit: the People's Committee for an
    administrative unit ("Ủy ban nhân dân đặc khu Cát Hải"), the unit itself otherwise."""
    name = name_on(unit, on)
    if unit.unit_type in ADMINISTRATIVE_TYPES:
        return f"{PEOPLES_COMMITTEE} {_lower_first(name)}"
    return name


def header_lines(body: str) -> str:
    """"Ủy ban nhân dân đặc khu Cát Hải" → two header lines, broken where officials break it."""
    if body.startswith(PEOPLES_COMMITTEE + " "):
        return PEOPLES_COMMITTEE + "\n" + body[len(PEOPLES_COMMITTEE) + 1:]
    return body


@dataclass
class Issuer:
    unit: Unit
    parent_body: str
    issuing_body: str
    symbol: str  # "VHXH", "UBND", "THCSCB"
    short_name: str  # how the body names itself in the text


def _initials(name: str) -> str:
    out = []
    for word in name.replace("-", " ").replace(",", " ").split():
        if word.isupper() and len(word) > 1:
            out.append(word)
        elif word[:1].isalpha():
            out.append(word[0].upper())
    return "".join(out).replace("Đ", "D")


def issuer_for(*, unit: Unit, on: date) -> Issuer:
    """The header of a document issued by `unit` on `on`: parent body and issuing body as
    named on that day. An agency drops the place its parent already names ("Phòng Văn hóa -
    Xã hội" under "Ủy ban nhân dân đặc khu Cát Hải")."""
    name = name_on(unit, on)
    if unit.unit_type in ADMINISTRATIVE_TYPES:
        body = body_name(unit, on)
        return Issuer(unit=unit, parent_body="", issuing_body=header_lines(body), symbol="UBND", short_name=body)
    parent = parent_on(unit, on)
    # The parent body in a header is usually abbreviated ("UBND ĐẶC KHU CÁT HẢI"), on one line.
    parent_body = body_name(parent, on).replace(PEOPLES_COMMITTEE, "UBND", 1) if parent else ""
    short = name
    if parent is not None and parent.unit_type in ADMINISTRATIVE_TYPES:
        place = _lower_first(name_on(parent, on))
        for suffix in (f" {place}", f" {name_on(parent, on)}"):
            if short.lower().endswith(suffix.lower()) and len(short) > len(suffix) + 3:
                short = short[: -len(suffix)].strip()
                break
    words = short.split()
    kind_words = {"Phòng", "Trường", "Trung", "tâm", "Ban", "Văn", "phòng"}
    if unit.unit_type in SCHOOL_TYPES:
        symbol = _initials(" ".join(w for w in words if w not in {"Trường", "Phân", "hiệu"}))
    elif unit.unit_type == UnitType.AGENCY and words and words[0] == "Phòng":
        symbol = _initials(" ".join(words[1:]))
    else:
        symbol = _initials(" ".join(w for w in words if w not in kind_words)) or _initials(short)
    return Issuer(unit=unit, parent_body=parent_body, issuing_body=short, symbol=symbol[:12] or "DV",
                  short_name=name)


# ---------------------------------------------------------------- results by task group (plans)


STATUS_ORDER = [ProgressStatus.DONE, ProgressStatus.IN_PROGRESS, ProgressStatus.NOT_STARTED,
                ProgressStatus.NOT_APPLICABLE, "missing"]


@dataclass
class GroupResult:
    number: int
    title: str
    counts: dict[str, int]
    evidence: int
    highlights: list[tuple[str, str]]  # (unit name, summary)
    units_done: list[str] = field(default_factory=list)

    @property
    def assigned(self) -> int:
        return sum(self.counts.values())

    @property
    def reported(self) -> int:
        return self.assigned - self.counts.get("missing", 0)


@dataclass
class UnitProgress:
    """One unit's column of the matrix: how many tasks it was given, how many it reported."""

    unit_id: int
    code: str
    name: str
    assigned: int
    reported: int


@dataclass
class PlanResults:
    year: int
    groups: list[GroupResult]
    units: list[Unit]
    unit_names: dict[int, str]
    totals: dict[str, int]
    evidence: int
    # Reporting completeness of progress: one entry per unit of `units`, least complete first
    completeness: list[UnitProgress]
    child_plans: list[tuple[str, str]]  # (unit name, plan title)

    @property
    def assigned(self) -> int:
        return sum(self.totals.values())

    @property
    def reported(self) -> int:
        return self.assigned - self.totals.get("missing", 0)


def plan_results(*, actor, plan: Plan, unit: Unit, year: int, highlights_per_group: int = 3) -> PlanResults:
    """Task groups of `plan` in `year` over the units whose facts belong to `unit`'s report
    (`orgs.selectors.year_unit_ids`): status counts, evidence, a few reported results; and each
    unit's reporting completeness. Every figure is a count of `plans.selectors.progress_matrix`'s
    cells — the task × unit page over the same units shows the same numbers."""
    scope = org_selectors.year_unit_ids(unit=unit, year=year)
    units, rows, _ = plan_selectors.progress_matrix(actor=actor, plan=plan, year=year, within=scope)
    end = period_end(year)
    names = {u.id: name_on(u, end) for u in units}
    groups: dict[int, GroupResult] = {}
    progress_group: dict[int, int] = {}
    totals = {s: 0 for s in STATUS_ORDER}
    for row in rows:
        g = row.task.group
        result = groups.setdefault(g.number, GroupResult(
            number=g.number, title=g.title, counts={s: 0 for s in STATUS_ORDER}, evidence=0, highlights=[]))
        for i, cell in enumerate(row.cells):
            if not cell:
                continue
            status = cell["status"]
            result.counts[status] += 1
            totals[status] += 1
            unit_id = units[i].id
            p = cell["progress"]
            if p is None:
                continue
            progress_group[p.id] = g.number
            if status == ProgressStatus.DONE and names[unit_id] not in result.units_done:
                result.units_done.append(names[unit_id])
            if p.summary and len(result.highlights) < highlights_per_group and status in (
                    ProgressStatus.DONE, ProgressStatus.IN_PROGRESS):
                if all(n != names[unit_id] for n, _ in result.highlights):
                    result.highlights.append((names[unit_id], p.summary.strip()))
    evidence_by_progress = dict(
        Evidence.objects.filter(progress_id__in=progress_group).values("progress_id")
        .annotate(n=Count("id")).values_list("progress_id", "n")
    )
    for progress_id, n in evidence_by_progress.items():
        groups[progress_group[progress_id]].evidence += n
    tallies = plan_selectors.unit_tallies(units, rows)
    completeness = sorted(
        (UnitProgress(unit_id=u.id, code=u.code, name=names[u.id], assigned=sum(tallies[u.id].values()),
                      reported=sum(tallies[u.id].values()) - tallies[u.id]["missing"]) for u in units),
        key=lambda x: (x.reported / x.assigned if x.assigned else 0, x.name))
    child = (
        plan_selectors.plans_visible(actor=actor)
        .filter(parent=plan, year=year, owner_unit_id__in=scope).select_related("owner_unit").order_by("owner_unit__name")
    )
    return PlanResults(
        year=year, groups=[groups[k] for k in sorted(groups)], units=units, unit_names=names, totals=totals,
        evidence=sum(evidence_by_progress.values()), completeness=completeness,
        child_plans=[(name_on(p.owner_unit, end), p.title) for p in child],
    )


def units_by_type(*, units: list[Unit]) -> dict[str, int]:
    counts = Counter(u.get_unit_type_display() for u in units)
    return dict(sorted(counts.items(), key=lambda kv: -kv[1]))


def reorganisations_in(*, unit_ids: set[int], year_from: int, year_to: int):
    """Reorganisations that touched the scope between two years (for "tình hình chung")."""
    return [r for r in org_selectors.recent_reorganisations(unit_ids=unit_ids, limit=50)
            if year_from <= r.effective_date.year <= year_to]


def latest_data_change(*, plan: Plan, unit_ids: set[int], year: int):
    """When the newest progress record in scope was last saved (for "data as of")."""
    from cyberyouth.plans.models import Progress

    return (Progress.objects.filter(assignment__task__group__plan=plan, assignment__unit_id__in=unit_ids, year=year)
            .order_by("-updated_at").values_list("updated_at", flat=True).first())


def visible_scope_units(*, actor, capability: str | None = None):
    """Units a person may generate documents for: administrative units and schools they hold
    report rights on, plus ceased ones they carry on (for earlier years)."""
    ids = set()
    for cap in ([capability] if capability else ["report.manage", "report.school"]):
        ids |= org_selectors.unit_ids(actor=actor, capability=cap, history=False)
    visible = org_selectors.unit_ids(actor=actor, capability="report.read")
    ceased_preds = set()
    if ids:
        preds = org_selectors.predecessor_closure(unit_ids=ids)
        ceased_preds = set().union(*preds.values()) & visible
    types = set(ADMINISTRATIVE_TYPES) | set(SCHOOL_TYPES)
    units = Unit.objects.filter(Q(id__in=ids) | Q(id__in=ceased_preds), unit_type__in=types)
    today = org_selectors.today()
    rank = {UnitType.PROVINCE: 0, UnitType.SPECIAL_ZONE: 1, UnitType.DISTRICT: 1}
    # Live units first, the widest scope first (the plan's area), then communes, then schools.
    return sorted(units, key=lambda u: (not u.is_active_on(today), rank.get(u.unit_type, 3 if u.is_school else 2),
                                        u.name))


KIND_LABELS = dict(DocumentKind.choices)


def validate_year(year: int, *, plan: Plan) -> None:
    start, end = plan.programme.start_year, plan.programme.end_year
    if not (start <= year <= end):
        raise DomainError(f"Năm báo cáo phải trong giai đoạn {start}–{end}.", field="year")
    if year > org_selectors.today().year:
        raise DomainError("Chưa thể báo cáo cho một năm chưa bắt đầu.", field="year")
