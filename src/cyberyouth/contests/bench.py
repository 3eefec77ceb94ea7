"""`cyberyouth bench contests [--students N] [--spawn-seconds S] [--workers W] [--attempts N] [--json]`

A real load test of the mass start, with Locust in library mode against `cyberyouth serve`
(gunicorn, several web processes, no embedded worker) on PostgreSQL at 127.0.0.1:

- N students (3,000) with accounts and signed-in sessions press "start" on the same round within
  S seconds (60), each answers 10 questions a few seconds apart through the attempt page's own
  endpoint (the fetch the page makes), then hands in with a prediction. Printed: starts/s,
  answers/s, p50/p95/p99 per request kind, errors, and answers acknowledged (HTTP 200 with the
  saved answer) against answers stored in the database — they must be equal. Baseline in the
  same run: the same server's login page, fetched before the load (the cheapest page it serves).
- a round with `--attempts` (1,000,000) attempts stored: ranking it once (the round closes), then
  its leaderboard read p95 (page and API, random pages) against the baseline of computing the same
  first 50 ranks from the attempts on every read (the window query the ranking runs).

Database `cyberyouth_bench_contests` (PostgreSQL); the million attempts are built once with
INSERT … SELECT and reused (`--rebuild` starts afresh). Results: bench/results/contests.json.
Without Redis the drawn pools are cached per web process for a minute; with REDIS_URL set (and
Django's Redis cache configured) they are shared by every process.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import platform
import random
import re
import socket
import statistics
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone as dt_timezone
from pathlib import Path

from cyberyouth.lib import bench

DB_NAME = "cyberyouth_bench_contests"
MARKER = "bench-contests-v1"
SECRET = "bench-contests-secret-key-not-for-production-0123456789"


def _env(url: str) -> dict:
    return os.environ | {"DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "cyberyouth.config.settings",
                         "SECRET_KEY": SECRET, "DEBUG": "0", "ALLOWED_HOSTS": "127.0.0.1,localhost",
                         "AXES_ENABLED": "0"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="cyberyouth bench contests")
    parser.add_argument("--students", type=int, default=3000)
    parser.add_argument("--spawn-seconds", type=float, default=60.0)
    parser.add_argument("--answers", type=int, default=10)
    parser.add_argument("--gap", type=float, default=3.0, help="mean seconds between two answers")
    parser.add_argument("--workers", type=int, default=4, help="web processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per web process")
    parser.add_argument("--attempts", type=int, default=1_000_000, help="attempts stored for the leaderboard")
    parser.add_argument("--skip-load", action="store_true")
    parser.add_argument("--skip-leaderboard", action="store_true")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--out")
    parser.add_argument("--child", choices=["setup", "leaderboard"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv or [])
    if args.child == "setup":
        return _child_setup(args)
    if args.child == "leaderboard":
        return _child_leaderboard(args)
    root = bench.repo_root()
    url = bench.postgres_database(bench.pg_url(DB_NAME), rebuild=args.rebuild)
    if url is None:
        print("contests bench: PostgreSQL not reachable at 127.0.0.1:5432", file=sys.stderr)
        return 1
    print("contests bench: migrating …", file=sys.stderr, flush=True)
    subprocess.run([sys.executable, "-m", "cyberyouth", "migrate", "-v0"], env=_env(url), cwd=root, check=True)
    results: dict = {"load_average_before": os.getloadavg()}
    setup = _child(root, url, "setup", args)
    if "error" in setup:
        results["error"] = setup["error"]
    else:
        port = _free_port()
        log_path = root / "bench" / "results" / "contests-server.log"
        log_path.parent.mkdir(parents=True, exist_ok=True)
        log = open(log_path, "w", encoding="utf-8")  # noqa: SIM115 — closed with the server below
        print(f"contests bench: cyberyouth serve, {args.workers} web processes (log {log_path}) …", file=sys.stderr,
              flush=True)
        server = subprocess.Popen([sys.executable, "-m", "cyberyouth", "serve", "--port", str(port), "--workers",
                                   str(args.workers), "--threads", str(args.threads), "--no-worker"], env=_env(url),
                                  cwd=root,
                                  stdout=log, stderr=subprocess.STDOUT, text=True)
        try:
            host = f"http://127.0.0.1:{port}"
            _wait_ready(host, server)
            results["baseline"] = _baseline(host)
            if not args.skip_load:
                results["load"] = _load(host, setup, args, url, server.pid)
            if not args.skip_leaderboard:
                board = _child(root, url, "leaderboard", args)
                results["leaderboard"] = board if "error" in board else {**board, **_leaderboard_reads(host, setup,
                                                                                                         board)}
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
            log.close()
    results["load_average_after"] = os.getloadavg()
    report = {"benchmark": "contests", "at": datetime.now(dt_timezone.utc).isoformat(timespec="seconds"),
              "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
              "settings": {"students": args.students, "spawn_seconds": args.spawn_seconds, "answers": args.answers,
                           "gap_s": args.gap, "web_processes": args.workers, "threads": args.threads, "attempts_stored": args.attempts},
              "goals": {"errors": 0, "lost_answers": 0, "start_p95_ms": 500, "answer_p95_ms": 200,
                        "leaderboard_p95_ms": 300}, "results": results}
    out = Path(args.out) if args.out else root / "bench" / "results" / "contests.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        _summary(report)
        print(f"→ {out}")
    load = results.get("load", {})
    return 1 if "error" in results or load.get("errors") or load.get("lost") else 0


# ---------------------------------------------------------------- plumbing


def _child(root: Path, url: str, child: str, args) -> dict:
    cmd = [sys.executable, "-m", "cyberyouth.contests.bench", "--child", child, "--students", str(args.students),
           "--attempts", str(args.attempts), "--answers", str(args.answers)]
    print(f"contests bench: {child} …", file=sys.stderr, flush=True)
    proc = subprocess.run(cmd, env=_env(url), capture_output=True, text=True, cwd=root)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr[-4000:])
        return {"error": proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else "failed"}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_ready(host: str, server, timeout: float = 600.0) -> None:
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server stopped (exit {server.returncode}); see its log")
        try:
            with urllib.request.urlopen(f"{host}/dang-nhap/", timeout=5) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(1)
    raise RuntimeError("the server did not start")


def _pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    values = sorted(values)
    return round(values[min(len(values) - 1, int(q * len(values)))], 1)


def _baseline(host: str) -> dict:
    import urllib.request

    times = []
    for _ in range(50):
        t0 = time.perf_counter()
        with urllib.request.urlopen(f"{host}/dang-nhap/", timeout=30) as r:
            r.read()
        times.append((time.perf_counter() - t0) * 1000)
    return {"login_page_p50_ms": _pct(times, 0.5), "login_page_p95_ms": _pct(times, 0.95)}


# ---------------------------------------------------------------- the world (child, Django)


def _setup_django() -> None:
    import django

    django.setup()


def _child_setup(args) -> int:
    _setup_django()
    from datetime import date

    from django.contrib.sessions.backends.db import SessionStore
    from django.db import transaction
    from django.middleware.csrf import _get_new_csrf_string
    from django.utils import timezone

    from cyberyouth.orgs.models import Role, RoleAssignment, Unit, UnitVersion, User
    from cyberyouth.students.models import Consent, Enrolment, SchoolClass, SchoolYear, Student

    from . import demo, services
    from .models import Contest

    t0 = time.perf_counter()
    start = date(2000, 1, 1)
    if not Unit.objects.filter(code=MARKER).exists():
        with transaction.atomic():
            zone = Unit.objects.create(code=MARKER, name="Đặc khu (thử tải)", unit_type="special_zone",
                                       valid_from=start)
            UnitVersion.objects.create(unit=zone, name=zone.name, valid_from=start)
            year = SchoolYear.objects.create(name="bench", starts_on=date(2025, 9, 5), ends_on=date(2099, 5, 31))
            schools = []
            for n in range(10):
                s = Unit.objects.create(code=f"{MARKER}-s{n}", name=f"Trường THCS thử {n}", unit_type="lower_secondary",
                                        valid_from=start)
                UnitVersion.objects.create(unit=s, name=s.name, parent=zone, valid_from=start)
                schools.append(s)
            admin = User.objects.create_user(username="bench.bantochuc", full_name="Ban tổ chức (thử tải)")
            approver = User.objects.create_user(username="bench.duyet", full_name="Người duyệt (thử tải)")
            for person in (admin, approver):
                RoleAssignment.objects.create(user=person, role=Role.ADMIN, unit=zone, valid_from=start)
            versions = services.bank_import(actor=admin, unit=zone, name="bank.gift",
                                            data=demo.bankfile.write_gift(demo.read_data()).encode())
            for v in versions:
                services.question_approve(actor=approver, version=v)
            classes = [SchoolClass.objects.create(unit=s, school_year=year, name=f"9A{n}", grade=9)
                       for s in schools for n in range(3)]
            contest = services.contest_create(actor=admin, unit=zone, title="Cuộc thi thử tải", audience=[zone])
    zone = Unit.objects.get(code=MARKER)
    admin = User.objects.get(username="bench.bantochuc")
    contest = Contest.objects.get(unit=zone, title="Cuộc thi thử tải")
    have = Student.objects.filter(unit__code__startswith=f"{MARKER}-s", user__isnull=False).count()
    if have < args.students:
        classes = list(SchoolClass.objects.filter(unit__code__startswith=f"{MARKER}-s").order_by("id"))
        with transaction.atomic():
            users = User.objects.bulk_create([User(username=f"bench.hs{n:06d}", full_name=f"Học sinh thử {n}",
                                                   password="!") for n in range(have, args.students)])
            students = Student.objects.bulk_create([
                Student(unit_id=classes[n % len(classes)].unit_id, full_name=u.full_name, sort_key=u.full_name,
                        user=u) for n, u in enumerate(users)])
            Enrolment.objects.bulk_create([Enrolment(student=s, school_class=classes[n % len(classes)], unit_id=s.unit_id,
                                                     valid_from=date(2025, 9, 5)) for n, s in enumerate(students)])
            Consent.objects.bulk_create([Consent(student=s, purpose="account", guardian_name="Phụ huynh",
                                                 student_agreed=True, method="paper", signed_on=date(2025, 9, 6))
                                         for s in students])
            RoleAssignment.objects.bulk_create([RoleAssignment(user=u, role=Role.STUDENT, unit_id=s.unit_id,
                                                               valid_from=start) for u, s in zip(users, students)])
    now = timezone.now()
    rnd = services.round_create(actor=admin, contest=contest, title=f"Thử tải {now:%H:%M:%S}",
                                opens_at=now - timedelta(minutes=1), closes_at=now + timedelta(hours=2),
                                time_limit_seconds=1800, attempts_allowed=1, pools=[(None, None, args.answers)])
    people = list(User.objects.filter(username__startswith="bench.hs").order_by("username")[:args.students])
    sessions = []
    for user in people + [admin]:
        store = SessionStore()
        store["_auth_user_id"] = str(user.pk)
        store["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
        store["_auth_user_hash"] = user.get_session_auth_hash()
        store.create()
        sessions.append(store.session_key)
    print(json.dumps({"round": rnd.id, "sessions": sessions[:-1], "organiser_session": sessions[-1],
                      "csrf": _get_new_csrf_string(), "setup_s": round(time.perf_counter() - t0, 1)}))
    return 0


# ---------------------------------------------------------------- the load (parent, Locust)


def _load(host: str, setup: dict, args, url: str, server_pid: int) -> dict:
    import gevent
    from locust import FastHttpUser, constant, task
    from locust.env import Environment
    from locust.exception import StopUser

    sessions = list(setup["sessions"])
    csrf = setup["csrf"]
    round_id = setup["round"]
    acknowledged = {"answers": 0, "starts": 0, "submits": 0}
    acked: set[tuple[int, int]] = set()
    first_start, last_start = [], []

    class Student(FastHttpUser):
        wait_time = constant(0)

        @task
        def take(self):
            if not sessions:
                raise StopUser()
            key = sessions.pop()
            headers = {"Cookie": f"sessionid={key}; csrftoken={csrf}", "X-CSRFToken": csrf,
                       "Referer": f"{host}/thi/cua-em/"}
            t = time.monotonic()
            first_start.append(t) if not first_start else last_start.append(t)
            with self.client.post(f"/thi/cua-em/vong/{round_id}/bat-dau/", headers=headers, allow_redirects=False,
                                  name="start", catch_response=True) as r:
                where = r.headers.get("Location", "") if r.status_code == 302 else ""
                if "/thi/cua-em/bai/" not in where:
                    r.failure(f"start answered {r.status_code} {where}")
                    raise StopUser()
                acknowledged["starts"] += 1
            attempt = where.rstrip("/").rsplit("/", 1)[-1]
            with self.client.get(f"/thi/cua-em/bai/{attempt}/", headers=headers, name="attempt page",
                                 catch_response=True) as r:
                # The page's script sends its answers with the attempt's token, as this does.
                found = re.search(r'data-answer-token="([^"]+)"', r.text or "")
                if r.status_code != 200 or not found:
                    r.failure(f"attempt page answered {r.status_code} without a token")
                    raise StopUser()
            answer_headers = {**headers, "Accept": "application/json", "X-Attempt-Token": html.unescape(found[1])}
            for slot in range(args.answers):
                gevent.sleep(random.uniform(0.5, 1.5) * args.gap)
                with self.client.post(f"/thi/cua-em/bai/{attempt}/tra-loi/", data={"slot": str(slot), "choice": "0"},
                                      headers=answer_headers, name="answer",
                                      catch_response=True) as r:
                    if r.status_code == 200 and r.json().get("slot") == slot:
                        acknowledged["answers"] += 1
                        acked.add((int(attempt), slot))
                    else:
                        r.failure(f"answer answered {r.status_code}")
            with self.client.post(f"/thi/cua-em/bai/{attempt}/nop/", data={"prediction": "100"}, headers=headers,
                                  allow_redirects=False, name="submit", catch_response=True) as r:
                if r.status_code == 302 and "/ket-qua/" in r.headers.get("Location", ""):
                    acknowledged["submits"] += 1
                else:
                    r.failure(f"submit answered {r.status_code}")
            raise StopUser()

    env = Environment(user_classes=[Student], host=host)
    runner = env.create_local_runner()
    print(f"contests bench: {args.students} students starting within {args.spawn_seconds:g} s …", file=sys.stderr,
          flush=True)
    cpu_before = _cpu_snapshot(server_pid)
    t0 = time.monotonic()
    runner.start(args.students, spawn_rate=args.students / args.spawn_seconds)
    gevent.sleep(1)
    deadline = t0 + args.spawn_seconds + args.answers * args.gap * 4 + 600
    while time.monotonic() < deadline:
        gevent.sleep(1)
        if runner.user_count == 0 and not sessions:
            break
    elapsed = time.monotonic() - t0
    runner.quit()
    cpu = _cpu_spent(cpu_before, _cpu_snapshot(server_pid), acknowledged["starts"])
    stats = {}
    for name in ("start", "attempt page", "answer", "submit"):
        entry = env.stats.get(name, "POST" if name != "attempt page" else "GET")
        stats[name] = {"requests": entry.num_requests, "failures": entry.num_failures,
                       "p50_ms": entry.get_response_time_percentile(0.5),
                       "p95_ms": entry.get_response_time_percentile(0.95),
                       "p99_ms": entry.get_response_time_percentile(0.99), "rps_peak": None}
    errors = sum(s["failures"] for s in stats.values())
    kinds = {f"{e.name}: {str(e.error)[:160]}": e.occurrences for e in env.stats.errors.values()}
    start_window = (max(last_start) - first_start[0]) if last_start else 0.0
    import psycopg

    with psycopg.connect(url) as conn:
        rows = set(conn.execute("SELECT a.attempt_id, a.slot FROM contests_answer a JOIN contests_attempt t "
                                "ON t.id = a.attempt_id WHERE t.round_id = %s", (round_id,)).fetchall())
        stored = len(rows)
        attempts = conn.execute("SELECT count(*), count(*) FILTER (WHERE state = 'submitted') FROM contests_attempt "
                                "WHERE round_id = %s", (round_id,)).fetchone()
    return {"elapsed_s": round(elapsed, 1), "start_window_s": round(start_window, 1),
            "starts_per_s": round(acknowledged["starts"] / start_window, 1) if start_window else None,
            "answers_per_s": round(acknowledged["answers"] / elapsed, 1), "errors": errors, "error_kinds": kinds, "by_kind": stats,
            # lost: acknowledged to the student but not in the database (must be 0); stored without an
            # acknowledgement: the client gave up waiting (a timeout it reports as an error) but the
            # server saved the answer — the student sees it saved after a reload
            "acknowledged": acknowledged["answers"], "stored": stored, "lost": len(acked - rows),
            "stored_unacknowledged": len(rows - acked),
            "attempts_started": attempts[0], "attempts_submitted": attempts[1], "submits_ok": acknowledged["submits"],
            "load_average": os.getloadavg(), "cpu": cpu}


# ---------------------------------------------------------------- where the CPU went


def _cpu_snapshot(server_pid: int) -> dict:
    """CPU seconds used so far by the web processes, PostgreSQL, this process (Locust) and the machine.

    A process's own time plus what its exited children used (the kernel adds a child's time to its
    parent when the parent reaps it): PostgreSQL's backends come and go with each connection, and
    the postmaster reaps them. psutil comes with Locust."""
    import psutil

    def tree(root: psutil.Process) -> float:
        total = 0.0
        for p in [root, *root.children(recursive=True)]:
            try:
                t = p.cpu_times()
                total += t.user + t.system + (t.children_user + t.children_system if p is root else 0.0)
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                pass
        return total

    snap = {"web": tree(psutil.Process(server_pid)), "postgresql": 0.0}
    for p in psutil.process_iter(["name"]):
        try:
            postmaster = p.info["name"] == "postgres" and p.parent().name() != "postgres"
        except (psutil.NoSuchProcess, psutil.AccessDenied, AttributeError):
            postmaster = False
        if postmaster:
            snap["postgresql"] += tree(p)  # its backends, live and reaped
    me = psutil.Process().cpu_times()
    snap["load_generator"] = me.user + me.system
    machine = psutil.cpu_times()
    snap["machine_busy"] = sum(machine) - machine.idle - getattr(machine, "iowait", 0.0)
    snap["machine_all"] = sum(machine)
    return snap


def _cpu_spent(before: dict, after: dict, students: int) -> dict:
    """Seconds of CPU each part used during the load, and per student in milliseconds."""
    spent = {k: after[k] - before[k] for k in before}
    parts = {k: round(spent[k], 1) for k in ("web", "postgresql", "load_generator")}
    parts["other"] = round(max(0.0, spent["machine_busy"] - sum(parts.values())), 1)
    return {"seconds": parts, "machine_busy_share": round(spent["machine_busy"] / spent["machine_all"], 3)
            if spent["machine_all"] else None,
            "per_student_ms": {k: round(1000 * v / students, 1) for k, v in parts.items()} if students else {}}


# ---------------------------------------------------------------- the leaderboard


def _child_leaderboard(args) -> int:
    _setup_django()
    from django.db import connection
    from django.utils import timezone

    from cyberyouth.orgs.models import Unit, User

    from . import services
    from .models import Attempt, Contest, Round

    zone = Unit.objects.get(code=MARKER)
    contest = Contest.objects.get(unit=zone, title="Cuộc thi thử tải")
    title = f"Bảng xếp hạng {args.attempts}"
    rnd = Round.objects.filter(contest=contest, title=title).first()
    build_s = 0.0
    if rnd is None or Attempt.objects.filter(round=rnd).count() < args.attempts:
        t0 = time.perf_counter()
        now = timezone.now()
        if rnd is not None:
            Round.objects.filter(pk=rnd.pk).update(title=f"{title} (cũ {rnd.pk})")
        rnd = Round.objects.create(contest=contest, number=(contest.rounds.count() + 1) * 1000, title=title,
                                   opens_at=now - timedelta(days=8), closes_at=now - timedelta(days=1),
                                   questions_per_attempt=10, attempts_allowed=1000)
        with connection.cursor() as cur:
            # Every bench student makes attempts until the count is reached (number 1, 2, …): random
            # scores (many full marks, as in the real contests), predictions, durations.
            cur.execute("""
                WITH s AS MATERIALIZED (SELECT st.id, st.unit_id, row_number() OVER (ORDER BY st.id) - 1 AS k,
                                                count(*) OVER () AS n
                           FROM students_student st JOIN orgs_unit u ON u.id = st.unit_id
                           WHERE u.code LIKE %(prefix)s AND st.user_id IS NOT NULL),
                     c AS (SELECT count(*) AS n FROM s)
                INSERT INTO contests_attempt (round_id, student_id, user_id, number, unit_id, layout, started_at,
                                              deadline, state, submitted_at, score, prediction, duration_ms,
                                              answers_hash, review, review_note)
                SELECT %(round)s, s.id, NULL, g / s.n + 1, s.unit_id, '[]'::jsonb,
                       %(opens)s + mod(g, 600000) * interval '1 second', %(opens)s + (mod(g, 600000) + 600) * interval '1 second',
                       'submitted', %(opens)s + (mod(g, 600000) + 30 + mod(g, 570)) * interval '1 second',
                       CASE WHEN random() < 0.4 THEN 10 ELSE floor(random() * 10)::int END,
                       floor(random() * 1000000)::int, (30 + mod(g, 570)) * 1000, '', '', ''
                FROM c CROSS JOIN generate_series(0, %(total)s - 1) g JOIN s ON s.k = mod(g, c.n)""",
                        {"round": rnd.id, "opens": rnd.opens_at, "total": args.attempts,
                         "prefix": f"{MARKER}-s%"})
        build_s = round(time.perf_counter() - t0, 1)
        rnd.ranked_at = None
        rnd.save(update_fields=["ranked_at"])
    t0 = time.perf_counter()
    services.round_rank(rnd=rnd, actor=User.objects.get(username="bench.bantochuc"), again=True)
    rank_s = round(time.perf_counter() - t0, 2)
    # The baseline: the first 50 ranks computed from the attempts on every read.
    from .services import _RANK_SQL

    select = _RANK_SQL.split("SELECT", 1)[1]
    naive = []
    with connection.cursor() as cur:
        for _ in range(5):
            t0 = time.perf_counter()
            cur.execute("SELECT" + select + " ORDER BY 6 LIMIT 50",
                        {"max": 10, "full": rnd.full_marks_count or 0, "round": rnd.id})
            cur.fetchall()
            naive.append((time.perf_counter() - t0) * 1000)
    print(json.dumps({"round": rnd.id, "attempts": Attempt.objects.filter(round=rnd).count(),
                      "ranked_students": rnd.results.count(), "build_s": build_s, "rank_s": rank_s,
                      "naive_read_p50_ms": _pct(naive, 0.5)}))
    return 0


def _leaderboard_reads(host: str, setup: dict, board: dict) -> dict:
    import urllib.request

    headers = {"Cookie": f"sessionid={setup['organiser_session']}"}
    pages = max(1, board["ranked_students"] // 50)
    out = {}
    for name, make in (("page", lambda p: f"{host}/thi/vong/{board['round']}/?trang={p}"),
                       ("api", lambda p: f"{host}/api/contests/rounds/{board['round']}/leaderboard?offset={(p - 1) * 50}")):
        times = []
        for i in range(120):
            page = 1 if i % 4 == 0 else random.randint(1, pages)
            request = urllib.request.Request(make(page), headers=headers)
            t0 = time.perf_counter()
            with urllib.request.urlopen(request, timeout=60) as r:
                r.read()
                assert r.status == 200
            times.append((time.perf_counter() - t0) * 1000)
        out[name] = {"p50_ms": _pct(times, 0.5), "p95_ms": _pct(times, 0.95), "mean_ms": round(statistics.mean(times), 1)}
    out["speedup_vs_naive"] = round(board["naive_read_p50_ms"] / out["api"]["p50_ms"], 1) if out["api"]["p50_ms"] else None
    return out


def _summary(report: dict) -> None:
    r = report["results"]
    print("contests benchmark (PostgreSQL, cyberyouth serve with "
          f"{report['settings']['web_processes']} web processes)")
    if "error" in r:
        print(f"  error: {r['error']}")
        return
    b = r["baseline"]
    print(f"  load average before {tuple(round(x, 1) for x in r['load_average_before'])}, "
          f"after {tuple(round(x, 1) for x in r['load_average_after'])} (2 cores, shared)")
    print(f"  baseline: login page p50 {b['login_page_p50_ms']} ms, p95 {b['login_page_p95_ms']} ms (idle server)")
    load = r.get("load")
    if load:
        print(f"  {report['settings']['students']} students: {load['attempts_started']} started in "
              f"{load['start_window_s']} s → {load['starts_per_s']} starts/s; {load['answers_per_s']} answers/s "
              f"over {load['elapsed_s']} s; errors {load['errors']}")
        for what, n in load.get("error_kinds", {}).items():
            print(f"    error ×{n}: {what}")
        for name, s in load["by_kind"].items():
            ratio = round(s["p95_ms"] / b["login_page_p95_ms"], 1) if s["p95_ms"] and b["login_page_p95_ms"] else None
            print(f"    {name:13s} {s['requests']:6d} requests, {s['failures']} failed; p50 {s['p50_ms']} ms, "
                  f"p95 {s['p95_ms']} ms, p99 {s['p99_ms']} ms (p95 ×{ratio} the idle login page)")
        print(f"  answers acknowledged {load['acknowledged']}, stored {load['stored']} → acknowledged but not stored "
              f"(lost) {load['lost']}, stored after the client gave up {load['stored_unacknowledged']}; attempts "
              f"handed in {load['attempts_submitted']}")
        cpu = load.get("cpu")
        if cpu:
            per = cpu["per_student_ms"]
            print(f"  CPU during the load (machine busy {round(100 * (cpu['machine_busy_share'] or 0))} %): "
                  + ", ".join(f"{k.replace('_', ' ')} {v} s" for k, v in cpu["seconds"].items())
                  + " → per student " + ", ".join(f"{k.replace('_', ' ')} {v} ms" for k, v in per.items()))
    lb = r.get("leaderboard")
    if lb:
        if "error" in lb:
            print(f"  leaderboard: {lb['error']}")
        else:
            print(f"  leaderboard: {lb['attempts']} attempts stored ({lb['ranked_students']} students ranked), "
                  f"ranking at close {lb['rank_s']} s; read p95 page {lb['page']['p95_ms']} ms, API "
                  f"{lb['api']['p95_ms']} ms (goal < 300 ms) vs ranking on read {lb['naive_read_p50_ms']} ms p50 "
                  f"→ ×{lb['speedup_vs_naive']}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
