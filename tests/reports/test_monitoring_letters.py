"""Follow-up letters as Decree 30 official letters (công văn): words as recorded, laid out, in scope."""

import io

import pytest
from docx import Document

from cyberyouth.monitoring import selectors, services
from cyberyouth.monitoring.models import Outcome
from cyberyouth.reports import letters

pytestmark = pytest.mark.django_db


@pytest.fixture
def confirmed(people):
    me = people["kiemduyet"]
    item = selectors.queue(actor=me, limit=1)[0]
    services.item_claim(actor=me, item_id=item.pk)
    services.item_decide(actor=me, item_id=item.pk, outcome=Outcome.CONFIRM, category=item.top_category,
                         reason="Nội dung gây hại cho học sinh")
    return item


def _text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def test_removal_request_is_an_official_letter(people, confirmed, client_for):
    action = services.action_create(actor=people["kiemduyet"], item_id=confirmed.pk, kind="removal",
                                    note="Đề nghị phản hồi trong 24 giờ")
    response = client_for("kiemduyet").get(f"/bao-cao/cong-van/giam-sat/{action.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    document = Document(io.BytesIO(response.content))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)  # A4
    assert (round(section.left_margin.mm), round(section.right_margin.mm)) == (30, 15)
    header_left = document.tables[0].rows[1].cells[0].text
    assert header_left.startswith("Số:") and "V/v Đề nghị gỡ bỏ nội dung vi phạm" in header_left
    text = _text(document)
    issuer = " ".join(document.tables[0].rows[0].cells[0].text.split())
    assert issuer == "ỦY BAN NHÂN DÂN ĐẶC KHU CÁT HẢI"  # the People's Committee above the channel's owner
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert f"Kính gửi: {action.recipient}" in text
    assert confirmed.raw_sha256 in text  # the recorded words, not a paraphrase
    assert "trên địa bàn đặc khu Cát Hải" in action.body  # the area, not the channel's owner
    assert "Nơi nhận:" in text and "Như trên;" in text
    # The moderator's note is kept on the action, never in the official letter.
    assert action.note == "Đề nghị phản hồi trong 24 giờ"
    assert "phản hồi trong 24 giờ" not in text and "Ghi chú" not in text
    assert "ĐỀ NGHỊ GỠ BỎ NỘI DUNG VI PHẠM" not in [p.text for p in document.paragraphs]  # it became the V/v
    assert "Người lập" not in text
    plain = client_for("kiemduyet").get(f"/giam-sat/van-ban/{action.pk}/")
    assert plain.content.decode() == action.body


def test_every_letter_kind_and_the_helpline_note(people, confirmed):
    for kind in ("referral", "notify_school"):
        action = services.action_create(actor=people["kiemduyet"], item_id=confirmed.pk, kind=kind)
        content = letters.parse_body(action.body)
        assert content["title"] and content["addressee"] == action.recipient and content["parts"]
        assert Document(io.BytesIO(letters.letter_docx(action))).tables  # opens
    handoff = services.action_create(actor=people["kiemduyet"], item_id=confirmed.pk, kind="helpline")
    with pytest.raises(ValueError):
        letters.letter_docx(handoff)


def test_letters_stay_in_scope(people, confirmed, client_for):
    action = services.action_create(actor=people["kiemduyet"], item_id=confirmed.pk, kind="removal")
    handoff = services.action_create(actor=people["kiemduyet"], item_id=confirmed.pk, kind="helpline")
    assert client_for("kiemduyet").get(f"/bao-cao/cong-van/giam-sat/{handoff.pk}/").status_code == 404
    # the monitoring queue is not a student's page at all (403); a school without queue access: 403 too
    assert client_for("hocsinh").get(f"/bao-cao/cong-van/giam-sat/{action.pk}/").status_code == 403
    assert client_for("daumoi.gdnn").get(f"/bao-cao/cong-van/giam-sat/{action.pk}/").status_code == 403
