"""Who sees which classes and students: a homeroom teacher their own classes only, a school its own
students only — through the selectors, the pages and the API."""

from datetime import date

import pytest

from cyberyouth.errors import NotFound, ScopeError
from cyberyouth.students import selectors, services

from .conftest import scan

pytestmark = pytest.mark.django_db


def test_teacher_sees_only_own_class(world):
    t6a = world["t6a"]
    assert set(selectors.classes_visible(actor=t6a)) == {world["c6a"]}
    visible = set(selectors.students_visible(actor=t6a))
    assert visible == set(world["a"])
    with pytest.raises(NotFound):
        selectors.get_class(actor=t6a, class_id=world["c6b"].id)
    with pytest.raises(NotFound):
        selectors.get_student(actor=t6a, student_id=world["b"][0].id)


def test_school_sees_its_classes_not_another_schools(world):
    fp = world["fp"]
    mine = set(selectors.classes_visible(actor=fp))
    assert {world["c6a"], world["c6b"], world["c9"]} <= mine and world["cx"] not in mine
    with pytest.raises(NotFound):
        selectors.get_student(actor=fp, student_id=world["x"][0].id)


def test_teacher_cannot_act_on_another_class_nothing_written(world):
    other = world["b"][0]
    with pytest.raises(NotFound):
        services.conduct_register_record(actor=world["t6a"], school_class=world["c6b"], student_ids=[other.id],
                                         on=date.today())
    with pytest.raises(NotFound):
        services.consent_record_paper(actor=world["t6a"], student=other, purpose="account", guardian_name="Bố",
                                      student_agreed=True, signed_on=date.today(), scan=scan())
    assert not other.consents.exists()


def test_consent_for_a_student_of_another_school_is_refused(world):
    with pytest.raises(NotFound):
        services.consent_record_paper(actor=world["fp"], student=world["x"][0], purpose="account",
                                      guardian_name="Mẹ", student_agreed=True, signed_on=date.today(), scan=scan())
    assert not world["x"][0].consents.exists()


def test_teacher_can_read_but_not_manage_the_school(world):
    with pytest.raises(ScopeError):
        services.class_create(actor=world["t6a"], unit=world["catba"], school_year=world["year"], name="X1")
    with pytest.raises(ScopeError):
        services.student_leave(actor=world["t6a"], student=world["a"][0], on=date.today())


def test_admin_and_leader_see_no_named_student_data(world, people):
    for username in ("thuongtruc", "lanhdao", "hocsinh", "doan"):
        assert not selectors.students_visible(actor=people[username]).exists()


def test_pages_are_scoped(world, client_for):
    from django.test import Client

    teacher = Client()
    teacher.force_login(world["t6a"])
    page = teacher.get("/hoc-sinh/").content.decode()
    assert "T6A" in page and "T6B" not in page
    assert teacher.get(f"/hoc-sinh/lop/{world['c6b'].id}/").status_code == 404
    assert teacher.get(f"/hoc-sinh/hs/{world['b'][0].id}/").status_code == 404
    own = teacher.get(f"/hoc-sinh/lop/{world['c6a'].id}/").content.decode()
    assert "Nguyễn Văn An" in own and "Đỗ Văn Hải" not in own
    r = teacher.post(f"/hoc-sinh/lop/{world['c6b'].id}/cam-ket/", {"on": date.today().isoformat(),
                                                                    "student": [world["b"][0].id]})
    assert r.status_code == 404
    school = client_for("daumoi.thcscatba")
    assert school.get(f"/hoc-sinh/hs/{world['x'][0].id}/").status_code == 404
    assert "Lý Văn Nam" not in school.get("/hoc-sinh/").content.decode()
    assert client_for("daumoi.thcscathai").get(f"/hoc-sinh/lop/{world['c6a'].id}/").status_code == 404


def test_api_is_scoped(world, api_for, db):
    from django.test import Client

    from cyberyouth.orgs.services import token_create

    teacher = Client(headers={"Authorization": f"Bearer {token_create(user=world['t6a'], name='t')}"})
    ids = {c["id"] for c in teacher.get("/api/students/classes").json()}
    assert ids == {world["c6a"].id}
    assert teacher.get(f"/api/students/classes/{world['c6b'].id}/students").status_code == 404
    r = teacher.post(f"/api/students/classes/{world['c6b'].id}/acknowledgements",
                     {"student_ids": [world["b"][0].id], "on": date.today().isoformat()},
                     content_type="application/json")
    assert r.status_code == 404 and r.json()["detail"][0]["code"] == "not_found"
    other = api_for("daumoi.thcscathai")
    assert other.get(f"/api/students/students/{world['a'][0].id}").status_code == 404
    names = [s["full_name"] for s in api_for("daumoi.thcscatba").get(
        f"/api/students/classes/{world['c6a'].id}/students").json()]
    assert names[0] == "Nguyễn Văn An" and len(names) == 6
