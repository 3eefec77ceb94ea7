"""The channels registry: scoped pages and API, validation, and the indicator-5 provider."""

import json
from datetime import date

import pytest

from cyberyouth.channels import selectors, services
from cyberyouth.channels.models import Channel, ChannelStatus, Platform
from cyberyouth.errors import DomainError, NotFound

pytestmark = pytest.mark.django_db


def test_provider_counts_channels_active_at_year_end(units):
    college = units["cd-du-lich-cat-ba"]
    counts = {y: selectors.active_channels_by_unit(unit_ids={college.id}, year=y).get(college.id, 0)
              for y in (2022, 2023, 2024, 2025)}
    # old website closed 30/6/2023; the Youth Union page opened 26/3/2025
    assert counts[2022] == 1 and counts[2023] == 0 and counts[2024] == 0 and counts[2025] >= 1


def test_paused_counts_in_the_past_but_not_today(units):
    school = units["thcs-cat-hai"]
    assert selectors.active_channels_by_unit(unit_ids={school.id}, year=2024).get(school.id) == 1
    assert selectors.active_channels_by_unit(unit_ids={school.id}, year=date.today().year).get(school.id) is None


def test_focal_point_adds_a_channel_for_own_school_only(people, units):
    fp = people["daumoi.gdnn"]
    c = services.channel_create(actor=fp, owner_unit=units["gdnn-gdtx-cat-hai"], platform=Platform.TIKTOK,
                                name="TikTok Trung tâm", address="https://www.tiktok.com/@gdnncathai",
                                active_since=date(2025, 9, 1))
    assert c.is_official and c.status == ChannelStatus.ACTIVE
    with pytest.raises(NotFound):  # another school: not even seen, the same answer as a missing unit
        services.channel_create(actor=fp, owner_unit=units["thcs-cat-ba"], platform=Platform.TIKTOK,
                                name="x", address="https://www.tiktok.com/@x")
    with pytest.raises(DomainError) as exc:
        services.channel_create(actor=fp, owner_unit=units["gdnn-gdtx-cat-hai"], platform=Platform.TIKTOK,
                                name="Trùng", address="https://www.tiktok.com/@gdnncathai")
    assert exc.value.field == "address"
    with pytest.raises(DomainError) as exc:
        services.channel_update(actor=fp, channel=c, platform=c.platform, name=c.name, address=c.address,
                                active_since=c.active_since, status=ChannelStatus.CLOSED)
    assert exc.value.field == "closed_on"


def test_bad_address_is_refused(people, units):
    with pytest.raises(DomainError) as exc:
        services.channel_create(actor=people["thuongtruc"], owner_unit=units["thcs-cat-ba"],
                                platform=Platform.WEBSITE, name="Trang", address="javascript:alert(1)")
    assert exc.value.field == "address"


def test_pages_are_scoped(client_for):
    mine = client_for("daumoi.thcscatba").get("/kenh-thong-tin/").content.decode()
    assert "Trường THCS Cát Bà" in mine and "gdnngdtxcathai" not in mine
    other = Channel.objects.get(address="https://www.facebook.com/gdnngdtxcathai")
    assert client_for("daumoi.thcscatba").get(f"/kenh-thong-tin/{other.id}/").status_code == 404
    r = client_for("daumoi.thcscatba").post(f"/kenh-thong-tin/{other.id}/", {
        "platform": "website", "name": "Đổi", "address": "https://evil.example", "status": "active"})
    assert r.status_code == 404
    assert Channel.objects.get(id=other.id).name != "Đổi"
    assert client_for("thuongtruc").get("/kenh-thong-tin/").status_code == 200
    assert client_for("lanhdao").get("/kenh-thong-tin/them/").status_code == 403
    assert client_for("lanhdao").get(f"/kenh-thong-tin/{other.id}/").status_code == 403


def test_page_create_shows_errors_next_to_fields(client_for):
    c = client_for("daumoi.gdnn")
    html = c.post("/kenh-thong-tin/them/", {"owner": "gdnn-gdtx-cat-hai", "platform": "website", "name": "Trang",
                                            "address": "khong-phai-url", "status": "active"}).content.decode()
    assert "http://" in html and "has-error" in html
    r = c.post("/kenh-thong-tin/them/", {"owner": "gdnn-gdtx-cat-hai", "platform": "website", "name": "Trang mới",
                                         "address": "https://gdnn.example.vn", "status": "active"})
    assert r.status_code == 302 and Channel.objects.filter(address="https://gdnn.example.vn").exists()


def test_api_is_scoped(api_for):
    api = api_for("daumoi.thcscatba")
    listed = {c["owner_unit"] for c in api.get("/api/channels/").json()}
    assert listed == {"thcs-cat-ba"}
    other = Channel.objects.get(address="https://www.facebook.com/gdnngdtxcathai")
    assert api.get(f"/api/channels/{other.id}").status_code == 404
    r = api.post("/api/channels/", data=json.dumps({"owner_unit": "gdnn-gdtx-cat-hai", "platform": "website",
                                                    "name": "x", "address": "https://x.example"}),
                 content_type="application/json")
    assert r.status_code == 404
    r = api_for("lanhdao").post("/api/channels/", data=json.dumps({
        "owner_unit": "thcs-cat-ba", "platform": "website", "name": "x", "address": "https://x.example"}),
        content_type="application/json")
    assert r.status_code == 403
    r = api.post("/api/channels/", data=json.dumps({"owner_unit": "thcs-cat-ba", "platform": "website",
                                                    "name": "Trang THCS", "address": "https://thcscatba.example"}),
                 content_type="application/json")
    assert r.status_code == 201 and r.json()["owner_unit"] == "thcs-cat-ba"
