"""The aggregation engine of the five indicators: definitions compiled from their formulas,
the tree standing on a date, approved reports' figures moved to successors across
reorganisations (a split hands `share` of them to each) and summed up the tree, and each
unit's status against the milestones. No scoping here: `selectors` decides who sees what.

How a figure is computed. Only approved submissions count (the official figures). Each
reporting unit's numerator and denominator come from its form's values through the
indicator's formulas. The tree used is the one standing on `on` (default: 31 December of
`year`, or today for the current year — "a past year shows the tree as it was then"). A unit
that has ceased by `on` hands its figures to its successors (UnitSuccession; a split hands
`share` of them to each), so a merged unit's history counts under its successor in later
views. Totals are then summed up the tree. Status compares the value with the next
milestone and with the straight path baseline → 2025 → 2030 (see `STATUS_RULE`).
"""

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from django.db.models import Q

from cyberyouth.errors import DomainError
from cyberyouth.orgs import selectors as org_selectors
from cyberyouth.orgs.models import Unit, UnitSuccession, UnitVersion

from . import cache
from .formulas import compile_formula
from .models import Comparator, DataElement, DataValue, Indicator, Milestone, Submission, SubmissionStatus

AT_RISK_MARGIN = 10.0  # percentage points below the straight path

STATUS_LABELS = {
    "met": "Đạt", "on_track": "Đúng tiến độ", "at_risk": "Có nguy cơ", "off_track": "Chậm tiến độ",
    "no_data": "Chưa có số liệu", "not_applicable": "Không áp dụng",
}
STATUS_CLASS = {"met": "ok", "on_track": "ok", "at_risk": "warn", "off_track": "bad", "no_data": "missing",
                "not_applicable": "muted"}
STATUS_RULE = (
    "Giá trị được so với mốc kế tiếp (2025, sau đó 2030) theo đúng dấu so sánh của kế hoạch "
    "(“trên 90%” là lớn hơn hẳn 90%, “100%” là đạt đủ 100%). Nếu đã đạt mốc: Đạt. Nếu chưa, so với "
    "đường thẳng nối giá trị năm gốc (2023) của chính đơn vị đến mốc 2025 rồi đến mốc 2030: không thấp hơn "
    f"đường này là Đúng tiến độ; thấp hơn không quá {AT_RISK_MARGIN:g} điểm phần trăm là Có nguy cơ; thấp hơn nữa, "
    "hoặc đã đến năm của mốc mà chưa đạt, là Chậm tiến độ. Đơn vị chưa có số liệu năm gốc chỉ được so với mốc."
)



# ---------------------------------------------------------------- result types


@dataclass(slots=True)
class Target:
    year: int
    value: float
    comparator: str
    strive: bool

    @property
    def label(self) -> str:
        sign = ">" if self.comparator == Comparator.GT else "≥"
        return f"{'phấn đấu ' if self.strive else ''}{sign} {self.value:g}% ({self.year})"

    def as_dict(self) -> dict:
        return {"year": self.year, "value": self.value, "comparator": self.comparator, "strive": self.strive,
                "label": self.label}


@dataclass(slots=True)
class IndicatorResult:
    """One indicator for one unit in one year."""

    indicator: str          # code
    number: int
    name: str               # short name
    numerator: float
    denominator: float
    value: float | None     # numerator / denominator × factor; None without a denominator
    target: Target | None   # the next milestone
    status: str             # met | on_track | at_risk | off_track | no_data | not_applicable
    expected: float | None = None  # the straight path's value for the year
    baseline: float | None = None

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def status_class(self) -> str:
        return STATUS_CLASS[self.status]

    def as_dict(self) -> dict:
        return {
            "indicator": self.indicator, "number": self.number, "name": self.name,
            "numerator": num(self.numerator), "denominator": num(self.denominator),
            "value": None if self.value is None else round(self.value, 2),
            "target": self.target.as_dict() if self.target else None, "status": self.status,
            "expected": None if self.expected is None else round(self.expected, 2),
            "baseline": None if self.baseline is None else round(self.baseline, 2),
        }


