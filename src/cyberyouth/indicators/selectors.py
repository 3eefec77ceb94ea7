"""Reads of indicators: computed values, completeness, notes, series — scoped through orgs.selectors.

The public contract (the dashboard, the CLI `cyberyouth indicators compute`, the API and the
reports app all read through these, so a number is the same everywhere):

    compute_indicators(*, actor, year, unit=None, on=None, depth=None) -> list[UnitIndicators]
    completeness(*, actor, year, unit=None) -> Completeness
    submission_notes(*, actor, year, unit=None) -> list[SubmissionNote]
    indicator_series(*, actor, unit, years=range(2023, 2031), on=None) -> list[IndicatorSeries]
    indicator_breakdown(*, actor, year, unit, indicator, on=None) -> list[Contribution]

Every result is a plain dataclass with `as_dict()` (JSON-able).

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
import threading
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date, datetime

import numpy as np
from django.db.models import Q
from django.utils import timezone

from cyberyouth.errors import DomainError, NotFound
from cyberyouth.lib.collation import Vietnamese
from cyberyouth.lib.text import vi_key
from cyberyouth.orgs import selectors as org_selectors
from cyberyouth.orgs.models import Reorganisation, Role, Unit, UnitSuccession, UnitVersion

from .formulas import compile_formula
from .models import (
    Comparator, DataElement, DataValue, DefinitionsVersion, EvidenceFile, FormElement, Indicator, Milestone, Period,
    ReportForm, Submission, SubmissionStatus,
)

PROGRAMME_YEARS = range(2023, 2031)
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
            "numerator": _num(self.numerator), "denominator": _num(self.denominator),
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


def _num(x: float):
    return int(x) if float(x).is_integer() else round(x, 4)


# ---------------------------------------------------------------- definitions (cached per process)


@dataclass
class _Definition:
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


_lock = threading.Lock()
_cache: dict = {}


def _stamp(years: tuple[int, ...] = ()) -> tuple:
    """Changes whenever a figure could: a submission saved, the tree reorganised, the
    definitions changed. One round trip over indexed maxima (submissions are never deleted)."""
    from django.db import connection

    tables = {
        "sub": Submission._meta.db_table, "reorg": Reorganisation._meta.db_table,
        "ver": UnitVersion._meta.db_table, "succ": UnitSuccession._meta.db_table,
        "mil": Milestone._meta.db_table, "ind": Indicator._meta.db_table,
    }
    qn = connection.ops.quote_name
    sql = "SELECT " + ", ".join([
        f"(SELECT MAX({qn('updated_at')}) FROM {qn(tables['sub'])})",
        *[f"(SELECT MAX({qn('id')}) FROM {qn(t)})" for t in tables.values()],
        f"(SELECT MAX({qn('version')}) FROM {qn(DefinitionsVersion._meta.db_table)})",
    ])
    with connection.cursor() as cursor:
        cursor.execute(sql)
        row = tuple(cursor.fetchone())
    return row + (_definitions_version,)


_definitions_version = 0


def invalidate_cache() -> None:
    """Called by services after definitions change in place (same ids)."""
    global _definitions_version
    with _lock:
        _definitions_version += 1
        _cache.clear()


def definitions() -> list[_Definition]:
    out = []
    milestones = defaultdict(list)
    for m in Milestone.objects.order_by("year"):
        milestones[m.indicator_id].append(Target(m.year, float(m.value), m.comparator, m.strive))
    for ind in Indicator.objects.order_by("number"):
        out.append(_Definition(
            id=ind.id, code=ind.code, number=ind.number, name=ind.name, short_name=ind.short_name,
            numerator=compile_formula(ind.numerator), denominator=compile_formula(ind.denominator),
            unit_types=frozenset(ind.unit_types), factor=ind.factor, baseline_year=ind.baseline_year,
            milestones=milestones[ind.id],
            signature=(ind.code, ind.numerator, ind.denominator, sorted(ind.unit_types)),
        ))
    return out


def definitions_signature(defs: list[_Definition]) -> str:
    """Identifies what a stored `Submission.figures` was computed for."""
    import hashlib

    return hashlib.sha1(json.dumps([d.signature for d in defs]).encode()).hexdigest()


def figures_for(values: dict, unit_type: str, defs: list[_Definition]) -> dict[str, list[float]] | None:
    """A reporting unit's own [numerator, denominator] per indicator that applies to its type."""
    out = {d.code: [float(d.numerator(values)), float(d.denominator(values))] for d in defs
           if unit_type in d.unit_types}
    return out or None


