"""In a browser: the standing agency reminds the units that still owe their report; the school's
focal point sees the reminder at home, proves a "yes" with a PDF, and the file is listed."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VALUES = {"students_enrolled": "300", "students_cc_reached": "290", "students_cc_ack": "280",
          "union_new_members": "30", "union_new_studied": "25", "staff_student_work": "12", "staff_trained": "10"}


def test_remind_then_answer_with_an_evidence_file(browser_site, tmp_path, settings):
    from django.core import mail

    from cyberyouth.indicators.models import EvidenceFile, Period, Reminder

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MEDIA_ROOT = tmp_path / "media"
    year = Period.objects.order_by("-year").first().year

    agency = browser_site.login("thuongtruc")
    agency.goto(f"{browser_site.url}/chi-tieu/tien-do-bao-cao/?nam={year}")
    agency.click("button[name=remind]")
    assert "Đã nhắc" in agency.locator(".messages").inner_text()
    assert Reminder.objects.filter(year=year, unit__code="thcs-cat-hai").exists()
    assert any(m.to == ["daumoi.thcscathai@cathai.example"] for m in mail.outbox)

    school = browser_site.login("daumoi.thcscathai")
    assert "cơ quan thường trực đã nhắc ngày" in school.locator("main").inner_text()
    school.goto(f"{browser_site.url}/chi-tieu/bao-cao/thcs-cat-hai/{year}/")
    for code, value in VALUES.items():  # a lower secondary school's form has no Youth Union rows
        if school.locator(f"#id_v_{code}").count():
            school.fill(f"#id_v_{code}", value)
    school.select_option("#id_v_teaches_safety", "1")
    pdf = tmp_path / "Ke-hoach-ky-nang-so.pdf"
    pdf.write_bytes(b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
    school.set_input_files("#id_evf_teaches_safety", str(pdf))
    school.click("button[value=submit]")
    assert school.locator("#status").inner_text() == "Đã gửi"
    assert "Ke-hoach-ky-nang-so.pdf" in school.locator("#evidence-files").inner_text()
    assert EvidenceFile.objects.filter(submission__unit__code="thcs-cat-hai", submission__year=year).count() == 1
