"""Every role × every page and API read × units inside and outside its scope, against the role table.

The role table (`orgs.capabilities.ROLE_CAPABILITIES`) is data; so is `ROUTES` below: what each
page and API operation needs. The expected answer is worked out here from those two tables and
the demo's tree with a small oracle of its own — not by asking `orgs.selectors`, which is what is
under test:
- a person whose roles hold the route's capability nowhere → 403;
- an object whose unit the person holds the capability on (its subtree, and the history the
  subtree carries on) → 200;
- an object the person may read but not change (a write form) → 403;
- any other object → 404, the same as a missing one.
A route missing from `ROUTES` fails the test: a new page must say what it needs.
"""

from collections import defaultdict

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from cyberyouth.orgs import capabilities
from cyberyouth.orgs.models import RoleAssignment, Unit, UnitSuccession

pytestmark = pytest.mark.django_db

PUBLIC = "public"          # no login needed
PERSONAL = "personal"      # any signed-in person, about themselves
# The moderation queue: moderators, the standing agency, and a school the agency granted access to.
QUEUE = "content.moderate|monitoring.manage|monitoring.school"
HELPLINE = "helpline.counsel|helpline.supervise"
STUDENTS = "student.read|class.teach"
DIALOGUES = "dialogue.read|dialogue.manage"

