"""Read-only admin for the safety tables. Changes go through the pages and API (services, audited): the phrase
list at /safeguarding/phrases/, the support contacts at /safeguarding/contacts/, duty on the moderators' rooms page,
blocks and mutes by each member at /me/people/."""

from django.contrib import admin

from community.admin_base import ReadOnlyAdmin
from community.models import (
    ModeratorDuty,
    PersonBlock,
    PersonMute,
    SafeguardingConcern,
    SafeguardingPhrase,
    SupportContact,
)


@admin.register(SafeguardingPhrase)
class SafeguardingPhraseAdmin(ReadOnlyAdmin):
    list_display = ["phrase", "category", "is_active", "updated_at"]
    list_filter = ["category", "is_active"]
    search_fields = ["phrase"]


@admin.register(SupportContact)
class SupportContactAdmin(ReadOnlyAdmin):
    list_display = ["service", "contact", "when", "who", "position", "is_active"]


@admin.register(SafeguardingConcern)
class SafeguardingConcernAdmin(ReadOnlyAdmin):
    list_display = ["id", "person", "source", "status", "due_at", "claimed_by", "outcome", "created_at"]
    list_filter = ["status", "source", "outcome"]
    list_select_related = ["person", "claimed_by"]


@admin.register(PersonBlock)
class PersonBlockAdmin(ReadOnlyAdmin):
    list_display = ["blocker", "blocked", "created_at"]
    list_select_related = ["blocker", "blocked"]
    search_fields = ["blocker__display_name", "blocked__display_name"]


@admin.register(PersonMute)
class PersonMuteAdmin(ReadOnlyAdmin):
    list_display = ["muter", "muted", "created_at"]
    list_select_related = ["muter", "muted"]
    search_fields = ["muter__display_name", "muted__display_name"]


@admin.register(ModeratorDuty)
class ModeratorDutyAdmin(ReadOnlyAdmin):
    list_display = ["moderator", "started_at", "ended_at"]
    list_select_related = ["moderator"]
