"""The helpline's API: intake (for a phone system or a 111 integration) and the counsellor's
queue and cases — the same rules as the pages (a case's words only for its counsellors and
their supervisor; every opening logged)."""

from datetime import datetime

from ninja import Field, Router, Schema, Status

from cyberyouth.orgs import selectors as org_selectors
from cyberyouth.orgs.decorators import requires

from . import rules, selectors, services
from .models import AgeBand, Channel, ContactKind, Gender, Urgency

API_MOUNT = "helpline"
router = Router(tags=["helpline"])


class ClockOut(Schema):
    kind: str
    label: str
    started_at: datetime
    due_at: datetime
    met_at: datetime | None
    breached_at: datetime | None


class CaseRow(Schema):
    id: int
    code: str
    helpline_unit: str
    status: str
    urgency: Urgency
    urgency_confirmed: bool
    awaiting_answer: bool
    received_at: datetime
    categories: list[str]
    clocks: list[ClockOut]
    readable: bool
    last_child_message: str | None


class MessageOut(Schema):
    author: str
    text: str
    created_at: datetime
    flags: list[str]
    triage_failed: bool


class EntryOut(Schema):
    kind: str
    text: str
    at: datetime
    by: str | None


class CaseOut(CaseRow):
    messages: list[MessageOut]
    entries: list[EntryOut]
    risk_assessment: str
    support_plan: str


class IntakeIn(Schema):
    helpline_unit: str = Field(max_length=40)
    channel: Channel = Channel.API
    kind: ContactKind
    urgency: Urgency
    summary: str = Field("", max_length=5000)
    categories: list[str] = Field(default_factory=list, max_length=20)
    age_band: AgeBand = AgeBand.UNKNOWN
    gender: Gender = Gender.UNKNOWN
    case_id: int | None = None


class IntakeOut(Schema):
    contact_id: int
    case_id: int | None
    case_code: str | None


class AnswerIn(Schema):
    text: str = Field(max_length=20000)


def _clocks(case) -> list[dict]:
    return [{"kind": c.kind, "label": c.get_kind_display(), "started_at": c.started_at, "due_at": c.due_at,
             "met_at": c.met_at, "breached_at": c.breached_at} for c in case.clocks.all()]


def _row(case, *, readable: bool, last: str | None) -> dict:
    return {"id": case.pk, "code": case.code, "helpline_unit": case.unit.code, "status": case.status,
            "urgency": case.urgency, "urgency_confirmed": case.urgency_confirmed,
            "awaiting_answer": case.awaiting_answer, "received_at": case.received_at,
            "categories": [c.code for c in case.categories.all()], "clocks": _clocks(case),
            "readable": readable, "last_child_message": last}


@router.get("/cases", response=list[CaseRow], summary="The counsellor's queue (critical first)")
@requires("helpline.counsel|helpline.supervise")
def queue(request, status: str = "open", limit: int = 100):
    rows = selectors.queue(actor=request.user, status=status, limit=max(1, min(limit, 500)))
    return [_row(r.case, readable=r.readable, last=r.last_child_message.text if r.last_child_message else None)
            for r in rows]


@router.get("/cases/{case_id}", response=CaseOut, summary="One case (the opening is logged)")
@requires("helpline.counsel|helpline.supervise")
def case_get(request, case_id: int):
    case = services.case_open(actor=request.user, case_id=case_id, via="api")
    detail = selectors.case_detail(case=case)
    last = next((m.text for m in reversed(detail["thread"]) if m.author == "child"), None)
    return {**_row(case, readable=True, last=last),
            "messages": [{"author": m.author, "text": m.text, "created_at": m.created_at, "flags": m.flags,
                          "triage_failed": m.triage_failed} for m in detail["thread"]],
            "entries": [{"kind": e.kind, "text": e.text, "at": e.at, "by": str(e.by) if e.by else None}
                        for e in detail["entries"]],
            "risk_assessment": case.risk_assessment, "support_plan": case.support_plan}


@router.post("/contacts", response={201: IntakeOut}, summary="Record a contact (call, walk-in, 111 referral)")
@requires("helpline.counsel|helpline.supervise")
def intake(request, payload: IntakeIn):
    unit = org_selectors.get_unit(actor=request.user, code=payload.helpline_unit)
    contact = services.intake_record(
        actor=request.user, unit=unit, channel=payload.channel, kind=payload.kind, summary=payload.summary,
        urgency=payload.urgency, category_codes=payload.categories, age_band=payload.age_band,
        gender=payload.gender, case_id=payload.case_id)
    return Status(201, {"contact_id": contact.pk, "case_id": contact.case_id,
                 "case_code": contact.case.code if contact.case_id else None})


@router.post("/cases/{case_id}/answers", response={201: MessageOut}, summary="Answer the child")
@requires("helpline.counsel|helpline.supervise")
def answer(request, case_id: int, payload: AnswerIn):
    m = services.answer(actor=request.user, case_id=case_id, text=payload.text)
    return Status(201, {"author": m.author, "text": m.text, "created_at": m.created_at, "flags": [],
                        "triage_failed": False})


@router.get("/statuses", summary="Statuses and the moves between them (data)")
def statuses(request):
    return {"statuses": rules.STATUS_LABELS,
            "moves": [{"from": a, "to": b, "who": sorted(w)} for (a, b), w in rules.TRANSITIONS.items()]}
