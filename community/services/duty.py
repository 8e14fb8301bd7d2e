"""Moderator duty: going on and off duty.

While any moderator is on duty, rooms with staffed hours are open (messaging.permissions.room_is_open_now) and
safeguarding alerts go to whoever is on duty (community.selectors.duty). Community never imports messaging, so these
services change the duty only; messaging.services.moderation.room_controls.moderator_duty_start/_end wrap them and
tell the staffed-hours rooms. Pages and the API call those wrappers.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from community.models import ModeratorDuty, User
from community.permissions import require_can_take_duty
from community.services.audit import audit_record


@dataclass(frozen=True)
class DutyChange:
    duty: ModeratorDuty | None  # the open stretch (on duty), the one just ended, or None if there was none
    on_duty: bool  # after the call
    changed: bool  # False: already on (or off) duty, nothing written


def duty_start(*, actor: User) -> DutyChange:
    """Go on duty. Starting again while on duty changes nothing. Codes: moderators_only."""
    require_can_take_duty(actor)
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=actor.pk).values_list("pk", flat=True).first()  # one at a time
        duty = ModeratorDuty.objects.filter(moderator=actor, ended_at__isnull=True).first()
        if duty is not None:
            return DutyChange(duty, on_duty=True, changed=False)
        try:
            with transaction.atomic():
                duty = ModeratorDuty.objects.create(moderator=actor, started_at=timezone.now())
        except IntegrityError:  # started in another tab at the same moment
            duty = ModeratorDuty.objects.get(moderator=actor, ended_at__isnull=True)
            return DutyChange(duty, on_duty=True, changed=False)
        audit_record(
            actor=actor,
            action="duty.started",
            target=duty,
            data={"before": {"on_duty": False}, "after": {"on_duty": True}},
        )
    return DutyChange(duty, on_duty=True, changed=True)


def duty_end(*, actor: User) -> DutyChange:
    """Go off duty. Ending while off duty changes nothing. Codes: moderators_only."""
    require_can_take_duty(actor)
    with transaction.atomic():
        duty = ModeratorDuty.objects.select_for_update().filter(moderator=actor, ended_at__isnull=True).first()
        if duty is None:
            return DutyChange(None, on_duty=False, changed=False)
        duty.ended_at = timezone.now()
        duty.save(update_fields=["ended_at"])
        audit_record(
            actor=actor,
            action="duty.ended",
            target=duty,
            data={"before": {"on_duty": True}, "after": {"on_duty": False}, "minutes": _minutes(duty)},
        )
    return DutyChange(duty, on_duty=False, changed=True)


def _minutes(duty: ModeratorDuty) -> int:
    return int((duty.ended_at - duty.started_at).total_seconds() // 60)
