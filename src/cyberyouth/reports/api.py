import datetime as dt
from datetime import datetime
from typing import Literal

from ninja import Field, Router, Schema, Status

from cyberyouth.errors import NotFound
from cyberyouth.orgs.decorators import requires
from cyberyouth.orgs.models import Unit
from cyberyouth.plans import selectors as plan_selectors

from . import selectors, services
from .models import GeneratedDocument

API_MOUNT = "reports"
router = Router(tags=["reports"])


class DocumentOut(Schema):
    id: int
    kind: str
    unit: str
    issuer: str | None
    year: int
    version: int
    title: str
    status: str
    progress: int
    stage: str
    error: str
    author: str | None
    requested_at: datetime
    data_as_of: datetime | None
    finished_at: datetime | None
    files: dict[str, str]
    docx_sha256: str

    @staticmethod
    def of(d: GeneratedDocument) -> "DocumentOut":
        files = {fmt: f"/bao-cao/{d.id}/tai/{fmt}/" for fmt in ("docx", "pdf", "xlsx") if getattr(d, fmt)}
        return DocumentOut(
            id=d.id, kind=d.kind, unit=d.unit.code, issuer=d.issuer.code if d.issuer else None, year=d.year,
            version=d.version, title=d.title, status=d.status, progress=d.progress, stage=d.stage, error=d.error,
            author=d.author.username if d.author else None, requested_at=d.requested_at, data_as_of=d.data_as_of,
            finished_at=d.finished_at, files=files, docx_sha256=d.docx_sha256,
        )


class DocumentIn(Schema):
    kind: Literal["yearly", "review", "plan"]
    year: int | None = Field(None, description="năm báo cáo; mốc 2025/2030 cho sơ kết, tổng kết")
    unit: str | None = Field(None, description="mã đơn vị phạm vi (mặc định: đơn vị ban hành kế hoạch)")
    plan_id: int | None = None
    on: dt.date | None = Field(None, description="ngày văn bản")
    want_pdf: bool = True


class NoteIn(Schema):
    difficulties: str = Field("", max_length=20000)
    proposals: str = Field("", max_length=20000)
    next_steps: str = Field("", max_length=20000)
    funding: str = Field("", max_length=20000)
    funding_vnd: int | None = Field(None, ge=0)
    signer_authority: str = Field("", max_length=200)
    signer_title: str = Field("", max_length=120)
    signer_name: str = Field("", max_length=120)


class NoteOut(NoteIn):
    unit: str
    kind: str
    year: int
    updated_at: datetime | None


@router.get("/documents", response=list[DocumentOut])
@requires("report.read")
def documents(request, kind: str | None = None, year: int | None = None, limit: int = 50):
    qs = selectors.documents_visible(actor=request.user)
    if kind:
        qs = qs.filter(kind=kind)
    if year:
        qs = qs.filter(year=year)
    return [DocumentOut.of(d) for d in qs[: max(1, min(limit, 200))]]


@router.get("/documents/{document_id}", response=DocumentOut)
@requires("report.read")
def document(request, document_id: int):
    return DocumentOut.of(selectors.get_document(actor=request.user, document_id=document_id))


@router.post("/documents", response={201: DocumentOut, 202: DocumentOut})
@requires("report.manage|report.school")
def document_create(request, payload: DocumentIn):
    """Generate a new version: made at once for a school or the plan (201), by the background
    worker for a large scope (202; poll GET /documents/{id} for `progress`)."""
    unit = None
    if payload.unit:
        unit = Unit.objects.filter(code=payload.unit).first()
        if unit is None:
            raise NotFound("Không tìm thấy đơn vị.", field="unit")
    plan = plan_selectors.get_plan(actor=request.user, plan_id=payload.plan_id) if payload.plan_id else None
    d = services.document_request(actor=request.user, kind=payload.kind, year=payload.year, unit=unit, plan=plan,
                                  on=payload.on, want_pdf=payload.want_pdf)
    d = services.document_start(document=d)
    d = selectors.get_document(actor=request.user, document_id=d.id)
    return Status(201 if d.is_finished else 202, DocumentOut.of(d))


def _note_out(unit: Unit, kind: str, year: int) -> NoteOut:
    note = selectors.note_for(unit=unit, kind=kind, year=year)
    data = {f: getattr(note, f) if note else "" for f in
            ("difficulties", "proposals", "next_steps", "funding", "signer_authority", "signer_title", "signer_name")}
    return NoteOut(unit=unit.code, kind=kind, year=year, funding_vnd=note.funding_vnd if note else None,
                   updated_at=note.updated_at if note else None, **data)


@router.get("/notes/{unit_code}/{kind}/{year}", response=NoteOut)
@requires("report.read")
def note(request, unit_code: str, kind: Literal["yearly", "review"], year: int):
    from cyberyouth.orgs import selectors as org_selectors

    unit = org_selectors.get_unit(actor=request.user, code=unit_code, capability="report.read")
    return _note_out(unit, kind, year)


@router.put("/notes/{unit_code}/{kind}/{year}", response=NoteOut)
@requires("report.manage|report.school")
def note_put(request, unit_code: str, kind: Literal["yearly", "review"], year: int, payload: NoteIn):
    from cyberyouth.orgs import selectors as org_selectors

    unit = org_selectors.get_unit(actor=request.user, code=unit_code, capability="report.read")
    data = payload.dict()
    funding_vnd = data.pop("funding_vnd")
    services.note_save(actor=request.user, unit=unit, kind=kind, year=year, funding_vnd=funding_vnd, **data)
    return _note_out(unit, kind, year)
