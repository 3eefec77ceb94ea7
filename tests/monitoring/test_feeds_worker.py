"""RSS/Atom polling, and a worker that survives bad feeds: garbage, time-outs, huge responses."""

import time

import pytest

from cyberyouth.channels.models import Channel, Platform
from cyberyouth.monitoring import services
from cyberyouth.monitoring.connectors import http as conn_http
from cyberyouth.monitoring.models import Item

pytestmark = pytest.mark.django_db

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Tin Cát Bà</title>
<item><title>Lịch tựu trường năm học mới</title><link>https://tin.example/1</link><guid>tin-1</guid>
<description>&lt;p&gt;Các em học sinh &lt;b&gt;tựu trường&lt;/b&gt; ngày 1/9.&lt;/p&gt;</description>
<pubDate>Mon, 01 Sep 2025 08:00:00 +0700</pubDate><dc:creator>Ban biên tập</dc:creator></item>
<item><title>Cá độ bóng đá uy tín, nạp thẻ nhận thưởng x3</title><link>https://tin.example/2</link><guid>tin-2</guid></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Blog</title><id>urn:blog</id><updated>2025-09-01T00:00:00Z</updated>
<entry><title>Một ngày ở Cát Hải</title><id>urn:e1</id><link rel="alternate" href="https://blog.example/e1"/>
<updated>2025-09-02T00:00:00Z</updated><author><name>Hải</name></author><summary>Biển đẹp, người hiền.</summary></entry>
</feed>"""


def _feed(people, units, url, name="Nguồn tin"):
    return services.monitored_source_add(actor=people["thuongtruc"], platform=Platform.WEBSITE, name=name,
                                         address=url.replace("/feed", "/") + name.replace(" ", "-"), feed_url=url,
                                         zone_unit=units["hp-dk-cat-hai"])


def test_rss_and_atom_are_ingested(fake_server, people, units):
    fake_server.routes["/rss"] = lambda q, _: (200, {"Content-Type": "application/rss+xml"}, RSS)
    fake_server.routes["/atom"] = lambda q, _: (200, {"Content-Type": "application/atom+xml"}, ATOM)
    rss = _feed(people, units, fake_server.url + "/rss", "rss")
    atom = _feed(people, units, fake_server.url + "/atom", "atom")
    assert services.channel_poll(channel=rss)["created"] == 2
    assert services.channel_poll(channel=atom)["created"] == 1
    first = Item.objects.get(channel=rss, external_id="tin-1")
    assert first.text == "Lịch tựu trường năm học mới\nCác em học sinh tựu trường ngày 1/9."
    assert first.author == "Ban biên tập" and first.published_at.year == 2025
    assert Item.objects.get(channel=rss, external_id="tin-2").state == "open"
    entry = Item.objects.get(channel=atom)
    assert entry.url == "https://blog.example/e1" and entry.author == "Hải"
    assert services.channel_poll(channel=rss)["created"] == 0


def _slow(q, handler):
    handler.send_response(200)
    handler.send_header("Content-Type", "application/rss+xml")
    handler.end_headers()
    handler.wfile.write(b"<?xml version='1.0'?><rss>")
    handler.wfile.flush()
    time.sleep(3)
    return None, {}, b""


def _huge(q, handler):
    handler.send_response(200)
    handler.send_header("Content-Type", "application/rss+xml")
    handler.end_headers()  # no Content-Length: the size cap must hold while reading
    try:
        for _ in range(200):
            handler.wfile.write(b"<a>" + b"x" * 65536 + b"</a>")
    except (BrokenPipeError, ConnectionResetError):
        pass
    return None, {}, b""


BAD = {
    "/garbage": lambda q, _: (200, {}, b"\x00\xffnot xml at all <<<"),
    "/html": lambda q, _: (200, {"Content-Type": "text/html"}, "<html><body>Trang chủ</body></html>"),
    "/bomb": lambda q, _: (200, {}, '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                                    '<!ENTITY lol2 "&lol;&lol;&lol;">]><rss><channel><item><title>&lol2;</title>'
                                    '</item></channel></rss>'),
    "/error": lambda q, _: (500, {}, "Internal Server Error"),
    "/declared-huge": lambda q, _: (200, {"Content-Length": str(10**9)}, b""),
    "/slow": _slow,
    "/huge": _huge,
}


def test_bad_feeds_are_recorded_with_backoff_and_good_ones_still_polled(fake_server, people, units, monkeypatch):
    monkeypatch.setattr(conn_http, "TIMEOUT", 1.0)
    monkeypatch.setattr(conn_http, "MAX_BYTES", 1024 * 1024)
    for path, handler in BAD.items():
        fake_server.routes[path] = handler
    fake_server.routes["/rss"] = lambda q, _: (200, {}, RSS)
    bad = {path: _feed(people, units, fake_server.url + path, path.strip("/")) for path in BAD}
    unreachable = _feed(people, units, "http://127.0.0.1:9/feed", "closed-port")
    good = _feed(people, units, fake_server.url + "/rss", "good")
    started = time.monotonic()
    results = {r["channel"]: r for r in services.poll_due(limit=500)}
    assert time.monotonic() - started < 30
    assert results[good.pk]["ok"] and results[good.pk]["created"] == 2
    for path, channel in [*bad.items(), ("closed", unreachable)]:
        assert not results[channel.pk]["ok"], path
        channel.refresh_from_db()
        assert channel.consecutive_errors == 1 and channel.last_error and channel.next_fetch_at > channel.last_fetch_at
    messages = {path: Channel.objects.get(pk=c.pk).last_error for path, c in bad.items()}
    assert "XML" in messages["/garbage"] and "RSS hay Atom" in messages["/html"]
    assert "DOCTYPE" in messages["/bomb"] and "HTTP 500" in messages["/error"]
    assert "quá lớn" in messages["/huge"] and "quá lớn" in messages["/declared-huge"]
    assert "kết nối" in messages["/slow"] or "chậm" in messages["/slow"]
    # Back-off grows with consecutive errors (and is capped at a day).
    garbage = bad["/garbage"]
    garbage.refresh_from_db()
    first_delay = garbage.next_fetch_at - garbage.last_fetch_at
    services.channel_poll(channel=garbage)
    garbage.refresh_from_db()
    assert garbage.consecutive_errors == 2 and garbage.next_fetch_at - garbage.last_fetch_at > first_delay
    # Not due any more: the next round polls nothing.
    assert services.poll_due(limit=500) == []


def test_poll_command_runs_due_channels_and_one_channel(fake_server, people, units):
    from io import StringIO

    from django.core.management import call_command

    fake_server.routes["/rss"] = lambda q, _: (200, {}, RSS)
    channel = _feed(people, units, fake_server.url + "/rss", "lenh")
    out = StringIO()
    call_command("monitoring", "poll", stdout=out)
    assert f"kênh {channel.pk}: 2 mục, 2 mới" in out.getvalue()
    out = StringIO()
    call_command("monitoring", "poll", "--channel", str(channel.pk), stdout=out)
    assert f"kênh {channel.pk}: 2 mục, 0 mới" in out.getvalue()
