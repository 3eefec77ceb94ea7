"""Reads of the budget: a unit's own report, and the totals of a unit and the units below it
(approved reports only; across reorganisations, the units that made it up during the year —
orgs.selectors.year_unit_ids, as the indicators aggregate). The page and the yearly report both
read `totals`."""

from collections import defaultdict
from dataclasses import dataclass, field

from cyberyouth.indicators.models import SubmissionStatus
from cyberyouth.lib.collation import Vietnamese
from cyberyouth.orgs import selectors as org_selectors
from cyberyouth.orgs.models import SCHOOL_TYPES, Unit

from .models import GROUPS, BudgetLine, BudgetReport, Measure, Source

READ = "budget.read"


def group_titles() -> dict[int, str]:
    """Task group number → its title in the programme's top plan (short fallback without a plan)."""
    from cyberyouth.plans.models import TaskGroup

    titles = {n: f"Nhóm nhiệm vụ {n}" for n in GROUPS}
    for number, title in (TaskGroup.objects.filter(plan__parent__isnull=True, number__in=list(GROUPS))
                          .order_by("plan_id").values_list("number", "title")):
        titles.setdefault(number, title)
        if titles[number].startswith("Nhóm nhiệm vụ"):
            titles[number] = title
    return titles


@dataclass
class Table:
    """Amounts by (measure, source, group), with the totals a page or a report prints."""

    cells: dict[tuple[str, str, int], int] = field(default_factory=lambda: defaultdict(int))

    def add(self, measure: str, source: str, group: int, amount: int) -> None:
        self.cells[(measure, source, group)] += amount

    def get(self, measure: str, source: str, group: int) -> int:
        return self.cells.get((measure, source, group), 0)

    def by_source(self, measure: str) -> dict[str, int]:
        return {s: sum(self.get(measure, s, g) for g in GROUPS) for s in Source.values}

    def by_group(self, measure: str) -> dict[int, int]:
        return {g: sum(self.get(measure, s, g) for s in Source.values) for g in GROUPS}

    def total(self, measure: str) -> int:
        return sum(a for (m, _, _), a in self.cells.items() if m == measure)

    @property
    def is_empty(self) -> bool:
        return not any(self.cells.values())

    def rows(self, measure: str, titles: dict[int, str]) -> list[dict]:
        """One row per task group: {"group", "title", "amounts": [a, b, c, d], "total"}."""
        return [{"group": g, "title": titles.get(g, ""), "amounts": [self.get(measure, s, g) for s in Source.values],
                 "total": self.by_group(measure)[g]} for g in GROUPS]


def _table(lines) -> Table:
    table = Table()
    for measure, source, group, amount in lines:
        table.add(measure, source, group, amount)
    return table


def unit_report(*, actor, unit: Unit, year: int) -> tuple[BudgetReport | None, Table]:
    """`unit`'s own report for `year` (any status) and its amounts; 404 outside the actor's scope."""
    org_selectors.require_read(actor=actor, capability=READ, unit=unit)
    report = BudgetReport.objects.filter(unit=unit, year=year).select_related("submitted_by", "approved_by").first()
    if report is None:
        return None, Table()
    return report, _table(report.lines.values_list("measure", "source", "group", "amount"))


@dataclass
class UnitRow:
    unit: Unit
    report: BudgetReport | None
    estimate: int
    actual: int


@dataclass
class Totals:
    unit: Unit
    year: int
    table: Table  # approved reports only
    rows: list[UnitRow]  # the units of the scope expected to report, and any that did
    approved: int  # approved reports counted in `table`
    reported: int  # reports sent or approved

    @property
    def estimate(self) -> int:
        return self.table.total(Measure.ESTIMATE)

    @property
    def actual(self) -> int:
        return self.table.total(Measure.ACTUAL)


def totals(*, actor, unit: Unit, year: int, unit_ids: set[int] | None = None) -> Totals:
    """The funds of `unit` and the units that made it up during `year`, within the actor's scope:
    approved reports summed by source and task group, and each unit's status. `unit_ids`: the
    set already worked out (the yearly report passes its own)."""
    org_selectors.require_read(actor=actor, capability=READ, unit=unit)
    if unit_ids is None:
        unit_ids = org_selectors.year_unit_ids(unit=unit, year=year)
    ids = unit_ids & org_selectors.unit_ids(actor=actor, capability=READ)
    reports = {r.unit_id: r for r in BudgetReport.objects.filter(unit_id__in=ids, year=year)}
    approved_ids = [r.id for r in reports.values() if r.status == SubmissionStatus.APPROVED]
    table = _table(BudgetLine.objects.filter(report_id__in=approved_ids)
                   .values_list("measure", "source", "group", "amount"))
    per_report: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for report_id, measure, amount in BudgetLine.objects.filter(report__in=reports.values()).values_list(
            "report_id", "measure", "amount"):
        per_report[report_id][measure] += amount
    # the unit itself, its schools (they are expected to report) and whoever else did report
    schools = set(Unit.objects.filter(id__in=ids, unit_type__in=SCHOOL_TYPES).values_list("id", flat=True))
    shown = Unit.objects.filter(id__in={unit.id} | set(reports) | schools).order_by(Vietnamese("name"))
    rows = []
    for u in shown:
        r = reports.get(u.id)
        sums = per_report.get(r.id, {}) if r else {}
        rows.append(UnitRow(unit=u, report=r, estimate=sums.get(Measure.ESTIMATE, 0),
                            actual=sums.get(Measure.ACTUAL, 0)))
    return Totals(unit=unit, year=year, table=table, rows=rows, approved=len(approved_ids),
                  reported=sum(1 for r in reports.values()
                               if r.status in (SubmissionStatus.SUBMITTED, SubmissionStatus.APPROVED)))


def enterable_units(*, actor, unit: Unit, year: int) -> list[Unit]:
    """`unit` and the units under it (today's tree) that `actor` enters budgets for — the XLSX template's rows."""
    on = org_selectors.today()
    below = org_selectors.descendant_ids(unit_ids=[unit.id], on=on) if unit.is_active_on(on) else {unit.id}
    allowed = org_selectors.unit_ids(actor=actor, capability="budget.enter", history=False)
    return list(Unit.objects.filter(id__in=below & allowed).order_by(Vietnamese("name")))
