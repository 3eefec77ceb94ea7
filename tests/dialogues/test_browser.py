"""In a browser: a student, on a phone-sized screen (390 px), sends an anonymous question from the
tile on their home; the school's focal point approves it; the student votes for it; the host
starts the dialogue, sees it on the board (which refreshes itself when another vote arrives) and
marks it answered."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUESTION = "Trường có thể mở câu lạc bộ nhiếp ảnh cho học sinh vào chiều thứ Sáu không ạ?"
FITS = "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1"


def test_student_asks_and_votes_on_a_phone_and_the_host_marks_it_answered(browser_site):
    from cyberyouth.dialogues import services
    from cyberyouth.dialogues.models import Dialogue, Question, Review

    dialogue = Dialogue.objects.get(unit__code="thpt-cat-ba", status="planned")
    site = browser_site.url

    # 1. The student, on a phone: the tile on their home, the dialogue, an anonymous question.
    phone = browser_site.phone()
    phone.goto(f"{site}/dang-nhap/")
    phone.fill("#id_username", "hs.thptcatba.10a")
    phone.fill("#id_password", "CatHai@2025")
    phone.click("button[type=submit]")
    phone.wait_for_url(f"{site}/hoc-sinh/cua-em/")
    phone.click("text=Đối thoại với thầy cô")
    assert phone.evaluate(FITS)
    phone.click(f"text={dialogue.title}")
    assert phone.evaluate(FITS)
    phone.fill("#id_text", QUESTION)
    phone.check("#id_anonymous")
    phone.click("#ask")
    assert "không ai biết em đã hỏi" in phone.locator(".messages").inner_text()
    assert phone.evaluate(FITS)
    asked = Question.objects.get(dialogue=dialogue, text=QUESTION)
    assert asked.anonymous and asked.author_id is None and asked.review == Review.PENDING

    # 2. The school's focal point approves it.
    school = browser_site.login("daumoi.thptcatba")
    school.goto(f"{site}/doi-thoai/{dialogue.id}/")
    school.locator(".question", has_text=QUESTION).locator("button[value=approve]").click()
    assert "Đã duyệt câu hỏi" in school.locator(".messages").inner_text()

    # 3. The student votes for it; a second vote is not offered.
    phone.reload()
    item = phone.locator(".question", has_text=QUESTION)
    item.locator("button.vote").click()
    assert "Em đã bình chọn" in phone.locator(".messages").inner_text()
    assert phone.locator(".question", has_text=QUESTION).locator("button.vote").count() == 0
    assert "1 bình chọn" in phone.locator(".question", has_text=QUESTION).inner_text()
    assert phone.evaluate(FITS)

    # 4. The host starts the dialogue; the board refreshes itself when another vote arrives.
    school.goto(f"{site}/doi-thoai/{dialogue.id}/")
    school.click("text=Bắt đầu đối thoại")
    school.wait_for_url(f"{site}/doi-thoai/{dialogue.id}/dieu-hanh/")
    row = school.locator("#board li", has_text=QUESTION)
    assert row.locator(".votes").inner_text() == "1"
    services.question_vote(actor=_another_voter(), question_id=asked.id)
    school.wait_for_function(
        "(q) => [...document.querySelectorAll('#board li')].some(li => li.textContent.includes(q)"
        " && li.querySelector('.votes').textContent === '2')", arg=QUESTION, timeout=15000)
    school.locator("#board li", has_text=QUESTION).locator("button", has_text="Đã trả lời").click()
    school.wait_for_function(
        "(q) => [...document.querySelectorAll('#board li')].some(li => li.textContent.includes(q)"
        " && li.querySelector('.state').textContent === 'Đã trả lời')", arg=QUESTION, timeout=15000)
    asked.refresh_from_db()
    assert asked.answer == "answered" and asked.vote_count == 2


def _another_voter():
    """A second student of the school with consent, given an account for this test."""
    from datetime import date

    from cyberyouth.orgs.models import Role, RoleAssignment, User
    from cyberyouth.students.models import Consent, Enrolment, Student

    consenting = Consent.objects.filter(withdrawn_at__isnull=True, purpose="account").values("student_id")
    enrolled = Enrolment.objects.filter(unit__code="thpt-cat-ba", valid_to__isnull=True).values("student_id")
    student = Student.objects.filter(id__in=enrolled, user__isnull=True).filter(id__in=consenting).first()
    user = User.objects.create_user(username="hs.test.browser", password="x", full_name=student.full_name)
    student.user = user
    student.save(update_fields=["user"])
    RoleAssignment.objects.create(user=user, role=Role.STUDENT, unit=student.unit, valid_from=date(2025, 9, 1))
    return user
