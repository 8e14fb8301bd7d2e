"""Safety tables that every app relies on: personal blocks and mutes, moderators on duty, the crisis-language phrase
list, the support contacts shown to someone who may be at risk, and safeguarding concerns.

Imported at the end of community/models.py so Django sees these tables as part of the community app. Chat moderation
(reports, held messages, sanctions, word lists, room controls) lives in messaging; these live here because profiles
(blocks), event pulses (crisis language) and alerts (duty) need them and community imports no other app.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from community.models import User

__all__ = [
    "ConcernSource",
    "ConcernStatus",
    "CrisisCategory",
    "ModeratorDuty",
    "PersonBlock",
    "PersonMute",
    "SafeguardingConcern",
    "SafeguardingPhrase",
    "SupportContact",
]


class PersonBlock(models.Model):
    """`blocker` blocked `blocked`: they can't message the blocker or see their profile, and their messages are hidden
    for the blocker. The blocked person is never told."""

    blocker = models.ForeignKey(User, on_delete=models.CASCADE, related_name="blocks_made")
    blocked = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="block_once_per_pair"),
            models.CheckConstraint(condition=~Q(blocker=F("blocked")), name="block_not_self"),
        ]
        indexes = [models.Index(fields=["blocked"])]

    def __str__(self) -> str:
        return f"{self.blocker_id} blocked {self.blocked_id}"


class PersonMute(models.Model):
    """`muter` stopped seeing `muted`'s messages. The muted person is never told and can still message them."""

    muter = models.ForeignKey(User, on_delete=models.CASCADE, related_name="mutes_made")
    muted = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["muter", "muted"], name="mute_once_per_pair"),
            models.CheckConstraint(condition=~Q(muter=F("muted")), name="mute_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.muter_id} muted {self.muted_id}"


class ModeratorDuty(models.Model):
    """A stretch of time a moderator is on duty (ended_at empty: on duty now). Rooms with staffed hours open while
    someone is on duty, and safeguarding alerts go to whoever is."""

    moderator = models.ForeignKey(User, on_delete=models.CASCADE, related_name="duties")
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name_plural = "moderator duties"
        constraints = [
            models.UniqueConstraint(fields=["moderator"], condition=Q(ended_at__isnull=True), name="duty_one_open"),
        ]

    def __str__(self) -> str:
        return f"{self.moderator} on duty from {self.started_at:%Y-%m-%d %H:%M}"


class CrisisCategory(models.TextChoices):
    SELF_HARM = "self_harm", "Self-harm"
    SUICIDE = "suicide", "Suicide"
    ABUSE = "abuse", "Abuse"
    DANGER = "danger", "Being in danger"
    NOT_CRISIS = "not_crisis", "Looks similar but is not a crisis"


class SafeguardingPhrase(models.Model):
    """One phrase of the crisis-language list the operator edits. `not_crisis` phrases ("killing it", "dying to see")
    are taken out of the text before the crisis phrases are looked for. A trailing * matches any word ending."""

    phrase = models.CharField(max_length=120)
    category = models.CharField(max_length=12, choices=CrisisCategory.choices)
    is_active = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["category", "phrase"]
        constraints = [models.UniqueConstraint(fields=["phrase", "category"], name="safeguarding_phrase_once")]

    def __str__(self) -> str:
        return f"{self.phrase} ({self.category})"


class SupportContact(models.Model):
    """A support service shown to a young person who may be at risk. Seeded from community/reference_data/
    signposting_uk.csv; the operator edits these rows for their nation and area."""

    service = models.CharField(max_length=120)
    contact = models.CharField(max_length=200)
    when = models.CharField(max_length=200, blank=True)
    who = models.CharField(max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.service


class ConcernSource(models.TextChoices):
    MESSAGE = "message", "A chat message"
    PULSE = "pulse", "An event pulse comment"


class ConcernStatus(models.TextChoices):
    OPEN = "open", "Waiting for a moderator"
    RESOLVED = "resolved", "Handled"


class SafeguardingConcern(models.Model):
    """Crisis language found in something a person wrote. The words stay held until a moderator handles it; the person
    has been sent the support contacts and the moderators on duty and the safeguarding lead alerted."""

    person = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="safeguarding_concerns")
    source = models.CharField(max_length=10, choices=ConcernSource.choices)
    source_id = models.PositiveBigIntegerField(help_text="The message's or the pulse's id.")
    excerpt = models.TextField(max_length=2000)
    categories = models.JSONField(default=list)
    matched = models.JSONField(default=list, help_text="The phrases that matched, for the moderator.")
    status = models.CharField(max_length=10, choices=ConcernStatus.choices, default=ConcernStatus.OPEN)
    due_at = models.DateTimeField()
    escalated_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    claimed_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    resolved_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=30, blank=True)
    outcome_note = models.TextField(max_length=2000, blank=True, help_text="Private to moderators and staff.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "due_at"]), models.Index(fields=["source", "source_id"])]

    def __str__(self) -> str:
        return f"Safeguarding concern {self.pk} ({self.source})"
