"""The public report form cannot be blocked for everyone, never loses a report, and one form gives
one report: the sender's address comes from the proxy rule (never a header the client writes),
a flood lands in the screening bin, a real reporter still reaches the queue."""

import re

import pytest
from django.test import Client, RequestFactory

from cyberyouth.lib.client import client_address
from cyberyouth.monitoring import selectors, services
from cyberyouth.monitoring.models import Item, PublicReport

pytestmark = pytest.mark.django_db


def _aged_token(seconds: float = 30) -> str:
    """A genuine form token issued `seconds` ago (a person who took that long to fill the form)."""
    import secrets
    import time

    from django.core import signing

    value = f"report:{secrets.token_urlsafe(18)}"
    stamp = signing.b62_encode(int(time.time() - seconds))
    return f"{value}:{stamp}:{signing.TimestampSigner(salt=services._FORM_SALT).signature(f'{value}:{stamp}')}"


def _form(client):
    page = client.get("/giam-sat/to-giac/").content.decode()
    return re.search(r'name="form_token" value="([^"]+)"', page).group(1)


def _send(client, units, token, *, text="Nhóm rủ học sinh cá độ bóng đá", **extra):
    return client.post("/giam-sat/to-giac/", {"unit": units["hp-dk-cat-hai"].pk, "link": "", "text": text,
                                               "website": "", "form_token": token}, follow=True, **extra)


