"""The embedded defaults are the ones the design card asks for."""

import pytest
from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.test import override_settings

from config.settings import base


def test_language_and_time_zone_are_british():
    assert settings.LANGUAGE_CODE == "en-gb"
    assert settings.TIME_ZONE == "Europe/London"
    assert settings.USE_TZ is True


def test_passwords_are_hashed_with_argon2_outside_tests():
    with override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS):
        encoded = make_password("a-long-pass-phrase")
        assert encoded.startswith("argon2$")
        assert check_password("a-long-pass-phrase", encoded)


@pytest.mark.skipif(bool(base.DATABASE_URL), reason="this run uses PostgreSQL")
def test_sqlite_default_queues_writers_instead_of_failing():
    options = base.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 5
    assert "journal_mode=WAL" in options["init_command"]


def test_huey_runs_tasks_immediately_in_tests():
    from huey.contrib.djhuey import HUEY

    assert HUEY.immediate is True


def test_static_files_are_served_by_the_app_itself():
    assert "whitenoise.middleware.WhiteNoiseMiddleware" in settings.MIDDLEWARE
