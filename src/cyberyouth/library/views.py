from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from cyberyouth.errors import DomainError, NotFound, ScopeError
from cyberyouth.lib.collation import Vietnamese
from cyberyouth.lib.pages import parse_int, parse_year, submit_action, submit_form
from cyberyouth.orgs import selectors as org_selectors
from cyberyouth.orgs.decorators import requires
from cyberyouth.orgs.models import Unit

from . import citations, selectors, services
from .forms import CommentForm, ProductForm
from .models import Audience, Citation, Kind, Status, Topic

READ, MANAGE, APPROVE = "library.read", "library.manage", "library.approve"
SEEN_COOKIE = "thu_vien_da_xem"  # the ids this browser viewed lately: kept by the browser, never by us
SEEN_HOURS = 6


def _choice(value: str | None, choices) -> str:
    return value if value in choices.values else ""


def _filters(request) -> dict:
    return {"q": (request.GET.get("q") or "")[:100], "kind": _choice(request.GET.get("loai"), Kind),
            "topic": _choice(request.GET.get("chu_de"), Topic), "audience": _choice(request.GET.get("doi_tuong"), Audience)}


def index(request):
    """The public e-library: published products, searchable and filtered, phone-first."""
    filters = _filters(request)
    page = selectors.public_products(**filters, page=parse_int(request.GET.get("trang"), 1, lo=1, hi=100000,
                                                                 name="trang"))
    query = request.GET.copy()
    query.pop("trang", None)
    return render(request, "library/index.html", {
        "page": page, "filters": filters, "kinds": Kind.choices, "topics": Topic.choices,
        "audiences": Audience.choices, "query": query.urlencode()})


def _seen(request) -> list[str]:
    return [x for x in (request.COOKIES.get(SEEN_COOKIE) or "").split(".") if x.isdigit()][-50:]


@require_http_methods(["GET", "POST"])
def product(request, product_id: int):
    """A product's page: public once published; its unit's staff see it in every state and act
    on it (send, approve or return, withdraw) by POST."""
    item = selectors.visible_product(actor=request.user, product_id=product_id)
    here = reverse("library:product", args=[item.pk])
    if request.method == "POST":
        return _act(request, item, here)
    can_read = item.unit_id in org_selectors.unit_ids(actor=request.user, capability=READ)
    context = {
        "product": item, "staff": can_read,
        "can_manage": org_selectors.can(actor=request.user, capability=MANAGE, unit=item.unit),
        "can_approve": (org_selectors.can(actor=request.user, capability=APPROVE, unit=item.unit)
                        and request.user.pk not in {item.created_by_id, item.submitted_by_id}),
        "cited_by": selectors.cited_by(actor=request.user, product=item), "comment_form": CommentForm(),
        "statuses": Status,
    }
    response = render(request, "library/product.html", context)
    seen = _seen(request)
    if item.is_public and str(item.pk) not in seen:
        services.count_view(product=item)
        response.set_cookie(SEEN_COOKIE, ".".join([*seen, str(item.pk)][-50:]), max_age=SEEN_HOURS * 3600,
                            samesite="Lax", httponly=True, secure=request.is_secure())
    return response


def _act(request, item, here):
    if not request.user.is_authenticated:
        raise ScopeError("Đăng nhập để thao tác với sản phẩm.")
    action = request.POST.get("action")
    comment = request.POST.get("comment", "")
    actor = request.user
    steps = {
        "submit": (lambda: services.product_submit(actor=actor, product=item), "Đã gửi sản phẩm để duyệt."),
        "approve": (lambda: services.product_approve(actor=actor, product=item, comment=comment),
                    "Đã duyệt: sản phẩm đã có trên thư viện điện tử."),
        "return": (lambda: services.product_return(actor=actor, product=item, comment=comment),
                   "Đã trả lại sản phẩm cho đơn vị."),
        "withdraw": (lambda: services.product_withdraw(actor=actor, product=item, reason=comment),
                     "Đã gỡ sản phẩm khỏi thư viện điện tử."),
    }
    if action not in steps:
        messages.error(request, "Thao tác không hợp lệ.")
        return redirect(here)
    service, success = steps[action]
    return submit_action(request, service, success=success, then=here)


def _serve(item, *, attachment: bool):
    if not item.file:
        raise NotFound("Sản phẩm không có tệp.")
    return FileResponse(item.file.open("rb"), as_attachment=attachment, filename=item.file_name,
                        content_type=item.content_type)


def product_file(request, product_id: int):
    """The file shown inside the product's page (a picture, a video): not counted again."""
    return _serve(selectors.visible_product(actor=request.user, product_id=product_id), attachment=False)


def download(request, product_id: int):
    item = selectors.visible_product(actor=request.user, product_id=product_id)
    response = _serve(item, attachment=True)
    services.count_download(product=item)
    return response


def open_link(request, product_id: int):
    item = selectors.visible_product(actor=request.user, product_id=product_id)
    if not item.link:
        raise NotFound("Sản phẩm không có liên kết.")
    services.count_download(product=item)
    return HttpResponseRedirect(item.link)


