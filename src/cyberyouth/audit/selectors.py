from datetime import date

from django.db.models import QuerySet

from .models import AuditEntry


def audit_entries(
    *, action: str = "", target_type: str = "", actor_username: str = "",
    since: date | None = None, until: date | None = None,
) -> QuerySet[AuditEntry]:
    """The log, newest first, filtered. Only administrators reach this (the view checks)."""
    qs = AuditEntry.objects.select_related("actor")
    if action:
        qs = qs.filter(action__icontains=action)
    if target_type:
        qs = qs.filter(target_type=target_type)
    if actor_username:
        qs = qs.filter(actor__username=actor_username)
    if since:
        qs = qs.filter(at__date__gte=since)
    if until:
        qs = qs.filter(at__date__lte=until)
    return qs
