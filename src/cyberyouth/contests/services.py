"""Every write of the contests app: the bank (versions, approval, import), contests and rounds,
attempts (start, answer, submit, expiry), ranking, reviews of suspicious attempts, certificates.

Keyword-only, one transaction each, audited (the audit log keeps ids, never a student's name:
decision 55). The answer path (`answer_save`) is one statement on PostgreSQL (a locked read of
the attempt and an insert, in one round trip) and writes no audit entry (an answer is the
student's own work, kept as its own row).
"""

from __future__ import annotations

import hashlib
import random
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from cyberyouth.audit.services import audit_record, snapshot
from cyberyouth.errors import DomainError, ErrorCode, NotFound, ScopeError
from cyberyouth.lib.text import fold, nfc
from cyberyouth.notifications.models import Kind
from cyberyouth.notifications.services import notify
from cyberyouth.orgs import selectors as org_selectors

from . import bankfile
from .models import (
    Answer, Attempt, AttemptState, Certificate, Contest, ContestTarget, Question, QuestionVersion, Review, Round,
    RoundPool, RoundResult, Tag,
)

DEADLINE_PASSED = "deadline_passed"
ATTEMPT_CLOSED = "attempt_closed"
NOT_IN_ATTEMPT = "not_in_attempt"
NO_ATTEMPTS_LEFT = "no_attempts_left"
ROUND_NOT_OPEN = "round_not_open"
SAME_PERSON = "same_person"


def _now() -> datetime:
    return timezone.now()


# ---------------------------------------------------------------- the question bank


def _tags(unit, names: list[str]) -> list[Tag]:
    out = []
    for name in names:
        name = nfc(name).strip()[:80]
        if name:
            out.append(Tag.objects.get_or_create(unit=unit, name=name)[0])
    return out


def _check_question(parsed: bankfile.ParsedQuestion) -> None:
    problems = bankfile.check(parsed)
    if problems:
        field = "options" if any("phương án" in p for p in problems) else "text"
        raise DomainError(problems[0], field=field)


def _parsed(*, kind, text, options, explanation="", source="", difficulty=2, tags=()) -> bankfile.ParsedQuestion:
    if kind == "truefalse":
        right = bool(options[0][1]) if options else True
        options = [(bankfile.TRUE_LABEL, right), (bankfile.FALSE_LABEL, not right)]
    return bankfile.ParsedQuestion(kind=kind, text=nfc(text).strip(),
                                   options=[(nfc(t).strip(), bool(c)) for t, c in options],
                                   explanation=nfc(explanation).strip(), source=nfc(source).strip(),
                                   difficulty=int(difficulty), tags=[nfc(t).strip() for t in tags if t.strip()])


def _new_version(*, question: Question, number: int, parsed: bankfile.ParsedQuestion, actor) -> QuestionVersion:
    version = QuestionVersion.objects.create(
        question=question, number=number, kind=parsed.kind, text=parsed.text,
        options=[{"text": t, "correct": c} for t, c in parsed.options], explanation=parsed.explanation,
        source=parsed.source, difficulty=parsed.difficulty, created_by=actor if getattr(actor, "pk", None) else None)
    version.tags.set(_tags(question.unit, parsed.tags))
    return version


def _ask_approval(*, actor, unit, count: int, text: str = "") -> None:
    """Tell the people who may approve questions of `unit`'s bank (not the author: a question needs
    a second person) that drafts wait for them — through the one notification mechanism."""
    people = org_selectors.capability_holders(unit=unit, capability="contest.manage")
    title = (f"Câu hỏi chờ duyệt: {text[:120]}" if count == 1 and text
             else f"{count} câu hỏi chờ duyệt ở ngân hàng câu hỏi của {unit.name}")
    notify(recipients=people, kind=Kind.OTHER, unit=unit, exclude=actor, title=title,
           body="Câu hỏi chỉ được rút vào đề thi sau khi một người khác người soạn duyệt.",
           link=reverse("contests:bank", args=[unit.code]) + "?loc=pending")


