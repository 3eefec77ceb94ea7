"""Writes of the media library: a product recorded (file through the one upload check, or a
link), sent for approval, approved or returned by a second person, withdrawn; views and
downloads counted (numbers only); citations by campaigns, sessions and dialogues."""

from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from cyberyouth.audit.services import audit_record
from cyberyouth.errors import DomainError, ErrorCode, NotFound, ScopeError
from cyberyouth.lib.text import fold, has_control, nfc
from cyberyouth.notifications.services import notify
from cyberyouth.orgs import selectors as org_selectors
from cyberyouth.orgs.models import Role, Unit
from cyberyouth.uploads import check_upload

from . import citations
from .models import Audience, Citation, Kind, Licence, Product, ProductDay, Status, Topic

READ, MANAGE, APPROVE = "library.read", "library.manage", "library.approve"
# Files a product may be: pictures, videos, e-books (PDF, EPUB), 3D/VR models (glTF binary).
ALLOWED = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".mp4", ".webm", ".pdf", ".epub", ".glb")


def max_bytes() -> int:
    """The largest product file (LIBRARY_MAX_UPLOAD_MB, default 200 MB: a short film in 720p)."""
    return int(getattr(settings, "LIBRARY_MAX_UPLOAD_MB", 200)) * 1024 * 1024


def _text(value: str, *, field: str, label: str, limit: int, required: bool = True) -> str:
    text = " ".join(nfc(value or "").split()) if limit <= 300 else nfc(value or "").strip()
    if has_control(text):
        raise DomainError(f"“{label}” có ký tự điều khiển không hợp lệ.", field=field, code=ErrorCode.CONTROL_CHARACTER)
    if required and not text:
        raise DomainError(f"Cần nhập {label.lower()}.", field=field)
    if len(text) > limit:
        raise DomainError(f"“{label}” quá dài (tối đa {limit} ký tự).", field=field, code=ErrorCode.TOO_LONG)
    return text


def _choice(value: str, choices, *, field: str, label: str) -> str:
    if value not in choices.values:
        raise DomainError(f"{label} không hợp lệ.", field=field)
    return value


def _link(value: str) -> str:
    link = nfc(value or "").strip()
    if link and not (link.startswith("https://") or link.startswith("http://")):
        raise DomainError("Liên kết phải bắt đầu bằng https:// hoặc http://.", field="link")
    if len(link) > 500:
        raise DomainError("Liên kết quá dài (tối đa 500 ký tự).", field="link", code=ErrorCode.TOO_LONG)
    return link


def _facts(p: Product) -> dict:
    return {"title": p.title, "kind": p.kind, "topic": p.topic, "audience": p.audience, "author": p.author,
            "licence": p.licence, "link": p.link, "file": p.file_name, "sha256": p.sha256, "status": p.status}


@transaction.atomic
def product_create(*, actor, unit: Unit, title: str, kind: str, topic: str, author: str, licence: str,
                   made_on: date, audience: str = Audience.STUDENTS, description: str = "",
                   licence_other: str = "", link: str = "", upload=None, submit: bool = False) -> Product:
    """Record a product of `unit` — a file (checked by `uploads.check_upload`), a link, or both.
    It is a draft until sent for approval (`submit`); nothing is public before a second person
    approves it."""
    org_selectors.require(actor=actor, capability=MANAGE, unit=unit, read=READ)
    product = Product(unit=unit, created_by=actor if getattr(actor, "pk", None) else None)
    _fill(product, title=title, kind=kind, topic=topic, author=author, licence=licence, made_on=made_on,
          audience=audience, description=description, licence_other=licence_other, link=link, upload=upload)
    product.save()
    audit_record(actor=actor, action="library.product_create", target=product, after=_facts(product))
    if submit:
        return product_submit(actor=actor, product=product)
    return product


def _fill(product: Product, *, title, kind, topic, author, licence, made_on, audience, description, licence_other,
          link, upload) -> None:
    product.title = _text(title, field="title", label="Tên sản phẩm", limit=300)
    product.description = _text(description, field="description", label="Giới thiệu", limit=5000, required=False)
    product.kind = _choice(kind, Kind, field="kind", label="Loại sản phẩm")
    product.topic = _choice(topic, Topic, field="topic", label="Chủ đề")
    product.audience = _choice(audience, Audience, field="audience", label="Đối tượng")
    product.author = _text(author, field="author", label="Tác giả", limit=300)
    product.licence = _choice(licence, Licence, field="licence", label="Giấy phép")
    product.licence_other = _text(licence_other, field="licence_other", label="Giấy phép khác", limit=300,
                                  required=licence == Licence.OTHER) if licence == Licence.OTHER else ""
    if made_on is None:
        raise DomainError("Cần nhập ngày hoàn thành.", field="made_on")
    if made_on > org_selectors.today():
        raise DomainError("Ngày hoàn thành ở tương lai.", field="made_on")
    product.made_on = made_on
    product.link = _link(link)
    if upload is not None:
        checked = check_upload(upload, allowed=ALLOWED, max_bytes=max_bytes(), field="file")
        product.file_name, product.file_ext = checked.name, checked.ext
        product.content_type, product.size, product.sha256 = checked.content_type, checked.size, checked.sha256
        product.file.save(checked.name, upload, save=False)
    product.search_text = fold(" ".join((product.title, product.description, product.author)))
    if not product.file and not product.link:
        raise DomainError("Cần tải lên tệp sản phẩm hoặc nhập liên kết tới sản phẩm.", field="file")


