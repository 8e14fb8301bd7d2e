"""Admin for privacy records: the agreement and notice versions, who accepted them, data exports (who and when,
never the file), the records kept after an erasure, and the retention job's log.

Staff publish a new version of the agreement or the notice with "Add" on the policy documents page: it goes through
community.services.policies.policy_publish (the next version number, an audit entry, a notification to every member,
who are then asked to accept it). A published version is never changed.
"""

from django.contrib import admin

from community import permissions
from community.admin_base import ReadOnlyAdmin
from community.models import DataExport, ErasedAccount, PolicyAcceptance, PolicyDocument, RetentionRun
from community.services.policies import policy_publish

PUBLISH_FIELDS = ["kind", "title", "summary", "body"]


@admin.register(PolicyDocument)
class PolicyDocumentAdmin(ReadOnlyAdmin):
    list_display = ["kind", "version", "title", "published_at", "published_by"]
    list_filter = ["kind"]

    def has_add_permission(self, request, obj=None):
        return permissions.can_publish_policies(request.user)

    def get_fields(self, request, obj=None):
        if obj is None:
            return PUBLISH_FIELDS
        return [*PUBLISH_FIELDS[:1], "version", *PUBLISH_FIELDS[1:], "published_at", "published_by"]

    def save_model(self, request, obj, form, change):
        """Adding publishes the next version (the one write path); nothing else saves."""
        published = policy_publish(actor=request.user, **{name: form.cleaned_data[name] for name in PUBLISH_FIELDS})
        obj.pk, obj.version, obj.published_at = published.pk, published.version, published.published_at


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
