"""Chat tables: rooms (a group's, an event's, or a direct conversation), messages, edits, reactions, read markers.

Rooms are created lazily by messaging.services.rooms and messaging.services.direct, never in signals.
A message is plain text; nothing a person writes is ever rendered as HTML.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from community.models import Group
from events.models import Event

# The reactions people can choose from, in the order they are shown.
REACTIONS = ("👍", "❤️", "😂", "😮", "😢", "🙏")


class RoomKind(models.TextChoices):
    GROUP = "group", "Group chat"
    EVENT = "event", "Event chat"
    DIRECT = "direct", "Direct conversation"


class DirectStatus(models.TextChoices):
    REQUESTED = "requested", "Waiting for an answer"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"


class Room(models.Model):
    kind = models.CharField(max_length=10, choices=RoomKind.choices)
    group = models.OneToOneField(Group, null=True, blank=True, on_delete=models.CASCADE, related_name="chat_room")
    event = models.OneToOneField(Event, null=True, blank=True, on_delete=models.CASCADE, related_name="chat_room")
    # A direct conversation: the two people (lower id first), who asked, and whether the other said yes.
    user_low = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    user_high = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    direct_status = models.CharField(max_length=10, choices=DirectStatus.choices, blank=True)
    # Room controls (moderators): one message per N seconds per person, read-only, open only in staffed hours.
    slow_mode_seconds = models.PositiveIntegerField(default=0)
    is_locked = models.BooleanField(default=False)
    staffed_hours_only = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user_low", "user_high"], name="room_one_direct_per_pair"),
            models.CheckConstraint(
                condition=(
                    Q(kind=RoomKind.GROUP, group__isnull=False, event__isnull=True, user_low__isnull=True)
                    | Q(kind=RoomKind.EVENT, event__isnull=False, group__isnull=True, user_low__isnull=True)
                    | Q(
                        kind=RoomKind.DIRECT,
                        group__isnull=True,
                        event__isnull=True,
                        user_low__isnull=False,
                        user_high__isnull=False,
                        user_low__lt=models.F("user_high"),
                    )
                ),
                name="room_kind_matches_fields",
            ),
        ]
        indexes = [models.Index(fields=["user_high"])]

    def __str__(self) -> str:
        if self.kind == RoomKind.GROUP:
            return f"Chat: {self.group}"
        if self.kind == RoomKind.EVENT:
            return f"Chat: {self.event}"
        return f"Direct: {self.user_low_id} and {self.user_high_id}"

    @property
    def is_direct(self) -> bool:
        return self.kind == RoomKind.DIRECT

    def participant_ids(self) -> tuple[int, int]:
        return (self.user_low_id, self.user_high_id)

    def other_participant_id(self, user_id: int) -> int | None:
        if user_id == self.user_low_id:
            return self.user_high_id
        if user_id == self.user_high_id:
            return self.user_low_id
        return None


def chat_image_upload_to(instance: Message, filename: str) -> str:
    return f"chat/{instance.room_id}/{filename}"


class Message(models.Model):
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="chat_messages"
    )
    body = models.TextField(max_length=2000, blank=True)
    image = models.ImageField(upload_to=chat_image_upload_to, blank=True)
    reply_to = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    client_id = models.CharField(
        max_length=64, blank=True, help_text="Made by the sender's app, so a resend is not stored twice."
    )
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    # Held for review (new member, link, word list, crisis language): only its author and moderators see it until a
    # moderator approves it. `held_reason` says why.
    is_held = models.BooleanField(default=False)
    held_reason = models.CharField(max_length=20, blank=True)
    # Moderation (hide and restore) sets these; a hidden message is sent to everyone without its words.
    # `hidden_reason`: "moderator", or "reports" (hidden automatically until a moderator looks).
    is_hidden = models.BooleanField(default=False)
    hidden_reason = models.CharField(max_length=20, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hidden_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "room", "client_id"], condition=~Q(client_id=""), name="message_client_id_once"
            ),
        ]
        indexes = [models.Index(fields=["room", "id"])]

    def __str__(self) -> str:
        return f"Message {self.pk} in room {self.room_id}"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class MessageEditKind(models.TextChoices):
    EDIT = "edit", "Edited"
    DELETE = "delete", "Deleted"


class MessageEdit(models.Model):
    """What a message said before each edit or deletion: kept for moderators, never shown to members."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="edits")
    kind = models.CharField(max_length=10, choices=MessageEditKind.choices, default=MessageEditKind.EDIT)
    previous_body = models.TextField(blank=True)
    edited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    edited_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["message", "edited_at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} of message {self.message_id}"


class Reaction(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    emoji = models.CharField(max_length=8)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["message", "user", "emoji"], name="reaction_once_per_person"),
        ]

    def __str__(self) -> str:
        return f"{self.emoji} on message {self.message_id}"


class ReadMarker(models.Model):
    """How far one person has read in one room. Only moves forward."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="read_markers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="chat_read_markers")
    last_read_message_id = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["room", "user"], name="read_marker_one_per_person")]

    def __str__(self) -> str:
        return f"{self.user} read room {self.room_id} to {self.last_read_message_id}"


from messaging.models_moderation import *  # noqa: E402,F401,F403