def _locked(product: Product) -> Product:
    return Product.objects.select_for_update().select_related("unit").get(pk=product.pk)


@transaction.atomic
def product_update(*, actor, product: Product, **fields) -> Product:
    """Correct a draft or a returned product (the same checks as when it was recorded); a new
    file replaces the old one."""
    product = _locked(product)
    org_selectors.require(actor=actor, capability=MANAGE, unit=product.unit, read=READ)
    if not product.is_editable:
        raise DomainError(f"Sản phẩm đang ở trạng thái “{product.get_status_display()}”, không sửa được.",
                          code=ErrorCode.LOCKED)
    before = _facts(product)
    values = {k: fields.get(k, getattr(product, k)) for k in (
        "title", "kind", "topic", "author", "licence", "made_on", "audience", "description", "licence_other", "link")}
    _fill(product, **values, upload=fields.get("upload"))
    product.save()
    audit_record(actor=actor, action="library.product_update", target=product, before=before, after=_facts(product))
    return product


def _approvers(product: Product) -> list:
    """Who approves products of `product.unit`: the standing agency's administrators and the
    Youth Union officers above it."""
    on = org_selectors.today()
    above = [product.unit_id, *org_selectors.ancestor_ids(unit_id=product.unit_id, on=on)]
    people = []
    for role in (Role.ADMIN, Role.YOUTH_UNION):
        people += [a.user for a in org_selectors.role_holders(unit_ids=above, role=role)]
    return people


@transaction.atomic
def product_submit(*, actor, product: Product) -> Product:
    """Send a draft (or a corrected returned product) for approval."""
    product = _locked(product)
    org_selectors.require(actor=actor, capability=MANAGE, unit=product.unit, read=READ)
    if not product.is_editable:
        raise DomainError(f"Sản phẩm đang ở trạng thái “{product.get_status_display()}”.", code=ErrorCode.BAD_STATUS)
    product.status = Status.PENDING
    product.submitted_by = actor if getattr(actor, "pk", None) else None
    product.submitted_at = timezone.now()
    product.save()
    audit_record(actor=actor, action="library.product_submit", target=product, after={"status": product.status})
    notify(recipients=_approvers(product), kind="other", title=f"Sản phẩm truyền thông chờ duyệt: {product.title}",
           body=f"{product.unit.name} gửi “{product.title}” ({product.get_kind_display()}) để duyệt trước khi công bố.",
           link=reverse("library:product", args=[product.pk]), unit=product.unit, exclude=actor)
    return product


def _tell_author(product: Product, *, actor, title: str, body: str) -> None:
    notify(recipients=[product.submitted_by, product.created_by], kind="other", title=title, body=body,
           link=reverse("library:product", args=[product.pk]), unit=product.unit, exclude=actor)


@transaction.atomic
def product_approve(*, actor, product: Product, comment: str = "") -> Product:
    """Publish a product sent for approval. The approver is a second person: not who recorded
    it nor who sent it."""
    product = _locked(product)
    org_selectors.require(actor=actor, capability=APPROVE, unit=product.unit, read=READ)
    if product.status != Status.PENDING:
        raise DomainError("Chỉ duyệt được sản phẩm đang chờ duyệt.", code=ErrorCode.BAD_STATUS)
    if getattr(actor, "pk", None) in {product.created_by_id, product.submitted_by_id}:
        raise ScopeError("Sản phẩm phải do người khác duyệt: người đăng hoặc người gửi không tự duyệt.",
                         field="approve")
    product.status = Status.PUBLISHED
    product.approved_by = actor
    product.published_at = timezone.now()
    product.return_comment = ""
    product.save()
    audit_record(actor=actor, action="library.product_approve", target=product, after={"status": product.status},
                 note=_text(comment, field="comment", label="Ý kiến", limit=2000, required=False))
    _tell_author(product, actor=actor, title=f"Sản phẩm đã được duyệt, công bố: {product.title}",
                 body=f"Người duyệt: {actor}. Sản phẩm đã có trên thư viện điện tử.")
    return product


