"""The campaign's API: push posts of the unit's own channels, mark them, read posts and compliance
(scoped like the pages)."""

from datetime import date, datetime

from ninja import Field, Router, Schema, Status

from cyberyouth.errors import DomainError, ErrorCode
from cyberyouth.orgs import selectors as org_selectors
from cyberyouth.orgs.decorators import requires
from cyberyouth.lib.pages import YEAR_MAX, YEAR_MIN

from . import selectors, services
from .models import PostKind, PostSource

router = Router(tags=["campaigns"])


class PostIn(Schema):
    channel_id: int
    url: str = Field(max_length=1000)
    posted_at: datetime
    text: str = Field("", max_length=20000)
    views: int | None = Field(None, ge=0)
    reactions: int | None = Field(None, ge=0)
    shares: int | None = Field(None, ge=0)


class PostOut(Schema):
    id: int
    channel_id: int
    unit: str
    url: str
    posted_at: datetime
    day: date
    kind: str
    suggested_kind: str
    duplicate: bool = False


class MarkIn(Schema):
    kind: PostKind


class ComplianceOut(Schema):
    unit: str
    name: str
    days_expected: int
    good_days: int
    weeks_expected: int
    story_weeks: int
    posts: int
    longest_streak: int
    current_streak: int


def _out(post, duplicate=False) -> dict:
    return {"id": post.id, "channel_id": post.channel_id, "unit": post.unit.code, "url": post.url,
            "posted_at": post.posted_at, "day": post.day, "kind": post.kind, "suggested_kind": post.suggested_kind,
            "duplicate": duplicate}


@router.post("/posts", response={200: PostOut, 201: PostOut}, summary="Ghi một bài đăng của kênh chính thức")
@requires("campaign.post")
def push_posts(request, payload: PostIn):
    """Idempotent: the same post (same normalised link on the channel) answers 200 with
    duplicate=true and is counted once."""
    data = payload.dict()
    post, created = services.post_add(actor=request.user, source=PostSource.PUSH, **data)
    return Status(201 if created else 200, _out(post, duplicate=not created))


@router.post("/posts/{post_id}/mark", response=PostOut, summary="Phân loại bài đăng")
@requires("campaign.post")
def mark_post(request, post_id: int, payload: MarkIn):
    return _out(services.post_mark(actor=request.user, post_id=post_id, kind=payload.kind))


@router.get("/posts", response=list[PostOut], summary="Bài đăng trong phạm vi")
@requires("campaign.read")
def list_posts(request, unit: str | None = None, kind: PostKind | None = None, limit: int = 100, offset: int = 0):
    if not 1 <= limit <= 500 or offset < 0:
        raise DomainError("limit phải từ 1 đến 500, offset không âm.", field="limit", code=ErrorCode.OUT_OF_RANGE)
    ids = None
    if unit:
        ids = {org_selectors.get_unit(actor=request.user, code=unit, capability="campaign.read").id}
    posts = selectors.posts(actor=request.user, unit_ids=ids, kind=kind)
    return [_out(p) for p in posts[offset:offset + limit]]


@router.get("/compliance", response=list[ComplianceOut], summary="Mức thực hiện theo đơn vị")
@requires("campaign.read")
def campaign_compliance(request, year: int, month: int | None = None, unit: str | None = None):
    if not YEAR_MIN <= year <= YEAR_MAX or (month is not None and not 1 <= month <= 12):
        raise DomainError(f"Năm phải từ {YEAR_MIN} đến {YEAR_MAX}, tháng từ 1 đến 12.", field="year",
                          code=ErrorCode.OUT_OF_RANGE)
    scope_unit = org_selectors.get_unit(actor=request.user, code=unit, capability="campaign.read") if unit else None
    return [{"unit": r.unit.code, "name": r.unit.name, "days_expected": r.days_expected, "good_days": r.good_days,
             "weeks_expected": r.weeks_expected, "story_weeks": r.story_weeks, "posts": r.posts,
             "longest_streak": r.longest_streak, "current_streak": r.current_streak}
            for r in selectors.compliance(actor=request.user, year=year, month=month, unit=scope_unit)]
