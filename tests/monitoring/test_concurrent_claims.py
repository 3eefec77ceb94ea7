"""Two moderators racing for one item, in two threads with their own database connections:
exactly one claim wins, and only its holder's decision lands."""

import threading
import time

import pytest
from django.db import OperationalError, connection

from cyberyouth.errors import DomainError


@pytest.mark.django_db(transaction=True)
def test_two_moderators_never_decide_one_item_at_once():
    from django.core.management import call_command

    from cyberyouth.monitoring import selectors, services
    from cyberyouth.monitoring.models import Decision
    from cyberyouth.orgs.models import Role, RoleAssignment, Unit, User

    if not Unit.objects.filter(code="hp-dk-cat-hai").exists():
        import os

        call_command("demo", stdout=open(os.devnull, "w"))
    zone = Unit.objects.get(code="hp-dk-cat-hai")
    first = User.objects.get(username="kiemduyet")
    second, _ = User.objects.get_or_create(username="kiemduyet.race")
    RoleAssignment.objects.get_or_create(user=second, role=Role.MODERATOR, unit=zone)
    item = selectors.queue(actor=first, limit=1)[0]

    barrier = threading.Barrier(2)
    outcome: dict[str, str] = {}

    def retrying(call):
        # The test database is SQLite in shared-cache memory, which has no busy time-out ("table is
        # locked"); a file database waits (busy_timeout) and PostgreSQL blocks on the row. Retrying
        # here reproduces that waiting, not a second chance for the loser.
        for _ in range(200):
            try:
                return call()
            except OperationalError as exc:
                if "locked" not in str(exc):
                    raise
                time.sleep(0.01)
        raise AssertionError("database stayed locked")

    def moderator(user):
        try:
            barrier.wait(timeout=10)
            try:
                retrying(lambda: services.item_claim(actor=user, item_id=item.pk))
            except DomainError as exc:
                outcome[user.username] = exc.code
                return
            outcome[user.username] = "claimed"
            retrying(lambda: services.item_decide(actor=user, item_id=item.pk, outcome="dismiss",
                                                  reason=f"quyết định của {user.username}"))
            outcome[user.username] = "decided"
        except DomainError as exc:
            outcome[user.username] = exc.code
        finally:
            connection.close()

    threads = [threading.Thread(target=moderator, args=(u,)) for u in (first, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    # The loser is told someone holds it ("claimed") or, if it came later, that it is decided.
    values = list(outcome.values())
    assert len(values) == 2 and values.count("decided") == 1, outcome
    assert [v for v in values if v != "decided"][0] in {"claimed", "not_open"}, outcome
    decisions = list(Decision.objects.filter(item=item))
    assert len(decisions) == 1 and outcome[decisions[0].moderator.username] == "decided"
    # The loser cannot decide afterwards either.
    loser = first if decisions[0].moderator == second else second
    with pytest.raises(DomainError):
        services.item_decide(actor=loser, item_id=item.pk, outcome="confirm", category="hate", reason="muộn rồi")