def question_create(*, actor, unit, kind: str, text: str, options: list[tuple[str, bool]], explanation: str = "",
                    source: str = "", difficulty: int = 2, tags: list[str] = ()) -> QuestionVersion:
    """A new question of `unit`'s bank (version 1, awaiting a second person's approval)."""
    org_selectors.require(actor=actor, capability="contest.manage", unit=unit, read="contest.read")
    parsed = _parsed(kind=kind, text=text, options=options, explanation=explanation, source=source,
                     difficulty=difficulty, tags=tags)
    _check_question(parsed)
    with transaction.atomic():
        question = Question.objects.create(unit=unit)
        version = _new_version(question=question, number=1, parsed=parsed, actor=actor)
        audit_record(actor=actor, action="contests.question_create", target=question, unit=unit,
                     after={"version": version.number, "kind": kind})
        _ask_approval(actor=actor, unit=unit, count=1, text=version.text)
    return version


def question_edit(*, actor, question: Question, kind: str, text: str, options: list[tuple[str, bool]],
                  explanation: str = "", source: str = "", difficulty: int = 2, tags: list[str] = ()
                  ) -> QuestionVersion:
    """Change a question's words. A draft nobody approved yet is changed in place; an approved
    version never changes: the edit becomes a new version, which needs approval, while the old
    one is still drawn and attempts keep the version they saw."""
    org_selectors.require(actor=actor, capability="contest.manage", unit=question.unit, read="contest.read")
    parsed = _parsed(kind=kind, text=text, options=options, explanation=explanation, source=source,
                     difficulty=difficulty, tags=tags)
    _check_question(parsed)
    with transaction.atomic():
        latest = question.versions.select_for_update().order_by("-number").first()
        if latest is not None and not latest.approved:
            before = snapshot(latest, fields=["text", "kind", "difficulty"])
            latest.kind, latest.text, latest.explanation = parsed.kind, parsed.text, parsed.explanation
            latest.options = [{"text": t, "correct": c} for t, c in parsed.options]
            latest.source, latest.difficulty = parsed.source, parsed.difficulty
            latest.created_by = actor
            latest.save()
            latest.tags.set(_tags(question.unit, parsed.tags))
            version = latest
        else:
            before = {"version": latest.number if latest else None}
            version = _new_version(question=question, number=(latest.number + 1) if latest else 1, parsed=parsed,
                                   actor=actor)
            _ask_approval(actor=actor, unit=question.unit, count=1, text=version.text)
        audit_record(actor=actor, action="contests.question_edit", target=question, unit=question.unit,
                     before=before, after={"version": version.number})
    return version


def question_approve(*, actor, version: QuestionVersion) -> QuestionVersion:
    """A second person approves a version: from now on it is the one drawn into new attempts."""
    question = version.question
    org_selectors.require(actor=actor, capability="contest.manage", unit=question.unit, read="contest.read")
    with transaction.atomic():
        version = QuestionVersion.objects.select_for_update().get(pk=version.pk)
        if version.approved:
            return version
        if version.created_by_id == getattr(actor, "pk", None):
            raise DomainError("Câu hỏi cần một người khác duyệt: người soạn không tự duyệt câu của mình.",
                              code=SAME_PERSON)
        newer = question.versions.filter(number__gt=version.number).exists()
        if newer:
            raise DomainError("Câu hỏi đã có phiên bản mới hơn; hãy duyệt phiên bản mới nhất.",
                              code=ErrorCode.CONFLICT)
        version.approved_by, version.approved_at = actor, _now()
        version.save(update_fields=["approved_by", "approved_at"])
        Question.objects.filter(pk=question.pk).update(live=version, retired=False)
        audit_record(actor=actor, action="contests.question_approve", target=question, unit=question.unit,
                     after={"version": version.number})
    _bank_changed(question.unit_id)
    return version


def question_retire(*, actor, question: Question, retired: bool = True) -> Question:
    """Stop drawing a question (attempts that drew it keep it)."""
    org_selectors.require(actor=actor, capability="contest.manage", unit=question.unit, read="contest.read")
    with transaction.atomic():
        Question.objects.filter(pk=question.pk).update(retired=retired)
        audit_record(actor=actor, action="contests.question_retire", target=question, unit=question.unit,
                     after={"retired": retired})
    _bank_changed(question.unit_id)
    question.refresh_from_db()
    return question


