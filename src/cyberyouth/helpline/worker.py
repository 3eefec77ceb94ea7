"""The helpline's housekeeping that `cyberyouth worker` runs beside db_worker (a daemon thread):
every minute, clock warnings, breaches and escalations; once an hour, de-identification of
closed cases past HELPLINE_KEEP_DAYS. A failing round is logged and retried; nothing here stops
the worker. `cyberyouth helpline tick` runs one round by hand (or from cron)."""

import logging
import threading
import time

from django.db import close_old_connections

log = logging.getLogger("cyberyouth.helpline.worker")


def tick(*, deidentify: bool = True) -> dict:
    from . import services

    result = services.clocks_tick()
    if deidentify:
        result["deidentified"] = services.deidentify_closed()
    return result


def run_forever(*, interval: float = 60.0, stop: threading.Event | None = None) -> None:
    stop = stop or threading.Event()
    next_deidentify = 0.0
    while not stop.is_set():
        close_old_connections()
        try:
            due = time.monotonic() >= next_deidentify
            tick(deidentify=due)
            if due:
                next_deidentify = time.monotonic() + 3600
        except Exception:  # noqa: BLE001 — the worker must outlive any round
            log.exception("helpline housekeeping round failed")
        finally:
            close_old_connections()
        stop.wait(interval)


def start_thread(*, interval: float = 60.0) -> threading.Thread:
    thread = threading.Thread(target=run_forever, kwargs={"interval": interval}, name="helpline-clocks", daemon=True)
    thread.start()
    return thread
