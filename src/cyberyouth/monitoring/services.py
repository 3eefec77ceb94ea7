"""Every write of the monitoring app: ingestion, feeds, claims, decisions, actions, reports.

One transaction per call, audited, `DomainError` with a Vietnamese message on bad input.
Nothing here removes, blocks or sanctions anything: the engine ranks, people decide.
"""

import hashlib
import hmac
import json
import logging
import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, connection, models, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from cyberyouth.audit.services import audit_record
from cyberyouth.channels.models import Channel, ChannelStatus, Platform
from cyberyouth.errors import DomainError, ErrorCode, NotFound, ScopeError
from cyberyouth.lib.text import nfc as text_nfc
from cyberyouth.orgs import selectors as org_selectors
from cyberyouth.orgs.models import Unit
from cyberyouth.uploads import check_upload

from . import scope, triage
from .models import (
    Action, ActionKind, Attachment, Category, ChannelWatch, Decision, ImportJob, ImportStatus, Item, ItemState, Outcome,
    PublicReport,
    QueueAccess, Source, Suspicion,
)

log = logging.getLogger(__name__)

MAX_TEXT = 20_000          # characters of one item's text
MAX_BATCH = 1_000          # items in one push request or one ingest call
CLAIM_MINUTES = 15         # how long a claim holds without activity
REASON_MIN = 5


def nfc(value) -> str:
    """Any value as NFC text (entries pushed by connectors may carry numbers)."""
    return text_nfc(str(value or ""))


def content_hash(text: str) -> str:
    """Hash of the text as a reader sees it: case, spacing and Unicode form do not matter."""
    canonical = " ".join(unicodedata.normalize("NFC", text).casefold().split())
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def canonical_json(data) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# ---------------------------------------------------------------- categories and thresholds


def rules() -> list[triage.Rule]:
    """The thresholds and tiers in force (the defaults until the engine's categories exist)."""
    found = [triage.Rule(c.code, c.severity, c.threshold)
             for c in Category.objects.filter(active=True, is_engine=True)]
    if not found and not Category.objects.filter(is_engine=True).exists():
        return [triage.Rule(code, severity, threshold) for code, _, severity, threshold in triage.DEFAULT_CATEGORIES]
    return found


def categories_ensure_defaults() -> None:
    """The engine's categories with their default tiers and thresholds (idempotent; the data
    migration does the same for a new database)."""
    for code, name, severity, threshold in triage.DEFAULT_CATEGORIES:
        Category.objects.get_or_create(code=code, defaults={"name": name, "severity": severity,
                                                            "threshold": threshold, "is_engine": True})


@transaction.atomic
def category_save(*, actor, code: str, name: str, severity: int, threshold: float | None = None,
                  description: str = "", active: bool = True) -> Category:
    """Create an operator's category, or change a category's name, tier, threshold or use.
    An engine category's code is fixed; an operator's category has no threshold (people apply it)."""
    scope.managed_unit_ids(actor=actor) or _deny()
    code, name = nfc(code).lower(), nfc(name)
    if not re.fullmatch(r"[a-z0-9_-]{2,40}", code):
        raise DomainError("Mã chỉ gồm chữ thường không dấu, số, gạch dưới (2–40 ký tự).", field="code")
    if not name:
        raise DomainError("Nhập tên nhóm.", field="name")
    if not 0 <= int(severity) <= 9:
        raise DomainError("Mức nghiêm trọng từ 0 đến 9.", field="severity")
    category = Category.objects.filter(code=code).first()
    if threshold is not None and not 0 <= float(threshold) <= 1:
        raise DomainError("Ngưỡng phải trong khoảng 0–1.", field="threshold")
    if category is not None and not category.is_engine and threshold is not None:
        raise DomainError("Nhóm do người vận hành thêm không có ngưỡng chấm điểm tự động.", field="threshold")
    if category is None and threshold is not None:
        raise DomainError("Chỉ nhóm của bộ máy mới có ngưỡng.", field="threshold")
    before = None
    if category is None:
        category = Category(code=code, is_engine=False, created_by=actor)
    else:
        before = {"name": category.name, "severity": category.severity, "threshold": category.threshold,
                  "active": category.active}
    category.name, category.severity, category.description, category.active = name, int(severity), nfc(description), active
    if category.is_engine:
        category.threshold = None if threshold is None else float(threshold)
    category.save()
    audit_record(actor=actor, action="monitoring.category", target=category, before=before,
                 after={"name": name, "severity": category.severity, "threshold": category.threshold, "active": active})
    return category


def _deny():
    raise ScopeError("Bạn không có quyền quản lý giám sát nội dung.")


# ---------------------------------------------------------------- channels


def zone_for_channel(channel: Channel) -> Unit:
    if channel.owner_unit_id:
        return channel.owner_unit
    watch = ChannelWatch.objects.filter(channel=channel).select_related("zone_unit").first()
    if watch is None:
        raise DomainError(f"Kênh “{channel.name}” chưa có địa bàn phụ trách.", field="channel")
    return watch.zone_unit


