"""Who counts in programme and evaluation figures: members (the care leavers the programme is for, not staff,
moderators or evaluators) whose newest answer is yes. No answer means no."""

from __future__ import annotations

from django.db.models import BooleanField, OuterRef, QuerySet, Subquery

from community.models import EvaluationConsent, SiteRole, User


def _latest_answer():
    return Subquery(
        EvaluationConsent.objects.filter(user=OuterRef("pk")).order_by("-recorded_at", "-id").values("consents")[:1],
        output_field=BooleanField(),
    )


def consenting_users() -> QuerySet[User]:
    """Members who consent now. Use `.values("pk")` as a subquery in aggregates."""
    return User.objects.filter(site_role=SiteRole.MEMBER).annotate(consents=_latest_answer()).filter(consents=True)


def consents_now(*, user: User) -> bool:
    answer = EvaluationConsent.objects.filter(user=user).order_by("-recorded_at", "-id").first()
    return bool(answer and answer.consents)
