"""Admin building blocks: the admin reads everything and writes only through services (admin actions)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import admin, messages

from community.errors import DomainError


class ReadOnlyAdmin(admin.ModelAdmin):
    """Lists, search and detail pages; every change goes through an action that calls a service.

    Partnership staff (not only superusers) may look: the admin is their back office.
    """

    def has_module_permission(self, request):
        return bool(request.user.is_active and request.user.is_staff)

    def has_view_permission(self, request, obj=None):
        return bool(request.user.is_active and request.user.is_staff)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.StackedInline):
    extra = 0
    can_delete = False

    def has_view_permission(self, request, obj=None):
        return bool(request.user.is_active and request.user.is_staff)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


def service_action(description: str, call: Callable) -> Callable:
    """An admin action that runs `call(actor, obj)` for each selected row and reports every refusal kindly."""

    def action(modeladmin, request, queryset):
        done = 0
        for obj in queryset:
            try:
                call(request.user, obj)
                done += 1
            except DomainError as error:
                modeladmin.message_user(request, f"{obj}: {error.detail} ({error.code})", messages.ERROR)
        if done:
            modeladmin.message_user(request, f"{description}: done for {done}.", messages.SUCCESS)

    action.short_description = description
    action.__name__ = "action_" + "".join(ch if ch.isalnum() else "_" for ch in description.lower())
    return action
