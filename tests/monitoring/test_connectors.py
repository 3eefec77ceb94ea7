"""The Facebook Graph API and YouTube Data API v3 connectors against a local fake server that
speaks their documented request and response formats."""

import json

import pytest

from cyberyouth.channels.models import Channel, Platform
from cyberyouth.monitoring import services
from cyberyouth.monitoring.models import Item

pytestmark = pytest.mark.django_db


def _json(data, status=200, headers=None):
    return status, {"Content-Type": "application/json", **(headers or {})}, json.dumps(data, ensure_ascii=False)


@pytest.fixture
def fb_channel(people, units):
    return services.monitored_source_add(
        actor=people["thuongtruc"], platform=Platform.FACEBOOK_PAGE, name="Trang thử", zone_unit=units["hp-dk-cat-hai"],
        address="https://www.facebook.com/trang.thu", external_id="1234567890")


@pytest.fixture
def yt_channel(people, units):
    return services.monitored_source_add(
        actor=people["thuongtruc"], platform=Platform.YOUTUBE, name="Kênh thử", zone_unit=units["hp-dk-cat-hai"],
        address="https://www.youtube.com/@kenhthu", external_id="UCabcdefghijklmnopqrstuv")


def test_facebook_posts_comments_paging_and_fields(fake_server, fb_channel, settings):
    settings.CYBERYOUTH_FACEBOOK_TOKEN = "page-token-xyz"
    settings.CYBERYOUTH_FACEBOOK_GRAPH_URL = fake_server.url
    base = fake_server.url + "/v21.0"

    def posts(q, _):
        if q.get("after") == "P2":
            return _json({"data": [{"id": "1234567890_2", "message": "Bài thứ hai của trang",
                                    "created_time": "2025-09-02T01:00:00+0000",
                                    "permalink_url": "https://www.facebook.com/1234567890/posts/2"}],
                          "paging": {"cursors": {"before": "P1", "after": "P3"}}})
        return _json({"data": [{"id": "1234567890_1", "message": "Nhà trường thông báo lịch học",
                                "created_time": "2025-09-01T01:00:00+0000",
                                "permalink_url": "https://www.facebook.com/1234567890/posts/1",
                                "from": {"name": "Trang thử", "id": "1234567890"}}],
                      "paging": {"cursors": {"before": "P0", "after": "P2"},
                                 "next": f"{base}/1234567890/posts?access_token=page-token-xyz&after=P2"}})

    def comments_1(q, _):
        if q.get("after") == "C2":
            return _json({"data": [{"id": "1_c2", "message": "Nạp thẻ 100k nhận 500k, cá độ bóng đá uy tín",
                                    "created_time": "2025-09-01T03:00:00+0000", "from": {"name": "spam", "id": "9"}}],
                          "paging": {}})
        return _json({"data": [{"id": "1_c1", "message": "thằng béo lớp 8A ngu như chó, tẩy chay nó đi",
                                "created_time": "2025-09-01T02:00:00+0000", "from": {"name": "minh", "id": "8"}}],
                      "paging": {"next": f"{base}/1234567890_1/comments?access_token=page-token-xyz&after=C2"}})

    fake_server.routes["/v21.0/1234567890/posts"] = posts
    fake_server.routes["/v21.0/1234567890_1/comments"] = comments_1
    fake_server.routes["/v21.0/1234567890_2/comments"] = lambda q, _: _json({"data": [], "paging": {}})

    result = services.channel_poll(channel=fb_channel)
    assert result["ok"], result
    assert result["created"] == 4
    paths = [p for p, _ in fake_server.requests]
    assert paths.count("/v21.0/1234567890/posts") == 2 and paths.count("/v21.0/1234567890_1/comments") == 2
    first_query = fake_server.requests[0][1]
    assert first_query["access_token"] == "page-token-xyz"
    assert set(first_query["fields"].split(",")) >= {"id", "message", "created_time", "permalink_url"}
    comment = Item.objects.get(channel=fb_channel, external_id="1_c1")
    assert comment.parent.external_id == "1234567890_1"  # context: the post it belongs to
    assert comment.author == "minh" and comment.published_at.isoformat().startswith("2025-09-01T02:00")
    assert comment.state == "open"
    fb_channel.refresh_from_db()
    assert fb_channel.last_error == "" and fb_channel.consecutive_errors == 0 and fb_channel.next_fetch_at
    # Polling again: everything is a duplicate, and `since` asks only for recent posts.
    again = services.channel_poll(channel=fb_channel)
    assert again["ok"] and again["created"] == 0
    first_pages = [q for p, q in fake_server.requests if p.endswith("/posts") and "after" not in q]
    assert "since" not in first_pages[0] and "since" in first_pages[-1]


def test_facebook_throttling_and_bad_token_are_recorded_with_backoff(fake_server, fb_channel, settings):
    settings.CYBERYOUTH_FACEBOOK_TOKEN = "t"
    settings.CYBERYOUTH_FACEBOOK_GRAPH_URL = fake_server.url
    fake_server.routes["/v21.0/1234567890/posts"] = lambda q, _: _json(
        {"error": {"message": "(#32) Page request limit reached", "type": "OAuthException", "code": 32,
                   "fbtrace_id": "A1"}}, status=400)
    result = services.channel_poll(channel=fb_channel)
    assert not result["ok"] and "giới hạn" in result["error"]
    fb_channel.refresh_from_db()
    assert fb_channel.consecutive_errors == 1
    assert (fb_channel.next_fetch_at - fb_channel.last_fetch_at).total_seconds() >= 3600
    fake_server.routes["/v21.0/1234567890/posts"] = lambda q, _: _json(
        {"error": {"message": "Error validating access token", "type": "OAuthException", "code": 190}}, status=401)
    result = services.channel_poll(channel=fb_channel)
    assert "Mã truy cập Facebook" in result["error"]


