"""The demo: Cát Hải's schools with classes and fictitious students; indicators 1 and 4 for 2025
of the schools with records come from the records and equal the dashboard (and so the yearly
report, whose tables a reports test holds equal to the dashboard)."""

import io
import json

import pytest
from django.core.management import call_command

from cyberyouth.students import selectors
from cyberyouth.students.models import Consent, ConductViolation, Student
from cyberyouth.students.demo import SCHOOLS

pytestmark = pytest.mark.django_db


def _dashboard(code: str, year: int) -> dict:
    out = io.StringIO()
    call_command("indicators", "compute", "--year", str(year), "--unit", code, "--json", stdout=out)
    rows = json.loads(out.getvalue())
    return {i["number"]: i for i in rows[0]["indicators"]}


def test_demo_students_are_clearly_fictitious_and_in_every_consent_state():
    names = list(Student.objects.filter(unit__code__in=SCHOOLS).values_list("full_name", flat=True))
    assert len(names) > 300
    assert all(n.split()[0] in ("Mẫu", "Thử") or n.startswith("Học sinh đã ẩn danh") for n in names)
    assert Consent.objects.filter(method="paper").exclude(scan="").exists()
    assert Consent.objects.filter(method="online").exists() and Consent.objects.filter(withdrawn_at__isnull=False)
    assert Student.objects.filter(unit__code__in=SCHOOLS, consents__isnull=True).exists()  # no answer
    assert Student.objects.filter(deidentified_at__isnull=False).exists() and ConductViolation.objects.exists()


@pytest.mark.parametrize("code", sorted(SCHOOLS))
def test_2025_indicator_1_comes_from_the_records_and_equals_the_dashboard(units, code):
    unit = units[code]
    enrolled = selectors.enrolled_by_unit(unit_ids={unit.id}, year=2025)[unit.id]
    following = selectors.conduct_following_by_unit(unit_ids={unit.id}, year=2025)[unit.id]
    assert 0 < following < enrolled
    one = _dashboard(code, 2025)[1]
    assert (one["numerator"], one["denominator"]) == (following, enrolled)


def test_2025_indicator_4_of_the_centre_comes_from_the_lessons(units):
    centre = units["gdnn-gdtx-cat-hai"]
    assert selectors.teaches_safety_by_unit(unit_ids={centre.id}, year=2025) == {centre.id: 1}
    four = _dashboard("gdnn-gdtx-cat-hai", 2025)[4]
    assert (four["numerator"], four["denominator"]) == (1, 1)
    hien_hao = units["th-thcs-hien-hao"]
    assert selectors.teaches_safety_by_unit(unit_ids={hien_hao.id}, year=2025) == {hien_hao.id: 0}


def test_a_small_class_shows_less_than_five(people, units):
    from cyberyouth.orgs.models import User
    from cyberyouth.students.models import SchoolYear

    sysadmin = User.objects.get(username="sysadmin")
    year = SchoolYear.objects.get(name="2025-2026")
    figures = selectors.class_figures(actor=sysadmin, school_year=year, unit=units["th-thcs-hien-hao"])
    sizes = {row["class"].name: str(row["size"]) for row in figures["classes"]}
    assert sizes["9A"] == "< 5" and list(sizes.values()).count("< 5") == 2  # and its complement