# url name → (capability needed, capability that lets one see the object at all, object kind)
# Alternatives are written "a|b". Object kinds are built per unit by `Probe`.
ROUTES: dict[str, tuple[str, str | None, str | None]] = {
    "login": (PUBLIC, None, None), "logout": (PUBLIC, None, None), "set_language": (PUBLIC, None, None),
    "home": (PERSONAL, None, None), "api_tokens": (PERSONAL, None, None),
    # accounts and notifications: one's own
    "password_change": (PERSONAL, None, None), "password_change_done": (PERSONAL, None, None),
    "password_reset": (PUBLIC, None, None), "password_reset_done": (PUBLIC, None, None),
    "password_reset_confirm": (PUBLIC, None, None), "password_reset_complete": (PUBLIC, None, None),
    "notifications:index": (PERSONAL, None, None), "notifications:open": (PERSONAL, None, None),
    "notifications:read_all": (PERSONAL, None, None),
    "audit:log": ("audit.read", None, None),
    "orgs:tree": ("unit.read", None, None),
    "orgs:unit": ("unit.read", None, "code"),
    "orgs:reorganise": ("unit.reorganise", "unit.read", "code"),
    "orgs:create": ("unit.reorganise", "unit.read", "code"),
    "orgs:people": ("people.manage", "unit.read", None),  # POST only
    "orgs:person_data": ("people.manage", "unit.read", "username"),
    "plans:list": ("plan.read", None, None),
    "plans:detail": ("plan.read", None, "plan"),
    "plans:matrix": ("progress.read", None, "plan"),
    "plans:child_create": ("plan.child", None, "plan"),
    "plans:my_tasks": ("progress.record", None, None),
    "plans:progress": ("progress.read", None, "assignment"),
    "plans:evidence": ("progress.read", None, "evidence"),
    "channels:list": ("channel.read", None, None),
    "channels:create": ("channel.manage", None, None),
    "channels:edit": ("channel.manage", "channel.read", "channel"),
    "training:index": ("training.read", None, None),
    "training:unit": ("training.read", None, "code"),
    "training:members": ("training.read", None, "code"),
    "training:course": ("training.read", None, "course"),
    "training:session": ("training.read", None, "session"),
    "training:certificates": ("training.read", None, "certified_course"),
    "training:records": ("training.read", None, "code_year"), "training:verify": (PUBLIC, None, None),
    # volunteer teams and clubs; a club's forum is its staff's (team.manage); a student's own pages
    # need a student record and membership (tests/teams)
    "teams:index": ("team.read", None, None), "teams:team": ("team.read", None, "team"),
    "teams:forum": ("team.manage", "team.read", "club"), "teams:thread": ("team.manage", "team.read", "club_thread"),
    "teams:mine": ("student.participate", None, None), "teams:my_forum": ("student.participate", None, "club"),
    "teams:my_thread": ("student.participate", None, "club_thread"),
    "api:training_staff": ("training.read", None, None), "api:training_courses": ("training.read", None, None),
    "api:training_sessions": ("training.read", None, "course"),
    "api:training_attendance": ("training.read", None, "session"),
    "api:training_completions": ("training.read", None, None),
    "api:training_certificates": ("training.read", None, "course"),
    "api:training_members": ("training.read", None, None),
    "api:training_records": ("training.read", None, "code_year"),
    "api:teams_list": ("team.read", None, None), "api:teams_members": ("team.read", None, "team"),
    "api:teams_activities": ("team.read", None, "team"), "api:teams_messages": ("team.manage", "team.read", "club"),
    "indicators:dashboard": ("indicator.read", None, None),
    "indicators:breakdown": ("indicator.read", None, "breakdown"),
    "indicators:my_reports": ("data.enter", None, None),
    "indicators:submission": ("indicator.read", None, "submission"),
    "indicators:evidence_file": ("indicator.read", None, "evidence_file"),
    "indicators:evidence_file_change": ("data.enter", "indicator.read", "evidence_file"),
    "indicators:completeness": ("indicator.read", None, None),
    "indicators:periods": ("indicator.read", None, None),
    "indicators:excel": ("data.enter", None, None),
    "indicators:export_csv": ("indicator.read", None, None),
    "monitoring:queue": (QUEUE, None, None),
    "monitoring:item": (QUEUE, None, "item"),
    "monitoring:evidence": (QUEUE, None, "item"),
    "monitoring:letter": (QUEUE, None, "action"),
    "monitoring:channels": ("content.moderate|monitoring.manage", None, None),
    "monitoring:source_toggle": ("monitoring.manage", None, None),  # POST only
    "monitoring:import": ("content.moderate|monitoring.manage", None, None),
    "monitoring:stats": ("monitoring.read", None, None),
    "monitoring:categories": ("monitoring.manage", None, None),
    "monitoring:report": (PUBLIC, None, None), "monitoring:report_status": (PUBLIC, None, None),
    "monitoring:signing_keys": (PUBLIC, None, None),
    "monitoring:held": ("content.moderate", None, None),
    "monitoring:import_job": ("content.moderate|monitoring.manage", None, "import_job"),
    "search": (PERSONAL, None, None),
    # the helpline: a case is read by its counsellors and their supervisor only (rules of its own,
    # tested in tests/helpline); the walk checks who may reach the helpline's pages at all
    "helpline:help": (PUBLIC, None, None), "helpline:child_case": (PUBLIC, None, None),
    "helpline:child_leave": (PUBLIC, None, None),
    "helpline:queue": (HELPLINE, None, None), "helpline:intake": (HELPLINE, None, None),
    "helpline:case": (HELPLINE, None, "case"), "helpline:case_action": (HELPLINE, None, "case"),
    "helpline:form01": (HELPLINE, None, "case"), "helpline:referral_letter": (HELPLINE, None, "case"),
    "helpline:referral_answer": (HELPLINE, None, "case"), "helpline:stats": ("helpline.stats", None, None),
    "helpline:settings_index": ("helpline.manage", None, None),
    "helpline:settings": ("helpline.manage", None, "helpline"),
    "helpline:shift_add": ("helpline.manage", None, "helpline"), "helpline:shift_remove": ("helpline.manage", None, None),
    "workdays:calendar": ("calendar.manage", None, None), "workdays:remove": ("calendar.manage", None, None),
    # the good-news campaign
    "campaigns:compliance": ("campaign.read", None, None), "campaigns:unit": ("campaign.read", None, "code"),
    "campaigns:days": ("campaign.read", None, None), "campaigns:ical": (PUBLIC, None, None),
    "campaigns:day_remove": ("campaign.manage|campaign.post", None, None),
    "campaigns:campaigns": ("campaign.read", None, None), "campaigns:campaign": ("campaign.read", None, "campaign"),
    "campaigns:posts": ("campaign.read", None, None), "campaigns:mark": ("campaign.post", None, None),
    "campaigns:remind": ("campaign.manage", None, None), "campaigns:posts_import": ("campaign.post", None, None),
    "campaigns:commendations": ("campaign.read", None, None), "campaigns:register": ("campaign.read", None, None),
    "campaigns:commendation": ("campaign.read", None, "commendation"),
    "campaigns:certificate_docx": ("campaign.read", None, "commendation_approved"),
    "campaigns:decision_docx": ("campaign.read", None, "decision"),
    "campaigns:commendations_approve": ("commendation.approve", None, None),
    "campaigns:commendation_return": ("commendation.approve", None, None),
    "campaigns:commendation_proposer": ("commendation.propose", None, None),
    "api:queue": (HELPLINE, None, None), "api:case_get": (HELPLINE, None, "case"),
    "api:statuses": (PERSONAL, None, None),
    # students: a school's classes and students (a homeroom teacher's narrowing to their own
    # classes is tested in tests/students)
    "students:classes": (STUDENTS, None, None), "students:class": (STUDENTS, None, "school_class"),
    "students:student": (STUDENTS, None, "student"), "students:consent": ("consent.record", None, "student"),
    "students:import": ("student.manage", None, None), "students:template": ("student.manage", None, None),
    "students:code_of_conduct": ("student.participate", None, None),
    "students:home": ("student.participate", None, None),
    "students:consent_online": (PUBLIC, None, None), "students:first_login": (PUBLIC, None, None),
    "students:register": ("conduct.record", None, None), "students:lesson": ("conduct.record", None, None),
    "students:withdraw": ("consent.record", None, None), "students:leave": ("student.manage", None, None),
    "students:transfer": ("student.manage", None, None), "students:violation": ("conduct.record", None, None),
    "students:session": ("conduct.record", None, None), "students:promote": ("student.manage", None, None),
    "students:consent_letters": ("consent.record", None, None),
    "students:login_cards": ("class.teach|student.manage", None, None),
    "students:school_years": ("schoolyear.manage", None, None),
    "students:class_open": ("student.manage", None, None), "students:class_teacher": ("student.manage", None, None),
    "api:list_classes": (STUDENTS, None, None), "api:class_students": (STUDENTS, None, "school_class"),
    "api:get_student": (STUDENTS, None, "student"),
    "reports:index": ("report.read", None, None),
    "reports:generate": ("report.manage|report.school", None, None),
    "reports:note": ("report.manage|report.school", None, None),
    "reports:monitoring_letter": ("content.moderate|monitoring.manage", None, "action"),
    "reports:document": ("report.read", None, "document"),
    "reports:download": ("report.read", None, "document_download"),
    # the API (GET operations; writes are walked in test_api_writes_follow_the_role_table)
    "api:openapi-json": (PUBLIC, None, None), "api:openapi-view": (PUBLIC, None, None),
    "api:api-root": (PUBLIC, None, None),
    "api:list_units": ("unit.read", None, None), "api:unit_tree": ("unit.read", None, None),
    "api:unit_detail": ("unit.read", None, "code"),
    "api:list_plans": ("plan.read", None, None), "api:plan_detail": ("plan.read", None, "plan"),
    "api:plan_matrix": ("progress.read", None, "plan"),
    "api:get_progress": ("progress.read", None, "assignment"),
    "api:list_channels": ("channel.read", None, None), "api:get_channel": ("channel.read", None, "channel"),
    "api:compute": ("indicator.read", None, None), "api:series": ("indicator.read", None, "unit_query"),
    "api:completeness": ("indicator.read", None, None),
    "api:get_submission": ("indicator.read", None, "submission"),
    "api:get_queue": (QUEUE, None, None),
    "api:documents": ("report.read", None, None), "api:document": ("report.read", None, "document"),
    "api:note": ("report.read", None, "note"),
    "api:list_posts": ("campaign.read", None, None), "api:campaign_compliance": ("campaign.read", None, None),
    # dialogues: a school's dialogues; the student's own pages need a record on a class list
    "dialogues:list": (DIALOGUES, None, None), "dialogues:compliance": (DIALOGUES, None, None),
    "dialogues:create": ("dialogue.manage", None, None), "dialogues:remind": ("dialogue.remind", None, None),
    "dialogues:detail": (DIALOGUES, None, "dialogue"),
    "dialogues:edit": ("dialogue.manage", "dialogue.read", "dialogue"),
    "dialogues:move": ("dialogue.manage", None, None), "dialogues:host": ("dialogue.manage", "dialogue.read", "dialogue"),
    "dialogues:host_json": ("dialogue.manage", "dialogue.read", "dialogue"),
    "dialogues:minutes": ("dialogue.manage", "dialogue.read", "dialogue"),
    "dialogues:minutes_docx": (DIALOGUES, None, "held_dialogue"),
    "dialogues:commit": ("dialogue.manage", None, None), "dialogues:commit_done": (DIALOGUES, None, None),
    "dialogues:review": ("dialogue.manage", None, None), "dialogues:mark": ("dialogue.manage", None, None),
    "dialogues:student_list": ("student.participate", None, None),
    "dialogues:student_dialogue": ("student.participate", None, "dialogue"),
    "dialogues:vote": ("student.participate", None, None),
    "api:list_dialogues": (DIALOGUES, None, None), "api:get_dialogue": (DIALOGUES, None, "dialogue"),
    "api:dialogue_questions": (DIALOGUES, None, "dialogue"),
    "api:my_dialogues": ("student.participate", None, None),
    "api:my_questions": ("student.participate", None, "dialogue"),
    # the media library: the e-library and published products are public (a product not yet
    # published answers 404 outside its unit's readers: tests/library); the staff's pages
    "library:index": (PUBLIC, None, None), "library:product": (PUBLIC, None, None),
    "library:file": (PUBLIC, None, None), "library:download": (PUBLIC, None, None),
    "library:open_link": (PUBLIC, None, None),
    "library:manage": ("library.read", None, None), "library:edit": ("library.manage", "library.read", "product"),
    "library:cite": ("campaign.manage|conduct.record|dialogue.manage", None, None),
    "library:uncite": ("campaign.manage|conduct.record|dialogue.manage", None, None),
    "api:library_public": (PUBLIC, None, None), "api:library_products": ("library.read", None, None),
    "api:library_product": ("library.read", None, "product"),
    # the budget
    "budget:index": ("budget.read", None, None), "budget:template": ("budget.enter", None, None),
    "budget:unit": ("budget.read", None, "budget"),
    "api:budget_get": ("budget.read", None, "budget"), "api:budget_totals": ("budget.read", None, "budget"),
    # contests: read by the organiser's and the audience's staff; students' own pages (tests/contests)
    "contests:index": ("contest.read", None, None), "contests:contest": ("contest.read", None, "contest"),
    "contests:round": ("contest.read", None, "contest_round"), "contests:bank": ("contest.read", None, "code"),
    "contests:bank_export": ("contest.read", None, "bank_export"),
    "contests:question": ("contest.read", None, "contest_question"),
    "contests:award_document": ("contest.manage", "contest.read", "contest_award"),
    "contests:review": ("contest.manage", None, None), "contests:approve": ("contest.manage", None, None),
    "contests:mine": ("student.participate", None, None),
    "contests:start": ("student.participate", None, None), "contests:answer": ("student.participate", None, None),
    "contests:submit": ("student.participate", None, None),
    "contests:attempt": ("student.participate", None, "student_attempt"),
    "contests:result": ("student.participate", None, "student_round"),
    "contests:certificate": ("student.participate", None, "student_round"),
    "contests:verify": (PUBLIC, None, None),
    "api:contest_my_rounds": ("student.participate", None, None),
    "api:contest_attempt": ("student.participate", None, "student_attempt"),
    "api:contest_leaderboard": ("contest.read", None, "contest_round"),
    # surveys: staff read aggregates; a student answers (tests/surveys covers the student's side)
    "surveys:list": ("survey.results", None, None), "surveys:create": ("survey.manage", None, None),
    "surveys:by_code": (PUBLIC, None, None),
    "surveys:edit": ("survey.manage", "survey.results", "survey"),
    "surveys:links": ("survey.manage", "survey.results", "survey"),
    "surveys:question_remove": ("survey.manage", "survey.results", "survey"),
    "surveys:launch": ("survey.manage", "survey.results", "survey"),
    "surveys:close": ("survey.manage", "survey.results", "survey"),
    "surveys:results": ("survey.results", None, "survey"), "surveys:export": ("survey.results", None, "survey"),
    "surveys:answer": ("student.participate", None, "survey"),
    "api:list_surveys": ("survey.results", None, None), "api:survey_results": ("survey.results", None, "survey"),
    "api:my_surveys": ("student.participate", None, None),
    "api:survey_sheet": ("student.participate", None, "survey"),
}
API_WRITES = {"intake", "answer", "record_consent", "withdraw_consent", "record_acknowledgements", "import_roster",
              "create_unit", "reorganise", "put_progress", "add_link", "create_channel", "update_channel", "remind",
              "put_submission", "add_evidence_file", "approve", "return_", "reopen", "push_items", "document_create",
              "note_put", "push_posts", "mark_post", "review_question", "mark_question", "ask", "vote",
              "library_product_create", "library_product_submit",
              "library_product_approve", "library_product_return", "library_product_withdraw", "library_cite",
              "budget_put", "budget_approve", "budget_return", "budget_reopen",
              "training_staff_add", "training_course_add",
              "training_session_add", "training_attendance_put", "training_completion_add",
              "training_certificates_issue", "teams_create", "teams_member_add", "teams_activity_add",
              "teams_message_post", "teams_message_moderate",
              "contest_start", "contest_answer", "contest_submit", "answer_survey", "answer_by_code"}
