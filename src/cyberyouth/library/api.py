"""The media library's API: the public list of published products (no sign-in), the staff's
products in their scope, recording (multipart: the file goes through the one upload check),
sending, approving or returning, withdrawing, and citations."""

from datetime import date, datetime

from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile

from cyberyouth.orgs import selectors as org_selectors
from cyberyouth.orgs.decorators import requires

from . import selectors, services
from .models import Audience, Kind, Licence, Status as ProductStatus, Topic

API_MOUNT = "library"
router = Router(tags=["library"])
READ = "library.read"


class ProductOut(Schema):
    id: int
    unit: str
    title: str
    description: str
    kind: Kind
    topic: Topic
    audience: Audience
    author: str
    licence: Licence
    licence_label: str
    made_on: date
    link: str
    file_name: str
    content_type: str
    size: int
    sha256: str
    status: ProductStatus
    published_at: datetime | None
    views: int
    downloads: int


def _out(p) -> dict:
    return {"id": p.pk, "unit": p.unit.code, "title": p.title, "description": p.description, "kind": p.kind,
            "topic": p.topic, "audience": p.audience, "author": p.author, "licence": p.licence,
            "licence_label": p.licence_label, "made_on": p.made_on, "link": p.link, "file_name": p.file_name,
            "content_type": p.content_type, "size": p.size, "sha256": p.sha256, "status": p.status,
            "published_at": p.published_at, "views": p.views, "downloads": p.downloads}


@router.get("/public", response=list[ProductOut], auth=None, summary="Published products (the e-library)")
def library_public(request, q: str = Query("", max_length=100), kind: Kind | None = None, topic: Topic | None = None,
                   audience: Audience | None = None, page: int = Query(1, ge=1, le=100000)):
    result = selectors.public_products(q=q, kind=kind or "", topic=topic or "", audience=audience or "", page=page)
    return [_out(p) for p in result.object_list]


@router.get("/products", response=list[ProductOut], summary="Products of the units in your scope (every state)")
@requires(READ)
def library_products(request, status: ProductStatus | None = None, q: str = Query("", max_length=100),
                     kind: Kind | None = None, limit: int = Query(100, ge=1, le=500)):
    return [_out(p) for p in selectors.products(actor=request.user, status=status or "", q=q,
                                                kind=kind or "")[:limit]]


@router.get("/products/{product_id}", response=ProductOut, summary="One product (every state, in your scope)")
@requires(READ)
def library_product(request, product_id: int):
    return _out(selectors.get_product(actor=request.user, product_id=product_id))


class ProductIn(Schema):
    unit: str = Field(max_length=60)
    title: str = Field(max_length=300)
    kind: Kind
    topic: Topic
    audience: Audience = Audience.STUDENTS
    author: str = Field(max_length=300)
    licence: Licence
    licence_other: str = Field("", max_length=300)
    made_on: date
    description: str = Field("", max_length=5000)
    link: str = Field("", max_length=500)
    submit: bool = False


@router.post("/products", response={201: ProductOut},
             summary="Record a product: a file (multipart field `file`) or a link, or both")
@requires("library.manage")
def library_product_create(request, payload: Form[ProductIn], file: File[UploadedFile] = None):
    unit = org_selectors.get_unit(actor=request.user, code=payload.unit, capability=READ)
    product = services.product_create(
        actor=request.user, unit=unit, title=payload.title, kind=payload.kind, topic=payload.topic,
        audience=payload.audience, author=payload.author, licence=payload.licence,
        licence_other=payload.licence_other, made_on=payload.made_on, description=payload.description,
        link=payload.link, upload=file, submit=payload.submit)
    return Status(201, _out(product))


class CommentIn(Schema):
    comment: str = Field("", max_length=2000)


@router.post("/products/{product_id}/submit", response=ProductOut, summary="Send a draft for approval")
@requires("library.manage")
def library_product_submit(request, product_id: int):
    product = selectors.get_product(actor=request.user, product_id=product_id)
    return _out(services.product_submit(actor=request.user, product=product))


@router.post("/products/{product_id}/approve", response=ProductOut,
             summary="Approve and publish (a person other than who recorded or sent it)")
@requires("library.approve")
def library_product_approve(request, product_id: int, payload: CommentIn):
    product = selectors.get_product(actor=request.user, product_id=product_id)
    return _out(services.product_approve(actor=request.user, product=product, comment=payload.comment))


@router.post("/products/{product_id}/return", response=ProductOut, summary="Return to the unit with the reason")
@requires("library.approve")
def library_product_return(request, product_id: int, payload: CommentIn):
    product = selectors.get_product(actor=request.user, product_id=product_id)
    return _out(services.product_return(actor=request.user, product=product, comment=payload.comment))


@router.post("/products/{product_id}/withdraw", response=ProductOut, summary="Take off the public library")
@requires("library.manage|library.approve")
def library_product_withdraw(request, product_id: int, payload: CommentIn):
    product = selectors.get_product(actor=request.user, product_id=product_id)
    return _out(services.product_withdraw(actor=request.user, product=product, reason=payload.comment))


class CitationIn(Schema):
    product: int
    target_kind: str = Field(max_length=30)
    target_id: int = Field(ge=1)
    note: str = Field("", max_length=300)


class CitationOut(Schema):
    id: int
    product: int
    product_title: str
    target_kind: str
    target_id: int
    note: str


@router.post("/citations", response={201: CitationOut},
             summary="A campaign, propaganda session or dialogue cites a published product")
def library_cite(request, payload: CitationIn):
    from .views import _cite_capabilities

    return requires(_cite_capabilities())(_cite)(request, payload)


def _cite(request, payload: CitationIn):
    product = selectors.visible_product(actor=request.user, product_id=payload.product)
    c = services.cite(actor=request.user, product=product, target_kind=payload.target_kind,
                      target_id=payload.target_id, note=payload.note)
    return Status(201, {"id": c.pk, "product": product.pk, "product_title": product.title,
                        "target_kind": c.target_kind, "target_id": c.target_id, "note": c.note})
