from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from cyberyouth.errors import DomainError, NotFound, ScopeError
from cyberyouth.orgs import selectors as org_selectors
from cyberyouth.orgs.decorators import requires
from cyberyouth.orgs.models import Unit
from cyberyouth.lib.pages import YEAR_MAX, YEAR_MIN, parse_int, submit_action, submit_form

from . import calendar as days_calendar
from . import reminders, selectors, services
from .forms import MARKS, DayForm, PostLinkForm
from .models import PostKind


def _year(request):
    return parse_int(request.GET.get("nam"), org_selectors.today().year, lo=YEAR_MIN, hi=YEAR_MAX, name="năm")


def _month(request):
    return parse_int(request.GET.get("thang"), None, lo=1, hi=12, name="tháng")


@login_required
@requires("campaign.read")
def days_page(request):
    year = _year(request)
    own = Unit.objects.filter(id__in=org_selectors.unit_ids(actor=request.user, capability="campaign.post",
                                                             history=False)).order_by("name")[:500]
    may_manage = org_selectors.can(actor=request.user, capability="campaign.manage")
    form = DayForm(request.POST or None, units=list(own))
    done = submit_form(request, form, lambda d: services.day_create(actor=request.user, **d),
                       success="Đã thêm ngày vào lịch.", then=lambda row: f"{reverse('campaigns:days')}?nam={year}")
    if done:
        return done
    managed = org_selectors.unit_ids(actor=request.user, capability="campaign.manage", history=False)
    own_roots = org_selectors.own_unit_ids(actor=request.user, capability="campaign.manage")
    owner_units = sorted(Unit.objects.filter(id__in=managed)[:200], key=lambda u: (u.id not in own_roots, u.name))
    return render(request, "campaigns/days.html", {
        "year": year, "days": selectors.days_of_year(actor=request.user, year=year), "form": form,
        "may_add": may_manage or bool(own), "may_manage": may_manage,
        "owner_units": owner_units if may_manage else [],
    })


@login_required
@require_POST
@requires("campaign.manage|campaign.post")
def day_remove(request, day_id: int):
    services.day_remove(actor=request.user, day_id=day_id)
    messages.success(request, "Đã xóa ngày khỏi lịch.")
    return redirect("campaigns:days")


def ical_feed(request):
    """The days everyone keeps, this year and the next two, for calendar applications (public:
    the days are public knowledge; units' own days are not in it)."""
    year = timezone.localdate().year
    items = [o for y in range(year, year + 3) for o in days_calendar.occurrences(selectors.common_days(), year=y)]
    response = HttpResponse(days_calendar.ical(items, stamp=timezone.now()), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="ngay-ky-niem.ics"'
    return response


@login_required
@requires("campaign.read")
def campaigns_page(request):
    if request.method == "POST":
        year = parse_int(request.POST.get("year"), None, lo=YEAR_MIN, hi=YEAR_MAX, name="năm")
        day_id = parse_int(request.POST.get("day"), None, name="ngày")
        owner = org_selectors.get_unit(actor=request.user, code=request.POST.get("owner", ""),
                                       capability="campaign.read")
        try:
            campaign = services.campaign_from_day(actor=request.user, day_id=day_id or 0, year=year or 0,
                                                  owner_unit=owner)
        except (ScopeError, NotFound):
            raise
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("campaigns:days")
        messages.success(request, "Đã tạo tuần cao điểm.")
        return redirect("campaigns:campaign", campaign_id=campaign.id)
    return render(request, "campaigns/campaigns.html", {"campaigns": selectors.campaigns(actor=request.user)[:200]})


@login_required
@requires("campaign.read")
def campaign_page(request, campaign_id: int):
    campaign = selectors.campaign(actor=request.user, campaign_id=campaign_id)
    posted, expected, silent = selectors.peak_week_participation(campaign=campaign)
    return render(request, "campaigns/campaign.html", {"campaign": campaign, "posted": posted, "expected": expected,
                                                       "silent": silent})


@login_required
@requires("campaign.read")
def posts_page(request):
    channels = list(selectors.own_channels(actor=request.user).order_by("name")[:500])
    form = PostLinkForm(request.POST or None, channels=channels)
    done = submit_form(request, form, lambda d: services.post_add(actor=request.user, channel_id=d.pop("channel"), **d),
                       success=lambda r: "Đã ghi nhận bài đăng." if r[1] else "Bài đăng này đã có trong sổ (không tính hai lần).",
                       then="campaigns:posts")
    if done:
        return done
    only = request.GET.get("loai", "chua")
    posts = selectors.posts(actor=request.user)
    if only == "chua":
        posts = posts.filter(kind=PostKind.UNMARKED)
    may_mark = org_selectors.unit_ids(actor=request.user, capability="campaign.post", history=False)
    return render(request, "campaigns/posts.html", {"form": form if channels else None, "posts": posts[:200],
                                                    "only": only, "marks": MARKS, "may_mark": may_mark})


@login_required
@require_POST
@requires("campaign.post")
def post_mark(request, post_id: int):
    back = request.POST.get("next") or ""
    back = back if back.startswith("/") and not back.startswith("//") else reverse("campaigns:posts")
    return submit_action(request, lambda: services.post_mark(actor=request.user, post_id=post_id,
                                                             kind=request.POST.get("kind", "")),
                         success="Đã phân loại bài đăng.", then=back)


@login_required
@requires("campaign.read")
def compliance_page(request):
    year, month = _year(request), _month(request)
    code = request.GET.get("don-vi")
    unit = org_selectors.get_unit(actor=request.user, code=code, capability="campaign.read") if code else None
    rows = selectors.compliance(actor=request.user, year=year, month=month, unit=unit)
    children = selectors.drill_down(actor=request.user, unit=unit, year=year, month=month) if unit else []
    return render(request, "campaigns/compliance.html", {
        "year": year, "month": month, "unit": unit, "rows": rows, "summary": selectors.summarise(rows),
        "children": children, "months": range(1, 13),
        "may_remind": org_selectors.can(actor=request.user, capability="campaign.manage"),
    })


@login_required
@requires("campaign.read")
def unit_page(request, code: str):
    year = _year(request)
    unit = org_selectors.get_unit(actor=request.user, code=code, capability="campaign.read")
    rows = selectors.compliance_of(unit_ids={unit.id}, year=year)
    row = rows[0] if rows else None
    return render(request, "campaigns/unit.html", {
        "unit": unit, "year": year, "row": row, "heat": selectors.heat_map(row=row, year=year) if row else [],
        "months": [(m, selectors.compliance_of(unit_ids={unit.id}, year=year, month=m)) for m in range(1, 13)],
        "recent": selectors.posts(actor=request.user, unit_ids={unit.id})[:30],
    })


@login_required
@require_POST
@requires("campaign.manage")
def remind(request):
    try:
        sent = reminders.remind_gaps(actor=request.user)
    except (ScopeError, NotFound):
        raise
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Đã nhắc {len(sent)} đơn vị còn thiếu tin tuần trước.")
    return redirect("campaigns:compliance")


@login_required
@require_POST
@requires("campaign.post")
def posts_import(request):
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "Chọn tệp Excel (.xlsx) để nhập.")
        return redirect("campaigns:posts")
    try:
        created, duplicates = services.posts_import_xlsx(actor=request.user, upload=upload)
    except (ScopeError, NotFound):
        raise
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Đã nhập {created} bài đăng mới; {duplicates} bài đã có trong sổ (không tính hai lần).")
    return redirect("campaigns:posts")