@transaction.atomic
def monitored_source_add(*, actor, platform: str, name: str, address: str, zone_unit: Unit, feed_url: str = "",
                         external_id: str = "", fetch_interval_minutes: int = 60,
                         owner_unit: Unit | None = None) -> Channel:
    """List a public source for monitoring (or start monitoring an institution's channel at the
    same address). The zone decides which moderators review it."""
    if zone_unit.id not in scope.managed_unit_ids(actor=actor):
        raise ScopeError("Bạn không quản lý giám sát trên địa bàn này.")
    if platform not in Platform.values:
        raise DomainError("Nền tảng không hợp lệ.", field="platform")
    name, address, feed_url, external_id = nfc(name), nfc(address), nfc(feed_url), nfc(external_id)
    if not name:
        raise DomainError("Nhập tên kênh.", field="name")
    for field, value in (("address", address), ("feed_url", feed_url)):
        if value and not re.match(r"^https?://[^\s/$.?#].[^\s]*$", value):
            raise DomainError("Địa chỉ phải bắt đầu bằng http:// hoặc https://.", field=field)
    if not address:
        raise DomainError("Nhập địa chỉ kênh.", field="address")
    if not 5 <= int(fetch_interval_minutes) <= 7 * 24 * 60:
        raise DomainError("Chu kỳ lấy tin từ 5 phút đến 7 ngày.", field="fetch_interval_minutes")
    channel = Channel.objects.filter(platform=platform, address=address).first()
    created = channel is None
    if created:
        channel = Channel(platform=platform, address=address, name=name, owner_unit=owner_unit,
                          is_official=owner_unit is not None)
    channel.monitored = True
    channel.feed_url = feed_url or channel.feed_url
    channel.external_id = external_id or channel.external_id
    channel.fetch_interval_minutes = int(fetch_interval_minutes)
    channel.next_fetch_at = timezone.now()
    channel.save()
    ChannelWatch.objects.update_or_create(channel=channel, defaults={"zone_unit": zone_unit, "added_by": actor})
    audit_record(actor=actor, action="monitoring.source_add", target=channel,
                 after={"platform": platform, "address": address, "zone": zone_unit.code, "created": created})
    return channel


@transaction.atomic
def monitored_source_set(*, actor, channel: Channel, monitored: bool) -> Channel:
    """Start or stop monitoring a channel (nothing captured is deleted)."""
    zone = zone_for_channel(channel)
    if zone.id not in scope.managed_unit_ids(actor=actor):
        raise ScopeError("Bạn không quản lý giám sát kênh này.")
    Channel.objects.filter(pk=channel.pk).update(monitored=monitored, next_fetch_at=timezone.now())
    audit_record(actor=actor, action="monitoring.source_set", target=channel, before={"monitored": channel.monitored},
                 after={"monitored": monitored})
    channel.monitored = monitored
    return channel


# ---------------------------------------------------------------- ingestion


@dataclass
class IngestResult:
    id: int
    duplicate: bool
    item: Item


def _parse_when(value, *, field: str) -> datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        when = value
    else:
        when = parse_datetime(str(value).strip())
        if when is None:
            raise DomainError("Thời điểm đăng không hợp lệ (cần dạng ISO 8601, ví dụ 2025-09-01T08:00:00+07:00).",
                              field=field)
    if timezone.is_naive(when):
        when = timezone.make_aware(when)
    return when


def _clean_entry(entry: dict, *, index: int, prefix: str = "items") -> dict:
    if not isinstance(entry, dict):
        raise DomainError("Mỗi nội dung phải là một đối tượng JSON.", field=f"{prefix}[{index}]")
    f = lambda name: f"{prefix}[{index}].{name}"  # noqa: E731
    text = nfc(entry.get("text"))
    if not text:
        raise DomainError("Thiếu nội dung (text).", field=f("text"))
    if len(text) > MAX_TEXT:
        raise DomainError(f"Nội dung dài quá {MAX_TEXT:,} ký tự.".replace(",", "."), field=f("text"))
    url = nfc(entry.get("url"))
    if url and (len(url) > 1000 or not re.match(r"^https?://\S+$", url)):
        raise DomainError("Địa chỉ (url) phải bắt đầu bằng http:// hoặc https:// và không quá 1000 ký tự.",
                          field=f("url"))
    external_id = nfc(entry.get("external_id"))
    if len(external_id) > 200:
        raise DomainError("Mã trên nền tảng dài quá 200 ký tự.", field=f("external_id"))
    author = nfc(entry.get("author"))[:300]
    return {
        "text": text, "url": url, "external_id": external_id, "author": author,
        "published_at": _parse_when(entry.get("published_at"), field=f("published_at")),
        "parent_external_id": nfc(entry.get("parent_external_id"))[:200],
        "source_url": nfc(entry.get("source_url"))[:1000] or url,
    }


