"""A document maker: a round's award list and award decision as Decree 30 documents (DOCX through
`reports.docx_layout`), issued in the name of the organiser unit as named on the day. Students
appear by name only with the family's consent to a public name; the others by pseudonym, class
and school (the school knows who they are and hands the prize over)."""

from django.conf import settings
from django.utils import timezone

from cyberyouth.reports import selectors as report_selectors
from cyberyouth.reports.composer import default_signature
from cyberyouth.reports.docx_layout import Column, Header, OfficialDocument, TableSpec

from . import selectors


def _header(unit, on, symbol: str):
    issuer = report_selectors.issuer_for(unit=unit, on=on)
    place = getattr(settings, "MONITORING_LETTER_PLACE", "Cát Hải")
    return Header(parent_body=issuer.parent_body, issuing_body=issuer.issuing_body,
                  number=f"Số:        /{symbol}-{issuer.symbol}", place=place, on=on), issuer


def _table(rnd, rows) -> TableSpec:
    return TableSpec(
        columns=[Column("TT", 1.0, "center"), Column("Họ và tên / tên dự thi", 4.6), Column("Lớp", 1.4, "center"),
                 Column("Trường", 4.2), Column("Kết quả", 1.8, "center"), Column("Giải", 2.6)],
        rows=[[str(i), r["name"], r["result"].school_class.name if r["result"].school_class_id else "",
               r["result"].unit.name, f"{r['result'].score}/{r['result'].max_score}", r["prize"]]
              for i, r in enumerate(rows, start=1)],
        caption=f"Danh sách đạt giải — {rnd.title}")


def _basis(rnd) -> str:
    return (f"Căn cứ kết quả {rnd.title.lower()} cuộc thi “{rnd.contest.title}” "
            f"(đóng lúc {timezone.localtime(rnd.closes_at).strftime('%H:%M ngày %d/%m/%Y')}); "
            f"xếp hạng theo số câu đúng, độ chênh của dự đoán so với số người trả lời đúng tất cả các câu "
            f"({rnd.full_marks_count or 0} người), thời gian làm bài và thời điểm nộp bài.")


def award_list_docx(*, rnd) -> bytes:
    on = timezone.localdate()
    header, issuer = _header(rnd.contest.unit, on, "DS")
    doc = OfficialDocument(header=header, doc_type="DANH SÁCH",
                           summary=f"Học sinh đạt giải {rnd.title.lower()} cuộc thi “{rnd.contest.title}”",
                           title=f"Danh sách đạt giải — {rnd.title}")
    rows = selectors.awards(rnd=rnd)
    doc.paragraph(_basis(rnd))
    if rows:
        doc.table(_table(rnd, rows))
    else:
        doc.paragraph("Vòng thi không có học sinh đạt giải.")
    doc.closing(recipients=["Các trường có học sinh đạt giải", f"Lưu: VT, {issuer.symbol}"],
                signature=default_signature(rnd.contest.unit))
    return doc.to_bytes()


def award_decision_docx(*, rnd) -> bytes:
    on = timezone.localdate()
    header, issuer = _header(rnd.contest.unit, on, "QĐ")
    rows = selectors.awards(rnd=rnd)
    doc = OfficialDocument(header=header, doc_type="QUYẾT ĐỊNH",
                           summary=f"Về việc khen thưởng học sinh đạt giải {rnd.title.lower()}\n"
                                   f"cuộc thi “{rnd.contest.title}”",
                           title=f"Quyết định khen thưởng — {rnd.title}")
    doc.paragraph(issuer.short_name.upper(), bold=True, indent=False)
    doc.paragraph("Căn cứ Quyết định số 311/QĐ-TTg của Thủ tướng Chính phủ phê duyệt Chương trình “Tăng cường "
                  "giáo dục thanh thiếu niên, học sinh, sinh viên về không gian mạng”;", italic=True)
    doc.paragraph(f"Căn cứ thể lệ cuộc thi “{rnd.contest.title}”;", italic=True)
    doc.paragraph(_basis(rnd).rstrip(".") + ";", italic=True)
    doc.paragraph("Xét đề nghị của Ban Tổ chức cuộc thi,", italic=True)
    doc.paragraph("QUYẾT ĐỊNH:", bold=True, indent=False)
    doc.paragraph(f"Điều 1. Khen thưởng {len(rows)} học sinh đạt giải {rnd.title.lower()} cuộc thi "
                  f"“{rnd.contest.title}” (danh sách kèm theo).")
    doc.paragraph("Điều 2. Giấy chứng nhận của mỗi học sinh có mã xác minh; nhà trường trao giải cho học sinh "
                  "theo danh sách.")
    doc.paragraph("Điều 3. Quyết định có hiệu lực kể từ ngày ký. Ban Tổ chức cuộc thi, các trường có học sinh "
                  "đạt giải chịu trách nhiệm thi hành Quyết định này.")
    if rows:
        doc.table(_table(rnd, rows))
    doc.closing(recipients=["Như Điều 3", f"Lưu: VT, {issuer.symbol}"], signature=default_signature(rnd.contest.unit))
    return doc.to_bytes()
