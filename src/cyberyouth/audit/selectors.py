from datetime import date

from django.db.models import Q, QuerySet

from cyberyouth.orgs import selectors as org_selectors
from cyberyouth.orgs.models import Unit

from cyberyouth.lib.text import nfc

from .labels import ACTION_LABELS
from .models import AuditEntry


def _reads_whole_tree(*, actor, allowed: set[int]) -> bool:
    """Whether `actor`'s audit scope holds every unit at the top of today's tree."""
    roots = set(Unit.objects.filter(parent__isnull=True, valid_to__isnull=True).values_list("id", flat=True))
    return bool(roots) and roots <= allowed


def audit_entries(
    *, actor, action: str = "", target_type: str = "", actor_username: str = "",
    since: date | None = None, until: date | None = None,
) -> QuerySet[AuditEntry]:
    """The log of `actor`'s scope, newest first, filtered: entries about units where `actor`
    holds "audit.read" (history included). Entries about no unit (accounts, indicator
    definitions, reporting periods) are system-wide: read by those whose scope is the whole
    tree; everyone with the right also reads their own actions."""
    allowed = org_selectors.unit_ids(actor=actor, capability="audit.read")
    if not allowed:
        return AuditEntry.objects.none()
    visible = Q(unit_id__in=allowed) | Q(unit__isnull=True, actor_id=actor.pk)
    if _reads_whole_tree(actor=actor, allowed=allowed):
        visible |= Q(unit__isnull=True)
    qs = AuditEntry.objects.filter(visible).select_related("actor")
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
