from datetime import date, datetime, timedelta
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.utils import timezone

from cyberyouth.audit.services import audit_record
from cyberyouth.channels.models import Channel, ChannelStatus, Platform
from cyberyouth.errors import DomainError, ErrorCode, NotFound
from cyberyouth.lib.text import nfc
from cyberyouth.orgs import selectors as org_selectors
from cyberyouth.orgs.models import Unit

from . import calendar as days_calendar
from . import classifier, facts
from .models import Campaign, CommemorativeDay, DayKind, Post, PostKind, PostSource

VN = ZoneInfo("Asia/Ho_Chi_Minh")
MAX_TEXT = 20000
MAX_MATERIALS = 30
# platform hosts shared by many channels: a post's link must lie under the channel's own address
SHARED_HOSTS = {"facebook.com", "tiktok.com", "zalo.me"}


def _text(value: str, *, field: str, label: str, max_length: int, required: bool = True) -> str:
    value = nfc(value or "").strip()
    if required and not value:
        raise DomainError(f"Ghi {label}.", field=field)
    if len(value) > max_length:
        raise DomainError(f"{label.capitalize()} quá dài (tối đa {max_length} ký tự).", field=field,
                          code=ErrorCode.TOO_LONG)
    return value


# ---------------------------------------------------------------- the calendar of days


@transaction.atomic
def day_create(*, actor, name: str, kind: str, month: int, day: int, origin_year: int | None = None,
               major: bool = False, basis: str = "", unit: Unit | None = None) -> CommemorativeDay:
    """Add a day. A unit's own day (a school's founding day) needs `campaign.post` on the unit;
    a day for everyone needs `campaign.manage`."""
    if unit is not None:
        org_selectors.require(actor=actor, capability="campaign.post", unit=unit, read="campaign.read")
    else:
        org_selectors.require(actor=actor, capability="campaign.manage")
    name = _text(name, field="name", label="tên ngày", max_length=200)
    basis = _text(basis, field="basis", label="căn cứ", max_length=300, required=False)
    if kind not in DayKind.values:
        raise DomainError("Chọn dương lịch hoặc âm lịch.", field="kind")
    if not 1 <= month <= 12:
        raise DomainError("Tháng phải từ 1 đến 12.", field="month", code=ErrorCode.OUT_OF_RANGE)
    longest = 30 if kind == DayKind.LUNAR else (date(2024, month % 12 + 1, 1) - timedelta(days=1)).day if month < 12 else 31
    if not 1 <= day <= longest:
        raise DomainError(f"Tháng {month} {'âm lịch ' if kind == DayKind.LUNAR else ''}không có ngày {day}.",
                          field="day", code=ErrorCode.OUT_OF_RANGE)
    if origin_year is not None and not 1000 <= origin_year <= timezone.localdate().year:
        raise DomainError("Năm diễn ra sự kiện không hợp lệ.", field="origin_year", code=ErrorCode.OUT_OF_RANGE)
    row = CommemorativeDay.objects.create(name=name, kind=kind, month=month, day=day, origin_year=origin_year,
                                          major=major and unit is None, basis=basis, unit=unit)
    audit_record(actor=actor, action="campaigns.day_create", target=row, unit=unit,
                 after={"name": name, "kind": kind, "month": month, "day": day, "origin_year": origin_year})
    return row


@transaction.atomic
def day_remove(*, actor, day_id: int) -> None:
    row = CommemorativeDay.objects.filter(pk=day_id).select_related("unit").first()
    if row is None:
        raise NotFound("Không tìm thấy ngày này.")
    if row.unit_id:
        org_selectors.require(actor=actor, capability="campaign.post", unit=row.unit, read="campaign.read")
    else:
        org_selectors.require(actor=actor, capability="campaign.manage")
    audit_record(actor=actor, action="campaigns.day_remove", target=row, unit=row.unit_id,
                 before={"name": row.name, "month": row.month, "day": row.day})
    Campaign.objects.filter(day=row).update(day=None)
    row.delete()


