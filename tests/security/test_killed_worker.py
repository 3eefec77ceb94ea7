"""Background work that dies is retried, then marked failed with a message, after the worker's
heartbeat stops; the document page says so. One test really kills a worker process mid-task."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cyberyouth.background import services as background
from cyberyouth.background.models import WorkerHeartbeat
from cyberyouth.reports import services as report_services
from cyberyouth.reports.models import DocumentStatus, GeneratedDocument


@pytest.fixture
def running_document(db, people):
    """A document whose background task a worker claimed two minutes ago and left at 30 %."""
    document = report_services.document_request(actor=people["thuongtruc"], kind="yearly", year=2025,
                                                 want_pdf=False)
    document = report_services.document_start(document=document, background=True)
    result = DBTaskResult.objects.get(id=document.task_id)
    result.claim("worker-that-died")
    DBTaskResult.objects.filter(id=result.id).update(started_at=timezone.now() - timedelta(minutes=2))
    GeneratedDocument.objects.filter(id=document.id).update(status=DocumentStatus.RUNNING, progress=30,
                                                            stage="Đọc số liệu")
    return document


def _claim_again(document, worker_id):
    result = DBTaskResult.objects.get(id=document.task_id)
    result.claim(worker_id)
    DBTaskResult.objects.filter(id=result.id).update(started_at=timezone.now() - timedelta(minutes=2))


@pytest.mark.django_db
def test_a_dead_workers_task_is_retried_then_failed_with_a_message(running_document, client_for, settings):
    settings.TASK_MAX_ATTEMPTS = 2
    recovered = background.recover_abandoned()
    assert [r["retried"] for r in recovered] == [True]
    result = DBTaskResult.objects.get(id=running_document.task_id)
    assert result.status == "READY"
    running_document.refresh_from_db()
    assert running_document.status == DocumentStatus.QUEUED and "làm lại" in running_document.stage

    _claim_again(running_document, "second-worker-that-died")
    assert [r["retried"] for r in background.recover_abandoned()] == [False]
    result.refresh_from_db()
    assert result.status == "FAILED"
    running_document.refresh_from_db()
    assert running_document.status == DocumentStatus.FAILED and "dừng giữa chừng 2 lần" in running_document.error
    page = client_for("thuongtruc").get(f"/bao-cao/{running_document.id}/").content.decode()
    assert "dừng giữa chừng" in page


@pytest.mark.django_db
def test_a_live_workers_task_is_left_alone(running_document):
    _claim_again(running_document, "alive")
    background.beat(worker_id="alive")
    assert background.recover_abandoned() == []
    assert DBTaskResult.objects.get(id=running_document.task_id).status == "RUNNING"


@pytest.mark.django_db
def test_the_page_says_when_no_worker_runs(db, people, client_for):
    document = report_services.document_request(actor=people["thuongtruc"], kind="yearly", year=2025,
                                                 want_pdf=False)
    document = report_services.document_start(document=document, background=True)
    WorkerHeartbeat.objects.all().delete()
    url = f"/bao-cao/{document.id}/"
    assert "không có tiến trình nền nào" in client_for("thuongtruc").get(url).content.decode()
    background.beat(worker_id="w1")
    assert "không có tiến trình nền nào" not in client_for("thuongtruc").get(url).content.decode()


# A worker process whose task sleeps (first run) or succeeds at once (after a retry).
WORKER = """
import sys, time
import django
django.setup()
import cyberyouth.reports.services as services

def fake_generate(*, document_id):
    if sys.argv[1] == "slow":
        time.sleep(600)
    return type("D", (), {"id": document_id, "status": "done"})()

services.document_generate = fake_generate
from cyberyouth.cli import main
sys.exit(main(["worker"]))
"""


def _status(db_path: Path) -> tuple[str, str]:
    with sqlite3.connect(db_path) as con:
        row = con.execute("select status, worker_ids from django_tasks_database_dbtaskresult").fetchone()
    return row if row else ("", "")


def _wait(predicate, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.slow
def test_killing_a_worker_mid_task_then_another_worker_retries_it(tmp_path):
    cli = str(Path(sys.executable).with_name("cyberyouth"))
    env = {"PATH": os.environ["PATH"], "CYBERYOUTH_VAR_DIR": str(tmp_path), "SECRET_KEY": "k" * 50,
           "DJANGO_SETTINGS_MODULE": "cyberyouth.config.settings", "CYBERYOUTH_POLL_INTERVAL": "0",
           "WORKER_STALE_SECONDS": "2", "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    subprocess.run([cli, "migrate", "-v0"], env=env, check=True, timeout=300)
    subprocess.run([cli, "shell", "-c", "from cyberyouth.reports.tasks import generate_document; "
                                        "generate_document.enqueue(12345)"], env=env, check=True, timeout=120)
    db_path = tmp_path / "db.sqlite3"
    first = subprocess.Popen([sys.executable, "-c", WORKER, "slow"], env=env, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    try:
        assert _wait(lambda: _status(db_path)[0] == "RUNNING", 120), "the worker never took the task"
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
    time.sleep(2.5)  # longer than WORKER_STALE_SECONDS: the dead worker's heartbeat is stale
    assert _status(db_path)[0] == "RUNNING"  # nothing moved it yet: the task would hang forever
    second = subprocess.Popen([sys.executable, "-c", WORKER, "fast"], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        assert _wait(lambda: _status(db_path)[0] == "SUCCESSFUL", 120), _status(db_path)
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=30)
    status, worker_ids = _status(db_path)
    assert worker_ids.count("-") >= 4 and len(eval(worker_ids)) == 2  # two claims: the dead one, the retry
