"""Reading the safeguarding tables: support contacts, the crisis phrase list and open concerns."""

from __future__ import annotations

from django.db.models import QuerySet

from community.models import ConcernStatus, SafeguardingConcern, SafeguardingPhrase, SupportContact


def support_contacts() -> QuerySet[SupportContact]:
    """The contacts shown to someone who may be at risk, in the operator's order."""
    return SupportContact.objects.filter(is_active=True).order_by("position", "id")


def support_contacts_all() -> QuerySet[SupportContact]:
    """Every contact, switched off ones too, for the staff page."""
    return SupportContact.objects.order_by("position", "id")


def crisis_phrases(*, category: str = "") -> QuerySet[SafeguardingPhrase]:
    phrases = SafeguardingPhrase.objects.order_by("category", "phrase")
    return phrases.filter(category=category) if category else phrases


def safeguarding_concerns_open() -> QuerySet[SafeguardingConcern]:
    """Open concerns, the most urgent (earliest deadline) first."""
    return (
        SafeguardingConcern.objects.filter(status=ConcernStatus.OPEN)
        .select_related("person", "claimed_by")
        .order_by("due_at", "id")
    )


def safeguarding_concerns_for_source(*, source: str, source_id: int) -> QuerySet[SafeguardingConcern]:
    return SafeguardingConcern.objects.filter(source=source, source_id=source_id).order_by("-created_at", "-id")
