"""Notification pages: the list, opening one, marking all as read, and email settings."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from community.errors import DomainError
from community.selectors.notifications import notification_list_for_user, notification_preferences_for_user
from community.services.notifications import (
    is_local_path,
    notification_mark_all_read,
    notification_mark_read,
    notification_preferences_update,
)

PAGE_SIZE = 20
SAFETY_CRITICAL_HELP = "Always on. This one is about keeping you safe, so we always email it."


@login_required
def notification_list(request):
    page = Paginator(notification_list_for_user(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "community/notifications/list.html", {"page": page})


@login_required
@require_POST
def notification_open(request, notification_id: int):
    """Mark it read, then go where it points, but only ever to a page on this site."""
    try:
        notification = notification_mark_read(actor=request.user, notification=notification_id)
    except DomainError as error:
        messages.error(request, error.detail)
        return redirect("community:notification-list")
    if notification.url and _is_safe_local_url(request, notification.url):
        return redirect(notification.url)
    if notification.url:
        messages.info(request, "That link doesn't go to a page on Here and Now, so we didn't open it.")
    else:
        messages.success(request, "Marked as read.")
    return redirect("community:notification-list")


def _is_safe_local_url(request, url: str) -> bool:
    return is_local_path(url) and url_has_allowed_host_and_scheme(url, allowed_hosts=None, require_https=False)


@login_required
@require_POST
def notification_read_all(request):
    changed = notification_mark_all_read(actor=request.user)
    if changed:
        messages.success(request, "All caught up. Everything is marked as read.")
    else:
        messages.info(request, "You were already all caught up.")
    return redirect("community:notification-list")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%H:%M")


class NotificationSettingsForm(forms.Form):
    quiet_hours_start = forms.TimeField(
        required=False, label="Quiet hours start", widget=TimeInput(), help_text="For example 22:00."
    )
    quiet_hours_end = forms.TimeField(
        required=False, label="Quiet hours end", widget=TimeInput(), help_text="For example 08:00."
    )

    def __init__(self, *args, preferences, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.kind_rows = []
        for kind in preferences.kinds:
            name = f"email_{kind.key}"
            self.fields[name] = forms.BooleanField(
                required=False,
                label="Email me about this",
                initial=kind.email,
                disabled=kind.safety_critical,
                help_text=SAFETY_CRITICAL_HELP if kind.safety_critical else "",
            )
            self.kind_rows.append((kind, name))
        self.fields["quiet_hours_start"].initial = preferences.quiet_hours_start
        self.fields["quiet_hours_end"].initial = preferences.quiet_hours_end

    def kind_fields(self):
        return [(kind, self[name]) for kind, name in self.kind_rows]

    def email_by_kind(self) -> dict[str, bool]:
        return {kind.key: self.cleaned_data[name] for kind, name in self.kind_rows if not kind.safety_critical}


@login_required
def notification_settings(request):
    preferences = notification_preferences_for_user(user=request.user)
    form = NotificationSettingsForm(request.POST or None, preferences=preferences)
    if request.method == "POST" and form.is_valid():
        try:
            notification_preferences_update(
                actor=request.user,
                email_by_kind=form.email_by_kind(),
                quiet_hours_start=form.cleaned_data["quiet_hours_start"],
                quiet_hours_end=form.cleaned_data["quiet_hours_end"],
            )
        except DomainError as error:
            field = "quiet_hours_start" if error.code == "invalid_quiet_hours" else None
            form.add_error(field, error.detail)
        else:
            messages.success(request, "Saved. We'll email you the way you chose.")
            return redirect("community:notification-settings")
    return render(request, "community/notifications/settings.html", {"form": form})


urlpatterns = [
    path("notifications/", notification_list, name="notification-list"),
    path("notifications/<int:notification_id>/open/", notification_open, name="notification-open"),
    path("notifications/read-all/", notification_read_all, name="notification-read-all"),
    path("notifications/settings/", notification_settings, name="notification-settings"),
]
