"""Cases: who reads them (counsellors and their supervisor only), the open-case log, every
status move allowed or refused, urgency confirmed with a reason, clocks that never pause."""

import itertools
from datetime import timedelta

import pytest
from django.utils import timezone

from cyberyouth.errors import DomainError, NotFound, ScopeError
from cyberyouth.helpline import rules, selectors, services
from cyberyouth.helpline.models import Case, CaseOpening, Clock, ClockKind, EntryKind
from cyberyouth.notifications.models import Kind, Notification

pytestmark = pytest.mark.django_db


def test_critical_first_in_the_queue_with_the_words_highlighted(submit, people):
    question = submit("Cho em hỏi cách đặt mật khẩu mạnh").case
    critical = submit("Em muốn tự tử, không ai hiểu em").case
    rows = selectors.queue(actor=people["tuvan"])
    order = [r.case.pk for r in rows]
    assert order.index(critical.pk) < order.index(question.pk)
    ranks = [r.case.urgency_rank for r in rows]
    assert ranks == sorted(ranks)  # every critical case above every other
    row = rows[order.index(critical.pk)]
    segments = selectors.highlighted(row.last_child_message)
    assert any(s.category == "self_harm" and "tự tử" in s.text for s in segments)


@pytest.mark.parametrize("who", ["thuongtruc", "lanhdao", "daumoi.thcscatba", "kiemduyet", "hocsinh", "sysadmin"])
def test_notes_are_invisible_to_everyone_else(submit, people, client_for, who):
    case = submit("Em bị dọa tung ảnh").case
    services.note_add(actor=people["tuvan"], case_id=services.case_take(actor=people["tuvan"], case_id=case.pk).pk,
                      kind=EntryKind.NOTE, text="GHI-CHU-BI-MAT")
    with pytest.raises(NotFound):
        selectors.get_case(actor=people[who], case_id=case.pk)
    page = client_for(who).get(f"/tong-dai/ca/{case.pk}/")
    assert page.status_code in (403, 404) and "GHI-CHU-BI-MAT" not in page.content.decode()
    assert "GHI-CHU-BI-MAT" not in client_for(who).get("/tong-dai/").content.decode()
    assert client_for(who).get(f"/tong-dai/ca/{case.pk}/mau-01.docx").status_code in (403, 404)


def test_the_supervisor_reads_and_sees_who_opened(submit, people, client_for):
    case = submit("Em bị bắt nạt").case
    services.case_take(actor=people["tuvan"], case_id=case.pk)
    services.note_add(actor=people["tuvan"], case_id=case.pk, kind=EntryKind.NOTE, text="Ghi chú của tư vấn viên")
    assert client_for("tuvan").get(f"/tong-dai/ca/{case.pk}/").status_code == 200
    html = client_for("giamsat").get(f"/tong-dai/ca/{case.pk}/").content.decode()
    assert "Ghi chú của tư vấn viên" in html and "Ai đã mở ca này" in html and "Hoàng Thị Ngọc" in html
    assert list(CaseOpening.objects.filter(case=case).values_list("user__username", flat=True).order_by("id")) == [
        "tuvan", "giamsat"]
    # the counsellor does not see the log
    assert "Ai đã mở ca này" not in client_for("tuvan").get(f"/tong-dai/ca/{case.pk}/").content.decode()


def test_a_held_case_is_closed_to_other_counsellors_and_other_helplines(submit, people, units, client_for):
    zone_case = submit("Em bị lừa mất tiền").case
    school_case = submit("Em bị chửi trong nhóm lớp", school=units["thcs-cat-ba"]).case
    assert school_case.unit.code == "thcs-cat-ba" and zone_case.unit.code == "hp-dk-cat-hai"
    school_counsellor = people_by("tuvan.thcscatba")
    # another helpline's case: not found, not acted on
    with pytest.raises(NotFound):
        services.answer(actor=school_counsellor, case_id=zone_case.pk, text="xin chào")
    assert zone_case.pk not in {r.case.pk for r in selectors.queue(actor=school_counsellor)}
    # the zone's counsellor covers the schools below it, until the school's counsellor takes the case
    services.case_take(actor=school_counsellor, case_id=school_case.pk)
    row = next(r for r in selectors.queue(actor=people["tuvan"]) if r.case.pk == school_case.pk)
    assert not row.readable and row.last_child_message is None
    with pytest.raises(NotFound):
        selectors.get_case(actor=people["tuvan"], case_id=school_case.pk)
    # the queue names it without a link that would only answer "not found"
    queue = client_for("tuvan").get("/tong-dai/", {"trang_thai": "open"}).content.decode()
    assert f"Ca {school_case.code}" in queue and f'href="/tong-dai/ca/{school_case.pk}/"' not in queue


