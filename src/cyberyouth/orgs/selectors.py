"""Reads of the unit tree — and the one place that decides what a person sees and changes.

Every unit-scoped query in every app goes through `unit_ids` / `scope` (which units, for which
capability, as of which date, with or without history) and `require` / `require_read` /
`get_unit` (refusals). The role table they read is `capabilities`. Nothing else decides scope.
"""

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, TypeVar

from django.db.models import Model, Q, QuerySet
from django.utils import timezone

from cyberyouth.errors import NotFound, ScopeError
from cyberyouth.lib.text import vi_key
from cyberyouth.lib.types import Actor

from . import capabilities
from .models import ADMINISTRATIVE_TYPES, Reorganisation, RoleAssignment, Unit, UnitSuccession, UnitVersion


M = TypeVar("M", bound=Model)


def today() -> date:
    return timezone.localdate()


# ---------------------------------------------------------------- the tree as of a date


@dataclass
class TreeNode:
    unit: Unit
    name: str
    parent_id: int | None
    children: list["TreeNode"] = field(default_factory=list)


def _versions_on(on: date) -> QuerySet[UnitVersion]:
    return UnitVersion.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on), valid_from__lte=on)


def parent_map(*, on: date) -> dict[int, int | None]:
    """unit id → parent id for every unit that exists on `on` (one query)."""
    return dict(_versions_on(on).values_list("unit_id", "parent_id"))


def children_map(*, on: date) -> dict[int | None, list[int]]:
    children: dict[int | None, list[int]] = defaultdict(list)
    for unit_id, parent_id in parent_map(on=on).items():
        children[parent_id].append(unit_id)
    return children


def descendant_ids(*, unit_ids: Iterable[int], on: date, children: dict[int | None, list[int]] | None = None
                   ) -> set[int]:
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


def _node_order(node: TreeNode) -> tuple[bool, Any]:
    from .models import SCHOOL_TYPES

    return (node.unit.unit_type in SCHOOL_TYPES, vi_key(node.name))


def unit_name_on(*, unit: Unit, on: date) -> str:
    version = unit.versions.filter(valid_from__lte=on).order_by("-valid_from").first()
    return version.name if version else unit.name


def name_as_of(*, unit: Unit, on: date) -> str:
    """A unit's name on a date; for a unit that had ceased by then, its name on its last day."""
    return unit_name_on(unit=unit, on=on if unit.is_active_on(on) else (unit.last_day or on))


def same_day_change(*, unit: Unit, on: date) -> UnitVersion | None:
    """The unit's version that a change dated `on` would amend (one that starts that day and is
    not the unit's creation), or None."""
    if on <= unit.valid_from:
        return None
    return unit.versions.filter(valid_from=on).select_related("reorganisation").first()


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

def _in_force(assignments: QuerySet[RoleAssignment], on: date) -> QuerySet[RoleAssignment]:
    return assignments.filter(valid_from__lte=on).filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on))


def active_roles(*, actor: Actor, on: date | None = None) -> QuerySet[RoleAssignment]:
    if not getattr(actor, "is_authenticated", False):
        return RoleAssignment.objects.none()
    return _in_force(RoleAssignment.objects.filter(user_id=actor.pk), on or today()).select_related("unit")


def role_holders(*, unit_ids: Iterable[int], role: str, on: date | None = None) -> QuerySet[RoleAssignment]:
    """Who holds `role` on these units on `on` (today) — people whose account is still active."""
    return (_in_force(RoleAssignment.objects.filter(unit_id__in=unit_ids, role=role, user__is_active=True),
                      on or today())
            .select_related("user").order_by("id"))


def capability_holders(*, unit: Unit, capability: str, on: date | None = None) -> list[Any]:
    """The people whose roles grant `capability` on `unit` on `on` (today): a role held on the unit
    or on a unit above it (a role covers its subtree) whose grant reaches the unit's type — the
    gate's rule read the other way, for telling the people who must act (an approver)."""
    on = on or today()
    roles = [role for role in capabilities.ROLE_CAPABILITIES
             if (grant := capabilities.grants(role, capability))[0] and (grant[1] is None or unit.unit_type in grant[1])]
    if not roles:
        return []
    above = [unit.id, *ancestor_ids(unit_id=unit.id, on=on)]
    assignments = _in_force(RoleAssignment.objects.filter(unit_id__in=above, role__in=roles, user__is_active=True), on)
    people: dict[int, Any] = {}
    for assignment in assignments.select_related("user").order_by("id"):
        people.setdefault(assignment.user_id, assignment.user)
    return list(people.values())


