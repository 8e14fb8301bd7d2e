"""Signing in: Django's model backend and DRF's token authentication, refusing suspended accounts.

A moderator's suspension (community.services.suspension) sets `User.suspended_until`; until then the person can't
sign in with a password, an existing session no longer counts (Django asks the backend for the session's user on
every request), and an API token is refused even if one was missed when the tokens were deleted.

A token is also answered 403 `policies_not_accepted` while its owner hasn't accepted the current community agreement
and privacy notice (the same gate as community.middleware.PolicyGateMiddleware, which runs before DRF signs a token in).
"""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed, PermissionDenied


class AccountBackend(ModelBackend):
    def user_can_authenticate(self, user) -> bool:
        return super().user_can_authenticate(user) and not getattr(user, "is_suspended", False)


class PoliciesNotAccepted(PermissionDenied):
    code = "policies_not_accepted"  # community.api.errors uses it as the body's code


class AccountTokenAuthentication(TokenAuthentication):
    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None:
            from community.middleware import POLICIES_NOT_ACCEPTED, policies_gate_blocks

            if policies_gate_blocks(request, result[0]):
                raise PoliciesNotAccepted(POLICIES_NOT_ACCEPTED)
        return result

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if user.is_suspended:
            from community.services.suspension import suspension_detail

            raise AuthenticationFailed(suspension_detail(user))
        return user, token
