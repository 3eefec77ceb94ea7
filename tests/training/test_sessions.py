"""Sessions, attendance and the completion rule; certificates with a verification code; the
drill-down of indicators 2 and 3 (the records behind each figure, equal to the providers)."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from cyberyouth.errors import DomainError, NotFound, ScopeError
from cyberyouth.training import selectors, services
from cyberyouth.training.models import Certificate, Completion, Source, StaffMember

pytestmark = pytest.mark.django_db
SCHOOL = "gdnn-gdtx-cat-hai"


@pytest.fixture
def fp(people):
    return people["daumoi.gdnn"]


@pytest.fixture
def school(units):
    return units[SCHOOL]


@pytest.fixture
def people3(fp, school):
    add = services.staff_add
    return [add(actor=fp, unit=school, full_name=n, joined_on=date(2020, 1, 1))
            for n in ("Vũ Thị Lành", "Ngô Văn Mạnh", "Đặng Thu Nga")]


@pytest.fixture
def course(fp, school):
    return services.course_create(actor=fp, unit=school, title="Bồi dưỡng kỹ năng phản bác thông tin sai lệch",
                                  organiser="Thành đoàn Hải Phòng", starts_on=date(2025, 9, 1),
                                  ends_on=date(2025, 9, 3), mode="in_person", hours=10, min_attendance_percent=80)


@pytest.fixture
def sessions(fp, course):
    return [services.session_add(actor=fp, course=course, topic=t, held_on=d, hours=h)
            for t, d, h in (("Nhận diện thông tin xấu độc", date(2025, 9, 1), 4),
                            ("Kỹ năng phản bác", date(2025, 9, 2), Decimal("3.5")),
                            ("Thực hành trên mạng xã hội", date(2025, 9, 3), "2,5".replace(",", ".")))]


def test_completion_follows_the_attendance_rule(fp, course, sessions, people3):
    a, b, c = people3
    s1, s2, s3 = sessions  # 4 + 3.5 + 2.5 = 10 hours, 80 % → 8 hours
    services.attendance_set(actor=fp, session=s1, staff_ids=[a.id, b.id, c.id])
    services.attendance_set(actor=fp, session=s2, staff_ids=[a.id, b.id])
    assert not Completion.objects.filter(course=course).exists()  # 7.5 h < 8 h
    services.attendance_set(actor=fp, session=s3, staff_ids=[a.id, c.id])
    done = {x.staff_id: x for x in Completion.objects.filter(course=course)}
    assert set(done) == {a.id}  # a: 10 h; b: 7.5 h; c: 6.5 h
    assert done[a.id].completed_on == date(2025, 9, 3) and done[a.id].source == Source.ATTENDANCE
    # the rule is per course: at 75 % b completes, on the day b reached 7.5 h
    services.course_rule_set(actor=fp, course=course, min_attendance_percent=75)
    done = {x.staff_id: x for x in Completion.objects.filter(course=course)}
    assert set(done) == {a.id, b.id} and done[b.id].completed_on == date(2025, 9, 2)
    assert done[a.id].completed_on == date(2025, 9, 2)  # a reached 7.5 h on the 2nd as well


def test_correcting_attendance_removes_the_completion_and_revokes_its_certificate(fp, course, sessions, people3):
    a = people3[0]
    for s in sessions:
        services.attendance_set(actor=fp, session=s, staff_ids=[a.id])
    services.certificates_issue(actor=fp, course=course)
    cert = Certificate.objects.get(course=course, staff=a)
    services.attendance_set(actor=fp, session=sessions[0], staff_ids=[])  # a was not there after all
    assert not Completion.objects.filter(course=course, staff=a).exists()
    cert.refresh_from_db()
    assert cert.revoked_at is not None and "điểm danh" in cert.revoke_reason
    assert selectors.certificate_by_code(cert.code).revoked_at is not None


def test_imported_completions_are_not_touched_by_the_rule(fp, course, sessions, people3):
    a = people3[0]
    services.completion_add(actor=fp, course=course, staff=a, completed_on=date(2025, 9, 3))
    services.attendance_set(actor=fp, session=sessions[0], staff_ids=[a.id])
    c = Completion.objects.get(course=course, staff=a)
    assert c.source == Source.MANUAL


def test_bad_sessions_and_attendance(fp, course, people3, units, people):
    with pytest.raises(DomainError) as e:
        services.session_add(actor=fp, course=course, topic="Ngoài lịch", held_on=date(2025, 10, 1), hours=2)
    assert e.value.field == "held_on"
    for hours in (0, -1, 25, "ba"):
        with pytest.raises(DomainError) as e:
            services.session_add(actor=fp, course=course, topic="Buổi", held_on=date(2025, 9, 1), hours=hours)
        assert e.value.field == "hours"
    with pytest.raises(DomainError):
        services.session_add(actor=fp, course=course, topic="   ", held_on=date(2025, 9, 1), hours=2)
    with pytest.raises(DomainError):
        services.course_rule_set(actor=fp, course=course, min_attendance_percent=0)
    s = services.session_add(actor=fp, course=course, topic="Buổi một", held_on=date(2025, 9, 1), hours=2)
    other = StaffMember.objects.filter(unit=units["thcs-cat-ba"]).first() or services.staff_add(
        actor=people["daumoi.thcscatba"], unit=units["thcs-cat-ba"], full_name="Người trường khác")
    with pytest.raises(NotFound):  # another school's staff cannot be marked present
        services.attendance_set(actor=fp, session=s, staff_ids=[people3[0].id, other.id])
    assert not s.attendances.exists()  # nothing half-written
    with pytest.raises((ScopeError, NotFound)):
        services.attendance_set(actor=people["daumoi.thcscatba"], session=s, staff_ids=[])


def test_future_session_cannot_take_attendance(fp, school, people3):
    from cyberyouth.orgs import selectors as org_selectors

    today = org_selectors.today()
    course = services.course_create(actor=fp, unit=school, title="Lớp sắp mở", organiser="Tỉnh đoàn",
                                    starts_on=today, ends_on=date(today.year + 1, 12, 31), mode="online")
    s = services.session_add(actor=fp, course=course, topic="Buổi sau", held_on=date(today.year + 1, 1, 5), hours=2)
    with pytest.raises(DomainError):
        services.attendance_set(actor=fp, session=s, staff_ids=[people3[0].id])


def test_certificates_numbers_codes_document_and_public_verification(fp, course, people3, client):
    a, b, _ = people3
    services.completion_add(actor=fp, course=course, staff=a, completed_on=date(2025, 9, 3), certificate_no="12/GCN")
    services.completion_add(actor=fp, course=course, staff=b, completed_on=date(2025, 9, 3))
    issued = services.certificates_issue(actor=fp, course=course)
    numbers = {c.staff_id: c.number for c in issued}
    assert numbers[a.id] == "12/GCN" and numbers[b.id].endswith(f"/2025/GCN-TH{course.id}")
    assert len({c.code for c in issued}) == 2
    with pytest.raises(DomainError):  # nobody left without a certificate
        services.certificates_issue(actor=fp, course=course)
    cert = issued[1]
    page = client.get(reverse("training:verify") + "?ma=" + cert.code.lower().replace("-", " "))
    assert page.status_code == 200 and "Giấy chứng nhận hợp lệ" in page.content.decode() and b.full_name in \
        page.content.decode()
    assert "Không có giấy chứng nhận nào" in client.get(reverse("training:verify") + "?ma=AAAAA-AAAAA").content.decode()
    with pytest.raises(DomainError):
        services.certificate_revoke(actor=fp, certificate=cert, reason="  ")
    services.certificate_revoke(actor=fp, certificate=cert, reason="Cấp nhầm người")
    assert "đã bị thu hồi" in client.get(reverse("training:verify") + "?ma=" + cert.code).content.decode()
    # the document: one page per live certificate, with number and code, in the Decree 30 layout
    from docx import Document

    from cyberyouth.training.documents import certificates_docx

    data = certificates_docx(course=course, certificates=[issued[0]], site="https://cyberyouth.example")
    text = "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
    assert "GIẤY CHỨNG NHẬN" in text and a.full_name in text and issued[0].code in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in "\n".join(
        c.text for t in Document(io.BytesIO(data)).tables for r in t.rows for c in r.cells)


def test_certificate_download_is_scoped(fp, course, people3, client_for):
    services.completion_add(actor=fp, course=course, staff=people3[0], completed_on=date(2025, 9, 3))
    services.certificates_issue(actor=fp, course=course)
    url = reverse("training:certificates", args=[course.id])
    response = client_for("daumoi.gdnn").get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    assert client_for("daumoi.thcscatba").get(url).status_code == 404


def test_course_and_session_pages(fp, course, sessions, people3, client_for):
    c = client_for("daumoi.gdnn")
    page = c.get(reverse("training:course", args=[course.id])).content.decode()
    assert "Kỹ năng phản bác" in page and "80%" in page
    url = reverse("training:session", args=[sessions[0].id])
    assert people3[0].full_name in c.get(url).content.decode()
    r = c.post(url, {"staff": [people3[0].id, people3[1].id]})
    assert r.status_code == 302 and sessions[0].attendances.count() == 2
    r = c.post(reverse("training:course", args=[course.id]),
               {"action": "session", "topic": "Buổi bổ sung", "held_on": "2025-09-02", "hours": "1,5",
                "mode": "online"})
    assert r.status_code == 302 and course.sessions.filter(topic="Buổi bổ sung", hours=Decimal("1.5")).exists()
    r = c.post(reverse("training:course", args=[course.id]),
               {"action": "session", "topic": "Sai", "held_on": "2025-12-02", "hours": "2", "mode": "online"})
    assert r.status_code == 200 and "Ngày học phải trong thời gian của lớp" in r.content.decode()
    # a leader reads, cannot tick
    assert client_for("lanhdao").post(url, {"staff": []}).status_code == 403
    assert client_for("daumoi.thcscatba").get(url).status_code == 404


def test_drill_down_lists_the_records_behind_the_figures(people, units, client_for):
    from cyberyouth.indicators import providers

    unit, year = units[SCHOOL], 2025
    data = selectors.indicator_records(actor=people["daumoi.gdnn"], unit=unit, year=year)
    assert data["staff_count"] == len(data["staff"]) == providers.provide(
        "training.staff_student_work", unit_ids={unit.id}, year=year)[unit.id]
    assert data["trained_count"] == sum(1 for r in data["staff"] if r["completion"]) == providers.provide(
        "training.staff_trained", unit_ids={unit.id}, year=year)[unit.id]
    assert data["members_count"] == len(data["members"]) == 62
    assert data["studied_count"] == sum(1 for r in data["members"] if r["row"]) == 52
    page = client_for("lanhdao").get(reverse("training:records", args=[SCHOOL, year])).content.decode()
    assert "52 / 62" in page and "14 / 16" in page
    assert client_for("daumoi.thcscatba").get(reverse("training:records", args=[SCHOOL, year])).status_code == 404
    # the yearly form links to it
    form = client_for("daumoi.gdnn").get(reverse("indicators:submission", args=[SCHOOL, year])).content.decode()
    assert reverse("training:records", args=[SCHOOL, year]) in form


def test_report_part_equals_the_page(people, units, client_for):
    from cyberyouth.orgs import selectors as org_selectors
    from cyberyouth.training import reporting

    zone = units["hp-dk-cat-hai"]
    ids = org_selectors.year_unit_ids(unit=zone, year=2025)
    f = selectors.training_figures(unit_ids=ids, year=2025)
    assert f["courses"] >= 2 and f["certificates"] == 14 and f["sessions"] == 6
    part = reporting.parts(actor=people["thuongtruc"], unit=zone, year=2025, unit_ids=ids, is_school=False)[0]
    assert part.group == 7 and f"{f['trained']}/{f['staff']} cán bộ" in part.text
    page = client_for("thuongtruc").get(reverse("training:index") + "?nam=2025").content.decode()
    assert f"Lượt hoàn thành: {f['completions']}</span>" in page
    assert f"Cán bộ được tập huấn: {f['trained']}/{f['staff']}</span>" in page


def test_api_scoped(people, units, api_for):
    api = api_for("daumoi.gdnn")
    courses = api.get("/api/training/courses?unit=gdnn-gdtx-cat-hai&year=2025").json()
    assert len(courses) == 1 and courses[0]["completions"] == 14
    cid = courses[0]["id"]
    sessions = api.get(f"/api/training/courses/{cid}/sessions").json()
    assert len(sessions) == 3 and sessions[0]["present"] == 16
    assert len(api.get(f"/api/training/sessions/{sessions[2]['id']}/attendance").json()["staff_ids"]) == 14
    assert len(api.get(f"/api/training/courses/{cid}/certificates").json()) == 14
    records = api.get("/api/training/units/gdnn-gdtx-cat-hai/records/2025").json()
    assert (records["staff_trained"], records["staff_student_work"]) == (14, 16)
    assert (records["union_new_studied"], records["union_new_members"]) == (52, 62)
    assert len(api.get("/api/training/members?year=2025&unit=gdnn-gdtx-cat-hai").json()) == 62
    other = api_for("daumoi.thcscatba")
    assert other.get(f"/api/training/courses/{cid}/sessions").status_code == 404
    assert other.get("/api/training/units/gdnn-gdtx-cat-hai/records/2025").status_code == 404
    assert api_for("lanhdao").put(f"/api/training/sessions/{sessions[0]['id']}/attendance", {"staff_ids": []},
                                  content_type="application/json").status_code == 403
    # bad input: structured errors, nothing written
    r = api.post(f"/api/training/courses/{cid}/sessions", {"topic": "Buổi", "held_on": "2025-06-10", "hours": -2},
                 content_type="application/json")
    assert r.status_code == 422
    r = api.post(f"/api/training/courses/{cid}/sessions", {"topic": "Buổi", "held_on": "2024-01-10", "hours": 2},
                 content_type="application/json")
    assert r.status_code == 400 and r.json()["detail"][0]["field"] == "held_on"
    r = api.post("/api/training/staff", {"unit": "gdnn-gdtx-cat-hai", "full_name": "Lương Thị Mới"},
                 content_type="application/json")
    assert r.status_code == 201 and StaffMember.objects.filter(full_name="Lương Thị Mới").exists()


def test_guessing_certificate_codes_meets_a_brake_that_a_real_code_never_does(fp, course, people3, client):
    from django.core.cache import cache

    from cyberyouth.training.views import VERIFY_MISSES

    cache.clear()
    a = people3[0]
    services.completion_add(actor=fp, course=course, staff=a, completed_on=date(2025, 9, 3))
    cert = services.certificates_issue(actor=fp, course=course)[0]
    url = reverse("training:verify")
    for _ in range(5):  # checking a real code is never counted
        assert client.get(url + "?ma=" + cert.code).status_code == 200
    for i in range(VERIFY_MISSES.per_hour):
        assert client.get(url + f"?ma=AAAAA-AAA{i:02d}").status_code == 200
    refused = client.get(url + "?ma=" + cert.code)
    assert refused.status_code == 429 and "quá nhiều mã không đúng" in refused.content.decode()
    assert a.full_name not in refused.content.decode()
    cache.clear()
    assert client.get(url + "?ma=" + cert.code).status_code == 200
