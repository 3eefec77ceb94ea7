"""Reads of notifications: a person only ever reads their own."""

from django.db.models import QuerySet

from .models import Notification


def notifications_for(*, actor, unread_only: bool = False) -> QuerySet[Notification]:
    if not getattr(actor, "is_authenticated", False):
        return Notification.objects.none()
    qs = Notification.objects.filter(recipient=actor)
    return qs.filter(read_at__isnull=True) if unread_only else qs


def unread_count(*, actor) -> int:
    return notifications_for(actor=actor, unread_only=True).count()
