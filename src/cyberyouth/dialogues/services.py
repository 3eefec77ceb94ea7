"""Every write of dialogues: planning, students' questions and votes, moderation, the host's
marks, the minutes, commitments, and the reminders the worker sends.

Anonymous questions: the service that stores one writes no author, no audit entry naming the
asker (the moderator's decision on it is audited), and counts the student's questions only in
`AskerTally` under a one-way key. See docs/dialogues.md, "Anonymity".
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
from datetime import date, time, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from cyberyouth.audit.services import audit_record, snapshot
from cyberyouth.errors import DomainError, ErrorCode, NotFound
from cyberyouth.lib.text import fold, has_control, nfc
from cyberyouth.notifications.services import notify
from cyberyouth.orgs import selectors as org_selectors
from cyberyouth.orgs.models import Role, RoleAssignment, Unit, User
from cyberyouth.students import selectors as student_selectors
from cyberyouth.students.models import SchoolClass, Student

from . import selectors
from .models import (
    Answer, AskerTally, Commitment, ComplianceReminder, Dialogue, Leader, Mode, Question, Review, Status, Vote,
)

log = logging.getLogger(__name__)

QUESTION_MIN, QUESTION_MAX = 10, 500


def questions_per_student() -> int:
    return int(getattr(settings, "DIALOGUES_QUESTIONS_PER_STUDENT", 3))


def _text(value, *, field: str, label: str, max_length: int, required: bool = True) -> str:
    if not isinstance(value, str) and value is not None:
        raise DomainError(f"{label}: phải là chữ.", field=field)
    value = nfc(value or "").strip()
    if required and not value:
        raise DomainError(f"Hãy điền {label.lower()}.", field=field)
    if len(value) > max_length:
        raise DomainError(f"{label} dài quá {max_length} ký tự.", field=field, code=ErrorCode.TOO_LONG)
    if has_control(value.replace("\n", "").replace("\r", "").replace("\t", "")):
        raise DomainError(f"{label} có ký tự không đọc được.", field=field, code=ErrorCode.CONTROL_CHARACTER)
    return value


def check_meeting_url(value: str) -> str:
    """An external meeting link (Zoom, Google Meet, Microsoft Teams …): http(s), a real host,
    no credentials in it. It is only ever shown as a link — never embedded in our pages."""
    value = (value or "").strip()
    if not value:
        return ""
    if len(value) > 500 or any(ch.isspace() or ord(ch) < 32 for ch in value):
        raise DomainError("Đường dẫn họp trực tuyến không hợp lệ.", field="meeting_url")
    parts = urlsplit(value)
    host = parts.hostname or ""
    if parts.scheme not in ("https", "http") or not re.fullmatch(r"[a-z0-9.-]+\.[a-z]{2,}", host) or parts.username:
        raise DomainError("Đường dẫn họp trực tuyến phải bắt đầu bằng https:// và có tên miền "
                          "(ví dụ https://meet.google.com/abc-defg-hij).", field="meeting_url")
    return value


def _school(actor, unit: Unit) -> None:
    org_selectors.require(actor=actor, capability=selectors.MANAGE, unit=unit, read=selectors.READ)
    if unit.unit_type not in selectors.school_types():
        raise DomainError("Chỉ trường học tổ chức đối thoại với học sinh.", field="unit")


def _classes(unit: Unit, class_ids) -> list[SchoolClass]:
    ids = {int(i) for i in class_ids or []}
    classes = list(SchoolClass.objects.filter(unit=unit, id__in=ids))
    if len(classes) != len(ids):
        raise DomainError("Có lớp không thuộc trường này.", field="classes")
    return classes


def _leaders(unit: Unit, leaders) -> list[dict]:
    """[{user (a staff account of the school) or None, name, position}] — at least one."""
    out = []
    staff = set(RoleAssignment.objects.filter(unit=unit).values_list("user_id", flat=True))
    for entry in leaders or []:
        user = entry.get("user")
        name = _text(entry.get("name") or (user.full_name or user.username if user else ""), field="leaders",
                     label="Họ tên lãnh đạo", max_length=120, required=False)
        position = _text(entry.get("position"), field="leaders", label="Chức vụ", max_length=120, required=False)
        if user is not None and user.id not in staff:
            raise DomainError("Tài khoản lãnh đạo phải là cán bộ của trường.", field="leaders")
        if name:
            out.append({"user": user, "name": name, "position": position})
    if not out:
        raise DomainError("Ghi ít nhất một lãnh đạo nhà trường tham gia đối thoại.", field="leaders")
    return out


def _check_plan(*, mode: str, place: str, meeting_url: str) -> None:
    if mode not in Mode.values:
        raise DomainError("Chọn hình thức: trực tiếp, trực tuyến, hoặc cả hai.", field="mode")
    if mode in (Mode.IN_PERSON, Mode.HYBRID) and not place:
        raise DomainError("Buổi đối thoại trực tiếp cần địa điểm.", field="place")
    if mode in (Mode.ONLINE, Mode.HYBRID) and not meeting_url:
        raise DomainError("Buổi đối thoại trực tuyến cần đường dẫn họp.", field="meeting_url")


def _invite(actor, dialogue: Dialogue, users) -> None:
    when = f"{dialogue.held_on:%d/%m/%Y}" + (f" lúc {dialogue.starts_at:%H:%M}" if dialogue.starts_at else "")
    notify(recipients=users, kind="other", unit=dialogue.unit, exclude=actor,
           title=f"Mời tham gia đối thoại với học sinh: {dialogue.title}",
           body=f"{dialogue.unit.name}, {when}, hình thức {dialogue.get_mode_display().lower()}.",
           link=reverse("dialogues:detail", args=[dialogue.id]))


@transaction.atomic
def dialogue_create(*, actor, unit: Unit, title: str, held_on: date, mode: str, leaders: list[dict],
                    starts_at: time | None = None, place: str = "", meeting_url: str = "", class_ids=(),
                    description: str = "", anonymous_allowed: bool = True) -> Dialogue:
    """Plan a dialogue at a school; the leaders with an account are told (bell and e-mail)."""
    _school(actor, unit)
    title = _text(title, field="title", label="Chủ đề", max_length=200)
    place = _text(place, field="place", label="Địa điểm", max_length=200, required=False)
    meeting_url = check_meeting_url(meeting_url)
    _check_plan(mode=mode, place=place, meeting_url=meeting_url)
    if not isinstance(held_on, date):
        raise DomainError("Ngày tổ chức không hợp lệ.", field="held_on")
    people = _leaders(unit, leaders)
    classes = _classes(unit, class_ids)
    dialogue = Dialogue.objects.create(
        unit=unit, title=title, held_on=held_on, starts_at=starts_at, mode=mode, place=place,
        meeting_url=meeting_url, anonymous_allowed=bool(anonymous_allowed), created_by=actor,
        description=_text(description, field="description", label="Nội dung", max_length=3000, required=False))
    dialogue.classes.set(classes)
    for p in people:
        Leader.objects.create(dialogue=dialogue, **p)
    audit_record(actor=actor, action="dialogues.plan", target=dialogue,
                 after={**snapshot(dialogue, fields=["title", "held_on", "mode", "place", "meeting_url"]),
                        "classes": [c.name for c in classes]},
                 note="Lãnh đạo: " + "; ".join(p["name"] for p in people))
    _invite(actor, dialogue, [p["user"] for p in people if p["user"]])
    return dialogue


@transaction.atomic
def dialogue_update(*, actor, dialogue: Dialogue, title: str, held_on: date, mode: str, leaders: list[dict],
                    starts_at: time | None = None, place: str = "", meeting_url: str = "", class_ids=(),
                    description: str = "", anonymous_allowed: bool = True) -> Dialogue:
    """Change a dialogue not yet held (the minutes fix a held one)."""
    dialogue = Dialogue.objects.select_for_update().get(id=dialogue.id)
    selectors.require_manage(actor=actor, dialogue=dialogue)
    if dialogue.status in (Status.HELD, Status.CANCELLED):
        raise DomainError("Buổi đối thoại đã kết thúc, không sửa được kế hoạch.", code=ErrorCode.LOCKED)
    before = snapshot(dialogue, fields=["title", "held_on", "mode", "place", "meeting_url"])
    dialogue.title = _text(title, field="title", label="Chủ đề", max_length=200)
    dialogue.place = _text(place, field="place", label="Địa điểm", max_length=200, required=False)
    dialogue.meeting_url = check_meeting_url(meeting_url)
    _check_plan(mode=mode, place=dialogue.place, meeting_url=dialogue.meeting_url)
    dialogue.held_on, dialogue.starts_at, dialogue.mode = held_on, starts_at, mode
    dialogue.description = _text(description, field="description", label="Nội dung", max_length=3000,
                                 required=False)
    dialogue.anonymous_allowed = bool(anonymous_allowed)
    people = _leaders(dialogue.unit, leaders)
    dialogue.classes.set(_classes(dialogue.unit, class_ids))
    dialogue.save()
    known = set(dialogue.leaders.exclude(user=None).values_list("user_id", flat=True))
    dialogue.leaders.all().delete()
    for p in people:
        Leader.objects.create(dialogue=dialogue, **p)
    audit_record(actor=actor, action="dialogues.update", target=dialogue, before=before,
                 after=snapshot(dialogue, fields=["title", "held_on", "mode", "place", "meeting_url"]))
    _invite(actor, dialogue, [p["user"] for p in people if p["user"] and p["user"].id not in known])
    return dialogue


_MOVES = {"start": ((Status.PLANNED,), Status.LIVE), "reopen": ((Status.LIVE,), Status.PLANNED),
          "cancel": ((Status.PLANNED, Status.LIVE), Status.CANCELLED)}


@transaction.atomic
def dialogue_move(*, actor, dialogue: Dialogue, move: str) -> Dialogue:
    """Start the dialogue (the host's board goes live), back to taking questions, or cancel it."""
    dialogue = Dialogue.objects.select_for_update().get(id=dialogue.id)
    selectors.require_manage(actor=actor, dialogue=dialogue)
    if move not in _MOVES:
        raise DomainError("Thao tác không hợp lệ.", field="move")
    sources, target = _MOVES[move]
    if dialogue.status not in sources:
        raise DomainError(f"Buổi đối thoại đang ở trạng thái “{dialogue.get_status_display()}”.",
                          code=ErrorCode.BAD_STATUS)
    before = dialogue.status
    dialogue.status = target
    dialogue.save(update_fields=["status"])
    audit_record(actor=actor, action=f"dialogues.{move}", target=dialogue, before={"status": before},
                 after={"status": target})
    return dialogue


# ---------------------------------------------------------------- students' questions and votes


def _keyed(*parts) -> str:
    message = ":".join(str(p) for p in parts).encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def tally_key(*, dialogue_id: int, student_id: int) -> str:
    """The one-way key of a student's count of questions to a dialogue."""
    return _keyed("dialogues-asker", dialogue_id, student_id)


def text_key(text: str) -> str:
    """The same question written again (case, accents, spaces, punctuation aside) has the same key."""
    folded = re.sub(r"[^\w]+", " ", fold(text)).strip()
    return hashlib.sha256(folded.encode()).hexdigest()


REDACTED = {"phone": "[số điện thoại]", "landline": "[số điện thoại]", "citizen_id": "[số định danh]",
            "email": "[thư điện tử]", "address": "[địa chỉ]", "student": "[tên học sinh]"}


def screen(text: str) -> tuple[str, list[str], int]:
    """The safety engine's reading of a question: the text with personal data replaced by what it
    was ("[số điện thoại]"), the engine's flags, and how many items were hidden. If the engine
    fails, the question waits for a person flagged "engine_error" — it is never lost."""
    try:
        from cyberyouth.safety import analyze

        verdict = analyze(text)
    except Exception:  # noqa: BLE001 — a student's question is kept even when screening broke
        log.exception("dialogue question screening failed")
        return text, ["engine_error"], 0
    flags = list(verdict.flags)
    if verdict.label != "CLEAN" and verdict.label.lower() not in flags:
        flags.append(verdict.label.lower())
    if verdict.urgent and "self_harm" not in flags:
        flags.append("self_harm")
    out, end = [], len(text)
    for item in sorted(verdict.personal_data, key=lambda p: p.start, reverse=True):
        if item.end <= end:
            out.append((item.start, item.end, REDACTED.get(item.type, "[thông tin cá nhân]")))
            end = item.start
    for start, stop, label in out:
        text = text[:start] + label + text[stop:]
    return text, flags, len(out)


def question_store(*, dialogue: Dialogue, text: str, author: Student | None) -> Question:
    """Screen and store a question (no author: anonymous). The checks of who may ask are the
    caller's (`question_ask`; the demo's questions from the school's paper question box)."""
    clean, flags, redacted = screen(text)
    key = text_key(clean)
    if Question.objects.filter(dialogue=dialogue, text_key=key).exists():
        raise DomainError("Đã có bạn gửi câu hỏi này. Em hãy bình chọn cho câu hỏi đó khi thầy cô đã duyệt.",
                          field="text", code=ErrorCode.DUPLICATE)
    return Question.objects.create(dialogue=dialogue, text=clean, text_key=key, anonymous=author is None,
                                   author=author, asked_on=timezone.localdate(), flags=flags, redacted=redacted)


def _eligible(*, student: Student, dialogue: Dialogue) -> None:
    # raises NotFound for another school's dialogue (or one not for the student's class)
    selectors.student_dialogue(student=student, dialogue_id=dialogue.id)
    if not dialogue.takes_questions:
        raise DomainError("Buổi đối thoại này không còn nhận câu hỏi.", code=ErrorCode.NOT_OPEN)


@transaction.atomic
def question_ask(*, actor, dialogue_id: int, text: str, anonymous: bool) -> Question:
    """A student's question to a dialogue of their school. Named: only with the account consent
    (Law 91/2025). Anonymous: no author, no audit entry naming the asker. Either way: checked by
    the safety engine (personal data redacted, harmful text flagged), counted against the limit
    in a table that cannot be joined back, refused when the same question exists, and waits for
    a person to approve it."""
    student = selectors.student_of(actor)
    dialogue = selectors.student_dialogue(student=student, dialogue_id=dialogue_id)
    dialogue = Dialogue.objects.select_for_update().get(id=dialogue.id)
    _eligible(student=student, dialogue=dialogue)
    text = _text(text, field="text", label="Câu hỏi", max_length=QUESTION_MAX)
    if len(text) < QUESTION_MIN:
        raise DomainError(f"Câu hỏi cần ít nhất {QUESTION_MIN} ký tự để thầy cô hiểu.", field="text")
    if anonymous and not dialogue.anonymous_allowed:
        raise DomainError("Buổi đối thoại này chỉ nhận câu hỏi có ghi tên.", field="anonymous")
    if not anonymous and not student_selectors.has_consent(student=student):
        raise DomainError("Em chưa có đồng ý của cha mẹ để gửi câu hỏi có ghi tên — em vẫn có thể hỏi ẩn danh.",
                          field="anonymous")
    tally, _ = AskerTally.objects.select_for_update().get_or_create(
        key=tally_key(dialogue_id=dialogue.id, student_id=student.id))
    if tally.count >= questions_per_student():
        raise DomainError(f"Mỗi em gửi được tối đa {questions_per_student()} câu hỏi cho một buổi đối thoại.",
                          field="text", code=ErrorCode.RATE_LIMITED)
    question = question_store(dialogue=dialogue, text=text, author=None if anonymous else student)
    AskerTally.objects.filter(key=tally.key).update(count=F("count") + 1)
    if not anonymous:
        audit_record(actor=actor, action="dialogues.ask", target=question, unit=dialogue.unit_id,
                     after={"dialogue": dialogue.id, "flags": question.flags, "redacted": question.redacted})
    return question


@transaction.atomic
def question_vote(*, actor, question_id) -> Question:
    """One vote per student per question (the unique constraint is the last word: two clicks at
    once still make one vote). Votes are named records: they need the account consent."""
    student = selectors.student_of(actor)
    question = selectors.student_question(student=student, question_id=question_id)
    _eligible(student=student, dialogue=question.dialogue)
    if not student_selectors.has_consent(student=student):
        raise DomainError("Em chưa có đồng ý của cha mẹ để bình chọn có ghi tên.", field="question")
    try:
        with transaction.atomic():
            Vote.objects.create(question=question, student=student, voted_on=timezone.localdate())
    except IntegrityError:
        raise DomainError("Em đã bình chọn câu hỏi này rồi.", field="question", code=ErrorCode.DUPLICATE) from None
    Question.objects.filter(id=question.id).update(vote_count=F("vote_count") + 1)
    question.refresh_from_db()
    return question


def _staff_question(actor, question_id) -> Question:
    question = selectors.get_question(actor=actor, question_id=question_id)
    selectors.require_manage(actor=actor, dialogue=question.dialogue)
    return question


@transaction.atomic
def question_review(*, actor, question_id, approve: bool, reason: str = "", text: str | None = None) -> Question:
    """A person's decision on a question: approve (with the text lightly edited, if need be —
    screened again), or not publish it, with a reason. Audited; the asker is never named."""
    question = _staff_question(actor, question_id)
    if not question.dialogue.takes_questions and question.review == Review.PENDING and approve:
        raise DomainError("Buổi đối thoại đã kết thúc.", code=ErrorCode.NOT_OPEN)
    before = {"review": question.review, "text": question.text}
    if approve:
        if text is not None and nfc(text).strip() and nfc(text).strip() != question.text:
            edited = _text(text, field="text", label="Câu hỏi", max_length=QUESTION_MAX)
            clean, flags, redacted = screen(edited)
            key = text_key(clean)
            if Question.objects.filter(dialogue=question.dialogue, text_key=key).exclude(id=question.id).exists():
                raise DomainError("Đã có câu hỏi giống hệt.", field="text", code=ErrorCode.DUPLICATE)
            question.text, question.text_key, question.redacted = clean, key, question.redacted + redacted
        question.review, question.review_reason = Review.APPROVED, ""
    else:
        question.review_reason = _text(reason, field="reason", label="Lý do không đăng", max_length=300)
        question.review = Review.REJECTED
    question.reviewed_by = actor
    question.save()
    audit_record(actor=actor, action="dialogues.review", target=question, unit=question.dialogue.unit_id,
                 before=before, after={"review": question.review, "text": question.text,
                                       "reason": question.review_reason})
    return question


@transaction.atomic
def question_mark(*, actor, question_id, answer: str, answer_text: str = "", answered_by: str = "") -> Question:
    """The host marks a question answered (or to be answered later, or referred), with the gist
    of the answer for the minutes."""
    question = _staff_question(actor, question_id)
    if question.review != Review.APPROVED:
        raise DomainError("Chỉ đánh dấu câu hỏi đã duyệt.", code=ErrorCode.BAD_STATUS)
    if answer not in Answer.values:
        raise DomainError("Chọn tình trạng trả lời.", field="answer")
    before = {"answer": question.answer, "answer_text": question.answer_text}
    question.answer = answer
    question.answer_text = _text(answer_text, field="answer_text", label="Nội dung trả lời", max_length=3000,
                                 required=False)
    question.answered_by = _text(answered_by, field="answered_by", label="Người trả lời", max_length=200,
                                 required=False)
    question.save(update_fields=["answer", "answer_text", "answered_by"])
    audit_record(actor=actor, action="dialogues.answer", target=question, unit=question.dialogue.unit_id,
                 before=before, after={"answer": answer, "answer_text": question.answer_text})
    return question


# ---------------------------------------------------------------- minutes and commitments


@transaction.atomic
def minutes_record(*, actor, dialogue: Dialogue, attendance: int, chair: str, secretary: str = "",
                   summary: str = "") -> Dialogue:
    """The closing report: how many students attended, who chaired, what was said. The dialogue is
    then held (it counts for the year); the minutes may be corrected later, each change audited."""
    dialogue = Dialogue.objects.select_for_update().get(id=dialogue.id)
    selectors.require_manage(actor=actor, dialogue=dialogue)
    if dialogue.status == Status.CANCELLED:
        raise DomainError("Buổi đối thoại đã hủy.", code=ErrorCode.BAD_STATUS)
    if dialogue.held_on > timezone.localdate():
        raise DomainError("Chưa đến ngày tổ chức: lập biên bản sau buổi đối thoại.", field="attendance",
                          code=ErrorCode.NOT_OPEN)
    if not isinstance(attendance, int) or isinstance(attendance, bool) or not 0 < attendance <= 100_000:
        raise DomainError("Số học sinh tham dự phải là số dương.", field="attendance")
    before = snapshot(dialogue, fields=["status", "attendance", "chair", "secretary", "summary"])
    dialogue.attendance = attendance
    dialogue.chair = _text(chair, field="chair", label="Chủ trì", max_length=200)
    dialogue.secretary = _text(secretary, field="secretary", label="Thư ký", max_length=200, required=False)
    dialogue.summary = _text(summary, field="summary", label="Diễn biến", max_length=20000, required=False)
    dialogue.status = Status.HELD
    dialogue.minutes_at = timezone.now()
    dialogue.save()
    audit_record(actor=actor, action="dialogues.minutes", target=dialogue, before=before,
                 after=snapshot(dialogue, fields=["status", "attendance", "chair", "secretary", "summary"]))
    return dialogue


@transaction.atomic
def commitment_add(*, actor, dialogue: Dialogue, text: str, owner_name: str, due_on: date, owner: User | None = None,
                   question_id=None) -> Commitment:
    """A commitment made at the dialogue, with who answers for it and by when; an owner with an
    account is told, and reminded before the deadline."""
    selectors.require_manage(actor=actor, dialogue=dialogue)
    if dialogue.status == Status.CANCELLED:
        raise DomainError("Buổi đối thoại đã hủy.", code=ErrorCode.BAD_STATUS)
    text = _text(text, field="text", label="Nội dung cam kết", max_length=500)
    owner_name = _text(owner_name or (owner.full_name if owner else ""), field="owner_name",
                       label="Người chịu trách nhiệm", max_length=200)
    if not isinstance(due_on, date) or due_on < dialogue.held_on:
        raise DomainError("Hạn hoàn thành phải từ ngày đối thoại trở đi.", field="due_on")
    if owner is not None and not (RoleAssignment.objects.filter(user=owner, unit=dialogue.unit).exists()
                                  and org_selectors.can(actor=owner, capability=selectors.READ, unit=dialogue.unit)):
        raise DomainError("Tài khoản người chịu trách nhiệm phải là cán bộ của trường được xem đối thoại "
                          "(hoặc ghi họ tên).", field="owner")
    question = None
    if question_id:
        question = dialogue.questions.filter(id=question_id).first()
        if question is None:
            raise DomainError("Câu hỏi không thuộc buổi đối thoại này.", field="question")
    c = Commitment.objects.create(dialogue=dialogue, text=text, owner=owner, owner_name=owner_name, due_on=due_on,
                                  question=question)
    audit_record(actor=actor, action="dialogues.commit", target=c, unit=dialogue.unit_id,
                 after={"text": text, "owner": owner_name, "due_on": due_on.isoformat()})
    if owner is not None:
        notify(recipients=[owner], kind="other", unit=dialogue.unit, exclude=actor,
               title=f"Cam kết sau đối thoại với học sinh — hạn {due_on:%d/%m/%Y}", body=text,
               link=reverse("dialogues:detail", args=[dialogue.id]))
    return c


@transaction.atomic
def commitment_done(*, actor, commitment_id: int, done_on: date, note: str = "") -> Commitment:
    c = Commitment.objects.select_related("dialogue__unit").filter(id=commitment_id).first()
    if c is None or not selectors.dialogues_visible(actor=actor).filter(id=c.dialogue_id).exists():
        raise NotFound("Không tìm thấy cam kết.")
    if not (selectors.may_manage(actor=actor, dialogue=c.dialogue) or (c.owner_id and c.owner_id == actor.pk)):
        selectors.require_manage(actor=actor, dialogue=c.dialogue)
    if c.done_on is not None:
        raise DomainError("Cam kết đã được ghi hoàn thành.", code=ErrorCode.EXISTS)
    if not isinstance(done_on, date) or done_on > timezone.localdate():
        raise DomainError("Ngày hoàn thành không được sau hôm nay.", field="done_on")
    c.done_on = done_on
    c.done_note = _text(note, field="note", label="Kết quả", max_length=500, required=False)
    c.save(update_fields=["done_on", "done_note"])
    audit_record(actor=actor, action="dialogues.commit_done", target=c, unit=c.dialogue.unit_id,
                 after={"done_on": done_on.isoformat(), "note": c.done_note})
    return c


# ---------------------------------------------------------------- reminders (the worker's housekeeping)


def _focal_points(unit_ids) -> dict[int, list]:
    people: dict[int, list] = {u: [] for u in unit_ids}
    for a in org_selectors.role_holders(unit_ids=list(unit_ids), role=Role.FOCAL_POINT):
        people.setdefault(a.unit_id, []).append(a.user)
    return people


def remind_commitments(*, on: date | None = None) -> int:
    """Commitments due within DIALOGUES_COMMITMENT_NOTICE_DAYS (7) or overdue, not done: their
    owner (or, without an account, the school's focal points) is told — at most once a week."""
    on = on or timezone.localdate()
    notice = int(getattr(settings, "DIALOGUES_COMMITMENT_NOTICE_DAYS", 7))
    due = (Commitment.objects.filter(done_on__isnull=True, due_on__lte=on + timedelta(days=notice))
           .exclude(reminded_on__gt=on - timedelta(days=7)).select_related("dialogue__unit", "owner"))
    sent = 0
    for c in due:
        with transaction.atomic():
            people = [c.owner] if c.owner_id and c.owner.is_active else _focal_points([c.dialogue.unit_id]).get(
                c.dialogue.unit_id, [])
            late = c.due_on < on
            notify(recipients=people, kind="reminder", unit=c.dialogue.unit,
                   title=("Quá hạn" if late else "Sắp đến hạn") + f" cam kết sau đối thoại: hạn {c.due_on:%d/%m/%Y}",
                   body=f"{c.text} — {c.owner_name}. Buổi đối thoại “{c.dialogue.title}” ngày "
                        f"{c.dialogue.held_on:%d/%m/%Y}, {c.dialogue.unit.name}.",
                   link=reverse("dialogues:detail", args=[c.dialogue_id]))
            Commitment.objects.filter(id=c.id).update(reminded_on=on)
            sent += 1
    return sent


def remind_schools(*, actor=None, on: date | None = None, unit_ids: set[int] | None = None) -> list[ComplianceReminder]:
    """Schools that have not yet held both an in-person and an online dialogue this year: their
    focal points are told, once a month, from DIALOGUES_REMIND_FROM_MONTH (3) on. `actor` (a
    person pressing the button) limits it to the schools they may remind."""
    on = on or timezone.localdate()
    if actor is not None:
        allowed = org_selectors.unit_ids(actor=actor, capability="dialogue.remind", history=False)
        unit_ids = allowed if unit_ids is None else unit_ids & allowed
    elif on.month < int(getattr(settings, "DIALOGUES_REMIND_FROM_MONTH", 3)):
        return []
    if unit_ids is None:
        unit_ids = set(Unit.objects.filter(unit_type__in=selectors.school_types()).values_list("id", flat=True))
    rows = [r for r in selectors.compliance_of(unit_ids=unit_ids, year=on.year)
            if not r.met and r.unit.is_active_on(on)]
    done = set(ComplianceReminder.objects.filter(year=on.year, month=on.month).values_list("unit_id", flat=True))
    rows = [r for r in rows if r.unit.id not in done]
    people = _focal_points([r.unit.id for r in rows])
    out = []
    for r in rows:
        with transaction.atomic():
            users = people.get(r.unit.id, [])
            row = ComplianceReminder.objects.create(unit=r.unit, year=on.year, month=on.month, missing=r.missing,
                                                    recipients=[u.username for u in users], sent_at=timezone.now())
            audit_record(actor=actor, action="dialogues.remind", target=row, unit=r.unit,
                         after={"year": on.year, "missing": r.missing, "recipients": row.recipients})
            notify(recipients=users, kind="reminder", unit=r.unit, exclude=actor,
                   title=f"Nhắc tổ chức đối thoại với học sinh năm {on.year} — {r.unit.name}",
                   body=f"Theo Kế hoạch, lãnh đạo nhà trường đối thoại với học sinh ít nhất 01 lần/năm theo cả hai "
                        f"phương thức trực tiếp và trực tuyến. Năm {on.year} nhà trường chưa tổ chức buổi "
                        f"{r.missing}.",
                   link=reverse("dialogues:list"))
            out.append(row)
    return out


def restamp() -> int:
    """Rewrite every tally row, then (in a second transaction) every pending anonymous question,
    so that the database's own bookkeeping (PostgreSQL's row version, `xmin`) no longer says
    which tally changed in the same transaction as which question was written. Approval rewrites
    a question too; this covers the hours before it."""
    with transaction.atomic():
        n = AskerTally.objects.update(count=F("count"))
    with transaction.atomic():
        Question.objects.filter(anonymous=True, review=Review.PENDING).update(vote_count=F("vote_count"))
    return n


def housekeeping() -> None:
    """Run hourly by the worker: the anonymity re-stamp, commitments' reminders, then schools'
    yearly reminders."""
    restamp()
    remind_commitments()
    remind_schools()


# ---------------------------------------------------------------- personal data


@transaction.atomic
def erase_student(*, student: Student) -> None:
    """A student's erasure: their named questions lose their name (kept as anonymous, so the
    minutes stand), their votes go (the counts stay)."""
    Question.objects.filter(author=student).update(author=None, anonymous=True)
    Vote.objects.filter(student=student).delete()
