"""Members' reports: of a message, a person or an event; hiding a message that several people reported; and telling
each reporter what happened once a moderator has looked.

- A reason from MEMBER_REASONS (code `invalid_reason` otherwise) and an optional note of up to 1,000 characters
  (`note_too_long`).
- Only what the reporter can see (`message_not_found`, `person_not_found`, `event_not_found` otherwise, the same
  answers as for anything that doesn't exist), and never yourself or your own message or event (`not_yourself`).
- Reporting the same thing again while its case is open changes nothing and gives the same answer.
- A message reported by HN_REPORTS_TO_HIDE (3) different people is hidden until a moderator looks (hidden_reason
  "reports"); it vanishes from every open chat on commit. That automatic action is audited with no actor.
- At most HN_REPORTS_PER_HOUR (30) reports a person an hour (`rate_limited`), so the queue can't be flooded.
- The person reported is never told who reported them; the reporter is told the outcome in plain words, without
  details about the other person (`reports_tell_outcome`, called when a case is resolved).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from community import permissions as community_permissions
from community.errors import InvalidInput
from community.models import User
from community.ratelimit import rate_limit_hit
from community.services.audit import audit_record
from community.services.notifications import notify
from events import permissions as event_permissions
from events.models import Event
from messaging import permissions, realtime, selectors
from messaging.models import CaseOutcome, CaseStatus, Message, ModerationCase, Report
from messaging.models_moderation import MEMBER_REASONS
from messaging.services.moderation.cases import case_report_add

NOTE_MAX_CHARS = 1000
THANKS = (
    "Thanks for telling us. A moderator will look at this. They won't tell the other person it was you. "
    "We'll let you know when it's been looked at."
)
OUTCOME_KIND = "report_outcome"

# What a reporter is told, by outcome. Never who did what to whom: only that something was done.
OUTCOME_WORDS = {
    CaseOutcome.NO_ACTION: "A moderator looked at what you reported and decided no action was needed this time. "
    "Thank you for telling us: it still helps keep everyone safe.",
    CaseOutcome.APPROVED: "A moderator looked at what you reported and decided it could stay. "
    "Thank you for telling us: it still helps keep everyone safe.",
    CaseOutcome.HIDDEN: "A moderator looked at what you reported and removed the message. Thank you for telling us.",
    CaseOutcome.WARNED: "A moderator looked at what you reported and took action. We keep the details private, "
    "as we would for you. Thank you for telling us.",
    CaseOutcome.SANCTIONED: "A moderator looked at what you reported and took action. We keep the details private, "
    "as we would for you. Thank you for telling us.",
    CaseOutcome.EVENT_CHANGED: "A moderator looked at what you reported and the event has been changed or cancelled. "
    "Thank you for telling us.",
}
LOOKED_AT = "A moderator has looked at what you reported. Thank you for telling us."


@dataclass(frozen=True)
class ReportMade:
    report: Report
    case: ModerationCase
    created: bool  # False: you had already reported it (nothing new was stored)
    detail: str = THANKS


def reports_to_hide() -> int:
    return max(1, int(getattr(settings, "HN_REPORTS_TO_HIDE", 3)))


def _count_a_report(actor: User) -> None:
    rate_limit_hit(
        key=f"reports:{actor.pk}",
        limit=int(getattr(settings, "HN_REPORTS_PER_HOUR", 30)),
        window_seconds=3600,
        detail="That's a lot of reports in a short time. Please wait a little, or tell a moderator or staff member.",
    )


def outcome_words(case: ModerationCase) -> str:
    """The plain-words outcome a reporter sees (the same on the notification and on "My reports")."""
    return OUTCOME_WORDS.get(case.outcome, LOOKED_AT)


# --- reporting --------------------------------------------------------------------------------------------------------


def reportable_message(*, actor: User, message_id: int) -> Message:
    """The message if `actor` can see it (messaging.permissions.access_message: someone else's held message is out
    of sight) and it isn't theirs."""
    message = permissions.access_message(user=actor, message_id=message_id)
    if message.author_id == actor.pk:
        raise _not_yourself("your own message")
    return message


def reportable_person(*, actor: User, user_id: int) -> User:
    person = community_permissions.access_profile(viewer=actor, user_id=user_id)
    if person.pk == actor.pk:
        raise _not_yourself("yourself")
    return person


