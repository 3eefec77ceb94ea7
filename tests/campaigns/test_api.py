"""The campaign's API: push is idempotent and limited to the unit's own channels; reads are scoped."""

from datetime import datetime

from cyberyouth.campaigns.models import Post

from .conftest import VN


def test_push_twice_counts_once_and_another_schools_channel_is_not_found(db, units, channel_of, api_for):
    mine, theirs = channel_of(units["thcs-cat-ba"]), channel_of(units["thcs-cat-hai"])
    api = api_for("daumoi.thcscatba")
    body = {"channel_id": mine.id, "url": f"{mine.address}/posts/9", "posted_at": "2026-03-02T08:00:00+07:00",
            "text": "Tin tốt", "views": 120}
    first = api.post("/api/campaigns/posts", body, content_type="application/json")
    assert first.status_code == 201 and first.json()["day"] == "2026-03-02" and not first.json()["duplicate"]
    again = api.post("/api/campaigns/posts", body, content_type="application/json")
    assert again.status_code == 200 and again.json()["duplicate"] and again.json()["id"] == first.json()["id"]
    other = api.post("/api/campaigns/posts", {**body, "channel_id": theirs.id, "url": f"{theirs.address}/posts/9"},
                     content_type="application/json")
    assert other.status_code == 404
    wrong = api.post("/api/campaigns/posts", {**body, "url": "https://www.facebook.com/khac/posts/1"},
                     content_type="application/json")
    assert wrong.status_code in (400, 422) and "không thuộc kênh" in wrong.json()["detail"][0]["message"]
    bad_date = api.post("/api/campaigns/posts", {**body, "url": f"{mine.address}/posts/10", "posted_at": "hôm qua"},
                        content_type="application/json")
    assert bad_date.status_code in (400, 422)
    assert Post.objects.filter(channel__in=[mine, theirs]).count() == 1


def test_reads_are_scoped(db, units, channel_of, post_on, api_for):
    post_on(channel_of(units["thcs-cat-ba"]), datetime(2026, 1, 5, 8, 0, tzinfo=VN), "good_news")
    post_on(channel_of(units["thcs-cat-hai"]), datetime(2026, 1, 5, 8, 0, tzinfo=VN), "good_news")
    school = api_for("daumoi.thcscatba")
    codes = {p["unit"] for p in school.get("/api/campaigns/posts").json()}
    assert codes == {"thcs-cat-ba"}
    assert school.get("/api/campaigns/posts?unit=thcs-cat-hai").status_code == 404
    rows = school.get("/api/campaigns/compliance?year=2026").json()
    assert [r["unit"] for r in rows] == ["thcs-cat-ba"] and rows[0]["good_days"] == 1
    agency = {r["unit"] for r in api_for("thuongtruc").get("/api/campaigns/compliance?year=2026").json()}
    assert {"thcs-cat-ba", "thcs-cat-hai"} <= agency
    assert school.get("/api/campaigns/compliance?year=1999").status_code == 400
    assert api_for("tuvan").get("/api/campaigns/compliance?year=2026").status_code == 403
