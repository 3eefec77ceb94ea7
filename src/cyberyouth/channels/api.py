from datetime import date

from ninja import Field, Router, Schema, Status

from cyberyouth.orgs import selectors as org_selectors
from cyberyouth.orgs.decorators import requires

from . import selectors, services
from .models import ChannelStatus, Platform

API_MOUNT = "channels"
router = Router(tags=["channels"])


class ChannelOut(Schema):
    id: int
    platform: Platform
    name: str
    address: str
    owner_unit: str
    active_since: date | None
    closed_on: date | None
    status: ChannelStatus


class ChannelIn(Schema):
    owner_unit: str = Field(max_length=40)
    platform: Platform
    name: str = Field(max_length=300)
    address: str = Field(max_length=1000)
    active_since: date | None = None
    status: ChannelStatus = ChannelStatus.ACTIVE
    closed_on: date | None = None


class ChannelUpdateIn(Schema):
    platform: Platform
    name: str = Field(max_length=300)
    address: str = Field(max_length=1000)
    active_since: date | None = None
    status: ChannelStatus
    closed_on: date | None = None


def _out(c) -> dict:
    return {"id": c.id, "platform": c.platform, "name": c.name, "address": c.address,
            "owner_unit": c.owner_unit.code, "active_since": c.active_since, "closed_on": c.closed_on,
            "status": c.status}


@router.get("/", response=list[ChannelOut], summary="Institutions' channels the caller may see")
@requires("channel.read")
def list_channels(request, unit: str | None = None, status: str = ""):
    scope_unit = org_selectors.get_unit(actor=request.user, code=unit) if unit else None
    return [_out(c) for c in selectors.channels_visible(actor=request.user, unit=scope_unit, status=status)]


@router.get("/{channel_id}", response=ChannelOut)
@requires("channel.read")
def get_channel(request, channel_id: int):
    return _out(selectors.get_channel(actor=request.user, channel_id=channel_id))


@router.post("/", response={201: ChannelOut}, summary="Add a channel to the registry")
@requires("channel.manage")
def create_channel(request, payload: ChannelIn):
    data = payload.dict()
    owner = org_selectors.get_unit(actor=request.user, code=data.pop("owner_unit"))
    return Status(201, _out(services.channel_create(actor=request.user, owner_unit=owner, **data)))


@router.put("/{channel_id}", response=ChannelOut, summary="Change a channel")
@requires("channel.manage")
def update_channel(request, channel_id: int, payload: ChannelUpdateIn):
    channel = selectors.get_channel(actor=request.user, channel_id=channel_id)
    return _out(services.channel_update(actor=request.user, channel=channel, **payload.dict()))
