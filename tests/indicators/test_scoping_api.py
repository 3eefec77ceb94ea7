"""A school's focal point can neither read nor change another school's data, by page and by API;
a leader reads but changes nothing; the API returns structured errors."""

import json

import pytest

from cyberyouth.indicators.models import Submission, SubmissionStatus

pytestmark = pytest.mark.django_db
YEAR = 2026
GOOD = {"students_enrolled": 480, "students_cc_reached": 470, "students_cc_ack": 460, "union_new_members": 50,
        "union_new_studied": 45, "staff_student_work": 18, "staff_trained": 17, "teaches_safety": 1}


def test_focal_point_cannot_read_another_schools_pages(client_for):
    c = client_for("daumoi.thcscatba")
    assert c.get("/chi-tieu/bao-cao/thcs-cat-ba/2025/").status_code == 200
    assert c.get("/chi-tieu/bao-cao/gdnn-gdtx-cat-hai/2025/").status_code == 404
    assert c.get("/chi-tieu/?don_vi=gdnn-gdtx-cat-hai").status_code == 404
    assert c.get("/chi-tieu/du-lieu/gdnn-gdtx-cat-hai/2025/ct1-quy-tac-ung-xu/").status_code == 404
    assert c.get("/chi-tieu/du-lieu/hp-dk-cat-hai/2025/ct1-quy-tac-ung-xu/").status_code == 404
    csv = c.get("/chi-tieu/xuat-csv/").content.decode()
    assert "thcs-cat-ba" in csv and "gdnn-gdtx-cat-hai" not in csv


def test_focal_point_cannot_change_another_schools_data_by_page(client_for):
    c = client_for("daumoi.thcscatba")
    data = {f"v_{k}": v for k, v in GOOD.items()} | {"action": "save"}
    assert c.post("/chi-tieu/bao-cao/gdnn-gdtx-cat-hai/2026/", data).status_code == 404
    assert not Submission.objects.filter(unit__code="gdnn-gdtx-cat-hai", year=YEAR).exists()


def test_focal_point_cannot_read_or_change_another_school_by_api(api_for):
    api = api_for("daumoi.thcscatba")
    assert api.get("/api/indicators/submissions/thcs-cat-ba/2025").status_code == 200
    r = api.get("/api/indicators/submissions/gdnn-gdtx-cat-hai/2025")
    assert r.status_code == 404 and r.json()["detail"][0]["code"] == "not_found"
    r = api.put("/api/indicators/submissions/gdnn-gdtx-cat-hai/2026", data=json.dumps({"values": GOOD}),
                content_type="application/json")
    assert r.status_code == 404
    assert api.get("/api/indicators/compute?year=2025&unit=gdnn-gdtx-cat-hai").status_code == 404
    units = {row["unit"] for row in api.get("/api/indicators/compute?year=2025").json()}
    assert units == {"thcs-cat-ba"}
    assert not Submission.objects.filter(unit__code="gdnn-gdtx-cat-hai", year=YEAR).exists()


def test_leader_reads_but_changes_nothing(api_for, client_for):
    api = api_for("lanhdao")
    assert api.get("/api/indicators/compute?year=2025").status_code == 200
    r = api.put("/api/indicators/submissions/gdnn-gdtx-cat-hai/2026",
                data=json.dumps({"values": GOOD, "evidence": {"teaches_safety": "KH"}}), content_type="application/json")
    assert r.status_code == 403
    r = api.post("/api/indicators/submissions/th-thcs-phu-long/2025/approve", data="{}", content_type="application/json")
    assert r.status_code == 403
    assert Submission.objects.get(unit__code="th-thcs-phu-long", year=2025).status == SubmissionStatus.SUBMITTED
    page = client_for("lanhdao")
    assert page.post("/chi-tieu/bao-cao/th-thcs-phu-long/2025/", {"action": "approve"}).status_code == 403
    assert Submission.objects.get(unit__code="th-thcs-phu-long", year=2025).status == SubmissionStatus.SUBMITTED
    assert page.post("/chi-tieu/ky-bao-cao/", {"year": 2027, "opens_on": "2027-11-01",
                                              "deadline": "2028-01-15"}).status_code == 403
    assert page.get("/chi-tieu/excel/").status_code == 403


def test_api_save_submit_approve_and_field_errors(api_for, units):
    from cyberyouth.training.demo import figures_records

    # indicator 2 comes from the training app's records: 5 more new members, all of whom studied
    figures_records(unit=units["gdnn-gdtx-cat-hai"], year=2026, members=5, studied=5)
    fp, admin = api_for("daumoi.gdnn"), api_for("thuongtruc")
    bad = api_for("daumoi.gdnn").put("/api/indicators/submissions/gdnn-gdtx-cat-hai/2026",
                                     data=json.dumps({"values": GOOD | {"students_cc_ack": 999}, "submit": True}),
                                     content_type="application/json")
    assert bad.status_code == 400
    fields = {d["field"] for d in bad.json()["detail"]}
    assert {"students_cc_ack", "teaches_safety"} <= fields
    ok = fp.put("/api/indicators/submissions/gdnn-gdtx-cat-hai/2026",
                data=json.dumps({"values": GOOD, "evidence": {"teaches_safety": "KH 12"}, "submit": True}),
                content_type="application/json")
    assert ok.status_code == 200 and ok.json()["status"] == "submitted"
    r = admin.post("/api/indicators/submissions/gdnn-gdtx-cat-hai/2026/approve", data="{}",
                   content_type="application/json")
    assert r.status_code == 200 and r.json()["status"] == "approved"
    rows = admin.get("/api/indicators/compute?year=2026&unit=gdnn-gdtx-cat-hai").json()
    ind2 = next(i for i in rows[0]["indicators"] if i["number"] == 2)
    assert (ind2["numerator"], ind2["denominator"]) == (10 + 5, 20 + 5)  # the demo's 2026 records and these
    r = admin.post("/api/indicators/submissions/hp-dk-cat-hai/2025/approve", data="{}", content_type="application/json")
    assert r.status_code == 400 and r.json()["detail"][0]["code"] == "bad_status"


def test_series_and_completeness_api(api_for):
    api = api_for("thuongtruc")
    series = api.get("/api/indicators/series?unit=hp-dk-cat-hai").json()
    assert len(series) == 5 and series[0]["points"][0]["year"] == 2023
    comp = api.get("/api/indicators/completeness?year=2025").json()
    assert "th-cat-hai" in comp["reminders"]
