"""What every `cyberyouth bench NAME` shares: a fresh database per engine, Django set up in the
child process, latency percentiles of pages. Each app's bench.py keeps only its own workload."""

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def repo_root() -> Path:
    """The checkout the benchmark runs from (results go to its bench/results/)."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "pyproject.toml").exists():
            return parent
    return Path.cwd()


def fresh_sqlite(name: str) -> str:
    """An empty SQLite file `var/bench/<name>.sqlite3` (with its WAL files removed)."""
    folder = Path("var/bench").resolve()
    folder.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{folder}/{name}.sqlite3{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{folder}/{name}.sqlite3"


# The PostgreSQL server benchmarks build their databases on (any database URL of it).
PG_SERVER_URL = os.environ.get("CYBERYOUTH_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/test")


def pg_url(name: str) -> str:
    """The URL of database `name` on the bench server."""
    return f"{PG_SERVER_URL.rsplit('/', 1)[0]}/{name}"


def postgres_database(url: str, *, rebuild: bool = True) -> str | None:
    """`url`'s database, created if missing and dropped first with `rebuild` (a large synthetic
    country is built once and kept between runs with rebuild=False). None, with a line saying why,
    when PostgreSQL cannot be used here: the benchmark then says it skipped PostgreSQL."""
    server, name = url.rsplit("/", 1)
    try:
        import psycopg

        with psycopg.connect(f"{server}/postgres", connect_timeout=3, autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
            if exists and rebuild:
                conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
                exists = None
            if not exists:
                conn.execute(f'CREATE DATABASE "{name}"')
    except Exception as exc:  # not installed, not reachable, no rights: the run says so and goes on
        print(f"  PostgreSQL không dùng được ({exc.__class__.__name__}: {str(exc).strip()[:120]}) — bỏ qua.")
        return None
    return url


def setup_django(database_url: str, *, migrate: bool = True) -> None:
    """Django on `database_url` for a benchmark's child process: plain static storage, fast
    password hashing, mail kept in memory, the schema migrated."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cyberyouth.config.settings")
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    import django

    django.setup()
    from django.conf import settings

    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    if migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)


def analyze_tables() -> None:
    """Planner statistics, as a running installation has them (autovacuum / PRAGMA optimize)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def percentiles(samples_ms: list[float], digits: int = 2) -> dict[str, float]:
    """p50, p95 and the maximum of timings in milliseconds (nearest-rank)."""
    ordered = sorted(samples_ms)
    return {"p50_ms": round(ordered[len(ordered) // 2], digits),
            "p95_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))], digits),
            "max_ms": round(ordered[-1], digits)}


def timed(call: Callable[[], Any]) -> tuple[Any, float]:
    """`call()`'s result and how long it took, in milliseconds."""
    t0 = time.perf_counter()
    result = call()
    return result, (time.perf_counter() - t0) * 1000


def page_latency(client: Any, url: str, runs: int, *, warm: int = 10) -> dict[str, Any]:
    """Percentiles of `runs` GETs of `url` after `warm` unmeasured ones (templates, query plans);
    any answer but 200 stops the benchmark — a fast error page is not a result."""
    for _ in range(warm):
        assert client.get(url).status_code == 200, url
    samples = []
    for _ in range(runs):
        response, ms = timed(lambda: client.get(url))
        samples.append(ms)
        assert response.status_code == 200, (url, response.status_code)
    return {"url": url, "runs": runs, **percentiles(samples)}


def ratio(now: float, base: float) -> float | None:
    return round(now / base, 2) if base else None


def synthetic_tree(*, root: tuple[str, str], prefix: str, communes: int, per_commune: int, kinds: list[str],
                   leaf_name: str, start: Any) -> dict[str, int]:
    """A synthetic area for a benchmark: a province `root` (code, name), `communes` communes and
    `per_commune` schools or institutions under each (types cycling through `kinds`), with their
    versions. Codes are `<prefix>-c<i>` and `<prefix>-c<i>-s<j>`; returns code → id. Call it
    inside the caller's transaction."""
    from cyberyouth.orgs.models import Unit, UnitVersion

    root_code, root_name = root
    units = [Unit(code=root_code, name=root_name, unit_type="province", valid_from=start)]
    for c in range(communes):
        units.append(Unit(code=f"{prefix}-c{c}", name=f"Xã {c}", unit_type="commune", valid_from=start))
        for s in range(per_commune):
            units.append(Unit(code=f"{prefix}-c{c}-s{s}", name=f"{leaf_name} {c}.{s}",
                              unit_type=kinds[s % len(kinds)], valid_from=start))
    Unit.objects.bulk_create(units, batch_size=5000)
    ids = dict(Unit.objects.filter(code__in=[u.code for u in units]).values_list("code", "id"))
    versions = []
    for u in units:
        parent = None if u.code == root_code else (root_code if u.code.count("-") == 1 else u.code.rsplit("-", 1)[0])
        versions.append(UnitVersion(unit_id=ids[u.code], name=u.name, valid_from=start,
                                    parent_id=ids[parent] if parent else None))
    UnitVersion.objects.bulk_create(versions, batch_size=5000)
    return ids