# ---------------------------------------------------------------- the aggregation


@dataclass
class _Tree:
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


def _tree(on: date) -> _Tree:
    """The tree standing on `on` (cached per process while no reorganisation happens)."""
    stamp = _stamp()[2:4]
    with _lock:
        hit = _cache.get(("tree", on))
        if hit is not None and hit[0] == stamp:
            return hit[1]
    tree = _build_tree(on)
    _remember(("tree", on), stamp, tree)
    return tree


def _build_tree(on: date) -> _Tree:
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
    return _Tree(on=on, parent=parent, name=name, code=code, unit_type=utype, order=order, depth=depth,
                 index=index, levels=levels)


def _successor_weights(tree: _Tree) -> dict[int, list[tuple[int, float]]]:
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
class _Totals:
    tree: _Tree
    defs: list[_Definition]
    # unit id → [num_1, den_1, num_2, den_2, …] summed over the subtree, and approved reports counted
    sums: "_MatrixRows"      # .get(uid) → [num_1, den_1, …] summed over the subtree
    reports: "_MatrixRows"   # .get(uid) → approved reports counted (weighted after splits)
    relevant: set[int]
    applicable: dict[int, int]  # unit id → bitmask of indicators that apply to it or below it
    # reporting unit id → its own [num, den, …] (before moving to successors), for the breakdown
    leaves: dict[int, list[float]]
    leaf_targets: dict[int, list[tuple[int, float]]]
    rows: dict[int, "UnitIndicators"] = field(default_factory=dict)  # computed rows, memoised


def _leaf_figures(year: int, defs: list[_Definition]) -> tuple[dict[int, list[float]], dict[int, str]]:
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


def _totals(year: int, on: date) -> _Totals:
    key = (year, on)
    stamp = _stamp()
    with _lock:
        hit = _cache.get(key)
        if hit is not None and hit[0] == stamp:
            return hit[1]
    defs = definitions()
    tree = _tree(on)
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
    sums = _MatrixRows(index, matrix)
    reports = _MatrixRows(index, counts)
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
    result = _Totals(tree=tree, defs=defs, sums=sums, reports=reports, relevant=relevant,
                     applicable=applicable, leaves=leaves,
                     leaf_targets=leaf_targets)
    _remember(key, stamp, result)
    return result


def _remember(key, stamp, value) -> None:
    with _lock:
        _cache.pop(key, None)
        _cache[key] = (stamp, value)
        while len(_cache) > 32:  # the oldest first (dicts keep insertion order)
            _cache.pop(next(iter(_cache)))


class _MatrixRows:
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


