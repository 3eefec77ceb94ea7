"""Aggregation up the tree and across reorganisations: a merge and a split across years."""

from datetime import date
from decimal import Decimal

import pytest

from cyberyouth.indicators import aggregation, selectors, services
from cyberyouth.orgs import services as org_services
from cyberyouth.orgs.models import UnitType
from cyberyouth.training.demo import figures_records

pytestmark = pytest.mark.django_db
BEFORE = date(2020, 1, 1)
CHANGE = date(2024, 7, 1)


def _vocational(actor, year, unit, *, members, studied, staff=10, trained=5, teaches=1, enrolled=100, ack=80):
    # indicators 2 and 3 come from the training app's records (its provider fills the report)
    figures_records(unit=unit, year=year, members=members, studied=studied, staff=staff, trained=trained)
    values = {"students_enrolled": enrolled, "students_cc_reached": ack, "students_cc_ack": ack,
              "union_new_members": members, "union_new_studied": studied, "staff_student_work": staff,
              "staff_trained": trained, "teaches_safety": teaches}
    return services.history_import(actor=actor, unit=unit, year=year, values=values,
                                   evidence={"teaches_safety": "KH 1/KH"} if teaches else {},
                                   first_submitted_at=None, approved_at=None)


def _row(rows, code):
    return next(r for r in rows if r.unit == code)


def _ind(row, number):
    return next(i for i in row.indicators if i.number == number)


@pytest.fixture
def tree(people):
    admin = people["sysadmin"]
    root = org_services.unit_create(actor=admin, code="t-prov", name="Tỉnh Thử", unit_type=UnitType.PROVINCE,
                                    parent=None, valid_from=BEFORE)
    c1 = org_services.unit_create(actor=admin, code="t-c1", name="Xã Một", unit_type=UnitType.COMMUNE, parent=root,
                                  valid_from=BEFORE)
    c2 = org_services.unit_create(actor=admin, code="t-c2", name="Xã Hai", unit_type=UnitType.COMMUNE, parent=root,
                                  valid_from=BEFORE)
    v1 = org_services.unit_create(actor=admin, code="t-v1", name="Trung tâm Một", unit_type=UnitType.VOCATIONAL_CENTRE,
                                  parent=c1, valid_from=BEFORE)
    v2 = org_services.unit_create(actor=admin, code="t-v2", name="Trung tâm Hai", unit_type=UnitType.VOCATIONAL_CENTRE,
                                  parent=c2, valid_from=BEFORE)
    return {"admin": admin, "root": root, "c1": c1, "c2": c2, "v1": v1, "v2": v2}


def _approve_all(year, *units):
    from cyberyouth.indicators.models import Submission, SubmissionStatus

    Submission.objects.filter(year=year, unit__in=units).update(status=SubmissionStatus.APPROVED)


