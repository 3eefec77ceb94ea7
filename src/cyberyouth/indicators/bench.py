"""`cyberyouth bench indicators [--scale district|province|country] [--json] [--backend sqlite|postgresql|both]`

Builds a synthetic country (country: 34 provinces, ~3,300 communes, ~45,000 schools, 9 years
2017–2025 of approved reports, with commune merges on 1/7/2025 as in the real reform) and
measures, on SQLite and — when 127.0.0.1:5432 answers — on PostgreSQL:

- compute_all_cold: every indicator for every unit for one year (2025), nothing cached
  (the dashboard/CLI/reports path: `indicators.selectors.compute_indicators`);
- baseline ratio: a naive per-unit ORM computation (one query per unit over its subtree)
  against the aggregated path, both on one province, in the same run;
- dashboard p50/p95 for a province (as that province's administrator) and for the country
  (as a superuser): `indicators.selectors.dashboard` (indicators, children, series, completeness);
  the first, cold call is reported apart.

The synthetic database is built with bulk_create once and reused (SQLite file under
var/bench/, PostgreSQL database `cyberyouth_bench_<scale>`); `--rebuild` starts afresh.
Each backend runs in its own process (Django settings are per process). Results:
bench/results/indicators-<scale>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import time
from datetime import date, datetime, timezone as dt_timezone
from pathlib import Path

from cyberyouth.lib import bench

SCALES = {
    # provinces, communes per province, schools per commune
    "district": (1, 12, 14),
    "province": (1, 100, 14),
    "country": (34, 97, 14),
}
YEARS = list(range(2017, 2026))
YEAR = 2025
MARKER = "bench-{scale}-v2"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="cyberyouth bench indicators")
    parser.add_argument("--scale", choices=list(SCALES), default="province")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the synthetic database")
    parser.add_argument("--repeat", type=int, default=30, help="dashboard calls per measurement")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--out", help="result file (default bench/results/indicators-<scale>.json)")
    args = parser.parse_args(argv or [])
    if args.child:
        return _child(args)
    root = bench.repo_root()
    results: dict[str, dict] = {}
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    for backend in backends:
        url = _database_url(backend, args.scale, root, rebuild=args.rebuild)
        if url is None:
            results[backend] = {"skipped": "PostgreSQL not reachable at 127.0.0.1:5432"}
            continue
        cmd = [sys.executable, "-m", "cyberyouth.indicators.bench", "--child", "--scale", args.scale,
               "--repeat", str(args.repeat)]
        env = os.environ | {"DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "cyberyouth.config.settings"}
        env.pop("CYBERYOUTH_TEST_DB_NAME", None)
        print(f"indicators bench: {args.scale} on {backend} …", file=sys.stderr, flush=True)
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=root)
        if proc.returncode != 0:
            sys.stderr.write(proc.stderr[-4000:])
            results[backend] = {"error": proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else "failed"}
            continue
        results[backend] = json.loads(proc.stdout.strip().splitlines()[-1])
    report = {
        "benchmark": "indicators", "scale": args.scale, "year": YEAR,
        "at": datetime.now(dt_timezone.utc).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "goals": {"compute_all_postgresql_s": 2.0, "dashboard_p95_ms": 300},
        "results": results,
    }
    out = Path(args.out) if args.out else root / "bench" / "results" / f"indicators-{args.scale}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        _print_summary(report)
        print(f"→ {out}")
    failed = any("error" in r for r in results.values())
    return 1 if failed else 0


def _print_summary(report: dict) -> None:
    print(f"indicators benchmark — scale {report['scale']}, year {report['year']}")
    for backend, r in report["results"].items():
        if "skipped" in r or "error" in r:
            print(f"  {backend}: {r.get('skipped') or r.get('error')}")
            continue
        s = r["size"]
        print(f"  {backend}: {s['units']} units ({s['schools']} schools), {s['submissions']} reports, "
              f"{s['values']} values; build {r['build_s']} s{' (reused)' if r['reused'] else ''}")
        print(f"    compute every unit, one year: cold {r['compute_all_cold_s']} s, warm {r['compute_all_warm_s']} s")
        b = r["baseline"]
        print(f"    one province ({b['units']} units): naive per-unit ORM {b['naive_s']} s vs aggregated "
              f"{b['aggregated_s']} s → ×{b['speedup']}")
        for name in ("dashboard_province", "dashboard_country"):
            d = r[name]
            print(f"    {name}: first {d['first_ms']} ms, p50 {d['p50_ms']} ms, p95 {d['p95_ms']} ms "
                  f"(of which scope, orgs.selectors: p50 {d.get('scope_p50_ms')} ms)")


def _database_url(backend: str, scale: str, root: Path, *, rebuild: bool = False) -> str | None:
    """The bench database of `backend` (created if missing; emptied first with `rebuild`)."""
    if backend == "sqlite":
        folder = root / "var" / "bench"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"indicators-{scale}.sqlite3"
        if rebuild:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    return bench.postgres_database(bench.pg_url(f"cyberyouth_bench_{scale}"), rebuild=rebuild)


# ---------------------------------------------------------------- the child: build and measure


def _child(args) -> int:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cyberyouth.config.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0, interactive=False)
    t0 = time.perf_counter()
    reused = _build(args.scale)
    build_s = round(time.perf_counter() - t0, 2)
    from cyberyouth.indicators.services import figures_refresh

    t0 = time.perf_counter()
    refreshed = figures_refresh()  # a database built by an older version of this benchmark
    result = {"backend": connection.vendor, "reused": reused, "build_s": build_s,
              "figures_refreshed": refreshed, "figures_refresh_s": round(time.perf_counter() - t0, 2)}
    result.update(_measure(args.scale, repeat=args.repeat))
    print(json.dumps(result))
    return 0


def _build(scale: str) -> bool:
    from django.db import transaction

    from cyberyouth.orgs.models import Unit

    marker = MARKER.format(scale=scale)
    if Unit.objects.filter(code=marker).exists():
        return True
    if Unit.objects.exists():
        raise SystemExit("The bench database holds other data; run with --rebuild.")
    with transaction.atomic():
        _generate(scale, marker)
    return False


SCHOOL_MIX = [("primary", 0.42), ("lower_secondary", 0.28), ("primary_lower_secondary", 0.12),
              ("upper_secondary", 0.12), ("vocational_centre", 0.04), ("vocational_college", 0.02)]


def _generate(scale: str, marker: str) -> None:
    import json as _json

    from cyberyouth.indicators import services
    from cyberyouth.indicators.demo import DATA_FILE
    from cyberyouth.indicators.models import (
        DataElement, DataValue, Period, ReportForm, Submission, SubmissionStatus, ValueSource,
    )
    from cyberyouth.orgs.models import Reorganisation, Role, RoleAssignment, Unit, UnitSuccession, UnitVersion, User

    rng = random.Random(2025)
    services.definitions_load(actor=None, data=_json.loads(DATA_FILE.read_text(encoding="utf-8")))
    provinces, communes_per, schools_per = SCALES[scale]
    start, reform = date(2010, 1, 1), date(2025, 7, 1)
    reorg = Reorganisation.objects.create(kind="create", effective_date=start, note="bench")
    merge = Reorganisation.objects.create(kind="merge", effective_date=reform, note="bench")

    units: list[Unit] = [Unit(code=marker, name="Quốc gia (thử)", unit_type="province", valid_from=start)]
    parents: dict[str, str | None] = {marker: None}
    ceased: dict[str, str] = {}  # code → successor code
    school_codes: list[tuple[str, str]] = []
    for p in range(provinces):
        pcode = f"b-p{p}"
        units.append(Unit(code=pcode, name=f"Tỉnh {p}", unit_type="province", valid_from=start))
        parents[pcode] = marker
        for c in range(communes_per):
            ccode = f"b-p{p}-c{c}"
            units.append(Unit(code=ccode, name=f"Xã {p}.{c}", unit_type="commune", valid_from=start))
            parents[ccode] = pcode
            for s in range(schools_per + rng.randint(-3, 3)):
                kind = rng.choices([k for k, _ in SCHOOL_MIX], weights=[w for _, w in SCHOOL_MIX])[0]
                scode = f"b-p{p}-c{c}-s{s}"
                units.append(Unit(code=scode, name=f"Trường {p}.{c}.{s}", unit_type=kind, valid_from=start))
                parents[scode] = ccode
                school_codes.append((scode, kind))
        # the 2025 reform: two old communes merged into the first commune of the province
        for old in range(2):
            ocode = f"b-p{p}-old{old}"
            units.append(Unit(code=ocode, name=f"Xã cũ {p}.{old}", unit_type="commune", valid_from=start,
                              valid_to=reform))
            parents[ocode] = pcode
            ceased[ocode] = f"b-p{p}-c0"
            for s in range(3):
                scode = f"b-p{p}-old{old}-s{s}"
                units.append(Unit(code=scode, name=f"Trường cũ {p}.{old}.{s}", unit_type="primary",
                                  valid_from=start, valid_to=reform))
                parents[scode] = ocode
                ceased[scode] = f"b-p{p}-c0-s0"
                school_codes.append((scode, "primary"))
    Unit.objects.bulk_create(units, batch_size=5000)
    ids = dict(Unit.objects.values_list("code", "id"))
    # parent cache: one UPDATE per level is enough and much faster than bulk_update
    by_parent: dict[str, list[int]] = {}
    for child, parent in parents.items():
        if parent:
            by_parent.setdefault(parent, []).append(ids[child])
    for parent, children in by_parent.items():
        for i in range(0, len(children), 900):
            Unit.objects.filter(id__in=children[i:i + 900]).update(parent_id=ids[parent])
    versions = []
    for u in units:
        versions.append(UnitVersion(unit_id=ids[u.code], name=u.name, parent_id=ids.get(parents[u.code] or ""),
                                    valid_from=u.valid_from, valid_to=u.valid_to, reorganisation=reorg))
    UnitVersion.objects.bulk_create(versions, batch_size=5000)
    UnitSuccession.objects.bulk_create([
        UnitSuccession(predecessor_id=ids[old], successor_id=ids[new], effective_date=reform, share=1,
                       reorganisation=merge) for old, new in ceased.items()], batch_size=5000)

    admin = User.objects.create(username="bench-admin", full_name="Quản trị tỉnh (thử)")
    RoleAssignment.objects.create(user=admin, role=Role.ADMIN, unit_id=ids["b-p0"], valid_from=start)
    User.objects.create(username="bench-root", is_superuser=True, is_staff=True)

    elements = dict(DataElement.objects.values_list("code", "id"))
    forms = {f.code: f for f in ReportForm.objects.all()}
    form_of = {t: f.id for f in forms.values() for t in f.unit_types}
    periods = {y: Period.objects.create(year=y, opens_on=date(y, 11, 15), deadline=date(y + 1, 1, 15)) for y in YEARS}
    approved_at = datetime(2026, 2, 1, tzinfo=dt_timezone.utc)
    from cyberyouth.indicators import selectors

    defs = selectors.definitions()
    signature = selectors.definitions_signature(defs)
    for year in YEARS:
        k = (year - YEARS[0]) / len(YEARS)
        subs, rows = [], []
        for scode, kind in school_codes:
            if scode in ceased and year >= 2025:
                continue
            enrolled = rng.randint(200, 1200)
            reached = int(enrolled * min(1.0, 0.5 + 0.45 * k + rng.uniform(-0.1, 0.1)))
            ack = int(reached * rng.uniform(0.8, 1.0))
            row = {"students_enrolled": enrolled, "students_cc_reached": reached, "students_cc_ack": ack,
                   "teaches_safety": int(rng.random() < 0.3 + 0.6 * k)}
            if kind.startswith("vocational"):
                members, staff = rng.randint(20, 120), rng.randint(5, 30)
                row.update({"union_new_members": members,
                            "union_new_studied": int(members * min(1.0, 0.4 + 0.5 * k + rng.uniform(-0.1, 0.1))),
                            "staff_student_work": staff,
                            "staff_trained": int(staff * min(1.0, 0.3 + 0.6 * k + rng.uniform(-0.1, 0.1))),
                            "channels_active": rng.choice([0, 1, 1, 2])})
            first = datetime(year, 12, rng.randint(1, 28), tzinfo=dt_timezone.utc)
            subs.append(Submission(period=periods[year], unit_id=ids[scode], form_id=form_of[kind], year=year,
                                   status=SubmissionStatus.APPROVED, first_submitted_at=first, submitted_at=first,
                                   approved_at=approved_at, figures=selectors.figures_for(row, kind, defs),
                                   figures_version=signature))
            rows.append(row)
        Submission.objects.bulk_create(subs, batch_size=5000)
        values = [DataValue(submission_id=sub.id, element_id=elements[code], value=v,
                            source=ValueSource.PROVIDER if code == "channels_active" else ValueSource.ENTRY)
                  for sub, row in zip(subs, rows) for code, v in row.items()]
        DataValue.objects.bulk_create(values, batch_size=10000)


def _size() -> dict:
    from cyberyouth.indicators.models import DataValue, Submission
    from cyberyouth.orgs.models import SCHOOL_TYPES, Unit

    return {"units": Unit.objects.count(), "schools": Unit.objects.filter(unit_type__in=SCHOOL_TYPES).count(),
            "submissions": Submission.objects.count(), "values": DataValue.objects.count(), "years": len(YEARS)}


def _naive(province, actor) -> int:
    """The straightforward way: for each unit, its subtree, then its approved values, then the
    formulas — one query (or two) per unit."""
    from cyberyouth.indicators.models import DataValue, Indicator, SubmissionStatus
    from cyberyouth.indicators.formulas import compile_formula
    from cyberyouth.orgs import selectors as org_selectors
    from cyberyouth.orgs.models import Unit

    on = date(YEAR, 12, 31)
    indicators = [(compile_formula(i.numerator), compile_formula(i.denominator), set(i.unit_types))
                  for i in Indicator.objects.all()]
    children = org_selectors.children_map(on=on)
    below = org_selectors.descendant_ids(unit_ids=[province.id], on=on, children=children)
    count = 0
    for unit_id in below:
        subtree = org_selectors.descendant_ids(unit_ids=[unit_id], on=on, children=children)
        per_unit: dict[int, dict] = {}
        for uid, code, value in DataValue.objects.filter(
                submission__unit_id__in=subtree, submission__year=YEAR,
                submission__status=SubmissionStatus.APPROVED).values_list("submission__unit_id", "element__code",
                                                                         "value"):
            per_unit.setdefault(uid, {})[code] = value
        types = dict(Unit.objects.filter(id__in=per_unit).values_list("id", "unit_type"))
        for num, den, unit_types in indicators:
            n = d = 0
            for uid, vals in per_unit.items():
                if types[uid] in unit_types:
                    n += num(vals)
                    d += den(vals)
            count += 1
    return count


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p50 = statistics.median(ordered)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return round(p50 * 1000, 1), round(p95 * 1000, 1)


def _measure(scale: str, *, repeat: int) -> dict:
    from cyberyouth.indicators import selectors
    from cyberyouth.orgs import selectors as org_selectors
    from cyberyouth.orgs.models import Unit, User

    root = User.objects.get(username="bench-root")
    admin = User.objects.get(username="bench-admin")
    country = Unit.objects.get(code=MARKER.format(scale=scale))
    province = Unit.objects.get(code="b-p0")
    out: dict = {"size": _size()}

    colds = []
    for _ in range(3):
        selectors.invalidate_cache()
        t = time.perf_counter()
        rows = selectors.compute_indicators(actor=root, year=YEAR)
        colds.append(time.perf_counter() - t)
    t = time.perf_counter()
    selectors.compute_indicators(actor=root, year=YEAR)
    warm = time.perf_counter() - t
    out.update(compute_all_cold_s=round(statistics.median(colds), 3), compute_all_warm_s=round(warm, 3),
               units_computed=len(rows))

    selectors.invalidate_cache()
    t = time.perf_counter()
    agg_rows = selectors.compute_indicators(actor=admin, year=YEAR, unit=province)
    aggregated = time.perf_counter() - t
    t = time.perf_counter()
    _naive(province, admin)
    naive = time.perf_counter() - t
    out["baseline"] = {"units": len(agg_rows), "naive_s": round(naive, 3), "aggregated_s": round(aggregated, 3),
                       "speedup": round(naive / aggregated, 1) if aggregated else None}

    for name, actor, unit in (("dashboard_province", admin, province), ("dashboard_country", root, country)):
        selectors.invalidate_cache()
        # A fresh user object per call, as a request has (no scope memoised on it).
        t = time.perf_counter()
        selectors.dashboard(actor=User.objects.get(pk=actor.pk), year=YEAR, unit=unit)
        first = time.perf_counter() - t
        samples = []
        for _ in range(repeat):
            t = time.perf_counter()
            selectors.dashboard(actor=User.objects.get(pk=actor.pk), year=YEAR, unit=unit)
            samples.append(time.perf_counter() - t)
        p50, p95 = _percentiles(samples)
        # The part of each call spent deciding scope (orgs.selectors, once per request).
        scope = []
        for _ in range(min(repeat, 10)):
            fresh = User.objects.get(pk=actor.pk)
            t = time.perf_counter()
            org_selectors.unit_ids(actor=fresh, capability="indicator.read")
            scope.append(time.perf_counter() - t)
        out[name] = {"first_ms": round(first * 1000, 1), "p50_ms": p50, "p95_ms": p95, "calls": repeat,
                     "scope_p50_ms": round(statistics.median(scope) * 1000, 1)}
    return out


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
