"""On a phone, a student opens their club from the home tile, writes in the forum; the message with
a phone number waits; the school's focal point publishes the other one and hides it with a reason;
the student sees the outcome. Every page fits 390 px."""

import pytest
from playwright.sync_api import expect

from tests.web.test_phone_width import OVERFLOW

pytestmark = [pytest.mark.browser]


def _fits(page):
    page.wait_for_load_state()
    result = page.evaluate(OVERFLOW)
    assert result["page"] <= result["width"] + 1, result


def _follow(page, text: str) -> None:
    """Click a link and wait for the page it opens (measuring the old page, or none, mid-way was a
    flake: `document.body` is null between two pages)."""
    with page.expect_navigation():
        page.get_by_text(text).click()


def test_student_posts_on_a_phone_and_staff_moderate(browser_site):
    from cyberyouth.teams.models import Message, MessageStatus

    from cyberyouth.orgs.demo import DEMO_PASSWORD

    student = browser_site.phone()
    student.goto(f"{browser_site.url}/dang-nhap/")
    student.fill("#id_username", "hs.thptcatba.10a")
    student.fill("#id_password", DEMO_PASSWORD)
    student.click("button[type=submit]")
    student.wait_for_url(f"{browser_site.url}/hoc-sinh/cua-em/")
    _follow(student, "Đội, câu lạc bộ của em")
    _fits(student)
    _follow(student, "Câu lạc bộ Lý luận trẻ")
    _fits(student)
    _follow(student, "Vì sao phải kiểm chứng tin trước khi chia sẻ?")
    _fits(student)
    student.fill("#id_text", "Bạn nào muốn ôn cùng thì gọi mình số 0912 111 222 nhé.")
    student.get_by_role("button", name="Gửi", exact=True).click()
    expect(student.locator(".messages")).to_contain_text("chờ thầy cô phụ trách xem")
    expect(student.locator(".message.held")).to_contain_text("0912 111 222")
    _fits(student)
    held = Message.objects.get(text__contains="0912 111 222")
    assert held.status == MessageStatus.HELD

    staff = browser_site.login("daumoi.thptcatba")
    staff.set_viewport_size({"width": 390, "height": 844})
    staff.goto(f"{browser_site.url}/doi-nhom/{held.thread.team_id}/dien-dan/")
    expect(staff.locator("#cho-duyet")).to_contain_text("Tin nhắn chờ duyệt (1)")
    _fits(staff)
    staff.get_by_label(f"Lý do kiểm duyệt tin nhắn {held.id}").first.fill("Có số điện thoại cá nhân")
    staff.locator(f"#tin-{held.id}").get_by_role("button", name="Ẩn").click()
    expect(staff.locator(".messages")).to_contain_text("Đã ẩn tin nhắn")
    held.refresh_from_db()
    assert held.status == MessageStatus.HIDDEN and held.moderation_reason == "Có số điện thoại cá nhân"

    student.reload()
    expect(student.locator(f"#tin-{held.id}")).to_have_count(0)
