import secrets
import time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from cyberyouth.errors import DomainError, NotFound, ScopeError
from cyberyouth.lib.pages import form_error, parse_int, submit_action, submit_form
from cyberyouth.orgs import selectors as org_selectors
from cyberyouth.orgs.decorators import requires
from cyberyouth.safety.categories import CATEGORY_WORDS

from . import documents, forms, rules, selectors, services
from .models import Case, Referral, Urgency
from .templatetags import helpline_tags

CHILD_SESSION_SECONDS = 30 * 60


def _client_address(request) -> str:
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    return forwarded.split(",")[0].strip() or request.META.get("REMOTE_ADDR", "")


def _service_state():
    helpline = selectors.default_helpline()
    if helpline is None:
        return None, False
    return helpline, selectors.in_service(helpline, timezone.now())


def _public(helpline, open_now, **extra) -> dict:
    return {"helpline": helpline, "open_now": open_now,
            "helpline_hours": selectors.hours_text(helpline) if helpline else "", **extra}


# ---------------------------------------------------------------- the child's pages (no sign-in)


@never_cache
@require_http_methods(["GET", "POST"])
def help_page(request):
    """"Cần giúp đỡ?": 111 always first; out of service hours said before the form."""
    helpline, open_now = _service_state()
    schools = selectors.schools_for_intake()
    form = forms.HelpForm(request.POST or None, schools=schools,
                          initial={"submission_key": secrets.token_urlsafe(24)})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            done = services.child_submit(text=d["text"], kind=d["kind"], school=d["school"],
                                         age_band=d["age_band"] or "", submission_key=d["submission_key"],
                                         client_address=_client_address(request), actor=request.user)
        except DomainError as e:
            form_error(form, e)
            return render(request, "helpline/help.html", _public(helpline, open_now, form=form),
                          status=429 if e.code == "rate_limited" else 400)
        _remember_child(request, done.case)
        return render(request, "helpline/sent.html", {"case": done.case, "secret": done.secret, "repeat": done.repeat,
                                                      "helpline": helpline, "open_now": open_now})
    return render(request, "helpline/help.html", _public(helpline, open_now, form=form),
                  status=400 if request.method == "POST" else 200)


def _remember_child(request, case: Case) -> None:
    request.session["helpline_case"] = [case.pk, int(time.time())]


def _remembered_case(request) -> Case | None:
    value = request.session.get("helpline_case")
    if not value or time.time() - value[1] > CHILD_SESSION_SECONDS:
        return None
    return Case.objects.filter(pk=value[0], deidentified_at__isnull=True).select_related("unit").first()


@never_cache
@require_http_methods(["GET", "POST"])
def child_case(request):
    """The child comes back with code and secret: reads the answers, writes again."""
    helpline, open_now = _service_state()
    case = _remembered_case(request)
    open_form = forms.ReturnForm(request.POST if request.method == "POST" and "code" in request.POST else None)
    write_form = forms.WriteAgainForm(request.POST if request.method == "POST" and "text" in request.POST else None,
                                      initial={"submission_key": secrets.token_urlsafe(24)})
    status = 200
    if request.method == "POST" and "code" in request.POST and open_form.is_valid():
        try:
            case = services.child_open(code=open_form.cleaned_data["code"], secret=open_form.cleaned_data["secret"],
                                       client_address=_client_address(request))
            _remember_child(request, case)
            return redirect("helpline:child_case")
        except DomainError as e:
            form_error(open_form, e)
            status = 429 if e.code == "rate_limited" else 404
    elif request.method == "POST" and "text" in request.POST:
        if case is None:
            messages.error(request, "Phiên đọc ca đã hết. Hãy nhập lại mã và mật mã.")
            return redirect("helpline:child_case")
        if write_form.is_valid():
            try:
                services.child_write(case=case, text=write_form.cleaned_data["text"],
                                     submission_key=write_form.cleaned_data["submission_key"])
                messages.success(request, "Đã gửi. Tư vấn viên sẽ trả lời tại đây.")
                _remember_child(request, case)
                return redirect("helpline:child_case")
            except DomainError as e:
                form_error(write_form, e)
        status = 400
    elif request.method == "POST":
        status = 400
    context = {"case": case, "open_form": open_form, "write_form": write_form, "helpline": helpline,
               "open_now": open_now}
    if case is not None:
        case.refresh_from_db()
        context["thread"] = selectors.child_view(case=case)
    return render(request, "helpline/child_case.html", context, status=status)


@require_POST
def child_leave(request):
    request.session.pop("helpline_case", None)
    return redirect("helpline:help")


# ---------------------------------------------------------------- counsellors


