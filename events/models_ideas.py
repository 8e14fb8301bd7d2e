"""Ideas from members (co-design) and the secret links for calendar feeds.

Imported at the end of events/models.py so Django sees these tables as part of the events app.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from community.models import Group

__all__ = [
    "CalendarToken",
    "CalendarTokenKind",
    "Idea",
    "IdeaBacking",
    "IdeaComment",
    "IdeaStatus",
]


class IdeaStatus(models.TextChoices):
    OPEN = "open", "Open"
    ANSWERED = "answered", "A peer leader has answered"
    CLOSED = "closed", "Closed"
    TURNED_INTO_EVENT = "turned_into_event", "Now an event"


class IdeaQuerySet(models.QuerySet):
    def still_open(self) -> IdeaQuerySet:
        """Ideas people can still back and talk about."""
        return self.filter(status__in=(IdeaStatus.OPEN, IdeaStatus.ANSWERED))


class Idea(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="ideas")
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="ideas_proposed"
    )
    title = models.CharField("what", max_length=120)
    why = models.TextField(max_length=2000, blank=True)
    rough_when = models.CharField(max_length=120, blank=True, help_text="Roughly when, in the member's own words.")
    status = models.CharField(max_length=20, choices=IdeaStatus.choices, default=IdeaStatus.OPEN)
    leader_answer = models.TextField(max_length=2000, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    closed_reason = models.TextField(max_length=1000, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    event = models.OneToOneField("events.Event", null=True, blank=True, on_delete=models.SET_NULL, related_name="idea")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = IdeaQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["group", "status", "created_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_still_open(self) -> bool:
        return self.status in (IdeaStatus.OPEN, IdeaStatus.ANSWERED)


class IdeaBacking(models.Model):
    """One member saying "I'd come to that". Withdrawing it deletes the row."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="backings")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="idea_backings")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["idea", "user"], name="idea_backing_one_per_person")]

    def __str__(self) -> str:
        return f"{self.user} backs {self.idea}"


class IdeaComment(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="idea_comments"
    )
    body = models.TextField(max_length=1000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["idea", "created_at"])]

    def __str__(self) -> str:
        return f"Comment by {self.author} on {self.idea}"


class CalendarTokenKind(models.TextChoices):
    PERSONAL = "personal", "My events"
    GROUP = "group", "A group's events"


class CalendarToken(models.Model):
    """The secret in a calendar feed's address. Whoever has the link can read the feed, so it can be reset."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_tokens")
    kind = models.CharField(max_length=10, choices=CalendarTokenKind.choices)
    group = models.ForeignKey(Group, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=CalendarTokenKind.PERSONAL, group__isnull=True)
                | Q(kind=CalendarTokenKind.GROUP, group__isnull=False),
                name="calendar_token_group_matches_kind",
            ),
            models.UniqueConstraint(
                fields=["user"], condition=Q(kind=CalendarTokenKind.PERSONAL), name="calendar_token_one_personal"
            ),
            models.UniqueConstraint(
                fields=["user", "group"],
                condition=Q(kind=CalendarTokenKind.GROUP),
                name="calendar_token_one_per_group",
            ),
        ]

    def __str__(self) -> str:
        if self.kind == CalendarTokenKind.GROUP:
            return f"Calendar link for {self.user} ({self.group})"
        return f"Calendar link for {self.user}"
