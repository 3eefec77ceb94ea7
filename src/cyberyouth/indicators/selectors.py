"""Reads of indicators: computed values, completeness, notes, series, the dashboard and the
yearly report page — scoped through orgs.selectors (`indicator.read`).

The public contract (the dashboard, the CLI `cyberyouth indicators compute`, the API and the
reports app all read through these, so a number is the same everywhere):

    compute_indicators(*, actor, year, unit=None, on=None, depth=None) -> list[UnitIndicators]
    completeness(*, actor, year, unit=None) -> Completeness
    submission_notes(*, actor, year, unit=None) -> list[SubmissionNote]
    indicator_series(*, actor, unit, years=range(2023, 2031), on=None) -> list[IndicatorSeries]
    indicator_breakdown(*, actor, year, unit, indicator, on=None) -> list[Contribution]

Every result is a plain dataclass with `as_dict()` (JSON-able). How a figure is computed is
`aggregation`'s business; `cache` keeps trees and totals between requests.
"""

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date, datetime

from django.utils import timezone

from cyberyouth.errors import DomainError, ErrorCode, NotFound
from cyberyouth.lib.collation import Vietnamese
from cyberyouth.lib.text import vi_key
from cyberyouth.orgs import selectors as org_selectors
from cyberyouth.orgs.models import Role, Unit

from . import aggregation, cache
from .aggregation import (  # noqa: F401  (re-exported: the names other modules read here)
    AT_RISK_MARGIN, STATUS_CLASS, STATUS_LABELS, STATUS_RULE, YEARS, IndicatorResult, Target, UnitIndicators,
    check_year, default_on, definitions, definitions_signature, figures_for, num,
)
from .models import (DataElement, DataValue, EvidenceFile, FormElement, Indicator, Period, ReportForm, Submission,
                     SubmissionStatus)

PROGRAMME_YEARS = range(2023, 2031)
invalidate_cache = cache.invalidate


def _scope(actor, tree: aggregation.Tree, unit: Unit | None, visible: set[int] | None = None,
           depth: int | None = None) -> tuple[list[int], int | None]:
    """Units of `tree` the actor sees: all, or `unit` and those below it (`depth` levels at most)."""
    if visible is None:
        visible = org_selectors.unit_ids(actor=actor, capability="indicator.read")
    if unit is not None:
        if unit.id not in visible:
            raise NotFound("Không tìm thấy đơn vị.")
        if unit.id not in tree.parent:
            raise NotFound(f"Đơn vị “{unit.name}” không tồn tại vào ngày {tree.on:%d/%m/%Y}.")
        if depth is not None:
            ids, level = [unit.id], [unit.id]
            for _ in range(depth):
                level = [c for u in level for c in tree.children.get(u, ())]
                ids.extend(level)
            return [u for u in ids if u in visible], unit.id
        ids = org_selectors.descendant_ids(unit_ids=[unit.id], on=tree.on, children=tree.children)
        return [u for u in ids if u in visible], unit.id
    return [u for u in tree.parent if u in visible], None


def _children(tree: aggregation.Tree) -> dict[int | None, list[int]]:
    children: dict[int | None, list[int]] = defaultdict(list)
    for uid, pid in tree.parent.items():
        children[pid].append(uid)
    return children


def _unit_on(unit: Unit | None, on: date) -> date:
    """A ceased unit is shown as it last stood; a unit created later than `on` is shown on
    today's tree, where its predecessors' figures count under it."""
    if unit is not None and unit.valid_to is not None and on >= unit.valid_to:
        return unit.last_day
    if unit is not None and unit.valid_from > on:
        return max(org_selectors.today(), unit.valid_from)
    return on


