"""Writes of background-work bookkeeping: heartbeats, and the recovery of tasks whose worker died.

A task the database queue marks RUNNING belongs to the worker that claimed it last
(`DBTaskResult.worker_ids[-1]`). When that worker has not beaten for `WORKER_STALE_SECONDS`, the
task is put back in the queue (another attempt) or, after `TASK_MAX_ATTEMPTS` claims, marked
failed with a message; `task_abandoned` tells the app that owns the work (reports marks its
document), so a page never shows "running 30 %" forever.
"""

import logging
import os
import socket
import threading
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from .models import WorkerHeartbeat

log = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 5
RECOVER_EVERY_SECONDS = 30
LOST_CLASS_PATH = "cyberyouth.background.WorkerLost"

# Sent after a task was recovered: task_id (str), task_path, args (list), retried (bool), attempts (int).
task_abandoned = Signal()


def new_worker_id() -> str:
    return f"{socket.gethostname()[:30]}-{os.getpid()}-{uuid.uuid4().hex[:8]}"


def beat(*, worker_id: str) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id, defaults={"beat_at": timezone.now(), "host": socket.gethostname()[:200],
                                       "pid": os.getpid()})


def worker_stopped(*, worker_id: str) -> None:
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def recover_abandoned(*, now=None) -> list[dict]:
    """Put back or fail every RUNNING task whose worker stopped beating. Safe to run from any
    number of workers at once (rows are locked and skipped)."""
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    stale = now - timedelta(seconds=settings.WORKER_STALE_SECONDS)
    alive = set(WorkerHeartbeat.objects.filter(beat_at__gte=stale).values_list("worker_id", flat=True))
    done = []
    with transaction.atomic():
        running = (DBTaskResult.objects.select_for_update(skip_locked=True)
                   .filter(status=TaskResultStatus.RUNNING, started_at__lt=stale))
        for result in running:
            if result.worker_ids and result.worker_ids[-1] in alive:
                continue
            attempts = len(result.worker_ids)
            retried = attempts < settings.TASK_MAX_ATTEMPTS
            if retried:
                result.status = TaskResultStatus.READY
                result.started_at = None
                result.save(update_fields=["status", "started_at"])
            else:
                result.status = TaskResultStatus.FAILED
                result.finished_at = now
                result.exception_class_path = LOST_CLASS_PATH
                result.traceback = (f"Tiến trình nền dừng giữa chừng {attempts} lần khi làm việc này "
                                    f"(không còn tín hiệu sau {settings.WORKER_STALE_SECONDS} giây).")
                result.save(update_fields=["status", "finished_at", "exception_class_path", "traceback"])
            log.warning("task %s (%s): worker %s stopped; %s", result.id, result.task_path,
                        result.worker_ids[-1] if result.worker_ids else "?", "retried" if retried else "failed")
            done.append({"task_id": str(result.id), "task_path": result.task_path,
                         "args": result.args_kwargs.get("args", []), "retried": retried, "attempts": attempts})
        WorkerHeartbeat.objects.filter(beat_at__lt=now - timedelta(days=1)).delete()
    for entry in done:  # after the commit: receivers write their own rows
        task_abandoned.send(sender=recover_abandoned, **entry)
    return done


def heartbeat_forever(*, worker_id: str, stop: threading.Event, interval: float = HEARTBEAT_SECONDS) -> None:
    """The worker's heartbeat thread: beat, and now and then recover what dead workers left.
    Never raises (a database away for a moment only delays the next beat)."""
    from django.db import close_old_connections

    last_recovery = 0.0
    import time

    while not stop.is_set():
        try:
            beat(worker_id=worker_id)
            if time.monotonic() - last_recovery >= RECOVER_EVERY_SECONDS:
                recover_abandoned()
                last_recovery = time.monotonic()
        except Exception:  # noqa: BLE001 — the heartbeat must outlive a failing round
            log.exception("worker heartbeat failed")
        finally:
            close_old_connections()
        stop.wait(interval)
    try:
        worker_stopped(worker_id=worker_id)
    except Exception:  # noqa: BLE001
        log.exception("could not remove the heartbeat of %s", worker_id)


def start_heartbeat(*, worker_id: str) -> threading.Event:
    stop = threading.Event()
    threading.Thread(target=heartbeat_forever, kwargs={"worker_id": worker_id, "stop": stop}, daemon=True,
                     name="cyberyouth-heartbeat").start()
    return stop
