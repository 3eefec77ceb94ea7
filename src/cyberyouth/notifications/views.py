from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from . import selectors, services


@login_required
def index(request):
    unread_only = request.GET.get("chua_doc") == "1"
    page = Paginator(selectors.notifications_for(actor=request.user, unread_only=unread_only), 30).get_page(
        request.GET.get("page"))
    return render(request, "notifications/index.html", {"page": page, "unread_only": unread_only})


@login_required
@require_POST
def open_notification(request, notification_id: int):
    """Mark read, then follow the notification's link (a path on this site only)."""
    notification = services.mark_read(actor=request.user, notification_id=notification_id)
    link = notification.link
    if link and url_has_allowed_host_and_scheme(link, allowed_hosts={request.get_host()}):
        return redirect(link)
    return redirect("notifications:index")


@login_required
@require_POST
def read_all(request):
    count = services.mark_all_read(actor=request.user)
    messages.success(request, f"Đã đánh dấu đã đọc {count} thông báo.")
    return redirect("notifications:index")
