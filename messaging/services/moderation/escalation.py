"""Escalation: an open case or safeguarding concern still unresolved at its deadline (`due_at`: 24 hours for a
report, 1 hour for self-harm and safeguarding - see cases.report_deadline and community.services.safeguarding) is
escalated once to every moderator and the safeguarding lead(s). Run every 5 minutes by messaging.tasks; idempotent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from community.models import SafeguardingConcern, SiteRole, User
from community.models_safety import ConcernStatus
from community.selectors.duty import safeguarding_leads
from community.services.audit import audit_record
from community.services.notifications import notify_many
from messaging.models import CaseStatus, ModerationCase


@dataclass(frozen=True)
class Escalated:
    cases: int
    concerns: int


def escalation_recipients() -> list[User]:
    """Every active moderator and every safeguarding lead (staff who lead safeguarding)."""
    people = User.objects.filter(is_active=True, site_role=SiteRole.MODERATOR) | safeguarding_leads()
    return [person for person in people.distinct() if not person.is_suspended]


def _waited(since: datetime, now: datetime) -> str:
    minutes = max(1, int((now - since).total_seconds() // 60))
    if minutes < 120:
        return f"{minutes} minutes"
    return f"{minutes // 60} hours"


def moderation_escalate_overdue(*, now: datetime | None = None) -> Escalated:
    """Escalate every open case and open safeguarding concern past its deadline and not escalated yet."""
    now = now or timezone.now()
    recipients = escalation_recipients()
    cases = concerns = 0
    with transaction.atomic():
        overdue_cases = list(
            ModerationCase.objects.select_for_update()
            .filter(status=CaseStatus.OPEN, due_at__lte=now, escalated_at__isnull=True)
            .order_by("due_at", "pk")
        )
        for case in overdue_cases:
            case.escalated_at = now
            case.save(update_fields=["escalated_at", "updated_at"])
            audit_record(
                actor=None,
                action="case.escalated",
                target=case,
                data={"due_at": case.due_at.isoformat(), "is_safeguarding": case.is_safeguarding},
            )
            urgent = "An urgent report" if case.is_safeguarding else "A report"
            notify_many(
                users=recipients,
                kind="moderation_escalation",
                title=f"{urgent} has waited {_waited(case.created_at, now)} without a moderator",
                body="Please look at it as soon as you can, or ask another moderator to.",
                url=reverse("messaging:moderation-case", args=[case.pk]),
            )
            cases += 1
        overdue_concerns = list(
            SafeguardingConcern.objects.select_for_update()
            .filter(status=ConcernStatus.OPEN, due_at__lte=now, escalated_at__isnull=True)
            .order_by("due_at", "pk")
        )
        for concern in overdue_concerns:
            concern.escalated_at = now
            concern.save(update_fields=["escalated_at"])
            audit_record(
                actor=None,
                action="safeguarding.concern_escalated",
                target=concern,
                data={"due_at": concern.due_at.isoformat()},
            )
            notify_many(
                users=recipients,
                kind="moderation_escalation",
                title=f"A safeguarding concern has waited {_waited(concern.created_at, now)} without a moderator",
                body="Someone may need support now. Please look at it straight away.",
                url=reverse("messaging:moderation-concern", args=[concern.pk]),
            )
            concerns += 1
    return Escalated(cases=cases, concerns=concerns)