def test_merge_rolls_history_up_to_the_successor_in_later_views(tree):
    admin, v1, v2 = tree["admin"], tree["v1"], tree["v2"]
    _vocational(admin, 2023, v1, members=40, studied=20)
    _vocational(admin, 2023, v2, members=60, studied=30)
    org_services.units_merge(actor=admin, sources=[v1], successor=v2, effective_date=CHANGE)
    c3 = org_services.units_merge(actor=admin, sources=[tree["c1"], tree["c2"]], effective_date=CHANGE,
                                  parent=tree["root"],
                                  new_unit=org_services.NewUnit("t-c3", "Xã Mới", UnitType.COMMUNE))
    _vocational(admin, 2024, v2, members=100, studied=90)

    # 2023 as it was then: two communes, two centres.
    rows_2023 = selectors.compute_indicators(actor=admin, year=2023, unit=tree["root"])
    assert {r.unit for r in rows_2023} == {"t-prov", "t-c1", "t-c2", "t-v1", "t-v2"}
    assert (_ind(_row(rows_2023, "t-c1"), 2).numerator, _ind(_row(rows_2023, "t-c1"), 2).denominator) == (20, 40)
    assert _ind(_row(rows_2023, "t-prov"), 2).value == pytest.approx(50.0)
    assert _ind(_row(rows_2023, "t-prov"), 4).denominator == 2  # two institutions then

    # 2023 seen on today's tree: the merged centre's history counts under its successor.
    today_rows = selectors.compute_indicators(actor=admin, year=2023, unit=tree["root"], on=date(2025, 1, 1))
    assert {r.unit for r in today_rows} == {"t-prov", "t-c3", "t-v2"}
    assert (_ind(_row(today_rows, "t-v2"), 2).numerator, _ind(_row(today_rows, "t-v2"), 2).denominator) == (50, 100)
    assert _ind(_row(today_rows, "t-c3"), 2).denominator == 100

    # The successor commune's series runs across the merge.
    series = {s.number: s for s in selectors.indicator_series(actor=admin, unit=c3, years=range(2023, 2025))}
    assert [p.value for p in series[2].points] == [pytest.approx(50.0), pytest.approx(90.0)]
    # The breakdown names the reports behind the number, the ceased centre included.
    behind = selectors.indicator_breakdown(actor=admin, year=2023, unit=c3, indicator="ct2-doan-vien-moi")
    assert {c.unit for c in behind} == {"t-v1", "t-v2"}


def test_split_hands_each_successor_its_share(tree):
    admin, v1 = tree["admin"], tree["v1"]
    _vocational(admin, 2023, v1, members=50, studied=40, staff=10, trained=10)
    new_a, new_b = org_services.unit_split(
        actor=admin, source=v1, effective_date=CHANGE,
        successors=[(org_services.NewUnit("t-v1a", "Trung tâm Một A", UnitType.VOCATIONAL_CENTRE), Decimal("0.6")),
                    (org_services.NewUnit("t-v1b", "Trung tâm Một B", UnitType.VOCATIONAL_CENTRE), Decimal("0.4"))])
    rows = selectors.compute_indicators(actor=admin, year=2023, unit=tree["root"], on=date(2025, 1, 1))
    a, b, c1 = _row(rows, "t-v1a"), _row(rows, "t-v1b"), _row(rows, "t-c1")
    assert (_ind(a, 2).numerator, _ind(a, 2).denominator) == (pytest.approx(24), pytest.approx(30))
    assert (_ind(b, 2).numerator, _ind(b, 2).denominator) == (pytest.approx(16), pytest.approx(20))
    assert _ind(b, 2).value == pytest.approx(80.0)
    # shares add up: nothing lost, nothing counted twice
    assert (_ind(c1, 2).numerator, _ind(c1, 2).denominator) == (pytest.approx(40), pytest.approx(50))
    assert _ind(c1, 4).denominator == pytest.approx(1.0)
    # before the split the source stands alone
    then = selectors.compute_indicators(actor=admin, year=2023, unit=tree["c1"])
    assert [r.unit for r in then] == ["t-c1", "t-v1"]
    assert new_a.parent_id == tree["c1"].id and new_b.parent_id == tree["c1"].id


def test_only_approved_reports_count_and_status_follows_the_path(tree, people):
    admin, v1, v2 = tree["admin"], tree["v1"], tree["v2"]
    from cyberyouth.indicators.models import SubmissionStatus

    figures_records(unit=v1, year=2023, members=10, studied=1, staff=1, trained=1)
    services.history_import(actor=admin, unit=v1, year=2023, status=SubmissionStatus.SUBMITTED, values={
        "students_enrolled": 10, "students_cc_reached": 5, "students_cc_ack": 5, "union_new_members": 10,
        "union_new_studied": 1, "staff_student_work": 1, "staff_trained": 1, "teaches_safety": 0})
    _vocational(admin, 2023, v2, members=100, studied=50)   # baseline 50 %
    _vocational(admin, 2024, v2, members=100, studied=70)   # path 2023 50 → 2025 80: 2024 expects 65
    rows = selectors.compute_indicators(actor=admin, year=2023, unit=tree["root"])
    assert _ind(_row(rows, "t-v1"), 2).status == "no_data"   # submitted, not approved
    assert _row(rows, "t-prov").reporting_units == 1
    r2024 = _ind(_row(selectors.compute_indicators(actor=admin, year=2024, unit=v2), "t-v2"), 2)
    assert r2024.expected == pytest.approx(65.0)
    assert r2024.status == "on_track"
    assert r2024.target.year == 2025 and r2024.target.comparator == "gt"


