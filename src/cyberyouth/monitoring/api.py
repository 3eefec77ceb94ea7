"""Monitoring API: push items in (bearer token), read the open queue in review order."""

from datetime import datetime

from ninja import Field, Router, Schema

from cyberyouth.errors import DomainError
from cyberyouth.orgs.decorators import requires

from . import selectors, services

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
    results = services.items_push(actor=request.user, entries=[e.dict() for e in entries])
    return {"items": [{"id": r.id, "duplicate": r.duplicate, "verdict": services.verdict_dict(r.item)}
                      for r in results]}


@router.get("/queue", response=list[QueueItemOut], summary="Hàng đợi kiểm duyệt theo thứ tự xem xét")
@requires("content.moderate|monitoring.manage|monitoring.school")
def get_queue(request, limit: int = 50, offset: int = 0):
    if not 1 <= limit <= 200:
        raise DomainError("limit phải từ 1 đến 200.", field="limit")
    if offset < 0:
        raise DomainError("offset không được âm.", field="offset")
    items = selectors.queue(actor=request.user, limit=limit, offset=offset)
    return [
        {"id": i.pk, "channel": i.channel_id, "unit": i.unit.code, "url": i.url,
         "author": i.author, "text": i.text, "top_category": i.top_category, "severity": i.severity,
         "score": i.score, "reported": i.reported, "captured_at": i.captured_at,
         "claimed_by": i.claimed_by.get_username() if i.claimed_by_id else None}
        for i in items
    ]