def ingest(*, channel: Channel | None, entries: list[dict], source: str, actor=None, unit: Unit | None = None,
           reported: bool = False) -> list[IngestResult]:
    """Capture items, deduplicated by (channel, external id), URL and content hash within the
    channel; analyse the new ones in one engine call; queue those over a threshold.

    Every entry is validated first: one bad entry rejects the whole batch (nothing half-written).
    Answers one result per entry, in order: the item's id and whether it was a duplicate."""
    if len(entries) > MAX_BATCH:
        raise DomainError(f"Tối đa {MAX_BATCH} nội dung mỗi lần.", field="items")
    cleaned = [_clean_entry(e, index=i) for i, e in enumerate(entries)]
    zone = unit or zone_for_channel(channel)
    captured_at = timezone.now()
    with transaction.atomic():
        results: list[IngestResult | None] = [None] * len(cleaned)
        existing: dict[tuple[str, str], Item] = {}
        if channel is not None and cleaned:
            ext_ids = {c["external_id"] for c in cleaned if c["external_id"]}
            urls = {c["url"] for c in cleaned if c["url"]}
            hashes = {content_hash(c["text"]) for c in cleaned}
            found = Item.objects.filter(channel=channel).filter(
                Q(external_id__in=ext_ids) | Q(url__in=urls) | Q(content_hash__in=hashes))
            for item in found:
                if item.external_id:
                    existing[("id", item.external_id)] = item
                if item.url:
                    existing[("url", item.url)] = item
                existing[("hash", item.content_hash)] = item
        new_rows: list[tuple[int, dict, str]] = []
        seen_in_batch: dict[tuple[str, str], int] = {}
        for i, c in enumerate(cleaned):
            digest = content_hash(c["text"])
            keys = [("hash", digest)]
            if c["external_id"]:
                keys.insert(0, ("id", c["external_id"]))
            if c["url"]:
                keys.insert(1, ("url", c["url"]))
            if channel is not None:
                hit = next((existing[k] for k in keys if k in existing), None)
                if hit is not None:
                    results[i] = IngestResult(hit.id, True, hit)
                    continue
                first = next((seen_in_batch[k] for k in keys if k in seen_in_batch), None)
                if first is not None:
                    results[i] = ("same", first)  # type: ignore[assignment]
                    continue
                for k in keys:
                    seen_in_batch[k] = i
            new_rows.append((i, c, digest))
        analyses = triage.analyze_texts([c["text"] for _, c, _ in new_rows])
        active_rules = rules()
        items = []
        for (i, c, digest), analysis in zip(new_rows, analyses):
            raw = canonical_json({k: entries[i].get(k) for k in sorted(entries[i])}
                                 if isinstance(entries[i], dict) else entries[i])
            top, severity, score, queued = triage.rank(analysis, active_rules, reported=reported)
            items.append(Item(
                channel_id=channel.pk if channel else None, unit_id=zone.pk, source=source, external_id=c["external_id"], url=c["url"],
                author=c["author"], text=c["text"], published_at=c["published_at"], content_hash=digest,
                raw=raw, raw_sha256=sha256_text(raw), captured_at=captured_at, source_url=c["source_url"],
                toxicity=analysis.toxicity, scores=analysis.scores, spans=analysis.spans,
                personal_data=analysis.personal_data, model_version=analysis.model_version[:60],
                top_category=top, severity=severity, score=score, reported=reported,
                state=ItemState.OPEN if queued else ItemState.BELOW,
            ))
        created = _insert(items, channel=channel, captured_at=captured_at)
        for (i, _, _), item in zip(new_rows, created):
            results[i] = IngestResult(item.id, False, item)
        for i, r in enumerate(results):
            if isinstance(r, tuple):
                first = results[r[1]]
                results[i] = IngestResult(first.id, True, first.item)
        _link_parents(channel, cleaned, results)
        if created or results:
            audit_record(actor=actor, action="monitoring.ingest", target=channel or created[0],
                         after={"source": source, "created": len(created), "duplicates": len(results) - len(created),
                                "queued": sum(1 for item in created if item.state == ItemState.OPEN)})
    return results  # type: ignore[return-value]


@transaction.atomic
def items_push(*, actor, entries: list[dict]) -> list[IngestResult]:
    """Items pushed through the API, each naming its channel: all of them, or none. Only into
    channels of zones `actor` moderates or manages. Answers one result per entry, in order;
    errors name the entry by its index in `entries`."""
    if not entries:
        raise DomainError("Danh sách nội dung trống.", field="items")
    allowed = scope.moderated_unit_ids(actor=actor) | scope.managed_unit_ids(actor=actor)
    if not allowed:
        raise ScopeError("Mã truy cập này không có quyền đẩy nội dung giám sát.")
    channels = {c.pk: c for c in Channel.objects.filter(pk__in={e.get("channel") for e in entries})
                .select_related("owner_unit")}
    groups: dict[int, list[int]] = {}
    for index, entry in enumerate(entries):
        channel = channels.get(entry.get("channel"))
        if channel is None:
            raise NotFound(f"Không tìm thấy kênh {entry.get('channel')}.", field=f"items[{index}].channel")
        if zone_for_channel(channel).id not in allowed:
            raise ScopeError("Bạn không có quyền với kênh này.", field=f"items[{index}].channel")
        groups.setdefault(channel.pk, []).append(index)
    out: list[IngestResult | None] = [None] * len(entries)
    for channel_id, indexes in groups.items():
        data = [{k: v for k, v in entries[i].items() if k != "channel"} for i in indexes]
        for d in data:
            if isinstance(d.get("published_at"), datetime):
                d["published_at"] = d["published_at"].isoformat()
        try:
            results = ingest(channel=channels[channel_id], entries=data, source=Source.PUSH, actor=actor)
        except DomainError as exc:
            # Point at the request's own index, not the index within this channel's group.
            if exc.field and exc.field.startswith("items["):
                inner = int(exc.field[6:exc.field.index("]")])
                exc.field = f"items[{indexes[inner]}]" + exc.field[exc.field.index("]") + 1:]
            raise
        for i, r in zip(indexes, results):
            out[i] = r
    return [r for r in out if r is not None]


def _insert(items: list[Item], *, channel: Channel | None, captured_at: datetime) -> list[Item]:
    """Insert new items and give them their ids.

    Django's bulk_create spends most of its time compiling per-field SQL parameters (and batches
    33 rows a statement on SQLite); one parameterised INSERT run with executemany does the same
    work several times faster. Ids come back by a lookup on (channel, capture time, content hash),
    which is unique: ingest never stores the same text twice in a channel."""
    if not items:
        return items
    if channel is None or connection.vendor not in ("sqlite", "postgresql"):
        return Item.objects.bulk_create(items, batch_size=500)
    fields = [f for f in Item._meta.concrete_fields if not f.primary_key]
    ops = connection.ops

    def adapter(field):
        if isinstance(field, models.JSONField):
            return lambda value: ops.adapt_json_value(value, field.encoder)
        if isinstance(field, models.DateTimeField):
            return ops.adapt_datetimefield_value
        return None

    prepared = [(f.attname, adapter(f)) for f in fields]
    rows = [tuple(adapt(getattr(item, name)) if adapt is not None else getattr(item, name)
                  for name, adapt in prepared) for item in items]
    quote = connection.ops.quote_name
    sql = (f"INSERT INTO {quote(Item._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
           f"VALUES ({', '.join(['%s'] * len(fields))})")
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
    ids: dict[str, int] = {}
    hashes = [i.content_hash for i in items]
    with connection.cursor() as cursor:
        for start in range(0, len(hashes), 900):  # SQLite's default limit on parameters
            chunk = hashes[start:start + 900]
            cursor.execute(
                f"SELECT content_hash, id FROM {quote(Item._meta.db_table)} WHERE channel_id = %s AND captured_at = %s "
                f"AND content_hash IN ({', '.join(['%s'] * len(chunk))})",
                [channel.pk, ops.adapt_datetimefield_value(captured_at), *chunk])
            ids.update(cursor.fetchall())
    for item in items:
        item.pk = ids[item.content_hash]
        item._state.adding, item._state.db = False, connection.alias
    return items