def compute_indicators(*, actor, year: int, unit: Unit | None = None, on: date | None = None,
                       depth: int | None = None, visible: set[int] | None = None) -> list[UnitIndicators]:
    """Every indicator for every unit in `actor`'s scope (or `unit` and the units under it), for `year`.

    Only units some indicator applies to, and the units above them, are listed; parents before
    children (tree order). `on` chooses the tree (default `default_on(year)`); `depth` limits
    the listing to that many levels below `unit` (the dashboard uses 1). Raises NotFound when
    `unit` is outside the actor's scope or did not stand on `on`. `visible` may pass the
    actor's visible unit ids when the caller already has them.
    """
    on = _unit_on(unit, on or default_on(year))
    totals = aggregation.totals(year, on)
    tree = totals.tree
    scope, root = _scope(actor, tree, unit, visible, depth if unit is not None else None)
    baselines: dict[int, aggregation.Totals] = {}
    for d in totals.defs:
        if d.baseline_year != year and d.baseline_year not in baselines:
            baselines[d.baseline_year] = aggregation.totals(d.baseline_year, on)
    root_depth = tree.depth[root] if root is not None else 0
    scope_set = set(scope)
    rows = []
    for uid in sorted(scope, key=lambda u: (tree.depth[u], vi_key(tree.name[u]))):
        if uid not in totals.relevant:
            continue
        if depth is not None and tree.depth[uid] - root_depth > depth:
            continue
        rows.append(aggregation.unit_row(uid, year, totals, baselines))
    # tree order: parents then their children, siblings by name
    by_parent: dict[int | None, list[UnitIndicators]] = defaultdict(list)
    for r in rows:
        pid = tree.parent[r.unit_id]
        by_parent[pid if pid in scope_set else None].append(r)
    ordered: list[UnitIndicators] = []
    stack = list(reversed(by_parent.get(None, [])))
    while stack:
        r = stack.pop()
        ordered.append(r)
        stack.extend(reversed(by_parent.get(r.unit_id, [])))
    return ordered



# ---------------------------------------------------------------- series and breakdown


@dataclass(slots=True)
class SeriesPoint:
    year: int
    numerator: float
    denominator: float
    value: float | None
    status: str

    def as_dict(self) -> dict:
        return {"year": self.year, "numerator": num(self.numerator), "denominator": num(self.denominator),
                "value": None if self.value is None else round(self.value, 2), "status": self.status}


@dataclass(slots=True)
class IndicatorSeries:
    indicator: str
    number: int
    name: str
    milestones: list[Target]
    points: list[SeriesPoint]

    def as_dict(self) -> dict:
        return {"indicator": self.indicator, "number": self.number, "name": self.name,
                "milestones": [m.as_dict() for m in self.milestones], "points": [p.as_dict() for p in self.points]}


def indicator_series(*, actor, unit: Unit, years=PROGRAMME_YEARS, on: date | None = None,
                     visible: set[int] | None = None) -> list[IndicatorSeries]:
    """Each indicator for `unit`, year by year (2023…2030 by default), all on one tree (`on`,
    default today) so that predecessors' earlier figures count under `unit`. Years without
    approved data have value None."""
    on = _unit_on(unit, on or org_selectors.today())
    if unit.id not in (visible if visible is not None else org_selectors.unit_ids(actor=actor, capability="indicator.read")):
        raise NotFound("Không tìm thấy đơn vị.")
    series: dict[str, IndicatorSeries] = {}
    for year in years:
        totals = aggregation.totals(year, on)
        if unit.id not in totals.tree.parent:
            continue
        baselines = {d.baseline_year: aggregation.totals(d.baseline_year, on) for d in totals.defs if d.baseline_year != year}
        row = aggregation.unit_row(unit.id, year, totals, baselines)
        for r, d in zip(row.indicators, totals.defs):
            s = series.get(r.indicator)
            if s is None:
                s = series[r.indicator] = IndicatorSeries(r.indicator, r.number, r.name, d.milestones, [])
            s.points.append(SeriesPoint(year, r.numerator, r.denominator, r.value, r.status))
    return sorted(series.values(), key=lambda s: s.number)


