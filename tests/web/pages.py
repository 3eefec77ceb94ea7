"""Every page of the site, with sample arguments from the demo: what the page-wide tests visit.

`page_urls()` walks the URL configuration, so a new page is visited without editing this file —
unless it needs arguments, in which case `SAMPLES` must say which (a test fails until it does).
"""

from django.urls import URLPattern, URLResolver, get_resolver, reverse

# Not HTML pages: downloads, POST-only actions, the framework's own.
NOT_PAGES = {
    "logout", "set_language", "plans:evidence", "indicators:evidence_file", "indicators:export_csv",
    "monitoring:evidence", "monitoring:letter", "monitoring:source_toggle", "reports:download",
    "reports:monitoring_letter", "orgs:people", "api_tokens_revoke", "notifications:open", "notifications:read_all",
    # a page reached only through the link of a reset e-mail (its token is tested in tests/web/test_accounts.py)
    "password_reset_confirm",
    # POST-only actions and downloads of the helpline and the working-day calendar
    "workdays:remove", "helpline:case_action", "helpline:referral_answer", "helpline:form01",
    "helpline:referral_letter", "helpline:child_leave", "helpline:shift_add", "helpline:shift_remove",
    # the students app's POST-only actions and downloads
    "students:register", "students:lesson", "students:withdraw", "students:leave", "students:transfer",
    "students:violation", "students:session", "students:promote", "students:consent_letters",
    "students:login_cards", "students:template", "students:class_open", "students:class_teacher",
    "campaigns:ical", "campaigns:day_remove", "campaigns:mark", "campaigns:remind", "campaigns:posts_import",
    # the dialogues app's POST-only actions, the host board's JSON and the minutes (DOCX)
    "dialogues:remind", "dialogues:move", "dialogues:commit", "dialogues:commit_done", "dialogues:review",
    "dialogues:mark", "dialogues:vote", "dialogues:host_json", "dialogues:minutes_docx",
    "campaigns:commendations_approve", "campaigns:commendation_return", "campaigns:commendation_proposer",
    "campaigns:certificate_docx", "campaigns:decision_docx",
    # the library's downloads and POST-only citations; the budget's XLSX template
    "library:file", "library:download", "library:open_link", "library:cite", "library:uncite", "budget:template",
    "training:certificates",
    # the contests' POST-only actions and downloads
    "contests:review", "contests:approve", "contests:start", "contests:answer", "contests:submit",
    "contests:bank_export", "contests:award_document", "contests:certificate",
    "surveys:question_remove", "surveys:launch", "surveys:close", "surveys:export",
}
# Pages with the query strings that show a different state of them.
VARIANTS = {
    "monitoring:queue": ["", "?trang_thai=decided", "?trang_thai=below"],
    "search": ["?q=c%C3%A1t+h%E1%BA%A3i", "?q=thcs", "?q=ke+hoach"],
    "orgs:tree": ["", "?ngay=2025-06-30"],
    "library:index": ["", "?q=tin+gia", "?loai=info_graphic&chu_de=safety"],
    "budget:index": ["", "?nam=2025"],
    "training:verify": ["", "?ma=AAAAA-AAAAA"],
    "contests:round": ["", "?xem=nghi-van"],
}


