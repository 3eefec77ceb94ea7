"""Task group 3 in the yearly report: the paragraph's figures are the campaign page's."""

import io

from docx import Document

from cyberyouth.campaigns import services
from cyberyouth.orgs import selectors as org_selectors
from cyberyouth.reports.formatting import fmt_int, share


def test_the_yearly_report_prints_the_dashboards_figures(people, units, client_for):
    from cyberyouth.reports.services import document_generate_now

    year = org_selectors.today().year  # the demo's posts are this year's
    agency = people["thuongtruc"]
    proposal = services.commendation_propose(
        actor=people["daumoi.gdnn"], unit=units["gdnn-gdtx-cat-hai"], year=year, kind="person",
        person_name="Lê Văn Toàn", achievements="Viết và đăng nhiều câu chuyện đẹp về học viên vượt khó.")
    services.commendations_approve(actor=agency, commendation_ids=[proposal.pk])
    page = client_for("thuongtruc").get(f"/chien-dich/?nam={year}&don-vi=hp-dk-cat-hai")
    summary = page.context["summary"]
    assert summary.units >= 3 and summary.posts > 100
    document = document_generate_now(actor=agency, kind="yearly", year=year, want_pdf=False)
    assert document.unit.code == "hp-dk-cat-hai"
    with document.docx.open("rb") as f:
        text = "\n".join(p.text for p in Document(io.BytesIO(f.read())).paragraphs)
    paragraph = next(p for p in text.split("\n") if p.startswith("Thực hiện phong trào “Mỗi ngày một tin tốt"))
    assert f"của {fmt_int(summary.units)} cơ quan, đơn vị" in paragraph
    assert f"đã đăng {fmt_int(summary.posts)} tin, bài" in paragraph
    assert (f"đạt {fmt_int(summary.good_days)}/{fmt_int(summary.days_expected)} ngày (cộng theo đơn vị) "
            f"({share(summary.good_days, summary.days_expected)})") in paragraph
    assert f"{fmt_int(summary.story_weeks)}/{fmt_int(summary.weeks_expected)} tuần" in paragraph
    assert "tuần cao điểm (Tuần cao điểm chào mừng" in paragraph
    assert "cá nhân được tặng Giấy khen" in paragraph
    # under task group 3's heading, not another's
    before = text[:text.index(paragraph)]
    assert before.rfind("1.3. ") > before.rfind("1.2. ") and before.rfind("1.3. ") > before.rfind("1.4. ")


def test_the_demo_has_a_commendation_decision(people):
    from cyberyouth.campaigns import selectors
    from cyberyouth.campaigns.models import CommendationStatus

    year = org_selectors.today().year
    register = list(selectors.register(actor=people["lanhdao"], year=year))
    assert {c.nominee for c in register} >= {"Trung tâm Giáo dục nghề nghiệp - Giáo dục thường xuyên đặc khu Cát Hải",
                                             "Nguyễn Thị Hạnh, Giáo viên, Bí thư Chi đoàn"}
    assert len({c.decision_id for c in register}) == 1 and register[0].decision.number == "25/QĐ-UBND"
    waiting = selectors.commendations(actor=people["thuongtruc"], status=CommendationStatus.PROPOSED)
    assert [c.unit.code for c in waiting] == ["cd-du-lich-cat-ba"]
