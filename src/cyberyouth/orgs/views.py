from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from cyberyouth.errors import DomainError, NotFound, ScopeError
from cyberyouth.lib.collation import Vietnamese
from cyberyouth.lib.pages import form_error, parse_date, parse_int, submit_form

from . import privacy, selectors, services
from .decorators import NOT_FOR_YOUR_ROLE, requires
from .forms import EraseForm, PersonRoleForm, ReorganiseForm, UnitCreateForm
from .models import RoleAssignment, Unit, User


@login_required
@requires("unit.read")
def unit_tree(request):
    on = parse_date(request.GET.get("ngay"), selectors.today())
    visible = selectors.unit_ids(actor=request.user, capability="unit.read")
    roots = selectors.unit_tree(on=on, within=visible)
    return render(request, "orgs/tree.html", {
        "roots": roots, "on": on, "reorganisations": selectors.recent_reorganisations(unit_ids=visible),
    })


@login_required
@requires("unit.read")
def unit_detail(request, code: str, **kwargs):
    unit = selectors.get_unit(actor=request.user, code=code)
    history = selectors.unit_history(unit=unit)
    today = selectors.today()
    children = Unit.objects.filter(id__in=selectors.children_map(on=unit.last_day or today).get(unit.id, []))
    can_reorganise = unit.is_active_on(today) and selectors.can(
        actor=request.user, capability="unit.reorganise", unit=unit)
    can_manage_people = unit.is_active_on(today) and selectors.can(
        actor=request.user, capability="people.manage", unit=unit)
    return render(request, "orgs/unit_detail.html", {
        "unit": unit, "history": history, "children": children.order_by(Vietnamese("name")),
        "roles": unit.role_assignments.select_related("user").order_by("valid_to", "role") if can_manage_people else [],
        "can_reorganise": can_reorganise, "can_manage_people": can_manage_people,
        # a link only to the units this person may open (the parent of a school, for its staff, is not)
        "readable": selectors.unit_ids(actor=request.user, capability="unit.read"),
        "person_form": kwargs.get("person_form") or PersonRoleForm(), "new_password": kwargs.get("new_password"),
    })


@login_required
@require_http_methods(["GET", "POST"])
@requires("unit.reorganise")
def unit_reorganise(request, code: str):
    unit = selectors.get_unit(actor=request.user, code=code)
    selectors.require(actor=request.user, capability="unit.reorganise", unit=unit)
    targets = Unit.objects.filter(
        id__in=selectors.unit_ids(actor=request.user, capability="unit.reorganise", history=False)
    ).exclude(id=unit.id).order_by(Vietnamese("name"))
    children = list(Unit.objects.filter(id__in=selectors.children_map(on=selectors.today()).get(unit.id, []))
                    .order_by(Vietnamese("name")))
    form = ReorganiseForm(request.POST or None, targets=targets, children=children)

    def reorganise(d: dict):
        common = {"actor": request.user, "effective_date": d["effective_date"], "legal_basis": d["legal_basis"]}
        if d["kind"] == "rename":
            return services.unit_rename(unit=unit, new_name=d["new_name"], **common)
        if d["kind"] == "move":
            return services.unit_move(unit=unit, new_parent=d["target"], **common)
        if d["kind"] == "merge":
            return services.units_merge(sources=[unit], successor=d["target"], note=d["note"], **common)
        if d["kind"] == "split":
            rows = {i: (existing or services.NewUnit(code=code, name=name, unit_type=unit.unit_type), share)
                    for i, existing, code, name, share in form.split_rows()}
            moves = {}
            for child in children:  # to an existing unit, or to a new one by its code
                target = rows[int(d[f"child_{child.id}"])][0]
                moves[child.id] = target if isinstance(target, Unit) else target.code
            return services.unit_split(source=unit, successors=[(t, share / 100) for t, share in rows.values()],
                                       child_moves=moves, note=d["note"], **common)
        return services.unit_dissolve(unit=unit, note=d["note"], **common)

    # A reorganisation cannot be undone: a valid form first shows what will happen, to confirm.
    back = request.POST.get("back") == "1"  # "go back and edit": the form as it was filled
    if request.method == "POST" and (back or request.POST.get("confirmed") != "1") and form.is_valid():
        if back:
            return render(request, "orgs/reorganise.html", {"unit": unit, "form": form, "has_children": bool(children)})
        return render(request, "orgs/reorganise_confirm.html", {
            "unit": unit, "form": form, "summary": _reorganisation_summary(unit, form, children),
            "same_day": selectors.same_day_change(unit=unit, on=form.cleaned_data["effective_date"]),
        })
    if done := submit_form(request, form, reorganise, success="Đã ghi nhận việc sắp xếp đơn vị.",
                           then=reverse("orgs:unit", kwargs={"code": unit.code})):
        return done
    return render(request, "orgs/reorganise.html", {"unit": unit, "form": form, "has_children": bool(children)})


