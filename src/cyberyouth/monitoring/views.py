from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from cyberyouth.channels.models import Channel
from cyberyouth.errors import DomainError, ScopeError
from cyberyouth.lib.client import client_address
from cyberyouth.lib.collation import Vietnamese
from cyberyouth.lib.pages import form_error, parse_date, parse_int, parse_year, submit_action, submit_form
from cyberyouth.lib.text import nfc
from cyberyouth.lib.xlsx import table_workbook, xlsx_response
from cyberyouth.orgs.decorators import requires
from cyberyouth.orgs.models import Unit

from . import evidence, scope, selectors, services
from .forms import ActionForm, AttachmentForm, CategoryForm, DecisionForm, ImportForm, ReportForm, SourceForm
from .models import ImportJob, ItemState

PAGE = 50


QUEUE_EXPORT_LIMIT = 5000


@login_required
@requires("content.moderate|monitoring.manage|monitoring.school")
def queue(request):
    readable = selectors.require_queue_access(actor=request.user)
    q = request.GET
    page = max(1, parse_int(q.get("trang"), 1, lo=1, hi=100_000, name="trang"))
    category, state = q.get("nhom", ""), q.get("trang_thai", "") or ItemState.OPEN
    channels = selectors.monitored_channels(actor=request.user)
    channel_id = parse_int(q.get("kenh"), None, lo=1, hi=2**63 - 1, name="kenh")
    filters = dict(category=category, state=state, channel_id=channel_id, text=nfc(q.get("q", ""))[:200],
                   since=parse_date(q.get("tu"), None), until=parse_date(q.get("den"), None), unit_ids=readable)
    names = {c.code: c.name for c in selectors.categories(active_only=False)}
    if q.get("xuat") == "xlsx":
        items = selectors.queue(actor=request.user, limit=QUEUE_EXPORT_LIMIT, **filters)
        shown = [(label, value) for label, value in (
            ("Trạng thái", ItemState(state).label if state in ItemState.values else ""),
            ("Nhóm", names.get(category, "")), ("Kênh", next((c.name for c in channels if c.pk == channel_id), "")),
            ("Có chữ", filters["text"]), ("Từ ngày", q.get("tu", "")), ("Đến ngày", q.get("den", ""))) if value]
        return xlsx_response(table_workbook(
            title="Hàng đợi", heading="Hàng đợi kiểm duyệt", filters=shown,
            columns=[("Số", 8), ("Mức", 6), ("Nhóm", 22), ("Điểm", 8), ("Nội dung", 60), ("Kênh", 24),
                     ("Thu thập lúc", 17), ("Trạng thái", 16), ("Người đang xem", 18)],
            rows=[[i.pk, i.severity, names.get(i.top_category, i.top_category or "—"), round(i.score, 2), i.text,
                   i.channel.name if i.channel else "Tố giác", i.captured_at, i.get_state_display(),
                   str(i.claimed_by or "")] for i in items]), "hang-doi-kiem-duyet.xlsx")
    items = selectors.queue(actor=request.user, limit=PAGE + 1, offset=(page - 1) * PAGE, **filters)
    keep = q.copy()
    keep.pop("trang", None)
    keep.pop("xuat", None)
    return render(request, "monitoring/queue.html", {
        "items": items[:PAGE], "has_next": len(items) > PAGE, "page": page, "category": category,
        "categories": selectors.categories(), "states": ItemState.choices, "state": state,
        "channels": channels, "channel_id": channel_id, "q": q, "query": keep.urlencode(),
        "category_names": names, "can_moderate": bool(scope.moderated_unit_ids(actor=request.user)),
        "can_manage": bool(scope.managed_unit_ids(actor=request.user)),
        "held_count": selectors.held_count(actor=request.user),
    })


@login_required
@require_http_methods(["GET", "POST"])
@requires("content.moderate|monitoring.manage|monitoring.school")
def item_detail(request, item_id: int):
    """The item with its verdict and history; five buttons, each one service call."""
    item = selectors.get_item(actor=request.user, item_id=item_id)
    categories = list(selectors.categories())
    posted = request.POST
    forms = {
        "decision_form": DecisionForm(posted if "decide" in posted else None, categories=categories),
        "action_form": ActionForm(posted if "act" in posted else None),
        "attachment_form": AttachmentForm(posted if "attach" in posted else None,
                                          request.FILES if "attach" in posted else None),
    }
    if request.method == "POST" and (done := _item_button(request, item, **forms)):
        return done
    return render(request, "monitoring/item.html", {
        **selectors.item_page(actor=request.user, item_id=item.pk, categories=categories), **forms})


