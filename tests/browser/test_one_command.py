"""`make run`-style serving: one command starts the web server and the background worker; a
document generated from a page becomes ready without any other command; both stop together.

The site runs in its own process on its own SQLite database (a temporary var folder), migrated
and loaded with the demo as `make run` does — not on the test database."""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

pytestmark = [pytest.mark.browser]

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _command(*args: str) -> list[str]:
    return [sys.executable, "-m", "cyberyouth", *args]


@pytest.fixture(scope="module")
def served_site(tmp_path_factory):
    var = tmp_path_factory.mktemp("one-command-var")
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    env.update(CYBERYOUTH_VAR_DIR=str(var), CYBERYOUTH_POLL_INTERVAL="0", WEB_CONCURRENCY="1")
    for step in (("migrate", "--noinput", "-v0"), ("demo",)):
        subprocess.run(_command(*step), env=env, cwd=ROOT, check=True, capture_output=True, timeout=600)
    port = _free_port()
    log = open(var / "serve.log", "wb")
    # No collectstatic before: `serve` must collect static files itself.
    server = subprocess.Popen(_command("serve", "--port", str(port)), env=env, cwd=ROOT, stdout=log,
                              stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    # Collecting the static files comes first and takes minutes on a loaded machine (a CI run
    # beside other work took over 120 s): wait long, and fail here, with the log, if it never
    # listens — not later with a puzzling assertion.
    deadline = time.monotonic() + 480
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            assert server.poll() is None, (var / "serve.log").read_text()
            assert time.monotonic() < deadline, "serve did not listen in time:\n" + (var / "serve.log").read_text()
            time.sleep(0.3)
    yield url, server, var
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    log.close()


def _worker_pids(server_pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=,ppid=,args=", "-A"], capture_output=True, text=True).stdout
    return [int(line.split()[0]) for line in out.splitlines()
            if line.split()[1] == str(server_pid) and "cyberyouth worker" in line]


def test_a_background_document_becomes_ready_with_only_serve_running(served_site):
    url, server, var = served_site
    from cyberyouth.orgs.demo import DEMO_PASSWORD

    assert len(_worker_pids(server.pid)) == 1, "serve started no worker beside the web server"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=shutil.which("chromium"),
                                     args=["--no-sandbox", "--disable-gpu", "--no-first-run"])
        page = browser.new_page(locale="vi-VN")
        page.set_default_timeout(20000)
        page.goto(f"{url}/dang-nhap/")
        expect(page.locator("link[rel=stylesheet]")).to_have_count(1)
        page.fill("#id_username", "thuongtruc")
        page.fill("#id_password", DEMO_PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{url}/")
        page.goto(f"{url}/bao-cao/")
        form = page.locator("#form-review")
        form.locator("select[name=sk-unit]").select_option("hp-dk-cat-hai")
        form.locator("input[name=sk-want_pdf]").uncheck()
        form.get_by_role("button").click()
        # The review of a whole zone is made in the background: the page says what it waits for…
        status = page.locator("#doc-status")
        expect(status).to_contain_text(re.compile("Đang chờ đến lượt|Đã xong|Hoàn thành"))
        expect(page.locator("body")).not_to_contain_text("cyberyouth worker")
        # …and the embedded worker makes it, without any other command.
        expect(status).to_contain_text("Hoàn thành", timeout=180000)
        expect(status.get_by_role("link", name="Tải DOCX")).to_be_visible()
        browser.close()
    log = (var / "serve.log").read_text(encoding="utf-8", errors="replace")
    assert "worker |" in log  # the worker's lines are in the same log


def test_serve_collected_static_files_and_stops_its_worker_with_it(served_site):
    url, server, var = served_site
    assert (var / "static" / "staticfiles.json").exists()
    workers = _worker_pids(server.pid)
    assert workers
    server.send_signal(signal.SIGTERM)
    server.wait(timeout=60)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(Path(f"/proc/{pid}").exists() for pid in workers):
        time.sleep(0.2)
    assert not any(Path(f"/proc/{pid}").exists() for pid in workers), "the worker outlived the server"
