"""Demo data of dialogues: THPT Cát Bà held a dialogue in person this autumn (minutes, answers,
commitments — one done, one late, one open) and plans an online one that takes questions now;
in 2025 it held a hybrid one (both modes met), TH-THCS Hiền Hào one in person, the GDNN-GDTX
centre one online. Its focal point `daumoi.thptcatba` runs them (password DEMO_PASSWORD)."""

from datetime import date, time, timedelta

from django.db import transaction
from django.utils import timezone

from cyberyouth.orgs import services as org_services
from cyberyouth.orgs.demo import DEMO_PASSWORD
from cyberyouth.orgs.models import Role, Unit, User
from cyberyouth.students.models import Consent, Enrolment

from . import services
from .models import Answer, Dialogue, Mode, Question, Vote

FOCAL_POINT = ("daumoi.thptcatba", "Mẫu Văn Đạo")


def load(*, actor) -> None:
    if Dialogue.objects.exists() or not Unit.objects.filter(code="thpt-cat-ba").exists():
        return
    with transaction.atomic():
        _load(actor)


def _voters(unit: Unit, n: int) -> list:
    """Students of the school now in a class, with consent to named participation."""
    consenting = Consent.objects.filter(withdrawn_at__isnull=True, purpose="account").values("student_id")
    ids = (Enrolment.objects.filter(unit=unit, valid_to__isnull=True, student_id__in=consenting)
           .order_by("student_id").values_list("student", flat=True)[:n])
    from cyberyouth.students.models import Student

    return list(Student.objects.filter(id__in=list(ids)))


def _ask(dialogue, text, *, author=None, votes=(), approve=True, actor=None, answer=None, answer_text="", by=""):
    q = services.question_store(dialogue=dialogue, text=text, author=author)
    for student in votes:
        Vote.objects.create(question=q, student=student, voted_on=q.asked_on)
    Question.objects.filter(id=q.id).update(vote_count=len(votes))
    if approve:
        services.question_review(actor=actor, question_id=q.id, approve=True)
    if answer:
        services.question_mark(actor=actor, question_id=q.id, answer=answer, answer_text=answer_text, answered_by=by)
    return q


def _held(actor, unit, *, title, on, mode, leaders, attendance, chair, secretary, summary, place="", url=""):
    d = services.dialogue_create(actor=actor, unit=unit, title=title, held_on=on, starts_at=time(8, 0), mode=mode,
                                 place=place, meeting_url=url, leaders=leaders)
    return d, (lambda: services.minutes_record(actor=actor, dialogue=d, attendance=attendance, chair=chair,
                                               secretary=secretary, summary=summary))


