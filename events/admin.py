from django.contrib import admin

from community.admin_base import ReadOnlyAdmin
from events.models import Attendance, Event, EventSeries, Pulse, Rsvp
from events.models_ideas import CalendarToken, Idea, IdeaBacking, IdeaComment


@admin.register(EventSeries)
class EventSeriesAdmin(ReadOnlyAdmin):
    list_display = ["id", "group", "frequency", "created_by", "created_at"]
    list_filter = ["frequency"]
    search_fields = ["group__name"]
    list_select_related = ["group", "created_by"]


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ["title", "group", "category", "starts_at", "status", "capacity", "going_count", "visibility"]
    list_filter = ["status", "category", "visibility", "rsvp_mode", "group"]
    search_fields = ["title", "description", "area", "group__name"]
    date_hierarchy = "starts_at"
    list_select_related = ["group"]


@admin.register(Rsvp)
class RsvpAdmin(ReadOnlyAdmin):
    list_display = ["user", "event", "status", "queued_at", "updated_at"]
    list_filter = ["status"]
    search_fields = ["user__display_name", "event__title"]
    list_select_related = ["user", "event"]


@admin.register(Attendance)
class AttendanceAdmin(ReadOnlyAdmin):
    list_display = ["user", "event", "method", "checked_in_at", "checked_in_by"]
    list_filter = ["method"]
    search_fields = ["user__display_name", "event__title"]
    list_select_related = ["user", "event", "checked_in_by"]


@admin.register(Pulse)
class PulseAdmin(ReadOnlyAdmin):
    list_display = ["event", "user", "feeling", "connected", "note_held", "created_at"]
    exclude = ["note_to_organisers"]  # a held note is for the safeguarding team: shown here only when not held
    readonly_fields = ["note_for_organisers"]
    list_filter = ["connected", "feeling"]
    search_fields = ["event__title", "user__display_name"]
    list_select_related = ["event", "user"]


@admin.register(Idea)
class IdeaAdmin(ReadOnlyAdmin):
    list_display = ["title", "group", "proposed_by", "status", "created_at"]
    list_filter = ["status", "group"]
    search_fields = ["title", "why", "group__name"]
    list_select_related = ["group", "proposed_by"]


@admin.register(IdeaBacking)
class IdeaBackingAdmin(ReadOnlyAdmin):
    list_display = ["idea", "user", "created_at"]
    search_fields = ["idea__title", "user__display_name"]
    list_select_related = ["idea", "user"]


@admin.register(IdeaComment)
class IdeaCommentAdmin(ReadOnlyAdmin):
    list_display = ["idea", "author", "created_at"]
    search_fields = ["idea__title", "body"]
    list_select_related = ["idea", "author"]


@admin.register(CalendarToken)
class CalendarTokenAdmin(ReadOnlyAdmin):
    list_display = ["user", "kind", "group", "created_at"]
    list_filter = ["kind"]
    exclude = ["token"]
    list_select_related = ["user", "group"]