def _subtrees_by_day(roots_by_day: dict[date, list[int]]) -> set[int]:
    covered: set[int] = set()
    for day, roots in roots_by_day.items():
        covered |= descendant_ids(unit_ids=roots, on=day)
    return covered


def _with_history(covered: set[int], *, on: date, since: date | None = None) -> set[int]:
    """`covered` plus every unit it succeeded, transitively, each with its subtree as it last
    stood — the history a successor carries on. `since`: only predecessors that still existed
    on or after that day (a year's facts)."""
    if not covered:
        return covered
    preds = predecessor_closure(unit_ids=covered)
    extra = set().union(*preds.values()) - covered
    if not extra:
        return covered
    by_day: dict[date, list[int]] = defaultdict(list)
    for unit in Unit.objects.filter(id__in=extra).only("id", "valid_to"):
        last = unit.last_day or on
        if since is None or last >= since:
            by_day[min(last, on)].append(unit.id)
    return covered | _subtrees_by_day(by_day)


def _grant_roots(*, actor: Actor, capability: str, on: date) -> dict[frozenset[str] | None, list]:
    """The units from which `actor`'s roles grant `capability` on `on`, grouped by the unit
    types the grant is limited to (None: every type)."""
    groups: dict[frozenset[str] | None, list] = defaultdict(list)
    if not getattr(actor, "is_authenticated", False):
        return groups
    for assignment in active_roles(actor=actor, on=on):
        held, types = capabilities.grants(assignment.role, capability)
        if held:
            groups[types].append(assignment.unit)
    return groups


# Scope is asked for many times in one request (menu, view, selectors); it is remembered on
# the actor object (which lives for one request) until any unit, version, succession or role
# changes in this process.
_generation = [0]


def bump_scope_generation(**_kwargs: Any) -> None:
    _generation[0] += 1


def _remembered(actor: Actor, key: Hashable, compute: Callable[[], set[int]]) -> set[int]:
    cache = actor.__dict__.setdefault("_cyberyouth_scope", {})
    full_key = (key, _generation[0], today())
    if full_key not in cache:
        if len(cache) > 32:
            cache.clear()
        cache[full_key] = compute()
    return set(cache[full_key])


def unit_ids(*, actor: Actor, capability: str, on: date | None = None, history: bool = True) -> set[int]:
    """THE scope gate: the units on which `actor` holds `capability` on `on` (today).

    A role covers the subtree of the unit it sits on, as the tree stands on `on`. With
    `history` (reads), also a ceased unit's subtree as of its last day and every predecessor
    the covered units carry on, with its subtree as it last stood (Huyện Cát Hải's data for
    Đặc khu Cát Hải). Without it (writes), only units alive on `on`. A grant limited to unit
    types (see `capabilities`) keeps only those units.
    """
    on = on or today()

    def compute() -> set[int]:
        if getattr(actor, "is_superuser", False) and capabilities.grants(capabilities.SUPERUSER, capability)[0]:
            everything = Unit.objects.order_by()  # a set: no Vietnamese sort (a Python collation on SQLite)
            if not history:
                everything = everything.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on), valid_from__lte=on)
            return set(everything.values_list("id", flat=True))
        result: set[int] = set()
        for types, roots in _grant_roots(actor=actor, capability=capability, on=on).items():
            by_day: dict[date, list[int]] = defaultdict(list)
            for unit in roots:
                if unit.is_active_on(on):
                    by_day[on].append(unit.id)
                elif history and unit.last_day and unit.last_day < on:
                    by_day[unit.last_day].append(unit.id)
            covered = _subtrees_by_day(by_day)
            if history:
                covered = _with_history(covered, on=on)
            if types is not None and covered:
                covered = set(Unit.objects.filter(id__in=covered, unit_type__in=types).order_by()
                              .values_list("id", flat=True))
            result |= covered
        return result

    return _remembered(actor, ("units", capability, on, history), compute)


