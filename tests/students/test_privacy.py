"""Personal data of students and parents: "Dữ liệu của tôi", `people export|erase` (also for a
student without an account, or a parent's request), and the retention hook the worker runs."""

import json
from datetime import date

import pytest
from django.core.management import call_command
from django.test import Client

from cyberyouth.orgs.models import User
from cyberyouth.orgs.privacy import person_erase
from cyberyouth.students import services
from cyberyouth.students.models import Student

from .conftest import scan

pytestmark = pytest.mark.django_db


def _account(world):
    an = world["a"][0]
    an.guardian_name, an.guardian_contact = "Nguyễn Văn Tư", "0912000001"
    an.save()
    services.consent_record_paper(actor=world["t6a"], student=an, purpose="account", guardian_name="Nguyễn Văn Tư",
                                  student_agreed=True, signed_on=date.today(), scan=scan())
    (student, username, code), = services.login_codes_issue(actor=world["t6a"], school_class=world["c6a"])
    services.first_login(username=username, code=code, password="meo-an-ca-kho", password_again="meo-an-ca-kho")
    student.refresh_from_db()
    return student


def test_my_data_includes_the_student_record_and_parents(world):
    student = _account(world)
    me = Client()
    me.force_login(student.user)
    data = me.get(f"/don-vi/nguoi/{student.user.username}/du-lieu-ca-nhan/?tai=json")
    assert data.status_code == 200
    body = data.json()
    assert body["students"]["student"]["full_name"] == "Nguyễn Văn An"
    assert body["students"]["parents"] == {"name": "Nguyễn Văn Tư", "contact": "0912000001"}
    assert body["students"]["consents"][0]["given_by"] == "Nguyễn Văn Tư"


def test_erasing_the_account_deidentifies_the_student_and_parents(world, people):
    student = _account(world)
    person_erase(actor=people["sysadmin"], person=student.user, reason="Theo yêu cầu của gia đình", confirm=student.user.username)
    student.refresh_from_db()
    assert student.full_name.startswith("Học sinh đã ẩn danh") and student.guardian_contact == ""
    assert not User.objects.get(id=student.user_id).is_active


def test_people_command_for_a_student_without_account(world, tmp_path, capsys):
    binh = world["a"][1]
    binh.guardian_name = "Trần Văn Cha"
    binh.save()
    out = tmp_path / "hs.json"
    call_command("people", "export", str(binh.id), "--student", "--out", str(out))
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["student"]["full_name"] == "Trần Thị Bình" and data["parents"]["name"] == "Trần Văn Cha"
    call_command("people", "erase", str(binh.id), "--student", "--reason", "Cha mẹ yêu cầu xóa")
    binh.refresh_from_db()
    assert binh.guardian_name == "" and binh.deidentified_at is not None


def test_worker_housekeeping_runs_the_retention_rule(world, settings, monkeypatch):
    from cyberyouth.monitoring import worker

    settings.STUDENT_RETENTION_DAYS = 0
    gone = world["n9"][0]
    services.student_leave(actor=world["fp"], student=gone, on=date.today())
    Student.objects.filter(id=gone.id).update(left_on=date(2020, 1, 1))
    monkeypatch.setattr(worker, "_next_housekeeping", 0.0)
    worker._housekeeping()
    assert Student.objects.get(id=gone.id).deidentified_at is not None
