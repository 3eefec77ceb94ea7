"""Every write to the channels registry. One transaction per call, audited."""

import re
from datetime import date

from django.db import transaction

from cyberyouth.audit.services import audit_record, snapshot
from cyberyouth.errors import DomainError, ErrorCode, ScopeError
from cyberyouth.lib.text import nfc
from cyberyouth.orgs import selectors as org_selectors
from cyberyouth.orgs.models import Unit

from .models import Channel, ChannelStatus, Platform

_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
FIELDS = ["platform", "name", "address", "owner_unit", "active_since", "closed_on", "status"]


def _check(*, platform: str, name: str, address: str, active_since: date | None, closed_on: date | None,
           status: str, exclude_id: int | None = None) -> None:
    if platform not in Platform.values:
        raise DomainError("Chọn nền tảng.", field="platform")
    if not name:
        raise DomainError("Nhập tên kênh.", field="name")
    if not _URL.match(address):
        raise DomainError("Địa chỉ phải là đường dẫn bắt đầu bằng http:// hoặc https://.", field="address")
    if status not in ChannelStatus.values:
        raise DomainError("Trạng thái không hợp lệ.", field="status")
    if active_since and active_since > org_selectors.today():
        raise DomainError("Ngày bắt đầu hoạt động không được ở tương lai.", field="active_since")
    if closed_on and active_since and closed_on < active_since:
        raise DomainError("Ngày ngừng phải sau ngày bắt đầu hoạt động.", field="closed_on")
    if status == ChannelStatus.CLOSED and not closed_on:
        raise DomainError("Kênh đã đóng: ghi ngày ngừng hoạt động.", field="closed_on")
    if status != ChannelStatus.CLOSED and closed_on:
        raise DomainError("Có ngày ngừng thì trạng thái phải là “Đã đóng”.", field="status")
    dup = Channel.objects.filter(platform=platform, address=address)
    if exclude_id:
        dup = dup.exclude(id=exclude_id)
    if dup.exists():
        raise DomainError("Kênh với địa chỉ này đã có trong sổ.", field="address", code=ErrorCode.DUPLICATE)


@transaction.atomic
def channel_create(*, actor, owner_unit: Unit, platform: str, name: str, address: str,
                   active_since: date | None = None, status: str = ChannelStatus.ACTIVE,
                   closed_on: date | None = None) -> Channel:
    """Add an institution's own channel to the registry."""
    org_selectors.require(actor=actor, capability="channel.manage", unit=owner_unit)
    name, address = nfc(name), nfc(address)
    _check(platform=platform, name=name, address=address, active_since=active_since, closed_on=closed_on,
           status=status)
    channel = Channel.objects.create(platform=platform, name=name, address=address, owner_unit=owner_unit,
                                     is_official=True, active_since=active_since, closed_on=closed_on, status=status)
    audit_record(actor=actor, action="channel.create", target=channel, after=snapshot(channel, fields=FIELDS))
    return channel


@transaction.atomic
def channel_update(*, actor, channel: Channel, platform: str, name: str, address: str, active_since: date | None,
                   status: str, closed_on: date | None = None) -> Channel:
    """Change a channel's details or status (closing needs the date it stopped)."""
    channel = Channel.objects.select_for_update().get(id=channel.id)
    if channel.owner_unit_id is None:
        raise ScopeError("Kênh nguồn công khai do bộ phận giám sát quản lý.")
    org_selectors.require(actor=actor, capability="channel.manage", unit=channel.owner_unit)
    name, address = nfc(name), nfc(address)
    _check(platform=platform, name=name, address=address, active_since=active_since, closed_on=closed_on,
           status=status, exclude_id=channel.id)
    before = snapshot(channel, fields=FIELDS)
    channel.platform, channel.name, channel.address = platform, name, address
    channel.active_since, channel.status, channel.closed_on = active_since, status, closed_on
    channel.save()
    audit_record(actor=actor, action="channel.update", target=channel, before=before,
                 after=snapshot(channel, fields=FIELDS))
    return channel
