"""`cyberyouth bench helpline` — intake with triage, and the counsellor's queue at scale.

For each database (SQLite in var/bench/, PostgreSQL in its own database
`cyberyouth_bench_helpline` when reachable), in a fresh child process:

1. intake: N children's messages (default 2,000) through `services.child_submit` (validation,
   rate limit, triage by the safety engine, case + contact + message + clocks, audit), each
   timed → p50/p95 ms. Baseline measured in the same run: the engine alone (`safety.analyze`)
   on the same texts — the ratio says what the service layer costs on top.
2. queue: fill the case table to M cases (default 100,000; a tenth open, each with a message and
   its clocks) with bulk inserts, then time the counsellor's queue page (`GET /tong-dai/`, full
   Django stack) and the queue API → p50/p95 ms. Baseline: the same pages before the fill.

Goals (issue 13): intake p95 < 50 ms; queue p95 < 300 ms with 100,000 cases.
Writes bench/results/helpline.json (relative to the current directory).
"""

import argparse
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

from cyberyouth.lib import bench

PG_DEFAULT = "postgresql://postgres@127.0.0.1:5432/cyberyouth_bench_helpline"

TEXTS = ["Em bị bạn cùng lớp chửi bới trên nhóm chat, em buồn lắm {n}",
         "Có người lạ nhắn tin đòi ảnh của em, em sợ quá {n}",
         "Cho em hỏi làm sao để bảo vệ tài khoản facebook {n}",
         "Em không muốn sống nữa, không ai hiểu em cả {n}",
         "Bạn em bị lừa nạp thẻ để nhận quà, giờ mất hết tiền {n}",
         "Mấy anh lớp trên dọa đánh em sau giờ học {n}",
         "Em muốn hỏi về cách chặn người lạ trên Zalo {n}"]


def texts(count: int, seed: int = 13) -> list[str]:
    rng = random.Random(seed)
    return [rng.choice(TEXTS).format(n=n) for n in range(count)]


def _fixture():
    from datetime import date

    from cyberyouth.orgs.models import Role, RoleAssignment, Unit, UnitType, UnitVersion, User

    from .models import Helpline

    zone, _ = Unit.objects.get_or_create(code="bench-zone", defaults={
        "name": "Đặc khu thử", "unit_type": UnitType.SPECIAL_ZONE, "valid_from": date(2020, 1, 1)})
    UnitVersion.objects.get_or_create(unit=zone, valid_from=date(2020, 1, 1), defaults={"name": zone.name})
    Helpline.objects.get_or_create(unit=zone, defaults={"name": "Tổng đài thử"})
    counsellor, _ = User.objects.get_or_create(username="bench.tuvan", defaults={"email": ""})
    RoleAssignment.objects.get_or_create(user=counsellor, role=Role.COUNSELLOR, unit=zone,
                                         defaults={"valid_from": date(2020, 1, 1)})
    return zone, counsellor


def _intake(n: int) -> dict:
    from cyberyouth.safety import analyze

    from . import services

    data = texts(n)
    for t in data[:20]:  # warm the engine and the query plans
        analyze(t)
    engine = []
    for t in data:
        t0 = time.perf_counter()
        analyze(t)
        engine.append((time.perf_counter() - t0) * 1000)
    service = []
    for i, t in enumerate(data):
        t0 = time.perf_counter()
        services.child_submit(text=t, client_address=f"10.{i // 65536 % 256}.{i // 256 % 256}.{i % 256}",
                              submission_key=f"bench-{i}")
        service.append((time.perf_counter() - t0) * 1000)
    e, s = bench.percentiles(engine), bench.percentiles(service)
    return {"messages": n, "service": s, "engine_alone": e,
            "ratio_p95_service_vs_engine": round(s["p95_ms"] / e["p95_ms"], 1) if e["p95_ms"] else None,
            "goal_p95_ms": 50, "goal_met": s["p95_ms"] < 50}


def _fill(total: int, zone) -> float:
    from datetime import timedelta

    from django.utils import timezone

    from .models import Case, Clock, Message, Urgency

    t0 = time.perf_counter()
    rng = random.Random(7)
    have = Case.objects.count()
    now = timezone.now()
    batch = 5000
    n = have
    while n < total:
        size = min(batch, total - n)
        cases = []
        for i in range(size):
            k = n + i
            open_ = rng.random() < 0.1
            urgency = rng.choice([Urgency.CRITICAL, Urgency.URGENT, Urgency.NOT_URGENT, Urgency.NOT_URGENT])
            received = now - timedelta(minutes=rng.randint(1, 60 * 24 * 365))
            cases.append(Case(unit=zone, code=f"B{k:09d}", status=rng.choice(["new", "in_progress", "referred"])
                              if open_ else "closed", is_open=open_, urgency=urgency,
                              urgency_rank={"critical": 0, "urgent": 1, "not_urgent": 2}[urgency],
                              received_at=received, awaiting_answer=open_ and rng.random() < 0.5,
                              closed_at=None if open_ else received + timedelta(days=3)))
        created = Case.objects.bulk_create(cases)
        if created and created[0].pk is None:  # backends that do not return ids
            created = list(Case.objects.filter(code__in=[c.code for c in cases]))
        Message.objects.bulk_create([Message(case=c, author="child", text=rng.choice(TEXTS).format(n=c.code),
                                             created_at=c.received_at) for c in created])
        Clock.objects.bulk_create([Clock(case=c, kind=kind, started_at=c.received_at,
                                         due_at=c.received_at + timedelta(hours=h),
                                         met_at=None if c.status != "closed" else c.received_at + timedelta(hours=1))
                                   for c in created for kind, h in (("first_answer", 2), ("plan", 170))])
        n += size
    return time.perf_counter() - t0


