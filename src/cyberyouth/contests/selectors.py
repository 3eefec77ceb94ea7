"""Reads of the contests app — scoped through `orgs.selectors` ("contest.read" on the organiser
unit, or on a unit of the audience: a school sees the zone's contest its students take, and the
figures of its own units only).

Names: a student appears by name on lists only with the family's consent to a public name
(`students` consent "public_name"); everyone else appears under a pseudonym that is the same for
the whole contest and says nothing about them.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max, Min, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils import timezone

from cyberyouth.errors import DomainError, NotFound, ScopeError
from cyberyouth.lib import disclosure
from cyberyouth.orgs import selectors as org_selectors
from cyberyouth.orgs.models import Unit

if TYPE_CHECKING:
    from cyberyouth.students.models import Student

from .models import (
    Attempt, AttemptState, Contest, ContestTarget, Question, QuestionVersion, Review, Round, RoundResult,
)


def now():
    return timezone.now()


# ---------------------------------------------------------------- scope


def contests_visible(*, actor) -> QuerySet[Contest]:
    units = org_selectors.unit_ids(actor=actor, capability="contest.read")
    return Contest.objects.filter(Q(unit_id__in=units) | Q(audience__in=units)).distinct().select_related("unit")


def get_contest(*, actor, contest_id: int) -> Contest:
    contest = contests_visible(actor=actor).filter(pk=contest_id).first()
    if contest is None:
        raise NotFound("Không tìm thấy cuộc thi.")
    return contest


def get_round(*, actor, round_id: int) -> Round:
    rnd = Round.objects.filter(pk=round_id, contest__in=contests_visible(actor=actor)).select_related(
        "contest__unit").first()
    if rnd is None:
        raise NotFound("Không tìm thấy vòng thi.")
    return rnd


def may_manage(*, actor, contest: Contest) -> bool:
    return org_selectors.can(actor=actor, capability="contest.manage", unit=contest.unit)


def require_manage(*, actor, contest: Contest) -> None:
    if not may_manage(actor=actor, contest=contest):
        raise ScopeError("Chỉ đơn vị tổ chức cuộc thi làm được việc này.")


def bank_units(*, actor) -> list[Unit]:
    """The units whose question bank the actor may read (contest.read) — their own units."""
    ids = org_selectors.own_unit_ids(actor=actor, capability="contest.read")
    if getattr(actor, "is_superuser", False):
        ids |= set(Contest.objects.values_list("unit_id", flat=True))
    return list(Unit.objects.filter(id__in=ids).order_by("name"))


def bank_unit(*, actor, code: str) -> Unit:
    return org_selectors.get_unit(actor=actor, code=code, capability="contest.read")


def questions(*, unit: Unit, state: str = "", text: str = "") -> list[dict]:
    """The bank of `unit`: each question with its latest version and the one drawn now."""
    rows = []
    qs = Question.objects.filter(unit=unit).select_related("live").prefetch_related("versions__tags",
                                                                                   "versions__created_by")
    for q in qs.order_by("id"):
        versions = sorted(q.versions.all(), key=lambda v: v.number)
        latest = versions[-1] if versions else None
        if latest is None:
            continue
        pending = not latest.approved
        if state == "pending" and not pending:
            continue
        if state == "live" and (q.live_id is None or q.retired):
            continue
        if text and not _matches(text, latest.text):
            continue
        rows.append({"question": q, "latest": latest, "live": q.live, "pending": pending, "versions": len(versions)})
    return rows


def _matches(query: str, text: str) -> bool:
    from cyberyouth.lib.text import matches

    return matches(query, text)


def get_question(*, actor, question_id: int) -> Question:
    q = Question.objects.filter(pk=question_id, unit_id__in=org_selectors.unit_ids(
        actor=actor, capability="contest.read")).select_related("unit").first()
    if q is None:
        raise NotFound("Không tìm thấy câu hỏi.")
    return q


def get_version(*, actor, version_id: int) -> QuestionVersion:
    v = QuestionVersion.objects.filter(pk=version_id, question__unit_id__in=org_selectors.unit_ids(
        actor=actor, capability="contest.read")).select_related("question__unit").first()
    if v is None:
        raise NotFound("Không tìm thấy câu hỏi.")
    return v


def export_questions(*, unit: Unit, approved_only: bool = True):
    """The bank as the file formats' neutral form (the drawn version of each question)."""
    from .bankfile import ParsedQuestion

    out = []
    qs = Question.objects.filter(unit=unit, retired=False).select_related("live").prefetch_related("versions__tags")
    for q in qs.order_by("id"):
        v = q.live if approved_only else max(q.versions.all(), key=lambda x: x.number, default=None)
        if v is None:
            continue
        out.append(ParsedQuestion(kind=v.kind, text=v.text, options=[(o["text"], bool(o["correct"])) for o in v.options],
                                  explanation=v.explanation, source=v.source, difficulty=v.difficulty,
                                  tags=[t.name for t in v.tags.all()]))
    return out


