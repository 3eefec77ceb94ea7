"""Indicators 1 and 4 of schools with student records come from the records through the provider
interface: read-only on the yearly form with a link to the records, never typed over; schools
without records keep entering them."""

from datetime import date

import pytest

from cyberyouth.indicators import services as ind_services
from cyberyouth.indicators.models import Period, ValueSource
from cyberyouth.students import services

from .conftest import scan

pytestmark = pytest.mark.django_db
TYPED = {"students_enrolled": 999, "students_cc_reached": 900, "students_cc_ack": 800, "teaches_safety": 0}


@pytest.fixture
def year_open(world):
    year = date.today().year
    if not Period.objects.filter(year=year).exists():
        pytest.skip("no open period this year")
    if not world["year"].starts_on <= date.today() <= world["year"].ends_on:
        pytest.skip("outside the school year")
    return year


def test_records_override_typed_values(world, year_open):
    fp = world["fp"]
    student = world["a"][0]
    services.consent_record_paper(actor=fp, student=student, purpose="account", guardian_name="Bố An",
                                   student_agreed=True, signed_on=date.today(), scan=scan())
    services.conduct_register_record(actor=fp, school_class=world["c6a"], student_ids=[student.id],
                                      on=date.today())
    submission = ind_services.values_save(actor=fp, unit=world["catba"], year=year_open, values=dict(TYPED),
                                          evidence={}, note="Số liệu lấy từ sổ học sinh")
    stored = {v.element.code: (v.value, v.source) for v in submission.values.select_related("element")}
    assert stored["students_enrolled"] == (11, ValueSource.PROVIDER)
    assert stored["students_cc_ack"] == (1, ValueSource.PROVIDER)
    assert stored["students_cc_reached"] == (1, ValueSource.PROVIDER)
    assert stored["teaches_safety"] == (0, ValueSource.PROVIDER)
    assert submission.note == "Số liệu lấy từ sổ học sinh"


def test_form_shows_records_read_only_with_link(world, year_open, client_for):
    page = client_for("daumoi.thcscatba").get(f"/chi-tieu/bao-cao/thcs-cat-ba/{year_open}/")
    body = page.content.decode()
    assert page.status_code == 200 and 'id="record-links"' in body and 'href="/hoc-sinh/"' in body
    field = body.split('name="v_students_enrolled"')[0].rsplit("<input", 1)[1] + body.split(
        'name="v_students_enrolled"')[1].split(">", 1)[0]
    assert "disabled" in field and 'value="11"' in field


def test_school_without_records_types_its_figures(world, year_open, people, units):
    unit = units["gdnn-gdtx-cat-hai"]
    values = {"students_enrolled": 400, "students_cc_reached": 390, "students_cc_ack": 380}
    submission = ind_services.values_save(actor=people["daumoi.gdnn"], unit=unit, year=year_open, values=values,
                                          evidence={})
    stored = {v.element.code: (v.value, v.source) for v in submission.values.select_related("element")}
    assert stored["students_enrolled"] == (400, ValueSource.ENTRY)
    assert stored["students_cc_ack"] == (380, ValueSource.ENTRY)
