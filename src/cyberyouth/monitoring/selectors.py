"""Reads of monitoring data, always scoped through `monitoring.scope` (→ orgs.selectors)."""

import statistics
from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from cyberyouth.channels.models import Channel
from cyberyouth.errors import NotFound, ScopeError
from cyberyouth.lib.collation import Vietnamese
from cyberyouth.safety.categories import CATEGORIES as ENGINE_CATEGORIES

from . import scope
from .models import Action, Category, Decision, Item, ItemState, Outcome, QueueAccess

QUEUE_ORDER = ("-severity", "-score", "captured_at", "id")


def require_queue_access(*, actor) -> set[int]:
    """The zones whose items `actor` may read; ScopeError if none (no queue for this person)."""
    ids = scope.readable_unit_ids(actor=actor)
    if not ids:
        raise ScopeError("Bạn không có quyền xem hàng đợi kiểm duyệt.")
    return ids


def held_reports(*, actor, limit: int = 50, offset: int = 0) -> list[Item]:
    """Public reports held by a bot defence, in the actor's moderated zones, newest first."""
    ids = scope.moderated_unit_ids(actor=actor)
    if not ids:
        raise ScopeError("Bạn không có quyền kiểm duyệt nội dung.")
    return list(Item.objects.filter(state=ItemState.HELD, unit_id__in=ids).select_related("public_report", "unit")
                .order_by("-captured_at", "-id")[offset:offset + max(1, min(int(limit), 200))])


def held_count(*, actor) -> int:
    ids = scope.moderated_unit_ids(actor=actor)
    return Item.objects.filter(state=ItemState.HELD, unit_id__in=ids).count() if ids else 0


REPORT_STATUS = {
    "received": "Đã nhận, đang chờ người kiểm duyệt xem xét.",
    "reviewing": "Người kiểm duyệt đang xem xét.",
    "done": "Đã xem xét xong.",
}


def report_status(*, reference: str) -> dict | None:
    """What the sender of a public report may know with its reference code: when it was received
    and where it stands — never who looked at it, what they decided, or anything about others."""
    from django.utils import timezone

    from .models import PublicReport
    from .services import normalise_reference

    code = normalise_reference(reference)
    report = PublicReport.objects.filter(reference=code).select_related("item").first() if code else None
    if report is None:
        return None
    item = report.item
    if item.state == ItemState.DECIDED:
        stage = "done"
    elif item.claimed_until and item.claimed_until > timezone.now() or item.decisions.exists():
        stage = "reviewing"
    else:
        stage = "received"
    return {"reference": report.reference, "received_at": report.created_at, "stage": stage,
            "label": REPORT_STATUS[stage], "decided_at": item.decided_at if stage == "done" else None}


def import_job(*, actor, job_id: int):
    """One's own import job (anyone else's is "not found")."""
    from .models import ImportJob

    job = ImportJob.objects.filter(pk=job_id, actor=actor).select_related("channel").first()
    if job is None:
        raise NotFound("Không tìm thấy lượt nhập tệp.")
    return job


def open_count(*, actor) -> int:
    """Open items in the actor's queue."""
    return Item.objects.filter(state=ItemState.OPEN, unit_id__in=require_queue_access(actor=actor)).count()


def queue(*, actor, limit: int = 50, offset: int = 0, category: str = "", channel_id: int | None = None,
          unit_ids: set[int] | None = None, state: str = ItemState.OPEN, text: str = "",
          since: date | None = None, until: date | None = None) -> list[Item]:
    """Items in review order: severity tier (self-harm and sexual exploitation of minors
    first), then engine score, then age (the longest waiting first). Open ones unless `state`
    says otherwise; `text` is looked for in the content, `since`/`until` bound the capture date
    (local days)."""
    ids = unit_ids if unit_ids is not None else require_queue_access(actor=actor)
    qs = Item.objects.filter(state=state if state in ItemState.values else ItemState.OPEN)
    if text:
        qs = qs.filter(text__icontains=text)
    if since:
        qs = qs.filter(captured_at__date__gte=since)
    if until:
        qs = qs.filter(captured_at__date__lte=until)
    if len(ids) == 1:
        qs = qs.filter(unit_id=next(iter(ids)))
    else:
        qs = qs.filter(unit_id__in=ids)
    if category:
        qs = qs.filter(top_category=category)
    if channel_id:
        qs = qs.filter(channel_id=channel_id)
    limit = max(1, min(int(limit), 200))
    escalated = Exists(Decision.objects.filter(item=OuterRef("pk"), outcome=Outcome.ESCALATE))
    return list(qs.select_related("channel", "claimed_by", "unit").annotate(escalated=escalated)
                .order_by(*QUEUE_ORDER)[offset:offset + limit])


