"""The 2025 mid-term review: years side by side, charts, milestones, units short and why."""

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from cyberyouth.errors import DomainError
from cyberyouth.indicators import selectors as indicator_selectors
from cyberyouth.indicators.models import Milestone
from cyberyouth.reports import services
from cyberyouth.reports.composer import fmt_pct


@pytest.fixture
def review(people, rd):
    document = services.document_generate_now(actor=people["thuongtruc"], kind="review", year=2025, want_pdf=False,
                                              on=date(2025, 12, 25))
    return document, rd.open_docx(document)


def test_review_structure_and_charts(review, rd):
    document, doc = review
    body = [p.text for p in doc.paragraphs if p.text.strip()]
    assert body[0] == "BÁO CÁO" and body[1].startswith("Sơ kết giai đoạn 2022 - 2025")
    for heading in ("I. TÌNH HÌNH TRIỂN KHAI", "II. KẾT QUẢ ĐẠT ĐƯỢC GIAI ĐOẠN 2022 - 2025", "III. ĐÁNH GIÁ CHUNG",
                    "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ GIAI ĐOẠN 2026 - 2030", "V. ĐỀ XUẤT, KIẾN NGHỊ"):
        assert heading in body
    # Two charts embedded as PNG pictures.
    assert len(doc.inline_shapes) == 2
    blobs = [rel.target_part.blob for rel in doc.part.rels.values() if "image" in rel.reltype]
    assert all(b[:8] == b"\x89PNG\r\n\x1a\n" for b in blobs) and len(blobs) == 2
    years = rd.find_table(doc, "Năm", "Lượt giao")
    assert [r[0] for r in rd.cell_texts(years)[1:]] == ["2023", "2024", "2025"]
    assert document.xlsx  # the annex


def test_review_series_and_achievement_match_the_indicator_selectors(review, people, units, rd):
    _, doc = review
    series = indicator_selectors.indicator_series(actor=people["thuongtruc"], unit=units["hp-dk-cat-hai"],
                                                  years=[2023, 2024, 2025])
    table = next(t for t in doc.tables if [c.text for c in t.rows[0].cells][1:3] == ["Chỉ tiêu", "2023"])
    rows = rd.cell_texts(table)[1:]
    assert len(rows) == 5
    for row, s in zip(rows, series):
        assert row[1] == s.name
        assert row[2:] == [fmt_pct(p.value) for p in s.points]
    out = StringIO()
    call_command("indicators", "compute", "--json", "--year", "2025", "--unit", "hp-dk-cat-hai", "--as", "thuongtruc",
                 stdout=out)
    total = json.loads(out.getvalue())[0]
    achievement = rd.find_table(doc, "TT", "Kết quả 2025")
    milestones = {m.indicator.code: m for m in Milestone.objects.filter(year=2025).select_related("indicator")}
    printed = rd.cell_texts(achievement)[1:]
    assert len(printed) == len(total["indicators"]) == 5
    for row, ind in zip(printed, total["indicators"]):
        assert row[4] == fmt_pct(ind["value"])
        assert row[6] == ("Đạt" if milestones[ind["indicator"]].is_met(ind["value"]) else "Chưa đạt")


def test_units_short_of_the_milestone_with_their_own_reasons(review, people, units, rd):
    _, doc = review
    notes = {n.name: n.note for n in indicator_selectors.submission_notes(
        actor=people["thuongtruc"], year=2025, unit=units["hp-dk-cat-hai"]) if n.note.strip()}
    text = rd.body_text(doc)
    assert "3. Các đơn vị chưa đạt mốc và nguyên nhân" in text
    short = [t for t in doc.tables if t.rows[0].cells[-1].text.startswith("Nguyên nhân")]
    assert len(short) == 1  # the demo has schools below the 2025 milestones
    rows = rd.cell_texts(short[0])[1:]
    explained = 0
    for row in rows:
        if row[1] in notes:
            assert row[3] == notes[row[1]].strip()
            explained += 1
        else:
            assert row[3] == "Đơn vị chưa nêu nguyên nhân trong báo cáo số liệu."
    assert explained >= 1


def test_review_refuses_a_school_and_a_future_milestone(people, units):
    with pytest.raises(DomainError) as e:
        services.document_request(actor=people["thuongtruc"], kind="review", year=2025, unit=units["thcs-cat-ba"])
    assert e.value.field == "unit"
    with pytest.raises(DomainError):
        services.document_request(actor=people["thuongtruc"], kind="review", year=2030)
