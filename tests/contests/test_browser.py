"""In a browser, on a phone-sized screen: a student starts the open round, answers half, reloads
the page midway and finds the same attempt with the answers kept and the time still running,
answers the rest, predicts and submits; after the round closes they download the certificate and
its public verification page opens."""

import re
from datetime import timedelta

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_wide_page(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 392


def test_phone_attempt_reload_resume_submit_certificate_and_verification(browser_site, monkeypatch):
    from django.utils import timezone

    from cyberyouth.contests import answer_path

    # the page's answers take the token path (contests/answer_path.py), not the page stack
    through_token = []
    token_answer = answer_path._answer
    monkeypatch.setattr(answer_path, "_answer", lambda *a, **k: through_token.append(a[4]) or token_answer(*a, **k))

    from cyberyouth.contests.models import Answer, Attempt, Certificate, Round
    from cyberyouth.orgs.demo import DEMO_PASSWORD

    week2 = Round.objects.get(title="Tuần 2")
    page = browser_site.phone()
    page.goto(f"{browser_site.url}/dang-nhap/")
    page.fill("#id_username", "hs.thptcatba.10a")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/hoc-sinh/cua-em/$"))
    page.click("text=Cuộc thi trực tuyến")
    page.wait_for_url(re.compile(r".*/thi/cua-em/$"))
    _no_wide_page(page)
    page.click(f"#start-{week2.id}")
    page.wait_for_url(re.compile(r".*/thi/cua-em/bai/\d+/$"))
    _no_wide_page(page)
    attempt = Attempt.objects.get(round=week2, student__user__username="hs.thptcatba.10a")
    questions = page.locator("form.question")
    assert questions.count() == 10
    for i in range(5):
        form = questions.nth(i)
        form.locator("label.option").first.click()
        form.locator(".saved-state", has_text="Đã lưu").wait_for()
    assert Answer.objects.filter(attempt=attempt).count() == 5
    left_before = int(page.locator("#timer").get_attribute("data-seconds-left"))

    page.reload()  # the connection drops, the student comes back: the same attempt, the time still running
    assert page.url.endswith(f"/thi/cua-em/bai/{attempt.id}/")
    assert page.locator("form.question input:checked").count() == 5
    assert page.locator("#answered-count").inner_text() == "5"
    assert int(page.locator("#timer").get_attribute("data-seconds-left")) <= left_before
    for i in range(5, 10):
        form = page.locator("form.question").nth(i)
        form.locator("label.option").first.click()
        form.locator(".saved-state", has_text="Đã lưu").wait_for()
    page.fill("#id_prediction", "12")
    page.click("#submit-attempt")
    page.wait_for_url(re.compile(rf".*/thi/cua-em/vong/{week2.id}/ket-qua/$"))
    assert "Em đã nộp bài" in page.locator(".messages").inner_text()
    attempt.refresh_from_db()
    assert attempt.state == "submitted" and attempt.prediction == 12
    assert Answer.objects.filter(attempt=attempt).count() == 10
    assert sorted(through_token) == list(range(10))

    # Later: the round has closed and is ranked; the certificate and its verification page.
    Round.objects.filter(pk=week2.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    page.goto(f"{browser_site.url}/thi/cua-em/vong/{week2.id}/ket-qua/")
    assert "Xếp hạng của em" in page.content()
    _no_wide_page(page)
    with page.expect_download() as download:
        page.click("#certificate")
    path = download.value.path()
    with open(path, "rb") as fh:
        assert fh.read(5) == b"%PDF-"
    cert = Certificate.objects.get(round=week2, student=attempt.student)
    public = browser_site.phone()
    public.goto(f"{browser_site.url}/thi/xac-minh/{cert.code}/")
    text = public.locator("#verified").inner_text()
    assert cert.code in text and cert.pdf_sha256 in text and "Tuần 2" in text
    assert f"{cert.score}/{cert.max_score}" in text
    _no_wide_page(public)
