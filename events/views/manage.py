"""Planning events: create (once or repeating), edit (one date or this and following), cancel with a reason."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from community import permissions as community_permissions
from community.errors import Conflict, DomainError, Forbidden
from events import permissions
from events.forms import EventCancelForm, EventCreateForm, EventEditForm, show_refusal
from events.services.events import event_cancel, event_create, event_update


@login_required
@require_http_methods(["GET", "POST"])
def event_create_view(request, slug: str):
    group = community_permissions.access_group(user=request.user, slug=slug)
    if not permissions.can_create_event_in(request.user, group):
        raise Forbidden("Only this group's peer leaders and staff can plan its events.", code="not_an_organiser")
    form = EventCreateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            event = event_create(actor=request.user, group=group, **form.create_fields())
        except DomainError as error:
            show_refusal(form, error)
        else:
            if event.series_id:
                messages.success(request, "Your event is on, with all its dates. People can say they're going now.")
            else:
                messages.success(request, "Your event is on. People can say they're going now.")
            return redirect("events:event-detail", event_id=event.pk)
    return render(request, "events/event_form.html", {"form": form, "group": group, "event": None})


@login_required
@require_http_methods(["GET", "POST"])
def event_edit_view(request, event_id: int):
    event = permissions.access_event_as_organiser(user=request.user, event_id=event_id)
    if event.is_cancelled:
        raise Conflict("This event has been cancelled, so it can't be changed.", code="event_cancelled")
    form = EventEditForm(request.POST if request.method == "POST" else None, event=event)
    if request.method == "POST" and form.is_valid():
        changes = form.changes()
        if not changes:
            messages.info(request, "Nothing changed, so there was nothing to save.")
            return redirect("events:event-detail", event_id=event.pk)
        try:
            event_update(actor=request.user, event=event, scope=form.scope_value(), **changes)
        except DomainError as error:
            show_refusal(form, error)
        else:
            messages.success(request, "Saved. If the time or place changed, people coming will get a message.")
            return redirect("events:event-detail", event_id=event.pk)
    return render(request, "events/event_form.html", {"form": form, "group": event.group, "event": event})


@login_required
@require_http_methods(["GET", "POST"])
def event_cancel_view(request, event_id: int):
    event = permissions.access_event_as_organiser(user=request.user, event_id=event_id)
    form = EventCancelForm(request.POST if request.method == "POST" else None, event=event)
    if request.method == "POST" and form.is_valid():
        try:
            cancelled = event_cancel(
                actor=request.user,
                event=event,
                scope=form.cleaned_data.get("scope") or "this",
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            show_refusal(form, error)
        else:
            if cancelled:
                messages.success(request, "The event is cancelled. Everyone going, waiting or asking has been told.")
            else:
                messages.info(request, "It was already cancelled.")
            return redirect("events:event-detail", event_id=event.pk)
    return render(request, "events/event_cancel.html", {"form": form, "event": event})
