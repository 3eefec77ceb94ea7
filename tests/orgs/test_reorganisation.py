"""The unit tree through reorganisations: history is kept, invalid operations change nothing."""

from datetime import date
from decimal import Decimal

import pytest

from cyberyouth.audit.models import AuditEntry
from cyberyouth.errors import DomainError
from cyberyouth.orgs import selectors, services
from cyberyouth.orgs.models import Unit, UnitSuccession, UnitType, UnitVersion

pytestmark = pytest.mark.django_db


def _counts():
    return (Unit.objects.count(), UnitVersion.objects.count(), UnitSuccession.objects.count(),
            AuditEntry.objects.count())


def _names_under(code: str, on: date) -> set[str]:
    unit = Unit.objects.get(code=code)
    ids = selectors.descendant_ids(unit_ids=[unit.id], on=on) - {unit.id}
    return {selectors.unit_name_on(unit=u, on=on) for u in Unit.objects.filter(id__in=ids)}


class TestDemoMerge2025:
    def test_tree_before_and_after_the_merge(self, units):
        hp = units["hp"]
        before = selectors.children_map(on=date(2025, 6, 30))[hp.id]
        after = selectors.children_map(on=date(2025, 7, 1))[hp.id]
        assert units["hp-cat-hai"].id in before and units["hp-dk-cat-hai"].id not in before
        assert units["hp-dk-cat-hai"].id in after and units["hp-cat-hai"].id not in after

    def test_the_district_keeps_its_name_and_subtree_as_of_then(self, units):
        district = units["hp-cat-hai"]
        assert district.valid_to == date(2025, 7, 1)
        assert district.name == "Huyện Cát Hải"
        names = _names_under("hp-cat-hai", date(2025, 6, 30))
        assert {"Thị trấn Cát Bà", "Xã Việt Hải", "Trường THCS Cát Bà",
                "Phòng Nội vụ, Lao động - Thương binh và Xã hội huyện Cát Hải"} <= names
        assert _names_under("hp-cat-hai", date(2025, 7, 1)) == set()

    def test_the_zone_succeeds_the_district_and_all_its_communes(self, units):
        zone = units["hp-dk-cat-hai"]
        preds = {s.predecessor.code for s in UnitSuccession.objects.filter(successor=zone)}
        assert "hp-cat-hai" in preds and "hp-cat-hai-tt-cat-ba" in preds and len(preds) == 13
        assert zone.official_code == "11914" and zone.valid_from == date(2025, 7, 1)
        assert selectors.predecessor_closure(unit_ids={zone.id})[zone.id] >= {units["hp-cat-hai"].id}

    def test_schools_moved_and_agency_renamed_the_same_day(self, units):
        school = units["thcs-cat-ba"]
        assert [v.parent.code for v in school.versions.order_by("valid_from")] == ["hp-cat-hai", "hp-dk-cat-hai"]
        agency = units["hp-cat-hai-nvldtbxh"]
        assert selectors.unit_name_on(unit=agency, on=date(2024, 12, 31)).startswith("Phòng Nội vụ")
        assert selectors.unit_name_on(unit=agency, on=date(2025, 7, 1)) == "Phòng Văn hóa - Xã hội đặc khu Cát Hải"
        assert agency.versions.count() == 2  # the move and the rename share one version from 1/7/2025

    def test_the_zone_administrator_sees_the_history_it_carries_on(self, people, units):
        visible = selectors.unit_ids(actor=people["thuongtruc"], capability="unit.read")
        assert {units["hp-cat-hai"].id, units["hp-cat-hai-xa-viet-hai"].id, units["thcs-cat-ba"].id} <= visible
        assert units["hp"].id not in visible and units["thpt-cat-ba"].id not in visible


class TestSplit:
    def test_split_with_shares_and_child_moves_keeps_history(self, people, units):
        actor = people["sysadmin"]
        zone = units["hp-dk-cat-hai"]
        commune = services.unit_create(actor=actor, code="xa-a", name="Xã A", unit_type=UnitType.COMMUNE,
                                       parent=zone, valid_from=date(2025, 7, 1))
        school = services.unit_create(actor=actor, code="th-xa-a", name="Trường Tiểu học Xã A",
                                      unit_type=UnitType.PRIMARY, parent=commune, valid_from=date(2025, 7, 1))
        created = services.unit_split(
            actor=actor, source=commune, effective_date=date(2026, 1, 1),
            successors=[(services.NewUnit("xa-a1", "Xã A1", UnitType.COMMUNE), Decimal("0.6")),
                        (services.NewUnit("xa-a2", "Xã A2", UnitType.COMMUNE), Decimal("0.4"))],
            child_moves={school.id: "xa-a2"}, legal_basis="Nghị quyết thử nghiệm",
        )
        commune.refresh_from_db()
        school.refresh_from_db()
        assert commune.valid_to == date(2026, 1, 1)
        assert [u.code for u in created] == ["xa-a1", "xa-a2"]
        shares = {s.successor.code: s.share for s in UnitSuccession.objects.filter(predecessor=commune)}
        assert shares == {"xa-a1": Decimal("0.6"), "xa-a2": Decimal("0.4")}
        assert school.parent.code == "xa-a2"
        assert selectors.parent_map(on=date(2025, 12, 31))[school.id] == commune.id
        assert selectors.parent_map(on=date(2026, 1, 1))[school.id] == created[1].id
        assert AuditEntry.objects.filter(action="unit.split", target_id=str(commune.id)).exists()

    def test_split_refuses_bad_shares_and_unassigned_children(self, people, units):
        actor = people["sysadmin"]
        zone = units["hp-dk-cat-hai"]
        commune = services.unit_create(actor=actor, code="xa-b", name="Xã B", unit_type=UnitType.COMMUNE,
                                       parent=zone, valid_from=date(2025, 7, 1))
        services.unit_create(actor=actor, code="th-xa-b", name="Trường Tiểu học Xã B", unit_type=UnitType.PRIMARY,
                             parent=commune, valid_from=date(2025, 7, 1))
        before = _counts()
        with pytest.raises(DomainError, match="Tổng tỷ lệ"):
            services.unit_split(actor=actor, source=commune, effective_date=date(2026, 1, 1), successors=[
                (services.NewUnit("xa-b1", "Xã B1", UnitType.COMMUNE), Decimal("0.5")),
                (services.NewUnit("xa-b2", "Xã B2", UnitType.COMMUNE), Decimal("0.4"))])
        with pytest.raises(DomainError) as exc:
            services.unit_split(actor=actor, source=commune, effective_date=date(2026, 1, 1), successors=[
                (services.NewUnit("xa-b1", "Xã B1", UnitType.COMMUNE), Decimal("0.5")),
                (services.NewUnit("xa-b2", "Xã B2", UnitType.COMMUNE), Decimal("0.5"))])
        assert exc.value.code == "child_unassigned"
        assert _counts() == before
        assert not Unit.objects.filter(code__in=["xa-b1", "xa-b2"]).exists()