@dataclass(slots=True)
class UnitIndicators:
    """Every indicator for one unit (its own figures plus everything below it)."""

    unit: str               # code
    unit_id: int
    name: str               # as of `on`
    unit_type: str
    parent: str | None
    depth: int
    year: int
    on: date
    reporting_units: int    # approved submissions counted in the totals
    indicators: list[IndicatorResult]

    def as_dict(self) -> dict:
        return {
            "unit": self.unit, "name": self.name, "unit_type": self.unit_type, "parent": self.parent,
            "depth": self.depth, "year": self.year, "on": self.on.isoformat(),
            "reporting_units": self.reporting_units, "indicators": [i.as_dict() for i in self.indicators],
        }


def num(x: float):
    return int(x) if float(x).is_integer() else round(x, 4)



# ---------------------------------------------------------------- definitions


@dataclass
class Definition:
    id: int
    code: str
    number: int
    name: str
    short_name: str
    numerator: object
    denominator: object
    unit_types: frozenset
    factor: int
    baseline_year: int
    milestones: list[Target]
    signature: tuple = ()

    @property
    def path_milestones(self) -> list[tuple[int, float]]:
        cached = self.__dict__.get("_path")
        if cached is None:
            cached = self.__dict__["_path"] = [(m.year, m.value) for m in self.milestones if m.year > self.baseline_year]
        return cached



def definitions() -> list[Definition]:
    out = []
    milestones = defaultdict(list)
    for m in Milestone.objects.order_by("year"):
        milestones[m.indicator_id].append(Target(m.year, float(m.value), m.comparator, m.strive))
    for ind in Indicator.objects.order_by("number"):
        out.append(Definition(
            id=ind.id, code=ind.code, number=ind.number, name=ind.name, short_name=ind.short_name,
            numerator=compile_formula(ind.numerator), denominator=compile_formula(ind.denominator),
            unit_types=frozenset(ind.unit_types), factor=ind.factor, baseline_year=ind.baseline_year,
            milestones=milestones[ind.id],
            signature=(ind.code, ind.numerator, ind.denominator, sorted(ind.unit_types)),
        ))
    return out


def definitions_signature(defs: list[Definition]) -> str:
    """Identifies what a stored `Submission.figures` was computed for."""
    import hashlib

    return hashlib.sha1(json.dumps([d.signature for d in defs]).encode()).hexdigest()


def figures_for(values: dict, unit_type: str, defs: list[Definition]) -> dict[str, list[float]] | None:
    """A reporting unit's own [numerator, denominator] per indicator that applies to its type."""
    out = {d.code: [float(d.numerator(values)), float(d.denominator(values))] for d in defs
           if unit_type in d.unit_types}
    return out or None



# ---------------------------------------------------------------- the aggregation


@dataclass
class Tree:
    on: date
    parent: dict[int, int | None]
    name: dict[int, str]
    code: dict[int, str]
    unit_type: dict[int, str]
    order: list[int]        # deepest first: children before parents
    depth: dict[int, int]
    index: dict[int, int] = field(default_factory=dict)   # unit id → row of the totals matrix
    levels: list = field(default_factory=list)            # [(rows, their parents' rows)] deepest level first
    _children: dict | None = None

    @property
    def children(self) -> dict[int | None, list[int]]:
        if self._children is None:
            children: dict[int | None, list[int]] = defaultdict(list)
            for uid, pid in self.parent.items():
                children[pid].append(uid)
            self._children = children
        return self._children


def tree_on(on: date) -> Tree:
    """The tree standing on `on` (cached per process while no reorganisation happens)."""
    stamp = cache.stamp()[2:4]
    hit = cache.lookup(("tree", on), stamp)
    if hit is not None:
        return hit
    tree = _build_tree(on)
    cache.remember(("tree", on), stamp, tree)
    return tree


