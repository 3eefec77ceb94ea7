"""The school's own actions on pages: a Code-of-Conduct session, promotion of the whole school, a
transfer, leaving, a violation — each scoped to the school (another school gets 404)."""

from datetime import date, timedelta

import pytest
from django.test import Client

from cyberyouth.students.models import ConductSession, ConductViolation, Enrolment, SchoolYear, Student

pytestmark = pytest.mark.django_db
TODAY = date.today()


def test_session_for_own_classes_only(world, client_for):
    school = client_for("daumoi.thcscatba")
    data = {"held_on": TODAY.isoformat(), "form": "flag", "materials": "Tờ gấp",
            "classes": [world["c6a"].id, world["c6b"].id]}
    r = school.post("/hoc-sinh/truong/thcs-cat-ba/tuyen-truyen/", data)
    assert r.status_code == 302
    assert set(ConductSession.objects.get(unit=world["catba"]).classes.all()) == {world["c6a"], world["c6b"]}
    # another school's class in the list: refused, nothing written
    r = school.post("/hoc-sinh/truong/thcs-cat-ba/tuyen-truyen/", data | {"classes": [world["cx"].id]})
    assert r.status_code == 404 and ConductSession.objects.filter(unit=world["catba"]).count() == 1
    assert client_for("daumoi.thcscathai").post("/hoc-sinh/truong/thcs-cat-ba/tuyen-truyen/",
                                                data).status_code == 404
    teacher = Client()
    teacher.force_login(world["t6a"])
    assert teacher.post("/hoc-sinh/truong/thcs-cat-ba/tuyen-truyen/", data).status_code == 404


def test_promote_transfer_leave_violation_pages(world, client_for):
    school = client_for("daumoi.thcscatba")
    student = world["a"][1]
    r = school.post(f"/hoc-sinh/hs/{student.id}/vi-pham/", {"vp-decided_on": TODAY.isoformat(),
                                                             "vp-reason": "Đăng ảnh bạn khi chưa được phép"})
    assert r.status_code == 302 and ConductViolation.objects.filter(student=student).exists()
    bad = school.post(f"/hoc-sinh/hs/{student.id}/vi-pham/", {"vp-decided_on": "hôm qua", "vp-reason": "x"})
    assert bad.status_code == 400 and "Ngày quyết định" in bad.content.decode()
    day = max(TODAY, world["year"].starts_on + timedelta(days=1))
    r = school.post(f"/hoc-sinh/hs/{world['a'][2].id}/chuyen-truong/",
                    {"chuyen-to_unit": "thcs-cat-hai", "chuyen-on": day.isoformat()})
    assert r.status_code == 302 and Student.objects.get(id=world["a"][2].id).unit == world["cathai"]
    r = school.post(f"/hoc-sinh/hs/{world['a'][3].id}/roi-truong/", {"roi-on": day.isoformat()})
    assert r.status_code == 302 and Student.objects.get(id=world["a"][3].id).status == "left"
    other = client_for("daumoi.thcscathai")
    assert other.post(f"/hoc-sinh/hs/{world['a'][4].id}/roi-truong/", {"roi-on": day.isoformat()}).status_code == 404
    nxt = SchoolYear.objects.create(name="T-sau", starts_on=world["year"].ends_on + timedelta(days=90),
                                    ends_on=world["year"].ends_on + timedelta(days=360))
    r = school.post("/hoc-sinh/truong/thcs-cat-ba/len-lop/", {"from_year": world["year"].id, "to_year": nxt.id})
    assert r.status_code == 302
    assert Enrolment.objects.get(student=world["a"][0], valid_to__isnull=True).school_class.name == "T7A"
    assert other.post("/hoc-sinh/truong/thcs-cat-ba/len-lop/", {"from_year": world["year"].id,
                                                              "to_year": nxt.id}).status_code == 404


def test_school_years_are_added_by_the_standing_agency_only(client_for):
    agency = client_for("thuongtruc")
    assert agency.get("/hoc-sinh/nam-hoc/").status_code == 200
    r = agency.post("/hoc-sinh/nam-hoc/", {"name": "2031–2032", "starts_on": "2031-09-05", "ends_on": "2032-05-31"})
    assert r.status_code == 302 and SchoolYear.objects.filter(name="2031-2032").exists()
    overlap = agency.post("/hoc-sinh/nam-hoc/", {"name": "2031-2032b", "starts_on": "2032-01-01",
                                                  "ends_on": "2032-06-30"})
    assert overlap.status_code == 200 and "Trùng thời gian với năm học 2031-2032" in overlap.content.decode()
    assert not SchoolYear.objects.filter(name="2031-2032b").exists()
    assert client_for("daumoi.thcscatba").get("/hoc-sinh/nam-hoc/").status_code == 403


def test_a_school_opens_a_class_and_names_its_homeroom_teacher(world, client_for):
    from cyberyouth.students.models import SchoolClass

    school, year = client_for("daumoi.thcscatba"), world["year"]
    page = school.get(f"/hoc-sinh/?nam_hoc={year.id}").content.decode()
    assert "Mở lớp mới" in page and f'value="{world["t6a"].id}"' in page
    r = school.post("/hoc-sinh/truong/thcs-cat-ba/mo-lop/", {"school_year": year.id, "lop-name": "T8C",
                                                             "lop-grade": "8", "lop-homeroom_teacher": world["t6b"].id})
    assert r.status_code == 302
    made = SchoolClass.objects.get(unit=world["catba"], school_year=year, name="T8C")
    assert made.grade == 8 and made.homeroom_teacher == world["t6b"]
    bad = school.post("/hoc-sinh/truong/thcs-cat-ba/mo-lop/", {"school_year": year.id, "lop-name": "T8D",
                                                               "lop-grade": "13"}, follow=True)
    assert "Khối lớp từ 1 đến 12" in bad.content.decode()
    assert not SchoolClass.objects.filter(name="T8D").exists()
    # another school's focal point, a homeroom teacher: 404 — nothing opened
    other = client_for("daumoi.thcscathai").post("/hoc-sinh/truong/thcs-cat-ba/mo-lop/", {
        "school_year": year.id, "lop-name": "T8E"})
    assert other.status_code == 404 and not SchoolClass.objects.filter(name="T8E").exists()
    # naming the homeroom teacher on the class page; a person without the role there is not offered
    r = school.post(f"/hoc-sinh/lop/{world['c9'].id}/giao-vien-chu-nhiem/", {"gvcn-teacher": world["t6a"].id})
    world["c9"].refresh_from_db()
    assert r.status_code == 302 and world["c9"].homeroom_teacher == world["t6a"]
    outsider = client_for("daumoi.thcscathai")
    assert outsider.post(f"/hoc-sinh/lop/{world['c9'].id}/giao-vien-chu-nhiem/",
                         {"gvcn-teacher": ""}).status_code == 404
    stranger = school.post(f"/hoc-sinh/lop/{world['c9'].id}/giao-vien-chu-nhiem/",
                           {"gvcn-teacher": world["fp"].id}, follow=True)
    world["c9"].refresh_from_db()
    assert world["c9"].homeroom_teacher == world["t6a"]  # a focal point is not offered as a teacher
    assert "Giáo viên chủ nhiệm" in stranger.content.decode() and stranger.redirect_chain