@login_required
@requires("helpline.counsel|helpline.supervise")
def queue_page(request):
    if not (selectors.counsel_unit_ids(actor=request.user) or selectors.supervise_unit_ids(actor=request.user)):
        raise ScopeError("Trang này dành cho tư vấn viên tổng đài.")
    status = request.GET.get("trang_thai", "open")
    rows = selectors.queue(actor=request.user, status=status, limit=QUEUE_PAGE)
    now = timezone.now()
    for row in rows:  # rendered here, not in template loops: 50 cards × clocks × spans
        message = row.last_child_message if row.readable else None
        row.text_html = _highlighted_html(message) if message else ""
        row.clock_items = [_clock_item(c, now) for c in row.clocks]
    mine = selectors.counsel_unit_ids(actor=request.user) | selectors.supervise_unit_ids(actor=request.user)
    return render(request, "helpline/queue.html", {
        "rows": rows, "status": status, "statuses": rules.STATUS_LABELS, "now": now,
        "helplines": [(h, selectors.in_service(h, now), selectors.on_duty(helpline=h))
                      for h in selectors.helplines() if h.unit_id in mine],
    })


QUEUE_PAGE = 50


def _highlighted_html(message) -> str:
    # every piece is escaped by format_html or escape
    return mark_safe("".join(
        format_html('<mark class="hl hl-{}" title="{}">{}</mark>', seg.category,
                    CATEGORY_WORDS.get(seg.category, seg.category), seg.text) if seg.category else escape(seg.text)
        for seg in selectors.highlighted(message)))


def _clock_item(clock, now) -> tuple[str, str]:
    css = "done" if clock.met_at else ("late" if clock.due_at <= now else "")
    return css, f"{clock.get_kind_display()}: {helpline_tags.clock_state(clock, now)}"


@login_required
@require_http_methods(["GET", "POST"])
@requires("helpline.counsel|helpline.supervise")
def intake_page(request):
    units = selectors.counsel_unit_ids(actor=request.user)
    helplines = [h for h in selectors.helplines() if h.unit_id in units]
    if not helplines:
        raise ScopeError("Trang này dành cho tư vấn viên tổng đài.")
    form = forms.IntakeForm(request.POST or None, schools=selectors.schools_for_intake(),
                            categories=selectors.categories())
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        unit_code = request.POST.get("helpline") or helplines[0].unit.code
        helpline = next((h for h in helplines if h.unit.code == unit_code), None)
        try:
            if helpline is None:
                raise NotFound("Không tìm thấy tổng đài.")
            contact = services.intake_record(
                actor=request.user, unit=helpline.unit, channel=d["channel"], kind=d["kind"], summary=d["summary"],
                urgency=d["urgency"], category_codes=d["categories"], age_band=d["age_band"] or "",
                gender=d["gender"] or "", school=d["school"], class_name=d["class_name"], area=d["area"])
        except (ScopeError, NotFound):
            raise
        except DomainError as e:
            form_error(form, e)
        else:
            if contact.case_id:
                messages.success(request, f"Đã ghi nhận ca {contact.case.code}.")
                return redirect("helpline:case", contact.case_id)
            messages.success(request, "Đã ghi nhận liên hệ (chỉ đếm, không lập ca).")
            return redirect("helpline:queue")
    return render(request, "helpline/intake.html", {"form": form, "helplines": helplines},
                  status=400 if request.method == "POST" else 200)


def _case_context(request, case, rel, **forms_):
    detail = selectors.case_detail(case=case)
    for m in detail["thread"]:
        m.segments = selectors.highlighted(m)
    ctx = {
        "case": case, "rel": rel, **detail, "status_label": rules.STATUS_LABELS.get(case.status, case.status),
        "now": timezone.now(), "may": {a: bool(rel & allowed) for a, allowed in rules.PERMISSIONS.items()},
        "moves": [(to, rules.STATUS_LABELS[to]) for (frm, to), who in rules.TRANSITIONS.items()
                  if frm == case.status and rel & who],
        "answer_form": forms_.get("answer") or forms.AnswerForm(),
        "entry_form": forms_.get("entry") or forms.EntryForm(),
        "urgency_form": forms_.get("urgency") or forms.UrgencyForm(initial={"urgency": case.urgency}),
        "status_form": forms_.get("status") or forms.StatusForm(),
        "plan_form": forms_.get("plan") or forms.PlanForm(initial={"risk_assessment": case.risk_assessment,
                                                                   "support_plan": case.support_plan}),
        "referral_form": forms_.get("refer") or forms.ReferralForm(),
        "transfer_form": forms_.get("transfer") or forms.TransferForm(),
        "counsellor_choices": selectors.counsellors_of(unit=case.unit) if "supervisor" in rel else [],
        "openings": list(selectors.openings(case=case)[:50]) if "supervisor" in rel else [],
        "flag_words": ", ".join(CATEGORY_WORDS.get(f, f) for f in case.engine_flags or []),
    }
    return ctx


