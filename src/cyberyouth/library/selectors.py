"""Reads of the media library: the public e-library (published products only), the staff's
list within their scope, the figures of a year (the page's and the yearly report's), citations."""

from dataclasses import dataclass, field
from datetime import date

from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.urls import reverse

from cyberyouth.errors import NotFound
from cyberyouth.lib.search import LIMIT, SearchHit
from cyberyouth.lib.text import fold
from cyberyouth.orgs import selectors as org_selectors

from . import citations
from .models import Citation, Kind, Product, ProductDay, Status

READ = "library.read"
PAGE_SIZE = 24


def _filtered(qs, *, q: str = "", kind: str = "", topic: str = "", audience: str = ""):
    for word in fold(q).split()[:8]:
        qs = qs.filter(search_text__contains=word)
    if kind:
        qs = qs.filter(kind=kind)
    if topic:
        qs = qs.filter(topic=topic)
    if audience:
        qs = qs.filter(audience=audience)
    return qs


def public_products(*, q: str = "", kind: str = "", topic: str = "", audience: str = "", page: int = 1):
    """The e-library students see: published products only, newest first, filtered, one page."""
    qs = _filtered(Product.objects.filter(status=Status.PUBLISHED).select_related("unit"),
                   q=q, kind=kind, topic=topic, audience=audience).order_by("-published_at", "-id")
    return Paginator(qs, PAGE_SIZE).get_page(page)


def visible_product(*, actor, product_id: int) -> Product:
    """A product as its page shows it: anyone sees a published one; staff with `library.read`
    on its unit see it in every state; otherwise 404, the same as a missing one."""
    product = Product.objects.select_related("unit", "created_by", "submitted_by", "approved_by").filter(
        pk=product_id).first()
    if product is None:
        raise NotFound("Không tìm thấy sản phẩm.")
    if product.is_public:
        return product
    if product.unit_id in org_selectors.unit_ids(actor=actor, capability=READ):
        return product
    raise NotFound("Không tìm thấy sản phẩm.")


def get_product(*, actor, product_id: int) -> Product:
    """A product within `actor`'s library.read scope, in any state."""
    product = (org_selectors.scope(Product.objects.select_related("unit"), actor=actor, capability=READ)
               .filter(pk=product_id).first())
    if product is None:
        raise NotFound("Không tìm thấy sản phẩm.")
    return product


def products(*, actor, status: str = "", q: str = "", kind: str = "", topic: str = "", audience: str = "",
             unit_ids: set[int] | None = None):
    """Every product in `actor`'s scope (all states), newest first."""
    qs = org_selectors.scope(Product.objects.select_related("unit"), actor=actor, capability=READ)
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=unit_ids)
    if status:
        qs = qs.filter(status=status)
    return _filtered(qs, q=q, kind=kind, topic=topic, audience=audience).order_by("-created_at", "-id")


def awaiting_approval(*, actor):
    """Products sent for approval that `actor` may approve (not their own)."""
    ids = org_selectors.unit_ids(actor=actor, capability="library.approve", history=False)
    return (Product.objects.filter(status=Status.PENDING, unit_id__in=ids).select_related("unit")
            .exclude(created_by_id=actor.pk).exclude(submitted_by_id=actor.pk).order_by("submitted_at"))


@dataclass
class YearFigures:
    year: int
    published: int = 0  # products published during the year
    by_kind: list[tuple[str, int]] = field(default_factory=list)  # (kind label, n), most first
    views: int = 0  # views during the year, of any product of the units
    downloads: int = 0
    cited: int = 0  # citations made during the year by campaigns, sessions, dialogues
    units: int = 0  # units that published at least one product


def year_figures(*, unit_ids: set[int], year: int) -> YearFigures:
    """Task group 5 in figures for the units `unit_ids` (already scoped) and `year`: what the
    library page shows and what the yearly report prints."""
    start, end = date(year, 1, 1), date(year + 1, 1, 1)
    published = Product.objects.filter(unit_id__in=unit_ids, published_at__date__gte=start,
                                       published_at__date__lt=end).exclude(published_at__isnull=True)
    labels = dict(Kind.choices)
    by_kind = sorted(((labels[k], n) for k, n in published.values_list("kind").annotate(n=Count("id"))
                      .values_list("kind", "n")), key=lambda kv: (-kv[1], kv[0]))
    days = ProductDay.objects.filter(product__unit_id__in=unit_ids, day__gte=start, day__lt=end).aggregate(
        views=Sum("views"), downloads=Sum("downloads"))
    cited = Citation.objects.filter(product__unit_id__in=unit_ids, created_at__date__gte=start,
                                    created_at__date__lt=end).count()
    return YearFigures(year=year, published=sum(n for _, n in by_kind), by_kind=by_kind,
                       views=days["views"] or 0, downloads=days["downloads"] or 0, cited=cited,
                       units=published.values("unit_id").distinct().count())


def scoped_year_figures(*, actor, unit, year: int) -> YearFigures:
    """The figures of `unit` (and the units that made it up during `year`) as `actor` may read them."""
    ids = org_selectors.year_unit_ids(unit=unit, year=year) & org_selectors.unit_ids(actor=actor, capability=READ)
    return year_figures(unit_ids=ids, year=year)


@dataclass(frozen=True)
class CitedBy:
    citation: Citation
    label: str  # "Chiến dịch"
    title: str
    url: str


def cited_by(*, actor, product: Product) -> list[CitedBy]:
    """The campaigns, sessions, dialogues that cite `product` and that `actor` may see."""
    out = []
    for c in Citation.objects.filter(product=product).order_by("-created_at"):
        citable = citations.CITABLE.get(c.target_kind)
        if citable is None:
            continue
        if not any(c.unit_id in org_selectors.unit_ids(actor=actor, capability=cap) for cap in citable.read.split("|")):
            continue
        record = citable.model_class().objects.filter(pk=c.target_id).first()
        if record is not None:
            out.append(CitedBy(citation=c, label=citable.label, title=citable.title_of(record),
                               url=citable.url_of(record)))
    return out


def cited_in(*, target_kind: str, target_id: int) -> list[Citation]:
    """The products a campaign, session or dialogue cites (published ones: the public may open them)."""
    return list(Citation.objects.filter(target_kind=target_kind, target_id=target_id,
                                        product__status=Status.PUBLISHED).select_related("product")
                .order_by("product__title"))


def citable_products(*, limit: int = 200):
    """Products that may be cited (published), for a citing page's chooser."""
    return Product.objects.filter(status=Status.PUBLISHED).order_by("title")[:limit]


def search(*, actor, text: str) -> list[tuple[str, list]]:
    """The shell's search: products in the actor's scope (all states) or, without it, published ones."""
    if org_selectors.can(actor=actor, capability=READ):
        qs = products(actor=actor, q=text)
    else:
        qs = _filtered(Product.objects.filter(status=Status.PUBLISHED), q=text)
    hits = [SearchHit(p.title, reverse("library:product", args=[p.pk]),
                      f"{p.get_kind_display()} — {p.get_status_display()}") for p in qs[:LIMIT]]
    return [("Sản phẩm truyền thông", hits)]


def status_counts(*, actor) -> dict[str, int]:
    qs = org_selectors.scope(Product.objects.all(), actor=actor, capability=READ)
    return dict(qs.values_list("status").annotate(n=Count("id")).values_list("status", "n"))


