"""The poller loop `cyberyouth worker` runs: a failing round never stops it."""

import threading
import time

from cyberyouth.monitoring import worker


def test_worker_thread_survives_failing_rounds(monkeypatch):
    calls = []

    def flaky():
        calls.append(time.monotonic())
        if len(calls) % 2:
            raise RuntimeError("database is away")
        return [{"channel": 1, "ok": False, "error": "garbage"}]

    monkeypatch.setattr(worker, "poll_once", flaky)
    stop = threading.Event()
    thread = threading.Thread(target=worker.poll_forever, kwargs={"interval": 0.05, "stop": stop}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 5
    while len(calls) < 4 and time.monotonic() < deadline:
        time.sleep(0.05)
    stop.set()
    thread.join(timeout=5)
    assert len(calls) >= 4 and not thread.is_alive()