def test_milestone_comparators():
    from cyberyouth.indicators.models import Milestone

    assert not Milestone(value=Decimal(90), comparator="gt").is_met(90.0)
    assert Milestone(value=Decimal(90), comparator="gt").is_met(90.01)
    assert Milestone(value=Decimal(100), comparator="ge").is_met(100.0)
    assert not Milestone(value=Decimal(100), comparator="ge").is_met(99.99)


def test_status_met_at_risk_off_track():
    d = aggregation.Definition(id=1, code="x", number=1, name="", short_name="", numerator=None, denominator=None,
                              unit_types=frozenset(), factor=100, baseline_year=2023,
                              milestones=[selectors.Target(2025, 90, "gt", True), selectors.Target(2030, 100, "ge",
                                                                                                       False)])
    assert aggregation.status_of(91, 2024, d, 60)[1] == "met"
    assert aggregation.status_of(90, 2025, d, 60)[1] == "off_track"      # "> 90 %" is strictly greater
    assert aggregation.status_of(70, 2024, d, 60)[1] == "at_risk"         # path says 75
    assert aggregation.status_of(60, 2024, d, 60)[1] == "off_track"
    assert aggregation.status_of(96, 2027, d, 60)[1] == "on_track"        # 2027 on 90→100 path: 94
    assert aggregation.status_of(None, 2024, d, 60)[1] == "no_data"
    assert aggregation.status_of(100, 2030, d, 60)[1] == "met"


def test_stored_figures_follow_a_changed_definition(people, units):
    """Figures stored with each submission are used while current; after an indicator is
    edited they are recomputed from the values (at once on read, and stored by the refresh)."""
    from cyberyouth.indicators.models import Indicator

    admin, zone = people["sysadmin"], units["hp-dk-cat-hai"]
    before = selectors.compute_indicators(actor=admin, year=2025, unit=zone, depth=0)[0].indicators[0]
    ind = Indicator.objects.get(number=1)
    ind.numerator = "students_cc_reached"  # reached rather than acknowledged
    ind.save()
    selectors.invalidate_cache()
    after = selectors.compute_indicators(actor=admin, year=2025, unit=zone, depth=0)[0].indicators[0]
    assert after.denominator == before.denominator and after.numerator > before.numerator
    assert services.figures_refresh() > 0
    selectors.invalidate_cache()
    again = selectors.compute_indicators(actor=admin, year=2025, unit=zone, depth=0)[0].indicators[0]
    assert (again.numerator, again.denominator) == (after.numerator, after.denominator)
    assert services.figures_refresh() == 0


def test_a_milestone_edited_in_place_is_seen_at_once(people, units):
    """The aggregate cache notices definition changes made anywhere (admin, another process)."""
    from cyberyouth.indicators.models import Milestone

    admin, zone = people["sysadmin"], units["hp-dk-cat-hai"]
    first = _ind(selectors.compute_indicators(actor=admin, year=2025, unit=zone, depth=0)[0], 3)
    assert first.status == "met"  # 86.5 % > 80 %
    m = Milestone.objects.get(indicator__number=3, year=2025)
    m.value = Decimal(95)
    m.save()  # no explicit cache invalidation here
    second = _ind(selectors.compute_indicators(actor=admin, year=2025, unit=zone, depth=0)[0], 3)
    assert second.status == "off_track" and second.target.value == 95
