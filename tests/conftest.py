"""Shared fixtures: the demo loaded once per session, people by role, API clients."""

import os
import shutil
import tempfile

import pytest
from django.conf import settings

DEMO_PEOPLE = ("thuongtruc", "daumoi.thcscatba", "daumoi.gdnn", "daumoi.thcscathai", "doan", "lanhdao", "hocsinh",
               "kiemduyet", "tuvan", "giamsat")


def pytest_configure(config):
    # Fast hashing in tests (one test checks the real Argon2 configuration).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="cyberyouth-media-")
    # Serve static files straight from the apps (no collectstatic before tests).
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache. The cache (per process) outlives a test's rolled-back
    transaction, while the ids it holds do not: a contest's audience cached under contest 3 in
    one test was read for another test's contest 3 (SQLite gives a rolled-back id again)."""
    from django.core.cache import cache

    cache.clear()
    yield


def load_demo():
    from django.core.management import call_command

    call_command("demo", stdout=open(os.devnull, "w"))


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The demo data, loaded once; each test runs in a transaction on top of it."""
    with django_db_blocker.unblock():
        load_demo()


@pytest.fixture
def people(db):
    from cyberyouth.orgs.models import User

    return {u.username: u for u in User.objects.filter(username__in=DEMO_PEOPLE + ("sysadmin",))}


@pytest.fixture
def units(db):
    from cyberyouth.orgs.models import Unit

    return {u.code: u for u in Unit.objects.all()}


@pytest.fixture
def client_for(client):
    """A test client signed in as one of the demo people."""
    from django.test import Client

    from cyberyouth.orgs.models import User

    def make(username: str) -> Client:
        c = Client()
        c.force_login(User.objects.get(username=username))
        return c

    return make


@pytest.fixture
def api_for(db):
    """An API client with a bearer token for one of the demo people."""
    from django.test import Client

    from cyberyouth.orgs.models import User
    from cyberyouth.orgs.services import token_create

    def make(username: str) -> Client:
        token = token_create(user=User.objects.get(username=username), name="test")
        return Client(headers={"Authorization": f"Bearer {token}"})

    return make


def pytest_collection_modifyitems(config, items):
    """Browser tests need Debian's chromium; CI demands them (CYBERYOUTH_REQUIRE_BROWSER)."""
    if shutil.which("chromium"):
        return
    if os.environ.get("CYBERYOUTH_REQUIRE_BROWSER"):
        raise pytest.UsageError("chromium is not installed but CYBERYOUTH_REQUIRE_BROWSER is set")
    skip = pytest.mark.skip(reason="chromium not installed (apt-get install chromium)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


# ---------------------------------------------------------------- browser tests


def _serial_server_class():
    from django.core.servers.basehttp import WSGIServer

    class SerialWSGIServer(WSGIServer):
        """Django's test server without threads; the live server's thread already uses the shared
        connection. Django answers `Connection: close` when the server is not threaded."""

        def __init__(self, *args, connections_override=None, **kwargs):
            super().__init__(*args, **kwargs)

    return SerialWSGIServer


@pytest.fixture(scope="session")
def live_server(request, django_db_setup):
    """pytest-django's live server, made to stop before the test database is dropped: its
    thread holds a connection, and PostgreSQL refuses to drop a database in use."""
    from pytest_django.live_server_helper import LiveServer

    server = LiveServer(os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS") or "localhost", start=False)
    if server.thread.connections_override:
        # In-memory SQLite: every request thread would share the test's one connection, and two
        # requests at once (a page and its image) deadlocked inside SQLite. One request at a time.
        server.thread.server_class = _serial_server_class()
    # As `cyberyouth serve` does (config/wsgi.py): the contest page's answers skip the page stack.
    from cyberyouth.contests.answer_path import with_answer_path

    static_handler = server.thread.static_handler
    server.thread.static_handler = lambda app: with_answer_path(static_handler(app))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def browser_site(transactional_db, live_server, monkeypatch):
    """The demo on a live server, with a chromium page factory: `page = browser_site.login("thuongtruc")`."""
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django's ORM calls made by
    # the test itself (checks after a flow) are still synchronous and safe here.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    load_demo()
    from cyberyouth.orgs.demo import DEMO_PASSWORD

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=shutil.which("chromium"),
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"],
        )

        class Site:
            url = live_server.url

            def login(self, username: str, password: str = DEMO_PASSWORD):
                context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
                page = context.new_page()
                page.set_default_timeout(15000)
                page.goto(f"{self.url}/dang-nhap/")
                page.fill("#id_username", username)
                page.fill("#id_password", password)
                page.click("button[type=submit]")
                # signed in: off the sign-in page, on the home the person is sent to ("/", or a
                # student's own home)
                page.wait_for_url(lambda url: url.startswith(self.url) and "/dang-nhap/" not in url)
                return page

            def phone(self):
                """A signed-out page on a phone-sized screen (390 × 844)."""
                context = browser.new_context(locale="vi-VN", viewport={"width": 390, "height": 844},
                                              is_mobile=True, has_touch=True)
                page = context.new_page()
                page.set_default_timeout(15000)
                return page

        yield Site()
        browser.close()


_skipped_browser_tests: list[str] = []


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.skipped and item.get_closest_marker("browser"):
        _skipped_browser_tests.append(item.nodeid)


def pytest_sessionfinish(session, exitstatus):
    """In CI a skipped browser test is a failure: the flows a person does must have run."""
    if os.environ.get("CYBERYOUTH_REQUIRE_BROWSER") and _skipped_browser_tests:
        session.config.get_terminal_writer().line(
            f"browser tests were skipped but CYBERYOUTH_REQUIRE_BROWSER is set: {_skipped_browser_tests}", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