@transaction.atomic
def product_return(*, actor, product: Product, comment: str) -> Product:
    """Send a product back to its unit with the reason; it can be corrected and sent again."""
    product = _locked(product)
    org_selectors.require(actor=actor, capability=APPROVE, unit=product.unit, read=READ)
    comment = _text(comment, field="comment", label="Lý do trả lại", limit=2000)
    if product.status != Status.PENDING:
        raise DomainError("Chỉ trả lại được sản phẩm đang chờ duyệt.", code=ErrorCode.BAD_STATUS)
    product.status = Status.RETURNED
    product.return_comment = comment
    product.save()
    audit_record(actor=actor, action="library.product_return", target=product, after={"status": product.status},
                 note=comment)
    _tell_author(product, actor=actor, title=f"Sản phẩm bị trả lại: {product.title}", body=f"Lý do: {comment}")
    return product


@transaction.atomic
def product_withdraw(*, actor, product: Product, reason: str) -> Product:
    """Take a published product off the public library (a licence lapsed, an error found). Its
    unit's managers or an approver may; the counts and citations stay."""
    product = _locked(product)
    reason = _text(reason, field="reason", label="Lý do gỡ", limit=2000)
    if not (org_selectors.can(actor=actor, capability=APPROVE, unit=product.unit)
            or org_selectors.can(actor=actor, capability=MANAGE, unit=product.unit)):
        org_selectors.require(actor=actor, capability=APPROVE, unit=product.unit, read=READ)
    if product.status != Status.PUBLISHED:
        raise DomainError("Chỉ gỡ được sản phẩm đang công bố.", code=ErrorCode.BAD_STATUS)
    product.status = Status.WITHDRAWN
    product.return_comment = reason
    product.save()
    audit_record(actor=actor, action="library.product_withdraw", target=product, after={"status": product.status},
                 note=reason)
    return product


# ---------------------------------------------------------------- counting (numbers only)


def _count(product: Product, field: str) -> None:
    today = timezone.localdate()
    with transaction.atomic():
        Product.objects.filter(pk=product.pk).update(**{field: F(field) + 1})
        updated = ProductDay.objects.filter(product=product, day=today).update(**{field: F(field) + 1})
        if not updated:
            try:
                with transaction.atomic():
                    ProductDay.objects.create(product=product, day=today, **{field: 1})
            except IntegrityError:  # another request made today's row meanwhile
                ProductDay.objects.filter(product=product, day=today).update(**{field: F(field) + 1})


def count_view(*, product: Product) -> None:
    """One more view of a published product today. Nothing about the viewer is stored."""
    if product.is_public:
        _count(product, "views")


def count_download(*, product: Product) -> None:
    """One more download of the file (or opening of the link) of a published product today."""
    if product.is_public:
        _count(product, "downloads")


# ---------------------------------------------------------------- citations


def _target(kind: str, target_id: int):
    citable = citations.CITABLE.get(kind)
    if citable is None:
        raise DomainError("Loại hoạt động dẫn sản phẩm không hợp lệ.", field="target_kind")
    record = citable.model_class().objects.filter(pk=target_id).first()
    if record is None:
        raise NotFound("Không tìm thấy hoạt động.")
    return citable, record


def _require_cite(actor, citable, record) -> Unit:
    unit = Unit.objects.get(pk=citable.unit_id_of(record))
    reads = citable.read.split("|")
    if not any(unit.id in org_selectors.unit_ids(actor=actor, capability=c) for c in reads):
        raise NotFound("Không tìm thấy hoạt động.")
    if not org_selectors.can(actor=actor, capability=citable.cite, unit=unit):
        raise ScopeError("Bạn không có quyền dẫn sản phẩm trong hoạt động này.")
    return unit


@transaction.atomic
def cite(*, actor, product: Product, target_kind: str, target_id: int, note: str = "") -> Citation:
    """Record that a campaign, session or dialogue (`target_kind`, `target_id`) uses `product`.
    Needs the capability the kind names on the target's unit; only published products are cited."""
    citable, record = _target(target_kind, target_id)
    unit = _require_cite(actor, citable, record)
    if not product.is_public:
        raise DomainError("Chỉ dẫn được sản phẩm đã công bố trên thư viện.", field="product", code=ErrorCode.BAD_STATUS)
    if Citation.objects.filter(product=product, target_kind=target_kind, target_id=record.pk).exists():
        raise DomainError(f"“{product.title}” đã được dẫn trong {citable.label.lower()} này.", field="product",
                          code=ErrorCode.EXISTS)
    citation = Citation.objects.create(product=product, target_kind=target_kind, target_id=record.pk, unit=unit,
                                       note=_text(note, field="note", label="Ghi chú", limit=300, required=False),
                                       created_by=actor if getattr(actor, "pk", None) else None)
    audit_record(actor=actor, action="library.cite", target=product, unit=unit,
                 after={"target": f"{citable.label} “{citable.title_of(record)}” (số {record.pk})"})
    return citation


@transaction.atomic
def uncite(*, actor, citation: Citation) -> None:
    """Remove a citation (the product stays in the library)."""
    citable, record = _target(citation.target_kind, citation.target_id)
    unit = _require_cite(actor, citable, record)
    audit_record(actor=actor, action="library.uncite", target=citation.product, unit=unit,
                 before={"target": f"{citable.label} “{citable.title_of(record)}” (số {record.pk})"})
    citation.delete()
