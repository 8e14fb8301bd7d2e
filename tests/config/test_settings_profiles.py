"""The production profile refuses unsafe configuration and passes Django's deployment checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOOD_KEY = "k3Jp0-vq9ZxT_w8LrB2mYc7dNfHs4aGe6UiQoP1tKlMnVbCxZaSdFgHjKl"


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    dropped = {"DJANGO_SETTINGS_MODULE", "SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}  # the browser tests set it
    clean_env = {k: v for k, v in os.environ.items() if k not in dropped}
    clean_env.update({"DJANGO_SETTINGS_MODULE": "config.settings", **env})
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=clean_env, capture_output=True, text=True, timeout=120
    )


def test_production_profile_passes_check_deploy_with_no_warnings():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_ENV="production",
        SECRET_KEY=GOOD_KEY,
        ALLOWED_HOSTS="here-and-now.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)" in result.stdout


@pytest.mark.parametrize(
    "secret_key",
    ["", "short", "local-only-insecure-key-change-me-for-any-real-use", "django-insecure-" + "x" * 60, "a" * 60],
)
def test_production_profile_refuses_to_start_without_a_real_secret_key(secret_key):
    result = run_manage("check", DJANGO_ENV="production", SECRET_KEY=secret_key, ALLOWED_HOSTS="example.org")
    assert result.returncode != 0
    assert "SECRET_KEY must be set to a long random value" in result.stderr


def test_an_unknown_profile_name_is_refused():
    result = run_manage("check", DJANGO_ENV="prod")
    assert result.returncode != 0
    assert "DJANGO_ENV must be 'local' or 'production'" in result.stderr


def test_local_profile_needs_no_configuration():
    result = run_manage("check", DJANGO_ENV="local")
    assert result.returncode == 0, result.stderr
