"""`cyberyouth bench surveys [--answers N] [--json] [--rebuild]`

One survey of a synthetic province on PostgreSQL (50 schools, 1,000 classes) with N answers
(default 1,000,000 rows of answers: about 90,000 answer sheets of the project's 12-question
template, a third with a free answer), built with INSERT … SELECT generate_series once and reused
(database `cyberyouth_bench_surveys`; `--rebuild` starts afresh). Measured:

- the results page (the view, its selectors and the template, through the test client), whole
  survey and one school: p50/p95 over repeated views (goal p95 < 500 ms), and the same with the
  small-group computation forced afresh on each view (what the first reader after a release pays);
- the baseline, in the same run: the page's counts taken straight from the answers
  (GROUP BY over every answer row) — what the tallies avoid;
- taking answers through `answer_submit` (sheets per second, batches released on the way);
- `cyberyouth.insight.bench.measure()` when the insight library is installed.

Results: bench/results/surveys.json.
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
from datetime import date, datetime, timedelta, timezone as dt_timezone
from pathlib import Path

from cyberyouth.lib import bench

SCHOOLS, CLASSES_PER_SCHOOL = 50, 20
MARKER = "bench-surveys-v1"
GOAL_P95_S = 0.5


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="cyberyouth bench surveys")
    parser.add_argument("--answers", type=int, default=1_000_000, help="rows of answers in the survey")
    parser.add_argument("--views", type=int, default=40, help="results page views measured")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--out")
    args = parser.parse_args(argv or [])
    if args.child:
        return _child(args)
    root = bench.repo_root()
    url = bench.postgres_database(bench.pg_url("cyberyouth_bench_surveys"), rebuild=args.rebuild)
    result = _run(root, args, url) if url else {"skipped": "PostgreSQL not reachable at 127.0.0.1:5432"}
    report = {"benchmark": "surveys", "at": datetime.now(dt_timezone.utc).isoformat(timespec="seconds"),
              "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
              "goals": {"results_page_p95_s": GOAL_P95_S}, "results": result}
    out = Path(args.out) if args.out else root / "bench" / "results" / "surveys.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        _summary(result)
        print(f"→ {out}")
    return 1 if "error" in result else 0


def _run(root: Path, args, url: str) -> dict:
    cmd = [sys.executable, "-m", "cyberyouth.surveys.bench", "--child", "--answers", str(args.answers),
           "--views", str(args.views)]
    env = os.environ | {"DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "cyberyouth.config.settings",
                        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only")}
    print("surveys bench: building or reusing the survey, then measuring …", file=sys.stderr, flush=True)
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=root)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr[-4000:])
        return {"error": proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else "failed"}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _summary(r: dict) -> None:
    print("surveys benchmark")
    if "skipped" in r or "error" in r:
        print(f"  {r.get('skipped') or r.get('error')}")
        return
    print(f"  one survey on {r['backend']}: {r['sheets']:,} sheets, {r['answers']:,} answers, {r['schools']} schools, "
          f"{r['classes']} classes (build {r['build_s']} s{' reused' if r['reused'] else ''})")
    for name, m in r["pages"].items():
        print(f"  results page, {name}: p50 {m['p50_ms']} ms, p95 {m['p95_ms']} ms (goal < {GOAL_P95_S * 1000:.0f}); "
              f"recomputed each view: p95 {m['fresh_p95_ms']} ms")
    b = r["baseline"]
    print(f"  baseline, the counts straight from the answers: {b['ms']} ms per view → tallies ×{b['speedup']}")
    t = r["taking"]
    print(f"  answering through the service: {t['sheets']} sheets in {t['s']} s → {t['per_s']} sheets/s")
    print(f"  insight: {r['insight']}")


def _setup():
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cyberyouth.config.settings")
    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = ["*"]
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    call_command("migrate", verbosity=0, interactive=False)


def _child(args) -> int:
    _setup()
    from django.db import connection

    from cyberyouth.orgs.models import Unit, User
    from cyberyouth.surveys.models import Answer, Response, Survey

    if connection.vendor != "postgresql":
        raise SystemExit("The surveys benchmark runs on PostgreSQL.")
    t0 = time.perf_counter()
    reused = Unit.objects.filter(code=MARKER).exists()
    if not reused:
        if Unit.objects.exists():
            raise SystemExit("The bench database holds other data; run with --rebuild.")
        _build(args.answers)
    build_s = round(time.perf_counter() - t0, 1)
    survey = Survey.objects.get(owner_unit__code=MARKER)
    admin = User.objects.get(username="bench-admin")
    result = {"backend": connection.vendor, "reused": reused, "build_s": build_s,
              "sheets": Response.objects.filter(survey=survey).count(),
              "answers": Answer.objects.filter(response__survey=survey).count(), "schools": SCHOOLS,
              "classes": SCHOOLS * CLASSES_PER_SCHOOL}
    result["pages"] = _pages(survey, admin, args.views)
    result["baseline"] = _baseline(survey, result["pages"]["whole survey"]["p50_ms"])
    result["taking"] = _taking(survey)
    result["insight"] = _insight()
    print(json.dumps(result))
    return 0


def _build(answers: int) -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from cyberyouth.orgs.models import Unit, UnitVersion, User
    from cyberyouth.students.models import SchoolYear
    from cyberyouth.surveys import services
    from cyberyouth.surveys.models import QuestionKind

    start = date(2000, 1, 1)
    today = timezone.localdate()
    with transaction.atomic():
        units = [Unit(code=MARKER, name="Tỉnh (thử)", unit_type="province", valid_from=start)]
        units += [Unit(code=f"bsv-s{s}", name=f"Trường thử {s}", unit_type="lower_secondary", valid_from=start)
                  for s in range(SCHOOLS)]
        Unit.objects.bulk_create(units)
        ids = dict(Unit.objects.values_list("code", "id"))
        UnitVersion.objects.bulk_create([UnitVersion(unit_id=ids[u.code], name=u.name, valid_from=start,
                                                     parent_id=None if u.code == MARKER else ids[MARKER])
                                         for u in units])
        year = SchoolYear.objects.create(name=f"{today.year}-{today.year + 1} (thử)", starts_on=today - timedelta(days=60),
                                         ends_on=today + timedelta(days=200))
        admin = User.objects.create_superuser("bench-admin", "", "bench-only-password", full_name="Quản trị thử")
        with connection.cursor() as cur:
            cur.execute("""
                INSERT INTO students_schoolclass (unit_id, school_year_id, name, grade, programme)
                SELECT u.id, %s, (6 + g %% 4) || 'A' || (g / 4), 6 + g %% 4, '' FROM orgs_unit u
                CROSS JOIN generate_series(0, %s - 1) g WHERE u.code LIKE 'bsv-s%%'""", [year.id, CLASSES_PER_SCHOOL])
        survey = services.survey_create(actor=admin, owner_unit=Unit.objects.get(code=MARKER), title="",
                                        template="wellbeing-online-safety", opens_on=today - timedelta(days=3),
                                        closes_on=today + timedelta(days=30))
        services.survey_launch(actor=admin, survey=survey)
    questions = list(survey.questions.order_by("position"))
    # rows of answers per sheet, as generated below: single/scale 1, multiple ~1.5, text 1/3
    per_sheet = sum({QuestionKind.SINGLE: 1.0, QuestionKind.SCALE: 1.0, QuestionKind.MULTIPLE: 1.5,
                     QuestionKind.TEXT: 1 / 3}[q.kind] for q in questions)
    sheets = max(1, round(answers / per_sheet))
    texts = ["Em mong trường có thêm tiết học về an toàn trên mạng.", "Nên có buổi nói chuyện về bắt nạt trên mạng.",
             "Em thấy các buổi sinh hoạt rất bổ ích.", "Em buồn vì bị nói xấu trong nhóm lớp.",
             "Có thêm câu lạc bộ thể thao để bớt dùng điện thoại.", "Mọi thứ đều ổn ạ."]
    sentiments = ["positive", "neutral", "positive", "negative", "neutral", "neutral"]
    with connection.cursor() as cur:
        cur.execute("SET synchronous_commit TO off")
        cur.execute("""
            CREATE TEMP TABLE bench_sheet AS
            SELECT gen_random_uuid() AS id, g AS n, c.unit_id, c.grade, c.id AS class_id
            FROM generate_series(0, %s - 1) g
            JOIN (SELECT id, unit_id, grade, (row_number() OVER (ORDER BY id)) - 1 AS k FROM students_schoolclass
                  WHERE school_year_id = %s) c ON c.k = g %% %s""",
                    [sheets, year.id, SCHOOLS * CLASSES_PER_SCHOOL])
        cur.execute("""INSERT INTO surveys_response (id, survey_id, unit_id, grade, school_class_id)
                       SELECT id, %s, unit_id, grade, class_id FROM bench_sheet""", [survey.id])
        for q in questions:
            if q.kind in (QuestionKind.SINGLE, QuestionKind.SCALE):
                k = len(q.options) if q.kind == QuestionKind.SINGLE else 5
                # a skewed choice: most pick the first answers, a few the last
                cur.execute("""INSERT INTO surveys_answer (id, response_id, question_id, value, text, sentiment)
                               SELECT gen_random_uuid(), id, %s, LEAST(%s, 1 + floor(-ln(1 - random()) * 1.3)::int),
                                      '', '' FROM bench_sheet""", [q.id, k])
            elif q.kind == QuestionKind.MULTIPLE:
                cur.execute("""INSERT INTO surveys_answer (id, response_id, question_id, value, text, sentiment)
                               SELECT gen_random_uuid(), s.id, %s, v, '', '' FROM bench_sheet s
                               CROSS JOIN generate_series(1, %s) v WHERE random() < %s""",
                            [q.id, len(q.options), 1.5 / len(q.options)])
            else:
                cur.execute("""INSERT INTO surveys_answer (id, response_id, question_id, value, text, sentiment)
                               SELECT gen_random_uuid(), id, %s, NULL, (%s::text[])[1 + n %% 6],
                                      (%s::text[])[1 + n %% 6] FROM bench_sheet WHERE random() < 0.1667""",
                            [q.id, texts, sentiments])
        cur.execute("ANALYZE")
    services.rebuild_tallies(survey=survey)


def _views(client, url: str, n: int, *, fresh: bool) -> list[float]:
    from cyberyouth.surveys import selectors

    times = []
    for _ in range(n):
        if fresh:
            selectors._CACHE.clear()
        t = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - t)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    return times


def _stats(times: list[float]) -> dict:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return {"views": len(times), "p50_ms": round(statistics.median(times) * 1000, 1), "p95_ms": round(p95 * 1000, 1),
            "max_ms": round(max(times) * 1000, 1)}


def _pages(survey, admin, views: int) -> dict:
    from django.test import Client

    from cyberyouth.orgs.models import Unit

    client = Client()
    client.force_login(admin)
    school = Unit.objects.get(code="bsv-s7")
    out = {}
    for name, url in (("whole survey", f"/khao-sat/{survey.pk}/ket-qua/"),
                      ("one school", f"/khao-sat/{survey.pk}/ket-qua/?don_vi={school.id}")):
        _views(client, url, 2, fresh=False)  # warm the process (imports, templates, the scope cache)
        stats = _stats(_views(client, url, views, fresh=False))
        stats["fresh_p95_ms"] = _stats(_views(client, url, max(5, views // 4), fresh=True))["p95_ms"]
        out[name] = stats
    return out


def _baseline(survey, page_p50_ms: float) -> dict:
    """The page's counts straight from the answer rows (what the page would cost without tallies)."""
    from django.db.models import Count

    from cyberyouth.surveys.models import Answer

    times = []
    for _ in range(3):
        t = time.perf_counter()
        list(Answer.objects.filter(response__survey=survey).values("question_id", "value", "response__unit_id",
                                                                   "response__grade", "response__school_class_id")
             .annotate(n=Count("id")).order_by())
        times.append(time.perf_counter() - t)
    ms = round(statistics.median(times) * 1000, 1)
    return {"ms": ms, "speedup": round(ms / page_p50_ms, 1) if page_p50_ms else None}


def _taking(survey) -> dict:
    """Sheets through `answer_submit` with one-time codes (batches released on the way), then rolled back."""
    from django.db import transaction

    from cyberyouth.orgs.models import User
    from cyberyouth.students.models import SchoolClass
    from cyberyouth.surveys import services

    from .demo import _answers

    rng = random.Random(16)
    admin = User.objects.get(username="bench-admin")
    survey.allow_links = True
    school_class = SchoolClass.objects.filter(unit__code="bsv-s3").order_by("id").first()
    questions = list(survey.questions.order_by("position"))
    n = 200
    with transaction.atomic():
        survey.save(update_fields=["allow_links"])
        codes = services.links_issue(actor=admin, survey=survey, school_class=school_class, count=n)
        t = time.perf_counter()
        for code in codes:
            services.answer_submit(survey=survey, answers=_answers(rng, questions), code=code)
        elapsed = time.perf_counter() - t
        transaction.set_rollback(True)  # the bench survey keeps its size
    return {"sheets": n, "s": round(elapsed, 2), "per_s": round(n / elapsed, 1)}


def _insight():
    try:
        from cyberyouth.insight.bench import measure
    except ImportError:
        return "not installed (the insight library is built on its own branch)"
    return measure()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
