"""Admin for wellbeing records: staff can see that a record exists and when (to answer a subject access request or
check a deletion), never what a member answered or wrote - those are for the member alone, and in aggregate."""

from django.contrib import admin

from community.admin_base import ReadOnlyAdmin
from community.models import (
    ActivityStatus,
    DestinationArea,
    EvaluationConsent,
    Goal,
    GoalStep,
    WellbeingCheckIn,
    WellbeingSettings,
)


class MetadataOnlyAdmin(ReadOnlyAdmin):
    """Lists and detail pages show only who and when."""

    list_select_related = ["user"]

    def get_fields(self, request, obj=None):
        return self.list_display


@admin.register(WellbeingCheckIn)
class WellbeingCheckInAdmin(MetadataOnlyAdmin):
    list_display = ["user", "created_at"]


@admin.register(WellbeingSettings)
class WellbeingSettingsAdmin(MetadataOnlyAdmin):
    list_display = ["user", "invitations_on", "last_invited_at"]


@admin.register(EvaluationConsent)
class EvaluationConsentAdmin(MetadataOnlyAdmin):
    list_display = ["user", "consents", "recorded_at"]


@admin.register(DestinationArea)
class DestinationAreaAdmin(MetadataOnlyAdmin):
    list_display = ["user", "chosen_at"]


@admin.register(Goal)
class GoalAdmin(MetadataOnlyAdmin):
    list_display = ["user", "created_at", "achieved_at"]


@admin.register(GoalStep)
class GoalStepAdmin(ReadOnlyAdmin):
    list_display = ["goal_id", "position", "done_at"]

    def get_fields(self, request, obj=None):
        return ["position", "done_at"]


@admin.register(ActivityStatus)
class ActivityStatusAdmin(MetadataOnlyAdmin):
    list_display = ["user", "recorded_at"]