POST_ONLY = {"orgs:people", "monitoring:source_toggle", "logout", "set_language", "reports:generate",
             "helpline:child_leave", "workdays:remove", "helpline:case_action", "helpline:referral_answer",
             "helpline:shift_add", "helpline:shift_remove",
             "campaigns:day_remove", "campaigns:mark", "campaigns:remind", "campaigns:posts_import",
             "campaigns:commendations_approve", "campaigns:commendation_return", "campaigns:commendation_proposer",
             "students:register", "students:lesson", "students:withdraw", "students:leave", "students:transfer",
             "students:violation", "students:session", "students:promote", "students:consent_letters",
             "students:login_cards", "students:class_open", "students:class_teacher",
             "notifications:open", "notifications:read_all",
             "dialogues:remind", "dialogues:move", "dialogues:commit", "dialogues:commit_done", "dialogues:review",
             "dialogues:mark", "dialogues:vote", "library:cite", "library:uncite",
             "contests:review", "contests:approve", "contests:start", "contests:answer", "contests:submit",
             "surveys:question_remove", "surveys:launch", "surveys:close"}
OWN_ONLY = {"import_job"}  # objects only their author reads
# Pages for a student with a record on a class list: none of the walk's people has one (the demo's
# `hocsinh` holds the role without a record), so all get 403; tests/students covers the rest. The
# student's home is the role's (it tells a student with no record what to ask for), so it follows
# the table.
STUDENT_RECORD = {"students:code_of_conduct", "dialogues:student_list", "dialogues:student_dialogue",
                  "api:my_dialogues", "api:my_questions",
                  "teams:mine", "teams:my_forum", "teams:my_thread",
                  "contests:mine", "contests:result", "contests:certificate", "api:contest_my_rounds",
                  "surveys:answer", "api:survey_sheet"}
