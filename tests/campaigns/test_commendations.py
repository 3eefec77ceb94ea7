"""Commendations (task 3d): a proposal carries the unit's figures, computed and frozen; another
person decides (approve with a decision, or return with a reason); the decision and the Giấy khen
are Decree 30 DOCX documents; the register by year. Scope as everywhere: 404 outside, 403 for a
capability held nowhere."""

import io
from datetime import date, datetime, timedelta

import pytest
from docx import Document

from cyberyouth.campaigns import documents, selectors, services
from cyberyouth.campaigns.models import Commendation, CommendationStatus, PostKind
from cyberyouth.errors import DomainError, NotFound, ScopeError
from cyberyouth.orgs import selectors as org_selectors


CENTRE = "gdnn-gdtx-cat-hai"
ACHIEVEMENTS = "Đăng tin tốt đều đặn trên trang của trung tâm, lan tỏa nhiều câu chuyện đẹp của học viên."


def _text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


@pytest.fixture(autouse=True)
def no_demo_commendations(db):
    """The demo's decision is set aside: each test proposes its own (the demo is checked in
    test_reporting.py)."""
    from cyberyouth.campaigns.models import CommendationDecision

    Commendation.objects.all().delete()
    CommendationDecision.objects.all().delete()


@pytest.fixture
def year():
    return org_selectors.today().year


def _propose(people, units, year, **kw):
    args = {"actor": people["daumoi.gdnn"], "unit": units[CENTRE], "year": year, "kind": "collective",
            "achievements": ACHIEVEMENTS} | kw
    return services.commendation_propose(**args)


def test_the_grounds_are_the_dashboards_figures_frozen_when_proposed(people, units, year, channel_of, post_on):
    row = _propose(people, units, year)
    dashboard = selectors.compliance_of(unit_ids={units[CENTRE].id}, year=year)[0]
    g = row.grounds
    assert (g["good_days"], g["days_expected"], g["story_weeks"], g["weeks_expected"], g["posts"]) == (
        dashboard.good_days, dashboard.days_expected, dashboard.story_weeks, dashboard.weeks_expected, dashboard.posts)
    assert g["good_days"] > 30 and g["as_of"] == org_selectors.today().isoformat()
    assert g["peak_weeks_asked"] >= 1  # the demo's 19/5 peak week asked the whole zone
    assert row.proposer_unit == units[CENTRE] and row.status == CommendationStatus.PROPOSED
    # a later post moves the dashboard, not the proposal
    channel = channel_of(units[CENTRE], slug="trang.moi.gdnn")
    yesterday = org_selectors.today() - timedelta(days=1)
    post_on(channel, datetime(yesterday.year, yesterday.month, yesterday.day, 9), kind=PostKind.STORY)
    row.refresh_from_db()
    assert row.grounds == g


def test_another_person_decides_and_the_proposer_hears(people, units, year):
    from cyberyouth.notifications.models import Notification

    row = _propose(people, units, year)
    agency = people["thuongtruc"]
    with pytest.raises(DomainError) as error:
        services.commendation_return(actor=agency, commendation_id=row.pk, reason="thiếu")
    assert error.value.field == "reason"
    services.commendation_return(actor=agency, commendation_id=row.pk,
                                 reason="Bổ sung thành tích tuần cao điểm 19/5 vào phần thành tích.")
    row.refresh_from_db()
    assert row.status == CommendationStatus.RETURNED and row.decided_by == agency
    assert Notification.objects.filter(recipient=people["daumoi.gdnn"], title__contains="bị trả lại").exists()
    with pytest.raises(DomainError):  # a returned proposal is not approved as it stands
        services.commendations_approve(actor=agency, commendation_ids=[row.pk])
    services.commendation_resubmit(actor=people["daumoi.gdnn"], commendation_id=row.pk,
                                   achievements=ACHIEVEMENTS + " Tham gia đầy đủ tuần cao điểm 19/5.")
    row.refresh_from_db()
    assert row.status == CommendationStatus.PROPOSED and "19/5" in row.achievements
    decision = services.commendations_approve(actor=agency, commendation_ids=[row.pk], number="15/QĐ-UBND",
                                              signer_title="Phó Chủ tịch", signer_name="Trần Văn Nam")
    row.refresh_from_db()
    assert row.status == CommendationStatus.APPROVED and row.decision == decision
    assert row.book_number >= 1
    assert decision.issuer_unit.code == "hp-dk-cat-hai"
    assert Notification.objects.filter(recipient=people["daumoi.gdnn"], title__contains="đã được duyệt").exists()


