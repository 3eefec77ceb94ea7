"""The contests' API: a student's rounds, start, answer, submit (the same services as the pages:
the deadline kept by the server, an answer saved twice changes nothing), and a round's published
leaderboard for those who read the contest."""

from datetime import datetime

from ninja import Field, Router, Schema

from cyberyouth.errors import NotFound
from cyberyouth.lib.pages import parse_int
from cyberyouth.orgs.decorators import requires

from . import selectors, services
from .models import Round

API_MOUNT = "contests"
router = Router(tags=["contests"])


class RoundOut(Schema):
    id: int
    contest: str
    title: str
    opens_at: datetime
    closes_at: datetime
    questions: int
    time_limit_seconds: int
    attempts_left: int
    attempt_in_progress: int | None


class OptionOut(Schema):
    index: int
    text: str
    chosen: bool


class SlotOut(Schema):
    slot: int
    text: str
    multiple: bool
    options: list[OptionOut]


class AttemptOut(Schema):
    id: int
    round: int
    state: str
    deadline: datetime
    seconds_left: int
    score: int | None
    slots: list[SlotOut]


class AnswerIn(Schema):
    slot: int = Field(..., ge=0, le=1000)
    choice: list[int] = Field(..., min_length=1, max_length=8)


class AnswerOut(Schema):
    slot: int
    choice: list[int]
    changed: bool


class SubmitIn(Schema):
    prediction: int | None = Field(None, ge=0, le=10_000_000)


class ResultRow(Schema):
    rank: int
    name: str
    school: str
    score: int
    max_score: int
    distance: int | None
    duration_ms: int
    submitted_at: datetime


class Leaderboard(Schema):
    published: bool
    full_marks: int | None = None
    total: int
    rows: list[ResultRow]


def _student(request):
    from cyberyouth.errors import ScopeError
    from cyberyouth.students.models import Student

    student = Student.objects.filter(user_id=request.user.pk).first()
    if student is None:
        raise ScopeError("Chỉ học sinh có tài khoản mới tham gia thi.")
    return student


def _attempt_out(attempt) -> dict:
    view = selectors.attempt_view(attempt)
    return {"id": attempt.id, "round": attempt.round_id, "state": attempt.state, "deadline": attempt.deadline,
            "seconds_left": view["seconds_left"], "score": attempt.score if view["finished"] else None,
            "slots": [{"slot": s["slot"], "text": s["text"], "multiple": s["multiple"],
                       "options": [{"index": o["index"], "text": o["text"], "chosen": o["chosen"]}
                                   for o in s["options"]]} for s in view["slots"]]}


@router.get("/rounds", response=list[RoundOut], url_name="contest_my_rounds")
@requires("student.participate")
def my_rounds(request):
    """The rounds open to the signed-in student (open now, coming, or closed)."""
    out = []
    for r in selectors.student_rounds(student=_student(request)):
        rnd = r["round"]
        out.append({"id": rnd.id, "contest": r["contest"].title, "title": rnd.title, "opens_at": rnd.opens_at,
                    "closes_at": rnd.closes_at, "questions": rnd.questions_per_attempt,
                    "time_limit_seconds": rnd.time_limit_seconds, "attempts_left": r["left"],
                    "attempt_in_progress": r["in_progress"].id if r["in_progress"] else None})
    return out


@router.post("/rounds/{round_id}/start", response=AttemptOut, url_name="contest_start")
@requires("student.participate")
def start(request, round_id: int):
    """Start an attempt (or resume the one in progress, with the time left)."""
    rnd = Round.objects.filter(pk=round_id).select_related("contest").first()
    if rnd is None:
        raise NotFound("Không tìm thấy vòng thi.")
    return _attempt_out(services.attempt_start(actor=request.user, rnd=rnd))


@router.get("/attempts/{attempt_id}", response=AttemptOut, url_name="contest_attempt")
@requires("student.participate")
def attempt_get(request, attempt_id: int):
    return _attempt_out(selectors.own_attempt(actor=request.user, attempt_id=attempt_id))


@router.post("/attempts/{attempt_id}/answers", response=AnswerOut, url_name="contest_answer")
@requires("student.participate")
def answer(request, attempt_id: int, payload: AnswerIn):
    """Save one answer (refused after the deadline; the same answer twice changes nothing)."""
    saved = services.answer_save(actor=request.user, attempt_id=attempt_id, slot=payload.slot,
                                 choice=payload.choice)
    return {"slot": saved["slot"], "choice": saved["choice"], "changed": saved["changed"]}


@router.post("/attempts/{attempt_id}/submit", response=AttemptOut, url_name="contest_submit")
@requires("student.participate")
def submit(request, attempt_id: int, payload: SubmitIn):
    """Hand in with the tie-break prediction; a replay changes nothing."""
    return _attempt_out(services.attempt_submit(actor=request.user, attempt_id=attempt_id,
                                                prediction=payload.prediction))


@router.get("/rounds/{round_id}/leaderboard", response=Leaderboard, url_name="contest_leaderboard")
@requires("contest.read")
def leaderboard(request, round_id: int, offset: int = 0, limit: int = 50):
    """A round's ranking, published when the round closes."""
    offset = parse_int(str(offset), 0, lo=0, hi=10_000_000, name="offset")
    limit = parse_int(str(limit), 50, lo=1, hi=500, name="limit")
    rnd = selectors.ensure_ranked(selectors.get_round(actor=request.user, round_id=round_id))
    manage = selectors.may_manage(actor=request.user, contest=rnd.contest)
    from cyberyouth.orgs import selectors as org_selectors

    scope = None if manage else org_selectors.unit_ids(actor=request.user, capability="contest.read")
    board = selectors.leaderboard(rnd=rnd, offset=offset, limit=limit, unit_ids=scope)
    return {"published": board["published"], "full_marks": board.get("full_marks"), "total": board["total"],
            "rows": [{"rank": r.rank, "name": r.name, "school": r.school, "score": r.score, "max_score": r.max_score,
                      "distance": r.distance, "duration_ms": r.duration_ms, "submitted_at": r.submitted_at}
                     for r in board["rows"]]}