def load_default_days() -> int:
    """The starting calendar (idempotent; used by the data migration and the demo)."""
    made = 0
    for name, kind, month, day, origin, major in days_calendar.DEFAULT_DAYS:
        _, created = CommemorativeDay.objects.get_or_create(
            name=name, unit=None, defaults={"kind": kind, "month": month, "day": day, "origin_year": origin,
                                            "major": major, "basis": "Nghị định 145/2013/NĐ-CP, Điều 4" if major else ""})
        made += created
    return made


# ---------------------------------------------------------------- campaigns and peak weeks


def _materials(materials) -> list[dict]:
    out = []
    for item in materials or []:
        title = _text(item.get("title", ""), field="materials", label="tên tài liệu", max_length=300)
        url = (item.get("url") or "").strip()
        if not url.startswith(("https://", "http://")) or len(url) > 1000 or any(c.isspace() for c in url):
            raise DomainError(f"Liên kết tài liệu “{title}” không hợp lệ (phải bắt đầu bằng https://).",
                              field="materials")
        out.append({"title": title, "url": url})
    if len(out) > MAX_MATERIALS:
        raise DomainError(f"Tối đa {MAX_MATERIALS} tài liệu.", field="materials")
    return out


@transaction.atomic
def campaign_create(*, actor, title: str, owner_unit: Unit, start: date, end: date, theme: str = "",
                    peak_week: bool = False, target_units=(), materials=(), day: CommemorativeDay | None = None
                    ) -> Campaign:
    org_selectors.require(actor=actor, capability="campaign.manage", unit=owner_unit, read="campaign.read")
    title = _text(title, field="title", label="tên chiến dịch", max_length=300)
    theme = _text(theme, field="theme", label="chủ đề", max_length=5000, required=False)
    if end < start:
        raise DomainError("Ngày kết thúc phải sau ngày bắt đầu.", field="end")
    if (end - start).days > 366:
        raise DomainError("Một chiến dịch dài tối đa một năm.", field="end", code=ErrorCode.OUT_OF_RANGE)
    targets = list(target_units) or [owner_unit]
    allowed = org_selectors.unit_ids(actor=actor, capability="campaign.manage", history=False)
    if any(u.id not in allowed for u in targets):
        raise DomainError("Chỉ chọn đơn vị tham gia trong phạm vi quản lý của bạn.", field="target_units")
    campaign = Campaign.objects.create(title=title, theme=theme, start=start, end=end, peak_week=peak_week,
                                       owner_unit=owner_unit, materials=_materials(materials), day=day,
                                       created_by=actor)
    campaign.target_units.set(targets)
    audit_record(actor=actor, action="campaigns.campaign_create", target=campaign, unit=owner_unit,
                 after={"title": title, "start": start.isoformat(), "end": end.isoformat(), "peak_week": peak_week,
                        "target_units": sorted(u.code for u in targets)})
    return campaign


def peak_week_of(on: date) -> tuple[date, date]:
    """The Mon–Sun week (Asia/Ho_Chi_Minh) holding the day."""
    monday = on - timedelta(days=on.weekday())
    return monday, monday + timedelta(days=6)


def campaign_from_day(*, actor, day_id: int, year: int, owner_unit: Unit) -> Campaign:
    """One click: the peak week of a day of the calendar in `year`, for the owner's subtree."""
    row = CommemorativeDay.objects.filter(pk=day_id, unit__isnull=True).first()
    if row is None:
        raise NotFound("Không tìm thấy ngày này.")
    if not 2000 <= year <= 2100:
        raise DomainError("Năm nằm ngoài phạm vi lịch (2000–2100).", field="year", code=ErrorCode.OUT_OF_RANGE)
    occurrence = next(iter(days_calendar.occurrences([row], year=year)), None)
    if occurrence is None:
        raise DomainError(f"Ngày này không có trong năm {year}.", field="year")
    start, end = peak_week_of(occurrence.on)
    return campaign_create(actor=actor, title=f"Tuần cao điểm chào mừng {occurrence.label} ({year})",
                           owner_unit=owner_unit, start=start, end=end, peak_week=True, day=row,
                           theme=f"Đăng tải đồng loạt tin tốt, câu chuyện đẹp chào mừng {occurrence.label}.")


