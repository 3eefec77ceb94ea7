"""The `cyberyouth` command.

    cyberyouth serve [--port N] [--workers N]   production web server (gunicorn + whitenoise)
    cyberyouth worker                           background tasks (reports, feeds, …)
    cyberyouth demo                             load the demo data (idempotent)
    cyberyouth token create USERNAME            print a new API token
    cyberyouth safety eval|scan|train …         the harmful-content engine (no Django needed)
    cyberyouth bench NAME|all [--json]          benchmarks; results go to bench/results/
    cyberyouth <any Django management command>  migrate, createsuperuser, indicators, reports, …
"""

import importlib
import os
import sys

# Benchmarks by name: module with main(argv) -> int. Apps add theirs here.
BENCHMARKS = {
    "safety": "cyberyouth.safety.bench",
    "indicators": "cyberyouth.indicators.bench",
    "monitoring": "cyberyouth.monitoring.bench",
    "students": "cyberyouth.students.bench",
}


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cyberyouth.config.settings")
    import django

    django.setup()


def _serve(argv: list[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="cyberyouth serve")
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2")))
    args = parser.parse_args(argv)
    _django()
    from gunicorn.app.base import BaseApplication

    from cyberyouth.config.wsgi import application

    class Server(BaseApplication):
        def load_config(self):
            self.cfg.set("bind", f"{args.host}:{args.port}")
            self.cfg.set("workers", args.workers)
            self.cfg.set("threads", 4)
            self.cfg.set("timeout", 120)
            self.cfg.set("accesslog", "-")

        def load(self):
            return application

    print(f"cyberyouth: http://{args.host}:{args.port}/", flush=True)
    Server().run()
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
    if command == "bench":
        return _bench(argv[1:])
    if command == "worker":
        argv = ["db_worker", "--queue-name", "*", "--no-reload", *argv[1:]]
        # The feed poller runs beside db_worker in the same process (a daemon thread): failures
        # are recorded per channel with back-off and never stop either loop.
        # CYBERYOUTH_POLL_INTERVAL=0 turns it off (e.g. a second worker machine).
        interval = float(os.environ.get("CYBERYOUTH_POLL_INTERVAL", "30") or 0)
        if interval > 0:
            _django()
            from cyberyouth.monitoring.worker import start_thread

            start_thread(interval=interval)
    from django.core.management import execute_from_command_line

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cyberyouth.config.settings")
    execute_from_command_line(["cyberyouth", *argv])
    return 0


if __name__ == "__main__":
    sys.exit(main())