def _manage_units(request):
    ids = org_selectors.unit_ids(actor=request.user, capability=MANAGE, history=False)
    return list(Unit.objects.filter(id__in=ids).order_by(Vietnamese("name")))


def _figures_unit(request):
    """The unit whose figures the page shows: `don_vi`, else the widest unit the person answers for."""
    if request.GET.get("don_vi"):
        return org_selectors.get_unit(actor=request.user, code=request.GET["don_vi"][:60], capability=READ)
    return org_selectors.widest_unit(actor=request.user, capability=READ)


@login_required
@require_http_methods(["GET", "POST"])
@requires(READ)
def manage(request):
    """The staff's library: every product of their units in every state, what awaits their
    approval, the year's figures (the yearly report's), and the form to record a product."""
    units = _manage_units(request)
    form = ProductForm(request.POST or None, request.FILES or None, units=units)
    if request.method == "POST":
        if not units:
            raise ScopeError("Bạn không được đăng sản phẩm cho đơn vị nào.")

        def create(d):
            unit = org_selectors.get_unit(actor=request.user, code=d["unit"], capability=READ)
            return services.product_create(
                actor=request.user, unit=unit, title=d["title"], kind=d["kind"], topic=d["topic"],
                audience=d["audience"], author=d["author"], licence=d["licence"], licence_other=d["licence_other"],
                made_on=d["made_on"], description=d["description"], link=d["link"], upload=d.get("file"),
                submit=d["submit"])
        if done := submit_form(request, form, create,
                               success=lambda p: f"Đã ghi “{p.title}” ({p.get_status_display().lower()}).",
                               then=lambda p: reverse("library:product", args=[p.pk])):
            return done
    year = parse_year(request.GET.get("nam"), org_selectors.today().year)
    filters = _filters(request)
    status = _choice(request.GET.get("trang_thai"), Status)
    scope_unit = _figures_unit(request)
    figures = None
    if scope_unit is not None:
        figures = selectors.scoped_year_figures(actor=request.user, unit=scope_unit, year=year)
    return render(request, "library/manage.html", {
        "products": selectors.products(actor=request.user, status=status, **filters)[:300],
        "awaiting": selectors.awaiting_approval(actor=request.user)[:100],
        "counts": selectors.status_counts(actor=request.user), "form": form if units else None,
        "figures": figures, "scope_unit": scope_unit, "year": year, "filters": filters, "status": status,
        "kinds": Kind.choices, "topics": Topic.choices, "audiences": Audience.choices, "statuses": Status.choices,
    })


@login_required
@require_http_methods(["GET", "POST"])
@requires(MANAGE)
def edit(request, product_id: int):
    item = selectors.get_product(actor=request.user, product_id=product_id)
    org_selectors.require(actor=request.user, capability=MANAGE, unit=item.unit, read=READ)
    initial = {k: getattr(item, k) for k in ("title", "kind", "topic", "audience", "author", "licence",
                                             "licence_other", "made_on", "description", "link")}
    initial["submit"] = False
    form = ProductForm(request.POST or None, request.FILES or None, initial=initial, editing=True)

    def update(d):
        fields = {k: d[k] for k in initial if k != "submit"}
        updated = services.product_update(actor=request.user, product=item, upload=d.get("file"), **fields)
        return services.product_submit(actor=request.user, product=updated) if d["submit"] else updated
    if done := submit_form(request, form, update, success="Đã lưu sản phẩm.",
                           then=reverse("library:product", args=[item.pk])):
        return done
    return render(request, "library/edit.html", {"product": item, "form": form})


def _back(request, fallback: str) -> HttpResponseRedirect:
    target = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False) \
            or not target.startswith("/"):
        target = fallback
    return HttpResponseRedirect(target)


def _cite_capabilities() -> str:
    return "|".join(sorted({cap for c in citations.CITABLE.values() for cap in c.cite.split("|")})) or MANAGE


@login_required
@require_POST
def cite(request):
    """A campaign, session or dialogue cites a published product (its page's small form)."""
    return requires(_cite_capabilities())(_cite)(request)


def _cite(request):
    fallback = reverse("library:index")
    product_id = parse_int(request.POST.get("product"), None, name="sản phẩm")
    target_id = parse_int(request.POST.get("target_id"), None, name="hoạt động")
    if not product_id or not target_id:
        messages.error(request, "Chọn sản phẩm để dẫn.")
        return _back(request, fallback)
    item = selectors.visible_product(actor=request.user, product_id=product_id)
    try:
        services.cite(actor=request.user, product=item, target_kind=request.POST.get("target_kind", ""),
                      target_id=target_id, note=request.POST.get("note", ""))
    except (ScopeError, NotFound):
        raise
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Đã dẫn “{item.title}”.")
    return _back(request, fallback)


@login_required
@require_POST
def uncite(request, citation_id: int):
    return requires(_cite_capabilities())(_uncite)(request, citation_id)


def _uncite(request, citation_id: int):
    citation = Citation.objects.select_related("product").filter(pk=citation_id).first()
    if citation is None:
        raise NotFound("Không tìm thấy.")
    services.uncite(actor=request.user, citation=citation)
    messages.success(request, f"Đã bỏ dẫn “{citation.product.title}”.")
    return _back(request, reverse("library:index"))
