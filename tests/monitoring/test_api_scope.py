"""The push API and the queue API; scoping by zone and by role, by page and by API."""

import pytest

from cyberyouth.channels.models import Platform
from cyberyouth.errors import DomainError
from cyberyouth.monitoring import selectors, services
from cyberyouth.monitoring.models import Item

pytestmark = pytest.mark.django_db


def test_push_one_item_and_a_batch_idempotently(api_for, channel):
    api = api_for("kiemduyet")
    one = api.post("/api/monitoring/items", {"channel": channel.pk, "external_id": "push-1",
                                             "url": "https://fb.example/push-1", "author": "a",
                                             "text": "Bán hàng đá, cỏ giao tận nơi", "published_at":
                                                 "2025-10-01T09:00:00+07:00"}, content_type="application/json")
    assert one.status_code == 200, one.content
    first = one.json()["items"][0]
    assert first["duplicate"] is False and first["verdict"]["top_category"] and "scores" in first["verdict"]
    batch = api.post("/api/monitoring/items", {"items": [
        {"channel": channel.pk, "external_id": "push-1", "text": "Bán hàng đá, cỏ giao tận nơi"},
        {"channel": channel.pk, "external_id": "push-2", "text": "Chào cả nhóm"},
    ]}, content_type="application/json")
    assert batch.status_code == 200
    items = batch.json()["items"]
    assert items[0] == {**items[0], "id": first["id"], "duplicate": True}
    assert items[1]["duplicate"] is False
    assert Item.objects.filter(channel=channel, external_id__startswith="push-").count() == 2


def test_push_rejects_bad_items_with_structured_errors(api_for, channel):
    api = api_for("kiemduyet")
    before = Item.objects.count()
    r = api.post("/api/monitoring/items", {"items": [{"channel": channel.pk, "text": "ổn"},
                                                     {"channel": channel.pk, "text": "   "}]},
                 content_type="application/json")
    assert r.status_code == 400 and r.json()["detail"][0]["field"] == "items[1].text"
    r = api.post("/api/monitoring/items", {"channel": 999999, "text": "x"}, content_type="application/json")
    assert r.status_code == 404
    r = api.post("/api/monitoring/items", {"items": [{"channel": channel.pk, "text": "x", "url": "javascript:1"}]},
                 content_type="application/json")
    assert r.status_code == 400 and r.json()["detail"][0]["field"] == "items[0].url"
    assert Item.objects.count() == before
    assert api_for("hocsinh").post("/api/monitoring/items", {"channel": channel.pk, "text": "x"},
                                   content_type="application/json").status_code == 403
    from django.test import Client

    assert Client().post("/api/monitoring/items", {"channel": channel.pk, "text": "x"},
                         content_type="application/json").status_code == 401


def test_queue_api_in_review_order(api_for):
    r = api_for("kiemduyet").get("/api/monitoring/queue?limit=5")
    assert r.status_code == 200
    rows = r.json()
    assert 0 < len(rows) <= 5
    keys = [(-x["severity"], -x["score"]) for x in rows]
    assert keys == sorted(keys)
    assert api_for("kiemduyet").get("/api/monitoring/queue?limit=0").status_code == 400
    assert api_for("daumoi.thcscatba").get("/api/monitoring/queue").status_code == 403


def _other_zone(people, units):
    """A second zone (Hải Phòng's other district) with its own moderator and an item."""
    from datetime import date

    from cyberyouth.orgs import services as org_services
    from cyberyouth.orgs.models import Role, RoleAssignment, UnitType, User

    zone = org_services.unit_create(actor=people["sysadmin"], code="hp-thuy-nguyen", name="Thành phố Thủy Nguyên",
                                    unit_type=UnitType.DISTRICT, parent=units["hp"], valid_from=date(2025, 1, 1))
    moderator = User.objects.create_user("kiemduyet.tn", password="x-Strong-Pass-1")
    RoleAssignment.objects.create(user=moderator, role=Role.MODERATOR, unit=zone)
    channel = services.monitored_source_add(actor=people["sysadmin"], platform=Platform.TIKTOK, name="TN",
                                            address="https://www.tiktok.com/@tn", zone_unit=zone)
    item = services.ingest(channel=channel, source="push",
                           entries=[{"text": "Có clip nóng của học sinh lớp 7, ai muốn xem inbox"}])[0].item
    return moderator, item


