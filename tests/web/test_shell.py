"""The shell: home per role, menu by capability, language switch, CLI, demo idempotence."""

import io

import pytest
from django.core.management import call_command

from cyberyouth.cli import main as cli_main
from cyberyouth.orgs.models import ApiToken, Unit, UnitVersion
from cyberyouth.plans.models import Progress

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("username", ["thuongtruc", "daumoi.thcscatba", "doan", "kiemduyet", "tuvan", "lanhdao",
                                      "hocsinh"])
def test_every_role_has_a_home(client_for, username):
    r = client_for(username).get("/", follow=True)
    assert r.status_code == 200
    # a student (here the role with no class list behind it) is greeted on the student's home
    assert ("Chào Học sinh Cát Bà 01!" if username == "hocsinh" else "Xin chào") in r.content.decode()


def test_menu_follows_capabilities(client_for):
    admin = client_for("thuongtruc").get("/").content.decode()
    leader = client_for("lanhdao").get("/").content.decode()
    focal = client_for("daumoi.thcscatba").get("/").content.decode()
    # Leaders read the audit log of their scope; a school's focal point does not.
    assert 'href="/nhat-ky/"' in admin and 'href="/nhat-ky/"' in leader and 'href="/nhat-ky/"' not in focal
    assert 'href="/ke-hoach/nhiem-vu-cua-toi/"' not in leader


def test_focal_point_home_lists_its_own_tasks_only(client_for):
    page = client_for("daumoi.thcscatba").get("/").content.decode()
    assert "Trường THCS Cát Bà" in page and "Trường THCS Cát Hải" not in page


def test_english_is_available(client_for):
    c = client_for("thuongtruc")
    c.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = c.get("/").content.decode()
    assert ">Units<" in page and ">Log out" in page


def test_token_command_prints_a_working_token(people, client):
    out = io.StringIO()
    call_command("token", "create", "doan", stdout=out)
    token = out.getvalue().strip()
    assert token.startswith("cy_") and ApiToken.objects.filter(user__username="doan").exists()
    assert client.get("/api/units/", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_demo_is_idempotent_and_keeps_user_data(people):
    progress = Progress.objects.first()
    progress.summary = "Người dùng đã sửa"
    progress.save()
    counts = (Unit.objects.count(), UnitVersion.objects.count(), Progress.objects.count())
    call_command("demo", stdout=io.StringIO())
    assert (Unit.objects.count(), UnitVersion.objects.count(), Progress.objects.count()) == counts
    progress.refresh_from_db()
    assert progress.summary == "Người dùng đã sửa"


def test_cli_help_and_unknown_benchmark(capsys):
    assert cli_main(["help"]) == 0
    assert "serve" in capsys.readouterr().out
    assert cli_main(["bench", "nonexistent"]) == 2


def test_vietnamese_by_default_whatever_the_browser_says(client_for):
    page = client_for("thuongtruc").get("/", headers={"Accept-Language": "en-US,en;q=0.9"}).content.decode()
    assert ">Đơn vị<" in page and 'lang="vi"' in page


def test_home_cards_from_the_apps(client_for):
    focal = client_for("daumoi.gdnn").get("/").content.decode()
    assert "Báo cáo số liệu năm" in focal and "Hàng đợi kiểm duyệt" not in focal
    moderator = client_for("kiemduyet").get("/").content.decode()
    assert "Hàng đợi kiểm duyệt" in moderator and "nội dung chờ xem xét" in moderator
    admin = client_for("thuongtruc").get("/").content.decode()
    assert "báo cáo chờ duyệt" in admin or "đơn vị chưa gửi báo cáo" in admin


def test_a_reader_who_sees_no_plan_still_has_a_home(client):
    """A leader of a school outside the zone reads the audit log but no plan: the home page
    leaves out the matrix link instead of failing."""
    from datetime import date

    from cyberyouth.orgs.models import Role, RoleAssignment, User
    from cyberyouth.plans import selectors as plan_selectors

    leader = User.objects.create(username="lanhdao.thptcatba", full_name="Lãnh đạo THPT Cát Bà")
    RoleAssignment.objects.create(user=leader, role=Role.LEADER, unit=Unit.objects.get(code="thpt-cat-ba"),
                                  valid_from=date(2025, 1, 1))
    assert not list(plan_selectors.plans_visible(actor=leader))
    client.force_login(leader)
    page = client.get("/")
    assert page.status_code == 200 and "Ma trận nhiệm vụ" not in page.content.decode()
