"""The organiser dashboard: who's going, the waiting list in order, requests, messages, and the CSV export."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from community.errors import DomainError
from events import permissions
from events.forms import AnnouncementForm, show_refusal
from events.organiser_tools import ATTENDEE_ACTIONS, attendee_person, attendees_csv
from events.selectors import attendees_for, event_detail_for
from events.services.announcements import event_announce


def _dashboard(request, event_id: int, *, announcement_form: AnnouncementForm | None = None):
    detail = event_detail_for(user=request.user, event_id=event_id)
    permissions.require_organiser(request.user, detail.event)
    attendees = attendees_for(organiser=request.user, event=detail.event)
    return render(
        request,
        "events/organise.html",
        {
            "event": detail.event,
            "detail": detail,
            "attendees": attendees,
            "announcement_form": announcement_form or AnnouncementForm(),
        },
    )


@login_required
@require_GET
def event_organise(request, event_id: int):
    return _dashboard(request, event_id)


@login_required
@require_POST
def event_attendee_action(request, event_id: int, user_id: int, action: str):
    if action not in ATTENDEE_ACTIONS:
        raise Http404
    event = permissions.access_event_as_organiser(user=request.user, event_id=event_id)
    person = attendee_person(user_id)
    service, success = ATTENDEE_ACTIONS[action]
    try:
        service(actor=request.user, event=event, user=person)
    except DomainError as error:
        messages.error(request, error.detail)
    else:
        messages.success(request, success.format(name=person.display_name))
    return redirect("events:event-organise", event_id=event.pk)


@login_required
@require_POST
def event_announce_view(request, event_id: int):
    event = permissions.access_event_as_organiser(user=request.user, event_id=event_id)
    form = AnnouncementForm(request.POST)
    if form.is_valid():
        try:
            told = event_announce(actor=request.user, event=event, message=form.cleaned_data["message"])
        except DomainError as error:
            show_refusal(form, error)
        else:
            if told:
                messages.success(request, f"Sent to {told} {'person' if told == 1 else 'people'} going.")
            else:
                messages.info(request, "Nobody else is going yet, so there was nobody to send it to.")
            return redirect("events:event-organise", event_id=event.pk)
    return _dashboard(request, event_id, announcement_form=form)


@login_required
@require_GET
def event_attendees_csv(request, event_id: int):
    event = permissions.access_event_as_organiser(user=request.user, event_id=event_id)
    return attendees_csv(event=event, attendees=attendees_for(organiser=request.user, event=event))
