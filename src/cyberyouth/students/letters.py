"""A document maker: a class's consent letters (DOCX in the Decree 30 layout, through the reports
app's layout helpers; PDF through LibreOffice when installed) and its login-code cards (PDF drawn
with matplotlib, offline, no LibreOffice needed)."""

import io

from cyberyouth.orgs import selectors as org_selectors

from .models import ConsentPurpose, SchoolClass


def consent_letters_docx(*, school_class: SchoolClass, issued: list, site: str) -> bytes:
    """One letter per family, each on its own page with the student's one-time code."""
    from cyberyouth.reports import selectors as report_selectors
    from cyberyouth.reports.composer import default_signature
    from cyberyouth.reports.docx_layout import Header, OfficialDocument

    on = org_selectors.today()
    unit = school_class.unit
    issuer = report_selectors.issuer_for(unit=unit, on=on)
    place = report_selectors.name_on(org_selectors.administrative_unit_of(unit=unit, on=on), on)
    place = place.replace("Đặc khu ", "").replace("Xã ", "").replace("Phường ", "")
    header = Header(parent_body=issuer.parent_body, issuing_body=issuer.issuing_body,
                    number=f"Số:        /TB-{issuer.symbol}", place=place, on=on)
    summary = "Xin ý kiến đồng ý của cha mẹ học sinh về xử lý dữ liệu cá nhân của học sinh"
    doc = OfficialDocument(header=header, doc_type="THÔNG BÁO", summary=summary,
                           title=f"Thư xin đồng ý — lớp {school_class.name}")
    for index, (student, code) in enumerate(issued):
        if index:
            doc.page_break()
            # Each family's letter stands alone: the header again on its page.
            doc._header_block()
            doc._type_and_summary()
        doc.paragraph(f"Kính gửi: Cha mẹ (người giám hộ) của em {student.full_name}, lớp {school_class.name}.",
                      bold=True, indent=False)
        doc.paragraph(
            "Theo Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15 và Nghị định 356/2025/NĐ-CP, nhà trường chỉ lưu "
            "tên của học sinh trên hệ thống “Không gian mạng xanh” khi cha mẹ (và học sinh từ đủ 7 tuổi) đồng ý. "
            "Không trả lời nghĩa là không đồng ý. Khi chưa đồng ý, em vẫn được hỏi tổng đài hỗ trợ, báo nội dung "
            "xấu và làm khảo sát ẩn danh.")
        doc.paragraph("Xin gia đình cho biết ý kiến với từng mục đích sau:")
        for _, label in ConsentPurpose.choices:
            doc.item("☐", label)
        doc.paragraph(f"Cách 1 — trực tuyến: vào {site}/hoc-sinh/dong-y/ và nhập mã {code}. Mã dùng một lần.",
                      bold=True)
        doc.paragraph("Cách 2 — trên giấy: đánh dấu các mục đồng ý, cha mẹ và học sinh cùng ký dưới đây, gửi "
                      "giáo viên chủ nhiệm.")
        doc.paragraph("Chữ ký của cha mẹ (người giám hộ): ................................   "
                      "Chữ ký của học sinh: ..............................", indent=False)
        doc.paragraph("Gia đình có thể rút lại đồng ý bất cứ lúc nào bằng cách báo giáo viên chủ nhiệm; khi đó "
                      "tài khoản bị khóa và dữ liệu có tên được ẩn danh.", italic=True)
    doc.closing(recipients=["Cha mẹ học sinh lớp " + school_class.name, f"Lưu: VT, {issuer.symbol}"],
                signature=default_signature(unit))
    return doc.to_bytes()


def login_cards_pdf(*, school_class: SchoolClass, issued: list, site: str) -> bytes:
    """Cut-out cards, 10 to an A4 page: the student's name, username and one-time code."""
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    buffer = io.BytesIO()
    per_page = 10
    with PdfPages(buffer, metadata={"Title": f"Mã đăng nhập lớp {school_class.name}",
                                    "CreationDate": None}) as pdf:
        for start in range(0, max(len(issued), 1), per_page):
            fig = Figure(figsize=(8.27, 11.69))
            fig.text(0.5, 0.97, f"{school_class.unit.name} — lớp {school_class.name} — mã đăng nhập lần đầu",
                     ha="center", fontsize=11, weight="bold")
            for i, (student, username, code) in enumerate(issued[start:start + per_page]):
                col, row = i % 2, i // 2
                x, y = 0.05 + col * 0.47, 0.93 - (row + 1) * 0.18
                fig.patches.append(Rectangle((x, y), 0.43, 0.16, transform=fig.transFigure, fill=False,
                                             linestyle="--", linewidth=0.8))
                fig.text(x + 0.02, y + 0.125, student.full_name, fontsize=11, weight="bold")
                fig.text(x + 0.02, y + 0.09, f"Tên đăng nhập: {username}", fontsize=10)
                fig.text(x + 0.02, y + 0.055, f"Mã lần đầu: {code}", fontsize=12, family="DejaVu Sans Mono")
                fig.text(x + 0.02, y + 0.02, f"Vào {site}/hoc-sinh/ma/ rồi tự đặt mật khẩu.", fontsize=7.5)
            if not issued:
                fig.text(0.5, 0.5, "Chưa có học sinh nào được gia đình đồng ý mở tài khoản.", ha="center")
            pdf.savefig(fig)
    return buffer.getvalue()
