"""Passwords, lockout, sessions, API tokens."""

import pytest
from django.conf import settings
from django.contrib.auth.hashers import identify_hasher, make_password

from cyberyouth.orgs.models import ApiToken
from cyberyouth.orgs.services import token_authenticate, token_create

pytestmark = pytest.mark.django_db


def test_argon2_is_the_production_hasher():
    from cyberyouth.config import settings as production

    assert production.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=production.PASSWORD_HASHERS):
        assert identify_hasher(make_password("một mật khẩu dài")).algorithm == "argon2"


def test_sessions_expire():
    assert settings.SESSION_COOKIE_AGE <= 8 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_lockout_after_repeated_failures(client, people):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        r = client.post("/dang-nhap/", {"username": "daumoi.thcscatba", "password": "sai-mat-khau"})
    assert r.status_code == 429
    assert "tạm khoá" in r.content.decode()
    # Even the right password is refused while locked.
    r = client.post("/dang-nhap/", {"username": "daumoi.thcscatba", "password": "CatHai@2025"})
    assert r.status_code == 429


def test_wrong_password_message_is_vietnamese(client, people):
    r = client.post("/dang-nhap/", {"username": "thuongtruc", "password": "sai"})
    assert r.status_code == 200
    assert "không đúng" in r.content.decode()


def test_login_with_the_demo_password(client, people):
    r = client.post("/dang-nhap/", {"username": "thuongtruc", "password": "CatHai@2025"})
    assert r.status_code == 302 and r["Location"] == "/"


def test_tokens_are_stored_hashed_and_expire(people):
    user = people["doan"]
    key = token_create(user=user, name="t", days=1)
    token = ApiToken.objects.get(user=user, name="t")
    assert key not in token.key_hash and token.key_hash == ApiToken.hash_key(key)
    assert token_authenticate(key) == user
    assert token_authenticate(key + "x") is None
    token.revoked = True
    token.save()
    assert token_authenticate(key) is None
