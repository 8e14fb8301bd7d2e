"""Reads for a member's own reports ("My reports"), shared by the page and the API. Only ever the reporter's own
reports, and only what they may know: what they reported, when, whether a moderator has looked, and the outcome in
plain words (never what happened to the other person)."""

from __future__ import annotations

from django.db.models import QuerySet

from community.models import SupportContact, User
from messaging.models import CaseKind, CaseStatus, Report, ReportReason
from messaging.services.moderation.reports import outcome_words


def my_reports(*, user: User) -> QuerySet[Report]:
    """The reports `user` made, newest first, with what each is about (one query)."""
    return (
        Report.objects.filter(reporter_id=user.pk)
        .select_related("case", "case__message__author", "case__subject", "case__event")
        .order_by("-created_at", "-id")
    )


def my_report_payload(report: Report) -> dict:
    case = report.case
    looked_at = case.status == CaseStatus.RESOLVED
    return {
        "id": report.pk,
        "kind": case.kind,
        "about": _about(report),
        "reason": report.reason,
        "reason_label": ReportReason(report.reason).label,
        "created_at": report.created_at,
        "status": "looked_at" if looked_at else "open",
        "outcome": outcome_words(case) if looked_at else None,
    }


def _about(report: Report) -> str:
    case = report.case
    if case.kind == CaseKind.MESSAGE:
        author = case.message.author if case.message is not None else None
        return f"A message from {author.display_name}" if author is not None else "A message"
    if case.kind == CaseKind.EVENT:
        return f"The event \u201c{case.event.title}\u201d" if case.event is not None else "An event"
    return case.subject.display_name if case.subject is not None else "Someone who has left"


def support_contacts() -> QuerySet[SupportContact]:
    """The operator's support contacts, shown after a report that someone may be at risk."""
    return SupportContact.objects.filter(is_active=True).order_by("position", "id")