# ---------------------------------------------------------------- the posts ledger


def url_key(url: str) -> str:
    """The link as compared for duplicates: scheme and www./m. ignored, host lower-case, no
    fragment, no tracking parameters, no trailing slash."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    for prefix in ("www.", "m.", "mobile.", "web."):
        host = host.removeprefix(prefix)
    query = urlencode(sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                             if not k.lower().startswith("utm_") and k.lower() not in {"fbclid", "gclid", "si"}))
    return urlunsplit(("", host, parts.path.rstrip("/"), query, ""))[2:][:1000]


def belongs_to_channel(url: str, channel: Channel) -> bool:
    """Whether a post's link lies on `channel`: the same site, and under the channel's own
    address on platforms many channels share (facebook.com/trang-cua-truong/...)."""
    post, home = url_key(url), url_key(channel.address)
    post_host, home_host = post.split("/", 1)[0], home.split("/", 1)[0]
    if channel.platform == Platform.YOUTUBE:
        return post_host in {"youtube.com", "youtu.be"}
    if post_host != home_host:
        return False
    if home_host in SHARED_HOSTS and "/" in home:
        path = home.split("/", 1)[1].split("?")[0].lower()
        rest = post.split("/", 1)[1].lower() if "/" in post else ""
        return rest == path or rest.startswith(path + "/") or f"id={path}" in rest
    return True


def _local_day(moment: datetime) -> date:
    return timezone.localtime(moment, VN).date()


def _count(value, field: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise DomainError(f"Số “{field}” phải là số nguyên không âm.", field=field) from None
    if not 0 <= number <= 10**12:
        raise DomainError(f"Số “{field}” phải là số nguyên không âm.", field=field, code=ErrorCode.OUT_OF_RANGE)
    return number


def _suggest(post: Post) -> None:
    model = classifier.train(list(Post.objects.filter(unit_id=post.unit_id).exclude(kind=PostKind.UNMARKED)
                                  .exclude(pk=post.pk).values_list("text", "kind")[:5000]))
    found = model.suggest(post.text) if model else None
    post.suggested_kind, post.suggested_confidence = (found if found else ("", None))


def record_post(*, channel: Channel, url: str, posted_at: datetime, source: str, text: str = "",
                views=None, reactions=None, shares=None) -> tuple[Post, bool]:
    """THE way a post enters the ledger (every source goes through it): checks, dedup, suggestion.
    Returns (post, created); the same post arriving again is the existing row, counted once."""
    if channel.owner_unit_id is None or not channel.is_official:
        raise DomainError("Kênh này không phải kênh chính thức của một đơn vị.", field="channel")
    url = (url or "").strip()
    if not url.startswith(("https://", "http://")) or len(url) > 1000 or any(c.isspace() for c in url):
        raise DomainError("Liên kết bài đăng không hợp lệ (phải bắt đầu bằng https://).", field="url")
    if not belongs_to_channel(url, channel):
        raise DomainError(f"Liên kết này không thuộc kênh “{channel.name}” của đơn vị.", field="url")
    if not isinstance(posted_at, datetime):
        raise DomainError("Thời điểm đăng phải là ngày giờ.", field="posted_at")
    if timezone.is_naive(posted_at):
        posted_at = posted_at.replace(tzinfo=VN)
    if posted_at > timezone.now() + timedelta(minutes=10):
        raise DomainError("Thời điểm đăng ở tương lai.", field="posted_at")
    key = url_key(url)
    existing = Post.objects.filter(channel=channel, url_key=key).first()
    if existing:
        return existing, False
    post = Post(channel=channel, unit_id=channel.owner_unit_id, posted_at=posted_at, day=_local_day(posted_at),
                url=url, url_key=key, text=_text(text, field="text", label="nội dung", max_length=MAX_TEXT,
                                                 required=False),
                views=_count(views, "lượt xem"), reactions=_count(reactions, "lượt thích"),
                shares=_count(shares, "lượt chia sẻ"), source=source)
    _suggest(post)
    try:
        with transaction.atomic():
            post.save()
    except IntegrityError:  # the same post arrived meanwhile
        return Post.objects.get(channel=channel, url_key=key), False
    facts.refresh(unit_id=post.unit_id, year=post.day.year)
    return post, True


def _own_channel(*, actor, channel_id: int) -> Channel:
    channel = Channel.objects.filter(pk=channel_id, owner_unit__isnull=False).select_related("owner_unit").first()
    if channel is None:
        raise NotFound("Không tìm thấy kênh.")
    org_selectors.require(actor=actor, capability="campaign.post", unit=channel.owner_unit, read="campaign.read")
    return channel


@transaction.atomic
def post_add(*, actor, channel_id: int, url: str, posted_at: datetime, text: str = "", views=None, reactions=None,
             shares=None, source: str = PostSource.LINK) -> tuple[Post, bool]:
    """A focal point pastes a link (or a client pushes a post): the unit's own channel only."""
    channel = _own_channel(actor=actor, channel_id=channel_id)
    post, created = record_post(channel=channel, url=url, posted_at=posted_at, source=source, text=text,
                                views=views, reactions=reactions, shares=shares)
    if created:
        audit_record(actor=actor, action="campaigns.post_add", target=post, unit=post.unit_id,
                     after={"url": post.url, "posted_at": post.posted_at.isoformat(), "source": source})
    return post, created


