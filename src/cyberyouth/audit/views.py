from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from cyberyouth.lib.pages import parse_date
from cyberyouth.lib.xlsx import table_workbook, xlsx_response
from cyberyouth.orgs import selectors as org_selectors
from cyberyouth.orgs.decorators import requires

from .changes import describe
from .labels import action_label
from .selectors import audit_entries

EXPORT_LIMIT = 20000


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
    filters = [(label, q[key]) for key, label in (("action", "Thao tác"), ("actor", "Người thực hiện"),
                                                   ("from", "Từ ngày"), ("to", "Đến ngày")) if q.get(key)]
    if q.get("xuat") == "xlsx":
        rows = []
        for entry, changes in describe(entries[:EXPORT_LIMIT]):
            rows.append([entry.at, str(entry.actor or "hệ thống"), action_label(entry.action), entry.target_repr,
                         "\n".join(f"{c.label}: {c.before}" for c in changes if c.before),
                         "\n".join(f"{c.label}: {c.after}" for c in changes if c.after), entry.note])
        return xlsx_response(table_workbook(
            title="Nhật ký", heading="Nhật ký thao tác", filters=filters, rows=rows,
            columns=[("Thời điểm", 17), ("Người thực hiện", 22), ("Thao tác", 28), ("Đối tượng", 30),
                     ("Trước", 40), ("Sau", 40), ("Ghi chú", 30)]), "nhat-ky.xlsx")
    page = Paginator(entries, 50).get_page(q.get("page"))
    return render(request, "audit/log.html", {"page": page, "rows": describe(page), "q": q, "filters": filters})