def _link_parents(channel, cleaned, results) -> None:
    """A comment points to the post it belongs to (the context a moderator needs)."""
    wanted = {c["parent_external_id"] for c, r in zip(cleaned, results) if c["parent_external_id"] and not r.duplicate}
    if not wanted or channel is None:
        return
    parents = dict(Item.objects.filter(channel=channel, external_id__in=wanted).values_list("external_id", "id"))
    updates = []
    for c, r in zip(cleaned, results):
        parent_id = parents.get(c["parent_external_id"])
        if parent_id and not r.duplicate and parent_id != r.id:
            r.item.parent_id = parent_id
            updates.append(r.item)
    Item.objects.bulk_update(updates, ["parent"], batch_size=500)


def verdict_dict(item: Item) -> dict:
    return {
        "toxicity": item.toxicity, "scores": item.scores, "spans": item.spans, "personal_data": item.personal_data,
        "model_version": item.model_version, "top_category": item.top_category, "severity": item.severity,
        "score": item.score, "queued": item.state != ItemState.BELOW,
    }


# ---------------------------------------------------------------- polling feeds and platforms


def _backoff(channel: Channel, errors: int, now: datetime, retry_after: int | None = None) -> datetime:
    base = timedelta(minutes=max(channel.fetch_interval_minutes, 5))
    delay = base * (2 ** min(errors, 6)) if errors else base
    delay = min(delay, timedelta(hours=24))
    if retry_after:
        delay = max(delay, timedelta(seconds=retry_after))
    return now + delay


def channel_poll(*, channel: Channel, now: datetime | None = None) -> dict:
    """Fetch one channel now (feed or platform API) and ingest what is new. Never raises for a
    bad source: the error is recorded on the channel with back-off and returned."""
    from . import connectors

    now = now or timezone.now()
    try:
        connector = connectors.for_channel(channel)
        if connector is None:
            raise connectors.FetchError("Kênh chưa có nguồn lấy tin (RSS/Atom hoặc mã trên nền tảng và mã truy cập).")
        entries = connector.fetch(channel)
        results = []
        for start in range(0, len(entries), MAX_BATCH):
            results += ingest(channel=channel, entries=entries[start:start + MAX_BATCH],
                              source=connector.source)
        if channel.owner_unit_id and channel.is_official:  # an institution's posts: the good-news ledger
            from cyberyouth.campaigns.services import record_entries

            record_entries(channel=channel, entries=entries)
    except Exception as exc:  # noqa: BLE001 — a bad source must never stop the poller
        errors = channel.consecutive_errors + 1
        retry_after = getattr(exc, "retry_after", None)
        message = str(exc)[:1000] or exc.__class__.__name__
        Channel.objects.filter(pk=channel.pk).update(
            last_fetch_at=now, last_error=message, consecutive_errors=errors,
            next_fetch_at=_backoff(channel, errors, now, retry_after))
        channel.consecutive_errors, channel.last_error = errors, message
        return {"channel": channel.pk, "ok": False, "error": message}
    Channel.objects.filter(pk=channel.pk).update(
        last_fetch_at=now, last_error="", consecutive_errors=0, next_fetch_at=_backoff(channel, 0, now))
    channel.consecutive_errors, channel.last_error = 0, ""
    return {"channel": channel.pk, "ok": True, "fetched": len(entries),
            "created": sum(1 for r in results if not r.duplicate)}


def poll_due(*, now: datetime | None = None, limit: int = 50) -> list[dict]:
    """Poll every monitored, active channel that is due. One bad channel never stops the rest."""
    now = now or timezone.now()
    due = (Channel.objects.filter(monitored=True, status=ChannelStatus.ACTIVE)
           .filter(Q(next_fetch_at__isnull=True) | Q(next_fetch_at__lte=now))
           .exclude(feed_url="", external_id="").order_by("next_fetch_at")[:limit])
    return [channel_poll(channel=channel, now=now) for channel in due]


# ---------------------------------------------------------------- claiming and deciding


def _item_for_moderation(*, actor, item_id: int) -> Item:
    item = Item.objects.filter(pk=item_id).select_related("unit").first()
    if item is None or item.unit_id not in scope.readable_unit_ids(actor=actor):
        raise NotFound("Không tìm thấy nội dung.")
    if item.unit_id not in scope.moderated_unit_ids(actor=actor):
        raise ScopeError("Bạn không có quyền kiểm duyệt nội dung trên địa bàn này.")
    return item


