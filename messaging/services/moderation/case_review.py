"""Working through the queue: claim a case (so two moderators don't handle the same thing), release it, resolve it
with an outcome (the members who reported it are told), and keep private notes about a person.

Moderators and staff only; each change locks the case's row and writes an audit entry. Resolving twice, claiming a
case you hold and releasing one nobody holds change nothing.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from community.errors import Conflict, InvalidInput, NotFound
from community.models import User
from community.services.audit import audit_record
from messaging import permissions
from messaging.models import CaseOutcome, CaseStatus, ModerationCase, ModeratorNote
from messaging.services.moderation.common import room_group

logger = logging.getLogger(__name__)

MAX_NOTE_CHARS = 2000


def _lock_case(case_id: int) -> ModerationCase:
    case = (
        ModerationCase.objects.select_for_update(of=("self",))
        .select_related("room", "room__group", "room__event", "room__event__group")
        .filter(pk=case_id)
        .first()
        if isinstance(case_id, int) and not isinstance(case_id, bool)
        else None
    )
    if case is None:
        raise NotFound("We couldn't find that case.", code="case_not_found")
    return case


def _audit(*, actor: User, action: str, case: ModerationCase, before: dict, after: dict, reason: str = "") -> None:
    audit_record(
        actor=actor,
        action=action,
        target=case,
        group=room_group(case.room),
        data={"subject_id": case.subject_id, "before": before, "after": after, "reason": reason},
    )


def case_claim(*, actor: User, case_id: int, take_over: bool = False) -> ModerationCase:
    """Say you're handling a case. Someone else's claim is kept unless `take_over`.
    Refusals: moderators_only, case_not_found, already_claimed, case_resolved."""
    permissions.require_moderator(actor)
    with transaction.atomic():
        case = _lock_case(case_id)
        if case.claimed_by_id == actor.pk:
            return case
        if case.status == CaseStatus.RESOLVED:
            raise Conflict("That case has already been resolved.", code="case_resolved")
        if case.claimed_by_id is not None and not take_over:
            raise Conflict(
                "Another moderator is already handling this. You can take it over if they're not around.",
                code="already_claimed",
            )
        before = {"claimed_by": case.claimed_by_id}
        case.claimed_by = actor
        case.claimed_at = timezone.now()
        case.save(update_fields=["claimed_by", "claimed_at", "updated_at"])
        _audit(actor=actor, action="case.claimed", case=case, before=before, after={"claimed_by": actor.pk})
    return case


def case_release(*, actor: User, case_id: int) -> ModerationCase:
    """Put a claimed case back in the queue for anyone. Refusals: moderators_only, case_not_found."""
    permissions.require_moderator(actor)
    with transaction.atomic():
        case = _lock_case(case_id)
        if case.claimed_by_id is None or case.status == CaseStatus.RESOLVED:
            return case
        before = {"claimed_by": case.claimed_by_id}
        case.claimed_by = None
        case.claimed_at = None
        case.save(update_fields=["claimed_by", "claimed_at", "updated_at"])
        _audit(actor=actor, action="case.released", case=case, before=before, after={"claimed_by": None})
    return case


def case_resolve(*, actor: User, case_id: int, outcome: str, note: str = "") -> ModerationCase:
    """Close a case with what was done. The members who reported it are told the outcome (never details about the
    other person). Refusals: moderators_only, case_not_found, invalid_outcome, note_too_long."""
    permissions.require_moderator(actor)
    if outcome not in CaseOutcome.values:
        raise InvalidInput(
            "Please choose what happened: " + ", ".join(str(label) for label in CaseOutcome.labels) + ".",
            code="invalid_outcome",
        )
    note = _clean_note(note, required=False)
    with transaction.atomic():
        case = _lock_case(case_id)
        if case.status == CaseStatus.RESOLVED:
            return case
        now = timezone.now()
        before = {"status": case.status, "outcome": case.outcome}
        case.status = CaseStatus.RESOLVED
        case.outcome = outcome
        case.outcome_note = note
        case.resolved_by = actor
        case.resolved_at = now
        fields = ["status", "outcome", "outcome_note", "resolved_by", "resolved_at", "updated_at"]
        if case.claimed_by_id is None:
            case.claimed_by, case.claimed_at = actor, now
            fields += ["claimed_by", "claimed_at"]
        case.save(update_fields=fields)
        _audit(
            actor=actor,
            action="case.resolved",
            case=case,
            before=before,
            after={"status": case.status, "outcome": outcome},
            reason=note,
        )
        _tell_reporters(case)
    return case


def _tell_reporters(case: ModerationCase) -> None:
    try:
        from messaging.services.moderation.reports import reports_tell_outcome
    except ImportError:  # reports (telling reporters) not installed in this checkout yet
        logger.warning("Case %s resolved; reporters can't be told the outcome yet", case.pk)
        return
    reports_tell_outcome(case=case)


def _clean_note(body, *, required: bool) -> str:
    if body is None:
        body = ""
    if not isinstance(body, str):
        raise InvalidInput("The note needs to be text.", code="invalid")
    text = body.strip()
    if required and not text:
        raise InvalidInput("Write the note first, then save it.", code="note_empty")
    if len(text) > MAX_NOTE_CHARS:
        raise InvalidInput(f"Please keep the note under {MAX_NOTE_CHARS:,} characters.", code="note_too_long")
    return text


def moderator_note_add(*, actor: User, subject_id: int, body: str, case_id: int | None = None) -> ModeratorNote:
    """A private note about a person, for moderators and staff only (never shown to members).
    Refusals: moderators_only, person_not_found, case_not_found, note_empty, note_too_long."""
    permissions.require_moderator(actor)
    text = _clean_note(body, required=True)
    subject = (
        User.objects.filter(pk=subject_id).first()
        if isinstance(subject_id, int) and not isinstance(subject_id, bool)
        else None
    )
    if subject is None:
        raise NotFound("We couldn't find that person.", code="person_not_found")
    case = None
    if case_id is not None:
        case = ModerationCase.objects.filter(pk=case_id).first() if isinstance(case_id, int) else None
        if case is None:
            raise NotFound("We couldn't find that case.", code="case_not_found")
    with transaction.atomic():
        note = ModeratorNote.objects.create(subject=subject, author=actor, case=case, body=text)
        audit_record(
            actor=actor,
            action="moderator_note.added",
            target=note,
            data={"subject_id": subject.pk, "case_id": case.pk if case else None, "chars": len(text)},
        )
    return note
