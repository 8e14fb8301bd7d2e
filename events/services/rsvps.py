"""RSVPs and the waiting list: one service per action, each refusing with a coded error.

Every change runs in one transaction that first locks the Event row, so changes to one event's places queue up behind
each other (PostgreSQL row lock; SQLite's IMMEDIATE transactions serialise every write). Under that lock
`Event.going_count` is recounted from the RSVPs, so it is always exact and the capacity is never exceeded.

The waiting list is kept in arrival order (`queued_at`, then id). A freed place - someone cancels, is declined or
removed, or the capacity goes up - goes at once to the next person waiting, who is told. If the capacity is lowered
below the number going, everyone going keeps their place and no place opens until the count drops below it.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from community.errors import Conflict, NotFound
from community.models import User
from community.realtime import access_changed_on_commit
from community.services.audit import audit_record
from community.services.notifications import notify, notify_many
from events.models import Attendance, Event, Rsvp, RsvpMode, RsvpStatus
from events.permissions import can_organise_event, can_see_event, event_not_found, require_organiser
from events.services.shared import (
    ACTIVE_RSVP_STATUSES,
    event_path,
    lock_event,
    lock_rsvp,
    organiser_path,
    organisers_to_tell,
    when_text,
)

# --- refusals --------------------------------------------------------------------------------------------------------


def _event_cancelled() -> Conflict:
    return Conflict("This event has been cancelled, so places can't change.", code="event_cancelled")


def _event_past() -> Conflict:
    return Conflict("This event has already happened.", code="event_past")


def _require_not_cancelled(event: Event) -> None:
    if event.is_cancelled:
        raise _event_cancelled()


def _require_not_over(event: Event) -> None:
    if event.ends_at <= timezone.now():
        raise _event_past()


def _require_rsvp(rsvp: Rsvp | None) -> Rsvp:
    if rsvp is None:
        raise NotFound("That person hasn't asked to come to this event.", code="rsvp_not_found")
    return rsvp


def _require_not_checked_in(event: Event, user_id: int) -> None:
    if Attendance.objects.filter(event=event, user_id=user_id).exists():
        raise Conflict(
            "They've already been checked in. Undo the check-in first if this was a mistake.",
            code="already_checked_in",
        )


# --- places ----------------------------------------------------------------------------------------------------------


def _recount_going(event: Event) -> None:
    event.going_count = Rsvp.objects.filter(event=event, status=RsvpStatus.GOING).count()
    event.save(update_fields=["going_count"])


def _has_free_place(event: Event) -> bool:
    return event.capacity is None or event.going_count < event.capacity


def _must_wait(event: Event) -> bool:
    """A newcomer waits if the event is full, or if others are already waiting (nobody jumps the queue)."""
    if event.capacity is None:
        return False
    return not _has_free_place(event) or Rsvp.objects.filter(event=event, status=RsvpStatus.WAITLISTED).exists()


def promote_from_waitlist(event: Event) -> list[Rsvp]:
    """Give every free place to the next people waiting, in arrival order, and tell them.

    `event` must already be locked by the caller's transaction. Returns the RSVPs promoted.
    """
    if event.is_cancelled or event.ends_at <= timezone.now():
        return []
    waiting = Rsvp.objects.select_for_update(of=("self",)).filter(event=event, status=RsvpStatus.WAITLISTED)
    waiting = waiting.order_by("queued_at", "id").select_related("user")
    if event.capacity is not None:
        free = event.capacity - event.going_count
        if free <= 0:
            return []
        waiting = waiting[:free]
    promoted = list(waiting)
    if not promoted:
        return []
    now = timezone.now()
    Rsvp.objects.filter(pk__in=[rsvp.pk for rsvp in promoted]).update(status=RsvpStatus.GOING, updated_at=now)
    for rsvp in promoted:
        rsvp.status, rsvp.updated_at = RsvpStatus.GOING, now
    _recount_going(event)
    notify_many(
        users=[rsvp.user for rsvp in promoted],
        kind="waitlist_promoted",
        title=f"A place opened up: you're going to {event.title}",
        body=f"It's on {when_text(event.starts_at)}. If you can't make it now, please cancel so someone else can go.",
        url=event_path(event),
    )
    return promoted


def _save_status(rsvp: Rsvp, *, status: str, decided_by: User | None = None, requeue: bool = False) -> None:
    if rsvp.status == RsvpStatus.GOING and status != RsvpStatus.GOING:
        access_changed_on_commit(rsvp.user_id)  # chat leaves the event's room on their open sockets
    rsvp.status = status
    rsvp.decided_by = decided_by
    fields = ["status", "decided_by", "updated_at"]
    if requeue:
        rsvp.queued_at = timezone.now()
        rsvp.reminder_sent_at = None
        fields += ["queued_at", "reminder_sent_at"]
    rsvp.save(update_fields=fields)


def _audit(*, actor: User, action: str, event: Event, rsvp: Rsvp, previous: str) -> None:
    audit_record(
        actor=actor,
        action=action,
        target=rsvp,
        group=event.group,
        data={"event_id": event.pk, "user_id": rsvp.user_id, "from": previous, "to": rsvp.status},
    )


# --- a member's own RSVP -------------------------------------------------------------------------------------------


def rsvp_going(*, actor: User, event: Event) -> Rsvp:
    """Say you're going. You get a place, a spot on the waiting list, or (events that need approval) a request
    for the organisers. Saying it again returns your existing RSVP unchanged.

    Refusals: event_not_found (you can't see it), event_cancelled, event_past, rsvp_closed, rsvp_declined.
    """
    with transaction.atomic():
        locked = lock_event(event.pk)
        if not can_see_event(actor, locked):
            raise event_not_found()
        _require_not_cancelled(locked)
        rsvp = lock_rsvp(event=locked, user=actor)
        if rsvp is not None and rsvp.status in ACTIVE_RSVP_STATUSES:
            return rsvp
        now = timezone.now()
        if locked.ends_at <= now:
            raise _event_past()
        if locked.rsvp_closes_at is not None and now >= locked.rsvp_closes_at:
            raise Conflict("Sign-ups for this event have closed.", code="rsvp_closed")
        if rsvp is not None and rsvp.status == RsvpStatus.DECLINED:
            raise Conflict(
                "The organisers have said not this time for this event. There'll be others.", code="rsvp_declined"
            )

        if locked.rsvp_mode == RsvpMode.APPROVAL and not can_organise_event(actor, locked):
            status = RsvpStatus.PENDING
        elif _must_wait(locked):
            status = RsvpStatus.WAITLISTED
        else:
            status = RsvpStatus.GOING

        if rsvp is None:
            rsvp = Rsvp.objects.create(event=locked, user=actor, status=status, queued_at=now)
        else:
            _save_status(rsvp, status=status, requeue=True)
        if status == RsvpStatus.GOING:
            _recount_going(locked)
            notify(
                user=actor,
                kind="rsvp_confirmed",
                title=f"You're going to {locked.title}",
                body=f"See you on {when_text(locked.starts_at)}.",
                url=event_path(locked),
            )
        elif status == RsvpStatus.PENDING:
            notify_many(
                users=organisers_to_tell(locked, exclude=actor),
                kind="rsvp_requested",
                title=f"{actor.display_name} would like to come to {locked.title}",
                url=organiser_path(locked),
            )
    return rsvp


def rsvp_cancel(*, actor: User, event: Event) -> Rsvp:
    """Say you're not going after all (or leave the waiting list, or withdraw a request). A freed place goes to the
    next person waiting at once. Cancelling again changes nothing.

    Refusals: rsvp_not_found (you never said you were going), event_past, already_checked_in.
    """
    with transaction.atomic():
        locked = lock_event(event.pk)
        rsvp = lock_rsvp(event=locked, user=actor)
        if rsvp is None:
            if not can_see_event(actor, locked):
                raise event_not_found()
            raise NotFound("You haven't said you're going to this event.", code="rsvp_not_found")
        if rsvp.status not in ACTIVE_RSVP_STATUSES:
            return rsvp
        _require_not_over(locked)
        _require_not_checked_in(locked, actor.pk)
        was_going = rsvp.status == RsvpStatus.GOING
        _save_status(rsvp, status=RsvpStatus.CANCELLED)
        if was_going:
            _recount_going(locked)
            promote_from_waitlist(locked)
    return rsvp


# --- organisers ------------------------------------------------------------------------------------------------------


def rsvp_approve(*, actor: User, event: Event, user: User) -> Rsvp:
    """Say yes to someone's request. They get a place, or the waiting list if the event is full.

    Refusals: not_an_organiser, rsvp_not_found, not_pending, event_cancelled, event_past.
    """
    with transaction.atomic():
        locked = lock_event(event.pk)
        require_organiser(actor, locked)
        rsvp = _require_rsvp(lock_rsvp(event=locked, user=user))
        if rsvp.status != RsvpStatus.PENDING:
            raise Conflict("That request has already been answered.", code="not_pending")
        _require_not_cancelled(locked)
        _require_not_over(locked)
        previous = rsvp.status
        status = RsvpStatus.WAITLISTED if _must_wait(locked) else RsvpStatus.GOING
        _save_status(rsvp, status=status, decided_by=actor, requeue=True)
        if status == RsvpStatus.GOING:
            _recount_going(locked)
            title = f"Good news: you're going to {locked.title}"
            body = f"See you on {when_text(locked.starts_at)}."
        else:
            title = f"You're on the waiting list for {locked.title}"
            body = "The organisers said yes, but it's full right now. We'll tell you as soon as a place opens."
        notify(user=user, kind="rsvp_decided", title=title, body=body, url=event_path(locked))
        _audit(actor=actor, action="rsvp_approved", event=locked, rsvp=rsvp, previous=previous)
    return rsvp


def rsvp_decline(*, actor: User, event: Event, user: User) -> Rsvp:
    """Say not this time - to a request, someone waiting, or someone going (their place goes to the next person
    waiting). Declining again changes nothing.

    Refusals: not_an_organiser, rsvp_not_found, not_pending (they already cancelled), event_past, already_checked_in.
    """
    with transaction.atomic():
        locked = lock_event(event.pk)
        require_organiser(actor, locked)
        rsvp = _require_rsvp(lock_rsvp(event=locked, user=user))
        if rsvp.status == RsvpStatus.DECLINED:
            return rsvp
        if rsvp.status not in ACTIVE_RSVP_STATUSES:
            raise Conflict("They aren't asking to come any more.", code="not_pending")
        _require_not_over(locked)
        _require_not_checked_in(locked, user.pk)
        previous = rsvp.status
        _save_status(rsvp, status=RsvpStatus.DECLINED, decided_by=actor)
        if previous == RsvpStatus.GOING:
            _recount_going(locked)
            promote_from_waitlist(locked)
        notify(
            user=user,
            kind="rsvp_decided",
            title=f"Not this time: {locked.title}",
            body="The organisers can't offer you a place at this one. Have a look at what else is coming up.",
            url=event_path(locked),
        )
        _audit(actor=actor, action="rsvp_declined", event=locked, rsvp=rsvp, previous=previous)
    return rsvp


def rsvp_remove(*, actor: User, event: Event, user: User) -> Rsvp:
    """Take someone off the list (going or waiting). Their place goes to the next person waiting.

    Refusals: not_an_organiser, rsvp_not_found, not_going, event_past, already_checked_in.
    """
    with transaction.atomic():
        locked = lock_event(event.pk)
        require_organiser(actor, locked)
        rsvp = _require_rsvp(lock_rsvp(event=locked, user=user))
        if rsvp.status not in (RsvpStatus.GOING, RsvpStatus.WAITLISTED):
            raise Conflict("They aren't going or on the waiting list.", code="not_going")
        _require_not_over(locked)
        _require_not_checked_in(locked, user.pk)
        previous = rsvp.status
        _save_status(rsvp, status=RsvpStatus.CANCELLED, decided_by=actor)
        if previous == RsvpStatus.GOING:
            _recount_going(locked)
            promote_from_waitlist(locked)
        notify(
            user=user,
            kind="rsvp_decided",
            title=f"You're no longer on the list for {locked.title}",
            body="An organiser has taken you off the list. If you think this is a mistake, message them.",
            url=event_path(locked),
        )
        _audit(actor=actor, action="rsvp_removed", event=locked, rsvp=rsvp, previous=previous)
    return rsvp