@transaction.atomic
def item_claim(*, actor, item_id: int) -> Item:
    """Lock an item for `actor` for CLAIM_MINUTES. A conditional UPDATE is the lock: of two
    moderators claiming at once, exactly one row update succeeds."""
    item = _item_for_moderation(actor=actor, item_id=item_id)
    if item.state != ItemState.OPEN:
        raise DomainError("Nội dung này không ở trong hàng đợi.", code=ErrorCode.NOT_OPEN)
    now = timezone.now()
    updated = Item.objects.filter(pk=item.pk, state=ItemState.OPEN).filter(
        Q(claimed_by__isnull=True) | Q(claimed_until__lt=now) | Q(claimed_by=actor)
    ).update(claimed_by=actor, claimed_until=now + timedelta(minutes=CLAIM_MINUTES))
    if not updated:
        holder = Item.objects.filter(pk=item.pk).select_related("claimed_by").first()
        raise DomainError(f"{holder.claimed_by} đang xem xét nội dung này.", code=ErrorCode.CLAIMED)
    item.refresh_from_db()
    audit_record(actor=actor, action="monitoring.claim", target=item, after={"until": item.claimed_until.isoformat()})
    return item


@transaction.atomic
def item_release(*, actor, item_id: int) -> Item:
    item = _item_for_moderation(actor=actor, item_id=item_id)
    if Item.objects.filter(pk=item.pk, claimed_by=actor).update(claimed_by=None, claimed_until=None):
        audit_record(actor=actor, action="monitoring.release", target=item)
    item.refresh_from_db()
    return item


@transaction.atomic
def item_decide(*, actor, item_id: int, outcome: str, reason: str, category: str = "",
                also: list[str] | tuple[str, ...] = ()) -> Decision:
    """Record a person's decision. Only the moderator holding the claim may decide; the final
    UPDATE is conditional on that claim, so a second decision can never land. A confirmation
    may name further categories (`also`): one text is often two harms."""
    item = _item_for_moderation(actor=actor, item_id=item_id)
    reason = nfc(reason)
    if outcome not in Outcome.values:
        raise DomainError("Chọn một quyết định.", field="outcome")
    if len(reason) < REASON_MIN:
        raise DomainError("Ghi lý do của quyết định (ít nhất 5 ký tự).", field="reason")
    if len(reason) > 5000:
        raise DomainError("Lý do dài quá 5000 ký tự.", field="reason")
    category_obj = None
    if outcome == Outcome.CONFIRM:
        category_obj = Category.objects.filter(code=category, active=True).first()
        if category_obj is None:
            raise DomainError("Xác nhận vi phạm cần chọn nhóm vi phạm.", field="category")
    elif category:
        category_obj = Category.objects.filter(code=category).first()
    also = list(dict.fromkeys(c for c in also if c and c != category))
    if also and outcome != Outcome.CONFIRM:
        raise DomainError("Chỉ chọn thêm nhóm vi phạm khi xác nhận vi phạm.", field="also")
    if also and Category.objects.filter(code__in=also, active=True).count() != len(also):
        raise DomainError("Có nhóm vi phạm không còn dùng hoặc không tồn tại; chọn lại.", field="also")
    now = timezone.now()
    final = outcome != Outcome.ESCALATE
    updated = Item.objects.filter(pk=item.pk, state=ItemState.OPEN, claimed_by=actor, claimed_until__gt=now).update(
        state=ItemState.DECIDED if final else ItemState.OPEN, claimed_by=None, claimed_until=None,
        decided_at=now if final else None, outcome=outcome if final else "",
        decided_category=category_obj.code if (final and category_obj) else "",
    )
    if not updated:
        raise DomainError("Bạn cần nhận xử lý nội dung này trước khi quyết định (hoặc thời hạn nhận đã hết, "
                          "hoặc người khác đang xem xét).", code=ErrorCode.NOT_CLAIMED)
    decision = Decision.objects.create(item=item, moderator=actor, outcome=outcome, category=category_obj, also=also,
                                       reason=reason, engine_category=item.top_category, engine_score=item.score)
    audit_record(actor=actor, action=f"monitoring.decide.{outcome}", target=item, before={"state": item.state},
                 after={"outcome": outcome, "category": category, "also": also, "reason": reason})
    return decision


# ---------------------------------------------------------------- actions after a decision

LETTERS = {
    ActionKind.REMOVAL: "monitoring/letters/removal.txt",
    ActionKind.REFERRAL: "monitoring/letters/referral.txt",
    ActionKind.NOTIFY_SCHOOL: "monitoring/letters/notify_school.txt",
    ActionKind.HELPLINE: "monitoring/letters/helpline.txt",
}


@transaction.atomic
def action_create(*, actor, item_id: int, kind: str, recipient: str = "", note: str = "") -> Action:
    """Record a follow-up: a removal request letter to the platform, a referral with an
    evidence package, a notice to the school, or a hand-off to the helpline. Only after a
    person confirmed (or, for the school and the helpline, escalated) the item."""
    from . import evidence

    item = _item_for_moderation(actor=actor, item_id=item_id)
    if kind not in ActionKind.values:
        raise DomainError("Chọn việc cần làm.", field="kind")
    last = item.decisions.order_by("-decided_at", "-id").first()
    allowed = {Outcome.CONFIRM} | ({Outcome.ESCALATE} if kind in (ActionKind.NOTIFY_SCHOOL, ActionKind.HELPLINE) else set())
    if last is None or last.outcome not in allowed:
        raise DomainError("Chỉ thực hiện việc này sau khi đã xác nhận vi phạm.", field="kind")
    recipient = nfc(recipient)
    if not recipient:
        recipient = _default_recipient(item, kind)
    if len(recipient) > 300 or len(nfc(note)) > 5000:
        raise DomainError("Nơi nhận hoặc ghi chú quá dài.", field="recipient")
    body = render_to_string(LETTERS[kind], {
        "item": item, "decision": last, "actor": actor, "recipient": recipient, "note": nfc(note),
        "today": timezone.localdate(), "place": getattr(settings, "MONITORING_LETTER_PLACE", "Cát Hải"),
        "area": _area_name(item.unit),
    })
    action = Action(item=item, kind=kind, recipient=recipient, body=body, note=nfc(note), actor=actor,
                    handoff_status="waiting" if kind == ActionKind.HELPLINE else "")
    if kind == ActionKind.REFERRAL:
        package = evidence.build_package(item_ids=[item.pk], actor=actor)
        action.package_sha256 = hashlib.sha256(package).hexdigest()
    action.save()
    if kind == ActionKind.HELPLINE:
        # The hand-off arrives at the helpline directly, as a case.
        from cyberyouth.helpline.services import take_monitoring_handoff

        take_monitoring_handoff(action=action)
        action.handoff_status = "taken"
        action.save(update_fields=["handoff_status"])
    audit_record(actor=actor, action=f"monitoring.action.{kind}", target=item,
                 after={"recipient": recipient, "package_sha256": action.package_sha256})
    return action