# ---------------------------------------------------------------- students


def audience_ids(contest: Contest, on: date | None = None) -> set[int]:
    return org_selectors.subtree_ids(unit_ids=set(contest.audience.order_by().values_list("id", flat=True)), on=on,
                                     history=False)


AUDIENCE_CACHE_SECONDS = 60


def _audience_today(contest: Contest) -> set[int]:
    """`audience_ids` of today, shared by every start of a mass start (per process, or in Redis).
    A contest's audience is fixed when it is created; a unit moved in the tree counts within a
    minute."""
    key = f"contests:audience:{contest.id}:{org_selectors.today().isoformat()}"
    found = cache.get(key)
    if found is None:
        found = audience_ids(contest)
        cache.set(key, found, AUDIENCE_CACHE_SECONDS)
    return found


def participant(*, user_id) -> Student | None:
    """The student behind an account, read in one query with what a start needs: whether the
    account consent is in force (`consented`), the class and grade of the open enrolment."""
    from cyberyouth.students.models import Enrolment, Student
    from cyberyouth.students.selectors import consent_in_force

    open_class = Enrolment.objects.filter(student=OuterRef("pk"), valid_to__isnull=True).order_by("-valid_from")
    return (Student.objects.filter(user_id=user_id)
            .annotate(consented=consent_in_force(), class_id=Subquery(open_class.values("school_class_id")[:1]),
                      grade=Subquery(open_class.values("school_class__grade")[:1])).first())


def _consented(student) -> bool:
    from cyberyouth.students.selectors import has_consent

    return student.consented if hasattr(student, "consented") else has_consent(student=student)


def _grade(student) -> int | None:
    if hasattr(student, "grade"):
        return student.grade
    return (student.enrolments.filter(valid_to__isnull=True).order_by("-valid_from")
            .values_list("school_class__grade", flat=True).first())


def _in_audience(*, student, contest: Contest) -> bool:
    if student.deidentified_at is not None or student.unit_id not in _audience_today(contest):
        return False
    return not contest.grades or _grade(student) in contest.grades


def eligible(*, student, contest: Contest) -> bool:
    return _consented(student) and _in_audience(student=student, contest=contest)


def require_eligible(*, student, rnd: Round) -> None:
    if not _consented(student):
        raise ScopeError("Em cần có sự đồng ý của gia đình về tài khoản và tham gia có ghi tên.")
    if not _in_audience(student=student, contest=rnd.contest):
        raise NotFound("Không tìm thấy vòng thi.")


