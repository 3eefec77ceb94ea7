"""The `cyberyouth` command.

    cyberyouth serve [--port N] [--workers N] [--threads N] [--no-worker]
                                                web server (gunicorn + whitenoise) and, unless
                                                --no-worker, the background worker beside it
    cyberyouth worker                           background tasks (reports, feeds, …)
    cyberyouth demo                             load the demo data (idempotent)
    cyberyouth secret-key                       keep a random SECRET_KEY in the data folder (once)
    cyberyouth token create USERNAME            print a new API token
    cyberyouth safety eval|scan|train …         the harmful-content engine (no Django needed)
    cyberyouth insight eval|train|analyze …     sentiment and topic of students' free text (no Django)
    cyberyouth bench NAME|all [--json]          benchmarks; results go to bench/results/
    cyberyouth <any Django management command>  migrate, createsuperuser, indicators, reports, …
"""

import importlib
import os
import sys

# Benchmarks by name: module with main(argv) -> int. Apps add theirs here.
BENCHMARKS = {
    "safety": "cyberyouth.safety.bench",
    "insight": "cyberyouth.insight.bench",
    "indicators": "cyberyouth.indicators.bench",
    "monitoring": "cyberyouth.monitoring.bench",
    "helpline": "cyberyouth.helpline.bench",
    "students": "cyberyouth.students.bench",
    "training": "cyberyouth.training.bench",
    "campaigns": "cyberyouth.campaigns.bench",
    "budget": "cyberyouth.budget.bench",
    "contests": "cyberyouth.contests.bench",
    "surveys": "cyberyouth.surveys.bench",
}


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cyberyouth.config.settings")
    import django

    django.setup()


def _secret_key() -> int:
    """Write a random SECRET_KEY to the data folder once (`make run`, `demo`); never replaces one.
    Does nothing when SECRET_KEY is set in the environment."""
    import secrets
    from pathlib import Path

    if os.environ.get("SECRET_KEY", "").strip():
        return 0
    path = Path(os.environ.get("CYBERYOUTH_VAR_DIR", Path.cwd() / "var")).resolve() / "secret_key"
    if path.is_file() and path.read_text(encoding="utf-8").strip():
        return 0
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(secrets.token_urlsafe(50) + "\n")
    print(f"cyberyouth: a new random SECRET_KEY is kept in {path}", file=sys.stderr)
    return 0


def _serve(argv: list[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="cyberyouth serve")
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2")))
    parser.add_argument("--threads", type=int, default=int(os.environ.get("WEB_THREADS", "4")))
    # The embedded default runs the background worker beside the web server; a multi-machine
    # setup passes --no-worker (or SERVE_WORKER=0) and runs `cyberyouth worker` where it wants.
    parser.add_argument("--no-worker", dest="worker", action="store_false",
                        default=os.environ.get("SERVE_WORKER", "1").lower() not in {"0", "false", "no", "off"})
    args = parser.parse_args(argv)
    _django()
    from cyberyouth import serving

    serving.ensure_static()
    from gunicorn.app.base import BaseApplication

    from cyberyouth.config.wsgi import application

    class Server(BaseApplication):
        def load_config(self):
            self.cfg.set("bind", f"{args.host}:{args.port}")
            self.cfg.set("workers", args.workers)
            self.cfg.set("threads", args.threads)
            self.cfg.set("timeout", 120)
            # Browsers (and the contest page's answers a few seconds apart) reuse connections: the
            # default 2 s closed them between two answers, and a POST on a closed connection fails.
            self.cfg.set("keepalive", 75)
            self.cfg.set("accesslog", "-")
            self.cfg.set("post_worker_init", lambda worker: serving.warm_worker())

        def load(self):
            return application

    worker = serving.EmbeddedWorker().start() if args.worker else None
    print(f"cyberyouth: http://{args.host}:{args.port}/", flush=True)
    try:
        Server().run()
    finally:  # the server stopped (Ctrl-C, SIGTERM): the worker stops with it
        if worker is not None:
            worker.stop()
    return 0


def _bench(argv: list[str]) -> int:
    if not argv or argv[0] in {"-h", "--help"}:
        print("usage: cyberyouth bench {" + ",".join(BENCHMARKS) + ",all} [options]")
        return 0 if argv else 2
    name, rest = argv[0], argv[1:]
    names = list(BENCHMARKS) if name == "all" else [name]
    status = 0
    for bench_name in names:
        module_name = BENCHMARKS.get(bench_name)
        if module_name is None:
            print(f"cyberyouth bench: unknown benchmark {bench_name!r}", file=sys.stderr)
            return 2
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if name == "all" and exc.name == module_name:
                continue  # an app that has no benchmark yet
            raise
        status |= module.main(rest)
    return status


def main(argv: list[str] | None = None) -> int:
    from django.core.exceptions import ImproperlyConfigured

    try:
        return _main(argv)
    except ImproperlyConfigured as exc:  # e.g. no SECRET_KEY: one clear line, no traceback
        print(f"cyberyouth: {exc}", file=sys.stderr)
        return 2


def _main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    command = argv[0] if argv else "help"
    if command in {"help", "-h", "--help"}:
        print(__doc__)
        return 0
    if command == "serve":
        return _serve(argv[1:])
    if command == "safety":
        from cyberyouth.safety.cli import main as safety_main

        return safety_main(argv[1:])
    if command == "insight":
        from cyberyouth.insight.cli import main as insight_main

        return insight_main(argv[1:])
    if command == "bench":
        return _bench(argv[1:])
    if command == "secret-key":
        return _secret_key()
    if command == "demo":
        _secret_key()
    if command == "worker":
        _django()
        from cyberyouth.background.services import new_worker_id, start_heartbeat

        worker_id = new_worker_id()
        argv = ["db_worker", "--queue-name", "*", "--no-reload", "--worker-id", worker_id, *argv[1:]]
        # The heartbeat thread: tells other workers this one lives, and puts back (or fails, after
        # TASK_MAX_ATTEMPTS) the tasks of workers that died mid-task.
        start_heartbeat(worker_id=worker_id)
        # The feed poller runs beside db_worker in the same process (a daemon thread): failures
        # are recorded per channel with back-off and never stop either loop.
        # CYBERYOUTH_POLL_INTERVAL=0 turns it off (e.g. a second worker machine).
        interval = float(os.environ.get("CYBERYOUTH_POLL_INTERVAL", "30") or 0)
        if interval > 0:
            from cyberyouth.monitoring.worker import start_thread

            start_thread(interval=interval)
        # The helpline's clocks (warnings, escalations) and de-identification, every minute.
        _django()
        from cyberyouth.helpline.worker import start_thread as start_helpline

        start_helpline()
    from django.core.management import execute_from_command_line

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cyberyouth.config.settings")
    execute_from_command_line(["cyberyouth", *argv])
    return 0


if __name__ == "__main__":
    sys.exit(main())
