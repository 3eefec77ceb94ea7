"""The scope gate (`orgs.selectors`) on a tree built here, with the cases the demo lacks:
a split with shares, a unit that ceased mid-year, a school that carries on a predecessor,
type-limited grants, roles that start and end, superusers through the table.

Each test pins one rule so that disabling the rule fails it (see docs/decisions.md for the
mutation run that checks this).
"""

from datetime import date
from decimal import Decimal

import pytest

from cyberyouth.errors import NotFound, ScopeError
from cyberyouth.orgs import capabilities, selectors, services
from cyberyouth.orgs.models import Role, RoleAssignment, Unit, UnitType, User
from cyberyouth.orgs.services import NewUnit

pytestmark = pytest.mark.django_db

START = date(2020, 1, 1)
SPLIT_DAY = date(2024, 7, 1)
MERGE_DAY = date(2025, 3, 1)


@pytest.fixture
def tree():
    """Tỉnh T ─ Huyện A (split 1/7/2024 into A1 60 % and A2 40 %) ─ Xã X (moves to A1)
             ├ Huyện C ─ Trường S (merged into Trường S2 on 1/3/2025), Trường S2
             ├ Đoàn A (youth union unit)
             └ Huyện B ─ Trường R (another district)"""
    root = User.objects.create(username="gate-root", is_superuser=True, is_staff=True)

    def make(code, name, unit_type, parent):
        return services.unit_create(actor=root, code=code, name=name, unit_type=unit_type, parent=parent,
                                    valid_from=START)

    t = services.unit_create(actor=root, code="g-t", name="Tỉnh T", unit_type=UnitType.PROVINCE, parent=None,
                             valid_from=START)
    a = make("g-a", "Huyện A", UnitType.DISTRICT, t)
    b = make("g-b", "Huyện B", UnitType.DISTRICT, t)
    x = make("g-x", "Xã X", UnitType.COMMUNE, a)
    c = make("g-c", "Huyện C", UnitType.DISTRICT, t)
    s = make("g-s", "Trường S", UnitType.LOWER_SECONDARY, c)
    s2 = make("g-s2", "Trường S2", UnitType.LOWER_SECONDARY, c)
    make("g-u", "Đoàn A", UnitType.YOUTH_UNION, t)
    make("g-r", "Trường R", UnitType.LOWER_SECONDARY, b)
    a1, a2 = services.unit_split(
        actor=root, source=a, effective_date=SPLIT_DAY,
        successors=[(NewUnit(code="g-a1", name="Huyện A1", unit_type=UnitType.DISTRICT), Decimal("0.6")),
                    (NewUnit(code="g-a2", name="Huyện A2", unit_type=UnitType.DISTRICT), Decimal("0.4"))],
        child_moves={x.id: "g-a1"})
    services.units_merge(actor=root, sources=[s], successor=s2, effective_date=MERGE_DAY)
    units = {u.code: u for u in Unit.objects.filter(code__startswith="g-")}
    units["root"] = root
    assert {a1.code, a2.code} == {"g-a1", "g-a2"}
    return units


def person(name: str, role: str, unit: Unit, *, since: date = START, until: date | None = None) -> User:
    user = User.objects.create(username=name)
    RoleAssignment.objects.create(user=user, role=role, unit=unit, valid_from=since, valid_to=until)
    selectors.bump_scope_generation()
    return user


def ids(tree, *codes) -> set[int]:
    return {tree[c].id for c in codes}


# ---------------------------------------------------------------- coverage and history


def test_a_role_covers_its_subtree_and_nothing_beside_it(tree):
    admin = person("p-b", Role.ADMIN, tree["g-b"])
    assert selectors.unit_ids(actor=admin, capability="plan.read") == ids(tree, "g-b", "g-r")