@dataclass(slots=True)
class Contribution:
    """One approved report counted in a unit's figure (with its weight after a split)."""

    unit: str
    unit_id: int
    name: str
    weight: float
    numerator: float
    denominator: float
    value: float | None
    submission_id: int | None

    def as_dict(self) -> dict:
        return {"unit": self.unit, "name": self.name, "weight": self.weight, "numerator": num(self.numerator),
                "denominator": num(self.denominator),
                "value": None if self.value is None else round(self.value, 2), "submission_id": self.submission_id}


def indicator_breakdown(*, actor, year: int, unit: Unit, indicator: str, on: date | None = None) -> list[Contribution]:
    """The approved reports behind `unit`'s figure for one indicator: the data behind the number."""
    on = _unit_on(unit, on or default_on(year))
    totals = aggregation.totals(year, on)
    scope, _ = _scope(actor, totals.tree, unit)
    index = next((i for i, d in enumerate(totals.defs) if d.code == indicator), None)
    if index is None:
        raise NotFound("Không tìm thấy chỉ tiêu.")
    d = totals.defs[index]
    scope_set = set(scope)
    found: list[tuple[int, float]] = []
    for leaf, targets in totals.leaf_targets.items():
        w = sum(weight for target, weight in targets if target in scope_set)
        if w:
            found.append((leaf, w))
    units = {u.id: u for u in Unit.objects.filter(id__in=[f[0] for f in found])}
    subs = dict(Submission.objects.filter(year=year, unit_id__in=units.keys()).values_list("unit_id", "id"))
    out = []
    for leaf, w in found:
        row = totals.leaves[leaf]
        num, den = row[2 * index], row[2 * index + 1]
        if not den and not num:
            continue
        u = units[leaf]
        out.append(Contribution(unit=u.code, unit_id=u.id, name=u.name, weight=round(w, 4), numerator=num,
                                denominator=den, value=(num / den * d.factor) if den else None,
                                submission_id=subs.get(leaf)))
    return sorted(out, key=lambda c: vi_key(c.name))


# ---------------------------------------------------------------- completeness and notes


def form_for_type(unit_type: str, forms: list[ReportForm] | None = None) -> ReportForm | None:
    for f in forms if forms is not None else ReportForm.objects.all():
        if unit_type in f.unit_types:
            return f
    return None


@dataclass(slots=True)
class CompletenessRow:
    unit: str
    unit_id: int
    name: str
    parent: str | None
    parent_name: str | None
    form: str
    timeliness: str                 # on_time | late | missing
    status: str                     # draft | submitted | returned | approved | none
    first_submitted_at: datetime | None
    approved: bool
    focal_points: list[str] = field(default_factory=list)
    submission_id: int | None = None

    @property
    def timeliness_label(self) -> str:
        return {"on_time": "Đúng hạn", "late": "Muộn", "missing": "Chưa gửi"}[self.timeliness]

    @property
    def status_label(self) -> str:
        return dict(SubmissionStatus.choices).get(self.status, "Chưa nhập")

    def as_dict(self) -> dict:
        d = asdict(self)
        d.pop("unit_id")
        d["first_submitted_at"] = self.first_submitted_at.isoformat() if self.first_submitted_at else None
        return d


@dataclass(slots=True)
class ParentRate:
    unit: str | None
    name: str
    expected: int
    on_time: int
    late: int
    missing: int
    approved: int

    @property
    def submitted_rate(self) -> float:
        return 100.0 * (self.on_time + self.late) / self.expected if self.expected else 0.0

    @property
    def on_time_rate(self) -> float:
        return 100.0 * self.on_time / self.expected if self.expected else 0.0

    def as_dict(self) -> dict:
        return {"unit": self.unit, "name": self.name, "expected": self.expected, "on_time": self.on_time,
                "late": self.late, "missing": self.missing, "approved": self.approved,
                "submitted_rate": round(self.submitted_rate, 1), "on_time_rate": round(self.on_time_rate, 1)}