def subtree_ids(*, unit_ids: set[int], on: date | None = None, history: bool = True) -> set[int]:
    """The units below `unit_ids` on `on` (inclusive; a ceased unit's subtree as of its last
    day) and, with `history`, what they carry on — the coverage rule of `unit_ids` applied to
    units that are not a person's roles (a school granted access to the queue)."""
    on = on or today()
    by_day: dict[date, list[int]] = defaultdict(list)
    for unit in Unit.objects.filter(id__in=unit_ids).only("id", "valid_from", "valid_to"):
        if unit.is_active_on(on):
            by_day[on].append(unit.id)
        elif history and unit.last_day and unit.last_day < on:
            by_day[unit.last_day].append(unit.id)
    covered = _subtrees_by_day(by_day)
    return _with_history(covered, on=on) if history else covered


def scope(queryset: QuerySet[M], *, actor: Actor, capability: str, field: str = "unit", on: date | None = None,
          history: bool = True) -> QuerySet[M]:
    """`queryset` narrowed to rows whose `field` (a unit foreign key, or a path to one such as
    "assignment__unit") lies in `actor`'s scope for `capability`. Apps scope every unit-bound
    query through this, never by hand."""
    return queryset.filter(**{f"{field}__in": unit_ids(actor=actor, capability=capability, on=on,
                                                        history=history)})


def can(*, actor: Actor, capability: str, unit: Unit | None = None, on: date | None = None) -> bool:
    """Whether `actor` may use `capability` on `unit` (alive on `on`) — or, without a unit,
    anywhere at all (to offer a page or a menu entry)."""
    if unit is None:
        if getattr(actor, "is_superuser", False):
            return capability in capabilities.CAPABILITY_LABELS
        return any(capabilities.grants(a.role, capability)[0] for a in active_roles(actor=actor, on=on))
    return unit.id in unit_ids(actor=actor, capability=capability, on=on, history=False)


def own_unit_ids(*, actor: Actor, capability: str, on: date | None = None) -> set[int]:
    """The units `actor` answers for directly with `capability`: the live units their roles sit
    on — or, for a grant limited to unit types, the units of those types below (the Youth Union
    officer answers for the Union's units, not for the zone)."""
    on = on or today()
    own: set[int] = set()
    for types, roots in _grant_roots(actor=actor, capability=capability, on=on).items():
        if types is None:
            own |= {u.id for u in roots if u.is_active_on(on)}
        else:
            own |= unit_ids(actor=actor, capability=capability, on=on, history=False)
    return own


def capabilities_held(*, actor: Actor, on: date | None = None) -> set[str]:
    """Every capability `actor` holds somewhere on `on` (to offer menus and pages at all)."""
    roles = {a.role for a in active_roles(actor=actor, on=on)}
    if getattr(actor, "is_superuser", False):
        roles.add(capabilities.SUPERUSER)
    return capabilities.capabilities_of(roles)


def require(*, actor: Actor, capability: str, unit: Unit | None = None, read: str | None = None) -> None:
    """Refuse unless `actor` may use `capability` on `unit` (or anywhere, without a unit).

    A unit the actor may not even read (`read`, default "unit.read") answers NotFound — the
    same as a unit that does not exist, so that other schools cannot be probed; a unit the actor
    sees but may not act on answers ScopeError.
    """
    if unit is not None and unit.id not in unit_ids(actor=actor, capability=read or "unit.read"):
        raise NotFound("Không tìm thấy đơn vị.")
    if not can(actor=actor, capability=capability, unit=unit):
        raise ScopeError("Bạn không có quyền thực hiện thao tác này với đơn vị này.")


def require_read(*, actor: Actor, capability: str, unit: Unit) -> None:
    """Refuse (NotFound, the same as a missing unit) unless `actor` may read `capability`'s data
    of `unit`, history included."""
    if unit.id not in unit_ids(actor=actor, capability=capability):
        raise NotFound("Không tìm thấy đơn vị.")


def get_unit(*, actor: Actor, code: str, capability: str = "unit.read") -> Unit:
    """The unit with `code`, if `actor` may read its `capability` data; the same 404 either way,
    so that codes of other schools cannot be probed."""
    unit = Unit.objects.filter(code=code).first()
    if unit is None or unit.id not in unit_ids(actor=actor, capability=capability):
        raise NotFound("Không tìm thấy đơn vị.")
    return unit


