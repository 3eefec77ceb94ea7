"""Schemathesis against the OpenAPI document, with bounded examples per operation: no input the
schema allows (or nearly allows) gives a server error, and every answer's status is one the
document declares (the API's real 400/401/403/404/422 answers included)."""

import pytest
import schemathesis
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import status_code_conformance

pytestmark = pytest.mark.django_db
MAX_EXAMPLES = 8


def test_api_answers_only_what_it_declares(people):
    from cyberyouth.orgs.services import token_create

    bearer = {"Authorization": f"Bearer {token_create(user=people['thuongtruc'], name='fuzz')}"}
    # Like Django's test client: requests must not close the test's database connection (and its
    # transaction) when they finish, which they would on PostgreSQL.
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        _fuzz(bearer)
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def _fuzz(bearer: dict) -> None:
    from django.core.wsgi import get_wsgi_application

    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
    failures, operations = [], 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @given(case=operation.as_strategy())
        @hypothesis_settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
                             suppress_health_check=list(HealthCheck))
        def run(case):
            response = case.call(headers=bearer)
            case.validate_response(response, checks=(not_a_server_error, status_code_conformance))

        try:
            run()
        except Exception as exc:  # noqa: BLE001 — collect every operation's failure, then report them all
            failures.append(f"{operation.label}: {str(exc)[:600]}")
    assert operations >= 20
    assert not failures, "\n\n".join(failures)
