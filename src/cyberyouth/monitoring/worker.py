"""The feed poller that `cyberyouth worker` runs beside django-tasks' db_worker.

Each round polls the channels that are due; a failing source is recorded on its channel with
back-off (services.channel_poll) and a failing round (the database away, a bug) is logged and
retried after a pause that grows to 10 minutes. Nothing here ever stops the worker.
"""

import logging
import threading
import time


from django.db import close_old_connections

log = logging.getLogger("cyberyouth.monitoring.poller")


_next_housekeeping = 0.0  # monotonic time of the next round of housekeeping


def poll_once() -> list[dict]:
    from .services import poll_due

    _housekeeping()
    return poll_due()


def _housekeeping() -> None:
    """Once an hour: clear expired contacts of public reporters (one indexed UPDATE), and run
    every app's `housekeeping` hook (AppConfig attribute "module:function"; the students app
    de-identifies students who left long enough ago)."""
    global _next_housekeeping
    if time.monotonic() < _next_housekeeping:
        return
    import importlib

    from cyberyouth.web.registry import cyberyouth_apps

    from .services import reporter_contacts_expire

    reporter_contacts_expire()
    for config in cyberyouth_apps():
        hook = getattr(config, "housekeeping", None)
        if hook:
            module_name, function = hook.split(":")
            getattr(importlib.import_module(module_name), function)()
    _next_housekeeping = time.monotonic() + 3600


def poll_forever(*, interval: float = 30.0, stop: threading.Event | None = None, log=None) -> None:
    stop = stop or threading.Event()
    failures = 0
    while not stop.is_set():
        close_old_connections()
        try:
            results = poll_once()
            failures = 0
            for r in results:
                message = (f"channel {r['channel']}: {r.get('created', 0)} new" if r["ok"]
                           else f"channel {r['channel']}: {r['error']}")
                (log or _log_info)(message)
        except Exception:  # noqa: BLE001 — the worker must outlive any round
            failures += 1
            logging.getLogger("cyberyouth.monitoring.poller").exception("poll round failed (%s in a row)", failures)
        finally:
            close_old_connections()
        stop.wait(min(interval * (2 ** min(failures, 5)), 600.0) if failures else interval)


def _log_info(message: str) -> None:
    log.info(message)


def start_thread(*, interval: float = 30.0) -> threading.Thread:
    """Run the poller in a daemon thread (it dies with the worker process)."""
    thread = threading.Thread(target=poll_forever, kwargs={"interval": interval}, name="feed-poller", daemon=True)
    thread.start()
    return thread


