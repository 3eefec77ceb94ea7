"""Login throttle per address (by the proxy rule) and per user name, refused before any hashing;
people list and revoke their own API tokens; Content-Security-Policy without inline script;
Secure cookies whenever the request came over HTTPS."""

import re

import pytest
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.test import Client

from cyberyouth.orgs.models import ApiToken
from cyberyouth.orgs.services import token_create

pytestmark = pytest.mark.django_db


def _fail(username, **meta):
    return Client().post("/dang-nhap/", {"username": username, "password": "sai-mat-khau"}, **meta)


@pytest.fixture
def hashing(monkeypatch):
    """Counts the calls that would hash a password (ModelBackend.authenticate)."""
    calls = []
    original = ModelBackend.authenticate

    def counting(self, request, username=None, password=None, **kwargs):
        calls.append(username)
        return original(self, request, username=username, password=password, **kwargs)

    monkeypatch.setattr(ModelBackend, "authenticate", counting)
    return calls


def test_a_spray_from_one_address_is_throttled_before_hashing(people, hashing):
    for n in range(settings.AXES_FAILURE_LIMIT):
        _fail(f"khong-co-{n}", REMOTE_ADDR="203.0.113.50")
    hashed = len(hashing)
    r = _fail("ten-moi", REMOTE_ADDR="203.0.113.50")
    assert r.status_code == 429 and "tạm khoá" in r.content.decode()
    assert len(hashing) == hashed  # refused without hashing anything
    # Another address is not affected.
    assert _fail("ten-moi", REMOTE_ADDR="198.51.100.50").status_code == 200


def test_guessing_one_account_from_many_addresses_is_throttled(people, hashing):
    for n in range(settings.AXES_FAILURE_LIMIT):
        _fail("daumoi.gdnn", REMOTE_ADDR=f"198.51.100.{60 + n}")
    hashed = len(hashing)
    r = Client().post("/dang-nhap/", {"username": "daumoi.gdnn", "password": "CatHai@2025"},
                      REMOTE_ADDR="192.0.2.200")
    assert r.status_code == 429 and len(hashing) == hashed


def test_spoofed_forwarded_for_does_not_escape_the_throttle(people, settings):
    settings.TRUSTED_PROXIES = 1
    for n in range(settings.AXES_FAILURE_LIMIT):
        _fail(f"x{n}", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=f"7.7.7.{n}, 203.0.113.77")
    r = _fail("y", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="8.8.8.8, 203.0.113.77")
    assert r.status_code == 429
    # Other people behind the same proxy are not locked out.
    assert _fail("y", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.78").status_code == 200


def test_people_list_and_revoke_their_own_tokens(people, client_for):
    mine = token_create(user=people["doan"], name="máy chủ báo cáo")
    theirs = token_create(user=people["thuongtruc"], name="của người khác")
    c = client_for("doan")
    page = c.get("/tai-khoan/ma-api/").content.decode()
    assert "máy chủ báo cáo" in page and "của người khác" not in page
    own = ApiToken.objects.get(user=people["doan"], name="máy chủ báo cáo")
    other = ApiToken.objects.get(user=people["thuongtruc"], name="của người khác")
    assert c.post("/tai-khoan/ma-api/", {"revoke": other.pk}).status_code == 404
    other.refresh_from_db()
    assert not other.revoked
    r = c.post("/tai-khoan/ma-api/", {"revoke": own.pk}, follow=True)
    assert "Đã thu hồi" in r.content.decode()
    own.refresh_from_db()
    assert own.revoked
    assert Client(headers={"Authorization": f"Bearer {mine}"}).get("/api/units/").status_code == 401
    assert Client(headers={"Authorization": f"Bearer {theirs}"}).get("/api/units/").status_code == 200
    from cyberyouth.audit.models import AuditEntry

    assert AuditEntry.objects.filter(action="token.revoke").exists()


@pytest.mark.parametrize("username,url", [
    (None, "/dang-nhap/"), (None, "/giam-sat/to-giac/"), ("thuongtruc", "/"), ("kiemduyet", "/giam-sat/"),
    ("thuongtruc", "/chi-tieu/"), ("thuongtruc", "/don-vi/"), ("daumoi.thcscatba", "/ke-hoach/nhiem-vu-cua-toi/"),
])
def test_csp_without_inline_script(client_for, username, url):
    c = client_for(username) if username else Client()
    r = c.get(url)
    policy = r["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]*)", policy).group(1)
    assert "'self'" in script_src and "unsafe-inline" not in script_src and "unsafe-eval" not in script_src
    assert "frame-ancestors 'none'" in policy
    page = r.content.decode()
    inline = [s for s in re.findall(r"<script\b([^>]*)>", page) if "src=" not in s and "application/json" not in s]
    assert inline == [], "inline <script> would be blocked by the policy"
    assert not re.search(r"\son[a-z]+=\"", page), "inline event handlers would be blocked by the policy"


def test_cookies_are_secure_over_https(people):
    c = Client()
    r = c.get("/dang-nhap/", secure=True)
    assert r.cookies["csrftoken"]["secure"] is True
    r = c.post("/dang-nhap/", {"username": "thuongtruc", "password": "CatHai@2025",
                               "csrfmiddlewaretoken": r.cookies["csrftoken"].value}, secure=True)
    assert r.status_code == 302 and r.cookies["sessionid"]["secure"] is True and r.cookies["sessionid"]["httponly"]
    plain = Client().get("/dang-nhap/")
    assert not plain.cookies["csrftoken"]["secure"]  # development over http still works


def test_no_template_carries_inline_script_or_emoji():
    """Every page, not only the ones above: an inline handler is silently dead under the policy
    (the helpline queue's status filter and the login cards' print button once were)."""
    from pathlib import Path

    import cyberyouth

    found = []
    for path in Path(cyberyouth.__file__).parent.rglob("templates/**/*.html"):
        text = path.read_text(encoding="utf-8")
        found += [f"{path.name}: {m.group(0)}" for m in re.finditer(r"\son[a-z]+=[\"']", text)]
        found += [f"{path.name}: <script{s}>" for s in re.findall(r"<script\b([^>]*)>", text)
                  if "src=" not in s and "application/json" not in s]
        # and no emoji: they need a colour-emoji font many school computers lack (empty boxes)
        found += [f"{path.name}: {ch}" for ch in set(text) if ord(ch) > 0xFFFF]
    assert found == []
