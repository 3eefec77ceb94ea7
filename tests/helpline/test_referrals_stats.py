"""Referrals with their letter (Decree 30 layout), Form 01, the monitoring hand-off as a case,
statistics through the small-group rule, the yearly report's line for task 7đ."""

import io
from importlib import import_module

import pytest
from django.utils import timezone
from docx import Document

from cyberyouth.helpline import selectors, services
from cyberyouth.helpline.models import Case, ClockKind, ContactKind, ReferralTo
from cyberyouth.lib.disclosure import suppressed_label

pytestmark = pytest.mark.django_db


def _text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts += [c.text for c in row.cells]
    return "\n".join(parts)


def test_referral_to_the_police_stops_the_notify_clock_and_makes_a_letter(submit, people, client_for):
    case = submit("Có người lạ dọa tung ảnh của em nếu em không gửi tiền").case
    services.urgency_confirm(actor=people["tuvan"], case_id=case.pk, urgency="critical", reason="Bị tống tiền")
    referral = services.referral_create(actor=people["tuvan"], case_id=case.pk, to=ReferralTo.POLICE,
                                        reason="Đề nghị xác minh tài khoản đe dọa")
    case.refresh_from_db()
    assert case.status == "referred"
    assert case.clocks.get(kind=ClockKind.NOTIFY).met_at is not None
    assert case.clocks.get(kind=ClockKind.DANGER).met_at is not None
    r = client_for("tuvan").get(f"/tong-dai/chuyen-tuyen/{referral.pk}/cong-van.docx")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    text = _text(r.content)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Công an đặc khu Cát Hải" in text
    assert "V/v chuyển trường hợp trẻ em" in text and case.code in text
    # the administrator cannot download it
    assert client_for("thuongtruc").get(f"/tong-dai/chuyen-tuyen/{referral.pk}/cong-van.docx").status_code == 403
    services.referral_answer(actor=people["tuvan"], referral_id=referral.pk, answer_text="Đã tiếp nhận, đang xác minh")
    referral.refresh_from_db()
    assert referral.answered_at and case.entries.filter(kind="document").count() == 1


def test_form01_has_the_intake_and_the_plan(submit, people, client_for):
    case = submit("Em bị bạn bè cô lập trên mạng").case
    services.plan_save(actor=people["tuvan"], case_id=services.case_take(actor=people["tuvan"], case_id=case.pk).pk,
                       risk_assessment="Nguy cơ thấp", support_plan="Tư vấn 2 buổi")
    text = _text(client_for("tuvan").get(f"/tong-dai/ca/{case.pk}/mau-01.docx").content)
    assert "Mẫu số 01" in text and "Nguy cơ thấp" in text and "Tư vấn 2 buổi" in text and case.code in text


def test_intake_by_phone_and_a_silent_call(people, units, client_for):
    r = client_for("tuvan").post("/tong-dai/tiep-nhan/", {
        "channel": "referral_111", "kind": "other_child", "urgency": "urgent", "categories": ["violence"],
        "summary": "111 chuyển: học sinh lớp 8 bị đe dọa đánh sau giờ học", "age_band": "11-14", "gender": "m"})
    assert r.status_code == 302
    case = Case.objects.latest("id")
    assert case.status == "in_progress" and case.urgency == "urgent" and list(case.counsellors.all()) == [people["tuvan"]]
    assert case.clocks.get(kind=ClockKind.FIRST_ANSWER).met_at is not None  # the call is the first answer
    before = Case.objects.count()
    services.intake_record(actor=people["tuvan"], unit=units["hp-dk-cat-hai"], channel="phone",
                           kind=ContactKind.NON_DATA, urgency="not_urgent", summary="")
    assert Case.objects.count() == before  # counted, no case
    assert client_for("daumoi.thcscatba").get("/tong-dai/tiep-nhan/").status_code == 403


