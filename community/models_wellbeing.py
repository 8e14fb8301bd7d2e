"""Wellbeing and positive destinations: what members choose to record about themselves, and their consent.

Imported at the end of community/models.py. Everything here is optional, never nagged, deletable by the member.
Scores are computed by community.services.wellbeing from the published tables (community.reference); only consenting
members count in any aggregate (community.metrics).
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from community.models import User

__all__ = [
    "ActivityStatus",
    "DestinationArea",
    "EvaluationConsent",
    "Goal",
    "GoalStep",
    "LonelinessDirect",
    "WellbeingCheckIn",
    "WellbeingSettings",
]


def _scale(low: int, high: int, help_text: str = ""):
    return models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(low), MaxValueValidator(high)], help_text=help_text
    )


class LonelinessDirect(models.TextChoices):
    """The ONS direct question "How often do you feel lonely?" (shared/reference/loneliness.csv)."""

    OFTEN_ALWAYS = "often_always", "Often/always"
    SOME_OF_THE_TIME = "some_of_the_time", "Some of the time"
    OCCASIONALLY = "occasionally", "Occasionally"
    HARDLY_EVER = "hardly_ever", "Hardly ever"
    NEVER = "never", "Never"


class WellbeingCheckIn(models.Model):
    """One wellbeing check-in. Every answer is optional; a part with a missing item has no score."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="wellbeing_checkins")
    created_at = models.DateTimeField(default=timezone.now)
    # SWEMWBS: the 7 statements in order (swemwbs_items.csv), each 1 (None of the time) to 5 (All of the time).
    swemwbs_1 = _scale(1, 5)
    swemwbs_2 = _scale(1, 5)
    swemwbs_3 = _scale(1, 5)
    swemwbs_4 = _scale(1, 5)
    swemwbs_5 = _scale(1, 5)
    swemwbs_6 = _scale(1, 5)
    swemwbs_7 = _scale(1, 5)
    swemwbs_raw = _scale(7, 35, "Sum of the seven items; empty if any is missing.")
    swemwbs_metric = models.DecimalField(
        max_digits=5, decimal_places=2, null=True, blank=True, help_text="From the published conversion table."
    )
    # ONS4, each 0-10, reported separately (no composite).
    ons_life_satisfaction = _scale(0, 10)
    ons_worthwhile = _scale(0, 10)
    ons_happiness = _scale(0, 10)
    ons_anxiety = _scale(0, 10)
    # UCLA 3-item loneliness, each 1-3, total 3-9; and the ONS direct question.
    ucla_companionship = _scale(1, 3)
    ucla_left_out = _scale(1, 3)
    ucla_isolated = _scale(1, 3)
    ucla_total = _scale(3, 9, "Sum of the three items; empty if any is missing.")
    lonely_direct = models.CharField(max_length=20, choices=LonelinessDirect.choices, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "created_at"])]

    def __str__(self) -> str:
        return f"Check-in by {self.user_id} on {self.created_at:%Y-%m-%d}"


class WellbeingSettings(models.Model):
    """A member's choices about check-in invitations (at most one every HN_CHECKIN_INVITE_DAYS, never if off)."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, primary_key=True, related_name="wellbeing_settings")
    invitations_on = models.BooleanField(default=True)
    last_invited_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Wellbeing settings of {self.user_id}"


class EvaluationConsent(models.Model):
    """Each time a member says whether their data may count in programme and evaluation figures. The newest row is
    their current answer; no row means no (the default). Effective for figures made after it."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="evaluation_consents")
    consents = models.BooleanField()
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["user", "recorded_at"])]

    def __str__(self) -> str:
        return f"{self.user_id} {'consents' if self.consents else 'does not consent'} ({self.recorded_at:%Y-%m-%d})"


class DestinationArea(models.Model):
    """An area of a positive destination that matters to this member (positive_destinations.csv keys)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="destination_areas")
    area = models.CharField(max_length=20)
    chosen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "area"], name="destination_area_once")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.area}"


class Goal(models.Model):
    """A goal in the member's own words, in one of their areas, with small steps."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="goals")
    area = models.CharField(max_length=20)
    title = models.CharField(max_length=200)
    progress = models.PositiveSmallIntegerField(
        default=0, validators=[MaxValueValidator(100)], help_text="How far along it feels, 0-100."
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    achieved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["achieved_at", "-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(progress__lte=100), name="goal_progress_0_100")]

    def __str__(self) -> str:
        return self.title


class GoalStep(models.Model):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="steps")
    text = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField(default=0)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text


class ActivityStatus(models.Model):
    """What the member is doing now, in the DfE care-leaver activity categories (ssda903_activity.csv), for aggregate
    EET/NEET reporting. Optional; the newest row is current."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="activity_statuses")
    code = models.CharField(max_length=4)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        verbose_name_plural = "activity statuses"
        indexes = [models.Index(fields=["user", "recorded_at"])]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.code}"
