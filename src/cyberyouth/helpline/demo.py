"""Demo helpline (fictitious): the special zone's helpline open every day 7:00–22:00, the
THCS Cát Bà counselling room on school days; a supervisor, counsellors on duty this week, and
cases in every state."""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from cyberyouth.orgs import services as org_services
from cyberyouth.orgs.demo import DEMO_PASSWORD
from cyberyouth.orgs.models import Role, Unit, User

from . import services
from .models import Channel, ContactKind, DutyShift, EntryKind, Helpline, ReferralTo, Urgency

EVERY_DAY = {str(d): [["07:00", "22:00"]] for d in range(7)} | {"holidays": True}
SCHOOL_DAYS = {str(d): [["07:00", "17:00"]] for d in range(5)}


@transaction.atomic
def load(*, actor) -> None:
    services.taxonomy_ensure()
    zone = Unit.objects.filter(code="hp-dk-cat-hai").first()
    school = Unit.objects.filter(code="thcs-cat-ba").first()
    if zone is None or school is None or Helpline.objects.exists():
        return
    zone_line = Helpline.objects.create(
        unit=zone, name="Tổng đài hỗ trợ và ứng cứu thanh thiếu nhi trên không gian mạng đặc khu Cát Hải",
        phone="0225 3888 111", hours=EVERY_DAY, alert_email="tongdai@cathai.example")
    Helpline.objects.create(unit=school, name="Phòng tư vấn học đường THCS Cát Bà", hours=SCHOOL_DAYS)
    people = {}
    for username, name, role, unit in [("giamsat", "Bùi Thị Thanh", Role.HELPLINE_SUPERVISOR, zone),
                                       ("tuvan.thcscatba", "Phạm Văn Nam", Role.COUNSELLOR, school)]:
        user = User.objects.filter(username=username).first() or org_services.user_create(
            actor=actor, username=username, full_name=name, password=DEMO_PASSWORD, email=f"{username}@cathai.example")
        org_services.role_grant(actor=actor, user=user, role=role, unit=unit)
        people[username] = user
    tuvan = User.objects.get(username="tuvan")
    today = timezone.localdate()
    tz = timezone.get_default_timezone()
    for i in range(-1, 8):
        day = today + timedelta(days=i)
        DutyShift.objects.create(helpline=zone_line, user=tuvan, starts_at=datetime.combine(day, time(7), tzinfo=tz),
                                 ends_at=datetime.combine(day, time(22), tzinfo=tz))

    def child(text, **kw):
        return services.child_submit(text=text, client_address="demo", **kw).case

    # new, critical, nobody has answered yet
    child("Em không muốn sống nữa, mấy bạn trong nhóm lớp cứ chụp ảnh em rồi chế giễu, em muốn tự tử cho xong.",
          age_band="11-14")
    # in progress: answered, plan made
    bullied = child("Có người lập trang giả mạo em rồi đăng ảnh em kèm lời lẽ xúc phạm, em phải làm sao ạ?",
                    school=school, age_band="11-14")
    services.answer(actor=people["tuvan.thcscatba"], case_id=bullied.pk,
                    text="Chào em, thầy đã đọc. Em chụp lại màn hình trang giả mạo, đừng trả lời họ. "
                         "Thầy sẽ gặp em ở phòng tư vấn sáng mai nhé.")
    services.plan_save(actor=people["tuvan.thcscatba"], case_id=bullied.pk,
                       risk_assessment="Nguy cơ trung bình: bị bắt nạt trên mạng, chưa có dấu hiệu tự hại.",
                       support_plan="Gặp trực tiếp; hướng dẫn báo cáo trang giả mạo; thông báo giáo viên chủ nhiệm.")
    # referred: sextortion, to the police, with a letter
    extort = services.intake_record(
        actor=tuvan, unit=zone, channel=Channel.PHONE, kind=ContactKind.SELF, urgency=Urgency.CRITICAL,
        category_codes=["sextortion"], age_band="15-17", gender="f",
        summary="Học sinh gọi: bị một tài khoản lạ đe dọa phát tán ảnh nhạy cảm nếu không chuyển tiền.").case
    services.referral_create(actor=tuvan, case_id=extort.pk, to=ReferralTo.POLICE,
                             reason="Đề nghị xác minh tài khoản đe dọa, bảo vệ học sinh; gia đình đã được báo.")
    services.note_add(actor=tuvan, case_id=extort.pk, kind=EntryKind.ACTION,
                      text="Đã hướng dẫn học sinh không chuyển tiền, giữ lại tin nhắn; mẹ học sinh đã đến đón.")
    # closed: a question answered
    question = child("Làm sao để đặt tài khoản Facebook ở chế độ riêng tư ạ?", kind=ContactKind.QUESTION,
                     age_band="11-14")
    services.answer(actor=tuvan, case_id=question.pk,
                    text="Em vào Cài đặt → Quyền riêng tư → chọn “Chỉ bạn bè” cho bài viết và danh sách bạn bè nhé.")
    services.status_move(actor=tuvan, case_id=question.pk, to="closed", reason="Đã trả lời câu hỏi.")
    # a silent call, counted only
    services.intake_record(actor=tuvan, unit=zone, channel=Channel.PHONE, kind=ContactKind.NON_DATA,
                           urgency=Urgency.NOT_URGENT, summary="")
