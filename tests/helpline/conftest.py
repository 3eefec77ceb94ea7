import pytest


@pytest.fixture
def anon():
    from django.test import Client

    return Client(REMOTE_ADDR="198.51.100.7")


@pytest.fixture
def submit(units):
    """A child's message through the service (code, secret) — a fresh address each time."""
    from cyberyouth.helpline import services

    counter = {"n": 0}

    def make(text="Em bị bạn cùng lớp chửi bới trên nhóm chat", **kw):
        counter["n"] += 1
        return services.child_submit(text=text, client_address=f"192.0.2.{counter['n']}", **kw)

    return make