def _names(resolver=None, namespace=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin" or str(entry.pattern).startswith("api/"):
                continue
            yield from _names(entry, f"{namespace}{entry.namespace}:" if entry.namespace else namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry


def _a_document():
    """A yearly report of the special zone (DOCX only), for the document page."""
    from cyberyouth.orgs.models import User
    from cyberyouth.reports.services import document_generate_now

    return document_generate_now(actor=User.objects.get(username="thuongtruc"), kind="yearly", year=2025,
                                 want_pdf=False)


SCHOOL_WITH_RECORDS = "gdnn-gdtx-cat-hai"


def samples():
    """Arguments for the pages that need them, taken from the demo data."""
    from cyberyouth.campaigns.models import Campaign
    from cyberyouth.channels.models import Channel
    from cyberyouth.indicators.models import EvidenceFile, Indicator
    from cyberyouth.monitoring.models import Item
    from cyberyouth.plans.models import Assignment, Plan
    from cyberyouth.reports.models import GeneratedDocument

    plan = Plan.objects.filter(parent__isnull=True).order_by("id").first()
    assignment = Assignment.objects.filter(unit__code="thcs-cat-ba").order_by("id").first()
    item = Item.objects.order_by("-severity", "id").first()
    decided = Item.objects.filter(decisions__isnull=False).order_by("id").first()
    document = GeneratedDocument.objects.order_by("id").first() or _a_document()
    channel = Channel.objects.order_by("id").first()
    indicator = Indicator.objects.order_by("number").first()
    evidence_file = EvidenceFile.objects.order_by("id").first()
    from cyberyouth.helpline.models import Case, Helpline

    case = Case.objects.order_by("id").first()
    helpline = Helpline.objects.order_by("id").first()
    from cyberyouth.students.models import SchoolClass, Student

    school_class = SchoolClass.objects.order_by("id").first()
    student = Student.objects.order_by("id").first()
    from cyberyouth.training.models import Course

    course = Course.objects.filter(unit__code="gdnn-gdtx-cat-hai").order_by("-id").first()
    campaign = Campaign.objects.order_by("id").first()
    from cyberyouth.dialogues.models import Dialogue

    planned = Dialogue.objects.filter(status="planned").order_by("id").first()
    held = Dialogue.objects.filter(status="held").order_by("-held_on").first()
    dialogue_pages = {
        "dialogues:detail": [[planned.pk], [held.pk]] if planned and held else None,
        "dialogues:edit": [planned.pk] if planned else None, "dialogues:host": [planned.pk] if planned else None,
        "dialogues:minutes": [held.pk] if held else None,
        "dialogues:student_dialogue": [planned.pk] if planned else None,
    }
    from cyberyouth.campaigns.models import Commendation

    commendation = Commendation.objects.order_by("id").first()
    from cyberyouth.library.models import Product

    published = Product.objects.filter(status="published").order_by("id").first()
    pending = Product.objects.filter(status="pending").order_by("id").first()
    returned = Product.objects.filter(status="returned").order_by("id").first()
    from cyberyouth.teams.models import Team, Thread

    team = Team.objects.filter(kind="volunteer").order_by("id").first()
    club = Team.objects.filter(kind="club").order_by("id").first()
    thread = Thread.objects.order_by("id").first()
    session = course.sessions.order_by("id").first() if course else None
    from cyberyouth.contests.models import Certificate, Contest, Question, Round

    contest = Contest.objects.order_by("id").first()
    contest_round = Round.objects.filter(ranked_at__isnull=False).order_by("id").first() or \
        Round.objects.order_by("id").first()
    question = Question.objects.order_by("id").first()
    certificate = Certificate.objects.order_by("id").first()
    from cyberyouth.surveys.models import Survey

    survey = Survey.objects.filter(owner_unit__code="hp-dk-cat-hai").order_by("id").first()
    return {
        **dialogue_pages,
        "surveys:edit": [survey.pk] if survey else None, "surveys:links": [survey.pk] if survey else None,
        "surveys:results": [survey.pk] if survey else None, "surveys:answer": [survey.pk] if survey else None,
        "contests:contest": [contest.pk] if contest else None,
        "contests:round": [contest_round.pk] if contest_round else None,
        "contests:result": [contest_round.pk] if contest_round else None,
        "contests:bank": ["hp-dk-cat-hai"], "contests:question": [question.pk] if question else None,
        "contests:attempt": None,  # a student's own attempt (tests/contests)
        "contests:verify": [certificate.code] if certificate else ["KHONGCOMA"],
        "training:session": [session.pk] if session else None,
        "training:certificates": None,  # a download
        "training:records": [[SCHOOL_WITH_RECORDS, 2025], [SCHOOL_WITH_RECORDS, 2026]],
        "teams:team": [[team.pk], [club.pk]] if team and club else None,
        "teams:forum": [club.pk] if club else None, "teams:thread": [thread.pk] if thread else None,
        "teams:my_forum": [club.pk] if club else None, "teams:my_thread": [thread.pk] if thread else None,
        "library:product": [[p.pk] for p in (published, pending) if p] or None,
        "library:edit": [returned.pk] if returned else None,
        "budget:unit": [["hp-dk-cat-hai", 2025], ["thcs-cat-ba", 2026], ["thcs-cat-hai", 2026]],
        "training:unit": [[SCHOOL_WITH_RECORDS], ["thcs-cat-ba"]], "training:members": [SCHOOL_WITH_RECORDS],
        "training:course": [course.pk] if course else None,
        "indicators:evidence_file_change": [evidence_file.pk] if evidence_file else None,
        "monitoring:import_job": None,
        "helpline:case": [case.pk] if case else None,
        "helpline:settings": [helpline.pk] if helpline else None,
        "students:class": [school_class.pk] if school_class else None,
        "students:student": [student.pk] if student else None,
        "students:consent": [student.pk] if student else None,  # one's own import of a large file (tests/monitoring covers its page)
        "plans:detail": [plan.pk], "plans:matrix": [plan.pk], "plans:child_create": [plan.pk],
        "plans:progress": [assignment.pk, 2026],
        "indicators:breakdown": ["hp-dk-cat-hai", 2024, indicator.code],
        "indicators:submission": ["thcs-cat-ba", 2025],
        "orgs:unit": ["hp-dk-cat-hai"], "orgs:reorganise": ["thcs-cat-ba"], "orgs:create": ["hp-dk-cat-hai"],
        "orgs:person_data": None,  # the visitor's own
        "reports:document": [document.pk] if document else None,
        "monitoring:item": [[item.pk], [decided.pk]] if decided else [[item.pk]],
        "channels:edit": [channel.pk] if channel else None,
        "campaigns:unit": ["gdnn-gdtx-cat-hai"],
        "campaigns:campaign": [campaign.pk] if campaign else None,
        "campaigns:commendation": [commendation.pk] if commendation else None,
    }


def page_urls(username: str) -> list[str]:
    """Every page URL (with its variants) for a visit as `username`."""
    sample = samples()
    urls = []
    missing = []
    for name, pattern in _names():
        if name in NOT_PAGES or name.startswith("admin:") or name.startswith("api"):
            continue
        needs_args = bool(pattern.pattern.regex.groups)
        if not needs_args:
            base = reverse(name)
        elif name == "orgs:person_data":
            base = reverse(name, args=[username])
        elif name in sample:
            if sample[name] is None:
                continue
            many = sample[name] if isinstance(sample[name][0], list) else [sample[name]]
            for args in many:
                urls.extend(reverse(name, args=args) + suffix for suffix in VARIANTS.get(name, [""]))
            continue
        else:
            missing.append(name)
            continue
        urls.extend(base + suffix for suffix in VARIANTS.get(name, [""]))
    assert not missing, f"pages without sample arguments in tests/web/pages.py: {missing}"
    return urls