@transaction.atomic
def post_mark(*, actor, post_id: int, kind: str) -> Post:
    """The unit's person decides what the post is (the suggestion is only a suggestion)."""
    post = Post.objects.select_for_update().filter(pk=post_id).select_related("unit").first()
    if post is None:
        raise NotFound("Không tìm thấy bài đăng.")
    org_selectors.require(actor=actor, capability="campaign.post", unit=post.unit, read="campaign.read")
    if kind not in PostKind.values:
        raise DomainError("Chọn tin tốt, câu chuyện đẹp hoặc không thuộc hai loại.", field="kind")
    before = post.kind
    post.kind, post.marked_by, post.marked_at = kind, (actor if kind else None), (timezone.now() if kind else None)
    post.save(update_fields=["kind", "marked_by", "marked_at"])
    facts.refresh(unit_id=post.unit_id, year=post.day.year)
    audit_record(actor=actor, action="campaigns.post_mark", target=post, unit=post.unit_id,
                 before={"kind": before}, after={"kind": kind})
    return post


def record_entries(*, channel: Channel, entries: list[dict]) -> tuple[int, int]:
    """The entries a connector of `monitoring` fetched from an institution's official channel
    (monitoring's poller hands them over): each top-level entry with a link and a time becomes a
    post; returns (new posts, duplicates). Entries without a link or time, or whose link is not
    the channel's, are skipped — a feed that returns garbage adds nothing."""
    if channel.owner_unit_id is None or not channel.is_official or channel.status != ChannelStatus.ACTIVE:
        return 0, 0
    created = duplicates = 0
    for entry in entries:
        if entry.get("parent_external_id") or not entry.get("url") or not isinstance(entry.get("published_at"), datetime):
            continue
        try:
            with transaction.atomic():
                _, new = record_post(channel=channel, url=entry["url"], posted_at=entry["published_at"],
                                     source=PostSource.CONNECTOR, text=entry.get("text", ""))
        except DomainError:
            continue
        created += new
        duplicates += not new
    return created, duplicates


