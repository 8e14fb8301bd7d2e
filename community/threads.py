"""Running the ORM from async code (the socket): `in_database_thread`."""

from __future__ import annotations

import functools

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import close_old_connections


def in_database_thread(function):
    """`function` in a worker thread, with its database connection closed when it is done (so returned to the pool)
    unless CONN_MAX_AGE keeps it. On PostgreSQL the threads are a pool, so one socket's slow query doesn't hold up
    everyone else's; on SQLite, which writes one at a time anyway, it is Channels' single database thread
    (HN_SOCKET_DATABASE_IN_PARALLEL).

    Unlike Channels' `database_sync_to_async`, the clean-up runs inside the call's own context, where the connection
    it opened is visible: from outside it, a pool thread would keep that connection open."""

    @functools.wraps(function)
    def run(*args, **kwargs):
        close_old_connections()
        try:
            return function(*args, **kwargs)
        finally:
            close_old_connections()

    return sync_to_async(run, thread_sensitive=not settings.HN_SOCKET_DATABASE_IN_PARALLEL)