def student_rounds(*, student) -> list[dict]:
    """The rounds of the contests open to `student` (open now, coming, or closed with a result)."""
    out = []
    at = now()
    contests = Contest.objects.filter(audience__isnull=False).distinct().prefetch_related("rounds")
    for contest in contests:
        if not eligible(student=student, contest=contest):
            continue
        for rnd in contest.rounds.all():
            attempts = list(Attempt.objects.filter(round=rnd, student=student).order_by("number"))
            out.append({"round": rnd, "contest": contest, "attempts": attempts,
                        "open": rnd.opens_at <= at < rnd.closes_at, "closed": at >= rnd.closes_at,
                        "left": max(0, rnd.attempts_allowed - len(attempts)),
                        "in_progress": next((a for a in attempts if a.state == AttemptState.IN_PROGRESS
                                             and a.deadline > at), None)})
    out.sort(key=lambda r: (not r["open"], r["closed"], r["round"].opens_at))
    return out


def own_attempt(*, actor, attempt_id: int) -> Attempt:
    attempt = Attempt.objects.filter(pk=attempt_id, user_id=getattr(actor, "pk", -1)).select_related(
        "round__contest").first()
    if attempt is None:
        raise NotFound("Không tìm thấy bài thi.")
    return attempt


@dataclass(frozen=True)
class VersionText:
    id: int
    text: str
    options: list
    explanation: str
    source: str


def _versions(ids: list[int]) -> dict[int, VersionText]:
    """The words of the versions an attempt drew. Only approved versions are drawn, and an
    approved version never changes (an edit makes a new one), so they are kept in the cache
    for an hour: the attempt page of a mass start reads none of them from the database."""
    found = {v.id: v for v in cache.get_many([f"contests:version:{i}" for i in ids]).values()}
    missing = [i for i in ids if i not in found]
    if missing:
        fresh = {v.id: VersionText(v.id, v.text, v.options, v.explanation, v.source)
                 for v in QuestionVersion.objects.filter(id__in=missing).only("id", "text", "options", "explanation",
                                                                             "source")}
        cache.set_many({f"contests:version:{i}": v for i, v in fresh.items()}, 3600)
        found.update(fresh)
    return found


def attempt_view(attempt: Attempt) -> dict:
    """What the student sees of their attempt: questions in their order, options as shuffled for
    them (never which are right while it runs), the answers saved, the seconds left."""
    versions = _versions([s["v"] for s in attempt.layout])
    saved = dict(attempt.answers.values_list("slot", "choice"))
    slots = []
    finished = attempt.state != AttemptState.IN_PROGRESS
    for i, entry in enumerate(attempt.layout):
        v = versions[entry["v"]]
        mask = saved.get(i, 0)
        options = [{"index": shown, "text": v.options[original]["text"], "chosen": bool(mask >> shown & 1),
                    "right": bool(entry["c"] >> shown & 1) if finished else None}
                   for shown, original in enumerate(entry["o"])]
        slots.append({"slot": i, "number": i + 1, "text": v.text, "multiple": bool(entry.get("m")),
                      "options": options, "answered": i in saved,
                      "explanation": v.explanation if finished else "", "source": v.source if finished else ""})
    left = max(0, int((attempt.deadline - now()).total_seconds())) if not finished else 0
    return {"slots": slots, "seconds_left": left, "answered": len(saved), "finished": finished}


# ---------------------------------------------------------------- names and pseudonyms


def pseudonym(*, student_id: int, contest_id: int) -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), f"contest:{contest_id}:{student_id}".encode(),
                      hashlib.sha256).hexdigest()
    return f"Thí sinh {int(digest[:8], 16) % 900000 + 100000}"


def public_names(*, student_ids, contest_id: int) -> dict[int, str]:
    """student id → the name to show on lists: the real name with consent to a public name, the
    pseudonym otherwise."""
    from cyberyouth.students.models import Consent, Student

    ids = list(student_ids)
    named = set(Consent.objects.filter(student_id__in=ids, purpose="public_name", withdrawn_at__isnull=True)
                .values_list("student_id", flat=True))
    names = dict(Student.objects.filter(id__in=named, deidentified_at__isnull=True).values_list("id", "full_name"))
    return {sid: names.get(sid) or pseudonym(student_id=sid, contest_id=contest_id) for sid in ids}