XLSX_MAX_BYTES = 5 * 1024 * 1024
XLSX_MAX_ROWS = 5000
XLSX_COLUMNS = ("Địa chỉ kênh", "Liên kết bài đăng", "Thời điểm đăng", "Nội dung", "Lượt xem", "Lượt thích",
                "Lượt chia sẻ")


@transaction.atomic
def posts_import_xlsx(*, actor, upload) -> tuple[int, int]:
    """An XLSX of posts (one row each, a header row; columns `XLSX_COLUMNS`) on the actor's own
    channels. All or nothing: every row is checked first and the errors are given by row; the
    time must be a real date cell (a date typed as text is refused). Returns (new, duplicates)."""
    from cyberyouth.uploads import CellBudget, bounded_rows, check_upload, open_workbook

    check_upload(upload, allowed=(".xlsx",), max_bytes=XLSX_MAX_BYTES)
    upload.seek(0)
    workbook = open_workbook(upload.read())
    ids = org_selectors.unit_ids(actor=actor, capability="campaign.post", history=False)
    channels = {url_key(c.address): c for c in Channel.objects.filter(owner_unit_id__in=ids, is_official=True)}
    rows, errors = [], []
    for number, values in bounded_rows(workbook.worksheets[0], max_rows=XLSX_MAX_ROWS, max_cols=len(XLSX_COLUMNS),
                                       budget=CellBudget(), min_row=2):
        values = tuple(values) + (None,) * (len(XLSX_COLUMNS) - len(values))
        if all(v in (None, "") for v in values):
            continue
        address, url, when, text, views, reactions, shares = values
        channel = channels.get(url_key(str(address or "")))
        if channel is None:
            errors.append(f"Dòng {number}: “{address or ''}” không phải kênh chính thức của đơn vị bạn.")
            continue
        if not isinstance(when, datetime):
            errors.append(f"Dòng {number}: cột “Thời điểm đăng” phải là ô ngày giờ của Excel, không phải chữ.")
            continue
        rows.append((number, channel, str(url or ""), when, str(text or ""), views, reactions, shares))
    if not rows and not errors:
        raise DomainError("Tệp không có dòng dữ liệu nào.", field="file")
    created = duplicates = 0
    results = []
    for number, channel, url, when, text, views, reactions, shares in rows:
        try:
            with transaction.atomic():
                post, new = record_post(channel=channel, url=url, posted_at=when, source=PostSource.XLSX, text=text,
                                        views=views, reactions=reactions, shares=shares)
        except DomainError as error:
            errors.append(f"Dòng {number}: {error.message}")
            continue
        results.append(post)
        created += new
        duplicates += not new
    if errors:
        transaction.set_rollback(True)
        more = f" (và {len(errors) - 20} lỗi khác)" if len(errors) > 20 else ""
        raise DomainError("Không nhập tệp nào vì có lỗi — " + " ".join(errors[:20]) + more, field="file")
    audit_record(actor=actor, action="campaigns.posts_import", target=results[0], unit=results[0].unit_id,
                 after={"created": created, "duplicates": duplicates, "file": getattr(upload, "name", "")})
    return created, duplicates


# ---------------------------------------------------------------- commendations (task 3d)

PROGRAMME_FIRST_YEAR = 2022  # Decision 311/QĐ-TTg, 2022–2030


def _proposer_unit(*, actor, unit: Unit) -> Unit:
    """The unit in whose name the actor proposes: of the units they answer for with
    `commendation.propose`, the closest one above `unit` (a school for itself, the standing
    agency's zone for the others)."""
    best = None
    for own in Unit.objects.filter(id__in=org_selectors.own_unit_ids(actor=actor, capability="commendation.propose")):
        below = org_selectors.subtree_ids(unit_ids={own.id}, history=False)
        if unit.id in below and (best is None or len(below) < best[0]):
            best = (len(below), own)
    if best is None:  # a superuser holds no role: the unit proposes for itself
        return unit
    return best[1]


