"""No public SECRET_KEY: without one (DEBUG off) nothing starts, with a clear message; `make run`
and the demo keep a random one in the data folder and reuse it; `check --deploy` passes in the
documented production setup."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

CLI = str(Path(sys.executable).with_name("cyberyouth"))


def _run(args, *, env, cwd):
    base = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "cyberyouth.config.settings"}
    return subprocess.run([CLI, *args], capture_output=True, text=True, env={**base, **env}, cwd=cwd, timeout=120)


def test_refuses_to_start_without_a_key_then_keeps_one(tmp_path):
    env = {"CYBERYOUTH_VAR_DIR": str(tmp_path / "var")}
    refused = _run(["check"], env=env, cwd=tmp_path)
    assert refused.returncode == 2
    assert "Chưa đặt SECRET_KEY" in refused.stderr and "Traceback" not in refused.stderr
    made = _run(["secret-key"], env=env, cwd=tmp_path)
    assert made.returncode == 0
    key_file = tmp_path / "var" / "secret_key"
    key = key_file.read_text().strip()
    assert len(key) >= 50 and oct(key_file.stat().st_mode & 0o777) == "0o600"
    assert _run(["secret-key"], env=env, cwd=tmp_path).returncode == 0
    assert key_file.read_text().strip() == key  # made once, reused
    assert _run(["check"], env=env, cwd=tmp_path).returncode == 0


def test_the_key_in_the_environment_wins_and_no_file_is_written(tmp_path):
    env = {"CYBERYOUTH_VAR_DIR": str(tmp_path / "var"), "SECRET_KEY": secrets.token_urlsafe(50)}
    assert _run(["secret-key"], env=env, cwd=tmp_path).returncode == 0
    assert not (tmp_path / "var" / "secret_key").exists()


def test_check_deploy_passes_in_the_documented_production_setup(tmp_path):
    env = {"CYBERYOUTH_VAR_DIR": str(tmp_path / "var"), "SECRET_KEY": secrets.token_urlsafe(50),
           "ALLOWED_HOSTS": "cyberyouth.example.vn", "CSRF_TRUSTED_ORIGINS": "https://cyberyouth.example.vn",
           "SECURE_COOKIES": "true", "HSTS_SECONDS": "31536000", "HSTS_INCLUDE_SUBDOMAINS": "true",
           "HSTS_PRELOAD": "true"}
    result = _run(["check", "--deploy", "--fail-level", "WARNING"], env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
