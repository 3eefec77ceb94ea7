"""What `cyberyouth serve` does around the web server: static files kept collected, and the
background worker started beside it (the embedded default) and stopped with it.

Not an app module: the command line's helpers, imported by `cli.py` only.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

WORKER_STOP_SECONDS = 20  # how long a stopping worker may finish its current task


# ---------------------------------------------------------------- static files


def _source_files() -> dict[str, float]:
    """Every static file the finders know: path as served → modification time of its source."""
    from django.contrib.staticfiles import finders

    found: dict[str, float] = {}
    for finder in finders.get_finders():
        for path, storage in finder.list(["CVS", ".*", "*~"]):
            prefix = getattr(storage, "prefix", None)
            served = f"{prefix}/{path}" if prefix else path
            served = served.replace(os.sep, "/")
            if served in found:  # the first finder wins, as collectstatic does
                continue
            try:
                found[served] = os.stat(storage.path(path)).st_mtime
            except (OSError, NotImplementedError):
                found[served] = 0.0
    return found


def static_state() -> str:
    """"ok", "missing" (never collected) or "stale" (a source file is newer than the
    collection, or not in it)."""
    from django.conf import settings

    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if not manifest.exists():
        return "missing"
    try:
        paths = json.loads(manifest.read_text(encoding="utf-8")).get("paths", {})
    except (OSError, ValueError):
        return "missing"
    collected_at = manifest.stat().st_mtime
    for served, mtime in _source_files().items():
        if served not in paths or mtime > collected_at:
            return "stale"
    return "ok"


def ensure_static(*, out=sys.stdout) -> str:
    """Collect static files when they are missing or stale, so that no page answers 500 for a
    file missing from the manifest. Returns what was found before ("ok", "missing", "stale")."""
    from django.core.management import call_command

    state = static_state()
    if state != "ok":
        words = "chưa có" if state == "missing" else "đã cũ"
        print(f"cyberyouth: tệp tĩnh {words}, đang thu thập lại…", file=out, flush=True)
        call_command("collectstatic", interactive=False, verbosity=0)
    return state


# ---------------------------------------------------------------- the embedded worker


def _end_with_parent() -> None:
    """In the child, before it runs: on Linux, receive SIGTERM when the server process dies, even
    killed without a chance to stop its worker (no orphan worker left behind)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


class EmbeddedWorker:
    """`cyberyouth worker` as a child process of the web server: started with it, its output in
    the same log (each line prefixed "worker |"), restarted if it dies, stopped with the server."""

    def __init__(self, *, command: list[str] | None = None, out=sys.stdout):
        self.command = command or [sys.executable, "-m", "cyberyouth", "worker"]
        self.out = out
        self.process: subprocess.Popen | None = None
        self._stopping = threading.Event()
        self._watch: threading.Thread | None = None
        # gunicorn forks its web processes from this one; when one of them exits, the unwinding
        # reaches the code that would stop the worker: only the process that started it may.
        self.owner_pid = os.getpid()

    def start(self) -> EmbeddedWorker:
        self._spawn()
        self._watch = threading.Thread(target=self._keep_alive, name="cyberyouth-worker-watch", daemon=True)
        self._watch.start()
        return self

    def _spawn(self) -> None:
        self.process = subprocess.Popen(
            self.command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            env={**os.environ, "PYTHONUNBUFFERED": "1"}, start_new_session=True, preexec_fn=_end_with_parent,
        )
        print(f"cyberyouth: tác vụ nền đã chạy (tiến trình {self.process.pid})", file=self.out, flush=True)
        threading.Thread(target=self._relay, args=(self.process,), name="cyberyouth-worker-log", daemon=True).start()

    def _relay(self, process: subprocess.Popen) -> None:
        for raw in iter(process.stdout.readline, b""):
            self.out.write("worker | " + raw.decode("utf-8", "replace"))
            self.out.flush()

    def _keep_alive(self) -> None:
        delay = 1.0
        while not self._stopping.is_set():
            process = self.process
            if process is not None and process.poll() is not None and not self._stopping.is_set():
                print(f"cyberyouth: tác vụ nền dừng (mã {process.returncode}); chạy lại sau {delay:.0f} giây",
                      file=self.out, flush=True)
                if self._stopping.wait(delay):
                    return
                delay = min(delay * 2, 60.0)
                self._spawn()
            elif process is not None and process.poll() is None:
                delay = 1.0
            self._stopping.wait(0.5)

    def stop(self) -> None:
        if os.getpid() != self.owner_pid:
            return
        self._stopping.set()
        process = self.process
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGTERM)  # db_worker finishes the task at hand, then exits
        try:
            process.wait(timeout=WORKER_STOP_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        print("cyberyouth: tác vụ nền đã dừng", file=self.out, flush=True)


WARM_TEMPLATES = ("registration/login.html", "web/home.html", "students/home.html", "contests/attempt.html")


def warm_worker() -> None:
    """Load what a web process otherwise loads on its first request — the URL patterns (every
    app's views, ≈ 1–2 s of CPU) and the templates of the busiest pages — before it takes any:
    after a start or a restart, the first people are not the ones who wait (a contest's mass
    start hit every cold process at once)."""
    from django.template.loader import get_template
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 — imports every app's URLconf and views
    for name in WARM_TEMPLATES:
        get_template(name)

