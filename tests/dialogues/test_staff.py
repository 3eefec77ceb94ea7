"""The school's side: planning (bad input refused), scope by page and API, moderation, the host's
board, the minutes (a Decree 30 biên bản), commitments and their reminders, compliance and the
yearly report's sentence equal to the dashboard, reminders to schools."""

import io
from datetime import date, timedelta

import pytest
from docx import Document

from cyberyouth.dialogues import reporting, selectors, services
from cyberyouth.dialogues.models import Commitment, ComplianceReminder, Dialogue, Mode, Question, Review, Status
from cyberyouth.errors import DomainError, NotFound, ScopeError
from cyberyouth.notifications.models import Notification
from cyberyouth.orgs.models import User

pytestmark = pytest.mark.django_db

LEADERS = [{"user": None, "name": "Thử Thị Hiền", "position": "Hiệu trưởng"}]


def _plan(world, **over):
    data = {"actor": world["fp"], "unit": world["thpt"], "title": "Đối thoại cuối năm", "mode": Mode.IN_PERSON,
            "held_on": date.today() + timedelta(days=3), "place": "Hội trường", "leaders": LEADERS}
    data.update(over)
    return services.dialogue_create(**data)


def test_planning_refuses_bad_input_and_writes_nothing(world, units):
    before = Dialogue.objects.count()
    bad = [{"mode": Mode.IN_PERSON, "place": ""}, {"mode": Mode.ONLINE, "meeting_url": ""},
           {"mode": Mode.ONLINE, "meeting_url": "javascript:alert(1)"},
           {"mode": Mode.ONLINE, "meeting_url": "https://user:pw@meet.example.com/x"},
           {"mode": Mode.ONLINE, "meeting_url": "ftp://meet.google.com/x"},
           {"mode": Mode.HYBRID, "meeting_url": "https://meet.google.com/x", "place": ""},
           {"mode": "both"}, {"leaders": []}, {"title": "  "},
           {"class_ids": [units["gdnn-gdtx-cat-hai"].classes.first().id]},
           {"leaders": [{"user": User.objects.get(username="daumoi.gdnn"), "name": "", "position": ""}]}]
    for over in bad:
        with pytest.raises(DomainError):
            _plan(world, **over)
    with pytest.raises(NotFound):  # another school's focal point cannot even see THPT Cát Bà's
        _plan(world, actor=User.objects.get(username="daumoi.gdnn"))
    assert Dialogue.objects.count() == before
    ok = _plan(world, mode=Mode.HYBRID, meeting_url="https://meet.google.com/abc-defg-hij")
    assert ok.in_person and ok.online


def test_scope_by_page_and_api(world, client_for, api_for):
    d = world["planned"]
    assert client_for("daumoi.thptcatba").get(f"/doi-thoai/{d.id}/").status_code == 200
    assert client_for("lanhdao").get(f"/doi-thoai/{d.id}/").status_code == 404  # the zone's leader: not this school
    assert client_for("daumoi.gdnn").get(f"/doi-thoai/{d.id}/").status_code == 404
    assert client_for("daumoi.gdnn").get(f"/doi-thoai/{d.id}/dieu-hanh/").status_code == 404
    assert client_for("tuvan").get(f"/doi-thoai/{d.id}/").status_code == 403
    assert client_for("hs.thptcatba.10a").get(f"/doi-thoai/{d.id}/").status_code == 403
    assert api_for("daumoi.gdnn").get(f"/api/dialogues/{d.id}/questions").status_code == 404
    rows = api_for("daumoi.thptcatba").get(f"/api/dialogues/{d.id}/questions").json()
    assert rows and all("author" not in r for r in rows)
    q = Question.objects.filter(dialogue=d, review=Review.PENDING).first()
    r = api_for("daumoi.gdnn").post(f"/api/dialogues/questions/{q.id}/review", {"approve": True},
                                    content_type="application/json")
    assert r.status_code == 404
    q.refresh_from_db()
    assert q.review == Review.PENDING
    # a leader of the zone reads the zone's schools but runs none of them
    held = Dialogue.objects.filter(unit__code="gdnn-gdtx-cat-hai", status=Status.HELD).first()
    lanhdao = User.objects.get(username="lanhdao")
    assert selectors.get_dialogue(actor=lanhdao, dialogue_id=held.id) == held
    with pytest.raises(ScopeError):
        selectors.require_manage(actor=lanhdao, dialogue=held)