def _build_tree(on: date) -> Tree:
    rows = (UnitVersion.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on), valid_from__lte=on)
            .values_list("unit_id", "parent_id", "name", "unit__code", "unit__unit_type"))
    parent, name, code, utype = {}, {}, {}, {}
    for uid, pid, nm, cd, ut in rows:
        parent[uid], name[uid], code[uid], utype[uid] = pid, nm, cd, ut
    depth: dict[int, int] = {}
    for uid in parent:
        chain, current = [], uid
        while current is not None and current not in depth and current in parent:
            chain.append(current)
            current = parent[current]
        base = depth.get(current, -1) if current is not None else -1
        for offset, node in enumerate(reversed(chain), start=1):
            depth[node] = base + offset
    order = sorted(parent, key=lambda u: -depth[u])
    index = {uid: i for i, uid in enumerate(order)}
    by_depth: dict[int, tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
    for uid in order:
        pid = parent[uid]
        if pid is not None and pid in index:
            nodes, parents = by_depth[depth[uid]]
            nodes.append(index[uid])
            parents.append(index[pid])
    levels = [(np.array(n), np.array(p)) for d, (n, p) in sorted(by_depth.items(), reverse=True)]
    return Tree(on=on, parent=parent, name=name, code=code, unit_type=utype, order=order, depth=depth,
                 index=index, levels=levels)


def _successor_weights(tree: Tree) -> dict[int, list[tuple[int, float]]]:
    """unit that no longer stands on `tree.on` → [(standing successor, weight)]."""
    edges = defaultdict(list)
    for pred, succ, eff, share in UnitSuccession.objects.values_list(
            "predecessor_id", "successor_id", "effective_date", "share"):
        if eff <= tree.on:
            edges[pred].append((succ, float(share)))
    resolved: dict[int, list[tuple[int, float]]] = {}

    def resolve(uid: int, seen: frozenset) -> list[tuple[int, float]]:
        if uid in tree.parent:
            return [(uid, 1.0)]
        if uid in resolved:
            return resolved[uid]
        out: list[tuple[int, float]] = []
        for succ, share in edges.get(uid, ()):
            if succ in seen:
                continue
            out.extend((target, share * w) for target, w in resolve(succ, seen | {uid}))
        resolved[uid] = out
        return out

    for pred in list(edges):
        resolve(pred, frozenset())
    return resolved


@dataclass
class Totals:
    tree: Tree
    defs: list[Definition]
    # unit id → [num_1, den_1, num_2, den_2, …] summed over the subtree, and approved reports counted
    sums: "MatrixRows"      # .get(uid) → [num_1, den_1, …] summed over the subtree
    reports: "MatrixRows"   # .get(uid) → approved reports counted (weighted after splits)
    relevant: set[int]
    applicable: dict[int, int]  # unit id → bitmask of indicators that apply to it or below it
    # reporting unit id → its own [num, den, …] (before moving to successors), for the breakdown
    leaves: dict[int, list[float]]
    leaf_targets: dict[int, list[tuple[int, float]]]
    rows: dict[int, "UnitIndicators"] = field(default_factory=dict)  # computed rows, memoised


def _leaf_figures(year: int, defs: list[Definition]) -> tuple[dict[int, list[float]], dict[int, str]]:
    """Approved submissions of `year`: unit id → [num, den per indicator] (from the stored
    figures; from the values for any submission whose figures are stale)."""
    signature = definitions_signature(defs)
    leaves: dict[int, list[float]] = {}
    stale: dict[int, tuple[int, str]] = {}
    width = 2 * len(defs)
    # Plain SQL: the ORM's per-row JSON converters cost more than the query at country scale.
    from django.db import connection

    qn = connection.ops.quote_name
    sql = (f"SELECT s.{qn('id')}, s.{qn('unit_id')}, u.{qn('unit_type')}, s.{qn('figures')}, "
           f"s.{qn('figures_version')} FROM {qn(Submission._meta.db_table)} s "
           f"JOIN {qn(Unit._meta.db_table)} u ON u.{qn('id')} = s.{qn('unit_id')} "
           f"WHERE s.{qn('year')} = %s AND s.{qn('status')} = %s")
    with connection.cursor() as cursor:
        cursor.execute(sql, [year, SubmissionStatus.APPROVED.value])
        fetched = cursor.fetchall()
    loads = json.loads
    for sub_id, unit_id, unit_type, figures, version in fetched:
        if isinstance(figures, str):
            figures = loads(figures)
        if version != signature:
            stale[sub_id] = (unit_id, unit_type)
        elif figures:
            row = [0.0] * width
            for i, d in enumerate(defs):
                pair = figures.get(d.code)
                if pair:
                    row[2 * i], row[2 * i + 1] = pair
            leaves[unit_id] = row
    if stale:
        codes = dict(DataElement.objects.values_list("id", "code"))
        values: dict[int, dict[str, int]] = defaultdict(dict)
        ids = list(stale)
        for i in range(0, len(ids), 5000):
            for sub_id, element_id, value in DataValue.objects.filter(
                    submission_id__in=ids[i:i + 5000], value__isnull=False).values_list(
                    "submission_id", "element_id", "value"):
                values[sub_id][codes[element_id]] = value
        for sub_id, (unit_id, unit_type) in stale.items():
            figures = figures_for(values.get(sub_id, {}), unit_type, defs)
            if figures:
                leaves[unit_id] = [x for d in defs for x in figures.get(d.code, (0.0, 0.0))]
    return leaves, {}


def totals(year: int, on: date) -> Totals:
    key = (year, on)
    stamp = cache.stamp()
    hit = cache.lookup(key, stamp)
    if hit is not None:
        return hit
    defs = definitions()
    tree = tree_on(on)
    leaves, _ = _leaf_figures(year, defs)
    width = 2 * len(defs)
    index = tree.index
    matrix = np.zeros((len(index), width))
    counts = np.zeros(len(index))
    weights = _successor_weights(tree)
    leaf_targets: dict[int, list[tuple[int, float]]] = {}
    rows_at, leaf_rows, leaf_weights = [], [], []
    for unit_id, row in leaves.items():
        targets = [(unit_id, 1.0)] if unit_id in tree.parent else weights.get(unit_id, [])
        leaf_targets[unit_id] = targets
        for target, w in targets:
            rows_at.append(index[target])
            leaf_rows.append(row)
            leaf_weights.append(w)
    if rows_at:
        at, w = np.array(rows_at), np.array(leaf_weights)
        np.add.at(matrix, at, np.array(leaf_rows) * w[:, None])
        np.add.at(counts, at, w)
    # Sum up the tree level by level, deepest first (vectorised: one add per level).
    for nodes, parents in tree.levels:
        np.add.at(matrix, parents, matrix[nodes])
        np.add.at(counts, parents, counts[nodes])
    sums = MatrixRows(index, matrix)
    reports = MatrixRows(index, counts)
    # Which units are worth listing: those some indicator applies to, and those above them.
    applicable_types = frozenset().union(*(d.unit_types for d in defs)) if defs else frozenset()
    relevant = {u for u, t in tree.unit_type.items() if t in applicable_types}
    masks = {}
    for i, d in enumerate(defs):
        for t in d.unit_types:
            masks[t] = masks.get(t, 0) | (1 << i)
    applicable = {u: masks[t] for u, t in tree.unit_type.items() if t in masks}
    for uid in tree.order:  # children before parents
        pid = tree.parent[uid]
        if pid is None or pid not in tree.parent:
            continue
        if uid in relevant:
            relevant.add(pid)
            applicable[pid] = applicable.get(pid, 0) | applicable.get(uid, 0)
    result = Totals(tree=tree, defs=defs, sums=sums, reports=reports, relevant=relevant,
                     applicable=applicable, leaves=leaves,
                     leaf_targets=leaf_targets)
    cache.remember(key, stamp, result)
    return result



class MatrixRows:
    """unit id → its row of a totals matrix, as a list (or a number for a vector)."""

    __slots__ = ("index", "matrix")

    def __init__(self, index: dict[int, int], matrix):
        self.index, self.matrix = index, matrix

    def get(self, uid: int, default=None):
        i = self.index.get(uid)
        if i is None:
            return default
        value = self.matrix[i]
        return value.tolist() if value.ndim else float(value)


YEARS = range(2000, 2101)  # any year the figures can be about; outside it, a clear refusal


def check_year(year: int) -> int:
    if year not in YEARS:
        raise DomainError(f"Năm {year} không hợp lệ (từ {YEARS.start} đến {YEARS.stop - 1}).", field="year")
    return year


def default_on(year: int) -> date:
    """The tree a year is shown with: as it stood on 31 December (today for the current year)."""
    return min(date(check_year(year), 12, 31), org_selectors.today())


def status_of(value: float | None, year: int, d: Definition, baseline: float | None) -> tuple[Target | None, str,
                                                                                               float | None]:
    target = next((m for m in d.milestones if m.year >= year), d.milestones[-1] if d.milestones else None)
    if value is None:
        return target, "no_data", None
    if target is None:
        return None, "no_data", None
    met = value > target.value if target.comparator == Comparator.GT else value >= target.value - 1e-9
    expected = _path_value(year, d, baseline)
    if met:
        return target, "met", expected
    if year >= target.year:
        return target, "off_track", expected
    if expected is None:
        return target, ("at_risk" if value >= target.value - AT_RISK_MARGIN else "off_track"), None
    if value >= expected - 1e-9:
        return target, "on_track", expected
    if value >= expected - AT_RISK_MARGIN:
        return target, "at_risk", expected
    return target, "off_track", expected


def _path_value(year: int, d: Definition, baseline: float | None) -> float | None:
    """The straight path baseline → first milestone → next milestone, at `year`."""
    if baseline is None:
        return None
    points = [(d.baseline_year, baseline)] + d.path_milestones
    if year <= points[0][0]:
        return baseline
    for (y0, v0), (y1, v1) in zip(points, points[1:]):
        if y0 <= year <= y1:
            return v0 + (v1 - v0) * (year - y0) / (y1 - y0)
    return points[-1][1]



def unit_row(uid: int, year: int, totals: Totals, baselines: dict[int, Totals]) -> UnitIndicators:
    """A unit's row (memoised on the totals it comes from: they are rebuilt when anything changes)."""
    row = totals.rows.get(uid)
    if row is None:
        row = totals.rows[uid] = _build_unit_row(uid, year, totals, baselines)
    return row


def _build_unit_row(uid: int, year: int, totals: Totals, baselines: dict[int, Totals]) -> UnitIndicators:
    tree = totals.tree
    sums = totals.sums.get(uid)
    mask = totals.applicable.get(uid, 0)
    results = []
    for i, d in enumerate(totals.defs):
        num, den = (sums[2 * i], sums[2 * i + 1]) if sums else (0.0, 0.0)
        if not mask & (1 << i) and not den:
            results.append(IndicatorResult(indicator=d.code, number=d.number, name=d.short_name, numerator=num,
                                           denominator=den, value=None, target=None, status="not_applicable"))
            continue
        value = num / den * d.factor if den else None
        if d.baseline_year == year:
            baseline = value
        else:
            b = baselines[d.baseline_year].sums.get(uid)
            baseline = (b[2 * i] / b[2 * i + 1] * d.factor) if b and b[2 * i + 1] else None
        target, status, expected = status_of(value, year, d, baseline)
        results.append(IndicatorResult(
            indicator=d.code, number=d.number, name=d.short_name, numerator=num, denominator=den, value=value,
            target=target, status=status, expected=expected, baseline=baseline,
        ))
    pid = tree.parent[uid]
    return UnitIndicators(
        unit=tree.code[uid], unit_id=uid, name=tree.name[uid], unit_type=tree.unit_type[uid],
        parent=tree.code.get(pid) if pid else None, depth=tree.depth[uid], year=year, on=tree.on,
        reporting_units=round(totals.reports.get(uid, 0)), indicators=results,
    )
