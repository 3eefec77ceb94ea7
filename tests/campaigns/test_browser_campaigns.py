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


def test_a_focal_point_proposes_and_the_agency_issues_a_commendation(browser_site):
    """The centre's focal point proposes one of its teachers with the figures the system
    computed; the standing agency sees the centre's compliance, approves the proposal into a
    decision and downloads the Quyết định and the Giấy khen; python-docx reads them back."""
    import io

    from docx import Document

    from cyberyouth.campaigns.models import Commendation, CommendationStatus
    from cyberyouth.orgs import selectors as org_selectors

    year = org_selectors.today().year
    focal = browser_site.login("daumoi.gdnn")
    focal.goto(f"{browser_site.url}/chien-dich/khen-thuong/")
    focal.select_option("#id_kind", "person")
    focal.select_option("#id_unit", "gdnn-gdtx-cat-hai")
    focal.fill("#id_year", str(year))
    focal.fill("#id_person_name", "Trần Thị Thu")
    focal.fill("#id_person_position", "Giáo viên tin học")
    focal.fill("#id_achievements", "Phụ trách trang tin của Trung tâm, đăng tin tốt đều đặn mỗi ngày.")
    focal.click("form:has(#id_achievements) button[type=submit]")
    focal.wait_for_load_state()
    assert "Đã gửi đề nghị khen thưởng" in focal.inner_text("body")
    proposal = Commendation.objects.get(person_name="Trần Thị Thu")
    good_days = proposal.grounds["good_days"]
    assert f"ngày có tin tốt {good_days}/" in focal.inner_text("main")
    assert "một người có quyền duyệt khác" in focal.inner_text("main")  # nobody approves their own

    agency = browser_site.login("thuongtruc")
    agency.goto(f"{browser_site.url}/chien-dich/don-vi/gdnn-gdtx-cat-hai/?nam={year}")
    assert f"Ngày có tin tốt: {good_days}/" in agency.inner_text("main")  # the figures the proposal froze
    agency.goto(f"{browser_site.url}/chien-dich/khen-thuong/")
    agency.click("text=Trần Thị Thu, Giáo viên tin học")
    agency.fill("#id_number", "31/QĐ-UBND")
    agency.click("form[action$='/khen-thuong/duyet/'] button[type=submit]")
    agency.wait_for_load_state()
    assert "Đã duyệt 1 đề nghị" in agency.inner_text("body")
    proposal.refresh_from_db()
    assert proposal.status == CommendationStatus.APPROVED and proposal.decided_by.username == "thuongtruc"
    with agency.expect_download() as download:
        agency.click("text=Tải Quyết định khen thưởng (.docx)")
    decision = Document(io.BytesIO(open(download.value.path(), "rb").read()))
    text = "\n".join([p.text for p in decision.paragraphs]
                     + [c.text for t in decision.tables for r in t.rows for c in r.cells])
    assert "Số: 31/QĐ-UBND" in text and "QUYẾT ĐỊNH" in text and "Trần Thị Thu, Giáo viên tin học" in text
    assert f"ngày có tin tốt {good_days}/" in text
    with agency.expect_download() as download:
        agency.click("text=Tải Giấy khen (.docx)")
    certificate = Document(io.BytesIO(open(download.value.path(), "rb").read()))
    assert "GIẤY KHEN" in [p.text for p in certificate.paragraphs]
    # the focal point hears it
    focal.goto(f"{browser_site.url}/thong-bao/")
    assert "đã được duyệt" in focal.inner_text("main")