@dataclass
class Completeness:
    """Who was expected to report for a period, and who did: on time, late, not at all."""

    year: int
    opens_on: date | None
    deadline: date | None
    rows: list[CompletenessRow]
    by_parent: list[ParentRate]
    total: ParentRate

    @property
    def reminders(self) -> list[CompletenessRow]:
        """Units still owing a report: never sent, or returned and not sent again."""
        return [r for r in self.rows if r.status in ("none", "draft", "returned")]

    def as_dict(self) -> dict:
        return {"year": self.year, "opens_on": self.opens_on.isoformat() if self.opens_on else None,
                "deadline": self.deadline.isoformat() if self.deadline else None,
                "rows": [r.as_dict() for r in self.rows], "by_parent": [p.as_dict() for p in self.by_parent],
                "total": self.total.as_dict(), "reminders": [r.unit for r in self.reminders]}


def expected_reporters(*, actor, year: int, unit: Unit | None = None,
                       visible: set[int] | None = None) -> tuple[Period | None, list[int], aggregation.Tree]:
    """Units that owe a report for `year`: in scope, standing at the deadline, with a form for their type."""
    period = Period.objects.filter(year=year).first()
    on = _unit_on(unit, min(period.deadline if period else date(check_year(year), 12, 31), org_selectors.today()))
    tree = aggregation.tree_on(on)
    scope, _ = _scope(actor, tree, unit, visible)
    types = set()
    for f in ReportForm.objects.all():
        types.update(f.unit_types)
    return period, [u for u in scope if tree.unit_type[u] in types], tree


def completeness(*, actor, year: int, unit: Unit | None = None, visible: set[int] | None = None,
                 summary_only: bool = False) -> Completeness:
    """Completeness and timeliness of `year`'s period in `actor`'s scope (or under `unit`): each
    expected unit on time / late / missing, its submission status and focal points (the reminder
    list), and rates per parent unit. "On time" = first sent no later than the deadline (local time).
    `summary_only` computes the totals alone (the dashboard's glance)."""
    period, expected, tree = expected_reporters(actor=actor, year=year, unit=unit, visible=visible)
    if summary_only:
        return _completeness_summary(year, period, expected)
    forms = list(ReportForm.objects.all())
    subs = {s.unit_id: s for s in Submission.objects.filter(year=year, unit_id__in=expected)}
    focal = defaultdict(list)
    for a in org_selectors.role_holders(unit_ids=expected, role=Role.FOCAL_POINT):
        focal[a.unit_id].append(str(a.user))
    rows = []
    for uid in expected:
        s = subs.get(uid)
        first = s.first_submitted_at if s else None
        if first is None:
            timeliness = "missing"
        elif period and timezone.localtime(first).date() > period.deadline:
            timeliness = "late"
        else:
            timeliness = "on_time"
        pid = tree.parent.get(uid)
        rows.append(CompletenessRow(
            unit=tree.code[uid], unit_id=uid, name=tree.name[uid], parent=tree.code.get(pid),
            parent_name=tree.name.get(pid), form=(form_for_type(tree.unit_type[uid], forms) or ReportForm()).code,
            timeliness=timeliness, status=s.status if s else "none", first_submitted_at=first,
            approved=bool(s and s.status == SubmissionStatus.APPROVED), focal_points=focal[uid],
            submission_id=s.id if s else None,
        ))
    rows.sort(key=lambda r: (vi_key(r.parent_name), vi_key(r.name)))
    groups: dict[str | None, ParentRate] = {}
    total = ParentRate(unit=None, name="Tổng", expected=0, on_time=0, late=0, missing=0, approved=0)
    for r in rows:
        g = groups.get(r.parent)
        if g is None:
            g = groups[r.parent] = ParentRate(r.parent, r.parent_name or "—", 0, 0, 0, 0, 0)
        for acc in (g, total):
            acc.expected += 1
            setattr(acc, r.timeliness, getattr(acc, r.timeliness) + 1)
            acc.approved += r.approved
    return Completeness(year=year, opens_on=period.opens_on if period else None,
                        deadline=period.deadline if period else None, rows=rows,
                        by_parent=sorted(groups.values(), key=lambda g: vi_key(g.name)), total=total)


