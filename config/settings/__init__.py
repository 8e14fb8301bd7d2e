"""Settings entry point: DJANGO_ENV picks the profile (local by default, or production)."""

import os

_profile = os.environ.get("DJANGO_ENV", "local").strip().lower()

if _profile == "production":
    from .production import *  # noqa: F403
elif _profile == "local":
    from .local import *  # noqa: F403
else:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(f"DJANGO_ENV must be 'local' or 'production', not {_profile!r}")
