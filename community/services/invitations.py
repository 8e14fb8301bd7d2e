"""Invitations: making, revoking and checking the codes people use to join Here and Now."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from community import permissions
from community.errors import Conflict, Forbidden, InvalidInput, NotFound
from community.models import Group, Invitation, User
from community.ratelimit import rate_limit_hit
from community.services.audit import audit_record

# No 0/O, 1/I/L: a code can be read aloud and typed on a phone without mix-ups.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_PREFIX = "HN-"
CODE_BODY_LENGTH = 8
MAX_USES_LIMIT = 100
MAX_EXPIRY_DAYS = 90
CODE_ATTEMPT_WINDOW_SECONDS = 15 * 60

TOO_MANY_CODE_TRIES = (
    "That's a lot of codes tried in a short time. Please wait 15 minutes and try again, "
    "or ask the person who invited you to check the code."
)


def invitation_code_generate() -> str:
    return CODE_PREFIX + "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_BODY_LENGTH))


def invitation_code_normalise(raw: str) -> str:
    """Forgive how people type a code: any case, spaces, dashes, with or without the HN prefix."""
    cleaned = "".join(ch for ch in (raw or "").upper() if ch.isalnum())
    prefix = CODE_PREFIX.rstrip("-")
    if len(cleaned) == len(prefix) + CODE_BODY_LENGTH and cleaned.startswith(prefix):
        cleaned = cleaned[len(prefix) :]
    return CODE_PREFIX + cleaned


def invitation_ensure_usable(invitation: Invitation) -> None:
    """Raise the kind, specific error for a code that can no longer be used."""
    if invitation.revoked_at is not None:
        raise Conflict(
            "This code has been cancelled. Ask the person who gave it to you for a new one.",
            code="invitation_revoked",
        )
    if invitation.use_count >= invitation.max_uses:
        raise Conflict(
            "This code has already been used. Ask the person who gave it to you for a new one.",
            code="invitation_used_up",
        )
    if invitation.expires_at <= timezone.now():
        raise Conflict(
            "This code has expired. Ask the person who gave it to you for a new one.",
            code="invitation_expired",
        )


def invitation_code_attempt(*, client_ip: str) -> None:
    """Count one try at a code from this address, so codes cannot be guessed by brute force."""
    rate_limit_hit(
        key=f"invitation-code:ip:{client_ip}",
        limit=settings.HN_CODE_ATTEMPTS_PER_15_MIN,
        window_seconds=CODE_ATTEMPT_WINDOW_SECONDS,
        detail=TOO_MANY_CODE_TRIES,
    )


def invitation_find_usable(*, code: str, client_ip: str | None = None, lock: bool = False) -> Invitation:
    """The invitation for `code` if it can still be used, else a DomainError with a specific code.

    With `client_ip` the try counts against that address's limit. With `lock` (inside a transaction) the row is
    locked so that two people cannot both use the last place on a code.
    """
    if client_ip is not None:
        invitation_code_attempt(client_ip=client_ip)
    queryset = Invitation.objects.select_related("group")
    if lock:
        queryset = queryset.select_for_update(of=("self",))  # the group is a nullable outer join
    invitation = queryset.filter(code=invitation_code_normalise(code)).first()
    if invitation is None:
        raise NotFound(
            "We couldn't find that code. Check it for typos, or ask the person who gave it to you.",
            code="invitation_not_found",
        )
    invitation_ensure_usable(invitation)
    return invitation


def invitation_create(
    *,
    actor: User,
    group: Group | None = None,
    max_uses: int = 1,
    expires_in_days: int | None = None,
    note: str = "",
) -> Invitation:
    if expires_in_days is None:
        expires_in_days = settings.HN_INVITATION_DEFAULT_DAYS
    if not permissions.can_create_invitation(actor, group):
        detail = (
            "Only staff can make an invitation without a group."
            if group is None
            else "Only this group's peer leaders and staff can invite people to it."
        )
        raise Forbidden(detail, code="not_allowed_to_invite")
    if group is not None and group.is_archived:
        raise Conflict("This group is archived, so nobody new can join it.", code="group_archived")
    if not 1 <= max_uses <= MAX_USES_LIMIT:
        raise InvalidInput(
            f"A code can be used between 1 and {MAX_USES_LIMIT} times.",
            code="invalid_max_uses",
            fields={"max_uses": [f"Choose a number from 1 to {MAX_USES_LIMIT}."]},
        )
    if not 1 <= expires_in_days <= MAX_EXPIRY_DAYS:
        raise InvalidInput(
            f"A code can last between 1 and {MAX_EXPIRY_DAYS} days.",
            code="invalid_expiry",
            fields={"expires_in_days": [f"Choose a number of days from 1 to {MAX_EXPIRY_DAYS}."]},
        )
    note = (note or "").strip()
    if len(note) > 120:
        raise InvalidInput(
            "The note can be up to 120 characters.",
            code="invalid_note",
            fields={"note": ["Keep the note to 120 characters or fewer."]},
        )

    now = timezone.now()
    for _ in range(5):
        try:
            with transaction.atomic():
                invitation = Invitation.objects.create(
                    code=invitation_code_generate(),
                    created_by=actor,
                    group=group,
                    max_uses=max_uses,
                    expires_at=now + timedelta(days=expires_in_days),
                    note=note,
                    created_at=now,
                )
                audit_record(
                    actor=actor,
                    action="invitation.created",
                    target=invitation,
                    group=group,
                    data={"max_uses": max_uses, "expires_in_days": expires_in_days},
                )
                return invitation
        except IntegrityError:  # the random code already exists: pick another
            continue
    raise Conflict("We couldn't make a new code just now. Please try again.", code="invitation_code_clash")


def invitation_revoke(*, actor: User, invitation: Invitation) -> Invitation:
    if not permissions.can_revoke_invitation(actor, invitation):
        raise Forbidden(
            "Only the person who made this invitation, or staff, can cancel it.", code="not_allowed_to_revoke"
        )
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update(of=("self",)).select_related("group").get(pk=invitation.pk)
        if invitation.revoked_at is not None:
            return invitation
        invitation.revoked_at = timezone.now()
        invitation.revoked_by = actor
        invitation.save(update_fields=["revoked_at", "revoked_by"])
        audit_record(actor=actor, action="invitation.revoked", target=invitation, group=invitation.group)
    return invitation
