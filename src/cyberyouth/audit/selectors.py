from datetime import date

from django.db.models import Q, QuerySet

from cyberyouth.lib.text import nfc

from .labels import ACTION_LABELS
from .models import AuditEntry


def audit_entries(
    *, action: str = "", target_type: str = "", actor_username: str = "",
    since: date | None = None, until: date | None = None,
) -> QuerySet[AuditEntry]:
    """The log, newest first, filtered. Only administrators reach this (the view checks)."""
    qs = AuditEntry.objects.select_related("actor")
    action, actor_username = nfc(action), nfc(actor_username)
    if action:
        # What people type is the action's label ("duyệt") as often as its code.
        labelled = [code for code, label in ACTION_LABELS.items() if action.lower() in label.lower()]
        qs = qs.filter(Q(action__icontains=action) | Q(action__in=labelled))
    if target_type:
        qs = qs.filter(target_type=target_type)
    if actor_username:
        # A user name or part of a person's full name.
        qs = qs.filter(Q(actor__username__iexact=actor_username) | Q(actor__full_name__icontains=actor_username))
    if since:
        qs = qs.filter(at__date__gte=since)
    if until:
        qs = qs.filter(at__date__lte=until)
    return qs
