"""Reads of the unit tree — and the one place that decides what a person sees and changes.

Every unit-scoped query in every app goes through `visible_unit_ids` (read) or
`require_capability` / `actionable_unit_ids` (write). Nothing else decides scope.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Q
from django.utils import timezone

from cyberyouth.errors import NotFound, ScopeError

from .models import ADMINISTRATIVE_TYPES, Role, RoleAssignment, Unit, UnitSuccession, UnitVersion


def today() -> date:
    return timezone.localdate()


# ---------------------------------------------------------------- the tree as of a date


@dataclass
class TreeNode:
    unit: Unit
    name: str
    parent_id: int | None
    children: list["TreeNode"] = field(default_factory=list)


def _versions_on(on: date):
    return UnitVersion.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on), valid_from__lte=on)


def parent_map(*, on: date) -> dict[int, int | None]:
    """unit id → parent id for every unit that exists on `on` (one query)."""
    return dict(_versions_on(on).values_list("unit_id", "parent_id"))


def children_map(*, on: date) -> dict[int | None, list[int]]:
    children: dict[int | None, list[int]] = defaultdict(list)
    for unit_id, parent_id in parent_map(on=on).items():
        children[parent_id].append(unit_id)
    return children


def descendant_ids(*, unit_ids, on: date, children: dict | None = None) -> set[int]:
    """The units and all units below them on `on` (inclusive)."""
    children = children if children is not None else children_map(on=on)
    seen: set[int] = set()
    stack = list(unit_ids)
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        stack.extend(children.get(current, ()))
    return seen


def ancestor_ids(*, unit_id: int, on: date) -> list[int]:
    """From the unit's parent up to the root, on `on`."""
    parents = parent_map(on=on)
    chain, current = [], parents.get(unit_id)
    while current is not None and current not in chain:
        chain.append(current)
        current = parents.get(current)
    return chain


def administrative_unit_of(*, unit: Unit, on: date) -> Unit:
    """The province, district, special zone or commune at or above `unit` on `on` (for a unit
    that had ceased by then, as it last stood): whose People's Committee speaks for its area."""
    day = on if unit.is_active_on(on) else (unit.last_day or on)
    if unit.unit_type in ADMINISTRATIVE_TYPES:
        return unit
    chain = ancestor_ids(unit_id=unit.id, on=day)
    by_id = {u.id: u for u in Unit.objects.filter(id__in=chain, unit_type__in=ADMINISTRATIVE_TYPES)}
    return next((by_id[i] for i in chain if i in by_id), unit)


def unit_tree(*, on: date, root_ids: set[int] | None = None, within: set[int] | None = None) -> list[TreeNode]:
    """The tree as it stood on `on`, names as of then. `within` limits it to a scope."""
    versions = list(_versions_on(on).select_related("unit"))
    nodes = {v.unit_id: TreeNode(unit=v.unit, name=v.name, parent_id=v.parent_id) for v in versions}
    if within is not None:
        nodes = {k: n for k, n in nodes.items() if k in within}
    roots: list[TreeNode] = []
    for node in nodes.values():
        parent = nodes.get(node.parent_id) if node.parent_id else None
        if parent is not None:
            parent.children.append(node)
        elif root_ids is None or node.unit.id in root_ids or within is not None:
            roots.append(node)
    for node in nodes.values():
        node.children.sort(key=_node_order)
    roots.sort(key=_node_order)
    return roots


def _node_order(node: TreeNode):
    from .models import SCHOOL_TYPES

    return (node.unit.unit_type in SCHOOL_TYPES, node.name)


def unit_name_on(*, unit: Unit, on: date) -> str:
    version = unit.versions.filter(valid_from__lte=on).order_by("-valid_from").first()
    return version.name if version else unit.name


def name_as_of(*, unit: Unit, on: date) -> str:
    """A unit's name on a date; for a unit that had ceased by then, its name on its last day."""
    return unit_name_on(unit=unit, on=on if unit.is_active_on(on) else (unit.last_day or on))


