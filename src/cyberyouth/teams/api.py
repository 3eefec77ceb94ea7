"""The teams API: teams and clubs, members, activities, forum messages and their moderation —
scoped like the pages (forum messages: the club's staff, team.manage on its unit)."""

from datetime import date, datetime

from ninja import Field, Router, Schema, Status

from cyberyouth.errors import DomainError, ErrorCode, NotFound
from cyberyouth.orgs import selectors as org_selectors
from cyberyouth.orgs.decorators import requires

from . import selectors, services
from .models import ActivityKind, MemberRole, MessageStatus, TeamKind

API_MOUNT = "teams"
router = Router(tags=["teams"])
READ, MANAGE = "team.read", "team.manage"


class TeamOut(Schema):
    id: int
    unit: str
    kind: str
    name: str
    purpose: str
    founded_on: date | None
    closed_on: date | None
    students: int
    staff: int


class TeamIn(Schema):
    unit: str = Field(max_length=64)
    kind: TeamKind
    name: str = Field(max_length=200)
    purpose: str = Field("", max_length=3000)
    founded_on: date | None = None


class MemberOut(Schema):
    id: int
    kind: str  # student | staff
    person_id: int
    name: str | None  # a student's name only for the team's managers, with consent in force
    role: str
    joined_on: date
    left_on: date | None


class MemberIn(Schema):
    student_id: int | None = None
    staff_id: int | None = None
    role: MemberRole = MemberRole.MEMBER
    joined_on: date | None = None


class ActivityOut(Schema):
    id: int
    kind: str
    title: str
    held_on: date
    participants: int
    description: str
    post_ids: list[int]


class ActivityIn(Schema):
    kind: ActivityKind
    title: str = Field(max_length=300)
    held_on: date
    participants: int = Field(0, ge=0, le=1_000_000)
    description: str = Field("", max_length=5000)
    post_ids: list[int] = Field([], max_length=200)


class MessageOut(Schema):
    id: int
    thread_id: int
    thread: str
    author: str
    text: str
    status: str
    flags: list[str]
    created_at: datetime
    moderation_reason: str


class MessageIn(Schema):
    thread_id: int | None = None
    title: str = Field("", max_length=200)  # a new thread when thread_id is not given
    text: str = Field(max_length=2000)


class ModerateIn(Schema):
    action: str = Field(pattern="^(publish|hide|restore)$")
    reason: str = Field(max_length=300)


def _team(t) -> dict:
    current = t.members.filter(left_on__isnull=True)
    return {"id": t.id, "unit": t.unit.code, "kind": t.kind, "name": t.name, "purpose": t.purpose,
            "founded_on": t.founded_on, "closed_on": t.closed_on,
            "students": current.filter(student__isnull=False).count(),
            "staff": current.filter(staff__isnull=False).count()}


def _member(row) -> dict:
    m = row["member"]
    named = row["name"] if row["shown"] else None
    return {"id": m.id, "kind": "staff" if m.staff_id else "student", "person_id": m.staff_id or m.student_id,
            "name": named, "role": m.role, "joined_on": m.joined_on, "left_on": m.left_on}


def _activity(a) -> dict:
    return {"id": a.id, "kind": a.kind, "title": a.title, "held_on": a.held_on, "participants": a.participants,
            "description": a.description, "post_ids": sorted(p.id for p in a.posts.all())}


def _message(m) -> dict:
    return {"id": m.id, "thread_id": m.thread_id, "thread": m.thread.title, "author": m.author_label, "text": m.text,
            "status": m.status, "flags": list(m.flags or []), "created_at": m.created_at,
            "moderation_reason": m.moderation_reason}


@router.get("/", response=list[TeamOut], summary="Đội, câu lạc bộ trong phạm vi")
@requires(READ)
def teams_list(request, unit: str | None = None, kind: TeamKind | None = None):
    ids = {org_selectors.get_unit(actor=request.user, code=unit, capability=READ).id} if unit else None
    return [_team(t) for t in selectors.teams(actor=request.user, unit_ids=ids, kind=kind)]


@router.post("/", response={201: TeamOut}, summary="Thành lập đội, câu lạc bộ")
@requires(MANAGE)
def teams_create(request, payload: TeamIn):
    data = payload.dict()
    unit = org_selectors.get_unit(actor=request.user, code=data.pop("unit"), capability=READ)
    return Status(201, _team(services.team_create(actor=request.user, unit=unit, **data)))


@router.get("/{team_id}/members", response=list[MemberOut], summary="Thành viên hiện tại")
@requires(READ)
def teams_members(request, team_id: int):
    team = selectors.get_team(actor=request.user, team_id=team_id)
    return [_member(r) for r in selectors.members(team=team, named=selectors.can_manage(actor=request.user, team=team))]


