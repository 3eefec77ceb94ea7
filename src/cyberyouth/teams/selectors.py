"""Reads of the teams app, scoped through orgs.selectors (staff) or by membership (students).

Student names are shown to the school's team managers only (who keep the lists); readers up the
tree see counts. A student whose account consent is no longer in force is listed without a name
and has no access to the forum."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet

from cyberyouth.errors import NotFound, ScopeError
from cyberyouth.lib.collation import Vietnamese
from cyberyouth.orgs import selectors as org_selectors

from .models import Activity, ActivityKind, Message, MessageStatus, Team, TeamKind, TeamMember, Thread

READ, MANAGE = "team.read", "team.manage"


def teams(*, actor, unit_ids: set[int] | None = None, kind: str | None = None) -> QuerySet[Team]:
    qs = org_selectors.scope(Team.objects.all(), actor=actor, capability=READ)
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=unit_ids)
    if kind:
        qs = qs.filter(kind=kind)
    today = org_selectors.today()
    return qs.select_related("unit").annotate(
        n_students=Count("members", filter=Q(members__student__isnull=False, members__left_on__isnull=True),
                         distinct=True),
        n_staff=Count("members", filter=Q(members__staff__isnull=False, members__left_on__isnull=True),
                      distinct=True),
        n_activities=Count("activities", filter=Q(activities__held_on__year=today.year), distinct=True),
    ).order_by(Vietnamese("unit__name"), "kind", Vietnamese("name"))


def get_team(*, actor, team_id: int) -> Team:
    team = org_selectors.scope(Team.objects.filter(id=team_id), actor=actor, capability=READ).select_related(
        "unit").first()
    if team is None:
        raise NotFound("Không tìm thấy đội, câu lạc bộ.")
    return team


def can_manage(*, actor, team: Team) -> bool:
    return org_selectors.can(actor=actor, capability=MANAGE, unit=team.unit)


def members(*, team: Team, named: bool, current: bool = True) -> list[dict]:
    """The team's members; student names only when `named` and the account consent is in force."""
    from cyberyouth.students.selectors import live_consents

    qs = team.members.select_related("student", "staff")
    if current:
        qs = qs.filter(left_on__isnull=True)
    rows = list(qs)
    consents = live_consents(student_ids=[m.student_id for m in rows if m.student_id])
    out = []
    for m in rows:
        if m.staff_id:
            out.append({"member": m, "name": m.staff.full_name, "kind": "Cán bộ", "consent": True, "shown": True})
            continue
        consent = "account" in consents.get(m.student_id, set()) and not m.student.deidentified_at
        name = m.student.full_name if named and consent else (
            "Học sinh (đã rút lại đồng ý)" if not consent else "Học sinh")
        out.append({"member": m, "name": name, "kind": "Học sinh", "consent": consent, "shown": named and consent})
    out.sort(key=lambda r: (r["member"].role != "adviser", r["member"].role != "leader", r["kind"], r["name"]))
    return out


def activities(*, team: Team) -> QuerySet[Activity]:
    return team.activities.prefetch_related("posts__channel").order_by("-held_on", "-id")


def addable_students(*, team: Team):
    """Students of the team's school with the account consent in force, not already members."""
    from cyberyouth.students.models import Consent, Student, StudentStatus

    consenting = Consent.objects.filter(purpose="account", withdrawn_at__isnull=True).values("student_id")
    taken = team.members.filter(left_on__isnull=True, student__isnull=False).values("student_id")
    return (Student.objects.filter(unit=team.unit, status__in=[StudentStatus.ENROLLED, StudentStatus.AWAITING],
                                   deidentified_at__isnull=True, id__in=consenting)
            .exclude(id__in=taken).order_by("sort_key", "id"))


def addable_staff(*, team: Team):
    from cyberyouth.training.models import StaffMember

    on = org_selectors.today()
    pool = org_selectors.descendant_ids(unit_ids=[team.unit_id], on=on) | {team.unit_id}
    taken = team.members.filter(left_on__isnull=True, staff__isnull=False).values("staff_id")
    return (StaffMember.objects.filter(unit_id__in=pool).filter(Q(left_on__isnull=True) | Q(left_on__gt=on))
            .exclude(id__in=taken).order_by(Vietnamese("full_name")))