def reportable_event(*, actor: User, event_id: int) -> Event:
    event = event_permissions.access_event(user=actor, event_id=event_id)
    if event.created_by_id == actor.pk:
        raise _not_yourself("an event you made")
    return event


def report_message(*, actor: User, message_id: int, reason: str, note: str = "") -> ReportMade:
    reason, note = _checked(reason, note)
    message = reportable_message(actor=actor, message_id=message_id)
    _count_a_report(actor)
    with transaction.atomic():
        added = case_report_add(reason=reason, reporter=actor, message=message, note=note)
        if added.created:
            _hide_if_reported_enough(message_id=message.pk, case=added.case)
    return ReportMade(added.report, added.case, added.created)


def report_person(*, actor: User, user_id: int, reason: str, note: str = "") -> ReportMade:
    reason, note = _checked(reason, note)
    person = reportable_person(actor=actor, user_id=user_id)
    _count_a_report(actor)
    with transaction.atomic():
        added = case_report_add(reason=reason, reporter=actor, subject=person, note=note)
    return ReportMade(added.report, added.case, added.created)


def report_event(*, actor: User, event_id: int, reason: str, note: str = "") -> ReportMade:
    reason, note = _checked(reason, note)
    event = reportable_event(actor=actor, event_id=event_id)
    _count_a_report(actor)
    with transaction.atomic():
        added = case_report_add(reason=reason, reporter=actor, event=event, note=note)
    return ReportMade(added.report, added.case, added.created)


def _checked(reason, note) -> tuple[str, str]:
    if not isinstance(reason, str) or reason not in MEMBER_REASONS:
        raise InvalidInput("Please choose one of the reasons on the list.", code="invalid_reason")
    if note is None:
        note = ""
    if not isinstance(note, str):
        raise InvalidInput("The note should be plain text.", code="invalid")
    note = note.strip()
    if len(note) > NOTE_MAX_CHARS:
        raise InvalidInput(
            f"The note can be up to {NOTE_MAX_CHARS:,} characters. Please make it a little shorter.",
            code="note_too_long",
        )
    return reason, note


def _not_yourself(what: str) -> InvalidInput:
    return InvalidInput(f"You can't report {what}.", code="not_yourself")


def _hide_if_reported_enough(*, message_id: int, case: ModerationCase) -> None:
    """Hide the message once enough different people reported it while its case is open."""
    reporters = Report.objects.filter(case=case, reporter__isnull=False).count()  # one report per person per case
    if reporters < reports_to_hide():
        return
    message = Message.objects.select_for_update().get(pk=message_id)
    if message.is_hidden:
        return
    message.is_hidden = True
    message.hidden_reason = "reports"
    message.hidden_at = timezone.now()
    message.hidden_by = None
    message.save(update_fields=["is_hidden", "hidden_reason", "hidden_at", "hidden_by"])
    audit_record(
        actor=None,
        action="message.hidden_by_reports",
        target=message,
        group=message.room.group if message.room.group_id else None,
        data={
            "before": {"is_hidden": False},
            "after": {"is_hidden": True, "hidden_reason": "reports"},
            "reason": f"Reported by {reporters} different people; hidden until a moderator looks.",
            "case": case.pk,
        },
    )
    payload = selectors.message_payload(selectors.message_with_details(message_id=message.pk))
    realtime.on_commit_message_updated(room_id=message.room_id, payload=payload)


# --- telling reporters ------------------------------------------------------------------------------------------------


def reports_tell_outcome(*, case: ModerationCase) -> int:
    """Tell each member who reported `case` what happened, once each (Report.reporter_told_at). Call it when the
    case is resolved; an open case tells nobody. Returns how many people were told."""
    with transaction.atomic():
        case = ModerationCase.objects.get(pk=case.pk)
        if case.status != CaseStatus.RESOLVED:
            return 0
        reports = list(
            Report.objects.select_for_update()
            .filter(case=case, reporter__isnull=False, reporter_told_at__isnull=True)
            .select_related("reporter")
        )
        if not reports:
            return 0
        now = timezone.now()
        words = outcome_words(case)
        url = reverse("messaging:my-reports")
        for report in reports:
            report.reporter_told_at = now
            report.save(update_fields=["reporter_told_at"])
            if report.reporter.is_active:
                notify(
                    user=report.reporter,
                    kind=OUTCOME_KIND,
                    title="Update on something you reported",
                    body=words,
                    url=url,
                )
    return len(reports)
