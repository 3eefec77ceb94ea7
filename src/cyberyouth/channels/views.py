from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from cyberyouth.errors import ScopeError
from cyberyouth.lib.collation import Vietnamese
from cyberyouth.lib.pages import submit_form
from cyberyouth.orgs import selectors as org_selectors
from cyberyouth.orgs.decorators import requires
from cyberyouth.orgs.models import Unit

from . import selectors, services
from .forms import ChannelFilterForm, ChannelForm


def _owner_units(actor):
    return Unit.objects.filter(
        id__in=org_selectors.unit_ids(actor=actor, capability="channel.manage", history=False)
    ).order_by(Vietnamese("name"))


@login_required
@requires("channel.read")
def channel_list(request):
    form = ChannelFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    unit = None
    if request.GET.get("don_vi"):
        unit = org_selectors.get_unit(actor=request.user, code=request.GET["don_vi"])
    channels = selectors.channels_visible(actor=request.user, unit=unit, status=filters.get("status", ""),
                                          platform=filters.get("platform", ""))
    return render(request, "channels/list.html", {
        "form": form, "channels": channels, "unit": unit, "summary": selectors.channel_summary(actor=request.user),
        "can_add": _owner_units(request.user).exists(),
        # Only the channels the person may edit link to the edit page.
        "editable_ids": set(_owner_units(request.user).values_list("id", flat=True)),
    })


@login_required
@require_http_methods(["GET", "POST"])
@requires("channel.manage")
def channel_edit(request, channel_id: int | None = None):
    channel = None
    if channel_id is not None:
        channel = selectors.get_channel(actor=request.user, channel_id=channel_id)
    units = _owner_units(request.user)
    if channel is not None and not units.filter(id=channel.owner_unit_id).exists():
        raise ScopeError("Bạn không có quyền sửa kênh của đơn vị này.")
    if channel is None and not units.exists():
        raise ScopeError("Bạn không có quyền thêm kênh thông tin.")
    initial = {}
    if channel is not None:
        initial = {f: getattr(channel, f) for f in ("platform", "name", "address", "active_since", "status",
                                                    "closed_on")}
    form = ChannelForm(request.POST or None, initial=initial)
    owner = channel.owner_unit if channel else (
        units.filter(code=request.POST.get("owner") or request.GET.get("don_vi")).first() or units.first())

    def save(d: dict):
        if channel is None:
            return services.channel_create(actor=request.user, owner_unit=owner, **d)
        return services.channel_update(actor=request.user, channel=channel, **d)

    if done := submit_form(request, form, save, success="Đã lưu kênh thông tin.", then="channels:list"):
        return done
    return render(request, "channels/form.html", {"form": form, "channel": channel, "units": units, "owner": owner})