def _commendation_for_update(commendation_id: int):
    from .models import Commendation

    found = Commendation.objects.select_for_update().filter(pk=commendation_id).select_related("unit").first()
    if found is None:
        raise NotFound("Không tìm thấy đề nghị khen thưởng.")
    return found


def _grounds(*, unit: Unit, year: int) -> dict:
    from . import selectors

    grounds = selectors.grounds_of(unit=unit, year=year)
    if grounds is None or not grounds["days_expected"]:
        raise DomainError(f"{unit.name} không có kênh chính thức hoặc chưa có ngày nào trong năm {year}: "
                          "chưa có số liệu làm căn cứ khen thưởng.", field="unit")
    if not grounds["good_days"] and not grounds["story_weeks"]:
        raise DomainError(f"{unit.name} chưa đăng tin tốt hay câu chuyện đẹp nào trong năm {year}: chưa có thành "
                          "tích để đề nghị khen thưởng.", field="unit")
    return grounds


@transaction.atomic
def commendation_propose(*, actor, unit: Unit, year: int, kind: str, achievements: str, person_name: str = "",
                         person_position: str = ""):
    """Propose to praise `unit` (kind "collective") or a person of it (kind "person") for the
    campaign in `year`; the unit's figures are computed now and frozen as the grounds."""
    from cyberyouth.lib.text import fold

    from . import selectors
    from .models import Commendation, CommendationStatus, NomineeKind

    org_selectors.require(actor=actor, capability="commendation.propose", unit=unit, read="campaign.read")
    today = org_selectors.today()
    if not PROGRAMME_FIRST_YEAR <= year <= today.year:
        raise DomainError(f"Năm thành tích phải từ {PROGRAMME_FIRST_YEAR} đến {today.year}.", field="year",
                          code=ErrorCode.OUT_OF_RANGE)
    if kind not in NomineeKind.values:
        raise DomainError("Chọn khen tập thể hay cá nhân.", field="kind")
    achievements = _text(achievements, field="achievements", label="thành tích", max_length=5000)
    if len(achievements) < 20:
        raise DomainError("Ghi rõ thành tích (ít nhất một câu).", field="achievements")
    if kind == NomineeKind.PERSON:
        person_name = _text(person_name, field="person_name", label="họ và tên", max_length=200)
        if len(person_name.split()) < 2:
            raise DomainError("Ghi đủ họ và tên.", field="person_name")
        person_position = _text(person_position, field="person_position", label="chức vụ", max_length=200,
                                required=False)
    else:
        person_name = person_position = ""
    key = fold(person_name)
    if Commendation.objects.filter(year=year, unit=unit, kind=kind, person_key=key, status__in=[
            CommendationStatus.PROPOSED, CommendationStatus.RETURNED, CommendationStatus.APPROVED]).exists():
        who = person_name or unit.name
        raise DomainError(f"Đã có đề nghị khen thưởng {who} năm {year} (không đề nghị hai lần).", field="unit",
                          code=ErrorCode.DUPLICATE)
    grounds = _grounds(unit=unit, year=year)
    row = Commendation.objects.create(
        year=year, kind=kind, unit=unit, person_name=person_name, person_key=key, person_position=person_position,
        achievements=achievements, grounds=grounds, meets_criteria=selectors.meets(grounds),
        proposer_unit=_proposer_unit(actor=actor, unit=unit), proposed_by=actor, proposed_at=timezone.now())
    audit_record(actor=actor, action="campaigns.commendation_propose", target=row, unit=unit,
                 after={"year": year, "kind": kind, "grounds": grounds})
    return row


