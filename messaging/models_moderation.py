"""Moderation tables: cases with the reports behind them, sanctions, moderators' private notes, the word lists and
the weekly staffed hours of rooms.

Imported at the end of messaging/models.py so Django sees these tables as part of the messaging app. Every write goes
through messaging/services/moderation/; every moderator action also writes community's append-only audit log.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from community.models import Group
from events.models import Event

__all__ = [
    "CaseKind",
    "CaseOutcome",
    "CaseStatus",
    "ModerationCase",
    "ModeratorNote",
    "Report",
    "ReportReason",
    "Sanction",
    "SanctionKind",
    "StaffedHours",
    "WordAction",
    "WordListEntry",
]


class ReportReason(models.TextChoices):
    # What a member chooses from.
    BULLYING = "bullying", "Bullying or harassment"
    HATE = "hate", "Hate"
    SEXUAL = "sexual", "Sexual content"
    SELF_HARM = "self_harm", "Self-harm or suicide risk"
    PERSONAL_INFO = "personal_info", "Someone sharing personal information"
    SPAM = "spam", "Spam"
    OTHER = "other", "Something else"
    # Raised by the product itself (reporter empty).
    NEW_MEMBER = "new_member", "A new member's message, held for review"
    NEW_MEMBER_LINK = "new_member_link", "A link from a new member, held for review"
    WORD_HOLD = "word_hold", "Matched a word-list entry that holds for review"
    WORD_FLAG = "word_flag", "Matched a word-list entry that flags to moderators"


MEMBER_REASONS = (
    ReportReason.BULLYING,
    ReportReason.HATE,
    ReportReason.SEXUAL,
    ReportReason.SELF_HARM,
    ReportReason.PERSONAL_INFO,
    ReportReason.SPAM,
    ReportReason.OTHER,
)


class CaseKind(models.TextChoices):
    MESSAGE = "message", "A message"
    USER = "user", "A person"
    EVENT = "event", "An event"


class CaseStatus(models.TextChoices):
    OPEN = "open", "Open"
    RESOLVED = "resolved", "Resolved"


class CaseOutcome(models.TextChoices):
    NO_ACTION = "no_action", "Looked at: no action needed"
    APPROVED = "approved", "Held message approved and shown"
    HIDDEN = "hidden", "Message removed"
    WARNED = "warned", "The person was given a warning"
    SANCTIONED = "sanctioned", "The person was muted, silenced, suspended or banned"
    EVENT_CHANGED = "event_changed", "The event was changed or cancelled"


class ModerationCase(models.Model):
    """One thing moderators need to look at - a message, a person or an event - with every report about it while it
    is open. Held messages open a case too (reports from the product itself)."""

    kind = models.CharField(max_length=10, choices=CaseKind.choices)
    message = models.ForeignKey(
        "messaging.Message", null=True, blank=True, on_delete=models.SET_NULL, related_name="cases"
    )
    event = models.ForeignKey(Event, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # The person the case is about: the message's author, the reported person, or the event's creator.
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    room = models.ForeignKey("messaging.Room", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    is_safeguarding = models.BooleanField(default=False)
    due_at = models.DateTimeField(help_text="When it is escalated if nobody has resolved it.")
    escalated_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=CaseOutcome.choices, blank=True)
    outcome_note = models.TextField(max_length=2000, blank=True, help_text="Private to moderators and staff.")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-is_safeguarding", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["message"], condition=Q(status="open", kind="message"), name="case_one_open_per_message"
            ),
            models.UniqueConstraint(
                fields=["subject"], condition=Q(status="open", kind="user"), name="case_one_open_per_person"
            ),
            models.UniqueConstraint(
                fields=["event"], condition=Q(status="open", kind="event"), name="case_one_open_per_event"
            ),
        ]
        indexes = [models.Index(fields=["status", "due_at"]), models.Index(fields=["subject", "status"])]

    def __str__(self) -> str:
        return f"Case {self.pk} ({self.kind}, {self.status})"


class Report(models.Model):
    """One report behind a case: from a member (reporter set) or from the product (held message, word list)."""

    case = models.ForeignKey(ModerationCase, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="reports_made"
    )
    reason = models.CharField(max_length=20, choices=ReportReason.choices)
    note = models.TextField(max_length=1000, blank=True)
    matched = models.CharField(max_length=120, blank=True, help_text="The word-list entry that matched, if any.")
    created_at = models.DateTimeField(default=timezone.now)
    reporter_told_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "reporter"], condition=Q(reporter__isnull=False), name="report_once_per_case"
            ),
        ]

    def __str__(self) -> str:
        return f"Report {self.pk} ({self.reason}) on case {self.case_id}"


class SanctionKind(models.TextChoices):
    WARN = "warn", "Warning"
    ROOM_MUTE = "room_mute", "Muted in a chat"
    SILENCE = "silence", "Silenced everywhere (can read, can't post)"
    SUSPEND = "suspend", "Suspended (can't sign in)"
    GROUP_BAN = "group_ban", "Banned from a group"


class Sanction(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sanctions")
    kind = models.CharField(max_length=10, choices=SanctionKind.choices)
    room = models.ForeignKey("messaging.Room", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey(Group, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey(ModerationCase, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.TextField(max_length=1000, help_text="Shown to the person (kindly worded).")
    starts_at = models.DateTimeField(default=timezone.now)
    ends_at = models.DateTimeField(null=True, blank=True, help_text="Empty: until lifted.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")), name="sanction_ends_after"
            ),
            models.CheckConstraint(
                condition=~Q(kind="room_mute") | Q(room__isnull=False), name="sanction_room_mute_has_room"
            ),
            models.CheckConstraint(
                condition=~Q(kind="group_ban") | Q(group__isnull=False), name="sanction_group_ban_has_group"
            ),
        ]
        indexes = [models.Index(fields=["user", "kind"])]

    def __str__(self) -> str:
        return f"{self.kind} for {self.user_id}"

    def is_in_force(self, now=None) -> bool:
        now = now or timezone.now()
        return self.lifted_at is None and self.starts_at <= now and (self.ends_at is None or self.ends_at > now)


class ModeratorNote(models.Model):
    """A private note moderators keep about a person. Never shown to members."""

    subject = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    case = models.ForeignKey(ModerationCase, null=True, blank=True, on_delete=models.SET_NULL, related_name="notes")
    body = models.TextField(max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Note about {self.subject_id}"


class WordAction(models.TextChoices):
    BLOCK = "block", "Block (the sender is told why)"
    HOLD = "hold", "Hold for review"
    FLAG = "flag", "Let it through and flag to moderators"


class WordListEntry(models.Model):
    """A word or phrase moderators chose to act on. A trailing * matches any word ending."""

    phrase = models.CharField(max_length=120)
    action = models.CharField(max_length=10, choices=WordAction.choices)
    note = models.CharField(max_length=200, blank=True, help_text="Why it's on the list (moderators only).")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["phrase"]
        verbose_name_plural = "word list entries"
        constraints = [models.UniqueConstraint(fields=["phrase"], name="word_list_phrase_once")]

    def __str__(self) -> str:
        return f"{self.phrase} ({self.action})"


class StaffedHours(models.Model):
    """One weekly opening of a room that is open only in staffed hours (times in Europe/London)."""

    room = models.ForeignKey("messaging.Room", on_delete=models.CASCADE, related_name="staffed_hours")
    weekday = models.PositiveSmallIntegerField(help_text="0 is Monday, 6 is Sunday.")
    opens_at = models.TimeField()
    closes_at = models.TimeField()

    class Meta:
        ordering = ["weekday", "opens_at"]
        verbose_name_plural = "staffed hours"
        constraints = [
            models.CheckConstraint(condition=Q(weekday__gte=0, weekday__lte=6), name="staffed_hours_weekday"),
            models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")), name="staffed_hours_order"),
        ]

    def __str__(self) -> str:
        return f"Room {self.room_id}: day {self.weekday} {self.opens_at}-{self.closes_at}"