@login_required
@requires("helpline.counsel|helpline.supervise")
def case_page(request, case_id: int):
    case = services.case_open(actor=request.user, case_id=case_id)
    _case, rel = selectors.get_case(actor=request.user, case_id=case_id)
    return render(request, "helpline/case.html", _case_context(request, case, rel))


ACTIONS = {
    "answer": (forms.AnswerForm, lambda u, cid, d: services.answer(actor=u, case_id=cid, text=d["text"]),
               "Đã gửi câu trả lời; học sinh đọc được bằng mã ca."),
    "entry": (forms.EntryForm, lambda u, cid, d: services.note_add(actor=u, case_id=cid, **d), "Đã ghi vào ca."),
    "urgency": (forms.UrgencyForm, lambda u, cid, d: services.urgency_confirm(actor=u, case_id=cid, **d),
                "Đã xác nhận mức khẩn."),
    "status": (forms.StatusForm, lambda u, cid, d: services.status_move(actor=u, case_id=cid, **d),
               "Đã chuyển trạng thái."),
    "plan": (forms.PlanForm, lambda u, cid, d: services.plan_save(actor=u, case_id=cid, **d),
             "Đã lưu đánh giá và kế hoạch."),
    "refer": (forms.ReferralForm, lambda u, cid, d: services.referral_create(actor=u, case_id=cid, **d),
              "Đã ghi nhận chuyển tuyến. Tải công văn ở mục Chuyển tuyến."),
    "transfer": (forms.TransferForm, lambda u, cid, d: services.case_transfer(actor=u, case_id=cid, **d),
                 "Đã chuyển ca sang tổng đài khác."),
}


@login_required
@require_POST
@requires("helpline.counsel|helpline.supervise")
def case_action(request, case_id: int, action: str):
    if action == "take":
        services.case_take(actor=request.user, case_id=case_id)
        messages.success(request, "Bạn đã nhận ca này.")
        return redirect("helpline:case", case_id)
    if action == "assign":
        services.case_assign(actor=request.user, case_id=case_id, user_id=parse_int(request.POST.get("user"), 0))
        messages.success(request, "Đã phân công.")
        return redirect("helpline:case", case_id)
    if action not in ACTIONS:
        raise Http404
    form_class, call, done = ACTIONS[action]
    form = form_class(request.POST)
    if form.is_valid():
        try:
            call(request.user, case_id, form.cleaned_data)
        except (ScopeError, NotFound):
            raise
        except DomainError as e:
            form_error(form, e)
        else:
            messages.success(request, done)
            return redirect(reverse("helpline:case", args=[case_id]) + f"#{action}")
    case, rel = selectors.get_case(actor=request.user, case_id=case_id)
    return render(request, "helpline/case.html", _case_context(request, case, rel, **{action: form}), status=400)


@login_required
@requires("helpline.counsel|helpline.supervise")
def form01_docx(request, case_id: int):
    case, _rel = selectors.get_case(actor=request.user, case_id=case_id, action="read")
    data = documents.form01_docx(case)
    services.document_recorded(actor=request.user, case_id=case_id, title="Tải Mẫu 01 (biên bản tiếp nhận)")
    return _docx(data, f"mau-01-{case.code}.docx")


@login_required
@requires("helpline.counsel|helpline.supervise")
def referral_docx(request, referral_id: int):
    referral = Referral.objects.filter(pk=referral_id).select_related("case", "case__unit").first()
    if referral is None:
        raise NotFound("Không tìm thấy.")
    selectors.get_case(actor=request.user, case_id=referral.case_id, action="refer")
    data = documents.referral_letter_docx(referral)
    services.document_recorded(actor=request.user, case_id=referral.case_id,
                               title=f"Tải công văn chuyển tuyến đến {referral.recipient}")
    return _docx(data, f"chuyen-tuyen-{referral.case.code}-{referral.pk}.docx")


@login_required
@require_POST
@requires("helpline.counsel|helpline.supervise")
def referral_answer(request, referral_id: int):
    form = forms.ReferralAnswerForm(request.POST)
    referral = Referral.objects.filter(pk=referral_id).first()
    if referral is None:
        raise NotFound("Không tìm thấy.")
    if not form.is_valid():
        raise DomainError("Ghi phản hồi của nơi nhận.", field="answer")
    services.referral_answer(actor=request.user, referral_id=referral_id, answer_text=form.cleaned_data["answer"])
    messages.success(request, "Đã ghi phản hồi.")
    return redirect("helpline:case", referral.case_id)