# ---------------------------------------------------------------- ranking


def published(rnd: Round) -> bool:
    return rnd.ranked_at is not None and rnd.ranked_at >= rnd.closes_at


def ensure_ranked(rnd: Round) -> Round:
    """A closed round is ranked the first time its results are asked for (the worker ranks it
    within the hour anyway)."""
    if now() >= rnd.closes_at and not published(rnd):
        from .services import round_rank

        return round_rank(rnd=rnd)
    return rnd


@dataclass
class Row:
    rank: int
    name: str
    school: str
    school_class: str
    score: int
    max_score: int
    distance: int | None
    duration_ms: int
    submitted_at: object
    student_id: int

    @property
    def duration(self) -> str:
        seconds = self.duration_ms / 1000
        return f"{int(seconds // 60)} phút {seconds % 60:04.1f} giây".replace(".", ",")


def leaderboard(*, rnd: Round, offset: int = 0, limit: int = 50, unit_ids: set[int] | None = None) -> dict:
    """A ranked round's table, `limit` rows from `offset` (an indexed read of `RoundResult`)."""
    if not published(rnd):
        return {"rows": [], "total": 0, "published": False}
    qs = RoundResult.objects.filter(round=rnd)
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=unit_ids)
    rows = list(qs.order_by("rank", "id").select_related("unit", "school_class")[offset:offset + limit])
    names = public_names(student_ids=[r.student_id for r in rows], contest_id=rnd.contest_id)
    if len(rows) < limit and (offset == 0 or rows):
        total = offset + len(rows)  # the last page says how many there are
    else:
        total = rnd.ranked_count if unit_ids is None else qs.count()
    return {"published": True, "total": total,
            "full_marks": rnd.full_marks_count,
            "rows": [Row(rank=r.rank, name=names[r.student_id], school=r.unit.name,
                         school_class=r.school_class.name if r.school_class_id else "", score=r.score,
                         max_score=r.max_score, distance=r.distance, duration_ms=r.duration_ms,
                         submitted_at=r.submitted_at, student_id=r.student_id) for r in rows]}


def own_result(*, rnd: Round, student) -> RoundResult | None:
    return RoundResult.objects.filter(round=rnd, student=student).first()


def overall(*, contest: Contest, limit: int = 50) -> list[dict]:
    """The contest's overall table over its ranked rounds: total score, then total distance of
    the predictions, then total time, then the last submission."""
    rounds = [r for r in contest.rounds.all() if published(r)]
    if not rounds:
        return []
    big = 2147483647
    rows = (RoundResult.objects.filter(round__in=rounds).values("student_id")
            .annotate(score=Sum("score"), max_score=Sum("max_score"), rounds=Count("id"),
                      duration=Sum("duration_ms"), last=Max("submitted_at"), unit=Min("unit__name")))
    distances: dict[int, int] = {}
    for sid, d in RoundResult.objects.filter(round__in=rounds).values_list("student_id", "distance"):
        distances[sid] = distances.get(sid, 0) + (big if d is None else d)
    ordered = sorted(rows, key=lambda r: (-r["score"], distances[r["student_id"]], r["duration"], r["last"]))
    top = ordered[:limit]
    names = public_names(student_ids=[r["student_id"] for r in top], contest_id=contest.id)
    out, previous, rank = [], None, 0
    for i, r in enumerate(top, start=1):
        key = (r["score"], distances[r["student_id"]], r["duration"], r["last"])
        rank = rank if key == previous else i
        previous = key
        out.append({**r, "rank": rank, "name": names[r["student_id"]],
                    "distance": None if distances[r["student_id"]] >= big else distances[r["student_id"]]})
    return out


# ---------------------------------------------------------------- figures by unit (across reorganisations)


def _year_of(contest: Contest) -> int:
    first = contest.rounds.order_by("opens_at").first()
    return timezone.localtime(first.opens_at).year if first else timezone.localdate().year