def _sent_by_unit(year: int) -> dict[int, tuple[date, bool]]:
    """unit id → (local date first sent, approved) for `year`, cached while nothing changes."""
    key = ("sent", year)
    stamp = cache.stamp()
    hit = cache.lookup(key, stamp)
    if hit is not None:
        return hit
    sent = {unit_id: (timezone.localtime(first).date(), status == SubmissionStatus.APPROVED)
            for unit_id, first, status in Submission.objects.filter(year=year, first_submitted_at__isnull=False)
            .values_list("unit_id", "first_submitted_at", "status")}
    cache.remember(key, stamp, sent)
    return sent


def _completeness_summary(year: int, period: Period | None, expected: list[int]) -> Completeness:
    total = ParentRate(unit=None, name="Tổng", expected=len(expected), on_time=0, late=0, missing=0, approved=0)
    sent = _sent_by_unit(year)
    for unit_id in expected:
        info = sent.get(unit_id)
        if info is None:
            total.missing += 1
            continue
        if period and info[0] > period.deadline:
            total.late += 1
        else:
            total.on_time += 1
        total.approved += info[1]
    return Completeness(year=year, opens_on=period.opens_on if period else None,
                        deadline=period.deadline if period else None, rows=[], by_parent=[], total=total)


@dataclass(slots=True)
class SubmissionNote:
    unit: str
    name: str
    year: int
    status: str
    note: str
    return_comment: str
    submitted_at: datetime | None

    def as_dict(self) -> dict:
        d = asdict(self)
        d["submitted_at"] = self.submitted_at.isoformat() if self.submitted_at else None
        return d


def submission_notes(*, actor, year: int, unit: Unit | None = None) -> list[SubmissionNote]:
    """Units' own explanations (and the standing agency's return comments) for `year`, in scope."""
    qs = submissions_visible(actor=actor).filter(year=year).exclude(note="", return_comment="")
    if unit is not None:
        org_selectors.require_read(actor=actor, capability="indicator.read", unit=unit)
        below = org_selectors.descendant_ids(unit_ids=[unit.id], on=_unit_on(unit, default_on(year)))
        below |= set().union(*org_selectors.predecessor_closure(unit_ids=below).values()) if below else set()
        qs = qs.filter(unit_id__in=below)
    return [SubmissionNote(unit=s.unit.code, name=s.unit.name, year=s.year, status=s.status, note=s.note,
                           return_comment=s.return_comment, submitted_at=s.submitted_at)
            for s in qs.select_related("unit").order_by(Vietnamese("unit__name"))]


# ---------------------------------------------------------------- submissions and values


def submissions_visible(*, actor):
    return Submission.objects.filter(unit_id__in=org_selectors.unit_ids(actor=actor, capability="indicator.read"))


def get_evidence_file(*, actor, file_id: int) -> EvidenceFile:
    """A "yes" evidence file, only for those who may see its unit's report."""
    f = (EvidenceFile.objects.filter(id=file_id, submission__in=submissions_visible(actor=actor))
         .select_related("submission").first())
    if f is None:
        raise NotFound("Không tìm thấy tệp minh chứng.")
    return f


def get_submission(*, actor, submission_id: int) -> Submission:
    s = submissions_visible(actor=actor).select_related("unit", "period", "form").filter(id=submission_id).first()
    if s is None:
        raise NotFound("Không tìm thấy báo cáo.")
    return s


def form_elements(*, form: ReportForm):
    return [fe.element for fe in FormElement.objects.filter(form=form).select_related("element", "element__part_of")
            .order_by("order")]