def people_by(username):
    from cyberyouth.orgs.models import User

    return User.objects.get(username=username)


STATUSES = list(rules.STATUS_LABELS)


@pytest.mark.parametrize("frm, to", [(a, b) for a, b in itertools.product(STATUSES, STATUSES) if a != b])
def test_every_status_move(submit, people, frm, to):
    counsellor, supervisor = people["tuvan"], people_by("giamsat")
    case = submit("Em cần giúp").case
    services.case_take(actor=counsellor, case_id=case.pk)
    Case.objects.filter(pk=case.pk).update(status=frm)
    allowed = rules.TRANSITIONS.get((frm, to), frozenset())
    if "counsellor" in allowed:
        services.status_move(actor=counsellor, case_id=case.pk, to=to, reason="thử")
        assert Case.objects.get(pk=case.pk).status == to
    elif allowed:  # reopening: the supervisor only
        with pytest.raises(ScopeError):
            services.status_move(actor=counsellor, case_id=case.pk, to=to)
        services.status_move(actor=supervisor, case_id=case.pk, to=to, reason="mở lại")
        assert Case.objects.get(pk=case.pk).status == to
    else:
        with pytest.raises(DomainError) as e:
            services.status_move(actor=supervisor, case_id=case.pk, to=to)
        assert e.value.code == "conflict" and Case.objects.get(pk=case.pk).status == frm


def test_urgency_is_confirmed_by_a_person_with_a_reason(submit, people):
    # A question with no risk in it ("Cho em hỏi về mạng xã hội" sits at self-harm's threshold since
    # the twenty-seventh round: a known false alarm of tests/safety).
    case = submit("Em muốn hỏi về cách dùng mạng xã hội an toàn").case
    assert case.urgency == "not_urgent" and not case.urgency_confirmed
    with pytest.raises(DomainError):
        services.urgency_confirm(actor=people["tuvan"], case_id=case.pk, urgency="critical", reason="  ")
    services.urgency_confirm(actor=people["tuvan"], case_id=case.pk, urgency="critical", reason="Em nói qua điện thoại là bị dọa")
    case.refresh_from_db()
    assert case.urgency == "critical" and case.urgency_confirmed
    assert set(case.clocks.values_list("kind", flat=True)) == {"first_answer", "notify", "danger", "plan"}
    # lowering it again stops no clock
    services.urgency_confirm(actor=people["tuvan"], case_id=case.pk, urgency="not_urgent", reason="Đã an toàn")
    assert case.clocks.filter(kind="danger", met_at__isnull=True).exists()


def test_clocks_run_from_receipt_and_only_the_right_action_stops_them(submit, people):
    case = submit("Em muốn tự tử").case
    danger = case.clocks.get(kind=ClockKind.DANGER)
    assert danger.due_at - case.received_at == timedelta(hours=12)
    plan = case.clocks.get(kind=ClockKind.PLAN)
    assert plan.due_at > case.received_at + timedelta(days=5)  # 5 working days, end of day
    services.case_take(actor=people["tuvan"], case_id=case.pk)
    services.note_add(actor=people["tuvan"], case_id=case.pk, kind=EntryKind.NOTE, text="Đang theo dõi")
    assert not case.clocks.filter(met_at__isnull=False).exists()  # a note stops nothing
    # pausing is no answer either: "closed" and reopened, the clocks still run
    services.status_move(actor=people["tuvan"], case_id=case.pk, to="in_progress")
    assert not case.clocks.filter(met_at__isnull=False).exists()
    services.answer(actor=people["tuvan"], case_id=case.pk, text="Cô đây, em kể cô nghe nhé")
    assert case.clocks.get(kind=ClockKind.FIRST_ANSWER).met_at is not None
    services.note_add(actor=people["tuvan"], case_id=case.pk, kind=EntryKind.ACTION, text="Đã gọi cho mẹ em, mẹ đã về nhà")
    assert case.clocks.get(kind=ClockKind.DANGER).met_in_time is True
    services.plan_save(actor=people["tuvan"], case_id=case.pk, risk_assessment="Cao", support_plan="Gặp hằng ngày")
    assert case.clocks.get(kind=ClockKind.PLAN).met_at is not None
    assert case.clocks.get(kind=ClockKind.NOTIFY).met_at is None