def test_a_successor_of_a_split_reads_the_history_of_what_it_carries_on(tree):
    admin = person("p-a1", Role.ADMIN, tree["g-a1"])
    reads = selectors.unit_ids(actor=admin, capability="plan.read")
    assert reads == ids(tree, "g-a1", "g-x", "g-a")  # Huyện A's history, Xã X now below A1
    # …but history is read, never changed
    assert selectors.unit_ids(actor=admin, capability="plan.manage", history=False) == ids(tree, "g-a1", "g-x")
    assert not selectors.can(actor=admin, capability="plan.manage", unit=tree["g-a"])
    assert selectors.can(actor=admin, capability="plan.manage", unit=tree["g-x"])
    with pytest.raises(ScopeError):  # seen (its history), not changeable
        selectors.require(actor=admin, capability="plan.manage", unit=tree["g-a"])
    # the other successor carries Huyện A on too, with A's subtree as it last stood: Xã X's
    # records of the years it stood under A are A's history (read only; X itself moved to A1)
    other = person("p-a2", Role.ADMIN, tree["g-a2"])
    assert selectors.unit_ids(actor=other, capability="plan.read") == ids(tree, "g-a2", "g-a", "g-x")
    assert selectors.unit_ids(actor=other, capability="plan.manage", history=False) == ids(tree, "g-a2")


def test_the_history_stands_as_it_was_before_the_split(tree):
    """A predecessor's subtree is taken as it last stood: Xã X was under Huyện A then."""
    assert selectors.subtree_ids(unit_ids={tree["g-a"].id}) == ids(tree, "g-a", "g-x")
    assert selectors.subtree_ids(unit_ids={tree["g-a1"].id}, history=False) == ids(tree, "g-a1", "g-x")


def test_a_merged_school_carries_on_its_predecessor(tree):
    focal = person("p-s2", Role.FOCAL_POINT, tree["g-s2"])
    assert selectors.unit_ids(actor=focal, capability="indicator.read") == ids(tree, "g-s2", "g-s")
    assert selectors.unit_ids(actor=focal, capability="data.enter", history=False) == ids(tree, "g-s2")


def test_a_role_on_a_unit_that_ceased_reads_it_as_it_last_stood_and_changes_nothing(tree):
    old = person("p-a", Role.ADMIN, tree["g-a"])
    assert selectors.unit_ids(actor=old, capability="plan.read") == ids(tree, "g-a", "g-x")
    assert selectors.unit_ids(actor=old, capability="plan.manage", history=False) == set()


def test_scope_as_of_a_past_date(tree):
    admin = person("p-t", Role.ADMIN, tree["g-t"])
    before_split = selectors.unit_ids(actor=admin, capability="plan.manage", on=date(2024, 1, 1), history=False)
    assert tree["g-a"].id in before_split and tree["g-a1"].id not in before_split
    after = selectors.unit_ids(actor=admin, capability="plan.manage", history=False)
    assert tree["g-a"].id not in after and {tree["g-a1"].id, tree["g-a2"].id} <= after


def test_year_units_follow_what_existed_during_the_year(tree):
    """A year's facts of Trường S2 include Trường S in 2025 (it ceased on 1/3/2025) and 2024,
    and a predecessor that ceased before the year began is not part of it."""
    assert selectors.year_unit_ids(unit=tree["g-s2"], year=2025) == ids(tree, "g-s2", "g-s")
    assert selectors.year_unit_ids(unit=tree["g-a1"], year=2024) == ids(tree, "g-a1", "g-x", "g-a")
    assert selectors.year_unit_ids(unit=tree["g-a1"], year=2025) == ids(tree, "g-a1", "g-x")
    # a unit that ceased answers for its year with its subtree as it last stood
    assert selectors.year_unit_ids(unit=tree["g-a"], year=2024) == ids(tree, "g-a", "g-x")


def test_the_successor_of_a_split_is_the_largest_share(tree):
    assert selectors.successor_on(unit=tree["g-a"], on=date(2026, 1, 1)) == tree["g-a1"]
    assert selectors.successor_on(unit=tree["g-a"], on=date(2024, 1, 1)) == tree["g-a"]
    assert selectors.successor_on(unit=tree["g-s"], on=date(2026, 1, 1)) == tree["g-s2"]


# ---------------------------------------------------------------- capabilities, grants and time


def test_reading_needs_a_capability_not_only_a_role(tree):
    student = person("p-st", Role.STUDENT, tree["g-r"])
    moderator = person("p-mod", Role.MODERATOR, tree["g-b"])
    for actor in (student, moderator):
        assert selectors.unit_ids(actor=actor, capability="indicator.read") == set()
        assert selectors.unit_ids(actor=actor, capability="progress.read") == set()
    assert selectors.unit_ids(actor=student, capability="unit.read") == ids(tree, "g-r")