def _area_name(unit: Unit) -> str:
    """How a letter names the item's area, mid-sentence ("trên địa bàn đặc khu Cát Hải")."""
    today = timezone.localdate()
    name = org_selectors.name_as_of(unit=org_selectors.administrative_unit_of(unit=unit, on=today), on=today)
    return name[:1].lower() + name[1:]


def _default_recipient(item: Item, kind: str) -> str:
    if kind == ActionKind.REMOVAL:
        platform = item.channel.get_platform_display() if item.channel_id else "nền tảng"
        return f"Bộ phận xử lý nội dung của {platform}"
    if kind == ActionKind.REFERRAL:
        return "Công an đặc khu Cát Hải"
    if kind == ActionKind.NOTIFY_SCHOOL:
        owner = item.channel.owner_unit if item.channel_id and item.channel.owner_unit_id else item.unit
        return str(owner)
    return "Tổng đài tư vấn, hỗ trợ học sinh"


@transaction.atomic
def attachment_add(*, actor, item_id: int, upload) -> Attachment:
    """Keep a file (e.g. a screenshot) with an item, hashed on arrival."""
    item = _item_for_moderation(actor=actor, item_id=item_id)
    return _attach(item=item, upload=upload, actor=actor)


ATTACHMENT_TYPES = (".png", ".jpg", ".jpeg", ".pdf", ".txt")
ATTACHMENT_MAX = 5 * 1024 * 1024


def _attach(*, item: Item, upload, actor) -> Attachment:
    checked = check_upload(upload, allowed=ATTACHMENT_TYPES, max_bytes=ATTACHMENT_MAX)
    attachment = Attachment(item=item, name=checked.name, content_type=checked.content_type, size=checked.size,
                            sha256=checked.sha256, added_by=actor if getattr(actor, "pk", None) else None)
    attachment.file.save(f"{item.pk}-{checked.sha256[:12]}{checked.ext}", upload, save=False)
    attachment.save()
    audit_record(actor=actor, action="monitoring.attach", target=item, after={"name": checked.name, "sha256": checked.sha256})
    return attachment


@transaction.atomic
def queue_access_set(*, actor, unit: Unit, allowed: bool) -> None:
    """Let (or stop letting) a school's focal points read their own school's items."""
    if unit.id not in scope.managed_unit_ids(actor=actor):
        raise ScopeError("Bạn không quản lý đơn vị này.")
    if allowed:
        QueueAccess.objects.get_or_create(unit=unit, defaults={"granted_by": actor})
    else:
        QueueAccess.objects.filter(unit=unit).delete()
    audit_record(actor=actor, action="monitoring.queue_access", target=unit, after={"allowed": allowed})


# ---------------------------------------------------------------- the public report form

def reporter_contacts_expire(*, now=None) -> int:
    """Clear the name and contact left on public reports older than `REPORTER_CONTACT_DAYS`
    (minimum data, Law 91/2025): the report and its item stay. Returns how many were cleared."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.REPORTER_CONTACT_DAYS)
    cleared = (PublicReport.objects.filter(created_at__lt=cutoff)
               .exclude(reporter_name="", reporter_contact="")
               .update(reporter_name="", reporter_contact=""))
    if cleared:
        log.info(
            "cleared reporter contacts on %d public reports older than %d days", cleared,
            settings.REPORTER_CONTACT_DAYS)
    return cleared


REPORT_MAX_TEXT = 5_000
REPORT_MAX_LINK = 1_000
REPORT_PER_CLIENT_PER_HOUR = 5
REPORT_PER_HOUR_ALL = 300
REPORT_MIN_SECONDS = 3           # a person usually takes longer than this to fill the form
REPORT_MAX_FORM_AGE = 24 * 3600  # a form older than this still gives a report, held for screening
_FORM_SALT = "cyberyouth.monitoring.report-form"
_REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base 32: no I, L, O, U


def report_form_token() -> str:
    """A signed, timestamped token put in the form, unique to this form: proves the form came
    from our page and when, and makes one form give one report however often it is sent."""
    return signing.TimestampSigner(salt=_FORM_SALT).sign(f"report:{secrets.token_urlsafe(18)}")


def client_hash(address: str) -> str:
    """A keyed hash of the reporter's address: enough for the rate limit, useless to anyone
    without the server's key."""
    return hmac.new(settings.SECRET_KEY.encode(), f"report:{address}".encode(), hashlib.sha256).hexdigest()


def _new_reference() -> str:
    code = "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(8))
    return f"TG-{code[:4]}-{code[4:]}"


def normalise_reference(text: str) -> str:
    """What a person typed (lower case, spaces, O for 0…) as a stored reference."""
    code = re.sub(r"[^0-9A-Z]", "", (text or "").upper().replace("O", "0").replace("I", "1").replace("L", "1"))
    code = code[2:] if code.startswith("TG") else code
    return f"TG-{code[:4]}-{code[4:8]}" if len(code) == 8 else ""


