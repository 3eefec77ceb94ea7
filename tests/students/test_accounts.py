"""Consent letters and the parent's online consent, student accounts only with consent, one-time
login codes, the child-fit password rules, the student's home and the Code of Conduct."""

import io
import re
from datetime import date

import pytest
from django.test import Client
from docx import Document

from cyberyouth.errors import DomainError, NotFound, ScopeError
from cyberyouth.students import services
from cyberyouth.students.models import ConductAcknowledgement, Consent

from .conftest import scan

pytestmark = pytest.mark.django_db


def _login(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_class_letters_carry_each_familys_code_and_online_consent_uses_it(world):
    teacher = _login(world["t6a"])
    r = teacher.post(f"/hoc-sinh/lop/{world['c6a'].id}/thu-dong-y/")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    text = "\n".join(p.text for p in Document(io.BytesIO(r.content)).paragraphs)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in "\n".join(
        c.text for t in Document(io.BytesIO(r.content)).tables for row in t.rows for c in row.cells)
    assert "Nguyễn Văn An" in text and "Đỗ Văn Hải" not in text
    codes = re.findall(r"nhập mã ([A-Z0-9]{5}-[A-Z0-9]{5})", text)
    assert len(codes) == 6
    assert teacher.post(f"/hoc-sinh/lop/{world['c6b'].id}/thu-dong-y/").status_code == 404
    # a parent answers online with the first family's code (the first letter is An's: Vietnamese order)
    parent = Client()
    page = parent.post("/hoc-sinh/dong-y/", {"code": codes[0].lower(), "guardian_name": "Nguyễn Văn Bố",
                                             "purposes": ["account", "photos"], "student_agreed": "on"})
    assert "Cảm ơn gia đình" in page.content.decode()
    an = world["a"][0]
    assert set(Consent.objects.filter(student=an, withdrawn_at__isnull=True).values_list("purpose", flat=True)) == {
        "account", "photos"}
    again = parent.post("/hoc-sinh/dong-y/", {"code": codes[0], "guardian_name": "X", "purposes": ["public_name"],
                                              "student_agreed": "on"}).content.decode()
    assert "đã được dùng" in again
    wrong = parent.post("/hoc-sinh/dong-y/", {"code": "AAAAA-AAAAA", "guardian_name": "X",
                                              "purposes": ["account"], "student_agreed": "on"})
    assert wrong.status_code == 200 and "Mã không đúng" in wrong.content.decode()
    # without the child's own agreement (aged 7+) nothing is stored
    r = parent.post("/hoc-sinh/dong-y/", {"code": codes[1], "guardian_name": "Mẹ", "purposes": ["account"]})
    assert "7 tuổi" in r.content.decode() and not Consent.objects.filter(student=world["a"][1]).exists()


def test_accounts_only_with_consent_and_first_login_sets_a_child_fit_password(world):
    an, binh = world["a"][0], world["a"][1]
    services.consent_record_paper(actor=world["t6a"], student=an, purpose="account", guardian_name="Bố An",
                                  student_agreed=True, signed_on=date.today(), scan=scan())
    issued = services.login_codes_issue(actor=world["t6a"], school_class=world["c6a"])
    assert [s for s, _, _ in issued] == [an]
    binh.refresh_from_db()
    assert binh.user_id is None  # silence is not consent: no account
    _, username, code = issued[0]
    with pytest.raises(NotFound):
        services.login_code_student(username=username, code="WRONG-CODE")
    for bad, words in (("1234567", "8 ký tự"), ("12345678901", "chữ số"), ("password123", "phổ biến"),
                       (f"{username}xx", "tên đăng nhập")):
        with pytest.raises(DomainError) as exc:
            services.first_login(username=username, code=code, password=bad, password_again=bad)
        assert words in exc.value.message
    phone = Client()
    r = phone.post("/hoc-sinh/ma/", {"username": username, "code": code, "password": "meo-an-ca-kho",
                                     "password_again": "meo-an-ca-kho"})
    assert r.status_code == 302 and r["Location"] == "/hoc-sinh/cua-em/"
    home = phone.get("/").url
    assert home == "/hoc-sinh/cua-em/"
    page = phone.get(home).content.decode()
    assert "Cần giúp đỡ?" in page and "tel:111" in page and "Báo nội dung xấu" in page
    assert "Quy tắc ứng xử" in page and "Mã API" not in page and "/ke-hoach/" not in page
    # the code is spent
    with pytest.raises(NotFound):
        services.login_code_student(username=username, code=code)
    # the staff layout shows no staff menu to a student either
    staff_page = phone.get("/ke-hoach/").content.decode()
    assert "Mã API" not in staff_page and 'href="/chi-tieu/"' not in staff_page
    # the Code of Conduct
    assert phone.get("/hoc-sinh/cua-em/quy-tac-ung-xu/").status_code == 200
    assert phone.post("/hoc-sinh/cua-em/quy-tac-ung-xu/").status_code == 302
    assert ConductAcknowledgement.objects.get(student=an).source == "app"


def test_login_cards_pdf_and_scope(world):
    teacher = _login(world["t6a"])
    r = teacher.post(f"/hoc-sinh/lop/{world['c6a'].id}/ma-dang-nhap/")
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    assert teacher.post(f"/hoc-sinh/lop/{world['c6b'].id}/ma-dang-nhap/").status_code == 404


def test_login_page_offers_help(client):
    page = client.get("/dang-nhap/").content.decode()
    assert "Cần giúp đỡ?" in page and "tel:111" in page and "/hoc-sinh/ma/" in page


def test_only_a_student_acknowledges_in_the_app(world):
    with pytest.raises(ScopeError):
        services.conduct_acknowledge(actor=world["t6a"])


def test_the_home_tiles_draw_with_the_fonts_every_computer_has(client_for):
    """A tile's icon is a symbol of the basic plane (DejaVu, Liberation, Segoe UI Symbol have them):
    emoji need a colour-emoji font that school computers and this server often lack, and showed
    as empty boxes."""
    from cyberyouth.contests.demo import STUDENT_ACCOUNT

    response = client_for(STUDENT_ACCOUNT).get("/", follow=True)
    page = response.content.decode()
    assert response.status_code == 200, response.status_code
    icons = re.findall(r'<span class="icon" aria-hidden="true">([^<]*)</span>', page)
    assert len(icons) >= 6
    assert all(icon and all(ord(ch) <= 0xFFFF for ch in icon) for icon in icons), icons


def test_a_units_page_never_gives_a_student_account(people, units, client_for):
    """A student's account exists only for a student on a class list whose family agreed: the unit's
    people form does not offer the role, and the service refuses it with the way to do it instead."""
    from cyberyouth.orgs import services as org_services
    from cyberyouth.orgs.forms import PersonRoleForm
    from cyberyouth.orgs.models import Role, RoleAssignment, User

    assert Role.STUDENT not in dict(PersonRoleForm().fields["role"].choices)
    with pytest.raises(DomainError) as exc:
        org_services.person_grant(actor=people["thuongtruc"], unit=units["thcs-cat-ba"], username="hs.moi",
                                  role=Role.STUDENT, full_name="Nguyễn Thị Mới")
    assert "mã đăng nhập" in exc.value.message and exc.value.field == "role"
    assert not User.objects.filter(username="hs.moi").exists()  # nothing half-written: no account either
    page = client_for("thuongtruc").post("/don-vi/thcs-cat-ba/nguoi-dung/", {
        "username": "hs.moi", "full_name": "Nguyễn Thị Mới", "role": Role.STUDENT})
    # The form says where a student's account comes from, not Django's "not one of the choices".
    assert page.status_code == 200 and "In mã đăng nhập lần đầu" in page.content.decode()
    assert "lựa chọn" not in page.content.decode()
    assert not RoleAssignment.objects.filter(role=Role.STUDENT, user__username="hs.moi").exists()


def test_the_student_role_with_no_class_list_gets_a_student_home_that_says_what_to_ask(client_for, people,
                                                                                        units):
    """`hocsinh` holds the role from before schools kept their lists here: its home is a student's,
    says who can open the rest, and keeps help within reach; staff still get their own home."""
    from cyberyouth.orgs.models import Role, RoleAssignment

    student = client_for("hocsinh")
    r = student.get("/")
    assert r.status_code == 302 and r["Location"] == "/hoc-sinh/cua-em/"
    page = student.get("/hoc-sinh/cua-em/").content.decode()
    assert "chưa gắn với danh sách lớp" in page and "Trường THCS Cát Bà" in page
    assert "Cần giúp đỡ?" in page and "tel:111" in page and "Báo nội dung xấu" in page
    assert "Kế hoạch" not in page and "Mã API" not in page
    staff = client_for("daumoi.thcscatba")
    assert staff.get("/").status_code == 200
    denied = staff.get("/hoc-sinh/cua-em/")
    assert denied.status_code == 403 and "dành cho học sinh" in denied.content.decode()
    # a person who also holds a staff role keeps the staff home
    RoleAssignment.objects.create(user=people["hocsinh"], role=Role.LEADER, unit=units["thcs-cat-ba"])
    assert client_for("hocsinh").get("/").status_code == 200


def test_a_homeroom_teachers_home_shows_their_classes_not_an_empty_plan_card(world, client_for):
    """The teacher's daily work is the class: the home card names it with the class list's figures
    and leads to it; the plans card, of nothing a teacher reads, is not shown. A focal point keeps
    the plans card and gets no class card."""
    page = _login(world["t6a"]).get("/").content.decode()
    card = page[page.index('id="lop-chu-nhiem"'):]
    assert f'href="/hoc-sinh/lop/{world["c6a"].id}/"' in card and "Lớp T6A" in card and "Sĩ số 6" in card
    assert "T6B" not in card  # another teacher's class of the same school
    assert "<h2>Kế hoạch</h2>" not in page
    focal = client_for("daumoi.thcscatba").get("/").content.decode()
    assert "<h2>Kế hoạch</h2>" in focal and 'id="lop-chu-nhiem"' not in focal