@transaction.atomic
def commendation_return(*, actor, commendation_id: int, reason: str):
    """The approver sends a proposal back with a reason; its proposer is told (bell and e-mail)."""
    from cyberyouth.notifications.models import Kind
    from cyberyouth.notifications.services import notify

    from .models import CommendationStatus

    row = _commendation_for_update(commendation_id)
    org_selectors.require(actor=actor, capability="commendation.approve", unit=row.unit, read="campaign.read")
    if row.status != CommendationStatus.PROPOSED:
        raise DomainError("Chỉ trả lại đề nghị đang chờ duyệt.", field="status", code=ErrorCode.CONFLICT)
    if row.proposed_by_id == actor.pk:
        raise DomainError("Người đề nghị không tự duyệt hay trả lại đề nghị của mình.", field="status")
    reason = _text(reason, field="reason", label="lý do trả lại", max_length=2000)
    if len(reason) < 10:
        raise DomainError("Ghi rõ lý do trả lại để người đề nghị sửa.", field="reason")
    row.status, row.return_reason = CommendationStatus.RETURNED, reason
    row.decided_by, row.decided_at = actor, timezone.now()
    row.save(update_fields=["status", "return_reason", "decided_by", "decided_at"])
    audit_record(actor=actor, action="campaigns.commendation_return", target=row, unit=row.unit_id,
                 before={"status": CommendationStatus.PROPOSED}, after={"status": row.status}, note=reason)
    notify(recipients=[row.proposed_by], kind=Kind.OTHER, unit=row.unit, exclude=actor,
           title=f"Đề nghị khen thưởng {row.nominee} bị trả lại",
           body=f"Lý do: {reason}", link=f"/chien-dich/khen-thuong/{row.pk}/")
    return row


@transaction.atomic
def commendation_resubmit(*, actor, commendation_id: int, achievements: str):
    """The proposer corrects a returned proposal and sends it again; the figures are computed
    again and frozen anew."""
    from . import selectors
    from .models import CommendationStatus

    row = _commendation_for_update(commendation_id)
    org_selectors.require(actor=actor, capability="commendation.propose", unit=row.unit, read="campaign.read")
    if row.status != CommendationStatus.RETURNED:
        raise DomainError("Chỉ gửi lại đề nghị đã bị trả lại.", field="status", code=ErrorCode.CONFLICT)
    achievements = _text(achievements, field="achievements", label="thành tích", max_length=5000)
    if len(achievements) < 20:
        raise DomainError("Ghi rõ thành tích (ít nhất một câu).", field="achievements")
    before = {"achievements": row.achievements, "grounds": row.grounds}
    row.achievements, row.grounds = achievements, _grounds(unit=row.unit, year=row.year)
    row.meets_criteria = selectors.meets(row.grounds)
    row.status, row.proposed_by, row.proposed_at = CommendationStatus.PROPOSED, actor, timezone.now()
    row.save()
    audit_record(actor=actor, action="campaigns.commendation_resubmit", target=row, unit=row.unit_id,
                 before=before, after={"achievements": achievements, "grounds": row.grounds})
    return row


@transaction.atomic
def commendation_withdraw(*, actor, commendation_id: int):
    from .models import CommendationStatus

    row = _commendation_for_update(commendation_id)
    org_selectors.require(actor=actor, capability="commendation.propose", unit=row.unit, read="campaign.read")
    if row.status not in (CommendationStatus.PROPOSED, CommendationStatus.RETURNED):
        raise DomainError("Đề nghị đã được quyết định, không rút được.", field="status", code=ErrorCode.CONFLICT)
    before = row.status
    row.status = CommendationStatus.WITHDRAWN
    row.save(update_fields=["status"])
    audit_record(actor=actor, action="campaigns.commendation_withdraw", target=row, unit=row.unit_id,
                 before={"status": before}, after={"status": row.status})
    return row