def unit_history(*, unit: Unit) -> dict:
    """A unit's versions, predecessors and successors, oldest first."""
    return {
        "versions": list(unit.versions.select_related("parent", "reorganisation").order_by("valid_from")),
        "predecessors": list(
            UnitSuccession.objects.filter(successor=unit).select_related("predecessor", "reorganisation")
        ),
        "successors": list(
            UnitSuccession.objects.filter(predecessor=unit).select_related("successor", "reorganisation")
        ),
    }


def predecessor_closure(*, unit_ids: set[int]) -> dict[int, set[int]]:
    """For each unit, every unit it succeeded, transitively (itself excluded)."""
    edges: dict[int, set[int]] = defaultdict(set)
    for pred, succ in UnitSuccession.objects.values_list("predecessor_id", "successor_id"):
        edges[succ].add(pred)
    result: dict[int, set[int]] = {}
    for uid in unit_ids:
        seen: set[int] = set()
        stack = list(edges.get(uid, ()))
        while stack:
            current = stack.pop()
            if current not in seen:
                seen.add(current)
                stack.extend(edges.get(current, ()))
        result[uid] = seen
    return result


# ---------------------------------------------------------------- scoping

# What each role may do on the units its assignment covers.
# Apps add the capability names they check here; roles are fixed by the plan (section V).
CAPABILITIES: dict[str, frozenset[str]] = {
    Role.ADMIN: frozenset({
        "unit.reorganise", "people.manage", "plan.manage", "progress.record", "audit.read",
        "period.manage", "indicator.manage", "data.enter", "data.approve", "channel.manage",
        "report.manage", "monitoring.manage", "report.read",
    }),
    Role.FOCAL_POINT: frozenset({"progress.record", "plan.child", "data.enter", "channel.manage", "report.school",
                                 "monitoring.school", "report.read"}),
    Role.YOUTH_UNION: frozenset({"progress.record", "campaign.manage", "channel.manage", "report.read"}),
    Role.MODERATOR: frozenset({"content.moderate"}),
    Role.COUNSELLOR: frozenset({"helpline.counsel"}),
    Role.LEADER: frozenset({"report.read"}),
    Role.STUDENT: frozenset({"student.participate"}),
}


def _in_force(assignments, on: date):
    return assignments.filter(valid_from__lte=on).filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on))


def active_roles(*, actor, on: date | None = None):
    if not getattr(actor, "is_authenticated", False):
        return RoleAssignment.objects.none()
    return _in_force(RoleAssignment.objects.filter(user=actor), on or today()).select_related("unit")


def role_holders(*, unit_ids, role: str, on: date | None = None):
    """Who holds `role` on these units on `on` (today) — people whose account is still active."""
    return (_in_force(RoleAssignment.objects.filter(unit_id__in=unit_ids, role=role, user__is_active=True),
                      on or today())
            .select_related("user").order_by("id"))


def _coverage(assignments, *, on: date) -> set[int]:
    """Units covered by role assignments: today's subtree of each live unit, or a ceased unit's
    subtree as of its last day; plus every predecessor (and its subtree as it last stood), so
    that a successor sees the history it carries on. The tree is read once per distinct day."""
    roots_by_day: dict[date, list[int]] = defaultdict(list)
    for a in assignments:
        if a.unit.is_active_on(on):
            roots_by_day[on].append(a.unit_id)
        elif a.unit.last_day:
            roots_by_day[a.unit.last_day].append(a.unit_id)
    covered = _subtrees_by_day(roots_by_day)
    if not covered:
        return covered
    preds = predecessor_closure(unit_ids=covered)
    extra = set().union(*preds.values()) - covered
    if extra:
        by_day: dict[date, list[int]] = defaultdict(list)
        for unit in Unit.objects.filter(id__in=extra).only("id", "valid_to"):
            by_day[unit.last_day or on].append(unit.id)
        covered |= _subtrees_by_day(by_day)
    return covered


def _subtrees_by_day(roots_by_day: dict[date, list[int]]) -> set[int]:
    covered: set[int] = set()
    for day, roots in roots_by_day.items():
        covered |= descendant_ids(unit_ids=roots, on=day)
    return covered