def test_a_moderator_of_one_zone_cannot_see_another_zones_items(people, units, client_for, api_for):
    moderator, theirs = _other_zone(people, units)
    ours = selectors.queue(actor=people["kiemduyet"], limit=200)
    assert theirs.pk not in {i.pk for i in ours}
    assert {i.pk for i in selectors.queue(actor=moderator, limit=200)} == {theirs.pk}
    assert client_for("kiemduyet").get(f"/giam-sat/noi-dung/{theirs.pk}/").status_code == 404
    assert client_for("kiemduyet").get(f"/giam-sat/noi-dung/{theirs.pk}/chung-cu.zip").status_code == 404
    assert theirs.pk not in {x["id"] for x in api_for("kiemduyet").get("/api/monitoring/queue?limit=200").json()}
    with pytest.raises(DomainError):  # NotFound or ScopeError: either way, no claim
        services.item_claim(actor=people["kiemduyet"], item_id=theirs.pk)
    c = client_for("kiemduyet")
    c.force_login(moderator)
    assert c.get(f"/giam-sat/noi-dung/{ours[0].pk}/").status_code == 404


def test_school_focal_point_sees_the_queue_only_when_allowed(people, units, client_for, school_channel):
    focal = client_for("daumoi.thcscatba")
    assert focal.get("/giam-sat/").status_code == 403
    school_item = Item.objects.filter(channel=school_channel).first()
    assert focal.get(f"/giam-sat/noi-dung/{school_item.pk}/").status_code == 403
    services.queue_access_set(actor=people["thuongtruc"], unit=units["thcs-cat-ba"], allowed=True)
    page = focal.get("/giam-sat/")
    assert page.status_code == 200
    seen = {i.pk for i in page.context["items"]}
    assert seen and all(Item.objects.get(pk=pk).unit_id == units["thcs-cat-ba"].id for pk in seen)
    detail = focal.get(f"/giam-sat/noi-dung/{school_item.pk}/")
    assert detail.status_code == 200 and b'name="claim"' not in detail.content  # reads, never decides
    other = Item.objects.exclude(unit=units["thcs-cat-ba"]).filter(state="open").first()
    assert focal.get(f"/giam-sat/noi-dung/{other.pk}/").status_code == 404
    assert focal.post(f"/giam-sat/noi-dung/{school_item.pk}/", {"claim": "1"}).status_code == 403
    # The other school's focal point still sees nothing.
    assert client_for("daumoi.gdnn").get("/giam-sat/").status_code == 403
    services.queue_access_set(actor=people["thuongtruc"], unit=units["thcs-cat-ba"], allowed=False)
    assert focal.get("/giam-sat/").status_code == 403


def test_pages_render_for_moderator_and_admin(client_for):
    mod = client_for("kiemduyet")
    for url in ("/giam-sat/", "/giam-sat/kenh/", "/giam-sat/nhap/", "/giam-sat/thong-ke/"):
        assert mod.get(url).status_code == 200, url
    admin = client_for("thuongtruc")
    assert admin.get("/giam-sat/nhom-noi-dung/").status_code == 200
    assert mod.get("/giam-sat/nhom-noi-dung/").status_code == 403
    assert client_for("hocsinh").get("/giam-sat/thong-ke/").status_code == 403
    r = admin.post("/giam-sat/kenh/", {"platform": "website", "name": "Báo mạng X", "address": "ftp://x",
                                       "fetch_interval_minutes": 60,
                                       "zone_unit": admin.get("/giam-sat/kenh/").context["form"]
                                       .fields["zone_unit"].queryset.first().pk})
    assert r.status_code == 200 and "http://" in r.content.decode()