def _reorganisation_summary(unit: Unit, form: ReorganiseForm, children: list[Unit]) -> list[str]:
    """What the confirmed operation will do, in sentences."""
    d = form.cleaned_data
    day = f"{d['effective_date']:%d/%m/%Y}"
    kind = d["kind"]
    if kind == "rename":
        return [f"“{unit.name}” mang tên “{d['new_name']}” từ ngày {day}; tên cũ được giữ trong lịch sử."]
    if kind == "move":
        return [f"“{unit.name}” chuyển sang trực thuộc “{d['target'].name}” từ ngày {day}."]
    if kind == "merge":
        lines = [f"“{unit.name}” chấm dứt hoạt động từ ngày {day}, sáp nhập vào “{d['target'].name}”, đơn vị kế "
                 "thừa toàn bộ lịch sử và số liệu của nó."]
        if children:
            lines.append(f"{len(children)} đơn vị trực thuộc chuyển về “{d['target'].name}”: "
                         + ", ".join(c.name for c in children) + ".")
        return lines
    if kind == "split":
        lines = [f"“{unit.name}” chấm dứt hoạt động từ ngày {day}, chia tách thành:"]
        names = {}
        for i, existing, code, name, share in form.split_rows():
            names[str(i)] = existing.name if existing else name
            lines.append(f"{names[str(i)]}{'' if existing else ' (đơn vị mới, mã ' + code + ')'}: kế thừa "
                         f"{share.normalize():f} %")
        for child in children:
            lines.append(f"“{child.name}” chuyển về “{names.get(d.get(f'child_{child.id}'), '')}”.")
        return lines
    return [f"“{unit.name}” giải thể từ ngày {day}, không có đơn vị kế thừa; dữ liệu và lịch sử được giữ."]


@login_required
@require_http_methods(["GET", "POST"])
@requires("unit.reorganise")
def unit_create(request, code: str):
    parent = selectors.get_unit(actor=request.user, code=code)
    selectors.require(actor=request.user, capability="unit.reorganise", unit=parent)
    form = UnitCreateForm(request.POST or None, initial={"valid_from": selectors.today()})
    if done := submit_form(request, form, lambda d: services.unit_create(actor=request.user, parent=parent, **d),
                           success=lambda unit: f"Đã thêm đơn vị “{unit.name}”.",
                           then=lambda unit: reverse("orgs:unit", kwargs={"code": unit.code})):
        return done
    return render(request, "orgs/unit_create.html", {"parent": parent, "form": form})


@login_required
@require_http_methods(["POST"])
@requires("people.manage")
def unit_people(request, code: str):
    """Grant a role on the unit (creating the account if needed), or end one."""
    unit = selectors.get_unit(actor=request.user, code=code)
    selectors.require(actor=request.user, capability="people.manage", unit=unit)
    if "revoke" in request.POST:
        assignment = (RoleAssignment.objects.select_related("user")
                      .filter(unit=unit, id=parse_int(request.POST.get("revoke"), 0)).first())
        if assignment is None:
            raise NotFound("Không tìm thấy vai trò này tại đơn vị.")
        if request.POST.get("confirmed") != "1":  # ending a role asks first
            return render(request, "orgs/role_end_confirm.html", {"unit": unit, "assignment": assignment})
        services.role_revoke(actor=request.user, assignment=assignment)
        messages.success(request, f"Đã kết thúc vai trò {assignment.get_role_display()} của {assignment.user}.")
        return redirect("orgs:unit", code=unit.code)
    form = PersonRoleForm(request.POST)
    if form.is_valid():
        try:
            assignment, password = services.person_grant(actor=request.user, unit=unit, **form.cleaned_data)
        except DomainError as e:
            form_error(form, e)
        else:
            messages.success(request, f"Đã giao vai trò {assignment.get_role_display()} cho {assignment.user}.")
            if password:
                return unit_detail(request, code, new_password=(assignment.user.username, password))
            return redirect("orgs:unit", code=unit.code)
    return unit_detail(request, code, person_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def person_data(request, username: str):
    """A person's own data: download it (JSON) or erase it (de-identify the account)."""
    if username != request.user.username and not selectors.can(actor=request.user, capability="people.manage"):
        raise ScopeError(NOT_FOR_YOUR_ROLE)  # only one's own data, unless one manages people
    person = User.objects.filter(username=username).first()
    can_erase = person is not None and privacy.may_manage(request.user, person)
    if person is None or not (person == request.user or can_erase):
        raise Http404("Không tìm thấy người dùng.")
    if request.GET.get("tai") == "json":
        data = privacy.person_export(actor=request.user, person=person)
        response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 1})
        response["Content-Disposition"] = f'attachment; filename="du-lieu-ca-nhan-{person.pk}.json"'
        return response
    form = EraseForm(request.POST or None)
    if done := submit_form(request, form, lambda d: privacy.person_erase(actor=request.user, person=person, **d),
                           success="Đã xóa dữ liệu cá nhân; tài khoản không còn đăng nhập được.",
                           then=reverse("orgs:tree")):
        return done
    return render(request, "orgs/person_data.html", {
        "person": person, "form": form, "can_erase": can_erase,
        "roles": person.roles.select_related("unit").order_by("valid_from"),
    })
