"""What deleting an account does to events' tables (community.services.erasure runs it).

Places at events still to come are given up through the usual cancel (the next person waiting gets it) and the
answers removed; past answers and attendance move to the anonymous stand-in so counts don't change; pulses, backings
and calendar links are deleted; comments on ideas lose their words and name; ideas they suggested stay for the group
without their name.
"""

from __future__ import annotations

from datetime import datetime

from community.errors import DomainError
from community.models import User
from community.services.erasure import erase_by_rules
from events.models import Attendance, CalendarToken, Idea, IdeaBacking, IdeaComment, Pulse, Rsvp
from events.services.rsvps import rsvp_cancel
from events.services.shared import ACTIVE_RSVP_STATUSES


def _rsvps(user: User, stand_in: User, now: datetime) -> int:
    """Events still to come: cancelled (a freed place goes to the next person waiting), then removed. Events that
    have ended, or that they're already checked in to: moved to the stand-in."""
    to_come = Rsvp.objects.filter(user=user, event__ends_at__gt=now).select_related("event")
    for rsvp in to_come.filter(status__in=ACTIVE_RSVP_STATUSES):
        try:
            rsvp_cancel(actor=user, event=rsvp.event)
        except DomainError:
            pass  # already checked in: the answer stays with the attendance, on the stand-in
    checked_in = Attendance.objects.filter(user=user).values("event_id")
    removed = to_come.exclude(event_id__in=checked_in).delete()[0]
    return removed + Rsvp.objects.filter(user=user).update(user=stand_in)


def _attendance(user: User, stand_in: User, now: datetime) -> int:
    return Attendance.objects.filter(user=user).update(user=stand_in)


def _pulses(user: User, stand_in: User, now: datetime) -> int:
    return Pulse.objects.filter(user=user).delete()[0]


def _ideas(user: User, stand_in: User, now: datetime) -> int:
    """Ideas they suggested stay for the group, without their name."""
    return Idea.objects.filter(proposed_by=user).update(proposed_by=None)


def _idea_backings(user: User, stand_in: User, now: datetime) -> int:
    return IdeaBacking.objects.filter(user=user).delete()[0]


def _idea_comments(user: User, stand_in: User, now: datetime) -> int:
    return IdeaComment.objects.filter(author=user).update(body="", author=None)


def _calendar_tokens(user: User, stand_in: User, now: datetime) -> int:
    return CalendarToken.objects.filter(user=user).delete()[0]


RULES = {
    "events.Rsvp": _rsvps,
    "events.Attendance": _attendance,
    "events.Pulse": _pulses,
    "events.Idea": _ideas,
    "events.IdeaBacking": _idea_backings,
    "events.IdeaComment": _idea_comments,
    "events.CalendarToken": _calendar_tokens,
}


def erase_user(*, user: User, stand_in: User, now: datetime) -> dict:
    return erase_by_rules("events", RULES, kept=(), user=user, stand_in=stand_in, now=now)