def get_item(*, actor, item_id: int) -> Item:
    item = (Item.objects.filter(pk=item_id).select_related("channel", "unit", "parent", "claimed_by").first())
    if item is None or item.unit_id not in require_queue_access(actor=actor):
        raise NotFound("Không tìm thấy nội dung.")
    return item


def items_for_export(*, actor, item_ids: list[int]) -> list[Item]:
    """Items for an evidence package; every id must be readable by `actor`."""
    readable = require_queue_access(actor=actor)
    items = list(Item.objects.filter(pk__in=item_ids, unit_id__in=readable).select_related("channel", "unit", "parent"))
    missing = sorted(set(item_ids) - {i.pk for i in items})
    if missing:
        raise NotFound(f"Không tìm thấy nội dung: {', '.join(map(str, missing))}.")
    return items


@dataclass
class Segment:
    text: str
    category: str = ""


def highlighted(item: Item) -> list[Segment]:
    """The text cut at the spans that drove the verdict; overlapping spans merge (the first
    category named wins)."""
    text = item.text
    marks: list[str] = [""] * len(text)
    spans = list(item.spans or []) + [{"start": p["start"], "end": p["end"], "category": "personal_data"}
                                      for p in (item.personal_data or [])]
    for span in spans:
        try:
            start, end = max(0, int(span["start"])), min(len(text), int(span["end"]))
        except (KeyError, TypeError, ValueError):
            continue
        for i in range(start, end):
            marks[i] = marks[i] or str(span.get("category") or "flag")
    segments: list[Segment] = []
    for ch, mark in zip(text, marks):
        if segments and segments[-1].category == mark:
            segments[-1].text += ch
        else:
            segments.append(Segment(ch, mark))
    return segments


def history(*, actor, item: Item, limit: int = 10) -> dict:
    """Earlier decisions on the same author and on the same channel (within the actor's scope)."""
    readable = require_queue_access(actor=actor)
    base = Decision.objects.filter(item__unit_id__in=readable).exclude(item=item).select_related(
        "item", "moderator", "category").order_by("-decided_at")
    return {
        "author": list(base.filter(item__author=item.author)[:limit]) if item.author else [],
        "channel": list(base.filter(item__channel=item.channel)[:limit]) if item.channel_id else [],
    }


def categories(*, active_only: bool = True) -> QuerySet[Category]:
    qs = Category.objects.all()
    return qs.filter(active=True) if active_only else qs


def monitored_channels(*, actor) -> list[Channel]:
    """Monitored channels in the actor's zones, with their fetch status."""
    readable = require_queue_access(actor=actor)
    return list(Channel.objects.filter(monitored=True).filter(
        Q(owner_unit_id__in=readable) | Q(watch__zone_unit_id__in=readable)
    ).select_related("owner_unit", "watch__zone_unit").annotate(
        open_items=Count("items", filter=Q(items__state=ItemState.OPEN))).order_by(Vietnamese("name")))


def item_page(*, actor, item_id: int, categories: list[Category]) -> dict:
    """What the item page shows: the item as it is now, its highlighted text, scores and history,
    and what `actor` may do with it (moderate, or holds or waits for a claim)."""
    item = get_item(actor=actor, item_id=item_id)
    names = {c.code: c.name for c in categories}
    segments = highlighted(item)
    for segment in segments:
        segment.label = names.get(segment.category, segment.category)
    now = timezone.now()
    claim_live = bool(item.claimed_by_id and item.claimed_until and item.claimed_until > now)
    holds_claim = claim_live and item.claimed_by_id == actor.pk
    decisions = list(item.decisions.select_related("moderator", "category"))
    for d in decisions:  # the further categories' names, from the list already read
        d.also_names = [names.get(code, code) for code in d.also]
    return {
        "item": item, "segments": segments, "categories": categories,
        "scores": sorted(((k, names.get(k, k), v) for k, v in (item.scores or {}).items()), key=lambda kv: -kv[2]),
        "history": history(actor=actor, item=item),
        "decisions": decisions,
        "actions": item_actions(item=item), "attachments": item.attachments.all(),
        "can_moderate": item.unit_id in scope.moderated_unit_ids(actor=actor),
        "holds_claim": holds_claim, "is_open": item.state == ItemState.OPEN,
        "claimed_by_other": claim_live and not holds_claim,
    }


def item_actions(*, item: Item) -> list[Action]:
    return list(item.actions.select_related("actor"))


def get_action(*, actor, action_id: int) -> Action:
    action = Action.objects.filter(pk=action_id).select_related("item").first()
    if action is None or action.item.unit_id not in require_queue_access(actor=actor):
        raise NotFound("Không tìm thấy văn bản.")
    return action


def queue_access_units(*, actor):
    return QueueAccess.objects.filter(unit_id__in=scope.managed_unit_ids(actor=actor)).select_related("unit")