def target_of(*, contest: Contest, unit: Unit, unit_ids: set[int]) -> int | None:
    """A unit's target: set on the unit itself, else the sum of targets set on the units it
    is made of (None when no target is set anywhere there)."""
    own = ContestTarget.objects.filter(contest=contest, unit=unit).values_list("participants", flat=True).first()
    if own is not None:
        return own
    total = ContestTarget.objects.filter(contest=contest, unit_id__in=unit_ids - {unit.id}).aggregate(
        n=Sum("participants"))["n"]
    return total


def figures(*, unit_ids: set[int], rounds) -> dict:
    """Participants (students with at least one attempt handed in), attempts handed in, full
    marks, for the attempts made at schools in `unit_ids` (the school of the time)."""
    qs = Attempt.objects.filter(round__in=rounds, unit_id__in=unit_ids,
                                state__in=[AttemptState.SUBMITTED, AttemptState.EXPIRED])
    agg = qs.aggregate(participants=Count("student_id", distinct=True), attempts=Count("id"))
    return {"participants": agg["participants"] or 0, "attempts": agg["attempts"] or 0}


def unit_breakdown(*, actor, contest: Contest, unit: Unit) -> dict:
    """`unit` and the units right under it (as the tree stands today), each with the figures of
    what it is made of during the contest's year — its subtree plus the units it carries on
    (`year_unit_ids`), so a merged commune's schools count for its successor — against targets."""
    org_selectors.require_read(actor=actor, capability="contest.read", unit=unit)
    year = _year_of(contest)
    rounds = list(contest.rounds.all())
    readable = org_selectors.unit_ids(actor=actor, capability="contest.read")
    children = org_selectors.children_map(on=timezone.localdate()).get(unit.id, [])
    rows = []
    for u in [unit, *Unit.objects.filter(id__in=[c for c in children if c in readable]).order_by("name")]:
        ids = org_selectors.year_unit_ids(unit=u, year=year)
        f = figures(unit_ids=ids, rounds=rounds)
        target = target_of(contest=contest, unit=u, unit_ids=ids)
        if u.id != unit.id and not f["attempts"] and target is None:
            continue
        rows.append({"unit": u, "own": u.id == unit.id, **f, "target": target,
                     "percent": (100 * f["participants"] / target) if target else None})
    return {"rows": rows, "year": year}


def class_breakdown(*, contest: Contest, unit: Unit) -> list[dict]:
    """A school's classes: participants per class (the small-group rule applies below school level)."""
    from cyberyouth.students.models import SchoolClass

    counts = dict(Attempt.objects.filter(round__contest=contest, unit=unit,
                                         state__in=[AttemptState.SUBMITTED, AttemptState.EXPIRED])
                  .values("school_class_id").annotate(n=Count("student_id", distinct=True))
                  .values_list("school_class_id", "n"))
    classes = {c.id: c for c in SchoolClass.objects.filter(id__in=[k for k in counts if k])}
    row = disclosure.protect({k: v for k, v in counts.items() if k in classes})
    return [{"class": classes[k], "participants": str(row.cells[k])}
            for k in sorted(classes, key=lambda k: (classes[k].grade or 0, classes[k].name))]


def participation(*, unit_ids: set[int], year: int) -> dict:
    """Task 6a of a report year: contests with a round in the year, participants and attempts of
    the units in `unit_ids`, against the targets set for those units."""
    rounds = Round.objects.filter(opens_at__year=year)
    contests = Contest.objects.filter(rounds__in=rounds).distinct()
    f = figures(unit_ids=unit_ids, rounds=rounds)
    target = 0
    for contest in contests:
        # A target set on a unit and on units inside it would count twice: keep the outermost.
        rows = dict(ContestTarget.objects.filter(contest=contest, unit_id__in=unit_ids)
                    .values_list("unit_id", "participants"))
        inner = set()
        for unit_id in rows:
            inner |= org_selectors.subtree_ids(unit_ids={unit_id}) - {unit_id}
        target += sum(n for unit_id, n in rows.items() if unit_id not in inner)
    return {"contests": contests.count(), "rounds": rounds.count(), **f, "target": target or None,
            "percent": (100 * f["participants"] / target) if target else None}


