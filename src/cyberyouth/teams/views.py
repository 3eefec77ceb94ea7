from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from cyberyouth.errors import NotFound
from cyberyouth.lib.collation import Vietnamese
from cyberyouth.lib.pages import parse_int, submit_action, submit_form
from cyberyouth.orgs import selectors as org_selectors
from cyberyouth.orgs.decorators import requires
from cyberyouth.orgs.models import Unit

from . import selectors, services
from .forms import ActivityForm, MemberForm, MessageForm, TeamForm, ThreadForm
from .models import MessageStatus, TeamKind, TeamMember

READ, MANAGE = "team.read", "team.manage"
STUDENT = "student.participate"


def _year(request) -> int:
    return parse_int(request.GET.get("nam"), org_selectors.today().year, lo=2000, hi=2100, name="năm")


def _id(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotFound("Không tìm thấy.") from None


@login_required
@require_http_methods(["GET", "POST"])
@requires(READ)
def index(request):
    year = _year(request)
    manage_units = Unit.objects.filter(
        id__in=org_selectors.unit_ids(actor=request.user, capability=MANAGE, history=False)).order_by(
        Vietnamese("name"))
    form = TeamForm(request.POST or None, units=manage_units)
    if request.method == "POST":
        org_selectors.require(actor=request.user, capability=MANAGE)

        def create(d):
            unit = org_selectors.get_unit(actor=request.user, code=d.pop("unit"), capability=MANAGE)
            return services.team_create(actor=request.user, unit=unit, **d)

        if done := submit_form(request, form, create, success=lambda t: f"Đã thành lập “{t.name}”.",
                               then=lambda t: reverse("teams:team", args=[t.id])):
            return done
    kind = request.GET.get("loai") if request.GET.get("loai") in TeamKind.values else None
    return render(request, "teams/index.html", {
        "year": year, "teams": selectors.teams(actor=request.user, kind=kind), "kind": kind, "kinds": TeamKind.choices,
        "figures": selectors.figures_for(actor=request.user, year=year), "form": form,
        "can_create": manage_units.exists(),
    })


@login_required
@require_http_methods(["GET", "POST"])
@requires(READ)
def team(request, team_id: int):
    team = selectors.get_team(actor=request.user, team_id=team_id)
    manage = selectors.can_manage(actor=request.user, team=team)
    if request.method == "POST":
        org_selectors.require(actor=request.user, capability=MANAGE, unit=team.unit, read=READ)
    here = reverse("teams:team", args=[team.id])
    action = request.POST.get("action")
    member_form = activity_form = None
    if manage:
        member_form = MemberForm(request.POST if action == "member" else None,
                                 students=selectors.addable_students(team=team),
                                 staff=selectors.addable_staff(team=team))
        activity_form = ActivityForm(request.POST if action == "activity" else None,
                                     posts=selectors.linkable_posts(team=team))
    if action == "member":
        def add(d):
            kind, _, pk = d["person"].partition("-")
            person = {}
            if kind == "hs":
                student = selectors.addable_students(team=team).filter(id=_id(pk)).first()
                if student is None:
                    raise NotFound("Không tìm thấy học sinh.")
                person["student"] = student
            else:
                staff = selectors.addable_staff(team=team).filter(id=_id(pk)).first()
                if staff is None:
                    raise NotFound("Không tìm thấy cán bộ.")
                person["staff"] = staff
            return services.member_add(actor=request.user, team=team, role=d["role"], joined_on=d["joined_on"],
                                       **person)

        if done := submit_form(request, member_form, add, success="Đã thêm thành viên.", then=here):
            return done
    if action == "activity":
        if done := submit_form(request, activity_form, lambda d: services.activity_add(
                actor=request.user, team=team, **{**d, "post_ids": [int(i) for i in d["post_ids"]]}),
                success="Đã ghi hoạt động.", then=here + "#hoat-dong"):
            return done
    if action == "leave":
        member = TeamMember.objects.filter(team=team, id=_id(request.POST.get("member"))).first()
        if member is None:
            raise NotFound("Không tìm thấy thành viên.")
        return submit_action(request, lambda: services.member_leave(actor=request.user, member=member,
                                                                    left_on=org_selectors.today()),
                             success="Đã ghi thành viên rời đội.", then=here)
    if action == "close":
        return submit_action(request, lambda: services.team_close(actor=request.user, team=team,
                                                                  closed_on=org_selectors.today()),
                             success="Đã ghi ngừng hoạt động.", then=here)
    return render(request, "teams/team.html", {
        "team": team, "manage": manage, "members": selectors.members(team=team, named=manage),
        "activities": selectors.activities(team=team), "member_form": member_form, "activity_form": activity_form,
        "held": selectors.held_messages(team=team).count() if manage and team.has_forum else 0,
    })


def _forum_context(request, team, *, staff: bool):
    rows = selectors.threads(team=team, staff=staff, viewer=request.user)
    return {"team": team, "threads": rows, "staff": staff}


@login_required
@require_http_methods(["GET", "POST"])
@requires(MANAGE)
def forum(request, team_id: int):
    """The club's forum as its staff see it: threads, the messages held for them, a new thread."""
    team = selectors.get_team(actor=request.user, team_id=team_id)
    org_selectors.require(actor=request.user, capability=MANAGE, unit=team.unit, read=READ)
    if not team.has_forum:
        raise NotFound("Đội này không có diễn đàn.")
    form = ThreadForm(request.POST or None)
    if request.method == "POST" and request.POST.get("action") == "moderate":
        return _moderate(request, then=reverse("teams:forum", args=[team.id]) + "#cho-duyet")
    if done := submit_form(request, form, lambda d: services.thread_create(actor=request.user, team=team, **d),
                           success=_posted, then=lambda t: reverse("teams:thread", args=[t.id])):
        return done
    held = selectors.label_authors(team=team, messages=list(selectors.held_messages(team=team)))
    return render(request, "teams/forum.html", {**_forum_context(request, team, staff=True), "form": form,
                                                "held": held})


def _posted(result) -> str:
    message = result if hasattr(result, "status") else result.messages.first()
    if message is not None and message.status == MessageStatus.HELD:
        return "Đã gửi. Tin nhắn đang chờ thầy cô phụ trách xem trước khi hiển thị."
    return "Đã gửi."


def _moderate(request, *, then: str):
    message = selectors.get_message(actor=request.user, message_id=_id(request.POST.get("message")))
    what = request.POST.get("do", "")
    words = {"publish": "Đã cho hiển thị tin nhắn.", "hide": "Đã ẩn tin nhắn.", "restore": "Đã hiển thị lại tin nhắn."}
    return submit_action(request, lambda: services.message_moderate(
        actor=request.user, message=message, action=what, reason=request.POST.get("reason", "")),
        success=words.get(what, "Đã xử lý."), then=then)


@login_required
@require_http_methods(["GET", "POST"])
@requires(MANAGE)
def thread(request, thread_id: int):
    thread = selectors.get_thread(actor=request.user, thread_id=thread_id)
    team = thread.team
    org_selectors.require(actor=request.user, capability=MANAGE, unit=team.unit, read=READ)
    here = reverse("teams:thread", args=[thread.id])
    if request.method == "POST" and request.POST.get("action") == "moderate":
        return _moderate(request, then=here)
    form = MessageForm(request.POST or None)
    if done := submit_form(request, form, lambda d: services.message_post(actor=request.user, thread=thread, **d),
                           success=_posted, then=here):
        return done
    msgs = selectors.label_authors(team=team, messages=selectors.thread_messages(thread=thread, staff=True))
    return render(request, "teams/thread.html", {"thread": thread, "team": team, "messages_": msgs, "form": form,
                                                 "staff": True})


# ---------------------------------------------------------------- the student's pages (phone first)


@login_required
@requires(STUDENT)
def my_teams(request):
    selectors.me(actor=request.user)
    return render(request, "teams/mine.html", {"teams": selectors.my_teams(actor=request.user)})


@login_required
@require_http_methods(["GET", "POST"])
@requires(STUDENT)
def my_forum(request, team_id: int):
    selectors.me(actor=request.user)
    team = selectors.my_team(actor=request.user, team_id=team_id)
    form = ThreadForm(request.POST or None) if team.has_forum else None
    if form is not None and (done := submit_form(
            request, form, lambda d: services.thread_create(actor=request.user, team=team, **d),
            success=_posted, then=lambda t: reverse("teams:my_thread", args=[t.id]))):
        return done
    return render(request, "teams/my_forum.html", {
        **_forum_context(request, team, staff=False), "form": form,
        "activities": selectors.activities(team=team)[:10]})


@login_required
@require_http_methods(["GET", "POST"])
@requires(STUDENT)
def my_thread(request, thread_id: int):
    selectors.me(actor=request.user)
    thread = selectors.my_thread(actor=request.user, thread_id=thread_id)
    here = reverse("teams:my_thread", args=[thread.id])
    form = MessageForm(request.POST or None)
    if done := submit_form(request, form, lambda d: services.message_post(actor=request.user, thread=thread, **d),
                           success=_posted, then=here):
        return done
    msgs = selectors.label_authors(team=thread.team, messages=selectors.thread_messages(
        thread=thread, staff=False, viewer=request.user))
    return render(request, "teams/my_thread.html", {"thread": thread, "team": thread.team, "messages_": msgs,
                                                    "form": form})
