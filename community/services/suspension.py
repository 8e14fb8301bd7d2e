"""Suspending an account: the person can't sign in until a time (or until a moderator lifts it), and is signed out
everywhere at once - API tokens and sessions deleted, open sockets closed with 4403.

Called by messaging's sanctions (messaging.services.moderation.sanctions), which decide who may suspend whom; the
sign-in refusal is community.auth_backends.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from django.db import transaction
from django.utils import timezone
from rest_framework.authtoken.models import Token

from community import permissions, realtime
from community.errors import Forbidden, NotFound
from community.models import User
from community.services.audit import audit_record
from community.services.sessions import user_sessions_end

logger = logging.getLogger(__name__)

# "Until a moderator lifts it" is stored as a far-off date, so `User.is_suspended` needs no second field.
UNTIL_LIFTED = datetime(2999, 12, 31, tzinfo=UTC)


def is_until_lifted(until: datetime | None) -> bool:
    return until is not None and until - timezone.now() > timedelta(days=365 * 50)


def describe_until(until: datetime) -> str:
    """ "until Tuesday 3 March at 18:00" (London time), or "until a moderator lifts it"."""
    if is_until_lifted(until):
        return "until a moderator lifts it"
    local = timezone.localtime(until)
    return f"until {local:%A} {local.day} {local:%B %Y} at {local:%H:%M}"


def suspension_detail(user: User) -> str:
    return (
        f"This account is suspended {describe_until(user.suspended_until)}. "
        "If you think this is a mistake, or you'd like to talk about it, please contact a member of staff."
    )


def suspended_account(*, email: str, password: str) -> User | None:
    """The suspended account with this email and password, if that is why signing in failed (only someone who knows
    the password is told the account is suspended)."""
    user = User.objects.filter(email__iexact=(email or "").strip(), is_active=True).first()
    if user is None or not user.is_suspended or not user.check_password(password or ""):
        return None
    return user


def _require_can_suspend(actor: User, user: User) -> None:
    if not permissions.is_moderator_or_staff(actor):
        raise Forbidden("Only moderators and staff can do that.", code="moderators_only")
    if user is None or not user.pk:
        raise NotFound("We couldn't find that person.", code="person_not_found")


def account_suspend(*, actor: User, user: User, until: datetime, reason: str = "") -> User:
    """Suspend `user` until `until` (UNTIL_LIFTED: until lifted). Ends their API tokens and sessions and closes their
    open sockets (4403) once this commits. Suspending again with the same end changes nothing."""
    _require_can_suspend(actor, user)
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        before = locked.suspended_until
        if before != until:
            locked.suspended_until = until
            locked.save(update_fields=["suspended_until"])
            audit_record(
                actor=actor,
                action="account.suspended",
                target=locked,
                data={
                    "before": {"suspended_until": before.isoformat() if before else None},
                    "after": {"suspended_until": until.isoformat()},
                    "reason": reason,
                },
            )
        Token.objects.filter(user=locked).delete()
        user_sessions_end(locked.pk)
        realtime.access_changed_on_commit(locked.pk)
    user.suspended_until = locked.suspended_until
    return user


def account_unsuspend(*, actor: User, user: User, reason: str = "") -> User:
    """Let `user` sign in again. Nothing to do if they aren't suspended."""
    _require_can_suspend(actor, user)
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        before = locked.suspended_until
        if before is not None:
            locked.suspended_until = None
            locked.save(update_fields=["suspended_until"])
            audit_record(
                actor=actor,
                action="account.unsuspended",
                target=locked,
                data={
                    "before": {"suspended_until": before.isoformat()},
                    "after": {"suspended_until": None},
                    "reason": reason,
                },
            )
    user.suspended_until = None
    return user