def submission_values(*, submission: Submission) -> dict[str, DataValue]:
    return {v.element.code: v for v in submission.values.select_related("element")}


def previous_values(*, unit: Unit, year: int) -> dict[str, int]:
    """Last year's values of the unit (any status but draft), for the jump check and the form."""
    prev = Submission.objects.filter(unit=unit, year=year - 1).exclude(status=SubmissionStatus.DRAFT).first()
    if prev is None:
        return {}
    return {code: v for code, v in prev.values.values_list("element__code", "value") if v is not None}


def provided_values(*, unit: Unit, year: int, elements) -> dict[str, int]:
    """The figures other apps provide for `unit`'s form elements in `year` (indicator 5's
    channels; indicators 1 and 4 from a school's student records), by element code. A partial
    provider without records for the unit leaves its element to be entered by hand."""
    from . import providers

    out = {}
    for e in elements:
        if e.provider and (value := providers.fed(e.provider, unit_id=unit.id, year=year)) is not None:
            out[e.code] = value
    return out


@dataclass
class SubmissionPage:
    """What a unit's yearly report page shows and who may do what on it."""

    unit: Unit
    year: int
    period: Period
    form: ReportForm
    submission: Submission | None
    elements: list
    initial: dict          # the form's initial values (saved values, note, jump confirmation)
    provided: dict         # element code → provided figure (shown, not typed)
    previous: dict         # element code → last year's value
    editable: bool
    can_review: bool
    can_reopen: bool
    record_links: list     # (label, url) of the records the provided figures come from

    @property
    def evidence_files(self):
        return self.submission.evidence_files.select_related("element") if self.submission else []


def submission_page(*, actor, unit: Unit, year: int) -> SubmissionPage:
    """`unit`'s report for `year` as its page shows it (NotFound outside the actor's
    indicator.read scope; DomainError when the unit has no form or the year no period)."""
    org_selectors.require_read(actor=actor, capability="indicator.read", unit=unit)
    period = Period.objects.filter(year=year).first()
    form = form_for_type(unit.unit_type)
    if period is None or form is None:
        raise DomainError("Không có biểu báo cáo cho đơn vị và năm này.", code=ErrorCode.NOT_OPEN)
    submission = Submission.objects.filter(unit=unit, year=year).first()
    elements = form_elements(form=form)
    editable = org_selectors.can(actor=actor, capability="data.enter", unit=unit) and (
        submission is None or submission.is_editable)
    saved = submission_values(submission=submission) if submission else {}
    provided = provided_values(unit=unit, year=year, elements=elements)
    if not editable:  # a sent or approved report shows what was recorded
        provided = {code: (saved[code].value if code in saved else v) for code, v in provided.items()}
    initial = {"note": submission.note if submission else "",
               "confirm_jumps": submission.jumps_confirmed if submission else False}
    for code, v in saved.items():
        if code not in provided:
            initial[f"v_{code}"] = "" if v.value is None else str(v.value)
            initial[f"ev_{code}"] = v.evidence
    status = submission.status if submission else None
    from . import providers

    # A provider's url may name the unit and the year: "/tap-huan/{unit}/chi-tieu/{year}/".
    record_links = [(p.label, p.url.format(unit=unit.code, year=year))
                    for p in {providers.get(e.provider) for e in elements if e.code in provided}
                    if p is not None and p.url]
    return SubmissionPage(
        record_links=record_links,
        unit=unit, year=year, period=period, form=form, submission=submission, elements=elements, initial=initial,
        provided=provided, previous=previous_values(unit=unit, year=year), editable=editable,
        can_review=status == SubmissionStatus.SUBMITTED and org_selectors.can(
            actor=actor, capability="data.approve", unit=unit),
        can_reopen=status == SubmissionStatus.APPROVED and org_selectors.can(
            actor=actor, capability="period.manage", unit=unit),
    )


def periods() -> list[Period]:
    return list(Period.objects.order_by("-year"))