@pytest.mark.parametrize("proxies,meta,expected", [
    (0, {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "1.2.3.4"}, "10.0.0.1"),
    (1, {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 198.51.100.4"}, "198.51.100.4"),
    (2, {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 198.51.100.4, 10.0.0.1"}, "198.51.100.4"),
    (1, {"REMOTE_ADDR": "10.0.0.1"}, "10.0.0.1"),
    (1, {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "not-an-address"}, "10.0.0.1"),
])
def test_client_address_follows_the_proxy_rule(settings, proxies, meta, expected):
    settings.TRUSTED_PROXIES = proxies
    assert client_address(RequestFactory().get("/", **meta)) == expected


def test_header_spoofed_flood_cannot_block_a_real_reporter(units, people, settings):
    """The attack from the issue: many posts with a different X-Forwarded-For each. The header is
    not trusted (no proxy configured), so they count as one sender and are held; a real reporter
    from elsewhere still gets into the queue, and nobody gets a 429."""
    settings.TRUSTED_PROXIES = 0
    bot = Client()
    for n in range(12):
        r = _send(bot, units, _aged_token(), text=f"rác {n}",
                  REMOTE_ADDR="203.0.113.66", HTTP_X_FORWARDED_FOR=f"10.{n}.{n}.{n}")
        assert r.status_code == 200
    flood = PublicReport.objects.order_by("-id")[:12]
    assert sum(1 for p in flood if p.suspicion == "sender_rate") >= 12 - services.REPORT_PER_CLIENT_PER_HOUR
    real = _send(Client(), units, _aged_token(), REMOTE_ADDR="198.51.100.20")
    report = PublicReport.objects.latest("id")
    assert real.status_code == 200 and report.suspicion == "" and report.item.state == "open"
    assert report.item.pk in {i.pk for i in selectors.queue(actor=people["kiemduyet"], limit=200)}


def test_behind_a_proxy_the_spoofed_first_hop_is_ignored(units, settings):
    settings.TRUSTED_PROXIES = 1
    for n in range(services.REPORT_PER_CLIENT_PER_HOUR + 2):
        _send(Client(), units, _aged_token(), text=f"tin {n}", REMOTE_ADDR="10.0.0.1",
              HTTP_X_FORWARDED_FOR=f"7.7.7.{n}, 203.0.113.9")
    last = PublicReport.objects.order_by("-id")[:2]
    assert {p.suspicion for p in last} == {"sender_rate"}


def test_one_form_gives_one_report(units):
    """Sending the same form twice (back, send again; a double click) makes one report, and the
    sender sees the same reference."""
    import time

    client = Client()
    token = _form(client)
    time.sleep(0)  # the token's age only decides the bin, not whether the report is kept
    before = Item.objects.count()
    first = _send(client, units, token, REMOTE_ADDR="198.51.100.30")
    second = _send(client, units, token, REMOTE_ADDR="198.51.100.30")
    assert Item.objects.count() == before + 1
    reference = PublicReport.objects.latest("id").reference
    assert reference in first.content.decode() and reference in second.content.decode()


def test_sender_checks_the_status_with_the_reference(units, people):
    _send(Client(), units, _aged_token(), REMOTE_ADDR="198.51.100.31")
    report = PublicReport.objects.latest("id")
    page = Client().get("/giam-sat/to-giac/tra-cuu/", {"ma": report.reference.lower().replace("-", " ")})
    assert "Đã nhận" in page.content.decode() and report.reference in page.content.decode()
    me = people["kiemduyet"]
    services.item_claim(actor=me, item_id=report.item_id)
    services.item_decide(actor=me, item_id=report.item_id, outcome="dismiss", reason="Không vi phạm")
    page = Client().get("/giam-sat/to-giac/tra-cuu/", {"ma": report.reference}).content.decode()
    assert "Đã xem xét xong" in page and "Không vi phạm" not in page and "kiemduyet" not in page
    missing = Client().get("/giam-sat/to-giac/tra-cuu/", {"ma": "TG-0000-0000"}).content.decode()
    assert "Không tìm thấy" in missing


def test_moderators_screen_the_bin_other_people_cannot(units, people, client_for):
    client = Client()
    _send(client, units, "report:x:forged", REMOTE_ADDR="198.51.100.32", text="thật: bạn bị bắt nạt")
    real = PublicReport.objects.latest("id")
    _send(client, units, "report:y:forged", REMOTE_ADDR="198.51.100.32", text="mua ngay giá rẻ")
    junk = PublicReport.objects.latest("id")
    assert real.item.state == junk.item.state == "held"
    queue_page = client_for("kiemduyet").get("/giam-sat/").content.decode()
    assert "Tố giác cần sàng lọc" in queue_page
    bin_page = client_for("kiemduyet").get("/giam-sat/to-giac/sang-loc/").content.decode()
    assert real.reference in bin_page and junk.reference in bin_page
    # a school focal point cannot screen (no moderation right)
    assert client_for("daumoi.thcscatba").get("/giam-sat/to-giac/sang-loc/").status_code == 403
    r = client_for("daumoi.thcscatba").post("/giam-sat/to-giac/sang-loc/", {"item": [junk.item_id], "clear": "1"})
    assert r.status_code == 403
    c = client_for("kiemduyet")
    c.post("/giam-sat/to-giac/sang-loc/", {"item": [real.item_id], "release": "1"})
    c.post("/giam-sat/to-giac/sang-loc/", {"item": [junk.item_id], "clear": "1"})
    real.item.refresh_from_db()
    junk.item.refresh_from_db()
    assert real.item.state == "open" and junk.item.state == "decided" and junk.item.decisions.get().outcome == "dismiss"
    from cyberyouth.audit.models import AuditEntry

    assert AuditEntry.objects.filter(action__in=["monitoring.held_release", "monitoring.held_clear"]).count() == 2


def test_the_form_is_linked_from_the_login_page_and_the_footer(client_for):
    assert "/giam-sat/to-giac/" in Client().get("/dang-nhap/").content.decode()
    # (a student lands on the student's home, which offers it twice: in the help box and as a tile)
    assert 'href="/giam-sat/to-giac/"' in client_for("hocsinh").get("/", follow=True).content.decode()
    assert 'href="/giam-sat/to-giac/"' in client_for("daumoi.thcscatba").get("/").content.decode()
