"""Demo: the vocational centre's volunteer team (staff and students with consent) with its 2025–2026
activities linked to the centre's posts, and THPT Cát Bà's political-theory club with a forum
thread in which the engine held two messages and the club's staff decided (one hidden, one
published), all through the services so that screening, audit and notices are real."""

from datetime import date

from django.db import transaction

from cyberyouth.orgs.models import Unit, User

from . import services
from .models import ActivityKind, MemberRole, Team, TeamKind


def _consenting(unit, n, *, exclude=()):
    from cyberyouth.students.models import Consent

    ids = Consent.objects.filter(purpose="account", withdrawn_at__isnull=True, student__unit=unit,
                                 student__deidentified_at__isnull=True,
                                 student__status="enrolled").exclude(student_id__in=exclude).values_list(
        "student_id", flat=True).order_by("student_id")
    from cyberyouth.students.models import Student

    return list(Student.objects.filter(id__in=list(ids[:n])))


def load(*, actor) -> None:
    units = {u.code: u for u in Unit.objects.filter(code__in=("gdnn-gdtx-cat-hai", "thpt-cat-ba"))}
    if len(units) < 2 or Team.objects.filter(unit__in=units.values()).exists():
        return
    with transaction.atomic():
        _volunteer_team(actor, units["gdnn-gdtx-cat-hai"])
        _club(actor, units["thpt-cat-ba"])


def _volunteer_team(actor, unit) -> None:
    from cyberyouth.campaigns.models import Post, PostKind
    from cyberyouth.orgs import selectors as org_selectors
    from cyberyouth.training.models import StaffMember

    fp = User.objects.filter(username="daumoi.gdnn").first() or actor
    team = services.team_create(actor=fp, unit=unit, kind=TeamKind.VOLUNTEER, name="Đội thanh niên tình nguyện “Mạng xanh”",
                                purpose="Lan tỏa tin tốt, câu chuyện đẹp trên trang của Trung tâm và các nhóm lớp; "
                                        "nhận diện, báo cáo và phản bác thông tin xấu độc.",
                                founded_on=date(2025, 3, 26))
    today = org_selectors.today()
    leader = StaffMember.objects.filter(unit=unit, does_student_work=True, left_on__isnull=True).order_by("id").first()
    if leader is not None:
        services.member_add(actor=fp, team=team, staff=leader, role=MemberRole.ADVISER, joined_on=date(2025, 3, 26))
    for i, student in enumerate(_consenting(unit, 8)):
        services.member_add(actor=fp, team=team, student=student, joined_on=date(2025, 9, 15),
                            role=MemberRole.LEADER if i == 0 else MemberRole.MEMBER)
    # the campaign's demo posts cover this year: the good-news week is the latest one with posts
    good = list(Post.objects.filter(unit=unit, kind__in=[PostKind.GOOD_NEWS, PostKind.STORY], day__lt=today)
                .order_by("-day")[:3]) or list(Post.objects.filter(unit=unit, day__lt=today).order_by("-day")[:3])
    good_week = good[0].day if good else date(2025, 11, 17)
    plan = [
        (ActivityKind.GOOD_NEWS, "Tuần lễ “Mỗi ngày một tin tốt” trên trang của Trung tâm", good_week,
         24, "Đăng và chia sẻ tin về thầy cô, học sinh tiêu biểu của Trung tâm.", [p.id for p in good]),
        (ActivityKind.REBUTTAL, "Phản bác tin giả về “thu phí học nghề” lan truyền trên nhóm lớp", date(2025, 10, 8),
         12, "Đăng thông báo chính thức của Trung tâm, báo cáo 3 bài viết sai sự thật lên nền tảng.", []),
        (ActivityKind.FORUM, "Tọa đàm “Sinh viên nghề với an toàn trên mạng”", date(2025, 12, 3), 60,
         "Phối hợp Công an đặc khu; 60 học sinh tham dự.", []),
    ]
    for kind, title, held_on, n, note, posts in plan:
        if held_on <= today:
            services.activity_add(actor=fp, team=team, kind=kind, title=title, held_on=held_on, participants=n,
                                  description=note, post_ids=posts)