def test_facebook_usage_header_stops_paging_early(fake_server, fb_channel, settings):
    settings.CYBERYOUTH_FACEBOOK_TOKEN = "t"
    settings.CYBERYOUTH_FACEBOOK_GRAPH_URL = fake_server.url
    fake_server.routes["/v21.0/1234567890/posts"] = lambda q, _: _json(
        {"data": [{"id": "1234567890_9", "message": "Bài đăng", "created_time": "2025-09-01T01:00:00+0000"}],
         "paging": {"next": f"{fake_server.url}/v21.0/1234567890/posts?after=X"}},
        headers={"X-App-Usage": json.dumps({"call_count": 95, "total_time": 10, "total_cputime": 5})})
    result = services.channel_poll(channel=fb_channel)
    assert result["ok"] and result["created"] == 1
    assert len(fake_server.requests) == 1  # no next page, no comments: the quota is nearly used up


def test_youtube_comment_threads_with_replies_and_paging(fake_server, yt_channel, settings):
    settings.CYBERYOUTH_YOUTUBE_API_KEY = "yt-key"
    settings.CYBERYOUTH_YOUTUBE_API_URL = fake_server.url + "/youtube/v3"

    def comment(cid, text, author="Người xem", parent=None):
        snippet = {"videoId": "vid123", "textDisplay": text, "textOriginal": text, "authorDisplayName": author,
                   "authorChannelId": {"value": "UCx"}, "publishedAt": "2025-09-03T10:00:00Z", "likeCount": 0}
        if parent:
            snippet["parentId"] = parent
        return {"kind": "youtube#comment", "etag": "e", "id": cid, "snippet": snippet}

    def threads(q, _):
        page2 = q.get("pageToken") == "NEXT"
        items = [{"kind": "youtube#commentThread", "etag": "e", "id": "T2" if page2 else "T1",
                  "snippet": {"channelId": "UCabcdefghijklmnopqrstuv", "videoId": "vid123",
                              "topLevelComment": comment("T2" if page2 else "T1",
                                                         "Mình không muốn sống nữa" if page2 else "Video hay quá"),
                              "canReply": True, "totalReplyCount": 0 if page2 else 1, "isPublic": True}}]
        if not page2:
            items[0]["replies"] = {"comments": [comment("T1.r1", "đồ ngu, biến đi", parent="T1")]}
        body = {"kind": "youtube#commentThreadListResponse", "etag": "e",
                "pageInfo": {"totalResults": 1, "resultsPerPage": 100}, "items": items}
        if not page2:
            body["nextPageToken"] = "NEXT"
        return _json(body)

    fake_server.routes["/youtube/v3/commentThreads"] = threads
    result = services.channel_poll(channel=yt_channel)
    assert result["ok"] and result["created"] == 3, result
    query = fake_server.requests[0][1]
    assert query["key"] == "yt-key" and query["allThreadsRelatedToChannelId"] == "UCabcdefghijklmnopqrstuv"
    assert "snippet" in query["part"] and query["maxResults"] == "100"
    assert fake_server.requests[1][1]["pageToken"] == "NEXT"
    reply = Item.objects.get(channel=yt_channel, external_id="T1.r1")
    assert reply.parent.external_id == "T1"
    assert reply.url == "https://www.youtube.com/watch?v=vid123&lc=T1.r1"
    urgent = Item.objects.get(channel=yt_channel, external_id="T2")
    assert urgent.top_category == "self_harm" and urgent.state == "open"


def test_youtube_quota_exceeded_waits_for_the_reset(fake_server, yt_channel, settings):
    settings.CYBERYOUTH_YOUTUBE_API_KEY = "k"
    settings.CYBERYOUTH_YOUTUBE_API_URL = fake_server.url + "/youtube/v3"
    fake_server.routes["/youtube/v3/commentThreads"] = lambda q, _: _json(
        {"error": {"code": 403, "message": "The request cannot be completed because you have exceeded your quota.",
                   "errors": [{"message": "quota", "domain": "youtube.quota", "reason": "quotaExceeded"}]}}, status=403)
    result = services.channel_poll(channel=yt_channel)
    assert not result["ok"] and "hạn mức" in result["error"]
    yt_channel.refresh_from_db()
    assert yt_channel.next_fetch_at > yt_channel.last_fetch_at
    fake_server.routes["/youtube/v3/commentThreads"] = lambda q, _: _json(
        {"error": {"code": 429, "message": "slow down", "errors": [{"reason": "rateLimitExceeded"}]}}, status=429,
        headers={"Retry-After": "120"})
    assert "giảm tần suất" in services.channel_poll(channel=yt_channel)["error"]


def test_channel_without_token_is_not_polled_but_says_why(yt_channel, settings):
    settings.CYBERYOUTH_YOUTUBE_API_KEY = ""
    result = services.channel_poll(channel=yt_channel)
    assert not result["ok"] and "mã truy cập" in result["error"]
    assert Channel.objects.get(pk=yt_channel.pk).consecutive_errors == 1
