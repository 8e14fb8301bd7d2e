"""Socket authentication: the browser's session cookie, or `Authorization: Token <key>` for API clients.

A socket that brings a token never touches cookies or the session: it costs one query (the user, found by their
token), and its scope holds no session object for as long as it stays open.
"""

from __future__ import annotations

from channels.auth import AuthMiddleware
from channels.sessions import CookieMiddleware, SessionMiddleware
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser

from community.queries import one_or_none
from community.threads import in_database_thread


@in_database_thread
def _user_for_token(key: str):
    # The key is unique: no ORDER BY, which would let SQLite walk the users in id order instead of using the key.
    return one_or_none(get_user_model().objects.filter(auth_token__key=key, is_active=True)) or AnonymousUser()


def _token_in(scope) -> str | None:
    for name, value in scope.get("headers", ()):
        if name == b"authorization":
            authorization = value.decode("latin-1")
            if authorization[:6].lower() == "token ":
                return authorization[6:].strip()
            return None
    return None


class SessionOrTokenAuthMiddleware:
    def __init__(self, inner):
        self.inner = inner
        self.by_session = CookieMiddleware(SessionMiddleware(AuthMiddleware(inner)))

    async def __call__(self, scope, receive, send):
        key = _token_in(scope)
        if key is None:
            return await self.by_session(scope, receive, send)
        return await self.inner(dict(scope, user=await _user_for_token(key)), receive, send)
