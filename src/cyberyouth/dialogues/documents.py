"""A document builder: the minutes of a dialogue (Biên bản) in the Decree 30 layout, through
`reports.docx_layout`. Issued in the school's name as it was called on the day; the secretary
signs at the bottom left and the chair at the bottom right, as a biên bản is signed. Question
texts are the redacted ones; named questions carry no name here either (the minutes are read
beyond the school)."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from cyberyouth.reports import selectors as report_selectors
from cyberyouth.reports.docx_layout import Column, Header, OfficialDocument, Signature, TableSpec

from . import selectors
from .models import Answer, Dialogue


def minutes_docx(dialogue: Dialogue) -> bytes:
    on = dialogue.held_on
    issuer = report_selectors.issuer_for(unit=dialogue.unit, on=on)
    place = getattr(settings, "MONITORING_LETTER_PLACE", "Cát Hải")
    header = Header(parent_body=issuer.parent_body, issuing_body=issuer.issuing_body,
                    number=f"Số:        /BB-{issuer.symbol}", place=place, on=on)
    doc = OfficialDocument(header=header, doc_type="BIÊN BẢN",
                           summary="Buổi đối thoại giữa lãnh đạo nhà trường với học sinh",
                           title=f"Biên bản đối thoại — {dialogue.title}")
    when = f"{dialogue.starts_at:%H giờ %M}, " if dialogue.starts_at else ""
    where = {"in_person": f"tại {dialogue.place}", "online": "trực tuyến",
             "hybrid": f"tại {dialogue.place}, đồng thời trực tuyến"}[dialogue.mode]
    doc.paragraph(f"Vào hồi {when}ngày {on:%d/%m/%Y}, {issuer.short_name} tổ chức buổi đối thoại giữa lãnh đạo nhà "
                  f"trường với học sinh, chủ đề “{dialogue.title}”, {where} (hình thức: "
                  f"{dialogue.get_mode_display().lower()}).")
    doc.heading("I. THÀNH PHẦN")
    doc.item("1.", "Lãnh đạo nhà trường:", justify=False)
    for leader in dialogue.leaders.all():
        doc.item("-", f"{leader.name}{', ' + leader.position if leader.position else ''};", justify=False)
    classes = ", ".join(c.name for c in dialogue.classes.all()) or "học sinh toàn trường"
    doc.item("2.", f"Học sinh: {classes}; số học sinh tham dự: {dialogue.attendance or 0}.", justify=False)
    doc.item("3.", f"Chủ trì: {dialogue.chair}. Thư ký: {dialogue.secretary or 'không ghi'}.", justify=False)
    doc.heading("II. NỘI DUNG")
    if dialogue.summary.strip():
        for line in dialogue.summary.splitlines():
            if line.strip():
                doc.paragraph(line.strip())
    board = selectors.board(dialogue=dialogue)
    asked = len(board)
    answered = sum(q.answer != Answer.OPEN for q in board)
    doc.paragraph(f"Học sinh gửi trước và trong buổi đối thoại {asked} câu hỏi được đăng (sau kiểm duyệt), "
                  f"{answered} câu đã được trả lời hoặc chuyển xử lý. Các câu hỏi theo thứ tự số lượt bình chọn:")
    rows = [[str(i), q.text, str(q.vote_count),
             q.get_answer_display() + (f": {q.answer_text}" if q.answer_text else "")
             + (f" ({q.answered_by})" if q.answered_by else "")] for i, q in enumerate(board, 1)]
    if rows:
        doc.table(TableSpec(columns=[Column("TT", 1.0, "center"), Column("Câu hỏi của học sinh", 6.4),
                                     Column("Bình chọn", 1.8, "center"), Column("Trả lời", 6.3)],
                            rows=rows, caption="Bảng 1. Câu hỏi của học sinh và ý kiến trả lời"))
    doc.heading("III. CAM KẾT CỦA LÃNH ĐẠO NHÀ TRƯỜNG")
    commitments = list(selectors.commitments(dialogue=dialogue))
    if commitments:
        doc.table(TableSpec(columns=[Column("TT", 1.0, "center"), Column("Nội dung", 7.0),
                                     Column("Người chịu trách nhiệm", 4.0), Column("Thời hạn", 3.5, "center")],
                            rows=[[str(i), c.text, c.owner_name, f"{c.due_on:%d/%m/%Y}"]
                                  for i, c in enumerate(commitments, 1)],
                            caption="Bảng 2. Cam kết và thời hạn thực hiện"))
    else:
        doc.paragraph("Không có cam kết cần theo dõi.")
    closed = timezone.localtime(dialogue.minutes_at) if dialogue.minutes_at else None
    doc.paragraph(f"Buổi đối thoại kết thúc{' lúc ' + closed.strftime('%H giờ %M') if closed and closed.date() == on else ''}"
                  f" cùng ngày. Biên bản được lập thành 02 bản, lưu tại nhà trường và gửi các bộ phận liên quan để "
                  f"thực hiện./.")
    doc.signatures(left=Signature(title="THƯ KÝ", name=dialogue.secretary),
                   right=Signature(title="CHỦ TRÌ", name=dialogue.chair.split(",")[0]))
    return doc.to_bytes()
