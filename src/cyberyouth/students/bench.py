"""`cyberyouth bench students [--students N] [--json] [--rebuild] [--skip-province]`

Two measurements, each against a baseline taken in the same run:

- roster import: a 2,000-student school workbook read, planned and applied on a fresh SQLite
  database (goal < 5 s); the baseline is re-importing the same file (plan only: nothing changes);
- a synthetic province on PostgreSQL (1,000,000 students by default: ~1,400 schools under 100
  communes, classes, enrolments, acknowledgements, violations, sessions, lessons): indicators 1
  and 4 for every unit for one year through the providers and a roll-up of the tree (goal < 2 s),
  against a naive per-unit ORM count over each unit's subtree, both on the same 10 communes.

The province is built with INSERT … SELECT generate_series once and reused (database
`cyberyouth_bench_students`; `--rebuild` starts afresh). Results: bench/results/students.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timezone as dt_timezone
from pathlib import Path

from cyberyouth.lib import bench

YEAR = 2025
COMMUNES, SCHOOLS_PER_COMMUNE, CLASSES_PER_SCHOOL = 100, 14, 20
MARKER = "bench-students-v1"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="cyberyouth bench students")
    parser.add_argument("--students", type=int, default=1_000_000, help="students in the synthetic province")
    parser.add_argument("--roster", type=int, default=2000, help="students in the imported school roster")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--skip-province", action="store_true")
    parser.add_argument("--child", choices=["import", "province"], help=argparse.SUPPRESS)
    parser.add_argument("--out")
    args = parser.parse_args(argv or [])
    if args.child == "import":
        return _child_import(args)
    if args.child == "province":
        return _child_province(args)
    root = bench.repo_root()
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="cyberyouth-bench-") as tmp:
        results["roster_import"] = _run(root, "import", args, f"sqlite:///{tmp}/students.sqlite3")
    if args.skip_province:
        results["province"] = {"skipped": "--skip-province"}
    else:
        url = bench.postgres_database(bench.pg_url("cyberyouth_bench_students"), rebuild=args.rebuild)
        results["province"] = (_run(root, "province", args, url) if url
                               else {"skipped": "PostgreSQL not reachable at 127.0.0.1:5432"})
    report = {"benchmark": "students", "year": YEAR, "at": datetime.now(dt_timezone.utc).isoformat(timespec="seconds"),
              "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
              "goals": {"roster_import_s": 5.0, "province_indicators_s": 2.0}, "results": results}
    out = Path(args.out) if args.out else root / "bench" / "results" / "students.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        _summary(report)
        print(f"→ {out}")
    return 1 if any("error" in r for r in results.values()) else 0


def _run(root: Path, child: str, args, url: str) -> dict:
    cmd = [sys.executable, "-m", "cyberyouth.students.bench", "--child", child, "--students", str(args.students),
           "--roster", str(args.roster)]
    env = os.environ | {"DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "cyberyouth.config.settings"}
    print(f"students bench: {child} …", file=sys.stderr, flush=True)
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=root)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr[-4000:])
        return {"error": proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else "failed"}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _summary(report: dict) -> None:
    r = report["results"]["roster_import"]
    print("students benchmark")
    if "error" in r:
        print(f"  roster import: {r['error']}")
    else:
        print(f"  roster import of {r['students']} students: read {r['read_s']} s, plan {r['plan_s']} s, apply "
              f"{r['apply_s']} s → total {r['total_s']} s (goal < 5 s); re-import plan {r['reimport_s']} s, "
              f"changes {r['reimport_changes']}")
    p = report["results"]["province"]
    if "skipped" in p or "error" in p:
        print(f"  province: {p.get('skipped') or p.get('error')}")
        return
    print(f"  province on {p['backend']}: {p['students']} students, {p['schools']} schools, {p['units']} units "
          f"(build {p['build_s']} s{' reused' if p['reused'] else ''})")
    print(f"    indicators 1 and 4, every unit, one year: {p['all_units_s']} s (goal < 2 s)")
    b = p["baseline"]
    print(f"    {b['units']} units of {b['communes']} communes: naive per-unit ORM {b['naive_s']} s vs "
          f"providers + roll-up {b['aggregated_s']} s → ×{b['speedup']}")


def _setup():
    bench.setup_django(os.environ["DATABASE_URL"])


class _System:
    is_superuser = True
    is_authenticated = True
    pk = None


# ---------------------------------------------------------------- roster import


def _child_import(args) -> int:
    _setup()
    import io

    from openpyxl import Workbook

    from cyberyouth.orgs.models import Unit
    from cyberyouth.students import roster, services
    from cyberyouth.students.demo import FAMILY, GIVEN, MIDDLE

    actor = _System()
    unit = Unit.objects.create(code="bench-school", name="Trường THCS Thử", unit_type="lower_secondary",
                               valid_from=date(2000, 1, 1))
    from cyberyouth.orgs.models import UnitVersion

    UnitVersion.objects.create(unit=unit, name=unit.name, valid_from=date(2000, 1, 1))
    year = services.school_year_create(actor=actor, name="2025-2026", starts_on=date(2025, 9, 5),
                                       ends_on=date(2026, 5, 31))
    wb = Workbook()
    guide = wb.active
    guide.title = roster.GUIDE
    guide["B2"], guide["B3"] = unit.code, year.name
    ws = wb.create_sheet(roster.SHEET)
    for c, code in enumerate(roster.CODES, start=1):
        ws.cell(row=2, column=c, value=code)
    for i in range(args.roster):
        grade = 6 + i % 4
        ws.append([f"{FAMILY[i % 2]} {MIDDLE[i % len(MIDDLE)]} {GIVEN[i % len(GIVEN)]}",
                   f"{1 + i % 28:02d}/{1 + i % 12:02d}/{2019 - grade}", "Nam" if i % 2 else "Nữ",
                   f"{grade}A{1 + (i // 4) % 12}", grade, f"HS{i:06d}", "Phụ huynh Thử", f"09{i:08d}"])
    buf = io.BytesIO()
    wb.save(buf)
    data = buf.getvalue()
    t0 = time.perf_counter()
    school_year, rows = roster.read_for(actor=actor, unit=unit, data=data)
    t1 = time.perf_counter()
    plan = roster.plan(unit=unit, school_year=school_year, rows=rows)
    t2 = time.perf_counter()
    services.roster_apply(actor=actor, unit=unit, school_year=school_year, rows=rows)
    t3 = time.perf_counter()
    _, rows2 = roster.read_for(actor=actor, unit=unit, data=data)
    again = roster.plan(unit=unit, school_year=school_year, rows=rows2)
    t4 = time.perf_counter()
    print(json.dumps({"students": len(plan.added), "bytes": len(data), "read_s": round(t1 - t0, 3),
                      "plan_s": round(t2 - t1, 3), "apply_s": round(t3 - t2, 3), "total_s": round(t3 - t0, 3),
                      "reimport_s": round(t4 - t3, 3), "reimport_changes": again.changes}))
    return 0


# ---------------------------------------------------------------- the synthetic province


def _child_province(args) -> int:
    _setup()
    from django.db import connection

    from cyberyouth.orgs.models import Unit

    t0 = time.perf_counter()
    reused = Unit.objects.filter(code=MARKER).exists()
    if not reused:
        if Unit.objects.exists():
            raise SystemExit("The bench database holds other data; run with --rebuild.")
        _build_province(args.students)
    build_s = round(time.perf_counter() - t0, 1)
    result = {"backend": connection.vendor, "reused": reused, "build_s": build_s}
    result.update(_measure())
    print(json.dumps(result))
    return 0


def _build_province(total: int) -> None:
    from django.db import connection, transaction

    from cyberyouth.students.models import SchoolYear

    start = date(2000, 1, 1)
    kinds = ["primary", "lower_secondary", "primary_lower_secondary", "upper_secondary", "vocational_centre"]
    with transaction.atomic():
        bench.synthetic_tree(root=(MARKER, "Tỉnh (thử)"), prefix="bs", communes=COMMUNES,
                             per_commune=SCHOOLS_PER_COMMUNE, kinds=kinds, leaf_name="Trường", start=start)
        year = SchoolYear.objects.create(name="2025-2026", starts_on=date(2025, 9, 5), ends_on=date(2026, 5, 31))
    schools = COMMUNES * SCHOOLS_PER_COMMUNE
    per_class = max(1, total // (schools * CLASSES_PER_SCHOOL))
    with connection.cursor() as cur:
        # classes: CLASSES_PER_SCHOOL per school
        cur.execute("""
            INSERT INTO students_schoolclass (unit_id, school_year_id, name, grade, programme)
            SELECT u.id, %s, 'L' || g, 1 + g %% 12, '' FROM orgs_unit u CROSS JOIN generate_series(0, %s - 1) g
            WHERE u.code LIKE 'bs-c%%-s%%'""", [year.id, CLASSES_PER_SCHOOL])
        # students: per_class per class, one open enrolment each
        cur.execute("""
            INSERT INTO students_student (unit_id, full_name, sort_key, gender, student_code, guardian_name,
                                          guardian_contact, status, created_at)
            SELECT c.unit_id, 'Học sinh ' || c.id || '.' || n, '', '', 'C' || c.id || '-' || n, '', '', 'enrolled', now()
            FROM students_schoolclass c CROSS JOIN generate_series(1, %s) n WHERE c.school_year_id = %s""",
                    [per_class, year.id])
        cur.execute("""
            INSERT INTO students_enrolment (student_id, school_class_id, unit_id, valid_from, end_reason)
            SELECT s.id, c.id, s.unit_id, %s, '' FROM students_student s
            JOIN students_schoolclass c ON c.unit_id = s.unit_id AND c.school_year_id = %s
              AND s.student_code LIKE 'C' || c.id || '-%%'""", [year.starts_on, year.id])
        # acknowledgements for ~85 %, a violation for ~0.2 %
        cur.execute("""
            INSERT INTO students_conductacknowledgement (student_id, school_year_id, unit_id, acknowledged_on, source)
            SELECT id, %s, unit_id, %s, 'paper' FROM students_student WHERE id %% 20 NOT IN (3, 7, 11)""",
                    [year.id, date(2025, 10, 20)])
        cur.execute("""
            INSERT INTO students_conductviolation (student_id, school_year_id, unit_id, decided_on, reason)
            SELECT id, %s, unit_id, %s, 'thử' FROM students_student WHERE id %% 500 = 1""",
                    [year.id, date(2025, 11, 28)])
        # one session per school reaching every class but the last; one lesson per class except in 1 school of 7
        cur.execute("""
            INSERT INTO students_conductsession (unit_id, school_year_id, held_on, form, materials)
            SELECT id, %s, %s, 'flag', '' FROM orgs_unit WHERE code LIKE 'bs-c%%-s%%'""",
                    [year.id, date(2025, 9, 22)])
        cur.execute("""
            INSERT INTO students_conductsession_classes (conductsession_id, schoolclass_id)
            SELECT cs.id, c.id FROM students_conductsession cs JOIN students_schoolclass c ON c.unit_id = cs.unit_id
            WHERE c.name <> 'L%s'""", [CLASSES_PER_SCHOOL - 1])
        cur.execute("""
            INSERT INTO students_safetylesson (school_class_id, held_on, topic, teacher_name, material)
            SELECT id, %s, 'An toàn', 'GV', '' FROM students_schoolclass WHERE unit_id %% 7 <> 0 OR name <> 'L0'""",
                    [date(2025, 11, 12)])
        cur.execute("ANALYZE")


def _roll_up(children: dict, school_values: dict[str, dict[int, int]], unit_ids: set[int], vocational: set[int]):
    """unit id → (ind.1 numerator, denominator, ind.4 numerator, denominator) over its subtree."""
    out: dict[int, tuple[int, int, int, int]] = {}

    def visit(uid: int) -> tuple[int, int, int, int]:
        if uid in out:
            return out[uid]
        enrolled = school_values["enrolled"].get(uid, 0)
        following = school_values["following"].get(uid, 0)
        teaches = school_values["teaches"]
        n4, d4 = (int(teaches.get(uid, 0)), 1) if uid in vocational and uid in teaches else (0, 0)
        total = [following, enrolled, n4, d4]
        for child in children.get(uid, ()):
            for i, v in enumerate(visit(child)):
                total[i] += v
        out[uid] = tuple(total)
        return out[uid]

    for uid in unit_ids:
        visit(uid)
    return out


def _aggregated(unit_ids: set[int], children: dict, schools: set[int], vocational: set[int]) -> dict:
    from cyberyouth.students import selectors

    figures = selectors.student_figures_by_unit(unit_ids=schools, year=YEAR)  # what the providers read
    values = {"enrolled": {u: f[0] for u, f in figures.items()},
              "following": {u: f[2] for u, f in figures.items()},
              "teaches": selectors.teaches_safety_by_unit(unit_ids=schools & vocational, year=YEAR)}
    return _roll_up(children, values, unit_ids, vocational)


def _naive(unit_ids: set[int], children: dict, vocational: set[int]) -> dict:
    """One unit at a time, counting over its subtree with the ORM (the obvious way)."""
    from django.db.models import Exists, OuterRef, Q

    from cyberyouth.orgs.selectors import descendant_ids
    from cyberyouth.students.models import (
        ConductAcknowledgement, ConductViolation, Enrolment, SafetyLesson, SchoolClass, SchoolYear,
    )

    day = date(YEAR, 12, 31)
    year = SchoolYear.objects.get(name="2025-2026")
    out = {}
    for uid in unit_ids:
        subtree = descendant_ids(unit_ids=[uid], on=day, children=children)
        open_q = Enrolment.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day), valid_from__lte=day,
                                          unit_id__in=subtree, school_class__school_year=year)
        enrolled = open_q.count()
        following = open_q.filter(Exists(ConductAcknowledgement.objects.filter(
            student_id=OuterRef("student_id"), school_year=year))).exclude(Exists(ConductViolation.objects.filter(
                student_id=OuterRef("student_id"), school_year=year))).count()
        n4 = d4 = 0
        for school in subtree & vocational:
            classes = SchoolClass.objects.filter(unit_id=school, school_year=year)
            if classes.exists():
                d4 += 1
                n4 += all(SafetyLesson.objects.filter(school_class=c).exists() for c in classes)
        out[uid] = (following, enrolled, n4, d4)
    return out


def _measure() -> dict:
    from cyberyouth.orgs.models import Unit
    from cyberyouth.orgs.selectors import children_map
    from cyberyouth.students.models import Student

    day = date(YEAR, 12, 31)
    everything = set(Unit.objects.filter(code__startswith="bs-").values_list("id", flat=True)) | set(
        Unit.objects.filter(code=MARKER).values_list("id", flat=True))
    schools = set(Unit.objects.filter(code__regex=r"^bs-c[0-9]+-s").values_list("id", flat=True))
    vocational = set(Unit.objects.filter(id__in=schools, unit_type="vocational_centre").values_list("id", flat=True))
    _aggregated(everything, children_map(on=day), schools, vocational)  # warm the connection and caches
    runs = []
    for _ in range(3):
        t0 = time.perf_counter()
        children = children_map(on=day)
        result = _aggregated(everything, children, schools, vocational)
        runs.append(time.perf_counter() - t0)
    root = Unit.objects.get(code=MARKER).id
    # The baseline: the same figures for the units of 10 communes, one unit at a time.
    sample_communes = list(Unit.objects.filter(code__regex=r"^bs-c[0-9]$").values_list("id", flat=True))
    sample = set(sample_communes)
    for c in sample_communes:
        sample |= set(children.get(c, ()))
    t0 = time.perf_counter()
    naive = _naive(sample, children, vocational)
    naive_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    sample_schools = schools & sample
    aggregated = _aggregated(sample, children, sample_schools, vocational)
    aggregated_s = time.perf_counter() - t0
    assert all(naive[u] == aggregated[u] for u in sample), "the two ways disagree"
    following, enrolled, n4, d4 = result[root]
    return {"students": Student.objects.count(), "schools": len(schools), "units": len(everything),
            "all_units_s": round(min(runs), 3), "all_units_runs_s": [round(r, 3) for r in runs],
            "province": {"indicator_1": [following, enrolled], "indicator_4": [n4, d4]},
            "baseline": {"communes": len(sample_communes), "units": len(sample), "naive_s": round(naive_s, 3),
                         "aggregated_s": round(aggregated_s, 3),
                         "speedup": round(naive_s / aggregated_s, 1) if aggregated_s else None}}


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
