"""In a browser: a student answers the school's survey on a phone-sized screen (the follow-up
question appears only after the answer it depends on; a phone number typed in is masked), then
the principal reads the aggregated results — no count under 5 anywhere on the page."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FITS = "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1"


def test_a_student_answers_on_a_phone_and_the_principal_reads_aggregates(browser_site):
    from cyberyouth.orgs.demo import DEMO_PASSWORD
    from cyberyouth.orgs.models import Role, RoleAssignment, Unit, User
    from cyberyouth.surveys.models import Answer, Participation, PendingResponse, Survey

    survey = Survey.objects.get(owner_unit__code="thpt-cat-ba")
    taken_before = Participation.objects.filter(survey=survey).count()

    phone = browser_site.phone()
    phone.goto(f"{browser_site.url}/dang-nhap/")
    phone.fill("#id_username", "hs.thptcatba.10a")
    phone.fill("#id_password", DEMO_PASSWORD)
    phone.click("button[type=submit]")
    phone.click(f"text={survey.title}")
    phone.wait_for_url(f"**/khao-sat/{survey.pk}/tra-loi/")
    phone.wait_for_load_state()  # the deferred "show if" script has run by the load event
    assert phone.evaluate(FITS), "the survey scrolls sideways on a phone"
    follow_up = survey.questions.get(show_if_question__isnull=False)
    wrap = phone.locator(f"#wrap-q{follow_up.pk}")
    expect(wrap).to_be_hidden()  # "show if": not before the answer it depends on
    questions = {q.text: q for q in survey.questions.all()}
    time_q = next(q for t, q in questions.items() if t.startswith("Ngày đi học"))
    bullied_q = follow_up.show_if_question
    phone.check(f"input[name=q{time_q.pk}][value='2']")
    phone.check(f"input[name=q{bullied_q.pk}][value='3']")  # "Có, nhiều lần"
    expect(wrap).to_be_visible()
    phone.check(f"input[name=q{follow_up.pk}][value='2']")
    wish = next(q for t, q in questions.items() if t.startswith("Em mong"))
    phone.fill(f"textarea[name=q{wish.pk}]", "Mong thầy cô để ý nhóm lớp, bạn kia số 0912 345 678 hay nhắn trêu")
    phone.click("#send")
    assert "Cảm ơn em" in phone.locator("h1").inner_text()
    assert phone.evaluate(FITS)
    assert Participation.objects.filter(survey=survey).count() == taken_before + 1
    stored = [str(p.answers) for p in PendingResponse.objects.filter(survey=survey)]
    stored += list(Answer.objects.filter(response__survey=survey).values_list("text", flat=True))
    assert not any("0912" in s for s in stored) and any("[đã ẩn]" in s for s in stored)
    phone.goto(f"{browser_site.url}/khao-sat/{survey.pk}/tra-loi/")
    assert "đã trả lời" in phone.locator("main").inner_text()  # once per student

    principal = User.objects.create_user(username="hieutruong.thptcatba", password=DEMO_PASSWORD,
                                         full_name="Hiệu trưởng THPT Cát Bà")
    RoleAssignment.objects.create(user=principal, role=Role.LEADER, unit=Unit.objects.get(code="thpt-cat-ba"))
    page = browser_site.login("hieutruong.thptcatba")
    page.goto(f"{browser_site.url}/khao-sat/")
    assert "Soạn, quản lý" not in page.locator("main").inner_text()  # a principal reads, does not manage
    page.click("a.results-link")
    assert "Số em đã trả lời" in page.locator("main").inner_text()
    figures = page.locator(".figure").all_inner_texts()
    assert len(figures) > 20
    for text in figures:
        text = text.strip()
        assert text == "< 5" or (text.isdigit() and (int(text) == 0 or int(text) >= 5)), text
    assert "< 5" in figures
    body = page.locator("main").inner_text()
    assert "0912" not in body
    assert not re.search(r"\bLớp 1[0-2][AB]\b.*Mong thầy cô", body)  # no free text per class
