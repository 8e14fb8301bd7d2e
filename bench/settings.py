"""Settings for benchmark runs: the real app's settings, minus things that would only add noise.

The database comes from the environment exactly as in the app: DATABASE_URL for PostgreSQL (pooled, as in
production), otherwise a SQLite file in VAR_DIR (the runner points VAR_DIR at a temporary directory).
"""

from config.settings.base import *  # noqa: F403
from config.settings.base import HUEY, LOGGING

DEBUG = False
# Seeded people never log in with a password; a cheap hasher keeps seeding fast.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Background jobs run in-process and in memory, so nothing is left behind in a queue after the run.
HUEY = {**HUEY, "immediate": True}
LOGGING = {**LOGGING, "root": {**LOGGING["root"], "level": "WARNING"}}
