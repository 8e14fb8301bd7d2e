"""Admin for privacy records: the agreement and notice versions, who accepted them, data exports (who and when,
never the file), the records kept after an erasure, and the retention job's log."""

from django.contrib import admin

from community.admin_base import ReadOnlyAdmin
from community.models import DataExport, ErasedAccount, PolicyAcceptance, PolicyDocument, RetentionRun


@admin.register(PolicyDocument)
class PolicyDocumentAdmin(ReadOnlyAdmin):
    list_display = ["kind", "version", "title", "published_at", "published_by"]
    list_filter = ["kind"]


@admin.register(PolicyAcceptance)
class PolicyAcceptanceAdmin(ReadOnlyAdmin):
    list_display = ["user", "document", "accepted_at"]
    list_select_related = ["user", "document"]
    list_filter = ["document"]


@admin.register(DataExport)
class DataExportAdmin(ReadOnlyAdmin):
    list_display = ["user", "status", "requested_at", "ready_at", "expires_at", "downloaded_at"]
    list_select_related = ["user"]
    list_filter = ["status"]
    fields = list_display


@admin.register(ErasedAccount)
class ErasedAccountAdmin(ReadOnlyAdmin):
    """Only for staff looking into a safeguarding or moderation record about someone who has since left."""

    list_display = ["display_name", "email", "erased_at", "keep_until", "erased_by_self"]
    search_fields = ["display_name", "email"]


@admin.register(RetentionRun)
class RetentionRunAdmin(ReadOnlyAdmin):
    list_display = ["started_at", "finished_at", "removed"]