def linkable_posts(*, team: Team, limit: int = 60):
    """The campaign's posts of the team's unit, newest first (to link an activity to)."""
    from cyberyouth.campaigns.models import Post

    return Post.objects.filter(unit=team.unit).select_related("channel").order_by("-posted_at")[:limit]


# ---------------------------------------------------------------- the forum


def threads(*, team: Team, staff: bool, viewer=None) -> list[dict]:
    """Threads with the messages the viewer may read counted (staff: all but hidden; a student:
    the visible ones and their own held ones)."""
    seen = Q(messages__status=MessageStatus.VISIBLE)
    if staff:
        seen |= Q(messages__status=MessageStatus.HELD)
    elif viewer is not None:
        seen |= Q(messages__status=MessageStatus.HELD, messages__author_id=viewer.pk)
    qs = team.threads.annotate(n=Count("messages", filter=seen, distinct=True),
                               held=Count("messages", filter=Q(messages__status=MessageStatus.HELD), distinct=True))
    return [{"thread": t, "n": t.n, "held": t.held} for t in qs.order_by("-last_message_at", "-id") if staff or t.n]


def thread_messages(*, thread: Thread, staff: bool, viewer=None) -> list[Message]:
    qs = thread.messages.select_related("author", "moderated_by")
    if not staff:
        qs = qs.filter(Q(status=MessageStatus.VISIBLE) | Q(status=MessageStatus.HELD, author_id=viewer.pk))
    return list(qs.order_by("created_at", "id"))


def held_messages(*, team: Team) -> QuerySet[Message]:
    return Message.objects.filter(thread__team=team, status=MessageStatus.HELD).select_related(
        "thread", "author").order_by("created_at")


def get_thread(*, actor, thread_id: int) -> Thread:
    """A thread of a club the actor manages or reads (team.read scope), for the staff pages."""
    thread = Thread.objects.filter(
        id=thread_id, team__unit_id__in=org_selectors.unit_ids(actor=actor, capability=READ)).select_related(
        "team__unit").first()
    if thread is None:
        raise NotFound("Không tìm thấy chủ đề.")
    return thread


def get_message(*, actor, message_id: int) -> Message:
    message = Message.objects.filter(
        id=message_id, thread__team__unit_id__in=org_selectors.unit_ids(actor=actor, capability=READ)
    ).select_related("thread__team__unit").first()
    if message is None:
        raise NotFound("Không tìm thấy tin nhắn.")
    return message


def label_authors(*, team: Team, messages: list[Message]) -> list[Message]:
    """Sets `author_label` on each message: a student member by name (consent in force), anyone
    else as the club's staff."""
    from cyberyouth.students.selectors import live_consents

    ids = {m.author_id for m in messages if m.author_id}
    rows = list(TeamMember.objects.filter(team=team, student__user_id__in=ids).select_related("student"))
    consents = live_consents(student_ids=[m.student_id for m in rows])
    out = {}
    for m in rows:
        ok = "account" in consents.get(m.student_id, set()) and not m.student.deidentified_at
        out[m.student.user_id] = m.student.full_name if ok else "Thành viên"
    for message in messages:
        message.author_label = out.get(message.author_id, "Thầy cô phụ trách")
        message.flag_words = flag_words(message)
    return messages


def flag_words(message: Message) -> str:
    """What the engine saw, in words (the helpline's labels of the engine's categories)."""
    from cyberyouth.safety.categories import CATEGORY_WORDS

    words = {**CATEGORY_WORDS, "toxicity": "ngôn từ thô tục, xúc phạm"}
    found = [words.get(f, "nội dung cần xem") for f in message.flags or []]
    if message.screening_failed:
        found.append("máy chưa đọc được, cần người xem")
    return ", ".join(dict.fromkeys(found))