def test_the_host_orders_by_votes_and_marks_answered(world, client_for):
    d = world["planned"]
    board = selectors.board(dialogue=d)
    assert [q.vote_count for q in board] == sorted((q.vote_count for q in board), reverse=True)
    host = client_for("daumoi.thptcatba")
    assert host.post(f"/doi-thoai/{d.id}/trang-thai/", {"move": "start"}).status_code == 302
    d.refresh_from_db()
    assert d.status == Status.LIVE
    page = host.get(f"/doi-thoai/{d.id}/dieu-hanh/")
    assert page.status_code == 200 and board[0].text in page.content.decode()
    top = board[0]
    r = host.post(f"/doi-thoai/cau-hoi/{top.id}/tra-loi/", {"answer": "answered"}, HTTP_ACCEPT="application/json")
    data = r.json()
    assert data["questions"][-1]["id"] == str(top.id) and data["questions"][-1]["answer"] == "answered"
    polled = host.get(f"/doi-thoai/{d.id}/dieu-hanh.json").json()
    assert polled == data and polled["status"] == "in_session"
    assert host.post(f"/doi-thoai/cau-hoi/{top.id}/tra-loi/", {"answer": "nonsense"}).status_code == 400


def test_minutes_make_it_held_and_print_a_bien_ban(world, client_for):
    d = world["planned"]
    with pytest.raises(DomainError):  # not before the day
        services.minutes_record(actor=world["fp"], dialogue=d, attendance=120, chair="Thử Thị Hiền")
    past = _plan(world, held_on=date.today() - timedelta(days=1), mode=Mode.ONLINE,
                 meeting_url="https://zoom.us/j/123456789")
    with pytest.raises(DomainError):
        services.minutes_record(actor=world["fp"], dialogue=past, attendance=0, chair="Thử Thị Hiền")
    host = client_for("daumoi.thptcatba")
    assert host.get(f"/doi-thoai/{past.id}/bien-ban.docx").status_code == 400
    r = host.post(f"/doi-thoai/{past.id}/bien-ban/", {"attendance": 150, "chair": "Thử Thị Hiền, Hiệu trưởng",
                                                      "secretary": "Thử Văn Viên", "summary": "Học sinh hỏi về thư viện."})
    assert r.status_code == 302
    past.refresh_from_db()
    assert past.status == Status.HELD and past.attendance == 150
    services.commitment_add(actor=world["fp"], dialogue=past, text="Mở thư viện chiều thứ Bảy",
                            owner_name="Thử Thị Hiền", due_on=date.today() + timedelta(days=20))
    doc = host.get(f"/doi-thoai/{past.id}/bien-ban.docx")
    assert doc.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(doc.content)).paragraphs)
    tables = "\n".join(c.text for t in Document(io.BytesIO(doc.content)).tables for row in t.rows for c in row.cells)
    assert "BIÊN BẢN" in text and "150" in text and "Mở thư viện chiều thứ Bảy" in tables
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in tables and "CHỦ TRÌ" in tables and "THƯ KÝ" in tables


def test_commitments_tracked_to_done_and_reminded_once_a_week(world):
    held = Dialogue.objects.filter(unit=world["thpt"], status=Status.HELD, mode=Mode.IN_PERSON).first()
    late = Commitment.objects.get(dialogue=held, text__startswith="Tổ chức buổi ngoại khóa")
    assert late.done_on is None and late in selectors.overdue_commitments(on=date.today())
    before = Notification.objects.filter(kind="reminder").count()
    sent = services.remind_commitments()
    assert sent >= 1
    fp_notes = Notification.objects.filter(recipient=world["fp"], kind="reminder", title__startswith="Quá hạn")
    assert fp_notes.exists()  # its owner has no account: the school's focal point is told
    assert services.remind_commitments() == 0 and Notification.objects.filter(kind="reminder").count() == before + sent
    services.commitment_done(actor=world["fp"], commitment_id=late.id, done_on=date.today(), note="Đã tổ chức")
    with pytest.raises(DomainError):
        services.commitment_done(actor=world["fp"], commitment_id=late.id, done_on=date.today())
    with pytest.raises(NotFound):
        services.commitment_done(actor=User.objects.get(username="daumoi.gdnn"), commitment_id=late.id,
                                 done_on=date.today())


def test_compliance_page_and_yearly_report_say_the_same(world, client_for, people, units):
    """2025 in the special zone: THPT Cát Bà (hybrid) met the rule; Hiền Hào (in person only) and
    the GDNN-GDTX centre (online only) did not."""
    page = client_for("thuongtruc").get("/doi-thoai/thuc-hien/?nam=2025&don-vi=hp-dk-cat-hai")
    assert page.status_code == 200
    summary = page.context["summary"]
    rows = {r.unit.code: r for r in page.context["rows"]}
    assert rows["th-thcs-hien-hao"].in_person == 1 and not rows["th-thcs-hien-hao"].met
    assert rows["gdnn-gdtx-cat-hai"].online == 1 and not rows["gdnn-gdtx-cat-hai"].met
    from cyberyouth.orgs import selectors as org_selectors
    from cyberyouth.reports.contributions import collect

    zone = units["hp-dk-cat-hai"]
    parts = collect(actor=people["thuongtruc"], unit=zone, year=2025, is_school=False,
                    unit_ids=org_selectors.year_unit_ids(unit=zone, year=2025)
                    & org_selectors.unit_ids(actor=people["thuongtruc"], capability="report.read"))
    sentence = next(p.text for p in parts if p.group == 6 and "Đối thoại" in p.text)
    assert f"Có {summary.met}/{summary.schools} trường đạt" in sentence
    assert f"đã tổ chức {summary.held} buổi" in sentence and f"{summary.attendance} lượt" in sentence
    assert "Trường Tiểu học và THCS Hiền Hào" in sentence
    # a school's own report
    thpt = world["thpt"]
    school = reporting.parts(actor=world["fp"], unit=thpt, year=2025, is_school=True,
                             unit_ids=org_selectors.year_unit_ids(unit=thpt, year=2025))
    assert "đạt yêu cầu" in school[0].text and "chưa đạt" not in school[0].text