# ---------------------------------------------------------------- statistics and the learning loop


def _stats_scope(actor) -> set[int]:
    ids = scope.statistics_unit_ids(actor=actor)
    if not ids:
        raise ScopeError("Bạn không có quyền xem thống kê giám sát nội dung.")
    return ids


def statistics_for(*, actor, year: int | None = None, unit_ids: set[int] | None = None) -> dict:
    """Items and confirmed cases by category, channel, unit and month; median time to decision
    (hours). For the yearly report too (pass `year`)."""
    ids = unit_ids if unit_ids is not None else _stats_scope(actor)
    items = Item.objects.filter(unit_id__in=ids)
    if year:
        items = items.filter(captured_at__year=year)
    confirmed = Q(outcome=Outcome.CONFIRM)
    by_category = list(items.exclude(top_category="").values("top_category").annotate(
        items=Count("id"), queued=Count("id", filter=~Q(state=ItemState.BELOW)), confirmed=Count("id", filter=confirmed)
    ).order_by("-confirmed", "-items"))
    confirmed_by_category = _confirmed_by_category(items.filter(confirmed))
    by_channel = list(items.values("channel__name").annotate(items=Count("id"), confirmed=Count("id", filter=confirmed))
                      .order_by("-confirmed", "-items")[:20])
    by_unit = list(items.values("unit__name").annotate(items=Count("id"), confirmed=Count("id", filter=confirmed))
                   .order_by("-confirmed", "-items"))
    by_month = list(items.annotate(month=TruncMonth("captured_at")).values("month").annotate(
        items=Count("id"), queued=Count("id", filter=~Q(state=ItemState.BELOW)), confirmed=Count("id", filter=confirmed)
    ).order_by("month"))
    durations = [
        (decided - captured).total_seconds() / 3600
        for captured, decided in items.filter(decided_at__isnull=False).values_list("captured_at", "decided_at")[:50000]
    ]
    names = dict(Category.objects.values_list("code", "name"))
    for row in by_category:
        row["name"] = names.get(row["top_category"], row["top_category"])
    for row in confirmed_by_category:
        row["name"] = names.get(row["code"], row["code"])
    return {
        "total": items.count(),
        "open": items.filter(state=ItemState.OPEN).count(),
        "decided": items.filter(state=ItemState.DECIDED).count(),
        "confirmed": items.filter(confirmed).count(),
        "by_category": by_category, "confirmed_by_category": confirmed_by_category,
        "by_channel": by_channel, "by_unit": by_unit, "by_month": by_month,
        "median_hours_to_decision": round(statistics.median(durations), 1) if durations else None,
    }


def _confirmed_by_category(confirmed_items: QuerySet[Item]) -> list[dict]:
    """Confirmed cases per category: `n` confirmed under it (the decision's category: the rows add
    up to the cases), `also` confirmed under another that the moderator said this one too (a threat
    to a classmate: violence, and harassment too). Only a confirmation is final, one per item."""
    main = Counter(dict(confirmed_items.values_list("decided_category").annotate(n=Count("id"))))
    also: Counter = Counter(
        code for item_also in Decision.objects.filter(item__in=confirmed_items, outcome=Outcome.CONFIRM)
        .exclude(also=[]).values_list("also", flat=True) for code in item_also)
    rows = [{"code": code, "n": main[code], "also": also[code]} for code in main.keys() | also.keys()]
    return sorted(rows, key=lambda r: (-r["n"], -r["also"], r["code"]))


def report_statistics(*, actor, year: int, unit_ids: set[int]) -> dict | None:
    """`statistics_for` over the units a report covers, limited to what `actor` may see of
    monitoring; None when the actor sees no monitoring at all (the report then says nothing)."""
    allowed = scope.statistics_unit_ids(actor=actor)
    if not allowed:
        return None
    return statistics_for(actor=actor, year=year, unit_ids=set(unit_ids) & allowed)


