"""Writes of the teams app: teams and clubs, their members and activities, the club forum
(messages screened by the safety engine, held ones for the club's staff) and its moderation."""

import logging
from datetime import date

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from cyberyouth.audit.services import audit_record
from cyberyouth.errors import DomainError, ErrorCode, NotFound
from cyberyouth.lib.text import has_control, nfc
from cyberyouth.orgs import selectors as org_selectors

from .models import (Activity, ActivityKind, MemberRole, Message, MessageStatus, Team, TeamKind, TeamMember,
                     Thread)

log = logging.getLogger(__name__)
MANAGE, READ = "team.manage", "team.read"
MAX_MESSAGE = 2000


def _require_manage(*, actor, unit) -> None:
    org_selectors.require(actor=actor, capability=MANAGE, unit=unit, read=READ)


def _text(value: str, *, field: str, label: str, max_length: int, required: bool = True) -> str:
    text = nfc(value or "").strip()
    if required and not text:
        raise DomainError(f"Cần nhập {label}.", field=field)
    if len(text) > max_length:
        raise DomainError(f"{label[0].upper() + label[1:]} quá dài (tối đa {max_length} ký tự).", field=field,
                          code=ErrorCode.TOO_LONG)
    if has_control(text.replace("\n", " ").replace("\r", " ").replace("\t", " ")):
        raise DomainError(f"{label[0].upper() + label[1:]} có ký tự không đọc được.", field=field)
    return text


# ---------------------------------------------------------------- teams, members, activities


@transaction.atomic
def team_create(*, actor, unit, kind: str, name: str, purpose: str = "", founded_on: date | None = None) -> Team:
    _require_manage(actor=actor, unit=unit)
    if kind not in TeamKind.values:
        raise DomainError("Loại không hợp lệ.", field="kind")
    name = " ".join(_text(name, field="name", label="tên đội, câu lạc bộ", max_length=200).split())
    if Team.objects.filter(unit=unit, name__iexact=name).exists():
        raise DomainError(f"Đơn vị đã có “{name}”.", field="name", code=ErrorCode.DUPLICATE)
    if founded_on and founded_on > org_selectors.today():
        raise DomainError("Ngày thành lập ở tương lai.", field="founded_on")
    team = Team.objects.create(unit=unit, kind=kind, name=name, founded_on=founded_on, created_by=actor,
                               purpose=_text(purpose, field="purpose", label="mục đích", max_length=3000,
                                             required=False))
    audit_record(actor=actor, action="teams.team_create", target=team, after={"name": name, "kind": kind})
    return team


@transaction.atomic
def team_close(*, actor, team: Team, closed_on: date) -> Team:
    _require_manage(actor=actor, unit=team.unit)
    if team.closed_on:
        raise DomainError("Đội, câu lạc bộ này đã ngừng hoạt động.", code=ErrorCode.CONFLICT)
    team.closed_on = closed_on
    team.save(update_fields=["closed_on"])
    audit_record(actor=actor, action="teams.team_close", target=team, after={"closed_on": closed_on.isoformat()})
    return team


def _open(team: Team) -> None:
    if team.closed_on:
        raise DomainError("Đội, câu lạc bộ này đã ngừng hoạt động.", code=ErrorCode.CONFLICT)


@transaction.atomic
def member_add(*, actor, team: Team, student=None, staff=None, role: str = MemberRole.MEMBER,
               joined_on: date | None = None) -> TeamMember:
    """A student of the team's school who has the account consent (named participation, students
    app), or a staff member of the school's register; once at a time."""
    from cyberyouth.students.models import StudentStatus
    from cyberyouth.students.selectors import has_consent
    from cyberyouth.training.models import StaffMember

    _require_manage(actor=actor, unit=team.unit)
    _open(team)
    if (student is None) == (staff is None):
        raise DomainError("Chọn một học sinh hoặc một cán bộ.", field="person")
    if role not in MemberRole.values:
        raise DomainError("Vai trò không hợp lệ.", field="role")
    joined_on = joined_on or org_selectors.today()
    if joined_on > org_selectors.today():
        raise DomainError("Ngày tham gia ở tương lai.", field="joined_on")
    if student is not None:
        if student.unit_id != team.unit_id or student.deidentified_at:
            raise NotFound("Không tìm thấy học sinh.")
        if student.status not in (StudentStatus.ENROLLED, StudentStatus.AWAITING):
            raise DomainError("Học sinh này không còn học ở trường.", field="person")
        if role == MemberRole.ADVISER:
            raise DomainError("Học sinh không là cán bộ phụ trách.", field="role")
        if not has_consent(student=student):
            raise DomainError("Chưa có đồng ý của cha mẹ (và của học sinh từ đủ 7 tuổi) cho việc tham gia có ghi tên: "
                              "chưa thêm được học sinh này.", field="person", code=ErrorCode.CONFLICT)
        if team.members.filter(student=student, left_on__isnull=True).exists():
            raise DomainError("Học sinh này đã là thành viên.", field="person", code=ErrorCode.EXISTS)
    else:
        on = org_selectors.today()
        pool = org_selectors.descendant_ids(unit_ids=[team.unit_id], on=on) | {team.unit_id}
        if not StaffMember.objects.filter(id=staff.id, unit_id__in=pool).filter(
                Q(left_on__isnull=True) | Q(left_on__gt=on)).exists():
            raise NotFound("Không tìm thấy cán bộ.")
        if team.members.filter(staff=staff, left_on__isnull=True).exists():
            raise DomainError("Cán bộ này đã là thành viên.", field="person", code=ErrorCode.EXISTS)
    member = TeamMember.objects.create(team=team, student=student, staff=staff, role=role, joined_on=joined_on,
                                       added_by=actor)
    # The log keeps ids, never a student's name (decision 55).
    audit_record(actor=actor, action="teams.member_add", target=member, unit=team.unit,
                 after={"role": role, "student": student.id if student else None,
                        "full_name": staff.full_name if staff else None})
    return member


