"""The attempt page's answers without Django's page stack — the busiest request of a mass start.

Three thousand students starting a round within a minute send about 500 answers a second. Through
the page stack each cost ≈ 6 ms of CPU before the answer was written (session, user, roles,
sixteen middlewares, the URL resolver, the view); two cores could not carry it. The attempt page
therefore carries a signed token for its own attempt (`token_for`: attempt and user, signed with
the site's key) and its script sends each answer with it in the `X-Attempt-Token` header. A
request that has it is answered here: check the signature, read two numbers, call the same service
(`services.answer_save`, one statement on PostgreSQL), answer JSON exactly as the view does.

Whatever this path does not read — no token or a bad one, another body, another method — goes on
to Django unchanged (the body handed back), so nothing is refused here that the view would take.
The token proves the request comes from the page its owner opened; a custom header cannot be sent
cross-site without a CORS preflight, which the site never grants, so it also stands in for the
CSRF token. It is bound to the session the page was opened in (a keyed digest of the session
key, never the key itself: the cookie is HttpOnly): without that session's cookie it is worth
nothing, so a page left in a shared computer's cache is dead once its owner logs out (the cookie
goes) or changes the password (the key is cycled). And the session must still live: the service
checks it in the same statement that saves the answer (no round trip added), so a cookie copied
before the logout is dead with it too — such an answer goes on to Django, which treats it as it
treats any request of an ended session. It is useful only until the attempt's deadline or
hand-in (the service checks both and the owner). A request whose token does not match goes on
to Django, where the session and the form's CSRF field decide.
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass
from http import HTTPStatus
from urllib.parse import parse_qsl

from django.conf import settings
from django.core import signals, signing
from django.http.cookie import parse_cookie
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac

from cyberyouth.errors import DomainError

_SALT = "cyberyouth.contests.answer"
_HEADER = "HTTP_X_ATTEMPT_TOKEN"
_MAX_BODY = 512


@dataclass(frozen=True)
class TokenHolder:
    """The actor of an answer that came with a token: the attempt's owner, by id, and the session
    the page was opened in (whose end ends the token)."""

    pk: int
    session_key: str


def _session_digest(session_key: str) -> str:
    return salted_hmac(_SALT + ".session", session_key).hexdigest()[:24]


def token_for(attempt, session_key: str) -> str:
    """The token of `attempt`'s page, opened in the session `session_key`."""
    return signing.Signer(salt=_SALT).sign(f"{attempt.id}.{attempt.user_id}.{_session_digest(session_key)}")


def _holder(token: str, attempt_id: int, cookies: str) -> TokenHolder | None:
    try:
        value = signing.Signer(salt=_SALT).unsign(token)
    except signing.BadSignature:
        return None
    signed_attempt, user, digest = (value.split(".") + ["", ""])[:3]
    session_key = parse_cookie(cookies).get(settings.SESSION_COOKIE_NAME, "") if cookies else ""
    if signed_attempt != str(attempt_id) or not user.isdigit() or not session_key:
        return None
    return (TokenHolder(int(user), session_key) if constant_time_compare(digest, _session_digest(session_key))
            else None)


def _read(environ) -> tuple[bytes, int, list[int]] | None:
    """The body, and the slot and choices in it, when it is the page's small form; else None."""
    if not environ.get("CONTENT_TYPE", "").startswith("application/x-www-form-urlencoded"):
        return None
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None
    if not 0 < length <= _MAX_BODY:
        return None
    body = environ["wsgi.input"].read(length)
    try:
        fields = parse_qsl(body.decode("ascii"), max_num_fields=40, strict_parsing=True)
    except (UnicodeDecodeError, ValueError):
        return body, -1, []
    slots = [v for k, v in fields if k == "slot"]
    choices = [v for k, v in fields if k == "choice"]
    ok = (len(slots) == 1 and slots[0].isdigit() and len(slots[0]) < 4
          and all(v.isdigit() and len(v) < 4 for v in choices))
    return (body, int(slots[0]), [int(v) for v in choices]) if ok else (body, -1, [])


def _json(start_response, status: str, payload: dict) -> list[bytes]:
    body = json.dumps(payload, ensure_ascii=False).encode()
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(body))),
                            ("Cache-Control", "no-store"), ("X-Content-Type-Options", "nosniff")])
    return [body]


def with_answer_path(application):
    """`application` (Django's WSGI handler) with the attempt page's answers taken first."""
    pattern: list[re.Pattern] = []

    def app(environ, start_response):
        if environ.get(_HEADER) and environ.get("REQUEST_METHOD") == "POST":
            if not pattern:  # the URL comes from urls.py, read once the URLconf is loaded
                pattern.append(re.compile("^" + re.escape(reverse("contests:answer", args=[0])).replace("/0/",
                                                                                                        r"/(\d+)/") + "$"))
            match = pattern[0].match(environ.get("PATH_INFO", ""))
            holder = _holder(environ[_HEADER], int(match.group(1)), environ.get("HTTP_COOKIE", "")) if match else None
            read = _read(environ) if holder else None
            if read is not None:
                body, slot, choice = read
                answered = (_answer(environ, start_response, holder, int(match.group(1)), slot, choice)
                            if slot >= 0 and choice else None)
                if answered is not None:
                    return answered
                environ["wsgi.input"] = io.BytesIO(body)  # handed on as it came
        return application(environ, start_response)

    return app


def _answer(environ, start_response, holder: TokenHolder, attempt_id: int, slot: int, choice: list[int]):
    """The service's answer as JSON; None when the page's session has ended (Django's to answer)."""
    from . import services

    # What Django's handler does around a request: stale connections closed before and after.
    signals.request_started.send(sender=with_answer_path, environ=environ)
    try:
        saved = services.answer_save(actor=holder, attempt_id=attempt_id, slot=slot, choice=choice)
    except services.SessionEnded:
        return None
    except DomainError as exc:
        return _json(start_response, f"{exc.status_code} {HTTPStatus(exc.status_code).phrase}",
                     {"detail": [exc.as_dict()]})
    finally:
        signals.request_finished.send(sender=with_answer_path)
    return _json(start_response, "200 OK", {"slot": saved["slot"], "choice": saved["choice"],
                                            "changed": saved["changed"]})