def _item_button(request, item, *, decision_form, action_form, attachment_form):
    actor, here = request.user, reverse("monitoring:item", kwargs={"item_id": item.pk})
    if "claim" in request.POST:
        return submit_action(request, lambda: services.item_claim(actor=actor, item_id=item.pk),
                             success="Bạn đã nhận xử lý nội dung này trong 15 phút.", then=here)
    if "release" in request.POST:
        return submit_action(request, lambda: services.item_release(actor=actor, item_id=item.pk),
                             success="Đã trả nội dung về hàng đợi.", then=here)
    if "decide" in request.POST:
        return submit_form(request, decision_form,
                           lambda d: services.item_decide(actor=actor, item_id=item.pk, **d),
                           success="Đã ghi quyết định.", then=here)
    if "act" in request.POST:
        return submit_form(request, action_form, lambda d: services.action_create(actor=actor, item_id=item.pk, **d),
                           success=lambda action: f"Đã lập: {action.get_kind_display()}.", then=here)
    if "attach" in request.POST:
        return submit_form(request, attachment_form,
                           lambda d: services.attachment_add(actor=actor, item_id=item.pk, upload=d["file"]),
                           success="Đã lưu tệp đính kèm.", then=here)
    return None


@login_required
@requires("content.moderate|monitoring.manage|monitoring.school")
def evidence_download(request, item_id: int):
    items = selectors.items_for_export(actor=request.user, item_ids=[item_id])
    data = evidence.build_package(item_ids=[item_id], actor=request.user, items=items)
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="chung-cu-{item_id}.zip"'
    return response


