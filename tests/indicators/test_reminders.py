"""Reminders to units that still owe their report: who may send, who is told, once a day, nothing on refusal."""

import pytest
from django.core import mail

from cyberyouth.audit.models import AuditEntry
from cyberyouth.errors import DomainError, ScopeError
from cyberyouth.indicators import reminders
from cyberyouth.indicators.models import Reminder

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture(autouse=True)
def _locmem_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def test_owing_units_are_reminded_and_their_focal_points_mailed(people, units, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        result = reminders.reminders_send(actor=people["thuongtruc"], year=2025, base_url="https://311.example/")
    reminded = {r.unit.code for r in result.reminded}
    assert {"th-cat-hai", "thcs-cat-hai"} <= reminded  # never sent / returned (the demo)
    assert "gdnn-gdtx-cat-hai" not in reminded  # approved
    # Each mail goes to one focal point of an owing unit, with a link to that unit's form.
    assert len(mail.outbox) == result.emails >= 1
    assert ["daumoi.thcscathai@cathai.example"] in [m.to for m in mail.outbox]  # the returned school's focal point
    by_unit = {r.unit.code: r for r in result.reminded}
    for rem in result.reminded:
        assert rem.sent_by == people["thuongtruc"] and rem.year == 2025
        assert AuditEntry.objects.filter(action="indicators.remind", target_id=str(rem.pk)).exists()
    for message in mail.outbox:
        assert "báo cáo số liệu năm 2025" in message.subject
        assert message.body.count("https://311.example/chi-tieu/") == 1
        assert "\n\n\n" not in message.body
        (address,) = message.to
        username = address.split("@")[0]
        assert any(username in [p["username"] for p in r.recipients] for r in by_unit.values())
    returned = next(m for m in mail.outbox if m.to == ["daumoi.thcscathai@cathai.example"])
    assert "chưa gửi lại báo cáo số liệu năm 2025" in returned.body  # its report was returned


def test_a_unit_without_an_email_is_recorded_and_said(people, units, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        result = reminders.reminders_send(actor=people["thuongtruc"], year=2025, unit=units["th-cat-hai"])
    assert [r.unit.code for r in result.reminded] == ["th-cat-hai"]
    assert result.reminded[0].recipients == []  # no focal point yet in the demo
    assert mail.outbox == []
    assert "không có đầu mối" in result.skipped[0][1]


def test_once_a_day(people, units):
    first = reminders.reminders_send(actor=people["thuongtruc"], year=2025)
    assert first.reminded
    again = reminders.reminders_send(actor=people["thuongtruc"], year=2025)
    assert again.reminded == []
    assert {name for name, _ in again.skipped} >= {r.unit.name for r in first.reminded}
    assert Reminder.objects.filter(year=2025).count() == len(first.reminded)


def test_who_may_remind(people, units):
    for username in ("daumoi.thcscatba", "lanhdao", "hocsinh"):
        with pytest.raises(ScopeError):
            reminders.reminders_send(actor=people[username], year=2025)
    assert not Reminder.objects.exists()


def test_refusals_write_and_send_nothing(people, units, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(DomainError, match="Chưa mở kỳ báo cáo năm 2019"):
            reminders.reminders_send(actor=people["thuongtruc"], year=2019)
        with pytest.raises(DomainError, match="Không còn đơn vị nào phải nhắc"):
            reminders.reminders_send(actor=people["thuongtruc"], year=2025, unit=units["gdnn-gdtx-cat-hai"])
    assert not Reminder.objects.exists() and mail.outbox == []


def test_page_button_and_api(people, units, client_for, api_for):
    page = client_for("thuongtruc").get("/chi-tieu/tien-do-bao-cao/?nam=2025")
    assert "Gửi nhắc nhở" in page.content.decode()
    assert "Gửi nhắc nhở" not in client_for("lanhdao").get("/chi-tieu/tien-do-bao-cao/?nam=2025").content.decode()
    response = client_for("thuongtruc").post("/chi-tieu/tien-do-bao-cao/?nam=2025", {"remind": "1"}, follow=True)
    html = response.content.decode()
    assert "Đã nhắc" in html and "đã nhắc" in html  # the message, and the time next to each unit
    assert client_for("lanhdao").post("/chi-tieu/tien-do-bao-cao/?nam=2025", {"remind": "1"}).status_code == 403
    again = api_for("thuongtruc").post("/api/indicators/reminders", {"year": 2025}, content_type="application/json")
    assert again.status_code == 200 and again.json()["reminded"] == []  # already reminded today
    refused = api_for("lanhdao").post("/api/indicators/reminders", {"year": 2025}, content_type="application/json")
    assert refused.status_code == 403 and refused.json()["detail"][0]["code"] == "forbidden"


def test_command(people, capsys):
    from django.core.management import call_command

    call_command("indicators", "remind", "--year", "2025")
    assert "Đã nhắc" in capsys.readouterr().out
    assert Reminder.objects.filter(sent_by__isnull=True).exists()  # the system, from a cron


def test_the_focal_point_sees_the_reminder_on_the_home_page(people, client_for):
    from cyberyouth.indicators.models import Period

    latest = Period.objects.order_by("-year").first()  # the home card shows the latest period
    words = "cơ quan thường trực đã nhắc ngày"
    assert words not in client_for("daumoi.thcscathai").get("/").content.decode()
    reminders.reminders_send(actor=people["thuongtruc"], year=latest.year, unit=people["daumoi.thcscathai"]
                             .roles.get().unit)
    html = client_for("daumoi.thcscathai").get("/").content.decode()
    assert words in html and f"hạn nộp {latest.deadline:%d/%m/%Y}" in html
    assert words not in client_for("daumoi.gdnn").get("/").content.decode()  # another unit, not reminded
