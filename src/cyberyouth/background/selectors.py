"""Reads of background-work state."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from .models import WorkerHeartbeat


def workers_alive(*, now=None) -> int:
    """Workers that beat within WORKER_STALE_SECONDS."""
    stale = (now or timezone.now()) - timedelta(seconds=settings.WORKER_STALE_SECONDS)
    return WorkerHeartbeat.objects.filter(beat_at__gte=stale).count()
