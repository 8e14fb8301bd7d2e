"""Signing in: Django's model backend and DRF's token authentication, refusing suspended accounts.

A moderator's suspension (community.services.suspension) sets `User.suspended_until`; until then the person can't
sign in with a password, an existing session no longer counts (Django asks the backend for the session's user on
every request), and an API token is refused even if one was missed when the tokens were deleted.
"""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed


class AccountBackend(ModelBackend):
    def user_can_authenticate(self, user) -> bool:
        return super().user_can_authenticate(user) and not getattr(user, "is_suspended", False)


class AccountTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if user.is_suspended:
            from community.services.suspension import suspension_detail

            raise AuthenticationFailed(suspension_detail(user))
        return user, token