def test_a_grant_limited_to_unit_types_reaches_only_those(tree):
    union = person("p-u", Role.YOUTH_UNION, tree["g-t"])
    assert selectors.unit_ids(actor=union, capability="progress.record", history=False) == ids(tree, "g-u")
    assert tree["g-r"].id in selectors.unit_ids(actor=union, capability="channel.read")
    assert selectors.own_unit_ids(actor=union, capability="progress.record") == ids(tree, "g-u")
    focal = person("p-r", Role.FOCAL_POINT, tree["g-r"])
    assert selectors.own_unit_ids(actor=focal, capability="progress.record") == ids(tree, "g-r")


def test_roles_count_only_while_in_force(tree):
    later = person("p-later", Role.ADMIN, tree["g-b"], since=date(2099, 1, 1))
    ended = person("p-ended", Role.ADMIN, tree["g-b"], until=date(2021, 1, 1))
    for actor in (later, ended):
        assert selectors.unit_ids(actor=actor, capability="plan.read") == set()
        assert not selectors.can(actor=actor, capability="plan.read")
    assert selectors.unit_ids(actor=ended, capability="plan.read", on=date(2020, 6, 1)) == ids(tree, "g-b", "g-r")


def test_a_new_role_takes_effect_at_once(tree):
    user = person("p-grow", Role.FOCAL_POINT, tree["g-r"])
    assert selectors.unit_ids(actor=user, capability="plan.read") == ids(tree, "g-r")
    services.role_grant(actor=tree["root"], user=user, role=Role.ADMIN, unit=tree["g-b"])
    assert selectors.unit_ids(actor=user, capability="plan.read") == ids(tree, "g-b", "g-r")


def test_superusers_hold_everything_through_the_table(tree):
    root = tree["root"]
    assert capabilities.grants(capabilities.SUPERUSER, "anything.at.all") == (True, None)
    assert set(Unit.objects.values_list("id", flat=True)) == selectors.unit_ids(actor=root, capability="plan.read")
    live = selectors.unit_ids(actor=root, capability="plan.manage", history=False)
    assert tree["g-a"].id not in live and tree["g-a1"].id in live
    assert selectors.can(actor=root, capability="system.manage")
    assert "system.manage" in selectors.capabilities_held(actor=root)


def test_no_role_holds_what_only_system_administrators_hold(tree):
    assert all("system.manage" not in table for table in capabilities.ROLE_CAPABILITIES.values())
    admin = person("p-adm", Role.ADMIN, tree["g-t"])
    assert not selectors.can(actor=admin, capability="system.manage")
    assert "system.manage" not in selectors.capabilities_held(actor=admin)


def test_anonymous_people_hold_nothing(tree):
    from django.contrib.auth.models import AnonymousUser

    anonymous = AnonymousUser()
    assert selectors.unit_ids(actor=anonymous, capability="unit.read") == set()
    assert not selectors.can(actor=anonymous, capability="unit.read")
    assert selectors.capabilities_held(actor=anonymous) == set()


# ---------------------------------------------------------------- refusals and querysets


def test_refusals_say_what_they_are(tree):
    focal = person("p-r2", Role.FOCAL_POINT, tree["g-r"])
    leader = person("p-lead", Role.LEADER, tree["g-b"])
    with pytest.raises(NotFound):  # another school: not even seen
        selectors.require(actor=focal, capability="data.enter", unit=tree["g-s2"])
    with pytest.raises(ScopeError):  # seen, but a leader changes nothing
        selectors.require(actor=leader, capability="data.enter", unit=tree["g-r"])
    with pytest.raises(ScopeError):  # no unit: the function is not for this role at all
        selectors.require(actor=leader, capability="data.enter")
    selectors.require(actor=focal, capability="data.enter", unit=tree["g-r"])
    selectors.require(actor=leader, capability="indicator.read")
    with pytest.raises(NotFound):
        selectors.require_read(actor=focal, capability="indicator.read", unit=tree["g-s2"])
    selectors.require_read(actor=leader, capability="indicator.read", unit=tree["g-r"])
    with pytest.raises(NotFound):
        selectors.get_unit(actor=focal, code="g-s2")
    with pytest.raises(NotFound):
        selectors.get_unit(actor=focal, code="no-such-unit")
    assert selectors.get_unit(actor=focal, code="g-r") == tree["g-r"]


