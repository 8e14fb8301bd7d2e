"""Test profile: the embedded back ends unless DATABASE_URL / REDIS_URL say otherwise."""

from .base import *  # noqa: F403
from .base import DATABASES, HUEY

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
HUEY = {**HUEY, "immediate": True}
# A pool keeps connections between tests that pytest-django expects to close.
DATABASES["default"].get("OPTIONS", {}).pop("pool", None)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "exports": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
# Pre-moderation of new members is off for the suite (most tests post a person's first messages); the tests of
# pre-moderation turn it on with `settings`.
HN_NEW_MEMBER_HELD_MESSAGES = 0
HN_NEW_MEMBER_LINK_DAYS = 0