def widest_unit(*, actor: Actor, capability: str) -> Unit | None:
    """The unit a page of figures opens on: the widest unit `actor` answers for with `capability`
    (the most units in its year) — or, for a system administrator who holds no role, the top of
    what they may read."""
    ids = own_unit_ids(actor=actor, capability=capability)
    if not ids:
        readable = unit_ids(actor=actor, capability=capability, history=False)
        ids = set(Unit.objects.filter(id__in=readable).exclude(parent_id__in=readable).order_by()
                  .values_list("id", flat=True))
    year = today().year
    return max(Unit.objects.filter(id__in=ids).order_by(),
               key=lambda u: (len(year_unit_ids(unit=u, year=year)), -u.pk), default=None)


def year_unit_ids(*, unit: Unit, year: int) -> set[int]:
    """The units whose year-`year` facts belong to `unit`: its subtree at the end of the year
    (or on its last day), plus the units it succeeded that still existed during the year, with
    their subtrees as they last stood (so a 2025 report of Đặc khu Cát Hải includes what Huyện
    Cát Hải's communes did before 1/7/2025)."""
    end = min(date(year, 12, 31), today())
    day = end if unit.is_active_on(end) else (unit.last_day or end)
    return _with_history(descendant_ids(unit_ids=[unit.id], on=day), on=end, since=date(year, 1, 1))


def successor_on(*, unit: Unit, on: date) -> Unit:
    """The unit that carries `unit` on at `on` (itself while it lives; else its successor with
    the largest share, transitively)."""
    seen = set()
    current = unit
    while not current.is_active_on(on) and current.id not in seen:
        seen.add(current.id)
        step = (UnitSuccession.objects.filter(predecessor=current, effective_date__lte=on)
                .select_related("successor").order_by("-share", "id").first())
        if step is None:
            break
        current = step.successor
    return current


def visible_units(*, actor: Actor, capability: str = "unit.read") -> QuerySet[Unit]:
    return Unit.objects.filter(id__in=unit_ids(actor=actor, capability=capability))


def home_units(*, actor: Actor) -> list[Unit]:
    """The units an actor's roles sit on, to start their pages from."""
    seen, units = set(), []
    for a in active_roles(actor=actor):
        if a.unit_id not in seen:
            seen.add(a.unit_id)
            units.append(a.unit)
    return units


def day_before(d: date) -> date:
    return d - timedelta(days=1)


def recent_reorganisations(*, unit_ids: set[int], limit: int = 12) -> QuerySet[Reorganisation]:
    """Reorganisations (other than creations) that touched any of the units."""
    return (
        Reorganisation.objects.filter(Q(unitversion__unit_id__in=unit_ids) | Q(successions__predecessor_id__in=unit_ids))
        .exclude(kind=Reorganisation.Kind.CREATE)
        .distinct()
        .order_by("-effective_date", "-id")[:limit]
    )


def search(*, actor: Actor, text: str) -> list[tuple[str, list]]:
    """The shell's search over units (unit.read) and people holding roles there (people.read)."""
    from django.urls import reverse

    from cyberyouth.lib.search import LIMIT, SearchHit
    from cyberyouth.lib.text import fold, matches

    units = [u for u in Unit.objects.filter(id__in=unit_ids(actor=actor, capability="unit.read"))
             if matches(text, u.name) or fold(text) == fold(u.code)]
    unit_hits = [SearchHit(u.name, reverse("orgs:unit", args=[u.code]), u.get_unit_type_display())
                 for u in sorted(units, key=lambda u: (not u.is_active_on(today()), vi_key(u.name)))[:LIMIT]]
    people_units = unit_ids(actor=actor, capability="people.read", history=False)
    assignments = [a for a in _in_force(RoleAssignment.objects.filter(unit_id__in=people_units), today())
                   .select_related("user", "unit") if matches(text, a.user.full_name, a.user.username)]
    people_hits = [SearchHit(f"{a.user.full_name or a.user.username} ({a.user.username})",
                             reverse("orgs:unit", args=[a.unit.code]), f"{a.get_role_display()} — {a.unit.name}")
                   for a in sorted(assignments, key=lambda a: vi_key(a.user.full_name or a.user.username))[:LIMIT]]
    return [("Đơn vị", unit_hits), ("Người dùng", people_hits)]
