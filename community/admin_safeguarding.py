"""Read-only admin for the safeguarding tables. Changes go through the pages and API (services, audited): the phrase
list at /safeguarding/phrases/, the support contacts at /safeguarding/contacts/."""

from django.contrib import admin

from community.admin_base import ReadOnlyAdmin
from community.models import SafeguardingConcern, SafeguardingPhrase, SupportContact


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