class TestInvalidOperationsChangeNothing:
    def test_move_into_own_descendant_is_a_cycle(self, people, units):
        before = _counts()
        with pytest.raises(DomainError) as exc:
            services.unit_move(actor=people["sysadmin"], unit=units["hp-dk-cat-hai"], new_parent=units["thcs-cat-ba"],
                               effective_date=date(2026, 2, 1))
        assert exc.value.code == "cycle"
        assert _counts() == before

    def test_merge_into_own_descendant(self, people, units):
        before = _counts()
        with pytest.raises(DomainError) as exc:
            services.units_merge(actor=people["sysadmin"], sources=[units["hp-dk-cat-hai"]],
                                 successor=units["thcs-cat-ba"], effective_date=date(2026, 2, 1))
        assert exc.value.code == "merge_into_descendant"
        assert _counts() == before

    def test_overlapping_dates(self, people, units):
        before = _counts()
        with pytest.raises(DomainError) as exc:
            services.unit_rename(actor=people["sysadmin"], unit=units["thcs-cat-ba"], new_name="Trường THCS X",
                                 effective_date=date(2025, 3, 1))
        assert exc.value.code == "overlapping_dates"
        assert _counts() == before

    def test_date_before_the_unit_existed(self, people, units):
        with pytest.raises(DomainError) as exc:
            services.unit_rename(actor=people["sysadmin"], unit=units["hp-dk-cat-hai"], new_name="Đặc khu X",
                                 effective_date=date(2024, 1, 1))
        assert exc.value.code == "before_unit_existed"
        assert "không sau ngày" in exc.value.message

    def test_operations_on_a_ceased_unit(self, people, units):
        with pytest.raises(DomainError) as exc:
            services.unit_rename(actor=people["sysadmin"], unit=units["hp-cat-hai"], new_name="Huyện X",
                                 effective_date=date(2026, 1, 1))
        assert exc.value.code == "unit_ceased"

    def test_dissolve_with_children_is_refused(self, people, units):
        before = _counts()
        with pytest.raises(DomainError) as exc:
            services.unit_dissolve(actor=people["sysadmin"], unit=units["hp-dk-cat-hai"], effective_date=date(2026, 1, 1))
        assert exc.value.code == "has_children"
        assert _counts() == before

    def test_dissolve_a_leaf(self, people, units):
        unit = services.unit_dissolve(actor=people["thuongtruc"], unit=units["mn-hoa-phuong"],
                                      effective_date=date(2026, 9, 1), legal_basis="Quyết định giải thể")
        assert unit.valid_to == date(2026, 9, 1)
        assert units["mn-hoa-phuong"].id in selectors.descendant_ids(unit_ids=[units["hp-dk-cat-hai"].id],
                                                                     on=date(2026, 8, 31))
        assert units["mn-hoa-phuong"].id not in selectors.descendant_ids(unit_ids=[units["hp-dk-cat-hai"].id],
                                                                         on=date(2026, 9, 1))

    def test_a_focal_point_cannot_reorganise(self, people, units):
        with pytest.raises(DomainError):
            services.unit_rename(actor=people["daumoi.thcscatba"], unit=units["thcs-cat-ba"], new_name="Trường THCS Y",
                                 effective_date=date(2026, 1, 1))
        units["thcs-cat-ba"].refresh_from_db()
        assert units["thcs-cat-ba"].name == "Trường THCS Cát Bà"


def test_merge_into_an_existing_unit_moves_children(people, units):
    actor = people["sysadmin"]
    zone = units["hp-dk-cat-hai"]
    a = services.unit_create(actor=actor, code="xa-m1", name="Xã M1", unit_type=UnitType.COMMUNE, parent=zone,
                             valid_from=date(2025, 7, 1))
    b = services.unit_create(actor=actor, code="xa-m2", name="Xã M2", unit_type=UnitType.COMMUNE, parent=zone,
                             valid_from=date(2025, 7, 1))
    school = services.unit_create(actor=actor, code="th-m1", name="Trường TH M1", unit_type=UnitType.PRIMARY,
                                  parent=a, valid_from=date(2025, 7, 1))
    services.units_merge(actor=actor, sources=[a], successor=b, effective_date=date(2026, 3, 1))
    school.refresh_from_db()
    assert school.parent_id == b.id
    assert selectors.parent_map(on=date(2026, 2, 28))[school.id] == a.id
    a.refresh_from_db()
    assert a.valid_to == date(2026, 3, 1) and a.name == "Xã M1"
