"""The public report form (tố giác): anyone can report; honeypot, form token with a minimum fill
time and rate limits hold suspicious reports in a bin moderators screen (never dropped); size
limits refuse; reports join the same queue and the sender gets a reference."""

import time

import pytest
from django.core import signing
from django.test import Client

from cyberyouth.monitoring import services
from cyberyouth.monitoring.models import Item, PublicReport

pytestmark = pytest.mark.django_db


def _token(age_seconds: float = 10, nonce: str | None = None) -> str:
    # A token signed `age_seconds` ago (what a person who took that long to fill the form sends).
    import secrets

    signer = signing.TimestampSigner(salt=services._FORM_SALT)
    value = f"report:{nonce or secrets.token_urlsafe(18)}"
    timestamp = signing.b62_encode(int(time.time() - age_seconds))
    return f"{value}:{timestamp}:{signer.signature(f'{value}:{timestamp}')}"


def _post(client, units, **data):
    base = {"unit": units["hp-dk-cat-hai"].pk, "link": "https://www.facebook.com/groups/x/posts/1",
            "text": "Nhóm này rủ học sinh cá độ bóng đá, nạp thẻ đổi thưởng", "website": "", "form_token": _token()}
    ip = data.pop("ip", "203.0.113.5")
    return client.post("/giam-sat/to-giac/", {**base, **data}, REMOTE_ADDR=ip, follow=True)


def test_anonymous_report_joins_the_queue_with_a_reference(units, people):
    page = Client().get("/giam-sat/to-giac/")
    assert page.status_code == 200 and b'name="website"' in page.content and b'name="form_token"' in page.content
    assert "Chúng tôi lưu gì" in page.content.decode()
    r = _post(Client(), units)
    report = PublicReport.objects.latest("id")
    assert r.status_code == 200 and "Cảm ơn" in r.content.decode() and report.reference in r.content.decode()
    assert report.item.reported and report.item.state == "open" and report.item.source == "report"
    assert report.suspicion == ""
    assert report.reporter_name == "" and len(report.client_hash) == 64 and "203.0.113.5" not in report.client_hash
    from cyberyouth.monitoring import selectors

    assert report.item.pk in {i.pk for i in selectors.queue(actor=people["kiemduyet"], limit=200)}


@pytest.mark.parametrize("change,suspicion", [
    (lambda: {"website": "http://spam.example"}, "honeypot"),
    (lambda: {"form_token": _token(age_seconds=0)}, "too_fast"),
    (lambda: {"form_token": "report:abc:forged"}, "form"),
    (lambda: {"form_token": _token(age_seconds=25 * 3600)}, "form"),
])
def test_bot_defences_hold_reports_never_drop_them(units, people, change, suspicion):
    """A report that trips a defence is kept in the low-priority bin, not thrown away; the sender
    is thanked with a reference like anyone else."""
    before = Item.objects.count()
    r = _post(Client(), units, **change())
    assert "Cảm ơn" in r.content.decode() and Item.objects.count() == before + 1
    report = PublicReport.objects.latest("id")
    assert report.suspicion == suspicion and report.item.state == "held" and report.reference in r.content.decode()
    from cyberyouth.monitoring import selectors

    assert report.item.pk not in {i.pk for i in selectors.queue(actor=people["kiemduyet"], limit=200)}
    assert report.item.pk in {i.pk for i in selectors.held_reports(actor=people["kiemduyet"])}


def test_size_limits_are_refused_on_the_form(units):
    before = Item.objects.count()
    r = _post(Client(), units, text="x" * 5001)
    assert r.status_code == 200 and "5000" in r.content.decode().replace(".", "")
    r = _post(Client(), units, link="javascript:alert(1)", text="")
    assert "http://" in r.content.decode()
    r = _post(Client(), units, link="", text="")
    assert "Nhập đường dẫn hoặc nội dung" in r.content.decode()
    assert Item.objects.count() == before


def test_rate_limits_hold_instead_of_refusing(units, monkeypatch):
    client = Client()
    for n in range(services.REPORT_PER_CLIENT_PER_HOUR):
        assert "Cảm ơn" in _post(client, units, text=f"Báo cáo số {n} về nội dung xấu").content.decode()
    held = _post(client, units, text="Một báo cáo nữa")
    assert held.status_code == 200 and "Cảm ơn" in held.content.decode()
    assert PublicReport.objects.latest("id").suspicion == "sender_rate"
    # Another sender is not affected by the first one's limit…
    assert "Cảm ơn" in _post(Client(), units, ip="198.51.100.7", text="Người khác báo").content.decode()
    assert PublicReport.objects.latest("id").suspicion == ""
    # …and past the overall hourly cap reports are still taken, held for screening.
    monkeypatch.setattr(services, "REPORT_PER_HOUR_ALL", PublicReport.objects.filter(suspicion="").count())
    r = _post(Client(), units, ip="198.51.100.8", text="Thêm nữa")
    assert r.status_code == 200 and PublicReport.objects.latest("id").suspicion == "flood"


def test_report_with_screenshot_keeps_it_hashed(units):
    import hashlib

    from django.core.files.uploadedfile import SimpleUploadedFile

    png = b"\x89PNG\r\n\x1a\n" + b"0" * 100
    r = Client().post("/giam-sat/to-giac/", {
        "unit": units["hp-dk-cat-hai"].pk, "text": "Ảnh chụp bạn bị bắt nạt", "website": "", "form_token": _token(),
        "file": SimpleUploadedFile("anh.png", png, content_type="image/png")}, REMOTE_ADDR="192.0.2.9", follow=True)
    assert "Cảm ơn" in r.content.decode()
    attachment = PublicReport.objects.latest("id").item.attachments.get()
    assert attachment.sha256 == hashlib.sha256(png).hexdigest()
    r = Client().post("/giam-sat/to-giac/", {
        "unit": units["hp-dk-cat-hai"].pk, "text": "tệp lạ", "website": "", "form_token": _token(),
        "file": SimpleUploadedFile("x.exe", b"MZ", content_type="application/octet-stream")}, REMOTE_ADDR="192.0.2.10")
    assert "PNG/JPG" in r.content.decode()


def test_reporters_contacts_are_cleared_after_the_retention_period(units, settings):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    from cyberyouth.monitoring import worker

    settings.REPORTER_CONTACT_DAYS = 30
    _post(Client(), units, reporter_name="Nguyễn Văn A", reporter_contact="0912345678", ip="198.51.100.1")
    _post(Client(), units, reporter_name="Trần Thị B", reporter_contact="b@example.com", ip="198.51.100.2",
          text="Một nhóm khác rủ học sinh chơi tài xỉu")
    old, recent = PublicReport.objects.order_by("id")[:2]
    PublicReport.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=31))
    call_command("monitoring", "expire-contacts")
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.reporter_name, old.reporter_contact) == ("", "") and old.item_id  # the report itself stays
    assert recent.reporter_contact == "b@example.com"
    # The worker does the same on its own, once an hour.
    PublicReport.objects.filter(pk=recent.pk).update(created_at=timezone.now() - timedelta(days=31))
    worker._next_housekeeping = 0.0
    worker.poll_once()
    recent.refresh_from_db()
    assert recent.reporter_contact == ""
