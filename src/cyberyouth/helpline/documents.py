"""The helpline's official documents (DOCX, Decree 30 layout through `reports.docx_layout`):
the intake record (Form 01 of Decree 56/2017) with the assessment and support plan, and the
referral letter (công văn). Issued in the name of the helpline's unit as named today."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from cyberyouth.reports import selectors as report_selectors
from cyberyouth.reports.composer import default_signature
from cyberyouth.reports.docx_layout import Header, OfficialDocument

from . import rules
from .models import Case, Referral


def _header(unit, on, symbol_suffix: str = "") -> tuple[Header, object]:
    issuer = report_selectors.issuer_for(unit=unit, on=on)
    place = getattr(settings, "MONITORING_LETTER_PLACE", "Cát Hải")
    return Header(parent_body=issuer.parent_body, issuing_body=issuer.issuing_body,
                  number=f"Số:        /{symbol_suffix}{issuer.symbol}", place=place, on=on), issuer


def _local(dt) -> str:
    return timezone.localtime(dt).strftime("%H:%M ngày %d/%m/%Y") if dt else "chưa có"


def form01_docx(case: Case) -> bytes:
    on = timezone.localdate()
    header, issuer = _header(case.unit, on, "PTN-")
    doc = OfficialDocument(header=header, doc_type="PHIẾU GHI NHẬN",
                           summary="Thông tin, thông báo về trẻ em cần hỗ trợ, can thiệp (Mẫu số 01)",
                           title=f"Mẫu 01 — ca {case.code}")
    first = case.contacts.order_by("received_at").select_related("school").first()
    doc.heading("I. THÔNG TIN TIẾP NHẬN")
    doc.item("-", f"Mã ca: {case.code}; tiếp nhận lúc {_local(case.received_at)}.", justify=False)
    if first is not None:
        doc.item("-", f"Kênh: {first.get_channel_display()}; loại: {first.get_kind_display()}.", justify=False)
        doc.item("-", "Trẻ em: tuổi " + (first.get_age_band_display() if first.age_band else "không rõ")
                 + "; giới tính " + (first.get_gender_display() if first.gender else "không rõ")
                 + "; trường " + (first.school.name if first.school_id else "không rõ")
                 + (f", lớp {first.class_name}" if first.class_name else "") + ".", justify=False)
    doc.item("-", f"Mức khẩn: {case.get_urgency_display()}"
             + (" (đã được tư vấn viên xác nhận)." if case.urgency_confirmed else " (do hệ thống gợi ý)."), justify=False)
    cats = ", ".join(c.name for c in case.categories.all()) or "chưa phân loại"
    doc.item("-", f"Nhóm vấn đề: {cats}.", justify=False)
    doc.item("-", f"Trạng thái: {rules.STATUS_LABELS.get(case.status, case.status)}.", justify=False)
    doc.heading("II. NỘI DUNG")
    for m in case.messages.all()[:20]:
        who = "Trẻ em" if m.author == m.Author.CHILD else "Tư vấn viên"
        doc.paragraph(f"{who} ({_local(m.created_at)}): {m.text}")
    for c in case.contacts.exclude(summary="").order_by("received_at")[:20]:
        doc.paragraph(f"{c.get_channel_display()} ({_local(c.received_at)}): {c.summary}")
    doc.heading("III. ĐÁNH GIÁ NGUY CƠ (MẪU 02) VÀ KẾ HOẠCH HỖ TRỢ (MẪU 03)")
    doc.paragraph(case.risk_assessment or "Chưa đánh giá.")
    doc.paragraph(case.support_plan or "Chưa lập kế hoạch.")
    doc.heading("IV. THỜI HẠN")
    for clock in case.clocks.all():
        state = (f"đã thực hiện lúc {_local(clock.met_at)}" + (" (đúng hạn)" if clock.met_in_time else " (quá hạn)")
                 if clock.met_at else ("quá hạn" if clock.breached_at else "đang chạy"))
        doc.item("-", f"{clock.get_kind_display()}: hạn {_local(clock.due_at)}; {state}.", justify=False)
    doc.closing(recipients=["Người giám sát tổng đài", f"Lưu: hồ sơ ca {case.code}"],
                signature=default_signature(case.unit))
    return doc.to_bytes()


def referral_letter_docx(referral: Referral) -> bytes:
    case = referral.case
    on = timezone.localtime(referral.at).date()
    header, issuer = _header(case.unit, on)
    summary = f"V/v chuyển trường hợp trẻ em cần hỗ trợ, can thiệp (ca {case.code})"
    doc = OfficialDocument(header=header, doc_type="", summary=summary, title=f"Chuyển tuyến — ca {case.code}")
    doc.addressed_to([referral.recipient])
    doc.paragraph(f"{issuer.short_name} nhận được thông tin về một trường hợp trẻ em cần hỗ trợ, can thiệp "
                  f"lúc {_local(case.received_at)} (mã ca {case.code}), mức khẩn: "
                  f"{case.get_urgency_display().lower()}. Nhóm vấn đề: "
                  f"{', '.join(c.name for c in case.categories.all()) or 'chưa phân loại'}.")
    doc.paragraph(f"Lý do, đề nghị: {referral.reason}")
    doc.paragraph("Thực hiện Điều 26 Nghị định số 56/2017/NĐ-CP, đề nghị quý cơ quan tiếp nhận, phối hợp xử lý và "
                  "phản hồi kết quả để tổng đài cập nhật hồ sơ. Thông tin về trẻ em được giữ bí mật theo quy định.")
    doc.closing(recipients=["Như trên", f"Lưu: hồ sơ ca {case.code}"], signature=default_signature(case.unit))
    return doc.to_bytes()
