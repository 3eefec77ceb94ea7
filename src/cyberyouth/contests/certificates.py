"""A document maker: a contest certificate as a one-page A4 landscape PDF drawn with matplotlib
(offline, no LibreOffice; DejaVu Sans has every Vietnamese letter, as the login cards do).

The verification code and the address of the public verification page are printed on it; the
page shows the SHA-256 of this very file, so an edited copy does not pass for the real one.
"""

import io

from django.utils import timezone

from cyberyouth.reports.docx_layout import place_and_date


def certificate_pdf(*, result, student, named: bool, code: str, issued_at, site: str) -> bytes:
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    rnd = result.round
    contest = rnd.contest
    school_class = result.school_class.name if result.school_class_id else ""
    who = student.full_name if named else "Học sinh"
    place = f"{result.unit.name}" + (f", lớp {school_class}" if school_class and named else "")
    buffer = io.BytesIO()
    with PdfPages(buffer, metadata={"Title": f"Giấy chứng nhận {code}", "CreationDate": None,
                                    "Creator": "Không gian mạng xanh"}) as pdf:
        fig = Figure(figsize=(11.69, 8.27))
        for inset, width in ((0.02, 3.0), (0.035, 0.8)):
            fig.patches.append(Rectangle((inset, inset * 1.41), 1 - 2 * inset, 1 - 2 * inset * 1.41,
                                         transform=fig.transFigure, fill=False, linewidth=width, color="#8a1c1c"))
        fig.text(0.5, 0.88, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", ha="center", fontsize=13, weight="bold")
        fig.text(0.5, 0.845, "Độc lập - Tự do - Hạnh phúc", ha="center", fontsize=13, weight="bold")
        fig.text(0.5, 0.80, contest.unit.name.upper(), ha="center", fontsize=12)
        fig.text(0.5, 0.70, "GIẤY CHỨNG NHẬN", ha="center", fontsize=34, weight="bold", color="#8a1c1c")
        fig.text(0.5, 0.62, f"Chứng nhận {who}", ha="center", fontsize=20, weight="bold" if named else "normal")
        fig.text(0.5, 0.575, place, ha="center", fontsize=14)
        fig.text(0.5, 0.51, f"đã tham gia cuộc thi “{contest.title}”", ha="center", fontsize=15, wrap=True)
        fig.text(0.5, 0.465, f"{rnd.title}" + (f" — chủ đề: {rnd.topic}" if rnd.topic else ""), ha="center",
                 fontsize=13)
        fig.text(0.5, 0.40, f"Kết quả: {result.score}/{result.max_score} câu đúng — xếp thứ {result.rank}",
                 ha="center", fontsize=17, weight="bold")
        day = timezone.localtime(issued_at).date()
        fig.text(0.68, 0.28, place_and_date("Cát Hải", day), ha="center", fontsize=12, style="italic")
        fig.text(0.68, 0.24, "BAN TỔ CHỨC", ha="center", fontsize=12, weight="bold")
        fig.text(0.08, 0.16, f"Mã xác minh: {code}", fontsize=13, family="DejaVu Sans Mono", weight="bold")
        fig.text(0.08, 0.12, f"Kiểm tra tại {site.rstrip('/')}/thi/xac-minh/{code}/", fontsize=10)
        pdf.savefig(fig)
    return buffer.getvalue()
