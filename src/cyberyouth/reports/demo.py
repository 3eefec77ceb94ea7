"""Demo: what the standing agency wrote for its 2024 and 2025 reports and the 2025 mid-term
review (difficulties, proposals, funding, signer). Documents themselves are generated on demand."""

from django.db import transaction

from cyberyouth.orgs.models import Unit

from .models import ReportNote

SIGNER = {"signer_authority": "KT. TRƯỞNG PHÒNG", "signer_title": "PHÓ TRƯỞNG PHÒNG",
          "signer_name": "Nguyễn Thị Thu Hà"}

REVIEW_2025 = {
    "difficulties": (
        "- Việc sắp xếp đơn vị hành chính, tổ chức lại cơ quan chuyên môn từ ngày 01/7/2025 làm thay đổi đầu mối "
        "theo dõi, một số đơn vị chậm cập nhật tiến độ và báo cáo số liệu trong quý III/2025.\n"
        "- Đội ngũ làm công tác học sinh, sinh viên ở các cơ sở GDNN chủ yếu kiêm nhiệm, thời gian tham gia bồi dưỡng "
        "kỹ năng truyền thông trên không gian mạng còn hạn chế.\n"
        "- Tỷ lệ đoàn viên mới kết nạp học lý luận chính trị trên ứng dụng “Thanh niên Việt Nam” chưa đạt mốc do "
        "một bộ phận học sinh chưa có thiết bị di động cá nhân, kết nối internet tại các xã đảo chưa ổn định.\n"
        "- Kinh phí cho các sản phẩm truyền thông hiện đại (video clip, đồ họa) chủ yếu lồng ghép trong chi thường "
        "xuyên, chưa có nguồn riêng."
    ),
    "proposals": (
        "- Đề nghị Sở Nội vụ, Sở Giáo dục và Đào tạo thành phố tổ chức các lớp bồi dưỡng kỹ năng truyền thông, "
        "đấu tranh trên không gian mạng cho cán bộ làm công tác học sinh, sinh viên các cơ sở GDNN năm 2026.\n"
        "- Đề nghị Thành Đoàn Hải Phòng hỗ trợ tài liệu, hướng dẫn học lý luận chính trị trên ứng dụng “Thanh niên "
        "Việt Nam” phù hợp với học sinh GDNN.\n"
        "- Đề nghị Ủy ban nhân dân đặc khu bố trí kinh phí riêng cho việc xây dựng sản phẩm truyền thông hiện đại "
        "giai đoạn 2026 - 2030."
    ),
    "next_steps": (
        "- Tiếp tục quán triệt, triển khai Kế hoạch theo mô hình chính quyền địa phương hai cấp; kiện toàn đầu mối "
        "theo dõi tại các đơn vị sau sắp xếp.\n"
        "- Tập trung nâng tỷ lệ học sinh tích cực thực hiện Quy tắc ứng xử trên mạng xã hội và tỷ lệ đoàn viên mới "
        "học lý luận chính trị trên ứng dụng “Thanh niên Việt Nam”, phấn đấu đạt 100% vào năm 2030.\n"
        "- Duy trì Cuộc vận động “Mỗi ngày một tin tốt, mỗi tuần một câu chuyện đẹp” trên kênh thông tin của các "
        "cơ sở GDNN; tổ chức đối thoại giữa lãnh đạo nhà trường với học sinh ít nhất 01 lần/năm theo cả hai phương thức.\n"
        "- Đôn đốc các đơn vị cập nhật tiến độ, minh chứng và báo cáo số liệu đúng hạn trên hệ thống."
    ),
    "funding": ("Kinh phí thực hiện giai đoạn 2023 - 2025 được bố trí trong dự toán chi thường xuyên của các cơ quan, "
                "đơn vị và nguồn hợp pháp của các cơ sở giáo dục; một số hoạt động được lồng ghép với chương trình "
                "công tác Đoàn và hoạt động ngoại khóa."),
}

YEARLY_2025 = {
    "difficulties": REVIEW_2025["difficulties"],
    "proposals": REVIEW_2025["proposals"],
    "funding": "Kinh phí năm 2025 được bố trí trong dự toán chi thường xuyên của các cơ quan, đơn vị.",
}

YEARLY_2024 = {
    "difficulties": (
        "- Một số trường học ở các xã đảo còn thiếu thiết bị, đường truyền để tổ chức các hoạt động trực tuyến.\n"
        "- Việc cập nhật minh chứng trên hệ thống ở một số đơn vị chưa kịp thời."
    ),
    "proposals": "- Đề nghị Sở Lao động - Thương binh và Xã hội thành phố tổ chức tập huấn kỹ năng truyền thông "
                 "trên không gian mạng cho cán bộ làm công tác học sinh các cơ sở GDNN.",
}


@transaction.atomic
def load(*, actor) -> None:
    from . import services

    if ReportNote.objects.exists():
        return
    zone = Unit.objects.filter(code="hp-dk-cat-hai").first()
    district = Unit.objects.filter(code="hp-cat-hai").first()
    if zone is None or district is None:
        return
    services.note_save(actor=actor, unit=zone, kind="review", year=2025, funding_vnd=None, **REVIEW_2025, **SIGNER)
    services.note_save(actor=actor, unit=zone, kind="yearly", year=2025, funding_vnd=None, **YEARLY_2025, **SIGNER)
    services.note_save(actor=actor, unit=district, kind="yearly", year=2024, funding_vnd=None, **YEARLY_2024, **SIGNER)
