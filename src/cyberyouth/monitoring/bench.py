"""`cyberyouth bench monitoring` — ingestion throughput and queue latency.

For each database (SQLite in var/bench/, PostgreSQL in its own database
`cyberyouth_bench_monitoring` when reachable), in a fresh child process:

1. ingest + analyse N items (default 100,000) through `services.ingest` (validation, dedupe,
   one engine call per batch, ranking, bulk insert, audit) → items/s. Baselines measured in the
   same run: the engine alone (`safety.analyze_many`) and a bare ORM `bulk_create` of the same
   rows — the ratios say what the service layer costs on top of each.
2. fill the item table to M rows (default 1,000,000) with bulk inserts, then time the queue
   page (`GET /giam-sat/` as the moderator, full Django stack: session, scoping, template) and
   the queue API → p50/p95 ms. Baseline: the same page measured at the start of step 2, with
   only the N ingested items stored (ratio = cost of growing the table).

Goals (issue 6): ≥ 2,000 items/s on SQLite; queue p95 < 300 ms with 1,000,000 items.
Writes bench/results/monitoring.json (relative to the current directory).
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

PG_DEFAULT = "postgresql://postgres@127.0.0.1:5432/cyberyouth_bench_monitoring"

CLEAN = ["Hôm nay lớp {n} đi tham quan Cát Bà vui quá", "Chúc các bạn thi tốt nhé, cố lên {n}",
         "Trường mình tổ chức giải bóng đá học sinh lần thứ {n}", "Cảm ơn cô giáo chủ nhiệm đã dạy dỗ chúng em {n}",
         "Ai có tài liệu ôn thi toán lớp 9 không, cho mình xin với {n}", "Biển Cát Bà chiều nay đẹp lắm mọi người ơi {n}",
         "Tối nay có ai đi xem văn nghệ ở nhà văn hóa không {n}", "Mình mới học được cách bảo vệ tài khoản facebook {n}"]
HARMFUL = ["thằng béo lớp {n} ngu như chó, tẩy chay nó đi", "Nạp thẻ 100k nhận 500k, cá độ bóng đá uy tín {n}",
           "Mình chán lắm rồi, không muốn sống nữa {n}", "Có clip nóng của con bé lớp {n}, ai muốn xem inbox",
           "Số điện thoại của bạn Hoa lớp {n} là 0912 345 678", "Bán hàng đá, cỏ giao tận nơi, ib {n}",
           "tan học ra cổng trường tao đánh cho không trượt phát nào {n}"]


def texts(count: int, seed: int = 311) -> list[str]:
    rng = random.Random(seed)
    out = []
    for n in range(count):
        pool = HARMFUL if rng.random() < 0.15 else CLEAN
        out.append(rng.choice(pool).format(n=n) + (" " + rng.choice(CLEAN).format(n=rng.randint(0, 99))
                                                   if rng.random() < 0.3 else ""))
    return out


# ---------------------------------------------------------------- the child process (one database)


def _fixture():
    """A zone with 30 schools, a moderator, and a monitored channel per school."""
    from datetime import date

    from cyberyouth.channels.models import Channel, Platform
    from cyberyouth.orgs.models import Role, RoleAssignment, Unit, UnitType, UnitVersion, User

    from .models import ChannelWatch

    zone, _ = Unit.objects.get_or_create(code="bench-zone", defaults={
        "name": "Đặc khu thử", "unit_type": UnitType.SPECIAL_ZONE, "valid_from": date(2020, 1, 1)})
    UnitVersion.objects.get_or_create(unit=zone, valid_from=date(2020, 1, 1), defaults={"name": zone.name})
    schools = []
    for i in range(30):
        school, _ = Unit.objects.get_or_create(code=f"bench-school-{i}", defaults={
            "name": f"Trường thử {i}", "unit_type": UnitType.LOWER_SECONDARY, "valid_from": date(2020, 1, 1),
            "parent": zone})
        UnitVersion.objects.get_or_create(unit=school, valid_from=date(2020, 1, 1),
                                          defaults={"name": school.name, "parent": zone})
        schools.append(school)
    moderator, created = User.objects.get_or_create(username="bench.kiemduyet")
    if created:
        moderator.set_password("bench-Password-311")
        moderator.save()
    RoleAssignment.objects.get_or_create(user=moderator, role=Role.MODERATOR, unit=zone,
                                         defaults={"valid_from": date(2020, 1, 1)})
    channels = []
    for i, school in enumerate(schools):
        channel, _ = Channel.objects.get_or_create(platform=Platform.FACEBOOK_PAGE,
                                                   address=f"https://www.facebook.com/bench.{i}",
                                                   defaults={"name": f"Trang thử {i}", "owner_unit": school,
                                                             "monitored": True})
        ChannelWatch.objects.get_or_create(channel=channel, defaults={"zone_unit": zone})
        channels.append(channel)
    return zone, schools, moderator, channels


def _ingest(n: int, channels, batch: int) -> dict:
    from cyberyouth import safety

    from . import services
    from .models import Item

    corpus = texts(n)
    safety.analyze_many(corpus[:200])  # load the model outside the timing
    # Baseline 1: the engine alone.
    t0 = time.perf_counter()
    for i in range(0, n, batch):
        safety.analyze_many(corpus[i:i + batch])
    engine_s = time.perf_counter() - t0
    # The service layer.
    t0 = time.perf_counter()
    for start in range(0, n, batch):
        channel = channels[(start // batch) % len(channels)]
        services.ingest(channel=channel, source="push", entries=[
            {"external_id": f"b{start + j}", "url": f"https://www.facebook.com/bench/{start + j}", "author": f"user{j % 97}",
             "text": t} for j, t in enumerate(corpus[start:start + batch])])
    service_s = time.perf_counter() - t0
    assert Item.objects.filter(external_id__startswith="b").count() == n
    # Baseline 2: a bare bulk_create of comparable rows (no validation, dedupe, engine or audit).
    zone = channels[0].owner_unit
    from django.utils import timezone

    now = timezone.now()
    t0 = time.perf_counter()
    for start in range(0, n, batch):
        Item.objects.bulk_create([
            Item(channel=None, unit=zone, source="push", external_id="", url="", text=t, content_hash="h",
                 raw="{}", raw_sha256="x", captured_at=now, state="below")
            for t in corpus[start:start + batch]], batch_size=500)
    bare_s = time.perf_counter() - t0
    Item.objects.filter(channel__isnull=True, content_hash="h").delete()
    return {"items": n, "batch": batch,
            "service_items_per_s": round(n / service_s), "engine_items_per_s": round(n / engine_s),
            "bare_insert_items_per_s": round(n / bare_s),
            "ratio_service_vs_engine": round(engine_s / service_s, 3),
            "ratio_service_vs_bare_insert": round(bare_s / service_s, 3),
            "goal_items_per_s": 2000, "goal_met": n / service_s >= 2000}


def _fill(total: int, schools, channels) -> float:
    """Bulk-insert synthetic items up to `total` rows (10 % open, 5 % decided)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from .models import Item

    have = Item.objects.count()
    need = max(0, total - have)
    rng = random.Random(7)
    now = timezone.now()
    cats = ["harassment", "sexual", "violence", "self_harm", "scam", "gambling", "drugs", "personal_data", "hate"]
    sev = {"self_harm": 5, "sexual": 5, "violence": 4, "harassment": 4, "hate": 4, "personal_data": 3, "scam": 3,
           "drugs": 3, "gambling": 2}
    cols = ["channel_id", "unit_id", "source", "external_id", "url", "author", "text", "published_at", "parent_id",
            "content_hash", "raw", "raw_sha256", "captured_at", "source_url", "toxicity", "scores", "spans",
            "personal_data", "model_version", "top_category", "severity", "score", "reported", "state",
            "claimed_by_id", "claimed_until", "decided_at", "outcome", "decided_category"]
    table = Item._meta.db_table
    t0 = time.perf_counter()
    chunk = 20000
    vendor = connection.vendor
    for start in range(0, need, chunk):
        rows = []
        for k in range(start, min(need, start + chunk)):
            roll = rng.random()
            cat = rng.choice(cats)
            state = "open" if roll < 0.10 else "decided" if roll < 0.15 else "below"
            score = round(rng.random(), 4)
            when = now - __import__("datetime").timedelta(minutes=rng.randint(0, 60 * 24 * 365))
            ch = rng.randrange(len(channels))
            text = f"nội dung thử số {k}: " + CLEAN[k % len(CLEAN)].format(n=k)
            rows.append((channels[ch].pk, schools[ch].pk, "feed", f"fill{k}", "", "", text, None, None, f"f{k}",
                         "{}", "0" * 64, when, "", "CLEAN", '{"%s": %s}' % (cat, score), "[]", "[]", "bench",
                         cat, sev[cat] if state != "below" else 0, score, False, state, None, None,
                         when if state == "decided" else None, "confirm" if state == "decided" else "",
                         cat if state == "decided" else ""))
        with transaction.atomic(), connection.cursor() as cursor:
            if vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                placeholders = ", ".join(["%s"] * len(cols))
                cursor.executemany(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({placeholders})", rows)
    bench.analyze_tables()
    return time.perf_counter() - t0


def child(args) -> dict:
    bench.setup_django(args.database_url)
    from django.db import connection
    from django.test import Client

    from .models import Item

    zone, schools, moderator, channels = _fixture()
    result = {"engine": connection.vendor, "database": connection.settings_dict.get("NAME")}
    if Item.objects.filter(external_id__startswith="b").exists():
        raise SystemExit("the bench database is not empty (remove it first)")
    result["ingest"] = _ingest(args.items, channels, args.batch)
    bench.analyze_tables()
    client = Client()
    client.force_login(moderator)
    pages = ["/giam-sat/", "/giam-sat/?trang=2", "/giam-sat/?nhom=harassment", "/api/monitoring/queue?limit=50"]
    result["queue_baseline"] = {"stored_items": Item.objects.count(),
                                "pages": [bench.page_latency(client, u, args.runs) for u in pages]}
    fill_s = _fill(args.queue_items, schools, channels)
    stored = Item.objects.count()
    result["queue"] = {"stored_items": stored, "open_items": Item.objects.filter(state="open").count(),
                       "fill_seconds": round(fill_s, 1), "pages": [bench.page_latency(client, u, args.runs) for u in pages]}
    for base, now in zip(result["queue_baseline"]["pages"], result["queue"]["pages"]):
        now["ratio_p95_vs_baseline"] = round(now["p95_ms"] / base["p95_ms"], 2) if base["p95_ms"] else None
    worst = max(p["p95_ms"] for p in result["queue"]["pages"])
    result["queue"]["goal_p95_ms"] = 300
    result["queue"]["goal_met"] = worst < 300 and stored >= args.queue_items
    return result


# ---------------------------------------------------------------- the parent process


def _print(res: dict) -> None:
    ing = res["ingest"]
    print(f"[{res['engine']}] ingest+analyse {ing['items']:,} items: {ing['service_items_per_s']:,}/s "
          f"(engine alone {ing['engine_items_per_s']:,}/s → ×{ing['ratio_service_vs_engine']}; "
          f"bare insert {ing['bare_insert_items_per_s']:,}/s → ×{ing['ratio_service_vs_bare_insert']}) "
          f"goal ≥2,000/s: {'OK' if ing['goal_met'] else 'MISSED'}")
    q, b = res["queue"], res["queue_baseline"]
    print(f"[{res['engine']}] queue with {q['stored_items']:,} stored ({q['open_items']:,} open; "
          f"baseline {b['stored_items']:,}), filled in {q['fill_seconds']} s:")
    for page in q["pages"]:
        print(f"    {page['url']:<34} p50 {page['p50_ms']:>7} ms  p95 {page['p95_ms']:>7} ms  "
              f"(×{page['ratio_p95_vs_baseline']} vs baseline)")
    print(f"    goal p95 < 300 ms: {'OK' if q['goal_met'] else 'MISSED'}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="cyberyouth bench monitoring", description=__doc__.split("\n")[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--queue-items", type=int, default=1_000_000)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=60, help="requests per page timed")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--postgres-url", default=os.environ.get("BENCH_MONITORING_PG_URL", PG_DEFAULT))
    parser.add_argument("--out", default="bench/results/monitoring.json")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args)))
        return 0
    results = {"benchmark": "monitoring", "items": args.items, "queue_items": args.queue_items, "runs": []}
    status = 0
    for name in [d.strip() for d in args.databases.split(",") if d.strip()]:
        url = bench.fresh_sqlite("monitoring") if name == "sqlite" else bench.postgres_database(args.postgres_url)
        if url is None:
            results["runs"].append({"engine": name, "skipped": True})
            continue
        print(f"== monitoring bench on {name} ==", flush=True)
        cmd = [sys.executable, "-m", "cyberyouth.monitoring.bench", "--child", "--database-url", url,
               "--items", str(args.items), "--queue-items", str(args.queue_items), "--batch", str(args.batch),
               "--runs", str(args.runs)]
        env = {**os.environ, "LOG_LEVEL": "WARNING"}
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
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