# ---------------------------------------------------------------- students


def me(*, actor):
    """The student record of the signed-in person (ScopeError for anyone else)."""
    from cyberyouth.students.models import Student

    student = Student.objects.filter(user_id=getattr(actor, "pk", None), deidentified_at__isnull=True).select_related(
        "unit").first()
    if student is None:
        raise ScopeError("Trang này dành cho học sinh.")
    return student


def my_teams(*, actor) -> list[Team]:
    from cyberyouth.students.selectors import has_consent

    student = me(actor=actor)
    if not has_consent(student=student):
        return []
    return list(Team.objects.filter(members__student=student, members__left_on__isnull=True, closed_on__isnull=True)
                .distinct().order_by("kind", "name"))


def my_team(*, actor, team_id: int) -> Team:
    team = next((t for t in my_teams(actor=actor) if t.id == team_id), None)
    if team is None:
        raise NotFound("Không tìm thấy câu lạc bộ.")
    return team


def my_thread(*, actor, thread_id: int) -> Thread:
    ids = [t.id for t in my_teams(actor=actor) if t.has_forum]
    thread = Thread.objects.filter(id=thread_id, team_id__in=ids).select_related("team").first()
    if thread is None:
        raise NotFound("Không tìm thấy chủ đề.")
    return thread


# ---------------------------------------------------------------- figures (the page and the yearly report)


@dataclass(frozen=True)
class Figures:
    volunteer_teams: int
    clubs: int
    student_members: int
    staff_members: int
    activities: int
    good_news: int
    rebuttal: int
    forum_sessions: int
    linked_posts: int
    messages: int
    held: int
    hidden: int


def figures(*, unit_ids: set[int], year: int) -> Figures:
    """Teams and clubs active at the end of `year` (or today) in `unit_ids`, their members then,
    their activities and forum messages in the year. Shown on the index page and, by the same
    call, in the yearly report."""
    end = min(date(year, 12, 31), org_selectors.today())
    alive = Team.objects.filter(unit_id__in=unit_ids).filter(Q(founded_on__isnull=True) | Q(founded_on__lte=end)).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gt=end))
    kinds = dict(alive.values_list("kind").annotate(n=Count("id")))
    in_post = TeamMember.objects.filter(team__in=alive, joined_on__lte=end).filter(
        Q(left_on__isnull=True) | Q(left_on__gt=end))
    acts = Activity.objects.filter(team__unit_id__in=unit_ids, held_on__year=year)
    by_kind = dict(acts.values_list("kind").annotate(n=Count("id")))
    msgs = Message.objects.filter(thread__team__unit_id__in=unit_ids, created_at__year=year)
    by_status = dict(msgs.values_list("status").annotate(n=Count("id")))
    return Figures(
        volunteer_teams=kinds.get(TeamKind.VOLUNTEER, 0), clubs=kinds.get(TeamKind.CLUB, 0),
        student_members=in_post.filter(student__isnull=False).values("student_id").distinct().count(),
        staff_members=in_post.filter(staff__isnull=False).values("staff_id").distinct().count(),
        activities=sum(by_kind.values()), good_news=by_kind.get(ActivityKind.GOOD_NEWS, 0),
        rebuttal=by_kind.get(ActivityKind.REBUTTAL, 0), forum_sessions=by_kind.get(ActivityKind.FORUM, 0),
        linked_posts=Activity.posts.through.objects.filter(activity__in=acts).values("post_id").distinct().count(),
        messages=sum(by_status.values()), held=by_status.get(MessageStatus.HELD, 0),
        hidden=by_status.get(MessageStatus.HIDDEN, 0),
    )


def figures_for(*, actor, year: int, unit=None) -> Figures:
    ids = org_selectors.unit_ids(actor=actor, capability=READ)
    if unit is not None:
        org_selectors.require_read(actor=actor, capability=READ, unit=unit)
        ids = ids & org_selectors.year_unit_ids(unit=unit, year=year)
    return figures(unit_ids=ids, year=year)
