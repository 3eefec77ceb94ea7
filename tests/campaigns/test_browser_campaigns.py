"""In a real chromium: a focal point marks the vocational centre's recent posts (a suggestion is
shown, a person decides); the standing agency sees the centre's days with a tin tốt go up."""

import re

import pytest

pytestmark = [pytest.mark.browser]


def _good_days(page, url):
    page.goto(url)
    return int(re.search(r"Ngày có tin tốt: (\d+)/", page.inner_text("main")).group(1))


def test_a_focal_point_marks_posts_and_the_agency_sees_compliance_move(browser_site):
    from cyberyouth.campaigns.models import Post, PostKind

    unit_url = f"{browser_site.url}/chien-dich/don-vi/gdnn-gdtx-cat-hai/"
    agency = browser_site.login("thuongtruc")
    before = _good_days(agency, unit_url)
    waiting = Post.objects.filter(unit__code="gdnn-gdtx-cat-hai", kind=PostKind.UNMARKED)
    days = sorted({p.day for p in waiting})
    assert len(days) >= 2

    focal = browser_site.login("daumoi.gdnn")
    focal.goto(f"{browser_site.url}/chien-dich/bai-dang/")
    assert "Gợi ý" in focal.inner_text("main")
    for day in days[:2]:  # one post of each of two days marked tin tốt
        post = waiting.filter(day=day).order_by("id").first()
        focal.locator(f"form[action='/chien-dich/bai-dang/{post.id}/phan-loai/'] button[value='good_news']").click()
        focal.wait_for_load_state()
        assert "Đã phân loại bài đăng." in focal.inner_text("body")
    assert Post.objects.filter(unit__code="gdnn-gdtx-cat-hai", kind=PostKind.GOOD_NEWS, day__in=days[:2],
                               marked_by__username="daumoi.gdnn").count() == 2

    # another school's focal point cannot reach the centre's page
    other = browser_site.login("daumoi.thcscatba")
    assert other.goto(unit_url).status == 404

    assert _good_days(agency, unit_url) == before + 2
    agency.goto(f"{browser_site.url}/chien-dich/")
    assert "Trung tâm Giáo dục nghề nghiệp" in agency.inner_text("main")