def _read_form_token(form_token: str) -> tuple[str | None, str]:
    """(nonce, suspicion) from the form token; a bad or stale token is a suspicion, not a refusal."""
    try:
        value = signing.TimestampSigner(salt=_FORM_SALT).unsign(form_token or "", max_age=REPORT_MAX_FORM_AGE)
    except signing.BadSignature:  # SignatureExpired included
        return None, Suspicion.FORM
    if not value.startswith("report:") or len(value) > 80:
        return None, Suspicion.FORM
    nonce = hashlib.sha256(value.encode()).hexdigest()
    return nonce, (Suspicion.TOO_FAST if _token_age(form_token) < REPORT_MIN_SECONDS else Suspicion.NONE)


def report_submit(*, link: str, text: str, unit: Unit | None, client_address: str, form_token: str,
                  honeypot: str = "", reporter_name: str = "", reporter_contact: str = "",
                  upload=None) -> PublicReport:
    """A report from anyone, anonymous or not. Never lost: what trips a bot defence (honeypot,
    a form sent too fast, a stale or foreign form, too many from one sender or from everyone in
    an hour) is kept in the low-priority bin (`ItemState.HELD`) moderators screen. One form
    token gives one report: sending the same form again returns the report already made."""
    link, text = nfc(link), nfc(text)
    if not link and not text:
        raise DomainError("Nhập đường dẫn hoặc nội dung cần báo.", field="text")
    if len(text) > REPORT_MAX_TEXT:
        raise DomainError(f"Nội dung tối đa {REPORT_MAX_TEXT} ký tự.", field="text")
    if link and (len(link) > REPORT_MAX_LINK or not re.match(r"^https?://[^\s/$.?#][^\s]*$", link)):
        raise DomainError("Đường dẫn phải bắt đầu bằng http:// hoặc https:// (tối đa 1000 ký tự).", field="link")
    if len(nfc(reporter_name)) > 150 or len(nfc(reporter_contact)) > 150:
        raise DomainError("Họ tên hoặc thông tin liên hệ quá dài.", field="reporter_name")
    if unit is None or not unit.is_active_on(timezone.localdate()):
        raise DomainError("Chọn địa bàn.", field="unit")
    nonce, suspicion = _read_form_token(form_token)
    if honeypot:
        suspicion = Suspicion.HONEYPOT
    if nonce is not None and (existing := PublicReport.objects.filter(form_nonce=nonce).first()):
        return existing
    try:
        return _report_store(link=link, text=text, unit=unit, who=client_hash(client_address or "unknown"),
                             nonce=nonce, suspicion=suspicion, reporter_name=nfc(reporter_name),
                             reporter_contact=nfc(reporter_contact), upload=upload)
    except IntegrityError:  # the same form sent twice at once: the other request made the report
        existing = PublicReport.objects.filter(form_nonce=nonce).first() if nonce else None
        if existing is None:
            raise
        return existing


@transaction.atomic
def _report_store(*, link, text, unit, who, nonce, suspicion, reporter_name, reporter_contact, upload):
    hour_ago = timezone.now() - timedelta(hours=1)
    if not suspicion and PublicReport.objects.filter(
            client_hash=who, created_at__gte=hour_ago).count() >= REPORT_PER_CLIENT_PER_HOUR:
        suspicion = Suspicion.SENDER_RATE
    if not suspicion and PublicReport.objects.filter(
            created_at__gte=hour_ago, suspicion="").count() >= REPORT_PER_HOUR_ALL:
        suspicion = Suspicion.FLOOD
    entry = {"text": text or link, "url": link, "author": "", "source_url": link}
    item = ingest(channel=None, entries=[entry], source=Source.REPORT, unit=unit, reported=True)[0].item
    if suspicion:
        Item.objects.filter(pk=item.pk).update(state=ItemState.HELD)
        item.state = ItemState.HELD
    report = PublicReport.objects.create(item=item, link=link, reporter_name=reporter_name,
                                         reporter_contact=reporter_contact, client_hash=who, form_nonce=nonce,
                                         reference=_new_reference(), suspicion=suspicion)
    # Files of a sender over the limits are not kept (the report is): they would let a flood fill the disk.
    if upload is not None and suspicion not in {Suspicion.SENDER_RATE, Suspicion.FLOOD, Suspicion.HONEYPOT}:
        _attach(item=item, upload=upload, actor=None)
    return report


def _token_age(token: str) -> float:
    """Seconds since the (already verified) form token was signed."""
    import time

    return time.time() - signing.b62_decode(token.rsplit(":", 2)[1])


def _held_for_moderation(*, actor, item_ids: list[int]) -> list[Item]:
    items = list(Item.objects.filter(pk__in=item_ids[:500], state=ItemState.HELD))
    allowed = scope.moderated_unit_ids(actor=actor)
    if not allowed:
        raise ScopeError("Bạn không có quyền kiểm duyệt nội dung.")
    return [i for i in items if i.unit_id in allowed]


@transaction.atomic
def held_reports_release(*, actor, item_ids: list[int]) -> int:
    """Held reports a moderator judged real: into the review queue like any report."""
    items = _held_for_moderation(actor=actor, item_ids=item_ids)
    released = Item.objects.filter(pk__in=[i.pk for i in items], state=ItemState.HELD).update(state=ItemState.OPEN)
    for item in items:
        audit_record(actor=actor, action="monitoring.held_release", target=item)
    return released