@router.post("/{team_id}/members", response={201: MemberOut}, summary="Thêm thành viên (học sinh có đồng ý, cán bộ)")
@requires(MANAGE)
def teams_member_add(request, team_id: int, payload: MemberIn):
    from cyberyouth.students.models import Student
    from cyberyouth.training.models import StaffMember

    team = selectors.get_team(actor=request.user, team_id=team_id)
    org_selectors.require(actor=request.user, capability=MANAGE, unit=team.unit, read=READ)
    if (payload.student_id is None) == (payload.staff_id is None):
        raise DomainError("Cần đúng một trong student_id, staff_id.", field="student_id", code=ErrorCode.INVALID)
    student = staff = None
    if payload.student_id is not None:
        student = Student.objects.filter(id=payload.student_id, unit=team.unit).first()
        if student is None:
            raise NotFound("Không tìm thấy học sinh.")
    else:
        staff = StaffMember.objects.filter(id=payload.staff_id).first()
        if staff is None:
            raise NotFound("Không tìm thấy cán bộ.")
    member = services.member_add(actor=request.user, team=team, student=student, staff=staff, role=payload.role,
                                 joined_on=payload.joined_on)
    row = next(r for r in selectors.members(team=team, named=True) if r["member"].id == member.id)
    return Status(201, _member(row))


@router.get("/{team_id}/activities", response=list[ActivityOut], summary="Hoạt động của đội")
@requires(READ)
def teams_activities(request, team_id: int, year: int | None = None):
    team = selectors.get_team(actor=request.user, team_id=team_id)
    qs = selectors.activities(team=team)
    if year is not None:
        qs = qs.filter(held_on__year=year)
    return [_activity(a) for a in qs]


@router.post("/{team_id}/activities", response={201: ActivityOut}, summary="Ghi hoạt động (có thể gắn bài đăng)")
@requires(MANAGE)
def teams_activity_add(request, team_id: int, payload: ActivityIn):
    team = selectors.get_team(actor=request.user, team_id=team_id)
    return Status(201, _activity(services.activity_add(actor=request.user, team=team, **payload.dict())))


@router.get("/{team_id}/messages", response=list[MessageOut], summary="Tin nhắn diễn đàn câu lạc bộ (cán bộ phụ trách)")
@requires(MANAGE)
def teams_messages(request, team_id: int, status: MessageStatus | None = None, limit: int = 200, offset: int = 0):
    from .models import Message

    team = selectors.get_team(actor=request.user, team_id=team_id)
    org_selectors.require(actor=request.user, capability=MANAGE, unit=team.unit, read=READ)
    if not 1 <= limit <= 1000 or offset < 0:
        raise DomainError("limit phải từ 1 đến 1000, offset không âm.", field="limit", code=ErrorCode.OUT_OF_RANGE)
    qs = Message.objects.filter(thread__team=team).select_related("thread").order_by("created_at", "id")
    if status:
        qs = qs.filter(status=status)
    rows = selectors.label_authors(team=team, messages=list(qs[offset:offset + limit]))
    return [_message(m) for m in rows]


@router.post("/{team_id}/messages", response={201: MessageOut}, summary="Gửi tin nhắn (được sàng lọc; có thể bị giữ chờ duyệt)")
@requires(MANAGE)
def teams_message_post(request, team_id: int, payload: MessageIn):
    team = selectors.get_team(actor=request.user, team_id=team_id)
    org_selectors.require(actor=request.user, capability=MANAGE, unit=team.unit, read=READ)
    if payload.thread_id is None:
        thread = services.thread_create(actor=request.user, team=team, title=payload.title, text=payload.text)
        message = thread.messages.first()
    else:
        thread = team.threads.filter(id=payload.thread_id).first()
        if thread is None:
            raise NotFound("Không tìm thấy chủ đề.")
        message = services.message_post(actor=request.user, thread=thread, text=payload.text)
    return Status(201, _message(selectors.label_authors(team=team, messages=[message])[0]))


@router.post("/messages/{message_id}/moderate", response=MessageOut, summary="Cho hiển thị, ẩn, hiển thị lại (kèm lý do)")
@requires(MANAGE)
def teams_message_moderate(request, message_id: int, payload: ModerateIn):
    message = selectors.get_message(actor=request.user, message_id=message_id)
    message = services.message_moderate(actor=request.user, message=message, action=payload.action,
                                        reason=payload.reason)
    return _message(selectors.label_authors(team=message.thread.team, messages=[message])[0])