@transaction.atomic
def commendations_approve(*, actor, commendation_ids: list[int], number: str = "", signed_on: date | None = None,
                          signer_name: str = "", signer_title: str = ""):
    """Approve proposals of one year in one decision ("Quyết định khen thưởng"), issued by the
    unit the approver answers for; each gets the next number of the year's register. Nobody
    approves a proposal they made."""
    from cyberyouth.notifications.models import Kind
    from cyberyouth.notifications.services import notify

    from .models import Commendation, CommendationDecision, CommendationStatus

    ids = sorted({int(i) for i in commendation_ids or []})
    if not ids:
        raise DomainError("Chọn ít nhất một đề nghị để duyệt.", field="commendations")
    if len(ids) > 200:
        raise DomainError("Một quyết định tối đa 200 tập thể, cá nhân.", field="commendations")
    rows = list(Commendation.objects.select_for_update().filter(pk__in=ids).select_related("unit", "proposed_by"))
    if len(rows) != len(ids):
        raise NotFound("Không tìm thấy đề nghị khen thưởng.")
    for row in rows:
        org_selectors.require(actor=actor, capability="commendation.approve", unit=row.unit, read="campaign.read")
    for row in rows:
        if row.status != CommendationStatus.PROPOSED:
            raise DomainError(f"Đề nghị khen thưởng {row.nominee} không ở trạng thái chờ duyệt.", field="commendations",
                              code=ErrorCode.CONFLICT)
        if row.proposed_by_id == actor.pk:
            raise DomainError(f"Bạn là người đề nghị khen thưởng {row.nominee}: một người khác phải duyệt.",
                              field="commendations")
    years = {row.year for row in rows}
    if len(years) > 1:
        raise DomainError("Các đề nghị trong một quyết định phải cùng năm thành tích.", field="commendations")
    today = org_selectors.today()
    signed_on = signed_on or today
    if signed_on > today:
        raise DomainError("Ngày ký không được ở tương lai.", field="signed_on")
    number = _text(number, field="number", label="số quyết định", max_length=40, required=False)
    signer_name = _text(signer_name, field="signer_name", label="họ tên người ký", max_length=100, required=False)
    signer_title = _text(signer_title, field="signer_title", label="chức vụ người ký", max_length=100, required=False)
    issuer = _issuer_unit(actor=actor, units=[row.unit for row in rows])
    year = years.pop()
    decision = CommendationDecision.objects.create(year=year, issuer_unit=issuer, number=number, signed_on=signed_on,
                                                   signer_name=signer_name, signer_title=signer_title,
                                                   approved_by=actor)
    last = max(Commendation.objects.select_for_update().filter(year=year, book_number__isnull=False)
               .values_list("book_number", flat=True), default=0)
    now = timezone.now()
    for offset, row in enumerate(sorted(rows, key=lambda r: (r.kind, r.unit.name, r.person_name)), start=1):
        row.status, row.decision, row.book_number = CommendationStatus.APPROVED, decision, last + offset
        row.decided_by, row.decided_at = actor, now
        row.save(update_fields=["status", "decision", "book_number", "decided_by", "decided_at"])
        audit_record(actor=actor, action="campaigns.commendation_approve", target=row, unit=row.unit_id,
                     before={"status": CommendationStatus.PROPOSED},
                     after={"status": row.status, "decision": decision.pk, "book_number": row.book_number})
        notify(recipients=[row.proposed_by], kind=Kind.OTHER, unit=row.unit, exclude=actor,
               title=f"Đề nghị khen thưởng {row.nominee} đã được duyệt",
               body=f"Số vào sổ {row.book_number}/{year}. Tải quyết định và Giấy khen trên trang của đề nghị.",
               link=f"/chien-dich/khen-thuong/{row.pk}/")
    return decision


def _issuer_unit(*, actor, units: list[Unit]) -> Unit:
    """The unit whose head signs: of those the approver answers for with `commendation.approve`,
    the closest one above every praised unit."""
    best = None
    for own in Unit.objects.filter(id__in=org_selectors.own_unit_ids(actor=actor, capability="commendation.approve")):
        below = org_selectors.subtree_ids(unit_ids={own.id}, history=False)
        if all(u.id in below for u in units) and (best is None or len(below) < best[0]):
            best = (len(below), own)
    if best is not None:
        return best[1]
    if len(units) == 1 or len({u.id for u in units}) == 1:
        return units[0]
    raise DomainError("Các đề nghị không cùng thuộc một cấp quyết định của bạn.", field="commendations")