def bank_import(*, actor, unit, data: bytes, name: str) -> list[QuestionVersion]:
    """Every question of a file (XLSX template, Moodle XML, GIFT) into `unit`'s bank, each as a
    draft awaiting approval — or none at all: a file with any fault (broken XML, a formula, a
    question without a right answer, a question already in the bank) imports nothing and says
    where each fault is."""
    org_selectors.require(actor=actor, capability="contest.manage", unit=unit, read="contest.read")
    parsed = bankfile.read(data, name)
    existing = {fold(t) for t in QuestionVersion.objects.filter(question__unit=unit).values_list("text", flat=True)}
    faults, seen = [], set()
    for q in parsed:
        key = fold(q.text)
        if key in existing:
            faults.append(bankfile.Fault(q.where, "Câu này đã có trong ngân hàng câu hỏi của đơn vị."))
        elif key in seen:
            faults.append(bankfile.Fault(q.where, "Câu này lặp lại trong tệp."))
        seen.add(key)
    if faults:
        raise bankfile.BankFileErrors(faults)
    versions = []
    with transaction.atomic():
        for q in parsed:
            question = Question.objects.create(unit=unit)
            versions.append(_new_version(question=question, number=1, parsed=q, actor=actor))
        audit_record(actor=actor, action="contests.bank_import", target=unit, unit=unit,
                     after={"file": name[:120], "questions": len(versions)})
        if versions:
            _ask_approval(actor=actor, unit=unit, count=len(versions), text=versions[0].text)
    return versions


def _bank_changed(unit_id: int) -> None:
    try:
        cache.incr(f"contests:bank:{unit_id}")
    except ValueError:
        cache.set(f"contests:bank:{unit_id}", 1, None)


# ---------------------------------------------------------------- contests and rounds


def contest_create(*, actor, unit, title: str, description: str = "", audience: list, grades: list[int] = (),
                   prizes: list[int] = (1, 2, 3, 5)) -> Contest:
    """A contest of `unit` for the students of the audience units' subtrees (and grades)."""
    org_selectors.require(actor=actor, capability="contest.manage", unit=unit, read="contest.read")
    title = nfc(title).strip()
    if not title:
        raise DomainError("Cần tên cuộc thi.", field="title")
    if not audience:
        raise DomainError("Chọn ít nhất một đơn vị dự thi.", field="audience")
    if any(not 1 <= int(g) <= 12 for g in grades):
        raise DomainError("Khối lớp từ 1 đến 12.", field="grades")
    if len(prizes) != 4 or any(int(p) < 0 for p in prizes):
        raise DomainError("Cơ cấu giải: số giải Nhất, Nhì, Ba, Khuyến khích.", field="prizes")
    with transaction.atomic():
        contest = Contest.objects.create(unit=unit, title=title, description=nfc(description).strip(),
                                         grades=sorted({int(g) for g in grades}), prizes=[int(p) for p in prizes],
                                         created_by=actor)
        contest.audience.set(audience)
        audit_record(actor=actor, action="contests.contest_create", target=contest, unit=unit,
                     after={"title": title, "audience": [u.code for u in audience]})
    return contest


def target_set(*, actor, contest: Contest, unit, participants: int) -> ContestTarget:
    """The number of students of `unit` expected to take part (the "% of target" figures)."""
    org_selectors.require(actor=actor, capability="contest.manage", unit=contest.unit, read="contest.read")
    if participants < 0:
        raise DomainError("Chỉ tiêu không âm.", field="participants")
    with transaction.atomic():
        target, _ = ContestTarget.objects.update_or_create(contest=contest, unit=unit,
                                                           defaults={"participants": participants})
        audit_record(actor=actor, action="contests.target_set", target=contest, unit=contest.unit,
                     after={"unit": unit.code, "participants": participants})
    return target


def _available(unit_id: int, tag_id: int | None, difficulty: int | None) -> int:
    qs = Question.objects.filter(unit_id=unit_id, live__isnull=False, retired=False)
    if tag_id:
        qs = qs.filter(live__tags=tag_id)
    if difficulty:
        qs = qs.filter(live__difficulty=difficulty)
    return qs.count()


