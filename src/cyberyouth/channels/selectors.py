"""Reads of the channels registry, scoped through orgs.selectors; and the indicator-5 provider."""

from datetime import date

from django.db.models import Count, Q, QuerySet

from cyberyouth.errors import NotFound
from cyberyouth.orgs import selectors as org_selectors

from .models import Channel, ChannelStatus


def channels_visible(*, actor, unit=None, status: str = "", platform: str = "") -> QuerySet[Channel]:
    """Institutions' channels whose owner unit the actor sees (optionally under `unit`)."""
    visible = org_selectors.unit_ids(actor=actor, capability="channel.read")
    if unit is not None:
        org_selectors.require_read(actor=actor, capability="channel.read", unit=unit)
        on = unit.last_day if unit.valid_to and unit.valid_to <= org_selectors.today() else org_selectors.today()
        visible = visible & org_selectors.descendant_ids(unit_ids=[unit.id], on=on)
    qs = Channel.objects.filter(owner_unit_id__in=visible).select_related("owner_unit")
    if status:
        qs = qs.filter(status=status)
    if platform:
        qs = qs.filter(platform=platform)
    return qs.order_by("owner_unit__name", "name")


def get_channel(*, actor, channel_id: int) -> Channel:
    channel = channels_visible(actor=actor).filter(id=channel_id).first()
    if channel is None:
        raise NotFound("Không tìm thấy kênh thông tin.")
    return channel


def _active_on(on: date, *, today: date) -> Q:
    q = (Q(active_since__isnull=True) | Q(active_since__lte=on)) & (Q(closed_on__isnull=True) | Q(closed_on__gt=on))
    # A channel closed without a date has no known history: not counted. "Paused" is a
    # current state, so it only matters for a view of today.
    q &= ~Q(status=ChannelStatus.CLOSED, closed_on__isnull=True)
    if on >= today:
        q &= ~Q(status=ChannelStatus.PAUSED)
    return q


def active_channels_by_unit(*, unit_ids: set[int], year: int) -> dict[int, int]:
    """Provider "channels.active": official channels in operation per owner unit at the end of
    `year` (today for the current year). Not scoped: the indicators app scopes its callers."""
    today = org_selectors.today()
    on = min(date(year, 12, 31), today)
    rows = (Channel.objects.filter(_active_on(on, today=today), owner_unit_id__in=unit_ids, is_official=True)
            .values("owner_unit_id").annotate(n=Count("id")))
    return {r["owner_unit_id"]: r["n"] for r in rows}


def channel_summary(*, actor) -> dict:
    qs = channels_visible(actor=actor)
    return {
        "total": qs.count(),
        "active": qs.filter(status=ChannelStatus.ACTIVE).count(),
        "units_with_active": qs.filter(status=ChannelStatus.ACTIVE).values("owner_unit_id").distinct().count(),
    }