def _status(value: float | None, year: int, d: _Definition, baseline: float | None) -> tuple[Target | None, str,
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


def _path_value(year: int, d: _Definition, baseline: float | None) -> float | None:
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


def _scope(actor, tree: _Tree, unit: Unit | None, visible: set[int] | None = None,
           depth: int | None = None) -> tuple[list[int], int | None]:
    """Units of `tree` the actor sees: all, or `unit` and those below it (`depth` levels at most)."""
    if visible is None:
        visible = org_selectors.visible_unit_ids(actor=actor)
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


def _children(tree: _Tree) -> dict[int | None, list[int]]:
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
    totals = _totals(year, on)
    tree = totals.tree
    scope, root = _scope(actor, tree, unit, visible, depth if unit is not None else None)
    baselines: dict[int, _Totals] = {}
    for d in totals.defs:
        if d.baseline_year != year and d.baseline_year not in baselines:
            baselines[d.baseline_year] = _totals(d.baseline_year, on)
    root_depth = tree.depth[root] if root is not None else 0
    scope_set = set(scope)
    rows = []
    for uid in sorted(scope, key=lambda u: (tree.depth[u], vi_key(tree.name[u]))):
        if uid not in totals.relevant:
            continue
        if depth is not None and tree.depth[uid] - root_depth > depth:
            continue
        rows.append(_unit_row(uid, year, totals, baselines))
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


def _unit_row(uid: int, year: int, totals: _Totals, baselines: dict[int, _Totals]) -> UnitIndicators:
    """A unit's row (memoised on the totals it comes from: they are rebuilt when anything changes)."""
    row = totals.rows.get(uid)
    if row is None:
        row = totals.rows[uid] = _build_unit_row(uid, year, totals, baselines)
    return row


def _build_unit_row(uid: int, year: int, totals: _Totals, baselines: dict[int, _Totals]) -> UnitIndicators:
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
        target, status, expected = _status(value, year, d, baseline)
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


# ---------------------------------------------------------------- series and breakdown


@dataclass(slots=True)
class SeriesPoint:
    year: int
    numerator: float
    denominator: float
    value: float | None
    status: str

    def as_dict(self) -> dict:
        return {"year": self.year, "numerator": _num(self.numerator), "denominator": _num(self.denominator),
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
    if unit.id not in (visible if visible is not None else org_selectors.visible_unit_ids(actor=actor)):
        raise NotFound("Không tìm thấy đơn vị.")
    series: dict[str, IndicatorSeries] = {}
    for year in years:
        totals = _totals(year, on)
        if unit.id not in totals.tree.parent:
            continue
        baselines = {d.baseline_year: _totals(d.baseline_year, on) for d in totals.defs if d.baseline_year != year}
        row = _unit_row(unit.id, year, totals, baselines)
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
        return {"unit": self.unit, "name": self.name, "weight": self.weight, "numerator": _num(self.numerator),
                "denominator": _num(self.denominator),
                "value": None if self.value is None else round(self.value, 2), "submission_id": self.submission_id}


def indicator_breakdown(*, actor, year: int, unit: Unit, indicator: str, on: date | None = None) -> list[Contribution]:
    """The approved reports behind `unit`'s figure for one indicator: the data behind the number."""
    on = _unit_on(unit, on or default_on(year))
    totals = _totals(year, on)
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
                       visible: set[int] | None = None) -> tuple[Period | None, list[int], _Tree]:
    """Units that owe a report for `year`: in scope, standing at the deadline, with a form for their type."""
    period = Period.objects.filter(year=year).first()
    on = _unit_on(unit, min(period.deadline if period else date(check_year(year), 12, 31), org_selectors.today()))
    tree = _tree(on)
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
    stamp = _stamp()
    with _lock:
        hit = _cache.get(key)
        if hit is not None and hit[0] == stamp:
            return hit[1]
    sent = {unit_id: (timezone.localtime(first).date(), status == SubmissionStatus.APPROVED)
            for unit_id, first, status in Submission.objects.filter(year=year, first_submitted_at__isnull=False)
            .values_list("unit_id", "first_submitted_at", "status")}
    _remember(key, stamp, sent)
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
        org_selectors.require_visible(actor=actor, unit=unit)
        below = org_selectors.descendant_ids(unit_ids=[unit.id], on=_unit_on(unit, default_on(year)))
        below |= set().union(*org_selectors.predecessor_closure(unit_ids=below).values()) if below else set()
        qs = qs.filter(unit_id__in=below)
    return [SubmissionNote(unit=s.unit.code, name=s.unit.name, year=s.year, status=s.status, note=s.note,
                           return_comment=s.return_comment, submitted_at=s.submitted_at)
            for s in qs.select_related("unit").order_by(Vietnamese("unit__name"))]


# ---------------------------------------------------------------- submissions and values


def submissions_visible(*, actor):
    return Submission.objects.filter(unit_id__in=org_selectors.visible_unit_ids(actor=actor))


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
    """Rows for the CSV export: (unit code, year, element code, value, status, last change)."""
    qs = DataValue.objects.filter(submission__unit_id__in=org_selectors.visible_unit_ids(actor=actor))
    if year is not None:
        qs = qs.filter(submission__year=year)
    if unit is not None:
        org_selectors.require_visible(actor=actor, unit=unit)
        on = _unit_on(unit, default_on(year) if year else org_selectors.today())
        qs = qs.filter(submission__unit_id__in=org_selectors.descendant_ids(unit_ids=[unit.id], on=on))
    return qs.order_by("submission__unit__code", "submission__year", "element__code").values_list(
        "submission__unit__code", "submission__year", "element__code", "value", "submission__status", "updated_at")


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


def dashboard_roots(*, actor, on: date | None = None) -> list[Unit]:
    """Where an actor's dashboard starts: the top units of their scope standing on `on` (today)."""
    visible = org_selectors.visible_unit_ids(actor=actor)
    parents = org_selectors.parent_map(on=on or org_selectors.today())
    roots = [u for u in parents if u in visible and parents[u] not in visible]
    return list(Unit.objects.filter(id__in=roots).order_by(Vietnamese("name")))


def dashboard(*, actor, year: int, unit: Unit, with_series: bool = True) -> Dashboard:
    """The dashboard of `unit` for `year` (NotFound outside the actor's scope)."""
    visible = org_selectors.visible_unit_ids(actor=actor)  # once, for every part below
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
