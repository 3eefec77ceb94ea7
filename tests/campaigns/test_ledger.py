"""The posts ledger: one row per post whatever the source, links of the unit's own channel only,
marks by the unit, suggestions learned from the unit's own marks."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from cyberyouth.campaigns import services
from cyberyouth.campaigns.models import Post, PostKind
from cyberyouth.errors import DomainError, NotFound, ScopeError

from .conftest import VN


def test_the_same_post_twice_is_one_row(db, people, units, channel_of):
    channel = channel_of(units["thcs-cat-ba"])
    when = datetime(2026, 3, 2, 8, 0, tzinfo=VN)
    post, created = services.post_add(actor=people["daumoi.thcscatba"], channel_id=channel.id,
                                      url="https://www.facebook.com/trang.thcs-cat-ba/posts/123", posted_at=when)
    assert created
    # pasted again from a phone, with a tracking parameter and a trailing slash
    again, created = services.post_add(actor=people["daumoi.thcscatba"], channel_id=channel.id,
                                       url="https://m.facebook.com/trang.thcs-cat-ba/posts/123/?fbclid=abc",
                                       posted_at=when)
    assert not created and again.pk == post.pk
    # then arriving through the connector
    _, created = services.record_post(channel=channel, url="http://facebook.com/trang.thcs-cat-ba/posts/123#x",
                                      posted_at=when, source="connector")
    assert not created
    assert Post.objects.filter(channel=channel).count() == 1


def test_a_link_of_another_channel_is_refused(db, people, units, channel_of):
    channel = channel_of(units["thcs-cat-ba"])
    for url in ("https://www.facebook.com/some.other.page/posts/1", "https://example.vn/tin-tuc/1", "javascript:alert(1)",
                "https://www.facebook.com/trang.thcs-cat-ba.gia/posts/1"):
        with pytest.raises(DomainError) as error:
            services.post_add(actor=people["daumoi.thcscatba"], channel_id=channel.id, url=url,
                              posted_at=timezone.now())
        assert error.value.field == "url"
    assert not Post.objects.filter(channel=channel).exists()


def test_a_post_time_is_counted_on_the_vietnamese_day(db, units, channel_of, post_on):
    channel = channel_of(units["thcs-cat-ba"])
    # 23:30 on 31/3 in Viet Nam is 16:30 UTC: the post counts for 31/3, not 1/4 nor 30/3
    post = post_on(channel, datetime(2026, 3, 31, 23, 30))
    assert post.day.isoformat() == "2026-03-31"
    late_utc = services.record_post(channel=channel, url=f"{channel.address}/posts/x",
                                    posted_at=datetime(2026, 3, 31, 17, 30, tzinfo=UTC), source="push")[0]
    assert late_utc.day.isoformat() == "2026-04-01"


def test_future_times_and_bad_counts_are_refused(db, units, channel_of):
    channel = channel_of(units["thcs-cat-ba"])
    with pytest.raises(DomainError):
        services.record_post(channel=channel, url=f"{channel.address}/posts/1", source="push",
                             posted_at=timezone.now() + timedelta(days=1))
    with pytest.raises(DomainError):
        services.record_post(channel=channel, url=f"{channel.address}/posts/1", source="push",
                             posted_at=timezone.now(), views="nhiều")
    assert not Post.objects.filter(channel=channel).exists()


def test_a_school_cannot_post_or_mark_for_another_school(db, people, units, channel_of, post_on):
    other = channel_of(units["thcs-cat-hai"])
    with pytest.raises(NotFound):
        services.post_add(actor=people["daumoi.thcscatba"], channel_id=other.id,
                          url=f"{other.address}/posts/1", posted_at=timezone.now())
    post = post_on(other, datetime(2026, 3, 2, 9, 0))
    with pytest.raises(NotFound):
        services.post_mark(actor=people["daumoi.thcscatba"], post_id=post.id, kind=PostKind.GOOD_NEWS)
    # the leader reads but does not mark
    with pytest.raises(ScopeError):
        services.post_mark(actor=people["lanhdao"], post_id=post.id, kind=PostKind.GOOD_NEWS)
    services.post_mark(actor=people["daumoi.thcscathai"], post_id=post.id, kind=PostKind.STORY)
    post.refresh_from_db()
    assert post.kind == PostKind.STORY and post.marked_by == people["daumoi.thcscathai"]


def test_the_ledger_page_shows_only_the_schools_own_posts(db, people, units, channel_of, post_on, client_for):
    post_on(channel_of(units["thcs-cat-ba"]), datetime(2026, 3, 2, 9, 0), text="Tin của trường Cát Bà")
    post_on(channel_of(units["thcs-cat-hai"]), datetime(2026, 3, 2, 9, 0), text="Tin của trường Cát Hải")
    page = client_for("daumoi.thcscatba").get("/chien-dich/bai-dang/").text
    assert "Tin của trường Cát Bà" in page and "Tin của trường Cát Hải" not in page
    agency = client_for("thuongtruc").get("/chien-dich/bai-dang/").text
    assert "Tin của trường Cát Bà" in agency and "Tin của trường Cát Hải" in agency


def test_marking_from_the_page(db, people, units, channel_of, post_on, client_for):
    post = post_on(channel_of(units["thcs-cat-ba"]), datetime(2026, 3, 2, 9, 0))
    response = client_for("daumoi.thcscatba").post(f"/chien-dich/bai-dang/{post.id}/phan-loai/", {"kind": "good_news"})
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.kind == PostKind.GOOD_NEWS
    assert client_for("daumoi.thcscathai").post(f"/chien-dich/bai-dang/{post.id}/phan-loai/",
                                                {"kind": "neither"}).status_code == 404
    post.refresh_from_db()
    assert post.kind == PostKind.GOOD_NEWS


def test_suggestions_are_learned_from_the_units_own_marks_only(db, units, channel_of, post_on):
    mine, theirs = channel_of(units["thcs-cat-ba"]), channel_of(units["thcs-cat-hai"])
    for i in range(4):
        post_on(mine, datetime(2026, 3, 2 + i, 8), "good_news", f"Đoàn trường triển khai nghị quyết chính sách {i}")
        post_on(mine, datetime(2026, 3, 2 + i, 9), "story", f"Em học sinh nghèo vượt khó nhặt được ví trả lại {i}")
    new = post_on(mine, datetime(2026, 3, 9, 8), text="Học sinh vượt khó nhặt được của rơi trả lại người mất")
    assert new.suggested_kind == PostKind.STORY and new.suggested_confidence > 0.5
    assert new.kind == PostKind.UNMARKED  # a person confirms
    # the other school has no marks: no suggestion from the first school's
    other = post_on(theirs, datetime(2026, 3, 9, 8), text="Học sinh vượt khó nhặt được của rơi trả lại người mất")
    assert other.suggested_kind == ""


def test_posts_polled_by_monitorings_connectors_enter_the_ledger_once(db, units, channel_of, monkeypatch):
    from cyberyouth.monitoring import connectors, services as monitoring

    channel = channel_of(units["thcs-cat-ba"])
    channel.monitored, channel.feed_url = True, "https://example.vn/rss"
    channel.save()
    when = timezone.now() - timedelta(hours=2)
    entries = [
        {"external_id": "1", "url": f"{channel.address}/posts/1", "text": "Tin tốt", "published_at": when},
        {"external_id": "1c", "url": f"{channel.address}/posts/1?c=2", "text": "bình luận", "published_at": when,
         "parent_external_id": "1"},
        {"external_id": "2", "url": "https://elsewhere.example/x", "text": "rác", "published_at": when},
        {"external_id": "3", "url": "", "text": "không có liên kết", "published_at": when},
        {"external_id": "4", "url": f"{channel.address}/posts/4", "text": "không có giờ", "published_at": None},
    ]

    class Fake:
        source = "feed"

        def fetch(self, channel):
            return entries

    monkeypatch.setattr(connectors, "for_channel", lambda channel: Fake())
    assert monitoring.channel_poll(channel=channel)["ok"]
    assert monitoring.channel_poll(channel=channel)["ok"]
    assert list(Post.objects.filter(channel=channel).values_list("url", "source")) == [
        (f"{channel.address}/posts/1", "connector")]
