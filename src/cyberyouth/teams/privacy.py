"""A personal-data helper: what the teams app holds about a person (their memberships as a
student, their forum messages), for "Dữ liệu của tôi" and `cyberyouth people export|erase`."""

from .models import Message, TeamMember


def export_person(*, person) -> dict | None:
    memberships = TeamMember.objects.filter(student__user_id=person.pk).select_related("team")
    messages = Message.objects.filter(author=person).select_related("thread__team")
    if not memberships.exists() and not messages.exists():
        return None
    return {
        "teams": [{"team": m.team.name, "kind": m.team.get_kind_display(), "role": m.get_role_display(),
                   "from": m.joined_on.isoformat(), "to": m.left_on.isoformat() if m.left_on else None}
                  for m in memberships.order_by("joined_on")],
        "forum_messages": [{"club": m.thread.team.name, "thread": m.thread.title, "at": m.created_at.isoformat(),
                            "text": m.text, "status": m.get_status_display()} for m in messages.order_by("created_at")],
    }


def erase_person(*, person, actor, reason: str) -> None:
    """The person's forum messages lose their words; their memberships end with their account."""
    from cyberyouth.orgs import selectors as org_selectors

    from .services import messages_erase

    from .models import Message

    if Message.objects.filter(author=person).exclude(text="").exists():
        messages_erase(person=person, actor=actor, reason=reason)
    TeamMember.objects.filter(student__user_id=person.pk, left_on__isnull=True).update(left_on=org_selectors.today())
