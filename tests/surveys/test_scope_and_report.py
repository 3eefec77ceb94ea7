import re

import pytest
from django.utils import timezone

from cyberyouth.orgs import selectors as org_selectors
from cyberyouth.orgs.models import Role, RoleAssignment, Unit, User
from cyberyouth.surveys import reporting, selectors
from cyberyouth.surveys.models import Survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def zone_survey(db):
    return Survey.objects.get(owner_unit__code="hp-dk-cat-hai")


@pytest.fixture
def school_survey(db):
    return Survey.objects.get(owner_unit__code="thpt-cat-ba")


def test_another_school_cannot_read_a_survey_by_page_or_api(client_for, api_for, zone_survey, school_survey):
    other = client_for("daumoi.thcscathai")  # a school of the zone, not asked by either survey
    for survey in (zone_survey, school_survey):
        assert other.get(f"/khao-sat/{survey.pk}/ket-qua/").status_code == 404
        assert other.get(f"/khao-sat/{survey.pk}/ket-qua.xlsx").status_code == 404
        assert api_for("daumoi.thcscathai").get(f"/api/surveys/{survey.pk}/results").status_code == 404
    assert other.get(f"/khao-sat/{zone_survey.pk}/soan/").status_code == 404
    ids = [s["id"] for s in api_for("daumoi.thcscathai").get("/api/surveys/").json()]
    assert zone_survey.pk not in ids and school_survey.pk not in ids


def test_the_zone_reads_its_survey_not_the_city_schools_one(client_for, zone_survey, school_survey):
    leader = client_for("lanhdao")
    assert leader.get(f"/khao-sat/{zone_survey.pk}/ket-qua/").status_code == 200
    assert leader.get(f"/khao-sat/{school_survey.pk}/ket-qua/").status_code == 404
    assert leader.get(f"/khao-sat/{zone_survey.pk}/soan/").status_code == 403  # reads, does not manage


def test_a_school_leader_sees_only_their_school_within_a_wider_survey(people, zone_survey):
    hien_hao = Unit.objects.get(code="th-thcs-hien-hao")
    principal = User.objects.create_user(username="hieutruong.hienhao", password="x", full_name="Hiệu trưởng")
    RoleAssignment.objects.create(user=principal, role=Role.LEADER, unit=hien_hao)
    r = selectors.results(actor=principal, survey=zone_survey)
    assert [label for _, label, _, _ in r.groups] == [hien_hao.name]
    assert [row[0] for row in r.rate_rows] == [hien_hao.name]
    with pytest.raises(selectors.NotFound):
        selectors.results(actor=principal, survey=zone_survey,
                          node=selectors.Node(Unit.objects.get(code="thcs-cat-hai").id))


def test_the_yearly_report_says_what_the_results_page_shows(people, zone_survey):
    actor = people["thuongtruc"]
    zone = Unit.objects.get(code="hp-dk-cat-hai")
    year = timezone.localdate().year
    parts = reporting.parts(actor=actor, unit=zone, year=year, unit_ids=org_selectors.year_unit_ids(unit=zone,
                                                                                                    year=year),
                            is_school=False)
    assert len(parts) == 1 and parts[0].group == 6
    page = selectors.results(actor=actor, survey=zone_survey)
    asked = sum(row[1] for row in page.rate_rows)
    answered = sum(row[2].value for row in page.rate_rows)
    assert asked > 0 and answered >= 5
    numbers = [int(n) for n in re.findall(r"\d+", parts[0].text.replace(".", ""))]
    assert answered in numbers and asked in numbers
    assert f"đạt {round(100 * answered / asked)} %" in parts[0].text


def test_the_results_page_and_export_show_no_count_under_five(client_for, zone_survey):
    page = client_for("thuongtruc").get(f"/khao-sat/{zone_survey.pk}/ket-qua/")
    html = page.content.decode()
    for value in re.findall(r'class="num figure">(\d+)<', html) + re.findall(r'class="figure">(\d+)<', html):
        assert int(value) == 0 or int(value) >= 5, value
    assert "&lt; 5" in html
    assert "[đã ẩn]" in html or "0912" not in html
    export = client_for("thuongtruc").get(f"/khao-sat/{zone_survey.pk}/ket-qua.xlsx")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(export.content)).active
    counts = [row[2] for row in sheet.iter_rows(min_row=5, values_only=True) if row[2] not in (None, "Số em")]
    assert counts and all(c == "< 5" or int(c) == 0 or int(c) >= 5 for c in counts)
    texts = {str(v) for row in sheet.iter_rows(values_only=True) for v in row if v}
    assert not any("Ý kiến" in t or "mong" in t.lower() for t in texts if len(t) > 60 and "?" not in t)
