from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from cyberyouth.errors import ScopeError
from cyberyouth.lib.pages import parse_int, submit_form
from cyberyouth.orgs import selectors as org_selectors
from cyberyouth.orgs.decorators import requires

from . import selectors, services
from .forms import DayForm


@login_required
@requires("calendar.manage")
def calendar_page(request):
    if not org_selectors.can(actor=request.user, capability="calendar.manage"):
        raise ScopeError("Bạn không có quyền sửa lịch ngày nghỉ.")
    year = parse_int(request.GET.get("nam"), org_selectors.today().year)
    year = min(max(year, 2000), 2100)
    form = DayForm(request.POST or None)
    done = submit_form(request, form, lambda d: services.day_set(actor=request.user, **d),
                       success="Đã lưu ngày vào lịch.", then=lambda row: f"{reverse('workdays:calendar')}?nam={row.day.year}")
    if done:
        return done
    cal = selectors.calendar()
    return render(request, "workdays/calendar.html", {
        "year": year, "form": form, "holidays": sorted(cal.holidays(year).items()),
        "announced": selectors.announced_days(year=year),
    })


@login_required
@require_POST
@requires("calendar.manage")
def day_remove(request, day_id: int):
    services.day_remove(actor=request.user, day_id=day_id)
    messages.success(request, "Đã xóa ngày khỏi lịch.")
    return redirect("workdays:calendar")