@login_required
@requires("content.moderate|monitoring.manage|monitoring.school")
def action_letter(request, action_id: int):
    action = selectors.get_action(actor=request.user, action_id=action_id)
    response = HttpResponse(action.body, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="van-ban-{action.kind}-{action.pk}.txt"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
@requires("content.moderate|monitoring.manage")
def channels(request):
    managed = scope.managed_unit_ids(actor=request.user)
    rows = selectors.monitored_channels(actor=request.user)
    zone_units = Unit.objects.filter(id__in=managed).order_by(Vietnamese("name"))
    form = SourceForm(request.POST or None, zone_units=zone_units)
    if request.method == "POST":
        if not managed:
            raise ScopeError("Bạn không quản lý giám sát nội dung.")
        if done := submit_form(request, form, lambda d: services.monitored_source_add(actor=request.user, **d),
                               success="Đã thêm nguồn theo dõi.", then="monitoring:channels"):
            return done
    return render(request, "monitoring/channels.html", {"rows": rows, "form": form, "can_manage": bool(managed)})


@login_required
@require_http_methods(["GET", "POST"])
@requires("content.moderate|monitoring.manage")
def import_items(request):
    channel_ids = [c.pk for c in selectors.monitored_channels(actor=request.user)]
    form = ImportForm(request.POST or None, request.FILES or None,
                      channels=Channel.objects.filter(pk__in=channel_ids).order_by(Vietnamese("name")))

    def imported(outcome) -> str:
        if isinstance(outcome, ImportJob):
            return "Tệp lớn được nhập trong nền; trang này cho biết kết quả."
        new = sum(1 for r in outcome if not r.duplicate)
        return f"Đã nhập {new} nội dung mới, {len(outcome) - new} trùng."

    def then(outcome) -> str:
        if isinstance(outcome, ImportJob):
            return reverse("monitoring:import_job", kwargs={"job_id": outcome.pk})
        return reverse("monitoring:queue")

    if done := submit_form(
            request, form, lambda d: services.import_request(actor=request.user, channel=d["channel"], upload=d["file"]),
            success=imported, then=then):
        return done
    return render(request, "monitoring/import.html", {"form": form})


@login_required
@requires("content.moderate|monitoring.manage")
def import_job(request, job_id: int):
    job = selectors.import_job(actor=request.user, job_id=job_id)
    template = "monitoring/_import_status.html" if request.htmx else "monitoring/import_job.html"
    return render(request, template, {"job": job})


@login_required
@requires("monitoring.read")
def stats(request):
    data = selectors.statistics_for(actor=request.user, year=parse_year(request.GET.get("nam")))
    precision = selectors.engine_precision(actor=request.user)
    return render(request, "monitoring/stats.html", {"s": data, "precision": precision,
                                                     "year": parse_year(request.GET.get("nam"))})


@login_required
@require_http_methods(["GET", "POST"])
@requires("monitoring.manage")
def categories(request):
    managed = scope.managed_unit_ids(actor=request.user)
    if not managed:
        raise ScopeError("Bạn không quản lý giám sát nội dung.")
    form = CategoryForm(request.POST if "save_category" in request.POST else None)
    if request.method == "POST":
        if "save_category" in request.POST:
            if done := submit_form(request, form, lambda d: services.category_save(actor=request.user, **d),
                                   success="Đã lưu nhóm nội dung.", then="monitoring:categories"):
                return done
        elif "access" in request.POST:
            unit = Unit.objects.filter(code=request.POST.get("unit", "")).first()
            try:
                if unit is None:
                    raise DomainError("Không tìm thấy đơn vị.")
                services.queue_access_set(actor=request.user, unit=unit, allowed=request.POST["access"] == "1")
            except DomainError as e:
                messages.error(request, e.message)
            else:
                messages.success(request, "Đã cập nhật quyền xem của nhà trường.")
            return redirect("monitoring:categories")
    from cyberyouth.orgs.models import SCHOOL_TYPES

    granted = {a.unit_id for a in selectors.queue_access_units(actor=request.user)}
    schools = Unit.objects.filter(id__in=managed, unit_type__in=SCHOOL_TYPES).order_by(Vietnamese("name"))
    return render(request, "monitoring/categories.html", {
        "form": form, "categories": selectors.categories(active_only=False), "schools": schools, "granted": granted,
    })


@require_http_methods(["GET", "POST"])
def report(request):
    """The public report form (tố giác): no sign-in needed. Whatever a bot defence thinks of it,
    the sender is thanked with a reference code, and the report is kept."""
    form = ReportForm(request.POST or None, request.FILES or None,
                      initial={"form_token": services.report_form_token()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            public_report = services.report_submit(
                link=d["link"], text=d["text"], unit=d["unit"], client_address=client_address(request),
                form_token=d["form_token"], honeypot=d["website"], reporter_name=d["reporter_name"],
                reporter_contact=d["reporter_contact"], upload=d.get("file"))
        except DomainError as e:
            form_error(form, e)
        else:
            return redirect(f"{reverse('monitoring:report_status')}?ma={public_report.reference}&moi=1")
    if request.method == "POST":  # keep the same token: the same form still makes one report
        form.data = form.data.copy()
        form.data.setdefault("form_token", services.report_form_token())
    return render(request, "monitoring/report.html", {"form": form, "contact_days": settings.REPORTER_CONTACT_DAYS})


@require_http_methods(["GET"])
def report_status(request):
    """Anyone with a reference code sees where their report stands (nothing else)."""
    typed = request.GET.get("ma", "")
    status = selectors.report_status(reference=typed) if typed else None
    return render(request, "monitoring/report_status.html", {
        "typed": typed[:40], "status": status, "just_sent": request.GET.get("moi") == "1" and status is not None})


@login_required
@require_http_methods(["GET", "POST"])
@requires("content.moderate")
def held_reports(request):
    """The low-priority bin: public reports a bot defence held, for moderators to screen."""
    if request.method == "POST":
        ids = [int(i) for i in request.POST.getlist("item") if i.isdigit() and len(i) < 12]
        if "release" in request.POST:
            n = services.held_reports_release(actor=request.user, item_ids=ids)
            messages.success(request, f"Đã chuyển {n} tố giác vào hàng đợi kiểm duyệt.")
        elif "clear" in request.POST:
            n = services.held_reports_clear(actor=request.user, item_ids=ids)
            messages.success(request, f"Đã loại {n} tố giác rác (vẫn lưu, có ghi quyết định).")
        return redirect("monitoring:held")
    page = parse_int(request.GET.get("trang"), 1, lo=1, hi=100_000, name="trang")
    rows = selectors.held_reports(actor=request.user, limit=PAGE + 1, offset=(page - 1) * PAGE)
    return render(request, "monitoring/held.html", {
        "rows": rows[:PAGE], "has_next": len(rows) > PAGE, "page": page,
        "can_moderate": bool(scope.moderated_unit_ids(actor=request.user))})


@require_http_methods(["GET"])
def signing_keys(request):
    """The official page of the public keys that sign evidence packages: open to anyone, so that
    a court, the police or a platform can check a package without an account."""
    from . import signing

    signing.current()  # the first visit publishes the key the next package will be signed with
    return render(request, "monitoring/signing_keys.html", {"keys": signing.published()})


@login_required
@require_POST
@requires("monitoring.manage")
def source_toggle(request, channel_id: int):
    channel = Channel.objects.filter(pk=channel_id).first()
    try:
        if channel is None:
            raise DomainError("Không tìm thấy kênh.")
        services.monitored_source_set(actor=request.user, channel=channel, monitored=request.POST.get("on") == "1")
    except ScopeError:
        raise
    except DomainError as e:
        messages.error(request, e.message)
    return redirect("monitoring:channels")