def test_drill_down_and_reminders_to_schools(world, client_for, people):
    admin = people["thuongtruc"]
    page = client_for("thuongtruc").get(f"/doi-thoai/thuc-hien/?nam={date.today().year}&don-vi=hp-dk-cat-hai")
    assert page.status_code == 200
    not_met = [r.unit.id for r in page.context["rows"] if not r.met]
    assert not_met
    sent = services.remind_schools(actor=admin)
    assert sent and all(r.unit_id in not_met for r in sent)
    assert services.remind_schools(actor=admin) == []  # once a month
    assert ComplianceReminder.objects.filter(year=date.today().year).count() == len(sent)
    assert client_for("daumoi.thcscatba").post("/doi-thoai/nhac/").status_code == 403


def test_pages_render_for_the_school(world, client_for):
    d = world["planned"]
    host = client_for("daumoi.thptcatba")
    for url in ("/doi-thoai/", "/doi-thoai/moi/", f"/doi-thoai/{d.id}/", f"/doi-thoai/{d.id}/sua/",
                f"/doi-thoai/{d.id}/bien-ban/", "/doi-thoai/thuc-hien/"):
        assert host.get(url).status_code == 200, url
    r = host.post("/doi-thoai/moi/", {"unit": "thpt-cat-ba", "title": "Đối thoại đầu xuân", "mode": "online",
                                      "held_on": (date.today() + timedelta(days=30)).isoformat(),
                                      "meeting_url": "javascript:alert(1)", "leaders": "Thử Thị Hiền — Hiệu trưởng"})
    assert r.status_code == 200 and "https://" in r.content.decode()  # the error is shown next to the field
    r = host.post("/doi-thoai/moi/", {"unit": "thpt-cat-ba", "title": "Đối thoại đầu xuân", "mode": "online",
                                      "held_on": (date.today() + timedelta(days=30)).isoformat(),
                                      "meeting_url": "https://meet.google.com/xuan", "anonymous_allowed": "on",
                                      "leaders": "Thử Thị Hiền — Hiệu trưởng", "leader_users": [str(world["fp"].id)]})
    assert r.status_code == 302
    made = Dialogue.objects.get(title="Đối thoại đầu xuân")
    assert [(x.name, x.position) for x in made.leaders.all()] == [("Mẫu Văn Đạo", ""), ("Thử Thị Hiền", "Hiệu trưởng")]


def test_the_demo_has_a_held_dialogue_with_minutes_and_a_planned_one_taking_questions(world):
    held = Dialogue.objects.filter(unit=world["thpt"], status=Status.HELD, commitments__isnull=False).distinct().get()
    assert held.attendance and held.chair and held.questions.exclude(answer="waiting").count() >= 3
    assert {c.done_on is not None for c in held.commitments.all()} == {True, False}
    planned = world["planned"]
    assert planned.takes_questions and planned.held_on > date.today()
    assert planned.questions.filter(review=Review.PENDING).exists()
    assert planned.questions.filter(review=Review.APPROVED, vote_count__gt=0).count() >= 3


def test_the_reminder_command(world):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("dialogues_remind", stdout=out)
    assert "Đã nhắc" in out.getvalue()
    assert Notification.objects.filter(kind="reminder", title__contains="cam kết sau đối thoại").exists()


def test_a_commitment_owner_account_must_read_the_dialogue(world):
    held = Dialogue.objects.filter(unit=world["thpt"], status=Status.HELD).first()
    teacher = User.objects.get(username="gvcn.thptcatba.10a")  # a homeroom teacher reads no dialogue
    assert teacher not in selectors.owner_candidates(unit=world["thpt"])
    assert world["fp"] in selectors.owner_candidates(unit=world["thpt"])
    with pytest.raises(DomainError):
        services.commitment_add(actor=world["fp"], dialogue=held, text="Sửa máy chiếu phòng 10A", owner=teacher,
                                owner_name="", due_on=date.today() + timedelta(days=5))
    c = services.commitment_add(actor=world["fp"], dialogue=held, text="Sửa máy chiếu phòng 10A", owner=None,
                                owner_name="Mẫu Thị Giáo (GVCN 10A)", due_on=date.today() + timedelta(days=5))
    assert c.owner is None and c.owner_name.startswith("Mẫu Thị Giáo")
