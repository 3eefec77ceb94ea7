"""One mechanism tells people what concerns them: the bell on the shell and an e-mail, when a
report is returned or approved, a reminder arrives, a document made in the background is ready."""

import pytest
from django.core import mail

from cyberyouth.errors import NotFound
from cyberyouth.indicators import reminders, services
from cyberyouth.notifications import selectors
from cyberyouth.notifications import services as notification_services
from cyberyouth.notifications.models import Notification

pytestmark = pytest.mark.django_db
YEAR = 2026
GOOD = {"students_enrolled": 480, "students_cc_reached": 470, "students_cc_ack": 460, "union_new_members": 50,
        "union_new_studied": 45, "staff_student_work": 18, "staff_trained": 17, "teaches_safety": 1}
EVIDENCE = {"teaches_safety": "Kế hoạch 12/KH-TTGDNN ngày 05/9/2026"}


@pytest.fixture(autouse=True)
def _locmem_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def _empty_bells(db):
    """The demo's apps notify people as they load (a dialogue's leaders, a held forum message …);
    these tests count what one action sends, so every bell starts empty."""
    Notification.objects.all().delete()


def _sent(people, units):
    return services.values_save(actor=people["daumoi.gdnn"], unit=units["gdnn-gdtx-cat-hai"], year=YEAR,
                                values=GOOD, evidence=EVIDENCE, submit=True)


def test_a_returned_report_reaches_the_focal_point_in_the_bell_and_by_mail(
        people, units, client_for, django_capture_on_commit_callbacks):
    focal = people["daumoi.gdnn"]
    submission = _sent(people, units)
    assert selectors.unread_count(actor=focal) == 0
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_return(actor=people["thuongtruc"], submission=submission, comment="Kiểm tra số cán bộ.")
    (note,) = selectors.notifications_for(actor=focal)
    assert note.kind == "submission_returned" and "bị trả lại" in note.title and "Kiểm tra số cán bộ." in note.body
    assert note.link == f"/chi-tieu/bao-cao/gdnn-gdtx-cat-hai/{YEAR}/"
    assert not Notification.objects.filter(recipient=people["thuongtruc"]).exists()  # not the one who returned it
    (message,) = mail.outbox
    assert message.to == [focal.email] and "bị trả lại" in message.subject and "Kiểm tra số cán bộ." in message.body
    assert "[Chương trình 311]" in message.subject
    home = client_for("daumoi.gdnn").get("/").content.decode()
    assert 'class="bell-count"' in home and ">1</span>" in home
    # Someone else's bell is untouched.
    assert 'class="bell-count"' not in client_for("daumoi.thcscatba").get("/").content.decode()


def test_an_approved_report_is_told_too(people, units, django_capture_on_commit_callbacks):
    submission = _sent(people, units)
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_approve(actor=people["thuongtruc"], submission=submission, comment="Tốt.")
    (note,) = selectors.notifications_for(actor=people["daumoi.gdnn"])
    assert note.kind == "submission_approved" and "đã được duyệt" in note.title
    assert len(mail.outbox) == 1


def test_a_refused_action_tells_nobody(people, units, django_capture_on_commit_callbacks):
    submission = _sent(people, units)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Exception):  # noqa: B017, PT011
        services.submission_return(actor=people["thuongtruc"], submission=submission, comment=" ")
    assert not Notification.objects.exists() and mail.outbox == []


def test_a_reminder_arrives_through_the_same_mechanism(people, units, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        reminders.reminders_send(actor=people["thuongtruc"], year=2025, unit=units["thcs-cat-hai"])
    (note,) = selectors.notifications_for(actor=people["daumoi.thcscathai"])
    assert note.kind == "reminder" and "Nhắc gửi báo cáo số liệu năm 2025" in note.title
    assert [m.to for m in mail.outbox] == [[people["daumoi.thcscathai"].email]]
    assert note.emailed_to == people["daumoi.thcscathai"].email


def test_opening_marks_read_and_follows_the_link_only_for_its_recipient(people, units, client_for):
    submission = _sent(people, units)
    services.submission_return(actor=people["thuongtruc"], submission=submission, comment="Sửa lại.")
    note = Notification.objects.get(recipient=people["daumoi.gdnn"])
    other = client_for("daumoi.thcscatba")
    assert other.post(f"/thong-bao/{note.id}/mo/").status_code == 404
    with pytest.raises(NotFound):
        notification_services.mark_read(actor=people["daumoi.thcscatba"], notification_id=note.id)
    page = client_for("daumoi.gdnn").get("/thong-bao/").content.decode()
    assert "Sửa lại." in page and "Chưa đọc" in page
    response = client_for("daumoi.gdnn").post(f"/thong-bao/{note.id}/mo/")
    assert response.status_code == 302 and response["Location"] == note.link
    note.refresh_from_db()
    assert note.is_read and selectors.unread_count(actor=people["daumoi.gdnn"]) == 0
    assert "Sửa lại." not in other.get("/thong-bao/").content.decode()


def test_read_all(people, units, client_for):
    for comment in ("Một.", "Hai."):
        submission = _sent(people, units)
        services.submission_return(actor=people["thuongtruc"], submission=submission, comment=comment)
    assert selectors.unread_count(actor=people["daumoi.gdnn"]) == 2
    client_for("daumoi.gdnn").post("/thong-bao/doc-het/")
    assert selectors.unread_count(actor=people["daumoi.gdnn"]) == 0


def test_a_document_made_in_the_background_tells_its_author(people, units, django_capture_on_commit_callbacks):
    from cyberyouth.reports import services as report_services

    author = people["thuongtruc"]
    document = report_services.document_request(actor=author, kind="review", year=2025,
                                                 unit=units["hp-dk-cat-hai"], want_pdf=False)
    document.task_id = "queued-task"  # as document_start records it when the worker is asked
    document.save(update_fields=["task_id"])
    with django_capture_on_commit_callbacks(execute=True):
        report_services.document_generate(document_id=document.id)
    (note,) = selectors.notifications_for(actor=author)
    assert note.kind == "document_ready" and note.link == f"/bao-cao/{document.id}/"
    # One made while its author waited on the page needs no notice.
    inline = report_services.document_request(actor=author, kind="plan")
    report_services.document_generate(document_id=inline.id)
    assert selectors.notifications_for(actor=author).count() == 1


def test_notify_drops_duplicates_inactive_accounts_and_unknown_kinds(people):
    focal, student = people["daumoi.gdnn"], people["hocsinh"]
    student.is_active = False
    student.save()
    created = notification_services.notify(recipients=[focal, focal, student, None], kind="other", title="Thử")
    assert [n.recipient for n in created] == [focal]
    with pytest.raises(ValueError):
        notification_services.notify(recipients=[focal], kind="no_such_kind", title="x")
