"""A person's own data (Law 91/2025/QH15): export finds every record that names them; erasure
de-identifies the account, keeps the work records, ends roles and access, and is refused politely."""

import json

import pytest
from django.core.management import call_command

from cyberyouth.audit.models import AuditEntry
from cyberyouth.errors import DomainError, ScopeError
from cyberyouth.indicators.models import Submission
from cyberyouth.orgs import privacy
from cyberyouth.orgs.models import ApiToken, RoleAssignment, User
from cyberyouth.orgs.services import token_authenticate, token_create

pytestmark = pytest.mark.django_db
GOOD = {"students_enrolled": 480, "students_cc_reached": 470, "students_cc_ack": 460, "union_new_members": 50,
        "union_new_studied": 45, "staff_student_work": 18, "staff_trained": 17, "teaches_safety": 0}


@pytest.fixture
def her_report(people, units):
    """A report the focal point sent herself (the demo's were loaded by the system)."""
    from cyberyouth.indicators.services import values_save

    return values_save(actor=people["daumoi.gdnn"], unit=units["gdnn-gdtx-cat-hai"], year=2026, values=GOOD,
                       submit=True)


def test_export_holds_the_account_roles_and_every_record_naming_the_person(people, her_report):
    data = privacy.person_export(actor=people["thuongtruc"], person=people["daumoi.gdnn"])
    assert data["account"]["full_name"] == "Phạm Thị Lan"
    assert data["roles"][0]["unit"] == "gdnn-gdtx-cat-hai"
    models = {r["model"] for r in data["records"]}
    assert "indicators.Submission" in models  # the report she sent
    assert any(r["id"] == her_report.pk and r["as"] for r in data["records"] if r["model"] == "indicators.Submission")
    assert "audit.AuditEntry" in models
    json.dumps(data)  # JSON-ready
    assert AuditEntry.objects.filter(action="person.export", target_id=str(people["daumoi.gdnn"].pk)).exists()


def test_who_may_export(people):
    person = people["daumoi.gdnn"]
    assert privacy.person_export(actor=person, person=person)  # one's own
    for other in ("daumoi.thcscatba", "lanhdao", "hocsinh"):
        with pytest.raises(ScopeError):
            privacy.person_export(actor=people[other], person=person)


def test_erase_deidentifies_and_keeps_the_work(people, client_for, her_report):
    person = people["daumoi.gdnn"]
    submissions = set(Submission.objects.filter(submitted_by=person).values_list("pk", flat=True))
    assert submissions
    key = token_create(user=person, name="phone")
    client = client_for("daumoi.gdnn")
    assert client.get("/").status_code == 200
    privacy.person_erase(actor=people["thuongtruc"], person=person, reason="Theo đơn đề nghị ngày 29/11/2026",
                         confirm="daumoi.gdnn")
    person.refresh_from_db()
    assert person.username == f"da-xoa-{person.pk}" and not person.is_active
    assert (person.full_name, person.email, person.phone) == ("", "", "") and not person.has_usable_password()
    assert not RoleAssignment.objects.filter(user=person, valid_to__isnull=True).exists()
    assert not ApiToken.objects.filter(user=person).exists() and token_authenticate(key) is None
    assert client.get("/").status_code == 302  # the session is gone
    assert set(Submission.objects.filter(submitted_by=person).values_list("pk", flat=True)) == submissions
    entry = AuditEntry.objects.get(action="person.erase", target_id=str(person.pk))
    assert "Phạm" not in json.dumps([entry.before, entry.after], ensure_ascii=False)  # no erased data in the log


@pytest.mark.parametrize("actor, kwargs, error", [
    ("thuongtruc", {"reason": "Theo đơn đề nghị", "confirm": "sai"}, "Gõ lại đúng tên đăng nhập"),
    ("thuongtruc", {"reason": "", "confirm": "daumoi.gdnn"}, "Ghi lý do"),
    ("daumoi.thcscatba", {"reason": "Theo đơn đề nghị", "confirm": "daumoi.gdnn"}, "không có quyền"),
    ("daumoi.gdnn", {"reason": "Theo đơn đề nghị", "confirm": "daumoi.gdnn"}, "không có quyền"),
])
def test_erase_refusals_change_nothing(people, actor, kwargs, error):
    with pytest.raises(DomainError, match=error):
        privacy.person_erase(actor=people[actor], person=people["daumoi.gdnn"], **kwargs)
    assert User.objects.get(pk=people["daumoi.gdnn"].pk).full_name == "Phạm Thị Lan"


def test_the_last_superuser_stays(people):
    for u in User.objects.filter(is_superuser=True).exclude(username="sysadmin"):
        u.is_superuser = False
        u.save()
    with pytest.raises(DomainError, match="quản trị hệ thống cuối cùng"):
        privacy.person_erase(actor=people["sysadmin"], person=people["sysadmin"], reason="Thử nghiệm xóa",
                             confirm="sysadmin")


def test_pages(client_for, people):
    me = client_for("daumoi.gdnn")
    page = me.get("/don-vi/nguoi/daumoi.gdnn/du-lieu-ca-nhan/").content.decode()
    assert "Tải dữ liệu (JSON)" in page and "Xóa dữ liệu cá nhân" not in page  # no self-erasure button
    download = me.get("/don-vi/nguoi/daumoi.gdnn/du-lieu-ca-nhan/?tai=json")
    assert download.status_code == 200 and download.json()["account"]["username"] == "daumoi.gdnn"
    # someone else's data: a focal point manages no one, so the page is not for them at all
    assert client_for("daumoi.thcscatba").get("/don-vi/nguoi/daumoi.gdnn/du-lieu-ca-nhan/").status_code == 403
    admin = client_for("thuongtruc")
    wrong = admin.post("/don-vi/nguoi/daumoi.gdnn/du-lieu-ca-nhan/", {"reason": "Theo đơn", "confirm": "x"})
    assert "Gõ lại đúng tên đăng nhập" in wrong.content.decode()
    done = admin.post("/don-vi/nguoi/daumoi.gdnn/du-lieu-ca-nhan/", {"reason": "Theo đơn đề nghị",
                                                                      "confirm": "daumoi.gdnn"})
    assert done.status_code == 302 and not User.objects.get(pk=people["daumoi.gdnn"].pk).is_active


def test_command(people, tmp_path, capsys):
    out = tmp_path / "lan.json"
    call_command("people", "export", "daumoi.gdnn", "--out", str(out))
    assert json.loads(out.read_text("utf-8"))["account"]["email"] == "daumoi.gdnn@cathai.example"
    call_command("people", "erase", "daumoi.gdnn", "--reason", "Theo đơn đề nghị ngày 29/11/2026")
    assert "da-xoa-" in capsys.readouterr().out
