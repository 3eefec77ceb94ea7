"""Official codes come from the national list shipped by vietnam-provinces."""

import io
from datetime import date

import pytest
from django.core.management import call_command

from cyberyouth.errors import DomainError
from cyberyouth.orgs import official, services
from cyberyouth.orgs.models import Unit, UnitType

pytestmark = pytest.mark.django_db


def test_lookup():
    assert official.official_unit("11914").name == "Đặc khu Cát Hải"
    assert official.official_unit("31").unit_type == UnitType.PROVINCE
    assert len(official.official_units_of_province("31")) == 114


def test_codes_are_checked(people, units):
    actor = people["sysadmin"]
    with pytest.raises(DomainError) as exc:
        services.unit_create(actor=actor, code="x1", name="Xã X", unit_type=UnitType.COMMUNE, parent=units["hp"],
                             valid_from=date(2025, 7, 1), official_code="99999999")
    assert exc.value.code == "unknown_official_code"
    with pytest.raises(DomainError) as exc:
        services.unit_create(actor=actor, code="x2", name="Đặc khu", unit_type=UnitType.COMMUNE, parent=units["hp"],
                             valid_from=date(2025, 7, 1), official_code="11914")
    assert exc.value.code == "official_type_mismatch"
    with pytest.raises(DomainError) as exc:
        services.unit_create(actor=actor, code="x3", name="Đặc khu", unit_type=UnitType.SPECIAL_ZONE,
                             parent=units["hp"], valid_from=date(2025, 7, 1), official_code="11914")
    assert exc.value.code == "duplicate_official_code"


def test_import_a_whole_city(people, units):
    out = io.StringIO()
    call_command("units", "import-official", "hp", stdout=out)
    assert "Đã tạo 113 đơn vị" in out.getvalue()  # 114, less Đặc khu Cát Hải already present
    assert Unit.objects.filter(parent=units["hp"], unit_type=UnitType.WARD).count() == 45
    call_command("units", "import-official", "hp", stdout=io.StringIO())
    assert Unit.objects.filter(parent=units["hp"]).exclude(official_code="").count() == 114