def round_create(*, actor, contest: Contest, title: str, opens_at: datetime, closes_at: datetime,
                 time_limit_seconds: int = 600, attempts_allowed: int = 1, topic: str = "",
                 pools: list[tuple[Tag | None, int | None, int]]) -> Round:
    """A round drawing, per attempt, `count` approved questions from each pool (topic, difficulty)."""
    org_selectors.require(actor=actor, capability="contest.manage", unit=contest.unit, read="contest.read")
    if closes_at <= opens_at:
        raise DomainError("Giờ đóng phải sau giờ mở.", field="closes_at")
    if not 30 <= time_limit_seconds <= 4 * 3600:
        raise DomainError("Thời gian làm bài từ 30 giây đến 4 giờ.", field="time_limit_seconds")
    if not 1 <= attempts_allowed <= 100:
        raise DomainError("Số lượt thi từ 1 đến 100.", field="attempts_allowed")
    if not pools or any(count < 1 for _, _, count in pools):
        raise DomainError("Cần ít nhất một nhóm câu hỏi, mỗi nhóm ít nhất 1 câu.", field="pools")
    total = sum(count for _, _, count in pools)
    if total > 100:
        raise DomainError("Nhiều nhất 100 câu mỗi lượt.", field="pools")
    for tag, difficulty, count in pools:
        have = _available(contest.unit_id, tag.id if tag else None, difficulty)
        if have < count:
            raise DomainError(f"Nhóm “{tag.name if tag else 'mọi chủ đề'}”"
                              f"{' — độ khó ' + str(difficulty) if difficulty else ''} chỉ có {have} câu đã duyệt, "
                              f"cần {count}.", field="pools")
    with transaction.atomic():
        number = (contest.rounds.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        rnd = Round.objects.create(contest=contest, number=number, title=nfc(title).strip() or f"Vòng {number}",
                                   topic=nfc(topic).strip(), opens_at=opens_at, closes_at=closes_at,
                                   time_limit_seconds=time_limit_seconds, questions_per_attempt=total,
                                   attempts_allowed=attempts_allowed)
        RoundPool.objects.bulk_create([RoundPool(round=rnd, tag=tag, difficulty=difficulty, count=count)
                                       for tag, difficulty, count in pools])
        audit_record(actor=actor, action="contests.round_create", target=contest, unit=contest.unit,
                     after={"round": number, "opens_at": opens_at.isoformat(), "closes_at": closes_at.isoformat(),
                            "questions": total})
    return rnd


# ---------------------------------------------------------------- attempts

POOL_CACHE_SECONDS = 60


def _pool_candidates(rnd: Round) -> list[tuple[int, list[tuple[int, int, int, str]]]]:
    """[(count, [(version id, options, right bitmask, kind)])] per pool, cached per process (or
    in Redis) for a minute and until the bank changes: a mass start reads the bank once."""
    generation = cache.get(f"contests:bank:{rnd.contest.unit_id}", 0)
    key = f"contests:pool:{rnd.id}:{rnd.opens_at.timestamp():.0f}:{rnd.questions_per_attempt}:{generation}"
    found = cache.get(key)
    if found is not None:
        return found
    out = []
    for pool in rnd.pools.all():
        qs = QuestionVersion.objects.filter(question__unit_id=rnd.contest.unit_id, question__retired=False,
                                            question__live_id=F("id"))
        if pool.tag_id:
            qs = qs.filter(tags=pool.tag_id)
        if pool.difficulty:
            qs = qs.filter(difficulty=pool.difficulty)
        rows = [(v.id, len(v.options), sum(1 << i for i in v.correct_indexes()), v.kind)
                for v in qs.only("id", "options", "kind").order_by("id")]
        out.append((pool.count, rows))
    cache.set(key, out, POOL_CACHE_SECONDS)
    return out


def _layout(rnd: Round, rng: random.Random) -> list[dict]:
    slots, used = [], set()
    for count, rows in _pool_candidates(rnd):
        free = [r for r in rows if r[0] not in used]
        if len(free) < count:
            raise DomainError("Ngân hàng câu hỏi của vòng thi chưa đủ câu đã duyệt; báo ban tổ chức.",
                              code=ROUND_NOT_OPEN)
        for version_id, n, right, kind in rng.sample(free, count):
            used.add(version_id)
            order = list(range(n))
            if kind != "truefalse":
                rng.shuffle(order)
            mask = sum(1 << shown for shown, original in enumerate(order) if right >> original & 1)
            slots.append({"v": version_id, "o": order, "c": mask, "m": kind == "multiple"})
    rng.shuffle(slots)
    return slots


def _student_of(actor):
    from . import selectors

    student = selectors.participant(user_id=getattr(actor, "pk", None))
    if student is None:
        raise ScopeError("Chỉ học sinh có tài khoản mới tham gia thi.")
    return student


def attempt_start(*, actor, rnd: Round, rng: random.Random | None = None) -> Attempt:
    """Start (or resume) the actor's attempt at `rnd`. An attempt in progress is returned as it
    is (a reload or a lost connection resumes it with the time left); otherwise a new one is drawn
    while the round is open and attempts are left. One insert: the layout is drawn in memory.
    `rng` only for the demo, whose rankings must be the same on every machine; a student's draw
    is seeded from the system's randomness."""
    from . import selectors

    student = _student_of(actor)
    selectors.require_eligible(student=student, rnd=rnd)
    now = _now()
    mine = list(Attempt.objects.filter(round=rnd, student=student).order_by("-number"))
    current = next((a for a in mine if a.state == AttemptState.IN_PROGRESS), None)
    if current is not None:
        if current.deadline > now:
            return current
        attempt_expire(attempt=current)
    if not rnd.opens_at <= now < rnd.closes_at:
        raise DomainError("Vòng thi chưa mở hoặc đã đóng.", code=ROUND_NOT_OPEN)
    used = len(mine)
    if used >= rnd.attempts_allowed:
        raise DomainError(f"Em đã dùng hết {rnd.attempts_allowed} lượt thi của vòng này.", code=NO_ATTEMPTS_LEFT)
    layout = _layout(rnd, rng or random.Random(secrets.randbits(64)))
    try:
        with transaction.atomic():
            return Attempt.objects.create(
                round=rnd, student=student, user=actor, number=used + 1, unit_id=student.unit_id,
                school_class_id=student.class_id, layout=layout, started_at=now,
                deadline=min(now + timedelta(seconds=rnd.time_limit_seconds), rnd.closes_at))
    except IntegrityError:  # the same student pressed "start" twice at once: the first one won
        return Attempt.objects.filter(round=rnd, student=student).order_by("-number").first()


class SessionEnded(DomainError):
    """An answer sent with a page's token after the session the page was opened in has ended."""

    status_code = 401

    def __init__(self) -> None:
        super().__init__("Phiên đăng nhập đã kết thúc. Em hãy đăng nhập lại để làm tiếp bài thi.",
                         code=ErrorCode.FORBIDDEN)


_UPSERT = """
INSERT INTO contests_answer (attempt_id, slot, choice, correct, answered_at) VALUES (%s, %s, %s, %s, %s)
ON CONFLICT (attempt_id, slot) DO UPDATE SET choice = excluded.choice, correct = excluded.correct,
    answered_at = excluded.answered_at
WHERE contests_answer.choice <> excluded.choice
"""

# The happy path of `answer_save` in one round trip (PostgreSQL): the attempt is read under a
# share lock (a hand-in waits for it, and an answer waits for a hand-in, which then refuses it),
# the checks of the careful path are made in SQL, and the answer is written or replaced. No row
# back means "not this way" — a refusal or the same answer again — and the careful path decides.
_UPSERT_CHECKED = """
WITH a AS (SELECT id, layout -> %(slot)s::int AS s FROM contests_attempt
           WHERE id = %(attempt)s AND user_id = %(user)s AND state = %(state)s AND deadline > %(now)s
                 AND (%(session)s::text IS NULL OR EXISTS (
                     SELECT 1 FROM django_session WHERE session_key = %(session)s AND expire_date > %(now)s))
           FOR SHARE OF contests_attempt)
INSERT INTO contests_answer (attempt_id, slot, choice, correct, answered_at)
SELECT a.id, %(slot)s, %(mask)s, (a.s ->> 'c')::int = %(mask)s, %(now)s FROM a
WHERE a.s IS NOT NULL AND %(mask)s < (1 << jsonb_array_length(a.s -> 'o'))
      AND (%(single)s OR (a.s ->> 'm')::boolean)
ON CONFLICT (attempt_id, slot) DO UPDATE SET choice = excluded.choice, correct = excluded.correct,
    answered_at = excluded.answered_at
WHERE contests_answer.choice <> excluded.choice
RETURNING 1
"""


def answer_save(*, actor, attempt_id: int, slot: int, choice: list[int]) -> dict:
    """Save one answer as it is given. Refused after the deadline (kept by the server), on an
    attempt already handed in, at a slot that is not in the attempt or with an option that is not
    shown there. The same answer twice changes nothing; a new answer replaces the old one.

    `actor` needs only a `pk`: the attempt page's answers arrive with a signed token instead of a
    session (`answer_path`). Such an actor also carries `session_key`, the session the page was
    opened in: its answers are taken only while that session lives (SessionEnded once its owner
    has logged out) — checked inside the same statement on PostgreSQL, so it costs no round trip."""
    now = _now()
    session_key = getattr(actor, "session_key", None)
    chosen = set(choice)
    valid = (isinstance(slot, int) and 0 <= slot < 1000 and chosen
             and all(isinstance(i, int) and 0 <= i < 30 for i in chosen))
    if valid and connection.vendor == "postgresql":
        mask = sum(1 << i for i in chosen)
        with connection.cursor() as cursor:
            cursor.execute(_UPSERT_CHECKED, {"slot": slot, "attempt": attempt_id, "user": getattr(actor, "pk", -1),
                                             "session": session_key,
                                             "state": AttemptState.IN_PROGRESS.value, "now": now, "mask": mask,
                                             "single": len(chosen) == 1})
            if cursor.fetchone() is not None:
                return {"slot": slot, "choice": sorted(chosen), "changed": True, "saved_at": now}
    with transaction.atomic():
        attempt = (Attempt.objects.select_for_update().only("id", "user_id", "state", "deadline", "layout")
                   .filter(pk=attempt_id, user_id=getattr(actor, "pk", -1)).first())
        if attempt is None:
            raise NotFound("Không tìm thấy bài thi.")
        if session_key is not None and not Session.objects.filter(session_key=session_key,
                                                                  expire_date__gt=now).exists():
            raise SessionEnded()
        if attempt.state != AttemptState.IN_PROGRESS:
            raise DomainError("Bài thi đã nộp; không sửa được câu trả lời.", code=ATTEMPT_CLOSED)
        if now >= attempt.deadline:
            raise DomainError("Đã hết giờ làm bài; câu trả lời này không được tính.", code=DEADLINE_PASSED)
        if not isinstance(slot, int) or not 0 <= slot < len(attempt.layout):
            raise DomainError("Câu hỏi này không có trong bài thi của em.", field="slot", code=NOT_IN_ATTEMPT)
        layout = attempt.layout[slot]
        if not chosen or any(not isinstance(i, int) or not 0 <= i < len(layout["o"]) for i in chosen):
            raise DomainError("Phương án không có trong câu hỏi.", field="choice", code=NOT_IN_ATTEMPT)
        if not layout.get("m") and len(chosen) != 1:
            raise DomainError("Câu này chỉ chọn một phương án.", field="choice")
        mask = sum(1 << i for i in chosen)
        with connection.cursor() as cursor:
            cursor.execute(_UPSERT, [attempt.id, slot, mask, mask == layout["c"], now])
            changed = cursor.rowcount > 0
    return {"slot": slot, "choice": sorted(chosen), "changed": changed, "saved_at": now}


def _answers_hash(attempt: Attempt, answers: dict[int, int]) -> str:
    """The same answers to the same questions give the same hash, whatever the options' order
    on each screen: choices are mapped back to the questions' own options."""
    parts = []
    for slot, entry in enumerate(attempt.layout):
        mask = answers.get(slot, 0)
        original = sorted(entry["o"][i] for i in range(len(entry["o"])) if mask >> i & 1)
        parts.append((entry["v"], original))
    parts.sort()
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def _finish(attempt: Attempt, *, at: datetime, state: str, prediction: int | None) -> Attempt:
    saved = list(Answer.objects.filter(attempt=attempt).values_list("slot", "choice", "correct"))
    rows = {slot: choice for slot, choice, _ in saved}
    right = sum(1 for *_, correct in saved if correct)
    attempt.state, attempt.submitted_at, attempt.prediction = state, at, prediction
    attempt.score = right
    attempt.duration_ms = max(0, int((at - attempt.started_at).total_seconds() * 1000))
    attempt.answers_hash = _answers_hash(attempt, rows)
    attempt.save(update_fields=["state", "submitted_at", "prediction", "score", "duration_ms", "answers_hash"])
    return attempt


def attempt_submit(*, actor, attempt_id: int, prediction: int | None) -> Attempt:
    """Hand in an attempt with the tie-break prediction ("how many participants will answer
    everything correctly?"). Handing in twice changes nothing; after the deadline the attempt
    has closed itself with the answers saved by then (and no prediction)."""
    if prediction is not None and not 0 <= prediction <= 10_000_000:
        raise DomainError("Dự đoán là một số từ 0 đến 10.000.000.", field="prediction", code=ErrorCode.OUT_OF_RANGE)
    now = _now()
    with transaction.atomic():
        attempt = Attempt.objects.select_for_update().filter(pk=attempt_id,
                                                             user_id=getattr(actor, "pk", -1)).first()
        if attempt is None:
            raise NotFound("Không tìm thấy bài thi.")
        if attempt.state != AttemptState.IN_PROGRESS:
            return attempt
        if now >= attempt.deadline:
            return _finish(attempt, at=attempt.deadline, state=AttemptState.EXPIRED, prediction=None)
        if prediction is None:
            raise DomainError("Em hãy dự đoán số người trả lời đúng tất cả các câu.", field="prediction")
        return _finish(attempt, at=now, state=AttemptState.SUBMITTED, prediction=prediction)


def attempt_expire(*, attempt: Attempt) -> Attempt:
    """Close an attempt whose deadline passed, with the answers saved by then."""
    with transaction.atomic():
        locked = Attempt.objects.select_for_update().get(pk=attempt.pk)
        if locked.state == AttemptState.IN_PROGRESS and locked.deadline <= _now():
            _finish(locked, at=locked.deadline, state=AttemptState.EXPIRED, prediction=None)
    return locked


def expire_overdue(*, rnd: Round | None = None, limit: int = 100_000) -> int:
    """Close every attempt whose deadline passed (the worker's housekeeping; ranking first)."""
    qs = Attempt.objects.filter(state=AttemptState.IN_PROGRESS, deadline__lte=_now())
    if rnd is not None:
        qs = qs.filter(round=rnd)
    n = 0
    for attempt in qs.only("id")[:limit]:
        attempt_expire(attempt=attempt)
        n += 1
    return n


# ---------------------------------------------------------------- ranking

_RANK_SQL = """
INSERT INTO contests_roundresult (round_id, student_id, attempt_id, unit_id, school_class_id, rank, score, max_score,
                                  distance, duration_ms, submitted_at, attempts)
SELECT round_id, student_id, id, unit_id, school_class_id,
       RANK() OVER (ORDER BY score DESC, dist ASC, duration_ms ASC, submitted_at ASC),
       score, %(max)s, CASE WHEN prediction IS NULL THEN NULL ELSE dist END, duration_ms, submitted_at, n
FROM (
  SELECT a.id, a.round_id, a.student_id, a.unit_id, a.school_class_id, a.score, a.prediction, a.duration_ms,
         a.submitted_at,
         COALESCE(ABS(a.prediction - %(full)s), 2147483647) AS dist,
         ROW_NUMBER() OVER (PARTITION BY a.student_id ORDER BY a.score DESC,
                            COALESCE(ABS(a.prediction - %(full)s), 2147483647) ASC, a.duration_ms ASC,
                            a.submitted_at ASC, a.id ASC) AS best,
         COUNT(*) OVER (PARTITION BY a.student_id) AS n
  FROM contests_attempt a
  WHERE a.round_id = %(round)s AND a.state IN ('submitted', 'expired') AND a.review <> 'excluded'
) t
WHERE best = 1
"""


def round_rank(*, rnd: Round, actor=None, again: bool = False) -> Round:
    """Rank a closed round: every attempt past its deadline is closed first; the real count of
    participants who answered everything correctly is taken; each student's best attempt is
    ranked by score, then |prediction − that count| (no prediction last), then time taken, then
    submission time (equal on all four: the same rank). Published from then on."""
    if _now() < rnd.closes_at:
        raise DomainError("Vòng thi chưa đóng; kết quả được công bố khi vòng thi đóng.", code=ROUND_NOT_OPEN)
    expire_overdue(rnd=rnd)
    with transaction.atomic():
        rnd = Round.objects.select_for_update().get(pk=rnd.pk)
        if not again and rnd.ranked_at is not None and rnd.ranked_at >= rnd.closes_at:
            return rnd  # another request ranked it while this one waited for the lock
        finished = Attempt.objects.filter(round=rnd, state__in=[AttemptState.SUBMITTED, AttemptState.EXPIRED]
                                          ).exclude(review=Review.EXCLUDED)
        full = finished.filter(score=rnd.questions_per_attempt).values("student_id").distinct().count()
        RoundResult.objects.filter(round=rnd).delete()
        with connection.cursor() as cursor:
            cursor.execute(_RANK_SQL, {"max": rnd.questions_per_attempt, "full": full, "round": rnd.id})
            ranked = cursor.rowcount
        rnd.full_marks_count, rnd.ranked_at, rnd.ranked_count = full, _now(), ranked
        rnd.save(update_fields=["full_marks_count", "ranked_at", "ranked_count"])
        audit_record(actor=actor, action="contests.round_rank", target=rnd.contest, unit=rnd.contest.unit,
                     after={"round": rnd.number, "full_marks": full, "ranked": ranked})
    return rnd


def rank_closed_rounds() -> int:
    """Rank every round that closed and was not ranked since (the worker, hourly; pages on demand)."""
    n = 0
    for rnd in Round.objects.filter(closes_at__lte=_now()).filter(
            Q(ranked_at__isnull=True) | Q(ranked_at__lt=F("closes_at"))).select_related("contest"):
        round_rank(rnd=rnd)
        n += 1
    return n


def attempt_review(*, actor, attempt: Attempt, decision: str, note: str) -> Attempt:
    """The organiser's decision on a suspicious attempt: valid, or excluded from the ranking
    (with the reason). Nothing is excluded automatically. A ranked round is ranked again."""
    rnd = attempt.round
    org_selectors.require(actor=actor, capability="contest.manage", unit=rnd.contest.unit, read="contest.read")
    if decision not in (Review.CLEARED, Review.EXCLUDED):
        raise DomainError("Chọn “hợp lệ” hoặc “loại khỏi xếp hạng”.", field="decision")
    note = nfc(note).strip()
    if decision == Review.EXCLUDED and not note:
        raise DomainError("Ghi lý do loại khỏi xếp hạng.", field="note")
    with transaction.atomic():
        before = {"review": attempt.review}
        Attempt.objects.filter(pk=attempt.pk).update(review=decision, review_note=note[:300], reviewed_by=actor)
        audit_record(actor=actor, action="contests.attempt_review", target=rnd.contest, unit=rnd.contest.unit,
                     before=before, after={"attempt": attempt.pk, "review": decision})
    if rnd.ranked_at is not None:
        round_rank(rnd=rnd, actor=actor, again=True)
    attempt.refresh_from_db()
    return attempt


# ---------------------------------------------------------------- certificates

CODE_ALPHABET = "ACDEFGHJKLMNPQRTUVWXY34679"  # no look-alikes (decision 57)


def certificate_issue(*, actor, rnd: Round, site: str = "") -> Certificate:
    """The actor's certificate of their result in a ranked round (made once; the same file
    afterwards). Named only with the family's consent to a public name; the verification page
    shows the PDF's SHA-256."""
    from django.core.files.base import ContentFile

    from cyberyouth.students.selectors import has_consent

    from . import certificates

    student = _student_of(actor)
    existing = Certificate.objects.filter(round=rnd, student=student).first()
    if existing is not None:
        return existing
    result = RoundResult.objects.filter(round=rnd, student=student).select_related("round__contest").first()
    if result is None:
        raise NotFound("Chưa có kết quả của em ở vòng thi này (kết quả có khi vòng thi đóng).")
    named = has_consent(student=student, purpose="public_name")
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))
    issued = _now()
    pdf = certificates.certificate_pdf(result=result, student=student, named=named, code=code, issued_at=issued,
                                       site=site or getattr(settings, "SITE_URL", ""))
    with transaction.atomic():
        try:
            with transaction.atomic():
                cert = Certificate(round=rnd, student=student, attempt_id=result.attempt_id, rank=result.rank,
                                   score=result.score, max_score=result.max_score, code=code, issued_at=issued,
                                   named=named, pdf_sha256=hashlib.sha256(pdf).hexdigest())
                cert.pdf.save(f"{code}.pdf", ContentFile(pdf), save=False)
                cert.save()
        except IntegrityError:
            return Certificate.objects.get(round=rnd, student=student)
        audit_record(actor=actor, action="contests.certificate_issue", target=rnd.contest, unit=student.unit,
                     after={"round": rnd.number, "code": code})
    return cert


# ---------------------------------------------------------------- housekeeping


def housekeeping() -> None:
    """Hourly in the worker: close attempts past their deadline, rank rounds that closed."""
    expire_overdue()
    rank_closed_rounds()