@transaction.atomic
def member_leave(*, actor, member: TeamMember, left_on: date) -> TeamMember:
    _require_manage(actor=actor, unit=member.team.unit)
    if member.left_on:
        raise DomainError("Thành viên này đã rời đội.", code=ErrorCode.CONFLICT)
    if left_on < member.joined_on:
        raise DomainError("Ngày rời trước ngày tham gia.", field="left_on")
    member.left_on = left_on
    member.save(update_fields=["left_on"])
    audit_record(actor=actor, action="teams.member_leave", target=member, unit=member.team.unit,
                 after={"left_on": left_on.isoformat()})
    return member


@transaction.atomic
def activity_add(*, actor, team: Team, kind: str, title: str, held_on: date, description: str = "",
                 participants: int = 0, post_ids=()) -> Activity:
    """An activity that took place; `post_ids` name posts of the campaign's ledger of the team's
    unit (read-only links: the post stays the campaign's)."""
    from cyberyouth.campaigns.models import Post

    _require_manage(actor=actor, unit=team.unit)
    if kind not in ActivityKind.values:
        raise DomainError("Loại hoạt động không hợp lệ.", field="kind")
    title = _text(title, field="title", label="tên hoạt động", max_length=300)
    if held_on > org_selectors.today():
        raise DomainError("Chỉ ghi hoạt động đã diễn ra (ngày ở tương lai).", field="held_on")
    if team.founded_on and held_on < team.founded_on:
        raise DomainError("Ngày hoạt động trước ngày thành lập.", field="held_on")
    if participants is None or participants < 0:
        raise DomainError("Số người tham gia không được là số âm.", field="participants")
    wanted = {int(i) for i in post_ids}
    posts = list(Post.objects.filter(id__in=wanted, unit=team.unit))
    if len(posts) != len(wanted):
        raise NotFound("Không tìm thấy bài đăng.")
    activity = Activity.objects.create(team=team, kind=kind, title=title, held_on=held_on,
                                       participants=participants, created_by=actor,
                                       description=_text(description, field="description", label="ghi chú",
                                                         max_length=5000, required=False))
    activity.posts.set(posts)
    audit_record(actor=actor, action="teams.activity_add", target=activity, unit=team.unit,
                 after={"title": title, "kind": kind, "posts": len(posts)})
    return activity


# ---------------------------------------------------------------- the forum


def screen(text: str) -> tuple[list[str], bool]:
    """The safety engine's reading of a forum message: (what it flags, whether screening failed).
    The engine decides nothing: a flagged message is held for a person. If it fails, the message
    is held too — never published unread, never dropped."""
    try:
        from cyberyouth.safety import analyze

        v = analyze(text)
    except Exception:  # noqa: BLE001
        log.exception("forum screening failed")
        return [], True
    flags = list(v.flags)
    if v.urgent and "self_harm" not in flags:
        flags.append("self_harm")
    if v.label != "CLEAN" and not flags:
        flags.append("toxicity")
    if v.personal_data and "personal_data" not in flags:
        flags.append("personal_data")
    return flags, False


def may_post(*, actor, team: Team) -> bool:
    """The club's staff (team.manage on its unit) and its student members with consent in force."""
    if org_selectors.can(actor=actor, capability=MANAGE, unit=team.unit):
        return True
    return active_student_member(actor=actor, team=team) is not None


def active_student_member(*, actor, team: Team) -> TeamMember | None:
    from cyberyouth.students.selectors import has_consent

    if not getattr(actor, "pk", None):
        return None
    member = team.members.filter(student__user_id=actor.pk, left_on__isnull=True,
                                 student__deidentified_at__isnull=True).select_related("student").first()
    if member is None or not has_consent(student=member.student):
        return None
    return member


