"""Opening cases: the one way a report - from a member or from the product itself - reaches the moderation queue.

A case gathers every report about one message, person or event while it is open; a second report from the same
person on the same open case changes nothing. Safeguarding reasons make the case urgent (escalated after
HN_SAFEGUARDING_DEADLINE_MINUTES instead of HN_REPORT_DEADLINE_HOURS).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from community.models import User
from events.models import Event
from messaging.models import CaseKind, CaseStatus, Message, ModerationCase, Report, ReportReason, Room

SAFEGUARDING_REASONS = frozenset({ReportReason.SELF_HARM})


def report_deadline(*, is_safeguarding: bool) -> timedelta:
    if is_safeguarding:
        return timedelta(minutes=int(getattr(settings, "HN_SAFEGUARDING_DEADLINE_MINUTES", 60)))
    return timedelta(hours=int(getattr(settings, "HN_REPORT_DEADLINE_HOURS", 24)))


@dataclass(frozen=True)
class ReportAdded:
    report: Report
    case: ModerationCase
    created: bool  # False: this person had already reported it while the case was open


def case_report_add(
    *,
    reason: str,
    reporter: User | None = None,
    message: Message | None = None,
    subject: User | None = None,
    event: Event | None = None,
    room: Room | None = None,
    note: str = "",
    matched: str = "",
) -> ReportAdded:
    """Add a report to the open case about `message`, `subject` (a person) or `event`, opening the case if there is
    none. Give exactly one target; a message's author and room are filled in from it. Must run inside a transaction
    (the caller's write and the report land together)."""
    kind, lookup = _target(message=message, subject=subject, event=event)
    if message is not None:
        subject, room = message.author, message.room
    if event is not None and subject is None:
        subject = event.created_by
    is_safeguarding = reason in SAFEGUARDING_REASONS
    now = timezone.now()
    case = ModerationCase.objects.select_for_update().filter(kind=kind, status=CaseStatus.OPEN, **lookup).first()
    if case is None:
        try:
            with transaction.atomic():
                case = ModerationCase.objects.create(
                    kind=kind,
                    message=message,
                    subject=subject,
                    event=event,
                    room=room,
                    is_safeguarding=is_safeguarding,
                    due_at=now + report_deadline(is_safeguarding=is_safeguarding),
                )
        except IntegrityError:  # opened by someone else at the same moment
            case = ModerationCase.objects.select_for_update().get(kind=kind, status=CaseStatus.OPEN, **lookup)
    elif is_safeguarding and not case.is_safeguarding:
        case.is_safeguarding = True
        case.due_at = min(case.due_at, now + report_deadline(is_safeguarding=True))
        case.save(update_fields=["is_safeguarding", "due_at", "updated_at"])
    if reporter is not None:
        existing = Report.objects.filter(case=case, reporter=reporter).first()
        if existing is not None:
            return ReportAdded(existing, case, created=False)
    report = Report.objects.create(case=case, reporter=reporter, reason=reason, note=note, matched=matched[:120])
    return ReportAdded(report, case, created=True)


def _target(*, message, subject, event) -> tuple[str, dict]:
    if message is not None and event is None:
        return CaseKind.MESSAGE, {"message": message}
    if event is not None and message is None:
        return CaseKind.EVENT, {"event": event}
    if subject is not None:
        return CaseKind.USER, {"subject": subject}
    raise ValueError("case_report_add needs a message, a person or an event")
