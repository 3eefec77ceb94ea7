from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from cyberyouth.channels.models import Channel
from cyberyouth.errors import DomainError, ScopeError
from cyberyouth.orgs.models import Unit
from cyberyouth.lib.client import client_address
from cyberyouth.web.shortcuts import form_error, parse_int, parse_year, submit_form

from . import evidence, scope, selectors, services
from .forms import ActionForm, AttachmentForm, CategoryForm, DecisionForm, ImportForm, ReportForm, SourceForm
from .models import ImportJob, ItemState

PAGE = 50


@login_required
def queue(request):
    readable = selectors.require_queue_access(actor=request.user)
    page = max(1, parse_int(request.GET.get("trang"), 1, lo=1, hi=100_000, name="trang"))
    category = request.GET.get("nhom", "")
    items = selectors.queue(actor=request.user, limit=PAGE + 1, offset=(page - 1) * PAGE, category=category,
                            unit_ids=readable)
    return render(request, "monitoring/queue.html", {
        "items": items[:PAGE], "has_next": len(items) > PAGE, "page": page, "category": category,
        "categories": selectors.categories(),
        "category_names": {c.code: c.name for c in selectors.categories()}, "can_moderate": bool(scope.moderated_unit_ids(actor=request.user)),
        "can_manage": bool(scope.managed_unit_ids(actor=request.user)),
        "held_count": selectors.held_count(actor=request.user),
    })


@login_required
@require_http_methods(["GET", "POST"])
def item_detail(request, item_id: int):
    item = selectors.get_item(actor=request.user, item_id=item_id)
    categories = list(selectors.categories())
    decision_form = DecisionForm(request.POST if "decide" in request.POST else None, categories=categories)
    action_form = ActionForm(request.POST if "act" in request.POST else None)
    attachment_form = AttachmentForm(request.POST if "attach" in request.POST else None,
                                     request.FILES if "attach" in request.POST else None)
    if request.method == "POST":
        try:
            if "claim" in request.POST:
                services.item_claim(actor=request.user, item_id=item.pk)
                messages.success(request, "Bạn đã nhận xử lý nội dung này trong 15 phút.")
                return redirect("monitoring:item", item_id=item.pk)
            if "release" in request.POST:
                services.item_release(actor=request.user, item_id=item.pk)
                messages.info(request, "Đã trả nội dung về hàng đợi.")
                return redirect("monitoring:item", item_id=item.pk)
            if "decide" in request.POST and decision_form.is_valid():
                d = decision_form.cleaned_data
                try:
                    services.item_decide(actor=request.user, item_id=item.pk, outcome=d["outcome"],
                                         reason=d["reason"], category=d["category"])
                except DomainError as e:
                    if e.code == "not_claimed":
                        raise
                    form_error(decision_form, e)
                else:
                    messages.success(request, "Đã ghi quyết định.")
                    return redirect("monitoring:item", item_id=item.pk)
            here = reverse("monitoring:item", kwargs={"item_id": item.pk})
            if "act" in request.POST and (done := submit_form(
                    request, action_form, lambda d: services.action_create(actor=request.user, item_id=item.pk, **d),
                    success=lambda action: f"Đã lập: {action.get_kind_display()}.", then=here)):
                return done
            if "attach" in request.POST and (done := submit_form(
                    request, attachment_form,
                    lambda d: services.attachment_add(actor=request.user, item_id=item.pk, upload=d["file"]),
                    success="Đã lưu tệp đính kèm.", then=here)):
                return done
        except ScopeError:
            raise
        except DomainError as e:
            messages.error(request, e.message)
            return redirect("monitoring:item", item_id=item.pk)
    item.refresh_from_db()
    can_moderate = item.unit_id in scope.moderated_unit_ids(actor=request.user)
    from django.utils import timezone

    names = {c.code: c.name for c in categories}
    segments = selectors.highlighted(item)
    for segment in segments:
        segment.label = names.get(segment.category, segment.category)
    holds_claim = item.claimed_by_id == request.user.pk and item.claimed_until and item.claimed_until > timezone.now()
    return render(request, "monitoring/item.html", {
        "item": item, "segments": segments, "categories": categories,
        "scores": sorted(((k, names.get(k, k), v) for k, v in (item.scores or {}).items()), key=lambda kv: -kv[2]),
        "history": selectors.history(actor=request.user, item=item),
        "decisions": item.decisions.select_related("moderator", "category"),
        "actions": selectors.item_actions(item=item), "attachments": item.attachments.all(),
        "decision_form": decision_form, "action_form": action_form, "attachment_form": attachment_form,
        "can_moderate": can_moderate, "holds_claim": holds_claim, "is_open": item.state == ItemState.OPEN,
        "claimed_by_other": item.claimed_by_id and not holds_claim and item.claimed_until
        and item.claimed_until > timezone.now(),
    })


@login_required
def evidence_download(request, item_id: int):
    items = selectors.items_for_export(actor=request.user, item_ids=[item_id])
    data = evidence.build_package(item_ids=[item_id], actor=request.user, items=items)
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="chung-cu-{item_id}.zip"'
    return response


@login_required
def action_letter(request, action_id: int):
    action = selectors.get_action(actor=request.user, action_id=action_id)
    response = HttpResponse(action.body, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="van-ban-{action.kind}-{action.pk}.txt"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
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
def import_items(request):
    channel_ids = [c.pk for c in selectors.monitored_channels(actor=request.user)]
    form = ImportForm(request.POST or None, request.FILES or None,
                      channels=Channel.objects.filter(pk__in=channel_ids).order_by("name"))

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
def import_job(request, job_id: int):
    job = selectors.import_job(actor=request.user, job_id=job_id)
    template = "monitoring/_import_status.html" if request.htmx else "monitoring/import_job.html"
    return render(request, template, {"job": job})


@login_required
def stats(request):
    data = selectors.statistics_for(actor=request.user, year=parse_year(request.GET.get("nam")))
    precision = selectors.engine_precision(actor=request.user)
    return render(request, "monitoring/stats.html", {"s": data, "precision": precision,
                                                     "year": parse_year(request.GET.get("nam"))})


@login_required
@require_http_methods(["GET", "POST"])
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