def test_scope_narrows_a_queryset_by_its_unit_field(tree):
    from cyberyouth.channels.models import Channel

    for code in ("g-r", "g-s2", "g-s"):
        Channel.objects.create(owner_unit=tree[code], platform="website", name=code, address=f"https://{code}.vn")
    focal = person("p-s2b", Role.FOCAL_POINT, tree["g-s2"])
    seen = selectors.scope(Channel.objects.all(), actor=focal, capability="channel.read", field="owner_unit")
    assert set(seen.values_list("name", flat=True)) == {"g-s2", "g-s"}
    changeable = selectors.scope(Channel.objects.all(), actor=focal, capability="channel.manage",
                                 field="owner_unit", history=False)
    assert set(changeable.values_list("name", flat=True)) == {"g-s2"}


def test_can_without_a_unit_asks_whether_the_role_has_it_anywhere(tree):
    focal = person("p-r3", Role.FOCAL_POINT, tree["g-r"])
    assert selectors.can(actor=focal, capability="data.enter")
    assert not selectors.can(actor=focal, capability="data.approve")
    assert selectors.can(actor=focal, capability="data.enter", unit=tree["g-r"])
    assert not selectors.can(actor=focal, capability="data.enter", unit=tree["g-s2"])
    assert {"data.enter", "plan.read"} <= selectors.capabilities_held(actor=focal)
    assert "data.approve" not in selectors.capabilities_held(actor=focal)


def test_a_school_granted_the_queue_reads_its_predecessors_items(tree):
    from cyberyouth.monitoring import scope
    from cyberyouth.monitoring.models import QueueAccess

    focal = person("p-s2c", Role.FOCAL_POINT, tree["g-s2"])
    assert scope.readable_unit_ids(actor=focal) == set()  # not granted yet
    QueueAccess.objects.create(unit=tree["g-s2"], granted_by=tree["root"])
    assert scope.readable_unit_ids(actor=focal) == ids(tree, "g-s2", "g-s")
    moderator = person("p-mod2", Role.MODERATOR, tree["g-a1"])
    assert scope.moderated_unit_ids(actor=moderator) == ids(tree, "g-a1", "g-x", "g-a")
    assert scope.statistics_unit_ids(actor=moderator) == ids(tree, "g-a1", "g-x", "g-a")
    assert scope.managed_unit_ids(actor=moderator) == set()


# ---------------------------------------------------------------- the gate read the other way


def test_capability_holders_are_the_people_the_gate_lets_act_on_the_unit(tree):
    """Who must act on a unit (an approver) is read by the gate's own rule: roles on the unit or
    above it, grants limited to types, roles in force, active accounts."""
    above = person("h-above", Role.FOCAL_POINT, tree["g-c"])
    own = person("h-own", Role.FOCAL_POINT, tree["g-s2"])
    beside = person("h-beside", Role.FOCAL_POINT, tree["g-r"])
    union = person("h-union", Role.YOUTH_UNION, tree["g-t"])  # contest.manage only on youth union units
    ended = person("h-ended", Role.FOCAL_POINT, tree["g-s2"], until=date(2024, 1, 1))
    gone = person("h-gone", Role.FOCAL_POINT, tree["g-s2"])
    User.objects.filter(pk=gone.pk).update(is_active=False)
    on = date(2026, 1, 1)
    school = {u.username for u in selectors.capability_holders(unit=tree["g-s2"], capability="contest.manage", on=on)}
    assert school == {above.username, own.username}
    assert beside.username not in school and union.username not in school and ended.username not in school
    youth = {u.username for u in selectors.capability_holders(unit=tree["g-u"], capability="contest.manage", on=on)}
    assert youth == {union.username}
    for holder in selectors.capability_holders(unit=tree["g-s2"], capability="contest.manage", on=on):
        assert tree["g-s2"].id in selectors.unit_ids(actor=holder, capability="contest.manage", on=on)