def test_nobody_approves_their_own_proposal(people, units, year):
    agency = people["thuongtruc"]
    row = _propose(people, units, year, actor=agency, kind="person", person_name="Nguyễn Thị Hạnh",
                   person_position="Bí thư Chi đoàn giáo viên")
    assert row.proposer_unit.code == "hp-dk-cat-hai"
    with pytest.raises(DomainError) as error:
        services.commendations_approve(actor=agency, commendation_ids=[row.pk])
    assert "người khác" in error.value.message
    with pytest.raises(DomainError):
        services.commendation_return(actor=agency, commendation_id=row.pk, reason="Tự trả lại đề nghị của mình.")
    decision = services.commendations_approve(actor=people["sysadmin"], commendation_ids=[row.pk])
    assert decision.commendations.get().status == CommendationStatus.APPROVED


def test_one_decision_numbers_the_register_in_order(people, units, year):
    a = _propose(people, units, year)
    b = _propose(people, units, year, kind="person", person_name="Nguyễn Thị Hạnh", person_position="Giáo viên")
    before = max([c.book_number for c in Commendation.objects.filter(year=year, book_number__isnull=False)] or [0])
    decision = services.commendations_approve(actor=people["thuongtruc"], commendation_ids=[a.pk, b.pk])
    numbers = sorted(decision.commendations.values_list("book_number", flat=True))
    assert numbers == [before + 1, before + 2]
    assert [c.pk for c in selectors.register(actor=people["lanhdao"], year=year)][-2:] == [
        c.pk for c in decision.commendations.order_by("book_number")]


def test_the_same_nominee_twice_a_year_is_refused(people, units, year):
    _propose(people, units, year, kind="person", person_name="Nguyễn Thị Hạnh")
    with pytest.raises(DomainError) as error:  # typed again without diacritics
        _propose(people, units, year, kind="person", person_name="nguyen thi hanh")
    assert error.value.code == "duplicate"
    _propose(people, units, year)  # the unit itself is another nominee


def test_bad_proposals_are_refused_with_the_field(people, units, year):
    cases = [({"year": 2021}, "year"), ({"year": year + 1}, "year"), ({"achievements": "Tốt"}, "achievements"),
             ({"kind": "person", "person_name": "Hạnh"}, "person_name"), ({"kind": "gift"}, "kind"),
             ({"unit": units["thcs-cat-hai"], "actor": people["daumoi.thcscathai"]}, "unit"),  # a channel, no post
             ({"unit": units["mn-hoa-phuong"], "actor": people["thuongtruc"]}, "unit")]  # no official channel
    for kwargs, field in cases:
        with pytest.raises(DomainError) as error:
            _propose(people, units, kwargs.pop("year", year), **kwargs)
        assert error.value.field == field, kwargs
    assert not Commendation.objects.filter(unit=units["thcs-cat-hai"]).exists()


def test_scope(people, units, year):
    row = _propose(people, units, year)
    other = people["daumoi.thcscatba"]
    with pytest.raises(NotFound):  # another school neither reads nor proposes for the centre
        selectors.commendation(actor=other, commendation_id=row.pk)
    with pytest.raises(NotFound):
        _propose(people, units, year, actor=other, kind="person", person_name="Trần Văn Bình")
    with pytest.raises(NotFound):
        services.commendations_approve(actor=other, commendation_ids=[row.pk])
    with pytest.raises(ScopeError):  # a focal point proposes; deciding is the approver's
        services.commendations_approve(actor=people["daumoi.gdnn"], commendation_ids=[row.pk])
    with pytest.raises(ScopeError):
        services.commendations_approve(actor=people["lanhdao"], commendation_ids=[row.pk])
    assert selectors.commendation(actor=people["lanhdao"], commendation_id=row.pk) == row  # leaders read


