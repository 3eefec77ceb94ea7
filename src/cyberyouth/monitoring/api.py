"""Monitoring API: push items in (bearer token), read the open queue in review order."""

from datetime import datetime

from django.db import transaction
from ninja import Field, Router, Schema

from cyberyouth.channels.models import Channel
from cyberyouth.errors import DomainError, NotFound, ScopeError

from . import scope, selectors, services
from .models import Source

API_MOUNT = "monitoring"
router = Router(tags=["monitoring"])


class ItemIn(Schema):
    channel: int = Field(description="Mã (id) kênh trong sổ kênh thông tin", ge=1, le=2**63 - 1)
    external_id: str = Field("", max_length=200)
    url: str = Field("", max_length=1000)
    author: str = Field("", max_length=300)
    text: str = Field(max_length=services.MAX_TEXT)
    published_at: datetime | None = None
    parent_external_id: str = Field("", max_length=200)


class ItemsIn(Schema):
    items: list[ItemIn] = Field(max_length=services.MAX_BATCH)


class VerdictOut(Schema):
    toxicity: str
    scores: dict[str, float]
    spans: list[dict]
    personal_data: list[dict]
    model_version: str
    top_category: str
    severity: int
    score: float
    queued: bool


class ItemResultOut(Schema):
    id: int
    duplicate: bool
    verdict: VerdictOut


class ItemsOut(Schema):
    items: list[ItemResultOut]


class QueueItemOut(Schema):
    id: int
    channel: int | None
    unit: str
    url: str
    author: str
    text: str
    top_category: str
    severity: int
    score: float
    reported: bool
    captured_at: datetime
    claimed_by: str | None


@router.post("/items", response=ItemsOut, summary="Đẩy một hoặc nhiều nội dung vào hệ thống")
def push_items(request, payload: ItemsIn | ItemIn):
    """One item, or {"items": [...]}. Idempotent by (channel, external_id); also deduplicated by
    URL and content hash within the channel. Answers per item: id, duplicate?, verdict."""
    entries = payload.items if isinstance(payload, ItemsIn) else [payload]
    if not entries:
        raise DomainError("Danh sách nội dung trống.", field="items")
    allowed = scope.moderated_unit_ids(actor=request.user) | scope.managed_unit_ids(actor=request.user)
    if not allowed:
        raise ScopeError("Mã truy cập này không có quyền đẩy nội dung giám sát.")
    channels = {c.pk: c for c in Channel.objects.filter(pk__in={e.channel for e in entries}).select_related("owner_unit")}
    groups: dict[int, list[int]] = {}
    for index, entry in enumerate(entries):
        channel = channels.get(entry.channel)
        if channel is None:
            raise NotFound(f"Không tìm thấy kênh {entry.channel}.", field=f"items[{index}].channel")
        if services.zone_for_channel(channel).id not in allowed:
            raise ScopeError("Bạn không có quyền với kênh này.", field=f"items[{index}].channel")
        groups.setdefault(channel.pk, []).append(index)
    out: list[dict | None] = [None] * len(entries)
    with transaction.atomic():  # all channels or none
        for channel_id, indexes in groups.items():
            data = [entries[i].dict() for i in indexes]
            for d in data:
                d.pop("channel", None)
                if d.get("published_at"):
                    d["published_at"] = d["published_at"].isoformat()
            try:
                results = services.ingest(channel=channels[channel_id], entries=data, source=Source.PUSH,
                                          actor=request.user)
            except DomainError as exc:
                # Point at the request's own index, not the index within this channel's group.
                if exc.field and exc.field.startswith("items["):
                    inner = int(exc.field[6:exc.field.index("]")])
                    exc.field = f"items[{indexes[inner]}]" + exc.field[exc.field.index("]") + 1:]
                raise
            for i, r in zip(indexes, results):
                out[i] = {"id": r.id, "duplicate": r.duplicate, "verdict": services.verdict_dict(r.item)}
    return {"items": out}


@router.get("/queue", response=list[QueueItemOut], summary="Hàng đợi kiểm duyệt theo thứ tự xem xét")
def get_queue(request, limit: int = 50, offset: int = 0):
    if not 1 <= limit <= 200:
        raise DomainError("limit phải từ 1 đến 200.", field="limit")
    if not 0 <= offset <= 10_000_000:
        raise DomainError("offset phải từ 0 đến 10000000.", field="offset", code="out_of_range")
    items = selectors.queue(actor=request.user, limit=limit, offset=offset)
    return [
        {"id": i.pk, "channel": i.channel_id, "unit": i.unit.code, "url": i.url,
         "author": i.author, "text": i.text, "top_category": i.top_category, "severity": i.severity,
         "score": i.score, "reported": i.reported, "captured_at": i.captured_at,
         "claimed_by": i.claimed_by.get_username() if i.claimed_by_id else None}
        for i in items
    ]
