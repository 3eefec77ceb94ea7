"""Every write of the helpline: intake (the child's page, a counsellor's record, the API, the
monitoring hand-off), triage, answers, the case's moves, clocks, referrals, transfers, and the
housekeeping the worker runs (clock warnings and escalations, de-identification)."""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from cyberyouth.audit.services import audit_record
from cyberyouth.errors import DomainError, ErrorCode, NotFound, ScopeError
from cyberyouth.lib.text import nfc
from cyberyouth.notifications.models import Kind
from cyberyouth.orgs.models import Unit
from cyberyouth.orgs.selectors import scope as org_scope

from . import notify, rules, selectors
from .models import (
    URGENCY_RANK, AccessAttempt, AgeBand, Case, CaseOpening, Category, Channel, Clock, ClockKind, Contact,
    ContactKind, DutyShift, Entry, EntryKind, Gender, Helpline, Message, Referral, ReferralTo, Urgency,
)

log = logging.getLogger(__name__)

MAX_TEXT = 5000
ATTEMPTS_PER_HOUR = 10        # wrong codes/secrets from one address before it must wait
SUBMISSIONS_PER_HOUR = 20     # messages from one address
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


# ---------------------------------------------------------------- codes, secrets, limits


def _random(n: int) -> str:
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(n))


def new_code() -> str:
    """A case code: 10 letters/digits in two groups (50 bits), shown to staff and the child."""
    raw = _random(10)
    return f"{raw[:5]}-{raw[5:]}"


def new_secret() -> str:
    """The child's secret: 26 letters/digits (130 bits), in groups of 4 or 5 to copy."""
    raw = _random(26)
    return "-".join(raw[i:i + 5] for i in range(0, 26, 5))