def test_warning_then_escalation_to_the_supervisor(submit, people, mailoutbox, django_capture_on_commit_callbacks):
    case = submit("Em bị đe dọa đánh").case
    clock = case.clocks.get(kind=ClockKind.FIRST_ANSWER)
    Clock.objects.filter(pk=clock.pk).update(due_at=timezone.now() + timedelta(minutes=5))
    with django_capture_on_commit_callbacks(execute=True):
        result = services.clocks_tick()
    assert result["warned"] >= 1
    clock.refresh_from_db()
    assert clock.warned_at is not None and clock.breached_at is None
    Clock.objects.filter(pk=clock.pk).update(due_at=timezone.now() - timedelta(minutes=1))
    clock.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.clocks_tick()
    clock.refresh_from_db()
    assert clock.breached_at == clock.due_at and clock.escalated_at is not None
    assert any("Quá hạn" in m.subject and "giamsat@cathai.example" in m.to for m in mailoutbox)
    assert not any("Em bị đe dọa" in m.body for m in mailoutbox)  # the child's words never leave by mail
    # the same through the one mechanism: a notice in the supervisor's bell that opens the case
    notice = Notification.objects.get(recipient__email="giamsat@cathai.example", kind=Kind.HELPLINE_CLOCK,
                                      title__startswith="Quá hạn")
    assert notice.link == f"/tong-dai/ca/{case.pk}/" and "Em bị đe dọa" not in notice.body
    # answered late: met, and the breach stays on record
    services.answer(actor=people["tuvan"], case_id=case.pk, text="Xin lỗi em vì trả lời muộn")
    clock.refresh_from_db()
    assert clock.met_at and clock.met_in_time is False and clock.breached_at == clock.due_at


def test_critical_message_alerts_the_counsellors_on_duty(people, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = services.child_submit(text="Em muốn chết", client_address="192.0.2.200").case
    alert = [m for m in mailoutbox if "Ca khẩn cấp" in m.subject]
    assert alert and any("tuvan@cathai.example" in m.to for m in alert)
    assert all("muốn chết" not in m.body for m in alert)
    bell = Notification.objects.filter(recipient=people["tuvan"], kind=Kind.HELPLINE_CRITICAL,
                                       link=f"/tong-dai/ca/{case.pk}/")
    assert bell.count() == 1 and "muốn chết" not in bell.get().body


def test_deidentified_after_the_keeping_time(submit, people, settings):
    settings.HELPLINE_KEEP_DAYS = 30
    done = submit("Em bị bắt nạt")
    services.answer(actor=people["tuvan"], case_id=done.case.pk, text="Cô nghe em")
    services.status_move(actor=people["tuvan"], case_id=done.case.pk, to="closed")
    assert services.deidentify_closed() == 0
    assert services.deidentify_closed(now=timezone.now() + timedelta(days=31)) >= 1
    case = Case.objects.get(pk=done.case.pk)
    assert case.deidentified_at and not case.messages.exclude(text="[đã xóa]").exists()
    with pytest.raises(NotFound):
        services.child_open(code=case.code, secret=done.secret, client_address="192.0.2.77")
    assert Clock.objects.filter(case=case).exists()  # statistics stay


def test_transfer_keeps_the_clocks_and_the_supervisor_assigns(submit, people, units):
    case = submit("Em bị bạn cùng trường bắt nạt").case
    due = list(case.clocks.values_list("kind", "due_at"))
    services.case_transfer(actor=people["tuvan"], case_id=case.pk, unit=units["thcs-cat-ba"],
                           note="Học sinh THCS Cát Bà, phòng tư vấn của trường theo dõi")
    case.refresh_from_db()
    assert case.unit.code == "thcs-cat-ba" and list(case.clocks.values_list("kind", "due_at")) == due
    assert case.entries.filter(kind="transfer").exists()
    with pytest.raises(DomainError):
        services.case_transfer(actor=people_by("tuvan.thcscatba"), case_id=case.pk, unit=units["thcs-cat-hai"],
                               note="x")  # no helpline there
    with pytest.raises(ScopeError):  # a counsellor cannot assign
        services.case_assign(actor=people_by("tuvan.thcscatba"), case_id=case.pk, user_id=people["tuvan"].pk)
    services.case_assign(actor=people_by("giamsat"), case_id=case.pk, user_id=people_by("tuvan.thcscatba").pk)
    assert list(case.counsellors.values_list("username", flat=True)) == ["tuvan.thcscatba"]


def test_erasing_a_student_erases_their_cases_and_export_lists_them(people):
    from cyberyouth.orgs import privacy

    student = people["hocsinh"]
    done = services.child_submit(text="Em bị lộ số điện thoại 0912345678", client_address="192.0.2.150", actor=student)
    exported = privacy.person_export(actor=people["thuongtruc"], person=student)
    assert any(r["model"] == "helpline.Case" for r in str_records(exported))
    privacy.person_erase(actor=people["thuongtruc"], person=student, reason="Theo yêu cầu của gia đình",
                         confirm="hocsinh")
    case = Case.objects.get(pk=done.case.pk)
    assert case.deidentified_at and case.student is None
    assert not case.messages.filter(text__contains="0912345678").exists()


def str_records(exported):
    for value in exported.values():
        if isinstance(value, list):
            yield from (r for r in value if isinstance(r, dict) and "model" in r)