def test_the_decision_and_the_certificate_are_decree_30_documents(people, units, year):
    a = _propose(people, units, year)
    b = _propose(people, units, year, kind="person", person_name="Nguyễn Thị Hạnh", person_position="Giáo viên")
    decision = services.commendations_approve(actor=people["thuongtruc"], commendation_ids=[a.pk, b.pk],
                                              number="15/QĐ-UBND", signed_on=date(year, 11, 20))
    text = _text(documents.decision_docx(decision))
    for expected in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "ỦY BAN NHÂN DÂN",
                     "Số: 15/QĐ-UBND", f"ngày 20 tháng 11 năm {year}", "QUYẾT ĐỊNH",
                     "CHỦ TỊCH ỦY BAN NHÂN DÂN ĐẶC KHU CÁT HẢI", "Căn cứ Luật Thi đua, khen thưởng",
                     "Xét đề nghị của Trung tâm", "Điều 1.", "1 tập thể và 1 cá nhân", "Nơi nhận:",
                     "DANH SÁCH TẬP THỂ, CÁ NHÂN ĐƯỢC TẶNG GIẤY KHEN", "Nguyễn Thị Hạnh, Giáo viên",
                     documents.grounds_text(a.grounds)):
        assert expected in text, expected
    a.refresh_from_db()
    data = documents.certificate_docx(a)
    doc = Document(io.BytesIO(data))
    assert doc.sections[0].page_width > doc.sections[0].page_height  # landscape
    text = _text(data)
    for expected in ("GIẤY KHEN", "TẶNG", units[CENTRE].name, "Quyết định số: 15/QĐ-UBND",
                     f"Số vào sổ: {a.book_number}/{year}", "Mỗi ngày một tin tốt"):
        assert expected in text, expected
    fonts = {r.font.name for p in doc.paragraphs for r in p.runs if r.text.strip()}
    assert fonts == {"Times New Roman"}


def test_pages_register_and_downloads(people, units, year, client_for):
    row = _propose(people, units, year)
    focal = client_for("daumoi.gdnn")
    assert focal.get(f"/chien-dich/khen-thuong/{row.pk}/giay-khen.docx").status_code == 404  # not approved yet
    assert client_for("daumoi.thcscatba").get(f"/chien-dich/khen-thuong/{row.pk}/").status_code == 404
    agency = client_for("thuongtruc")
    page = agency.get("/chien-dich/khen-thuong/").content.decode()
    assert "Chờ duyệt" in page and units[CENTRE].name in page
    response = agency.post("/chien-dich/khen-thuong/duyet/", {"chon": [row.pk], "number": "", "signed_on": ""})
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.status == CommendationStatus.APPROVED
    download = focal.get(f"/chien-dich/khen-thuong/quyet-dinh/{row.decision_id}.docx")
    assert download.status_code == 200 and "Số:        /QĐ-UBND" in _text(download.content)
    assert focal.get(f"/chien-dich/khen-thuong/{row.pk}/giay-khen.docx").status_code == 200
    register = agency.get(f"/chien-dich/khen-thuong/so/?nam={year}").content.decode()
    assert units[CENTRE].name in register
    xlsx = agency.get(f"/chien-dich/khen-thuong/so/?nam={year}&xuat=xlsx")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = [c for r in sheet.iter_rows(values_only=True) for c in r if c]
    assert units[CENTRE].name in values and row.book_number in values
    # a leader reads the register but may not decide
    assert client_for("lanhdao").post("/chien-dich/khen-thuong/duyet/", {"chon": [row.pk]}).status_code == 403


def test_a_person_s_erasure_removes_their_name_from_open_proposals(people, units, year):
    from cyberyouth.campaigns import privacy

    person = people["daumoi.gdnn"]
    row = _propose(people, units, year, kind="person", person_name=person.full_name, person_position="Đầu mối")
    exported = privacy.export(person=person)
    assert [c["id"] for c in exported] == [row.pk]
    privacy.erase(person=person, actor=people["sysadmin"], reason="theo yêu cầu")
    row.refresh_from_db()
    assert person.full_name not in row.person_name and row.status == CommendationStatus.WITHDRAWN