CLUB_STAFF = ("daumoi.thptcatba", "Mẫu Thị Đoàn Viên")  # the school's focal point: keeps and moderates its clubs


def _club_staff(actor, unit) -> User:
    """THPT Cát Bà's focal point (the demo's other people sit on units inside the zone)."""
    from cyberyouth.orgs import services as org_services
    from cyberyouth.orgs.demo import DEMO_PASSWORD
    from cyberyouth.orgs.models import Role

    username, name = CLUB_STAFF
    user = User.objects.filter(username=username).first() or org_services.user_create(
        actor=actor, username=username, full_name=name, password=DEMO_PASSWORD)
    if not user.roles.filter(role=Role.FOCAL_POINT, unit=unit).exists():  # the dialogues demo may have made it
        org_services.role_grant(actor=actor, user=user, role=Role.FOCAL_POINT, unit=unit, valid_from=date(2025, 1, 1))
    return user


def _club(actor, unit) -> None:
    from cyberyouth.students.demo import STUDENT_ACCOUNT
    from cyberyouth.students.models import Student
    from cyberyouth.training import services as training

    admin = _club_staff(actor, unit)
    club = services.team_create(actor=admin, unit=unit, kind=TeamKind.CLUB, name="Câu lạc bộ Lý luận trẻ",
                                purpose="Học sinh yêu thích lý luận chính trị cùng đọc, thảo luận và tập viết bài "
                                        "phản bác quan điểm sai trái; sinh hoạt hai tuần một lần.",
                                founded_on=date(2025, 9, 20))
    teacher = training.staff_add(actor=admin, unit=unit, full_name="Mẫu Văn Công Dân",
                                 position="Giáo viên Giáo dục kinh tế và pháp luật", joined_on=date(2019, 8, 15))
    services.member_add(actor=admin, team=club, staff=teacher, role=MemberRole.ADVISER, joined_on=date(2025, 9, 20))
    student = Student.objects.filter(user__username=STUDENT_ACCOUNT).first()
    others = _consenting(unit, 5, exclude=[student.id] if student else [])
    for s in ([student] if student else []) + others:
        services.member_add(actor=admin, team=club, student=s, joined_on=date(2025, 9, 20))
    services.activity_add(actor=admin, team=club, kind=ActivityKind.FORUM, title="Sinh hoạt chủ đề “Tin giả và cách kiểm chứng”",
                          held_on=date(2025, 10, 15), participants=18,
                          description="Thảo luận tiếp trên diễn đàn của câu lạc bộ.")
    if student is None or student.user is None:
        return
    thread = services.thread_create(
        actor=admin, team=club, title="Vì sao phải kiểm chứng tin trước khi chia sẻ?",
        text="Các em hãy kể một lần gặp tin giả trên mạng và cách kiểm chứng tin đó. "
             "Nhớ viết lịch sự, không nêu tên bạn bè.")
    pupil = student.user
    services.message_post(actor=pupil, thread=thread, text="Em từng thấy tin trường cho nghỉ học vì bão nhưng trang "
                          "của trường không có. Em hỏi cô chủ nhiệm thì đó là tin giả ạ.")
    held = services.message_post(actor=pupil, thread=thread, text="Bạn nào cần tài liệu ôn thì gọi mình số "
                                 "0912 345 678 hoặc đến nhà mình ở số 12 đường Núi Ngọc nhé.")
    from .models import MessageStatus

    if held.status == MessageStatus.HELD:
        services.message_moderate(actor=admin, message=held, action="hide",
                                  reason="Có số điện thoại và địa chỉ nhà: không đưa thông tin cá nhân lên diễn đàn.")
    services.message_post(actor=pupil, thread=thread, text="Em sẽ xem nguồn tin, ngày đăng và tìm trên trang chính "
                          "thức trước khi chia sẻ ạ.")
