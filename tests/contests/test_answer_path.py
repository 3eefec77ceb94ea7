"""The attempt page's answers without the page stack (`contests.answer_path`): a signed token for
the attempt, bound to the session its page was opened in and alive only as long as it, stands in
for the session stack; the same service saves the answer and refuses what it refuses; whatever the
path does not read goes on to Django with its body intact."""

import io
import json
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cyberyouth.contests import answer_path, services
from cyberyouth.contests.models import Answer

pytestmark = pytest.mark.django_db


SESSION = "s" * 32  # the session the attempt page was opened in


def _post(app, path: str, fields, *, token: str | None, content_type="application/x-www-form-urlencoded",
          session: str | None = SESSION):
    body = urlencode(fields, doseq=True).encode() if not isinstance(fields, bytes) else fields
    environ = RequestFactory()._base_environ(PATH_INFO=path, REQUEST_METHOD="POST", CONTENT_TYPE=content_type,
                                             CONTENT_LENGTH=str(len(body)), **{"wsgi.input": io.BytesIO(body)})
    if token is not None:
        environ["HTTP_X_ATTEMPT_TOKEN"] = token
    if session is not None:
        environ["HTTP_COOKIE"] = f"csrftoken=abc; sessionid={session}"
    seen = {}

    def start_response(status, headers):
        seen["status"], seen["headers"] = status, dict(headers)

    # As Django's test client does: the test's transaction keeps its connection through the
    # request signals (which close a connection that is not in autocommit).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        chunks = app(environ, start_response)
        out = b"".join(chunks)
        if hasattr(chunks, "close"):
            chunks.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return int(seen["status"].split()[0]), seen["headers"], out


def _recorder():
    """An inner application that records what reached it (what Django would have been given)."""
    got = []

    def inner(environ, start_response):
        length = int(environ.get("CONTENT_LENGTH") or 0)
        got.append(environ["wsgi.input"].read(length))
        start_response("299 Passed", [])
        return [b""]

    return got, inner


@pytest.fixture
def started(cworld):
    s = cworld["students"][0]
    Session.objects.create(session_key=SESSION, session_data=SessionStore().encode({"_auth_user_id": str(s.user.pk)}),
                           expire_date=timezone.now() + timedelta(hours=1))
    attempt = services.attempt_start(actor=s.user, rnd=cworld["round"])
    return s, attempt, f"/thi/cua-em/bai/{attempt.id}/tra-loi/", answer_path.token_for(attempt, SESSION)


def test_an_answer_with_the_token_is_saved_without_the_page_stack(started):
    s, attempt, path, token = started
    got, inner = _recorder()
    app = answer_path.with_answer_path(inner)
    with CaptureQueriesContext(connection) as queries:
        status, headers, body = _post(app, path, {"slot": 0, "choice": 1, "csrfmiddlewaretoken": "x"}, token=token)
    assert status == 200 and not got  # Django never saw it
    assert json.loads(body) == {"slot": 0, "choice": [1], "changed": True}
    assert headers["Cache-Control"] == "no-store"
    assert Answer.objects.get(attempt=attempt, slot=0).choice == 2
    if connection.vendor == "postgresql":  # the happy path is one statement: read, check, write
        assert len(queries) == 1
    # the same answer again changes nothing; a new one replaces it
    assert json.loads(_post(app, path, {"slot": 0, "choice": 1}, token=token)[2])["changed"] is False
    assert json.loads(_post(app, path, {"slot": 0, "choice": 0}, token=token)[2])["changed"] is True
    assert Answer.objects.get(attempt=attempt, slot=0).choice == 1


def test_refusals_are_the_services_structured_errors(started, monkeypatch):
    s, attempt, path, token = started
    app = answer_path.with_answer_path(_recorder()[1])
    status, _, body = _post(app, path, {"slot": 99, "choice": 0}, token=token)
    assert status == 400 and json.loads(body)["detail"][0]["code"] == services.NOT_IN_ATTEMPT
    single = next(i for i, e in enumerate(attempt.layout) if not e["m"])
    status, _, body = _post(app, path, {"slot": single, "choice": [0, 1]}, token=token)
    assert status == 400 and "một phương án" in json.loads(body)["detail"][0]["message"]
    status, _, body = _post(app, path, {"slot": 0, "choice": 9}, token=token)
    assert status == 400 and json.loads(body)["detail"][0]["field"] == "choice"
    real = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real() + timedelta(minutes=11))
    status, _, body = _post(app, path, {"slot": 0, "choice": 0}, token=token)
    assert status == 400 and json.loads(body)["detail"][0]["code"] == services.DEADLINE_PASSED
    assert not Answer.objects.filter(attempt=attempt).exists()


