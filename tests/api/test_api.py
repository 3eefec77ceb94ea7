"""The typed API: bearer tokens, OpenAPI, structured errors, the same scoping as the pages."""

import pytest

from cyberyouth.orgs.models import Unit
from cyberyouth.plans.models import Assignment, Progress

pytestmark = pytest.mark.django_db


def test_openapi_and_docs(client):
    spec = client.get("/api/openapi.json").json()
    assert "/api/units/tree" in spec["paths"] and "/api/plans/{plan_id}" in spec["paths"]
    assert spec["components"]["securitySchemes"]
    assert client.get("/api/docs").status_code == 200


def test_no_token_is_401_with_a_structured_error(client):
    r = client.get("/api/units/")
    assert r.status_code == 401
    assert r.json()["detail"][0]["code"] == "unauthorized"
    r = client.get("/api/units/", headers={"Authorization": "Bearer cy_wrong"})
    assert r.status_code == 401


def test_tree_as_of_a_date(api_for):
    api = api_for("thuongtruc")
    before = api.get("/api/units/tree?on=2025-06-30").json()
    after = api.get("/api/units/tree?on=2025-07-01").json()
    assert [n["code"] for n in before] == ["hp-cat-hai"]
    assert [n["code"] for n in after] == ["hp-dk-cat-hai"]
    assert any(c["name"] == "Xã Việt Hải" for c in before[0]["children"])


def test_unit_history(api_for):
    body = api_for("thuongtruc").get("/api/units/hp-dk-cat-hai").json()
    assert body["unit"]["official_code"] == "11914"
    assert {p["predecessor"] for p in body["predecessors"]} >= {"hp-cat-hai", "hp-cat-hai-tt-cat-ba"}


def test_bad_input_gets_field_errors(api_for):
    api = api_for("thuongtruc")
    r = api.post("/api/units/", {"code": "bad code!", "name": "", "unit_type": "castle", "parent": "hp-dk-cat-hai",
                                 "valid_from": "not-a-date"}, content_type="application/json")
    assert r.status_code == 422
    fields = {d["field"] for d in r.json()["detail"]}
    assert {"payload.code", "payload.name", "payload.unit_type", "payload.valid_from"} <= fields


def test_domain_errors_are_structured(api_for):
    api = api_for("thuongtruc")
    r = api.post("/api/units/thcs-cat-ba/reorganise", {"kind": "move", "effective_date": "2026-09-01",
                                                        "target": "thcs-cat-ba"}, content_type="application/json")
    assert r.status_code == 400
    detail = r.json()["detail"][0]
    assert detail["field"] == "parent" and detail["code"] == "cycle" and "Không thể" in detail["message"]


def test_create_and_split_through_the_api(api_for):
    api = api_for("thuongtruc")
    r = api.post("/api/units/", {"code": "xa-api", "name": "Xã Thử", "unit_type": "commune",
                                 "parent": "hp-dk-cat-hai", "valid_from": "2025-08-01"}, content_type="application/json")
    assert r.status_code == 201, r.content
    r = api.post("/api/units/xa-api/reorganise", {
        "kind": "split", "effective_date": "2026-01-01", "legal_basis": "NQ thử",
        "successors": [{"code": "xa-api-1", "name": "Xã Thử 1", "share": "0.5"},
                       {"code": "xa-api-2", "name": "Xã Thử 2", "share": "0.5"}]}, content_type="application/json")
    assert r.status_code == 200, r.content
    assert [u["code"] for u in r.json()] == ["xa-api-1", "xa-api-2"]
    assert Unit.objects.get(code="xa-api").valid_to.isoformat() == "2026-01-01"


def test_progress_round_trip(api_for, units):
    a = Assignment.objects.filter(unit=units["thcs-cat-ba"]).first()
    api = api_for("daumoi.thcscatba")
    r = api.put(f"/api/plans/assignments/{a.id}/progress/2026",
                {"status": "done", "summary": "Đã làm", "completed_on": "2026-03-01"}, content_type="application/json")
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "done"
    r = api.post(f"/api/plans/assignments/{a.id}/progress/2026/evidence",
                 {"title": "Bài viết", "url": "https://thcscatba.edu.vn/a"}, content_type="application/json")
    assert r.status_code == 201
    assert api.get(f"/api/plans/assignments/{a.id}/progress/2026").json()["evidence"][0]["url"].endswith("/a")
    r = api.put(f"/api/plans/assignments/{a.id}/progress/2026", {"status": "done"}, content_type="application/json")
    assert r.status_code == 400 and r.json()["detail"][0]["field"] == "summary"
    assert Progress.objects.get(assignment=a, year=2026).summary == "Đã làm"
    for year in (-3, 1900, 2031):  # outside the programme's 2022–2030: refused, not an empty record
        r = api.get(f"/api/plans/assignments/{a.id}/progress/{year}")
        assert r.status_code == 400 and r.json()["detail"][0]["field"] == "year", (year, r.content)


def test_plans_list_and_detail(api_for):
    api = api_for("daumoi.gdnn")
    plans = api.get("/api/plans/").json()
    assert plans and plans[0]["year"] == 2023
    detail = api.get(f"/api/plans/{plans[0]['id']}").json()
    assert len(detail["task_groups"]) == 7
    units = {a["unit"] for g in detail["task_groups"] for t in g["tasks"] for a in t["assignments"]}
    assert units == {"gdnn-gdtx-cat-hai"}
