"""The dialogues API: dialogues, questions and votes — scoped like the pages. Staff read a
school's dialogues and questions (no author of an anonymous question exists to return); a
student lists the dialogues open to them, asks and votes with their own account."""

from datetime import date, time
from uuid import UUID

from ninja import Field, Router, Schema, Status

from cyberyouth.orgs.decorators import requires

from . import selectors, services
from .models import Answer, Mode

API_MOUNT = "dialogues"
router = Router(tags=["dialogues"])

STAFF = "dialogue.read|dialogue.manage"


class DialogueOut(Schema):
    id: int
    school: str
    title: str
    held_on: date
    starts_at: time | None
    mode: Mode
    status: str
    place: str
    meeting_url: str
    classes: list[str]
    leaders: list[str]
    anonymous_allowed: bool
    attendance: int | None


class QuestionOut(Schema):
    id: UUID
    text: str
    anonymous: bool
    asked_on: date
    review: str
    answer: str
    answer_text: str
    votes: int
    flags: list[str]


class StudentQuestionOut(Schema):
    id: UUID
    text: str
    votes: int
    answer: str
    voted: bool


class AskIn(Schema):
    text: str = Field(max_length=2000)
    anonymous: bool = False


class AskOut(Schema):
    id: UUID
    text: str
    review: str
    redacted: int


class MarkIn(Schema):
    answer: Answer
    answer_text: str = Field("", max_length=3000)
    answered_by: str = Field("", max_length=200)


class ReviewIn(Schema):
    approve: bool
    reason: str = Field("", max_length=300)


def _dialogue(d) -> dict:
    return {"id": d.id, "school": d.unit.code, "title": d.title, "held_on": d.held_on, "starts_at": d.starts_at,
            "mode": d.mode, "status": d.status, "place": d.place, "meeting_url": d.meeting_url,
            "classes": [c.name for c in d.classes.all()], "leaders": [x.name for x in d.leaders.all()],
            "anonymous_allowed": d.anonymous_allowed, "attendance": d.attendance}


def _question(q) -> dict:
    return {"id": q.id, "text": q.text, "anonymous": q.anonymous, "asked_on": q.asked_on, "review": q.review,
            "answer": q.answer, "answer_text": q.answer_text, "votes": q.vote_count, "flags": q.flags}


@router.get("/", response=list[DialogueOut], summary="Dialogues of the schools one reads (a year)")
@requires(STAFF)
def list_dialogues(request, year: int | None = None):
    qs = selectors.dialogues_visible(actor=request.user).prefetch_related("classes", "leaders")
    if year is not None:
        qs = qs.filter(held_on__year=max(2000, min(year, 2100)))
    return [_dialogue(d) for d in qs[:500]]


@router.get("/{dialogue_id}", response=DialogueOut, summary="One dialogue")
@requires(STAFF)
def get_dialogue(request, dialogue_id: int):
    return _dialogue(selectors.get_dialogue(actor=request.user, dialogue_id=dialogue_id))


@router.get("/{dialogue_id}/questions", response=list[QuestionOut], summary="A dialogue's questions (staff)")
@requires(STAFF)
def dialogue_questions(request, dialogue_id: int):
    dialogue = selectors.get_dialogue(actor=request.user, dialogue_id=dialogue_id)
    return [_question(q) for q in selectors.questions_for_staff(dialogue=dialogue)]


@router.post("/questions/{question_id}/review", response=QuestionOut, summary="Approve or decline a question")
@requires("dialogue.manage")
def review_question(request, question_id: UUID, payload: ReviewIn):
    return _question(services.question_review(actor=request.user, question_id=question_id, approve=payload.approve,
                                              reason=payload.reason))


@router.post("/questions/{question_id}/answer", response=QuestionOut, summary="Mark a question answered")
@requires("dialogue.manage")
def mark_question(request, question_id: UUID, payload: MarkIn):
    return _question(services.question_mark(actor=request.user, question_id=question_id, answer=payload.answer,
                                            answer_text=payload.answer_text, answered_by=payload.answered_by))


@router.get("/mine/open", response=list[DialogueOut], summary="The dialogues open to the signed-in student")
@requires("student.participate")
def my_dialogues(request):
    student = selectors.student_of(request.user)
    return [_dialogue(d) for d in selectors.student_dialogues(student=student)]


@router.get("/mine/{dialogue_id}/questions", response=list[StudentQuestionOut],
            summary="Approved questions of a dialogue, as the student sees them")
@requires("student.participate")
def my_questions(request, dialogue_id: int):
    student = selectors.student_of(request.user)
    dialogue = selectors.student_dialogue(student=student, dialogue_id=dialogue_id)
    rows, _ = selectors.student_questions(student=student, dialogue=dialogue)
    return [{"id": r["question"].id, "text": r["question"].text, "votes": r["question"].vote_count,
             "answer": r["question"].answer, "voted": r["voted"]} for r in rows]


@router.post("/mine/{dialogue_id}/questions", response={201: AskOut}, summary="Ask a question (student)")
@requires("student.participate")
def ask(request, dialogue_id: int, payload: AskIn):
    q = services.question_ask(actor=request.user, dialogue_id=dialogue_id, text=payload.text,
                              anonymous=payload.anonymous)
    return Status(201, {"id": q.id, "text": q.text, "review": q.review, "redacted": q.redacted})


@router.post("/questions/{question_id}/votes", response={201: StudentQuestionOut}, summary="Vote (student, once)")
@requires("student.participate")
def vote(request, question_id: UUID):
    q = services.question_vote(actor=request.user, question_id=question_id)
    return Status(201, {"id": q.id, "text": q.text, "votes": q.vote_count, "answer": q.answer, "voted": True})
