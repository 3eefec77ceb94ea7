from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from cyberyouth.channels.models import Channel
from cyberyouth.errors import DomainError, ScopeError
from cyberyouth.orgs.models import Unit
from cyberyouth.web.shortcuts import form_error, parse_int, submit_action, submit_form
from cyberyouth.orgs.decorators import requires

from . import evidence, scope, selectors, services
from .forms import ActionForm, AttachmentForm, CategoryForm, DecisionForm, ImportForm, ReportForm, SourceForm

PAGE = 50


def _client_address(request) -> str:
    # Behind the project's reverse proxy the first X-Forwarded-For hop is the client; without a
    # proxy REMOTE_ADDR is. (A forged header only spreads one sender's limit over more buckets,
    # and the overall hourly cap still holds.)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    return forwarded.split(",")[0].strip() or request.META.get("REMOTE_ADDR", "")


@login_required
@requires("content.moderate|monitoring.manage|monitoring.school")
def queue(request):
    readable = selectors.require_queue_access(actor=request.user)
    page = max(1, parse_int(request.GET.get("trang"), 1))
    category = request.GET.get("nhom", "")
    items = selectors.queue(actor=request.user, limit=PAGE + 1, offset=(page - 1) * PAGE, category=category,
                            unit_ids=readable)
    return render(request, "monitoring/queue.html", {
        "items": items[:PAGE], "has_next": len(items) > PAGE, "page": page, "category": category,
        "categories": selectors.categories(),
        "category_names": {c.code: c.name for c in selectors.categories()}, "can_moderate": bool(scope.moderated_unit_ids(actor=request.user)),
        "can_manage": bool(scope.managed_unit_ids(actor=request.user)),
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
    zone_units = Unit.objects.filter(id__in=managed).order_by("name")
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
                      channels=Channel.objects.filter(pk__in=channel_ids).order_by("name"))

    def imported(results) -> str:
        new = sum(1 for r in results if not r.duplicate)
        return f"Đã nhập {new} nội dung mới, {len(results) - new} trùng."

    if done := submit_form(
            request, form, lambda d: services.import_rows(
                actor=request.user, channel=d["channel"], filename=d["file"].name, data=d["file"].read()),
            success=imported, then="monitoring:queue"):
        return done
    return render(request, "monitoring/import.html", {"form": form})


@login_required
@requires("monitoring.read")
def stats(request):
    data = selectors.statistics_for(actor=request.user, year=parse_int(request.GET.get("nam")))
    precision = selectors.engine_precision(actor=request.user)
    return render(request, "monitoring/stats.html", {"s": data, "precision": precision,
                                                     "year": parse_int(request.GET.get("nam"))})


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
    schools = Unit.objects.filter(id__in=managed, unit_type__in=SCHOOL_TYPES).order_by("name")
    return render(request, "monitoring/categories.html", {
        "form": form, "categories": selectors.categories(active_only=False), "schools": schools, "granted": granted,
    })


@require_http_methods(["GET", "POST"])
def report(request):
    """The public report form (tố giác): no sign-in needed."""
    form = ReportForm(request.POST or None, request.FILES or None,
                      initial={"form_token": services.report_form_token()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.report_submit(
                link=d["link"], text=d["text"], unit=d["unit"], client_address=_client_address(request),
                form_token=d["form_token"], honeypot=d["website"], reporter_name=d["reporter_name"],
                reporter_contact=d["reporter_contact"], upload=d.get("file"))
        except services.Rejected:
            return render(request, "monitoring/report_thanks.html")
        except DomainError as e:
            form_error(form, e)
            if e.code == "rate_limited":
                response = render(request, "monitoring/report.html", {"form": form}, status=429)
                return response
        else:
            return render(request, "monitoring/report_thanks.html")
    if request.method == "POST":
        # A fresh token for the next try (the old one may have expired).
        form.data = form.data.copy()
        form.data["form_token"] = services.report_form_token()
    return render(request, "monitoring/report.html", {"form": form})


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
