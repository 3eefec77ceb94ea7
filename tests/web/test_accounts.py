"""Accounts: change password, reset by e-mail, forced change of a temporary password, other
sessions ended on a change — Django's own views, our Vietnamese templates, audited."""

import re

import pytest
from django.core import mail
from django.test import Client

from cyberyouth.audit.models import AuditEntry
from cyberyouth.orgs import services
from cyberyouth.orgs.demo import DEMO_PASSWORD
from cyberyouth.orgs.models import User

pytestmark = pytest.mark.django_db
NEW = "Cat-Hai-Xanh-2026!"


@pytest.fixture(autouse=True)
def _locmem_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.AXES_ENABLED = False


def _signed_in(username: str, password: str = DEMO_PASSWORD) -> Client:
    c = Client()
    assert c.post("/dang-nhap/", {"username": username, "password": password}).status_code == 302
    return c


def test_change_password_ends_the_other_sessions_and_is_audited():
    here, elsewhere = _signed_in("daumoi.gdnn"), _signed_in("daumoi.gdnn")
    page = here.get("/tai-khoan/doi-mat-khau/").content.decode()
    assert "Đổi mật khẩu" in page and "Mật khẩu cũ" in page
    wrong = here.post("/tai-khoan/doi-mat-khau/", {"old_password": "sai", "new_password1": NEW, "new_password2": NEW})
    assert wrong.status_code == 200 and "has-error" in wrong.content.decode()
    weak = here.post("/tai-khoan/doi-mat-khau/", {"old_password": DEMO_PASSWORD, "new_password1": "12345678",
                                                   "new_password2": "12345678"})
    assert weak.status_code == 200 and "has-error" in weak.content.decode()
    done = here.post("/tai-khoan/doi-mat-khau/", {"old_password": DEMO_PASSWORD, "new_password1": NEW,
                                                   "new_password2": NEW}, follow=True)
    assert "Đã đổi mật khẩu" in done.content.decode()
    assert here.get("/").status_code == 200  # this session goes on
    assert elsewhere.get("/").status_code == 302  # the other one ended: back to the login page
    user = User.objects.get(username="daumoi.gdnn")
    assert user.check_password(NEW)
    entry = AuditEntry.objects.get(action="account.password_change", target_id=str(user.pk))
    assert entry.after == {"temporary_replaced": False}  # never the password


def test_a_new_account_must_change_its_temporary_password_first(people, units):
    _, temporary = services.person_grant(actor=people["thuongtruc"], unit=units["thcs-cat-ba"],
                                         username="gv.moi", role="focal_point", full_name="Giáo viên Mới")
    assert temporary and User.objects.get(username="gv.moi").must_change_password
    c = _signed_in("gv.moi", temporary)
    for path in ("/", "/ke-hoach/", "/chi-tieu/"):
        r = c.get(path)
        assert r.status_code == 302 and r["Location"] == "/tai-khoan/doi-mat-khau/", path
    page = c.get("/tai-khoan/doi-mat-khau/").content.decode()
    assert "mật khẩu tạm" in page
    c.post("/tai-khoan/doi-mat-khau/", {"old_password": temporary, "new_password1": NEW, "new_password2": NEW})
    assert not User.objects.get(username="gv.moi").must_change_password
    assert c.get("/").status_code == 200
    entry = AuditEntry.objects.get(action="account.password_change", actor__username="gv.moi")
    assert entry.after == {"temporary_replaced": True}


def test_reset_by_email_with_our_words_then_the_link_works_once():
    user = User.objects.get(username="daumoi.gdnn")
    old_session = _signed_in("daumoi.gdnn")
    anonymous = Client()
    assert "Quên mật khẩu?" in anonymous.get("/dang-nhap/").content.decode()
    page = anonymous.get("/quen-mat-khau/").content.decode()
    assert "thư điện tử" in page
    r = anonymous.post("/quen-mat-khau/", {"email": user.email})
    assert r.status_code == 302 and r["Location"] == "/quen-mat-khau/da-gui/"
    (message,) = mail.outbox
    assert message.to == [user.email] and "Đặt lại mật khẩu" in message.subject
    assert "Kính gửi" in message.body and "Chương trình 311" in message.body
    link = re.search(r"https?://[^/]+(/dat-lai-mat-khau/\S+/)", message.body).group(1)
    form = anonymous.get(link, follow=True)
    assert "Đặt mật khẩu mới" in form.content.decode()
    set_url = form.redirect_chain[-1][0]
    done = anonymous.post(set_url, {"new_password1": NEW, "new_password2": NEW})
    assert done.status_code == 302 and done["Location"] == "/dat-lai-mat-khau/xong/"
    user.refresh_from_db()
    assert user.check_password(NEW)
    assert AuditEntry.objects.filter(action="account.password_reset", target_id=str(user.pk)).exists()
    assert old_session.get("/").status_code == 302  # sessions opened with the old password ended
    again = Client().get(link, follow=True).content.decode()
    assert "không còn dùng được" in again


def test_an_unknown_address_says_the_same_and_sends_nothing():
    r = Client().post("/quen-mat-khau/", {"email": "khong-co@example.vn"})
    assert r.status_code == 302 and r["Location"] == "/quen-mat-khau/da-gui/"
    assert mail.outbox == []


def test_nobody_sets_another_persons_password(people):
    from cyberyouth.errors import ScopeError

    with pytest.raises(ScopeError):
        services.password_set(actor=people["thuongtruc"], user=people["daumoi.gdnn"], password=NEW, how="change")