def _keyed(kind: str, value: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def _normal_code(value: str) -> str:
    raw = "".join(ch for ch in (value or "").upper() if ch.isalnum())
    return raw


def secret_hash(secret: str) -> str:
    return _keyed("helpline-secret", _normal_code(secret))


def client_hash(address: str) -> str:
    return _keyed("helpline-client", address or "unknown")


def _limit(who: str, *, ok: bool | None, per_hour: int, message: str) -> None:
    since = timezone.now() - timedelta(hours=1)
    qs = AccessAttempt.objects.filter(client_hash=who, at__gte=since)
    if ok is not None:
        qs = qs.filter(ok=ok)
    if qs.count() >= per_hour:
        raise DomainError(message, code=ErrorCode.RATE_LIMITED)


def _clean_text(text, *, field: str = "text", required: bool = True) -> str:
    if isinstance(text, (bytes, bytearray)):
        raise DomainError("Nội dung phải là chữ.", field=field)
    text = nfc(text or "").strip()
    if required and not text:
        raise DomainError("Hãy viết vài dòng để tư vấn viên hiểu chuyện của bạn.", field=field)
    if len(text) > MAX_TEXT:
        raise DomainError(f"Tin nhắn quá dài (tối đa {MAX_TEXT} ký tự). Bạn có thể gửi thành nhiều tin.", field=field)
    if any(ord(ch) < 32 and ch not in "\n\r\t" for ch in text):
        raise DomainError("Tin nhắn có ký tự không đọc được. Hãy gõ lại bằng chữ.", field=field)
    return text


# ---------------------------------------------------------------- triage


@dataclass
class Triage:
    urgency: str
    flags: list[str]
    spans: list[dict]
    score: float
    failed: bool = False


def triage(text: str) -> Triage:
    """The safety engine's reading of a child's message. Self-harm or sexual-exploitation
    signals make it critical. If the engine fails, the message is kept as urgent and failed."""
    try:
        from cyberyouth.safety import analyze

        v = analyze(text)
    except Exception:  # noqa: BLE001 — a child's message is never dropped because triage broke
        log.exception("helpline triage failed")
        return Triage(Urgency.URGENT, [], [], 0.0, failed=True)
    flags = list(v.flags)
    if v.urgent and "self_harm" not in flags:
        flags.append("self_harm")
    if set(flags) & rules.CRITICAL_FLAGS:
        urgency = Urgency.CRITICAL
    elif set(flags) & rules.URGENT_FLAGS or v.label == "HATE":
        urgency = Urgency.URGENT
    else:
        urgency = Urgency.NOT_URGENT
    spans = [{"start": s.start, "end": s.end, "category": s.category} for s in v.spans]
    spans += [{"start": p.start, "end": p.end, "category": "personal_data"} for p in v.personal_data]
    score = max([v.categories.get(f, 0.0) for f in flags] or [0.0])
    return Triage(urgency, flags, spans, float(score))


def _suggested_categories(flags) -> list[Category]:
    wanted = set(flags)
    return [c for c in Category.objects.filter(active=True) if wanted & set(c.engine_categories or [])]


# ---------------------------------------------------------------- clocks


def _clock_due(kind: str, *, helpline: Helpline, case: Case) -> tuple[datetime, datetime]:
    received = case.received_at
    if kind == ClockKind.FIRST_ANSWER:
        minutes = (helpline.first_answer_minutes or {}).get(case.urgency) or rules.FIRST_ANSWER_MINUTES[case.urgency]
        start = selectors.next_open(helpline, received)
        return start, start + timedelta(minutes=int(minutes))
    if kind == ClockKind.NOTIFY:
        return received, received + timedelta(hours=helpline.notify_hours)
    if kind == ClockKind.DANGER:
        return received, received + timedelta(hours=helpline.danger_hours)
    from cyberyouth.workdays import selectors as workdays

    return received, workdays.calendar().deadline(received, helpline.plan_working_days)


def _start_clocks(case: Case, *, helpline: Helpline | None = None, new: bool = False) -> None:
    """Start the clocks the case's urgency calls for (counted from receipt; never removed)."""
    # Without a helpline (a hand-off waiting for one), the default targets: legal clocks run anyway.
    helpline = helpline or selectors.helpline_of(unit=case.unit) or Helpline(unit=case.unit, name="")
    have = set() if new else set(case.clocks.values_list("kind", flat=True))
    Clock.objects.bulk_create([Clock(case=case, kind=kind, started_at=start, due_at=due)
                               for kind in rules.CLOCKS_FOR[case.urgency] if kind not in have
                               for start, due in [_clock_due(kind, helpline=helpline, case=case)]])


def _stop_clocks(case: Case, event: str, at: datetime) -> None:
    """A recorded action of the right type stops the clocks it answers (met, in time or late)."""
    for clock in case.clocks.filter(met_at__isnull=True):
        if event in rules.STOPPED_BY[clock.kind]:
            clock.met_at = at
            clock.met_by = event[:20]
            if at > clock.due_at and clock.breached_at is None:
                clock.breached_at = clock.due_at
            clock.save(update_fields=["met_at", "met_by", "breached_at"])


# ---------------------------------------------------------------- intake


def _set_urgency(case: Case, urgency: str) -> None:
    case.urgency = urgency
    case.urgency_rank = URGENCY_RANK[urgency]


def _alert_critical(case: Case) -> None:
    helpline = selectors.helpline_of(unit=case.unit)
    people = selectors.on_duty(helpline=helpline) if helpline else []
    if not people:
        people = selectors.counsellors_of(unit=case.unit)
    recipients = list(people) + ([helpline.alert_email] if helpline and helpline.alert_email else [])
    notify.send(recipients=recipients, kind=Kind.HELPLINE_CRITICAL, case=case,
                title=f"Ca khẩn cấp {case.code}",
                body=(f"Có một ca khẩn cấp mới ({case.code}) ở {case.unit.name}. Hãy mở hàng đợi và trả lời ngay. "
                      "Nội dung tin nhắn không gửi qua thư; hãy đọc trên hệ thống."))


def _new_case(*, unit: Unit, received: datetime, urgency: str, actor=None, student=None) -> tuple[Case, str]:
    secret = new_secret()
    for _ in range(5):
        code = new_code()
        if not Case.objects.filter(code=code).exists():
            break
    case = Case(unit=unit, code=code, secret_hash=secret_hash(secret), received_at=received,
                created_by=actor if getattr(actor, "pk", None) else None, student=student)
    _set_urgency(case, urgency)
    case.save()
    return case, secret


@dataclass
class Submitted:
    case: Case
    secret: str  # "" when the submission was a repeat (a second tab): the secret was shown once
    repeat: bool = False


def _helpline_for(school: Unit | None) -> Helpline:
    helpline = selectors.helpline_of(unit=school) if school else selectors.default_helpline()
    if helpline is None:
        raise DomainError("Tổng đài chưa hoạt động. Hãy gọi 111 (miễn phí, 24/7).", code="no_helpline")
    return helpline


def _add_child_message(*, case: Case, contact: Contact | None, text: str, at: datetime, by=None,
                       helpline: Helpline | None = None, new: bool = False) -> Message:
    t = triage(text)
    message = Message.objects.create(case=case, contact=contact, author=Message.Author.CHILD, text=text,
                                     spans=t.spans, flags=t.flags, triage_failed=t.failed, created_at=at, by=by)
    raised = URGENCY_RANK[t.urgency] < case.urgency_rank
    if raised:
        _set_urgency(case, t.urgency)
        case.urgency_confirmed = False
    case.engine_flags = sorted(set(case.engine_flags or []) | set(t.flags))
    case.engine_score = max(case.engine_score, t.score)
    case.last_message_at = at
    case.awaiting_answer = True
    case.save(update_fields=["urgency", "urgency_rank", "urgency_confirmed", "engine_flags", "engine_score",
                             "last_message_at", "awaiting_answer"])
    suggested = _suggested_categories(t.flags) if t.flags else []
    if contact is not None:
        contact.urgency = t.urgency
        contact.save(update_fields=["urgency"])
        contact.categories.add(*suggested)
    case.categories.add(*suggested)
    _start_clocks(case, helpline=helpline, new=new)
    if raised and t.urgency == Urgency.CRITICAL:
        _alert_critical(case)
    return message


def child_submit(*, text, client_address: str, submission_key: str = "", school: Unit | None = None,
                 age_band: str = "", gender: str = "", kind: str = ContactKind.SELF, actor=None,
                 channel: str = Channel.WEB) -> Submitted:
    """A child writes from the "Cần giúp đỡ?" page (signed in or not). Returns the case with its
    code and the secret to come back (shown once; only its keyed hash is stored)."""
    text = _clean_text(text)
    if age_band not in AgeBand.values or gender not in Gender.values:
        raise DomainError("Lựa chọn không hợp lệ.", field="age_band")
    if kind not in (ContactKind.SELF, ContactKind.OTHER_CHILD, ContactKind.QUESTION):
        raise DomainError("Lựa chọn không hợp lệ.", field="kind")
    key = (submission_key or "")[:64] or None
    if key:
        earlier = Contact.objects.filter(submission_key=key).select_related("case").first()
        if earlier is not None and earlier.case is not None:
            return Submitted(case=earlier.case, secret="", repeat=True)
    who = client_hash(client_address)
    _limit(who, ok=True, per_hour=SUBMISSIONS_PER_HOUR,
           message="Bạn đã gửi nhiều tin trong một giờ. Hãy chờ một lúc, hoặc gọi 111 nếu cần ngay.")
    helpline = _helpline_for(school)
    unit = helpline.unit
    student = actor if getattr(actor, "is_authenticated", False) else None
    try:
        with transaction.atomic():
            now = timezone.now()
            case, secret = _new_case(unit=unit, received=now, urgency=Urgency.NOT_URGENT, student=student)
            contact = Contact.objects.create(unit=unit, case=case, kind=kind, channel=channel, age_band=age_band,
                                             gender=gender, school=school, received_at=now, submission_key=key,
                                             summary="")
            _add_child_message(case=case, contact=contact, text=text, at=now, by=student, helpline=helpline, new=True)
            AccessAttempt.objects.create(client_hash=who, ok=True)
            audit_record(actor=student, action="helpline.intake", target=case,
                         after={"channel": channel, "urgency": case.urgency, "unit": unit.code})
    except IntegrityError:
        # the same form posted twice at once: the other request made the contact
        earlier = Contact.objects.filter(submission_key=key).select_related("case").first()
        if earlier is None:
            raise
        return Submitted(case=earlier.case, secret="", repeat=True)
    return Submitted(case=case, secret=secret)


def child_open(*, code: str, secret: str, client_address: str) -> Case:
    """The case for a child who came back with code and secret. The same refusal for a wrong
    code or a wrong secret; after ATTEMPTS_PER_HOUR misses the address must wait."""
    who = client_hash(client_address)
    _limit(who, ok=False, per_hour=ATTEMPTS_PER_HOUR,
           message="Bạn đã nhập sai nhiều lần. Hãy thử lại sau một giờ, hoặc gọi 111 nếu cần ngay.")
    raw = _normal_code(code)
    formatted = f"{raw[:5]}-{raw[5:]}" if len(raw) == 10 else raw
    case = Case.objects.filter(code=formatted, deidentified_at__isnull=True).select_related("unit").first()
    good = case is not None and case.secret_hash and hmac.compare_digest(case.secret_hash, secret_hash(secret))
    if not good:
        AccessAttempt.objects.create(client_hash=who, ok=False)
        raise NotFound("Mã hoặc mật mã chưa đúng. Hãy kiểm tra lại (chữ in hoa hay thường đều được).")
    return case


@transaction.atomic
def child_write(*, case: Case, text, submission_key: str = "") -> Message:
    """The child writes again on their case (after `child_open`)."""
    text = _clean_text(text)
    key = (submission_key or "")[:64] or None
    if key and Contact.objects.filter(submission_key=key).exists():
        return case.messages.filter(author=Message.Author.CHILD).last()
    case = Case.objects.select_for_update().get(pk=case.pk)
    now = timezone.now()
    try:
        with transaction.atomic():
            contact = Contact.objects.create(unit=case.unit, case=case, kind=ContactKind.SELF, channel=Channel.WEB,
                                             received_at=now, submission_key=key)
    except IntegrityError:  # the same form posted at the same moment from a second tab
        return case.messages.filter(author=Message.Author.CHILD).last()
    if case.status == "closed":
        _move(case=case, to="in_progress", actor=None, reason="Học sinh viết thêm vào ca đã đóng.", check=False)
    message = _add_child_message(case=case, contact=contact, text=text, at=now)
    audit_record(actor=None, action="helpline.child_write", target=case, after={"urgency": case.urgency})
    return message


@transaction.atomic
def intake_record(*, actor, unit: Unit, channel: str, kind: str, summary, urgency: str, category_codes=(),
                  age_band: str = "", gender: str = "", school: Unit | None = None, class_name: str = "",
                  area: str = "", case_id: int | None = None) -> Contact:
    """A counsellor records a phone call, a walk-in or a referral from 111 (a new case, or a
    contact on an existing one). A silent, prank or thank-you contact is counted, no case."""
    if unit.id not in selectors.counsel_unit_ids(actor=actor):
        raise ScopeError("Bạn không tư vấn ở tổng đài này.")
    if channel not in (Channel.PHONE, Channel.WALK_IN, Channel.REFERRAL_111, Channel.API):
        raise DomainError("Chọn kênh tiếp nhận.", field="channel")
    if kind not in ContactKind.values:
        raise DomainError("Chọn loại liên hệ.", field="kind")
    if urgency not in Urgency.values:
        raise DomainError("Chọn mức khẩn.", field="urgency")
    if age_band not in AgeBand.values or gender not in Gender.values:
        raise DomainError("Lựa chọn không hợp lệ.", field="age_band")
    summary = _clean_text(summary, field="summary", required=kind != ContactKind.NON_DATA)
    class_name, area = nfc(class_name)[:20], nfc(area)[:100]
    cats = list(Category.objects.filter(code__in=list(category_codes), active=True))
    if len(cats) != len(set(category_codes)):
        raise DomainError("Nhóm vấn đề không hợp lệ.", field="categories")
    now = timezone.now()
    case = None
    if kind != ContactKind.NON_DATA:
        if case_id:
            case, _rel = selectors.get_case(actor=actor, case_id=case_id, action="answer")
        else:
            case, _secret = _new_case(unit=unit, received=now, urgency=urgency, actor=actor)
            case.urgency_confirmed = True
            case.save(update_fields=["urgency_confirmed"])
            case.counsellors.add(actor)
            case.status = "in_progress"
            case.save(update_fields=["status"])
        if URGENCY_RANK[urgency] < case.urgency_rank:
            _set_urgency(case, urgency)
            case.save(update_fields=["urgency", "urgency_rank"])
        case.categories.add(*cats)
        _start_clocks(case)
        # the counsellor is speaking with the child now: that is the first answer
        Entry.objects.create(case=case, kind=EntryKind.CALL, by=actor, at=now,
                             text=f"{Channel(channel).label}: {summary}")
        _stop_clocks(case, EntryKind.CALL, now)
    contact = Contact.objects.create(unit=unit, case=case, kind=kind, channel=channel, age_band=age_band,
                                     gender=gender, school=school, class_name=class_name, area=area, urgency=urgency,
                                     summary=summary, received_at=now, recorded_by=actor)
    contact.categories.add(*cats)
    audit_record(actor=actor, action="helpline.intake", target=case or contact,
                 after={"channel": channel, "kind": kind, "urgency": urgency, "unit": unit.code})
    return contact


# ---------------------------------------------------------------- working a case


def _locked(actor, case_id: int, action: str) -> tuple[Case, set[str]]:
    """The case, locked, if `actor` may do `action`; a counsellor acting on a case nobody holds
    takes it."""
    case, rel = selectors.get_case(actor=actor, case_id=case_id, action=action)
    case = Case.objects.select_for_update().select_related("unit").get(pk=case.pk)
    if "duty_unassigned" in rel and "counsellor" not in rel and not case.counsellors.exists():
        case.counsellors.add(actor)
        Entry.objects.create(case=case, kind=EntryKind.ASSIGN, by=actor, at=timezone.now(), text=f"{actor} nhận ca")
        audit_record(actor=actor, action="helpline.assign", target=case, after={"counsellor": actor.username})
        rel = (rel - {"duty_unassigned"}) | {"counsellor"}
    return case, rel


@transaction.atomic
def case_open(*, actor, case_id: int, via: str = "page") -> Case:
    """Open a case to read it: recorded (who, when) for the supervisor."""
    case, _rel = selectors.get_case(actor=actor, case_id=case_id, action="read")
    CaseOpening.objects.create(case=case, user=actor, via=via[:10])
    return case


@transaction.atomic
def answer(*, actor, case_id: int, text) -> Message:
    """A counsellor's answer the child reads with the code. Answering an unassigned case takes it."""
    case, rel = _locked(actor, case_id, "answer")
    text = _clean_text(text)
    now = timezone.now()
    message = Message.objects.create(case=case, author=Message.Author.COUNSELLOR, by=actor, text=text, created_at=now)
    case.awaiting_answer = False
    case.save(update_fields=["awaiting_answer"])
    if case.status == "new":
        _move(case=case, to="in_progress", actor=actor, reason="Đã trả lời học sinh.", check=False)
    _stop_clocks(case, "answer", now)
    audit_record(actor=actor, action="helpline.answer", target=case)
    return message


@transaction.atomic
def note_add(*, actor, case_id: int, kind: str, text) -> Entry:
    """A typed timeline entry: a note, a call, an emergency action taken."""
    case, _rel = _locked(actor, case_id, "note")
    if kind not in (EntryKind.NOTE, EntryKind.CALL, EntryKind.ACTION):
        raise DomainError("Chọn loại ghi nhận.", field="kind")
    text = _clean_text(text, field="text")
    now = timezone.now()
    entry = Entry.objects.create(case=case, kind=kind, text=text, by=actor, at=now)
    _stop_clocks(case, kind, now)  # a note stops nothing (rules.STOPPED_BY)
    audit_record(actor=actor, action="helpline.entry", target=case, after={"kind": kind})
    return entry


@transaction.atomic
def urgency_confirm(*, actor, case_id: int, urgency: str, reason) -> Case:
    """A person confirms or changes the urgency the engine suggested, with a reason."""
    case, _rel = _locked(actor, case_id, "urgency")
    if urgency not in Urgency.values:
        raise DomainError("Chọn mức khẩn.", field="urgency")
    reason = _clean_text(reason, field="reason")
    before = case.urgency
    _set_urgency(case, urgency)
    case.urgency_confirmed = True
    case.save(update_fields=["urgency", "urgency_rank", "urgency_confirmed"])
    _start_clocks(case)  # a raised urgency starts more clocks; a lowered one never stops a running clock
    Entry.objects.create(case=case, kind=EntryKind.URGENCY, by=actor, at=timezone.now(),
                         text=f"{Urgency(before).label} → {Urgency(urgency).label}: {reason}")
    audit_record(actor=actor, action="helpline.urgency", target=case, before={"urgency": before},
                 after={"urgency": urgency, "reason": reason})
    if urgency == Urgency.CRITICAL and before != Urgency.CRITICAL:
        _alert_critical(case)
    return case


def _move(*, case: Case, to: str, actor, reason: str, check: bool = True, rel: set[str] | None = None) -> None:
    move = (case.status, to)
    if move not in rules.TRANSITIONS:
        raise DomainError(f"Không thể chuyển ca từ “{rules.STATUS_LABELS.get(case.status, case.status)}” sang "
                          f"“{rules.STATUS_LABELS.get(to, to)}”.", field="status", code=ErrorCode.CONFLICT)
    if check and not (rel or set()) & rules.TRANSITIONS[move]:
        raise ScopeError("Chỉ người giám sát mới mở lại được ca đã đóng." if move[0] == "closed"
                         else "Bạn không được chuyển trạng thái ca này.")
    before = case.status
    case.status = to
    case.is_open = to != "closed"
    case.closed_at = timezone.now() if to == "closed" else None
    case.save(update_fields=["status", "is_open", "closed_at"])
    Entry.objects.create(case=case, kind=EntryKind.STATUS, by=actor if getattr(actor, "pk", None) else None,
                         at=timezone.now(),
                         text=f"{rules.STATUS_LABELS[before]} → {rules.STATUS_LABELS[to]}" + (f": {reason}" if reason else ""))
    audit_record(actor=actor, action="helpline.status", target=case, before={"status": before}, after={"status": to})


@transaction.atomic
def status_move(*, actor, case_id: int, to: str, reason="") -> Case:
    case, rel = selectors.get_case(actor=actor, case_id=case_id, action="read")
    case = Case.objects.select_for_update().select_related("unit").get(pk=case.pk)
    if to not in rules.STATUS_LABELS:
        raise DomainError("Trạng thái không hợp lệ.", field="status")
    _move(case=case, to=to, actor=actor, reason=nfc(reason or "")[:500], rel=rel)
    return case


@transaction.atomic
def case_take(*, actor, case_id: int) -> Case:
    case, rel = _locked(actor, case_id, "take")
    if "counsellor" in rel:
        return case
    if case.counsellors.exists() and "supervisor" not in rel:
        raise DomainError("Ca này đã có tư vấn viên phụ trách.", code=ErrorCode.CONFLICT)
    case.counsellors.add(actor)
    Entry.objects.create(case=case, kind=EntryKind.ASSIGN, by=actor, at=timezone.now(), text=f"{actor} nhận ca")
    audit_record(actor=actor, action="helpline.assign", target=case, after={"counsellor": actor.username})
    return case


@transaction.atomic
def case_assign(*, actor, case_id: int, user_id: int) -> Case:
    """The supervisor gives the case to a counsellor of its helpline (replacing the others)."""
    case, _rel = _locked(actor, case_id, "assign")
    person = next((u for u in selectors.counsellors_of(unit=case.unit) if u.pk == user_id), None)
    if person is None:
        raise DomainError("Người này không phải tư vấn viên của tổng đài.", field="user")
    case.counsellors.set([person])
    Entry.objects.create(case=case, kind=EntryKind.ASSIGN, by=actor, at=timezone.now(), text=f"Phân công cho {person}")
    audit_record(actor=actor, action="helpline.assign", target=case, after={"counsellor": person.username})
    return case


@transaction.atomic
def plan_save(*, actor, case_id: int, risk_assessment, support_plan) -> Case:
    """The risk assessment (Form 02) and the support plan (Form 03); a plan stops the 5-day clock."""
    case, _rel = _locked(actor, case_id, "plan")
    risk = _clean_text(risk_assessment, field="risk_assessment")
    plan = _clean_text(support_plan, field="support_plan", required=False)
    now = timezone.now()
    case.risk_assessment, case.support_plan = risk, plan
    case.save(update_fields=["risk_assessment", "support_plan"])
    Entry.objects.create(case=case, kind=EntryKind.PLAN, by=actor, at=now,
                         text="Cập nhật đánh giá nguy cơ" + (" và kế hoạch hỗ trợ" if plan else ""))
    if plan:
        _stop_clocks(case, EntryKind.PLAN, now)
    audit_record(actor=actor, action="helpline.plan", target=case)
    return case


DEFAULT_RECIPIENTS = {
    ReferralTo.HOTLINE_111: "Tổng đài quốc gia bảo vệ trẻ em 111",
    ReferralTo.POLICE: "Công an đặc khu Cát Hải",
    ReferralTo.AUTHORITY: "Ủy ban nhân dân đặc khu Cát Hải (công chức phụ trách bảo vệ trẻ em)",
    ReferralTo.HEALTH: "Trung tâm Y tế đặc khu Cát Hải",
    ReferralTo.SCHOOL: "Ban Giám hiệu nhà trường",
}


@transaction.atomic
def referral_create(*, actor, case_id: int, to: str, reason, recipient: str = "") -> Referral:
    case, rel = _locked(actor, case_id, "refer")
    if to not in ReferralTo.values:
        raise DomainError("Chọn nơi chuyển đến.", field="to")
    reason = _clean_text(reason, field="reason")
    recipient = nfc(recipient).strip()[:300] or DEFAULT_RECIPIENTS[to]
    now = timezone.now()
    referral = Referral.objects.create(case=case, to=to, recipient=recipient, reason=reason, by=actor, at=now)
    Entry.objects.create(case=case, kind=EntryKind.REFERRAL, by=actor, at=now, text=f"Chuyển đến {recipient}: {reason}")
    _stop_clocks(case, f"referral:{to}", now)
    if case.status in ("new", "in_progress"):
        if case.status == "new":
            _move(case=case, to="in_progress", actor=actor, reason="", check=False)
        _move(case=case, to="referred", actor=actor, reason=f"Chuyển đến {recipient}", rel=rel)
    audit_record(actor=actor, action="helpline.referral", target=case, after={"to": to, "recipient": recipient})
    return referral


@transaction.atomic
def referral_answer(*, actor, referral_id: int, answer_text) -> Referral:
    referral = Referral.objects.filter(pk=referral_id).first()
    if referral is None:
        raise NotFound("Không tìm thấy lần chuyển tuyến này.")
    _locked(actor, referral.case_id, "refer")
    referral.answer = _clean_text(answer_text, field="answer")
    referral.answered_at = timezone.now()
    referral.save(update_fields=["answer", "answered_at"])
    Entry.objects.create(case=referral.case, kind=EntryKind.REFERRAL, by=actor, at=referral.answered_at,
                         text=f"Phản hồi của {referral.recipient}: {referral.answer}")
    audit_record(actor=actor, action="helpline.referral_answer", target=referral.case)
    return referral


@transaction.atomic
def case_transfer(*, actor, case_id: int, unit: Unit, note) -> Case:
    """Move a case to another helpline of the tree, with a note; its clocks keep running."""
    case, _rel = _locked(actor, case_id, "transfer")
    target = Helpline.objects.filter(unit=unit).first()
    if target is None:
        raise DomainError("Đơn vị này không có tổng đài.", field="unit")
    if target.unit_id == case.unit_id:
        raise DomainError("Ca đang ở tổng đài này.", field="unit")
    note = _clean_text(note, field="note")
    before = case.unit.code
    case.unit = target.unit
    case.save(update_fields=["unit"])
    case.counsellors.clear()
    Entry.objects.create(case=case, kind=EntryKind.TRANSFER, by=actor, at=timezone.now(),
                         text=f"Chuyển sang {target.name}: {note}")
    audit_record(actor=actor, action="helpline.transfer", target=case, before={"unit": before},
                 after={"unit": target.unit.code})
    return case


@transaction.atomic
def document_recorded(*, actor, case_id: int, title: str) -> None:
    """A document was made from the case (Form 01, referral letter): on its timeline."""
    case, _rel = selectors.get_case(actor=actor, case_id=case_id, action="read")
    Entry.objects.create(case=case, kind=EntryKind.DOCUMENT, by=actor, at=timezone.now(), text=title[:300])
    CaseOpening.objects.create(case=case, user=actor, via="document")


def taxonomy_ensure() -> int:
    """The first taxonomy (`taxonomy.TAXONOMY`) where it is missing (the migration loads it; a
    flushed test database or a demo needs it again). Existing categories are left as edited."""
    from .taxonomy import TAXONOMY

    have = set(Category.objects.values_list("code", flat=True))
    new = [Category(code=code, name=name, engine_categories=flags, critical=critical, order=i * 10)
           for i, (code, name, flags, critical) in enumerate(TAXONOMY, start=1) if code not in have]
    Category.objects.bulk_create(new)
    return len(new)


# ---------------------------------------------------------------- the monitoring hand-off


def take_monitoring_handoff(*, action) -> Case:
    """A moderator's "hand over to the helpline" becomes a case at the helpline of the item's
    area (once: the action's id is kept on the case)."""
    existing = Case.objects.filter(monitoring_action_id=action.pk).first()
    if existing is not None:
        return existing
    item = action.item
    helpline = selectors.helpline_of(unit=item.unit)
    # no helpline yet: the case waits at the item's unit (as it stands today)
    unit = helpline.unit if helpline else selectors.live_unit(item.unit)
    received = action.created_at or timezone.now()
    flags = sorted({c for c in (item.decided_category, item.top_category) if c})
    t_urgency = Urgency.CRITICAL if set(flags) & rules.CRITICAL_FLAGS else Urgency.URGENT
    case, _secret = _new_case(unit=unit, received=received, urgency=t_urgency, actor=action.actor)
    case.monitoring_action_id = action.pk
    case.engine_flags = flags
    case.save(update_fields=["monitoring_action_id", "engine_flags"])
    contact = Contact.objects.create(unit=unit, case=case, kind=ContactKind.OTHER_CHILD,
                                     channel=Channel.MONITORING, urgency=t_urgency, received_at=received,
                                     recorded_by=action.actor, summary=action.body)
    case.categories.add(*_suggested_categories(flags))
    contact.categories.add(*_suggested_categories(flags))
    Entry.objects.create(case=case, kind=EntryKind.NOTE, by=action.actor, at=received,
                         text=f"Giám sát nội dung chuyển đến (nội dung số {item.pk}).\n{action.body}")
    _start_clocks(case)
    audit_record(actor=action.actor, action="helpline.intake", target=case,
                 after={"channel": Channel.MONITORING, "monitoring_action": action.pk})
    if t_urgency == Urgency.CRITICAL:
        _alert_critical(case)
    return case


# ---------------------------------------------------------------- housekeeping (the worker)


@transaction.atomic
def clocks_tick(*, now: datetime | None = None) -> dict:
    """Warn before a target is missed, mark breaches at the deadline and escalate them to the
    supervisors. Clocks of closed cases keep their state (a clock is met only by an action)."""
    now = now or timezone.now()
    warned = breached = 0
    running = Clock.objects.select_for_update().filter(met_at__isnull=True).select_related("case", "case__unit")
    for clock in running.filter(warned_at__isnull=True, breached_at__isnull=True, due_at__gt=now):
        helpline = selectors.helpline_of(unit=clock.case.unit)
        lead = timedelta(minutes=helpline.warn_minutes if helpline else 15)
        if clock.due_at - now <= lead:
            clock.warned_at = now
            clock.save(update_fields=["warned_at"])
            people = list(clock.case.counsellors.all()) or selectors.counsellors_of(unit=clock.case.unit)
            notify.send(recipients=people, kind=Kind.HELPLINE_CLOCK, case=clock.case,
                        title=f"Sắp hết hạn: {clock.get_kind_display()} — ca {clock.case.code}",
                        body=f"Hạn {timezone.localtime(clock.due_at):%H:%M %d/%m/%Y}. Hãy mở ca {clock.case.code}.")
            Entry.objects.create(case=clock.case, kind=EntryKind.ALERT, at=now,
                                 text=f"Cảnh báo: sắp hết hạn “{clock.get_kind_display()}”")
            warned += 1
    for clock in running.filter(breached_at__isnull=True, due_at__lte=now):
        clock.breached_at = clock.due_at
        clock.escalated_at = now
        clock.save(update_fields=["breached_at", "escalated_at"])
        notify.send(recipients=selectors.supervisors_of(unit=clock.case.unit), kind=Kind.HELPLINE_CLOCK,
                    case=clock.case, title=f"Quá hạn: {clock.get_kind_display()} — ca {clock.case.code}",
                    body=f"Hạn {timezone.localtime(clock.due_at):%H:%M %d/%m/%Y} đã qua mà chưa thực hiện. "
                         f"Ca {clock.case.code}, {clock.case.unit.name}.")
        Entry.objects.create(case=clock.case, kind=EntryKind.ALERT, at=now,
                             text=f"Quá hạn “{clock.get_kind_display()}”, đã báo người giám sát")
        audit_record(actor=None, action="helpline.escalate", target=clock.case, after={"clock": clock.kind})
        breached += 1
    return {"warned": warned, "breached": breached}


def keep_days() -> int:
    return int(getattr(settings, "HELPLINE_KEEP_DAYS", 365))


def _deidentify(cases: list[Case], now: datetime) -> None:
    ids = [c.pk for c in cases]
    Message.objects.filter(case_id__in=ids).update(text="[đã xóa]", spans=[])
    Entry.objects.filter(case_id__in=ids).update(text="[đã xóa]")
    Referral.objects.filter(case_id__in=ids).update(reason="[đã xóa]", answer="")
    Contact.objects.filter(case_id__in=ids).update(summary="", class_name="", area="", gender="", school=None)
    Case.objects.filter(pk__in=ids).update(risk_assessment="", support_plan="", secret_hash="", student=None,
                                           deidentified_at=now)
    for case in cases:
        audit_record(actor=None, action="helpline.deidentify", target=case)


@transaction.atomic
def erase_student(*, person) -> int:
    """A signed-in child's data erased on request (Law 91/2025): the cases they wrote from are
    de-identified at once, whatever their status. Called when `orgs.privacy` erases the account."""
    cases = list(Case.objects.select_for_update().filter(student=person, deidentified_at__isnull=True))
    if cases:
        _deidentify(cases, timezone.now())
    return len(cases)


@transaction.atomic
def deidentify_closed(*, now: datetime | None = None) -> int:
    """Closed cases older than HELPLINE_KEEP_DAYS lose every word and the child's details; the
    counts (category, urgency, channel, clocks, referrals) stay for statistics."""
    now = now or timezone.now()
    cases = list(Case.objects.select_for_update().filter(status="closed", deidentified_at__isnull=True,
                                                         closed_at__lte=now - timedelta(days=keep_days())))
    if not cases:
        return 0
    _deidentify(cases, now)
    return len(cases)


# ---------------------------------------------------------------- settings: hours, targets, duty roster

WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")
_SPAN = re.compile(r"^\s*(\d{1,2})[:hH.](\d{2})\s*[-–—]\s*(\d{1,2})[:hH.](\d{2})\s*$")


def parse_hours(text: str, *, field: str) -> list[list[str]]:
    """"07:00-11:30, 13:30-17:00" → [["07:00", "11:30"], ["13:30", "17:00"]]; empty → closed that
    day. "24:00" ends a day that runs to midnight. Spans must not overlap."""
    spans = []
    for piece in [p for p in re.split(r"[,;]", nfc(text or "")) if p.strip()]:
        m = _SPAN.match(piece)
        if not m:
            raise DomainError(f"“{piece.strip()}” không phải khoảng giờ dạng 07:00-11:30.", field=field)
        h1, m1, h2, m2 = (int(g) for g in m.groups())
        if h1 > 23 or m1 > 59 or m2 > 59 or h2 > 24 or (h2 == 24 and m2):
            raise DomainError(f"Giờ không hợp lệ trong “{piece.strip()}”.", field=field)
        start, end = f"{h1:02d}:{m1:02d}", f"{h2:02d}:{m2:02d}"
        if end <= start:
            raise DomainError(f"Giờ kết thúc phải sau giờ bắt đầu (“{piece.strip()}”).", field=field)
        spans.append([start, end])
    spans.sort()
    for (_s1, e1), (s2, _e2) in zip(spans, spans[1:]):
        if s2 < e1:
            raise DomainError("Các khoảng giờ trong một ngày không được chồng lên nhau.", field=field)
    return spans


def _managed(actor, helpline_id: int) -> Helpline:
    helpline = (org_scope(Helpline.objects.select_for_update(), actor=actor, capability="helpline.manage")
                .filter(pk=helpline_id).select_related("unit").first())
    if helpline is None:
        raise NotFound("Không tìm thấy tổng đài này.")
    return helpline


@transaction.atomic
def helpline_configure(*, actor, helpline_id: int, name: str, phone: str, alert_email: str,
                       hours: dict[str, list], holidays: bool, first_answer_minutes: dict[str, int],
                       notify_hours: int, danger_hours: int, plan_working_days: int, warn_minutes: int) -> Helpline:
    """Service hours, targets and contacts of one helpline. Targets apply to cases received from
    now on (a case's clocks were set when it arrived: a legal clock is never moved afterwards)."""
    helpline = _managed(actor, helpline_id)
    name = nfc(name or "").strip()
    if not name:
        raise DomainError("Hãy nhập tên tổng đài.", field="name")
    for urgency, minutes in first_answer_minutes.items():
        if urgency not in URGENCY_RANK or not 1 <= int(minutes) <= 7 * 24 * 60:
            raise DomainError("Thời hạn trả lời đầu tiên phải từ 1 phút đến 7 ngày.", field=f"first_{urgency}")
    if first_answer_minutes.get(Urgency.CRITICAL, 0) > first_answer_minutes.get(Urgency.URGENT, 10**9):
        raise DomainError("Ca khẩn cấp không thể có hạn trả lời dài hơn ca cần xử lý sớm.", field="first_critical")
    if danger_hours > 12:
        raise DomainError("Biện pháp khẩn cấp phải trong 12 giờ (Nghị định 56/2017/NĐ-CP, Điều 26).",
                          field="danger_hours")
    if not 1 <= notify_hours <= danger_hours:
        raise DomainError("Hạn báo UBND phải từ 1 giờ và không dài hơn hạn biện pháp khẩn cấp.", field="notify_hours")
    if not 1 <= plan_working_days <= 5:
        raise DomainError("Kế hoạch hỗ trợ phải lập trong 1–5 ngày làm việc (Nghị định 56/2017/NĐ-CP).",
                          field="plan_working_days")
    if not 1 <= warn_minutes <= 240:
        raise DomainError("Cảnh báo trước hạn từ 1 đến 240 phút.", field="warn_minutes")
    before = {"name": helpline.name, "hours": helpline.hours, "first_answer_minutes": helpline.first_answer_minutes,
              "notify_hours": helpline.notify_hours, "danger_hours": helpline.danger_hours,
              "plan_working_days": helpline.plan_working_days, "warn_minutes": helpline.warn_minutes}
    helpline.name, helpline.phone, helpline.alert_email = name[:200], nfc(phone or "").strip()[:40], alert_email or ""
    helpline.hours = {**{str(d): spans for d, spans in hours.items()}, **({"holidays": True} if holidays else {})}
    helpline.first_answer_minutes = {k: int(v) for k, v in first_answer_minutes.items()}
    helpline.notify_hours, helpline.danger_hours = notify_hours, danger_hours
    helpline.plan_working_days, helpline.warn_minutes = plan_working_days, warn_minutes
    helpline.save()
    audit_record(actor=actor, action="helpline.configure", target=helpline, before=before,
                 after={k: getattr(helpline, k) for k in before})
    return helpline


@transaction.atomic
def shift_add(*, actor, helpline_id: int, user_id: int, starts_at: datetime, ends_at: datetime) -> DutyShift:
    """Put a counsellor of this helpline (or a supervisor above it) on duty."""
    helpline = _managed(actor, helpline_id)
    person = next((u for u in selectors.counsellors_of(unit=helpline.unit) if u.pk == user_id), None)
    if person is None:
        raise DomainError("Người này không phải tư vấn viên của tổng đài.", field="user")
    if ends_at <= starts_at:
        raise DomainError("Ca trực phải kết thúc sau khi bắt đầu.", field="ends_at")
    if ends_at - starts_at > timedelta(hours=24):
        raise DomainError("Một ca trực không dài quá 24 giờ.", field="ends_at")
    if ends_at <= timezone.now():
        raise DomainError("Ca trực đã qua; chỉ xếp ca từ bây giờ trở đi.", field="ends_at")
    clash = helpline.shifts.filter(user=person, starts_at__lt=ends_at, ends_at__gt=starts_at).first()
    if clash:
        raise DomainError(f"{person.get_full_name() or person.username} đã có ca trực trùng giờ "
                          f"({timezone.localtime(clash.starts_at):%H:%M %d/%m}).", field="starts_at")
    shift = DutyShift.objects.create(helpline=helpline, user=person, starts_at=starts_at, ends_at=ends_at)
    audit_record(actor=actor, action="helpline.shift_add", target=helpline,
                 after={"user": person.username, "from": starts_at.isoformat(), "to": ends_at.isoformat()})
    return shift


@transaction.atomic
def shift_remove(*, actor, shift_id: int) -> None:
    shift = DutyShift.objects.filter(pk=shift_id).select_related("helpline", "user").first()
    if shift is None:
        raise NotFound("Không tìm thấy ca trực này.")
    helpline = _managed(actor, shift.helpline_id)
    if shift.ends_at <= timezone.now():
        raise DomainError("Ca trực đã qua được giữ lại để đối chiếu; không xóa được.")
    audit_record(actor=actor, action="helpline.shift_remove", target=helpline,
                 before={"user": shift.user.username, "from": shift.starts_at.isoformat(),
                         "to": shift.ends_at.isoformat()})
    shift.delete()
