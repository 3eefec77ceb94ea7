"""`{% library_citations "campaign" campaign %}`: the products a campaign (session, dialogue)
cites, with a small form to cite one more for those who may — one line in the citing page."""

from django import template

from cyberyouth.orgs import selectors as org_selectors
from cyberyouth.orgs.models import Unit

from .. import citations, selectors

register = template.Library()


@register.inclusion_tag("library/_citations.html", takes_context=True)
def library_citations(context, kind: str, record):
    request = context["request"]
    citable = citations.CITABLE.get(kind)
    if citable is None or record is None:
        return {"show": False}
    unit = Unit(pk=citable.unit_id_of(record))
    can_cite = org_selectors.can(actor=request.user, capability=citable.cite, unit=unit)
    cited = selectors.cited_in(target_kind=kind, target_id=record.pk)
    taken = {c.product_id for c in cited}
    return {"show": bool(cited) or can_cite, "cited": cited, "can_cite": can_cite, "kind": kind, "record": record,
            "label": citable.label, "next": request.get_full_path(),
            "choices": [p for p in selectors.citable_products() if p.pk not in taken] if can_cite else [],
            "csrf_token": context.get("csrf_token")}
