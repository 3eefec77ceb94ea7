import importlib

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseServerError
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import Resolver404
from django.views.decorators.http import require_http_methods

from cyberyouth.lib.pages import parse_int
from cyberyouth.lib.text import nfc
from cyberyouth.orgs import selectors as org_selectors
from cyberyouth.orgs.models import ApiToken
from cyberyouth.orgs.services import token_create, token_revoke
from cyberyouth.plans import selectors as plan_selectors

from .registry import cyberyouth_apps, home_panels, search_groups


@login_required
def home(request):
    user = request.user
    # An app may send some people to a home of their own (the students app: students to theirs).
    for config in cyberyouth_apps():
        hook = getattr(config, "home_redirect", None)
        if hook:
            module_name, function = hook.split(":")
            target = getattr(importlib.import_module(module_name), function)(request)
            if target:
                return redirect(target)
    year = org_selectors.today().year
    roles = list(org_selectors.active_roles(actor=user))
    context = {"roles": roles, "year": year, "home_units": org_selectors.home_units(actor=user)}
    mine = plan_selectors.my_assignments(actor=user, year=year)
    if mine:
        todo = [a for a, progress in mine if progress is None]
        context.update(todo=todo[:6], todo_total=len(todo), assigned_total=len(mine),
                       single_unit=len({a.unit_id for a, _ in mine}) == 1)
    context["plans"] = list(plan_selectors.plans_visible(actor=user)[:5])
    context["panels"] = home_panels(request)
    return render(request, "web/home.html", context)


@login_required
def search(request):  # for everyone signed in: each source answers within the person's own scope
    """The shell's search box: units, people, tasks, items, documents — each within the person's scope."""
    text = nfc(request.GET.get("q", ""))[:200]
    long_enough = len(text) >= 2 or text.isdigit()  # a number finds an item by its number
    groups = search_groups(request, text) if long_enough else []
    return render(request, "web/search.html", {"q": text, "search_q": text, "groups": groups,
                                               "too_short": bool(text) and not long_enough})


class TokenForm(forms.Form):
    name = forms.CharField(label="Tên gợi nhớ", max_length=100)
    days = forms.IntegerField(label="Hiệu lực (ngày)", min_value=1, max_value=730, initial=90)


@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request):
    new_token = None
    if request.method == "POST" and "revoke" in request.POST:
        token = token_revoke(actor=request.user,
                             token_id=parse_int(request.POST.get("revoke"), 0, lo=0, hi=2**62, name="revoke"))
        messages.success(request, f"Đã thu hồi mã {token.prefix}…: chương trình nào dùng mã này sẽ không truy cập được nữa.")
        return redirect("api_tokens")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        new_token = token_create(user=request.user, name=form.cleaned_data["name"], days=form.cleaned_data["days"])
        messages.success(request, "Đã tạo mã truy cập. Hãy sao chép ngay: mã chỉ hiện một lần.")
        form = TokenForm()
    tokens = ApiToken.objects.filter(user=request.user).order_by("-created_at")
    return render(request, "web/tokens.html", {"form": form, "tokens": tokens, "new_token": new_token})


def locked_out(request, credentials=None, *args, **kwargs):
    return render(request, "web/locked_out.html", status=403)


# ---------------------------------------------------------------- error pages, in Vietnamese

_ERRORS = {
    400: ("Yêu cầu không hợp lệ", "Dữ liệu gửi lên không đúng. Kiểm tra lại địa chỉ hoặc biểu mẫu."),
    403: ("Không có quyền", "Bạn không có quyền xem hoặc thực hiện việc này."),
    404: ("Không tìm thấy", "Trang hoặc dữ liệu bạn tìm không có, hoặc nằm ngoài phạm vi của bạn."),
}


def _error(request, status: int, exception=None):
    title, default = _ERRORS[status]
    # Our own refusals carry a Vietnamese message; Django's (URL not matched…) do not: say ours.
    message = exception.args[0] if exception is not None and exception.args and isinstance(
        exception.args[0], str) and not isinstance(exception, Resolver404) else default
    return render(request, "web/error.html", {"status": status, "title": title, "message": message}, status=status)


def error_400(request, exception=None):
    return _error(request, 400, exception)


def error_403(request, exception=None):
    return _error(request, 403, exception)


def error_404(request, exception=None):
    return _error(request, 404, exception)


def csrf_failure(request, reason: str = ""):
    return render(request, "web/error.html", {
        "status": 403, "title": "Phiên làm việc đã hết hạn",
        "message": "Biểu mẫu đã quá hạn hoặc trang được mở từ nơi khác. Tải lại trang rồi gửi lại."}, status=403)


def error_500(request):
    # No context processors, no database: whatever failed must not fail again here.
    return HttpResponseServerError(render_to_string("web/500.html"))
