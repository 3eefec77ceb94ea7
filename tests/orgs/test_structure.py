"""Which unit types may stand under which (data, `orgs.structure`), and same-day operations:
amended as docs/decisions.md says, refused where amending would erase a change — the messages
say what the code does."""

from datetime import date

import pytest

from cyberyouth.audit.models import AuditEntry
from cyberyouth.errors import DomainError
from cyberyouth.orgs import services, structure
from cyberyouth.orgs.models import Unit, UnitType, UnitVersion

pytestmark = pytest.mark.django_db
DAY = date(2026, 3, 1)


def _counts():
    return Unit.objects.count(), UnitVersion.objects.count(), AuditEntry.objects.count()


def test_every_unit_type_has_its_allowed_parents_and_the_demo_tree_follows_them():
    assert set(structure.ALLOWED_PARENTS) == set(UnitType.values)
    for version in UnitVersion.objects.select_related("unit", "parent"):
        parent_type = version.parent.unit_type if version.parent else None
        assert structure.may_stand_under(version.unit.unit_type, parent_type), version


def test_a_primary_school_is_never_moved_under_a_kindergarten(people, units):
    kindergarten = Unit.objects.filter(unit_type=UnitType.KINDERGARTEN, valid_to__isnull=True).first()
    primary = Unit.objects.filter(unit_type=UnitType.PRIMARY, valid_to__isnull=True).first()
    before = _counts()
    with pytest.raises(DomainError) as refused:
        services.unit_move(actor=people["thuongtruc"], unit=primary, new_parent=kindergarten, effective_date=DAY)
    assert refused.value.code == "wrong_parent_type" and refused.value.field == "new_parent"
    assert "trường tiểu học" in refused.value.message and "trường mầm non" in refused.value.message
    assert _counts() == before


def test_no_school_created_under_a_school_nor_a_commune_under_a_school(people, units):
    school = units["thcs-cat-ba"]
    for unit_type in (UnitType.PRIMARY, UnitType.COMMUNE, UnitType.AGENCY):
        with pytest.raises(DomainError) as refused:
            services.unit_create(actor=people["thuongtruc"], code=f"x-{unit_type}", name="Thử", unit_type=unit_type,
                                 parent=school, valid_from=DAY)
        assert refused.value.code == "wrong_parent_type"
    # Its own Youth Union branch is allowed under an upper-secondary school, not under a lower one.
    with pytest.raises(DomainError):
        services.unit_create(actor=people["thuongtruc"], code="doan-thcs", name="Chi đoàn", unit_type="youth_union",
                             parent=school, valid_from=DAY)


def test_a_school_cannot_carry_on_a_commune(people, units):
    zone = units["hp-dk-cat-hai"]
    commune = services.unit_create(actor=people["thuongtruc"], code="xa-k", name="Xã K", unit_type=UnitType.COMMUNE,
                                   parent=zone, valid_from=date(2025, 7, 1))
    with pytest.raises(DomainError) as refused:
        services.units_merge(actor=people["thuongtruc"], sources=[commune], successor=units["thcs-cat-ba"],
                             effective_date=DAY)
    assert "không thể kế thừa" in refused.value.message


def test_same_day_operations_amend_the_day_and_say_so(people, units):
    school = units["thcs-cat-ba"]
    services.unit_rename(actor=people["thuongtruc"], unit=school, new_name="Trường THCS Cát Bà A", effective_date=DAY)
    versions = school.versions.count()
    services.unit_rename(actor=people["thuongtruc"], unit=school, new_name="Trường THCS Cát Bà B", effective_date=DAY)
    assert school.versions.count() == versions  # amended, no empty interval
    second = AuditEntry.objects.filter(action="unit.rename", target_id=str(school.id)).first()
    assert second.note == "Gộp vào thay đổi cùng ngày 01/03/2026."
    with pytest.raises(DomainError) as earlier:
        services.unit_rename(actor=people["thuongtruc"], unit=school, new_name="C", effective_date=date(2026, 2, 1))
    assert "từ ngày đó trở đi" in earlier.value.message and "gộp" in earlier.value.message


def test_ceasing_on_the_day_of_another_change_is_refused(people, units):
    zone = units["hp-dk-cat-hai"]
    commune = services.unit_create(actor=people["thuongtruc"], code="xa-q", name="Xã Q", unit_type=UnitType.COMMUNE,
                                   parent=zone, valid_from=date(2025, 7, 1))
    services.unit_rename(actor=people["thuongtruc"], unit=commune, new_name="Xã Q mới", effective_date=DAY)
    before = _counts()
    with pytest.raises(DomainError) as refused:
        services.unit_dissolve(actor=people["thuongtruc"], unit=commune, effective_date=DAY)
    assert refused.value.code == "same_day" and "Chọn ngày hiệu lực sau ngày đó" in refused.value.message
    assert _counts() == before
    services.unit_dissolve(actor=people["thuongtruc"], unit=commune, effective_date=date(2026, 3, 2))