def indicators() -> list[Indicator]:
    """The indicators in order, each with its formulas in words (`numerator_words`, `denominator_words`)."""
    from .formulas import in_words

    names = dict(DataElement.objects.values_list("code", "name"))
    found = list(Indicator.objects.prefetch_related("milestones").order_by("number"))
    for indicator in found:
        indicator.numerator_words = in_words(indicator.numerator, names)
        indicator.denominator_words = in_words(indicator.denominator, names)
    return found


def data_values_for_export(*, actor, year: int | None = None, unit: Unit | None = None):
    """Rows for the CSV export: (unit code, unit name, year, element code, element name, value,
    status, last change)."""
    qs = DataValue.objects.filter(submission__unit_id__in=org_selectors.unit_ids(actor=actor, capability="indicator.read"))
    if year is not None:
        qs = qs.filter(submission__year=year)
    if unit is not None:
        org_selectors.require_read(actor=actor, capability="indicator.read", unit=unit)
        on = _unit_on(unit, default_on(year) if year else org_selectors.today())
        qs = qs.filter(submission__unit_id__in=org_selectors.descendant_ids(unit_ids=[unit.id], on=on))
    return qs.order_by("submission__unit__code", "submission__year", "element__code").values_list(
        "submission__unit__code", "submission__unit__name", "submission__year", "element__code", "element__name",
        "value", "submission__status", "updated_at")


# ---------------------------------------------------------------- the dashboard


@dataclass
class Dashboard:
    """What the dashboard page shows for one unit and year: the unit's indicators, its children's
    (drill-down), the series 2023…2030 on today's tree, and completeness at a glance."""

    year: int
    unit: UnitIndicators | None
    children: list[UnitIndicators]
    series: list[IndicatorSeries]
    completeness: ParentRate | None
    definitions: list[Indicator]

    def as_dict(self) -> dict:
        return {"year": self.year, "unit": self.unit.as_dict() if self.unit else None,
                "children": [c.as_dict() for c in self.children], "series": [s.as_dict() for s in self.series],
                "completeness": self.completeness.as_dict() if self.completeness else None}


def dashboard_year(*, actor) -> int:
    """The year the dashboard opens on: the latest with approved figures the actor can see (the
    current year's period is usually still open and empty), else the latest period, else this year."""
    approved = submissions_visible(actor=actor).filter(status=SubmissionStatus.APPROVED).order_by(
        "-year").values_list("year", flat=True).first()
    latest = Period.objects.order_by("-year").values_list("year", flat=True).first()
    return approved or latest or org_selectors.today().year


def dashboard_roots(*, actor, on: date | None = None) -> list[Unit]:
    """Where an actor's dashboard starts: the top units of their scope standing on `on` (today)."""
    visible = org_selectors.unit_ids(actor=actor, capability="indicator.read")
    parents = org_selectors.parent_map(on=on or org_selectors.today())
    roots = [u for u in parents if u in visible and parents[u] not in visible]
    return list(Unit.objects.filter(id__in=roots).order_by(Vietnamese("name")))


def dashboard(*, actor, year: int, unit: Unit, with_series: bool = True) -> Dashboard:
    """The dashboard of `unit` for `year` (NotFound outside the actor's scope)."""
    visible = org_selectors.unit_ids(actor=actor, capability="indicator.read")  # once, for every part below
    rows = compute_indicators(actor=actor, year=year, unit=unit, depth=1, visible=visible)
    head = next((r for r in rows if r.unit_id == unit.id), None)
    children = [r for r in rows if r.unit_id != unit.id]
    series = indicator_series(actor=actor, unit=unit, years=range(2023, max(year, 2025) + 1),
                              visible=visible) if with_series else []
    try:
        comp = completeness(actor=actor, year=year, unit=unit, visible=visible, summary_only=True).total
    except NotFound:
        comp = None
    return Dashboard(year=year, unit=head, children=children, series=series, completeness=comp,
                     definitions=indicators())
