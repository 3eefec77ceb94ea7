from datetime import date

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
from cyberyouth.lib.xlsx import table_workbook, xlsx_response

from . import calendar as days_calendar
from . import documents, reminders, selectors, services
from .forms import MARKS, ApproveForm, CommendationForm, DayForm, PostLinkForm, ResubmitForm, ReturnForm
from .models import PostKind

RANKING_PAGE = 100  # units per page of the ranking (a country has 45,000)


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
    board = selectors.dashboard(actor=request.user, year=year, month=month, unit=unit)
    pages = max(1, -(-len(board.rows) // RANKING_PAGE))
    page = parse_int(request.GET.get("trang"), 1, lo=1, hi=pages, name="trang")
    offset = (page - 1) * RANKING_PAGE
    return render(request, "campaigns/compliance.html", {
        "year": year, "month": month, "unit": unit, "rows": board.rows[offset:offset + RANKING_PAGE],
        "offset": offset, "page": page, "pages": pages, "summary": board.summary,
        "children": board.children, "months": range(1, 13),
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


# ---------------------------------------------------------------- commendations


def _docx(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@requires("campaign.read")
def commendations_page(request):
    """Proposals in scope for a year; the proposal form (with the units meeting the suggested
    thresholds offered first); what awaits the approver's decision."""
    year = _year(request) if request.method == "GET" else org_selectors.today().year
    may_propose = org_selectors.can(actor=request.user, capability="commendation.propose")
    may_approve = org_selectors.can(actor=request.user, capability="commendation.approve")
    candidates = selectors.candidates(actor=request.user, year=year) if may_propose else []
    form = None
    if may_propose:
        proposable = org_selectors.unit_ids(actor=request.user, capability="commendation.propose", history=False)
        posting = selectors.posting_unit_ids(unit_ids=proposable, start=date(2022, 1, 1), end=org_selectors.today())
        units = sorted(Unit.objects.filter(id__in=posting)[:1000], key=lambda u: u.name)
        initial = {"year": year, "unit": candidates[0].unit.code if candidates else None}
        form = CommendationForm(request.POST or None, units=units, initial=initial)
        done = submit_form(request, form, lambda d: services.commendation_propose(actor=request.user, **d),
                           success="Đã gửi đề nghị khen thưởng, kèm số liệu của đơn vị.",
                           then=lambda row: reverse("campaigns:commendation", args=[row.pk]))
        if done:
            return done
    elif request.method == "POST":
        raise ScopeError("Bạn không có quyền đề nghị khen thưởng.")
    return render(request, "campaigns/commendations.html", {
        "year": year, "form": form, "candidates": candidates[:20], "criteria": selectors.criteria(),
        "rows": selectors.commendations(actor=request.user, year=year).order_by("status", "-proposed_at")[:500],
        "awaiting": list(selectors.awaiting_decision(actor=request.user)[:200]) if may_approve else [],
        "approve_form": ApproveForm() if may_approve else None,
    })


@login_required
@requires("campaign.read")
def commendation_page(request, commendation_id: int):
    row = selectors.commendation(actor=request.user, commendation_id=commendation_id)
    may_decide = (row.status == "proposed" and row.proposed_by_id != request.user.pk and org_selectors.can(
        actor=request.user, capability="commendation.approve", unit=row.unit))
    may_propose = org_selectors.can(actor=request.user, capability="commendation.propose", unit=row.unit)
    return render(request, "campaigns/commendation.html", {
        "c": row, "grounds": documents.grounds_text(row.grounds), "may_decide": may_decide,
        "own_proposal": row.status == "proposed" and row.proposed_by_id == request.user.pk,
        "may_resubmit": may_propose and row.status == "returned", "may_withdraw": may_propose and row.status in (
            "proposed", "returned"),
        "approve_form": ApproveForm() if may_decide else None, "return_form": ReturnForm() if may_decide else None,
        "resubmit_form": ResubmitForm(initial={"achievements": row.achievements}) if may_propose else None,
    })


@login_required
@require_POST
@requires("commendation.approve")
def commendations_approve(request):
    form = ApproveForm(request.POST)
    ids = [i for i in (parse_int(v, None, lo=1, name="đề nghị") for v in request.POST.getlist("chon")) if i]
    back = reverse("campaigns:commendation", args=[ids[0]]) if len(ids) == 1 else reverse("campaigns:commendations")
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(back)
    try:
        decision = services.commendations_approve(actor=request.user, commendation_ids=ids, **form.cleaned_data)
    except (ScopeError, NotFound):
        raise
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(back)
    messages.success(request, f"Đã duyệt {decision.commendations.count()} đề nghị trong một quyết định khen thưởng.")
    return redirect(back)


@login_required
@require_POST
@requires("commendation.approve")
def commendation_return(request, commendation_id: int):
    form = ReturnForm(request.POST)
    back = reverse("campaigns:commendation", args=[commendation_id])
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return submit_action(request, lambda: services.commendation_return(actor=request.user,
                                                                       commendation_id=commendation_id, reason=reason),
                         success="Đã trả lại đề nghị; người đề nghị được báo.", then=back)


@login_required
@require_POST
@requires("commendation.propose")
def commendation_proposer(request, commendation_id: int):
    back = reverse("campaigns:commendation", args=[commendation_id])
    if request.POST.get("action") == "withdraw":
        return submit_action(request, lambda: services.commendation_withdraw(actor=request.user,
                                                                             commendation_id=commendation_id),
                             success="Đã rút đề nghị.", then=back)
    form = ResubmitForm(request.POST)
    achievements = form.cleaned_data["achievements"] if form.is_valid() else ""
    return submit_action(request, lambda: services.commendation_resubmit(
        actor=request.user, commendation_id=commendation_id, achievements=achievements),
        success="Đã gửi lại đề nghị với số liệu mới nhất.", then=back)


@login_required
@requires("campaign.read")
def register_page(request):
    """The register of commendations by year (sổ khen thưởng), as a page or an XLSX."""
    year = _year(request)
    rows = list(selectors.register(actor=request.user, year=year))
    if request.GET.get("xuat") == "xlsx":
        table = [[c.book_number, c.get_kind_display(), c.nominee, c.unit.name, documents.grounds_text(c.grounds),
                  c.decision.number or "(chưa ghi số)", c.decision.signed_on, c.decision.issuer_unit.name,
                  c.proposer_unit.name] for c in rows]
        return xlsx_response(table_workbook(
            title=f"Sổ khen thưởng {year}", heading=f"Sổ khen thưởng phong trào “Mỗi ngày một tin tốt, mỗi tuần một câu "
                                                  f"chuyện đẹp” năm {year}",
            filters=[("Năm thành tích", str(year))],
            columns=[("Số vào sổ", 10), ("Hình thức", 10), ("Tập thể, cá nhân", 36), ("Đơn vị", 36),
                     ("Số liệu làm căn cứ", 70), ("Số quyết định", 16), ("Ngày ký", 12), ("Cấp quyết định", 30),
                     ("Đơn vị đề nghị", 30)], rows=table), f"so-khen-thuong-{year}.xlsx")
    return render(request, "campaigns/register.html", {"year": year, "rows": rows})


@login_required
@requires("campaign.read")
def decision_docx(request, decision_id: int):
    decision = selectors.decision(actor=request.user, decision_id=decision_id)
    return _docx(documents.decision_docx(decision), f"quyet-dinh-khen-thuong-{decision.year}-{decision.pk}.docx")


@login_required
@requires("campaign.read")
def certificate_docx(request, commendation_id: int):
    row = selectors.commendation(actor=request.user, commendation_id=commendation_id)
    if row.decision_id is None:
        raise NotFound("Đề nghị này chưa được duyệt: chưa có giấy khen.")
    return _docx(documents.certificate_docx(row), f"giay-khen-{row.year}-{row.book_number}.docx")