def _docx(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@requires("helpline.stats")
def stats_page(request):
    if not org_selectors.can(actor=request.user, capability="helpline.stats"):
        raise ScopeError("Bạn không có quyền xem thống kê tổng đài.")
    readable = org_selectors.unit_ids(actor=request.user, capability="helpline.stats")
    homes = [u for u in org_selectors.home_units(actor=request.user) if u.id in readable]
    # the widest of the person's own units first (the zone before one of its agencies)
    homes.sort(key=lambda u: -len(org_selectors.descendant_ids(unit_ids=[u.id], on=org_selectors.today())))
    code = request.GET.get("don_vi") or (homes[0].code if homes else "")
    unit = org_selectors.get_unit(actor=request.user, code=code, capability="helpline.stats")
    year = min(max(parse_int(request.GET.get("nam"), org_selectors.today().year), 2020), 2100)
    data = selectors.stats(actor=request.user, unit=unit, year=year)
    return render(request, "helpline/stats.html", {"s": data, "year": year, "unit": unit,
                                                   "line": selectors.yearly_report_line(actor=request.user, unit=unit,
                                                                                        year=year)})


# ---------------------------------------------------------------- settings: hours, targets, duty roster


@login_required
@requires("helpline.manage")
def settings_index(request):
    """The helplines the person may set; with one, straight to it."""
    helplines = selectors.managed_helplines(actor=request.user)
    if len(helplines) == 1:
        return redirect("helpline:settings", helpline_id=helplines[0].pk)
    return render(request, "helpline/settings_index.html", {"helplines": helplines})


@login_required
@require_http_methods(["GET", "POST"])
@requires("helpline.manage")
def settings_page(request, helpline_id: int):
    helpline = selectors.get_managed(actor=request.user, helpline_id=helpline_id)
    form = forms.SettingsForm(request.POST or None, initial=forms.SettingsForm.initial_for(helpline))

    def save(data):
        hours = {str(i): services.parse_hours(data[f"day_{i}"], field=f"day_{i}") for i in range(7)}
        return services.helpline_configure(
            actor=request.user, helpline_id=helpline.pk, name=data["name"], phone=data["phone"],
            alert_email=data["alert_email"], hours=hours, holidays=data["holidays"],
            first_answer_minutes={Urgency.CRITICAL: data["first_critical"], Urgency.URGENT: data["first_urgent"],
                                  Urgency.NOT_URGENT: data["first_not_urgent"]},
            notify_hours=data["notify_hours"], danger_hours=data["danger_hours"],
            plan_working_days=data["plan_working_days"], warn_minutes=data["warn_minutes"])

    done = submit_form(request, form, save, success="Đã lưu giờ phục vụ và thời hạn của tổng đài.",
                       then=request.path)
    if done:
        return done
    return _settings_render(request, helpline, form=form, shift_form=forms.ShiftForm(
        people=selectors.counsellors_of(unit=helpline.unit)))


def _settings_render(request, helpline, *, form, shift_form):
    return render(request, "helpline/settings.html", {
        "helpline": helpline, "form": form, "shift_form": shift_form,
        "groups": [
            ("Tổng đài", [form["name"], form["phone"], form["alert_email"]]),
            ("Giờ phục vụ (giờ Việt Nam)", [form[f] for f, _n in forms.WEEKDAY_FIELDS] + [form["holidays"]]),
            ("Hạn trả lời đầu tiên, tính trong giờ phục vụ",
             [form["first_critical"], form["first_urgent"], form["first_not_urgent"]]),
            ("Thời hạn theo Nghị định 56/2017/NĐ-CP, Điều 26",
             [form["notify_hours"], form["danger_hours"], form["plan_working_days"], form["warn_minutes"]])],
        "roster": selectors.roster(helpline=helpline), "on_duty": selectors.on_duty(helpline=helpline),
        "hours_text": selectors.hours_text(helpline), "open_now": selectors.in_service(helpline, timezone.now())})


@login_required
@require_POST
@requires("helpline.manage")
def shift_add(request, helpline_id: int):
    helpline = selectors.get_managed(actor=request.user, helpline_id=helpline_id)
    shift_form = forms.ShiftForm(request.POST, people=selectors.counsellors_of(unit=helpline.unit))
    done = submit_form(request, shift_form, lambda d: services.shift_add(
        actor=request.user, helpline_id=helpline.pk, user_id=d["user"], starts_at=d["starts_at"],
        ends_at=d["ends_at"]), success="Đã xếp ca trực.", then=reverse("helpline:settings", args=[helpline.pk]))
    if done:
        return done
    form = forms.SettingsForm(initial=forms.SettingsForm.initial_for(helpline))
    return _settings_render(request, helpline, form=form, shift_form=shift_form)


@login_required
@require_POST
@requires("helpline.manage")
def shift_remove(request, shift_id: int):
    helpline_id = parse_int(request.POST.get("helpline"), 0)
    helpline = selectors.get_managed(actor=request.user, helpline_id=helpline_id)
    return submit_action(request, lambda: services.shift_remove(actor=request.user, shift_id=shift_id),
                         success="Đã bỏ ca trực.", then=reverse("helpline:settings", args=[helpline.pk]))