QUERY = {"api:campaign_compliance": "?year=2025", "api:compute": "?year=2025", "api:completeness": "?year=2025",
         "api:plan_matrix": "?year=2025", "api:training_members": "?year=2025"}

PEOPLE = ("thuongtruc", "daumoi.thcscatba", "daumoi.thcscathai", "daumoi.gdnn", "doan", "kiemduyet", "tuvan",
          "giamsat", "lanhdao", "hocsinh")
# School A, school B, the Youth Union's unit, a commune that ceased in the 2025 merge, a school
# outside the special zone, the special zone itself and the district it carries on (which issued
# the plan).
PROBE_UNITS = ("thcs-cat-ba", "thcs-cat-hai", "hp-cat-hai-doan", "hp-cat-hai-xa-dong-bai", "thpt-cat-ba",
               "hp-dk-cat-hai", "hp-cat-hai", "gdnn-gdtx-cat-hai")


def _routes():
    def walk(patterns, namespace=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
                yield from walk(p.url_patterns, ns)
            elif isinstance(p, URLPattern) and p.name:
                yield f"{namespace}{p.name}"

    return sorted({r for r in walk(get_resolver().url_patterns) if not r.startswith("admin:")})


def test_every_page_and_api_operation_says_what_it_needs():
    missing = [r for r in _routes() if r not in ROUTES and r.removeprefix("api:") not in API_WRITES]
    assert not missing, f"routes with no entry in ROUTES: {missing}"
    for capability, read, _ in ROUTES.values():
        for cap in (capability.split("|") + ([read] if read else [])):
            assert cap in (PUBLIC, PERSONAL) or cap in capabilities.CAPABILITY_LABELS, cap


# ---------------------------------------------------------------- the oracle


class Oracle:
    """Who holds what where, worked out from the role table and the demo tree by hand."""

    def __init__(self):
        today = timezone.localdate()
        self.children = defaultdict(set)
        for unit in Unit.objects.all():
            if unit.parent_id:
                self.children[unit.parent_id].add(unit.id)
        self.predecessors = defaultdict(set)
        for s in UnitSuccession.objects.all():
            self.predecessors[s.successor_id].add(s.predecessor_id)
        self.types = dict(Unit.objects.values_list("id", "unit_type"))
        self.live = {u.id for u in Unit.objects.all() if u.is_active_on(today)}
        self.parent = dict(Unit.objects.values_list("id", "parent_id"))
        from cyberyouth.monitoring.models import QueueAccess

        self.granted = set(QueueAccess.objects.values_list("unit_id", flat=True))
        self.roles = defaultdict(list)
        for a in RoleAssignment.objects.filter(valid_from__lte=today).exclude(valid_to__lte=today):
            self.roles[a.user_id].append((a.role, a.unit_id))

    def _below(self, unit_id: int) -> set[int]:
        seen, stack = set(), [unit_id]
        while stack:
            u = stack.pop()
            if u not in seen:
                seen.add(u)
                stack.extend(self.children[u])
                stack.extend(self.predecessors[u])  # the history a unit carries on
        return seen

    def _reach(self, cap: str, root: int, *, write: bool = False) -> set[int]:
        below = self._below(root)
        if cap == "monitoring.school":  # only where the standing agency granted the queue
            below = set().union(*(self._below(u) for u in below & self.granted)) if below & self.granted else set()
        if write:  # what has ceased is history: read, never changed
            below &= self.live
        return below

    def holds_anywhere(self, user, capability: str) -> bool:
        return user.is_superuser or any(
            capabilities.grants(role, cap)[0] and (cap != "monitoring.school" or self._reach(cap, root))
            for role, root in self.roles[user.id] for cap in capability.split("|"))

    def holds(self, user, capability: str, unit_id: int, *, write: bool = False) -> bool:
        for role, root in self.roles[user.id]:
            for cap in capability.split("|"):
                held, types = capabilities.grants(role, cap)
                if held and unit_id in self._reach(cap, root, write=write) and (types is None or self.types[unit_id] in types):
                    return True
        return False

    def _above(self, unit_id: int) -> set[int]:
        """The units above, and every unit those carry on (a school under the Đặc khu stands
        under Huyện Cát Hải's plan)."""
        out, current = set(), self.parent.get(unit_id)
        while current:
            out.add(current)
            current = self.parent.get(current)
        for u in list(out):
            out |= self._below(u) - self._subtree_today(u)
        return out

    def _subtree_today(self, unit_id: int) -> set[int]:
        seen, stack = set(), [unit_id]
        while stack:
            u = stack.pop()
            if u not in seen:
                seen.add(u)
                stack.extend(self.children[u])
        return seen

    def reads_plan_of(self, user, unit_id: int) -> bool:
        if user.is_superuser:
            return True
        for role, root in self.roles[user.id]:
            if capabilities.grants(role, "plan.read")[0] and (unit_id in self._below(root) or unit_id in self._above(root)):
                return True
        return False


# ---------------------------------------------------------------- objects to probe, one per kind and unit


class Probe:
    """For a unit, the URL arguments that point at one of its objects of a kind (made if missing)."""

    def __init__(self, admin):
        from cyberyouth.indicators.models import DataElement, Indicator
        from cyberyouth.plans.models import Plan

        self.admin = admin
        self.plan = Plan.objects.filter(parent__isnull=True).order_by("id").first()
        self.indicator = Indicator.objects.order_by("code").first()
        self.element = DataElement.objects.order_by("id").first()

    def kwargs(self, kind: str, unit: Unit) -> dict | None:
        return getattr(self, f"_{kind}")(unit)

    def _code(self, unit):
        return {"code": unit.code}

    def _username(self, unit):
        a = RoleAssignment.objects.filter(unit=unit).exclude(user__is_superuser=True).first()
        return {"username": a.user.username} if a else None

    def _plan(self, unit):
        from cyberyouth.plans.models import Plan

        plan = Plan.objects.filter(owner_unit=unit).order_by("id").first()
        if plan is None and unit.is_school:  # a school's own detailed plan under the district's
            plan = Plan.objects.create(programme=self.plan.programme, parent=self.plan, owner_unit=unit, year=2025,
                                       title=f"Kế hoạch chi tiết của {unit.name}")
        return {"plan_id": plan.id} if plan else None

    def _assignment_of(self, unit):
        from cyberyouth.plans.models import Assignment, AssignmentRole, Task

        assignment = Assignment.objects.filter(unit=unit).order_by("id").first()
        if assignment is None:
            task = Task.objects.filter(group__plan=self.plan).order_by("id").first()
            assignment = Assignment.objects.create(task=task, unit=unit, role=AssignmentRole.IMPLEMENT)
        return assignment

    def _assignment(self, unit):
        return {"assignment_id": self._assignment_of(unit).id, "year": 2025}

    def _evidence(self, unit):
        from cyberyouth.plans.models import Evidence, Progress

        progress, _ = Progress.objects.get_or_create(assignment=self._assignment_of(unit), year=2025)
        evidence = Evidence.objects.create(progress=progress, title="Minh chứng", url="https://example.vn/a")
        return {"evidence_id": evidence.id}

    def _channel(self, unit):
        from cyberyouth.channels.models import Channel

        channel = Channel.objects.filter(owner_unit=unit).order_by("id").first()
        if channel is None:
            channel = Channel.objects.create(owner_unit=unit, platform="website", name=f"Trang {unit.code}",
                                             address=f"https://{unit.code}.example.vn", is_official=True)
        return {"channel_id": channel.id}

    def _course(self, unit):
        from datetime import date

        from cyberyouth.training.models import Course

        course = Course.objects.filter(unit=unit).order_by("id").first() or Course.objects.create(
            unit=unit, title=f"Lớp của {unit.code}", organiser="Thành đoàn", starts_on=date(2025, 5, 1),
            ends_on=date(2025, 5, 2))
        return {"course_id": course.id}

    def _session(self, unit):
        from datetime import date

        from cyberyouth.training.models import Course, Session

        course = Course.objects.get(id=self._course(unit)["course_id"])
        session = course.sessions.first() or Session.objects.create(
            course=course, topic="Buổi học", held_on=course.starts_on, hours=2)
        return {"session_id": session.id} if session.held_on <= date.today() else None

    def _certified_course(self, unit):
        from datetime import date

        from cyberyouth.training.models import Certificate, Completion, Course, StaffMember

        course = Course.objects.get(id=self._course(unit)["course_id"])
        if not course.certificates.filter(revoked_at__isnull=True).exists():
            staff = StaffMember.objects.create(unit=unit, full_name="Người được cấp", name_key="nguoi duoc cap")
            Completion.objects.create(course=course, staff=staff, completed_on=course.ends_on)
            Certificate.objects.create(course=course, staff=staff, number=f"1/GCN-{unit.id}",
                                       code=f"P{unit.id:04d}-00000"[:11], issued_on=date(2025, 6, 1))
        return {"course_id": course.id}

    def _code_year(self, unit):
        return {"code": unit.code, "year": 2025}

    def _team_of(self, unit, kind):
        from cyberyouth.teams.models import Team

        return Team.objects.filter(unit=unit, kind=kind).first() or Team.objects.create(
            unit=unit, kind=kind, name=f"Đội {kind} {unit.code}")

    def _team(self, unit):
        return {"team_id": self._team_of(unit, "volunteer").id}

    def _club(self, unit):
        return {"team_id": self._team_of(unit, "club").id}

    def _club_thread(self, unit):
        club = self._team_of(unit, "club")
        thread = club.threads.first() or club.threads.create(title="Chủ đề")
        return {"thread_id": thread.id}

    def _submission_of(self, unit):
        from cyberyouth.indicators.models import Period, Submission

        from cyberyouth.indicators.models import ReportForm

        submission = Submission.objects.filter(unit=unit, year=2025).first()
        if submission is None:
            form = next((f for f in ReportForm.objects.all() if unit.unit_type in f.unit_types), None)
            if form is None:
                return None
            submission = Submission.objects.create(unit=unit, period=Period.objects.get(year=2025), year=2025,
                                                   form=form)
        return submission

    def _submission(self, unit):
        from cyberyouth.indicators.models import ReportForm

        if not any(unit.unit_type in f.unit_types for f in ReportForm.objects.all()):
            return None  # this kind of unit reports no indicators
        return {"code": unit.code, "year": 2025}

    def _breakdown(self, unit):
        return {"code": unit.code, "year": 2025, "indicator": self.indicator.code}

    def _evidence_file(self, unit):
        from django.core.files.base import ContentFile

        from cyberyouth.indicators.models import EvidenceFile

        submission = self._submission_of(unit)
        if submission is None:
            return None
        f = EvidenceFile(submission=submission, element=self.element, name="a.txt",
                         content_type="text/plain", size=2, sha256="0" * 64)
        f.file.save("a.txt", ContentFile(b"ok"), save=False)
        f.save()
        return {"file_id": f.id}

    def _item_of(self, unit):
        from cyberyouth.monitoring.models import Item, ItemState

        return Item.objects.create(unit=unit, source="push", text="Nội dung kiểm tra phạm vi", content_hash="0" * 64,
                                   raw="{}", raw_sha256="0" * 64, captured_at=timezone.now(), state=ItemState.OPEN)

    def _item(self, unit):
        return {"item_id": self._item_of(unit).id}

    def _action(self, unit):
        from cyberyouth.monitoring.models import Action

        action = Action.objects.create(item=self._item_of(unit), kind="removal", recipient="Nền tảng", body="Đề nghị",
                                       actor=self.admin)
        return {"action_id": action.id}

    def _document_of(self, unit):
        from cyberyouth.reports.models import GeneratedDocument

        version = GeneratedDocument.objects.filter(kind="yearly", unit=unit, year=2025).count() + 100
        return GeneratedDocument.objects.create(kind="yearly", unit=unit, year=2025, version=version, title="Báo cáo",
                                                author=self.admin)

    def _document(self, unit):
        return {"document_id": self._document_of(unit).id}

    def _document_download(self, unit):
        from django.core.files.base import ContentFile

        document = self._document_of(unit)
        document.status = "done"
        document.docx.save("bao-cao.docx", ContentFile(b"PK"), save=True)
        return {"document_id": document.id, "fmt": "docx"}

    def _unit_query(self, unit):
        return {"__query": f"?unit={unit.code}"}

    def _import_job(self, unit):
        """An import job is its author's alone: the walk's people never own one, so 404 for all
        who may import (and 403 for the rest)."""
        from cyberyouth.channels.models import Channel
        from cyberyouth.monitoring.models import ImportJob

        channel = Channel.objects.get(id=self._channel(unit)["channel_id"])
        job = ImportJob.objects.create(actor=self.admin, channel=channel, filename="a.csv")
        return {"job_id": job.id}

    def _school_class(self, unit):
        from cyberyouth.students.models import SchoolClass

        school_class = SchoolClass.objects.filter(unit=unit).order_by("id").first()
        return {"class_id": school_class.id} if school_class else None

    def _student(self, unit):
        from cyberyouth.students.models import Student

        student = Student.objects.filter(unit=unit).order_by("id").first()
        return {"student_id": student.id} if student else None
    def _campaign(self, unit):
        from cyberyouth.campaigns.models import Campaign

        campaign = Campaign.objects.filter(owner_unit=unit).first()
        if campaign is None:
            campaign = Campaign.objects.create(title=f"Chiến dịch {unit.code}", owner_unit=unit,
                                               start=timezone.localdate(), end=timezone.localdate())
            campaign.target_units.set([unit])
        return {"campaign_id": campaign.id}

    def _helpline(self, unit):
        from cyberyouth.helpline.models import Helpline

        helpline, _ = Helpline.objects.get_or_create(unit=unit, defaults={"name": f"Tổng đài {unit.code}"})
        return {"helpline_id": helpline.id}

    def _dialogue_of(self, unit, *, held: bool):
        from datetime import date

        from cyberyouth.dialogues.models import Dialogue

        if not unit.is_school:
            return None  # dialogues are the schools'
        d = Dialogue.objects.create(unit=unit, title=f"Đối thoại {unit.code}", held_on=date(2025, 10, 1),
                                    mode="in_person", place="Hội trường", status="held" if held else "planned",
                                    attendance=50 if held else None, chair="Hiệu trưởng" if held else "")
        return {"dialogue_id": d.id}

    def _dialogue(self, unit):
        return self._dialogue_of(unit, held=False)

    def _held_dialogue(self, unit):
        return self._dialogue_of(unit, held=True)
    def _commendation_of(self, unit, *, approved: bool = False):
        from django.db.models import Max

        from cyberyouth.campaigns.models import Commendation, CommendationDecision

        decision = None
        if approved:
            decision = CommendationDecision.objects.create(year=2025, issuer_unit=unit, signed_on=timezone.localdate(),
                                                           approved_by=self.admin)
        # the next free number of the year's register (Max: PostgreSQL sorts NULLs first when descending)
        number = (Commendation.objects.filter(year=2025).aggregate(top=Max("book_number"))["top"] or 0) + 1
        n = Commendation.objects.count() + 1
        return Commendation.objects.create(
            year=2025, kind="person", unit=unit, person_name=f"Người {unit.code} {n}",
            person_key=f"nguoi {unit.code} {n}", achievements="Thành tích", proposer_unit=unit,
            proposed_by=self.admin, proposed_at=timezone.now(), status="approved" if approved else "proposed",
            decision=decision, book_number=number if approved else None,
            grounds={"as_of": "2025-12-31", "good_days": 1, "days_expected": 2, "story_weeks": 1, "weeks_expected": 1,
                     "posts": 3, "longest_streak": 1})

    def _commendation(self, unit):
        return {"commendation_id": self._commendation_of(unit).id}

    def _commendation_approved(self, unit):
        return {"commendation_id": self._commendation_of(unit, approved=True).id}

    def _decision(self, unit):
        return {"decision_id": self._commendation_of(unit, approved=True).decision_id}

    def _product(self, unit):
        from datetime import date

        from cyberyouth.library.models import Product

        product = Product.objects.filter(unit=unit, status="draft").order_by("id").first() or Product.objects.create(
            unit=unit, title=f"Sản phẩm của {unit.code}", kind="info_graphic", topic="safety", author="Tác giả",
            licence="cc-by", made_on=date(2025, 5, 1), link="https://example.vn/a")
        return {"product_id": product.id}

    def _budget(self, unit):
        return {"code": unit.code, "year": 2025}

    def _survey(self, unit):
        from cyberyouth.surveys.models import Survey

        survey = Survey.objects.filter(owner_unit=unit).order_by("id").first() or Survey.objects.create(
            owner_unit=unit, title=f"Khảo sát của {unit.code}", opens_on=timezone.localdate(),
            closes_on=timezone.localdate())
        return {"survey_id": survey.id}

    def _case(self, unit):
        return None  # cases follow the helpline's own rules (tests/helpline), not the unit walk

    def _contest_of(self, unit, *, closed: bool = False):
        from datetime import timedelta

        from cyberyouth.contests.models import Contest, Round

        contest = Contest.objects.filter(unit=unit, title__startswith="Thử phạm vi").first()
        if contest is None:
            contest = Contest.objects.create(unit=unit, title=f"Thử phạm vi {unit.code}", prizes=[1, 1, 1, 1])
            contest.audience.set([unit])
        now = timezone.now()
        start = now - timedelta(days=2) if closed else now - timedelta(hours=1)
        rnd = contest.rounds.filter(closes_at__lte=now).first() if closed else contest.rounds.filter(
            closes_at__gt=now).first()
        if rnd is None:
            rnd = Round.objects.create(contest=contest, number=contest.rounds.count() + 1, title="Vòng thử",
                                       opens_at=start, closes_at=start + timedelta(days=1 if closed else 2))
        return contest, rnd

    def _contest(self, unit):
        return {"contest_id": self._contest_of(unit)[0].id}

    def _contest_round(self, unit):
        return {"round_id": self._contest_of(unit)[1].id}

    def _contest_award(self, unit):
        return {"round_id": self._contest_of(unit, closed=True)[1].id, "kind": "danh-sach"}

    def _contest_question(self, unit):
        from cyberyouth.contests.models import Question, QuestionVersion

        question = Question.objects.filter(unit=unit).first()
        if question is None:
            question = Question.objects.create(unit=unit)
            QuestionVersion.objects.create(question=question, number=1, kind="truefalse", text="Câu thử phạm vi?",
                                           options=[{"text": "Đúng", "correct": True},
                                                    {"text": "Sai", "correct": False}])
        return {"question_id": question.id}

    def _bank_export(self, unit):
        return {"code": unit.code, "fmt": "gift"}

    def _student_round(self, unit):
        return {"round_id": self._contest_of(unit)[1].id}

    def _student_attempt(self, unit):
        return None  # a student's own attempt: tests/contests

    def _note(self, unit):
        return {"unit_code": unit.code, "kind": "yearly", "year": 2025}


def _expected(oracle: Oracle, user, route: str, unit: Unit | None, kwargs: dict | None = None) -> int:
    capability, read, kind = ROUTES[route]
    if capability == PERSONAL or (kwargs or {}).get("username") == user.username:
        return 200  # one's own data
    if not oracle.holds_anywhere(user, capability) or route in STUDENT_RECORD:
        return 403
    if unit is None:
        return 200
    if kind in OWN_ONLY:
        return 404  # someone else's: the walk's people own none
    if kind == "plan" and read is None:
        # a plan is read by everyone under the unit that issued it (or under its successor), and
        # by whoever reads that unit; the matrix then shows what the person may read of it
        return 200 if oracle.reads_plan_of(user, unit.id) else 404
    if oracle.holds(user, capability, unit.id, write=read is not None):
        return 200
    if read and oracle.holds(user, read, unit.id):
        return 403
    return 404


@pytest.fixture
def walk(people, client_for, api_for):
    oracle = Oracle()
    probe = Probe(admin=people["sysadmin"])
    units = {u.code: u for u in Unit.objects.filter(code__in=PROBE_UNITS)}
    cases = []  # (route, unit or None, url, url arguments)
    for route, (capability, _, kind) in ROUTES.items():
        if capability == PUBLIC or route in POST_ONLY:
            continue
        if kind is None:
            cases.append((route, None, reverse(route) + QUERY.get(route, ""), None))
            continue
        for code in PROBE_UNITS:
            kwargs = probe.kwargs(kind, units[code])
            if kwargs is not None:
                query = kwargs.pop("__query", "") or QUERY.get(route, "")
                cases.append((route, units[code], reverse(route, kwargs=kwargs) + query, kwargs))
    return oracle, cases


def _status(response) -> int:
    return 200 if response.status_code in (200, 302) and "/dang-nhap/" not in response.get("Location", "") \
        else response.status_code


@pytest.mark.parametrize("username", PEOPLE)
def test_pages_and_api_reads_follow_the_role_table(username, people, client_for, api_for, walk):
    oracle, cases = walk
    user = people[username]
    page_client, api_client = client_for(username), api_for(username)
    wrong = []
    for route, unit, url, kwargs in cases:
        client = api_client if route.startswith("api:") else page_client
        got = _status(client.get(url))
        want = _expected(oracle, user, route, unit, kwargs)
        if got != want:
            wrong.append(f"{route} {unit.code if unit else ''} {url}: {got}, the table says {want}")
    assert not wrong, f"{username}:\n" + "\n".join(wrong)


def test_the_oracle_is_not_trivial(people, walk):
    """The walk compares many answers of each kind, so that a gate that allows or refuses
    everything fails it."""
    oracle, cases = walk
    answers = defaultdict(int)
    for username in PEOPLE:
        for route, unit, _, kwargs in cases:
            answers[_expected(oracle, people[username], route, unit, kwargs)] += 1
    assert answers[200] > 100 and answers[403] > 100 and answers[404] > 50, dict(answers)


def test_the_readme_shows_the_role_table():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert capabilities.role_table_markdown() in readme
