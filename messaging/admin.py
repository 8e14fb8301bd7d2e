"""Read-only admin for chat: staff can look things up. Hide and restore are actions calling moderation's services
(messaging.services.moderation.actions), so the change is audited and reaches every open socket."""

from django.contrib import admin

from community.admin_base import ReadOnlyAdmin, ReadOnlyInline, service_action
from messaging.models import (
    Message,
    MessageEdit,
    ModerationCase,
    ModeratorNote,
    Reaction,
    ReadMarker,
    Report,
    Room,
    Sanction,
    StaffedHours,
    WordListEntry,
)
from messaging.services.moderation.actions import message_hide, message_restore


@admin.register(Room)
class RoomAdmin(ReadOnlyAdmin):
    list_display = ["id", "kind", "group", "event", "user_low", "user_high", "direct_status", "created_at"]
    list_filter = ["kind", "direct_status"]
    search_fields = ["group__name", "event__title", "user_low__display_name", "user_high__display_name"]
    list_select_related = ["group", "event", "user_low", "user_high"]


class MessageEditInline(ReadOnlyInline):
    model = MessageEdit
    fields = ["kind", "previous_body", "edited_by", "edited_at"]


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    list_display = ["id", "room", "author", "short_body", "created_at", "edited_at", "deleted_at", "is_hidden"]
    list_filter = ["is_hidden", "room__kind"]
    search_fields = ["body", "author__display_name"]
    list_select_related = ["room", "room__group", "room__event", "author"]
    inlines = [MessageEditInline]
    actions = [
        service_action(
            "Hide from everyone",
            lambda actor, message: message_hide(actor=actor, message_id=message.pk, reason="Hidden from the admin"),
        ),
        service_action(
            "Restore for everyone",
            lambda actor, message: message_restore(actor=actor, message_id=message.pk, reason="From the admin"),
        ),
    ]

    @admin.display(description="words")
    def short_body(self, message: Message) -> str:
        return message.body[:80]


@admin.register(Reaction)
class ReactionAdmin(ReadOnlyAdmin):
    list_display = ["message", "user", "emoji", "created_at"]
    list_select_related = ["message", "user"]


@admin.register(ReadMarker)
class ReadMarkerAdmin(ReadOnlyAdmin):
    list_display = ["room", "user", "last_read_message_id", "updated_at"]
    list_select_related = ["room", "user"]


@admin.register(MessageEdit)
class MessageEditAdmin(ReadOnlyAdmin):
    list_display = ["message", "kind", "edited_by", "edited_at"]
    list_filter = ["kind"]
    search_fields = ["previous_body"]
    list_select_related = ["message", "edited_by"]


# --- moderation (read-only: every change goes through the moderation pages and API, audited) -------------------------


class ReportInline(ReadOnlyInline):
    model = Report
    fields = ["reporter", "reason", "note", "matched", "created_at", "reporter_told_at"]


@admin.register(ModerationCase)
class ModerationCaseAdmin(ReadOnlyAdmin):
    list_display = ["id", "kind", "subject", "status", "is_safeguarding", "claimed_by", "outcome", "created_at"]
    list_filter = ["status", "kind", "is_safeguarding", "outcome"]
    list_select_related = ["subject", "claimed_by"]
    inlines = [ReportInline]


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ["id", "case", "reporter", "reason", "created_at"]
    list_filter = ["reason"]
    list_select_related = ["case", "reporter"]


@admin.register(Sanction)
class SanctionAdmin(ReadOnlyAdmin):
    list_display = ["id", "user", "kind", "room", "group", "starts_at", "ends_at", "lifted_at", "created_by"]
    list_filter = ["kind"]
    search_fields = ["user__display_name"]
    list_select_related = ["user", "room", "group", "created_by"]


@admin.register(ModeratorNote)
class ModeratorNoteAdmin(ReadOnlyAdmin):
    list_display = ["subject", "author", "case", "created_at"]
    list_select_related = ["subject", "author"]


@admin.register(WordListEntry)
class WordListEntryAdmin(ReadOnlyAdmin):
    list_display = ["phrase", "action", "note", "created_by", "updated_at"]
    list_filter = ["action"]
    search_fields = ["phrase"]


@admin.register(StaffedHours)
class StaffedHoursAdmin(ReadOnlyAdmin):
    list_display = ["room", "weekday", "opens_at", "closes_at"]
    list_select_related = ["room"]