# Scope is asked for many times in one request (menu, view, selectors); it is remembered on
# the actor object (which lives for one request) until any unit, version, succession or role
# changes in this process.
_generation = [0]


def bump_scope_generation(**_kwargs) -> None:
    _generation[0] += 1


def _remembered(actor, key, compute):
    cache = actor.__dict__.setdefault("_cyberyouth_scope", {})
    full_key = (key, _generation[0], today())
    if full_key not in cache:
        if len(cache) > 32:
            cache.clear()
        cache[full_key] = compute()
    return set(cache[full_key])


def visible_unit_ids(*, actor) -> set[int]:
    """Every unit whose data `actor` may read, by the roles held today: today's subtrees plus
    the history they carry on (ceased predecessors and what stood under them). Reading the
    tree as of a past date filters this set; it never widens it. Superusers see everything."""
    if not getattr(actor, "is_authenticated", False):
        return set()
    if getattr(actor, "is_superuser", False):
        return _remembered(actor, "all", lambda: set(Unit.objects.values_list("id", flat=True)))
    on = today()
    return _remembered(actor, "visible", lambda: _coverage(list(active_roles(actor=actor, on=on)), on=on))


def actionable_unit_ids(*, actor, capability: str, on: date | None = None) -> set[int]:
    """Units on which `actor` holds `capability`. Only live units can be changed."""
    on = on or today()
    if not getattr(actor, "is_authenticated", False):
        return set()

    def compute():
        if getattr(actor, "is_superuser", False):
            return set(Unit.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on)).values_list("id", flat=True))
        granting = [a for a in active_roles(actor=actor, on=on) if capability in CAPABILITIES.get(a.role, ())]
        live = [a.unit_id for a in granting if a.unit.is_active_on(on)]
        return descendant_ids(unit_ids=live, on=on) if live else set()

    return _remembered(actor, ("actionable", capability, on), compute)


def has_capability(*, actor, capability: str, unit: Unit | None = None) -> bool:
    if unit is None:
        return bool(getattr(actor, "is_superuser", False)) or any(
            capability in CAPABILITIES.get(a.role, ()) for a in active_roles(actor=actor)
        )
    return unit.id in actionable_unit_ids(actor=actor, capability=capability)


def require_visible(*, actor, unit: Unit) -> None:
    if unit.id not in visible_unit_ids(actor=actor):
        raise ScopeError("Bạn không có quyền xem dữ liệu của đơn vị này.")


def require_capability(*, actor, capability: str, unit: Unit | None = None) -> None:
    if not has_capability(actor=actor, capability=capability, unit=unit):
        raise ScopeError("Bạn không có quyền thực hiện thao tác này với đơn vị này.")


def visible_units(*, actor):
    return Unit.objects.filter(id__in=visible_unit_ids(actor=actor))


def get_visible_unit(*, actor, code: str) -> Unit:
    """The unit with `code`, if `actor` may see it; the same 404 either way, so that codes
    of other schools cannot be probed."""
    unit = Unit.objects.filter(code=code).first()
    if unit is None or unit.id not in visible_unit_ids(actor=actor):
        raise NotFound("Không tìm thấy đơn vị.")
    return unit


def home_units(*, actor) -> list[Unit]:
    """The units an actor's roles sit on, to start their pages from."""
    seen, units = set(), []
    for a in active_roles(actor=actor):
        if a.unit_id not in seen:
            seen.add(a.unit_id)
            units.append(a.unit)
    return units


def day_before(d: date) -> date:
    return d - timedelta(days=1)


def recent_reorganisations(*, unit_ids: set[int], limit: int = 12):
    """Reorganisations (other than creations) that touched any of the units."""
    from .models import Reorganisation

    return (
        Reorganisation.objects.filter(Q(unitversion__unit_id__in=unit_ids) | Q(successions__predecessor_id__in=unit_ids))
        .exclude(kind=Reorganisation.Kind.CREATE)
        .distinct()
        .order_by("-effective_date", "-id")[:limit]
    )
