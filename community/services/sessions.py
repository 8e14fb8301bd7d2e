"""Ending a person's sign-ins at once: their stored web sessions (suspension and erasure share this)."""

from __future__ import annotations

from importlib import import_module

from django.conf import settings
from django.utils import timezone


def user_sessions_end(user_id: int) -> None:
    """Delete the person's stored sessions. With a session engine that can't be searched (cookies, cache) the
    sessions stay, but they no longer count: community.auth_backends refuses a suspended person's session, and an
    erased person's account no longer exists."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    if not hasattr(store, "get_model_class"):
        return
    model = store.get_model_class()
    wanted = str(user_id)
    doomed = []
    for session in model.objects.filter(expire_date__gt=timezone.now()).iterator():
        try:
            if str(session.get_decoded().get("_auth_user_id")) == wanted:
                doomed.append(session.pk)
        except Exception:  # noqa: S112 - an unreadable session belongs to nobody
            continue
    if doomed:
        model.objects.filter(pk__in=doomed).delete()