def _load(actor) -> None:
    thpt = Unit.objects.get(code="thpt-cat-ba")
    username, name = FOCAL_POINT
    fp = User.objects.filter(username=username).first() or org_services.user_create(
        actor=actor, username=username, full_name=name, password=DEMO_PASSWORD, email=f"{username}@cathai.example")
    org_services.role_grant(actor=actor, user=fp, role=Role.FOCAL_POINT, unit=thpt, valid_from=date(2025, 8, 15))
    leaders = [{"user": fp, "name": name, "position": "Phó Hiệu trưởng"},
               {"user": None, "name": "Thử Thị Hiền", "position": "Hiệu trưởng"}]
    today = timezone.localdate()
    voters = _voters(thpt, 40)

    # 2025: THPT Cát Bà hybrid (both modes), Hiền Hào in person, the GDNN-GDTX centre online
    d, close = _held(fp, thpt, title="Học sinh với Chương trình chuyển đổi số của nhà trường", on=date(2025, 11, 14),
                     mode=Mode.HYBRID, leaders=leaders, attendance=312, chair="Thử Thị Hiền, Hiệu trưởng",
                     secretary="Mẫu Thị Giáo", place="Hội trường nhà trường", url="https://meet.google.com/cat-ba-thpt",
                     summary="Lãnh đạo nhà trường thông tin kế hoạch chuyển đổi số năm học 2025-2026; học sinh "
                             "hỏi về sổ liên lạc điện tử, học liệu số và an toàn khi học trực tuyến.")
    _ask(d, "Sổ liên lạc điện tử có cho học sinh xem điểm ngay sau khi kiểm tra không ạ?", votes=voters[:18],
         actor=fp, answer=Answer.ANSWERED, answer_text="Điểm được cập nhật trong 7 ngày sau bài kiểm tra.",
         by="Thử Thị Hiền")
    _ask(d, "Học trực tuyến buổi tối có bị giới hạn thời gian dùng máy tính của trường không ạ?", votes=voters[:9],
         actor=fp, answer=Answer.ANSWERED, answer_text="Phòng máy mở đến 20 giờ các ngày trong tuần.", by="Mẫu Văn Đạo")
    close()
    for code, mode, title, att in (("th-thcs-hien-hao", Mode.IN_PERSON, "Đối thoại đầu năm học với học sinh", 68),
                                   ("gdnn-gdtx-cat-hai", Mode.ONLINE, "Đối thoại trực tuyến về nghề và việc làm", 143)):
        unit = Unit.objects.get(code=code)
        d, close = _held(actor, unit, title=title, on=date(2025, 10, 20), mode=mode, attendance=att,
                         leaders=[{"user": None, "name": "Mẫu Văn Quản", "position": "Giám đốc" if "gdnn" in code
                                   else "Hiệu trưởng"}], chair="Mẫu Văn Quản", secretary="Thử Thị Ký",
                         summary="Lãnh đạo trả lời các câu hỏi của học sinh về học tập và hoạt động ngoại khóa.",
                         place="Sân trường" if mode == Mode.IN_PERSON else "",
                         url="https://zoom.us/j/1234567890" if mode == Mode.ONLINE else "")
        close()

    # This autumn at THPT Cát Bà, in person: minutes, answers and commitments
    held_on = max(date(today.year, 1, 2), today - timedelta(days=45))
    d, close = _held(fp, thpt, title="Học sinh với không gian mạng an toàn, văn minh", on=held_on,
                     mode=Mode.IN_PERSON, leaders=leaders, attendance=286, chair="Thử Thị Hiền, Hiệu trưởng",
                     secretary="Thử Văn Viên", place="Hội trường nhà trường",
                     summary="Hiệu trưởng nêu kết quả công tác giáo dục kỹ năng an toàn trên không gian mạng; học sinh "
                             "đặt câu hỏi về wifi thư viện, xử lý bắt nạt qua mạng, câu lạc bộ kỹ năng số.\n"
                             "Lãnh đạo nhà trường tiếp thu, trả lời trực tiếp và cam kết các việc dưới đây.")
    wifi = _ask(d, "Nhà trường có thể lắp thêm wifi ở thư viện để chúng em tra cứu tài liệu không ạ?",
                votes=voters[:24], actor=fp, answer=Answer.ANSWERED, by="Mẫu Văn Đạo",
                answer_text="Nhà trường lắp bộ phát wifi có lọc nội dung cho thư viện trong tháng này.")
    _ask(d, "Khi bị bạn nói xấu trong nhóm chat của lớp thì em nên làm gì ạ?", votes=voters[:17], actor=fp,
         answer=Answer.ANSWERED, by="Thử Thị Hiền",
         answer_text="Chụp lại màn hình, không đáp trả, báo giáo viên chủ nhiệm hoặc gọi 111; nhà trường giữ kín tên em.")
    club = _ask(d, "Trường có thể thành lập câu lạc bộ lập trình hoặc kỹ năng số cho học sinh không ạ?",
                votes=voters[:12], actor=fp, answer=Answer.LATER, by="Thử Thị Hiền",
                answer_text="Nhà trường xây dựng đề án câu lạc bộ và trả lời trong học kỳ II.")
    _ask(d, "Có nên cho học sinh dùng điện thoại trong giờ ra chơi không ạ?", votes=voters[:6], actor=fp,
         answer=Answer.REFERRED, by="Thử Thị Hiền", answer_text="Chuyển Hội đồng trường xem xét khi sửa nội quy.")
    close()
    done = services.commitment_add(actor=fp, dialogue=d, text="Lắp bộ phát wifi có lọc nội dung cho thư viện",
                                   owner=fp, owner_name="Mẫu Văn Đạo, Phó Hiệu trưởng", question_id=wifi.id,
                                   due_on=held_on + timedelta(days=30))
    services.commitment_done(actor=fp, commitment_id=done.id, done_on=min(today, held_on + timedelta(days=21)),
                             note="Đã lắp 02 bộ phát, bật lọc nội dung độc hại.")
    services.commitment_add(actor=fp, dialogue=d, text="Tổ chức buổi ngoại khóa về lừa đảo trực tuyến cho khối 10",
                            owner_name="Đoàn Thanh niên nhà trường", due_on=held_on + timedelta(days=30))
    services.commitment_add(actor=fp, dialogue=d, text="Thành lập câu lạc bộ Kỹ năng số", owner=fp,
                            owner_name="Mẫu Văn Đạo, Phó Hiệu trưởng", question_id=club.id,
                            due_on=held_on + timedelta(days=120))

    # Next week, online: taking questions now
    d = services.dialogue_create(
        actor=fp, unit=thpt, title="Em muốn hỏi thầy cô: học tập và đời sống số", held_on=today + timedelta(days=8),
        starts_at=time(19, 30), mode=Mode.ONLINE, meeting_url="https://meet.google.com/thpt-cat-ba-doi-thoai",
        leaders=leaders, description="Các em gửi câu hỏi về học tập, hoạt động Đoàn, an toàn trên mạng. Câu hỏi "
                                     "nhiều bình chọn được trả lời trước.")
    _ask(d, "Nhà trường có kế hoạch tổ chức thi tin học văn phòng lấy chứng chỉ cho học sinh không ạ?",
         votes=voters[:11], actor=fp)
    _ask(d, "Em muốn đề xuất mở thêm giờ thư viện vào buổi chiều thứ Bảy được không ạ?", votes=voters[:7], actor=fp)
    _ask(d, "Làm sao để biết một tin nhắn trúng thưởng trên mạng là lừa đảo ạ?", votes=voters[:5], actor=fp)
    # waiting for a person: one with a phone number the filter hid, one plain
    _ask(d, "Bạn lớp em hay nhắn tin trêu chọc, số của bạn ấy là 0912 345 678, thầy cô xử lý giúp em được không ạ?",
         approve=False)
    _ask(d, "Thầy cô có thể chia sẻ kinh nghiệm chọn ngành học sau khi tốt nghiệp không ạ?", approve=False)