# ---------------------------------------------------------------- suspicious attempts


def participants(*, rnd: Round) -> int:
    """Students who started the round (of a ranked round: the students ranked, one index range)."""
    if published(rnd):
        return rnd.ranked_count or 0
    return Attempt.objects.filter(round=rnd).values("student_id").distinct().count()


def min_seconds_per_question() -> float:
    return float(getattr(settings, "CONTESTS_MIN_SECONDS_PER_QUESTION", 2.0))


def suspicious(*, rnd: Round) -> list[dict]:
    """Attempts for the organiser to look at, never excluded by themselves: far too fast (under
    CONTESTS_MIN_SECONDS_PER_QUESTION a question), or the same answers to the same questions as
    attempts of other accounts while not all right (all-right answers are alike by nature)."""
    finished = Attempt.objects.filter(round=rnd, state__in=[AttemptState.SUBMITTED, AttemptState.EXPIRED])
    fast_ms = int(min_seconds_per_question() * 1000 * rnd.questions_per_attempt)
    fast = list(finished.filter(duration_ms__lt=fast_ms).select_related("unit"))
    shared = (finished.exclude(score=rnd.questions_per_attempt).exclude(answers_hash="").values("answers_hash")
              .annotate(n=Count("student_id", distinct=True)).filter(n__gte=2).values_list("answers_hash", flat=True))
    same = list(finished.filter(answers_hash__in=list(shared)).select_related("unit").order_by("answers_hash", "id"))
    names = public_names(student_ids={a.student_id for a in fast + same}, contest_id=rnd.contest_id)
    out, seen = [], set()
    groups: dict[str, int] = {}
    for a in same:
        groups.setdefault(a.answers_hash, len(groups) + 1)
    for a in fast + same:
        reasons = []
        if a.duration_ms is not None and a.duration_ms < fast_ms:
            reasons.append(f"làm quá nhanh ({a.duration_ms / 1000:.1f} giây cho {rnd.questions_per_attempt} câu)"
                           .replace(".", ","))
        if a.answers_hash in groups:
            reasons.append(f"trùng đáp án với tài khoản khác (nhóm {groups[a.answers_hash]})")
        if a.id in seen:
            continue
        seen.add(a.id)
        out.append({"attempt": a, "name": names[a.student_id], "reasons": reasons,
                    "review": a.get_review_display() if a.review else ""})
    return out


def reviewed_count(*, rnd: Round) -> int:
    return Attempt.objects.filter(round=rnd).exclude(review=Review.NONE).count()


def awards(*, rnd: Round) -> list[dict]:
    """The award list of a ranked round by the contest's prize structure (first, second, third,
    encouragement): ranks in order; students sharing the last rank of a prize share the prize."""
    prizes = list(rnd.contest.prizes or [])
    labels = ["Giải Nhất", "Giải Nhì", "Giải Ba", "Giải Khuyến khích"]
    if not published(rnd) or not prizes:
        return []
    total = sum(prizes)
    rows = list(RoundResult.objects.filter(round=rnd).exclude(rank__gt=total).order_by("rank", "id")
                .select_related("unit", "school_class"))
    names = public_names(student_ids=[r.student_id for r in rows], contest_id=rnd.contest_id)
    out, bounds, acc = [], [], 0
    for count in prizes:
        acc += count
        bounds.append(acc)
    for r in rows:
        prize = next((labels[i] for i, b in enumerate(bounds) if r.rank <= b and prizes[i]), None)
        if prize:
            out.append({"result": r, "prize": prize, "name": names[r.student_id]})
    return out


def raise_if_not_published(rnd: Round) -> None:
    if not published(rnd):
        raise DomainError("Kết quả được công bố khi vòng thi đóng.", code="not_published")
