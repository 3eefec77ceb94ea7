"""`serve` collects static files itself when they are missing or stale, so no page answers 500
for a file missing from the manifest."""

import io
import os
import time

import pytest

from cyberyouth import serving

MANIFEST_STORAGE = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


@pytest.fixture
def static_root(tmp_path, settings):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = MANIFEST_STORAGE  # as served (conftest serves tests from the finders)
    return tmp_path / "static"


def test_missing_then_collected_then_stale_after_a_source_changes(static_root, settings):
    out = io.StringIO()
    assert serving.static_state() == "missing"
    assert serving.ensure_static(out=out) == "missing"
    assert "thu thập" in out.getvalue()
    assert (static_root / "staticfiles.json").exists()
    assert serving.static_state() == "ok"
    assert serving.ensure_static(out=io.StringIO()) == "ok"  # nothing to do the second time

    # The site's stylesheet edited after the collection: stale, collected again.
    css = settings.PACKAGE_DIR / "static" / "cyberyouth" / "site.css"
    manifest = static_root / "staticfiles.json"
    past = css.stat().st_mtime - 3600  # before the source, however old the checkout is
    os.utime(manifest, (past, past))
    assert serving.static_state() == "stale"
    serving.ensure_static(out=io.StringIO())
    assert serving.static_state() == "ok" and manifest.stat().st_mtime >= css.stat().st_mtime


def test_a_file_absent_from_the_manifest_is_stale(static_root):
    serving.ensure_static(out=io.StringIO())
    manifest = static_root / "staticfiles.json"
    text = manifest.read_text()
    manifest.write_text(text.replace('"cyberyouth/site.css"', '"cyberyouth/gone.css"', 1))
    assert serving.static_state() == "stale"


class _Log(io.StringIO):
    def lines(self):
        return self.getvalue().splitlines()


def test_the_embedded_worker_is_relayed_restarted_and_stopped():
    import sys

    log = _Log()
    # A "worker" that says one line and dies at once: it is restarted (with back-off) until stopped.
    worker = serving.EmbeddedWorker(command=[sys.executable, "-c", "print('một dòng')"], out=log).start()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and sum("worker | một dòng" in line for line in log.lines()) < 2:
        time.sleep(0.1)
    worker.stop()
    assert sum("worker | một dòng" in line for line in log.lines()) >= 2
    assert any("chạy lại sau" in line for line in log.lines())


def test_stopping_ends_a_running_worker_and_only_its_owner_may():
    import sys

    worker = serving.EmbeddedWorker(command=[sys.executable, "-c", "import time; time.sleep(60)"],
                                    out=_Log()).start()
    worker.owner_pid = -1  # as seen from a forked web process: not the owner, nothing happens
    worker.stop()
    assert worker.process.poll() is None
    worker.owner_pid = os.getpid()
    worker.stop()
    assert worker.process.poll() is not None


def test_a_web_process_is_warmed_before_its_first_request():
    """`serve` loads the URL patterns (every app's views) and the busiest templates in each web
    process before it takes a request (gunicorn's post_worker_init)."""
    from django.template.loader import get_template
    from django.urls import get_resolver

    from cyberyouth import serving

    resolver = get_resolver()
    resolver.__dict__.pop("url_patterns", None)
    serving.warm_worker()
    assert "url_patterns" in resolver.__dict__  # loaded now, not by the first request
    assert all(get_template(name) for name in serving.WARM_TEMPLATES)