def test_a_handed_in_attempt_takes_no_more_answers(started):
    s, attempt, path, token = started
    services.attempt_submit(actor=s.user, attempt_id=attempt.id, prediction=3)
    status, _, body = _post(answer_path.with_answer_path(_recorder()[1]), path, {"slot": 0, "choice": 0},
                            token=token)
    assert status == 400 and json.loads(body)["detail"][0]["code"] == services.ATTEMPT_CLOSED


def test_what_the_path_does_not_read_goes_to_django_with_its_body(started, cworld):
    s, attempt, path, token = started
    got, inner = _recorder()
    app = answer_path.with_answer_path(inner)
    other = services.attempt_start(actor=cworld["students"][1].user, rnd=cworld["round"])
    cases = [
        ({"slot": 0, "choice": 0}, None),  # no token: the session's way
        ({"slot": 0, "choice": 0}, token[:-2] + "xx"),  # tampered
        ({"slot": 0, "choice": 0}, answer_path.token_for(other, SESSION)),  # another attempt's token
        ({"slot": "một", "choice": 0}, token),  # not numbers: the view says what is wrong
        ({"slot": 0}, token),  # no choice
    ]
    for fields, tok in cases:
        status, _, _ = _post(app, path, fields, token=tok)
        assert status == 299
        assert got[-1] == urlencode(fields).encode()
    for session in (None, "t" * 32):  # the page's token without its session: logged out, another browser
        status, _, _ = _post(app, path, {"slot": 0, "choice": 0}, token=token, session=session)
        assert status == 299
    status, _, _ = _post(app, path, b"--x\r\n", token=token, content_type="multipart/form-data; boundary=x")
    assert status == 299 and got[-1] == b"--x\r\n"
    assert not Answer.objects.filter(attempt=attempt).exists()


@pytest.mark.parametrize("end", ["logout", "expiry"])
def test_a_token_dies_with_its_session_even_with_a_copied_cookie(started, end):
    """After the logout the page's token and a cookie copied before it save nothing: the answer
    goes on to Django, which treats it as any request of an ended session."""
    s, attempt, path, token = started
    got, inner = _recorder()
    app = answer_path.with_answer_path(inner)
    assert _post(app, path, {"slot": 0, "choice": 1}, token=token)[0] == 200
    if end == "logout":
        Session.objects.filter(session_key=SESSION).delete()
    else:
        Session.objects.filter(session_key=SESSION).update(expire_date=timezone.now() - timedelta(seconds=1))
    for choice in (0, 1):  # a new answer (the one-statement path) and the same again (the careful one)
        status, _, _ = _post(app, path, {"slot": 0, "choice": choice}, token=token)
        assert status == 299 and got[-1] == urlencode({"slot": 0, "choice": choice}).encode()
    assert Answer.objects.get(attempt=attempt, slot=0).choice == 2  # the answer of the living session


def test_a_forged_token_falls_to_django_which_refuses_it(started, client):
    """End to end with Django behind: what the path does not take meets the page stack's checks."""
    s, attempt, path, token = started
    app = answer_path.with_answer_path(WSGIHandler())
    status, headers, _ = _post(app, path, {"slot": 0, "choice": 0}, token="1.1:forged")
    assert status == 403  # no CSRF cookie, no session: the page stack refuses it
    assert not Answer.objects.filter(attempt=attempt).exists()


def test_the_attempt_page_carries_its_token(started, client):
    s, attempt, path, token = started
    client.force_login(s.user)
    page = client.get(f"/thi/cua-em/bai/{attempt.id}/").content.decode()
    assert f'data-answer-token="{answer_path.token_for(attempt, client.session.session_key)}"' in page
    assert f'data-answer-token="{token}"' not in page  # bound to this session, not to another