def test_monitoring_handoff_arrives_as_a_case(people):
    from cyberyouth.monitoring import selectors as mon_selectors
    from cyberyouth.monitoring import services as mon_services

    me = people["kiemduyet"]
    item = mon_selectors.queue(actor=me, limit=1)[0]
    mon_services.item_claim(actor=me, item_id=item.pk)
    mon_services.item_decide(actor=me, item_id=item.pk, outcome="escalate", reason="Học sinh có thể gặp nguy hiểm")
    action = mon_services.action_create(actor=me, item_id=item.pk, kind="helpline")
    case = Case.objects.get(monitoring_action_id=action.pk)
    assert case.contacts.get().channel == "monitoring" and case.urgency in ("critical", "urgent")
    assert case.clocks.filter(kind=ClockKind.NOTIFY).exists()
    assert case.pk in {r.case.pk for r in selectors.queue(actor=people["tuvan"], limit=500)}
    # once only
    assert services.take_monitoring_handoff(action=action) == case


def test_the_migration_takes_the_waiting_handoffs(people):
    from django.apps import apps

    from cyberyouth.monitoring.models import Action

    me = people["kiemduyet"]
    from cyberyouth.monitoring import selectors as mon_selectors
    from cyberyouth.monitoring import services as mon_services

    item = mon_selectors.queue(actor=me, limit=1)[0]
    mon_services.item_claim(actor=me, item_id=item.pk)
    mon_services.item_decide(actor=me, item_id=item.pk, outcome="escalate", reason="Chuyển tổng đài")
    waiting = Action.objects.create(item=item, kind="helpline", recipient="Tổng đài", body="PHIẾU CHUYỂN",
                                    actor=me, handoff_status="waiting")
    migration = import_module("cyberyouth.helpline.migrations.0003_monitoring_handoffs")
    migration.convert(apps, None)
    waiting.refresh_from_db()
    assert waiting.handoff_status == "taken"
    case = Case.objects.get(monitoring_action_id=waiting.pk)
    assert case.clocks.count() >= 3 and case.entries.filter(text__contains="PHIẾU CHUYỂN").exists()


def test_statistics_hide_small_groups_and_show_no_content(submit, people, units, client_for):
    for _ in range(6):
        submit("Em bị bạn chửi trên mạng, bắt nạt em")
    submit("Em muốn tự tử")
    year = timezone.localdate().year
    s = selectors.stats(actor=people["thuongtruc"], unit=units["hp-dk-cat-hai"], year=year)
    urg = dict(s.by_urgency)
    assert str(urg["Khẩn cấp"]) == suppressed_label() or urg["Khẩn cấp"].value >= 5
    assert any(not f.shown for _n, f in s.by_urgency) or all((f.value or 0) >= 5 or f.value == 0 for _n, f in s.by_urgency)
    html = client_for("thuongtruc").get(f"/tong-dai/thong-ke/?don_vi=hp-dk-cat-hai&nam={year}").content.decode()
    assert "Em bị bạn chửi" not in html and "Thống kê tổng đài" in html
    line = selectors.yearly_report_line(actor=people["lanhdao"], unit=units["hp-dk-cat-hai"], year=year)
    assert line.startswith("Tổng đài hỗ trợ và ứng cứu") and "lượt liên hệ" in line
    assert client_for("daumoi.thcscatba").get("/tong-dai/thong-ke/").status_code == 403


def test_a_single_small_cell_takes_a_complement_with_it(submit, people, units):
    for _ in range(7):
        submit("Cho em hỏi về an toàn trên mạng")
    for _ in range(2):
        submit("Em muốn tự tử")
    s = selectors.stats(actor=people["thuongtruc"], unit=units["hp-dk-cat-hai"], year=timezone.localdate().year)
    hidden = [n for n, f in s.by_urgency if not f.shown]
    assert "Khẩn cấp" in hidden or dict(s.by_urgency)["Khẩn cấp"].value >= 5
    assert len(hidden) != 1  # never exactly one hidden cell next to a shown total


def test_clocks_met_in_time_are_counted_once_decided(submit, people, units):
    year = timezone.localdate().year
    before = selectors.stats(actor=people["thuongtruc"], unit=units["hp-dk-cat-hai"], year=year)
    met_before = {row[0]: row[1].value or 0 for row in before.clocks}
    for _ in range(6):
        case = submit("Cho em hỏi cách chặn người lạ").case
        services.answer(actor=people["tuvan"], case_id=case.pk, text="Em vào phần cài đặt nhé")
    after = selectors.stats(actor=people["thuongtruc"], unit=units["hp-dk-cat-hai"], year=year)
    first = next(row for row in after.clocks if row[0] == ClockKind.FIRST_ANSWER.label)
    assert first[1].value >= met_before[ClockKind.FIRST_ANSWER.label] + 6