def child(args) -> dict:
    bench.setup_django(args.database_url)
    from django.db import connection
    from django.test import Client

    from .models import Case

    zone, counsellor = _fixture()
    if Case.objects.exists():
        raise SystemExit("the bench database is not empty (remove it first)")
    result = {"engine": connection.vendor, "database": connection.settings_dict.get("NAME")}
    result["intake"] = _intake(args.messages)
    client = Client()
    client.force_login(counsellor)
    pages = ["/tong-dai/", "/api/helpline/cases?limit=50"]
    result["queue_baseline"] = {"stored_cases": Case.objects.count(),
                                "pages": [bench.page_latency(client, u, args.runs) for u in pages]}
    fill_s = _fill(args.cases, zone)
    bench.analyze_tables()
    result["queue"] = {"stored_cases": Case.objects.count(),
                       "open_cases": Case.objects.exclude(status="closed").count(),
                       "fill_seconds": round(fill_s, 1), "pages": [bench.page_latency(client, u, args.runs) for u in pages]}
    for base, now in zip(result["queue_baseline"]["pages"], result["queue"]["pages"]):
        now["ratio_p95_vs_baseline"] = round(now["p95_ms"] / base["p95_ms"], 2) if base["p95_ms"] else None
    worst = max(p["p95_ms"] for p in result["queue"]["pages"])
    result["queue"]["goal_p95_ms"] = 300
    result["queue"]["goal_met"] = worst < 300 and result["queue"]["stored_cases"] >= args.cases
    return result


def _print(res: dict) -> None:
    i = res["intake"]
    print(f"[{res['engine']}] intake+triage {i['messages']:,} messages: p50 {i['service']['p50_ms']} ms, "
          f"p95 {i['service']['p95_ms']} ms (engine alone p95 {i['engine_alone']['p95_ms']} ms → "
          f"×{i['ratio_p95_service_vs_engine']}) goal p95 < 50 ms: {'OK' if i['goal_met'] else 'MISSED'}")
    q = res["queue"]
    print(f"[{res['engine']}] queue with {q['stored_cases']:,} cases ({q['open_cases']:,} open), "
          f"filled in {q['fill_seconds']} s:")
    for page in q["pages"]:
        print(f"    {page['url']:<32} p50 {page['p50_ms']:>7} ms  p95 {page['p95_ms']:>7} ms  "
              f"(×{page['ratio_p95_vs_baseline']} vs baseline)")
    print(f"    goal p95 < 300 ms: {'OK' if q['goal_met'] else 'MISSED'}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="cyberyouth bench helpline", description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--postgres-url", default=os.environ.get("BENCH_HELPLINE_PG_URL", PG_DEFAULT))
    parser.add_argument("--out", default="bench/results/helpline.json")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args)))
        return 0
    results = {"benchmark": "helpline", "messages": args.messages, "cases": args.cases, "runs": []}
    status = 0
    for name in [d.strip() for d in args.databases.split(",") if d.strip()]:
        url = bench.fresh_sqlite("helpline") if name == "sqlite" else bench.postgres_database(args.postgres_url)
        if url is None:
            results["runs"].append({"engine": name, "skipped": True})
            continue
        print(f"== helpline bench on {name} ==", flush=True)
        cmd = [sys.executable, "-m", "cyberyouth.helpline.bench", "--child", "--database-url", url,
               "--messages", str(args.messages), "--cases", str(args.cases), "--runs", str(args.runs)]
        proc = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "LOG_LEVEL": "WARNING"})
        if proc.returncode != 0:
            print(proc.stdout[-2000:], proc.stderr[-4000:], file=sys.stderr)
            results["runs"].append({"engine": name, "error": proc.stderr[-2000:]})
            status = 1
            continue
        res = json.loads(proc.stdout.strip().splitlines()[-1])
        results["runs"].append(res)
        _print(res)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=1), "utf-8")
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=1))
    print(f"→ {out}")
    return status


if __name__ == "__main__":
    sys.exit(main())