def engine_precision(*, actor, unit_ids: set[int] | None = None) -> list[dict]:
    """The engine's precision against moderators' final decisions, by month and category: of the
    items it queued under category C that people decided, the share they confirmed (any category)
    and the share confirmed as C itself (as the decision's category or one it also names)."""
    ids = unit_ids if unit_ids is not None else _stats_scope(actor)
    rows = (Decision.objects.filter(item__unit_id__in=ids, outcome__in=[Outcome.CONFIRM, Outcome.DISMISS])
            .exclude(engine_category="")
            .annotate(month=TruncMonth("decided_at"))
            .values("month", "engine_category")
            .annotate(decided=Count("id"), confirmed=Count("id", filter=Q(outcome=Outcome.CONFIRM)),
                      same=Count("id", filter=Q(outcome=Outcome.CONFIRM, category__code=F("engine_category"))))
            .order_by("-month", "engine_category"))
    # A confirmation naming the engine's category among its further ones (`also`) agrees with the
    # engine too; JSON containment is not portable to SQLite, and such decisions are few.
    also_same: Counter = Counter(
        (month, engine) for month, engine, also in
        Decision.objects.filter(item__unit_id__in=ids, outcome=Outcome.CONFIRM).exclude(engine_category="")
        .exclude(category__code=F("engine_category")).exclude(also=[])
        .annotate(month=TruncMonth("decided_at")).values_list("month", "engine_category", "also")
        if engine in also)
    names = dict(Category.objects.values_list("code", "name"))
    out = []
    for r in rows:
        r["same"] += also_same[(r["month"], r["engine_category"])]
        r["name"] = names.get(r["engine_category"], r["engine_category"])
        r["precision"] = round(r["confirmed"] / r["decided"], 3) if r["decided"] else None
        r["precision_same"] = round(r["same"] / r["decided"], 3) if r["decided"] else None
        out.append(r)
    return out


# Which confirmed categories are toxic *language* for the engine's CLEAN/OFFENSIVE/HATE model.
# Scams, betting, drugs, personal data and self-harm are not a matter of wording: they are
# left out of that scheme rather than taught to the model as "offensive".
TOXICITY_LABEL = {"hate": "HATE", "harassment": "OFFENSIVE", "offensive": "OFFENSIVE", "violence": "OFFENSIVE",
                  "sexual": "OFFENSIVE"}


# The columns `export-decisions` writes per scheme: what `cyberyouth safety train --data` and
# `cyberyouth safety train-categories --data` read.
DECISION_COLUMNS = {"toxicity": ("text", "label"), "category": ("text", "labels", "partial")}


def labelled_decisions(*, since: date | None = None, until: date | None = None,
                       scheme: str = "toxicity") -> list[tuple[str, ...]]:
    """Rows (DECISION_COLUMNS[scheme]) for every item's latest final decision made from `since`
    and before `until` — the moderators' labels for training the engine. scheme "toxicity"
    (what `cyberyouth safety train` reads): dismissed → CLEAN, confirmed hate → HATE, confirmed
    harassment/offensive/violence/sexual → OFFENSIVE (a confirmation's further categories count
    too), other categories left out. scheme "category" (what `cyberyouth safety
    train-categories` reads): dismissed → no category in any (a false alarm of the engine: the
    most telling negative); a confirmation → the engine's categories it names (its category and
    those it also names), marked partial (the others were not judged: no negative for them);
    hate, offensive language and the operator's own categories left out (not the category
    model's). Not scoped: it is the operator's command line, not a page."""
    latest: dict[int, tuple[str, str, list[str]]] = {}
    qs = Decision.objects.filter(outcome__in=[Outcome.CONFIRM, Outcome.DISMISS]).select_related("item", "category")
    if since:
        qs = qs.filter(decided_at__date__gte=since)
    if until:
        qs = qs.filter(decided_at__date__lt=until)
    for d in qs.order_by("decided_at", "id").iterator(chunk_size=2000):
        code = d.category.code if d.outcome == Outcome.CONFIRM and d.category_id else "clean"
        latest[d.item_id] = (d.item.text, code, list(d.also) if code != "clean" else [])
    out: list[tuple[str, ...]] = []
    for text, code, also in latest.values():
        if scheme == "category":
            if code == "clean":
                out.append((text, "-", "0"))
            elif labels := [c for c in ENGINE_CATEGORIES if c == code or c in also]:
                out.append((text, ",".join(labels), "1"))
            continue
        named = {TOXICITY_LABEL.get(c) for c in (code, *also)}
        label = "CLEAN" if code == "clean" else "HATE" if "HATE" in named else "OFFENSIVE" if "OFFENSIVE" in named else None
        if label:
            out.append((text, label))
    return out


def search(*, actor, text: str) -> list[tuple[str, list]]:
    """The shell's search over the monitored items the actor may read (the moderation queue's scope)."""
    from django.urls import reverse

    from cyberyouth.lib.search import LIMIT, SearchHit
    from cyberyouth.lib.text import nfc

    readable = scope.readable_unit_ids(actor=actor)
    text = nfc(text)
    if not readable or not text:
        return []
    qs = Item.objects.filter(unit_id__in=readable).select_related("channel")
    qs = qs.filter(pk=int(text)) if text.isdigit() else qs.filter(text__icontains=text)
    hits = [SearchHit(f"#{i.pk} {i.text[:120]}", reverse("monitoring:item", args=[i.pk]),
                      f"{i.channel.name if i.channel else 'Tố giác'} — {i.get_state_display()}")
            for i in qs.order_by("-captured_at")[:LIMIT]]
    return [("Nội dung giám sát", hits)]
