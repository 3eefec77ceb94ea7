from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from cyberyouth.errors import DomainError, NotFound, ScopeError
from cyberyouth.lib.pages import form_error, parse_int, submit_form
from cyberyouth.orgs.decorators import requires
from cyberyouth.orgs.models import Unit
from cyberyouth.plans import selectors as plan_selectors

from . import letters, selectors, services
from .forms import NoteForm, NoteSelectForm, ReviewForm, YearlyForm
from .models import DocumentKind
from .pdf import pdf_available

STALLED_AFTER = timedelta(minutes=3)

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _forms(request, units, *, bound: str | None = None):
    review_units = [u for u in units if not u.is_school]
    yearly = YearlyForm(request.POST if bound == "yearly" else None, units=units, prefix="nam",
                        initial={"want_pdf": True})
    review = ReviewForm(request.POST if bound == "review" else None, units=review_units, prefix="sk",
                        initial={"want_pdf": True})
    return yearly, review


@login_required
@requires("report.read")
def index(request):
    units = list(selectors.visible_scope_units(actor=request.user))
    yearly, review = _forms(request, units)
    documents = selectors.documents_visible(actor=request.user)
    kind = request.GET.get("loai")
    if kind in DocumentKind.values:
        documents = documents.filter(kind=kind)
    return render(request, "reports/index.html", {
        "units": units, "yearly_form": yearly, "review_form": review, "documents": documents[:60],
        "plans": plan_selectors.plans_visible(actor=request.user).filter(parent__isnull=True),
        "pdf_available": pdf_available(), "kinds": DocumentKind.choices, "kind": kind,
    })


@login_required
@require_POST
@requires("report.manage|report.school")
def generate(request):
    kind = request.POST.get("kind")
    units = list(selectors.visible_scope_units(actor=request.user))
    if kind == DocumentKind.PLAN:
        plan = plan_selectors.get_plan(actor=request.user, plan_id=parse_int(request.POST.get("plan"), 0))
        document = services.document_request(actor=request.user, kind=kind, plan=plan,
                                             want_pdf=bool(request.POST.get("want_pdf")))
        document = services.document_start(document=document)
        return redirect("reports:document", document_id=document.id)
    yearly, review = _forms(request, units, bound="yearly" if kind == DocumentKind.YEARLY else "review")
    form = yearly if kind == DocumentKind.YEARLY else review
    if kind in (DocumentKind.YEARLY, DocumentKind.REVIEW) and form.is_valid():
        d = form.cleaned_data
        unit = Unit.objects.filter(code=d["unit"]).first()
        try:
            document = services.document_request(actor=request.user, kind=kind, year=d["year"], unit=unit,
                                                 on=d.get("on"), want_pdf=d.get("want_pdf", False))
        except (ScopeError, NotFound):
            raise
        except DomainError as e:
            if e.field == "milestone":
                e.field = "year"
            form_error(form, e)
        else:
            document = services.document_start(document=document)
            if document.status == "failed":
                messages.error(request, document.error)
            return redirect("reports:document", document_id=document.id)
    documents = selectors.documents_visible(actor=request.user)[:60]
    return render(request, "reports/index.html", {
        "units": units, "yearly_form": yearly, "review_form": review, "documents": documents,
        "plans": plan_selectors.plans_visible(actor=request.user).filter(parent__isnull=True),
        "pdf_available": pdf_available(), "kinds": DocumentKind.choices,
    }, status=400)


@login_required
@requires("report.read")
def document(request, document_id: int):
    doc = selectors.get_document(actor=request.user, document_id=document_id)
    template = "reports/_status.html" if request.htmx else "reports/document.html"
    versions = selectors.documents_visible(actor=request.user).filter(kind=doc.kind, unit=doc.unit, year=doc.year)
    from cyberyouth.background.selectors import workers_alive

    no_worker = not doc.is_finished and workers_alive() == 0
    # Queued longer than a worker ever takes to pick a job up: say so in words, not silence.
    stalled = not no_worker and doc.status == "queued" and timezone.now() - doc.requested_at > STALLED_AFTER
    return render(request, template, {"doc": doc, "versions": versions, "stalled": stalled, "no_worker": no_worker})


@login_required
@requires("report.read")
def download(request, document_id: int, fmt: str):
    doc = selectors.get_document(actor=request.user, document_id=document_id)
    field = {"docx": doc.docx, "pdf": doc.pdf, "xlsx": doc.xlsx}.get(fmt)
    if not field:
        raise Http404("Văn bản chưa có tệp định dạng này.")
    return FileResponse(field.open("rb"), as_attachment=True, filename=field.name.rsplit("/", 1)[-1],
                        content_type=CONTENT_TYPES[fmt])


@login_required
@requires("content.moderate|monitoring.manage|monitoring.school")
def monitoring_letter(request, action_id: int):
    """A monitoring follow-up (removal request, referral, notice to a school) as a công văn."""
    from cyberyouth.monitoring import selectors as monitoring_selectors

    action = monitoring_selectors.get_action(actor=request.user, action_id=action_id)
    if action.kind not in letters.LETTER_KINDS:
        raise Http404("Việc này không có công văn.")
    response = HttpResponse(letters.letter_docx(action), content_type=CONTENT_TYPES["docx"])
    response["Content-Disposition"] = f'attachment; filename="cong-van-{action.kind}-{action.pk}.docx"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
@requires("report.manage|report.school")
def note_edit(request):
    units = list(selectors.visible_scope_units(actor=request.user))
    select = NoteSelectForm(request.GET or None, units=units)
    unit = kind = year = None
    if select.is_valid():
        unit = Unit.objects.filter(code=select.cleaned_data["unit"]).first()
        kind, year = select.cleaned_data["kind"], select.cleaned_data["year"]
    note = selectors.note_for(unit=unit, kind=kind, year=year) if unit else None
    form = NoteForm(request.POST or None, instance=note) if unit else None
    if request.method == "POST":
        if unit is None:
            raise DomainError("Chọn đơn vị, loại báo cáo và năm trước khi nhập nội dung.", field="unit")
        if done := submit_form(request, form,
                               lambda d: services.note_save(actor=request.user, unit=unit, kind=kind, year=year, **d),
                               success="Đã lưu nội dung báo cáo.", then=f"{request.path}?{request.GET.urlencode()}"):
            return done
    return render(request, "reports/note_form.html", {"select": select, "form": form, "unit": unit, "note": note,
                                                       "kind": kind, "year": year})
