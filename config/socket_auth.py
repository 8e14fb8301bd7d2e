"""Socket authentication: the browser's session cookie, or `Authorization: Token <key>` for API clients."""

from __future__ import annotations

from channels.auth import AuthMiddleware
from channels.db import database_sync_to_async
from channels.middleware import BaseMiddleware
from channels.sessions import CookieMiddleware, SessionMiddleware
from django.contrib.auth.models import AnonymousUser


@database_sync_to_async
def _user_for_token(key: str):
    from rest_framework.authtoken.models import Token

    token = Token.objects.select_related("user").filter(key=key).first()
    if token is None or not token.user.is_active:
        return AnonymousUser()
    return token.user


class _TokenOrSessionUser(BaseMiddleware):
    async def __call__(self, scope, receive, send):
        headers = dict(scope.get("headers", []))
        authorization = headers.get(b"authorization", b"").decode("latin-1")
        if authorization.lower().startswith("token "):
            scope["user"] = await _user_for_token(authorization[6:].strip())
            return await self.inner(scope, receive, send)
        return await AuthMiddleware(self.inner)(scope, receive, send)


def SessionOrTokenAuthMiddleware(inner):  # noqa: N802 - reads like the Channels middleware it wraps
    return CookieMiddleware(SessionMiddleware(_TokenOrSessionUser(inner)))