def _post(*, actor, thread: Thread, text: str, screened: str | None = None) -> Message:
    team = thread.team
    flags, failed = screen(screened or text)
    status = MessageStatus.HELD if flags or failed else MessageStatus.VISIBLE
    message = Message.objects.create(thread=thread, author=actor, text=text, status=status, flags=flags,
                                     screening_failed=failed)
    Thread.objects.filter(id=thread.id).update(last_message_at=timezone.now())
    if status == MessageStatus.HELD:
        audit_record(actor=actor, action="teams.message_held", target=message, unit=team.unit,
                     after={"status": status, "category": ", ".join(flags) or "—"})
        _tell_staff(team=team, thread=thread, actor=actor)
    return message


def _tell_staff(*, team: Team, thread: Thread, actor) -> None:
    from cyberyouth.notifications.models import Kind
    from cyberyouth.notifications.services import notify
    from cyberyouth.orgs.models import User

    ids = set()
    for a in org_selectors.role_holders(unit_ids=[team.unit_id], role="focal_point"):
        ids.add(a.user_id)
    staff = User.objects.filter(id__in=ids)
    notify(recipients=staff, kind=Kind.OTHER, unit=team.unit, exclude=actor,
           title=f"Tin nhắn chờ duyệt trên diễn đàn “{team.name}”",
           body=f"Một tin nhắn trong chủ đề “{thread.title}” được máy giữ lại để thầy cô xem trước khi hiển thị.",
           link=reverse("teams:forum", args=[team.id]) + "#cho-duyet")


@transaction.atomic
def thread_create(*, actor, team: Team, title: str, text: str) -> Thread:
    if not team.has_forum:
        raise NotFound("Không tìm thấy diễn đàn.")
    _open(team)
    if not may_post(actor=actor, team=team):
        raise NotFound("Không tìm thấy diễn đàn.")
    title = " ".join(_text(title, field="title", label="chủ đề", max_length=200).split())
    text = _text(text, field="text", label="nội dung", max_length=MAX_MESSAGE)
    thread = Thread.objects.create(team=team, title=title, created_by=actor)
    # The title is shown in the list: it is read with the first message (a short title alone
    # misleads the engine), and a flag on either holds that message.
    _post(actor=actor, thread=thread, text=text, screened=f"{title}.\n{text}")
    audit_record(actor=actor, action="teams.thread_create", target=thread, unit=team.unit, after={"id": thread.id})
    return thread


@transaction.atomic
def message_post(*, actor, thread: Thread, text: str) -> Message:
    team = thread.team
    if not may_post(actor=actor, team=team):
        raise NotFound("Không tìm thấy chủ đề.")
    _open(team)
    return _post(actor=actor, thread=thread, text=_text(text, field="text", label="nội dung", max_length=MAX_MESSAGE))


MODERATION = {
    # action → (statuses it applies to, the status it sets)
    "publish": ({MessageStatus.HELD}, MessageStatus.VISIBLE),
    "hide": ({MessageStatus.HELD, MessageStatus.VISIBLE}, MessageStatus.HIDDEN),
    "restore": ({MessageStatus.HIDDEN}, MessageStatus.VISIBLE),
}


@transaction.atomic
def message_moderate(*, actor, message: Message, action: str, reason: str) -> Message:
    """Publish a held message, hide one, or restore a hidden one — a person decides, with a reason."""
    team = message.thread.team
    _require_manage(actor=actor, unit=team.unit)
    if action not in MODERATION:
        raise DomainError("Thao tác không hợp lệ.", field="action")
    reason = _text(reason, field="reason", label="lý do", max_length=300)
    message = Message.objects.select_for_update().get(id=message.id)
    allowed, to = MODERATION[action]
    if message.status not in allowed:
        raise DomainError("Tin nhắn đã ở trạng thái khác; tải lại trang.", code=ErrorCode.CONFLICT)
    before = message.status
    message.status, message.moderated_by, message.moderated_at = to, actor, timezone.now()
    message.moderation_reason = reason
    message.save(update_fields=["status", "moderated_by", "moderated_at", "moderation_reason"])
    audit_record(actor=actor, action="teams.message_moderate", target=message, unit=team.unit,
                 before={"status": before}, after={"status": to, "reason": reason})
    return message


@transaction.atomic
def messages_erase(*, person, actor, reason: str) -> int:
    """A person's forum messages emptied (erasure of personal data, Law 91/2025): kept as rows so
    the threads still read in order, without their words."""
    n = 0
    for message in Message.objects.filter(author=person).exclude(text="").select_related("thread__team"):
        message.text, message.status = "", MessageStatus.HIDDEN
        message.moderation_reason = "Đã xóa theo yêu cầu về dữ liệu cá nhân."
        message.save(update_fields=["text", "status", "moderation_reason"])
        audit_record(actor=actor, action="teams.message_erase", target=message, unit=message.thread.team.unit,
                     after={"reason": reason[:300]})
        n += 1
    return n
