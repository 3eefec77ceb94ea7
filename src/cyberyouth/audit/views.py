from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from cyberyouth.orgs import selectors as org_selectors
from cyberyouth.web.shortcuts import parse_date
from cyberyouth.orgs.decorators import requires

from .selectors import audit_entries


@login_required
@requires("audit.read")
def audit_log(request):
    org_selectors.require(actor=request.user, capability="audit.read")
    q = request.GET
    entries = audit_entries(
        actor=request.user,
        action=q.get("action", ""), actor_username=q.get("actor", ""), target_type=q.get("type", ""),
        since=parse_date(q.get("from"), None), until=parse_date(q.get("to"), None),
    )
    page = Paginator(entries, 50).get_page(q.get("page"))
    return render(request, "audit/log.html", {"page": page, "q": q})
