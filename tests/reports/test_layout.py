"""The Decree 30/2020/NĐ-CP layout, read back from generated DOCX files."""

from datetime import date

import pytest
from docx.shared import Mm
from docx.oxml.ns import qn

from cyberyouth.reports import services
from cyberyouth.reports.docx_layout import place_and_date


def _mm(length) -> float:
    return round(length / Mm(1), 1)


def _runs(doc):
    for p in doc.paragraphs:
        yield from p.runs
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                for p in cell.paragraphs:
                    yield from p.runs


@pytest.fixture
def plan_doc(people, rd):
    document = services.document_generate_now(actor=people["thuongtruc"], kind="plan", want_pdf=False)
    return document, rd.open_docx(document)


def test_page_a4_margins_and_fonts(plan_doc):
    _, doc = plan_doc
    section = doc.sections[0]
    assert (_mm(section.page_width), _mm(section.page_height)) == (210.0, 297.0)
    assert 20 <= _mm(section.top_margin) <= 25 and 20 <= _mm(section.bottom_margin) <= 25
    assert 30 <= _mm(section.left_margin) <= 35 and 15 <= _mm(section.right_margin) <= 20
    normal = doc.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    assert 13 <= normal.font.size.pt <= 14
    fonts = {r.font.name for r in _runs(doc) if r.text.strip()}
    assert fonts == {"Times New Roman"}
    # Vietnamese text needs the complex-script and East Asian slots set too.
    rfonts = doc.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert rfonts.get(qn("w:cs")) == "Times New Roman" and rfonts.get(qn("w:eastAsia")) == "Times New Roman"


def test_header_block_of_the_plan(plan_doc):
    document, doc = plan_doc
    header = doc.tables[0]
    left, right = header.rows[0].cells
    issuing = [p for p in left.paragraphs if p.text.strip()]
    # A People's Committee has no parent body line; its name is bold capitals.
    assert len(issuing) == 1  # no parent body line
    assert issuing[0].text.replace("\n", " ") == "ỦY BAN NHÂN DÂN HUYỆN CÁT HẢI"
    assert all(r.bold for r in issuing[0].runs)
    # The rule under the issuing body: an empty paragraph with a bottom border.
    assert any(p._p.pPr is not None and p._p.pPr.find(qn("w:pBdr")) is not None for p in left.paragraphs)
    texts = [p.text for p in right.paragraphs if p.text.strip()]
    assert texts[:2] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    assert all(r.bold for p in right.paragraphs if p.text.strip() for r in p.runs)
    assert right.paragraphs[1].runs[0].font.size.pt >= 13
    number, place = header.rows[1].cells
    assert number.text.strip() == "Số: …/KH-UBND"
    assert place.text.strip() == "Cát Hải, ngày 20 tháng 4 năm 2023"
    assert all(r.italic for r in place.paragraphs[0].runs)
    body = [p for p in doc.paragraphs if p.text.strip()]
    assert body[0].text == "KẾ HOẠCH" and body[0].runs[0].bold
    assert body[1].text.startswith("Triển khai thực hiện Quyết định số 311/QĐ-TTg") and body[1].runs[0].bold
    headings = [p.text for p in doc.paragraphs if p.text[:3] in {"I. ", "II.", "III", "IV.", "V. "}]
    assert headings == ["I. MỤC ĐÍCH, YÊU CẦU", "II. CÁC CHỈ TIÊU", "III. NHIỆM VỤ VÀ GIẢI PHÁP",
                        "IV. KINH PHÍ THỰC HIỆN", "V. TỔ CHỨC THỰC HIỆN"]
    assert document.title.startswith("Kế hoạch")


def test_task_groups_come_from_the_live_plan(plan_doc):
    from cyberyouth.plans.models import Plan, Task

    document, doc = plan_doc
    text = "\n".join(p.text for p in doc.paragraphs)
    plan = Plan.objects.get(id=document.plan_id)
    for task in Task.objects.filter(group__plan=plan):
        assert f"{task.letter}) {task.text}" in text
    assert "7. Tăng cường đào tạo, bồi dưỡng" in text


def test_recipients_and_signature(plan_doc):
    _, doc = plan_doc
    closing = doc.tables[-1]
    left, right = closing.rows[0].cells
    first = left.paragraphs[0]
    assert first.text == "Nơi nhận:" and first.runs[0].bold and first.runs[0].italic
    lines = [p.text for p in left.paragraphs[1:]]
    assert lines[0] == "- CT, các PCT UBND huyện;"
    assert lines[-1] == "- Lưu: VT, NVLĐTBXH."
    signature = [p.text for p in right.paragraphs if p.text.strip()]
    assert signature == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Quang Vinh"]
    assert all(r.bold for p in right.paragraphs if p.text.strip() for r in p.runs)


def test_page_numbers_from_page_two(plan_doc):
    _, doc = plan_doc
    section = doc.sections[0]
    assert section.different_first_page_header_footer is True
    assert all(not p.text.strip() for p in section.first_page_header.paragraphs)
    header_xml = section.header._element.xml
    assert "PAGE" in header_xml and "fldChar" in header_xml
    assert section.header.paragraphs[0].alignment == 1  # centred


def test_place_and_date_format():
    assert place_and_date("Cát Hải", date(2026, 1, 5)) == "Cát Hải, ngày 05 tháng 01 năm 2026"
    assert place_and_date("Cát Hải", date(2025, 12, 15)) == "Cát Hải, ngày 15 tháng 12 năm 2025"
    assert place_and_date("Cát Hải", None).startswith("Cát Hải, ngày ")