@transaction.atomic
def held_reports_clear(*, actor, item_ids: list[int]) -> int:
    """Held reports a moderator judged junk: dismissed with a recorded decision (kept, not deleted)."""
    items = _held_for_moderation(actor=actor, item_ids=item_ids)
    now = timezone.now()
    cleared = 0
    for item in items:
        if not Item.objects.filter(pk=item.pk, state=ItemState.HELD).update(
                state=ItemState.DECIDED, decided_at=now, outcome=Outcome.DISMISS, claimed_by=None, claimed_until=None):
            continue
        Decision.objects.create(item=item, moderator=actor, outcome=Outcome.DISMISS,
                                reason="Tố giác rác, loại khi sàng lọc.", engine_category=item.top_category,
                                engine_score=item.score)
        audit_record(actor=actor, action="monitoring.held_clear", target=item)
        cleared += 1
    return cleared


# ---------------------------------------------------------------- hand-written imports


def import_rows(*, actor, channel: Channel, filename: str, data: bytes) -> list[IngestResult]:
    """Import hand-collected items from CSV or XLSX (columns: text, url, external_id, author,
    published_at). Every row is checked first; any error rejects the file, listed by row."""
    from . import tabular

    zone = zone_for_channel(channel)
    if zone.id not in scope.moderated_unit_ids(actor=actor) | scope.managed_unit_ids(actor=actor):
        raise ScopeError("Bạn không có quyền nhập nội dung cho kênh này.")
    rows = tabular.read_rows(filename=filename, data=data)
    errors = []
    entries = []
    for number, row in rows:
        try:
            _clean_entry(row, index=number, prefix="row")
        except DomainError as exc:
            errors.append(f"Dòng {number}: {exc.message}")
            continue
        entries.append(row)
    if errors:
        more = f" (và {len(errors) - 20} lỗi khác)" if len(errors) > 20 else ""
        raise DomainError("Tệp có lỗi, chưa nhập dòng nào. " + "; ".join(errors[:20]) + more, field="file")
    if not entries:
        raise DomainError("Tệp không có dòng dữ liệu nào.", field="file")
    with transaction.atomic():
        results = []
        for start in range(0, len(entries), MAX_BATCH):
            results += ingest(channel=channel, entries=entries[start:start + MAX_BATCH], source=Source.IMPORT,
                              actor=actor)
    return results


IMPORT_INLINE_BYTES = 256 * 1024  # a bigger file is imported by the worker, not the web request


def import_request(*, actor, channel: Channel, upload) -> "ImportJob | list[IngestResult]":
    """Import a file now when it is small (the results), or leave it to the worker (the job,
    whose page shows the outcome): a big file never holds a web process."""
    from .tabular import MAX_BYTES

    zone = zone_for_channel(channel)
    if zone.id not in scope.moderated_unit_ids(actor=actor) | scope.managed_unit_ids(actor=actor):
        raise ScopeError("Bạn không có quyền nhập nội dung cho kênh này.")
    name = nfc(getattr(upload, "name", ""))[-200:]
    if not name.lower().endswith((".csv", ".xlsx")):
        raise DomainError("Chỉ nhận tệp .csv hoặc .xlsx.", field="file")
    if upload.size > MAX_BYTES:
        raise DomainError("Tệp tối đa 10 MB.", field="file")
    if upload.size <= IMPORT_INLINE_BYTES:
        return import_rows(actor=actor, channel=channel, filename=name, data=upload.read())
    from .tasks import run_import

    with transaction.atomic():
        job = ImportJob(actor=actor, channel=channel, filename=name)
        job.file.save(f"nhap-{secrets.token_hex(8)}{name[name.rfind('.'):]}", upload, save=True)
        audit_record(actor=actor, action="monitoring.import_request", target=channel,
                     after={"job": job.pk, "file": name, "bytes": upload.size})
        transaction.on_commit(lambda: ImportJob.objects.filter(pk=job.pk).update(
            task_id=str(run_import.enqueue(job.pk).id)[:64]))
    return job


def import_job_run(*, job_id: int) -> "ImportJob":
    """Run a queued import (the worker). The file is deleted afterwards, whatever the outcome."""
    job = ImportJob.objects.select_related("actor", "channel").get(pk=job_id)
    if job.is_finished:
        return job
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING)
    try:
        with job.file.open("rb") as fh:
            data = fh.read()
        results = import_rows(actor=job.actor, channel=job.channel, filename=job.filename, data=data)
    except DomainError as exc:
        status, message = ImportStatus.FAILED, exc.message
    except Exception as exc:  # noqa: BLE001 — the job fails with its reason; the worker stays up
        log.exception("import job %s failed", job.pk)
        status, message = ImportStatus.FAILED, f"Lỗi khi nhập tệp: {exc}"[:2000]
    else:
        new = sum(1 for r in results if not r.duplicate)
        status, message = ImportStatus.DONE, f"Đã nhập {new} nội dung mới, {len(results) - new} trùng."
    job.file.delete(save=False)
    ImportJob.objects.filter(pk=job.pk).update(status=status, message=message, file="", finished_at=timezone.now())
    job.refresh_from_db()
    return job


def import_task_abandoned(sender, *, task_id: str, retried: bool, attempts: int, **kwargs) -> None:
    """The worker importing a file died (cyberyouth.background): the job says so."""
    pending = ImportJob.objects.filter(task_id=task_id[:64]).exclude(
        status__in=[ImportStatus.DONE, ImportStatus.FAILED])
    if retried:
        pending.update(status=ImportStatus.QUEUED, message="Tiến trình nền bị dừng giữa chừng; đang chờ nhập lại.")
    else:
        pending.update(status=ImportStatus.FAILED, finished_at=timezone.now(),
                       message=f"Tiến trình nền bị dừng giữa chừng {attempts} lần khi nhập tệp này. Hãy nhập lại; "
                               "nếu vẫn lỗi, chia tệp nhỏ hơn hoặc báo quản trị hệ thống.")


def as_utc(when: datetime | None) -> str | None:
    return when.astimezone(dt_timezone.utc).isoformat() if when else None
