"""Writes for calendar feed links: make one, reset it (the old link stops working at once), or switch it off.

The token in a feed's address is its only key (calendar apps can't log in), so it is long and random, and the person
can replace it whenever they like: for example if they shared the link by mistake.
"""

from __future__ import annotations

import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone

from community.errors import Forbidden
from community.models import Group, User
from community.services.audit import audit_record
from events import permissions
from events.models import CalendarToken, CalendarTokenKind

TOKEN_BYTES = 32  # 43 URL-safe characters


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def _check(actor: User, group: Group | None) -> str:
    if not actor.is_authenticated or not actor.is_active:
        raise Forbidden("Please log in first.", code="not_authenticated")
    if group is None:
        return CalendarTokenKind.PERSONAL
    if not permissions.can_have_group_calendar(actor, group):
        raise Forbidden("A group's calendar is for the people in it. Join the group first.", code="not_a_member")
    return CalendarTokenKind.GROUP


def _locked(*, actor: User, kind: str, group: Group | None) -> CalendarToken | None:
    return CalendarToken.objects.select_for_update().filter(user=actor, kind=kind, group=group).first()


def _create(*, actor: User, kind: str, group: Group | None) -> CalendarToken:
    try:
        with transaction.atomic():
            return CalendarToken.objects.create(user=actor, kind=kind, group=group, token=new_token())
    except IntegrityError:  # another tab made it a moment ago
        return CalendarToken.objects.select_for_update().get(user=actor, kind=kind, group=group)


def calendar_token_issue(*, actor: User, group: Group | None = None) -> CalendarToken:
    """The link to the person's own feed (no group) or to a group's feed, made if it doesn't exist yet."""
    kind = _check(actor, group)
    with transaction.atomic():
        return _locked(actor=actor, kind=kind, group=group) or _create(actor=actor, kind=kind, group=group)


def calendar_token_reset(*, actor: User, group: Group | None = None) -> CalendarToken:
    """Give the feed a new secret address; the old one stops working straight away."""
    kind = _check(actor, group)
    with transaction.atomic():
        token = _locked(actor=actor, kind=kind, group=group)
        if token is None:
            return _create(actor=actor, kind=kind, group=group)
        token.token = new_token()
        token.created_at = timezone.now()
        token.save(update_fields=["token", "created_at"])
        audit_record(actor=actor, action="calendar_link.reset", target=token, group=group, data={"kind": kind})
    return token


def calendar_token_revoke(*, actor: User, group: Group | None = None) -> bool:
    """Switch the feed's link off. Returns True if there was one."""
    kind = _check(actor, group)
    with transaction.atomic():
        token = _locked(actor=actor, kind=kind, group=group)
        if token is None:
            return False
        audit_record(actor=actor, action="calendar_link.revoked", target=token, group=group, data={"kind": kind})
        token.delete()
    return True
